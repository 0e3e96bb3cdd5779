"""Analysis of computed datasets, shared by the figures, the summaries and the report.

The tuned band and the band below it, the paper's gap anisotropy Δ̄_t/Δ̄_{t−1}, and
the η of the sharp cut-off's window-edge kinks. These read datasets; they never solve.
"""

from __future__ import annotations

__all__ = [
    "gap_anisotropy",
    "map_maximum",
    "ratio_bands",
    "sweep_summary",
    "window_kinks",
]

import numpy as np

from multigap.errors import ParameterError


def ratio_bands(ds) -> tuple[int, int | None]:
    """The tuned band t of a sweep dataset and the band below it (None for t = 1)."""
    t = int(ds.attrs.get("tuned_band", ds.sizes.get("band", 3)))
    return t, (t - 1 if t > 1 else None)


def gap_anisotropy(ds):
    """Δ̄_t/Δ̄_{t−1} of a dataset with gaps (the paper's Δ3/Δ2), with t and t − 1."""
    t, below = ratio_bands(ds)
    if below is None:
        raise ParameterError("tuned_band", t, "a tuned band >= 2 (the ratio needs a band below it)")
    return ds.Delta.sel(band=t) / ds.Delta.sel(band=below), t, below


def window_kinks(omega_tilde: float, delta_e: float, eta_range: tuple[float, float]):
    """The η where a window edge μ ± ω̃ crosses an edge of the tuned band: ±ω̃/ΔE and
    1 ± ω̃/ΔE (ω̃ and ΔE in the same unit), inside ``eta_range``. Tc, α and the gaps
    have physical kinks there.
    """
    w = omega_tilde / delta_e
    kinks = np.array([-w, w, 1.0 - w, 1.0 + w])
    return np.sort(kinks[(kinks > eta_range[0]) & (kinks < eta_range[1])])


def map_maximum(tc_map) -> tuple[float, float, float]:
    """The largest finite value of a map on (eta, g) and where it lies: (value, η, g).

    NaN (a point without a number) never wins; a map without any finite value raises.
    """
    z = tc_map.transpose("g", "eta").values.astype(float)
    if not np.isfinite(z).any():
        raise ParameterError("map", "no finite value", "a map with at least one computed point")
    i = np.unravel_index(np.nanargmax(z), z.shape)
    return float(z[i]), float(tc_map.eta[i[1]]), float(tc_map.g[i[0]])


def _finite_or_none(values) -> list:
    """A JSON-ready list: NaN (a point without a number) becomes None, never 0."""
    return [None if not np.isfinite(v) else float(v) for v in np.ravel(values)]


def _map_entry(tc_map, quantity: str) -> dict:
    """The maximum of one (η, g) map and the values on the Lifshitz lines η = 0 and 1."""
    key = f"{quantity}_max_K"
    try:
        top, eta, g = map_maximum(tc_map)
    except ParameterError:
        top, eta, g = None, None, None
    lines = {}
    for eta_line in (0.0, 1.0):
        if float(tc_map.eta.min()) <= eta_line <= float(tc_map.eta.max()):
            col = tc_map.sel(eta=eta_line, method="nearest")
            lines[f"eta={eta_line:g}"] = {
                "eta": float(col.eta),
                "g": [float(f"{v:.12g}") for v in tc_map.g.values],
                f"{quantity}_K": _finite_or_none(col.values),
            }
    tidy = lambda v: None if v is None else float(f"{v:.12g}")  # noqa: E731 - linspace noise
    return {key: top, "eta": tidy(eta), "g": tidy(g), "lifshitz_lines": lines}


def sweep_summary(ds, status_names: dict, axis: str | None) -> dict:
    """What a sweep dataset holds, at a glance: the number of points of every status, and
    for every value of the extra axis (if any) the maximum of the Tc map (and of every
    other map in ``MAP_QUANTITIES`` that the sweep stored) with the values on the Lifshitz
    lines. Points without a number are None, never 0.

    Parameters
    ----------
    ds : xarray.Dataset
        A loaded sweep (``load_sweep``).
    status_names : dict
        Status code → name.
    axis : str or None
        The name of the extra axis, if the sweep has one.
    """
    counts = {name: int((ds.status.values == code).sum()) for code, name in status_names.items()}
    out: dict = {
        "columns_done": int(ds.done.sum()),
        "columns": int(ds.done.size),
        "status_counts": counts | {"not_computed": int((ds.status.values < 0).sum())},
        "maxima": [],
    }
    for ip in range(ds.sizes[axis] if axis else 1):
        pick = (lambda v: v.isel({axis: ip})) if axis else (lambda v: v)  # noqa: E731
        entry = _map_entry(pick(ds.Tc), "Tc")
        for quantity in MAP_QUANTITIES:
            if quantity in ds:
                entry[quantity] = _map_entry(pick(ds[quantity]), quantity)
        if axis:
            entry[ds.attrs["swept_parameter"]] = float(ds[axis][ip])
        out["maxima"].append(entry)
    return out


#: Maps beside Tc that a sweep may store, summarised the same way.
MAP_QUANTITIES = ("T_BKT",)
