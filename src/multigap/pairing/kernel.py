"""The pairing kernel: one kz grid, one low-rank overlap factor, batched λ_max and gap maps.

This is the seam every superconducting calculation goes through (Tc, gaps at any
temperature, the isotope coefficient, sweeps). It holds, for a batch of m points
that share a geometry:

* per band, a composite Gauss–Legendre kz rule on [0, π/d] with breakpoints at
  the Fermi-contour tip E_n(kz) = μ (graded geometrically on both sides) and at
  the window edges E_n(kz) = μ ± ω̃ of each point (:func:`kz_rule`);
* the low-rank overlap factor Ĩ^{nn'}(kz, kz') ≈ B_n(kz)·B_n'(kz'), with
  B_n(kz) = Σ_z |ψ_{n,kz}(z)|² sqrt(w_z/d) V(z) on a z-basis V fixed once per
  geometry by an SVD (:class:`OverlapBasis`); the factor is Chebyshev-interpolated
  in kz, so moving to new nodes needs no new SVD and no new Bloch functions;
* the free motion (:mod:`multigap.free_motion.motion`) that gives χ at each node.

Because G = g_{nn'} B Bᵀ / N0, every solution of the gap equation has the form
Δ_n(kz) = B_n(kz)·y_n: the unknowns are y ∈ R^{n_bands × rank}. With
S_b = Σ_{j∈b} B_j c_j B_jᵀ (c = χ·w) the linearised kernel's nonzero spectrum is
that of the symmetric matrix Z_ab = g_ab L_aᵀ L_b / N0 (S_b = L_b L_bᵀ), and the
gap equation reads y_a = Σ_b g_ab S_b(Δ) y_b / N0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial import chebyshev as cheb
from numpy.typing import ArrayLike

from multigap.errors import MultigapError
from multigap.free_motion.motion import FreeMotion
from multigap.quadrature import panels
from multigap.superlattice.kronig_penney import Subbands

__all__ = [
    "KxGrading",
    "OverlapBasis",
    "overlap_basis",
    "kz_rule",
    "PairingKernel",
    "pairing_kernel",
    "band_matrices",
    "leading_eigenpairs",
]


@dataclass(frozen=True, eq=False)
class OverlapBasis:
    """Chebyshev interpolants in kz of E_n(kz) and of the low-rank overlap factor B_n(kz).

    Attributes
    ----------
    subbands : Subbands
    rank_tol : float
        Singular values of the sampled |ψ|² matrix below rank_tol × the largest
        are dropped; the error of Ĩ ≈ B Bᵀ is of order rank_tol².
    factor_coef : numpy.ndarray, shape (n_bands, deg + 1, rank)
        Chebyshev coefficients of B_n(kz).
    z_basis : numpy.ndarray, shape (n_z, rank)
        The right singular vectors V (B = P V, P_{kz,z} = |ψ|² sqrt(w_z/d)).
    """

    subbands: Subbands
    rank_tol: float
    factor_coef: np.ndarray
    z_basis: np.ndarray

    @property
    def rank(self) -> int:
        """The rank r of the low-rank overlap factor."""
        return self.z_basis.shape[1]

    def _x(self, kz):
        return 2.0 * np.asarray(kz, dtype=float) / self.subbands.kz_max - 1.0

    def energy(self, band: int, kz) -> np.ndarray:
        """E_n(kz) in eV (0-based band), from the subbands' interpolant."""
        return self.subbands.energy_interpolated(band + 1, kz)

    def factor(self, band: int, kz) -> np.ndarray:
        """B_n(kz), shape kz.shape + (rank,), from the interpolant (the Chebyshev
        polynomials at kz times the coefficients: one matrix product for every rank).
        """
        coef = self.factor_coef[band]
        return cheb.chebvander(self._x(kz), coef.shape[0] - 1) @ coef


def _chebyshev_samples(subbands: Subbands, n: int):
    x = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    kz = 0.5 * subbands.kz_max * (x + 1.0)
    sqrt_w = np.sqrt(subbands.z_weights / subbands.period)
    E = np.array([subbands.energy(b + 1, kz) for b in range(subbands.n_bands)])
    P = np.array(
        [subbands.bloch_density(b + 1, kz, energy=E[b]) * sqrt_w for b in range(subbands.n_bands)]
    )
    return x, E, P


def overlap_basis(
    subbands: Subbands, rank_tol: float, *, start: int = 32, max_nodes: int = 2048
) -> OverlapBasis:
    """Build the :class:`OverlapBasis` of a geometry.

    The number of Chebyshev nodes is doubled until the interpolant of B_n and the
    projection of |ψ|² onto the z-basis (to rank_tol) hold at the midpoints
    between nodes.

    Raises
    ------
    MultigapError
        If ``max_nodes`` nodes do not reach that accuracy (a band with a
        nearly closed gap at a zone centre or edge).
    """
    n = start
    while n <= max_nodes:
        x, E, P = _chebyshev_samples(subbands, n)
        _, s, vt = np.linalg.svd(P.reshape(-1, P.shape[-1]), full_matrices=False)
        V = vt[: int(np.sum(s > rank_tol * s[0]))].T
        B = P @ V
        b_coef = np.array([cheb.chebfit(x, B[b], n - 1) for b in range(E.shape[0])])
        basis = OverlapBasis(subbands, rank_tol, b_coef, V)
        xm, _, Pm = _chebyshev_samples(subbands, n + 1)  # interlaced check points
        kz_m = 0.5 * subbands.kz_max * (xm + 1.0)
        b_err = max(np.max(np.abs(basis.factor(b, kz_m) - Pm[b] @ V)) for b in range(E.shape[0]))
        proj = np.max(np.linalg.norm(Pm - (Pm @ V) @ V.T, axis=-1)) / s[0]
        if b_err < 1e-9 * s[0] and proj < max(10 * rank_tol, 1e-12):
            return basis
        n *= 2
    raise MultigapError(
        f"the kz interpolation of the Bloch functions did not converge with "
        f"{max_nodes} Chebyshev nodes (error {b_err:.2g}): a gap between "
        "subbands is too nearly closed for this geometry"
    )


def kz_rule(
    subbands: Subbands,
    band: int,
    mu: np.ndarray,
    omega: np.ndarray,
    *,
    panels_: int,
    levels: int,
    order: int,
):
    """Per-point kz nodes and weights of one band on [0, π/d].

    Parameters
    ----------
    subbands : Subbands
    band : int
        0-based band.
    mu, omega : numpy.ndarray, shape (m,)
        Chemical potential and cut-off ω̃ of each point, in eV.
    panels_, levels, order : int
        Uniform panels, geometric levels on each side of the tip, GL order.

    Returns
    -------
    kz, w : numpy.ndarray, shape (m, k)
        Nodes (nm⁻¹) and weights of ∫_0^{π/d} dkz; k is the same for every point.

    Notes
    -----
    A band that lies wholly above μ + ω̃ or below μ − ω̃ at every point has a
    smooth integrand and gets the uniform panels only. Otherwise the tip (the
    kz with E_n = μ, or the band extremum nearest μ) gets ``levels`` panels on
    each side, halving down to 2^-levels·π/d, and the window edges E_n = μ ± ω̃
    are breakpoints (clipped to the zone when outside the band, which leaves
    empty panels of zero weight).
    """
    kmax = subbands.kz_max
    bottom, top = subbands.edges[band]
    m = mu.size
    plain = np.broadcast_to(np.linspace(0.0, kmax, panels_ + 1), (m, panels_ + 1))
    if np.all((bottom > mu + omega) | (top < mu - omega)):
        return panels(plain, order)
    tip = subbands.wavevector(band + 1, mu)[:, None]
    steps = kmax * 0.5 ** np.arange(1, levels + 1)
    edges = np.stack(
        [subbands.wavevector(band + 1, mu - omega), subbands.wavevector(band + 1, mu + omega)], -1
    )
    br = np.concatenate([plain, tip, tip + steps, tip - steps, edges], -1)
    return panels(np.sort(np.clip(br, 0.0, kmax), axis=-1), order)


@dataclass(frozen=True, eq=False)
class KxGrading:
    """The kx rule a solver holds fixed for one band while it iterates.

    Attributes
    ----------
    scale : numpy.ndarray, shape (m, k_b)
        The gap size (eV) at each kz node that grades the innermost kx panels.
    rule : (numpy.ndarray, numpy.ndarray) or None
        The kx nodes ξ (eV) and weights, shape (m, k_b, n), computed once where the
        kernel integrates kx by quadrature; None where it uses the closed forms.
    """

    scale: np.ndarray
    rule: tuple[np.ndarray, np.ndarray] | None = None

    def __getitem__(self, index) -> KxGrading:
        rule = None if self.rule is None else (self.rule[0][index], self.rule[1][index])
        return KxGrading(self.scale[index], rule)


@dataclass(frozen=True, eq=False)
class PairingKernel:
    """The pairing kernel of a batch of m points on one geometry.

    Attributes
    ----------
    basis : OverlapBasis
    free : FreeMotion
    mu, omega : numpy.ndarray, shape (m,)
        Chemical potential and cut-off ω̃ in eV.
    g : numpy.ndarray, shape (m, n_bands, n_bands)
        Couplings g_{nn'}.
    kz, weight, offset : list of numpy.ndarray, one (m, k_b) array per band
        Nodes (nm⁻¹), ∫dkz/2π weights of the folded zone (nm⁻¹), E_n(kz) − μ (eV).
    factor : list of numpy.ndarray, one (m, k_b, rank) array per band
        B_n at the nodes.
    kx_order, kx_levels : int
        The kx rule of the free motion.
    chi_table : bool
        Use the tabulated linearised χ (sweeps) instead of quadrature.
    temperature : numpy.ndarray, shape (m,)
        k_B T of each point in eV, used by :meth:`gap_equation` when no T is given.
    """

    basis: OverlapBasis
    free: FreeMotion
    mu: np.ndarray
    omega: np.ndarray
    g: np.ndarray
    kz: list
    weight: list
    offset: list
    factor: list
    kx_order: int
    kx_levels: int
    chi_table: bool = False
    temperature: np.ndarray | None = None

    @property
    def size(self) -> int:
        """The number of points m in the batch."""
        return self.mu.size

    @property
    def n_bands(self) -> int:
        """The number of bands n."""
        return self.g.shape[-1]

    @property
    def kT(self) -> np.ndarray:
        """k_B T of each point (eV): the kernel's :attr:`temperature`, 0 if it has none."""
        return np.zeros(self.size) if self.temperature is None else self.temperature

    @property
    def nodes(self) -> int:
        """Kz nodes with nonzero weight per point (all bands), at point 0."""
        return int(sum(np.count_nonzero(w[0]) for w in self.weight))

    def subset(self, index) -> PairingKernel:
        """The kernel of some of the points."""
        take = lambda arrays: [a[index] for a in arrays]  # noqa: E731
        index = np.asarray(index)
        return PairingKernel(
            self.basis,
            self.free,
            self.mu[index],
            self.omega[index],
            self.g[index],
            take(self.kz),
            take(self.weight),
            take(self.offset),
            take(self.factor),
            self.kx_order,
            self.kx_levels,
            self.chi_table,
            None if self.temperature is None else self.temperature[index],
        )

    def susceptibility(
        self,
        T: ArrayLike,
        gap: list | None = None,
        *,
        derivative: bool = False,
        density: bool = False,
        chemical: bool = False,
        grading: list[KxGrading] | None = None,
    ):
        """χ at every node (a list of (m, k_b) arrays per band; tuples with the extras).

        ``T`` is k_B T in eV, one value or one per point; ``gap`` a list of Δ_n at the
        nodes (eV), or None; ``grading`` the kx rules a solver holds fixed (:meth:`grading`).
        ``chemical`` adds the μ-derivatives of :meth:`number_equations` (wires; on the
        quadrature or in closed form, as the gapped χ).
        """
        T = np.broadcast_to(np.asarray(T, dtype=float), self.mu.shape)[:, None]
        linear = gap is None and np.all(T > 0) and not (derivative or density)
        if linear and self.chi_table:
            # one table lookup for every band's nodes (the lookup's cost is per call)
            e = np.concatenate(self.offset, axis=1)
            chi = self.free.linear_susceptibility_table(e, T, self.omega[:, None])
            return np.split(chi, np.cumsum([o.shape[1] for o in self.offset])[:-1], axis=1)
        out, quadrature = [], self._kx_quadrature(T)
        for b in range(self.n_bands):
            e, om = self.offset[b], self.omega[:, None]
            if linear:
                out.append(
                    self.free.linear_susceptibility(
                        e, T, om, order=self.kx_order, levels=self.kx_levels
                    )
                )
            elif not quadrature:
                out.append(
                    self.free.closed_susceptibility(
                        e, T, np.broadcast_to(om, e.shape), None if gap is None else gap[b],
                        derivative=derivative, density=density, chemical=chemical,
                    )
                )  # fmt: skip
            else:
                out.append(
                    self.free.susceptibility(
                        e,
                        T,
                        np.broadcast_to(om, e.shape),
                        None if gap is None else gap[b],
                        order=self.kx_order,
                        levels=self.kx_levels,
                        derivative=derivative,
                        density=density,
                        chemical=chemical,
                        grading=None if grading is None else grading[b].scale,
                        rule=None if grading is None else grading[b].rule,
                    )
                )
        return out

    def gap_at_nodes(self, y: np.ndarray) -> list:
        """Δ_n(kz) = B_n(kz)·y_n at the nodes; y has shape (m, n_bands, rank)."""
        return [(self.factor[b] @ y[:, b, :, None])[..., 0] for b in range(self.n_bands)]

    def eigenvalues(self, T) -> np.ndarray:
        """λ_max of the linearised kernel at k_B T = T (eV; one value or one per point).

        Returns shape (m,).
        """
        c = [chi * w for chi, w in zip(self.susceptibility(T), self.weight)]
        return leading_eigenpairs(
            band_matrices(self.factor, c), self.g, self.free.pairing_dos(), vectors=False
        )

    def gap_shape(self, T: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """λ_max and the leading gap vector y (m, n_bands, rank) at k_B T = T (eV)."""
        c = [chi * w for chi, w in zip(self.susceptibility(T), self.weight)]
        return leading_eigenpairs(
            band_matrices(self.factor, c), self.g, self.free.pairing_dos(), vectors=True
        )

    def _kx_quadrature(self, T) -> bool:
        """Whether the gapped χ (and ∂χ/∂Δ, δρ) at k_B T = T (eV) is integrated over kx by
        quadrature rather than in closed form: for free motions without closed forms, and
        for the maps at T = 0, where the quadrature's T = 0 branch on their coarse rule is
        cheaper than the closed form (which is cheaper at T > 0).
        """
        return not self.free.closed_form or (self.chi_table and not np.all(np.asarray(T) > 0))

    def grading(self, y: np.ndarray) -> list[KxGrading]:
        """The kx grading of every band for gaps near y: |Δ_n(kz)|/2 at the nodes, floored
        at 1e-3 of the point's largest gap, so a solver can hold its kx rule fixed
        (:meth:`fixed_rules` computes the rule's nodes once).
        """
        gap = [np.abs(d) for d in self.gap_at_nodes(y)]
        peak = np.max([np.max(d, axis=1) for d in gap], axis=0)[:, None]
        return [KxGrading(np.maximum(0.5 * d, 1e-3 * peak)) for d in gap]

    def fixed_rules(self, grading: list[KxGrading]) -> list[KxGrading]:
        """The gradings with their kx nodes computed, at the kernel's temperature, for a
        solver that evaluates the gap equation several times on one rule (where the kernel
        integrates kx in closed form there are no nodes, and the gradings are returned).
        """
        T = self.kT[:, None]
        if not self._kx_quadrature(T):
            return grading
        om = self.omega[:, None]
        return [
            KxGrading(d.scale, self.free.window_rule(
                e, T, np.broadcast_to(om, e.shape), d.scale,
                order=self.kx_order, levels=self.kx_levels,
            ))
            for e, d in zip(self.offset, grading)
        ]  # fmt: skip

    def entropy_change(self, y: np.ndarray) -> np.ndarray:
        """Σ_n ∫dkz/2π of the pairing change of the entropy at the kernel's temperature,
        for gaps y (m, n_bands, rank): units of k_B per nm², shape (m,).
        """
        T = self.kT
        total = np.zeros(self.size)
        for e, d, w in zip(self.offset, self.gap_at_nodes(y), self.weight):
            s = self.free.pairing_entropy(
                e, T[:, None], self.omega[:, None], d, order=self.kx_order, levels=self.kx_levels
            )
            total += np.sum(w * s, axis=-1)
        return total

    def gap_equation(
        self,
        y: np.ndarray,
        *,
        jacobian: bool = True,
        density: bool = False,
        grading: list[KxGrading] | None = None,
    ):
        """Residual F(y) = y − Σ_b g_ab S_b(Δ) y_b / N0 of the gap equation in y-space.

        The temperature is the kernel's own :attr:`temperature` (0 if it has none).

        Returns
        -------
        F : numpy.ndarray, shape (m, n_bands, rank)
        J : numpy.ndarray, shape (m, n_bands·rank, n_bands·rank), if ``jacobian``
            ∂F/∂y = 1 − g_ab Σ_{j∈b} B_j w_j (χ_j + Δ_j ∂χ_j/∂Δ) B_jᵀ / N0.
        drho : numpy.ndarray, shape (m,), if ``density``
            Σ_n ∫dkz/2π δρ_n(kz): the pairing change of the density, nm⁻².

        ``grading`` (from :meth:`grading`) fixes the kx rule; by default it follows Δ.
        """
        gap = self.gap_at_nodes(y)
        parts = self.susceptibility(
            self.kT, gap, derivative=jacobian, density=density, grading=grading
        )
        parts = [p if isinstance(p, tuple) else (p,) for p in parts]
        out = self._equations(y, gap, parts, jacobian=jacobian, density=density)
        return out[0] if len(out) == 1 else tuple(out)

    def _equations(self, y, gap, parts, *, jacobian: bool = True, density: bool = True) -> list:
        """F (and J, δρ) from the free motion's integrals ``parts`` at the nodes: per band
        (χ, ∂χ/∂|Δ|, δρ, …), as many as were asked for.
        """
        n0 = self.free.pairing_dos()
        S = band_matrices(self.factor, [p[0] * w for p, w in zip(parts, self.weight)])
        Sy = np.einsum("mbrs,mbs->mbr", S, y)
        out = [y - np.einsum("mab,mbr->mar", self.g, Sy) / n0]
        if jacobian:
            # ∂(χ(|Δ|)Δ)/∂Δ = χ + |Δ| ∂χ/∂|Δ|: the free motion differentiates in |Δ|
            dS = band_matrices(
                self.factor,
                [(p[0] + np.abs(d) * p[1]) * w for p, d, w in zip(parts, gap, self.weight)],
            )
            m, nb, r = y.shape
            J = -(self.g[:, :, None, :, None] * dS[:, None, :, :, :].transpose(0, 1, 3, 2, 4)) / n0
            out.append(J.reshape(m, nb * r, nb * r) + np.eye(nb * r))
        if density:
            i = 2 if jacobian else 1
            out.append(sum(np.sum(p[i] * w, axis=-1) for p, w in zip(parts, self.weight)))
        return out

    def number_equations(self, y: np.ndarray, grading: list[KxGrading]) -> tuple:
        """The gap equation, the density change and their μ-derivatives at gaps y, for a
        joint Newton on (y, μ) at fixed density (wires; the temperature is the kernel's).

        Returns
        -------
        F, J, drho : as :meth:`gap_equation` with ``density``.
        dF_dmu : numpy.ndarray, shape (m, n_bands, rank)
            ∂F/∂μ = Σ_b g_ab Σ_{j∈b} B_j w_j Δ_j ∂χ_j/∂e / N0 (e = E_n(kz) − μ), eV⁻¹.
        drho_dy : numpy.ndarray, shape (m, n_bands, rank)
            ∂δρ/∂y_b = Σ_{j∈b} w_j B_j ∂δρ_j/∂Δ_j, nm⁻²·eV⁻¹.
        drho_dmu : numpy.ndarray, shape (m,)
            ∂ρ/∂μ of the whole density (normal part and pairing change), nm⁻²·eV⁻¹.

        The kz nodes are held where they are (they move with μ): these derivatives are a
        Jacobian's, about 1 % from those of kernels rebuilt at a shifted μ (the joint
        Newton corrects them by a secant), not results.
        """
        gap = self.gap_at_nodes(y)
        parts = self.susceptibility(
            self.kT, gap, derivative=True, density=True, chemical=True, grading=grading
        )
        F, J, drho = self._equations(y, gap, parts)
        n0 = self.free.pairing_dos()
        per_band = lambda c: np.stack(  # noqa: E731
            [np.einsum("mkr,mk->mr", B, cb * w) for B, cb, w in zip(self.factor, c, self.weight)], 1
        )
        dF_dmu = np.einsum("mab,mbr->mar", self.g, per_band([p[3] * d for p, d in zip(parts, gap)]))
        drho_dy = per_band([p[4] * np.sign(d) for p, d in zip(parts, gap)])
        drho_dmu = sum(np.sum(p[5] * w, axis=-1) for p, w in zip(parts, self.weight))
        return F, J, drho, dF_dmu / n0, drho_dy, drho_dmu


def band_matrices(factor: list, c: list) -> np.ndarray:
    """S_b = Σ_{j∈b} B_j c_j B_jᵀ for every point: shape (m, n_bands, rank, rank)."""
    return np.stack([np.swapaxes(B, 1, 2) @ (B * cb[..., None]) for B, cb in zip(factor, c)], 1)


def leading_eigenpairs(S: np.ndarray, g: np.ndarray, n0: float, *, vectors: bool):
    """λ_max of [g_ab S_b / N0] through the symmetric Z_ab = g_ab L_aᵀ L_b / N0.

    With ``vectors`` also the leading y (m, n_bands, rank), y_a = Σ_b g_ab L_b x_b/(N0 λ),
    for the eigenvector x of Z. A point whose S holds a NaN gets λ = NaN (and y = 0).
    """
    m, nb, r, _ = S.shape
    finite = np.isfinite(S).all(axis=(1, 2, 3))
    if not finite.all():
        lam, y = np.full(m, np.nan), np.zeros((m, nb, r))
        if finite.any():
            part = leading_eigenpairs(S[finite], g[finite], n0, vectors=vectors)
            lam[finite] = part[0] if vectors else part
            if vectors:
                y[finite] = part[1]
        return (lam, y) if vectors else lam
    L = _square_root_factor(S)
    LL = np.einsum("mars,mbrt->mabst", L, L)
    Z = (g[..., None, None] * LL).transpose(0, 1, 3, 2, 4).reshape(m, nb * r, nb * r) / n0
    if not vectors:
        return np.linalg.eigvalsh(Z)[:, -1]
    lam, X = np.linalg.eigh(Z)
    lam, x = lam[:, -1], X[:, :, -1].reshape(m, nb, r)
    Lx = np.einsum("mbrs,mbs->mbr", L, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.einsum("mab,mbr->mar", g, Lx) / (n0 * lam[:, None, None])
    return lam, np.nan_to_num(y)


def _square_root_factor(S: np.ndarray) -> np.ndarray:
    """A factor L with S = L Lᵀ (to rounding) of every positive semidefinite S_b.

    Any factor gives the same nonzero spectrum of Z. Cholesky's, of S_b plus 1e-13 of its
    trace on the diagonal (which moves λ_max by that relative amount at most, and makes
    the rank-deficient S_b of a band with few nodes definite), is five times cheaper than
    the eigen-decomposition, which remains the fallback (an S_b that rounding left
    indefinite beyond the shift). S must be finite.
    """
    r = S.shape[-1]
    shift = 1e-13 * np.trace(S, axis1=-2, axis2=-1) + np.finfo(float).tiny
    try:
        return np.linalg.cholesky(S + shift[..., None, None] * np.eye(r))
    except np.linalg.LinAlgError:
        lam_s, Q = np.linalg.eigh(S)
        return Q * np.sqrt(np.maximum(lam_s, 0.0))[..., None, :]


def pairing_kernel(
    basis: OverlapBasis,
    free: FreeMotion,
    mu,
    omega,
    g,
    *,
    kz_panels: int,
    kz_levels: int,
    kz_order: int,
    kx_order: int,
    kx_levels: int,
    chi_table: bool = False,
    temperature=None,
) -> PairingKernel:
    """Build the kernel of a batch of points.

    Parameters
    ----------
    basis : OverlapBasis
    free : FreeMotion
    mu, omega : float or array_like, shape (m,)
        Chemical potentials and cut-offs ω̃, in eV (broadcast together).
    g : array_like, shape (m, n_bands, n_bands) or (n_bands, n_bands)
        Couplings g_{nn'}.
    kz_panels, kz_levels, kz_order : int
        The kz rule (:func:`kz_rule`).
    kx_order, kx_levels : int
        The kx rule of the free motion.
    chi_table : bool
        Tabulated linearised χ.
    temperature : float or array_like, optional
        k_B T of the points in eV, for the gap equation.
    """
    g = np.asarray(g, dtype=float)
    m = max(np.size(mu), np.size(omega), g.shape[0] if g.ndim == 3 else 1)
    mu = np.broadcast_to(np.asarray(mu, dtype=float), (m,)).copy()
    omega = np.broadcast_to(np.asarray(omega, dtype=float), (m,)).copy()
    g = np.broadcast_to(g, (m,) + g.shape[-2:]).copy()
    kz, weight, offset, factor = [], [], [], []
    for b in range(g.shape[-1]):
        k, w = kz_rule(
            basis.subbands, b, mu, omega, panels_=kz_panels, levels=kz_levels, order=kz_order
        )
        kz.append(k)
        weight.append(w / np.pi)
        offset.append(basis.energy(b, k) - mu[:, None])
        factor.append(basis.factor(b, k))
    T = (
        None
        if temperature is None
        else np.broadcast_to(np.asarray(temperature, dtype=float), (m,)).copy()
    )
    return PairingKernel(
        basis, free, mu, omega, g, kz, weight, offset, factor, kx_order, kx_levels, chi_table, T
    )
