"""Labels of the phase stiffness and the BKT temperature: JSON summaries and Datasets.

Energies are printed in meV. Wires are two-dimensional: J is an energy (``J_xx_meV``) and
the density is per nm². Wells are three-dimensional: J is per volume, an energy per
length (``J_xx_meV_per_nm``), and the density per nm³.
"""

from __future__ import annotations

import numpy as np

from multigap.output.labels import energy_attrs, per_space, per_space_key
from multigap.output.provenance import provenance_attrs
from multigap.units import ENERGY_UNIT, energy_out

__all__ = [
    "bkt_dataset",
    "bkt_summary",
    "bkt_table_dataset",
    "stiffness_dataset",
    "stiffness_summary",
]


def _j_key(structure: str) -> str:
    """The unit suffix of a stiffness key: ``meV`` (wires) or ``meV_per_nm`` (wells)."""
    return "meV_per_nm" if structure == "wells" else "meV"


def _j_unit(structure: str) -> str:
    """The unit of J: meV (2D) or meV nm^-1 (3D)."""
    return f"{ENERGY_UNIT} nm^-1" if structure == "wells" else ENERGY_UNIT


def stiffness_summary(r) -> dict:
    """The JSON object of ``multigap stiffness``: J_xx, J_zz, per band and in total."""
    unit = _j_key(r.structure)
    return {
        "eta": r.eta,
        "g": None if not r.parameters else r.parameters["point"]["g"],
        "T_K": r.temperature,
        "mu_mode": r.mu_mode,
        f"J_xx_{unit}": energy_out(r.J_xx),
        f"J_zz_{unit}": energy_out(r.J_zz),
        f"J_bands_{unit}": {
            "xx": energy_out(r.J_bands_xx).tolist(),
            "zz": energy_out(r.J_bands_zz).tolist(),
        },
        f"density_per_{per_space_key(r.structure)}": r.density,
        "structure": r.structure,
        "status": r.status,
        "non_adiabatic": r.non_adiabatic,
        "bec": r.bec,
        "parameters": r.parameters,
    }


def bkt_summary(r) -> dict:
    """The JSON object of ``multigap bkt``: T_BKT beside the mean-field Tc, and J."""

    def brief(s) -> dict:
        full = stiffness_summary(s)
        return {k: v for k, v in full.items() if k.startswith(("J_", "T_K", "density", "status"))}

    return {
        "eta": r.eta,
        "g": None if not r.parameters else r.parameters["point"]["g"],
        "T_BKT_K": r.T_BKT,
        "Tc_K": r.Tc,
        "T_BKT_over_Tc": r.ratio,
        "mu_mode": r.mu_mode,
        "status": r.status,
        "T_min_K": r.t_min,
        "stiffness_T0": brief(r.stiffness_zero),
        "stiffness_at_T_BKT": brief(r.stiffness_at),
        "non_adiabatic": r.stiffness_zero.non_adiabatic,
        "bec": r.stiffness_zero.bec,
        "parameters": r.parameters,
    }


def stiffness_dataset(r):
    """The stiffness per band (and the totals as attributes) as a Dataset."""
    import xarray as xr

    unit = _j_unit(r.structure)
    bands = np.arange(1, r.J_bands_xx.size + 1)
    ds = xr.Dataset(
        {
            "J_xx": ("band", energy_out(r.J_bands_xx), energy_attrs("J_xx of band n", units=unit)),
            "J_zz": ("band", energy_out(r.J_bands_zz), energy_attrs("J_zz of band n", units=unit)),
        },
        coords={"band": bands},
    )
    summary = stiffness_summary(r)
    ds.attrs.update(provenance_attrs(summary.pop("parameters") or {}))
    summary.pop(f"J_bands_{_j_key(r.structure)}")
    ds.attrs.update({k: int(v) if isinstance(v, bool) else v for k, v in summary.items()
                     if v is not None})  # fmt: skip
    ds.attrs["density_units"] = per_space(r.structure)
    return ds


def bkt_dataset(r):
    """T_BKT, Tc and the stiffness at T = 0 and at T_BKT, per band, as a Dataset."""
    import xarray as xr

    unit = _j_unit(r.stiffness_zero.structure)
    s0, s1 = r.stiffness_zero, r.stiffness_at
    variables = {
        "T_BKT": ((), r.T_BKT, {"units": "K", "long_name": "BKT temperature"}),
        "Tc": ((), r.Tc, {"units": "K", "long_name": f"mean-field Tc ({r.mu_mode})"}),
    }
    for state, where in ((s0, "T0"), (s1, "at_T_BKT")):
        for axis, values in (("xx", state.J_bands_xx), ("zz", state.J_bands_zz)):
            label = f"J_{axis} at " + ("T = 0" if where == "T0" else "T_BKT")
            variables[f"J_{axis}_{where}"] = (
                "band", energy_out(values), energy_attrs(label, units=unit)
            )  # fmt: skip
    ds = xr.Dataset(variables, coords={"band": np.arange(1, s0.J_bands_xx.size + 1)})
    ds.attrs.update(provenance_attrs(r.parameters or {}))
    ds.attrs.update({"status": r.status, "mu_mode": r.mu_mode, "T_BKT_over_Tc": r.ratio,
                     "non_adiabatic": int(s0.non_adiabatic), "bec": int(s0.bec)})  # fmt: skip
    return ds


def bkt_table_dataset(r):
    """T_BKT, the mean-field Tc, J(0), the regime flags and the status of a table."""
    import xarray as xr

    from multigap.status import STATUS

    if r.grid:
        dims, coords = ("eta", "g"), {"eta": ("eta", r.eta), "g": ("g", r.g)}
    else:
        dims, coords = ("point",), {"eta": ("point", r.eta), "g": ("point", r.g)}
    flags = {"flag_values": list(STATUS), "flag_meanings": " ".join(STATUS.values())}
    ds = xr.Dataset(
        {
            "T_BKT": (dims, r.T_BKT, {"units": "K", "long_name": "BKT temperature"}),
            "Tc_MF": (dims, r.Tc, {"units": "K", "long_name": "mean-field Tc (fixed density)"}),
            "J_xx0": (dims, energy_out(r.J_xx), energy_attrs("J_xx at T = 0")),
            "J_zz0": (dims, energy_out(r.J_zz), energy_attrs("J_zz at T = 0")),
            "non_adiabatic": (dims, r.non_adiabatic.astype(np.int8), {"long_name": "E_F,t < ω̃"}),
            "bec": (dims, r.bec.astype(np.int8), {"long_name": "μ below the tuned band"}),
            "status": (dims, r.status, {"long_name": "point status", **flags}),
        },
        coords=coords,
    )
    if r.parameters is not None:
        ds.attrs.update(provenance_attrs(r.parameters))
    ds.attrs["mu_mode"] = "fixed_density"
    return ds
