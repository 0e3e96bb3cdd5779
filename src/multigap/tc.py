"""Critical temperature from the linearised multiband gap equation (spec §4, paper eq. 8).

Tc is where the largest eigenvalue of the symmetric kernel K(T) = sqrt(c) G sqrt(c)
equals 1, with G = g_{nn'} Ĩ / N0 on the (band, kz) nodes and c = χ_n(kz; T)·w_kz
(the cut-off θ(ω̃ − |ξ|) that the printed eq. 8 drops is restored). λ_max(T)
falls monotonically with T, so Tc is bracketed and found by Brent's method in ln T.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import scipy.linalg as sla
from scipy.optimize import brentq

from .errors import ConvergenceError, ParameterError
from .pairing import KernelGrid, pair_susceptibility
from .units import K_B

__all__ = ["TcResult", "leading_eigenpair", "kernel_eigenvalue", "solve_tc", "MU_MODES",
           "check_mu_mode"]

#: Which chemical potential the Tc calculation uses.
MU_MODES = ("normal", "fixed_density")


@dataclass(frozen=True, eq=False)
class TcResult:
    """The critical temperature of one point, with the gap shape at Tc.

    Attributes
    ----------
    Tc : float
        Critical temperature in K; 0.0 when ``status == "below_T_min"``.
    status : str
        ``"ok"`` or ``"below_T_min"`` (λ_max < 1 already at ``t_min``).
    t_min : float
        The search floor in K.
    mu : float
        Chemical potential used at Tc, in eV.
    mu_normal : float
        The normal-state μ_N(η) at T = 0, in eV.
    mu_mode : str
        ``"normal"`` (μ = μ_N) or ``"fixed_density"`` (μ(Tc) at the density ρ_N).
    omega : float
        Cut-off ω̃ in eV.
    lambda_at_t_min : float
        λ_max at the search floor.
    grid : KernelGrid
        The kernel grid at Tc.
    gap_shape : numpy.ndarray, shape (n_bands, n_k)
        The leading eigenvector as Δ_n(kz) at the grid nodes, normalised to
        max |Δ| = 1 and positive on the tuned band.
    evaluations : int
        Number of kernel diagonalisations.
    """

    Tc: float
    status: str
    t_min: float
    mu: float
    mu_normal: float
    mu_mode: str
    omega: float
    lambda_at_t_min: float
    grid: KernelGrid = field(repr=False)
    gap_shape: np.ndarray = field(repr=False)
    evaluations: int = 0
    eta: float | None = None
    g_matrix: np.ndarray | None = field(default=None, repr=False)
    parameters: dict | None = field(default=None, repr=False)

    @property
    def mu_shift(self) -> float:
        """μ − μ_N in eV."""
        return self.mu - self.mu_normal

    def summary(self) -> dict:
        """A JSON-ready dict with unit-suffixed keys (the ``multigap tc --json`` object)."""
        from .results import tc_summary

        return tc_summary(self)

    def to_dataset(self):
        """Tc and the gap shape Δ_n(kz) at Tc as an ``xarray.Dataset`` with provenance."""
        from .results import tc_dataset

        return tc_dataset(self)


def leading_eigenpair(grid: KernelGrid, chi: np.ndarray) -> tuple[float, np.ndarray]:
    """Largest eigenvalue of sqrt(c) G sqrt(c), c = χ w, and the gap vector Δ = G sqrt(c) v / λ."""
    c = np.maximum(chi * grid.weights, 0.0)
    s = np.sqrt(c)
    K = s[:, None] * grid.coupling * s[None, :]
    n = K.shape[0]
    lam, vec = sla.eigh(K, subset_by_index=[n - 1, n - 1])
    lam = float(lam[0])
    delta = grid.coupling @ (s * vec[:, 0]) / (lam if lam != 0 else 1.0)
    return lam, delta


def kernel_eigenvalue(grid: KernelGrid, temperature: float, mass_x: float, numerics) -> float:
    """λ_max(T) of the linearised kernel at temperature T (K)."""
    chi = pair_susceptibility(grid.energy, K_B * temperature, grid.omega, mass_x, numerics)
    return leading_eigenpair(grid, chi)[0]


def solve_tc(grid_at: Callable[[float], KernelGrid], mass_x: float, numerics, *,
             mu_normal: float, mu_mode: str = "normal", tuned_band: int = 3,
             bracket: tuple[float, float] | None = None) -> TcResult:
    """Solve λ_max(Tc) = 1.

    Parameters
    ----------
    grid_at : callable
        T (K) → KernelGrid. Returns the same grid for every T when μ is fixed; in
        ``fixed_density`` mode it rebuilds the grid at μ(T).
    mass_x : float
        m_x in m_e.
    numerics : Numerics
        Uses ``t_min`` and ``tc_rtol``.
    mu_normal : float
        μ_N in eV (recorded).
    mu_mode : str
        Recorded in the result.
    tuned_band : int
        1-based tuned band (fixes the sign of the gap shape).
    bracket : (float, float), optional
        Temperatures (K) believed to bracket Tc, e.g. from a neighbouring point;
        checked, and widened if they do not.

    Returns
    -------
    TcResult
    """
    count = 0

    def lam(T: float) -> float:
        nonlocal count
        count += 1
        return kernel_eigenvalue(grid_at(T), T, mass_x, numerics)

    t_min = numerics.t_min
    grid0 = grid_at(t_min)
    omega_K = grid0.omega / K_B
    lam_min = lam(t_min)

    def finish(Tc: float, status: str) -> TcResult:
        T_eval = Tc if Tc > 0 else t_min
        g = grid_at(T_eval)
        chi = pair_susceptibility(g.energy, K_B * T_eval, g.omega, mass_x, numerics)
        _, delta = leading_eigenpair(g, chi)
        shape = delta.reshape(g.table.kz.shape)
        tb = tuned_band - 1
        ref = shape[tb][np.argmax(np.abs(shape[tb]))]
        scale = np.max(np.abs(shape)) * (np.sign(ref) if ref != 0 else 1.0)
        return TcResult(Tc=Tc, status=status, t_min=t_min, mu=g.mu, mu_normal=mu_normal,
                        mu_mode=mu_mode, omega=g.omega, lambda_at_t_min=lam_min, grid=g,
                        gap_shape=shape / scale, evaluations=count)

    if not lam_min > 1.0:
        return finish(0.0, "below_T_min")
    lo, hi = t_min, None
    if bracket is not None:
        a, b = (max(float(x), t_min) for x in sorted(bracket))
        if lam(b) < 1.0:
            hi = b
            if a > t_min and lam(a) > 1.0:
                lo = a
        else:
            lo = b
    if hi is None:
        T = max(lo * 2.0, min(1.0, omega_K))
        while True:
            if T > 10.0 * omega_K:
                raise ConvergenceError("Tc bracket", float(lam(T)),
                                       f"λ_max > 1 even at T = {T:.4g} K >> ω̃")
            if lam(T) < 1.0:
                hi = T
                break
            lo = T
            T *= 4.0
    f = lambda x: np.log(lam(np.exp(x)))  # noqa: E731
    x = brentq(f, np.log(lo), np.log(hi), xtol=numerics.tc_rtol * 0.5, rtol=4 * np.finfo(float).eps)
    return finish(float(np.exp(x)), "ok")


def check_mu_mode(mu_mode: str) -> str:
    if mu_mode not in MU_MODES:
        raise ParameterError("mu_mode", mu_mode, "one of " + ", ".join(MU_MODES))
    return mu_mode
