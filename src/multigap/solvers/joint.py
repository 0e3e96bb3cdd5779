"""The gaps and μ at fixed density by one Newton iteration on both.

The nested search (:func:`~multigap.solvers.solve.solve_gaps`) solves the gap equation
at each trial μ and moves μ by secant steps on the number equation: about four gap
solves a point. Newton on the joint unknowns (y, μ) needs the μ-column of the
Jacobian, ∂F/∂μ, and the number equation's row, ∂ρ/∂y and ∂ρ/∂μ
(:meth:`~multigap.pairing.kernel.PairingKernel.number_equations`); with them the gaps
and μ converge together, in about as many evaluations as one gap solve. The μ-column
holds the kz nodes, which move with μ (1 % off); from the second evaluation it is
corrected by a secant on what the last step measured (:func:`_secant_corrected`).

This is a fast path, for the wires (on the kx quadrature or in closed form, at any
temperature; the wells use the nested search). It has no line search, no retries and
no normal-state test, and a point it does not converge within :data:`MAXITER`
evaluations, or whose gaps collapse towards Δ = 0 (a root of the joint equations as
well), is left to the nested search, which has them all. Both stop on the same tests:
the gap equation's residual max|F|/max|y| <= tol at the μ evaluated, and the distance
to the root in μ (here Newton's step, there the secant's) below a quarter of mu_tol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from multigap.pairing.kernel import PairingKernel
from multigap.roots import deflation_factor

__all__ = ["JointSolution", "MAXITER", "joint_gaps", "joint_applies"]

#: Evaluations after which a point is left to the nested search.
MAXITER = 10


@dataclass(frozen=True)
class JointSolution:
    """The gaps y (m, n_bands, rank) and μ (eV) where ``converged``; ``residual`` the
    larger of max|F|/max|y| and the relative density mismatch; ``iterations`` the batch
    evaluations taken.
    """

    y: np.ndarray
    mu: np.ndarray
    residual: np.ndarray
    converged: np.ndarray
    iterations: int


def joint_applies(kernel: PairingKernel) -> bool:
    """Whether the joint Newton can run on this kernel's points."""
    return kernel.free.measure == "wires"


def _peak(y: np.ndarray) -> np.ndarray:
    return np.max(np.abs(y.reshape(y.shape[0], -1)), axis=1)


def _newton_step(F, J, drho_mismatch, dF_dmu, drho_dy, drho_dmu):
    """The Newton step (δy, δμ) of the joint system [F; ρ − ρ_target] for every point."""
    k, n = J.shape[0], J.shape[-1]
    A = np.zeros((k, n + 1, n + 1))
    A[:, :n, :n] = J
    A[:, :n, n] = dF_dmu.reshape(k, n)
    A[:, n, :n] = drho_dy.reshape(k, n)
    A[:, n, n] = drho_dmu
    rhs = np.concatenate([F.reshape(k, n), drho_mismatch[:, None]], axis=1)
    with np.errstate(all="ignore"):
        try:
            step = np.linalg.solve(A, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:  # a singular point: no step (left to the nested search)
            step = np.full((k, n + 1), np.nan)
    return step[:, :n].reshape(F.shape), step[:, n]


def _secant_corrected(last: dict | None, now: dict):
    """The μ-column (∂F/∂μ, ∂ρ/∂μ) of ``now`` corrected by what the step from ``last``
    measured: the change of F and ρ less the exact y-part (the trapezoid of the two J),
    over the μ step, against the fixed-node derivatives' mean. The correction is kept
    where the μ step is resolved and the correction is below a tenth of the column.
    """
    dF_dmu, drho_dmu = now["dF_dmu"], now["drho_dmu"]
    if last is None:
        return dF_dmu, drho_dmu
    common, i, j = np.intersect1d(last["live"], now["live"], return_indices=True)
    if common.size == 0:
        return dF_dmu, drho_dmu
    k, n = common.size, now["J"].shape[-1]
    dy = (now["y"][j] - last["y"][i]).reshape(k, n)
    dmu = now["mu"][j] - last["mu"][i]
    J_mean = 0.5 * (now["J"][j] + last["J"][i])
    d_mean = 0.5 * (now["drho_dy"][j] + last["drho_dy"][i]).reshape(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = (now["F"][j] - last["F"][i]).reshape(k, n) - np.einsum("kab,kb->ka", J_mean, dy)
        c = c / dmu[:, None] - 0.5 * (now["dF_dmu"][j] + last["dF_dmu"][i]).reshape(k, n)
        s = (now["h"][j] - last["h"][i] - np.sum(d_mean * dy, axis=1)) / dmu
        s = s - 0.5 * (now["drho_dmu"][j] + last["drho_dmu"][i])
    column = np.abs(now["dF_dmu"][j]).reshape(k, n).max(axis=1)
    resolved = np.abs(dmu) > 1e-12 * np.maximum(np.abs(now["mu"][j]), 1.0)
    ok_F = resolved & np.all(np.isfinite(c), axis=1) & (np.abs(c).max(axis=1) < 0.1 * column)
    ok_s = resolved & np.isfinite(s) & (np.abs(s) < 0.1 * np.abs(now["drho_dmu"][j]))
    dF_dmu, drho_dmu = dF_dmu.copy(), drho_dmu.copy()
    dF_dmu[j[ok_F]] += c[ok_F].reshape(dF_dmu[j[ok_F]].shape)
    drho_dmu[j[ok_s]] += s[ok_s]
    return dF_dmu, drho_dmu


def joint_gaps(
    kernel_at: Callable[[np.ndarray, np.ndarray], PairingKernel],
    y0: np.ndarray,
    mu0: np.ndarray,
    rho_target: np.ndarray,
    normal_density: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    tol: float,
    mu_tol: float,
    maxiter: int | None = None,
) -> JointSolution:
    """Newton on (y, μ) for a batch at fixed density (see the module's notes).

    Parameters
    ----------
    kernel_at : callable
        ``kernel_at(mu, index)``: the kernel of the points ``index`` at μ (eV).
    y0 : numpy.ndarray, shape (m, n_bands, rank)
        Starting gaps.
    mu0 : numpy.ndarray, shape (m,)
        Starting μ in eV.
    rho_target : numpy.ndarray, shape (m,)
        The density to hold, nm⁻².
    normal_density : callable
        ``normal_density(mu, index)``: ρ_N at μ (nm⁻²) at the kernels' temperature.
    tol, mu_tol : float
        Tolerances on max|F|/max|y| and on μ (eV).
    maxiter : int, optional
        Evaluations before a point is left unconverged (:data:`MAXITER`).
    """
    maxiter = MAXITER if maxiter is None else maxiter
    y, mu = np.array(y0, dtype=float), np.array(mu0, dtype=float)
    m = mu.size
    residual, converged = np.full(m, np.inf), np.zeros(m, dtype=bool)
    floor = 1e-6 * _peak(y)  # below it the iterate has collapsed towards Δ = 0
    live, iterations = np.arange(m), 0
    last: dict | None = None  # the previous evaluation, for the μ-column's secant correction
    while live.size and iterations < maxiter:
        kernel = kernel_at(mu[live], live)
        if not joint_applies(kernel):
            break
        grading = kernel.fixed_rules(kernel.grading(y[live]))
        F, J, drho, dF_dmu, drho_dy, drho_dmu = kernel.number_equations(y[live], grading)
        iterations += 1
        mismatch = normal_density(mu[live], live) + drho - rho_target[live]
        now = dict(live=live, y=y[live].copy(), mu=mu[live].copy(), F=F, J=J, h=mismatch,
                   dF_dmu=dF_dmu, drho_dy=drho_dy, drho_dmu=drho_dmu)  # fmt: skip
        dF_dmu, drho_dmu = _secant_corrected(last, now)
        last = now
        dy, dmu = _newton_step(F, J, mismatch, dF_dmu, drho_dy, drho_dmu)
        # deflated: the step is turned away from the trivial root Δ = 0 (at μ_N), which
        # the joint equations share with the gap equation
        tau = deflation_factor(y[live], dy)
        dy, dmu = tau[:, None, None] * dy, tau * dmu
        peak = _peak(y[live])
        res = _peak(F) / np.maximum(peak, 1e-300)
        residual[live] = np.maximum(res, np.abs(mismatch / rho_target[live]))
        done = (res <= tol) & (np.abs(dmu) <= 0.25 * mu_tol)
        converged[live[done]] = True
        # μ moves by no more than half the largest gap in one step (as the nested search):
        # the grading's largest scale, which is |Δ|/2 at its largest node
        half = np.max([np.max(g.scale, axis=1) for g in grading], axis=0)
        keep = ~done & (peak > floor[live]) & np.isfinite(dmu) & np.all(np.isfinite(dy), (1, 2))
        y[live[keep]] -= dy[keep]
        mu[live[keep]] -= np.clip(dmu, -half, half)[keep]
        live = live[keep]
    return JointSolution(y, mu, np.where(converged, residual, np.inf), converged, iterations)
