"""
A resumable sweep, read back with xarray
========================================

A small sweep into a store, run twice (the second run finds every column and computes
none), then loaded as an ``xarray.Dataset``.
"""

import tempfile
from pathlib import Path

from multigap.config import Numerics, preset
from multigap.study.sweep import SweepSpec, load_sweep, run_sweep

sl, pa = preset("A")
spec = SweepSpec(sl, pa, Numerics.preset("map"), eta=(0.0, 1.5, 7), g=(0.25, 0.45, 5))
store = Path(tempfile.mkdtemp()) / "dome"
print(run_sweep(spec, store, executor="serial", progress=False))
print(run_sweep(spec, store, executor="serial", progress=False))
ds = load_sweep(store)
print(ds.Tc.max("eta").to_series())
fig = ds.Tc.plot(x="eta", y="g").figure
