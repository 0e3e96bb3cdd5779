"""Pairing ingredients: couplings, the Migdal cut-off, the kz grid and the kx pair susceptibility.

Spec §4. The gap equation on the kernel grid reads

    Δ_n(kz) = Σ_n' ∫ dkz'/2π (g_{nn'}/N0) Ĩ^{nn'}(kz,kz') χ_n'(kz') Δ_n'(kz'),

with χ the kx pair susceptibility inside the window |ξ| < ω̃ on both states.
Time reversal folds kz onto [0, π/d] with weight 2, so ∫dkz/2π → (1/π)∫_0^{π/d}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Numerics, Pairing, Superlattice
from .errors import ParameterError
from .overlap import BlochTable, bloch_table, pair_overlap
from .quadrature import crossing_breakpoints, panels
from .superlattice import Subbands
from .units import HB2M, normal_dos_2d

__all__ = [
    "migdal_cutoff",
    "KernelGrid",
    "kernel_grid",
    "tip_breakpoints",
    "pair_susceptibility",
    "gap_susceptibility",
]


def migdal_cutoff(omega0: float, g: np.ndarray) -> float:
    """ω̃ = ω0 sqrt(1 − 2 max_n g_nn) (paper eq. 1, implemented literally; spec §4).

    Parameters
    ----------
    omega0 : float
        Bare phonon energy ω0 in eV.
    g : numpy.ndarray, shape (n, n)
        Dimensionless couplings g_{nn'}.

    Returns
    -------
    float
        ω̃ in eV.

    Raises
    ------
    ParameterError
        If max g_nn >= 0.5, where the softened phonon vanishes.
    """
    gmax = float(np.max(np.diag(np.atleast_2d(g))))
    if not gmax < 0.5:
        raise ParameterError("max g_nn", gmax, "a coupling < 0.5 (the Migdal softening "
                             "ω0·sqrt(1 − 2g) vanishes at g = 0.5)")
    return omega0 * np.sqrt(1.0 - 2.0 * gmax)


@dataclass(frozen=True, eq=False)
class KernelGrid:
    """The kz grid, Bloch table and pairing matrix of one (μ, ω̃) point.

    Attributes
    ----------
    table : BlochTable
        kz nodes, weights, E_n(kz) and |ψ|² per band.
    mu : float
        Chemical potential the grid was built for, in eV.
    omega : float
        Cut-off ω̃ in eV.
    coupling : numpy.ndarray, shape (N, N)
        G = g_{nn'} Ĩ^{nn'}(kz,kz') / N0 over the flattened (band, kz) nodes,
        in eV·nm² (so that G·χ·w is dimensionless).
    weights : numpy.ndarray, shape (N,)
        ∫dkz/2π weights on [−π/d, π/d] folded: quadrature weight / π, in nm⁻¹.
    band_index : numpy.ndarray, shape (N,)
        0-based band of each flattened node.
    """

    table: BlochTable
    mu: float
    omega: float
    coupling: np.ndarray
    weights: np.ndarray
    band_index: np.ndarray

    @property
    def energy(self) -> np.ndarray:
        """E_n(kz) − μ at the flattened nodes, in eV."""
        return self.table.energy.ravel() - self.mu

    @property
    def size(self) -> int:
        return self.weights.size


def tip_breakpoints(subbands: Subbands, band: int, mu: float, reach: float, levels: int,
                    uniform: int, extra=()) -> np.ndarray:
    """kz breakpoints for one band of a kernel grid, on [0, π/d].

    A band that never comes within *reach* (eV) of μ gets *uniform* plain panels.
    Otherwise: the same uniform panels, plus the Fermi-contour tip (or the band
    extremum nearest μ when μ is outside the band) with *levels* geometric panels
    (ratio 1/2) on each side of it, plus the *extra* kz points (e.g. window edges).
    """
    kmax = subbands.kz_max
    bottom, top = subbands.edges[band - 1]
    plain = np.linspace(0.0, kmax, uniform + 1)
    if bottom > mu + reach or top < mu - reach:
        return plain
    tip = float(subbands.wavevector(band, min(max(mu, bottom), top)))
    steps = kmax * 0.5 ** np.arange(1, levels + 1)
    br = np.concatenate([plain, [tip], tip + steps, tip - steps, np.asarray(extra, dtype=float)])
    return np.unique(np.clip(br, 0.0, kmax))


def _band_breakpoints(subbands: Subbands, band: int, mu: float, omega: float,
                      numerics: Numerics) -> np.ndarray:
    """kz breakpoints for one band: graded at the tip, plus the window edges μ ± ω̃."""
    bottom, top = subbands.edges[band - 1]
    edges = [float(subbands.wavevector(band, e)) for e in (mu - omega, mu + omega)
             if bottom < e < top]
    return tip_breakpoints(subbands, band, mu, omega, numerics.kz_levels,
                           numerics.kz_smooth_panels, edges)


def kernel_grid(subbands: Subbands, pairing: Pairing, mu: float, *,
                g: np.ndarray | None = None, omega: float | None = None) -> KernelGrid:
    """Build the kz grid, the Bloch table and the pairing matrix for chemical potential μ.

    Parameters
    ----------
    subbands : Subbands
    pairing : Pairing
    mu : float
        Chemical potential in eV.
    g : numpy.ndarray, optional
        Coupling matrix; default ``pairing.coupling_matrix``.
    omega : float, optional
        Cut-off ω̃ in eV; default the Migdal cut-off of ``pairing.omega0`` and g.

    Returns
    -------
    KernelGrid

    Notes
    -----
    The kz integrand has integrable peaks where a band's Fermi contour ends
    (E_n(kz) = μ), sharp at low T, and kinks where E_n = μ ± ω̃. Each band gets
    its own composite Gauss–Legendre grid with breakpoints at those points and
    panels graded geometrically (ratio 1/2, ``kz_levels`` levels) on both sides
    of the tip, so the integral converges exponentially, not as 1/sqrt(n_kz).
    """
    sl: Superlattice = subbands.superlattice
    num = subbands.numerics
    g = pairing.coupling_matrix(sl.n_bands, sl.tuned_band) if g is None else np.asarray(g)
    omega = migdal_cutoff(pairing.omega0, g) if omega is None else float(omega)
    nodes, weights = [], []
    for n in range(1, sl.n_bands + 1):
        k, w = panels(_band_breakpoints(subbands, n, mu, omega, num), num.kz_order)
        keep = w > 0
        nodes.append(k[keep])
        weights.append(w[keep])
    size = max(len(k) for k in nodes)
    # bands may have different node counts: pad with zero-weight copies of the last node
    kz = np.array([np.pad(k, (0, size - len(k)), mode="edge") for k in nodes])
    wz = np.array([np.pad(w, (0, size - len(w))) for w in weights])
    table = bloch_table(subbands, kz, wz)
    I = pair_overlap(table)
    nb = sl.n_bands
    G = (g[:, None, :, None] * I / normal_dos_2d(sl.mass_x)).reshape(nb * size, nb * size)
    return KernelGrid(table=table, mu=float(mu), omega=omega, coupling=G,
                      weights=wz.ravel() / np.pi,
                      band_index=np.repeat(np.arange(nb), size))


def _kx_panels(e: np.ndarray, omega: float, scale: np.ndarray, numerics: Numerics):
    """Nodes y = sqrt(HB2M/m_x)·kx and weights covering the window |y² + e| <= ω̃,
    graded on both sides of the crossing y0 = sqrt(−e) with innermost width set by
    *scale* (2T or Δ, in eV)."""
    y_lo = np.sqrt(np.maximum(-omega - e, 0.0))
    y_hi = np.sqrt(np.maximum(omega - e, 0.0))
    y0 = np.clip(np.sqrt(np.maximum(-e, 0.0)), y_lo, y_hi)
    width = 0.5 * scale / (2.0 * y0 + np.sqrt(scale))
    span = np.max(np.maximum(y_hi - y0, y0 - y_lo) / width, initial=1.0)
    levels = max(numerics.kx_levels, int(np.ceil(np.log2(span + 1.0))) + 1)
    br = crossing_breakpoints(y_lo, y_hi, y0, width, levels)
    return panels(br, numerics.kx_order)


def pair_susceptibility(e: np.ndarray, T: float, omega: float, mass_x: float,
                        numerics: Numerics) -> np.ndarray:
    """Linearised kx pair susceptibility χ(e; T) = ∫ dkx/2π θ(ω̃−|ξ|) tanh(ξ/2T)/(2ξ).

    Parameters
    ----------
    e : numpy.ndarray
        E_n(kz) − μ at the kz nodes, in eV; ξ = HB2M kx²/m_x + e.
    T : float
        Temperature k_B T in eV (> 0).
    omega : float
        Cut-off ω̃ in eV.
    mass_x : float
        m_x in m_e.
    numerics : Numerics

    Returns
    -------
    numpy.ndarray
        χ in eV⁻¹·nm⁻¹ (same shape as e).

    Notes
    -----
    Integrated in kx (as y = sqrt(HB2M/m_x) kx), not in ξ, so the band bottom
    of the kx parabola causes no singularity; panels graded towards the Fermi
    crossing resolve the thermal width ~2T.
    """
    e = np.asarray(e, dtype=float)
    y, w = _kx_panels(e, omega, np.full(e.shape, 2.0 * T), numerics)
    xi = y * y + e[..., None]
    x = xi / (2.0 * T)
    small = np.abs(x) < 1e-6
    ratio = np.where(small, 1.0 - x * x / 3.0, np.tanh(x) / np.where(small, 1.0, x))
    inside = np.abs(xi) <= omega
    val = np.sum(w * np.where(inside, ratio, 0.0), axis=-1) / (4.0 * T)
    return np.sqrt(mass_x / HB2M) / np.pi * val


def gap_susceptibility(e: np.ndarray, gap: np.ndarray, omega: float, mass_x: float,
                       numerics: Numerics, *, with_derivative: bool = False,
                       with_density: bool = False):
    """T = 0 kx integrals at gap Δ: χ = ∫dkx/2π θ(ω̃−|ξ|)/(2E), E = sqrt(ξ² + Δ²).

    Parameters
    ----------
    e : numpy.ndarray
        E_n(kz) − μ in eV.
    gap : numpy.ndarray
        Δ_n(kz) in eV (its magnitude is used; a floor of 1e-300 avoids 1/0).
    omega, mass_x, numerics
        As in :func:`pair_susceptibility`.
    with_derivative : bool
        Also return dχ/dΔ = −Δ ∫dkx/2π θ/(2E³).
    with_density : bool
        Also return the pairing change of the density per kz,
        δρ = ∫dkx/2π θ(ω̃−|ξ|) [1 − ξ/E − 2θ(−ξ)] (both spins; spec §4, eq. 7
        corrected), in nm⁻¹.

    Returns
    -------
    chi : numpy.ndarray
        In eV⁻¹·nm⁻¹.
    dchi : numpy.ndarray, optional
        In eV⁻²·nm⁻¹.
    drho : numpy.ndarray, optional
        In nm⁻¹.
    """
    e = np.asarray(e, dtype=float)
    gap = np.maximum(np.abs(np.asarray(gap, dtype=float)), 1e-300)
    y, w = _kx_panels(e, omega, np.broadcast_to(gap, e.shape), numerics)
    xi = y * y + e[..., None]
    E = np.hypot(xi, gap[..., None])
    inside = np.abs(xi) <= omega
    w = np.where(inside, w, 0.0)
    pref = np.sqrt(mass_x / HB2M) / np.pi
    out = [pref * np.sum(w / (2.0 * E), axis=-1)]
    if with_derivative:
        out.append(-pref * gap * np.sum(w / (2.0 * E ** 3), axis=-1))
    if with_density:
        # 1 − ξ/E − 2θ(−ξ) = sign(ξ)(1 − |ξ|/E) = sign(ξ) Δ²/(E(E + |ξ|)), without cancellation
        a = np.abs(xi)
        out.append(pref * np.sum(w * np.sign(xi) * gap[..., None] ** 2 / (E * (E + a)), axis=-1))
    return out[0] if len(out) == 1 else tuple(out)
