"""The kx (wires) and k∥ (wells) integrals over the sharp pairing window |ξ| < ω̃.

Everything the pairing needs from the free direction(s) is an integral over kx at fixed
kz, ξ = HB2M kx²/m_x + e with e = E_n(kz) − μ:

* the pair susceptibility χ(e; T, Δ, ω̃) = ∫dkx/2π θ(ω̃ − |ξ|) tanh(E/2T)/(2E),
  E = sqrt(ξ² + Δ²) (T = 0: 1/(2E); Δ = 0: the linearised kernel tanh(ξ/2T)/(2ξ));
* its derivative ∂χ/∂Δ (the Jacobian of the gap equation);
* the pairing change of the density, ∫dkx/2π θ(ω̃ − |ξ|) [tanh(ξ/2T) − (ξ/E) tanh(E/2T)]
  (both spins), the number equation's correction to the normal state;
* the pairing change of the entropy;
* the Fermi-surface weights of the current response, ∫ Y(E) and ∫ (ξ − e) Y(E) with
  Y = −∂f/∂E, over every ξ (inside the window E = sqrt(ξ² + Δ²), outside E = |ξ|): the
  paramagnetic terms of the phase stiffness.

Wires integrate in y = sqrt(HB2M/m_x)·kx on Gauss–Legendre panels graded geometrically on
both sides of the Fermi crossing y0 = sqrt(−e), from an innermost width set by max(2T, Δ);
integrating in kx (not ξ) keeps the kx band bottom regular. Wells integrate in ξ, the
measure of two free directions. Temperatures here are k_B T in eV.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from multigap.quadrature import crossing_breakpoints, panels

__all__ = [
    "pair_kernel",
    "state_entropy",
    "kx_rule",
    "xi_rule",
    "window_rule",
    "window_integral",
    "chemical_terms",
    "window_edges",
    "window_entropy",
    "fermi_weights",
    "heat_weights",
]


def pair_kernel(E: np.ndarray, T) -> np.ndarray:
    """tanh(E/2T)/(2E), with its limits 1/(4T) at E = 0 and 1/(2E) at T = 0 (T may be an array)."""
    E = np.abs(E)
    T = np.asarray(T, dtype=float)
    cold = T == 0.0
    Ts = np.where(cold, 1.0, T)
    x = E / (2.0 * Ts)
    small = x < 1e-6
    warm = np.where(
        small, (1.0 - x * x / 3.0) / (4.0 * Ts), np.tanh(x) / (2.0 * np.where(small, 1.0, E))
    )
    if not np.any(cold):
        return warm
    with np.errstate(divide="ignore"):
        return np.where(cold, 0.5 / E, warm)


def state_entropy(x: np.ndarray) -> np.ndarray:
    """Entropy of a pair of spin states at energy |x|·k_B T: 2[ln(1 + e^{−x}) + x/(e^x + 1)]."""
    x = np.abs(x)
    return 2.0 * (np.log1p(np.exp(-x)) + x * expit(-x))


def kx_rule(
    offset: np.ndarray,
    xi_lo: float | np.ndarray,
    xi_hi: np.ndarray,
    scale: np.ndarray,
    *,
    order: int,
    levels: int,
):
    """Graded Gauss–Legendre nodes y = sqrt(HB2M/m_x)·kx on {y >= 0 : xi_lo <= y² + e <= xi_hi}.

    Parameters
    ----------
    offset : numpy.ndarray
        e = E_n(kz) − μ in eV.
    xi_lo, xi_hi : float or numpy.ndarray
        The range of ξ integrated over, in eV.
    scale : numpy.ndarray
        Energy width of the innermost panels at the crossing (2T or Δ), in eV.
    order : int
        Nodes per panel.
    levels : int
        At least this many panels on each side of the crossing; more are added
        until the panels, doubling outwards, span the range.

    Returns
    -------
    y, w : numpy.ndarray, shape offset.shape + (k,)
        Nodes (eV^½) and weights; empty panels have zero weight.
    """
    e = np.asarray(offset, dtype=float)
    y_lo = np.sqrt(np.maximum(xi_lo - e, 0.0))
    y_hi = np.sqrt(np.maximum(xi_hi - e, 0.0))
    y0 = np.clip(np.sqrt(np.maximum(-e, 0.0)), y_lo, y_hi)
    width = 0.5 * scale / (2.0 * y0 + np.sqrt(scale))
    span = np.max(np.maximum(y_hi - y0, y0 - y_lo) / width, initial=1.0)
    need = int(np.ceil(np.log2(span + 1.0))) + 1  # levels that span the range
    levels = max(need, min(levels, need + 2))
    return panels(crossing_breakpoints(y_lo, y_hi, y0, width, levels), order)


def xi_rule(offset: np.ndarray, xi_lo, xi_hi, scale: np.ndarray, *, order: int, levels: int):
    """Graded Gauss–Legendre nodes ξ (eV) and weights on [max(ξ_lo, e), ξ_hi]: the measure
    of two free directions, where ∫d²k/(2π)² = N2D ∫dξ over ξ >= e. Panels are graded on
    both sides of ξ = 0 down to ``scale``; empty ranges have zero weight.
    """
    e = np.asarray(offset, dtype=float)
    lo = np.maximum(np.broadcast_to(np.asarray(xi_lo, dtype=float), e.shape), e)
    hi = np.maximum(np.broadcast_to(np.asarray(xi_hi, dtype=float), e.shape), lo)
    width = 0.5 * np.broadcast_to(scale, e.shape)
    span = np.max(np.maximum(hi, -lo) / width, initial=1.0)
    need = int(np.ceil(np.log2(span + 1.0))) + 1  # levels that span the range
    levels = max(need, min(levels, need + 2))
    return panels(crossing_breakpoints(lo, hi, np.clip(0.0, lo, hi), width, levels), order)


def _window_nodes(measure: str, e, omega, scale, order, levels):
    """ξ and weights of the window |ξ| <= ω̃ in the measure of the free motion."""
    if measure == "wells":
        xi, w = xi_rule(e, -omega, omega, scale, order=order, levels=levels)
    else:
        y, w = kx_rule(e, -omega, omega, scale, order=order, levels=levels)
        xi = y * y + e[..., None]
    return xi, np.where(np.abs(xi) <= omega[..., None], w, 0.0)


def window_rule(
    offset, T: ArrayLike, cutoff, grading, *, order: int, levels: int, measure: str = "wires"
) -> tuple[np.ndarray, np.ndarray]:
    """The nodes ξ (eV) and weights of the window |ξ| <= ω̃ graded for gaps of size
    ``grading`` (eV, like a gap) at k_B T = T (eV): the innermost panels have the width
    max(2T, |grading|). Shapes offset.shape + (k,).

    A solver computes this once and passes it to :func:`window_integral` as ``rule``, so
    that its equations keep one rule (and it is not rebuilt) between iterations.
    """
    e = np.asarray(offset, dtype=float)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    G = np.abs(np.broadcast_to(np.asarray(grading, dtype=float), e.shape))
    scale = np.maximum(np.maximum(2.0 * T, G), 1e-12 * np.max(omega))
    return _window_nodes(measure, e, omega, scale, order, levels)


def window_integral(
    offset,
    T: ArrayLike,
    cutoff,
    gap=None,
    *,
    order: int,
    levels: int,
    derivative: bool = False,
    density: bool = False,
    chemical: bool = False,
    grading=None,
    rule: tuple[np.ndarray, np.ndarray] | None = None,
    measure: str = "wires",
):
    """∫ θ(ω̃ − |ξ|) tanh(E/2T)/(2E) (and its companions) in the free motion's measure.

    For wires the measure is dy with ξ = y² + e (y in eV^½, the result in eV^-½); for
    wells it is dξ over ξ >= e. The companions are ∂/∂Δ of the same integral and
    ∫ θ [tanh(ξ/2T) − (ξ/E) tanh(E/2T)], written without cancellation. ``grading``
    (eV, like ``gap``) sets the innermost panel width instead of the gap itself, so that a
    solver's equations keep one rule between iterations; ``rule`` (from
    :func:`window_rule`) gives that rule's nodes, computed once.

    ``chemical`` (wires only; with ``derivative`` and ``density``) adds what a joint
    Newton on the gaps and μ needs, see :func:`chemical_terms`.
    """
    e = np.asarray(offset, dtype=float)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    D = np.zeros(e.shape) if gap is None else np.abs(np.broadcast_to(gap, e.shape))
    floor = 1e-12 * np.max(omega)
    if rule is None:
        G = D if grading is None else grading
        rule = window_rule(e, T, omega, G, order=order, levels=levels, measure=measure)
    xi, w = rule
    Dk = np.maximum(D, floor)[..., None]
    E = np.hypot(xi, Dk)
    if chemical and (measure != "wires" or not (derivative and density)):
        raise ValueError("the chemical terms are for wires, with the derivative and density")
    if not np.any(T):
        out = _cold_terms(xi, E, Dk, w, derivative, density)
        if not chemical:
            return out
        return out + chemical_terms(xi, E, Dk, w, None, None, e, omega, T)
    Tk = T[..., None]
    Ts = np.where(Tk > 0, Tk, 1.0)
    # E >= the floor > 0, so tanh(E/2T)/(2E) needs no special case at E = 0
    th = np.tanh(E / (2.0 * Ts))
    k = np.where(Tk > 0, th, 1.0) / (2.0 * E)
    out = [np.sum(w * k, axis=-1)]
    if derivative or chemical:  # sech²(E/2T)/(4T) = ∂/∂E [tanh(E/2T)/2]
        sech2 = np.where(Tk > 0, 1.0 - th * th, 0.0) / (4.0 * Ts)
    if derivative:
        # ∂/∂Δ [tanh(E/2T)/(2E)] = (Δ/E²)[sech²(E/2T)/(4T) − tanh(E/2T)/(2E)]
        out.append(np.sum(w * (Dk / E**2) * (sech2 - k), axis=-1))
    if density:
        a = np.abs(xi)
        pair = Dk**2 / (E * (E + a))  # 1 − |ξ|/E, without cancellation
        # tanh(|ξ|/2T) − tanh(E/2T) = −sinh((E − |ξ|)/2T)/(cosh(|ξ|/2T) cosh(E/2T))
        with np.errstate(over="ignore", invalid="ignore"):
            cross = np.sinh(pair * E / (2.0 * Ts)) / (
                np.cosh(a / (2.0 * Ts)) * np.cosh(E / (2.0 * Ts))
            )
        warm = pair * th - np.nan_to_num(cross)
        term = np.where(Tk > 0, warm, pair)
        out.append(np.sum(w * np.sign(xi) * term, axis=-1))
    if chemical:
        out.extend(chemical_terms(xi, E, Dk, w, k, sech2, e, omega, T))
    return out[0] if len(out) == 1 else tuple(out)


def window_entropy(
    offset, T, cutoff, gap, *, order: int, levels: int, measure: str = "wires"
) -> np.ndarray:
    """∫ θ(ω̃ − |ξ|) [s(E/T) − s(|ξ|/T)] in the free motion's measure: the pairing change
    of the entropy per kz (units of k_B, both spins, mass-free); 0 at T = 0.
    """
    e = np.asarray(offset, dtype=float)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    D = np.abs(np.broadcast_to(gap, e.shape))
    scale = np.maximum(np.maximum(2.0 * T, D), 1e-12 * np.max(omega))
    xi, w = _window_nodes(measure, e, omega, scale, order, levels)
    Tk = np.where(T > 0, T, 1.0)[..., None]
    ds = state_entropy(np.hypot(xi, D[..., None]) / Tk) - state_entropy(xi / Tk)
    return np.sum(np.where(T[..., None] > 0, w * ds, 0.0), axis=-1)


def chemical_terms(xi, E, D, w, k, sech2, e, omega, T) -> tuple:
    """The μ-derivatives of the window's integrals at fixed nodes y (wires).

    They are what a joint Newton on the gaps and μ needs, from k = tanh(E/2T)/(2E) and
    sech²(E/2T)/(4T) at the nodes (so that k' = dk/dE = (sech²/(4T) − k)/E; both None at
    T = 0, where k' = −1/(2E²)), and from
    the offsets e, cut-offs ω̃ and k_B T (eV) for the window's edges, y = sqrt(±ω̃ − e),
    which move with e (dy/de = −1/(2y)):

    * ∂χ/∂e = ∫ (ξ/E) k' + k(E_ω̃)[1/(2y₋) − 1/(2y₊)], E_ω̃ = sqrt(ω̃² + Δ²);
    * ∂δρ/∂|Δ| = −2 ∫ ξ (Δ/E) k';
    * ∂ρ/∂μ = ∫ [2k + 2(ξ²/E) k'] = ∫ [2kΔ² + 2ξ² sech²/(4T)]/E² plus the edges', the
      paired state's compressibility (T = 0: ∫ Δ²/E³), in which the normal occupation's
      own μ-derivative (the Fermi surface, a δ-function at T = 0) has cancelled against
      the normal density's.

    An edge below the band bottom (y = 0) adds nothing. These are a Jacobian's entries:
    the kz nodes, which move with μ as well, are held.
    """
    if k is None:  # T = 0: k = 1/(2E), sech² = 0, so k' = −1/(2E²)
        inv3 = w / (E * E * E)
        xd = inv3 * xi
        chi_e, rho_gap = -0.5 * np.sum(xd, axis=-1), np.sum(xd * D, axis=-1)
        compressibility = np.sum(inv3 * D * D, axis=-1)
    else:
        slope = (sech2 - k) / E
        chi_e = np.sum(w * (xi / E) * slope, axis=-1)
        rho_gap = -2.0 * np.sum(w * xi * (D / E) * slope, axis=-1)
        compressibility = np.sum(w * (2.0 * k * D * D + 2.0 * xi * xi * sech2) / (E * E), -1)
    D1 = D[..., 0]
    chi_edge, compressibility_edge = window_edges(e, omega, D1, T)
    return chi_e + chi_edge, rho_gap, compressibility + compressibility_edge


def window_edges(e, omega, gap, T) -> tuple[np.ndarray, np.ndarray]:
    """The terms of ∂χ/∂e and of ∂ρ/∂μ that come from the window's edges y = sqrt(±ω̃ − e)
    moving with e (dy/de = −1/(2y); an edge below the band bottom adds nothing): χ's
    integrand there, k = tanh(E/2T)/(2E) at E = sqrt(ω̃² + Δ²), and δρ's,
    tanh(ω̃/2T) − (ω̃/E) tanh(E/2T) at ξ = +ω̃ (its negative at −ω̃). Wires; eV.
    """
    E = np.hypot(omega, gap)
    Ts = np.where(T > 0, T, 1.0)
    t_edge = np.where(T > 0, np.tanh(E / (2.0 * Ts)), 1.0)
    t_omega = np.where(T > 0, np.tanh(omega / (2.0 * Ts)), 1.0)
    with np.errstate(divide="ignore"):
        inv_hi = np.where(omega > e, 0.5 / np.sqrt(np.maximum(omega - e, 0.0)), 0.0)
        inv_lo = np.where(-omega > e, 0.5 / np.sqrt(np.maximum(-omega - e, 0.0)), 0.0)
    chi = t_edge / (2.0 * E) * (inv_lo - inv_hi)
    return chi, -(t_omega - (omega / E) * t_edge) * (inv_lo + inv_hi)


def _cold_terms(xi, E, D, w, derivative: bool, density: bool):
    """The T = 0 integrands: 1/(2E), −Δ/(2E³) and sign(ξ)Δ²/(E(E + |ξ|))."""
    inv = w / E
    out = [0.5 * np.sum(inv, axis=-1)]
    if derivative:
        out.append(-0.5 * np.sum(inv * D / (E * E), axis=-1))
    if density:
        out.append(np.sum(inv * np.sign(xi) * D * D / (E + np.abs(xi)), axis=-1))
    return out[0] if len(out) == 1 else tuple(out)


def fermi_window(E: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Y = −∂f/∂E = f(1 − f)/T = sech²(E/2T)/(4T), without overflow (T > 0, eV)."""
    x = E / T
    return expit(x) * expit(-x) / T


def _fermi_pieces(offset, T, cutoff, gap, *, order: int, levels: int, measure: str):
    """The nodes of the three pieces of ξ where −∂f/∂E matters (below, inside and above
    the window), as (ξ, weights, E, kinetic energy, inside) with k_B T > 0 per offset.
    """
    e = np.asarray(offset, dtype=float)
    Ts = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    D = np.abs(np.broadcast_to(np.asarray(gap, dtype=float), e.shape))
    scale = np.maximum(np.maximum(2.0 * Ts, np.sqrt(2.0 * D * Ts)), 1e-12 * np.max(omega))
    pieces = (
        (-omega - 40.0 * Ts, -omega, 0.0),
        (-omega, omega, 1.0),
        (omega, omega + 40.0 * Ts, 0.0),
    )
    for lo, hi, inside in pieces:
        grading = np.where(inside, scale, 2.0 * Ts)
        if measure == "wells":
            xi, w = xi_rule(e, lo, hi, grading, order=order, levels=levels)
            kinetic = xi - e[..., None]
        else:
            y, w = kx_rule(e, lo, hi, grading, order=order, levels=levels)
            kinetic = y * y
            xi = kinetic + e[..., None]
        yield xi, w, np.hypot(xi, inside * D[..., None]), kinetic, inside


def fermi_weights(
    offset, T, cutoff, gap, *, order: int, levels: int, measure: str = "wires"
) -> tuple[np.ndarray, np.ndarray]:
    """∫ Y(E) and ∫ (ξ − e) Y(E) over every ξ, in the free motion's measure (per kz).

    Y = −∂f/∂E at the quasiparticle energy: E = sqrt(ξ² + Δ²) inside the window
    |ξ| < ω̃, E = |ξ| outside it (Δ = 0 there). ``T`` is k_B T in eV; at T = 0 both
    vanish (a gapped spectrum has no thermal quasiparticles). For wires ξ − e = y² (the
    kinetic energy along x); for wells it is the in-plane kinetic energy.

    The window is integrated on panels graded down to max(2T, sqrt(2ΔT)), the width of
    Y about its peak; the two outer pieces, |ξ| from ω̃ to ω̃ + 40T, on panels graded
    from the window edge.
    """
    e = np.asarray(offset, dtype=float)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    if not np.any(T > 0):
        return np.zeros(e.shape), np.zeros(e.shape)
    Ts = np.where(T > 0, T, 1.0)
    w0, w1 = np.zeros(e.shape), np.zeros(e.shape)
    pieces = _fermi_pieces(e, Ts, cutoff, gap, order=order, levels=levels, measure=measure)
    for _, w, E, kinetic, _ in pieces:
        Y = np.where(T[..., None] > 0, fermi_window(E, Ts[..., None]), 0.0)
        w0 += np.sum(w * Y, axis=-1)
        w1 += np.sum(w * kinetic * Y, axis=-1)
    return w0, w1


def heat_weights(
    offset, T, cutoff, gap, *, order: int, levels: int, measure: str = "wires"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Fermi-surface moments of the specific heat per kz, in the free motion's measure:
    ∫ f(1 − f) (E/T)², ∫ f(1 − f) ξ/T over every ξ, and ∫ f(1 − f)/T over the window only
    (where Δ ≠ 0). ``T`` is k_B T in eV (> 0).

    With them, C = T dS/dT = Σ 2 f(1 − f)[(E/T)² + ξ μ'/T − Δ Δ'/T] (both spins, units of
    k_B): μ' and Δ' are the T-derivatives of μ and of the gap, and no difference of the
    entropy is taken, so there is no cancellation at low T.
    """
    e = np.asarray(offset, dtype=float)
    Ts = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    out = [np.zeros(e.shape) for _ in range(3)]
    pieces = _fermi_pieces(e, Ts, cutoff, gap, order=order, levels=levels, measure=measure)
    for xi, w, E, _, inside in pieces:
        x = E / Ts[..., None]
        occupancy = expit(x) * expit(-x)  # f(1 − f)
        out[0] += np.sum(w * occupancy * x * x, axis=-1)
        out[1] += np.sum(w * occupancy * xi / Ts[..., None], axis=-1)
        out[2] += inside * np.sum(w * occupancy / Ts[..., None], axis=-1)
    return out[0], out[1], out[2]
