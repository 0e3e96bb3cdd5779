"""Figures of the paper and of the studies, drawn with matplotlib from datasets.

The module leaves the matplotlib backend alone, so that it can be used from a notebook;
the command line selects the non-interactive Agg backend before it draws.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors

from multigap.errors import ParameterError
from multigap.units import energy_out

__all__ = [
    "save",
    "dos_figure",
    "fermi_figure",
    "cutoff_figure",
    "overlap_figure",
    "gap_ratio_figure",
    "tc_vs_ratio_figure",
    "tc_vs_eta_figure",
    "tc_vs_g_figure",
    "dome_figure",
    "sweep_lines_figure",
    "gap_anisotropy_figure",
    "window_kinks",
    "gap_anisotropy",
    "sensitivity_figure",
    "BAND_COLOURS",
]

#: Colours of subbands 1, 2, 3 as in the paper's Fig. 3c (blue, orange, red).
BAND_COLOURS = ["tab:blue", "tab:orange", "tab:red", "tab:green", "tab:purple", "tab:brown"]


def band_colour(n: int) -> str:
    """The colour of subband n (1-based), the same in every figure."""
    return BAND_COLOURS[(int(n) - 1) % len(BAND_COLOURS)]


#: The figure formats a path may end in.
FIGURE_FORMATS = ("png", "pdf", "svg")


def save(fig, path: str | Path) -> Path:
    """Save *fig* to exactly *path* (its suffix picks PNG, PDF or SVG) and close it."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        plt.close(fig)
        raise ParameterError("figure file", str(path), "a path ending in .png, .pdf or .svg")
    if not path.parent.is_dir():
        plt.close(fig)
        raise ParameterError("figure file", str(path), "a file in an existing directory")
    with open(path, "wb") as handle:
        fig.savefig(handle, format=fmt, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def _title(model: str | None, what: str) -> str:
    """ "Case A: …" for the presets, the label for anything else, nothing without one.
    (Notes such as case B's retraction belong in captions, not on slides.)"""
    if model and model.upper() in ("A", "B"):
        return f"Case {model.upper()}: {what}"
    return f"{model}: {what}" if model else what


def dos_figure(
    subbands,
    *,
    eta_range=(-1.0, 2.0),
    num: int = 601,
    model: str | None = None,
    markers=(0.3, 0.98, 1.5),
    dos=None,
):
    """Paper Fig. 3a/b: total (thick) and partial DOS against η.

    Parameters
    ----------
    subbands : Subbands
    eta_range : (float, float)
        η range of the plot.
    num : int
        η points; the grid is shifted by half a step so that the log peak at
        η = 1 is approached, not hit.
    model : str, optional
        Preset name for the title.
    markers : tuple of float
        η1, η2, η3 of Fig. 3c, marked on the axis.
    dos : xarray.Dataset, optional
        The DOS to draw (from :func:`~multigap.normal_state.dos_dataset`), instead of
        computing it on ``eta_range`` and ``num``.
    """
    from multigap.output.labels import dos_dataset

    if dos is None:
        eta = np.linspace(eta_range[0], eta_range[1], num)
        dos = dos_dataset(subbands, eta + 0.5 * (eta[1] - eta[0]))
    ds, eta = dos, dos.eta.values
    fig, ax = plt.subplots(figsize=(6, 4))
    tuned = subbands.superlattice.tuned_band
    for i, n in enumerate(ds.band.values):
        ax.plot(
            eta,
            ds.partial_dos.sel(band=n),
            color=band_colour(n),
            lw=1.8 if n == tuned else 1.1,
            ls="-" if n == tuned else ("--", "-.", ":")[i % 3],
            label=f"subband {n}",
        )
    ax.plot(
        eta,
        ds.total_dos,
        color="black" if model and model.upper() == "B" else "navy",
        lw=2.5,
        label="total",
    )
    for m in markers:
        ax.axvline(m, color="grey", lw=0.5, ls=":")
    # η1, η2, η3 as ticks of a top axis: clear of the curves and of the title
    top = ax.secondary_xaxis("top")
    top.set_xticks(list(markers), [f"η{i}" for i in range(1, len(markers) + 1)], fontsize=8)
    top.tick_params(length=3, pad=1)
    finite = ds.total_dos.values[np.isfinite(ds.total_dos.values)]
    ax.set_ylim(0, 1.1 * np.percentile(finite, 99.5))
    ax.set_xlabel("Lifshitz parameter η = (μ − E_L)/ΔE")
    power = "⁻³" if subbands.superlattice.structure == "wells" else "⁻²"
    ax.set_ylabel(f"DOS [states meV⁻¹ nm{power}, both spins]")
    ax.set_title(_title(model, f"DOS, ΔE = {energy_out(subbands.tuned_width):.0f} meV"), fontsize=9)
    ax.legend(fontsize=8)
    return fig


def fermi_figure(subbands, etas=(0.3, 0.98, 1.5), *, model: str | None = None):
    """Paper Fig. 3c: Fermi contours in (kx, kz), one panel per η."""
    from multigap.output.labels import fermi_dataset

    ds = fermi_dataset(subbands, etas)
    fig, axes = plt.subplots(1, len(etas), figsize=(3.2 * len(etas), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    d = subbands.period
    for ax, e in zip(axes, ds.eta.values):
        for n in ds.band.values:
            kx = ds.kx.sel(eta=e, band=n).values * d / np.pi
            kz = ds.kz.values * d / np.pi
            colour = band_colour(n)
            for s in (1, -1):
                ax.plot(
                    s * kx,
                    kz,
                    color=colour,
                    lw=1.8 if n == subbands.superlattice.tuned_band else 1,
                    label=f"subband {n}" if s == 1 else None,
                )
        ax.set_title(f"η = {e:g}", fontsize=9)
        ax.set_xlabel("kx [π/d]")
        ax.axhline(1, color="grey", lw=0.5)
        ax.axhline(-1, color="grey", lw=0.5)
        ax.set_ylim(-1.05, 1.05)
    axes[0].set_ylabel("kz [π/d]")
    axes[0].legend(fontsize=7, loc="lower left")
    fig.suptitle(_title(model, "Fermi contours"), fontsize=9)
    fig.tight_layout()
    return fig


def cutoff_figure(ds):
    """Paper Fig. 4: the Migdal-softened cut-off ω̃ against the tuned band's g, from a
    dataset with one variable ``omega_tilde_<case>`` (meV, with an ``omega0_meV`` attr)
    per case on a ``g`` coordinate."""
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for name, colour in zip(sorted(ds.data_vars), ("tab:blue", "tab:red")):
        case, w0 = name.rsplit("_", 1)[1], ds[name].attrs["omega0_meV"]
        ax.plot(ds.g, ds[name], color=colour, label=f"case {case}: ω0 = {w0:.0f} meV")
    ax.axhline(160, color="tab:blue", ls=":", lw=0.8, label="paper: 160 meV (A, g≈0.3)")
    ax.axhline(145, color="tab:red", ls=":", lw=0.8, label="paper: 145 meV (B, g=0.25)")
    ax.set_xlabel("g (tuned band)")
    ax.set_ylabel("ω̃ [meV]")
    ax.set_title("Migdal softening ω̃ = ω0 sqrt(1 − 2 max g_nn) (eq. 1)", fontsize=9)
    ax.legend(fontsize=7)
    return fig


def overlap_figure(ds, model: str | None = None):
    """Paper Fig. 5: the distribution of Ĩ^{nn'}(kz, kz') over the zone (left) and the
    diagonal Ĩ^{nn'}(kz, kz) against kz (right). Ĩ is normalised with the cell average of
    every |ψ|² equal to 1, so that Ĩ ≡ 1 for free electrons."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    colours = plt.get_cmap("tab10")
    k = 0
    period = float(
        ds.attrs.get("period_nm")
        or float(ds.attrs["well_width_nm"]) + float(ds.attrs["barrier_width_nm"])
    )
    kz = ds.kz.values * period / np.pi
    edges = np.concatenate(
        [
            ds.bin.values - 0.5 * float(ds.bin[1] - ds.bin[0]),
            [ds.bin.values[-1] + 0.5 * float(ds.bin[1] - ds.bin[0])],
        ]
    )
    for n in ds.band.values:
        for m in ds.band_prime.values:
            if m < n:
                continue
            c = colours(k % 10)
            a.stairs(
                ds.histogram.sel(band=n, band_prime=m).values,
                edges,
                color=c,
                lw=1.6,
                label=f"$\\tilde I^{{{n}{m}}}$",
            )
            diag = np.diagonal(ds.overlap.sel(band=n, band_prime=m).values)
            b.plot(kz, diag, color=c, label=f"$\\tilde I^{{{n}{m}}}(k_z, k_z)$")
            k += 1
    a.set_xlabel("$\\tilde I^{nn'}(k_z, k_z')$")
    a.set_ylabel("fraction of the $(k_z, k_z')$ zone")
    a.legend(fontsize=7, ncol=2)
    b.set_xlabel("$k_z$ [π/d]")
    b.set_ylabel("$\\tilde I^{nn'}(k_z, k_z)$")
    b.legend(fontsize=7, ncol=2)
    fig.suptitle(
        _title(model, "pair-overlap integrals (cell average of |ψ|² = 1; free electrons: Ĩ ≡ 1)"),
        fontsize=9,
    )
    fig.tight_layout()
    return fig


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
    have physical kinks there."""
    w = omega_tilde / delta_e
    kinks = np.array([-w, w, 1.0 - w, 1.0 + w])
    return np.sort(kinks[(kinks > eta_range[0]) & (kinks < eta_range[1])])


def gap_ratio_figure(
    line,
    model: str | None = None,
    g: float | None = None,
    omega_tilde: float | None = None,
    delta_e: float | None = None,
):
    """Paper Fig. 6: 2Δ̄_n/k_B Tc of the tuned band t and band t − 1 (top) and the isotope
    coefficient (bottom) against η. (The printed panel labels are swapped; these are
    labelled by content.)

    Where band t has no Fermi surface (η < 0), its Δ̄_t is Δ_t at the kz nearest the
    Fermi level: those points are drawn open and the region is hatched. With
    ``omega_tilde`` and ``delta_e`` (both meV) the window-edge kinks are marked.
    """
    eta = line.eta.values
    t, below = ratio_bands(line)
    fig, (a, b) = plt.subplots(2, 1, figsize=(5.5, 7), sharex=True)
    if "on_fermi_surface" in line:
        off = (line.on_fermi_surface.sel(band=t) == 0).values
    else:  # older stores: band t has a Fermi surface exactly when η >= 0
        off = eta < 0
    for n in (below, t):
        if n is None:
            continue
        c = band_colour(n)
        r = line.ratio_2Delta_kTc.sel(band=n).values
        a.plot(eta, r, "-", color=c, lw=1, label=f"2Δ̄{n}/k_B Tc")
        hollow = off if n == t else np.zeros_like(off)
        a.plot(eta[~hollow], r[~hollow], "o", ms=3, color=c)
        a.plot(eta[hollow], r[hollow], "o", ms=3, mfc="white", color=c)
    if off.any():
        for ax in (a, b):
            ax.axvspan(eta[off].min(), eta[off].max(), fc="none", hatch="///", ec="0.75", lw=0)
        a.plot(
            [],
            [],
            "o",
            mfc="white",
            color=band_colour(t),
            ms=3,
            label=f"band {t} has no Fermi surface: Δ{t} at the nearest kz",
        )
    from multigap.solvers.solve import CODE

    under = CODE["below_T_min"]
    no_tc = (line.status == under).values.ravel() if "status" in line else np.zeros(eta.size, bool)
    if no_tc.any():  # Tc below the search floor: no gaps and no α to draw
        floor = line.attrs.get("t_min")
        for ax in (a, b):
            ax.axvspan(eta[no_tc].min(), eta[no_tc].max(), color="0.88", lw=0)
        a.fill_between(
            [],
            [],
            color="0.88",
            label="Tc below " + (f"{1e3 * float(floor):g} mK" if floor else "T_min") + ": no gaps",
        )
    a.axhline(3.528, color="grey", ls="--", lw=0.8, label="BCS 3.53")
    b.plot(eta, line.alpha, "o-", ms=3, lw=1, color="black")
    b.axhline(0.5, color="grey", ls="--", lw=0.8, label="BCS 0.5")
    for ax in (a, b):
        ax.axvspan(0.5, 1.0, color="grey", alpha=0.12, label="0.5 < η < 1: the paper's claims")
        for x in (0, 1):
            ax.axvline(x, color="grey", lw=0.5, ls=":")
    if omega_tilde and delta_e:
        for x in window_kinks(omega_tilde, delta_e, (eta.min(), eta.max())):
            b.axvline(x, color="tab:green", lw=0.8, ls="-.")
        b.plot([], [], color="tab:green", lw=0.8, ls="-.", label="window edge at a band edge")
    a.set_ylabel("gap ratio")
    b.set_ylabel("isotope coefficient α")
    b.set_xlabel("η")
    a.set_xlim(eta.min() - 0.02, eta.max() + 0.02)
    # one legend for both panels, below them, so that it never hides a curve
    handles: dict = {}
    for ax in (a, b):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=2, fontsize=7)
    fig.suptitle(_title(model, f"gap ratios and isotope coefficient, g = {g:.3g}"), fontsize=9)
    fig.tight_layout(rect=(0, 0.015 + 0.02 * ((len(handles) + 1) // 2), 1, 1))
    return fig


def tc_vs_ratio_figure(line, model: str | None = None):
    """Paper Fig. 7: Tc against Δ̄_t/Δ̄_{t−1} (the paper's Δ3/Δ2) along the η line (colour: η)."""
    anisotropy, t, below = gap_anisotropy(line)
    ratio = anisotropy.values
    fig, ax = plt.subplots(figsize=(5, 3.8))
    ax.plot(ratio, line.Tc.values, color="grey", lw=0.8)
    sc = ax.scatter(ratio, line.Tc.values, c=line.eta.values, cmap="viridis", s=14, zorder=3)
    fig.colorbar(sc, ax=ax, label="η")
    ok = np.isfinite(ratio)
    if ok.any():
        i = np.nanargmax(np.where(ok, line.Tc.values, np.nan))
        ax.plot(
            ratio[i],
            line.Tc.values[i],
            "o",
            mfc="none",
            mec="tab:blue",
            ms=10,
            label=f"Tc,max (η = {float(line.eta[i]):.2f})",
        )
        xs, ys = ratio[ok], line.Tc.values[ok]
        for j in range(0, len(xs) - 1, max(len(xs) // 6, 1)):  # arrows: the way η increases
            ax.annotate(
                "",
                xy=(xs[j + 1], ys[j + 1]),
                xytext=(xs[j], ys[j]),
                arrowprops=dict(arrowstyle="->", color="grey", lw=0.8),
            )
        ax.legend(fontsize=7)
    ax.set_xlabel(f"Δ̄{t}/Δ̄{below}")
    ax.set_ylabel("Tc [K]")
    g = float(line.g) if "g" in line.coords else None
    ax.set_title(
        _title(
            model,
            "Tc against the gap anisotropy along η" + (f", g = {g:.3g}" if g is not None else ""),
        ),
        fontsize=9,
    )
    return fig


def tc_vs_eta_figure(
    tc_map, gs, model: str | None = None, log: bool = False, delta_e=None, omega_tilde=None
):
    """Paper Fig. 8: Tc against η for several g, linear or semi-log.

    With ``omega_tilde`` (a function of g giving ω̃ in meV) and ``delta_e`` (meV), the η
    where a window edge μ ± ω̃ crosses an edge of the tuned band (η = ±ω̃/ΔE and
    1 ± ω̃/ΔE) are marked on each curve: the kinks there are physical, not numerical."""
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
    ax.set_xlabel("η")
    ax.set_ylabel("Tc [K]")
    if delta_e:
        top = ax.secondary_xaxis("top", functions=(lambda e: e * delta_e, lambda x: x / delta_e))
        top.set_xlabel("μ − E_L [meV]")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(_title(model, "Tc against η" + (" (semi-log)" if log else "")), fontsize=9)
    return fig


def tc_vs_g_figure(tc_map, etas, model: str | None = None):
    """Paper Fig. 9: Tc against g at fixed η; antiresonant η < 0 (left axis, semi-log)
    and resonant η > 0 (right axis)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    for e in etas:
        col = tc_map.sel(eta=e, method="nearest")
        y = col.values.astype(float)
        ax = a if e < 0 else b
        ax.plot(
            col.g, np.where(y > 0, y, np.nan) if e < 0 else y, label=f"η = {float(col.eta):.2f}"
        )
    a.set_yscale("log")
    a.set_title("antiresonant side η < 0", fontsize=9)
    b.set_title("resonant side η > 0", fontsize=9)
    for ax in (a, b):
        ax.set_xlabel("g")
        ax.set_ylabel("Tc [K]")
        ax.legend(fontsize=7)
    fig.suptitle(_title(model, "Tc against the coupling g at fixed η"), fontsize=9)
    fig.tight_layout()
    return fig


def dome_figure(
    tc_map,
    model: str | None = None,
    vmax: float | None = None,
    eta_range: tuple[float, float] | None = None,
    log: bool = False,
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
    """
    if eta_range is not None:
        tc_map = tc_map.sel(eta=slice(*eta_range))
        if tc_map.sizes["eta"] < 2:
            raise ParameterError("eta range", eta_range, "a range holding two or more η values")
    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    z = tc_map.transpose("g", "eta").values.astype(float)
    top = vmax or np.nanmax(z)
    positive = z[np.isfinite(z) & (z > 0)]
    norm: colors.Normalize
    if log and positive.size:
        # down to the smallest Tc found (at most 8 decades): the antiresonant side is µK–mK
        norm = colors.LogNorm(vmin=max(positive.min(), 1e-8 * top), vmax=top)
    else:
        norm = colors.Normalize(0, top)
    shown = np.where(z > 0, z, np.nan) if log else z
    mesh = ax.pcolormesh(tc_map.eta, tc_map.g, shown, cmap="jet", shading="auto", norm=norm)
    fig.colorbar(mesh, ax=ax, label="Tc [K]" + (" (log scale)" if log else ""))
    levels = [v for v in (50, 100, 150, 200, 250, 300) if v < np.nanmax(z)]
    if levels:
        cs = ax.contour(tc_map.eta, tc_map.g, z, levels=levels, colors="white", linewidths=0.6)
        ax.clabel(cs, fontsize=6, fmt="%d K")
    for x, name in ((0, "η = 0 (type I)"), (1, "η = 1 (type II)")):
        if not float(tc_map.eta.min()) <= x <= float(tc_map.eta.max()):
            continue
        ax.axvline(x, color="white", lw=1.2, ls="--")
        # at the foot of the line: the maximum sits near the top, where g is large
        ax.text(
            x,
            0.02,
            name + " ",
            color="white",
            rotation=90,
            va="bottom",
            ha="right",
            fontsize=7,
            transform=ax.get_xaxis_transform(),
        )
    i = np.unravel_index(np.nanargmax(z), z.shape)
    gm, em, tm = float(tc_map.g[i[0]]), float(tc_map.eta[i[1]]), z[i]
    ax.plot(em, gm, "k*", ms=12, mfc="yellow", zorder=4)
    # the label goes towards the emptier side, on a dark box so contours do not cross it
    left = em > float(tc_map.eta.mean())
    ax.annotate(
        f"Tc,max = {tm:.0f} K\n(η, g) = ({em:.2f}, {gm:.2f})",
        (em, gm),
        xytext=(-95 if left else 25, -45),
        textcoords="offset points",
        fontsize=8,
        color="white",
        bbox=dict(boxstyle="round,pad=0.3", fc="black", ec="none", alpha=0.6),
        arrowprops=dict(arrowstyle="->", color="white"),
        zorder=5,
    )
    ax.set_xlabel("Lifshitz parameter η")
    ax.set_ylabel("coupling g of the tuned band")
    ax.set_title(_title(model, "superconducting dome Tc(η, g)"), fontsize=9)
    return fig


#: What ``multigap plot --kind`` can draw along the lines of a sweep: (variable, label).
LINE_KINDS = {
    "eta": ("Tc", "Tc [K]"),
    "g": ("Tc", "Tc [K]"),
    "alpha": ("alpha", "isotope coefficient α"),
    "ratio": ("Delta_ratio", "Δ̄t/Δ̄t−1"),
}


def sweep_lines_figure(
    da, x: str, ylabel: str, model: str | None = None, log: bool = False, max_lines: int = 8
):
    """A swept quantity against ``x`` ("eta" or "g"), one line per value of the other
    axis (at most ``max_lines``, evenly chosen), with η = 0 and 1 marked on an η axis."""
    other = "g" if x == "eta" else "eta"
    n = da.sizes[other]
    picks = np.unique(np.round(np.linspace(0, n - 1, min(n, max_lines))).astype(int))
    fig, ax = plt.subplots(figsize=(5.5, 4))
    cmap = plt.get_cmap("plasma")
    for k, j in enumerate(picks):
        line = da.isel({other: int(j)})
        y = line.values.astype(float)
        if log:
            y = np.where(y > 0, y, np.nan)
        name = "g" if other == "g" else "η"
        ax.plot(
            line[x],
            y,
            "o-",
            ms=2.5,
            lw=1,
            color=cmap(0.85 * k / max(len(picks) - 1, 1)),
            label=f"{name} = {float(line[other]):.3g}",
        )
    if log:
        ax.set_yscale("log")
    if x == "eta":
        for v in (0, 1):
            ax.axvline(v, color="grey", lw=0.5, ls=":")
    ax.set_xlabel("Lifshitz parameter η" if x == "eta" else "coupling g of the tuned band")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(
        _title(model, f"{ylabel.split(' [')[0]} against {'η' if x == 'eta' else 'g'}"), fontsize=9
    )
    return fig


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
    axes[0].set_ylabel("Tc,max over the (η, g) dome [K]")
    axes[0].legend(fontsize=7)
    fig.suptitle(
        _title(model, "sensitivity of Tc,max to the parameters the paper does not give"), fontsize=9
    )
    fig.tight_layout()
    return fig


def gap_anisotropy_figure(ds, model: str | None = None):
    """The gaps across the zone: Δ_n(kz) with their Fermi-surface averages Δ̄_n (left), and
    E_n(kz) − μ near μ, with ±ω̃ shaded (right), from a gaps dataset (``multigap gaps
    --out``, :meth:`GapResult.to_dataset`). Bands far below μ are listed, not drawn."""
    x = ds.kz.values / float(ds.kz.max())
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.8), sharex=True)
    omega = float(ds.attrs.get("omega_tilde_meV", np.nan))
    mu = float(ds.mu)
    for n in ds.band.values:
        c = band_colour(n)
        on_fs = bool(ds.on_fermi_surface.sel(band=n)) if "on_fermi_surface" in ds else True
        a.plot(x, ds.Delta_kz.sel(band=n), color=c, label=f"Δ{n}(kz)")
        a.axhline(
            float(ds.Delta.sel(band=n)),
            color=c,
            ls="--",
            lw=0.8,
            label=f"Δ̄{n} = {float(ds.Delta.sel(band=n)):.3g} meV"
            + ("" if on_fs else " (no Fermi surface)"),
        )
        b.plot(x, ds.energy.sel(band=n) - mu, color=c, label=f"band {n}")
    if np.isfinite(omega):
        b.axhspan(-omega, omega, color="grey", alpha=0.15, label=f"μ ± ω̃ (ω̃ = {omega:.0f} meV)")
        lo, hi = -4.0 * omega, 3.0 * omega
        b.set_ylim(lo, hi)
        deep = [int(n) for n in ds.band.values if float((ds.energy.sel(band=n) - mu).max()) < lo]
        if deep:
            b.text(
                0.02,
                0.03,
                f"band{'s' if len(deep) > 1 else ''} {', '.join(map(str, deep))} below the axis",
                transform=b.transAxes,
                fontsize=7,
            )
    b.axhline(0.0, color="black", lw=0.6)
    a.set_ylabel("Δ [meV]")
    b.set_ylabel("E_n(kz) − μ [meV]")
    for ax in (a, b):
        ax.set_xlabel("kz d/π")
        ax.set_xlim(0, 1)
        ax.legend(fontsize=7)
    T = float(ds.attrs.get("T_K", 0.0))
    fig.suptitle(_title(model, f"gap anisotropy across the zone, T = {T:g} K"), fontsize=9)
    fig.tight_layout()
    return fig


def thermo_figure(ds, model: str | None = None):
    """Δ̄_n(T) of every band (top) and C/C_N (bottom) against T/Tc, from a thermo Dataset."""
    Tc = float(ds.attrs["Tc_K"])
    x = ds["T"].values / Tc
    fig, (a, b) = plt.subplots(2, 1, figsize=(5.2, 5.6), sharex=True)
    for n in ds.band.values:
        a.plot(x, ds.Delta.sel(band=n), "o-", ms=2.5, color=band_colour(n), label=f"band {n}")
    a.set_ylabel("Δ̄_n [meV]")
    a.legend(fontsize=7)
    b.plot(x, ds.C_over_CN, "o-", ms=2.5, color="black")
    b.axhline(1.0, color="grey", lw=0.8, ls="--", label="normal state")
    b.axhline(1.0 + 1.426, color="tab:red", lw=0.8, ls=":", label="BCS jump 1 + 1.43")
    b.set_ylabel("C / C_N")
    b.set_xlabel("T / Tc")
    b.legend(fontsize=7)
    for ax in (a, b):
        ax.axvline(1.0, color="grey", lw=0.5, ls=":")
    jump = float(ds.attrs["specific_heat_jump"])
    fig.suptitle(
        _title(
            model,
            f"Tc = {Tc:.1f} K, ΔC/C_N = {jump:.2f}, η = {ds.attrs['eta']:g}, "
            f"g = {ds.attrs['g']:.3g}",
        ),
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def path_figure(
    pressure,
    tc,
    eta_path,
    g_path,
    dome,
    model: str | None = None,
    data=None,
    title: str = "Tc along a pressure path",
):
    """Tc(P) (left; with measured points if given) and the path drawn on the dome (right).

    ``dome`` is (η grid, g grid, Tc map of shape (len η, len g)); ``data`` is
    (pressure, Tc, error or None).
    """
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    order = np.argsort(pressure)
    a.plot(
        np.asarray(pressure)[order],
        np.asarray(tc)[order],
        "-",
        color="tab:red",
        lw=1.8,
        label="model",
    )
    if data is not None:
        p, t, err = data
        a.errorbar(p, t, yerr=err, fmt="o", ms=4, color="black", capsize=2, label="data")
    a.set_xlabel("pressure P [GPa]")
    a.set_ylabel("Tc [K]")
    a.legend(fontsize=8)
    eta_grid, g_grid, z = dome
    mesh = b.pcolormesh(eta_grid, g_grid, np.asarray(z).T, cmap="viridis", shading="auto")
    fig.colorbar(mesh, ax=b, label="Tc [K]")
    b.plot(eta_path, g_path, "-", color="white", lw=2.2)
    b.plot(eta_path, g_path, "-", color="tab:red", lw=1.2, label="path")
    b.plot(eta_path[order[0]], g_path[order[0]], "o", color="tab:red", ms=5)
    b.annotate(
        f"{np.min(pressure):g} GPa",
        (eta_path[order[0]], g_path[order[0]]),
        color="white",
        fontsize=8,
        xytext=(4, 4),
        textcoords="offset points",
    )
    for x in (0.0, 1.0):
        b.axvline(x, color="white", lw=0.6, ls="--")
    b.set_xlabel("Lifshitz parameter η")
    b.set_ylabel("coupling g of the tuned band")
    b.legend(fontsize=8, loc="lower right")
    fig.suptitle(_title(model, title), fontsize=9)
    fig.tight_layout()
    return fig


def design_figure(records: list, names: list, best_curve, base_curve, model: str | None = None):
    """Tc,max of every evaluated candidate against the varied parameters (left), and Tc(η)
    of the best candidate beside the base model's at the same g (right)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    ok = [r for r in records if r["feasible"]]
    bad = [r for r in records if not r["feasible"]]
    x0 = names[0]
    if len(names) == 1:
        a.plot(
            [r["parameters"][x0] for r in ok],
            [r["Tc_max_K"] for r in ok],
            "o",
            ms=4,
            color="tab:blue",
            label="feasible",
        )
        a.plot(
            [r["parameters"][x0] for r in bad],
            [0.0] * len(bad),
            "x",
            ms=4,
            color="grey",
            label="infeasible",
        )
        a.set_ylabel("Tc,max [K]")
    else:
        x1 = names[1]
        sc = a.scatter(
            [r["parameters"][x0] for r in ok],
            [r["parameters"][x1] for r in ok],
            c=[r["Tc_max_K"] for r in ok],
            cmap="viridis",
            s=18,
        )
        a.plot(
            [r["parameters"][x0] for r in bad],
            [r["parameters"][x1] for r in bad],
            "x",
            ms=4,
            color="grey",
            label="infeasible",
        )
        fig.colorbar(sc, ax=a, label="Tc,max [K]")
        a.set_ylabel(x1)
    best = max(ok, key=lambda r: r["Tc_max_K"])
    if len(names) == 1:
        a.plot(best["parameters"][x0], best["Tc_max_K"], "*", ms=14, color="tab:red", label="best")
    else:
        a.plot(
            best["parameters"][x0],
            best["parameters"][names[1]],
            "*",
            ms=14,
            color="tab:red",
            label="best",
        )
    a.set_xlabel(x0)
    a.legend(fontsize=7)
    for (eta, tc), label, colour in (
        (best_curve, "best design", "tab:red"),
        (base_curve, "base model", "tab:blue"),
    ):
        b.plot(eta, tc, "-", color=colour, label=label)
    b.set_xlabel("η")
    b.set_ylabel("Tc [K]")
    b.set_title(f"at g = {best['g']:.3g}", fontsize=8)
    b.legend(fontsize=7)
    fig.suptitle(_title(model, f"design: Tc,max = {best['Tc_max_K']:.0f} K"), fontsize=9)
    fig.tight_layout()
    return fig


def structure_figure(subbands, model: str | None = None, periods: int = 2):
    """The heterostructure drawn: the potential V(z) over two periods, the subbands as
    energy ranges, |ψ_{n,kz}|² at kz = 0 and π/d offset at their energies (left), and
    E_n(kz) beside it (right)."""
    sl = subbands.superlattice
    d = subbands.period
    fig, (a, b) = plt.subplots(
        1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [2.2, 1]}, sharey=True
    )
    z_edges = np.concatenate([[0.0], np.cumsum([layer[0] for layer in sl.cell])])
    potentials = [layer[1] for layer in sl.cell]
    for p in range(periods):
        a.stairs(
            energy_out(potentials),
            z_edges + p * d,
            color="black",
            lw=1.4,
            label="V(z)" if p == 0 else None,
            baseline=None,
        )
    edges = energy_out(subbands.edges)
    spacing = np.diff(np.concatenate([edges[:, 0], [edges[-1, 1] + (edges[-1, 1] - edges[-1, 0])]]))
    z = np.linspace(0.0, d, 200, endpoint=False)
    zz = np.concatenate([z + p * d for p in range(periods)])
    for n in range(1, subbands.n_bands + 1):
        lo, hi = edges[n - 1]
        colour = band_colour(n)
        a.axhspan(lo, hi, color=colour, alpha=0.18, lw=0)
        scale = 0.35 * min(spacing[n - 1], np.ptp(edges) / subbands.n_bands)
        for kz, style, which in ((0.0, "-", "kz = 0"), (subbands.kz_max, "--", "kz = π/d")):
            E = float(subbands.energy(n, np.array([kz]))[0])
            dens = np.tile(subbands.bloch_density(n, np.array([kz]), z)[0], periods)
            a.plot(
                zz,
                energy_out(E) + scale * dens / dens.max(),
                style,
                color=colour,
                lw=1,
                label=f"|ψ|², {which}" if n == 1 else None,
            )
        k = np.linspace(0.0, subbands.kz_max, 101)
        b.plot(
            k * d / np.pi,
            energy_out(subbands.energy(n, k)),
            color=colour,
            lw=2.0 if n == sl.tuned_band else 1.2,
            label=f"band {n}",
        )
        b.axhspan(lo, hi, color=colour, alpha=0.18, lw=0)
    a.set_xlabel("z [nm]")
    a.set_ylabel("energy [meV]")
    a.set_xlim(0, periods * d)
    top = max(edges[-1, 1], energy_out(max(potentials)))
    a.set_ylim(min(energy_out(min(potentials)), edges[0, 0]) - 0.05 * top, 1.08 * top)
    a.legend(fontsize=7, loc="upper left")
    b.set_xlabel("kz [π/d]")
    b.set_xlim(0, 1)
    b.legend(fontsize=7, loc="lower right")
    kind = "quantum wells" if sl.structure == "wells" else "quantum wires"
    fig.suptitle(
        _title(
            model,
            f"superlattice of {kind}: {len(sl.cell)} layers, d = {d:.3g} nm, "
            f"tuned band {sl.tuned_band}, ΔE = "
            f"{energy_out(subbands.tuned_width):.0f} meV",
        ),
        fontsize=9,
    )
    fig.tight_layout()
    return fig
