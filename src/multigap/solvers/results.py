"""Result objects of the superconducting calculations, in internal units (eV, K).

Each result carries its point (η, g), the numerics preset and the provenance, and
converts itself for output (``.summary()`` for JSON, ``.to_dataset()`` for
NetCDF) through :mod:`multigap.output.labels`, the one place where units are converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from multigap.pairing.kernel import OverlapBasis, PairingKernel
from multigap.status import Result

__all__ = ["GapTable", "TcResult", "TcTable", "GapResult", "IsotopeResult"]


def _nodes_per_band(kernel: PairingKernel, values: list) -> tuple[np.ndarray, ...]:
    """Per-band (kz, weight, energy, values) of point 0, padded to one length with
    zero-weight copies of the last node.
    """
    keep = [w[0] > 0 for w in kernel.weight]
    size = max(int(k.sum()) for k in keep)
    pad = lambda a, k: np.pad(a[0][k], (0, size - int(k.sum())), mode="edge")  # noqa: E731
    kz = np.array([pad(a, k) for a, k in zip(kernel.kz, keep)])
    w = np.array([np.pad(a[0][k], (0, size - int(k.sum()))) for a, k in zip(kernel.weight, keep)])
    e = np.array([pad(a, k) for a, k in zip(kernel.offset, keep)]) + kernel.mu[0]
    v = np.array([pad(a, k) for a, k in zip(values, keep)])
    return kz, w, e, v


@dataclass(frozen=True, eq=False)
class TcResult(Result):
    """The critical temperature of one point, with the gap shape at Tc.

    Attributes
    ----------
    Tc : float
        Critical temperature in K; 0.0 when ``status == "below_T_min"``, NaN when failed.
    status : str
        ``"ok"``, ``"below_T_min"`` (λ_max < 1 already at ``t_min``),
        ``"outside_weak_coupling"`` (k_B Tc > ω̃/2, where the sharp-cut-off BCS
        kernel is outside its validity; Tc is still reported) or ``"failed"``.
    t_min : float
        The search floor in K.
    mu, mu_normal : float
        Chemical potential used at Tc, and μ_N(η), in eV.
    mu_mode : str
        ``"fixed_mu"`` (μ = μ_N) or ``"fixed_density"`` (μ(Tc) at the density ρ_N).
    omega : float
        Cut-off ω̃ in eV.
    lambda_at_t_min : float
        λ_max at the search floor, where the search went down to it (status
        ``below_T_min``); NaN where it did not need to.
    kernel : PairingKernel
        The kernel at Tc (one point).
    shape : numpy.ndarray, shape (n_bands, rank)
        The leading eigenvector in the kernel's space, normalised so that
        max |Δ_n(kz)| over the nodes is 1 and the tuned band's largest value is positive.
    evaluations : int
        Batched kernel evaluations.
    """

    Tc: float
    status: str
    t_min: float
    mu: float
    mu_normal: float
    mu_mode: str
    omega: float
    lambda_at_t_min: float
    kernel: PairingKernel = field(repr=False)
    shape: np.ndarray = field(repr=False)
    evaluations: int = 0
    eta: float | None = None
    g_matrix: np.ndarray | None = field(default=None, repr=False)
    parameters: dict | None = field(default=None, repr=False)

    @property
    def mu_shift(self) -> float:
        """μ − μ_N in eV."""
        return self.mu - self.mu_normal

    def gap_shape_at_nodes(self):
        """(kz, weight, E_n(kz), Δ_n(kz)/max|Δ|) per band at the kernel's nodes."""
        return _nodes_per_band(self.kernel, self.kernel.gap_at_nodes(self.shape[None]))

    @property
    def non_adiabatic(self) -> bool:
        """E_F,t/ω̃ < 1 for the tuned band t at the μ of Tc (whether μ lies below the band,
        ``bec``, needs the gaps: see :class:`GapResult`).
        """
        subbands = self.kernel.basis.subbands
        bottom = subbands.edges[subbands.superlattice.tuned_band - 1, 0]
        return bool((self.mu - bottom) / self.omega < 1.0)

    def summary(self) -> dict:
        """A JSON-ready dict with unit-suffixed keys (the ``multigap tc --json`` object)."""
        from multigap.output.labels import tc_summary

        return tc_summary(self)

    def to_dataset(self):
        """Tc and the gap shape Δ_n(kz) at Tc as an ``xarray.Dataset`` with provenance."""
        from multigap.output.labels import tc_dataset

        return tc_dataset(self)


@dataclass(frozen=True, eq=False)
class TcTable(Result):
    """Tc at many points: a list of (η, g) pairs, or a grid η × g.

    Every way of asking for Tc at more than one point returns this, with one status
    rule: ``ok``; ``below_T_min`` (Tc = 0: below the search floor); ``failed`` (Tc =
    NaN, never 0); ``outside_weak_coupling`` (k_B Tc > ω̃/2, Tc still given).

    Attributes
    ----------
    eta, g : numpy.ndarray
        The points: equal 1-D arrays (points), or the axes of a grid.
    grid : bool
        True when the arrays below have shape (len(eta), len(g)).
    Tc : numpy.ndarray
        Critical temperature in K.
    status : numpy.ndarray of int8
        Codes of :data:`multigap.solvers.solve.STATUS`.
    residual : numpy.ndarray
        |λ_max(Tc) − 1|.
    mu : numpy.ndarray
        The chemical potential at Tc, in eV (μ_N at fixed μ).
    omega : numpy.ndarray
        The cut-off ω̃ of each point, in eV.
    mu_mode : str
    t_min : float
        The search floor in K.
    """

    eta: np.ndarray
    g: np.ndarray
    grid: bool
    Tc: np.ndarray
    status: np.ndarray
    residual: np.ndarray
    mu: np.ndarray
    omega: np.ndarray
    mu_mode: str
    t_min: float
    parameters: dict | None = field(default=None, repr=False)

    @property
    def converged(self) -> np.ndarray:
        """Where Tc was found (or shown to lie below the floor): status is not failed."""
        from multigap.solvers.solve import CODE

        return self.status != CODE["failed"]

    @property
    def status_names(self) -> np.ndarray:
        """The status of every point, spelled out."""
        from multigap.solvers.solve import STATUS

        return np.vectorize(STATUS.get, otypes=[object])(self.status).astype(str)

    @property
    def message(self) -> str:
        """A one-line account of the statuses."""
        names, counts = np.unique(self.status_names, return_counts=True)
        return ", ".join(f"{n} {c}" for n, c in zip(names, counts))

    def to_dataset(self):
        """The table as an ``xarray.Dataset`` (dims ``point`` or ``eta``, ``g``)."""
        from multigap.output.labels import tc_table_dataset

        return tc_table_dataset(self)


@dataclass(frozen=True, eq=False)
class GapTable(Result):
    """The gaps at fixed density on a grid η × g at one temperature, with one status rule.

    Statuses: ``ok``; ``normal`` (T at or above the fixed-density Tc, or no electrons:
    Δ = 0); ``below_T_min`` (no Tc above the floor: Δ = 0); ``outside_weak_coupling``
    (k_B Tc > ω̃/2, the gaps given and flagged); ``failed`` (Δ = NaN, never 0).

    Attributes
    ----------
    eta, g : numpy.ndarray
        The axes of the grid.
    temperature : float
        T in K.
    Tc, Tc_fixed_density : numpy.ndarray
        The fixed-μ Tc of the map and the fixed-density Tc that decides "normal", in K,
        shape (len(eta), len(g)).
    Delta : numpy.ndarray
        |Δ̄_n| in eV, shape (len(eta), len(g), n_bands); ``Delta_sign`` the sign of each
        relative to the tuned band's.
    on_fermi_surface : numpy.ndarray
        1 where band n crosses the Fermi level, 0 where not, −1 where no gap was solved.
    mu_shift : numpy.ndarray
        μ_S − μ_N in eV.
    residual : numpy.ndarray
        The gap equation's residual.
    status : numpy.ndarray of int8
    tuned_band : int
    """

    eta: np.ndarray
    g: np.ndarray
    temperature: float
    Tc: np.ndarray
    Tc_fixed_density: np.ndarray
    Delta: np.ndarray
    Delta_sign: np.ndarray
    on_fermi_surface: np.ndarray
    mu_shift: np.ndarray
    residual: np.ndarray
    status: np.ndarray
    tuned_band: int
    parameters: dict | None = field(default=None, repr=False)

    @property
    def converged(self) -> np.ndarray:
        """Per point: the status is not ``failed``."""
        from multigap.solvers.solve import CODE

        return self.status != CODE["failed"]

    def to_dataset(self):
        """The table as an ``xarray.Dataset`` on (eta, g, band), energies in meV."""
        from multigap.output.labels import gap_table_dataset

        return gap_table_dataset(self)


@dataclass(frozen=True, eq=False)
class GapResult(Result):
    """Gaps of one point at temperature T (T = 0 by default).

    Attributes
    ----------
    delta_average : numpy.ndarray, shape (n_bands,)
        Δ̄_n, the DOS-weighted Fermi-surface average, in eV. The sign convention
        makes the tuned band's Δ̄ positive.
    on_fermi_surface : numpy.ndarray of bool, shape (n_bands,)
        False where band n has no Fermi surface at μ; Δ̄_n is then Δ_n at the kz
        of the band minimum, the state nearest the Fermi level.
    y : numpy.ndarray, shape (n_bands, rank)
        The gap in the kernel's space: Δ_n(kz) = B_n(kz)·y_n (:meth:`gap`).
    basis : OverlapBasis
    kernel : PairingKernel
        The kernel at the solution.
    mu_normal, mu : float
        μ_N and μ_S in eV.
    temperature : float
        T in K.
    mode : str
        ``"fixed_density"`` or ``"fixed_mu"``.
    converged : bool
    residual : float
        max|F|/max|y| of the gap equation; for fixed density also the relative
        density mismatch, whichever is larger.
    iterations : int
        Newton iterations: the joint Newton's on (y, μ), and the nested search's summed over
        its μ search.
    status : str
        ``"ok"``, ``"normal"`` (T >= Tc of the μ mode: the normal state, Δ = 0) or
        ``"failed"`` (not converged, or collapsed to Δ = 0 below Tc).
    tc : TcResult
        The fixed-μ Tc of the point (its eigenvector started the solve).
    Tc_of_mode : float
        The Tc (K) of the μ mode solved, which decides "normal" (see
        :meth:`~multigap.solvers.model.Model.mode_tc`).
    """

    delta_average: np.ndarray
    on_fermi_surface: np.ndarray
    y: np.ndarray = field(repr=False)
    basis: OverlapBasis = field(repr=False)
    kernel: PairingKernel = field(repr=False)
    mu_normal: float = 0.0
    mu: float = 0.0
    temperature: float = 0.0
    mode: str = "fixed_density"
    converged: bool = True
    residual: float = 0.0
    iterations: int = 0
    status: str = "ok"
    tuned_band: int = 3
    tc: TcResult | None = field(default=None, repr=False)
    Tc_of_mode: float = float("nan")
    eta: float | None = None
    parameters: dict | None = field(default=None, repr=False)

    @property
    def mu_shift(self) -> float:
        """μ_S − μ_N in eV."""
        return self.mu - self.mu_normal

    @property
    def n_bands(self) -> int:
        """The number of bands."""
        return self.delta_average.size

    @property
    def ratio_bands(self) -> tuple[int, int] | None:
        """(t, t − 1): the tuned band and the one below it (1-based), or None for t = 1."""
        t = self.tuned_band
        return (t, t - 1) if t > 1 else None

    @property
    def delta_magnitude(self) -> np.ndarray:
        """|Δ̄_n| in eV: what a tunnelling or optical experiment sees."""
        return np.abs(self.delta_average)

    @property
    def relative_sign(self) -> np.ndarray:
        """The sign of each Δ̄_n relative to the tuned band's (+1 or −1; 0 where Δ̄_n = 0).
        With repulsive (negative) interband couplings the gaps of the two sides differ in
        sign (s±); with attractive ones every sign is +1.
        """
        return np.sign(self.delta_average).astype(int)

    @property
    def delta_ratio(self) -> float:
        """|Δ̄_t/Δ̄_{t−1}|, the paper's Δ3/Δ2 for its three bands (NaN for t = 1)."""
        pair = self.ratio_bands
        if pair is None or self.delta_average[pair[1] - 1] == 0:
            return float("nan")
        return float(abs(self.delta_average[pair[0] - 1] / self.delta_average[pair[1] - 1]))

    def gap(self, band: int, kz) -> np.ndarray:
        """Δ_n(kz) in eV for 1-based *band* at any kz in [0, π/d] (nm⁻¹)."""
        return self.basis.factor(band - 1, kz) @ self.y[band - 1]

    @property
    def regime_flags(self) -> dict[str, bool]:
        """``non_adiabatic`` (E_F,t/ω̃ < 1) and ``bec`` (μ below the tuned band's bottom)
        of this state, for the tuned band t.
        """
        from multigap.solvers.solve import regime_flags

        bottom = self.basis.subbands.edges[self.tuned_band - 1, 0]
        return regime_flags(self.mu, bottom, float(self.kernel.omega[0]))

    def summary(self) -> dict:
        """A JSON-ready dict with unit-suffixed keys (the ``multigap gaps --json`` object)."""
        from multigap.output.labels import gap_summary

        return gap_summary(self)

    def to_dataset(self):
        """Δ_n(kz), Δ̄_n and the ratios as an ``xarray.Dataset`` with provenance."""
        from multigap.output.labels import gap_dataset

        return gap_dataset(self)


@dataclass(frozen=True)
class IsotopeResult(Result):
    """Isotope coefficient α = ½ ∂ln Tc/∂ln ω0 at fixed g and η.

    Attributes
    ----------
    alpha : float
        Richardson-extrapolated difference (NaN if Tc = 0 nearby). Central away from
        the window-edge kinks; one-sided, on the point's own side, next to one.
    error : float
        An error estimate: the distance to the coarse-step difference, plus the
        rounding of Tc over the step.
    Tc : float
        Tc at ω0, in K.
    step : float
        The larger step h in ln ω0 requested (next to a kink a smaller one is used).
    status : str
        ``ok``; ``window_edge`` when ω0 ± h reaches a kink of Tc(ω0), where an edge
        of the pairing window μ ± ω̃ meets a band edge (a feature of the sharp
        cut-off: α jumps there, or diverges logarithmically at a band top); or the
        status of the Tc points.
    alpha_below, alpha_above : float
        Next to a kink: the one-sided α just below and just above it in η (NaN
        elsewhere).
    eta_kink : float
        Next to a kink: the η at which it lies at this ω̃ (NaN elsewhere).
    """

    alpha: float
    error: float
    Tc: float
    step: float
    status: str
    eta: float | None = None
    g: float | None = None
    parameters: dict | None = field(default=None, repr=False)
    alpha_below: float = float("nan")
    alpha_above: float = float("nan")
    eta_kink: float = float("nan")

    @property
    def error_estimate(self) -> float:
        """The error estimate (same as :attr:`error`)."""
        return self.error

    def summary(self) -> dict:
        """A JSON-ready dict (the ``multigap isotope --json`` object)."""
        from multigap.output.labels import isotope_summary

        return isotope_summary(self)

    def to_dataset(self):
        """α, its error estimate and Tc as a scalar ``xarray.Dataset`` with provenance."""
        from multigap.output.labels import isotope_dataset

        return isotope_dataset(self)


@dataclass(frozen=True, eq=False)
class StiffnessResult(Result):
    """The superfluid phase stiffness of a mean-field state, per band and in total.

    Attributes
    ----------
    J_bands_xx, J_bands_zz : numpy.ndarray
        J_xx and J_zz of each band, in eV for wires (per volume, eV/nm, for wells).
    temperature : float
        T in K.
    mu_mode : str
        The μ mode of the gaps.
    density : float
        The density the state belongs to, both spins: per nm² (wires) or nm³ (wells).
    structure : str
        "wires" or "wells".
    status : str
        The gaps' status; ``normal`` states have J = 0.
    non_adiabatic, bec : bool
        The regime flags of the tuned band (E_F,t/ω̃ < 1; μ below its bottom).
    gaps : GapResult
        The mean-field state.
    """

    J_bands_xx: np.ndarray
    J_bands_zz: np.ndarray
    temperature: float
    mu_mode: str
    density: float
    structure: str
    status: str
    gaps: GapResult = field(repr=False)
    eta: float | None = None
    non_adiabatic: bool = False
    bec: bool = False
    parameters: dict | None = field(default=None, repr=False)

    @property
    def J_xx(self) -> float:
        """The total J_xx (along the free direction)."""
        return float(np.sum(self.J_bands_xx))

    @property
    def J_zz(self) -> float:
        """The total J_zz (across the layers)."""
        return float(np.sum(self.J_bands_zz))

    def summary(self) -> dict:
        """A JSON-ready dict (the ``multigap stiffness --json`` object)."""
        from multigap.output.stiffness import stiffness_summary

        return stiffness_summary(self)

    def to_dataset(self):
        """The stiffness as an ``xarray.Dataset`` (meV, per band and in total)."""
        from multigap.output.stiffness import stiffness_dataset

        return stiffness_dataset(self)


@dataclass(frozen=True, eq=False)
class BKTResult(Result):
    """The BKT temperature of wires, beside the mean-field Tc of the same μ mode.

    Attributes
    ----------
    T_BKT : float
        In K; 0 with status ``below_T_min`` where there is no stiffness to speak of.
    Tc : float
        The mean-field Tc of the same μ mode, in K.
    stiffness_zero, stiffness_at : StiffnessResult
        The stiffness at T = 0 and at T_BKT.
    status : str
        ``ok``, ``below_T_min`` or ``outside_weak_coupling`` (the mean-field Tc is).
    """

    T_BKT: float
    Tc: float
    stiffness_zero: StiffnessResult = field(repr=False)
    stiffness_at: StiffnessResult = field(repr=False)
    status: str
    eta: float | None = None
    mu_mode: str = "fixed_density"
    t_min: float = 0.0
    parameters: dict | None = field(default=None, repr=False)

    @property
    def ratio(self) -> float:
        """T_BKT/Tc (NaN without a mean-field Tc)."""
        return self.T_BKT / self.Tc if self.Tc > 0 else float("nan")

    def summary(self) -> dict:
        """A JSON-ready dict (the ``multigap bkt --json`` object)."""
        from multigap.output.stiffness import bkt_summary

        return bkt_summary(self)

    def to_dataset(self):
        """The result as an ``xarray.Dataset``."""
        from multigap.output.stiffness import bkt_dataset

        return bkt_dataset(self)


@dataclass(frozen=True, eq=False)
class BKTTable(Result):
    """T_BKT at many points (fixed density), with one status rule.

    Statuses as for Tc: ``ok``; ``below_T_min`` (no mean-field Tc above the floor:
    T_BKT = 0); ``outside_weak_coupling`` (the mean-field Tc is flagged); ``normal`` (no
    electrons at this density); ``failed`` (NaN, never 0).

    Attributes
    ----------
    eta, g : numpy.ndarray
        Equal 1-D arrays (points), or the axes of a grid (``grid``).
    T_BKT, Tc : numpy.ndarray
        The BKT temperature and the mean-field Tc at fixed density, in K.
    J_xx, J_zz : numpy.ndarray
        The stiffness at T = 0, in eV.
    non_adiabatic, bec : numpy.ndarray of bool
        The regime flags of the T = 0 state.
    status : numpy.ndarray of int8
    """

    eta: np.ndarray
    g: np.ndarray
    grid: bool
    T_BKT: np.ndarray
    Tc: np.ndarray
    J_xx: np.ndarray
    J_zz: np.ndarray
    non_adiabatic: np.ndarray
    bec: np.ndarray
    status: np.ndarray
    parameters: dict | None = field(default=None, repr=False)

    @property
    def converged(self) -> np.ndarray:
        """Per point: the status is not ``failed``."""
        from multigap.solvers.solve import CODE

        return self.status != CODE["failed"]

    def to_dataset(self):
        """The table as an ``xarray.Dataset`` (dims ``point``, or ``eta`` and ``g``)."""
        from multigap.output.stiffness import bkt_table_dataset

        return bkt_table_dataset(self)
