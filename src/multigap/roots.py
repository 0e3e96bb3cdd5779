"""The batched root finder of multigap: vectorised bracketing and Illinois iteration.

The scalar equations the solvers meet in batches — a band energy E_n(kz) from the
dispersion at many kz, Tc from λ_max(T) = 1, the superconducting μ from the number
equation, μ(T) at fixed density — are independent monotonic-in-the-bracket problems.
This module solves such batches together: :func:`secant_steps` tries a few safeguarded
secant steps from two first values (the functions are smooth and nearly linear near
their roots, so this usually ends the search); for what it leaves, :func:`expand_bracket`
walks outwards until the sign changes, and :func:`bracketed_root` converges every
bracket by the Illinois (modified regula falsi) method, with a bisection step when a
secant step leaves the bracket or stalls. :func:`secant_root` chains the three from one
value and a first step. (Single scalar roots, in the band-edge search
and the inverse problem of :mod:`multigap.superlattice.kronig_penney`, use
:func:`scipy.optimize.brentq`.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "RootResult",
    "bracketed_root",
    "deflation_factor",
    "expand_bracket",
    "secant_root",
    "secant_steps",
]

#: f(x, index) -> values: evaluates the problems ``index`` of the batch at x.
BatchFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class RootResult:
    """Roots of a batch.

    Attributes
    ----------
    x : numpy.ndarray
        The last iterate of every problem.
    residual : numpy.ndarray
        |f(x)|.
    converged : numpy.ndarray of bool
        The bracket shrank below ``xtol`` (or f hit 0 exactly).
    evaluations : int
        Batched calls of f.
    """

    x: np.ndarray
    residual: np.ndarray
    converged: np.ndarray
    evaluations: int


def bracketed_root(
    f: BatchFunction,
    a: np.ndarray,
    b: np.ndarray,
    fa: np.ndarray,
    fb: np.ndarray,
    *,
    xtol: float | np.ndarray,
    maxiter: int = 200,
    ftol: float = 0.0,
    distance: bool = False,
) -> RootResult:
    """Solve f(x) = 0 for every bracket [a, b] with f(a)·f(b) <= 0.

    Parameters
    ----------
    f : callable
        ``f(x, index)`` evaluates the problems ``index`` at the points ``x``.
    a, b, fa, fb : numpy.ndarray, shape (m,)
        Bracket ends and the values of f there.
    xtol : float or numpy.ndarray
        Absolute tolerance on x (per problem if an array).
    maxiter : int
        Iterations allowed.
    ftol : float
        A point with |f| <= ftol is accepted at once.
    distance : bool
        Also accept an iterate whose distance to the root, estimated from the bracket's
        secant slope as |f(x)|·|b − a|/|f(b) − f(a)|, is below ``xtol``/4 (for nearly
        linear f this saves the steps that only close the far end of the bracket).

    Returns
    -------
    RootResult
        Where f(a) and f(b) have the same sign (a root at an end, pushed just outside by
        rounding), x is the end with the smaller |f| and ``converged`` is False; so it is
        where f returned NaN or ±inf at an iterate.
    """
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    fa, fb = np.array(fa, dtype=float), np.array(fb, dtype=float)
    xtol = np.broadcast_to(np.asarray(xtol, dtype=float), a.shape)
    x = np.where(np.abs(fa) <= np.abs(fb), a, b)
    fx = np.where(np.abs(fa) <= np.abs(fb), fa, fb)
    side = np.zeros(a.shape, dtype=int)
    # no sign change (a root at an end, pushed outside by rounding): keep the better end
    invalid = (np.sign(fa) == np.sign(fb)) & (fa != 0) & (fb != 0)
    done = (np.abs(b - a) <= xtol) | (np.abs(fx) <= ftol) | invalid
    live = np.flatnonzero(~done)
    evaluations = 0
    for it in range(maxiter):
        if live.size == 0:
            break
        al, bl, fal, fbl = a[live], b[live], fa[live], fb[live]
        with np.errstate(invalid="ignore", divide="ignore"):
            xn = (al * fbl - bl * fal) / (fbl - fal)
        lo, hi = np.minimum(al, bl), np.maximum(al, bl)
        bisect = ~np.isfinite(xn) | (xn <= lo) | (xn >= hi) | (it % 16 == 15)
        xn = np.where(bisect, 0.5 * (al + bl), xn)
        fn = np.asarray(f(xn, live), dtype=float)
        evaluations += 1
        broken = ~np.isfinite(fn)  # f could not be evaluated there: give the problem up
        invalid[live[broken]] = True
        same_as_a = np.sign(fn) == np.sign(fal)
        # Illinois: halve the stale end's value when the same end is replaced twice
        a[live] = np.where(same_as_a, xn, al)
        fa[live] = np.where(same_as_a, fn, np.where(side[live] == -1, 0.5 * fal, fal))
        b[live] = np.where(same_as_a, bl, xn)
        fb[live] = np.where(same_as_a, np.where(side[live] == 1, 0.5 * fbl, fbl), fn)
        side[live] = np.where(same_as_a, 1, -1)
        x[live], fx[live] = xn, fn
        finished = (
            (np.abs(b[live] - a[live]) <= xtol[live]) | (np.abs(fn) <= ftol) | (fn == 0) | broken
        )
        if distance:
            with np.errstate(invalid="ignore", divide="ignore"):
                near = np.abs(fn) * np.abs(bl - al) / np.abs(fbl - fal) <= 0.25 * xtol[live]
            finished |= near & ~bisect
        done[live[finished]] = True
        live = live[~finished]
    return RootResult(x=x, residual=np.abs(fx), converged=done & ~invalid, evaluations=evaluations)


def expand_bracket(
    f: BatchFunction,
    x0: np.ndarray,
    f0: np.ndarray,
    step: np.ndarray,
    *,
    grow: float = 2.0,
    maxsteps: int = 40,
    limit: np.ndarray | None = None,
    secant: bool = False,
):
    """Walk from x0 in the direction of *step* (growing it) until f changes sign.

    Parameters
    ----------
    f : callable
        ``f(x, index)`` as in :func:`bracketed_root`.
    x0, f0 : numpy.ndarray, shape (m,)
        Start points and f there.
    step : numpy.ndarray, shape (m,)
        First step (signed). A secant step towards the root is a good choice.
    grow : float
        Factor by which the step grows after each step without a sign change.
    maxsteps : int
        Steps allowed.
    limit : numpy.ndarray, optional
        x is not moved beyond these values (a last step lands on them).
    secant : bool
        Size each next step from the secant through the last two points (1.5× the
        distance to its root, between 1 and 8 times the last step), not by ``grow``.

    Returns
    -------
    a, b, fa, fb : numpy.ndarray
        Brackets (a is the last point before the sign change).
    found : numpy.ndarray of bool
        Where a sign change was found.
    evaluations : int
    """
    a, fa = np.array(x0, dtype=float), np.array(f0, dtype=float)
    b, fb = a.copy(), fa.copy()
    step = np.array(step, dtype=float)
    found = fa == 0
    live = np.flatnonzero(~found & np.isfinite(fa) & np.isfinite(step))
    evaluations = 0
    for _ in range(maxsteps):
        if live.size == 0:
            break
        x_old, f_old, st = a[live], fa[live], step[live]
        xn = x_old + st
        if limit is not None:
            lim = np.asarray(limit, dtype=float)[live]
            xn = np.where(st > 0, np.minimum(xn, lim), np.maximum(xn, lim))
        fn = np.asarray(f(xn, live), dtype=float)
        evaluations += 1
        broken = ~np.isfinite(fn)  # f could not be evaluated there: no bracket
        changed = (np.sign(fn) != np.sign(f_old)) & ~broken
        hit = live[changed]
        b[hit], fb[hit], found[hit] = xn[changed], fn[changed], True
        # with secant steps, a step that moved away from the root turns the walk round
        away = ~changed & (np.abs(fn) > np.abs(f_old)) if secant else np.zeros(live.size, bool)
        away &= ~broken
        step[live[away]] = -grow * st[away]
        adv = ~changed & ~away & ~broken
        if secant:  # aim past the secant estimate of the root, within [1, 8] × the step
            with np.errstate(divide="ignore", invalid="ignore"):
                s = (xn - x_old) * fn / (f_old - fn)
            towards = np.isfinite(s) & (np.sign(s) == np.sign(st))
            size = np.where(
                towards, np.clip(1.5 * np.abs(s), np.abs(st), 8 * np.abs(st)), grow * np.abs(st)
            )
            step[live[adv]] = (np.sign(st) * size)[adv]
        else:
            step[live[adv]] = grow * st[adv]
        a[live[adv]], fa[live[adv]] = xn[adv], fn[adv]
        live = live[~changed & ~broken]
        if limit is not None and live.size:
            live = live[a[live] != np.asarray(limit, dtype=float)[live]]
    return a, b, fa, fb, found, evaluations


def secant_steps(
    f: BatchFunction,
    x1: np.ndarray,
    f1: np.ndarray,
    x2: np.ndarray,
    f2: np.ndarray,
    *,
    xtol: float | np.ndarray,
    increasing: bool,
    max_step: float | np.ndarray,
    lower: float | np.ndarray = -np.inf,
    upper: float | np.ndarray = np.inf,
    steps: int = 4,
    ftol: float = 0.0,
):
    """Safeguarded secant steps for a batch of monotonic f, from two values per problem.

    A problem is done when the secant's estimate of its distance to the root,
    |f2|·|x2 − x1|/|f2 − f1|, is below a quarter of ``xtol``, or |f2| <= ftol. A step is
    taken only where the secant slope has the sign of the monotonic f, the step is no
    longer than ``max_step`` and the new x lies strictly inside (lower, upper); a problem
    refused a step, or not done after ``steps`` steps, is left for a bracketing search
    (:func:`expand_bracket`, :func:`bracketed_root`) from its last two values.

    Parameters
    ----------
    f : callable
        ``f(x, index)`` as in :func:`bracketed_root`.
    x1, f1, x2, f2 : numpy.ndarray, shape (m,)
        Two points per problem and f there (x2 the newer).
    xtol : float or numpy.ndarray
        Tolerance on x.
    increasing : bool
        Whether f increases with x.
    max_step : float or numpy.ndarray
        Longest step allowed (per problem if an array).
    lower, upper : float or numpy.ndarray
        Bounds of x.
    steps : int
        Secant steps allowed.
    ftol : float
        A value with |f| <= ftol is a root.

    Returns
    -------
    x1, f1, x2, f2 : numpy.ndarray
        The last two points of every problem (x2 the last, the root where done).
    done : numpy.ndarray of bool
    """
    x1, f1, x2, f2 = (np.array(v, dtype=float) for v in (x1, f1, x2, f2))
    xtol, max_step, lower, upper = (
        np.broadcast_to(np.asarray(v, dtype=float), x1.shape)
        for v in (xtol, max_step, lower, upper)
    )

    def settled(i):
        with np.errstate(divide="ignore", invalid="ignore"):
            near = np.abs(f2[i]) * np.abs(x2[i] - x1[i]) / np.abs(f2[i] - f1[i])
        # a secant across more than one allowed step is not trusted to measure distance
        trusted = np.abs(x2[i] - x1[i]) <= max_step[i]
        return (np.abs(f2[i]) <= ftol) | ((near <= 0.25 * xtol[i]) & trusted)

    done = settled(np.arange(x1.size)) & np.isfinite(f2)
    live = np.flatnonzero(~done & np.isfinite(f1) & np.isfinite(f2))
    for _ in range(steps):
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (f2[live] - f1[live]) / (x2[live] - x1[live])
            x = x2[live] - f2[live] / slope
        safe = ((slope > 0) if increasing else (slope < 0)) & np.isfinite(x)
        safe &= (np.abs(x - x2[live]) <= max_step[live]) & (x > lower[live]) & (x < upper[live])
        live, x = live[safe], x[safe]
        if live.size == 0:
            break
        fx = np.asarray(f(x, live), dtype=float)
        x1[live], f1[live], x2[live], f2[live] = x2[live], f2[live], x, fx
        now = settled(live) & np.isfinite(fx)
        done[live[now]] = True
        live = live[~now & np.isfinite(fx)]
    return x1, f1, x2, f2, done


def secant_root(
    f: BatchFunction,
    x0: np.ndarray,
    f0: np.ndarray,
    step: np.ndarray,
    *,
    xtol: float,
    increasing: bool,
    max_step: np.ndarray,
    ftol: float = 0.0,
    bracket_step: np.ndarray | None = None,
    maxsteps: int = 40,
):
    """The roots of a batch of monotonic f from one value each and a first step: f at
    x0 + step, :func:`secant_steps` from the two, and for the problems those leave, a
    bracket walked from x0 (:func:`expand_bracket` with ``bracket_step``, by default
    ``step``, at most ``maxsteps`` steps) converged by :func:`bracketed_root`.

    A problem whose step is not finite gets no evaluation beyond f0 and is not found.

    Returns
    -------
    x : numpy.ndarray
        The roots (where not found, the better end of the last bracket).
    found : numpy.ndarray of bool
        Settled by the secant, or bracketed.
    converged : numpy.ndarray of bool
    """
    x1, f1 = x0 + np.nan_to_num(step), np.full(x0.shape, np.nan)
    moving = np.flatnonzero(np.isfinite(step))
    if moving.size:
        f1[moving] = f(x1[moving], moving)
    _, _, x, _, done = secant_steps(
        f, x0, f0, x1, f1, xtol=xtol, increasing=increasing, max_step=max_step, ftol=ftol
    )
    found, converged = done.copy(), done.copy()
    rest = np.flatnonzero(~done)
    if rest.size:

        def part(v, i):
            return f(v, rest[i])

        first = (step if bracket_step is None else bracket_step)[rest]
        a, b, fa, fb, hit, _ = expand_bracket(
            part, x0[rest], f0[rest], first, secant=True, maxsteps=maxsteps
        )
        root = bracketed_root(part, a, b, fa, fb, xtol=xtol, ftol=ftol)
        x[rest], found[rest], converged[rest] = root.x, hit, hit & root.converged
    return x, found, converged


def deflation_factor(y: np.ndarray, step: np.ndarray) -> np.ndarray:
    """τ of the deflated Newton step y − τ·step that removes the root y = 0, per problem
    of a batch (the first axis; y and step of any shape beyond it).

    With the deflation M(y) = |y|⁻², the Newton step of M·F is the plain one scaled by
    τ = 1/(1 − 2 y·step/|y|²) (Farrell, Birkisson and Funke, SIAM J. Sci. Comput. 37,
    A2026 (2015)). A step that heads for y = 0 (step ≈ y) is turned round (τ ≈ −1);
    near a nontrivial root τ → 1 and the convergence stays quadratic. τ is kept in
    [−2, 2].
    """
    m = y.shape[0]
    yy = np.maximum(np.sum(y.reshape(m, -1) ** 2, axis=1), 1e-300)
    ys = np.sum((y * step).reshape(m, -1), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = 1.0 / (1.0 - 2.0 * ys / yy)
    return np.clip(np.nan_to_num(tau, nan=1.0, posinf=2.0, neginf=-2.0), -2.0, 2.0)
