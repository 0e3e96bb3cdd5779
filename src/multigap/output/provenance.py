"""Provenance: every input, numerical setting and the package version, in output units.

The same dictionaries feed the dataset ``attrs`` (as JSON strings plus a few flat
scalars) and the ``"parameters"`` object of the CLI's JSON output. Keys carry
their units (meV, K, nm, m_e).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from multigap._version import __version__
from multigap.config import Numerics, Pairing, Superlattice
from multigap.units import energy_out

__all__ = [
    "superlattice_parameters",
    "pairing_parameters",
    "parameters",
    "provenance_attrs",
    "json_default",
]


def superlattice_parameters(sl: Superlattice) -> dict[str, Any]:
    """The superlattice inputs with unit-suffixed keys."""
    cell = (
        {
            "well_width_nm": sl.well_width,
            "barrier_width_nm": sl.barrier_width,
            "barrier_height_meV": energy_out(sl.barrier_height),
            "mass_well_me": sl.mass_well,
            "mass_barrier_me": sl.mass_barrier,
        }
        if sl.layers is None
        else {
            "layers": [
                {"width_nm": w, "height_meV": energy_out(v), "mass_me": m} for w, v, m in sl.layers
            ]
        }
    )
    return {
        **cell,
        "period_nm": sl.period,
        "mass_x_me": sl.mass_x,
        "n_bands": sl.n_bands,
        "tuned_band": sl.tuned_band,
        "structure": sl.structure,
    }


def pairing_parameters(pairing: Pairing, sl: Superlattice) -> dict[str, Any]:
    """The pairing inputs with unit-suffixed keys, including the full g matrix."""
    g = pairing.coupling_matrix(sl.n_bands, sl.tuned_band)
    return {
        "omega0_meV": energy_out(pairing.omega0),
        "g": float(g[sl.tuned_band - 1, sl.tuned_band - 1]),
        "g_matrix": g.tolist(),
    }


def parameters(
    sl: Superlattice,
    pairing: Pairing | None = None,
    numerics: Numerics | None = None,
    model: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """All inputs of a calculation as a JSON-ready dictionary."""
    out: dict[str, Any] = {"model": model, "superlattice": superlattice_parameters(sl)}
    if pairing is not None:
        out["pairing"] = pairing_parameters(pairing, sl)
    if numerics is not None:
        from multigap.free_motion.exact import kx_integral_rule  # the CLI starts without it

        out["numerics"] = asdict(numerics)
        out["kx_integrals"] = kx_integral_rule(numerics.chi_table, sl.structure)
    out.update(extra)
    out["multigap_version"] = __version__
    return out


def json_default(o):
    """``json.dumps`` default for numpy scalars and arrays."""
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o).__name__)


def provenance_attrs(params: dict[str, Any]) -> dict[str, Any]:
    """Dataset attrs: the parameters as JSON, plus flat scalars that NetCDF can hold."""
    attrs: dict[str, Any] = {
        "multigap_version": __version__,
        "parameters_json": json.dumps(params, default=json_default, sort_keys=True),
        "conventions": "multigap (docs: conventions); energies in meV, T in K, lengths in nm, "
        "masses in m_e, densities per "
        + ("nm^3" if (params.get("superlattice") or {}).get("structure") == "wells" else "nm^2")
        + " for both spins",
    }
    if params.get("model"):
        attrs["model"] = params["model"]
    for section in ("superlattice", "pairing", "numerics"):
        for k, v in (params.get(section) or {}).items():
            if isinstance(v, (int, float, str)) and not isinstance(v, bool):
                attrs[k] = v
    return attrs
