"""Pair-overlap ("exchange") integrals Ĩ^{nn'}(kz, kz').

Ĩ^{nn'}(kz, kz') = (1/d) ∫_cell |ψ_{n,kz}(z)|² |ψ_{n',kz'}(z)|² dz,

the corrected form of the paper's overlap integral (the print lacks the complex
conjugate). It is real, symmetric, even in each kz, 1 for V → 0 with equal
masses, and Ĩ^{nn}(k, k) >= 1 (Cauchy–Schwarz with the unit cell average).
The z integral uses Gauss–Legendre separately in the well and the barrier,
where ψ is analytic, so it converges exponentially in ``Numerics.n_z``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multigap.quadrature import gauss_legendre
from multigap.superlattice.kronig_penney import Subbands

__all__ = [
    "BlochTable",
    "bloch_table",
    "pair_overlap",
    "overlap_summary",
    "uniform_kz_rule",
]


@dataclass(frozen=True, eq=False)
class BlochTable:
    """Bloch densities of every subband on its own kz nodes: the cache the pairing uses.

    Attributes
    ----------
    kz : numpy.ndarray, shape (n_bands, n_k)
        kz nodes of each band on [0, π/d], in nm⁻¹.
    weights : numpy.ndarray, shape (n_bands, n_k)
        Quadrature weights of ∫_0^{π/d} dkz, in nm⁻¹.
    energy : numpy.ndarray, shape (n_bands, n_k)
        E_n(kz) in eV.
    density : numpy.ndarray, shape (n_bands, n_k, n_z)
        |ψ_{n,kz}(z)|² at the cell's z nodes (cell average 1).
    z_weights : numpy.ndarray, shape (n_z,)
        z quadrature weights divided by d, so that (1/d)∫ dz → ``@ z_weights``.
    """

    kz: np.ndarray
    weights: np.ndarray
    energy: np.ndarray
    density: np.ndarray
    z_weights: np.ndarray


def uniform_kz_rule(subbands: Subbands, n_kz: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [0, π/d] (interior nodes only)."""
    return gauss_legendre(0.0, subbands.kz_max, n_kz or subbands.numerics.n_kz)


def bloch_table(subbands: Subbands, kz: np.ndarray, weights: np.ndarray) -> BlochTable:
    """Tabulate E_n and |ψ_n|² on per-band kz nodes.

    Parameters
    ----------
    subbands : Subbands
    kz, weights : array_like, shape (n_k,) or (n_bands, n_k)
        kz nodes in [0, π/d] (nm⁻¹) and their weights; a 1-D array is shared by
        every band.

    Returns
    -------
    BlochTable
    """
    nb = subbands.n_bands
    kz = np.broadcast_to(np.asarray(kz, dtype=float), (nb, np.shape(kz)[-1]))
    weights = np.broadcast_to(np.asarray(weights, dtype=float), kz.shape)
    energy = np.array([subbands.energy(n + 1, kz[n]) for n in range(nb)])
    dens = np.array([subbands.bloch_density(n + 1, kz[n], energy=energy[n]) for n in range(nb)])
    return BlochTable(
        kz=np.array(kz),
        weights=np.array(weights),
        energy=energy,
        density=dens,
        z_weights=subbands.z_weights / subbands.period,
    )


def pair_overlap(table: BlochTable) -> np.ndarray:
    """Ĩ^{nn'}(kz, kz') on the table's nodes.

    Returns
    -------
    numpy.ndarray, shape (n_bands, n_k, n_bands, n_k)
        Dimensionless; index order (n, kz, n', kz').
    """
    P = table.density
    nb, nk, nz = P.shape
    flat = P.reshape(nb * nk, nz)
    return ((flat * table.z_weights) @ flat.T).reshape(nb, nk, nb, nk)


def overlap_summary(overlap: np.ndarray, weights: np.ndarray, bins: int = 40):
    """Per band pair: zone-weighted mean, min, max and histogram of Ĩ (paper Fig. 5).

    Parameters
    ----------
    overlap : numpy.ndarray, shape (n_bands, n_k, n_bands, n_k)
    weights : numpy.ndarray, shape (n_bands, n_k)
        kz weights; the histogram counts the fraction of the (kz, kz') zone.
    bins : int
        Histogram bins, shared by all pairs.

    Returns
    -------
    dict
        ``mean``, ``min``, ``max`` of shape (n_bands, n_bands); ``hist`` of shape
        (n_bands, n_bands, bins), each pair's fractions summing to 1;
        ``bin_edges`` of shape (bins + 1,).
    """
    nb = overlap.shape[0]
    edges = np.linspace(overlap.min(), overlap.max(), bins + 1)
    mean = np.empty((nb, nb))
    hist = np.empty((nb, nb, bins))
    for a in range(nb):
        for b in range(nb):
            w = np.outer(weights[a], weights[b])
            w = w / w.sum()
            mean[a, b] = np.sum(w * overlap[a, :, b, :])
            hist[a, b] = np.histogram(overlap[a, :, b, :], bins=edges, weights=w)[0]
    return {
        "mean": mean,
        "min": overlap.min(axis=(1, 3)),
        "max": overlap.max(axis=(1, 3)),
        "hist": hist,
        "bin_edges": edges,
    }
