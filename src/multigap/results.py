"""Labelled outputs of the superconducting calculations: JSON-ready dicts and Datasets.

The results of :class:`multigap.model.Model` carry their point (η, g) and provenance,
so they convert themselves (``result.summary()``, ``result.to_dataset()``); these are
the functions behind those methods. Units follow spec §1: meV and K; every key carries
its unit.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .provenance import provenance_attrs
from .units import K_B

__all__ = ["tc_summary", "gap_summary", "isotope_summary", "tc_dataset", "gap_dataset",
           "isotope_dataset"]


def _g(parameters: dict | None) -> float | None:
    return None if not parameters else parameters["point"]["g"]


def tc_summary(r) -> dict:
    """The JSON object of ``multigap tc``."""
    return {
        "eta": r.eta, "g": _g(r.parameters),
        "Tc_K": r.Tc, "status": r.status, "T_min_K": r.t_min,
        "omega_tilde_meV": r.omega * 1e3, "mu_meV": r.mu * 1e3, "mu_N_meV": r.mu_normal * 1e3,
        "mu_mode": r.mu_mode, "mu_shift_meV": r.mu_shift * 1e3,
        "lambda_at_T_min": r.lambda_at_t_min, "kernel_nodes": int(r.grid.size),
        "parameters": r.parameters,
    }


def _ratios(r) -> np.ndarray:
    tc = r.tc.Tc if r.tc is not None else 0.0
    return np.array([2 * d / (K_B * tc) if tc > 0 else np.nan for d in r.delta_average])


def gap_summary(r) -> dict:
    """The JSON object of ``multigap gaps``."""
    d = r.delta_average
    d32 = float(d[2] / d[1]) if d.size >= 3 and d[1] != 0 else float("nan")
    return {
        "eta": r.eta, "g": _g(r.parameters),
        "Delta_meV": (d * 1e3).tolist(), "ratio_2Delta_kTc": _ratios(r).tolist(),
        "Delta3_over_Delta2": d32, "on_fermi_surface": r.on_fermi_surface.tolist(),
        "Tc_K": r.tc.Tc if r.tc is not None else None,
        "Tc_status": r.tc.status if r.tc is not None else None,
        "mu_N_meV": r.mu_normal * 1e3, "mu_S_meV": r.mu * 1e3, "mu_shift_meV": r.mu_shift * 1e3,
        "mode": r.mode, "converged": r.converged, "residual": r.residual,
        "iterations": r.iterations, "omega_tilde_meV": r.grid.omega * 1e3,
        "parameters": r.parameters,
    }


def isotope_summary(r) -> dict:
    """The JSON object of ``multigap isotope``."""
    return {"eta": r.eta, "g": r.g, "alpha": r.alpha, "alpha_error_estimate": r.error_estimate,
            "Tc_K": r.Tc, "step_ln_omega0": r.step, "status": r.status,
            "parameters": r.parameters}


def _attrs(summary: dict, drop=()) -> dict:
    s = dict(summary)
    attrs = provenance_attrs(s.pop("parameters") or {})
    for k in drop:
        s.pop(k, None)
    for k, v in s.items():
        if isinstance(v, bool):
            v = int(v)
        attrs[k] = "none" if v is None else v
    return attrs


def _band_node_dataset(grid, values: dict, attrs: dict) -> xr.Dataset:
    nb = grid.table.kz.shape[0]
    data = {"kz": (("band", "node"), grid.table.kz, {"units": "nm^-1"}),
            "kz_weight": (("band", "node"), grid.table.weights,
                          {"units": "nm^-1", "long_name": "quadrature weight on [0, pi/d]"}),
            "energy": (("band", "node"), grid.table.energy * 1e3, {"units": "meV",
                                                                   "long_name": "E_n(kz)"})}
    data.update(values)
    ds = xr.Dataset(data, coords={"band": ("band", np.arange(1, nb + 1))})
    ds.attrs.update(attrs)
    return ds


def tc_dataset(r) -> xr.Dataset:
    """Tc and the gap shape Δ_n(kz) at Tc on the kernel grid, as a Dataset."""
    return _band_node_dataset(r.grid, {
        "gap_shape": (("band", "node"), r.gap_shape,
                      {"units": "1", "long_name": "leading eigenvector Δ_n(kz) at Tc, max |Δ| = 1"}),
    }, _attrs(tc_summary(r)))


def gap_dataset(r) -> xr.Dataset:
    """T = 0 gaps Δ_n(kz) and their Fermi-surface averages, as a Dataset."""
    attrs = _attrs(gap_summary(r), drop=("Delta_meV", "ratio_2Delta_kTc", "on_fermi_surface"))
    return _band_node_dataset(r.grid, {
        "gap": (("band", "node"), r.delta * 1e3, {"units": "meV", "long_name": "Δ_n(kz) at T=0"}),
        "gap_average": (("band",), r.delta_average * 1e3,
                        {"units": "meV", "long_name": "DOS-weighted Fermi-surface average"}),
        "ratio_2Delta_kTc": (("band",), _ratios(r), {"units": "1"}),
        "on_fermi_surface": (("band",), r.on_fermi_surface.astype(np.int8),
                             {"units": "1", "long_name": "1 if band n has a Fermi surface at mu_S"}),
    }, attrs)


def isotope_dataset(r) -> xr.Dataset:
    """The isotope coefficient as a scalar Dataset."""
    s = isotope_summary(r)
    ds = xr.Dataset({"alpha": ((), r.alpha, {"units": "1", "long_name": "isotope coefficient"}),
                     "alpha_error_estimate": ((), r.error_estimate, {"units": "1"}),
                     "Tc": ((), r.Tc, {"units": "K"})})
    ds.attrs.update(_attrs(s, drop=("alpha", "alpha_error_estimate", "Tc_K")))
    return ds
