"""T = 0 gaps with the number equation, Fermi-surface averages, and the isotope coefficient.

Spec §4. At fixed μ the gap equation F(Δ) = Δ − G W (χ(Δ) ∘ Δ) = 0 is solved by
Newton's method with its analytic Jacobian J = 1 − G W diag(χ + Δ ∂χ/∂Δ)
(χ_j depends only on Δ_j), started from the Tc eigenvector scaled to the BCS
ratio, with backtracking. At fixed density the superconducting μ_S solves the
corrected number equation (paper eq. 7 without its θ misprint)

    ρ_N(μ_N) = Σ_n ∫dkz/2π ∫dkx/2π [1 − ξ/E]  (both spins; 2θ(−ξ) outside the window),

by a bracketed secant/Brent search in μ, each step warm-started from the last gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.optimize import brentq

from .errors import ConvergenceError, ParameterError
from .normal_state import density, fermi_surface_average, total_dos
from .pairing import KernelGrid, gap_susceptibility
from .superlattice import Subbands
from .units import K_B

__all__ = ["GapResult", "solve_gap_fixed_mu", "solve_gaps", "GAP_MODES", "interpolate_gap"]

GAP_MODES = ("fixed_density", "fixed_mu")

#: The BCS ratio Δ(0)/k_B Tc = π/e^γ, used to scale the starting guess.
BCS_RATIO = np.pi / np.exp(np.euler_gamma)


@dataclass(frozen=True, eq=False)
class GapResult:
    """T = 0 gaps of one point.

    Attributes
    ----------
    delta_average : numpy.ndarray, shape (n_bands,)
        Δ̄_n, the DOS-weighted Fermi-surface average, in eV.
    on_fermi_surface : numpy.ndarray of bool, shape (n_bands,)
        False where band n has no Fermi surface at μ_S; Δ̄_n is then Δ_n at the
        kz of the band minimum (spec §4).
    grid : KernelGrid
        The kernel grid at μ_S.
    delta : numpy.ndarray, shape (n_bands, n_k)
        Δ_n(kz) at the grid nodes, in eV.
    mu_normal, mu : float
        μ_N and μ_S in eV.
    mode : str
        ``"fixed_density"`` or ``"fixed_mu"``.
    converged : bool
    residual : float
        max |F|/max |Δ| of the gap equation; for fixed density also the
        relative density mismatch, whichever is larger.
    iterations : int
        Newton iterations summed over the μ search.
    """

    delta_average: np.ndarray
    on_fermi_surface: np.ndarray
    grid: KernelGrid = field(repr=False)
    delta: np.ndarray = field(repr=False)
    mu_normal: float = 0.0
    mu: float = 0.0
    mode: str = "fixed_density"
    converged: bool = True
    residual: float = 0.0
    iterations: int = 0
    tc: "object | None" = field(default=None, repr=False)
    eta: float | None = None
    parameters: dict | None = field(default=None, repr=False)

    @property
    def mu_shift(self) -> float:
        """μ_S − μ_N in eV."""
        return self.mu - self.mu_normal

    def summary(self) -> dict:
        """A JSON-ready dict with unit-suffixed keys (the ``multigap gaps --json`` object)."""
        from .results import gap_summary

        return gap_summary(self)

    def to_dataset(self):
        """Δ_n(kz), Δ̄_n and the ratios as an ``xarray.Dataset`` with provenance."""
        from .results import gap_dataset

        return gap_dataset(self)


def interpolate_gap(grid: KernelGrid, source: KernelGrid | None, delta: np.ndarray) -> np.ndarray:
    """Move a gap Δ_n(kz) from *source*'s nodes to *grid*'s (linear in kz, per band)."""
    if source is None or source is grid:
        return np.asarray(delta, dtype=float).ravel().copy()
    kz_new = grid.table.kz
    out = np.empty(kz_new.shape)
    for n in range(kz_new.shape[0]):
        keep = source.table.weights[n] > 0
        x, y = source.table.kz[n][keep], delta.reshape(source.table.kz.shape)[n][keep]
        order = np.argsort(x)
        out[n] = np.interp(kz_new[n], x[order], y[order])
    return out.ravel()


def solve_gap_fixed_mu(grid: KernelGrid, initial: np.ndarray, mass_x: float, numerics):
    """Newton solve of the T = 0 gap equation on one grid.

    Returns
    -------
    delta : numpy.ndarray, shape (N,)
        Δ at the flattened nodes, in eV.
    residual : float
        max |F| / max |Δ|.
    iterations : int
    """
    M = grid.coupling * grid.weights[None, :]
    e = grid.energy
    delta = np.asarray(initial, dtype=float).copy()

    def residual_of(d):
        chi = gap_susceptibility(e, d, grid.omega, mass_x, numerics)
        return d - M @ (chi * d)

    F = residual_of(delta)
    res = np.max(np.abs(F)) / max(np.max(np.abs(delta)), 1e-300)
    it = 0
    while res > numerics.gap_tol and it < numerics.gap_maxiter:
        it += 1
        chi, dchi = gap_susceptibility(e, delta, grid.omega, mass_x, numerics,
                                       with_derivative=True)
        J = np.eye(delta.size) - M * (chi + delta * dchi)[None, :]
        step = np.linalg.solve(J, F)
        t = 1.0
        norm0 = np.max(np.abs(F))
        while True:
            trial = delta - t * step
            F_trial = residual_of(trial)
            if np.max(np.abs(F_trial)) < (1.0 - 1e-4 * t) * norm0:
                break
            if t < 1.0 / 64:
                # the line search stalled: take one step of the gap map Δ ← G W χ(Δ)Δ
                # itself, which moves towards the nontrivial solution for attractive g
                trial = delta - F
                F_trial = residual_of(trial)
                break
            t *= 0.5
        delta, F = trial, F_trial
        res = np.max(np.abs(F)) / max(np.max(np.abs(delta)), 1e-300)
    return delta, float(res), it


def _averages(subbands: Subbands, grid: KernelGrid, delta: np.ndarray, mu: float):
    nb = subbands.n_bands
    d2 = delta.reshape(grid.table.kz.shape)
    avg, on_fs = np.empty(nb), np.empty(nb, dtype=bool)
    for n in range(nb):
        keep = grid.table.weights[n] > 0
        x, y = grid.table.kz[n][keep], d2[n][keep]
        order = np.argsort(x)
        f = lambda k, x=x[order], y=y[order]: np.interp(k, x, y)  # noqa: E731
        avg[n], on_fs[n] = fermi_surface_average(subbands, n + 1, mu, f)
    return avg, on_fs


def solve_gaps(subbands: Subbands, grid_at: Callable[[float], KernelGrid], *, mu_normal: float,
               mode: str = "fixed_density", initial_grid: KernelGrid | None = None,
               initial: np.ndarray | None = None, tc_kelvin: float | None = None,
               raise_on_failure: bool = True) -> GapResult:
    """Solve the T = 0 gap equation, at fixed density (default) or fixed μ.

    Parameters
    ----------
    subbands : Subbands
    grid_at : callable
        μ (eV) → KernelGrid at that chemical potential.
    mu_normal : float
        μ_N(η) in eV; fixes the density ρ_N in ``fixed_density`` mode.
    mode : {"fixed_density", "fixed_mu"}
    initial_grid, initial : KernelGrid and numpy.ndarray, optional
        A starting gap on some grid: the Tc eigenvector (shape only; it is
        scaled by ``tc_kelvin``) or a neighbouring point's gap (warm start).
    tc_kelvin : float, optional
        If given, the starting gap is rescaled so that its maximum is
        (π/e^γ) k_B Tc, the BCS ratio.
    raise_on_failure : bool
        Raise :class:`ConvergenceError` (default) rather than return a result
        with ``converged=False``.

    Returns
    -------
    GapResult
    """
    if mode not in GAP_MODES:
        raise ParameterError("mode", mode, "one of " + ", ".join(GAP_MODES))
    num = subbands.numerics
    mass_x = subbands.superlattice.mass_x
    state = {"grid": initial_grid, "delta": None if initial is None else np.ravel(initial),
             "iterations": 0, "residual": np.inf}
    if state["delta"] is not None and tc_kelvin is not None:
        scale = BCS_RATIO * K_B * tc_kelvin / np.max(np.abs(state["delta"]))
        state["delta"] = state["delta"] * scale

    seed = (state["grid"], state["delta"])   # the scaled Tc shape or the caller's warm start

    def start_on(grid, source_grid, delta):
        if delta is None:
            return np.full(grid.size, 0.01 * grid.omega)
        return interpolate_gap(grid, source_grid, delta)

    def inner(mu: float):
        # Newton can fall onto the trivial solution Δ = 0 or stall far from the solution;
        # such a result is retried from the seed and never used as the next warm start.
        grid = grid_at(mu)
        start = start_on(grid, state["grid"], state["delta"])
        delta, res, it = solve_gap_fixed_mu(grid, start, mass_x, num)
        state["iterations"] += it
        collapsed = np.max(np.abs(delta)) < 1e-3 * np.max(np.abs(start))
        if (collapsed or res > num.gap_tol) and seed[1] is not None:
            start = start_on(grid, *seed)
            delta, res, it = solve_gap_fixed_mu(grid, start, mass_x, num)
            state["iterations"] += it
            collapsed = np.max(np.abs(delta)) < 1e-3 * np.max(np.abs(start))
        if not collapsed and res <= num.gap_tol:    # only converged gaps seed the next μ
            state.update(grid=grid, delta=delta)
        state["residual"] = res
        state["last"] = (grid, delta)
        return grid, delta, res

    def fail(what, residual, detail):
        raise ConvergenceError(what, residual, detail)

    if mode == "fixed_mu":
        grid, delta, res = inner(mu_normal)
        mu = mu_normal
        converged = res <= num.gap_tol
    else:
        rho_target = float(density(subbands, [mu_normal]).sum())

        def mismatch(mu: float) -> float:
            grid, delta, res = inner(mu)
            _, drho = gap_susceptibility(grid.energy, delta, grid.omega, mass_x, num,
                                            with_density=True)
            rho = float(density(subbands, [mu]).sum()) + float(np.sum(grid.weights * drho))
            return (rho - rho_target) / rho_target

        m0, h0 = mu_normal, mismatch(mu_normal)
        dos = float(total_dos(subbands, [mu_normal])[0])
        m1 = m0 - h0 * rho_target / max(dos, 1e-12)
        if m1 == m0:
            m1 = m0 + num.mu_tol
        h1 = mismatch(m1)
        tries = 0
        while np.sign(h0) == np.sign(h1) and h0 != 0:
            tries += 1
            if tries > 40:
                fail("number equation", abs(h1), f"no bracket for μ_S near μ_N = {mu_normal:.6g} eV")
            step = m1 - m0
            slope = (h1 - h0) / step if h1 != h0 else 0.0
            guess = m1 - h1 / slope if slope != 0 else m1 + step
            # never step back towards a worse point, and grow the step geometrically
            m_next = m1 + np.sign(guess - m1) * min(max(abs(guess - m1), abs(step)), 4 * abs(step))
            m0, h0, m1, h1 = m1, h1, m_next, mismatch(m_next)
        if h0 == 0:
            mu = m0
        else:
            mu = brentq(mismatch, min(m0, m1), max(m0, m1), xtol=num.mu_tol, rtol=1e-15)
        h = mismatch(mu)
        (grid, delta), res = state["last"], state["residual"]
        res = max(res, abs(h))
        converged = state["residual"] <= num.gap_tol and abs(h) <= max(1e-9, 10 * num.mu_tol)
    scale = max(np.max(np.abs(delta)), 1e-300)
    collapsed = scale < 1e-9 * grid.omega
    if collapsed and tc_kelvin:
        converged = False
    if not converged and raise_on_failure:
        fail("T=0 gap equation", res, f"mode {mode}, μ_N = {mu_normal:.6g} eV"
             + (" (collapsed to Δ = 0)" if collapsed else ""))
    avg, on_fs = _averages(subbands, grid, delta, mu)
    return GapResult(delta_average=avg, on_fermi_surface=on_fs, grid=grid,
                     delta=delta.reshape(grid.table.kz.shape), mu_normal=mu_normal, mu=mu,
                     mode=mode, converged=bool(converged), residual=float(res),
                     iterations=state["iterations"])
