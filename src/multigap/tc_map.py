"""Fast Tc for a whole column of couplings g at one chemical potential (Tc maps).

What does not depend on g is built once per (geometry, μ): the kz nodes, the Bloch
densities and a low-rank factor Ĩ ≈ B Bᵀ (an SVD of |ψ|² on the z rule; Ĩ has
numerical rank ~6 here). For every g the kernel's nonzero spectrum is that of
the small matrix [g_ab S_b / N0] with S_b = B_bᵀ diag(χ_b w_b) B_b, so λ_max costs
an (n_bands·r)² eigenproblem. χ comes from the universal table F(e/T, ω̃/T)
(:mod:`multigap.susceptibility_table`). All g of the column are solved together:
a coarse log-T scan brackets each root of ln λ_max(ln T) = 0, then an Illinois
(modified regula falsi) iteration converges them to ``rtol`` in ln T.

The kz grid here does not use the window edges E_n = μ ± ω̃ as breakpoints (ω̃
varies with g along the column); the accuracy against the exact per-point solver
with every grid doubled is measured in ``benchmarks/tc_map_benchmark.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Numerics
from .overlap import bloch_table
from .pairing import migdal_cutoff, tip_breakpoints
from .quadrature import panels
from .superlattice import Subbands
from .susceptibility_table import SusceptibilityTable, universal_table
from .units import HB2M, K_B, normal_dos_2d

__all__ = ["MapNumerics", "ColumnSetup", "column_setup", "column_lambda", "column_tc"]


@dataclass(frozen=True)
class MapNumerics:
    """Grid settings of the fast map solver.

    Parameters
    ----------
    kz_order : int
        Gauss–Legendre order per kz panel (default 3).
    kz_levels : int
        Geometric panels on each side of a contour tip (default 12).
    kz_panels : int
        Uniform panels that every band's zone is split into besides (default 20).
        The window edges E_n = μ ± ω̃ move with g along a column, so they cannot
        be breakpoints; the kink they leave converges as h^1.5 in the panel
        width, which favours many low-order panels.
    rank_tol : float
        Singular values of the |ψ|² matrix below rank_tol × the largest are
        dropped (Ĩ error ~ rank_tol²; default 1e-6).
    rtol : float
        Tolerance on ln Tc (default 1e-6).
    scan : int
        Temperatures of the coarse bracketing scan (default 5).
    """

    kz_order: int = 3
    kz_levels: int = 12
    kz_panels: int = 20
    rank_tol: float = 1e-6
    rtol: float = 1e-6
    scan: int = 5

    def refined(self) -> "MapNumerics":
        """Every grid doubled: twice the order and panels, one more graded level."""
        return MapNumerics(2 * self.kz_order, self.kz_levels + 1, 2 * self.kz_panels,
                           self.rank_tol * 0.1, self.rtol, self.scan)


@dataclass(frozen=True, eq=False)
class ColumnSetup:
    """The g-independent part of a column: nodes, weights and the low-rank Ĩ factor."""

    mu: float
    energy: np.ndarray      # E_n(kz) − μ at the nodes, eV
    weight: np.ndarray      # ∫dkz/2π weights of the folded zone, nm⁻¹
    band: np.ndarray        # 0-based band of each node
    factor: np.ndarray      # B, shape (N, r): Ĩ ≈ B Bᵀ
    n_bands: int
    mass_x: float

    @property
    def rank(self) -> int:
        return self.factor.shape[1]


def column_setup(subbands: Subbands, mu: float, reach: float,
                 num: MapNumerics | None = None) -> ColumnSetup:
    """Nodes, weights and the low-rank overlap factor at chemical potential μ (eV).

    *reach* (eV) is the largest cut-off ω̃ of the column: bands farther than
    that from μ never enter a window and get plain panels.
    """
    num = num or MapNumerics()
    nodes, weights, bands = [], [], []
    for n in range(1, subbands.n_bands + 1):
        k, w = panels(tip_breakpoints(subbands, n, mu, reach, num.kz_levels, num.kz_panels),
                      num.kz_order)
        keep = w > 0
        nodes.append(k[keep])
        weights.append(w[keep])
        bands.append(np.full(keep.sum(), n - 1))
    energy, dens = [], []
    all_e = subbands.energies(np.concatenate(bands) + 1, np.concatenate(nodes))
    start = 0
    for n, k in enumerate(nodes, 1):
        e = all_e[start:start + k.size]
        start += k.size
        energy.append(e - mu)
        dens.append(subbands.bloch_density(n, k, energy=e))
    P = np.concatenate(dens) * np.sqrt(subbands.z_weights / subbands.period)[None, :]
    U, s, _ = np.linalg.svd(P, full_matrices=False)
    r = int(np.sum(s > num.rank_tol * s[0]))
    return ColumnSetup(mu=float(mu), energy=np.concatenate(energy),
                       weight=np.concatenate(weights) / np.pi, band=np.concatenate(bands),
                       factor=U[:, :r] * s[:r], n_bands=subbands.n_bands,
                       mass_x=subbands.superlattice.mass_x)


def column_lambda(setup: ColumnSetup, T: np.ndarray, omega: np.ndarray, g: np.ndarray,
                  table: SusceptibilityTable | None = None) -> np.ndarray:
    """λ_max for a batch of (T [K], ω̃ [eV], g matrix) at the column's μ.

    Parameters
    ----------
    setup : ColumnSetup
    T, omega : numpy.ndarray, shape (m,)
    g : numpy.ndarray, shape (m, n_bands, n_bands)

    Returns
    -------
    numpy.ndarray, shape (m,)
    """
    table = table or universal_table()
    t = K_B * np.asarray(T, float)[:, None]
    F = table(setup.energy[None, :] / t, np.asarray(omega, float)[:, None] / t)
    chi = np.sqrt(setup.mass_x / HB2M) / np.pi * F / np.sqrt(t)
    c = chi * setup.weight[None, :]
    nb, r = setup.n_bands, setup.rank
    m = len(T)
    S = np.empty((m, nb, r, r))
    for b in range(nb):
        sel = setup.band == b
        B = setup.factor[sel]
        S[:, b] = np.matmul(np.swapaxes(c[:, sel, None] * B[None], 1, 2), B)
    # S_b = L_b L_bᵀ; the nonzero spectrum of the kernel is that of the symmetric
    # [L_aᵀ g_ab L_b / N0] (a tiny jitter keeps Cholesky defined for empty bands)
    jitter = 1e-13 * np.trace(S, axis1=-2, axis2=-1)[..., None, None] + 1e-300
    L = np.linalg.cholesky(S + jitter * np.eye(r))
    LL = np.matmul(np.swapaxes(L, -1, -2)[:, :, None], L[:, None, :])    # (m, a, b, r, r)
    Z = (g[:, :, :, None, None] * LL).transpose(0, 1, 3, 2, 4).reshape(m, nb * r, nb * r)
    return np.linalg.eigvalsh(Z / normal_dos_2d(setup.mass_x))[:, -1]


def column_tc(setup: ColumnSetup, omega0: float, g_column: np.ndarray, numerics: Numerics,
              num: MapNumerics | None = None, table: SusceptibilityTable | None = None):
    """Tc for every coupling matrix of a column.

    Parameters
    ----------
    setup : ColumnSetup
    omega0 : float
        Bare phonon energy in eV (ω̃ follows from each g matrix).
    g_column : numpy.ndarray, shape (m, n_bands, n_bands)
    numerics : Numerics
        Supplies ``t_min``.
    num : MapNumerics

    Returns
    -------
    Tc : numpy.ndarray, shape (m,)
        In K; 0 where λ_max(t_min) < 1.
    status : numpy.ndarray of int8
        0 ok, 1 below T_min, 2 failed (no convergence; Tc is NaN).
    residual : numpy.ndarray
        |ln λ_max| at the returned Tc (0 for below-T_min points).
    evaluations : int
        Batched λ evaluations used.
    """
    num = num or MapNumerics()
    table = table or universal_table()
    g_column = np.asarray(g_column, float)
    m = len(g_column)
    omega = np.array([migdal_cutoff(omega0, gm) for gm in g_column])
    t_min = numerics.t_min
    evals = 0

    def lnlam(T, idx):
        nonlocal evals
        evals += 1
        return np.log(np.maximum(column_lambda(setup, T, omega[idx], g_column[idx], table), 1e-300))

    Tc = np.full(m, np.nan)
    status = np.full(m, 2, dtype=np.int8)
    residual = np.full(m, np.nan)
    all_idx = np.arange(m)
    y_min = lnlam(np.full(m, t_min), all_idx)
    below = y_min <= 0
    Tc[below], status[below], residual[below] = 0.0, 1, 0.0
    live = all_idx[~below]
    if live.size == 0:
        return Tc, status, residual, evals
    # coarse scan in ln T from t_min to 2 ω̃/k_B (above it λ_max < 1 for any g < 0.5)
    x_hi_cap = np.log(2.0 * omega[live] / K_B)
    x_lo = np.full(live.size, np.log(t_min))
    y_lo = y_min[live]
    x_hi = x_hi_cap.copy()
    y_hi = lnlam(np.exp(x_hi), live)
    grid = np.linspace(0.0, 1.0, num.scan + 2)[1:-1]
    for f in grid:
        x = x_lo + f * (x_hi_cap - np.log(t_min))
        x = np.minimum(x, x_hi)
        inside = (x > x_lo) & (x < x_hi)
        if not inside.any():
            continue
        y = np.full(live.size, np.nan)
        y[inside] = lnlam(np.exp(x[inside]), live[inside])
        up = inside & (y > 0)
        x_lo[up], y_lo[up] = x[up], y[up]
        down = inside & (y <= 0)
        x_hi[down], y_hi[down] = x[down], y[down]
    bad = y_hi > 0
    # Illinois iteration on the bracket [x_lo, x_hi], y_lo > 0 >= y_hi
    side = np.zeros(live.size, dtype=int)
    active = ~bad
    x = x_lo.copy()
    for _ in range(100):
        if not active.any():
            break
        x_new = (x_lo * y_hi - x_hi * y_lo) / (y_hi - y_lo)
        x_new = np.clip(x_new, np.minimum(x_lo, x_hi), np.maximum(x_lo, x_hi))
        y_new = np.full(live.size, np.nan)
        y_new[active] = lnlam(np.exp(x_new[active]), live[active])
        pos = active & (y_new > 0)
        neg = active & (y_new <= 0)
        x_lo[pos], y_lo[pos] = x_new[pos], y_new[pos]
        y_hi[pos & (side == 1)] *= 0.5
        x_hi[neg], y_hi[neg] = x_new[neg], y_new[neg]
        y_lo[neg & (side == -1)] *= 0.5
        side = np.where(pos, 1, np.where(neg, -1, side))
        x = np.where(active, x_new, x)
        done = active & ((np.abs(x_hi - x_lo) < num.rtol) | (y_new == 0))
        residual[live[done]] = np.abs(y_new[done])
        active &= ~done
    ok = ~bad & ~active
    Tc[live[ok]] = np.exp(x[ok])
    status[live[ok]] = 0
    failed = live[~ok]
    residual[failed] = np.where(np.isnan(residual[failed]), np.abs(y_hi[~ok]), residual[failed])
    return Tc, status, residual, evals
