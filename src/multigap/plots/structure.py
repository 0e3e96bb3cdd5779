"""Figures of the superlattice and the normal state: the heterostructure, the DOS,
the Fermi contours, the cut-off and the pair-overlap integrals.
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
from multigap.units import energy_out


@house_style
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
    top.set_xticks(list(markers), [rf"$\eta_{i}$" for i in range(1, len(markers) + 1)])
    top.tick_params(length=3, pad=1)
    finite = ds.total_dos.values[np.isfinite(ds.total_dos.values)]
    ax.set_ylim(0, 1.1 * np.percentile(finite, 99.5))
    ax.set_xlabel(r"Lifshitz parameter $\eta = (\mu - E_L)/\Delta E$")
    power = "⁻³" if subbands.superlattice.structure == "wells" else "⁻²"
    ax.set_ylabel(f"DOS [states meV⁻¹ nm{power}, both spins]")
    ax.set_title(figure_title(model, f"DOS, ΔE = {energy_out(subbands.tuned_width):.0f} meV"))
    legend_outside(ax)
    return fig


@house_style
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
        ax.set_title(f"η = {e:g}")
        ax.set_xlabel(r"$k_x$ [π/d]")
        ax.axhline(1, color="grey", lw=0.5)
        ax.axhline(-1, color="grey", lw=0.5)
        ax.set_ylim(-1.05, 1.05)
    axes[0].set_ylabel(r"$k_z$ [π/d]")
    fig.suptitle(figure_title(model, "Fermi contours"))
    legend_below(axes)
    return fig


@house_style
def cutoff_figure(ds):
    """Paper Fig. 4: the Migdal-softened cut-off ω̃ against the tuned band's g, from a
    dataset with one variable ``omega_tilde_<case>`` (meV, with an ``omega0_meV`` attr)
    per case on a ``g`` coordinate.
    """
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for name, colour in zip(sorted(ds.data_vars), ("tab:blue", "tab:red")):
        case, w0 = name.rsplit("_", 1)[1], ds[name].attrs["omega0_meV"]
        ax.plot(ds.g, ds[name], color=colour, label=rf"case {case}: $\omega_0$ = {w0:.0f} meV")
    ax.axhline(160, color="tab:blue", ls=":", lw=0.8, label="paper: 160 meV (A, g≈0.3)")
    ax.axhline(145, color="tab:red", ls=":", lw=0.8, label="paper: 145 meV (B, g=0.25)")
    ax.set_xlabel("coupling g of the tuned band")
    ax.set_ylabel(r"$\tilde\omega$ [meV]")
    ax.set_title(r"Migdal softening $\tilde\omega = \omega_0\sqrt{1 - 2\max_n g_{nn}}$ (eq. 1)")
    legend_outside(ax)
    return fig


@house_style
def overlap_figure(ds, model: str | None = None):
    """Paper Fig. 5: the distribution of Ĩ^{nn'}(kz, kz') over the zone (left) and the
    diagonal Ĩ^{nn'}(kz, kz) against kz (right). Ĩ is normalised with the cell average of
    every |ψ|² equal to 1, so that Ĩ ≡ 1 for free electrons.
    """
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
    legend_outside(a, "below", ncol=3)
    b.set_xlabel("$k_z$ [π/d]")
    b.set_ylabel("$\\tilde I^{nn'}(k_z, k_z)$")
    legend_outside(b, "below", ncol=3)
    fig.suptitle(
        figure_title(
            model,
            r"pair-overlap integrals (cell average of $|\psi|^2$ = 1; free electrons: "
            r"$\tilde I \equiv 1$)",
        ),
    )
    fig.tight_layout()
    return fig


@house_style
def structure_figure(subbands, model: str | None = None, periods: int = 2):
    """The heterostructure drawn: the potential V(z) over two periods, the subbands as
    energy ranges, |ψ_{n,kz}|² at kz = 0 and π/d offset at their energies (left), and
    E_n(kz) beside it (right).
    """
    sl = subbands.superlattice
    d = subbands.period
    fig, (a, b) = plt.subplots(
        1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [2.2, 1]}, sharey=True
    )
    potentials = _draw_potential(a, sl.cell, d, periods)
    edges = energy_out(subbands.edges)
    spacing = np.diff(np.concatenate([edges[:, 0], [edges[-1, 1] + (edges[-1, 1] - edges[-1, 0])]]))
    z = np.linspace(0.0, d, 200, endpoint=False)
    zz = np.concatenate([z + p * d for p in range(periods)])
    for n in range(1, subbands.n_bands + 1):
        lo, hi = edges[n - 1]
        colour = band_colour(n)
        a.axhspan(lo, hi, color=colour, alpha=0.18, lw=0)
        scale = 0.35 * min(spacing[n - 1], np.ptp(edges) / subbands.n_bands)
        for kz, style, which in (
            (0.0, "-", "$k_z = 0$"),
            (subbands.kz_max, "--", r"$k_z = \pi/d$"),
        ):
            E = float(subbands.energy(n, np.array([kz]))[0])
            dens = np.tile(subbands.bloch_density(n, np.array([kz]), z)[0], periods)
            a.plot(
                zz,
                energy_out(E) + scale * dens / dens.max(),
                style,
                color=colour,
                lw=1,
                label=rf"$|\psi|^2$, {which}" if n == 1 else None,
            )
        _draw_dispersion(b, subbands, n, colour)
        b.axhspan(lo, hi, color=colour, alpha=0.18, lw=0)
    a.set_xlabel("z [nm]")
    a.set_ylabel("energy [meV]")
    a.set_xlim(0, periods * d)
    top = max(edges[-1, 1], energy_out(max(potentials)))
    a.set_ylim(min(energy_out(min(potentials)), edges[0, 0]) - 0.05 * top, 1.08 * top)
    legend_outside(a, "below", ncol=3)
    b.set_xlabel(r"$k_z$ [π/d]")
    b.set_xlim(0, 1)
    legend_outside(b)
    kind = "quantum wells" if sl.structure == "wells" else "quantum wires"
    fig.suptitle(
        figure_title(
            model,
            f"superlattice of {kind}: {len(sl.cell)} layers, d = {d:.3g} nm, "
            f"tuned band {sl.tuned_band}, ΔE = "
            f"{energy_out(subbands.tuned_width):.0f} meV",
        ),
    )
    fig.tight_layout()
    return fig


def _draw_potential(ax, cell, period: float, periods: int) -> list[float]:
    """V(z) as one staircase over ``periods`` periods, with every step drawn (also the one
    between periods, at z = d); returns the layers' potentials (eV).
    """
    widths = np.tile([layer[0] for layer in cell], periods)
    potentials = [layer[1] for layer in cell]
    z_edges = np.concatenate([[0.0], np.cumsum(widths)])
    ax.stairs(energy_out(np.tile(potentials, periods)), z_edges, color="black", lw=1.4,
              label="V(z)", baseline=None)  # fmt: skip
    return potentials


def _draw_dispersion(ax, subbands, n: int, colour) -> None:
    """E_n(kz) over the zone, the tuned band thicker."""
    k = np.linspace(0.0, subbands.kz_max, 101)
    ax.plot(
        k * subbands.period / np.pi,
        energy_out(subbands.energy(n, k)),
        color=colour,
        lw=2.0 if n == subbands.superlattice.tuned_band else 1.2,
        label=f"band {n}",
    )
