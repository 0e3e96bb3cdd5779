"""Frozen, validated inputs: :class:`Superlattice`, :class:`Pairing`, :class:`Numerics`.

Validation happens at construction ("at the door"), so every solver downstream
can trust its inputs. Values are plain floats in internal units (nm, eV, m_e, K);
unit strings are accepted only through :func:`load_config` and the CLI.

Presets ``A`` ("H3S") and ``B`` ("CSH_x") are the paper's two cases. Their barrier
masses (the paper gives none) hit its two widths ΔE;
:func:`multigap.superlattice.kronig_penney.solve_mass` reproduces them from the target
widths ΔE (tested). Note: the CSH_x experiment that case B was built to describe
(Snider et al., Nature 586, 373, 2020) was retracted in 2022.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from multigap.errors import ParameterError
from multigap.units import energy_out, from_user

__all__ = [
    "check_inputs",
    "Superlattice",
    "Pairing",
    "Numerics",
    "PRESETS",
    "PRESET_NOTES",
    "preset",
    "load_config",
    "Config",
]


def _finite(
    name: str,
    value: Any,
    *,
    unit: str,
    minimum: float | None = None,
    strict: bool = True,
    maximum: float | None = None,
    strict_max: bool = False,
) -> float:
    """Check that *value* is a finite real number inside the given bounds.

    Energies (``unit="eV"``) are echoed in eV and in meV, the unit of a bare number on
    the command line and in TOML files, so that a value typed in meV is recognisable.
    """
    lo = "" if minimum is None else (f" > {minimum:g}" if strict else f" >= {minimum:g}")
    hi = "" if maximum is None else (f" < {maximum:g}" if strict_max else f" <= {maximum:g}")
    allowed = f"a finite number{lo}{' and' if lo and hi else ''}{hi} {unit}".rstrip()
    if unit == "eV" and (minimum is not None or maximum is not None):
        lo_m = (
            ""
            if minimum is None
            else (f" > {energy_out(minimum):g}" if strict else f" >= {energy_out(minimum):g}")
        )
        hi_m = (
            ""
            if maximum is None
            else (f" < {energy_out(maximum):g}" if strict_max else f" <= {energy_out(maximum):g}")
        )
        allowed += f" ({lo_m.strip()}{' and' if lo_m and hi_m else ''}{hi_m} meV)"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ParameterError(name, value, allowed)
    v = float(value)
    shown = f"{v:g} eV (= {energy_out(v):g} meV)" if unit == "eV" and math.isfinite(v) else value
    if not math.isfinite(v):
        raise ParameterError(name, value, allowed)
    if minimum is not None and (v <= minimum if strict else v < minimum):
        raise ParameterError(name, shown, allowed)
    if maximum is not None and (v >= maximum if strict_max else v > maximum):
        raise ParameterError(name, shown, allowed)
    return v


def _integer(name: str, value: Any, minimum: int, maximum: int) -> int:
    allowed = f"an integer from {minimum} to {maximum}"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ParameterError(name, value, allowed)
    if not minimum <= int(value) <= maximum:
        raise ParameterError(name, value, allowed)
    return int(value)


#: The supported ranges of the superlattice inputs (nm, eV, m_e). Beyond them the band
#: structure is not a superlattice any more (or not representable in double precision).
MIN_WIDTH, MAX_WIDTH, MAX_HEIGHT, MIN_MASS, MAX_MASS = 1e-3, 100.0, 100.0, 1e-3, 100.0
#: The largest bare phonon energy ω0, in eV.
MAX_OMEGA0 = 10.0


@dataclass(frozen=True)
class Superlattice:
    """One period of the superlattice, its masses, and the free motion.

    The period is either the paper's two layers — a well (wire) of width L at potential 0
    and mass m_w, then a barrier (spacer) of width W at height V and mass m_b — given by
    the five two-layer fields, or any list of ``layers`` (width, potential, mass), in
    order along z. The two spellings are exclusive; the two-layer one is the stack
    ((L, 0, m_w), (W, V, m_b)), and both are computed by the same code.

    Parameters
    ----------
    well_width, barrier_width : float
        L and W, in nm, in [0.001, 100] (two-layer spelling).
    barrier_height : float
        V, in eV, in [0, 100] (two-layer spelling); V = 0 is the free-electron limit.
    mass_well, mass_barrier : float
        m_w and m_b along z, in m_e, in [0.001, 100] (two-layer spelling).
    mass_x : float
        Effective mass of the free motion, in m_e, in [0.001, 100]; the same in every layer.
    n_bands : int
        Number of subbands kept (default 3).
    tuned_band : int
        The 1-based index of the subband whose edge E_L is tuned (default 3).
    layers : tuple of (width, potential, mass), optional
        A general period: widths in nm ([0.001, 100]), potentials in eV (any sign,
        |V| <= 100) and masses in m_e ([0.001, 100]).
    structure : {"wires", "wells"}
        "wires" (default): free along x only, the paper's superlattice of quantum wires.
        "wells": free along x and y, a superlattice of 2D quantum wells.

    Notes
    -----
    BenDaniel–Duke matching (ψ and ψ'/m continuous) holds at every interface.

    Examples
    --------
    >>> Superlattice(well_width=0.85, barrier_width=0.55, barrier_height=4.16,
    ...              mass_well=1.0, mass_barrier=0.5096, mass_x=1.0).period
    1.4
    >>> Superlattice(layers=((0.6, 0.0, 1.0), (0.3, 3.5, 0.55)), mass_x=1.0).period
    0.8999999999999999
    """

    well_width: float | None = None
    barrier_width: float | None = None
    barrier_height: float | None = None
    mass_well: float | None = None
    mass_barrier: float | None = None
    mass_x: float | None = None
    n_bands: int = 3
    tuned_band: int = 3
    layers: tuple | None = None
    structure: str = "wires"

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731 (frozen)
        two = ("well_width", "barrier_width", "barrier_height", "mass_well", "mass_barrier")
        if self.layers is not None:
            given = [k for k in two if getattr(self, k) is not None]
            if given:
                raise ParameterError(
                    given[0],
                    getattr(self, given[0]),
                    "no two-layer key together with 'layers' (they are two "
                    "spellings of the period: use one)",
                )
            set_("layers", _layer_list(self.layers))
        else:
            for w in ("well_width", "barrier_width"):
                set_(
                    w,
                    _finite(
                        w,
                        getattr(self, w),
                        unit="nm",
                        minimum=MIN_WIDTH,
                        strict=False,
                        maximum=MAX_WIDTH,
                    ),
                )
            set_(
                "barrier_height",
                _finite(
                    "barrier_height",
                    self.barrier_height,
                    unit="eV",
                    minimum=0.0,
                    strict=False,
                    maximum=MAX_HEIGHT,
                ),
            )
            for m in ("mass_well", "mass_barrier"):
                set_(
                    m,
                    _finite(
                        m,
                        getattr(self, m),
                        unit="m_e",
                        minimum=MIN_MASS,
                        strict=False,
                        maximum=MAX_MASS,
                    ),
                )
        set_(
            "mass_x",
            _finite(
                "mass_x", self.mass_x, unit="m_e", minimum=MIN_MASS, strict=False, maximum=MAX_MASS
            ),
        )
        set_("n_bands", _integer("n_bands", self.n_bands, 1, 12))
        set_("tuned_band", _integer("tuned_band", self.tuned_band, 1, self.n_bands))
        if self.structure not in ("wires", "wells"):
            raise ParameterError("structure", self.structure, "'wires' or 'wells'")

    @property
    def cell(self) -> tuple[tuple[float, float, float], ...]:
        """The period as layers (width nm, potential eV, mass m_e), in order along z."""
        if self.layers is not None:
            return self.layers
        two = (
            self.well_width,
            self.mass_well,
            self.barrier_width,
            self.barrier_height,
            self.mass_barrier,
        )
        L, m_w, W, V, m_b = (float(x) for x in two if x is not None)  # validated: all set
        return ((L, 0.0, m_w), (W, V, m_b))

    @property
    def period(self) -> float:
        """The superlattice period d (the sum of the layer widths), in nm."""
        return float(sum(layer[0] for layer in self.cell))

    def replace(self, **changes) -> Superlattice:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def with_layer(self, index: int, **changes) -> Superlattice:
        """A copy with layer ``index`` (0-based) changed: ``width``, ``height`` or ``mass``.
        A two-layer superlattice becomes the same stack written as ``layers``."""
        cell = [list(layer) for layer in self.cell]
        if not 0 <= index < len(cell):
            raise ParameterError("layer", index, f"a layer index from 0 to {len(cell) - 1}")
        for key, value in changes.items():
            cell[index][("width", "height", "mass").index(key)] = value
        return dataclasses.replace(
            self,
            layers=tuple(tuple(layer) for layer in cell),
            well_width=None,
            barrier_width=None,
            barrier_height=None,
            mass_well=None,
            mass_barrier=None,
        )


def _layer_list(layers) -> tuple:
    rows = _as_list("layers", layers)
    if not rows:
        raise ParameterError("layers", layers, "a non-empty list of (width, height, mass)")
    out = []
    for i, layer in enumerate(rows):
        if isinstance(layer, dict):
            extra = set(layer) - {"width", "height", "mass"}
            if extra or not {"width", "mass"} <= set(layer):
                raise ParameterError(
                    f"layers[{i}]",
                    layer,
                    "a table with width, height and mass (height defaults to 0)",
                )
            layer = (layer["width"], layer.get("height", 0.0), layer["mass"])
        layer = _as_list(f"layers[{i}]", layer)
        if len(layer) != 3:
            raise ParameterError(f"layers[{i}]", layer, "(width, height, mass)")
        out.append(
            (
                _finite(
                    f"layers[{i}].width",
                    layer[0],
                    unit="nm",
                    minimum=MIN_WIDTH,
                    strict=False,
                    maximum=MAX_WIDTH,
                ),
                _finite(
                    f"layers[{i}].height",
                    layer[1],
                    unit="eV",
                    minimum=-MAX_HEIGHT,
                    strict=False,
                    maximum=MAX_HEIGHT,
                ),
                _finite(
                    f"layers[{i}].mass",
                    layer[2],
                    unit="m_e",
                    minimum=MIN_MASS,
                    strict=False,
                    maximum=MAX_MASS,
                ),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Pairing:
    """Pairing parameters: phonon energy and the dimensionless couplings g_{nn'}.

    Parameters
    ----------
    omega0 : float
        Bare phonon energy ω0, in eV, in (0, 10].
    g_intra : tuple of float, optional
        Intraband couplings g_nn, one per subband. ``None`` means the paper's
        choice: 0.10 for every deep band and ``g`` for the tuned band.
    g_inter : float or tuple of tuple of float
        Interband coupling, a scalar used for every n != n', or an n×n
        symmetric matrix whose off-diagonal entries are used (default 0.10).
    g : float, optional
        Coupling of the tuned band. Overrides the tuned band's entry of
        ``g_intra``; default 0.25 when ``g_intra`` is not given.

    Notes
    -----
    The Migdal-softened cut-off ω̃ = ω0·sqrt(1 − 2 max_n g_nn) (paper eq. 1)
    needs max g_nn < 0.5; larger couplings are refused. Intraband couplings lie
    in [0, 0.5). Interband couplings may have either sign and lie in (−0.5, 0.5):
    the same weak-coupling range, since g = U0·N0 is a BCS coupling constant and
    the sharp-cut-off kernel means nothing beyond it (an interband 10 once gave
    Tc = 8552 K without complaint).
    """

    omega0: float
    g_intra: tuple[float, ...] | None = None
    g_inter: float | tuple[tuple[float, ...], ...] = 0.10
    g: float | None = None

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        set_("omega0", _finite("omega0", self.omega0, unit="eV", minimum=0.0, maximum=MAX_OMEGA0))
        if self.g is not None:
            set_(
                "g",
                _finite(
                    "g", self.g, unit="", minimum=0.0, strict=False, maximum=0.5, strict_max=True
                ),
            )
        if self.g_intra is not None:
            vals = tuple(
                _finite(
                    f"g_intra[{i}]",
                    v,
                    unit="",
                    minimum=0.0,
                    strict=False,
                    maximum=0.5,
                    strict_max=True,
                )
                for i, v in enumerate(_as_list("g_intra", self.g_intra))
            )
            if not vals:
                raise ParameterError("g_intra", self.g_intra, "a non-empty list")
            set_("g_intra", vals)
        if isinstance(self.g_inter, (list, tuple, np.ndarray)):
            rows = _as_list("g_inter", self.g_inter)
            mat = []
            for i, row in enumerate(rows):
                mat.append(
                    tuple(
                        _finite(
                            f"g_inter[{i}][{j}]",
                            v,
                            unit="",
                            minimum=-0.5,
                            maximum=0.5,
                            strict_max=True,
                        )
                        for j, v in enumerate(_as_list(f"g_inter[{i}]", row))
                    )
                )
            n = len(mat)
            if n == 0 or any(len(r) != n for r in mat):
                raise ParameterError("g_inter", self.g_inter, "a scalar or a square matrix")
            arr = np.array(mat)
            off = ~np.eye(n, dtype=bool)
            if not np.allclose(arr[off], arr.T[off]):
                raise ParameterError("g_inter", self.g_inter, "a symmetric matrix (g_nn' = g_n'n)")
            set_("g_inter", tuple(mat))
        else:
            set_(
                "g_inter",
                _finite(
                    "g_inter", self.g_inter, unit="", minimum=-0.5, maximum=0.5, strict_max=True
                ),
            )

    def coupling_matrix(self, n_bands: int, tuned_band: int) -> np.ndarray:
        """The symmetric n×n matrix of dimensionless couplings g_{nn'}.

        Parameters
        ----------
        n_bands : int
            Number of subbands.
        tuned_band : int
            1-based index of the tuned subband.

        Returns
        -------
        numpy.ndarray
            g_{nn'}, shape (n_bands, n_bands).
        """
        if self.g_intra is None:
            diag = np.full(n_bands, 0.10)
            diag[tuned_band - 1] = 0.25 if self.g is None else self.g
        else:
            if len(self.g_intra) != n_bands:
                raise ParameterError(
                    "g_intra", list(self.g_intra), f"a list of {n_bands} couplings, one per subband"
                )
            diag = np.array(self.g_intra, dtype=float)
            if self.g is not None:
                diag[tuned_band - 1] = self.g
        if isinstance(self.g_inter, tuple):
            mat = np.array(self.g_inter, dtype=float)
            if mat.shape != (n_bands, n_bands):
                raise ParameterError(
                    "g_inter",
                    [list(r) for r in self.g_inter],
                    f"a scalar or a {n_bands}x{n_bands} matrix",
                )
        else:
            mat = np.full((n_bands, n_bands), float(self.g_inter))
        mat = mat.copy()
        np.fill_diagonal(mat, diag)
        return mat

    def tuned_coupling(self, n_bands: int, tuned_band: int) -> float:
        """The tuned band's intraband coupling g = g_{tt}."""
        return float(self.coupling_matrix(n_bands, tuned_band)[tuned_band - 1, tuned_band - 1])

    def replace(self, **changes) -> Pairing:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


def _as_list(name: str, value: Any) -> list:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ParameterError(name, value, "a list")


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
        Use the tabulated universal linearised susceptibility (relative error
        ~4e-6) instead of quadrature for Tc (default False; True for maps).
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
            object.__setattr__(self, name, _integer(f"numerics.{name}", value, lo, hi))
        for name, (lo, hi, unit) in self._FLOAT_BOUNDS.items():
            object.__setattr__(
                self,
                name,
                _finite(f"numerics.{name}", getattr(self, name), unit=unit, minimum=lo, maximum=hi),
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
        uniform kz panels, a 100× tighter rank cut. Used to show a preset is converged."""
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
        its provenance never claims a preset it is not."""
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

_COMMON: dict[str, Any] = dict(
    well_width=0.85, barrier_width=0.55, barrier_height=4.16, mass_well=1.0, mass_x=1.0
)

#: The paper's two heterostructures. ΔE target and ω0 in eV.
PRESETS: dict[str, dict[str, Any]] = {
    "A": dict(
        label="H3S",
        superlattice=Superlattice(mass_barrier=0.5096, **_COMMON),
        pairing=Pairing(omega0=0.330),
        target_width=0.274,
    ),
    "B": dict(
        label="CSH_x",
        superlattice=Superlattice(mass_barrier=0.7685, **_COMMON),
        pairing=Pairing(omega0=0.225),
        target_width=0.145,
    ),
}

PRESET_NOTES = {
    "A": "Case A ('H3S'): ΔE = 274 meV, ω0 = 330 meV.",
    "B": (
        "Case B ('CSH_x'): ΔE = 145 meV, ω0 = 225 meV. Note: the CSH_x experiment "
        "(Snider et al., Nature 586, 373, 2020) was retracted in 2022."
    ),
}


def preset(name: str) -> tuple[Superlattice, Pairing]:
    """The superlattice and pairing of preset *name* (``"A"`` or ``"B"``)."""
    key = str(name).upper()
    if key not in PRESETS:
        raise ParameterError("model", name, "one of " + ", ".join(PRESETS))
    p = PRESETS[key]
    return p["superlattice"], p["pairing"]


def check_inputs(superlattice, pairing, numerics) -> None:
    """Refuse anything but validated input objects (a dict, say) at the door of a model or
    a sweep, naming the parameter."""
    for name, value, kind in (
        ("superlattice", superlattice, Superlattice),
        ("pairing", pairing, Pairing),
        ("numerics", numerics, Numerics),
    ):
        if not isinstance(value, kind):
            raise ParameterError(
                name,
                value,
                f"a multigap.config.{kind.__name__} (build one with {kind.__name__}(...), "
                "or use Model.load / Model.from_preset)",
            )


@dataclass(frozen=True)
class Config:
    """A complete, validated input: superlattice, pairing and numerics.

    ``source`` records where it came from: the config file's path and sha256 (None
    when it is a preset with flags only).
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics = field(default_factory=Numerics)
    model: str | None = None
    source: dict | None = None


_SL_KINDS = {
    "well_width": "length",
    "barrier_width": "length",
    "barrier_height": "energy",
    "mass_well": "mass",
    "mass_barrier": "mass",
    "mass_x": "mass",
    "n_bands": None,
    "tuned_band": None,
    "layers": "layers",
    "structure": None,
}
_TWO_LAYER = ("well_width", "barrier_width", "barrier_height", "mass_well", "mass_barrier")


def _toml_layers(value) -> list:
    """``[[superlattice.layers]]`` tables (width, height, mass; numbers or unit strings)."""
    if not isinstance(value, list):
        raise ParameterError(
            "superlattice.layers",
            value,
            "an array of tables [[superlattice.layers]] with width, height and mass",
        )
    out = []
    for i, layer in enumerate(value):
        if not isinstance(layer, dict):
            raise ParameterError(
                f"superlattice.layers[{i}]", layer, "a table with width, height and mass"
            )
        _unknown(f"superlattice.layers[{i}]", layer, {"width", "height", "mass"})
        out.append(
            {
                k: from_user(
                    v,
                    {"width": "length", "height": "energy", "mass": "mass"}[k],
                    f"layers[{i}].{k}",
                )
                for k, v in layer.items()
            }
        )
    return out


_PAIRING_KEYS = {"omega0", "g_intra", "g_inter"}
_TABLES = {"superlattice", "pairing", "numerics"}


def _unknown(where: str, keys, allowed) -> None:
    extra = sorted(set(keys) - set(allowed))
    if extra:
        raise ParameterError(
            f"{where}.{extra[0]}", "(unknown key)", "one of " + ", ".join(sorted(allowed))
        )


#: Config files larger than this are refused (a config is a few hundred bytes).
MAX_CONFIG_BYTES = 1_000_000


def _read_toml(p: Path) -> dict:
    """Read a TOML file: a regular file (never a FIFO or a device) of bounded size."""
    import stat

    try:
        info = p.stat()
    except OSError:
        raise ParameterError("config", str(p), "an existing TOML file") from None
    if not stat.S_ISREG(info.st_mode):
        raise ParameterError(
            "config", str(p), "a regular TOML file (not a directory, pipe or device)"
        )
    if info.st_size > MAX_CONFIG_BYTES:
        raise ParameterError("config", str(p), f"a TOML file under {MAX_CONFIG_BYTES} bytes")
    try:
        with open(p, "rb") as handle:
            return tomllib.loads(handle.read(MAX_CONFIG_BYTES + 1).decode())
    except OSError as exc:
        raise ParameterError("config", str(p), f"a readable file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError("config", str(p), f"valid TOML ({exc})") from None


def load_config(
    path: str | Path | None = None,
    *,
    model: str | None = None,
    overrides: dict[str, Any] | None = None,
    numerics_preset: str = "tight",
) -> Config:
    """Build a validated :class:`Config` from a preset, a TOML file and overrides.

    The precedence is: preset (``model``, default ``"A"``) < TOML file < overrides.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with tables ``[superlattice]``, ``[pairing]`` and
        ``[numerics]``. Bare numbers are in meV (energies), nm (lengths) and m_e
        (masses); strings may carry units (``"4.16 eV"``, ``"0.85 nm"``, ``"274 meV"``).
    model : str, optional
        ``"A"`` or ``"B"``; the base the file and overrides modify.
    overrides : dict, optional
        Superlattice or pairing field names (and ``g``) mapped to values, as
        from the CLI flags. ``None`` values are ignored.
    numerics_preset : {"tight", "map"}
        The numerics that the file's ``[numerics]`` table modifies.

    Returns
    -------
    Config

    Raises
    ------
    ParameterError
        For an unreadable file, an unknown key or an invalid value.
    """
    if path is not None and not isinstance(path, (str, Path)):
        raise ParameterError("path", path, "the path of a TOML file (str or Path), or None")
    sl, pa = preset(model or "A")
    sl_kw = {f.name: getattr(sl, f.name) for f in fields(Superlattice)}
    pa_kw = {f.name: getattr(pa, f.name) for f in fields(Pairing)}
    nu_kw: dict[str, Any] = {}
    if path is not None:
        data = _read_toml(Path(path))
        _unknown("config", data, _TABLES)
        for table in data:
            if not isinstance(data[table], dict):
                raise ParameterError(f"config.{table}", data[table], "a TOML table")
        slt = data.get("superlattice", {})
        _unknown("superlattice", slt, _SL_KINDS)
        if "layers" in slt:
            both = [k for k in _TWO_LAYER if k in slt]
            if both:
                raise ParameterError(
                    f"superlattice.{both[0]}",
                    slt[both[0]],
                    "no two-layer key in a file that gives 'layers' (two spellings of the period)",
                )
            sl_kw.update({k: None for k in _TWO_LAYER})
        for k, v in slt.items():
            kind = _SL_KINDS[k]
            sl_kw[k] = (
                _toml_layers(v)
                if kind == "layers"
                else v
                if kind is None
                else from_user(v, kind, k)
            )
        pat = data.get("pairing", {})
        _unknown("pairing", pat, _PAIRING_KEYS)
        if "omega0" in pat:
            pa_kw["omega0"] = from_user(pat["omega0"], "energy", "omega0")
        if "g_intra" in pat:
            pa_kw["g_intra"] = pat["g_intra"]
            pa_kw["g"] = None
        if "g_inter" in pat:
            pa_kw["g_inter"] = pat["g_inter"]
        nut = data.get("numerics", {})
        _unknown("numerics", nut, {f.name for f in fields(Numerics)})
        nu_kw.update(nut)
    for k, v in (overrides or {}).items():
        if v is None:
            continue
        if k in _TWO_LAYER and sl_kw.get("layers") is not None:
            raise ParameterError(
                k,
                v,
                "no two-layer flag for a stack given as 'layers' (change "
                "a layer in the file, or sweep layers.N.width/height/mass)",
            )
        if k in sl_kw:
            sl_kw[k] = v
        elif k in pa_kw:
            pa_kw[k] = v
        else:
            raise ParameterError(k, v, "a superlattice or pairing parameter")
    superlattice = Superlattice(**sl_kw)
    pairing = Pairing(**pa_kw)
    # Validate the coupling matrix against the band count now, not deep in a solver.
    pairing.coupling_matrix(superlattice.n_bands, superlattice.tuned_band)
    # a config file without --model is a custom model, not "case A" (A is only its base)
    label = (model or "A").upper() if (model or path is None) else "custom"
    source = None
    if path is not None:
        import hashlib

        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        source = {"config_file": str(Path(path).resolve()), "config_sha256": digest}
    numerics = Numerics.preset(numerics_preset, **nu_kw)
    return Config(superlattice, pairing, numerics, model=label, source=source)
