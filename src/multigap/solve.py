"""The solvers on the pairing kernel: Tc, gaps with the number equation, the isotope coefficient.

Every solver here works on batches of points (one geometry, any couplings,
cut-offs and chemical potentials) through :class:`multigap.kernel.PairingKernel`,
and finds its roots with :mod:`multigap.roots`. Single points are batches of one.

* Tc: λ_max(Tc) = 1 for the linearised kernel; λ_max falls monotonically with T,
  so ln λ_max(ln T) is bracketed between ``t_min`` and a few ω̃/k_B and solved by
  the Illinois method (:func:`critical_temperatures`).
* Gaps: Newton's method on the gap equation in the kernel's space,
  y_a = Σ_b g_ab S_b(Δ) y_b / N0 with Δ_n(kz) = B_n(kz)·y_n, with the analytic
  Jacobian (:func:`solve_gap_equation`); at fixed density the chemical potential
  solves the number equation ρ(μ, Δ, T) = ρ_N, bracketed from a secant step
  (:func:`solve_gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .kernel import PairingKernel
from .roots import bracketed_root, expand_bracket
from .units import K_B

__all__ = ["STATUS", "TcRoots", "critical_temperatures", "GapSolution", "solve_gap_equation",
           "solve_gaps", "bcs_gap_guess"]

#: Status codes of a point, shared by single points and sweeps.
STATUS = {0: "ok", 1: "below_T_min", 2: "failed", 3: "outside_weak_coupling"}
CODE = {v: k for k, v in STATUS.items()}

#: Δ(0)/k_B Tc of weak-coupling BCS, π/e^γ.
BCS_RATIO = float(np.pi / np.exp(np.euler_gamma))


@dataclass(frozen=True)
class TcRoots:
    """Tc of a batch: ``Tc`` (K; 0 below T_min, NaN when failed), ``status`` codes
    (:data:`STATUS`), ``residual`` |ln λ_max(Tc)|, ``lambda_at_t_min`` and the count
    of batched kernel evaluations."""

    Tc: np.ndarray
    status: np.ndarray
    residual: np.ndarray
    lambda_at_t_min: np.ndarray
    evaluations: int


def critical_temperatures(eigenvalue: Callable[[np.ndarray, np.ndarray], np.ndarray],
                          omega: np.ndarray, *, t_min: float, rtol: float,
                          bracket: tuple[np.ndarray, np.ndarray] | None = None) -> TcRoots:
    """Solve λ_max(Tc) = 1 for a batch.

    Parameters
    ----------
    eigenvalue : callable
        ``eigenvalue(T, index)``: λ_max of the points ``index`` at temperatures T (K).
    omega : numpy.ndarray, shape (m,)
        Cut-offs ω̃ in eV; the search starts with the bracket [t_min, 2ω̃/k_B]
        and widens it (up to 100 ω̃/k_B) if λ_max > 1 still there.
    t_min : float
        Floor of the search in K: λ_max(t_min) <= 1 is reported as status 1.
    rtol : float
        Relative tolerance on Tc.
    bracket : (numpy.ndarray, numpy.ndarray), optional
        Temperatures (K) that probably bracket each Tc (a warm start); checked.

    Returns
    -------
    TcRoots
    """
    omega = np.asarray(omega, dtype=float)
    m = omega.size
    count = 0

    def f(x, idx):
        nonlocal count
        count += 1
        return np.log(np.maximum(eigenvalue(np.exp(x), idx), 1e-300))

    all_idx = np.arange(m)
    y_min = f(np.full(m, np.log(t_min)), all_idx)
    Tc = np.where(y_min <= 0, 0.0, np.nan)
    status = np.where(y_min <= 0, CODE["below_T_min"], CODE["failed"]).astype(np.int8)
    residual = np.where(y_min <= 0, 0.0, np.nan)
    live = np.flatnonzero(y_min > 0)
    if live.size:
        a, b = np.full(live.size, np.log(t_min)), np.log(2.0 * omega[live] / K_B)
        fa = y_min[live]
        if bracket is not None:
            lo, hi = (np.log(np.maximum(np.asarray(v, dtype=float)[live], t_min)) for v in bracket)
            f_lo, f_hi = f(lo, live), f(hi, live)
            a, fa = np.where(f_lo > 0, lo, a), np.where(f_lo > 0, f_lo, fa)
            b = np.where(f_hi <= 0, hi, b)
        fb = f(b, live)
        hot = fb > 0
        if hot.any():   # λ_max > 1 even at 2ω̃: walk up, at most to 100ω̃
            sub = live[hot]
            a2, b2, fa2, fb2, _, _ = expand_bracket(
                lambda x, i: f(x, sub[i]), b[hot], fb[hot], np.full(hot.sum(), np.log(4.0)),
                limit=np.log(100.0 * omega[sub] / K_B))
            a[hot], fa[hot], b[hot], fb[hot] = a2, fa2, b2, fb2
        ok = fb <= 0
        root = bracketed_root(lambda x, i: f(x, live[ok][i]), a[ok], b[ok], fa[ok], fb[ok],
                              xtol=rtol)
        done = live[ok][root.converged]
        Tc[done] = np.exp(root.x[root.converged])
        status[done] = CODE["ok"]
        residual[live[ok]] = root.residual
        residual[live[~ok]] = fb[~ok]
    return TcRoots(Tc=Tc, status=status, residual=residual,
                   lambda_at_t_min=np.exp(y_min), evaluations=count)


def bcs_gap_guess(Tc_kelvin: np.ndarray, T_kelvin: float) -> np.ndarray:
    """The BCS Δ(T) ≈ (π/e^γ) k_B Tc tanh(1.74 sqrt(Tc/T − 1)), in eV: a starting scale."""
    Tc = np.asarray(Tc_kelvin, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(T_kelvin > 0, np.tanh(1.74 * np.sqrt(np.maximum(Tc / max(T_kelvin, 1e-300)
                                                                            - 1.0, 0.0))), 1.0)
    return BCS_RATIO * K_B * Tc * shape


@dataclass(frozen=True)
class GapSolution:
    """Gaps of a batch in the kernel's space.

    ``y`` (m, n_bands, rank): Δ_n(kz) = B_n(kz)·y_n; ``mu`` the chemical potential (eV);
    ``residual`` max|F|/max|y| of the gap equation (for fixed density, the larger of it
    and the relative density mismatch); ``converged``; ``iterations`` (Newton steps,
    summed over the μ search); ``kernel`` at the solution.
    """

    y: np.ndarray
    mu: np.ndarray
    residual: np.ndarray
    converged: np.ndarray
    iterations: int
    kernel: PairingKernel


def _relative_residual(F: np.ndarray, y: np.ndarray) -> np.ndarray:
    m = F.shape[0]
    scale = np.maximum(np.max(np.abs(y.reshape(m, -1)), axis=1), 1e-300)
    return np.max(np.abs(F.reshape(m, -1)), axis=1) / scale


def _newton_step(kernel: PairingKernel, y, F, J, T: float):
    """One damped Newton step for every point; falls back to the gap map y ← y − F."""
    m = y.shape[0]
    step = np.linalg.solve(J, F.reshape(m, -1, 1))[..., 0].reshape(y.shape)
    norm0 = np.max(np.abs(F.reshape(m, -1)), axis=1)
    new, F_new = y.copy(), F.copy()
    todo = np.arange(m)
    t = 1.0
    while todo.size:
        trial = y[todo] - t * step[todo]
        F_trial = kernel.subset(todo).gap_equation(trial, T, jacobian=False)
        good = np.max(np.abs(F_trial.reshape(todo.size, -1)), axis=1) < (1 - 1e-4 * t) * norm0[todo]
        if t < 1.0 / 32:
            good[:] = True
            trial = y[todo] - F[todo]       # the gap map itself, which moves towards Δ ≠ 0
            F_trial = kernel.subset(todo).gap_equation(trial, T, jacobian=False)
        new[todo[good]], F_new[todo[good]] = trial[good], F_trial[good]
        todo = todo[~good]
        t *= 0.5
    return new, F_new


def solve_gap_equation(kernel: PairingKernel, y0: np.ndarray, T: float, *, tol: float,
                       maxiter: int):
    """Newton's method on the gap equation at fixed μ for a batch.

    Parameters
    ----------
    kernel : PairingKernel
    y0 : numpy.ndarray, shape (m, n_bands, rank)
        Start (a scaled Tc eigenvector, or a neighbour's solution).
    T : float
        k_B T in eV.
    tol : float
        Tolerance on max|F|/max|y|.
    maxiter : int

    Returns
    -------
    y, residual, iterations
    """
    y = np.array(y0, dtype=float)
    m = y.shape[0]
    residual = np.full(m, np.inf)
    live = np.arange(m)
    iterations = 0
    for _ in range(maxiter + 1):
        sub = kernel.subset(live) if live.size < m else kernel
        F, J = sub.gap_equation(y[live], T)
        residual[live] = _relative_residual(F, y[live])
        keep = residual[live] > tol
        live, F, J, sub = live[keep], F[keep], J[keep], sub.subset(np.flatnonzero(keep))
        if live.size == 0 or iterations >= maxiter:
            break
        y[live], _ = _newton_step(sub, y[live], F, J, T)
        iterations += 1
    return y, residual, iterations


def solve_gaps(kernel_at: Callable[[np.ndarray, np.ndarray], PairingKernel], y0: np.ndarray,
               mu0: np.ndarray, T: float, *, tol: float, maxiter: int, mu_tol: float,
               rho_target: np.ndarray | None = None,
               normal_density: Callable[[np.ndarray], np.ndarray] | None = None,
               normal_dos: Callable[[np.ndarray], np.ndarray] | None = None) -> GapSolution:
    """Gaps at fixed μ (``rho_target`` None) or at fixed density, for a batch.

    Parameters
    ----------
    kernel_at : callable
        ``kernel_at(mu, index)``: the kernel of the points ``index`` at chemical
        potentials ``mu`` (eV).
    y0 : numpy.ndarray, shape (m, n_bands, rank)
        Starting gaps.
    mu0 : numpy.ndarray, shape (m,)
        μ_N (fixed μ), or the starting μ of the density search, in eV.
    T : float
        k_B T in eV.
    tol, maxiter : float, int
        Gap-equation tolerance and Newton iterations per μ.
    mu_tol : float
        Tolerance on μ in eV.
    rho_target : numpy.ndarray, shape (m,), optional
        Density to hold (nm⁻²); None for fixed μ.
    normal_density, normal_dos : callable, optional
        μ (m,) → normal-state density at T (nm⁻²) and DOS (eV⁻¹ nm⁻²), for the density search.

    Returns
    -------
    GapSolution
    """
    m = y0.shape[0]
    mu0 = np.broadcast_to(np.asarray(mu0, dtype=float), (m,)).copy()
    state = {"y": np.array(y0, dtype=float), "res": np.full(m, np.inf), "it": 0}

    def inner(mu, idx):
        kernel = kernel_at(mu, idx)
        y, res, it = solve_gap_equation(kernel, state["y"][idx], T, tol=tol, maxiter=maxiter)
        state["it"] += it
        good = res <= tol
        state["y"][idx[good]] = y[good]       # only converged gaps seed the next μ
        state["res"][idx] = res
        return kernel, y

    if rho_target is None:
        kernel, y = inner(mu0, np.arange(m))
        return GapSolution(y, mu0, state["res"], state["res"] <= tol, state["it"], kernel)

    def mismatch(mu, idx):
        kernel, y = inner(mu, idx)
        _, drho = kernel.gap_equation(y, T, jacobian=False, density=True)
        return (normal_density(mu, idx) + drho - rho_target[idx]) / rho_target[idx]

    idx = np.arange(m)
    h0 = mismatch(mu0, idx)
    step = -h0 * rho_target / np.maximum(normal_dos(mu0, idx), 1e-12)
    step = np.where(step == 0, mu_tol, step)
    a, b, fa, fb, found, _ = expand_bracket(mismatch, mu0, h0, step, maxsteps=40,
                                            secant=True)
    root = bracketed_root(lambda x, i: mismatch(x, idx[found][i]), a[found], b[found],
                          fa[found], fb[found], xtol=mu_tol, ftol=1e-13)
    mu = mu0.copy()
    mu[found] = root.x
    h = mismatch(mu, idx)                        # the gaps at the final μ of every point
    kernel, y = kernel_at(mu, idx), state["y"]
    density_ok = found & (np.abs(h) <= max(1e-9, 10 * mu_tol))
    residual = np.maximum(state["res"], np.abs(h))
    return GapSolution(y, mu, residual, density_ok & (state["res"] <= tol), state["it"], kernel)
