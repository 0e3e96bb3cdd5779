"""What a sweep computes: the axes, the optional extra parameter (a model field or a
layer of the period) and the quantities per point, validated at construction.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from multigap.config import Numerics, Pairing, Superlattice, check_inputs
from multigap.errors import ParameterError

#: Status codes of every point: CF flag values and meanings (as for single points).
from multigap.units import check_temperature

#: A layer of the period as a sweep or design parameter: layers.N.width|height|mass, N 1-based.
LAYER_PARAMETER = re.compile(r"^layers\.(\d+)\.(width|height|mass)$")


LAYER_UNITS = {"width": "nm", "height": "eV", "mass": "m_e"}


def parameter_unit(name: str) -> str | None:
    """The internal unit of a sweep parameter, or None if there is no such parameter."""
    m = LAYER_PARAMETER.match(name)
    return LAYER_UNITS[m.group(2)] if m else SWEEP_PARAMETERS.get(name)


def with_layer_value(sl, name: str, value: float):
    """The superlattice with layer N's width, height or mass (``layers.N.field``) set."""
    m = LAYER_PARAMETER.match(name)
    if m is None:
        raise ParameterError("parameter", name, "layers.N.width, layers.N.height or layers.N.mass")
    index = int(m.group(1)) - 1
    if not 0 <= index < len(sl.cell):
        raise ParameterError(name, value, f"a layer number from 1 to {len(sl.cell)}")
    return sl.with_layer(index, **{m.group(2): value})


#: Parameters that can form a third sweep axis, with their internal unit.
SWEEP_PARAMETERS = {
    "mass_barrier": "m_e",
    "mass_well": "m_e",
    "mass_x": "m_e",
    "barrier_height": "eV",
    "well_width": "nm",
    "barrier_width": "nm",
    "omega0": "eV",
    "g_inter": "1",
    "dE": "eV",  # the tuned band's width: m_b is solved for it
    "mass_well_fixed_width": "m_e",  # m_w, with m_b re-solved to keep the base ΔE
}


def check_axis(name: str, start, stop, num) -> tuple[float, float, int]:
    """An axis START STOP NUM, checked: finite bounds and a whole number of points."""
    allowed = (
        "START STOP NUM: numbers with |START|, |STOP| <= 1e6 and a whole NUM >= 1 "
        "(START != STOP when NUM > 1)"
    )
    try:
        start, stop = float(start), float(stop)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(name, (start, stop, num), allowed) from None
    whole = isinstance(num, (int, np.integer)) or (isinstance(num, float) and num.is_integer())
    if (
        isinstance(num, bool)
        or not whole
        or not (np.isfinite(start) and np.isfinite(stop))
        or max(abs(start), abs(stop)) > 1e6
        or int(num) < 1
        or (int(num) > 1 and start == stop)
    ):
        raise ParameterError(name, (start, stop, num), allowed)
    return start, stop, int(num)


def _triple(name: str, value) -> tuple:
    """START, STOP, NUM of an axis, or a clear error."""
    try:
        start, stop, num = value
    except (TypeError, ValueError):
        raise ParameterError(name, value, "three values START, STOP, NUM") from None
    return start, stop, num


#: Sweeps larger than this many points are refused unless asked for explicitly.
MAX_POINTS = 200_000


@dataclass(frozen=True)
class SweepSpec:
    """Everything that defines a sweep's numbers. Stored in the store's attributes.

    Parameters
    ----------
    superlattice, pairing, numerics
        The model (validated objects); sweeps normally use ``Numerics.preset("map")``.
    eta, g : (float, float, int)
        START, STOP, NUM of the Lifshitz parameter and of the tuned band's coupling.
    param : (str, float, float, int), optional
        A third axis: a name from :data:`SWEEP_PARAMETERS` and START, STOP, NUM in
        internal units.
    gaps, isotope : bool
        Also compute the gaps (fixed density, at ``temperature``) and the isotope
        coefficient at every point with Tc > T_min, with the same solvers as
        single points.
    temperature : float
        Temperature of the gaps, in K (default 0).
    model : str, optional
        Preset name (recorded).
    source : dict, optional
        Where the inputs came from (a config file's path and sha256), recorded in the
        provenance; not part of what defines the numbers.
    bkt : bool
        Also compute the BKT temperature (wires; fixed density) and the stiffness at
        T = 0 at every point; the regime flags then come from the T = 0 state.
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics
    eta: tuple[float, float, int]
    g: tuple[float, float, int]
    param: tuple[str, float, float, int] | None = None
    gaps: bool = False
    isotope: bool = False
    temperature: float = 0.0
    model: str | None = None
    source: dict | None = field(default=None, compare=False)
    bkt: bool = False

    def __post_init__(self):
        check_inputs(self.superlattice, self.pairing, self.numerics)
        object.__setattr__(self, "eta", check_axis("eta", *_triple("eta", self.eta)))
        object.__setattr__(self, "g", check_axis("g", *_triple("g", self.g)))
        object.__setattr__(self, "temperature", check_temperature(self.temperature))
        lo, hi = min(self.g[0], self.g[1]), max(self.g[0], self.g[1])
        if lo < 0 or hi >= 0.5:
            raise ParameterError("g", self.g, "couplings in [0, 0.5)")
        if self.param is not None:
            name, *rest = self.param
            if parameter_unit(name) is None:
                raise ParameterError(
                    "param",
                    name,
                    "one of "
                    + ", ".join(SWEEP_PARAMETERS)
                    + ", or layers.N.width|height|mass (N from 1)",
                )
            object.__setattr__(self, "param", (name, *check_axis("param", *_triple("param", rest))))
        if self.bkt and self.superlattice.structure == "wells":
            raise ParameterError(
                "bkt", True, "wires: quantum wells are three-dimensional (no BKT transition)"
            )

    @property
    def points(self) -> int:
        """Points of the sweep (parameter × η × g)."""
        return int(np.prod(self.shape))

    def validate(self, *, allow_large: bool = False) -> None:
        """Check what the constructor cannot cheaply: the size, and every value of the
        extra axis as a model (so no worker meets a bad value after the store exists).
        """
        if self.points > MAX_POINTS and not allow_large:
            raise ParameterError(
                "sweep size",
                self.points,
                f"at most {MAX_POINTS} points (parameter × η × g); ask for a "
                "larger sweep explicitly (allow_large)",
            )
        for ip in range(self.shape[0] if self.param else 0):
            model_variant(self, ip)

    # -- axes -----------------------------------------------------------------------
    @property
    def eta_values(self) -> np.ndarray:
        """The η axis."""
        return np.linspace(*self.eta)

    @property
    def g_values(self) -> np.ndarray:
        """The g axis."""
        return np.linspace(*self.g)

    @property
    def param_values(self) -> np.ndarray:
        """The values of the extra parameter (one NaN without one)."""
        return np.linspace(*self.param[1:]) if self.param else np.array([np.nan])

    @property
    def shape(self) -> tuple[int, int, int]:
        """(parameter values, η values, g values)."""
        return (len(self.param_values), self.eta[2], self.g[2])

    def fingerprint(self) -> dict[str, Any]:
        """A JSON-ready description; two specs give the same numbers iff these match."""
        return {
            "superlattice": asdict(self.superlattice),
            "pairing": json.loads(json.dumps(asdict(self.pairing))),
            "numerics": asdict(self.numerics),
            "eta": list(self.eta),
            "g": list(self.g),
            "param": list(self.param) if self.param else None,
            "gaps": self.gaps,
            "isotope": self.isotope,
            "temperature_K": self.temperature,
        } | ({"bkt": True} if self.bkt else {})  # old stores (no BKT) keep their fingerprint

    @classmethod
    def from_fingerprint(cls, fp: dict, model: str | None = None) -> SweepSpec:
        """The specification stored in a sweep's ``sweep.json``."""
        p = fp["pairing"]
        pairing = Pairing(
            omega0=p["omega0"],
            g=p["g"],
            g_intra=None if p["g_intra"] is None else tuple(p["g_intra"]),
            g_inter=(
                tuple(tuple(r) for r in p["g_inter"])
                if isinstance(p["g_inter"], list)
                else p["g_inter"]
            ),
        )
        return cls(
            Superlattice(**fp["superlattice"]),
            pairing,
            Numerics(**fp["numerics"]),
            tuple(fp["eta"]),
            tuple(fp["g"]),
            tuple(fp["param"]) if fp["param"] else None,
            fp["gaps"],
            fp["isotope"],
            fp.get("temperature_K", 0.0),
            model,
            bkt=fp.get("bkt", False),
        )


def model_variant(spec: SweepSpec, ip: int):
    """The (superlattice, pairing) of value ``ip`` of the extra axis, validated."""
    from multigap.superlattice.kronig_penney import solve_mass, tuned_width

    sl, pa = spec.superlattice, spec.pairing
    if not spec.param:
        return sl, pa
    name, value = spec.param[0], float(spec.param_values[ip])
    where = f"param {name} (value {value:g})"
    try:
        if name == "omega0":
            return sl, pa.replace(omega0=value)
        if name == "g_inter":
            return sl, pa.replace(g_inter=value)
        if name == "dE":
            if not value > 0:
                raise ParameterError(where, value, "a positive width ΔE of the tuned band, in eV")
            return sl.replace(mass_barrier=solve_mass(sl, value)), pa
        if name == "mass_well_fixed_width":
            sl2 = sl.replace(mass_well=value)
            return sl2.replace(mass_barrier=solve_mass(sl2, tuned_width(sl))), pa
        if LAYER_PARAMETER.match(name):
            return with_layer_value(sl, name, value), pa
        return sl.replace(**{name: value}), pa
    except ParameterError as exc:
        raise ParameterError(where, value, exc.allowed) from None
