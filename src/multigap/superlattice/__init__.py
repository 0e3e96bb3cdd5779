"""Along z: the superlattice's subbands and Bloch functions (Kronig–Penney with
BenDaniel–Duke matching, any stack of layers), the inverse problem (a mass or width for a
wanted ΔE), and the pair-overlap integrals Ĩ.
"""

from multigap.superlattice.kronig_penney import *  # noqa: F403 (the package's public names)
from multigap.superlattice.kronig_penney import __all__  # noqa: F401
