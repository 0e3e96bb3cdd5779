"""What every result says about itself: its status, in one vocabulary, and the protocol.

Every result object (a Tc, a table of Tc, gaps, the isotope coefficient, a finite-T
curve, a path, a fit) has ``status``, ``converged``, ``message``, its inputs
(``parameters``) and ``to_dataset()``. Status codes are shared by single points and
sweeps (flag values of the ``status`` variables).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["STATUS", "CODE", "MEANING", "Result"]

#: Status codes of a point, shared by single points and sweeps.
STATUS = {
    0: "ok",
    1: "below_T_min",
    2: "failed",
    3: "outside_weak_coupling",
    4: "normal",
    5: "window_edge",
}
CODE = {v: k for k, v in STATUS.items()}

#: What each status means, in a sentence.
MEANING = {
    "ok": "solved to its tolerance",
    "below_T_min": "Tc lies below the search floor T_min (a numerical floor, not Tc = 0)",
    "failed": "the solver did not converge; no number is given",
    "outside_weak_coupling": "k_B Tc > ω̃/2: outside the validity of the weak-coupling "
    "kernel with a sharp cut-off (the number is given)",
    "normal": "T is at or above the Tc of the μ mode solved: the normal state, Δ = 0",
    "window_edge": "next to a kink of Tc(ω0) where an edge of the pairing window meets a "
    "band edge: one-sided differences",
    "degenerate": "the data do not determine every free parameter of the fit",
}


class Result:
    """The protocol of every result: ``status`` (a name, or an array of names or codes),
    ``converged``, ``message``, ``parameters`` (its inputs) and ``to_dataset()``.

    Subclasses are dataclasses with a ``status`` field and a ``to_dataset`` method;
    ``converged`` and ``message`` follow from the status unless a subclass defines them.
    """

    def _status_names(self) -> np.ndarray:
        s = np.asarray(getattr(self, "status"))  # noqa: B009 (every subclass has one)
        if s.dtype.kind in "iu":
            return np.vectorize(STATUS.get, otypes=[object])(s).astype(str)
        return s.astype(str)

    @property
    def converged(self) -> Any:
        """True unless some point of the result failed (a table says it per point)."""
        return not bool(np.any(self._status_names() == "failed"))

    @property
    def message(self) -> str:
        """The status in words (with the count of each, for many points)."""
        names = self._status_names()
        if names.ndim == 0:
            return f"{names}: {MEANING.get(str(names), str(names))}"
        kinds, counts = np.unique(names, return_counts=True)
        return "; ".join(f"{k} ({c}): {MEANING.get(k, k)}" for k, c in zip(kinds, counts))

    def to_dataset(self):  # pragma: no cover - every subclass defines it
        """The result as an ``xarray.Dataset`` (each subclass defines it)."""
        raise NotImplementedError
