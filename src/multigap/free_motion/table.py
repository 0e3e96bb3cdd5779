"""The universal kx pair susceptibility F(a, b), tabulated once, for fast Tc maps.

At fixed (band, kz) the linearised kx integral depends on T only through scaled
variables (y = sqrt(T)·u, ξ = T(u² + a)):

    χ(e; T, ω̃) = sqrt(m_x/HB2M)/π · T^{-1/2} · F(e/T, ω̃/T),
    F(a, b) = ∫_0^∞ du f(u² + a) θ(b − |u² + a|),   f(x) = tanh(x/2)/(2x).

For |x| >= X (= 16) f equals 1/(2|x|) to a relative 2e^{-X} ≈ 2e-7, and the
integral over that part has a closed form (atan/artanh, written without
cancellation). What remains, Core(a, c) with c = min(b, X), is tabulated on two
smooth charts and interpolated with cubic splines:

* a ∈ [−c, c]: Core as a function of s = sqrt((c − a)/(2c)) ∈ [0, 1];
* a < −c: H = 2 sqrt(−a)·Core as a function of t = w/sqrt(w² + c) ∈ [0, 1),
  w = sqrt(−c − a), whose t → 1 limit is ∫_{−c}^{c} f dx;

both against ln c on [ln c_min, ln X]. Points with b < c_min (temperatures far
above ω̃, met only while bracketing) fall back to direct quadrature.
"""

from __future__ import annotations

import functools

import numpy as np

from multigap.free_motion.window import pair_kernel, window_integral
from multigap.quadrature import gauss_legendre

__all__ = ["SusceptibilityTable", "universal_table", "f_kernel", "X_TAIL"]

#: Beyond |x| = X_TAIL, f(x) = 1/(2|x|) is used (relative error 2e^{-X}).
X_TAIL = 16.0


def f_kernel(x: np.ndarray) -> np.ndarray:
    """f(x) = tanh(x/2)/(2x), with f(0) = 1/4: the pair kernel at unit temperature."""
    return pair_kernel(x, 1.0)


def _atanc(y):
    small = np.abs(y) < 1e-4
    return np.where(small, 1.0 - y * y / 3.0, np.arctan(y) / np.where(small, 1.0, y))


def _artanhc(y):
    small = np.abs(y) < 1e-4
    return np.where(
        small, 1.0 + y * y / 3.0, np.arctanh(np.minimum(y, 1.0 - 1e-16)) / np.where(small, 1.0, y)
    )


def tail(a: np.ndarray, lo: float | np.ndarray, b: np.ndarray) -> np.ndarray:
    """∫ du/(2|u² + a|) over u >= 0 with lo < |u² + a| <= b (lo >= X_TAIL > 0)."""
    a, lo, b = np.broadcast_arrays(
        np.asarray(a, float), np.asarray(lo, float), np.asarray(b, float)
    )
    out = np.zeros(a.shape)
    # positive side: x = u² + a ∈ (lo, b], y = u = sqrt(x − a), from y_A to y_B
    ok = b > np.maximum(lo, a)
    yA = np.sqrt(np.maximum(np.maximum(lo, a) - a, 0.0))
    yB = np.sqrt(np.maximum(b - a, 0.0))
    D = yA * yB + a
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = np.sqrt(np.abs(a)) * (yB - yA) / D
        val = (yB - yA) / (2.0 * D) * np.where(a >= 0, _atanc(arg), _artanhc(arg))
    out += np.where(ok & (yB > yA), val, 0.0)
    # negative side: x ∈ [−b, −lo], only for a < −lo: y from sqrt(max(−b − a, 0)) to sqrt(−lo − a)
    neg = a < -lo
    yA = np.sqrt(np.maximum(-b - a, 0.0))
    yB = np.sqrt(np.maximum(-lo - a, 0.0))
    D = -a - yA * yB
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = np.sqrt(np.abs(a)) * (yB - yA) / D
        val = (yB - yA) / (2.0 * D) * _artanhc(arg)
    out += np.where(neg & (yB > yA), val, 0.0)
    return out


def direct(a: np.ndarray, b: np.ndarray, order: int = 12) -> np.ndarray:
    """F(a, b) by the package's graded kx quadrature at unit temperature (the reference,
    and the fallback for windows narrower than the table).
    """
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    return window_integral(a, 1.0, b, order=order, levels=1)


def _core_chart_i(s: np.ndarray, c: np.ndarray, order: int) -> np.ndarray:
    """Core(a, c) for a = c − 2c s² ∈ [−c, c]: ∫_0^v f(u² + a) du, v = sqrt(2c)·s."""
    v = np.sqrt(2.0 * c) * s
    a = c - v * v
    x, w = gauss_legendre(0.0, 1.0, order)
    u = v[..., None] * x
    return v * np.sum(w * f_kernel(u * u + a[..., None]), axis=-1)


def _core_chart_ii(t: np.ndarray, c: np.ndarray, order: int) -> np.ndarray:
    """H = 2 sqrt(−a) Core(a, c) for a = −c − w², w = t sqrt(c)/sqrt(1 − t²)."""
    x, wq = gauss_legendre(-1.0, 1.0, order)
    t = np.asarray(t, float)
    at_limit = t >= 1.0
    tt = np.where(at_limit, 0.5, t)
    w = tt * np.sqrt(c) / np.sqrt(1.0 - tt * tt)
    a = -c - w * w
    # ∫_w^{sqrt(w²+2c)} f(u² + a) du in x = u² + a ∈ [−c, c]: du = dx/(2 sqrt(x − a));
    # the map x = c·sin(πθ/2) clusters nodes at both ends, where 1/sqrt(x − a) is steepest
    theta = x
    xx = c[..., None] * np.sin(0.5 * np.pi * theta)
    jac = c[..., None] * 0.5 * np.pi * np.cos(0.5 * np.pi * theta)
    core = np.sum(wq * f_kernel(xx) * jac / (2.0 * np.sqrt(xx - a[..., None])), axis=-1)
    H = 2.0 * np.sqrt(-a) * core
    # t → 1: H → ∫_{−c}^{c} f(x) dx
    limit = np.sum(wq * f_kernel(xx) * jac, axis=-1)
    return np.where(at_limit, limit, H)


class SusceptibilityTable:
    """Cubic-spline tables of Core(a, c) on its two charts; evaluates F(a, b).

    Each chart is sampled on a uniform grid in (p, ln c) with s (or t) =
    (1 − cos πp)/2. The tabulated functions are then exactly even about p = 0
    and p = 1, so mirror boundary conditions are exact there; the ln c axis is
    padded beyond its range. Interpolation is cubic B-spline
    (:func:`scipy.ndimage.map_coordinates`).

    Parameters
    ----------
    c_min : float
        Smallest tabulated window ω̃/T (below it, direct quadrature).
    n_p, n_c : int
        Table sizes in p and ln c.
    order : int
        Gauss–Legendre order of the tabulation integrals.
    """

    PAD = 4

    def __init__(self, c_min: float = 0.25, n_p: int = 385, n_c: int = 97, order: int = 64):
        from scipy.ndimage import spline_filter1d

        self.c_min = c_min
        self._lc0 = np.log(c_min)
        self._dlc = (np.log(X_TAIL) - self._lc0) / (n_c - 1)
        lc = self._lc0 + self._dlc * np.arange(-self.PAD, n_c + self.PAD)
        p = np.linspace(0.0, 1.0, n_p)
        q = 0.5 - 0.5 * np.cos(np.pi * p)
        C = np.exp(lc)
        self._np = n_p
        coeffs = []
        # tabulate a few ln c columns at a time: small temporaries build ~5x faster cold
        chunks = [slice(i, i + 8) for i in range(0, C.size, 8)]
        for chart_fn in (_core_chart_i, _core_chart_ii):
            chart = np.concatenate([chart_fn(q[:, None], C[None, sl], order) for sl in chunks], 1)
            c = spline_filter1d(chart, order=3, axis=0, mode="mirror")
            c = spline_filter1d(c, order=3, axis=1, mode="nearest")
            coeffs.append(c)
        self._coef_i, self._coef_ii = coeffs

    def _lookup(self, coef, q: np.ndarray, lc: np.ndarray) -> np.ndarray:
        from scipy.ndimage import map_coordinates

        ip = np.arccos(np.clip(1.0 - 2.0 * q, -1.0, 1.0)) / np.pi * (self._np - 1)
        ic = (lc - self._lc0) / self._dlc + self.PAD
        return map_coordinates(coef, np.stack([ip, ic]), order=3, mode="mirror", prefilter=False)

    def core(self, a: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Core(a, c) = ∫_0^∞ du f(u² + a) θ(c − |u² + a|), for c_min <= c <= X_TAIL."""
        a, c = np.broadcast_arrays(np.asarray(a, float), np.asarray(c, float))
        lc = np.log(c)
        out = np.zeros(a.shape)
        one = (a >= -c) & (a < c)
        if one.any():
            s = np.sqrt((c[one] - a[one]) / (2.0 * c[one]))
            out[one] = self._lookup(self._coef_i, s, lc[one])
        two = a < -c
        if two.any():
            w2 = -c[two] - a[two]
            t = np.sqrt(w2 / (w2 + c[two]))
            out[two] = self._lookup(self._coef_ii, t, lc[two]) / (2.0 * np.sqrt(-a[two]))
        return out

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """F(a, b) for any a and b > 0."""
        a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
        out = np.empty(a.shape)
        low = b < self.c_min
        if low.any():
            out[low] = direct(a[low], b[low])
        hi = ~low
        if hi.any():
            ah, bh = a[hi], b[hi]
            c = np.minimum(bh, X_TAIL)
            val = self.core(ah, c)
            big = bh > X_TAIL
            if big.any():
                val[big] += tail(ah[big], X_TAIL, bh[big])
            out[hi] = val
        return out


@functools.cache
def universal_table() -> SusceptibilityTable:
    """The process-wide table (a mathematical constant, built on first use, ~0.5 s)."""
    return SusceptibilityTable()
