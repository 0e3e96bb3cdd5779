"""
Getting started
===============

From installation to your own heterostructure in five steps. Every Python cell on this
page is executed when the documentation is built, so what you read is what the code
gives.

**Install** (Python 3.11 or newer, pip, nothing else):

.. code-block:: console

   $ pip install -e .            # from a clone of the repository
   $ pip install -e '.[dask]'    # optional: sweeps on a Dask cluster

**The paper in one command.** This regenerates the paper's Figs. 3–11 (PNG and PDF), the
NetCDF data behind each, and ``results/report.md`` / ``report.html``, which sets every
claim of the paper beside ours, with a verdict and the reason wherever we differ
(about 4 minutes on 2 cores; ``--quick`` takes about one):

.. code-block:: console

   $ multigap reproduce --out results

**From the command line**, one point and one dome:

.. code-block:: console

   $ multigap tc --model A --eta 1 --g 0.4          # Tc at the top of the dome
   $ multigap gaps --model A --eta 1 --g 0.4        # the gaps at T = 0, fixed density
   $ multigap sweep --model A --eta -1 2 61 --g 0.1 0.48 20 --out domeA
   $ multigap plot domeA domeA.png

The rest of this page does the same from Python.
"""

# %%
# 1. One point
# ------------
# A :class:`~multigap.Model` holds a geometry, the pairing and the numerics. The two
# presets are the paper's cases A and B. η is the Lifshitz parameter (the chemical
# potential measured from the bottom of the tuned band, in units of its width ΔE) and
# g the coupling of the tuned band. Inside the library energies are in eV; results
# written out (tables, datasets) give meV.
import numpy as np
import xarray as xr

from multigap import Model
from multigap.config import Numerics
from multigap.plots import dome_figure

model = Model.from_preset("A")
tc = model.critical_temperature(1.0, g=0.4)
print(f"Tc = {tc.Tc:.2f} K ({tc.status}, μ mode {tc.mu_mode}), ω̃ = {tc.omega * 1e3:.1f} meV")

# %%
# 2. The gaps
# -----------
# The gaps at T = 0 solve the gap equation together with the number equation at the
# normal-state density (the "fixed_density" μ mode). Each band has its own gap; the
# result holds their Fermi-surface averages (eV) and the Tc of the same μ mode.
gaps = model.gaps(1.0, g=0.4)
print(f"Tc of the fixed-density mode: {gaps.Tc_of_mode:.2f} K")
kT = 8.617333e-5 * gaps.Tc_of_mode  # k_B Tc in eV
for n, d in enumerate(gaps.delta_average, start=1):
    print(f"band {n}: Δ = {d * 1e3:6.2f} meV, 2Δ/k_B Tc = {2 * abs(d) / kT:.2f}")

# %%
# 3. A dome
# ---------
# ``tc_grid`` solves one batch per η column; the "map" numerics are the converged
# settings for maps. Every point carries a status: a number outside the model's
# validity is flagged, never silently given.
fast = Model.from_preset("A", Numerics.preset("map"))
eta, g = np.linspace(-0.5, 2.0, 26), np.linspace(0.15, 0.48, 12)
table = fast.tc_grid(eta, g)
dome = xr.DataArray(table.Tc, coords={"eta": eta, "g": g}, dims=("eta", "g"))
print(f"largest Tc on the grid: {np.nanmax(table.Tc):.1f} K; statuses: {table.message}")
fig = dome_figure(dome, model="A")

# %%
# 4. Your own geometry
# --------------------
# A superlattice is a repeated stack of layers (width in nm, potential height in eV,
# effective mass in m_e, in the Python API; TOML files and the command line also take
# unit strings such as "4.16 eV"). Here the spacer of case A is made thinner, 0.45 nm
# instead of 0.55 nm: the subbands broaden and the tuned band's width ΔE grows.
thin = model.superlattice.replace(barrier_width=0.45)
mine = Model(thin, model.pairing)
print(
    f"ΔE = {mine.subbands.tuned_width * 1e3:.0f} meV "
    f"(case A: {model.subbands.tuned_width * 1e3:.0f} meV)"
)
print(f"Tc(η = 1, g = 0.4) = {mine.critical_temperature(1.0, g=0.4).Tc:.1f} K")

# %%
# Where next
# ----------
# The examples that follow show the subbands and the DOS, the overlap integrals, the
# gaps, the phase stiffness and T_BKT, sweeps with their stores, and pressure paths,
# fits and design. The conventions page states every choice the paper leaves open, and
# the API reference documents every class and function with its units.
