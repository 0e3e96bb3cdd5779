"""Free motion along the wires: the one kx integral of multigap.

A superlattice of quantum wires is free along x: ε = HB2M kx²/m_x + E_n(kz).
Everything the pairing needs from that free direction is an integral over kx at
fixed kz, taken here and nowhere else:

* the pair susceptibility χ(e; T, Δ, ω̃) = ∫dkx/2π θ(ω̃ − |ξ|) tanh(E/2T)/(2E),
  ξ = HB2M kx²/m_x + e, E = sqrt(ξ² + Δ²) (T = 0: 1/(2E); Δ = 0: the linearised
  kernel tanh(ξ/2T)/(2ξ));
* its derivative ∂χ/∂Δ (the Jacobian of the gap equation);
* the pairing change of the density, ∫dkx/2π θ(ω̃ − |ξ|) [tanh(ξ/2T) − (ξ/E) tanh(E/2T)]
  (both spins), which is the number equation's correction to the normal state;
* the normal-state density ∫dkx/2π 2 f(ξ) (both spins).

All are integrated in y = sqrt(HB2M/m_x)·kx on Gauss–Legendre panels graded
geometrically on both sides of the Fermi crossing y0 = sqrt(−e), from an
innermost width set by max(2T, Δ). Integrating in kx (not ξ) keeps the kx band
bottom regular. ``offset`` arrays hold e = E_n(kz) − μ in eV and may have any
shape; results have the same shape.

A second kind of free motion (two free directions: quantum wells) implements the
same methods; the pairing kernel never knows which one it holds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from .quadrature import crossing_breakpoints, panels
from .units import HB2M

__all__ = [
    "FreeMotion",
    "Wires",
    "Wells",
    "free_motion",
    "pair_kernel",
    "state_entropy",
    "kx_rule",
    "xi_rule",
    "window_integral",
    "window_entropy",
]


def pair_kernel(E: np.ndarray, T) -> np.ndarray:
    """tanh(E/2T)/(2E), with its limits 1/(4T) at E = 0 and 1/(2E) at T = 0 (T may be an array)."""
    E = np.abs(E)
    T = np.asarray(T, dtype=float)
    cold = T == 0.0
    Ts = np.where(cold, 1.0, T)
    x = E / (2.0 * Ts)
    small = x < 1e-6
    warm = np.where(
        small, (1.0 - x * x / 3.0) / (4.0 * Ts), np.tanh(x) / (2.0 * np.where(small, 1.0, E))
    )
    if not np.any(cold):
        return warm
    with np.errstate(divide="ignore"):
        return np.where(cold, 0.5 / E, warm)


def state_entropy(x: np.ndarray) -> np.ndarray:
    """Entropy of a pair of spin states at energy |x|·k_B T: 2[ln(1 + e^{−x}) + x/(e^x + 1)]."""
    x = np.abs(x)
    return 2.0 * (np.log1p(np.exp(-x)) + x * expit(-x))


def kx_rule(
    offset: np.ndarray,
    xi_lo: float,
    xi_hi: np.ndarray,
    scale: np.ndarray,
    *,
    order: int,
    levels: int,
):
    """Graded Gauss–Legendre nodes y = sqrt(HB2M/m_x)·kx on {y >= 0 : xi_lo <= y² + e <= xi_hi}.

    Parameters
    ----------
    offset : numpy.ndarray
        e = E_n(kz) − μ in eV.
    xi_lo, xi_hi : float or numpy.ndarray
        The range of ξ integrated over, in eV.
    scale : numpy.ndarray
        Energy width of the innermost panels at the crossing (2T or Δ), in eV.
    order : int
        Nodes per panel.
    levels : int
        At least this many panels on each side of the crossing; more are added
        until the panels, doubling outwards, span the range.

    Returns
    -------
    y, w : numpy.ndarray, shape offset.shape + (k,)
        Nodes (eV^½) and weights; empty panels have zero weight.
    """
    e = np.asarray(offset, dtype=float)
    y_lo = np.sqrt(np.maximum(xi_lo - e, 0.0))
    y_hi = np.sqrt(np.maximum(xi_hi - e, 0.0))
    y0 = np.clip(np.sqrt(np.maximum(-e, 0.0)), y_lo, y_hi)
    width = 0.5 * scale / (2.0 * y0 + np.sqrt(scale))
    span = np.max(np.maximum(y_hi - y0, y0 - y_lo) / width, initial=1.0)
    need = int(np.ceil(np.log2(span + 1.0))) + 1  # levels that span the range
    levels = max(need, min(levels, need + 2))
    return panels(crossing_breakpoints(y_lo, y_hi, y0, width, levels), order)


def xi_rule(offset: np.ndarray, xi_lo, xi_hi, scale: np.ndarray, *, order: int, levels: int):
    """Graded Gauss–Legendre nodes ξ (eV) and weights on [max(ξ_lo, e), ξ_hi]: the measure
    of two free directions, where ∫d²k/(2π)² = N2D ∫dξ over ξ >= e. Panels are graded on
    both sides of ξ = 0 down to ``scale``; empty ranges have zero weight."""
    e = np.asarray(offset, dtype=float)
    lo = np.maximum(np.broadcast_to(np.asarray(xi_lo, dtype=float), e.shape), e)
    hi = np.maximum(np.broadcast_to(np.asarray(xi_hi, dtype=float), e.shape), lo)
    width = 0.5 * np.broadcast_to(scale, e.shape)
    span = np.max(np.maximum(hi, -lo) / width, initial=1.0)
    need = int(np.ceil(np.log2(span + 1.0))) + 1  # levels that span the range
    levels = max(need, min(levels, need + 2))
    return panels(crossing_breakpoints(lo, hi, np.clip(0.0, lo, hi), width, levels), order)


def _window_nodes(measure: str, e, omega, scale, order, levels):
    """ξ and weights of the window |ξ| <= ω̃ in the measure of the free motion."""
    if measure == "wells":
        xi, w = xi_rule(e, -omega, omega, scale, order=order, levels=levels)
    else:
        y, w = kx_rule(e, -omega, omega, scale, order=order, levels=levels)
        xi = y * y + e[..., None]
    return xi, np.where(np.abs(xi) <= omega[..., None], w, 0.0)


def window_integral(
    offset,
    T: ArrayLike,
    cutoff,
    gap=None,
    *,
    order: int,
    levels: int,
    derivative: bool = False,
    density: bool = False,
    grading=None,
    measure: str = "wires",
):
    """∫ θ(ω̃ − |ξ|) tanh(E/2T)/(2E) (and its companions) in the free motion's measure.

    For wires the measure is dy with ξ = y² + e (y in eV^½, the result in eV^-½); for
    wells it is dξ over ξ >= e. The companions are ∂/∂Δ of the same integral and
    ∫ θ [tanh(ξ/2T) − (ξ/E) tanh(E/2T)], written without cancellation. ``grading``
    (eV, like ``gap``) sets the innermost panel width instead of the gap itself: a
    solver keeps it fixed so that its equations do not change rule between iterations.
    """
    e = np.asarray(offset, dtype=float)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    D = np.zeros(e.shape) if gap is None else np.abs(np.broadcast_to(gap, e.shape))
    floor = 1e-12 * np.max(omega)
    G = D if grading is None else np.abs(np.broadcast_to(grading, e.shape))
    scale = np.maximum(np.maximum(2.0 * T, G), floor)
    xi, w = _window_nodes(measure, e, omega, scale, order, levels)
    Dk = np.maximum(D, floor)[..., None]
    E = np.hypot(xi, Dk)
    if not np.any(T):
        return _cold_terms(xi, E, Dk, w, derivative, density)
    Tk = T[..., None]
    Ts = np.where(Tk > 0, Tk, 1.0)
    # E >= the floor > 0, so tanh(E/2T)/(2E) needs no special case at E = 0
    th = np.tanh(E / (2.0 * Ts))
    k = np.where(Tk > 0, th, 1.0) / (2.0 * E)
    out = [np.sum(w * k, axis=-1)]
    if derivative:
        # ∂/∂Δ [tanh(E/2T)/(2E)] = (Δ/E²)[sech²(E/2T)/(4T) − tanh(E/2T)/(2E)]
        sech2 = np.where(Tk > 0, 1.0 - th * th, 0.0)
        dk = (Dk / E**2) * (sech2 / (4.0 * Ts) - k)
        out.append(np.sum(w * dk, axis=-1))
    if density:
        a = np.abs(xi)
        pair = Dk**2 / (E * (E + a))  # 1 − |ξ|/E, without cancellation
        # tanh(|ξ|/2T) − tanh(E/2T) = −sinh((E − |ξ|)/2T)/(cosh(|ξ|/2T) cosh(E/2T))
        with np.errstate(over="ignore", invalid="ignore"):
            cross = np.sinh(pair * E / (2.0 * Ts)) / (
                np.cosh(a / (2.0 * Ts)) * np.cosh(E / (2.0 * Ts))
            )
        warm = pair * th - np.nan_to_num(cross)
        term = np.where(Tk > 0, warm, pair)
        out.append(np.sum(w * np.sign(xi) * term, axis=-1))
    return out[0] if len(out) == 1 else tuple(out)


def window_entropy(
    offset, T, cutoff, gap, *, order: int, levels: int, measure: str = "wires"
) -> np.ndarray:
    """∫ θ(ω̃ − |ξ|) [s(E/T) − s(|ξ|/T)] in the free motion's measure: the pairing change
    of the entropy per kz (units of k_B, both spins, mass-free); 0 at T = 0."""
    e = np.asarray(offset, dtype=float)
    omega = np.broadcast_to(np.asarray(cutoff, dtype=float), e.shape)
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    D = np.abs(np.broadcast_to(gap, e.shape))
    scale = np.maximum(np.maximum(2.0 * T, D), 1e-12 * np.max(omega))
    xi, w = _window_nodes(measure, e, omega, scale, order, levels)
    Tk = np.where(T > 0, T, 1.0)[..., None]
    ds = state_entropy(np.hypot(xi, D[..., None]) / Tk) - state_entropy(xi / Tk)
    return np.sum(np.where(T[..., None] > 0, w * ds, 0.0), axis=-1)


def _cold_terms(xi, E, D, w, derivative: bool, density: bool):
    """The T = 0 integrands: 1/(2E), −Δ/(2E³) and sign(ξ)Δ²/(E(E + |ξ|))."""
    inv = w / E
    out = [0.5 * np.sum(inv, axis=-1)]
    if derivative:
        out.append(-0.5 * np.sum(inv * D / (E * E), axis=-1))
    if density:
        out.append(np.sum(inv * np.sign(xi) * D * D / (E + np.abs(xi)), axis=-1))
    return out[0] if len(out) == 1 else tuple(out)


class FreeMotion(ABC):
    """The free direction(s) of a superlattice, as the pairing kernel sees them.

    Energies in eV. :class:`Wires` and :class:`Wells` differ only in the measure of
    the window integral and in their prefactors; the pairing kernel never knows which
    one it holds.
    """

    name: str
    #: The measure of the window integral: "wires" (dy, ξ = y² + e) or "wells" (dξ).
    measure: ClassVar[str]
    #: Powers of (μ − E_n(kz)) in the kz-resolved DOS and density.
    dos_power: ClassVar[float]
    density_power: ClassVar[float]

    @property
    @abstractmethod
    def prefactor(self) -> float:
        """The free-motion measure per kz: ∫(free k) = prefactor·∫(window variable)."""

    @property
    @abstractmethod
    def dos_prefactor(self) -> float:
        """N_n(E) = dos_prefactor·∫_0^{π/d} dkz (E − E_n)^dos_power θ (both spins)."""

    @property
    @abstractmethod
    def density_prefactor(self) -> float:
        """ρ_n(μ) = density_prefactor·∫_0^{π/d} dkz (μ − E_n)^density_power θ at T = 0."""

    @abstractmethod
    def pairing_dos(self) -> float:
        """N0 of the coupling convention g = U0·N0 (per spin)."""

    @abstractmethod
    def linear_susceptibility_table(self, offset, T, cutoff) -> np.ndarray:
        """The linearised χ(e; T, ω̃), by the fastest accurate route."""

    @abstractmethod
    def normal_density(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state density per kz (both spins)."""

    @abstractmethod
    def normal_entropy(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state entropy per kz, in units of k_B (both spins)."""

    def susceptibility(
        self,
        offset,
        T,
        cutoff,
        gap=None,
        *,
        order: int,
        levels: int,
        derivative: bool = False,
        density: bool = False,
        grading=None,
    ):
        """χ(e; T, Δ, ω̃) per kz (and ∂χ/∂Δ, δρ if asked), with ∫ in this free motion.

        Parameters
        ----------
        offset : array_like
            e = E_n(kz) − μ, in eV.
        T : float or array_like
            k_B T in eV (>= 0; T = 0 needs a gap).
        cutoff : float or array_like
            ω̃ in eV (broadcast against ``offset``).
        gap : array_like, optional
            Δ_n(kz) in eV; ``None`` for the linearised kernel.
        order, levels : int
            The quadrature rule of the free direction(s).
        derivative, density : bool
            Also return ∂χ/∂Δ and the pairing change of the density δρ (both spins).
        grading : array_like, optional
            The energy (eV) that sets the innermost panels; default max(2T, |Δ|).
        """
        out = window_integral(
            offset,
            T,
            cutoff,
            gap,
            order=order,
            levels=levels,
            derivative=derivative,
            density=density,
            grading=grading,
            measure=self.measure,
        )
        if not (derivative or density):
            return self.prefactor * out
        # the density bracket [1 − (ξ/E)tanh(E/2T)] − 2f(ξ) already counts both spins
        return tuple(self.prefactor * v for v in out)

    def pairing_entropy(self, offset, T, cutoff, gap, *, order: int, levels: int) -> np.ndarray:
        """The pairing change of the entropy per kz, ∫ θ(ω̃ − |ξ|)[s(E) − s(|ξ|)], in units
        of k_B (both spins). ``T``: k_B T in eV."""
        return self.prefactor * window_entropy(
            offset, T, cutoff, gap, order=order, levels=levels, measure=self.measure
        )


@dataclass(frozen=True)
class Wires(FreeMotion):
    """One free direction (quantum wires), mass m_x along the wires.

    Parameters
    ----------
    mass_x : float
        Effective mass along the wires, in m_e.

    Notes
    -----
    ∫dkx/2π over the whole line is (1/π)·sqrt(m_x/HB2M)·∫_0^∞ dy. The coupling
    convention is g = U0·N0 with N0 = m_x/(2πħ²) = m_x/(4π·HB2M), the per-spin DOS of
    a 2D parabolic band, in states/(eV·nm²). Per subband the motion is quasi-1D: the
    kz-resolved DOS is ∝ (μ − E_n(kz))^−½.
    """

    mass_x: float
    name: str = "wires"
    measure: ClassVar[str] = "wires"
    dos_power: ClassVar[float] = -0.5
    density_power: ClassVar[float] = 0.5

    @property
    def prefactor(self) -> float:
        """sqrt(m_x/HB2M)/π: ∫dkx/2π = prefactor·∫_0^∞ dy, in eV^-½ nm⁻¹."""
        return float(np.sqrt(self.mass_x / HB2M) / np.pi)

    @property
    def dos_prefactor(self) -> float:
        """N_n(E) = dos_prefactor·∫_0^{π/d} dkz (E − E_n)^−½ θ: both spins, per area."""
        return float(np.sqrt(self.mass_x / HB2M) / np.pi**2)

    @property
    def density_prefactor(self) -> float:
        """ρ_n(μ) = density_prefactor·∫_0^{π/d} dkz (μ − E_n)^½ θ at T = 0: both spins."""
        return float(2.0 * np.sqrt(self.mass_x / HB2M) / np.pi**2)

    def pairing_dos(self) -> float:
        """N0 = m_x/(4π·HB2M), per spin, in states/(eV·nm²)."""
        return self.mass_x / (4.0 * np.pi * HB2M)

    def linear_susceptibility_table(self, offset, T: ArrayLike, cutoff) -> np.ndarray:
        """The linearised χ from the universal table F(e/T, ω̃/T) (relative error ~6e-6).

        χ(e; T, ω̃) = prefactor · T^-½ · F(e/T, ω̃/T); F is tabulated once per process.
        """
        from .susceptibility_table import universal_table

        T = np.asarray(T, dtype=float)
        return self.prefactor * universal_table()(offset / T, cutoff / T) / np.sqrt(T)

    def normal_density(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state density per kz, ∫dkx/2π 2 f(ξ) (both spins), in nm⁻¹.

        ``T`` is k_B T in eV (broadcast against ``offset``); at T = 0 this is
        2·prefactor·sqrt(−e)θ(−e).
        """
        e = np.asarray(offset, dtype=float)
        if np.ndim(T) == 0 and T == 0.0:
            return 2.0 * self.prefactor * np.sqrt(np.maximum(-e, 0.0))
        T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
        y, w = kx_rule(e, -np.inf, 50.0 * T, 2.0 * T, order=order, levels=levels)
        return (
            2.0
            * self.prefactor
            * np.sum(w * expit(-(y * y + e[..., None]) / T[..., None]), axis=-1)
        )

    def normal_entropy(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state entropy per kz, ∫dkx/2π s(ξ) in units of k_B (both spins), nm⁻¹.

        s(x) = 2[ln(1 + e^{−|x|/T}) + (|x|/T)/(e^{|x|/T} + 1)] = −2[f ln f + (1 − f) ln(1 − f)];
        ``T`` is k_B T in eV (> 0), broadcast against ``offset``.
        """
        e = np.asarray(offset, dtype=float)
        T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
        y, w = kx_rule(e, -np.inf, 50.0 * T, 2.0 * T, order=order, levels=levels)
        s = state_entropy(np.abs(y * y + e[..., None]) / T[..., None])
        return self.prefactor * np.sum(
            w * np.where(y * y + e[..., None] <= 50.0 * T[..., None], s, 0.0), axis=-1
        )


@dataclass(frozen=True)
class Wells(FreeMotion):
    """Two free directions (quantum wells), mass m_x in the plane of the wells.

    Parameters
    ----------
    mass_x : float
        In-plane effective mass, in m_e.
    period : float
        The superlattice period d, in nm (a volume per well).

    Notes
    -----
    ∫d²k∥/(2π)² = N2D ∫dξ over ξ >= e = E_n(kz) − μ, with N2D = m_x/(2πħ²) =
    m_x/(4π·HB2M) per spin. The coupling convention is g = U0·N0 with N0 = N2D/d, the
    per-spin DOS of one 2D subband per unit volume: a well isolated from its
    neighbours (a flat subband) with coupling g is then exactly 2D BCS with coupling g.
    The kz-resolved DOS is a step θ(μ − E_n(kz)); the system is 3D.
    """

    mass_x: float
    period: float
    name: str = "wells"
    measure: ClassVar[str] = "wells"
    dos_power: ClassVar[float] = 0.0
    density_power: ClassVar[float] = 1.0

    @property
    def prefactor(self) -> float:
        """N2D = m_x/(4π·HB2M), per spin, in states/(eV·nm²)."""
        return self.mass_x / (4.0 * np.pi * HB2M)

    @property
    def dos_prefactor(self) -> float:
        """N_n(E) = dos_prefactor·∫_0^{π/d} dkz θ(E − E_n): both spins, per volume."""
        return 2.0 * self.prefactor / np.pi

    @property
    def density_prefactor(self) -> float:
        """ρ_n(μ) = density_prefactor·∫_0^{π/d} dkz (μ − E_n)θ at T = 0: both spins."""
        return 2.0 * self.prefactor / np.pi

    def pairing_dos(self) -> float:
        """N0 = m_x/(4π·HB2M·d), per spin, in states/(eV·nm³)."""
        return self.prefactor / self.period

    def linear_susceptibility_table(self, offset, T, cutoff) -> np.ndarray:
        """Wells have no table: the quadrature (cheap here: one dimension, no square root)."""
        e = np.asarray(offset, dtype=float)
        return self.susceptibility(e, T, np.broadcast_to(cutoff, e.shape), order=6, levels=8)

    def normal_density(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state density per kz, 2 N2D ∫_e^∞ f(ξ) dξ = 2 N2D T ln(1 + e^{−e/T})
        (both spins, per area; 2 N2D max(−e, 0) at T = 0), in nm⁻²."""
        e = np.asarray(offset, dtype=float)
        if np.ndim(T) == 0 and T == 0.0:
            return 2.0 * self.prefactor * np.maximum(-e, 0.0)
        T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
        return 2.0 * self.prefactor * T * np.logaddexp(0.0, -e / T)

    def normal_entropy(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state entropy per kz, N2D ∫_e^∞ s(ξ) dξ in units of k_B (both spins), nm⁻²."""
        e = np.asarray(offset, dtype=float)
        T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
        xi, w = xi_rule(e, -50.0 * T, 50.0 * T, 2.0 * T, order=order, levels=levels)
        return self.prefactor * np.sum(w * state_entropy(xi / T[..., None]), axis=-1)


def free_motion(superlattice) -> FreeMotion:
    """The free motion of a superlattice: :class:`Wires` or :class:`Wells`."""
    if getattr(superlattice, "structure", "wires") == "wells":
        return Wells(superlattice.mass_x, superlattice.period)
    return Wires(superlattice.mass_x)
