"""The numerical settings: grids, cut-offs and tolerances, with the named presets."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from multigap.config.checks import finite_in_range, integer_in_range
from multigap.errors import ParameterError


@dataclass(frozen=True)
class Numerics:
    """Grids, cut-offs and tolerances. Every output records them.

    Two presets exist: ``Numerics()`` (alias ``Numerics.preset("tight")``) for single
    points, and ``Numerics.preset("map")`` for sweeps, where the same solvers run on
    coarser grids with the tabulated linearised susceptibility. The accuracy of
    each is measured against the same calculation with every grid doubled
    (:meth:`refined`); see ``benchmarks/``.

    Parameters
    ----------
    n_z : int
        Gauss–Legendre nodes per layer for integrals over z. The Bloch functions
        are analytic inside each layer, so the error falls exponentially (default 48).
    n_kz : int
        kz nodes on [0, π/d] of the Gauss–Legendre grid used for the overlap
        summaries and plots (default 64).
    dos_order, dos_levels : int
        Gauss–Legendre order and number of geometric panels (ratio 1/2) of the
        DOS and Fermi-surface integrals, graded towards the square-root and
        logarithmic singularities (defaults 8 and 20).
    n_energy_scan : int
        Points of the energy scan that brackets the band edges (default 4000).
    kx_order, kx_levels : int
        Gauss–Legendre order of each kx panel, and the minimum number of panels on
        each side of the Fermi crossing; the panels grow by factors of 2 from the
        thermal (or gap) width, and more are added until they span the window
        (defaults 8 and 12).
    kz_order : int
        Gauss–Legendre order of each kz panel of the pairing kernel (default 6).
    kz_levels : int
        Geometric kz panels on each side of a Fermi-contour tip, down to
        2^-kz_levels of π/d (default 16).
    kz_panels : int
        Uniform kz panels that every band's zone is split into besides the
        breakpoints at the tip and the window edges (default 3).
    rank_tol : float
        Relative singular-value cut of the low-rank overlap factor Ĩ ≈ B Bᵀ; the
        error of Ĩ is of order rank_tol² (default 1e-10: rounding level).
    chi_table : bool
        The maps' route to the kx integrals (default False; True for maps): the tabulated
        universal linearised susceptibility for Tc (relative error ~2e-7) and, at T = 0,
        the graded kx quadrature (``kx_order``, ``kx_levels``) for the gap and number
        equations (closed forms at T > 0). False: all in closed form, exact to rounding.
        Wells integrate the plane by the quadrature either way.
    t_min : float
        Lowest temperature searched for Tc, in K; below it Tc is reported as 0,
        "below T_min" (default 1e-3 K).
    tc_rtol : float
        Relative tolerance on Tc (default 1e-7).
    gap_tol : float
        Tolerance on the gap-equation residual max|F|/max|y| (default 1e-10).
    gap_maxiter : int
        Newton iterations allowed for the gap equation (default 60).
    mu_tol : float
        Tolerance on the superconducting chemical potential, in eV (default 1e-10).
    name : str
        The preset these numerics came from ("tight", "map" or "custom"), recorded.

    Notes
    -----
    Values below the floors in :attr:`FLOORS` are refused: below them the
    convergence tests no longer hold (the coarsest grids once gave Tc = 332 K
    instead of 185 K with nothing to warn of it).
    """

    n_z: int = 48
    n_kz: int = 64
    dos_order: int = 8
    dos_levels: int = 20
    n_energy_scan: int = 4000
    kx_order: int = 8
    kx_levels: int = 12
    kz_order: int = 6
    kz_levels: int = 16
    kz_panels: int = 3
    rank_tol: float = 1e-10
    chi_table: bool = False
    t_min: float = 1e-3
    tc_rtol: float = 1e-7
    gap_tol: float = 1e-10
    gap_maxiter: int = 60
    mu_tol: float = 1e-10
    name: str = "tight"

    #: (floor, ceiling) of the integer settings; the floors are where the
    #: convergence tests still hold (tests/test_convergence.py checks them).
    FLOORS = {
        "n_z": (16, 2000),
        "n_kz": (2, 20000),
        "dos_order": (4, 64),
        "dos_levels": (8, 200),
        "n_energy_scan": (200, 10**7),
        "kx_order": (4, 64),
        "kx_levels": (6, 60),
        "kz_order": (3, 64),
        "kz_levels": (8, 60),
        "kz_panels": (2, 1000),
        "gap_maxiter": (5, 10000),
    }
    _FLOAT_BOUNDS = {
        "t_min": (1e-9, 1e4, "K"),
        "tc_rtol": (1e-14, 1e-4, ""),
        "gap_tol": (1e-15, 1e-6, ""),
        "mu_tol": (1e-15, 1e-6, "eV"),
        "rank_tol": (1e-15, 1e-4, ""),
    }
    #: The grid sizes that a convergence study scales.
    GRID_FIELDS = (
        "n_z",
        "dos_order",
        "dos_levels",
        "kx_order",
        "kx_levels",
        "kz_order",
        "kz_levels",
        "kz_panels",
        "rank_tol",
    )

    def __post_init__(self):
        for name, (lo, hi) in self.FLOORS.items():
            value = getattr(self, name)
            if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value < lo:
                raise ParameterError(
                    f"numerics.{name}",
                    value,
                    f"at least {lo}, the floor below which the convergence tests no longer hold",
                )
            object.__setattr__(self, name, integer_in_range(f"numerics.{name}", value, lo, hi))
        for name, (lo, hi, unit) in self._FLOAT_BOUNDS.items():
            object.__setattr__(
                self,
                name,
                finite_in_range(
                    f"numerics.{name}", getattr(self, name), unit=unit, minimum=lo, maximum=hi
                ),
            )
        if not isinstance(self.chi_table, (bool, np.bool_)):
            raise ParameterError("numerics.chi_table", self.chi_table, "true or false")
        if self.name not in ("tight", "map", "custom"):
            raise ParameterError("numerics.name", self.name, "tight, map or custom")
        if self.name != "custom" and self._differs_from_preset():
            object.__setattr__(self, "name", "custom")  # never claim a preset it is not

    def _differs_from_preset(self) -> bool:
        """Whether any setting differs from the preset this object is named after."""
        changes = _MAP_SETTINGS if self.name == "map" else {}
        return any(
            getattr(self, f.name) != changes.get(f.name, f.default)
            for f in dataclasses.fields(self)
            if f.name != "name"
        )

    @classmethod
    def preset(cls, name: str = "tight", **changes) -> Numerics:
        """The "tight" (single points) or "map" (sweeps) numerics, with optional changes."""
        if name == "tight":
            base = cls()
        elif name == "map":
            base = cls(**_MAP_SETTINGS, name="map")
        else:
            raise ParameterError("numerics preset", name, "tight or map")
        return base.replace(**changes) if changes else base

    def refined(self) -> Numerics:
        """A copy with every kernel grid doubled: twice the panel order (z, kx, kz, DOS),
        one more graded level in kx, kz and the DOS (finest panel halved), twice the
        uniform kz panels, a 100× tighter rank cut. Used to show a preset is converged.
        """
        return dataclasses.replace(
            self,
            name="custom",
            n_z=2 * self.n_z,
            kx_order=2 * self.kx_order,
            kx_levels=self.kx_levels + 1,
            kz_order=2 * self.kz_order,
            kz_levels=self.kz_levels + 1,
            kz_panels=2 * self.kz_panels,
            dos_order=2 * self.dos_order,
            dos_levels=self.dos_levels + 1,
            rank_tol=max(self.rank_tol * 1e-2, 1e-15),
        )

    def replace(self, **changes) -> Numerics:
        """Return a copy with some fields changed (validated again). A copy that differs
        from a preset in any setting is named "custom" (unless ``name`` is given), so that
        its provenance never claims a preset it is not.
        """
        if "name" not in changes and any(getattr(self, k) != v for k, v in changes.items()):
            changes["name"] = "custom"
        return dataclasses.replace(self, **changes)


#: The "map" numerics: the "tight" ones with these settings changed.
_MAP_SETTINGS: dict[str, Any] = dict(
    kx_order=6,
    kx_levels=8,
    kz_order=3,
    kz_levels=12,
    kz_panels=12,
    rank_tol=1e-6,
    chi_table=True,
    tc_rtol=1e-5,
    gap_tol=1e-8,
    mu_tol=1e-8,
)
