"""
The sensitivity of case B
=========================

The paper gives no masses; case B's Tc,max depends on the free-motion mass m_x, which
is one reason our case B does not reach the paper's 330 K. (The CSH_x experiment that
case B was built for was retracted in 2022.)
"""

import matplotlib.pyplot as plt
import numpy as np

from multigap import Model
from multigap.config import Numerics, preset
from multigap.study.design import tc_max

sl, pa = preset("B")
mass_x = np.linspace(0.5, 2.0, 5)
tops = [tc_max(Model(sl.replace(mass_x=m), pa, Numerics.preset("map")), 0.4)[0] for m in mass_x]
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(mass_x, tops, "o-")
ax.axhline(330, color="grey", ls="--", label="paper")
ax.set_xlabel("m_x [m_e]")
ax.set_ylabel("Tc,max at g = 0.4 [K]")
ax.legend()
