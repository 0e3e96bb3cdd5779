"""An independent finite-difference solver of the BenDaniel–Duke Bloch problem.

Used only by the tests to cross-check the transfer-matrix solution. The operator
−HB2M ∂z (1/m(z)) ∂z + V(z) is discretised on N points of the cell with the mass
at the half-points (the Hermitian form) and the Bloch condition ψ_N = e^{iqd} ψ_0.
Its error is O(h²); two grids give a Richardson-extrapolated value.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from multigap.units import HB2M


def fd_bloch(sl, q, n_points, n_states=3):
    """Lowest eigenvalues (eV) and normalised |ψ|² on the grid z_j = j d/N."""
    d = sl.period
    h = d / n_points
    z = np.arange(n_points) * h
    zh = z + 0.5 * h
    bounds = np.cumsum([layer[0] for layer in sl.cell])
    masses = np.array([layer[2] for layer in sl.cell])
    potentials = np.array([layer[1] for layer in sl.cell])
    layer_of = lambda x: np.minimum(np.searchsorted(bounds, x, side="right"), len(bounds) - 1)  # noqa: E731
    m_half = masses[layer_of(zh)]
    V = potentials[layer_of(z)]
    starts = np.concatenate([[0.0], bounds[:-1]])
    for j, z0 in enumerate(starts):  # a grid point on an interface sees the mean potential
        on = np.isclose(z, z0)
        V = np.where(on, 0.5 * (potentials[j] + potentials[j - 1]), V)
    t = HB2M / (h * h * m_half)  # coupling j ↔ j+1
    diag = t + np.roll(t, 1) + V
    H = sp.diags([diag, -t[:-1], -t[:-1]], [0, 1, -1], format="lil", dtype=complex)
    phase = np.exp(1j * q * d)
    H[n_points - 1, 0] = -t[-1] * phase
    H[0, n_points - 1] = -t[-1] * np.conj(phase)
    vals, vecs = eigsh(H.tocsc(), k=n_states, sigma=-1.0, which="LM")
    order = np.argsort(vals)
    vals, vecs = vals[order], vecs[:, order]
    dens = np.abs(vecs) ** 2
    dens /= dens.mean(axis=0)
    return vals, z, dens.T
