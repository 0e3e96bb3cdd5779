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
    from threadpoolctl import threadpool_limits

    # Small matrices: BLAS threads only contend (2 workers × 2 threads on 2 cores ran 7×
    # slower), and one thread keeps every executor's arithmetic identical.
    with threadpool_limits(limits=1, user_api="blas"):
        return _compute_column(spec, ip, ie)


def _compute_column(spec: SweepSpec, ip: int, ie: int) -> dict[str, np.ndarray]:
    model = _model(spec, ip)
    eta = float(spec.eta_values[ie])
    table = model.tc_points(eta, spec.g_values)
    mu, omega = model.mu_normal(eta), table.omega
    G = np.array([model.coupling(g) for g in spec.g_values])
    Tc, status = table.Tc, table.status
    out = {"Tc": Tc, "status": status, "residual": table.residual}
    has_tc = np.flatnonzero(np.isin(status, (0, 3)))
    m = len(G)
    if spec.gaps:
        out.update(_gap_column(spec, model, mu, G, omega, Tc, status))
    if spec.isotope:
        alpha, error = np.full(m, np.nan), np.full(m, np.nan)
        astat = np.full(m, -1, dtype=np.int8)
        if has_tc.size:
            from multigap.solvers.isotope import isotope_batch

            r = isotope_batch(model, mu, G[has_tc], Tc[has_tc])
            alpha[has_tc], error[has_tc], astat[has_tc] = r["alpha"], r["error"], r["status"]
        out.update(alpha=alpha, alpha_error=error, alpha_status=astat)
    return out


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


def store_variables(spec: SweepSpec) -> dict:
    """The variables a sweep stores per point: (extra dims, dtype, fill value, attrs)."""
    v: dict[str, tuple] = dict(_VARS)
    if spec.gaps:
        v.update(_GAP_VARS)
    if spec.isotope:
        v.update(_ISO_VARS)
    return v
