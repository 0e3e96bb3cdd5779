"""The solvers on the pairing kernel: Tc, and the gaps with the number equation at any T.

(The isotope coefficient is differences of Tc in ln ω0:
:func:`multigap.solvers.isotope.isotope_batch`.)

Every solver here works on batches of points (one geometry, any couplings,
cut-offs and chemical potentials) through :class:`multigap.pairing.kernel.PairingKernel`,
and finds its roots with :mod:`multigap.roots`. Single points are batches of one.

* Tc: λ_max(Tc) = 1 for the linearised kernel; λ_max falls monotonically with T,
  so λ_max − 1 is bracketed in ln T between ``t_min`` and a few ω̃/k_B and solved
  by the Illinois method (:func:`critical_temperatures`); in weak coupling λ_max
  is nearly linear in ln T, which the secant steps exploit.
* Gaps: Newton's method on the gap equation in the kernel's space,
  y_a = Σ_b g_ab S_b(Δ) y_b / N0 with Δ_n(kz) = B_n(kz)·y_n, with the analytic
  Jacobian (:func:`solve_gap_equation`); at fixed density the chemical potential
  solves the number equation ρ(μ, Δ, T) = ρ_N, bracketed from a secant step
  (:func:`solve_gaps`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from multigap.pairing.kernel import KxGrading, PairingKernel
from multigap.roots import (
    bracketed_root,
    deflation_factor,
    expand_bracket,
    secant_root,
    secant_steps,
)
from multigap.solvers.joint import joint_gaps
from multigap.status import CODE, STATUS
from multigap.units import K_B, thermal_energy

__all__ = [
    "regime_flags",
    "weak_coupling_status",
    "STATUS",
    "TcRoots",
    "critical_temperatures",
    "GapSolution",
    "solve_gap_equation",
    "solve_gaps",
    "bcs_gap_guess",
]


#: Δ(0)/k_B Tc of weak-coupling BCS, π/e^γ.
BCS_RATIO = float(np.pi / np.exp(np.euler_gamma))
#: 2e^γ/π: k_B Tc = 1.13 ω̃ e^{-1/λ} in weak-coupling BCS.
BCS_PREFACTOR = float(2.0 * np.exp(np.euler_gamma) / np.pi)


@dataclass(frozen=True)
class TcRoots:
    """Tc of a batch: ``Tc`` (K; 0 below T_min, NaN when failed), ``status`` codes
    (:data:`STATUS`), ``residual`` |λ_max(Tc) − 1|, ``lambda_at_t_min`` and the count
    of batched kernel evaluations.
    """

    Tc: np.ndarray
    status: np.ndarray
    residual: np.ndarray
    lambda_at_t_min: np.ndarray
    evaluations: int


def _model_step(x1: np.ndarray, f1: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """A second temperature from one λ_max: the weak-coupling form λ(T) ≈ λ_e ln(1.13ω̃/T)
    through (x1 = ln T1, λ1) puts the root at ln(1.13ω̃) − ln(1.13ω̃/T1)/λ1; where that
    form does not apply (T1 near ω̃, λ1 <= 0) one step of a factor e towards the root.
    The step is kept within a factor e⁵ of T1.
    """
    lam1 = f1 + 1.0
    log_top = np.log(BCS_PREFACTOR * omega / K_B)
    span = log_top - x1
    with np.errstate(divide="ignore", invalid="ignore"):
        model = log_top - span / lam1
    usable = (span > 0.5) & (lam1 > 0.05) & np.isfinite(model)
    fallback = x1 + np.where(f1 > 0, 1.0, -1.0)
    return np.clip(np.where(usable, model, fallback), x1 - 5.0, x1 + 5.0)


def _walk_to_bracket(f, x1, f1, x2, f2, floor, ceiling, todo):
    """From two evaluations per point, a bracket [a, b] of ln Tc with f(a) > 0 >= f(b)
    for the points ``todo`` (a mask): where both values are positive the walk goes up
    (at most to ``ceiling``), where both are <= 0 down (at most to ``floor``), by secant
    steps. Where no sign change is found the bracket is left at the last point reached.
    """
    a, b = np.minimum(x1, x2), np.maximum(x1, x2)
    fa, fb = np.where(x1 <= x2, f1, f2), np.where(x1 <= x2, f2, f1)
    walk_up, walk_down = todo & (fb > 0), todo & (fa <= 0)
    for sel, start, fstart, limit, up in (
        (walk_up, b, fb, ceiling, True),
        (walk_down, a, fa, floor, False),
    ):
        sub = np.flatnonzero(sel & (start != limit) & np.isfinite(fstart))
        if sub.size == 0:
            continue
        step = np.clip(b[sub] - a[sub], 0.5, 3.0) * (1.0 if up else -1.0)
        last, first, f_last, f_first, found, _ = expand_bracket(
            lambda x, i: f(x, sub[i]), start[sub], fstart[sub], step, limit=limit[sub],
            secant=True,
        )  # fmt: skip
        # last: the last point on the side of the start; first: the first beyond the root
        if up:
            a[sub], fa[sub] = last, f_last
            b[sub], fb[sub] = np.where(found, first, last), np.where(found, f_first, f_last)
        else:
            b[sub], fb[sub] = last, f_last
            a[sub], fa[sub] = np.where(found, first, last), np.where(found, f_first, f_last)
    return a, b, fa, fb


def critical_temperatures(
    eigenvalue: Callable[[np.ndarray, np.ndarray], np.ndarray],
    omega: np.ndarray,
    *,
    t_min: float,
    rtol: float,
    bracket: tuple[np.ndarray, np.ndarray] | None = None,
    guess: np.ndarray | None = None,
) -> TcRoots:
    """Solve λ_max(Tc) = 1 for a batch, by a safeguarded secant method in ln T.

    λ_max falls monotonically with T and, in weak coupling, nearly linearly in ln T. The
    search evaluates λ_max at a first temperature (the warm start ``guess``, else ω̃/10k_B),
    then at the root of the weak-coupling form through that value, and takes plain secant
    steps from there (:func:`~multigap.roots.secant_steps`: two or three usually reach the
    tolerance).
    A point the safeguarded secant does not settle walks from its last two values to a
    bracket by secant steps (down to ``t_min``, up to 100 ω̃/k_B), which the Illinois
    method converges. A point whose λ_max is still <= 1 at ``t_min`` is
    ``below_T_min``; one whose λ_max exceeds 1 at 100 ω̃/k_B failed.

    Parameters
    ----------
    eigenvalue : callable
        ``eigenvalue(T, index)``: λ_max of the points ``index`` at temperatures T (K).
    omega : numpy.ndarray, shape (m,)
        Cut-offs ω̃ in eV.
    t_min : float
        Floor of the search in K.
    rtol : float
        Relative tolerance on Tc.
    bracket : (numpy.ndarray, numpy.ndarray), optional
        Temperatures (K) that probably bracket each Tc: the first two evaluated.
    guess : numpy.ndarray, optional
        A probable Tc per point in K, such as the fixed-μ Tc when the fixed-density one is
        sought; NaN or <= t_min where there is none.

    Returns
    -------
    TcRoots
        ``lambda_at_t_min`` is λ_max(t_min) where the search went down to t_min, NaN
        elsewhere (it was not needed).
    """
    omega = np.asarray(omega, dtype=float)
    m = omega.size
    count = 0

    def f(x, idx):  # λ_max − 1 against ln T
        nonlocal count
        count += 1
        return eigenvalue(np.exp(x), idx) - 1.0

    floor, ceiling = np.log(t_min), np.log(100.0 * omega / K_B)
    everyone = np.arange(m)
    if bracket is not None:
        x1, x2 = (np.log(np.maximum(np.asarray(v, dtype=float), t_min)) for v in bracket)
        x1, x2 = np.broadcast_to(x1, (m,)).copy(), np.broadcast_to(x2, (m,)).copy()
        f1 = f(x1, everyone)
    else:
        first = np.full(m, np.nan) if guess is None else np.asarray(guess, dtype=float)
        first = np.where(np.isfinite(first) & (first > t_min), first, 0.1 * omega / K_B)
        x1 = np.clip(np.log(first), floor, ceiling)
        f1 = f(x1, everyone)
        x2 = np.clip(_model_step(x1, f1, omega), floor, ceiling)
    x2 = np.where(x2 == x1, np.where(f1 > 0, x1 + 0.1, x1 - 0.1), x2)
    x2 = np.clip(x2, floor, ceiling)
    f2 = f(x2, everyone)
    # λ_max falls with T: safeguarded secant steps, at most 3 in ln T, inside the search
    x1, f1, x2, f2, done = secant_steps(
        f, x1, f1, x2, f2, xtol=rtol, increasing=False, max_step=3.0, lower=floor, upper=ceiling
    )
    Tc = np.where(done, np.exp(x2), np.nan)
    a, b, fa, fb = _walk_to_bracket(f, x1, f1, x2, f2, np.full(m, floor), ceiling, ~done)
    below = ~done & (fa <= 0) & (a == floor)  # λ_max <= 1 already at t_min
    failed = ~done & ~below & ~((fa > 0) & (fb <= 0))
    lam_t_min = np.where(below, fa + 1.0, np.nan)
    Tc = np.where(below, 0.0, Tc)
    status = np.select([done, below], [CODE["ok"], CODE["below_T_min"]], CODE["failed"])
    status = status.astype(np.int8)
    residual = np.select([done, below, failed], [np.abs(f2), 0.0, np.abs(fb)], np.nan)
    ok = np.flatnonzero(~done & ~below & ~failed)
    if ok.size:
        root = bracketed_root(
            lambda x, i: f(x, ok[i]), a[ok], b[ok], fa[ok], fb[ok], xtol=rtol, distance=True
        )
        done = ok[root.converged]
        Tc[done] = np.exp(root.x[root.converged])
        status[done] = CODE["ok"]
        residual[ok] = root.residual
    return TcRoots(
        Tc=Tc, status=status, residual=residual, lambda_at_t_min=lam_t_min, evaluations=count
    )


def bcs_gap_guess(Tc_kelvin, T_kelvin) -> np.ndarray:
    """The BCS Δ(T) ≈ (π/e^γ) k_B Tc tanh(1.74 sqrt(Tc/T − 1)), in eV: a starting scale
    (T, Tc in K; arrays broadcast).
    """
    Tc, T = np.broadcast_arrays(
        np.asarray(Tc_kelvin, dtype=float), np.asarray(T_kelvin, dtype=float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(
            T > 0, np.tanh(1.74 * np.sqrt(np.maximum(Tc / np.where(T > 0, T, 1.0) - 1.0, 0.0))), 1.0
        )
    return BCS_RATIO * thermal_energy(Tc) * shape


@dataclass(frozen=True)
class GapSolution:
    """Gaps of a batch in the kernel's space.

    ``y`` (m, n_bands, rank): Δ_n(kz) = B_n(kz)·y_n; ``mu`` the chemical potential (eV);
    ``residual`` max|F|/max|y| of the gap equation (for fixed density, the larger of it
    and the relative density mismatch); ``converged``; ``iterations`` (Newton steps of
    the batch: the joint Newton's evaluations, and the nested search's steps summed over
    its μ search); ``kernel`` at the solution.
    """

    y: np.ndarray
    mu: np.ndarray
    residual: np.ndarray
    converged: np.ndarray
    iterations: int
    kernel: PairingKernel


def _peak(y: np.ndarray) -> np.ndarray:
    return np.max(np.abs(y.reshape(y.shape[0], -1)), axis=1)


def _relative_residual(F: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _peak(F) / np.maximum(_peak(y), 1e-300)


def _take(grading: list[KxGrading], index) -> list[KxGrading]:
    return [g[index] for g in grading]


def _deflated_merit(F: np.ndarray, y: np.ndarray) -> np.ndarray:
    """max|F|/max|y|²: the residual of the deflated system, which the trivial root Δ = 0
    does not minimise (max|F| alone falls as the iterate collapses towards it).
    """
    return _peak(F) / np.maximum(_peak(y), 1e-300) ** 2


def _newton_step(kernel: PairingKernel, y, F, J, grading: list[KxGrading]):
    """One damped, deflated Newton step for every point, returning the new y with F and
    J there.

    The deflated full step is tried with its Jacobian (usually accepted, so a step costs
    one kernel evaluation); a step is accepted when it lowers the deflated residual
    max|F|/max|y|², so an iterate is never drawn to the trivial root. Rejected points
    backtrack, and after five halvings take a step of the gap map itself, y ← y − F,
    which moves towards Δ ≠ 0.
    """
    m = y.shape[0]
    step = np.linalg.solve(J, F.reshape(m, -1, 1))[..., 0].reshape(y.shape)
    step = step * deflation_factor(y, step)[:, None, None]
    norm0 = _deflated_merit(F, y)
    trial = y - step
    F_new, J_new = kernel.gap_equation(trial, grading=grading)
    good = _deflated_merit(F_new, trial) < (1 - 1e-4) * norm0
    new = np.where(good[:, None, None], trial, y)
    todo = np.flatnonzero(~good)
    t = 0.5
    while todo.size:
        sub, rule = kernel.subset(todo), _take(grading, todo)
        trial = y[todo] - t * step[todo] if t >= 1.0 / 32 else y[todo] - F[todo]
        F_trial = sub.gap_equation(trial, jacobian=False, grading=rule)
        ok = _deflated_merit(F_trial, trial) < (1 - 1e-4 * t) * norm0[todo]
        ok |= t < 1.0 / 32
        new[todo[ok]] = trial[ok]
        todo = todo[~ok]
        t *= 0.5
    redo = np.flatnonzero(~good)
    if redo.size:
        F_new[redo], J_new[redo] = kernel.subset(redo).gap_equation(
            new[redo], grading=_take(grading, redo)
        )
    return new, F_new, J_new


#: Newton iterations without progress after which a point stops: no halving of its best
#: residual, and no gap 1.5× beyond the range of its earlier iterates.
STALL = 8


def _newton(
    kernel: PairingKernel, y: np.ndarray, grading: list[KxGrading], tol: float, maxiter: int
):
    """Newton iterations at a fixed kx rule; returns y, residual, iterations.

    A point stops when it converges, collapses towards Δ = 0, or stalls: :data:`STALL`
    iterations in which its best residual did not halve and its gap did not leave the
    range of its earlier iterates by a factor 1.5 (the deflated Newton wanders where no
    nontrivial solution exists, as above the Tc of the trial μ, while a start far below
    the solution grows out of that range; the callers then decide between the normal
    state and a retry).
    """
    m = y.shape[0]
    residual, best = np.full(m, np.inf), np.full(m, np.inf)
    low, high = _peak(y), _peak(y)
    since = np.zeros(m, dtype=int)
    floor = 1e-6 * _peak(y)  # below it the iterate has collapsed towards Δ = 0
    live = np.arange(m)
    iterations = 0
    grading = kernel.fixed_rules(grading)  # the kx nodes, once for every iteration
    F, J = kernel.gap_equation(y, grading=grading)
    while True:
        residual[live] = _relative_residual(F, y[live])
        peak = _peak(y[live])
        collapsed = peak < floor[live]
        residual[live[collapsed]] = np.inf
        gained = (residual[live] < 0.5 * best[live]) | (peak > 1.5 * high[live])
        gained |= peak < low[live] / 1.5
        best[live] = np.minimum(residual[live], best[live])
        low[live], high[live] = np.minimum(low[live], peak), np.maximum(high[live], peak)
        since[live] = np.where(gained, 0, since[live] + 1)
        keep = np.flatnonzero((residual[live] > tol) & ~collapsed & (since[live] < STALL))
        live, F, J = live[keep], F[keep], J[keep]
        if live.size == 0 or iterations >= maxiter:
            return y, residual, iterations
        y[live], F, J = _newton_step(kernel.subset(live), y[live], F, J, _take(grading, live))
        iterations += 1


def solve_gap_equation(kernel: PairingKernel, y0: np.ndarray, *, tol: float, maxiter: int):
    """Newton's method on the gap equation at fixed μ for a batch.

    The kx rule is graded from the current gaps and held fixed while Newton runs,
    so the equations it solves are smooth; if the converged gaps moved far from
    the grading (beyond a factor 2 at some node), the rule is regraded and the
    solve polished, at most twice.

    Parameters
    ----------
    kernel : PairingKernel
    y0 : numpy.ndarray, shape (m, n_bands, rank)
        Start (a scaled Tc eigenvector, or a neighbour's solution).
    tol : float
        Tolerance on max|F|/max|y|.
    maxiter : int
        Newton iterations per grading.

    Returns
    -------
    y, residual, iterations
    """
    y = np.array(y0, dtype=float)
    start = _peak(y)
    iterations = 0
    grading = kernel.grading(y)
    for _ in range(3):
        y, residual, its = _newton(kernel, y, grading, tol, maxiter)
        iterations += its
        new = kernel.grading(y)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            moved = max(
                np.max(np.maximum(a.scale / b.scale, b.scale / a.scale))
                for a, b in zip(new, grading)
            )
        if not moved > 2.0 or not np.all(residual <= tol):
            break
        grading = new
    # a gap that collapsed towards the trivial solution is not a solution
    residual = np.where(_peak(y) < 1e-6 * start, np.inf, residual)
    return y, residual, iterations


class _GapTracker:
    """Gap solves of a batch at trial chemical potentials, remembering for every point
    the last two nontrivial converged gaps and their μ: the next solve starts from their
    linear extrapolation to the new μ (a secant predictor, within twice the last
    μ step; otherwise from the last gaps), which the μ search's ever shorter steps make
    nearly exact.

    A solve that collapses towards Δ = 0 where the linearised kernel has λ_max <= 1 at
    that μ and T has found the answer: no nontrivial solution exists there, and the
    state at that μ is the normal one (its gaps are reported as 0 and count as solved).
    A collapse where λ_max > 1 is a failure of the solve.
    """

    def __init__(self, kernel_at, y0, mu0, tol, maxiter):
        self.kernel_at, self.tol, self.maxiter = kernel_at, tol, maxiter
        self.y, self.mu = np.array(y0, dtype=float), mu0.copy()
        self.prev_y, self.prev_mu = self.y.copy(), np.full(mu0.size, np.nan)
        self.residual = np.full(mu0.size, np.inf)
        self.normal = np.zeros(mu0.size, dtype=bool)
        self.iterations = 0

    def _start(self, mu, idx) -> np.ndarray:
        """The gaps at ``mu`` extrapolated from the last two solutions of ``idx``."""
        y1, mu1 = self.y[idx], self.mu[idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (mu - mu1) / (mu1 - self.prev_mu[idx])
        t = np.where(np.isfinite(t) & (np.abs(t) <= 2.0), t, 0.0)[:, None, None]
        return y1 + t * (y1 - self.prev_y[idx])

    def _solve(self, mu, idx):
        kernel = self.kernel_at(mu, idx)
        # at T > 0 the linearised kernel is finite and cheap: where λ_max <= 1 the normal
        # state is the only solution, and Newton is not started (it would wander there
        # until it stalled); at T = 0 it is asked only of a solve that failed
        T = kernel.kT
        known = T > 0
        normal = np.zeros(idx.size, dtype=bool)
        if known.any():
            warm = np.flatnonzero(known)
            normal[warm] = kernel.subset(warm).eigenvalues(T[warm]) <= 1.0
        y, res = np.zeros(self.y[idx].shape), np.zeros(idx.size)
        paired = np.flatnonzero(~normal)
        if paired.size:
            y[paired], res[paired], it = solve_gap_equation(
                kernel.subset(paired), self._start(mu[paired], idx[paired]),
                tol=self.tol, maxiter=self.maxiter,
            )  # fmt: skip
            self.iterations += it
        good = res <= self.tol
        bad = np.flatnonzero(~good)
        if bad.size:
            unknown = bad[~known[bad]]
            if unknown.size:
                normal[unknown] = kernel.subset(unknown).eigenvalues(T[unknown]) <= 1.0
            # Newton started below the nontrivial solution is drawn to Δ = 0; from
            # above it converges: retry the others from a start four times larger
            again = bad[~normal[bad]]
            if again.size:
                y2, r2, it2 = solve_gap_equation(
                    kernel.subset(again),
                    4.0 * self.y[idx[again]],
                    tol=self.tol,
                    maxiter=self.maxiter,
                )
                self.iterations += it2
                y[again], res[again] = y2, r2
                good[again] = r2 <= self.tol
            y[normal] = 0.0
            res = np.where(normal, 0.0, res)
        found = good & ~normal
        moved = idx[found & (mu != self.mu[idx])]  # a new μ: the last solution becomes the previous
        self.prev_y[moved], self.prev_mu[moved] = self.y[moved], self.mu[moved]
        self.y[idx[found]], self.mu[idx[found]] = y[found], mu[found]
        self.residual[idx] = res
        self.normal[idx] = normal
        return kernel, y, good | normal

    def at(self, mu, idx, *, continuation: bool = True):
        """Solve the points ``idx`` at ``mu``; a point that fails is approached again
        from its last converged μ in quarter steps (a long jump in μ can throw Newton
        off the branch).
        """
        kernel, y, good = self._solve(mu, idx)
        if good.all() or not continuation:
            return kernel, y
        sub = idx[~good]
        origin = self.mu[sub]
        for frac in (0.25, 0.5, 0.75):
            self._solve(origin + frac * (mu[~good] - origin), sub)
        kernel, y, _ = self._solve(mu, idx)
        return kernel, y


def solve_gaps(
    kernel_at: Callable[[np.ndarray, np.ndarray], PairingKernel],
    y0: np.ndarray,
    mu0: np.ndarray,
    *,
    tol: float,
    maxiter: int,
    mu_tol: float,
    rho_target: np.ndarray | None = None,
    normal_density: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    normal_dos: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> GapSolution:
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
    tol, maxiter : float, int
        Gap-equation tolerance and Newton iterations per μ.
    mu_tol : float
        Tolerance on μ in eV.
    rho_target : numpy.ndarray, shape (m,), optional
        Density to hold (nm⁻²); None for fixed μ.
    normal_density, normal_dos : callable, optional
        ``f(mu, index)``: normal-state density at T (nm⁻²) and DOS (eV⁻¹ nm⁻²) of the
        points ``index``, for the density search.

    Returns
    -------
    GapSolution
    """
    mu0 = np.broadcast_to(np.asarray(mu0, dtype=float), (y0.shape[0],)).copy()
    idx = np.arange(mu0.size)
    if rho_target is None:
        tracker = _GapTracker(kernel_at, y0, mu0, tol, maxiter)
        kernel, y = tracker.at(mu0, idx, continuation=False)
        return GapSolution(
            y, mu0, tracker.residual, tracker.residual <= tol, tracker.iterations, kernel
        )

    if normal_density is None or normal_dos is None:
        raise ValueError("a fixed-density solve needs the normal density and DOS")
    # the joint Newton on (y, μ) where it applies; the nested search for the points it
    # leaves (and everywhere else)
    fast = joint_gaps(kernel_at, y0, mu0, rho_target, normal_density, tol=tol, mu_tol=mu_tol)
    y, mu, residual, converged = fast.y, fast.mu, fast.residual, fast.converged.copy()
    iterations = fast.iterations
    rest = np.flatnonzero(~converged)
    if rest.size:
        nested = _nested_search(
            lambda m, i: kernel_at(m, rest[i]), y0[rest], mu0[rest], rho_target[rest],
            lambda m, i: normal_density(m, rest[i]), lambda m, i: normal_dos(m, rest[i]),
            tol=tol, maxiter=maxiter, mu_tol=mu_tol,
        )  # fmt: skip
        y[rest], mu[rest], residual[rest], converged[rest] = nested[:4]
        iterations += nested[4]
    return GapSolution(y, mu, residual, converged, iterations, kernel_at(mu, idx))


def _nested_search(kernel_at, y0, mu0, rho_target, normal_density, normal_dos, *, tol, maxiter,
                   mu_tol):  # fmt: skip
    """The gaps at fixed density by a secant search in μ (:func:`_density_root`) of gap
    solves (:class:`_GapTracker`): y, μ, residual, converged and Newton iterations.
    """
    tracker = _GapTracker(kernel_at, y0, mu0, tol, maxiter)
    last_mu, last_h = np.full(mu0.size, np.nan), np.full(mu0.size, np.nan)

    def mismatch(mu, i):
        kernel, y = tracker.at(mu, i)
        solved = tracker.residual[i] <= tol
        drho = np.zeros(i.size)
        paired = np.flatnonzero(solved & (_peak(y) > 0))
        if paired.size:
            sub = kernel.subset(paired)
            _, drho[paired] = sub.gap_equation(
                y[paired], jacobian=False, density=True, grading=sub.grading(y[paired])
            )
        h = (normal_density(mu, i) + drho - rho_target[i]) / rho_target[i]
        h = np.where(solved, h, np.nan)  # no number where the gaps were not solved
        last_mu[i], last_h[i] = mu, h
        return h

    mu, found = _density_root(mismatch, kernel_at, tracker, mu0, rho_target, normal_dos, mu_tol)
    # the tracker holds the gaps of each point's last solve: solve again only where that
    # was not at the μ found
    h = last_h.copy()
    again = np.flatnonzero(last_mu != mu)
    if again.size:
        h[again] = mismatch(mu[again], again)
    # converged: the root is settled to mu_tol in μ (the density then agrees to what
    # mu_tol implies, however steep ρ(μ) is), and the gaps at that μ are solved
    converged = found & np.isfinite(h) & (tracker.residual <= tol)
    residual = np.where(converged, np.maximum(tracker.residual, np.abs(h)), np.inf)
    y = np.where(tracker.normal[:, None, None], 0.0, tracker.y)
    return y, mu, residual, converged, tracker.iterations


def _density_root(mismatch, kernel_at, tracker: _GapTracker, mu0, rho_target, normal_dos, mu_tol):
    """Solve the number equation mismatch(μ) = 0 for every point: a first step from the
    normal-state DOS, then :func:`~multigap.roots.secant_root` (secant steps; a bracket
    from μ_N and Illinois for the points those do not settle). Returns μ (μ_N where no
    root was found) and where it converged.
    """
    idx = np.arange(mu0.size)
    h0 = mismatch(mu0, idx)
    # a Newton step of the normal state, but no longer than half the gap: pairing moves
    # μ by ~Δ²/ω̃ in weak coupling and by ~Δ on the BEC side, and long jumps throw the
    # gap solve off its branch
    step = -h0 * rho_target / np.maximum(normal_dos(mu0, idx), 1e-12)
    half_gap = 0.5 * np.max(
        [np.max(np.abs(d), axis=1) for d in kernel_at(mu0, idx).gap_at_nodes(tracker.y)], axis=0
    )
    step = np.clip(step, -half_gap, half_gap)
    # an infinite DOS (μ at a van Hove point) gives no step: move by the gap's scale downhill
    step = np.where(step == 0, -np.sign(h0) * np.maximum(1e-3 * half_gap, mu_tol), step)
    # a point whose gaps at μ_N were not solved (h0 NaN) has no step: left at μ_N, not found
    mu, found, converged = secant_root(
        mismatch, mu0, h0, step, xtol=mu_tol, increasing=True,
        max_step=np.maximum(half_gap, np.abs(np.nan_to_num(step))), ftol=1e-13,
    )  # fmt: skip
    return np.where(found, mu, mu0), converged


def weak_coupling_status(Tc: np.ndarray, status: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Mark points with k_B Tc > ω̃/2 as ``outside_weak_coupling`` (code 3)."""
    out = np.array(status, copy=True)
    out[(status == CODE["ok"]) & (thermal_energy(np.nan_to_num(Tc)) > 0.5 * omega)] = CODE[
        "outside_weak_coupling"
    ]
    return out


def regime_flags(mu, tuned_bottom: float, omega) -> dict:
    """Where mean field stops meaning what it says, for the tuned band t.

    ``non_adiabatic``: E_F,t/ω̃ < 1, with E_F,t = μ − (the bottom of band t): the Fermi
    energy of the tuned band is below the phonon cut-off (Migdal's theorem fails).
    ``bec``: μ lies below the bottom of band t (the tuned band's pairs are bound
    states: the BEC side of the crossover). Energies in eV; ``mu`` and ``omega`` are
    numbers (bools returned) or arrays (boolean arrays returned).
    """
    fermi = np.asarray(mu, dtype=float) - tuned_bottom
    flags = {"non_adiabatic": fermi / np.asarray(omega, dtype=float) < 1.0, "bec": fermi < 0.0}
    return {k: bool(v) if np.ndim(v) == 0 else v for k, v in flags.items()}
