"""Labelled outputs: provenance, JSON summaries and xarray datasets, the one layer that
names quantities and gives them output units."""

from multigap.output.labels import *  # noqa: F403 (the package's public names)
from multigap.output.labels import __all__  # noqa: F401
