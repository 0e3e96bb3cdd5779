"""Labelled outputs: the one place where internal units become output units.

Physics code returns plain floats and arrays in internal units (eV, nm, m_e, K).
Outputs — JSON objects, tables and ``xarray`` datasets — give energies in meV,
temperatures in K, lengths in nm and masses in m_e, and every key or attribute
carries its unit. :func:`energy_out` and :func:`energy_attrs` are the only
conversions of energies; the summaries and datasets of the result objects
(:mod:`multigap.results`) are built here.
"""

from __future__ import annotations

import numpy as np

from .provenance import provenance_attrs
from .units import K_B, MEV

__all__ = ["ENERGY_UNIT", "energy_out", "dos_out", "energy_attrs", "ratio_2delta_kTc", "tc_summary",
           "gap_summary", "isotope_summary", "tc_dataset", "gap_dataset", "isotope_dataset"]

#: The unit of every energy in outputs.
ENERGY_UNIT = "meV"


def energy_out(value):
    """An energy in eV (float or array) converted to the output unit, meV."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [energy_out(v) for v in value]
    out = np.asarray(value, dtype=float) / MEV
    return float(out) if out.ndim == 0 else out


def dos_out(value):
    """A density of states per eV converted to per output energy unit (per meV)."""
    out = np.asarray(value, dtype=float) * MEV
    return float(out) if out.ndim == 0 else out


def energy_attrs(long_name: str, **extra) -> dict:
    """The attrs of an energy variable in output units."""
    return {"units": ENERGY_UNIT, "long_name": long_name, **extra}


def ratio_2delta_kTc(delta, Tc) -> np.ndarray:
    """2Δ/(k_B Tc) for gaps Δ in eV and Tc in K (NaN where Tc <= 0)."""
    Tc = np.asarray(Tc, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(Tc > 0, 2.0 * np.asarray(delta, dtype=float) / (K_B * Tc), np.nan)


def _g(parameters: dict | None) -> float | None:
    return None if not parameters else parameters["point"]["g"]


def tc_summary(r) -> dict:
    """The JSON object of ``multigap tc``."""
    return {
        "eta": r.eta, "g": _g(r.parameters),
        "Tc_K": r.Tc, "status": r.status, "T_min_K": r.t_min,
        "omega_tilde_meV": energy_out(r.omega), "mu_meV": energy_out(r.mu),
        "mu_N_meV": energy_out(r.mu_normal), "mu_mode": r.mu_mode,
        "mu_shift_meV": energy_out(r.mu_shift), "lambda_at_T_min": r.lambda_at_t_min,
        "kernel_nodes": r.kernel.nodes, "overlap_rank": r.kernel.basis.rank,
        "numerics": r.kernel.basis.subbands.numerics.name,
        "parameters": r.parameters,
    }


def _ratios(r) -> np.ndarray:
    Tc = r.tc.Tc if r.tc is not None else 0.0
    return ratio_2delta_kTc(r.delta_average, Tc)


def gap_summary(r) -> dict:
    """The JSON object of ``multigap gaps``: every band, and the tuned band's ratio."""
    return {
        "eta": r.eta, "g": _g(r.parameters), "T_K": r.temperature,
        "Delta_meV": energy_out(r.delta_average).tolist(),
        "ratio_2Delta_kTc": _ratios(r).tolist(),
        "Delta_ratio": r.delta_ratio, "Delta_ratio_bands": r.ratio_bands and list(r.ratio_bands),
        "tuned_band": r.tuned_band, "on_fermi_surface": r.on_fermi_surface.tolist(),
        "Tc_K": r.tc.Tc if r.tc is not None else None,
        "Tc_status": r.tc.status if r.tc is not None else None,
        "mu_N_meV": energy_out(r.mu_normal), "mu_S_meV": energy_out(r.mu),
        "mu_shift_meV": energy_out(r.mu_shift), "mode": r.mode, "status": r.status,
        "converged": r.converged, "residual": r.residual, "iterations": r.iterations,
        "omega_tilde_meV": energy_out(float(r.kernel.omega[0])),
        "overlap_rank": r.basis.rank, "numerics": r.basis.subbands.numerics.name,
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
        attrs[k] = "none" if v is None else (list(v) if isinstance(v, tuple) else v)
    return attrs


def tc_dataset(r):
    """Tc and the gap shape Δ_n(kz) at Tc on the kernel's nodes, as a Dataset."""
    import xarray as xr

    kz, w, e, shape = r.gap_shape_at_nodes()
    ds = xr.Dataset(
        {"kz": (("band", "node"), kz, {"units": "nm^-1"}),
         "kz_weight": (("band", "node"), w, {"units": "nm^-1",
                                              "long_name": "weight of dkz/2pi, folded zone"}),
         "energy": (("band", "node"), energy_out(e), energy_attrs("E_n(kz)")),
         "gap_shape": (("band", "node"), shape,
                       {"units": "1", "long_name": "leading eigenvector Δ_n(kz) at Tc, max |Δ| = 1"})},
        coords={"band": ("band", np.arange(1, kz.shape[0] + 1))})
    ds.attrs.update(_attrs(tc_summary(r)))
    return ds


def gap_dataset(r, n_kz: int = 129):
    """Gaps Δ_n(kz) on a uniform kz grid, their Fermi-surface averages and ratios, as a Dataset."""
    import xarray as xr

    kz = np.linspace(0.0, r.basis.subbands.kz_max, n_kz)
    bands = np.arange(1, r.n_bands + 1)
    gap = np.array([r.gap(n, kz) for n in bands])
    energy = np.array([r.basis.energy(n - 1, kz) for n in bands])
    attrs = _attrs(gap_summary(r), drop=("Delta_meV", "ratio_2Delta_kTc", "on_fermi_surface"))
    ds = xr.Dataset(
        {"Delta_kz": (("band", "kz"), energy_out(gap), energy_attrs(f"Δ_n(kz) at T = {r.temperature:g} K")),
         "energy": (("band", "kz"), energy_out(energy), energy_attrs("E_n(kz)")),
         "Delta": (("band",), energy_out(r.delta_average),
                   energy_attrs("DOS-weighted Fermi-surface average of Δ_n(kz)")),
         "ratio_2Delta_kTc": (("band",), _ratios(r), {"units": "1"}),
         "on_fermi_surface": (("band",), r.on_fermi_surface.astype(np.int8),
                              {"units": "1", "long_name": "1 if band n has a Fermi surface at mu"})},
        coords={"band": ("band", bands), "kz": ("kz", kz, {"units": "nm^-1"})})
    ds.attrs.update(attrs)
    return ds


def isotope_dataset(r):
    """The isotope coefficient as a scalar Dataset."""
    import xarray as xr

    ds = xr.Dataset({"alpha": ((), r.alpha, {"units": "1", "long_name": "isotope coefficient"}),
                     "alpha_error_estimate": ((), r.error_estimate, {"units": "1"}),
                     "Tc": ((), r.Tc, {"units": "K"})})
    ds.attrs.update(_attrs(isotope_summary(r), drop=("alpha", "alpha_error_estimate", "Tc_K")))
    return ds
