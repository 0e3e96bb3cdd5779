"""
A measured dome as a path through the (η, g) plane
==================================================

The paper reads Tc(P) of a pressurised hydride as a path across the universal dome:
pressure moves the chemical potential through the Lifshitz point (η) and changes the
coupling (g). Here a straight path η(P) = η0 + η1 (P − P_ref), g(P) = g0 + g1 (P − P_ref)
is drawn across case A's dome, then recovered by :func:`~multigap.study.fit.fit_dome`
from eight "measured" points of it with 3 K errors (a self-consistency check: the fit
should return the path it was made from, within its error bars).
"""

import numpy as np

from multigap import Model
from multigap.config import Numerics
from multigap.plots import path_figure
from multigap.study.fit import fit_dome
from multigap.study.paths import LinearPath, dome_map, tc_along_path

model = Model.from_preset("A", Numerics.preset("map"))
true = LinearPath(eta0=0.9, eta1=0.01, g0=0.36, g1=0.0, p_ref=150.0)
P = np.linspace(110.0, 190.0, 8)
measured = tc_along_path(model, true, P).Tc
rng = np.random.default_rng(0)
data = measured + rng.normal(0.0, 3.0, P.size)

fit = fit_dome(model, P, data, np.full(P.size, 3.0), fix={"g1": 0.0}, p_ref=150.0)
for name in ("eta0", "eta1", "g0"):
    print(
        f"{name}: fitted {fit.values[name]:.4f} ± {fit.stderr[name]:.4f} "
        f"(true {getattr(true, name):.4f})"
    )
print(f"reduced χ² = {fit.redchi:.2f}")

eta, g = np.linspace(-0.5, 2.0, 26), np.linspace(0.15, 0.48, 12)
eta_path, g_path = fit.path(fit.curve_pressure)
fig = path_figure(
    fit.curve_pressure, fit.curve_Tc, eta_path, g_path, (eta, g, dome_map(model, eta, g)),
    model="A", data=(P, data, np.full(P.size, 3.0)),
)  # fmt: skip
