"""Pairing: the Migdal cut-off and the conventional estimate, and the pairing kernel, the
seam on which every solver runs.
"""

from multigap.pairing.cutoff import *  # noqa: F403 (the package's public names)
from multigap.pairing.cutoff import __all__  # noqa: F401
