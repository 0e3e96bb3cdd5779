"""The pairing inputs: the phonon energy, the couplings, the cut-off and the μ mode."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from multigap.config.checks import as_list, finite_in_range
from multigap.errors import ParameterError

#: The largest bare phonon energy ω0, in eV.
MAX_OMEGA0 = 10.0


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
        set_(
            "omega0",
            finite_in_range("omega0", self.omega0, unit="eV", minimum=0.0, maximum=MAX_OMEGA0),
        )
        if self.g is not None:
            set_("g", _intraband("g", self.g))
        if self.g_intra is not None:
            vals = tuple(
                _intraband(f"g_intra[{i}]", v)
                for i, v in enumerate(as_list("g_intra", self.g_intra))
            )
            if not vals:
                raise ParameterError("g_intra", self.g_intra, "a non-empty list")
            set_("g_intra", vals)
        if isinstance(self.g_inter, (list, tuple, np.ndarray)):
            set_("g_inter", _interband_matrix(self.g_inter))
        else:
            set_("g_inter", _interband("g_inter", self.g_inter))

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


def _intraband(name: str, value) -> float:
    """An intraband coupling: 0 <= g < 1/2 (g = 1/2 is where the gap equation breaks down)."""
    return finite_in_range(name, value, unit="", minimum=0.0, strict=False, maximum=0.5,
                           strict_max=True)  # fmt: skip


def _interband(name: str, value) -> float:
    """An interband coupling: -1/2 < g < 1/2 (negative is repulsive)."""
    return finite_in_range(name, value, unit="", minimum=-0.5, maximum=0.5, strict_max=True)


def _interband_matrix(value) -> tuple[tuple[float, ...], ...]:
    """A square, symmetric matrix of interband couplings (the diagonal is not used)."""
    mat = tuple(
        tuple(
            _interband(f"g_inter[{i}][{j}]", v) for j, v in enumerate(as_list(f"g_inter[{i}]", r))
        )
        for i, r in enumerate(as_list("g_inter", value))
    )
    n = len(mat)
    if n == 0 or any(len(r) != n for r in mat):
        raise ParameterError("g_inter", value, "a scalar or a square matrix")
    arr = np.array(mat)
    off = ~np.eye(n, dtype=bool)
    if not np.allclose(arr[off], arr.T[off]):
        raise ParameterError("g_inter", value, "a symmetric matrix (g_nn' = g_n'n)")
    return mat
