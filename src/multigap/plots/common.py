"""What every figure shares: the house style, the band colours, titles, legends that keep
off the data, and saving in the formats we write.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

from multigap.errors import ParameterError

#: Colours of subbands 1, 2, 3 as in the paper's Fig. 3c (blue, orange, red).
BAND_COLOURS = ["tab:blue", "tab:orange", "tab:red", "tab:green", "tab:purple", "tab:brown"]


def band_colour(n: int) -> str:
    """The colour of subband n (1-based), the same in every figure."""
    return BAND_COLOURS[(int(n) - 1) % len(BAND_COLOURS)]


#: Resolution of every PNG multigap writes.
DPI = 200

#: The house style: text readable on a slide (nothing under 9 pt), a perceptually uniform
#: colour map, legends opaque enough to read.
STYLE = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.titlesize": 11,
    "legend.framealpha": 0.9,
    "image.cmap": "viridis",
    "savefig.dpi": DPI,
}


def house_style(func):
    """Draw the figure of ``func`` in the house style (:data:`STYLE`), leaving the
    caller's matplotlib settings as they were.
    """

    @functools.wraps(func)
    def styled(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)

    return styled


def legend_outside(ax, where: str = "right", **kwargs):
    """A legend beside the axes (``"right"``) or under them (``"below"``), never on the
    data; a figure saved with a tight bounding box keeps it.
    """
    from matplotlib.transforms import ScaledTranslation

    if where == "right":
        return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, **kwargs)
    # under the tick labels and the axis label: a fixed 0.5 inch below the axes
    below = ax.transAxes + ScaledTranslation(0, -0.5, ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below,
                     borderaxespad=0, **kwargs)  # fmt: skip


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
        fig.savefig(handle, format=fmt, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def figure_title(model: str | None, what: str) -> str:
    """The title prefix: "Case A: …" for the presets, the label otherwise, or none.

    Notes such as case B's retraction belong in captions, not on slides.
    """
    if model and model.upper() in ("A", "B"):
        return f"Case {model.upper()}: {what}"
    return f"{model}: {what}" if model else what


def legend_below(axes) -> None:
    """One legend for all panels, under them, so that it never hides a curve; the layout
    is then fitted around it (its height measured, not guessed). Call it last, after
    the titles.
    """
    handles: dict = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig = axes[0].figure
    legend = fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=2,
                        bbox_to_anchor=(0.5, 0.0))  # fmt: skip
    fig.canvas.draw()
    height = legend.get_window_extent().height / fig.bbox.height
    fig.tight_layout(rect=(0, height + 0.01, 1, 1))
