"""Labelled outputs of the superconducting calculations: JSON-ready dicts and Datasets.

Units follow spec §1: meV, K; every key carries its unit.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .gaps import GapResult
from .model import IsotopeResult, Model
from .provenance import provenance_attrs
from .tc import TcResult
from .units import K_B

__all__ = ["tc_summary", "gap_summary", "isotope_summary", "tc_dataset", "gap_dataset"]


def _point(model: Model, eta, g) -> dict:
    sl = model.superlattice
    gm = model.coupling(g)
    return {"eta": None if eta is None else float(eta),
            "g": float(gm[sl.tuned_band - 1, sl.tuned_band - 1])}


def tc_summary(model: Model, eta, g, r: TcResult) -> dict:
    """The JSON object of ``multigap tc``."""
    out = _point(model, eta, g)
    out.update({
        "Tc_K": r.Tc, "status": r.status, "T_min_K": r.t_min,
        "omega_tilde_meV": r.omega * 1e3, "mu_meV": r.mu * 1e3, "mu_N_meV": r.mu_normal * 1e3,
        "mu_mode": r.mu_mode, "mu_shift_meV": r.mu_shift * 1e3,
        "lambda_at_T_min": r.lambda_at_t_min, "kernel_nodes": int(r.grid.size),
        "parameters": model.parameters(point={"eta": eta, "g": out["g"], "mu_mode": r.mu_mode}),
    })
    return out


def gap_summary(model: Model, eta, g, r: GapResult, tc: TcResult) -> dict:
    """The JSON object of ``multigap gaps``."""
    nb = model.superlattice.n_bands
    tc_k = tc.Tc
    ratios = [2 * d / (K_B * tc_k) if tc_k > 0 else float("nan") for d in r.delta_average]
    d32 = (r.delta_average[2] / r.delta_average[1]) if nb >= 3 and r.delta_average[1] != 0 \
        else float("nan")
    out = _point(model, eta, g)
    out.update({
        "Delta_meV": (r.delta_average * 1e3).tolist(),
        "ratio_2Delta_kTc": ratios,
        "Delta3_over_Delta2": float(d32),
        "on_fermi_surface": r.on_fermi_surface.tolist(),
        "Tc_K": tc_k, "Tc_status": tc.status,
        "mu_N_meV": r.mu_normal * 1e3, "mu_S_meV": r.mu * 1e3, "mu_shift_meV": r.mu_shift * 1e3,
        "mode": r.mode, "converged": r.converged, "residual": r.residual,
        "iterations": r.iterations, "omega_tilde_meV": r.grid.omega * 1e3,
        "parameters": model.parameters(point={"eta": eta, "g": out["g"], "mode": r.mode}),
    })
    return out


def isotope_summary(model: Model, eta, g, r: IsotopeResult) -> dict:
    """The JSON object of ``multigap isotope``."""
    out = _point(model, eta, g)
    out.update({"alpha": r.alpha, "alpha_error_estimate": r.error_estimate, "Tc_K": r.Tc,
                "step_ln_omega0": r.step, "status": r.status,
                "parameters": model.parameters(point={"eta": eta, "g": out["g"]})})
    return out


def _band_node_dataset(model: Model, grid, values: dict, attrs: dict) -> xr.Dataset:
    nb = model.superlattice.n_bands
    data = {"kz": (("band", "node"), grid.table.kz, {"units": "nm^-1"}),
            "kz_weight": (("band", "node"), grid.table.weights,
                          {"units": "nm^-1", "long_name": "quadrature weight on [0, pi/d]"}),
            "energy": (("band", "node"), grid.table.energy * 1e3, {"units": "meV",
                                                                   "long_name": "E_n(kz)"})}
    data.update(values)
    ds = xr.Dataset(data, coords={"band": ("band", np.arange(1, nb + 1))})
    ds.attrs.update(attrs)
    return ds


def tc_dataset(model: Model, eta, g, r: TcResult) -> xr.Dataset:
    """Tc and the gap shape Δ_n(kz) at Tc on the kernel grid, as a Dataset."""
    s = tc_summary(model, eta, g, r)
    attrs = provenance_attrs(s.pop("parameters"))
    attrs.update({k: (v if v is not None else "none") for k, v in s.items()})
    return _band_node_dataset(model, r.grid, {
        "gap_shape": (("band", "node"), r.gap_shape,
                      {"units": "1", "long_name": "leading eigenvector Δ_n(kz) at Tc, max |Δ| = 1"}),
    }, attrs)


def gap_dataset(model: Model, eta, g, r: GapResult, tc: TcResult) -> xr.Dataset:
    """T = 0 gaps Δ_n(kz) and their Fermi-surface averages, as a Dataset."""
    s = gap_summary(model, eta, g, r, tc)
    attrs = provenance_attrs(s.pop("parameters"))
    for k in ("Delta_meV", "ratio_2Delta_kTc", "on_fermi_surface"):
        s.pop(k)
    attrs.update({k: (v if v is not None else "none") for k, v in s.items()})
    attrs["converged"] = int(r.converged)
    ratios = np.array([2 * d / (K_B * tc.Tc) if tc.Tc > 0 else np.nan for d in r.delta_average])
    return _band_node_dataset(model, r.grid, {
        "gap": (("band", "node"), r.delta * 1e3, {"units": "meV", "long_name": "Δ_n(kz) at T=0"}),
        "gap_average": (("band",), r.delta_average * 1e3,
                        {"units": "meV", "long_name": "DOS-weighted Fermi-surface average"}),
        "ratio_2Delta_kTc": (("band",), ratios, {"units": "1"}),
        "on_fermi_surface": (("band",), r.on_fermi_surface.astype(np.int8),
                             {"units": "1", "long_name": "1 if band n has a Fermi surface at mu_S"}),
    }, attrs)
