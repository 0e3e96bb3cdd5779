"""The free motion: wires (one free direction) and wells (two), as one interface.

A superlattice of quantum wires is free along x, ε = HB2M kx²/m_x + E_n(kz); quantum
wells are free along x and y. Everything the pairing needs from the free motion — the
pair susceptibility χ(e; T, Δ, ω̃), ∂χ/∂Δ, the pairing changes of the density and the
entropy, the normal-state density and entropy per kz — is a method of
:class:`FreeMotion`; :class:`Wires` and :class:`Wells` differ only in their measure and
prefactors. The integrals over the pairing window themselves live in
:mod:`multigap.free_motion.window`, and the tabulated linearised χ of the wires in
:mod:`multigap.free_motion.table`. ``offset`` arrays hold e = E_n(kz) − μ in eV and may
have any shape; results have the same shape.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from multigap.free_motion.exact import wire_density, wire_fermi_weights, wire_susceptibility
from multigap.free_motion.table import universal_table
from multigap.free_motion.window import (
    fermi_weights,
    kx_rule,
    state_entropy,
    window_edges,
    window_entropy,
    window_integral,
    window_rule,
    xi_rule,
)
from multigap.units import HB2M

__all__ = [
    "FreeMotion",
    "Wires",
    "Wells",
    "free_motion",
]


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

    #: Whether :meth:`closed_susceptibility` exists (the wires): χ and ∂χ/∂Δ with no rule.
    closed_form: ClassVar[bool] = False

    def closed_susceptibility(
        self,
        offset,
        T,
        cutoff,
        gap,
        *,
        derivative: bool = False,
        density: bool = False,
        chemical: bool = False,
    ):
        """χ (and ∂χ/∂Δ, δρ, the μ-derivatives) in closed form, where :attr:`closed_form`
        says it exists.
        """
        raise NotImplementedError(f"{type(self).__name__} has no closed-form susceptibility")

    def linear_susceptibility(self, offset, T, cutoff, *, order: int, levels: int) -> np.ndarray:
        """The linearised χ(e; T, ω̃) per kz at k_B T = T > 0 (eV), as exact as this free
        motion allows: the quadrature rule (``order``, ``levels``) here; the wires
        override it with the closed form.
        """
        return self.susceptibility(offset, T, cutoff, order=order, levels=levels)

    @abstractmethod
    def normal_density(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state density per kz (both spins)."""

    @abstractmethod
    def normal_entropy(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state entropy per kz, in units of k_B (both spins)."""

    def window_rule(self, offset, T, cutoff, grading, *, order: int, levels: int):
        """The quadrature nodes and weights of the window for gaps of size ``grading``
        (eV) at k_B T = T (eV), for the ``rule`` of :meth:`susceptibility`: a solver
        computes them once and keeps them while it iterates.
        """
        return window_rule(
            offset, T, cutoff, grading, order=order, levels=levels, measure=self.measure
        )

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
        chemical: bool = False,
        grading=None,
        rule=None,
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
        chemical : bool
            With both: also ∂χ/∂e, ∂δρ/∂Δ and the compressibility ∂ρ/∂μ of the window
            (:func:`~multigap.free_motion.window.chemical_terms`; wires only).
        grading : array_like, optional
            The gap size (eV) that grades the innermost panels instead of |Δ|.
        rule : (numpy.ndarray, numpy.ndarray), optional
            The quadrature nodes and weights of that grading, if a solver computed them
            once (:meth:`window_rule`).
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
            chemical=chemical,
            grading=grading,
            rule=rule,
            measure=self.measure,
        )
        if not (derivative or density):
            return self.prefactor * out
        # the density bracket [1 − (ξ/E)tanh(E/2T)] − 2f(ξ) already counts both spins
        return tuple(self.prefactor * v for v in out)

    @property
    def curvature(self) -> float:
        """∂²ε/∂kx² = 2·HB2M/m_x, in eV·nm² (the diamagnetic weight of the stiffness)."""
        return 2.0 * HB2M / self.mass_x

    #: ∫(free k) 2(∂ε/∂kx)² Y = velocity_weight·(HB2M/m_x)·prefactor·∫(ξ − e)Y: 8 for
    #: wires ((∂ε/∂kx)² = 4(HB2M/m_x)y², two signs of kx in the prefactor), 4 for wells
    #: (the angular mean of kx² is half of k∥²).
    velocity_weight: ClassVar[float]
    mass_x: float

    def current_response(
        self, offset, T, cutoff, gap, *, order: int, levels: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The paramagnetic weights of the stiffness per kz, both spins:
        ∫(free k) 2(∂ε/∂kx)² Y and ∫(free k) 2Y, with Y = −∂f/∂E at the quasiparticle
        energy (Δ inside the window only). ``T``: k_B T in eV; both vanish at T = 0.

        Returns
        -------
        para_x : numpy.ndarray
            In eV·nm (wires: ∫dkx/2π) or eV (wells: ∫d²k∥/(2π)²), per kz.
        fermi : numpy.ndarray
            In eV⁻¹·nm⁻¹ (wires) or eV⁻¹·nm⁻² (wells), per kz.
        """
        w0, w1 = self.fermi_weights(offset, T, cutoff, gap, order=order, levels=levels)
        para_x = self.velocity_weight * (HB2M / self.mass_x) * self.prefactor * w1
        return para_x, 2.0 * self.prefactor * w0

    def fermi_weights(self, offset, T, cutoff, gap, *, order: int, levels: int):
        """∫ Y and ∫ (ξ − e) Y per kz in the free motion's measure, Y = −∂f/∂E at the
        quasiparticle energy, on the graded kx quadrature
        (:func:`~multigap.free_motion.window.fermi_weights`).
        """
        return fermi_weights(
            offset, T, cutoff, gap, order=order, levels=levels, measure=self.measure
        )

    def pairing_entropy(self, offset, T, cutoff, gap, *, order: int, levels: int) -> np.ndarray:
        """The pairing change of the entropy per kz, ∫ θ(ω̃ − |ξ|)[s(E) − s(|ξ|)], in units
        of k_B (both spins). ``T``: k_B T in eV.
        """
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
    velocity_weight: ClassVar[float] = 8.0
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

    def linear_susceptibility(self, offset, T, cutoff, *, order: int, levels: int) -> np.ndarray:
        """The linearised χ in closed form, exact to rounding
        (:func:`~multigap.free_motion.exact.wire_susceptibility`): no kx rule is used
        (``order`` and ``levels`` are ignored).
        """
        return self.prefactor * wire_susceptibility(offset, T, cutoff)

    closed_form: ClassVar[bool] = True

    def closed_susceptibility(
        self,
        offset,
        T,
        cutoff,
        gap,
        *,
        derivative: bool = False,
        density: bool = False,
        chemical: bool = False,
    ):
        """χ (and ∂χ/∂Δ, δρ; with ``chemical`` the μ-derivatives of
        :meth:`susceptibility`) in closed form
        (:func:`~multigap.free_motion.exact.wire_susceptibility`), exact to rounding with
        no kx rule. Gaps below 1e-12 ω̃ count as that floor, as in the quadrature.
        """
        if gap is not None:
            gap = np.maximum(np.abs(gap), 1e-12 * np.max(cutoff))
        out = wire_susceptibility(
            offset, T, cutoff, gap, derivative=derivative, density=density, chemical=chemical
        )
        if chemical:  # the window edges' terms, which the closed form leaves to its caller
            e, kT, om, d = np.broadcast_arrays(offset, T, cutoff, gap)
            chi_edge, rho_edge = window_edges(e, om, d, kT)
            out = out[:3] + (out[3] + chi_edge, out[4], out[5] + rho_edge)
        if derivative or density:
            return tuple(self.prefactor * v for v in out)
        return self.prefactor * out

    def fermi_weights(self, offset, T, cutoff, gap, *, order: int, levels: int):
        """∫ Y and ∫ y² Y per kz in closed form
        (:func:`~multigap.free_motion.exact.wire_fermi_weights`; exact to rounding in
        absolute terms, no kx rule: ``order`` and ``levels`` are ignored); 0 where T = 0.
        """
        e = np.asarray(offset, dtype=float)
        T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
        warm = T > 0
        if not warm.any():  # T = 0 (every stiffness at zero temperature): nothing to integrate
            return np.zeros(e.shape), np.zeros(e.shape)
        w0, w1 = wire_fermi_weights(e, np.where(warm, T, 1.0), cutoff, gap)
        return np.where(warm, w0, 0.0), np.where(warm, w1, 0.0)

    def linear_susceptibility_table(self, offset, T: ArrayLike, cutoff) -> np.ndarray:
        """The linearised χ from the universal table F(e/T, ω̃/T) (relative error ~6e-6).

        χ(e; T, ω̃) = prefactor · T^-½ · F(e/T, ω̃/T); F is tabulated once per process.
        """
        T = np.asarray(T, dtype=float)
        return self.prefactor * universal_table()(offset / T, cutoff / T) / np.sqrt(T)

    def normal_density(self, offset, T, *, order: int, levels: int) -> np.ndarray:
        """Normal-state density per kz, ∫dkx/2π 2 f(ξ) (both spins), in nm⁻¹, in closed
        form (:func:`~multigap.free_motion.exact.wire_density`; ``order`` and ``levels``
        are ignored).

        ``T`` is k_B T in eV (broadcast against ``offset``); at T = 0 this is
        2·prefactor·sqrt(−e)θ(−e).
        """
        e = np.asarray(offset, dtype=float)
        if np.ndim(T) == 0 and T == 0.0:
            return 2.0 * self.prefactor * np.sqrt(np.maximum(-e, 0.0))
        return 2.0 * self.prefactor * wire_density(e, T)

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
    velocity_weight: ClassVar[float] = 4.0
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
        (both spins, per area; 2 N2D max(−e, 0) at T = 0), in nm⁻².
        """
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
