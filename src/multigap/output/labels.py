"""Labelled outputs: the one place where internal units become output units.

Physics code returns plain floats and arrays in internal units (eV, nm, m_e, K).
Outputs — JSON objects, tables and ``xarray`` datasets — give energies in meV,
temperatures in K, lengths in nm and masses in m_e, and every key or attribute
carries its unit. :func:`energy_out` and :func:`energy_attrs` are the only
conversions of energies; the summaries and datasets of the result objects
(:mod:`multigap.solvers.results`) are built here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import xarray as xr

from multigap.errors import ParameterError
from multigap.normal_state import chemical_potential, density, fermi_contours, partial_dos
from multigap.output.provenance import parameters, provenance_attrs
from multigap.superlattice.kronig_penney import Subbands
from multigap.superlattice.overlap import (
    bloch_table,
    overlap_summary,
    pair_overlap,
    uniform_kz_rule,
)
from multigap.units import ENERGY_UNIT, dos_out, energy_out, thermal_energy

__all__ = [
    "regime_summary",
    "ENERGY_UNIT",
    "energy_out",
    "dos_out",
    "energy_attrs",
    "space_dimension",
    "per_space",
    "per_space_key",
    "ratio_2delta_kTc",
    "tc_summary",
    "gap_summary",
    "crossover_diagnostics",
    "isotope_summary",
    "tc_dataset",
    "gap_dataset",
    "isotope_dataset",
    "thermo_summary",
    "thermo_dataset",
    "tc_table_dataset",
    "bands_dataset",
    "dos_dataset",
    "fermi_dataset",
    "overlap_dataset",
]


def space_dimension(structure: str) -> int:
    """The dimension of the electron gas: 2 for wires (densities per nm²), 3 for wells
    (per nm³).
    """
    return 3 if structure == "wells" else 2


def per_space(structure: str, prefix: str = "") -> str:
    """The unit of a density of *prefix* per area (wires) or volume (wells), e.g.
    ``per_space("wells", "meV^-1 ")`` is ``"meV^-1 nm^-3"``.
    """
    return f"{prefix}nm^-{space_dimension(structure)}"


def per_space_key(structure: str) -> str:
    """The suffix of a JSON key per area or volume: ``nm2`` or ``nm3``."""
    return f"nm{space_dimension(structure)}"


def energy_attrs(long_name: str, **extra) -> dict:
    """The attrs of an energy variable in output units."""
    return {"units": ENERGY_UNIT, "long_name": long_name, **extra}


def ratio_2delta_kTc(delta, Tc) -> np.ndarray:
    """2Δ/(k_B Tc) for gaps Δ in eV and Tc in K (NaN where Tc <= 0)."""
    Tc = np.asarray(Tc, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(Tc > 0, 2.0 * np.asarray(delta, dtype=float) / thermal_energy(Tc), np.nan)


def _g(parameters: dict | None) -> float | None:
    return None if not parameters else parameters["point"]["g"]


def tc_summary(r, mu_star: float = 0.10) -> dict:
    """The JSON object of ``multigap tc``, with the Allen–Dynes estimate for μ* beside ours."""
    from multigap.pairing.cutoff import allen_dynes_tc

    g = _g(r.parameters)
    ad = allen_dynes_tc(g, r.omega, mu_star) if g is not None else None
    return {
        "eta": r.eta,
        "g": _g(r.parameters),
        "Tc_K": r.Tc,
        "status": r.status,
        "T_min_K": r.t_min,
        "T_min_over_omega_tilde": float(thermal_energy(r.t_min)) / r.omega,
        "omega_tilde_meV": energy_out(r.omega),
        "mu_meV": energy_out(r.mu),
        "mu_N_meV": energy_out(r.mu_normal),
        "mu_mode": r.mu_mode,
        "mu_shift_meV": energy_out(r.mu_shift),
        # evaluated only where the search went down to T_min (status below_T_min)
        "lambda_at_T_min": r.lambda_at_t_min if np.isfinite(r.lambda_at_t_min) else None,
        "kernel_nodes": r.kernel.nodes,
        "overlap_rank": r.kernel.basis.rank,
        "numerics": r.kernel.basis.subbands.numerics.name,
        "Tc_AllenDynes_K": ad,
        "mu_star": mu_star,
        # below the search floor the formula's number means nothing: no ratio to it
        "amplification": (r.Tc / ad) if (ad >= r.t_min and r.Tc > 0) else None,
        "non_adiabatic": r.non_adiabatic,
        "parameters": r.parameters,
    }


def crossover_diagnostics(
    mu: float, band_bottoms: np.ndarray, delta: np.ndarray, omega: float
) -> dict:
    """Per band at chemical potential μ (eV): E_F,n = μ − bottom of band n (negative on the
    BEC side), E_F,n/Δ̄_n, the adiabatic ratio E_F,n/ω̃ (below 1: non-adiabatic) and the
    Pippard ratio k_F ξ0 = 2E_F,n/(π Δ̄_n) of a parabolic band. Δ̄ = 0 gives NaN ratios.
    """
    ef = mu - np.asarray(band_bottoms, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(delta != 0, ef / np.asarray(delta, dtype=float), np.nan)
    return {
        "fermi_energy_meV": energy_out(ef).tolist(),
        "EF_over_Delta": over.tolist(),
        "adiabatic_ratio": (ef / omega).tolist(),
        "kF_xi0": (2.0 * over / np.pi).tolist(),
    }


def regime_summary(r) -> dict:
    """The tuned band's regime at a solved state (a GapResult): E_F,t/ω̃, k_F ξ0, the flags
    ``non_adiabatic`` and ``bec``, and whether its Tc lies outside weak coupling.
    """
    t = r.tuned_band - 1
    diag = crossover_diagnostics(
        r.mu, r.basis.subbands.edges[:, 0], r.delta_magnitude, float(r.kernel.omega[0])
    )
    return {
        "EF_t_over_omega": diag["adiabatic_ratio"][t],
        "kF_xi0_t": diag["kF_xi0"][t],
        **r.regime_flags,
        "outside_weak_coupling": r.tc is not None and r.tc.status == "outside_weak_coupling",
    }


def _ratios(r) -> np.ndarray:
    Tc = r.tc.Tc if r.tc is not None else 0.0
    return ratio_2delta_kTc(r.delta_magnitude, Tc)


def gap_summary(r) -> dict:
    """The JSON object of ``multigap gaps``: every band, and the tuned band's ratio."""
    return {
        "eta": r.eta,
        "g": _g(r.parameters),
        "T_K": r.temperature,
        "Delta_meV": energy_out(r.delta_magnitude).tolist(),
        "Delta_sign": r.relative_sign.tolist(),
        "ratio_2Delta_kTc": _ratios(r).tolist(),
        "Delta_ratio": r.delta_ratio,
        "Delta_ratio_bands": r.ratio_bands and list(r.ratio_bands),
        "tuned_band": r.tuned_band,
        "on_fermi_surface": r.on_fermi_surface.tolist(),
        "Tc_K": r.tc.Tc if r.tc is not None else None,
        "Tc_mu_mode": "fixed_mu",  # the Tc of the ratios
        "Tc_status": r.tc.status if r.tc is not None else None,
        "Tc_of_mode_K": r.Tc_of_mode,  # the Tc of the μ mode the gaps were solved in
        **r.regime_flags,
        "mu_N_meV": energy_out(r.mu_normal),
        "mu_S_meV": energy_out(r.mu),
        "mu_shift_meV": energy_out(r.mu_shift),
        "mode": r.mode,
        "status": r.status,
        "converged": r.converged,
        "residual": r.residual,
        "iterations": r.iterations,
        "omega_tilde_meV": energy_out(float(r.kernel.omega[0])),
        "overlap_rank": r.basis.rank,
        "numerics": r.basis.subbands.numerics.name,
        **crossover_diagnostics(
            r.mu, r.basis.subbands.edges[:, 0], r.delta_magnitude, float(r.kernel.omega[0])
        ),
        "parameters": r.parameters,
    }


def isotope_summary(r) -> dict:
    """The JSON object of ``multigap isotope``."""
    return {
        "eta": r.eta,
        "g": r.g,
        "alpha": r.alpha,
        "alpha_error_estimate": r.error_estimate,
        "Tc_K": r.Tc,
        "step_ln_omega0": r.step,
        "status": r.status,
        "eta_kink": None if np.isnan(r.eta_kink) else r.eta_kink,
        "alpha_below_kink": None if np.isnan(r.alpha_below) else r.alpha_below,
        "alpha_above_kink": None if np.isnan(r.alpha_above) else r.alpha_above,
        "parameters": r.parameters,
    }


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
        {
            "kz": (("band", "node"), kz, {"units": "nm^-1"}),
            "kz_weight": (
                ("band", "node"),
                w,
                {"units": "nm^-1", "long_name": "weight of dkz/2pi, folded zone"},
            ),
            "energy": (("band", "node"), energy_out(e), energy_attrs("E_n(kz)")),
            "gap_shape": (
                ("band", "node"),
                shape,
                {"units": "1", "long_name": "leading eigenvector Δ_n(kz) at Tc, max |Δ| = 1"},
            ),
            "Tc": ((), r.Tc, {"units": "K", "long_name": "critical temperature"}),
            "mu": ((), energy_out(r.mu), energy_attrs("chemical potential at Tc")),
        },
        coords={"band": ("band", np.arange(1, kz.shape[0] + 1))},
    )
    ds.attrs.update(_attrs(tc_summary(r)))
    return ds


def gap_dataset(r, n_kz: int = 129):
    """Gaps Δ_n(kz) on a uniform kz grid, their Fermi-surface averages and ratios, as a Dataset."""
    import xarray as xr

    kz = np.linspace(0.0, r.basis.subbands.kz_max, n_kz)
    bands = np.arange(1, r.n_bands + 1)
    gap = np.array([r.gap(n, kz) for n in bands])
    energy = np.array([r.basis.energy(n - 1, kz) for n in bands])
    summary = gap_summary(r)
    diag = ("fermi_energy_meV", "EF_over_Delta", "adiabatic_ratio", "kF_xi0")
    attrs = _attrs(
        summary, drop=("Delta_meV", "Delta_sign", "ratio_2Delta_kTc", "on_fermi_surface") + diag
    )
    ds = xr.Dataset(
        {
            "Delta_kz": (
                ("band", "kz"),
                energy_out(gap),
                energy_attrs(f"Δ_n(kz) at T = {r.temperature:g} K"),
            ),
            "energy": (("band", "kz"), energy_out(energy), energy_attrs("E_n(kz)")),
            "Delta": (
                ("band",),
                energy_out(r.delta_magnitude),
                energy_attrs("magnitude of the DOS-weighted Fermi-surface average of Δ_n(kz)"),
            ),
            "Delta_sign": (
                ("band",),
                r.relative_sign.astype(np.int8),
                {"units": "1", "long_name": "sign of the gap relative to the tuned band's"},
            ),
            "ratio_2Delta_kTc": (("band",), _ratios(r), {"units": "1"}),
            "on_fermi_surface": (
                ("band",),
                r.on_fermi_surface.astype(np.int8),
                {"units": "1", "long_name": "1 if band n has a Fermi surface at mu"},
            ),
            "mu": ((), energy_out(r.mu), energy_attrs("chemical potential of the solution")),
            "Tc": ((), r.tc.Tc if r.tc is not None else np.nan, {"units": "K"}),
            "fermi_energy": (
                ("band",),
                summary["fermi_energy_meV"],
                energy_attrs("E_F,n = mu - bottom of band n (negative: BEC side)"),
            ),
            "EF_over_Delta": (("band",), summary["EF_over_Delta"], {"units": "1"}),
            "adiabatic_ratio": (
                ("band",),
                summary["adiabatic_ratio"],
                {"units": "1", "long_name": "E_F,n / omega_tilde"},
            ),
            "kF_xi0": (
                ("band",),
                summary["kF_xi0"],
                {"units": "1", "long_name": "Pippard ratio 2 E_F,n / (pi Delta_n)"},
            ),
        },
        coords={"band": ("band", bands), "kz": ("kz", kz, {"units": "nm^-1"})},
    )
    ds.attrs.update(attrs)
    return ds


def isotope_dataset(r):
    """The isotope coefficient as a scalar Dataset."""
    import xarray as xr

    ds = xr.Dataset(
        {
            "alpha": ((), r.alpha, {"units": "1", "long_name": "isotope coefficient"}),
            "alpha_error_estimate": ((), r.error_estimate, {"units": "1"}),
            "Tc": ((), r.Tc, {"units": "K"}),
        }
    )
    ds.attrs.update(_attrs(isotope_summary(r), drop=("alpha", "alpha_error_estimate", "Tc_K")))
    return ds


def thermo_summary(r) -> dict:
    """The JSON object of ``multigap thermo``."""
    return {
        "eta": r.eta,
        "g": r.g,
        "mu_mode": r.mu_mode,
        "Tc_K": r.Tc,
        "Tc_mu_mode": r.mu_mode,
        "Tc_status": r.Tc_status,
        "T_K": r.T.tolist(),
        "Delta_meV": energy_out(r.delta).tolist(),
        "mu_meV": energy_out(r.mu).tolist(),
        "C_over_CN": r.heat_ratio.tolist(),
        "specific_heat_jump": r.jump,
        "status": r.status.tolist(),
        "parameters": r.parameters,
    }


def thermo_dataset(r):
    """Δ̄_n(T), μ(T), S, C, C_N and C/C_N on a T coordinate, as a Dataset."""
    import xarray as xr

    per_area = {"units": per_space(r.structure, "k_B ")}
    ds = xr.Dataset(
        {
            "Delta": (
                ("T", "band"),
                energy_out(r.delta),
                energy_attrs("Fermi-surface averaged gap"),
            ),
            "mu": (("T",), energy_out(r.mu), energy_attrs("chemical potential")),
            "entropy": (("T",), r.entropy, {**per_area, "long_name": "electronic entropy"}),
            "entropy_normal": (("T",), r.entropy_normal, {**per_area, "long_name": "normal state"}),
            "C": (("T",), r.heat, {**per_area, "long_name": "electronic specific heat T dS/dT"}),
            "C_normal": (("T",), r.heat_normal, per_area),
            "C_over_CN": (("T",), r.heat_ratio, {"units": "1"}),
            "status": (("T",), r.status.astype(str)),
        },
        coords={
            "T": ("T", r.T, {"units": "K"}),
            "band": ("band", np.arange(1, r.delta.shape[1] + 1)),
        },
    )
    ds.attrs.update(
        _attrs(thermo_summary(r), drop=("T_K", "Delta_meV", "mu_meV", "C_over_CN", "status"))
    )
    return ds


def tc_table_dataset(r):
    """Tc, its status, μ and ω̃ of a :class:`~multigap.solvers.results.TcTable` as a Dataset."""
    import xarray as xr

    from multigap.solvers.solve import STATUS

    flags = {"flag_values": list(STATUS), "flag_meanings": " ".join(STATUS.values())}
    if r.grid:
        dims, coords = ("eta", "g"), {"eta": ("eta", r.eta), "g": ("g", r.g)}
        mu, omega = ("eta", energy_out(r.mu[:, 0])), ("g", energy_out(r.omega[0]))
    else:
        dims = ("point",)
        coords = {"eta": ("point", r.eta), "g": ("point", r.g)}
        mu, omega = ("point", energy_out(r.mu)), ("point", energy_out(r.omega))
    ds = xr.Dataset(
        {
            "Tc": (dims, r.Tc, {"units": "K", "long_name": f"critical temperature ({r.mu_mode})"}),
            "status": (dims, r.status, {"long_name": "point status", **flags}),
            "residual": (dims, r.residual, {"units": "1"}),
            "mu": (*mu[:1], mu[1], energy_attrs("chemical potential at Tc")),
            "omega_tilde": (*omega[:1], omega[1], energy_attrs("cut-off")),
        },
        coords=coords,
    )
    if r.parameters is not None:
        ds.attrs.update(provenance_attrs(r.parameters))
    ds.attrs.update({"mu_mode": r.mu_mode, "T_min_K": r.t_min})
    return ds


def gap_table_dataset(r):
    """The gaps of a :class:`~multigap.solvers.results.GapTable` as a Dataset (meV)."""
    import xarray as xr

    from multigap.solvers.solve import STATUS

    flags = {"flag_values": list(STATUS), "flag_meanings": " ".join(STATUS.values())}
    bands = np.arange(1, r.Delta.shape[-1] + 1)
    dims, dimsb = ("eta", "g"), ("eta", "g", "band")
    ds = xr.Dataset(
        {
            "Delta": (dimsb, energy_out(r.Delta), energy_attrs("Fermi-surface average |Δ̄_n|")),
            "Delta_sign": (dimsb, r.Delta_sign, {"long_name": "sign relative to the tuned band"}),
            "ratio_2Delta_kTc": (
                dimsb,
                ratio_2delta_kTc(r.Delta, r.Tc[..., None]),
                {"units": "1", "long_name": "2Δ̄_n/k_B Tc"},
            ),  # fmt: skip
            "on_fermi_surface": (dimsb, r.on_fermi_surface, {"flag_values": [-1, 0, 1]}),
            "mu_shift": (dims, energy_out(r.mu_shift), energy_attrs("μ_S − μ_N")),
            "Tc": (dims, r.Tc, {"units": "K", "long_name": "critical temperature (fixed_mu)"}),
            "Tc_fixed_density": (dims, r.Tc_fixed_density, {"units": "K"}),
            "residual": (dims, r.residual, {"units": "1"}),
            "status": (dims, r.status, {"long_name": "point status", **flags}),
        },
        coords={"eta": r.eta, "g": r.g, "band": bands},
    )
    if r.parameters is not None:
        ds.attrs.update(provenance_attrs(r.parameters))
    ds.attrs.update({"temperature_K": r.temperature, "mu_mode": "fixed_density",
                     "tuned_band": r.tuned_band})  # fmt: skip
    return ds


def _subband_attrs(subbands: Subbands, model: str | None, *, edges: bool = True) -> dict:
    """The provenance of a normal-state dataset, with E_L and ΔE in meV (``edges``)."""
    attrs = provenance_attrs(parameters(subbands.superlattice, None, subbands.numerics, model))
    if edges:
        attrs["E_L_meV"] = energy_out(subbands.lifshitz_energy)
        attrs["dE_meV"] = energy_out(subbands.tuned_width)
    return attrs


def bands_dataset(subbands: Subbands, *, n_kz: int = 201, n_z: int = 141, model: str | None = None):
    """Subband dispersions, edges and Bloch densities as an ``xarray.Dataset``.

    Parameters
    ----------
    subbands : Subbands
    n_kz : int
        Uniform kz points on [0, π/d], endpoints included.
    n_z : int
        Uniform z points on the cell [0, d].
    model : str, optional
        Preset name, recorded in the provenance.

    Returns
    -------
    xarray.Dataset
        ``energy(band, kz)`` and ``band_bottom``/``band_top(band)`` in meV,
        ``bloch_density(band, kz, z)``; attrs ``E_L_meV`` and ``dE_meV``.
    """
    import xarray as xr

    if not (isinstance(n_kz, int) and n_kz >= 2):
        raise ParameterError("n_kz", n_kz, "an integer >= 2")
    kz = np.linspace(0.0, subbands.kz_max, n_kz)
    z = np.linspace(0.0, subbands.period, n_z)
    bands = list(range(1, subbands.n_bands + 1))
    E = np.array([subbands.energy(n, kz) for n in bands])
    dens = np.array([subbands.bloch_density(n, kz, z, energy=E[n - 1]) for n in bands])
    ds = xr.Dataset(
        {
            "energy": (("band", "kz"), energy_out(E), energy_attrs("E_n(kz)")),
            "band_bottom": (
                ("band",),
                energy_out(subbands.edges[:, 0]),
                energy_attrs("band bottom"),
            ),
            "band_top": (("band",), energy_out(subbands.edges[:, 1]), energy_attrs("band top")),
            "bloch_density": (
                ("band", "kz", "z"),
                dens,
                {"units": "1", "long_name": "|psi_{n,kz}(z)|^2, cell average 1"},
            ),
        },
        coords={
            "band": ("band", bands),
            "kz": ("kz", kz, {"units": "nm^-1"}),
            "z": ("z", z, {"units": "nm"}),
        },
    )
    ds.attrs.update(_subband_attrs(subbands, model))
    return ds


def fermi_dataset(
    subbands: Subbands, eta: ArrayLike, *, n_points: int = 401, model: str | None = None
):
    """Fermi contours kx(kz) at several η as an ``xarray.Dataset`` (paper Fig. 3c).

    Returns
    -------
    xarray.Dataset
        ``kx(eta, band, kz)`` in nm⁻¹ (NaN where there is no Fermi surface),
        on a kz grid that contains every contour tip.
    """
    import xarray as xr

    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    mus = chemical_potential(subbands, eta)
    kz, kx = fermi_contours(subbands, mus, n_points)
    ds = xr.Dataset(
        {
            "kx": (
                ("eta", "band", "kz"),
                kx,
                {"units": "nm^-1", "long_name": "Fermi contour kx >= 0 (contour is ±kx)"},
            ),
            "mu": (("eta",), energy_out(mus), energy_attrs("chemical potential")),
        },
        coords={
            "eta": ("eta", eta, {"units": "1"}),
            "band": ("band", np.arange(1, subbands.n_bands + 1)),
            "kz": ("kz", kz, {"units": "nm^-1"}),
        },
    )
    ds.attrs.update(_subband_attrs(subbands, model, edges=False))
    return ds


def dos_dataset(subbands: Subbands, eta: ArrayLike, *, model: str | None = None):
    """Total and partial DOS against η as an ``xarray.Dataset`` (paper Fig. 3a, b).

    Parameters
    ----------
    subbands : Subbands
    eta : array_like
        Lifshitz parameters η.
    model : str, optional
        Preset name, recorded in the provenance.

    Returns
    -------
    xarray.Dataset
        ``partial_dos(band, eta)`` and ``total_dos(eta)`` in states/(meV·nm²)
        (both spins), ``energy(eta)`` = μ in meV and ``density(eta)`` in nm⁻²; for
        wells (three dimensions) per nm³ instead of per nm².
    """
    import xarray as xr

    structure = subbands.superlattice.structure
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    mu = chemical_potential(subbands, eta)
    N = dos_out(partial_dos(subbands, mu))
    rho = density(subbands, mu)
    dos_units = {
        "units": per_space(structure, "meV^-1 "),
        "long_name": "density of states, both spins",
    }
    ds = xr.Dataset(
        {
            "partial_dos": (("band", "eta"), N, dos_units),
            "total_dos": (("eta",), N.sum(axis=0), dos_units),
            "mu": (("eta",), energy_out(mu), energy_attrs("chemical potential")),
            "density": (
                ("eta",),
                rho.sum(axis=0),
                {"units": per_space(structure), "long_name": "normal-state density at T=0"},
            ),
        },
        coords={
            "band": ("band", np.arange(1, subbands.n_bands + 1)),
            "eta": ("eta", eta, {"units": "1", "long_name": "Lifshitz parameter"}),
        },
    )
    ds.attrs.update(_subband_attrs(subbands, model))
    return ds


def overlap_dataset(
    subbands: Subbands, *, n_kz: int | None = None, bins: int = 40, model: str | None = None
) -> xr.Dataset:
    """Ĩ on the Gauss–Legendre kz grid, with its per-pair summary, as a Dataset.

    Parameters
    ----------
    subbands : Subbands
    n_kz : int, optional
        kz nodes on [0, π/d]; default ``numerics.n_kz``.
    bins : int
        Histogram bins.
    model : str, optional
        Preset name, recorded in the provenance.

    Returns
    -------
    xarray.Dataset
        ``overlap(band, kz, band_prime, kz_prime)``, ``mean``/``min``/``max``
        (band, band_prime), ``histogram(band, band_prime, bin)``.
    """
    import xarray as xr

    kz, w = uniform_kz_rule(subbands, n_kz)
    table = bloch_table(subbands, kz, w)
    I = pair_overlap(table)
    s = overlap_summary(I, table.weights, bins)
    bands = np.arange(1, subbands.n_bands + 1)
    centres = 0.5 * (s["bin_edges"][1:] + s["bin_edges"][:-1])
    ds = xr.Dataset(
        {
            "overlap": (
                ("band", "kz", "band_prime", "kz_prime"),
                I,
                {"long_name": "pair overlap integral Ĩ^{nn'}(kz,kz')", "units": "1"},
            ),
            "mean": (
                ("band", "band_prime"),
                s["mean"],
                {"units": "1", "long_name": "zone average of Ĩ"},
            ),
            "min": (("band", "band_prime"), s["min"], {"units": "1"}),
            "max": (("band", "band_prime"), s["max"], {"units": "1"}),
            "histogram": (
                ("band", "band_prime", "bin"),
                s["hist"],
                {"units": "1", "long_name": "fraction of the (kz,kz') zone"},
            ),
            "kz_weight": (("kz",), w, {"units": "nm^-1"}),
        },
        coords={
            "band": ("band", bands),
            "band_prime": ("band_prime", bands),
            "kz": ("kz", kz, {"units": "nm^-1"}),
            "kz_prime": ("kz_prime", kz, {"units": "nm^-1"}),
            "bin": ("bin", centres, {"units": "1", "long_name": "bin centre"}),
        },
    )
    params = parameters(
        subbands.superlattice,
        None,
        subbands.numerics,
        model,
        overlap_grid=f"Gauss-Legendre, {kz.size} nodes on [0, pi/d]",
    )
    ds.attrs.update(provenance_attrs(params))
    return ds
