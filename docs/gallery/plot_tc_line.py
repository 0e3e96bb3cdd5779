"""
A Tc line across the Lifshitz transitions
=========================================

Tc against η at g = 0.35 for case A, one batch of the pairing kernel.
"""

import matplotlib.pyplot as plt
import numpy as np

from multigap import Model
from multigap.config import Numerics
from multigap.study.paths import dome_map

model = Model.from_preset("A", Numerics.preset("map"))
eta = np.linspace(-0.5, 2.0, 41)
tc = dome_map(model, eta, [0.35])[:, 0]
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(eta, tc)
ax.set_xlabel("η")
ax.set_ylabel("Tc [K]")
ax.set_title("case A, g = 0.35")
print(f"Tc,max = {tc.max():.0f} K at η = {eta[np.argmax(tc)]:.2f}")
