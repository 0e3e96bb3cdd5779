"""What every figure shares: the band colours, titles, and saving in the formats we write."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from multigap.errors import ParameterError

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


def figure_title(model: str | None, what: str) -> str:
    """The title prefix: "Case A: …" for the presets, the label otherwise, or none.

    Notes such as case B's retraction belong in captions, not on slides.
    """
    if model and model.upper() in ("A", "B"):
        return f"Case {model.upper()}: {what}"
    return f"{model}: {what}" if model else what


def legend_below(axes) -> int:
    """One legend for all panels, below them, so that it never hides a curve; returns the
    number of entries (to leave room for them).
    """
    handles: dict = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    axes[0].figure.legend(handles.values(), handles.keys(), loc="lower center", ncol=2, fontsize=7)
    return len(handles)
