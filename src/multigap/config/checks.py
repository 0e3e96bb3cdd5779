"""The checks every input runs at construction: a finite number inside bounds, an
integer inside bounds, each error naming the parameter and the allowed range.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from multigap.errors import ParameterError
from multigap.units import energy_out


def finite_in_range(
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


def integer_in_range(name: str, value: Any, minimum: int, maximum: int) -> int:
    """Check that *value* is an integer in [minimum, maximum]."""
    allowed = f"an integer from {minimum} to {maximum}"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ParameterError(name, value, allowed)
    if not minimum <= int(value) <= maximum:
        raise ParameterError(name, value, allowed)
    return int(value)


def as_list(name: str, value: Any) -> list:
    """A list or tuple (or 1-D array) as a list, or a clear error naming *name*."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ParameterError(name, value, "a list")
