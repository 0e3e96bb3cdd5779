"""The model object: one superlattice + pairing + numerics, with its explicit caches.

:class:`Model` solves the subbands once, builds the overlap basis (the Chebyshev
interpolants of E_n(kz) and of the low-rank overlap factor) once, and then
answers every superconducting question through one pairing kernel
(:mod:`multigap.pairing.kernel`) and one solver family (:mod:`multigap.solvers.solve`). Each
operation exists in a batched form (many couplings, cut-offs or chemical
potentials at once; used by sweeps) and a single-point form built on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from multigap.config import (
    Config,
    Numerics,
    Pairing,
    Superlattice,
    check_inputs,
    load_config,
    preset,
)
from multigap.errors import ConvergenceError, ParameterError
from multigap.free_motion.motion import free_motion
from multigap.normal_state import (
    chemical_potential,
    density,
    density_mu,
    total_dos,
)
from multigap.output.provenance import parameters
from multigap.pairing.cutoff import COUPLING_RANGE, is_coupling, migdal_cutoff
from multigap.pairing.kernel import OverlapBasis, PairingKernel, overlap_basis, pairing_kernel
from multigap.solvers import grid
from multigap.solvers.isotope import isotope_coefficient
from multigap.solvers.results import (
    BKTResult,
    BKTTable,
    GapResult,
    GapTable,
    IsotopeResult,
    StiffnessResult,
    TcResult,
    TcTable,
)
from multigap.solvers.solve import (
    CODE,
    STATUS,
    TcRoots,
    bcs_gap_guess,
    critical_temperatures,
    solve_gaps,
    weak_coupling_status,
)
from multigap.solvers.stiffness import bkt_temperature, stiffness
from multigap.superlattice.kronig_penney import Subbands, solve_subbands
from multigap.units import check_temperature, thermal_energy

__all__ = ["Model", "MU_MODES", "GAP_MODES"]

#: Which chemical potential the Tc calculation uses.
MU_MODES = ("normal", "fixed_mu", "fixed_density")
#: What the gap equation holds fixed.
GAP_MODES = ("fixed_density", "fixed_mu")
#: The μ modes of a Tc table.
TC_MODES = ("fixed_mu", "fixed_density")


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ParameterError(name, value, "one of " + ", ".join(allowed))
    return value


@dataclass(eq=False)
class Model:
    """A superlattice of quantum wires with its pairing interaction.

    Parameters
    ----------
    superlattice : Superlattice
    pairing : Pairing
    numerics : Numerics, optional
        Default: the "tight" preset.
    name : str, optional
        A label, e.g. the preset name, recorded in outputs.

    Examples
    --------
    >>> m = Model.from_preset("A")
    >>> r = m.critical_temperature(eta=1.0, g=0.25)
    >>> round(r.Tc), r.status
    (133, 'ok')
    >>> gaps = m.gaps(eta=1.0, g=0.25)
    >>> [round(d, 2) for d in gaps.summary()["Delta_meV"]]
    [7.86, 7.64, 22.04]
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics = field(default_factory=Numerics)
    name: str | None = None
    source: dict | None = None

    def __post_init__(self):
        check_inputs(self.superlattice, self.pairing, self.numerics)

    @classmethod
    def from_preset(cls, name: str, numerics: Numerics | None = None) -> Model:
        """Model of preset ``"A"`` or ``"B"``."""
        sl, pa = preset(name)
        return cls(sl, pa, numerics or Numerics(), name=str(name).upper())

    @classmethod
    def from_config(cls, config: Config) -> Model:
        """A model from a validated :class:`~multigap.config.Config`."""
        return cls(
            config.superlattice, config.pairing, config.numerics, config.model, config.source
        )

    @classmethod
    def load(cls, path=None, *, model: str | None = None, **overrides) -> Model:
        """Build from a TOML file and overrides (see :func:`multigap.config.load_config`)."""
        return cls.from_config(load_config(path, model=model, overrides=overrides))

    # -- what does not depend on the point: computed once ----------------------------
    @cached_property
    def subbands(self) -> Subbands:
        """The solved subbands."""
        return solve_subbands(self.superlattice, self.numerics)

    @cached_property
    def free(self):
        """The free motion: :class:`~multigap.free_motion.motion.Wires` or ``Wells``."""
        return free_motion(self.superlattice)

    @cached_property
    def basis(self) -> OverlapBasis:
        """Chebyshev interpolants of E_n(kz) and of the overlap factor B_n(kz)."""
        return overlap_basis(self.subbands, self.numerics.rank_tol)

    def with_pairing(self, **changes) -> Model:
        """A model with changed pairing that shares the solved subbands and basis."""
        new = Model(
            self.superlattice, self.pairing.replace(**changes), self.numerics, self.name,
            self.source,
        )  # fmt: skip
        for cached in ("subbands", "basis"):
            if cached in self.__dict__:
                new.__dict__[cached] = self.__dict__[cached]
        return new

    def with_numerics(self, numerics: Numerics) -> Model:
        """The same model with other numerical settings."""
        return Model(self.superlattice, self.pairing, numerics, self.name, self.source)

    # -- the point ------------------------------------------------------------------
    @property
    def tuned(self) -> int:
        """0-based index of the tuned band."""
        return self.superlattice.tuned_band - 1

    def coupling(self, g: float | None = None) -> np.ndarray:
        """The coupling matrix g_{nn'} with the tuned band's g_nn replaced by *g*."""
        sl = self.superlattice
        mat = self.pairing.coupling_matrix(sl.n_bands, sl.tuned_band)
        if g is not None:
            if (
                isinstance(g, bool)
                or not isinstance(g, (int, float, np.floating, np.integer))
                or not is_coupling(g)
            ):
                raise ParameterError("g", g, COUPLING_RANGE)
            mat[self.tuned, self.tuned] = g
        return mat

    def cutoff(self, g: float | None = None, omega0: float | None = None) -> float:
        """ω̃ = ω0 sqrt(1 − 2 max g_nn), in eV."""
        return float(
            migdal_cutoff(self.pairing.omega0 if omega0 is None else omega0, self.coupling(g))
        )

    def mu_normal(self, eta: float | None = None, mu: float | None = None) -> float:
        """μ_N from η (or μ itself, if given), in eV."""
        if (eta is None) == (mu is None):
            raise ParameterError("eta/mu", (eta, mu), "exactly one of eta and mu")
        value, name = (mu, "mu") if mu is not None else (eta, "eta")
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.floating, np.integer))
            or not np.isfinite(value)
        ):
            raise ParameterError(name, value, "a finite number")
        if mu is not None:
            return float(mu)
        return float(chemical_potential(self.subbands, value))

    def kernel(self, mu, omega, g, temperature=None) -> PairingKernel:
        """The pairing kernel of a batch of points (μ, ω̃ in eV; g matrices; T in K) on
        this model's numerics.
        """
        n = self.numerics
        T = None if temperature is None else thermal_energy(temperature)
        return pairing_kernel(
            self.basis,
            self.free,
            mu,
            omega,
            g,
            kz_panels=n.kz_panels,
            kz_levels=n.kz_levels,
            kz_order=n.kz_order,
            kx_order=n.kx_order,
            kx_levels=n.kx_levels,
            chi_table=n.chi_table,
            temperature=T,
        )

    def normal_density(self, mu: float, temperature: float = 0.0) -> float:
        """ρ_N: the normal-state density of the kept bands at μ (eV) and T (K), per nm²
        (per nm³ for wells), both spins.
        """
        return float(density(self.subbands, [mu], temperature).sum())

    # -- Tc ---------------------------------------------------------------------------
    def _density_of(self, mu: float) -> float:
        """ρ_N(μ) for the fixed-density modes, refusing a μ below every kept band."""
        rho = self.normal_density(mu)
        if not rho > 0:
            raise ParameterError(
                "eta",
                float((mu - self.subbands.lifshitz_energy) / self.subbands.tuned_width),
                "a Lifshitz parameter with electrons in the kept bands for "
                "mu_mode fixed_density (here μ_N lies below every band, so "
                "the density ρ_N is 0)",
            )
        return rho

    def tc_batch(
        self,
        mu,
        g: np.ndarray,
        omega: np.ndarray,
        *,
        mu_mode: str = "normal",
        bracket=None,
        guess=None,
    ) -> tuple[TcRoots, np.ndarray]:
        """Tc of many couplings (g: (m, n, n)) and cut-offs ω̃ (eV) at μ_N = *mu* (eV; one
        value, or one per point in the ``normal``/``fixed_mu`` modes). ``bracket`` and
        ``guess`` (K) are warm starts (see :func:`~multigap.solvers.solve.critical_temperatures`).

        Returns the roots and the μ (eV) used at each Tc (μ_N, or μ(Tc) at ρ_N).
        """
        _choice("mu_mode", mu_mode, MU_MODES)
        omega = np.asarray(omega, dtype=float)
        if mu_mode != "fixed_density":
            kernel = self.kernel(mu, omega, g)
            roots = critical_temperatures(
                lambda T, i: kernel.subset(i).eigenvalues(thermal_energy(T)),
                omega,
                t_min=self.numerics.t_min,
                rtol=self.numerics.tc_rtol,
                bracket=bracket,
                guess=guess,
            )
            return roots, np.broadcast_to(np.asarray(mu, dtype=float), omega.shape).copy()
        mu_at = density_mu(self.subbands, self._density_of(mu), self.numerics.mu_tol, mu_cold=mu)
        g = np.broadcast_to(g, (omega.size,) + np.shape(g)[-2:])

        def lam(T, i):
            return self.kernel(mu_at(T), omega[i], g[i]).eigenvalues(thermal_energy(T))

        roots = critical_temperatures(
            lam,
            omega,
            t_min=self.numerics.t_min,
            rtol=self.numerics.tc_rtol,
            bracket=bracket,
            guess=guess,
        )
        return roots, mu_at(self._at_tc(roots.Tc))

    def tc_points(self, eta, g, *, mu_mode: str = "fixed_mu") -> TcTable:
        """Tc at the points (η_i, g_i) (arrays broadcast together; a scalar g serves every
        η), as one batch. Failed points have Tc = NaN, never 0 (see :class:`TcTable`).

        Parameters
        ----------
        eta : array_like
            Lifshitz parameters.
        g : array_like
            Couplings of the tuned band, in [0, 0.5).
        mu_mode : {"fixed_mu", "fixed_density"}
            As in :meth:`critical_temperature`.
        """
        return grid.tc_points(self, eta, g, mu_mode=_choice("mu_mode", mu_mode, TC_MODES))

    def tc_grid(self, eta, g, *, mu_mode: str = "fixed_mu") -> TcTable:
        """Tc on the grid η × g (1-D arrays), one batch per η: arrays of shape
        (len(eta), len(g)), with the status rule of :class:`TcTable`.
        """
        return grid.tc_grid(self, eta, g, mu_mode=_choice("mu_mode", mu_mode, TC_MODES))

    def gap_grid(self, eta, g, *, temperature: float = 0.0) -> GapTable:
        """The gaps at fixed density on the grid η × g (1-D arrays) at temperature T (K).

        Every point has a status: ``ok``; ``normal`` (T at or above the fixed-density
        Tc, or no electrons: Δ = 0); ``failed`` (Δ = NaN, never 0); ``below_T_min`` and
        ``outside_weak_coupling`` as for Tc. See :class:`GapTable`.
        """
        return grid.gap_grid(self, eta, g, temperature=check_temperature(temperature))

    def _at_tc(self, Tc):
        """The temperature (K) of the Tc eigenproblem: Tc, or t_min where there is no Tc."""
        return np.where(np.asarray(Tc) > 0, Tc, self.numerics.t_min)

    def critical_temperature(
        self,
        eta: float | None = None,
        *,
        g: float | None = None,
        mu: float | None = None,
        mu_mode: str = "fixed_mu",
        omega0: float | None = None,
        bracket: tuple[float, float] | None = None,
    ) -> TcResult:
        """Tc from λ_max(Tc) = 1 of the linearised kernel.

        Parameters
        ----------
        eta : float
            Lifshitz parameter; or give ``mu`` (eV) instead.
        g : float, optional
            Coupling of the tuned band (default from the pairing).
        mu_mode : {"fixed_mu", "fixed_density"}
            Use μ_N(η) (default; "normal" is its old name), or the μ(T) at which the
            normal-state density at T equals ρ_N(η).
        omega0 : float, optional
            Override ω0 (eV), e.g. for the isotope coefficient.
        bracket : (float, float), optional
            Temperatures (K) that probably bracket Tc (a warm start).

        Returns
        -------
        TcResult
            Status ``outside_weak_coupling`` when k_B Tc > ω̃/2.
        """
        _choice("mu_mode", mu_mode, MU_MODES)
        mu_mode = "fixed_mu" if mu_mode == "normal" else mu_mode
        mu_n = self.mu_normal(eta, mu)
        gm = self.coupling(g)
        if omega0 is not None and (
            isinstance(omega0, bool)
            or not isinstance(omega0, (int, float, np.floating))
            or not (np.isfinite(omega0) and omega0 > 0)
        ):
            raise ParameterError("omega0", omega0, "a finite phonon energy > 0 eV")
        omega = self.cutoff(g, omega0)
        br = None if bracket is None else _bracket(bracket)
        roots, mus = self.tc_batch(mu_n, gm[None], np.array([omega]), mu_mode=mu_mode, bracket=br)
        status = weak_coupling_status(roots.Tc, roots.status, np.array([omega]))[0]
        Tc = float(roots.Tc[0])
        kernel = self.kernel(mus[0], omega, gm[None])
        _, shape = kernel.gap_shape(thermal_energy(self._at_tc(Tc)))
        return TcResult(
            Tc=Tc,
            status=STATUS[int(status)],
            t_min=self.numerics.t_min,
            mu=float(mus[0]),
            mu_normal=mu_n,
            mu_mode=mu_mode,
            omega=omega,
            lambda_at_t_min=float(roots.lambda_at_t_min[0]),
            kernel=kernel,
            shape=self._normalised_shape(kernel, shape)[0],
            evaluations=roots.evaluations,
            eta=eta,
            g_matrix=gm,
            parameters=self.point_parameters(eta, mu_n, gm, mu_mode=mu_mode, omega0=omega0),
        )

    def _normalised_shape(self, kernel: PairingKernel, y: np.ndarray) -> np.ndarray:
        """Scale gap vectors y (m, n, r) to max |Δ| = 1 at the nodes, positive on the tuned band."""
        delta = [np.where(w > 0, d, 0.0) for d, w in zip(kernel.gap_at_nodes(y), kernel.weight)]
        peak = np.max([np.max(np.abs(d), axis=1) for d in delta], axis=0)
        tuned = delta[self.tuned]
        ref = tuned[np.arange(tuned.shape[0]), np.argmax(np.abs(tuned), axis=1)]
        sign = np.where(ref < 0, -1.0, 1.0)
        return y * (sign / np.maximum(peak, 1e-300))[:, None, None]

    # -- gaps -------------------------------------------------------------------------
    def gap_batch(
        self,
        mu_n: np.ndarray,
        g: np.ndarray,
        omega: np.ndarray,
        y0: np.ndarray,
        *,
        temperature=0.0,
        mu_mode: str = "fixed_density",
        mu_start=None,
    ):
        """Gaps of a batch: μ_N (m,), couplings (m, n, n), ω̃ (m,), starts y0 (m, n, r), at
        temperatures T (K; one value or one per point).
        """
        _choice("mu_mode", mu_mode, GAP_MODES)
        num = self.numerics
        mu_n = np.asarray(mu_n, dtype=float)
        T = np.broadcast_to(np.asarray(temperature, dtype=float), mu_n.shape)
        kernel_at = lambda m, i: self.kernel(m, omega[i], g[i], T[i])  # noqa: E731
        opts: dict[str, Any] = dict(tol=num.gap_tol, maxiter=num.gap_maxiter, mu_tol=num.mu_tol)
        if mu_mode == "fixed_mu":
            return solve_gaps(kernel_at, y0, mu_n, **opts)
        values, inverse = np.unique(mu_n, return_inverse=True)  # a map column shares one μ_N
        rho = np.array([self._density_of(float(x)) for x in values])[inverse.ravel()]
        return solve_gaps(
            kernel_at,
            y0,
            mu_n if mu_start is None else mu_start,
            rho_target=rho,
            normal_density=lambda m, i: density(self.subbands, m, T[i]).sum(axis=0),
            normal_dos=lambda m, i: total_dos(self.subbands, m),
            **opts,
        )

    def tc_shapes(
        self, mu: float, g: np.ndarray, omega: np.ndarray, Tc: np.ndarray, temperature=0.0
    ) -> np.ndarray:
        """Starting gaps y0 (m, n, r): the Tc eigenvectors scaled to the BCS Δ(T)."""
        kernel = self.kernel(mu, omega, g)
        at = self._at_tc(Tc)
        _, y = kernel.gap_shape(thermal_energy(at))
        scale = bcs_gap_guess(at, temperature)
        return self._normalised_shape(kernel, y) * scale[:, None, None]

    def gap_points(
        self,
        mu_n: np.ndarray,
        g: np.ndarray,
        omega: np.ndarray,
        y0: np.ndarray,
        Tc: np.ndarray,
        *,
        temperature=0.0,
        mu_mode: str = "fixed_density",
        mu_start=None,
    ) -> dict:
        """Solve a batch of gap points and report them.

        ``Tc`` (K) are the critical temperatures of the matching μ mode: a point with
        T >= Tc is the normal state (Δ = 0, status ``normal``, μ the normal-state one at
        ρ_N or μ_N), never a failure. ``mu_start`` (eV) starts the fixed-density search
        (default μ_N). Returns y, μ, Δ̄ (eV, tuned band > 0), FS flags,
        status (``ok``, ``normal``, ``failed``: a solve that did not converge, or that
        collapsed to Δ = 0 where the linearised kernel still has λ_max > 1), converged,
        residual, the iteration count and the kernel at the solution.
        """
        return grid.gap_points(
            self, mu_n, g, omega, y0, Tc, temperature=temperature, mu_mode=mu_mode,
            mu_start=mu_start,
        )  # fmt: skip

    def gaps(
        self,
        eta: float | None = None,
        *,
        g: float | None = None,
        mu: float | None = None,
        temperature: float = 0.0,
        mu_mode: str = "fixed_density",
        tc: TcResult | None = None,
        warm_start: GapResult | None = None,
        raise_on_failure: bool = True,
    ) -> GapResult:
        """Gaps Δ_n(kz) at temperature T, with the number equation at fixed ρ_N (default).

        Parameters
        ----------
        eta, g, mu
            The point, as in :meth:`critical_temperature`.
        temperature : float
            T in K (default 0).
        mu_mode : {"fixed_density", "fixed_mu"}
        tc : TcResult, optional
            Tc of this very point (computed if not given); its eigenvector, scaled
            to the BCS ratio, starts the solve. A result of another point is refused.
        warm_start : GapResult, optional
            A neighbouring point's gaps, used as the start instead.
        raise_on_failure : bool
            Raise :class:`~multigap.errors.ConvergenceError` instead of returning
            ``converged=False``.

        Returns
        -------
        GapResult
        """
        _choice("mu_mode", mu_mode, GAP_MODES)
        temperature = check_temperature(temperature)
        mu_n, gm, omega = self.mu_normal(eta, mu), self.coupling(g), self.cutoff(g)
        tc = self._own_tc(tc, mu_n, gm, omega)
        tc_mode, y0 = self._gap_start(tc, mu_n, gm, omega, temperature, mu_mode, warm_start)
        pts = self.gap_points(
            np.array([mu_n]),
            gm[None],
            np.array([omega]),
            y0,
            np.array([tc_mode]),
            temperature=temperature,
            mu_mode=mu_mode,
        )
        status = str(pts["status"][0])
        converged = status != "failed"
        if not converged and raise_on_failure:
            raise ConvergenceError(
                "gap equation",
                float(pts["residual"][0]),
                f"mode {mu_mode}, μ_N = {mu_n:.6g} eV, T = {temperature:g} K",
            )
        return GapResult(  # the tuned band's Δ̄ is > 0 (a global sign is free)
            delta_average=pts["Delta"][0],
            on_fermi_surface=pts["on_fs"][0],
            y=pts["y"][0],
            basis=self.basis,
            kernel=pts["kernel"],
            mu_normal=mu_n,
            mu=float(pts["mu"][0]),
            temperature=float(temperature),
            mode=mu_mode,
            converged=converged,
            residual=float(pts["residual"][0]),
            iterations=pts["iterations"],
            status=status,
            tuned_band=self.superlattice.tuned_band,
            tc=tc,
            Tc_of_mode=tc_mode,
            eta=eta,
            parameters=self.point_parameters(
                eta, mu_n, gm, mode=mu_mode, temperature_K=temperature
            ),
        )

    def _gap_start(self, tc, mu_n, gm, omega, temperature, mu_mode, warm_start):
        """Tc of the gap solve's μ mode, and the start: a neighbour's gaps, or Tc's
        eigenvector scaled to the BCS gap at this T.
        """
        tc_mode = (
            tc.Tc
            if tc.mu_mode == mu_mode
            else float(self.mode_tc(mu_n, gm[None], [omega], [tc.Tc], mu_mode)[0])
        )
        if warm_start is not None:
            return tc_mode, warm_start.y[None]
        return tc_mode, tc.shape[None] * bcs_gap_guess(self._at_tc(tc_mode), temperature)

    def zero_temperature_gaps(
        self, eta: float | None = None, *, mode: str = "fixed_density", **kwargs
    ) -> GapResult:
        """The T = 0 gaps: :meth:`gaps` with ``temperature=0`` (``mode`` is the μ mode)."""
        return self.gaps(eta, mu_mode=mode, temperature=0.0, **kwargs)

    def mode_tc(self, mu: float, g, omega, Tc, mu_mode: str = "fixed_density") -> np.ndarray:
        """The Tc (K) that decides whether each point of a batch is normal at T: the Tc of
        the μ mode solved.

        ``Tc`` holds the fixed-μ Tc of the points (0 below the floor, NaN where it failed);
        at fixed μ it is the answer. At fixed density the fixed-density Tc is solved at
        every point (from the fixed-μ one as a warm start), also at T = 0 where it decides
        nothing: it is reported beside the gaps as the Tc of their mode (the ratios
        2Δ/k_B Tc divide by the fixed-μ Tc). 0 below the floor, NaN where the search fails.
        """
        out = np.array(Tc, dtype=float)
        if mu_mode != "fixed_density":
            return out
        roots, _ = self.tc_batch(
            mu, np.asarray(g), np.asarray(omega), mu_mode="fixed_density", guess=out
        )
        out = np.where(roots.status == CODE["ok"], roots.Tc, 0.0)
        out[roots.status == CODE["failed"]] = np.nan
        return out

    def _own_tc(self, tc: TcResult | None, mu_n: float, gm: np.ndarray, omega: float) -> TcResult:
        if tc is None:
            return self.critical_temperature(mu=mu_n, g=float(gm[self.tuned, self.tuned]))
        same = (
            tc.mu_normal == mu_n
            and tc.omega == omega
            and tc.g_matrix is not None
            and np.array_equal(tc.g_matrix, gm)
            and tc.kernel.basis.subbands.superlattice == self.superlattice
        )
        if not same:
            raise ParameterError(
                "tc",
                f"TcResult at mu_N = {tc.mu_normal:.6g} eV",
                f"the Tc result of this very point (mu_N = {mu_n:.6g} eV, "
                "same couplings, cut-off and superlattice), or None",
            )
        return tc

    # -- isotope coefficient --------------------------------------------------------------
    def isotope_coefficient(
        self,
        eta: float | None = None,
        *,
        g: float | None = None,
        mu: float | None = None,
        step: float = 0.02,
    ) -> IsotopeResult:
        """α = −d ln Tc/d ln M = ½ ∂ ln Tc/∂ ln ω0 at fixed g and η.

        Central differences in ln ω0 with steps h and h/2, combined by Richardson
        extrapolation (error O(h⁴)); the coarse-step difference gives the error
        estimate. ω0 ∝ M^-½ and the softening factor does not depend on M.

        With the sharp cut-off, Tc has kinks where an edge of the window μ ± ω̃ meets
        a band edge; α jumps there (or diverges logarithmically where the window edge
        meets a band top). Within ±h of such a kink the result has status
        ``window_edge``: α is the one-sided value on the point's own side, and the
        result also gives the one-sided values just below and above the kink in η
        (see :func:`multigap.solvers.isotope.isotope_batch`).

        Parameters
        ----------
        step : float
            h, the larger step in ln ω0 (default 0.02, i.e. ±2 % in ω0).
        """
        return isotope_coefficient(self, eta, g=g, mu=mu, step=step)

    # -- beyond mean field -----------------------------------------------------------
    def stiffness(
        self,
        eta: float | None = None,
        *,
        g: float | None = None,
        mu: float | None = None,
        temperature: float = 0.0,
        mu_mode: str = "fixed_density",
    ) -> StiffnessResult:
        """The superfluid phase stiffness J_xx, J_zz (per band and in total) at T (K).

        The gaps are solved first (as by :meth:`gaps`, in the same μ mode); a normal
        state has J = 0. Wires: J in eV; wells: J per volume, eV/nm. The result carries
        the regime flags ``non_adiabatic`` and ``bec`` of the tuned band.
        """
        gaps = self.gaps(eta, g=g, mu=mu, temperature=temperature, mu_mode=mu_mode)
        return stiffness(self, gaps)

    def bkt(self, eta: float | None = None, *, g: float | None = None, mu: float | None = None,
            mu_mode: str = "fixed_density") -> BKTResult:  # fmt: skip
        """The BKT temperature of wires, k_B T = (π/2) sqrt(J_xx J_zz) on (0, Tc_MF].

        Tc_MF is the mean-field Tc of the same μ mode (fixed density by default, as for
        the gaps). Wells are three-dimensional and are refused (see :meth:`stiffness`).
        """
        return bkt_temperature(self, eta, g, _choice("mu_mode", mu_mode, GAP_MODES), mu)

    def bkt_grid(self, eta, g) -> BKTTable:
        """T_BKT (fixed density) on the grid η × g, with J(0) and the regime flags."""
        return grid.bkt_grid(self, eta, g)

    # -- provenance -----------------------------------------------------------------
    def parameters(self, **extra) -> dict:
        """Every input, numerical setting and the version, as a JSON-ready dict."""
        if self.source:
            extra = {"input": self.source, **extra}
        return parameters(self.superlattice, self.pairing, self.numerics, self.name, **extra)

    def point_parameters(self, eta, mu, g_matrix, **extra) -> dict:
        """The provenance of one point: the model's inputs and (η, μ in meV, g, g_nn')."""
        from multigap.units import energy_out

        point = {
            "eta": None if eta is None else float(eta),
            "mu_meV": energy_out(mu),
            "g": float(g_matrix[self.tuned, self.tuned]),
            "g_matrix": np.asarray(g_matrix).tolist(),
        }
        point.update({k: v for k, v in extra.items() if v is not None})
        return self.parameters(point=point)


def _bracket(bracket) -> tuple[np.ndarray, np.ndarray]:
    """A warm-start bracket (T_lo, T_hi) in K, checked."""
    try:
        lo, hi = (float(t) for t in bracket)
    except (TypeError, ValueError):
        raise ParameterError("bracket", bracket, "two temperatures (T_lo, T_hi) in K") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
        raise ParameterError("bracket", bracket, "finite temperatures 0 < T_lo < T_hi in K")
    return np.array([lo]), np.array([hi])
