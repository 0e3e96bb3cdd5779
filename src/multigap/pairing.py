"""The pairing interaction's energy scale: the Migdal-softened cut-off ω̃.

The gap equation reads

    Δ_n(kz) = Σ_n' ∫ dkz'/2π (g_{nn'}/N0) Ĩ^{nn'}(kz,kz') χ_n'(kz') Δ_n'(kz'),

with χ the pair susceptibility of the free motion inside the window |ξ| < ω̃ on
both states (:mod:`multigap.free_motion`), assembled by :mod:`multigap.kernel`.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError

__all__ = ["migdal_cutoff"]


def migdal_cutoff(omega0: float, g: np.ndarray) -> float:
    """ω̃ = ω0 sqrt(1 − 2 max_n g_nn) (paper eq. 1, implemented literally).

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
