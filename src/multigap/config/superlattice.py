"""The superlattice along z: two layers (well and barrier) or a stack of layers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from multigap.config.checks import as_list, finite_in_range, integer_in_range
from multigap.errors import ParameterError

#: The supported ranges of the superlattice inputs (nm, eV, m_e). Beyond them the band
#: structure is not a superlattice any more (or not representable in double precision).
MIN_WIDTH, MAX_WIDTH, MAX_HEIGHT, MIN_MASS, MAX_MASS = 1e-3, 100.0, 100.0, 1e-3, 100.0
#: Unit and range of each kind of layer input (a barrier height of the two-layer period
#: is not negative: its minimum is given where it is checked).
_RANGES = {
    "width": ("nm", MIN_WIDTH, MAX_WIDTH),
    "height": ("eV", -MAX_HEIGHT, MAX_HEIGHT),
    "mass": ("m_e", MIN_MASS, MAX_MASS),
}


def _checked(name: str, value, kind: str, minimum: float | None = None) -> float:
    """``value`` as a float within the supported range of its kind, or a ParameterError."""
    unit, lo, hi = _RANGES[kind]
    return finite_in_range(
        name, value, unit=unit, minimum=lo if minimum is None else minimum, strict=False,
        maximum=hi,
    )  # fmt: skip


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
            for name in ("well_width", "barrier_width"):
                set_(name, _checked(name, getattr(self, name), "width"))
            set_("barrier_height", _checked("barrier_height", self.barrier_height, "height", 0.0))
            for name in ("mass_well", "mass_barrier"):
                set_(name, _checked(name, getattr(self, name), "mass"))
        set_("mass_x", _checked("mass_x", self.mass_x, "mass"))
        set_("n_bands", integer_in_range("n_bands", self.n_bands, 1, 12))
        set_("tuned_band", integer_in_range("tuned_band", self.tuned_band, 1, self.n_bands))
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
        A two-layer superlattice becomes the same stack written as ``layers``.
        """
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
    rows = as_list("layers", layers)
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
        layer = as_list(f"layers[{i}]", layer)
        if len(layer) != 3:
            raise ParameterError(f"layers[{i}]", layer, "(width, height, mass)")
        # a layer is (width, height, mass): the order of _RANGES
        out.append(tuple(_checked(f"layers[{i}].{k}", v, k) for k, v in zip(_RANGES, layer)))
    return tuple(out)
