"""Analysis of computed datasets, shared by the figures, the summaries and the report.

The tuned band and the band below it, the paper's gap anisotropy Δ̄_t/Δ̄_{t−1}, and
the η of the sharp cut-off's window-edge kinks. These read datasets; they never solve.
"""

from __future__ import annotations

__all__ = ["gap_anisotropy", "map_maximum", "ratio_bands", "window_kinks"]

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
