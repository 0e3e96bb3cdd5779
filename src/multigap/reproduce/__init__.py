"""``multigap reproduce``: the paper's computed figures (Figs. 3–11), their data, and a report.

Every heavy computation runs through the resumable sweep machinery
(:mod:`multigap.study.sweep`) into ``OUT/stores``; each figure's data is written as NetCDF
to ``OUT/data``, the figures as PNG and PDF to ``OUT/figures``, and
``OUT/report.md`` and a self-contained ``OUT/report.html`` hold the table of the
paper's claims against ours, with a verdict and, where we differ, why.

The package follows the run: :mod:`~multigap.reproduce.settings` (what is computed),
:mod:`~multigap.reproduce.stages` (the figures and their data),
:mod:`~multigap.reproduce.claims` (the paper against us) and
:mod:`~multigap.reproduce.report`; :mod:`~multigap.reproduce.run` drives them.
"""

from multigap.reproduce.claims import interlacing_check, isotope_near_lifshitz
from multigap.reproduce.report import claims_table, reuse_sentence
from multigap.reproduce.run import reproduce
from multigap.reproduce.settings import (
    FULL,
    MAP_NUMERICS,
    QUICK,
    ReproduceSettings,
    design_example_spec,
)

__all__ = [
    "FULL",
    "MAP_NUMERICS",
    "QUICK",
    "ReproduceSettings",
    "claims_table",
    "design_example_spec",
    "interlacing_check",
    "isotope_near_lifshitz",
    "reproduce",
    "reuse_sentence",
]
