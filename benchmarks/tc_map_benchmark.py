"""Speed and accuracy of the (η, g) Tc map.

Run: python benchmarks/tc_map_benchmark.py [--workers N] [--sample K]

Prints, in one run on this machine:
* the wall time of the 121 (η ∈ [−1, 2]) × 39 (g ∈ [0.10, 0.48]) map of case A on
  the default executor (a process pool on all cores), from a cold start: the
  universal table, the band setup and every column included;
* its accuracy against the same map with every grid doubled, and against the
  exact per-point solver at K sampled points, over points with Tc >= 1 K;
* the time of a straightforward per-point solve (a fresh model for every point:
  no reuse of bands or grids, no warm starts, the exact kernel) on the sample,
  extrapolated to the 4719 points, and the speed-up ratio.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from multigap.config import Numerics, preset
from multigap.model import Model
from multigap.susceptibility_table import universal_table
from multigap.sweep import SweepSpec, load_sweep, run_sweep
from multigap.tc_map import MapNumerics


def timed_map(spec, where, workers):
    t = time.perf_counter()
    run_sweep(spec, where, workers=workers, progress=False)
    return time.perf_counter() - t, load_sweep(where).Tc.values[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--sample", type=int, default=24)
    args = ap.parse_args()
    sl, pa = preset("A")
    eta, g = (-1.0, 2.0, 121), (0.10, 0.48, 39)
    base = SweepSpec(sl, pa, Numerics(), eta, g, model="A")
    fine = SweepSpec(sl, pa, Numerics(), eta, g, map_numerics=MapNumerics().refined(), model="A")
    tmp = Path(tempfile.mkdtemp())
    try:
        universal_table.cache_clear()
        t_map, tc = timed_map(base, tmp / "base", args.workers)
        t_fine, tc_fine = timed_map(fine, tmp / "fine", args.workers)
    finally:
        shutil.rmtree(tmp)
    print(f"map 121 x 39 (case A), default executor: {t_map:.2f} s wall "
          f"(cold: table, bands and all columns); doubled grids: {t_fine:.2f} s")
    ok = tc_fine >= 1.0
    rel = np.abs(tc[ok] / tc_fine[ok] - 1.0)
    print(f"accuracy vs doubled grids, {ok.sum()} points with Tc >= 1 K: max {rel.max():.2e}, "
          f"99th percentile {np.percentile(rel, 99):.2e}, median {np.median(rel):.2e}")
    i_max = np.unravel_index(np.argmax(np.where(ok, tc, -1)), tc.shape)
    print(f"Tc,max = {tc[i_max]:.2f} K at eta = {np.linspace(*eta)[i_max[0]]:.3f}, "
          f"g = {np.linspace(*g)[i_max[1]]:.3f}")

    rng = np.random.default_rng(1)
    ie = rng.integers(0, eta[2], args.sample)
    ig = rng.integers(0, g[2], args.sample)
    t0 = time.perf_counter()
    exact = []
    for a, b in zip(ie, ig):
        m = Model(sl, pa, Numerics(), "A")          # fresh: no cached bands or grids
        exact.append(m.critical_temperature(float(np.linspace(*eta)[a]), g=float(np.linspace(*g)[b])).Tc)
    t_point = (time.perf_counter() - t0) / args.sample
    exact = np.array(exact)
    sel = exact >= 1.0
    rel_exact = np.abs(tc[ie, ig][sel] / exact[sel] - 1.0)
    print(f"accuracy vs the exact per-point solver at {sel.sum()} sampled points with Tc >= 1 K: "
          f"max {rel_exact.max():.2e}, median {np.median(rel_exact):.2e}")
    full = t_point * eta[2] * g[2]
    print(f"straightforward per-point solve: {t_point * 1e3:.0f} ms/point -> {full:.0f} s for the "
          f"map; speed-up of the map path: {full / t_map:.0f}x")


if __name__ == "__main__":
    main()
