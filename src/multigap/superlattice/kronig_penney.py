"""Kronig–Penney superlattice with BenDaniel–Duke matching: subbands and Bloch functions.

The cell is z ∈ [0, d): a well (wire) on [0, L) at potential 0 with mass m_w and
a barrier (spacer) on [L, d) at potential V with mass m_b. In a region
of constant mass m and potential U, the state vector u = (ψ, ψ'/m) propagates
across a width ℓ with the transfer matrix

    T(ℓ) = [[C, m S], [−k² S/m, C]],   C = cos kℓ,  S = sin(kℓ)/k,  k² = m(E−U)/HB2M,

which is continuous in k² through 0 (the cos/sin ↔ cosh/sinh continuation), so
E = 0 and E = V need no special branch beyond the k → 0 limit S → ℓ.
BenDaniel–Duke matching (ψ and ψ'/m continuous) is exactly continuity of u.
The dispersion is D(E) ≡ ½ tr T_b T_w = cos(kz d).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.polynomial import chebyshev as cheb
from scipy.optimize import brentq, minimize_scalar

from multigap.config import Numerics, Superlattice
from multigap.errors import MultigapError, ParameterError
from multigap.quadrature import gauss_legendre
from multigap.roots import bracketed_root
from multigap.units import HB2M

__all__ = [
    "Subbands",
    "solve_subbands",
    "solve_mass",
    "solve_layer",
    "tuned_width",
    "cell_transfer",
    "propagator",
    "discriminant",
]


def propagator(k2: np.ndarray, length: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """C = cos(kℓ) and S = sin(kℓ)/k as entire functions of k² (real input).

    Parameters
    ----------
    k2 : array_like
        k² in nm⁻²; negative values give cosh and sinh(κℓ)/κ.
    length : float or array_like
        ℓ in nm.

    Returns
    -------
    C, S : numpy.ndarray
        Dimensionless C and S in nm.
    """
    k2 = np.asarray(k2, dtype=float)
    x2 = k2 * np.asarray(length) ** 2
    r = np.sqrt(np.abs(x2))
    pos = x2 >= 0
    with np.errstate(over="ignore"):  # deep below a layer's potential: cosh → inf is outside
        return _propagator(r, x2, pos, length)  # every band, which is what the search needs


def _propagator(r, x2, pos, length):
    C = np.where(pos, np.cos(r), np.cosh(r))
    # sin(r)/r and sinh(r)/r, with the r → 0 limit 1; np.sinc(x) = sin(πx)/(πx).
    shc = np.where(
        r > 1e-4,
        np.sinh(np.where(pos, 0.0, r)) / np.where(r > 1e-4, r, 1.0),
        1.0 + x2 * (-1.0 / 6.0),
    )
    S = np.where(pos, np.sinc(r / np.pi), shc) * length
    return C, S


def _layer_k2(E: np.ndarray, potential: float, mass: float) -> np.ndarray:
    """k² = m (E − V)/HB2M of a layer at energies E, in nm⁻²."""
    return mass * (E - potential) / HB2M


def cell_transfer(sl: Superlattice, E: np.ndarray):
    """The cell's transfer matrix M = T_N ⋯ T_1 for u = (ψ, ψ'/m), at energies E (eV).

    Each layer of width ℓ, potential V and mass m contributes
    T = [[C, m S], [−k² S/m, C]] with C = cos kℓ, S = sin(kℓ)/k, k² = m(E − V)/HB2M
    (continued through k² = 0, so E = V needs no branch). Returns the entries
    (a, b, c, d) of M = [[a, b], [c, d]], each of E's shape.
    """
    E = np.asarray(E, dtype=float)
    a, b = np.ones(E.shape), np.zeros(E.shape)
    c, d = np.zeros(E.shape), np.ones(E.shape)
    for width, potential, mass in sl.cell:
        k2 = _layer_k2(E, potential, mass)
        C, S = propagator(k2, width)
        mS, kS = mass * S, -k2 * S / mass
        with np.errstate(over="ignore", invalid="ignore"):
            a, b, c, d = C * a + mS * c, C * b + mS * d, kS * a + C * c, kS * b + C * d
    return a, b, c, d


def discriminant(sl: Superlattice, E: np.ndarray) -> np.ndarray:
    """The dispersion D(E) = ½ tr M(E) = cos(kz d); bands have |D| <= 1.

    Parameters
    ----------
    sl : Superlattice
    E : array_like
        Energies in eV.

    Returns
    -------
    numpy.ndarray
        D(E), dimensionless. For the two-layer cell below the barrier it equals
        cos(k_w L)cosh(κW) + ½[κ m_w/(k_w m_b) − k_w m_b/(κ m_w)] sin(k_w L) sinh(κW).

    Notes
    -----
    det M = 1, so every band is monotonic on [0, π/d]. D is a difference of terms of
    size e^{Σκℓ}; for very opaque barriers it loses digits to cancellation, and the band
    energies of such nearly flat bands are accurate only in absolute terms.
    """
    a, _, _, d = cell_transfer(sl, E)
    return 0.5 * (a + d)


@dataclass(frozen=True, eq=False)
class Subbands:
    """The solved subbands of a superlattice: edges, E_n(kz) and Bloch densities.

    Build it with :func:`solve_subbands`. Band labels ``band`` are 1-based, as
    in the paper (n = 1, 2, 3); arrays indexed by band are 0-based.

    Attributes
    ----------
    superlattice : Superlattice
    numerics : Numerics
    edges : numpy.ndarray, shape (n_bands, 2)
        Bottom and top of every subband, in eV. Odd bands have their bottom at
        kz = 0, even bands at kz = π/d.
    z_nodes, z_weights : numpy.ndarray
        Gauss–Legendre nodes (nm) and weights (nm) on the cell, separately in
        the well and the barrier, for integrals over z.
    """

    superlattice: Superlattice
    numerics: Numerics
    edges: np.ndarray
    z_nodes: np.ndarray = field(repr=False)
    z_weights: np.ndarray = field(repr=False)

    # -- the normal-state scales: E_L, ΔE ------------------------------------------------
    @property
    def n_bands(self) -> int:
        """The number of kept subbands."""
        return self.superlattice.n_bands

    @property
    def period(self) -> float:
        """D = L + W, in nm."""
        return self.superlattice.period

    @property
    def kz_max(self) -> float:
        """The zone boundary π/d, in nm⁻¹."""
        return np.pi / self.period

    @property
    def lifshitz_energy(self) -> float:
        """E_L: the bottom of the tuned subband, in eV."""
        return float(self.edges[self.superlattice.tuned_band - 1, 0])

    @property
    def tuned_width(self) -> float:
        """ΔE: the width of the tuned subband, in eV."""
        lo, hi = self.edges[self.superlattice.tuned_band - 1]
        return float(hi - lo)

    def _check_band(self, band: int) -> int:
        if (
            isinstance(band, bool)
            or not isinstance(band, (int, np.integer))
            or not 1 <= band <= self.n_bands
        ):
            raise ParameterError("band", band, f"an integer from 1 to {self.n_bands}")
        return int(band) - 1

    # -- dispersion -------------------------------------------------------------------
    def energy(self, band: int, kz: np.ndarray) -> np.ndarray:
        """E_n(kz) from the exact dispersion D(E) = cos(kz d).

        Parameters
        ----------
        band : int
            1-based subband index n.
        kz : array_like
            Wavevectors in nm⁻¹; any real value (E_n is even and 2π/d-periodic).

        Returns
        -------
        numpy.ndarray
            E_n(kz) in eV, to a few ulp of the band energy (vectorised Illinois
            iteration on the bracket of the band; D is monotonic inside a band by
            Sturm–Liouville theory).
        """
        i = self._check_band(band)
        kz = np.asarray(kz, dtype=float)
        return self.energies(np.full(kz.shape, i + 1), kz)

    def energies(self, bands: np.ndarray, kz: np.ndarray) -> np.ndarray:
        """E_n(kz) for arrays of 1-based bands and wavevectors (one vectorised solve)."""
        bands = np.asarray(bands)
        kz = np.asarray(kz, dtype=float)
        shape = np.broadcast_shapes(bands.shape, kz.shape)
        idx = np.broadcast_to(bands, shape).ravel() - 1
        flat = np.cos(np.broadcast_to(kz, shape).ravel() * self.period)
        sign = np.where(idx % 2 == 0, 1.0, -1.0)  # D = +1 at the bottom of odd bands
        lo = self.edges[idx, 0].copy()
        hi = self.edges[idx, 1].copy()
        sl = self.superlattice
        f = lambda x, i: sign[i] * (discriminant(sl, x) - flat[i])  # noqa: E731
        # D is monotonic inside a band (Sturm–Liouville), so the band is a bracket
        tol = 4.0 * np.finfo(float).eps * np.maximum(np.abs(lo), np.abs(hi))
        root = bracketed_root(
            f, lo, hi, f(lo, np.arange(lo.size)), f(hi, np.arange(hi.size)), xtol=tol, ftol=4e-16
        )
        return root.x.reshape(shape)

    @cached_property
    def _energy_coef(self) -> np.ndarray:
        """Chebyshev coefficients of every E_n(kz) on [0, π/d], shape (n_bands, deg + 1).

        The number of nodes doubles from 32 until the interpolant holds to 1e-12 eV
        (relative to max(1 eV, |E|)) at the midpoints between nodes.
        """
        n = 32
        while True:
            x = np.cos(np.pi * (np.arange(n) + 0.5) / n)
            E = np.array(
                [self.energy(b, 0.5 * self.kz_max * (x + 1.0)) for b in range(1, self.n_bands + 1)]
            )
            coef = cheb.chebfit(x, E.T, n - 1).T
            xm = np.cos(np.pi * (np.arange(n + 1) + 0.5) / (n + 1))
            Em = np.array(
                [self.energy(b, 0.5 * self.kz_max * (xm + 1.0)) for b in range(1, self.n_bands + 1)]
            )
            err = np.max(np.abs(cheb.chebval(xm, coef.T) - Em))
            if err < 1e-12 * max(1.0, float(np.max(np.abs(E)))) or n >= 4096:
                if err > 1e-9 * max(1.0, float(np.max(np.abs(E)))):
                    raise MultigapError(
                        f"the subbands cannot be interpolated in kz (error {err:.2g} eV with "
                        f"{n} Chebyshev nodes): a gap between subbands is too nearly closed"
                    )
                return coef
            n *= 2

    def energy_interpolated(self, band: int, kz: np.ndarray) -> np.ndarray:
        """E_n(kz) in eV from a Chebyshev interpolant.

        The absolute error is below 1e-12 eV·max(1, |E|/eV).

        Much cheaper than :meth:`energy` for many points; kz in [0, π/d] (nm⁻¹),
        any shape; ``band`` 1-based.
        """
        i = self._check_band(band)
        x = 2.0 * np.asarray(kz, dtype=float) / self.kz_max - 1.0
        return cheb.chebval(x, self._energy_coef[i])

    def velocity(self, band: int, kz: np.ndarray, order: int = 1) -> np.ndarray:
        """∂E_n/∂kz (``order`` 1, eV·nm) or ∂²E_n/∂kz² (``order`` 2, eV·nm²) at kz in
        [0, π/d], differentiated from the Chebyshev interpolant of E_n(kz).

        Both vanish at kz = 0 and π/d only to the interpolant's accuracy (about 1e-9 of
        the band's scale); ``band`` is 1-based.
        """
        if order not in (1, 2):
            raise ParameterError("order", order, "1 (∂E/∂kz) or 2 (∂²E/∂kz²)")
        i = self._check_band(band)
        x = 2.0 * np.asarray(kz, dtype=float) / self.kz_max - 1.0
        coef = cheb.chebder(self._energy_coef[i], m=order)
        return cheb.chebval(x, coef) * (2.0 / self.kz_max) ** order

    def wavevector(self, band: int, E: np.ndarray) -> np.ndarray:
        """The kz ∈ [0, π/d] at which band n has energy E (clipped to the band).

        Parameters
        ----------
        band : int
            1-based subband index.
        E : array_like
            Energies in eV.

        Returns
        -------
        numpy.ndarray
            kz = arccos(D(E))/d in nm⁻¹; 0 or π/d outside the band.
        """
        i = self._check_band(band)
        E = np.clip(np.asarray(E, dtype=float), *self.edges[i])
        D = np.clip(discriminant(self.superlattice, E), -1.0, 1.0)
        return np.arccos(D) / self.period

    # -- Bloch functions ----------------------------------------------------------------
    def bloch_density(
        self,
        band: int,
        kz: np.ndarray,
        z: np.ndarray | None = None,
        energy: np.ndarray | None = None,
    ) -> np.ndarray:
        """Normalised Bloch densities |ψ_{n,kz}(z)|², with (1/d)∫_cell |ψ|² dz = 1.

        Parameters
        ----------
        band : int
            1-based subband index.
        kz : array_like, shape (m,)
            Wavevectors in nm⁻¹.
        z : array_like, shape (p,), optional
            Positions in the cell [0, d), in nm; default :attr:`z_nodes`.
        energy : array_like, shape (m,), optional
            E_n(kz) if already known (eV), to skip the band solve.

        Returns
        -------
        numpy.ndarray, shape (m, p)
            |ψ|², dimensionless (cell average 1).

        Notes
        -----
        ψ is built from the eigenvector of the cell transfer matrix with
        eigenvalue e^{i kz d}. Where the gap is closed and T = ±1 (V = 0, equal
        masses, kz at a zone centre or edge) every state of the degenerate pair
        is a Bloch state; we take the running wave e^{ikz}, the limit from
        inside the band, whose |ψ|² is 1.
        """
        self._check_band(band)
        sl = self.superlattice
        kz = np.atleast_1d(np.asarray(kz, dtype=float))
        E = self.energy(band, kz) if energy is None else np.asarray(energy, dtype=float)
        a, b, c, d = cell_transfer(sl, E)
        lam = np.exp(1j * kz * self.period)
        v1 = np.stack([b + 0j, lam - a], -1)
        v2 = np.stack([lam - d, c + 0j], -1)
        n1 = np.linalg.norm(v1, axis=-1)
        n2 = np.linalg.norm(v2, axis=-1)
        u0 = np.where((n1 >= n2)[:, None], v1, v2)
        scale = np.max(np.abs(np.stack([a, b, c, d])), axis=0)
        degenerate = np.maximum(n1, n2) < 1e-6 * scale
        if degenerate.any():
            _, potential, mass = sl.cell[0]
            k = np.sqrt(np.abs(_layer_k2(E, potential, mass)) + 0j)
            running = np.stack([np.ones(E.shape) + 0j, 1j * k / mass], -1)
            u0 = np.where(degenerate[:, None], running, u0)
        starts = self._layer_states(u0, E)
        on_rule = self._psi(starts, E, self.z_nodes)
        norm = (np.abs(on_rule) ** 2) @ self.z_weights / self.period
        psi = on_rule if z is None else self._psi(starts, E, np.asarray(z, dtype=float))
        return np.abs(psi) ** 2 / norm[:, None]

    def _layer_states(self, u0: np.ndarray, E: np.ndarray) -> list:
        """U = (ψ, ψ'/m) at the start of every layer, from u at z = 0."""
        states, u = [], u0
        for width, potential, mass in self.superlattice.cell:
            states.append(u)
            k2 = _layer_k2(E, potential, mass)
            C, S = propagator(k2, width)
            u = np.stack(
                [C * u[:, 0] + mass * S * u[:, 1], -k2 * S / mass * u[:, 0] + C * u[:, 1]], -1
            )
        return states

    def _psi(self, starts: list, E: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Unnormalised ψ at positions z of the cell [0, d) from the layer start states."""
        psi = np.zeros((E.size, z.size), dtype=complex)
        z0 = 0.0
        for (width, potential, mass), u in zip(self.superlattice.cell, starts):
            inside = (z >= z0) & (z < z0 + width) if z0 + width < self.period else z >= z0
            if inside.any():
                C, S = propagator(_layer_k2(E, potential, mass)[:, None], (z[inside] - z0)[None, :])
                psi[:, inside] = C * u[:, :1] + mass * S * u[:, 1:]
            z0 += width
        return psi


def _cell_rule(sl: Superlattice, n_z: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights (nm), n_z in each layer (ψ is analytic inside one)."""
    nodes, weights, z0 = [], [], 0.0
    for width, _, _ in sl.cell:
        z, w = gauss_legendre(z0, z0 + width, n_z)
        nodes.append(z)
        weights.append(w)
        z0 += width
    return np.concatenate(nodes), np.concatenate(weights)


def _refine_extremum(f, e0: float, lo: float, hi: float) -> float:
    """Polish an extremum of D to ~1e-11 relative with a root of a central-difference D'."""
    h = 1e-5 * max(abs(e0), hi - lo)
    dfun = lambda x: (f(x + h) - f(x - h)) / (2.0 * h)  # noqa: E731
    a, b = max(lo, e0 - 1e-3 * (hi - lo)), min(hi, e0 + 1e-3 * (hi - lo))
    if dfun(a) * dfun(b) < 0:
        return brentq(dfun, a, b, xtol=1e-15, rtol=1e-15)
    return e0


def band_edges(sl: Superlattice, n_scan: int) -> np.ndarray:
    """Find the bottom and top of the lowest n_bands subbands.

    Open gaps are bracketed where |D| crosses 1 on an energy scan; gaps too narrow
    for the scan, and closed gaps (where D touches ±1, e.g. V = 0 with equal
    masses), are found at the extrema of D, which inside the allowed region can
    only occur at |D| = 1 (Sturm–Liouville theory).
    """
    f = lambda e: float(discriminant(sl, e))  # noqa: E731
    masses, potentials = [layer[2] for layer in sl.cell], [layer[1] for layer in sl.cell]
    e_scale = HB2M * (np.pi / sl.period) ** 2 / max(masses)
    e_lo = min(potentials) - 0.01 * e_scale
    e_hi = max(potentials) + HB2M * ((sl.n_bands + 1) * np.pi / sl.period) ** 2 / min(masses)
    for _ in range(12):
        E = np.linspace(e_lo, e_hi, n_scan)
        D = discriminant(sl, E)
        inside = np.abs(D) <= 1.0
        events = []  # (energy, kind): kind "in" enters a band, "out" leaves it
        for j in np.flatnonzero(inside[:-1] != inside[1:]).tolist():
            e = brentq(lambda x: f(x) ** 2 - 1.0, E[j], E[j + 1], xtol=1e-15, rtol=1e-15)
            events.append((e, "in" if inside[j + 1] else "out"))
        # a whole band narrower than the scan step: D jumps from beyond +1 to beyond −1
        for j in np.flatnonzero(
            ~inside[:-1] & ~inside[1:] & (np.sign(D[:-1]) != np.sign(D[1:]))
        ).tolist():
            s0 = np.sign(D[j])
            a = brentq(lambda x: f(x) - s0, E[j], E[j + 1], xtol=1e-15, rtol=1e-15)
            b = brentq(lambda x: f(x) + s0, E[j], E[j + 1], xtol=1e-15, rtol=1e-15)
            events += [(a, "in"), (max(a, b), "out")]
        for j in range(1, n_scan - 1):
            if not (inside[j - 1] and inside[j] and inside[j + 1]):
                continue
            is_max = D[j] >= D[j - 1] and D[j] >= D[j + 1]
            is_min = D[j] <= D[j - 1] and D[j] <= D[j + 1]
            if not (is_max or is_min):
                continue
            s = 1.0 if is_max else -1.0
            res = minimize_scalar(
                lambda x: -s * f(x),
                bounds=(E[j - 1], E[j + 1]),
                method="bounded",
                options={"xatol": 1e-14},
            )
            e_ext = _refine_extremum(f, float(res.x), E[j - 1], E[j + 1])
            d_ext = f(e_ext)
            if s * d_ext > 1.0:  # a gap narrower than the scan step
                a = brentq(lambda x: f(x) - s, E[j - 1], e_ext, xtol=1e-15, rtol=1e-15)
                b = brentq(lambda x: f(x) - s, e_ext, E[j + 1], xtol=1e-15, rtol=1e-15)
                events += [(a, "out"), (b, "in")]
            elif s * d_ext > 1.0 - 1e-9:  # a closed gap: D touches ±1
                events += [(e_ext, "out"), (e_ext, "in")]
        events.sort(key=lambda ev: (ev[0], ev[1] == "in"))
        edges = []
        expect = "in"
        for e, kind in events:
            if kind != expect:
                raise MultigapError(
                    f"band-edge search found an inconsistent event order near E = {e:.6g} eV; "
                    f"increase n_energy_scan (now {n_scan})"
                )
            edges.append(e)
            expect = "out" if kind == "in" else "in"
        if len(edges) >= 2 * sl.n_bands:
            return np.array(edges[: 2 * sl.n_bands]).reshape(sl.n_bands, 2)
        e_hi *= 2.0
    raise MultigapError(f"could not find {sl.n_bands} subbands below {e_hi:.4g} eV")


#: The largest barrier opacity κW = sqrt(m_b V/HB2M)·W that the band search resolves: the
#: lowest bands are e^{−κW} narrow, and beyond ~35 they are narrower than rounding.
MAX_OPACITY = 30.0


def check_opacity(superlattice: Superlattice) -> float:
    """The opacity Σ_l κ_l ℓ_l of the cell at its lowest potential (κW for the paper's
    cell); refuse cells too opaque to resolve.
    """
    cell = superlattice.cell
    floor = min(layer[1] for layer in cell)
    opacity = float(sum(np.sqrt(m * (v - floor) / HB2M) * w for w, v, m in cell))
    if opacity > MAX_OPACITY:
        raise ParameterError(
            "barrier_width/barrier_height/mass_barrier"
            if superlattice.layers is None
            else "layers",
            [list(layer) for layer in cell],
            f"a barrier opacity κW = sqrt(m_b V/HB2M)·W <= {MAX_OPACITY:g} (here {opacity:.3g}): "
            "the wells are isolated and their bands narrower than e^-30 of their spacing, "
            "beyond what a superlattice band search resolves",
        )
    return opacity


def tuned_width(superlattice: Superlattice, n_energy_scan: int = 4000) -> float:
    """ΔE, the width of the tuned subband, in eV (band edges only, no Bloch functions)."""
    check_opacity(superlattice)
    edges = band_edges(superlattice, n_energy_scan)
    lo, hi = edges[superlattice.tuned_band - 1]
    return float(hi - lo)


def solve_subbands(superlattice: Superlattice, numerics: Numerics | None = None) -> Subbands:
    """Solve the Kronig–Penney superlattice for its lowest subbands.

    Parameters
    ----------
    superlattice : Superlattice
    numerics : Numerics, optional
        Grid settings; the defaults of :class:`~multigap.config.Numerics`.

    Returns
    -------
    Subbands

    Examples
    --------
    >>> from multigap.config import preset
    >>> sb = solve_subbands(preset("A")[0])
    >>> round(sb.tuned_width, 4)
    0.274
    """
    numerics = numerics or Numerics()
    check_opacity(superlattice)
    edges = band_edges(superlattice, numerics.n_energy_scan)
    z, w = _cell_rule(superlattice, numerics.n_z)
    return Subbands(superlattice, numerics, edges, z, w)


def solve_layer(
    superlattice: Superlattice,
    target_width: float,
    *,
    layer: int,
    field: str = "mass",
    bracket: tuple[float, float] | None = None,
    tol: float = 1e-10,
) -> float:
    """The mass (or width, or height) of one layer that gives the tuned subband a width ΔE.

    Parameters
    ----------
    superlattice : Superlattice
        All other parameters; the value being solved for is ignored.
    target_width : float
        Target ΔE of the tuned subband, in eV (> 0).
    layer : int
        0-based index of the layer in the period (for the paper's cell, 0 is the well
        and 1 the barrier).
    field : {"mass", "width", "height"}
        What to solve for (m_e, nm or eV).
    bracket : (float, float), optional
        Search interval; default (0.05, 5) m_e, (0.05, 5) nm or (0, 20) eV.
    tol : float
        Absolute tolerance of the result.

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        If no value in the bracket gives the target width (naming the widths reached).
    """
    if field not in ("mass", "width", "height"):
        raise ParameterError("field", field, "'mass', 'width' or 'height'")
    if not (
        isinstance(target_width, (int, float)) and np.isfinite(target_width) and target_width > 0
    ):
        raise ParameterError("target width ΔE", target_width, "a finite width > 0 eV")
    lo, hi = bracket or {"mass": (0.05, 5.0), "width": (0.05, 5.0), "height": (0.0, 20.0)}[field]

    def width(v: float) -> float:
        return tuned_width(superlattice.with_layer(layer, **{field: v}))

    values = np.linspace(lo, hi, 25) if field == "height" else np.geomspace(lo, hi, 25)
    widths: list[float] = []
    for v in values:
        try:
            widths.append(width(v))
        except MultigapError:  # bands too flat to resolve: leave this value out
            widths.append(np.nan)
    keep = np.isfinite(widths)
    values, excess = values[keep], np.array(widths)[keep] - target_width
    change = np.flatnonzero(np.sign(excess[:-1]) != np.sign(excess[1:]))
    if change.size == 0:
        reached = (
            f"widths there span {excess.min() + target_width:.4g}–"
            f"{excess.max() + target_width:.4g} eV"
            if excess.size
            else "no band found"
        )
        raise ParameterError(
            "target width ΔE",
            target_width,
            f"a width reachable with layer {layer}'s {field} in [{lo:g}, {hi:g}] ({reached})",
        )
    j = change[0]
    return brentq(lambda v: width(v) - target_width, values[j], values[j + 1], xtol=tol)


def solve_mass(
    superlattice: Superlattice,
    target_width: float,
    *,
    which: str = "barrier",
    bracket: tuple[float, float] = (0.05, 5.0),
    tol: float = 1e-10,
) -> float:
    """The mass m_b (or m_w) of the paper's two-layer cell that gives the tuned subband a
    width ΔE (eV), in m_e. See :func:`solve_layer` for any layer of any stack.
    """
    if which not in ("barrier", "well"):
        raise ParameterError("which", which, "'barrier' or 'well'")
    return solve_layer(
        superlattice,
        target_width,
        layer=1 if which == "barrier" else 0,
        field="mass",
        bracket=bracket,
        tol=tol,
    )
