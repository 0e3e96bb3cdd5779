"""
A custom geometry from TOML
===========================

A 4-layer asymmetric stack read from TOML (unit strings allowed; bare energies are meV),
drawn as the heterostructure, and its Tc at the type-II Lifshitz point.
"""

import tempfile
from pathlib import Path

from multigap import Model
from multigap.plots import structure_figure

toml = """
[superlattice]
mass_x = 1.0
[[superlattice.layers]]
width = "0.50 nm"
height = 0
mass = 1.0
[[superlattice.layers]]
width = "0.25 nm"
height = "3.0 eV"
mass = 0.6
[[superlattice.layers]]
width = "0.30 nm"
height = -200
mass = 0.9
[[superlattice.layers]]
width = "0.35 nm"
height = "4 eV"
mass = 0.5
"""
path = Path(tempfile.mkdtemp()) / "stack.toml"
path.write_text(toml)
model = Model.load(path)
print(
    f"ΔE = {model.subbands.tuned_width * 1e3:.1f} meV, "
    f"Tc(η = 1, g = 0.35) = {model.critical_temperature(1.0, g=0.35).Tc:.1f} K"
)
fig = structure_figure(model.subbands)
