"""The isotope coefficient α = ½ ∂ ln Tc/∂ ln ω0, by differences in ln ω0 that respect
the sharp cut-off's kinks.

With the sharp cut-off, Tc(ω0) has kinks where an edge of the pairing window μ ± ω̃
meets a band edge. Central differences across a kink would average two one-sided
derivatives and report a value that belongs to neither side; here the stencil stays on
the point's side, and the one-sided values on both sides of the kink are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from multigap.errors import ParameterError
from multigap.pairing.cutoff import migdal_cutoff
from multigap.solvers.results import IsotopeResult
from multigap.solvers.solve import CODE, STATUS

if TYPE_CHECKING:
    from multigap.solvers.model import Model

__all__ = ["isotope_batch", "isotope_coefficient", "window_kinks"]


def window_kinks(model: Model, mu: float, omega) -> tuple[np.ndarray, np.ndarray]:
    """The nearest window-edge kink of Tc in ln ω0, for cut-offs ω̃ (eV) at μ (eV).

    With the sharp cut-off, Tc(ω0) has a kink wherever an edge of the window μ ± ω̃
    meets a band edge E_e (the bottom or top of a kept band): ω̃ = |μ − E_e|. As
    ω̃ ∝ ω0 at fixed g, the kink lies at ln ω0 + d with d = ln(|μ − E_e|/ω̃).

    Returns
    -------
    d : numpy.ndarray
        The signed distance in ln ω0 to the nearest kink of each ω̃.
    eta_kink : numpy.ndarray
        The Lifshitz parameter at which that kink lies at this ω̃ (the window edge
        μ ∓ ω̃ on the band edge).
    """
    omega = np.atleast_1d(np.asarray(omega, dtype=float))
    edges = model.subbands.edges.ravel()
    gap = np.abs(mu - edges)
    with np.errstate(divide="ignore"):
        d = np.log(gap[None, :] / omega[:, None])
    d = np.where(gap[None, :] > 0, d, np.inf)
    k = np.argmin(np.abs(d), axis=1)
    nearest = d[np.arange(omega.size), k]
    e = edges[k]
    side = np.where(mu >= e, 1.0, -1.0)
    sb = model.subbands
    eta_kink = (e + side * omega - sb.lifshitz_energy) / sb.tuned_width
    return nearest, eta_kink


def isotope_batch(
    model: Model, mu: float, g: np.ndarray, Tc: np.ndarray, step: float = 0.02
) -> dict[str, np.ndarray]:
    """α for many couplings g (m, n, n) at μ_N = mu (eV), given their Tc (K; > 0).

    Away from the window-edge kinks: central differences in ln ω0 with steps h and
    h/2, combined by Richardson extrapolation; the error estimate is the distance to
    the coarse-step value. Where the stencil ±h would reach a kink (status
    ``window_edge``): one-sided differences that stay on the point's side, with a
    step no larger than a quarter of the distance to the kink, and the same
    differences at the mirror point across the kink; the error estimate adds the
    rounding of Tc (tc_rtol) divided by the step.

    Returns
    -------
    dict
        ``alpha``, ``error`` (an error estimate), ``status`` codes, ``alpha_below``
        and ``alpha_above`` (the one-sided values just below and above the kink in
        η, NaN away from kinks), ``eta_kink`` and ``distance`` (to the kink in ln ω0).
    """
    m = g.shape[0]
    omega = np.atleast_1d(migdal_cutoff(model.pairing.omega0, g))
    d, eta_kink = window_kinks(model, mu, omega)
    edge = np.abs(d) <= 1.05 * step
    h = np.where(edge, np.minimum(step, np.abs(d) / 4), step)
    s = np.where(d > 0, -1.0, 1.0)  # away from the kink
    # ln ω0 offsets: central (h, h/2, −h/2, −h); at an edge: own side (s h/2, s h),
    # and the mirror point 2d with its own side (2d, 2d − s h/2, 2d − s h)
    zero = np.zeros(m)
    offsets = np.where(
        edge[:, None],
        np.stack([s * h / 2, s * h, 2 * d, 2 * d - s * h / 2, 2 * d - s * h], 1),
        np.stack([h, h / 2, -h / 2, -h, zero], 1),
    )
    k = offsets.shape[1]
    w0 = model.pairing.omega0 * np.exp(offsets)
    om = (w0 * np.atleast_1d(migdal_cutoff(1.0, g))[:, None]).ravel()  # ω̃ is linear in ω0
    T = np.repeat(np.asarray(Tc, dtype=float), k)
    roots, _ = model.tc_batch(mu, np.repeat(g, k, axis=0), om, bracket=(0.5 * T, 2.0 * T))
    lt = np.log(np.where(roots.status == 0, roots.Tc, np.nan)).reshape(m, k)
    f0 = np.log(np.asarray(Tc, dtype=float))
    # central
    a1 = (lt[:, 0] - lt[:, 3]) / (4 * h)
    a2 = (lt[:, 1] - lt[:, 2]) / (2 * h)
    central = (4 * a2 - a1) / 3
    # one-sided: D(h) = (f(sh) − f0)/(sh), R = 2D(h/2) − D(h), α = R/2
    half = (lt[:, 0] - f0) / (s * h / 2)
    own = (2 * half - (lt[:, 1] - f0) / (s * h)) / 2
    m_half = (lt[:, 3] - lt[:, 2]) / (-s * h / 2)
    across = (2 * m_half - (lt[:, 4] - lt[:, 2]) / (-s * h)) / 2
    rounding = 2 * model.numerics.tc_rtol / h
    alpha = np.where(edge, own, central)
    error = np.where(edge, np.abs(own - half / 2) + rounding, np.abs(central - a1) + rounding)
    used = np.where(edge[:, None], np.ones((m, k), bool), np.arange(k) < 4)
    bad = (roots.status.reshape(m, k) != 0) & used
    status = np.where(edge, CODE["window_edge"], CODE["ok"])
    status = np.where(bad.any(axis=1), roots.status.reshape(m, k).max(axis=1), status)
    # which side of the kink the point lies on, in η: the window edge that meets the
    # band edge moves with η like μ, so d > 0 (the kink at larger ω̃) means the point is
    # on the side where the window edge has not yet reached the band edge
    eta_point = (mu - model.subbands.lifshitz_energy) / model.subbands.tuned_width
    below = eta_point < eta_kink
    nan = np.full(m, np.nan)
    return {
        "alpha": alpha,
        "error": error,
        "status": status,
        "alpha_below": np.where(edge, np.where(below, own, across), nan),
        "alpha_above": np.where(edge, np.where(below, across, own), nan),
        "eta_kink": np.where(edge, eta_kink, nan),
        "distance": d,
    }


def isotope_coefficient(
    model: Model,
    eta: float | None = None,
    *,
    g: float | None = None,
    mu: float | None = None,
    step: float = 0.02,
) -> IsotopeResult:
    """α = ½ ∂ ln Tc/∂ ln ω0 at fixed g and η (see :meth:`Model.isotope_coefficient`)."""
    if not (isinstance(step, (int, float)) and np.isfinite(step) and 0 < step < 0.5):
        raise ParameterError("step", step, "a step in ln(omega0) in (0, 0.5)")
    mu_n, gm = model.mu_normal(eta, mu), model.coupling(g)
    base = model.critical_temperature(mu=mu_n, g=g)
    context: dict[str, Any] = dict(
        eta=eta,
        g=float(gm[model.tuned, model.tuned]),
        parameters=model.point_parameters(eta, mu_n, gm, step=step),
    )
    if base.status not in ("ok", "outside_weak_coupling"):
        return IsotopeResult(np.nan, np.nan, base.Tc, step, base.status, **context)
    r = isotope_batch(model, mu_n, gm[None], np.array([base.Tc]), step)
    code = int(r["status"][0])
    if code == CODE["ok"] and base.status != "ok":
        code = CODE[base.status]
    return IsotopeResult(
        alpha=float(r["alpha"][0]),
        error=float(r["error"][0]),
        Tc=base.Tc,
        step=step,
        status=STATUS[code],
        alpha_below=float(r["alpha_below"][0]),
        alpha_above=float(r["alpha_above"][0]),
        eta_kink=float(r["eta_kink"][0]),
        **context,
    )
