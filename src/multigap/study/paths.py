"""Paths through the (η, g) plane: Tc along a pressure path, and the dome it cuts.

The paper reads a measured Tc(P) dome as a cut of the universal dome along a line in
the (η, g) plane. A path maps pressure P (GPa) to a point of the plane; the default
is linear,

    η(P) = eta0 + eta1·(P − p_ref),    g(P) = g0 + g1·(P − p_ref),

and any callable P → (η, g) works in the Python API. Tc along the path is one batch
of the pairing kernel (all pressures at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from multigap.errors import ParameterError
from multigap.status import Result

__all__ = ["LinearPath", "PathResult", "tc_along_path", "dome_map"]


@dataclass(frozen=True)
class LinearPath:
    """η(P) = eta0 + eta1 (P − p_ref), g(P) = g0 + g1 (P − p_ref); P in GPa, slopes per GPa."""

    eta0: float
    eta1: float
    g0: float
    g1: float
    p_ref: float = 0.0

    def __post_init__(self):
        for name in ("eta0", "eta1", "g0", "g1", "p_ref"):
            v = getattr(self, name)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float, np.floating))
                or not np.isfinite(v)
            ):
                raise ParameterError(name, v, "a finite number")

    def __call__(self, pressure) -> tuple[np.ndarray, np.ndarray]:
        """η and g at the given pressures (GPa)."""
        dp = np.asarray(pressure, dtype=float) - self.p_ref
        return self.eta0 + self.eta1 * dp, self.g0 + self.g1 * dp

    def as_dict(self) -> dict:
        """The path's coefficients as a dict."""
        return {
            "eta0": self.eta0,
            "eta1": self.eta1,
            "g0": self.g0,
            "g1": self.g1,
            "p_ref": self.p_ref,
        }


@dataclass(frozen=True)
class PathResult(Result):
    """Tc along a path: ``pressure`` (GPa), ``eta``, ``g``, ``omega`` (ω̃, eV), ``Tc`` (K)
    and ``status`` per point.
    """

    pressure: np.ndarray
    eta: np.ndarray
    g: np.ndarray
    omega: np.ndarray
    Tc: np.ndarray
    status: np.ndarray
    path: object = None
    parameters: dict | None = field(default=None, repr=False)

    def summary(self) -> dict:
        """The JSON object of ``multigap path``."""
        from multigap.units import energy_out

        out = {
            "pressure_GPa": self.pressure.tolist(),
            "eta": self.eta.tolist(),
            "g": self.g.tolist(),
            "Tc_K": self.Tc.tolist(),
            "omega_tilde_meV": energy_out(self.omega).tolist(),
            "status": self.status.tolist(),
        }
        if isinstance(self.path, LinearPath):
            out["path"] = self.path.as_dict()
        out["parameters"] = self.parameters
        return out

    def to_dataset(self):
        """The path as an ``xarray.Dataset`` on a ``pressure`` coordinate."""
        import xarray as xr

        from multigap.output.labels import energy_attrs
        from multigap.output.provenance import provenance_attrs
        from multigap.units import energy_out

        ds = xr.Dataset(
            {
                "eta": (("pressure",), self.eta, {"units": "1", "long_name": "Lifshitz parameter"}),
                "g": (("pressure",), self.g, {"units": "1", "long_name": "tuned-band coupling"}),
                "omega_tilde": (("pressure",), energy_out(self.omega), energy_attrs("cut-off")),
                "Tc": (("pressure",), self.Tc, {"units": "K", "long_name": "critical temperature"}),
                "status": (("pressure",), self.status.astype(str)),
            },
            coords={"pressure": ("pressure", self.pressure, {"units": "GPa"})},
        )
        ds.attrs.update(provenance_attrs(self.parameters or {}))
        if isinstance(self.path, LinearPath):
            ds.attrs.update({f"path_{k}": v for k, v in self.path.as_dict().items()})
        return ds


#: The most pressures one path evaluates (a Tc each; memory grows with the batch).
MAX_PATH_POINTS = 20_000


def tc_along_path(model, path: Callable, pressure) -> PathResult:
    """Tc at every pressure of a path, as one batch.

    Parameters
    ----------
    model : Model
    path : callable
        P (GPa, array) → (η, g) arrays; e.g. :class:`LinearPath`.
    pressure : array_like
        Pressures in GPa.

    Returns
    -------
    PathResult
        Status per point as for single points (``outside_weak_coupling`` included).

    Raises
    ------
    ParameterError
        If the path leaves 0 <= g < 0.5 or gives a non-finite η.
    """
    P = np.atleast_1d(np.asarray(pressure, dtype=float))
    if P.size == 0 or not np.all(np.isfinite(P)):
        raise ParameterError("pressure", pressure, "finite pressures in GPa")
    if P.size > MAX_PATH_POINTS:
        raise ParameterError(
            "pressure", f"{P.size} pressures", f"at most {MAX_PATH_POINTS} pressures on a path"
        )
    eta, g = (np.broadcast_to(np.asarray(a, dtype=float), P.shape) for a in path(P))
    bad = ~np.isfinite(eta) | ~np.isfinite(g) | (g < 0) | (g >= 0.5)
    if bad.any():
        i = int(np.argmax(bad))
        raise ParameterError(
            "path",
            f"(eta, g) = ({eta[i]:.4g}, {g[i]:.4g}) at P = {P[i]:g} GPa",
            "a path with finite η and 0 <= g < 0.5 at every pressure",
        )
    table = model.tc_points(eta, g)
    return PathResult(
        pressure=P,
        eta=np.array(eta),
        g=np.array(g),
        omega=table.omega,
        Tc=table.Tc,
        status=table.status_names,
        path=path,
        parameters=model.parameters(),
    )


def dome_map(model, eta, g) -> np.ndarray:
    """Tc (K) on the grid η × g (arrays), column by column: the dome a path is drawn on.

    Returns an array of shape (len(eta), len(g)); NaN where the solve failed.
    """
    return model.tc_grid(eta, g).Tc
