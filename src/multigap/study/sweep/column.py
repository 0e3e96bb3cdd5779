"""The unit of work: one column (one extra-parameter value and one η, every g), a pure
function of the specification and its indices, and the variables it stores.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

#: Status codes of every point: CF flag values and meanings (as for single points).
from multigap.status import STATUS
from multigap.study.sweep.spec import SweepSpec, model_variant

# -- the pure unit of work ------------------------------------------------------------
_MODELS: dict[tuple[str, int], Any] = {}  # per-process cache: bands solved once per geometry


def _model(spec: SweepSpec, ip: int):
    from multigap.solvers.model import Model

    key = (json.dumps(spec.fingerprint(), sort_keys=True), ip)
    if key in _MODELS:
        return _MODELS[key]
    sl, pa = model_variant(spec, ip)
    if len(_MODELS) > 32:
        _MODELS.clear()
    _MODELS[key] = Model(sl, pa, spec.numerics, spec.model)
    return _MODELS[key]


def compute_column(spec: SweepSpec, ip: int, ie: int) -> dict[str, np.ndarray]:
    """All g at one (parameter, η): Tc, status and residual; gaps and α if asked.

    Returns
    -------
    dict of numpy.ndarray
        ``Tc`` (K), ``status`` (0 ok, 1 below T_min, 2 failed), ``residual``;
        with gaps: ``Delta`` (g, band; meV), ``ratio`` (g, band), ``mu_shift`` (meV),
        ``gap_converged``, ``gap_residual``; with isotope: ``alpha``.
    """
    from multigap.study.executors import one_blas_thread

    with one_blas_thread():
        return _compute_column(spec, ip, ie)


def _compute_column(spec: SweepSpec, ip: int, ie: int) -> dict[str, np.ndarray]:
    from multigap.solvers.grid import couplings

    model = _model(spec, ip)
    eta = float(spec.eta_values[ie])
    table = model.tc_points(eta, spec.g_values)
    mu, omega = model.mu_normal(eta), table.omega
    G = couplings(model, spec.g_values)[0]
    Tc, status = table.Tc, table.status
    out = {"Tc": Tc, "status": status, "residual": table.residual}
    has_tc = np.flatnonzero(np.isin(status, (0, 3)))
    m = len(G)
    if spec.gaps:
        out.update(_gap_column(spec, model, mu, G, omega, Tc, status))
    if spec.bkt:
        out.update(_bkt_column(model, mu, G, omega, Tc))
    out.update(_regime_column(model, mu, omega, out))
    if spec.isotope:
        alpha, error = np.full(m, np.nan), np.full(m, np.nan)
        astat = np.full(m, -1, dtype=np.int8)
        if has_tc.size:
            from multigap.solvers.isotope import isotope_batch

            r = isotope_batch(model, mu, G[has_tc], Tc[has_tc])
            alpha[has_tc], error[has_tc], astat[has_tc] = r["alpha"], r["error"], r["status"]
        out.update(alpha=alpha, alpha_error=error, alpha_status=astat)
    return out


def _bkt_column(model, mu: float, G, omega, Tc) -> dict:
    """T_BKT, the fixed-density Tc and the stiffness at T = 0 (meV), as the store holds them;
    ``Tc`` is the column's fixed-μ Tc (K).
    """
    from multigap.solvers.stiffness import bkt_column
    from multigap.units import energy_out

    r = bkt_column(model, mu, G, omega, Tc)
    return {
        "T_BKT": r["T_BKT"],
        "Tc_MF": r["Tc_MF"],
        "J_xx0": energy_out(r["J_xx0"]),
        "J_zz0": energy_out(r["J_zz0"]),
        "bkt_status": r["bkt_status"],
        "mu_S0": r["mu_S0"],  # eV, for the regime flags; not stored
    }


def _regime_column(model, mu: float, omega, out: dict) -> dict:
    """The regime flags of the tuned band per point: from μ at T = 0 with BKT, from μ of
    the gaps with gaps, else ``non_adiabatic`` from μ_N and ``bec`` unknown (−1).
    """
    from multigap.solvers.solve import regime_flags
    from multigap.units import MEV

    mu_point = np.full(len(omega), mu)
    known = np.zeros(len(omega), dtype=bool)
    if "mu_S0" in out:
        mu_s = out.pop("mu_S0")
        known = np.isfinite(mu_s)
        mu_point = np.where(known, mu_s, mu_point)
    elif "mu_shift" in out:
        known = np.isfinite(out["mu_shift"])
        mu_point = np.where(known, mu + MEV * np.nan_to_num(out["mu_shift"]), mu_point)
    flags = regime_flags(mu_point, model.subbands.edges[model.tuned, 0], omega)
    return {
        "non_adiabatic": flags["non_adiabatic"].astype(np.int8),
        "bec": np.where(known, flags["bec"], -1).astype(np.int8),
    }


def _gap_column(spec: SweepSpec, model, mu: float, G, omega, Tc, status) -> dict:
    """The gaps of one column as the store holds them (energies in meV)."""
    from multigap.solvers.grid import gap_column
    from multigap.units import energy_out

    out = gap_column(model, mu, G, omega, Tc, status, spec.temperature)
    out["Delta"], out["mu_shift"] = energy_out(out["Delta"]), energy_out(out["mu_shift"])
    return out


def computed(ds, name: str = "Tc"):
    """Variable ``name`` of a sweep dataset at the points computed so far (NaN elsewhere)."""
    return ds[name].where(ds.status >= 0)


# -- the store ------------------------------------------------------------------------
_VARS = {  # name: (extra dims, dtype, fill, attrs)
    "Tc": ((), "f8", np.nan, {"units": "K", "long_name": "critical temperature"}),
    "status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "point status (-1: not computed; below_T_min: Tc below the "
            "search floor T_min_K, not a physical zero)",
        },
    ),
    "residual": ((), "f8", np.nan, {"units": "1", "long_name": "|ln lambda_max| at Tc"}),
}


_GAP_VARS = {
    "Delta": (
        ("band",),
        "f8",
        np.nan,
        {"units": "meV", "long_name": "magnitude of the Fermi-surface averaged gap at T"},
    ),
    "ratio_2Delta_kTc": (("band",), "f8", np.nan, {"units": "1", "long_name": "2 Delta / k_B Tc"}),
    "on_fermi_surface": (
        ("band",),
        "i1",
        -1,
        {
            "units": "1",
            "long_name": "1: Delta is a Fermi-surface average; 0: no Fermi surface, "
            "Delta at the kz nearest the Fermi level",
        },
    ),
    "Delta_sign": (
        ("band",),
        "i1",
        0,
        {"units": "1", "long_name": "sign of the gap relative to the tuned band's (0: none)"},
    ),
    "mu_shift": ((), "f8", np.nan, {"units": "meV", "long_name": "mu_S - mu_N"}),
    "gap_converged": ((), "i1", 0, {"units": "1"}),
    "gap_residual": ((), "f8", np.nan, {"units": "1"}),
    "gap_status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "status of the gap solve (normal: T >= the fixed-density Tc)",
        },
    ),
    "Tc_fixed_density": (
        (),
        "f8",
        np.nan,
        {
            "units": "K",
            "long_name": "fixed-density Tc where it decides the gaps' normal state "
            "(else the fixed-mu Tc)",
        },
    ),
}


_ISO_VARS = {
    "alpha": ((), "f8", np.nan, {"units": "1", "long_name": "isotope coefficient"}),
    "alpha_error": ((), "f8", np.nan, {"units": "1", "long_name": "error estimate of alpha"}),
    "alpha_status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "status of alpha (window_edge: one-sided, next to a kink of Tc(omega0))",
        },
    ),
}


_REGIME_VARS = {
    "non_adiabatic": ((), "i1", -1, {
        "long_name": "E_F,t/omega_tilde < 1 for the tuned band t (1: flagged)",
        "flag_values": [0, 1]}),
    "bec": ((), "i1", -1, {
        "long_name": "mu below the bottom of the tuned band (1: BEC side; -1: not known "
                     "without gaps or BKT)", "flag_values": [-1, 0, 1]}),
}  # fmt: skip

_BKT_VARS = {
    "T_BKT": ((), "f8", np.nan, {"units": "K", "long_name": "BKT temperature (fixed density)"}),
    "Tc_MF": (
        (),
        "f8",
        np.nan,
        {"units": "K", "long_name": "mean-field Tc at fixed density"},
    ),  # fmt: skip
    "J_xx0": ((), "f8", np.nan, {"units": "meV", "long_name": "phase stiffness J_xx at T = 0"}),
    "J_zz0": ((), "f8", np.nan, {"units": "meV", "long_name": "phase stiffness J_zz at T = 0"}),
    "bkt_status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "status of T_BKT",
        },
    ),  # fmt: skip
}


def store_variables(spec: SweepSpec) -> dict:
    """The variables a sweep stores per point: (extra dims, dtype, fill value, attrs)."""
    v: dict[str, tuple] = dict(_VARS) | _REGIME_VARS
    if spec.bkt:
        v.update(_BKT_VARS)
    if spec.gaps:
        v.update(_GAP_VARS)
    if spec.isotope:
        v.update(_ISO_VARS)
    return v
