"""Labelled outputs: provenance, JSON summaries and xarray datasets, the one layer that
names quantities and gives them output units.

The public names of :mod:`multigap.output.labels` are available here too
(``from multigap.output import overlap_dataset``), loaded when first asked for, so that
importing the light :mod:`multigap.output.provenance` does not load the physics.
"""

from importlib import import_module


def __getattr__(name: str):
    labels = import_module("multigap.output.labels")
    if name in labels.__all__:
        return getattr(labels, name)
    raise AttributeError(f"module 'multigap.output' has no attribute {name!r}")


def __dir__():
    return sorted(import_module("multigap.output.labels").__all__)
