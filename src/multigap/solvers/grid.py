"""Per-point quantities on many (η, g) points, with one status rule: the one way to ask.

:func:`tc_points` and :func:`tc_grid` give Tc; :func:`gap_column` and :func:`gap_grid`
the gaps at fixed density and temperature T. The sweep, the pressure paths, the dome
maps, the design search and the reproduction all ask here, so that a point's status
means the same thing everywhere:

- ``ok``;
- ``below_T_min``: Tc lies below the search floor (Tc = 0, no gaps);
- ``outside_weak_coupling``: k_B Tc > ω̃/2 (the number is given, and flagged);
- ``normal``: the gaps at T are those of the normal state (T >= Tc of the mode, or no
  electrons at fixed density): Δ = 0;
- ``failed``: a solve that did not converge: NaN, never 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from multigap.errors import ParameterError
from multigap.normal_state import (
    chemical_potentials_at_density,
    density,
    fermi_surface_averages,
)
from multigap.output.labels import ratio_2delta_kTc
from multigap.pairing.cutoff import COUPLING_RANGE, is_coupling, migdal_cutoff
from multigap.solvers.results import BKTTable, GapTable, TcTable
from multigap.solvers.solve import CODE, regime_flags, weak_coupling_status

if TYPE_CHECKING:
    from multigap.solvers.model import Model

__all__ = [
    "bkt_grid",
    "couplings",
    "bkt_points",
    "gap_column",
    "gap_grid",
    "gap_points",
    "tc_grid",
    "tc_points",
]


def tc_points(model: Model, eta, g, *, mu_mode: str = "fixed_mu") -> TcTable:
    """Tc at the points (η_i, g_i), as one batch (see :meth:`Model.tc_points`)."""
    eta, g = (np.atleast_1d(np.asarray(a, dtype=float)) for a in np.broadcast_arrays(eta, g))
    eta, g = eta.ravel(), g.ravel()
    return _tc_batch(model, eta, g, *couplings(model, g), mu_mode=mu_mode)


def couplings(model: Model, g) -> tuple[np.ndarray, np.ndarray]:
    """The coupling matrices and cut-offs of many tuned-band couplings at once.

    Parameters
    ----------
    model : Model
    g : array_like, shape (m,)
        Couplings of the tuned band, each in [0, 0.5).

    Returns
    -------
    G : numpy.ndarray, shape (m, n, n)
        The coupling matrices (as :meth:`Model.coupling` gives them one by one).
    omega : numpy.ndarray, shape (m,)
        ω̃ in eV (as :meth:`Model.cutoff`).
    """
    g = np.asarray(g, dtype=float).ravel()
    bad = np.flatnonzero(~is_coupling(g))
    if bad.size:
        raise ParameterError("g", float(g[bad[0]]), COUPLING_RANGE)
    G = np.repeat(model.coupling()[None], g.size, axis=0)
    G[:, model.tuned, model.tuned] = g
    return G, np.atleast_1d(migdal_cutoff(model.pairing.omega0, G))


def _tc_batch(model: Model, eta, g, G, omega, *, mu_mode: str) -> TcTable:
    """Tc at the points (η_i, g_i) with their couplings G and cut-offs ω̃ given."""
    values, inverse = np.unique(eta, return_inverse=True)
    mu = np.array([model.mu_normal(float(e)) for e in values])[inverse]
    if mu_mode == "fixed_mu":
        roots, mus = model.tc_batch(mu, G, omega)
        parts = [(np.arange(eta.size), roots, mus)]
    else:  # one density per batch: group the points by their μ_N
        parts = []
        for m_n in np.unique(mu):
            i = np.flatnonzero(mu == m_n)
            roots, mus = model.tc_batch(m_n, G[i], omega[i], mu_mode="fixed_density")
            parts.append((i, roots, mus))
    Tc, status, residual, mu_at = (np.empty(eta.size) for _ in range(4))
    status = status.astype(np.int8)
    for i, roots, mus in parts:
        Tc[i], residual[i], mu_at[i] = roots.Tc, roots.residual, mus
        status[i] = weak_coupling_status(roots.Tc, roots.status, omega[i])
    return TcTable(
        eta, g, False, Tc, status, residual, mu_at, omega, mu_mode, model.numerics.t_min,
        model.parameters(),
    )  # fmt: skip


def tc_grid(model: Model, eta, g, *, mu_mode: str = "fixed_mu") -> TcTable:
    """Tc on the grid η × g, one batch per η (see :meth:`Model.tc_grid`)."""
    g = np.atleast_1d(np.asarray(g, dtype=float))
    return _tc_rows(model, eta, g, *couplings(model, g), mu_mode=mu_mode)


def _tc_rows(model: Model, eta, g, G, omega, *, mu_mode: str) -> TcTable:
    """Tc on the grid η × g with the couplings G and cut-offs ω̃ of g given."""
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    # no warm start from the neighbouring column: a column's numbers are then the same
    # bits however it is asked for (sweep column, map, path, design)
    rows = [_tc_batch(model, np.full(g.size, e), g, G, omega, mu_mode=mu_mode) for e in eta]
    stack = lambda name: np.array([getattr(r, name) for r in rows])  # noqa: E731
    return TcTable(
        eta, g, True, stack("Tc"), stack("status"), stack("residual"), stack("mu"),
        stack("omega"), rows[0].mu_mode, model.numerics.t_min, model.parameters(),
    )  # fmt: skip


def gap_column(model: Model, mu: float, G, omega, Tc, status, temperature: float) -> dict:
    """The gaps of one column (one μ_N, many couplings) at fixed density and T (K).

    ``Tc`` and ``status`` are the column's fixed-μ Tc table. "Normal" is decided by the
    fixed-density Tc, the Tc of the mode solved (computed where it can differ from the
    fixed-μ one: at T > 0, or where the fixed-μ search found no Tc); a column whose μ_N
    lies below every kept band holds no electrons at fixed density, and its points are
    normal. Energies in eV; ``status`` in codes.
    """
    m, nb = len(G), model.superlattice.n_bands
    gap, gres = np.full((m, nb), np.nan), np.full(m, np.nan)
    on_fs, mu_shift = np.full((m, nb), -1, dtype=np.int8), np.full(m, np.nan)
    sign = np.zeros((m, nb), dtype=np.int8)
    gstat = np.full(m, CODE["normal"], dtype=np.int8)
    tc_mode = np.where(np.isin(status, (0, 3)), Tc, 0.0)
    if model.normal_density(mu) > 0:
        tc_mode = model.mode_tc(mu, G, omega, tc_mode)
        gstat[np.isnan(tc_mode)] = CODE["failed"]
        todo = np.flatnonzero(tc_mode > temperature)
        gap[tc_mode <= temperature] = 0.0
        mu_shift[tc_mode <= temperature] = 0.0
        if todo.size:
            start = np.where(Tc[todo] > 0, np.maximum(Tc[todo], tc_mode[todo]), tc_mode[todo])
            y0 = model.tc_shapes(mu, G[todo], omega[todo], start, temperature)
            pts = model.gap_points(
                np.full(todo.size, mu), G[todo], omega[todo], y0, tc_mode[todo],
                temperature=temperature,
            )  # fmt: skip
            good = pts["converged"]
            gap[todo[good]] = np.abs(pts["Delta"][good])
            sign[todo[good]] = np.sign(pts["Delta"][good])
            on_fs[todo[good]] = pts["on_fs"][good]
            mu_shift[todo[good]] = pts["mu"][good] - mu
            gres[todo] = pts["residual"]
            gstat[todo] = [CODE[s] for s in pts["status"]]
    else:
        gap[:], mu_shift[:] = 0.0, 0.0
    return dict(
        Delta=gap,
        ratio_2Delta_kTc=ratio_2delta_kTc(gap, Tc[:, None]),
        on_fermi_surface=on_fs,
        Delta_sign=sign,
        mu_shift=mu_shift,
        gap_converged=(gstat != CODE["failed"]).astype(np.int8),
        gap_residual=gres,
        gap_status=gstat,
        Tc_fixed_density=tc_mode,
    )


def gap_grid(model: Model, eta, g, *, temperature: float = 0.0) -> GapTable:
    """The gaps at fixed density on the grid η × g at T (K): one column per η."""
    g = np.atleast_1d(np.asarray(g, dtype=float))
    G, omega = couplings(model, g)
    tc = _tc_rows(model, eta, g, G, omega, mu_mode="fixed_mu")
    cols = [
        gap_column(model, float(tc.mu[i, 0]), G, tc.omega[i], tc.Tc[i], tc.status[i], temperature)
        for i in range(tc.eta.size)
    ]
    stack = lambda name: np.array([c[name] for c in cols])  # noqa: E731
    status = stack("gap_status")
    # a point without a Tc keeps the Tc table's reason; flagged Tc stays flagged
    status = np.where((status == CODE["normal"]) & (tc.status == CODE["below_T_min"]),
                      CODE["below_T_min"], status)  # fmt: skip
    status = np.where((status == CODE["ok"]) & (tc.status == CODE["outside_weak_coupling"]),
                      CODE["outside_weak_coupling"], status)  # fmt: skip
    return GapTable(
        eta=tc.eta, g=tc.g, temperature=float(temperature), Tc=tc.Tc,
        Tc_fixed_density=stack("Tc_fixed_density"), Delta=stack("Delta"),
        Delta_sign=stack("Delta_sign"), on_fermi_surface=stack("on_fermi_surface"),
        mu_shift=stack("mu_shift"), residual=stack("gap_residual"), status=status,
        tuned_band=model.superlattice.tuned_band, parameters=model.parameters(),
    )  # fmt: skip


def gap_points(
    model: Model,
    mu_n: np.ndarray,
    g: np.ndarray,
    omega: np.ndarray,
    y0: np.ndarray,
    Tc: np.ndarray,
    *,
    temperature=0.0,
    mu_mode: str = "fixed_density",
    mu_start=None,
) -> dict:
    """Solve a batch of gap points and report them (see :meth:`Model.gap_points`)."""
    m = len(mu_n)
    T = np.broadcast_to(np.asarray(temperature, dtype=float), (m,))
    Tc = np.asarray(Tc, dtype=float)
    y = np.zeros_like(y0)
    mu, residual = np.array(mu_n, dtype=float), np.zeros(m)
    status = np.where(T >= Tc, "normal", "ok").astype(object)
    sc = np.flatnonzero(status == "ok")
    iterations = 0
    if sc.size:
        sol = model.gap_batch(
            mu_n[sc],
            g[sc],
            omega[sc],
            y0[sc],
            temperature=T[sc],
            mu_mode=mu_mode,
            mu_start=None if mu_start is None else np.asarray(mu_start)[sc],
        )
        y[sc], mu[sc], residual[sc], iterations = sol.y, sol.mu, sol.residual, sol.iterations
        peak = np.max([np.max(np.abs(d), axis=1) for d in sol.kernel.gap_at_nodes(sol.y)], axis=0)
        # converged to Δ = 0 means the solver verified that the normal state is the
        # only solution there (λ_max <= 1): T is at Tc to within its tolerance
        status[sc[sol.converged & (peak == 0)]] = "normal"
        status[sc[~sol.converged]] = "failed"
    hot = np.flatnonzero(status == "normal")
    if hot.size and mu_mode == "fixed_density":
        rho = density(model.subbands, mu_n[hot]).sum(axis=0)
        mu[hot] = chemical_potentials_at_density(
            model.subbands, rho, T[hot], xtol=model.numerics.mu_tol, mu_cold=mu_n[hot]
        )
    avg, on_fs = fermi_surface_gaps(model, y, mu)
    sign = _global_sign(avg, model.tuned)
    y, avg = y * sign[:, None, None], avg * sign[:, None]
    return {
        "y": y,
        "mu": mu,
        "Delta": avg,
        "on_fs": on_fs,
        "status": status.astype(str),
        "collapsed": status == "failed",
        "converged": status != "failed",
        "residual": residual,
        "iterations": iterations,
        "kernel": model.kernel(mu, omega, g, T),
    }


def _global_sign(avg: np.ndarray, tuned: int) -> np.ndarray:
    """The sign (±1 per point) that makes the tuned band's Δ̄ positive, or the largest
    gap where the tuned band's vanishes: a global sign of the gaps is free.
    """
    largest = avg[np.arange(len(avg)), np.argmax(np.abs(avg), axis=1)]
    ref = np.where(np.abs(avg[:, tuned]) > 1e-9 * np.abs(largest), avg[:, tuned], largest)
    return np.where(ref < 0, -1.0, 1.0)


def fermi_surface_gaps(model: Model, y: np.ndarray, mu) -> tuple[np.ndarray, np.ndarray]:
    """Fermi-surface averages Δ̄_n (eV) of Δ_n(kz) = B_n(kz)·y_n, and the FS flags.

    ``y`` is (n, r) with a scalar μ, or (m, n, r) with μ of shape (m,); the
    results are (n,) or (m, n).
    """
    single = np.ndim(y) == 2
    y, mu = (y[None] if single else y), np.atleast_1d(mu)
    avg, on_fs = np.empty(y.shape[:2]), np.empty(y.shape[:2], dtype=bool)
    for n in range(y.shape[1]):
        avg[:, n], on_fs[:, n] = fermi_surface_averages(
            model.subbands,
            n + 1,
            mu,
            lambda kz, i, n=n: np.einsum("mkr,mr->mk", model.basis.factor(n, kz), y[i, n]),
        )
    return (avg[0], on_fs[0]) if single else (avg, on_fs)


def bkt_points(model: Model, eta, g) -> BKTTable:
    """T_BKT (fixed density) at the points (η_i, g_i): one batch per distinct η."""
    from multigap.solvers.stiffness import bkt_column

    eta, g = (np.atleast_1d(np.asarray(a, dtype=float)) for a in np.broadcast_arrays(eta, g))
    eta, g = eta.ravel(), g.ravel()
    keys = ("T_BKT", "Tc_MF", "J_xx0", "J_zz0", "mu_S0")
    out = {k: np.full(eta.size, np.nan) for k in keys}
    status = np.zeros(eta.size, dtype=np.int8)
    G, omega = couplings(model, g)
    for e in np.unique(eta):
        i = np.flatnonzero(eta == e)
        col = bkt_column(model, model.mu_normal(float(e)), G[i], omega[i])
        for k in keys:
            out[k][i] = col[k]
        status[i] = col["bkt_status"]
    return _bkt_table(model, eta, g, omega, out, status)


def bkt_grid(model: Model, eta, g) -> BKTTable:
    """T_BKT (fixed density) on the grid η × g: arrays of shape (len(eta), len(g))."""
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    g = np.atleast_1d(np.asarray(g, dtype=float))
    flat = bkt_points(model, np.repeat(eta, g.size), np.tile(g, eta.size))
    shape = (eta.size, g.size)
    return BKTTable(
        eta, g, True, flat.T_BKT.reshape(shape), flat.Tc.reshape(shape),
        flat.J_xx.reshape(shape), flat.J_zz.reshape(shape),
        flat.non_adiabatic.reshape(shape), flat.bec.reshape(shape),
        flat.status.reshape(shape), flat.parameters,
    )  # fmt: skip


def _bkt_table(model: Model, eta, g, omega, out: dict, status) -> BKTTable:
    """The table, with the regime flags of each point's T = 0 state (μ_N where unsolved;
    ``bec`` only where the state was solved).
    """
    solved = np.isfinite(out["mu_S0"])
    mu = np.where(solved, out["mu_S0"], [model.mu_normal(float(e)) for e in eta])
    flags = regime_flags(mu, model.subbands.edges[model.tuned, 0], omega)
    return BKTTable(
        eta, g, False, out["T_BKT"], out["Tc_MF"], out["J_xx0"], out["J_zz0"],
        flags["non_adiabatic"], solved & flags["bec"], status, model.parameters(),
    )  # fmt: skip
