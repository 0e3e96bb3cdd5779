"""
The explorer's view, in a few fixed states
==========================================

``multigap explore`` redraws the dome as the controls move (see the *Explore in the
browser* page). Here the same logic, :class:`~multigap.explore.state.Explorer`, is driven
from Python through three states of the interband coupling, and each map is drawn with
the package's dome figure: what the app shows, without a server.
"""

import matplotlib.pyplot as plt

from multigap.explore import Explorer
from multigap.plots import dome_figure

explorer = Explorer(model="A")
for g_inter in (0.0, 0.10, 0.20):
    explorer.g_inter = g_inter
    ds = explorer.dataset
    top = float(ds.Tc.max())
    print(f"interband g = {g_inter:.2f}: Tc,max = {top:.0f} K on the live "
          f"{ds.sizes['eta']} × {ds.sizes['g']} grid")  # fmt: skip
    fig = dome_figure(ds.Tc, model=f"A, interband g = {g_inter:.2f}")

# %%
# The readout of one point, as the app shows it after a click.
explorer.point = (1.0, 0.35)
for key in ("Tc_K", "Tc_status", "Delta_t_meV", "ratio_2Delta_t_kTc", "EF_t_over_omega"):
    print(f"{key}: {explorer.readout[key]}")
plt.show()
