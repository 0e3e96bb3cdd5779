"""
The preset bands and the density of states
==========================================

Case A's three subbands and the partial DOS against the Lifshitz parameter η: the step
at η = 0 (the pocket appears) and the log peak at η = 1 (the neck opens).
"""

import numpy as np

from multigap.config import preset
from multigap.plots import dos_figure
from multigap.superlattice.kronig_penney import solve_subbands

bands = solve_subbands(preset("A")[0])
print("band edges [meV]:", np.round(bands.edges * 1e3, 1).tolist())
print(f"E_L = {bands.lifshitz_energy * 1e3:.1f} meV, ΔE = {bands.tuned_width * 1e3:.1f} meV")
fig = dos_figure(bands, model="A", num=121)
