"""Figures of the paper, drawn with matplotlib (Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .config import PRESET_NOTES  # noqa: E402
from .errors import ParameterError  # noqa: E402

__all__ = ["save", "dos_figure", "fermi_figure", "BAND_COLOURS"]

#: Colours of subbands 1, 2, 3 as in the paper's Fig. 3c (blue, orange, red).
BAND_COLOURS = ["tab:blue", "tab:orange", "tab:red", "tab:green", "tab:purple", "tab:brown"]


def save(fig, path: str | Path) -> Path:
    """Save *fig* (PNG, PDF, SVG by suffix) and close it."""
    path = Path(path)
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing directory")
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def _title(model: str | None, what: str) -> str:
    if model:
        note = " (CSH_x: experiment retracted 2022)" if model.upper() == "B" else ""
        return f"Case {model.upper()}{note}: {what}"
    return what


def dos_figure(subbands, *, eta_range=(-1.0, 2.0), num: int = 601, model: str | None = None,
               markers=(0.3, 0.98, 1.5)):
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
    """
    from .normal_state import dos_dataset

    eta = np.linspace(*eta_range, num)
    eta = eta + 0.5 * (eta[1] - eta[0])
    ds = dos_dataset(subbands, eta)
    fig, ax = plt.subplots(figsize=(6, 4))
    tuned = subbands.superlattice.tuned_band
    for n in ds.band.values:
        style = dict(color="tab:red", lw=1.5) if n == tuned else dict(color="tab:blue", ls="--", lw=1)
        ax.plot(eta, ds.partial_dos.sel(band=n), label=f"subband {n}", **style)
    ax.plot(eta, ds.total_dos, color="black" if model and model.upper() == "B" else "navy",
            lw=2.5, label="total")
    for i, m in enumerate(markers, 1):
        ax.axvline(m, color="grey", lw=0.5, ls=":")
        ax.text(m, 0.98, f"η{i}", transform=ax.get_xaxis_transform(), ha="center", va="top")
    finite = ds.total_dos.values[np.isfinite(ds.total_dos.values)]
    ax.set_ylim(0, 1.1 * np.percentile(finite, 99.5))
    ax.set_xlabel("Lifshitz parameter η = (μ − E_L)/ΔE")
    ax.set_ylabel("DOS [states meV⁻¹ nm⁻², both spins]")
    ax.set_title(_title(model, f"DOS, ΔE = {subbands.tuned_width * 1e3:.0f} meV"), fontsize=9)
    ax.legend(fontsize=8)
    return fig


def fermi_figure(subbands, etas=(0.3, 0.98, 1.5), *, model: str | None = None):
    """Paper Fig. 3c: Fermi contours in (kx, kz), one panel per η."""
    from .normal_state import fermi_dataset

    ds = fermi_dataset(subbands, etas)
    fig, axes = plt.subplots(1, len(etas), figsize=(3.2 * len(etas), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    d = subbands.period
    for ax, e in zip(axes, ds.eta.values):
        for n in ds.band.values:
            kx = ds.kx.sel(eta=e, band=n).values * d / np.pi
            kz = ds.kz.values * d / np.pi
            colour = BAND_COLOURS[(n - 1) % len(BAND_COLOURS)]
            for s in (1, -1):
                ax.plot(s * kx, kz, color=colour, lw=1.8 if n == subbands.superlattice.tuned_band else 1,
                        label=f"subband {n}" if s == 1 else None)
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
