"""The pairing interaction's energy scale: the Migdal-softened cut-off ω̃.

The gap equation reads

    Δ_n(kz) = Σ_n' ∫ dkz'/2π (g_{nn'}/N0) Ĩ^{nn'}(kz,kz') χ_n'(kz') Δ_n'(kz'),

with χ the pair susceptibility of the free motion inside the window |ξ| < ω̃ on
both states (:mod:`multigap.free_motion.motion`), assembled by :mod:`multigap.pairing.kernel`.
"""

from __future__ import annotations

import numpy as np

from multigap.errors import ParameterError

__all__ = ["COUPLING_RANGE", "allen_dynes_tc", "is_coupling", "migdal_cutoff"]

#: The couplings g_nn a band may have: the Migdal softening ω0·sqrt(1 − 2g) vanishes at 0.5.
COUPLING_RANGE = "a coupling in [0, 0.5)"


def is_coupling(g) -> np.ndarray:
    """Where g (a number or an array) is a coupling the model takes: finite, in [0, 0.5)."""
    g = np.asarray(g, dtype=float)
    return np.isfinite(g) & (g >= 0.0) & (g < 0.5)


def migdal_cutoff(omega0: float, g: np.ndarray) -> float | np.ndarray:
    """ω̃ = ω0 sqrt(1 − 2 max_n g_nn) (paper eq. 1, implemented literally).

    Parameters
    ----------
    omega0 : float
        Bare phonon energy ω0 in eV.
    g : numpy.ndarray, shape (n, n) or (m, n, n)
        Dimensionless couplings g_{nn'}, of one point or of m points.

    Returns
    -------
    float or numpy.ndarray
        ω̃ in eV (shape (m,) for m points).

    Raises
    ------
    ParameterError
        If max g_nn >= 0.5 (at any point), where the softened phonon vanishes.
    """
    gmax = np.max(np.diagonal(np.atleast_2d(g), axis1=-2, axis2=-1), axis=-1)
    too_large = np.ravel(~(gmax < 0.5))
    if too_large.any():
        raise ParameterError(
            "max g_nn",
            float(np.ravel(gmax)[too_large][0]),
            "a coupling < 0.5 (the Migdal softening ω0·sqrt(1 − 2g) vanishes at g = 0.5)",
        )
    omega = omega0 * np.sqrt(1.0 - 2.0 * gmax)
    return float(omega) if np.ndim(omega) == 0 else omega


def allen_dynes_tc(g: float, omega: float, mu_star: float = 0.10) -> float:
    """The conventional single-band estimate: the Allen–Dynes Tc, in K.

    Tc = (ω_log/1.2) exp[−1.04(1 + λ)/(λ − μ*(1 + 0.62λ))] with λ = g/(1 − g) (the
    paper's g is the reduced coupling λ/(1 + λ)) and ω_log = ω̃/k_B.

    Parameters
    ----------
    g : float
        The tuned band's coupling, in [0, 1).
    omega : float
        ω̃ in eV.
    mu_star : float
        Coulomb pseudopotential μ* (default 0.10), in [0, 0.5).

    Returns
    -------
    float
        Tc in K; 0 where λ <= μ*(1 + 0.62λ) (no pairing in this formula).
    """
    from multigap.units import K_B

    if not (np.isfinite(mu_star) and 0.0 <= mu_star < 0.5):
        raise ParameterError("mu_star", mu_star, "a Coulomb pseudopotential in [0, 0.5)")
    lam = g / (1.0 - g)
    denom = lam - mu_star * (1.0 + 0.62 * lam)
    if denom <= 0:
        return 0.0
    return float(omega / K_B / 1.2 * np.exp(-1.04 * (1.0 + lam) / denom))
