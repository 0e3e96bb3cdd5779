"""The paper's two cases, and the bundle of validated inputs a model is built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from multigap.config.numerics import Numerics
from multigap.config.pairing import Pairing
from multigap.config.superlattice import Superlattice
from multigap.errors import ParameterError

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
    a sweep, naming the parameter.
    """
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
