"""Along the wires (one free direction) or in the wells (two): the integrals over the
pairing window, the tabulated linearised susceptibility, and the free motion that the
pairing kernel asks for them.
"""

from multigap.free_motion.motion import *  # noqa: F403 (the package's public names)
from multigap.free_motion.motion import __all__  # noqa: F401
