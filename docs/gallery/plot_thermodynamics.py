"""
Gaps, entropy and specific heat through Tc
==========================================

``multigap thermo`` in Python: the band gaps Δ̄_n(T), the entropy and the specific heat
of case A at the top of its dome, from 0.05 Tc to above Tc, at fixed density (μ(T) is
solved with the gaps). The specific heat is C = T dS/dT from the Fermi-surface form
(no difference of the entropy is taken, so it is clean at low T), and the jump ΔC/C_N at
Tc measures how far the multiband system is from the one-band BCS value 1.43.
"""

import numpy as np

from multigap import Model
from multigap.config import Numerics
from multigap.plots import thermo_figure
from multigap.solvers.thermodynamics import thermodynamics

model = Model.from_preset("A", Numerics.preset("map"))
result = thermodynamics(model, 1.0, g=0.4, num=24)
print(f"Tc = {result.Tc:.2f} K ({result.mu_mode}), ΔC/C_N = {result.jump:.3f} (BCS: 1.43)")
cold = np.argmin(result.T)
print(f"at T = {result.T[cold]:.1f} K: C/C_N = {result.heat[cold] / result.heat_normal[cold]:.4f}")
fig = thermo_figure(result.to_dataset(), model="A")
