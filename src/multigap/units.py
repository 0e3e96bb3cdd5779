"""Physical constants in multigap's internal units, and unit parsing at the boundary.

Internal units: lengths in nm, energies in eV, masses in electron
masses m_e, temperatures in K. Constants come from :mod:`scipy.constants`.
User-facing strings such as ``"4.16 eV"`` or ``"274 meV"`` are converted with
pint, only at the boundary (config files, CLI flags): :func:`from_user`. Outputs give
energies in meV: :func:`energy_out` is the one conversion the other way.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import scipy.constants as _sc

from multigap.errors import ParameterError

__all__ = [
    "thermal_energy",
    "ENERGY_UNIT",
    "energy_out",
    "dos_out",
    "USER_UNITS",
    "from_user",
    "HB2M",
    "K_B",
    "MEV",
    "to_internal",
]

#: ħ²/(2 m_e) in eV·nm².
HB2M: float = _sc.hbar**2 / (2.0 * _sc.m_e) / _sc.e * 1e18
#: Boltzmann's constant in eV/K.
K_B: float = _sc.k / _sc.e
#: One meV in eV.
MEV: float = 1e-3


def check_temperature(temperature, name: str = "temperature") -> float:
    """A temperature in K, checked once at the door: a finite real number >= 0."""
    T = temperature
    if isinstance(T, bool) or not isinstance(T, (int, float, np.floating, np.integer)):
        raise ParameterError(name, T, "a finite temperature >= 0 K")
    if not (np.isfinite(T) and T >= 0):
        raise ParameterError(name, T, "a finite temperature >= 0 K")
    return float(T)


def thermal_energy(temperature):
    """k_B T in eV for T in K (float or array): the one conversion of a temperature.

    Every public API takes temperatures in kelvin; the pairing kernel and the integrals
    below it take k_B T in eV, converted here.
    """
    return K_B * np.asarray(temperature, dtype=float)


#: The internal unit of each kind of quantity, as pint spells it.
INTERNAL_UNITS = {
    "energy": "eV",
    "length": "nm",
    "mass": "electron_mass",
    "temperature": "kelvin",
    "pressure": "gigapascal",
    "dimensionless": "dimensionless",
}


#: A quantity string starts with a number (then, optionally, its unit).
_NUMBER_FIRST = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(\s*[^\d\s].*)?\s*$")


@functools.cache
def _registry():
    import pint

    return pint.UnitRegistry()


def to_internal(value: object, kind: str, name: str) -> float:
    """Convert a number or a unit string to a float in internal units.

    Parameters
    ----------
    value : float, int or str
        A plain number, taken to be in internal units already, or a string
        with units such as ``"274 meV"`` or ``"0.85 nm"``.
    kind : {"energy", "length", "mass", "temperature", "pressure", "dimensionless"}
        What the quantity is.
    name : str
        The parameter's name, used in error messages.

    Returns
    -------
    float
        The value in internal units (eV, nm, m_e, K, GPa).

    Raises
    ------
    ParameterError
        If the string does not parse or has the wrong dimension.
    """
    target = INTERNAL_UNITS[kind]
    if isinstance(value, bool):
        raise ParameterError(name, value, f"a number or a string with {target} units")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise ParameterError(name, value, f"a number or a string with {target} units")
    if "," in value:  # pint reads '1,5' as 15: never guess what a comma meant
        raise ParameterError(
            name, value, f"a number with a decimal point, not a comma, e.g. '1.5 {target}'"
        )
    if not _NUMBER_FIRST.match(value):
        raise ParameterError(name, value, f"a number, optionally with a unit, e.g. '1.5 {target}'")
    ureg = _registry()
    try:
        q = ureg.Quantity(value)
        if kind == "mass" and q.dimensionless:
            if str(q.units) != "dimensionless":  # "50 percent" is not a mass
                raise ParameterError(name, value, "a mass in m_e: a bare number or 'N m_e'")
            return float(q.magnitude)
        return float(q.to(target).magnitude)
    except ParameterError:
        raise
    except Exception as exc:  # pint raises several unrelated exception types
        raise ParameterError(
            name, value, f"a quantity convertible to {target} ({type(exc).__name__})"
        ) from None


#: The unit a bare number means in user-facing input (CLI flags, TOML files): energies in meV,
#: lengths in nm, masses in m_e, temperatures in K.
USER_UNITS = {
    "energy": "meV",
    "length": "nm",
    "mass": "m_e",
    "temperature": "K",
    "pressure": "GPa",
    "dimensionless": "1",
}


def from_user(value: object, kind: str, name: str) -> float:
    """A user-facing number or unit string in internal units (eV, nm, m_e, K, GPa).

    A bare number is in the user unit of its kind (:data:`USER_UNITS`: meV for energies);
    a string may carry any unit of the right dimension ("330 meV", "0.33 eV", "0.85 nm").

    Raises
    ------
    ParameterError
        If the string does not parse or has the wrong dimension.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            return to_internal(text, kind, name)
    number = to_internal(value, kind, name)
    _warn_if_unlikely(number, kind, name)
    return number * MEV if kind == "energy" else number


#: Bare numbers below (energies, meV) or above (lengths, nm) these look typed in eV or Å.
UNLIKELY_BARE = {"energy": 10.0, "length": 5.0}


def _warn_if_unlikely(number: float, kind: str, name: str) -> None:
    """Warn (UnitWarning) when a bare number looks typed in eV (an energy below 10 meV)
    or in Å (a length above 5 nm); the value is still used as given.
    """
    import warnings

    from multigap.errors import UnitWarning

    if kind == "energy" and 0 < abs(number) < UNLIKELY_BARE["energy"]:
        warnings.warn(
            UnitWarning(
                f"{name} = {number:g} is read as {number:g} meV (bare energies are meV); "
                f"if you meant eV, type '{number:g} eV'"
            ),
            stacklevel=3,
        )
    elif kind == "length" and number > UNLIKELY_BARE["length"]:
        warnings.warn(
            UnitWarning(
                f"{name} = {number:g} is read as {number:g} nm (bare lengths are nm); "
                f"if you meant ångström, type '{number:g} angstrom'"
            ),
            stacklevel=3,
        )


#: The unit of every energy in outputs.
ENERGY_UNIT = "meV"


def energy_out(value):
    """An energy in eV (float or array) converted to the output unit, meV."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [energy_out(v) for v in value]
    out = np.asarray(value, dtype=float) / MEV
    return float(out) if out.ndim == 0 else out


def dos_out(value):
    """A density of states per eV converted to per output energy unit (per meV)."""
    out = np.asarray(value, dtype=float) * MEV
    return float(out) if out.ndim == 0 else out
