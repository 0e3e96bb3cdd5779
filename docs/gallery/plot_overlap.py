"""
Pair-overlap integrals
======================

Ĩ^{nn'}(kz, kz') = (1/d)∫|ψ_{n,kz}|²|ψ_{n',kz'}|² dz, the BPV pairing matrix element, and
its low-rank factor: a handful of z-functions describe it to rounding.
"""

import numpy as np

from multigap.config import preset
from multigap.output.labels import overlap_dataset
from multigap.pairing.kernel import overlap_basis
from multigap.plots import overlap_figure
from multigap.superlattice.kronig_penney import solve_subbands

bands = solve_subbands(preset("A")[0])
ds = overlap_dataset(bands, n_kz=24)
print("zone means of Ĩ:\n", np.round(ds["mean"].values, 3))
print("rank of Ĩ at 1e-10:", overlap_basis(bands, 1e-10).rank)
fig = overlap_figure(ds, model="A")
