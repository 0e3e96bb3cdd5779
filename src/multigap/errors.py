"""The one exception family of multigap.

Every user mistake the library detects raises :class:`MultigapError`, a
``ValueError`` subclass whose message names the parameter, the value given and
what is allowed. The CLI turns it into one line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = ["UnitWarning", "MultigapError", "ParameterError", "ConvergenceError"]


class MultigapError(ValueError):
    """Base class for every error multigap raises on purpose."""


class ParameterError(MultigapError):
    """An input parameter is outside its allowed range.

    Parameters
    ----------
    name : str
        The parameter's name, as the user spells it.
    value : object
        The value that was given.
    allowed : str
        What is allowed, e.g. ``"a finite number > 0 nm"``.
    """

    def __init__(self, name: str, value: object, allowed: str):
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(f"{name} = {_short(value)} is invalid: expected {allowed}")

    def __reduce__(self):  # survive pickling (process pools, Dask)
        return (type(self), (self.name, self.value, self.allowed))


class ConvergenceError(MultigapError):
    """A solver did not reach its tolerance.

    Parameters
    ----------
    what : str
        Which solver, e.g. ``"T=0 gap equation"``.
    residual : float
        The residual it stopped at.
    detail : str, optional
        Where it happened (the point, the iteration count).
    """

    def __init__(self, what: str, residual: float, detail: str = ""):
        self.what = what
        self.residual = residual
        self.detail = detail
        msg = f"{what} did not converge (residual {residual:.3g})"
        super().__init__(msg + (f": {detail}" if detail else ""))

    def __reduce__(self):
        return (type(self), (self.what, self.residual, self.detail))


def _short(value: object) -> str:
    """Repr of a value, cut to one readable line."""
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


class UnitWarning(UserWarning):
    """A bare number that looks typed in another unit (4.16 for a barrier height in meV,
    when the paper writes 4.16 eV). The value is used as given; the warning says how it
    was read and what to type instead.
    """
