"""The pair susceptibility of the wires in closed form: Carlson's R_F and Ozaki's poles.

Along a wire ξ = y² + e (y = sqrt(HB2M/m_x)·kx ≥ 0, e = E_n(kz) − μ), and the pair
susceptibility per kz is, in the measure dy,

    χ(e; T, Δ, ω̃) = ∫ dy θ(ω̃ − |ξ|) tanh(E/2T)/(2E),   E = sqrt(ξ² + Δ²).

Both factors of the integrand have closed-form antiderivatives once the Fermi factor is
taken apart:

* **where tanh(E/2T) = 1 to rounding** (E > X·k_B T, X = :data:`CUT` = 36, where
  1 − tanh(X/2) = 2e^{−36} ≈ 5e-16), the integrand is 1/(2E) and
  ∫ dy/sqrt((y² + p)(y² + q)), p = e + iΔ, q = p̄, is Carlson's symmetric integral:
  ∫_y^∞ = R_F(y², y² + p, y² + q) above the Fermi crossing y0 = sqrt(−e) and
  ∫_0^y = y·R_F(pq, q(p + y²), p(q + y²)) below it (each evaluated on its own side,
  so that neither is the small difference of two large logarithms when Δ → 0);
* **where E < X·k_B T**, Ozaki's continued-fraction expansion
  tanh(x/2) = Σ_p 4R_p x/(x² + z_p²) (:func:`ozaki_poles`), exact to rounding for
  |x| <= X with :data:`POLES` = 16 poles, turns the integrand into
  Σ_p 2R_p T/(ξ² + Δ² + z_p²T²); each term integrates to
  (1/a) Im[arctan(y/√c)/√c], c = e − ia, a² = Δ² + z_p²T².

The same poles give the Fermi-window weights of the phase stiffness,
∫ f(1 − f)/T and ∫ y² f(1 − f)/T (:func:`wire_fermi_weights`), through
f(1 − f) = ½ d tanh(x/2)/dx. The pole count does not depend on ω̃/T: the expansion is
only used where E/k_B T < X.
The results agree with adaptive quadrature to about 1e-12 relative over
e inside, at and beyond the window edges, Δ → 0, T → 0 and ω̃/T up to 1e5
(``tests/crosschecks/test_exact_kx.py``). Energies in eV; T is k_B T in eV.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.special import dawsn, elliprd, elliprf, erfcx

__all__ = [
    "CUT",
    "LAYER",
    "LAYER_POLES",
    "POLES",
    "kx_integral_rule",
    "ozaki_poles",
    "wire_density",
    "wire_fermi_weights",
    "wire_susceptibility",
]

#: Beyond E = CUT·k_B T, tanh(E/2T) = 1 to rounding (2e^{−CUT} ≈ 4.6e-16).
CUT = 36.0
#: Ozaki poles used for E < CUT·k_B T (14 reach rounding there; two spare).
POLES = 16
#: How the maps' gap and number equations integrate over kx.
MAP_GAPPED = "graded quadrature at T = 0, closed form at T > 0"


def kx_integral_rule(chi_table: bool, structure: str) -> dict[str, object]:
    """How the kx integrals of the pair susceptibility are done, for the outputs' record.

    Parameters
    ----------
    chi_table : bool
        The map numerics: the linearised χ from the universal table and the gap and
        number equations' integrals at T = 0 by the kx quadrature (cheaper there on a
        map's coarse rule), at T > 0 in closed form; otherwise all in closed form.
    structure : {"wires", "wells"}
        Wires have one free direction (closed form); wells two (quadrature in the plane).

    Returns
    -------
    dict
        ``linearised``, ``gapped``, ``density_change``, ``normal_density``,
        ``fermi_weights`` (the stiffness's paramagnetic weights) and ``heat_moments`` (the
        specific heat's, which must resolve exponentially small values: always the graded
        quadrature) name the method; for the closed form, ``tanh_cut_kT`` (beyond it tanh = 1) and
        ``ozaki_poles`` (used below it), and for the occupation of the normal density
        ``occupation_layer_kT`` and ``occupation_poles`` (:func:`wire_density`).
    """
    keys = ("linearised", "gapped", "density_change", "normal_density", "fermi_weights")
    if structure != "wires":
        return dict.fromkeys(keys + ("heat_moments",), "graded quadrature")
    return {
        "linearised": "universal table" if chi_table else "closed form",
        "gapped": MAP_GAPPED if chi_table else "closed form",
        "density_change": MAP_GAPPED if chi_table else "closed form",
        "normal_density": "closed form",
        "fermi_weights": "closed form",
        "heat_moments": "graded quadrature",
        "tanh_cut_kT": CUT,
        "ozaki_poles": POLES,
        "occupation_layer_kT": LAYER,
        "occupation_poles": LAYER_POLES,
    }


@functools.cache
def ozaki_poles(n: int = POLES) -> tuple[np.ndarray, np.ndarray]:
    """Ozaki's poles z_p and residues R_p: tanh(x/2) ≈ Σ_p 4R_p x/(x² + z_p²).

    They are the reciprocals of the positive eigenvalues of the 2n × 2n tridiagonal
    matrix with off-diagonal 1/(2 sqrt((2m − 1)(2m + 1))), and R_p = (v_1p z_p/2)² from
    the first component of each eigenvector (T. Ozaki, Phys. Rev. B 75, 035123 (2007)).
    The Matsubara frequencies (2p + 1)π with R_p = 1 are the slow-converging special
    case.
    """
    m = np.arange(1, 2 * n)
    off = 1.0 / (2.0 * np.sqrt((2 * m - 1) * (2 * m + 1)))
    lam, vec = np.linalg.eigh(np.diag(off, 1) + np.diag(off, -1))
    pos = lam > 0
    z = 1.0 / lam[pos]
    residue = (vec[0, pos] * z / 2.0) ** 2
    order = np.argsort(z)
    return z[order], residue[order]


def _y_of(xi, e):
    """The y >= 0 with y² + e = ξ (0 where ξ < e: the band bottom)."""
    return np.sqrt(np.maximum(xi - e, 0.0))


def _across_crossing(ya, yb, e, gap, below, above, dtype=float):
    """∫_{ya}^{yb} from two antiderivative forms of one integrand: ``below(y, p, q)`` =
    ∫_0^y, used below the crossing y0 = sqrt(−e), and ``above(y, p, q)`` = ∫_y^∞ above it
    (p = e + iΔ, q = p̄), each piece on its own side, so that no large terms cancel as
    Δ → 0 (a piece across y0 is split there; it then needs Δ > 0). Only nonempty pieces
    are evaluated.
    """
    out = np.zeros(e.shape, dtype)
    live = yb > ya
    if not live.any():
        return out
    ya, yb, e, gap = ya[live], yb[live], e[live], gap[live]
    y0 = np.sqrt(np.maximum(-e, 0.0))
    p = e + 1j * gap
    q = np.conj(p)
    val = np.zeros(e.shape, dtype)
    lo, hi = np.minimum(ya, y0), np.minimum(yb, y0)  # the part below y0
    part = hi > lo
    val[part] = below(hi[part], p[part], q[part])
    deep = part & (lo > 0)  # a window that starts above the band bottom (∫_0^0 = 0)
    val[deep] -= below(lo[deep], p[deep], q[deep])
    lo, hi = np.maximum(ya, y0), np.maximum(yb, y0)  # the part above y0
    part = hi > lo
    pp, qq = p[part], q[part]
    val[part] += above(lo[part], pp, qq) - above(hi[part], pp, qq)
    out[live] = val
    return out


def _reciprocal_quartic(ya, yb, e, gap):
    """∫_{ya}^{yb} dy/sqrt((y² + e)² + Δ²) for ya <= yb, by Carlson's R_F: ∫_y^∞ =
    R_F(y², y² + p, y² + q) above the crossing, ∫_0^y = y R_F(pq, q(p + y²), p(q + y²))
    below it.
    """

    def above(y, p, q):
        return elliprf(y * y, y * y + p, y * y + q).real

    def below(y, p, q):
        return (y * elliprf(p * q, q * (p + y * y), p * (q + y * y))).real

    return _across_crossing(ya, yb, e, gap, below, above)


def _reciprocal_quartic_slope(ya, yb, e, gap):
    """∂/∂Δ of :func:`_reciprocal_quartic`, −Δ ∫_{ya}^{yb} dy/E³, by Carlson's R_D.

    With ∂R_F(x, y, z)/∂z = −R_D(x, y, z)/6: above the crossing
    ∂/∂Δ R_F(y², y² + p, y² + q) = −Im R_D(y², y² + p, y² + q)/3; below it the chain rule
    through (pq, q(p + y²), p(q + y²)), whose Δ-derivatives are 2Δ and 2Δ ∓ iy².
    """

    def above(y, p, q):
        return -elliprd(y * y, y * y + p, y * y + q).imag / 3.0

    def below(y, p, q):
        u, v, w = p * q, q * (p + y * y), p * (q + y * y)
        cross = (2.0 * p.imag + 1j * y * y) * elliprd(u, v, w)  # and its conjugate partner
        return -(y / 6.0) * (2.0 * p.imag * elliprd(v, w, u) + 2.0 * cross).real

    return _across_crossing(ya, yb, e, gap, below, above)


def _pole_slopes(ya, yb, gap, integrals):
    """∂/∂Δ of :func:`_pole_terms`: Σ_p 2R_p T Δ [Re G_p/a_p² − Im F_p/a_p³] with
    F = ∫dy/(y² + c), G = ∫dy/(y² + c)², c = e − i a_p, from the :func:`_pole_integrals`
    of (ya, yb, e, Δ², T).
    """
    live, F, _, a, weight = integrals
    out = np.zeros(gap.shape)
    G = _pole_g(ya, yb, integrals)
    out[live] = np.sum(weight * gap[live][:, None] * (G.real / a**2 - F.imag / a**3), axis=-1)
    return out


def _pole_g(ya, yb, integrals):
    """G_p = ∫_{ya}^{yb} dy/(y² + c_p)² on the live entries of :func:`_pole_integrals`."""
    live, F, c, _, _ = integrals
    ya, yb = ya[live][:, None], yb[live][:, None]
    return 0.5 * (yb / (c * (yb * yb + c)) - ya / (c * (ya * ya + c))) + 0.5 * F / c


def _below_rd(y, p, q):
    """∫_0^y dt/((t² + q)^{3/2}(t² + p)^{1/2}) = (y/3)[p R_D(v, w, u) + (p + y²) R_D(u, w, v)
    + p R_D(u, v, w)], u = pq, v = q(p + y²), w = p(q + y²) (the q-derivative of the R_F
    form below the crossing).
    """
    u, v, w = p * q, q * (p + y * y), p * (q + y * y)
    return (y / 3.0) * (
        p * elliprd(v, w, u) + (p + y * y) * elliprd(u, w, v) + p * elliprd(u, v, w)
    )


def _above_rd(y, p, q):
    """∫_y^∞ dt/((t² + q)^{3/2}(t² + p)^{1/2}) = R_D(y², y² + p, y² + q)/3."""
    return elliprd(y * y, y * y + p, y * y + q) / 3.0


def _j_integral(ya, yb, e, gap):
    """J = ∫_{ya}^{yb} dy/((y² + q)E) = ∫ dy (y² + q)^{-3/2}(y² + p)^{-1/2}, q = e − iΔ.

    Its real part is ∫ ξ/E³ (ξ = ((y² + p) + (y² + q))/2): the e-derivative of ∫ dy/E is
    −Re J, and the Δ-derivative of ∫ ξ/E is −Δ Re J.
    """
    return _across_crossing(ya, yb, e, gap, _below_rd, _above_rd, dtype=complex)


def _ratio_integral(ya, yb, e, gap, J=None):
    """∫_{ya}^{yb} dy ξ/E (ξ = y² + e, E = sqrt(ξ² + Δ²)) in closed form.

    With r = (y² + p)/E, Re r = ξ/E and r = d(y r)/dy + 2iΔ/E − 2iΔq/((y² + q)E), so
    ∫ ξ/E = [y ξ/E] + 2Δ Im(q J), J = ∫ dy/((y² + q)E): R_D(y², y² + p, y² + q)/3 for a
    tail above the crossing, :func:`_below_rd` below it (no large terms cancel as Δ → 0).
    ``J`` (:func:`_j_integral`) when the caller has it.
    """
    J = _j_integral(ya, yb, e, gap) if J is None else J
    q = e - 1j * gap

    def edge(y):  # y ξ/E (0 where E = 0: Δ = 0 at the crossing, where δρ vanishes)
        xi = y * y + e
        E = np.hypot(xi, gap)
        return np.divide(y * xi, E, out=np.zeros(e.shape), where=E > 0)

    return np.where(yb > ya, edge(yb) - edge(ya) + 2.0 * gap * (q * J).imag, 0.0)


def _pole_real(integrals, shape):
    """Σ_p 4R_p T ∫_{ya}^{yb} dy ξ/(ξ² + b_p²), b_p² = b2 + z_p²T², from the
    :func:`_pole_integrals` of (ya, yb, e, b2, T): the Ozaki form of
    ∫ (ξ/E_b) tanh(E_b/2T), each term Re of an arctangent (ξ/(ξ² + b²) = Re 1/(ξ − ib)).
    """
    live, F, _, _, weight = integrals
    out = np.zeros(shape)
    out[live] = np.sum(2.0 * weight * F.real, axis=-1)
    return out


def _density_change(e, T, omega, gap, edges, inner, J):
    """∫ dy θ(ω̃ − |ξ|)[tanh(ξ/2T) − (ξ/E) tanh(E/2T)], as the two integrals apart: the
    first by poles where |ξ| < 36T and sign(ξ) beyond, the second by poles where E < 36T
    (``edges``, χ's split; ``inner``: χ's pole integrals there) and ξ/E beyond (``J``:
    :func:`_j_integral` on its two pieces). What cancels between them is O(δρ), absolute.
    """
    cold = np.minimum(omega, CUT * T)  # |ξ| beyond it: tanh(ξ/2T) = sign(ξ)
    c = [_y_of(v, e) for v in (-omega, -cold, cold, omega)]
    layer = _pole_integrals(c[1], c[2], e, np.zeros(e.shape), T)
    first = (c[3] - c[2]) - (c[1] - c[0]) + _pole_real(layer, e.shape)
    second = _ratio_integral(edges[0], edges[1], e, gap, J[0]) + _ratio_integral(
        edges[2], edges[3], e, gap, J[1]
    )
    return first - second - _pole_real(inner, e.shape)


def _chemical_change(gap, edges, inner, J):
    """The bulk μ-derivatives at fixed window edges (see
    :func:`~multigap.free_motion.window.chemical_terms`; the edges' own terms are the
    caller's): ∂χ/∂e, ∂δρ/∂|Δ| and the compressibility ∂ρ/∂μ. On the outer pieces from
    J (:func:`_j_integral`: Re J = ∫ ξ/E³, Im J = Δ ∫ 1/E³); on the inner window from
    each pole's G = ∫ dy/(y² + c)² (∂F/∂e = −G, ∂F/∂b = iG).
    """
    J = J[0] + J[1]
    chi_e, rho_gap, compressibility = -0.5 * J.real, gap * J.real, gap * J.imag
    live, _, _, b, weight = inner
    G = _pole_g(edges[1], edges[2], inner)
    im = np.sum(weight * G.imag / b, axis=-1)
    chi_e[live] -= im
    rho_gap[live] += 2.0 * gap[live] * im
    compressibility[live] -= 2.0 * np.sum(weight * G.real, axis=-1)
    return chi_e, rho_gap, compressibility


def _pole_integrals(ya, yb, e, b2, T, poles: int = POLES):
    """Per Ozaki pole: F_p = ∫_{ya}^{yb} dy/(y² + c_p) = [arctan(y/√c_p)/√c_p] with
    c_p = e − i b_p, b_p² = b2 + z_p²T², on the entries where ya < yb (``live``); returns
    live, F, c, b and the weights 2R_pT, each of shape (live entries, poles).

    The difference of the two arctangents is taken as one,
    arctan(u) − arctan(v) = arctan((u − v)/(1 + uv)) with u, v = y/√c: both lie in the
    strip 0 <= Re < π/2 (Re √c > 0 and y >= 0), so their difference lies in the principal
    strip and the identity holds without a branch correction; 1 + uv = (c + ya·yb)/c has
    imaginary part −b ≠ 0.
    """
    live = yb > ya
    z, residue = ozaki_poles(poles)
    Tl = T[live][:, None]
    b = np.sqrt(b2[live][:, None] + (z * Tl) ** 2)
    ya, yb = ya[live][:, None], yb[live][:, None]
    c = e[live][:, None] - 1j * b
    root = np.sqrt(c)  # Re > 0
    F = np.arctan((yb - ya) * root / ((e[live][:, None] + ya * yb) - 1j * b)) / root
    return live, F, c, b, 2.0 * residue * Tl


def _pole_terms(integrals, shape):
    """Σ_p 2R_p T ∫_{ya}^{yb} dy/((y² + e)² + a_p²), a_p² = a2 + z_p²T² (a2 = Δ²), from the
    :func:`_pole_integrals` of (ya, yb, e, a2, T): each term Im F_p/a_p, since
    1/(ξ² + a²) = Im 1/(ξ − ia)/a.
    """
    live, F, _, a, weight = integrals
    out = np.zeros(shape)
    out[live] = np.sum(weight * F.imag / a, axis=-1)
    return out


def wire_susceptibility(
    offset,
    T,
    cutoff,
    gap=None,
    *,
    derivative: bool = False,
    density: bool = False,
    chemical: bool = False,
):
    """χ = ∫ dy θ(ω̃ − |ξ|) tanh(E/2T)/(2E) over y >= 0, ξ = y² + e, in closed form.

    Parameters
    ----------
    offset : array_like
        e = E_n(kz) − μ, in eV.
    T : float or array_like
        k_B T in eV (>= 0; T = 0 needs Δ > 0 wherever the window holds the crossing).
    cutoff : float or array_like
        ω̃ in eV.
    gap : array_like, optional
        Δ in eV; None (or 0) for the linearised kernel tanh(ξ/2T)/(2ξ).
    derivative : bool
        Also return ∂χ/∂Δ (eV^-3/2), the gap equation's Jacobian term.
    density : bool
        Also return δρ = ∫ dy θ(ω̃ − |ξ|)[tanh(ξ/2T) − (ξ/E) tanh(E/2T)] (eV^½), the
        pairing change of the density in the number equation.
    chemical : bool
        With both: also ∂χ/∂e, ∂δρ/∂|Δ| and the compressibility ∂ρ/∂μ at fixed window
        edges (:func:`_chemical_change`; the edges' terms are added by the caller).

    Returns
    -------
    numpy.ndarray, or tuple of numpy.ndarray
        χ in eV^-½ (the measure dy), broadcast shape of the inputs; then ∂χ/∂Δ and δρ
        where asked for, in that order.
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (offset, T, cutoff, 0.0 if gap is None else gap))
    )
    e, T, omega, gap = (np.ascontiguousarray(v).ravel() for v in arrays)
    gap = np.abs(gap)
    # |ξ| < split: the pole expansion (E < CUT·T); split <= |ξ| < ω̃: 1/(2E)
    split = np.minimum(omega, np.sqrt(np.maximum((CUT * T) ** 2 - gap * gap, 0.0)))
    edges = [_y_of(v, e) for v in (-omega, -split, split, omega)]
    chi = 0.5 * (
        _reciprocal_quartic(edges[0], edges[1], e, gap)
        + _reciprocal_quartic(edges[2], edges[3], e, gap)
    )
    # one set of pole integrals on the inner window serves χ, ∂χ/∂Δ and δρ
    inner = _pole_integrals(edges[1], edges[2], e, gap * gap, T)
    chi += _pole_terms(inner, e.shape)
    out = [chi]
    if derivative:
        outer = _reciprocal_quartic_slope(edges[0], edges[1], e, gap)
        outer += _reciprocal_quartic_slope(edges[2], edges[3], e, gap)
        out.append(0.5 * outer + _pole_slopes(edges[1], edges[2], gap, inner))
    if density:
        J = [_j_integral(edges[0], edges[1], e, gap), _j_integral(edges[2], edges[3], e, gap)]
        out.append(_density_change(e, T, omega, gap, edges, inner, J))
    if chemical:
        out.extend(_chemical_change(gap, edges, inner, J))
    shaped = [v.reshape(arrays[0].shape) for v in out]
    return shaped[0] if len(shaped) == 1 else tuple(shaped)


#: The thermal layer |ξ| < LAYER·k_B T of the occupation integral, and its Ozaki poles
#: (8 give tanh(x/2) to 3e-15 for |x| <= 12; beyond it, three exponentials reach 2e-21).
LAYER, LAYER_POLES, LAYER_TERMS = 12.0, 8, 3


def wire_density(offset, T):
    """The normal-state occupation ∫_0^∞ dy f(ξ), ξ = y² + e, f = 1/(e^{ξ/T} + 1), in closed
    form (per spin, in the measure dy: eV^½).

    In the thermal layer |ξ| < X·k_B T (X = :data:`LAYER`), f = (1 − tanh(ξ/2T))/2 with
    tanh by 8 of Ozaki's poles, each term the real part of an arctangent
    (:func:`_pole_real`). Beyond it f is a fast series of exponentials: for ξ > XT,
    f = Σ_k (−1)^{k+1} e^{−kξ/T}, each term (√(πT/k)/2) e^{−k(y²+e)/T} erfcx(y√(k/T))
    from the layer's edge y; for ξ < −XT, f = 1 − Σ_k (−1)^{k+1} e^{kξ/T}, each term
    √(T/k) e^{k(y²+e)/T} D(y√(k/T)) up to the edge (D is Dawson's integral); three
    terms reach e^{−4X} ≈ 2e-21. No kx rule, whatever e/T.

    Parameters
    ----------
    offset : array_like
        e = E_n(kz) − μ in eV.
    T : float or array_like
        k_B T in eV (> 0), broadcast against ``offset``.
    """
    arrays = np.broadcast_arrays(np.asarray(offset, dtype=float), np.asarray(T, dtype=float))
    shape = arrays[0].shape
    e, T = (np.ascontiguousarray(v).ravel() for v in arrays)
    ya, yb = _y_of(-LAYER * T, e), _y_of(LAYER * T, e)  # the thermal layer |ξ| < X T
    zero = np.zeros(e.shape)
    poles = _pole_integrals(ya, yb, e, zero, T, LAYER_POLES)
    layer = 0.5 * (yb - ya) - 0.5 * _pole_real(poles, e.shape)
    top = np.maximum(LAYER * T, e) / T  # ξ/T where the upper series starts (y = yb)
    deep = ya > 0  # a lower series: ξ < −XT for y < ya
    upper, lower = zero.copy(), zero.copy()
    for k in range(1, LAYER_TERMS + 1):
        sign, r = (-1.0) ** (k + 1), np.sqrt(k / T)
        upper += sign * 0.5 * np.sqrt(np.pi) / r * np.exp(-k * top) * erfcx(yb * r)
        lower += sign * np.where(deep, np.exp(-k * LAYER) * dawsn(ya * r) / r, 0.0)
    return (ya - lower + layer + upper).reshape(shape)


def _fermi_window_moments(ya, yb, e, gap, T):
    """∫_{ya}^{yb} dy Y·{1, ξ} with Y = f(1 − f)/T at E = sqrt(ξ² + Δ²), by Ozaki's poles.

    f(1 − f) = ½ d tanh(x/2)/dx = 2 Σ_p R_p (z_p² − x²)/(x² + z_p²)², so
    Y = Σ_p 2R_pT [2z_p²T²/(ξ² + a_p²)² − 1/(ξ² + a_p²)], a_p² = Δ² + z_p²T², whose
    moments follow from F_p = ∫dy/(y² + c_p) and G_p = ∫dy/(y² + c_p)², c_p = e − ia_p
    (:func:`_pole_integrals`, :func:`_pole_g`): ∫1/(ξ² + a²) = Im F/a, ∫ξ/(ξ² + a²) = Re F,
    and the squared denominators −(1/2a)∂/∂a of those (∂F/∂a = iG). Valid where
    E < CUT·k_B T; exact to rounding in absolute terms (~1e-13 of ∫|Y|), so an
    exponentially small moment (E >> T everywhere) is not resolved relative to itself.
    """
    integrals = _pole_integrals(ya, yb, e, gap * gap, T)
    live, F, _, a, weight = integrals
    G = _pole_g(ya, yb, integrals)
    p0 = F.imag / a
    z2 = a * a - (gap * gap)[live][:, None]  # z_p² T²
    out = [np.zeros(e.shape), np.zeros(e.shape)]
    out[0][live] = np.sum(weight * (z2 * (p0 - G.real) / (a * a) - p0), axis=-1)
    out[1][live] = np.sum(weight * (z2 * G.imag / a - F.real), axis=-1)
    return out


def wire_fermi_weights(offset, T, cutoff, gap) -> tuple[np.ndarray, np.ndarray]:
    """∫ Y and ∫ y² Y of a wire per kz in closed form (measure dy, y >= 0; y² = ξ − e).

    Y = −∂f/∂E = f(1 − f)/T at the quasiparticle energy: E = sqrt(ξ² + Δ²) inside the
    window |ξ| < ω̃, E = |ξ| outside it. Taken by Ozaki's poles
    (:func:`_fermi_window_moments`) where E < CUT·k_B T and as 0 beyond, where it is
    below e^{−CUT}/T ≈ 2e-16/T: no kx rule, whatever ω̃/T or Δ/T. The error is absolute,
    ~1e-13 of the weights' natural size; the paramagnetic current they give is then
    right beside the diamagnetic one, though not relative to itself where it is
    exponentially small (the specific heat, which needs that, keeps the quadrature).

    Parameters
    ----------
    offset : array_like
        e = E_n(kz) − μ, in eV.
    T, cutoff, gap : array_like
        k_B T (> 0), ω̃ and Δ in eV, broadcast against ``offset``.

    Returns
    -------
    tuple of numpy.ndarray
        ∫Y dy (eV^-½) and ∫y²Y dy (eV^½), of the broadcast shape.
    """
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (offset, T, cutoff, gap)))
    e, T, omega, gap = (np.ascontiguousarray(v).ravel() for v in arrays)
    gap, zero = np.abs(gap), np.zeros(e.shape)
    inner = np.minimum(omega, np.sqrt(np.maximum((CUT * T) ** 2 - gap * gap, 0.0)))
    outer = np.maximum(omega, CUT * T)
    pieces = ((-inner, inner, gap), (-outer, -omega, zero), (omega, outer, zero))
    w0, w1 = np.zeros(e.shape), np.zeros(e.shape)
    for lo, hi, D in pieces:  # Δ = 0 outside the window
        m0, m1 = _fermi_window_moments(_y_of(lo, e), _y_of(hi, e), e, D, T)
        w0 += m0
        w1 += m1 - e * m0
    return w0.reshape(arrays[0].shape), w1.reshape(arrays[0].shape)
