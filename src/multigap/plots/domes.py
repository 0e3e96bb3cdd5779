"""Figures of the superconducting dome: Tc lines in η and g, the (η, g) map, lines cut
from a sweep, and the sensitivity of case B.
"""

from __future__ import annotations

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors

from multigap.errors import ParameterError
from multigap.plots.common import figure_title, house_style, legend_outside
from multigap.study.analysis import map_maximum, window_kinks


@house_style
def tc_vs_eta_figure(
    tc_map, gs, model: str | None = None, log: bool = False, delta_e=None, omega_tilde=None
):
    """Paper Fig. 8: Tc against η for several g, linear or semi-log.

    With ``omega_tilde`` (a function of g giving ω̃ in meV) and ``delta_e`` (meV), the η
    where a window edge μ ± ω̃ crosses an edge of the tuned band (η = ±ω̃/ΔE and
    1 ± ω̃/ΔE) are marked on each curve: the kinks there are physical, not numerical.
    """
    fig, ax = plt.subplots(figsize=(5.5, 4))
    cmap = plt.get_cmap("plasma")
    for k, g in enumerate(gs):
        col = tc_map.sel(g=g, method="nearest")
        y = col.values.astype(float)
        if log:
            y = np.where(y > 0, y, np.nan)
        colour = cmap(0.85 * k / max(len(gs) - 1, 1))  # stop short of pale yellow
        ax.plot(col.eta, y, color=colour, label=f"g = {float(col.g):.2f}")
        if omega_tilde is not None and delta_e:
            span = (float(col.eta.min()), float(col.eta.max()))
            kinks = window_kinks(omega_tilde(float(col.g)), delta_e, span)
            ax.plot(
                kinks,
                np.interp(kinks, col.eta.values, y),
                "|",
                color=colour,
                ms=9,
                label="window edge at a band edge" if k == 0 else None,
            )
    if log:
        ax.set_yscale("log")
    for x in (0, 1):
        ax.axvline(x, color="grey", lw=0.5, ls=":")
    ax.set_xlabel("Lifshitz parameter η")
    ax.set_ylabel(r"$T_c$ [K]")
    if delta_e:
        top = ax.secondary_xaxis("top", functions=(lambda e: e * delta_e, lambda x: x / delta_e))
        top.set_xlabel(r"$\mu - E_L$ [meV]")
    legend_outside(ax)
    ax.set_title(figure_title(model, "Tc against η" + (" (semi-log)" if log else "")))
    return fig


@house_style
def tc_vs_g_figure(tc_map, etas, model: str | None = None):
    """Paper Fig. 9: Tc against g at fixed η; antiresonant η < 0 (left axis, semi-log)
    and resonant η > 0 (right axis).
    """
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    for e in etas:
        col = tc_map.sel(eta=e, method="nearest")
        y = col.values.astype(float)
        ax = a if e < 0 else b
        ax.plot(
            col.g, np.where(y > 0, y, np.nan) if e < 0 else y, label=f"η = {float(col.eta):.2f}"
        )
    a.set_yscale("log")
    a.set_title("antiresonant side η < 0")
    b.set_title("resonant side η > 0")
    for ax in (a, b):
        ax.set_xlabel("coupling g of the tuned band")
        ax.set_ylabel(r"$T_c$ [K]")
        legend_outside(ax, "below", ncol=3)
    fig.suptitle(figure_title(model, "Tc against the coupling g at fixed η"))
    fig.tight_layout()
    return fig


@house_style
def dome_figure(
    tc_map,
    model: str | None = None,
    vmax: float | None = None,
    eta_range: tuple[float, float] | None = None,
    log: bool = False,
    regimes=None,
):
    """Paper Figs. 10–11: colour map of Tc(η, g) in K, with the Lifshitz lines η = 0 and
    η = 1 and the maximum annotated.

    Parameters
    ----------
    tc_map : xarray.DataArray
        Tc in K on (eta, g).
    vmax : float, optional
        Top of the colour scale in K (default: the map's maximum).
    eta_range : (float, float), optional
        Draw only this η range (the paper's figures show 0 <= η <= 2).
    log : bool
        Logarithmic colour scale down to the smallest Tc in the map (at most eight
        decades), which resolves the antiresonant side η < 0, where Tc is orders of
        magnitude below the dome.
    regimes : xarray.Dataset, optional
        A sweep with the regime flags ``non_adiabatic`` and ``bec``: where mean field is
        outside its validity, hatched.
    """
    tc_map = _in_range(tc_map, eta_range)
    if regimes is not None:
        regimes = _in_range(regimes, eta_range)
    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    draw_map(fig, ax, tc_map, "Tc", vmax=vmax, log=log, regimes=regimes)
    ax.set_title(figure_title(model, r"superconducting dome $T_c(\eta, g)$"))
    return fig


@house_style
def bkt_dome_figure(ds, model: str | None = None, eta_range=None):
    """The mean-field dome (fixed density) beside the BKT dome of the same sweep, on one
    colour scale, each with its maximum; the flagged regimes hatched on both.
    """
    tc, bkt = _in_range(ds.Tc_MF.where(ds.status >= 0), eta_range), _in_range(ds.T_BKT, eta_range)
    top = float(np.nanmax(tc.values))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), sharey=True)
    for ax, data, name in ((axes[0], tc, "Tc"), (axes[1], bkt, "T_BKT")):
        draw_map(fig, ax, data, name, vmax=top, regimes=_in_range(ds, eta_range))
    axes[0].set_title(r"mean field $T_c$ (fixed density)")
    axes[1].set_title(r"BKT: $k_BT = \frac{\pi}{2}\sqrt{J_{xx}J_{zz}}$")
    fig.suptitle(figure_title(model, "the dome with phase fluctuations"))
    return fig


def _in_range(data, eta_range):
    """The data within ``eta_range`` (all of it without one)."""
    if eta_range is None:
        return data
    data = data.sel(eta=slice(*eta_range))
    if data.sizes["eta"] < 2:
        raise ParameterError("eta range", eta_range, "a range holding two or more η values")
    return data


#: How a map's quantity is written on a figure: its symbol, and its maximum's.
SYMBOLS = {
    "Tc": (r"$T_c$", r"$T_{c,\max}$"),
    "T_BKT": (r"$T_\mathrm{BKT}$", r"$T_{\mathrm{BKT},\max}$"),
}


def draw_map(fig, ax, tc_map, name: str, *, vmax=None, log=False, regimes=None) -> None:
    """A temperature map on (eta, g) in K: colours (viridis), labelled contours, the
    Lifshitz lines, the maximum (``name``: "Tc" or "T_BKT") and, from ``regimes``, the
    flagged regions hatched; one legend under the map says what the marks are.
    """
    z = tc_map.transpose("g", "eta").values.astype(float)
    norm = _colour_scale(z, vmax, log)
    shown = np.where(z > 0, z, np.nan) if log else z
    mesh = ax.pcolormesh(tc_map.eta, tc_map.g, shown, cmap="viridis", shading="auto", norm=norm)
    symbol = SYMBOLS.get(name, (name, f"{name},max"))
    fig.colorbar(mesh, ax=ax, label=f"{symbol[0]} [K]" + (" (log scale)" if log else ""))
    _contours(ax, tc_map, z, norm, log)
    if regimes is not None:
        shade_regimes(ax, regimes)
    lifshitz_lines(ax, (float(tc_map.eta.min()), float(tc_map.eta.max())))
    _mark_maximum(ax, tc_map, symbol[1])
    ax.set_xlabel("Lifshitz parameter η")
    ax.set_ylabel("coupling g of the tuned band")
    legend_outside(ax, "below", ncol=2)


def _contours(ax, tc_map, z, norm, log: bool) -> None:
    """Labelled contours: every 50 K on a linear map, every decade on a log one."""
    top = np.nanmax(z)
    if log:
        decades = np.arange(np.ceil(np.log10(norm.vmin)), np.floor(np.log10(top)) + 1)
        levels = [v for v in 10.0**decades if v < top]
    else:
        levels = [v for v in (50, 100, 150, 200, 250, 300, 350, 400) if v < top]
    if not levels:
        return
    cs = ax.contour(tc_map.eta, tc_map.g, z, levels=levels, colors="white", linewidths=0.7)
    ax.clabel(cs, fmt=_kelvin, inline_spacing=2)


def _kelvin(value: float) -> str:
    """A contour label: "150 K", "1 mK", "10 µK"."""
    for scale, unit in ((1.0, "K"), (1e-3, "mK"), (1e-6, "µK"), (1e-9, "nK")):
        if value >= scale * 0.999:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.0e} K"


def shade_regimes(ax, ds) -> None:
    """Hatch where the tuned band is non-adiabatic (E_F,t < ω̃: //) and where μ lies
    below it (the BEC side: xx), from a sweep's regime flags.
    """
    for name, hatch, label in (
        ("non_adiabatic", "//", r"non-adiabatic: $E_{F,t} < \tilde\omega$"),
        ("bec", "xx", "BEC side: μ below the tuned band"),
    ):
        if name not in ds or not (ds[name] == 1).any():
            continue
        flagged = (ds[name] == 1).transpose("g", "eta").values
        cells = ax.pcolor(ds.eta, ds.g, np.ma.masked_where(~flagged, flagged.astype(float)),
                          shading="auto")  # fmt: skip
        cells.set_facecolor("none")
        cells.set_edgecolor("0.15")
        cells.set_linewidth(0.0)
        cells.set_hatch(hatch)
        ax.fill_between([], [], hatch=hatch, facecolor="none", edgecolor="0.15", label=label)


def _colour_scale(z, vmax: float | None, log: bool) -> colors.Normalize:
    """Linear from 0 K, or logarithmic down to the smallest Tc found (at most 8 decades):
    the antiresonant side is µK–mK.
    """
    top = vmax or np.nanmax(z)
    positive = z[np.isfinite(z) & (z > 0)]
    if log and positive.size:
        return colors.LogNorm(vmin=max(positive.min(), 1e-8 * top), vmax=top)
    return colors.Normalize(0, top)


#: White with a dark outline: readable on every colour of the map and on the spine.
_OUTLINED = [pe.withStroke(linewidth=2.5, foreground="black")]


def lifshitz_lines(ax, eta_span: tuple[float, float]) -> None:
    """The Lifshitz lines η = 0 and η = 1 on a map, outlined so that they show on any
    colour, and named at their foot (inside the axes, also where a line is the edge).
    """
    for x, name in ((0, "η = 0 (type I)"), (1, "η = 1 (type II)")):
        if not eta_span[0] <= x <= eta_span[1]:
            continue
        ax.axvline(x, color="white", lw=1.4, ls="--", path_effects=_OUTLINED, zorder=3)
        on_left_spine = x <= eta_span[0] + 1e-9  # then written to its right, inside
        ax.text(
            x,
            0.02,
            f" {name} ",
            color="white",
            rotation=90,
            va="bottom",
            ha="left" if on_left_spine else "right",
            path_effects=_OUTLINED,
            transform=ax.get_xaxis_transform(),
            zorder=5,
        )


def _mark_maximum(ax, tc_map, symbol: str) -> None:
    """A star at the map's maximum; its value and (η, g) go to the legend, off the map."""
    tm, em, gm = map_maximum(tc_map)
    ax.plot(em, gm, "k*", ms=13, mfc="yellow", zorder=6, ls="none",
            label=f"{symbol} = {tm:.0f} K at (η, g) = ({em:.2f}, {gm:.2f})")  # fmt: skip


#: What ``multigap plot --kind`` can draw along the lines of a sweep: (variable, label).
LINE_KINDS = {
    "eta": ("Tc", r"$T_c$ [K]"),
    "g": ("Tc", r"$T_c$ [K]"),
    "alpha": ("alpha", "isotope coefficient α"),
    "ratio": ("Delta_ratio", r"$\bar\Delta_t/\bar\Delta_{t-1}$"),
    "bkt-ratio": ("T_BKT_ratio", r"$T_\mathrm{BKT}/T_c$ (fixed density)"),
}


@house_style
def sweep_lines_figure(
    da,
    x: str,
    ylabel: str,
    model: str | None = None,
    log: bool = False,
    max_lines: int = 8,
    at=None,
):
    """A swept quantity against ``x`` ("eta" or "g"), one line per value of the other
    axis, with η = 0 and 1 marked on an η axis.

    Parameters
    ----------
    da : xarray.DataArray
        The quantity on (eta, g).
    x : {"eta", "g"}
        The abscissa.
    ylabel : str
    model : str, optional
    log : bool
        Logarithmic y axis.
    max_lines : int
        Without ``at``: at most this many lines, evenly chosen, with the Lifshitz values
        η = 0 and η = 1 among them when lines are at fixed η, and lines that are zero or
        missing throughout left out.
    at : sequence of float, optional
        The values of the other axis to draw (the nearest stored ones).
    """
    other = "g" if x == "eta" else "eta"
    picks = _line_picks(da, other, max_lines, at)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    cmap = plt.get_cmap("plasma")
    name = "g" if other == "g" else "η"
    for k, j in enumerate(picks):
        line = da.isel({other: int(j)})
        y = line.values.astype(float)
        if log:
            y = np.where(y > 0, y, np.nan)
        colour = cmap(0.85 * k / max(len(picks) - 1, 1))
        ax.plot(line[x], y, "o-", ms=2.5, lw=1, color=colour,
                label=f"{name} = {float(line[other]):.3g}")  # fmt: skip
    if log:
        ax.set_yscale("log")
    if x == "eta":
        for v in (0, 1):
            ax.axvline(v, color="grey", lw=0.6, ls=":")
    ax.set_xlabel("Lifshitz parameter η" if x == "eta" else "coupling g of the tuned band")
    ax.set_ylabel(ylabel)
    legend_outside(ax)
    ax.set_title(
        figure_title(model, f"{ylabel.split(' [')[0]} against {'η' if x == 'eta' else 'g'}")
    )
    return fig


def _line_picks(da, other: str, max_lines: int, at) -> list[int]:
    """Indices along ``other`` of the lines to draw (see :func:`sweep_lines_figure`)."""
    axis = da[other].values.astype(float)
    if at is not None:
        values = np.atleast_1d(np.asarray(at, dtype=float))
        lo, hi = axis.min(), axis.max()
        if not values.size or not np.all(np.isfinite(values) & (values >= lo) & (values <= hi)):
            raise ParameterError(
                "at", [float(v) for v in values], f"{other} values within [{lo:g}, {hi:g}]"
            )
        return list(dict.fromkeys(int(np.argmin(np.abs(axis - v))) for v in values))
    alive = [
        j for j in range(axis.size) if np.nanmax(np.abs(da.isel({other: j}).values), initial=0) > 0
    ]
    if not alive:
        alive = list(range(axis.size))
    picks = {
        alive[int(round(i))] for i in np.linspace(0, len(alive) - 1, min(len(alive), max_lines))
    }
    if other == "eta":  # the Lifshitz lines, where the sweep has them
        picks |= {
            int(np.argmin(np.abs(axis - v))) for v in (0.0, 1.0) if axis.min() <= v <= axis.max()
        }
    return sorted(picks)


@house_style
def sensitivity_figure(panels: dict, paper_value: float, model: str | None = "B"):
    """Case-B sensitivity: Tc,max of the dome against the unstated parameters."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (label, (x, y, default)) in zip(axes, panels.items()):
        ax.plot(x, y, "o-")
        ax.axvline(default, color="grey", ls=":", lw=0.8, label="default")
        ax.axhline(
            paper_value, color="tab:red", ls="--", lw=0.8, label=f"paper {paper_value:.0f} K"
        )
        ax.set_xlabel(label)
    axes[0].set_ylabel(r"$T_{c,\max}$ over the (η, g) dome [K]")
    legend_outside(axes[-1])
    fig.suptitle(
        figure_title(model, "sensitivity of Tc,max to the parameters the paper does not give"),
    )
    fig.tight_layout()
    return fig
