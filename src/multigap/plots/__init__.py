"""Figures of the paper and of the studies, drawn with matplotlib from datasets.

Figures never solve: each takes a dataset (or a result's ``to_dataset()``) and draws it.
The package leaves the matplotlib backend alone, so that it can be used from a notebook;
the command line selects the non-interactive Agg backend before it draws.
"""

from multigap.plots.common import (
    BAND_COLOURS,
    DPI,
    FIGURE_FORMATS,
    STYLE,
    band_colour,
    house_style,
    save,
)
from multigap.plots.domes import (
    LINE_KINDS,
    bkt_dome_figure,
    dome_figure,
    sensitivity_figure,
    sweep_lines_figure,
    tc_vs_eta_figure,
    tc_vs_g_figure,
)
from multigap.plots.gaps import (
    gap_anisotropy_figure,
    gap_ratio_figure,
    tc_vs_ratio_figure,
    thermo_figure,
)
from multigap.plots.structure import (
    cutoff_figure,
    dos_figure,
    fermi_figure,
    overlap_figure,
    structure_figure,
)
from multigap.plots.studies import design_figure, path_figure

__all__ = [
    "BAND_COLOURS",
    "DPI",
    "FIGURE_FORMATS",
    "STYLE",
    "LINE_KINDS",
    "band_colour",
    "bkt_dome_figure",
    "cutoff_figure",
    "design_figure",
    "dome_figure",
    "dos_figure",
    "fermi_figure",
    "gap_anisotropy_figure",
    "gap_ratio_figure",
    "house_style",
    "overlap_figure",
    "path_figure",
    "save",
    "sensitivity_figure",
    "structure_figure",
    "sweep_lines_figure",
    "tc_vs_eta_figure",
    "tc_vs_g_figure",
    "tc_vs_ratio_figure",
    "thermo_figure",
]
