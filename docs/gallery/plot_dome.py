"""
The superconducting dome
========================

Tc over (η, g) for case A on a coarse grid, with the Lifshitz lines and the maximum.
"""

import numpy as np
import xarray as xr

from multigap import Model
from multigap.config import Numerics
from multigap.plots import dome_figure
from multigap.study.paths import dome_map

model = Model.from_preset("A", Numerics.preset("map"))
eta, g = np.linspace(-0.5, 2.0, 26), np.linspace(0.15, 0.48, 12)
tc = xr.DataArray(dome_map(model, eta, g), coords={"eta": eta, "g": g}, dims=("eta", "g"))
fig = dome_figure(tc, model="A")
