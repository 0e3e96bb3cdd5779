"""Figures of the gaps: their ratios against the Lifshitz parameter and against Tc, their
anisotropy in kz, and the thermodynamics through Tc.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from multigap.plots.common import (
    band_colour,
    figure_title,
    house_style,
    legend_below,
    legend_outside,
)
from multigap.status import CODE
from multigap.study.analysis import gap_anisotropy, ratio_bands, window_kinks


@house_style
def gap_ratio_figure(
    line,
    model: str | None = None,
    g: float | None = None,
    omega_tilde: float | None = None,
    delta_e: float | None = None,
):
    """Paper Fig. 6: 2Δ̄_n/k_B Tc of the tuned band t and band t − 1 (top) and the isotope
    coefficient (bottom) against η; the paper's printed panel labels are swapped, these
    are labelled by content.

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
        a.plot(eta, r, "-", color=c, lw=1, label=rf"$2\bar\Delta_{n}/k_BT_c$")
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
            label=rf"band {t} has no Fermi surface: $\Delta_{t}$ at the nearest $k_z$",
        )
    _shade_no_tc(line, eta, (a, b))
    a.axhline(3.528, color="grey", ls="--", lw=0.8, label="BCS 3.53")
    b.plot(eta, line.alpha, "o-", ms=3, lw=1, color="black")
    b.axhline(0.5, color="grey", ls="--", lw=0.8, label="BCS 0.5")
    for ax in (a, b):
        ax.axvspan(0.5, 1.0, color="tab:blue", alpha=0.10, lw=0,
                   label="0.5 < η < 1: the paper's claims")  # fmt: skip
        for x in (0, 1):
            ax.axvline(x, color="grey", lw=0.5, ls=":")
    if omega_tilde and delta_e:
        for x in window_kinks(omega_tilde, delta_e, (eta.min(), eta.max())):
            b.axvline(x, color="tab:green", lw=0.8, ls="-.")
        b.plot([], [], color="tab:green", lw=0.8, ls="-.", label="window edge at a band edge")
    a.set_ylabel("gap ratio")
    b.set_ylabel("isotope coefficient α")
    b.set_xlabel("Lifshitz parameter η")
    a.set_xlim(eta.min() - 0.02, eta.max() + 0.02)
    fig.suptitle(figure_title(model, f"gap ratios and isotope coefficient, g = {g:.3g}"))
    legend_below((a, b))
    return fig


def _shade_no_tc(line, eta, axes) -> None:
    """Grey out the η where Tc lies below the search floor: there are no gaps or α to draw."""
    under = CODE["below_T_min"]
    no_tc = (line.status == under).values.ravel() if "status" in line else np.zeros(eta.size, bool)
    if not no_tc.any():
        return
    floor = line.attrs.get("t_min")
    for ax in axes:
        ax.axvspan(eta[no_tc].min(), eta[no_tc].max(), fc="0.6", alpha=0.35, lw=0)
    axes[0].fill_between(
        [],
        [],
        fc="0.6",
        alpha=0.35,
        label=r"$T_c$ below "
        + (f"{1e3 * float(floor):g} mK" if floor else r"$T_\min$")
        + ": no gaps",
    )


@house_style
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
            label=rf"$T_{{c,\max}}$ (η = {float(line.eta[i]):.2f})",
        )
        xs, ys = ratio[ok], line.Tc.values[ok]
        for j in range(0, len(xs) - 1, max(len(xs) // 6, 1)):  # arrows: the way η increases
            ax.annotate(
                "",
                xy=(xs[j + 1], ys[j + 1]),
                xytext=(xs[j], ys[j]),
                arrowprops=dict(arrowstyle="->", color="grey", lw=0.8),
            )
        legend_outside(ax, "below")
    ax.set_xlabel(rf"$\bar\Delta_{t}/\bar\Delta_{below}$")
    ax.set_ylabel(r"$T_c$ [K]")
    g = float(line.g) if "g" in line.coords else None
    ax.set_title(
        figure_title(
            model,
            r"$T_c$ against the gap anisotropy along η"
            + (f", g = {g:.3g}" if g is not None else ""),
        ),
    )
    return fig


@house_style
def gap_anisotropy_figure(ds, model: str | None = None):
    """The gaps across the zone: Δ_n(kz) with their Fermi-surface averages Δ̄_n (left), and
    E_n(kz) − μ near μ, with ±ω̃ shaded (right), from a gaps dataset (``multigap gaps
    --out``, :meth:`GapResult.to_dataset`). Bands far below μ are listed, not drawn.
    """
    x = ds.kz.values / float(ds.kz.max())
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.8), sharex=True)
    omega = float(ds.attrs.get("omega_tilde_meV", np.nan))
    mu = float(ds.mu)
    for n in ds.band.values:
        c = band_colour(n)
        on_fs = bool(ds.on_fermi_surface.sel(band=n)) if "on_fermi_surface" in ds else True
        a.plot(x, ds.Delta_kz.sel(band=n), color=c, label=rf"$\Delta_{n}(k_z)$")
        # the average as a marker on the right edge: a flat Δ_n(kz) would hide a line
        a.plot(1.0, float(ds.Delta.sel(band=n)), "<", ms=8, color=c, clip_on=False, zorder=5,
               label=rf"$\bar\Delta_{n}$ = {float(ds.Delta.sel(band=n)):.3g} meV"
               + ("" if on_fs else " (no Fermi surface)"))  # fmt: skip
        b.plot(x, ds.energy.sel(band=n) - mu, color=c, label=f"band {n}")
    if np.isfinite(omega):
        b.axhspan(-omega, omega, color="grey", alpha=0.15,
                  label=rf"$\mu \pm \tilde\omega$ ($\tilde\omega$ = {omega:.0f} meV)")  # fmt: skip
        lo, hi = -4.0 * omega, 3.0 * omega
        b.set_ylim(lo, hi)
        deep = [int(n) for n in ds.band.values if float((ds.energy.sel(band=n) - mu).max()) < lo]
        if deep:
            b.text(
                0.02,
                0.03,
                f"band{'s' if len(deep) > 1 else ''} {', '.join(map(str, deep))} below the axis",
                transform=b.transAxes,
            )
    b.axhline(0.0, color="black", lw=0.6)
    a.set_ylabel(r"$\Delta_n(k_z)$ [meV]")
    b.set_ylabel(r"$E_n(k_z) - \mu$ [meV]")
    for ax in (a, b):
        ax.set_xlabel(r"$k_z d/\pi$")
        ax.set_xlim(0, 1)
        legend_outside(ax, "below", ncol=2)
    T = float(ds.attrs.get("T_K", 0.0))
    fig.suptitle(figure_title(model, f"gap anisotropy across the zone, T = {T:g} K"))
    fig.tight_layout()
    return fig


@house_style
def thermo_figure(ds, model: str | None = None):
    """Δ̄_n(T) of every band (top) and C/C_N (bottom) against T/Tc, from a thermo Dataset."""
    Tc = float(ds.attrs["Tc_K"])
    x = ds["T"].values / Tc
    fig, (a, b) = plt.subplots(2, 1, figsize=(5.2, 5.6), sharex=True)
    for n in ds.band.values:
        a.plot(x, ds.Delta.sel(band=n), "o-", ms=2.5, color=band_colour(n), label=f"band {n}")
    a.set_ylabel(r"$\bar\Delta_n$ [meV]")
    legend_outside(a)
    b.plot(x, ds.C_over_CN, "o-", ms=2.5, color="black")
    b.axhline(1.0, color="grey", lw=0.8, ls="--", label="normal state")
    b.axhline(1.0 + 1.426, color="tab:red", lw=0.8, ls=":", label="BCS jump 1 + 1.43")
    b.set_ylabel(r"$C/C_N$")
    b.set_xlabel(r"$T/T_c$")
    legend_outside(b)
    for ax in (a, b):
        ax.axvline(1.0, color="grey", lw=0.5, ls=":")
    jump = float(ds.attrs["specific_heat_jump"])
    fig.suptitle(
        figure_title(
            model,
            rf"$T_c$ = {Tc:.1f} K, $\Delta C/C_N$ = {jump:.2f}, η = {ds.attrs['eta']:g}, "
            f"g = {ds.attrs['g']:.3g}",
        ),
    )
    fig.tight_layout()
    return fig
