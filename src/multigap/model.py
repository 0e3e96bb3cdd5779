"""The model object: one superlattice + pairing + numerics, with explicit caches.

:class:`Model` solves the subbands once and caches kernel grids (kz nodes,
Bloch densities, Ĩ and the coupling matrix) per (μ, ω̃, g), so every operation
on it (Tc, gaps, isotope coefficient, DOS) reuses what does not depend on the
point. The caches are attributes of the object, bounded, and can be cleared.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import dataclasses

import numpy as np

from .config import Config, Numerics, Pairing, Superlattice, load_config, preset
from .errors import ParameterError
from .gaps import GAP_MODES, GapResult, solve_gaps
from .normal_state import chemical_potential, chemical_potential_at_density, density
from .pairing import KernelGrid, kernel_grid, migdal_cutoff
from .provenance import parameters
from .superlattice import Subbands, solve_subbands
from .tc import TcResult, check_mu_mode, solve_tc

__all__ = ["Model", "IsotopeResult"]


@dataclass(frozen=True)
class IsotopeResult:
    """Isotope coefficient α = ½ ∂ln Tc/∂ln ω0 at fixed g and η.

    Attributes
    ----------
    alpha : float
        Richardson-extrapolated central difference (NaN if Tc = 0 nearby).
    alpha_coarse : float
        The plain central difference with the larger step (error estimate).
    Tc : float
        Tc at ω0, in K.
    step : float
        The larger step h in ln ω0.
    status : str
        ``"ok"`` or ``"below_T_min"``.
    """

    alpha: float
    alpha_coarse: float
    Tc: float
    step: float
    status: str
    eta: float | None = None
    g: float | None = None
    parameters: dict | None = field(default=None, repr=False)

    @property
    def error_estimate(self) -> float:
        """|α − α_coarse|: the truncation error of the coarse step, an upper bound."""
        return abs(self.alpha - self.alpha_coarse)

    def summary(self) -> dict:
        """A JSON-ready dict (the ``multigap isotope --json`` object)."""
        from .results import isotope_summary

        return isotope_summary(self)

    def to_dataset(self):
        """α, its error estimate and Tc as a scalar ``xarray.Dataset`` with provenance."""
        from .results import isotope_dataset

        return isotope_dataset(self)


@dataclass(eq=False)
class Model:
    """A superlattice of quantum wires with its pairing interaction.

    Parameters
    ----------
    superlattice : Superlattice
    pairing : Pairing
    numerics : Numerics, optional
    name : str, optional
        A label, e.g. the preset name, recorded in outputs.

    Examples
    --------
    >>> m = Model.from_preset("A")
    >>> r = m.critical_temperature(eta=1.0, g=0.25)   # doctest: +SKIP
    >>> round(r.Tc)                                     # doctest: +SKIP
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics = field(default_factory=Numerics)
    name: str | None = None
    grid_cache_size: int = 64
    _grids: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)

    @classmethod
    def from_preset(cls, name: str, numerics: Numerics | None = None) -> "Model":
        """Model of preset ``"A"`` or ``"B"``."""
        sl, pa = preset(name)
        return cls(sl, pa, numerics or Numerics(), name=str(name).upper())

    @classmethod
    def from_config(cls, config: Config) -> "Model":
        return cls(config.superlattice, config.pairing, config.numerics, name=config.model)

    @classmethod
    def load(cls, path=None, *, model: str | None = None, **overrides) -> "Model":
        """Build from a TOML file and overrides (see :func:`multigap.config.load_config`)."""
        return cls.from_config(load_config(path, model=model, overrides=overrides))

    # -- what does not depend on the point ------------------------------------------
    @cached_property
    def subbands(self) -> Subbands:
        """The solved subbands (computed once)."""
        return solve_subbands(self.superlattice, self.numerics)

    def with_pairing(self, **changes) -> "Model":
        """A model with changed pairing that shares the solved subbands."""
        new = Model(self.superlattice, self.pairing.replace(**changes), self.numerics, self.name,
                    self.grid_cache_size)
        new.__dict__["subbands"] = self.subbands
        return new

    def with_numerics(self, numerics: Numerics) -> "Model":
        return Model(self.superlattice, self.pairing, numerics, self.name, self.grid_cache_size)

    def clear_cache(self) -> None:
        self._grids.clear()

    # -- the point ------------------------------------------------------------------
    def coupling(self, g: float | None = None) -> np.ndarray:
        """The coupling matrix g_{nn'} with the tuned band's g_nn replaced by *g*."""
        sl = self.superlattice
        mat = self.pairing.coupling_matrix(sl.n_bands, sl.tuned_band)
        if g is not None:
            if not (np.isfinite(g) and 0.0 <= g < 0.5):
                raise ParameterError("g", g, "a coupling in [0, 0.5)")
            mat[sl.tuned_band - 1, sl.tuned_band - 1] = g
        return mat

    def cutoff(self, g: float | None = None, omega0: float | None = None) -> float:
        """ω̃ = ω0 sqrt(1 − 2 max g_nn), in eV."""
        return migdal_cutoff(self.pairing.omega0 if omega0 is None else omega0, self.coupling(g))

    def mu_normal(self, eta: float | None = None, mu: float | None = None) -> float:
        """μ_N from η (or μ itself, if given), in eV."""
        if (eta is None) == (mu is None):
            raise ParameterError("eta/mu", (eta, mu), "exactly one of eta and mu")
        if mu is not None:
            if not np.isfinite(mu):
                raise ParameterError("mu", mu, "a finite energy in eV")
            return float(mu)
        return float(chemical_potential(self.subbands, eta))

    def grid(self, mu: float, g_matrix: np.ndarray, omega: float) -> KernelGrid:
        """The cached kernel grid at (μ, ω̃, g)."""
        key = (float(mu), float(omega), g_matrix.tobytes())
        hit = self._grids.get(key)
        if hit is not None:
            self._grids.move_to_end(key)
            return hit
        grid = kernel_grid(self.subbands, self.pairing, mu, g=g_matrix, omega=omega)
        self._grids[key] = grid
        while len(self._grids) > self.grid_cache_size:
            self._grids.popitem(last=False)
        return grid

    # -- operations -----------------------------------------------------------------
    def critical_temperature(self, eta: float | None = None, *, g: float | None = None,
                             mu: float | None = None, mu_mode: str = "normal",
                             omega0: float | None = None,
                             bracket: tuple[float, float] | None = None) -> TcResult:
        """Tc from λ_max(Tc) = 1 of the linearised kernel (spec §4).

        Parameters
        ----------
        eta : float
            Lifshitz parameter; or give ``mu`` (eV) instead.
        g : float, optional
            Coupling of the tuned band (default from the pairing).
        mu_mode : {"normal", "fixed_density"}
            Use μ_N(η) (default), or the μ(T) at which the normal-state density
            at T equals ρ_N(η).
        omega0 : float, optional
            Override ω0 (eV), e.g. for the isotope coefficient.
        bracket : (float, float), optional
            Temperatures (K) that probably bracket Tc (warm start).

        Returns
        -------
        TcResult
        """
        check_mu_mode(mu_mode)
        mu_n = self.mu_normal(eta, mu)
        gm = self.coupling(g)
        omega = self.cutoff(g, omega0)
        if mu_mode == "normal":
            grid = self.grid(mu_n, gm, omega)
            grid_at = lambda T: grid  # noqa: E731
        else:
            rho = float(density(self.subbands, [mu_n]).sum())
            mus: dict[float, float] = {}

            def grid_at(T: float) -> KernelGrid:
                if T not in mus:
                    mus[T] = chemical_potential_at_density(self.subbands, rho, T,
                                                           xtol=self.numerics.mu_tol)
                return self.grid(mus[T], gm, omega)
        r = solve_tc(grid_at, self.superlattice.mass_x, self.numerics, mu_normal=mu_n,
                     mu_mode=mu_mode, tuned_band=self.superlattice.tuned_band, bracket=bracket)
        return dataclasses.replace(r, eta=eta, g_matrix=gm, parameters=self._point_parameters(
            eta, mu_n, gm, mu_mode=mu_mode, omega0=omega0))

    def zero_temperature_gaps(self, eta: float | None = None, *, g: float | None = None,
                              mu: float | None = None, mode: str = "fixed_density",
                              tc: TcResult | None = None, warm_start: GapResult | None = None,
                              raise_on_failure: bool = True) -> GapResult:
        """T = 0 gaps Δ_n(kz), solved with the number equation at fixed ρ_N (default).

        Parameters
        ----------
        eta, g, mu
            The point, as in :meth:`critical_temperature`.
        mode : {"fixed_density", "fixed_mu"}
        tc : TcResult, optional
            Tc at this point (computed if not given); its eigenvector starts
            the solve, scaled to the BCS ratio.
        warm_start : GapResult, optional
            A neighbouring point's gaps, used as the start instead.
        raise_on_failure : bool
            Raise ConvergenceError instead of returning ``converged=False``.

        Returns
        -------
        GapResult
        """
        if mode not in GAP_MODES:
            raise ParameterError("mode", mode, "one of " + ", ".join(GAP_MODES))
        mu_n = self.mu_normal(eta, mu)
        gm = self.coupling(g)
        omega = self.cutoff(g)
        if tc is None:
            tc = self.critical_temperature(mu=mu_n, g=g)
        if warm_start is not None:
            init_grid, init, scale_tc = warm_start.grid, warm_start.delta, None
        else:
            init_grid, init, scale_tc = tc.grid, tc.gap_shape, max(tc.Tc, tc.t_min)
        r = solve_gaps(self.subbands, lambda m: self.grid(m, gm, omega), mu_normal=mu_n,
                       mode=mode, initial_grid=init_grid, initial=init, tc_kelvin=scale_tc,
                       raise_on_failure=raise_on_failure)
        return dataclasses.replace(r, tc=tc, eta=eta,
                                   parameters=self._point_parameters(eta, mu_n, gm, mode=mode))

    def isotope_coefficient(self, eta: float | None = None, *, g: float | None = None,
                            mu: float | None = None, step: float = 0.02) -> IsotopeResult:
        """α = −d ln Tc/d ln M = ½ ∂ ln Tc/∂ ln ω0 at fixed g and η (spec §4).

        Central differences in ln ω0 with steps h and h/2 are combined by
        Richardson extrapolation (error O(h⁴)). With Tc converged to ``tc_rtol``
        (1e-7) the rounding error of the quotient is ~tc_rtol/h ≈ 1e-5 at
        h = 0.01, and the h⁴ truncation is below 1e-6 for the smooth Tc(ω0)
        here; the coarse-step difference is returned as an error estimate.

        Parameters
        ----------
        step : float
            h, the larger step in ln ω0 (default 0.02, i.e. ±2 % in ω0).
        """
        if not (np.isfinite(step) and 0 < step < 0.5):
            raise ParameterError("step", step, "a step in ln(omega0) in (0, 0.5)")
        mu_n = self.mu_normal(eta, mu)
        w0 = self.pairing.omega0
        base = self.critical_temperature(mu=mu_n, g=g)
        context = dict(eta=eta, g=float(self.coupling(g)[self.superlattice.tuned_band - 1,
                                                       self.superlattice.tuned_band - 1]),
                       parameters=self._point_parameters(eta, mu_n, self.coupling(g), step=step))
        if base.status != "ok":
            return IsotopeResult(np.nan, np.nan, 0.0, step, base.status, **context)
        T = base.Tc
        br = (0.5 * T, 2.0 * T)
        tcs = {}
        for h in (step, step / 2, -step / 2, -step):
            r = self.critical_temperature(mu=mu_n, g=g, omega0=w0 * np.exp(h), bracket=br)
            if r.status != "ok":
                return IsotopeResult(np.nan, np.nan, T, step, r.status, **context)
            tcs[h] = r.Tc
        a1 = (np.log(tcs[step]) - np.log(tcs[-step])) / (4 * step)
        a2 = (np.log(tcs[step / 2]) - np.log(tcs[-step / 2])) / (2 * step)
        return IsotopeResult(alpha=float((4 * a2 - a1) / 3), alpha_coarse=float(a1), Tc=T,
                             step=step, status="ok", **context)

    # -- provenance -----------------------------------------------------------------
    def parameters(self, **extra) -> dict:
        """Every input, numerical setting and the version, as a JSON-ready dict."""
        return parameters(self.superlattice, self.pairing, self.numerics, self.name, **extra)

    def _point_parameters(self, eta, mu, g_matrix, **extra) -> dict:
        tb = self.superlattice.tuned_band - 1
        point = {"eta": None if eta is None else float(eta), "mu_meV": float(mu) * 1e3,
                 "g": float(g_matrix[tb, tb]), "g_matrix": np.asarray(g_matrix).tolist()}
        point.update({k: v for k, v in extra.items() if v is not None})
        return self.parameters(point=point)
