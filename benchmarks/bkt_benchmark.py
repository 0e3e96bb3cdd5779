"""Speed and accuracy of the phase stiffness and the BKT temperature.

Run: python benchmarks/bkt_benchmark.py [--columns K] [--full] [--workers N]

Prints, in one run on this machine, against the BKT issue's targets (and, after a
semicolon, the exact-kernels issue's):

* one ``Model.bkt`` point in-process (case A, η = 1, g = 0.3, tight numerics), warm (the
  bands and overlap basis built) and cold, against the target of 1 s;
* one ``Model.stiffness`` point (T = 0 and T = 150 K), for scale;
* a 121 × 39 BKT map (case A, map numerics): by default K columns of 39 g are timed and
  the whole map is projected onto 2 workers; ``--full`` runs the whole map through
  ``run_sweep`` on ``--workers`` processes (about ten minutes here);
* T_BKT with the map numerics against the tight ones at 10 points across the dome (the
  target: within 0.5 %).

The machines are shared: read the ratios measured in one run.
"""

import argparse
import tempfile
import time

import numpy as np

from multigap.config import Numerics, preset
from multigap.solvers.grid import bkt_points
from multigap.solvers.model import Model
from multigap.solvers.stiffness import bkt_column
from multigap.study.sweep import SweepSpec, run_sweep

ETA, G = (-1.0, 2.0, 121), (0.10, 0.48, 39)


def point_timings() -> None:
    t = time.perf_counter()
    cold = Model.from_preset("A")
    b = cold.bkt(1.0, g=0.3)
    t_cold = time.perf_counter() - t
    t = time.perf_counter()
    cold.bkt(1.0, g=0.3)
    t_warm = time.perf_counter() - t
    print(
        f"one bkt point (A, η = 1, g = 0.3, tight): T_BKT = {b.T_BKT:.4f} K, "
        f"Tc = {b.Tc:.4f} K; warm {t_warm:.2f} s, cold {t_cold:.2f} s (target <= 1 s)"
    )
    for T in (0.0, 150.0):
        t = time.perf_counter()
        s = cold.stiffness(1.0, g=0.3, temperature=T)
        print(
            f"one stiffness point at T = {T:g} K: J_xx = {1e3 * s.J_xx:.3f} meV, "
            f"J_zz = {1e3 * s.J_zz:.3f} meV, {time.perf_counter() - t:.2f} s"
        )


def map_projection(columns: int) -> None:
    m = Model.from_preset("A", Numerics.preset("map"))
    g = np.linspace(*G)
    G_ = np.array([m.coupling(x) for x in g])
    om = np.array([m.cutoff(x) for x in g])
    etas = np.linspace(*ETA)[np.linspace(0, ETA[2] - 1, columns).astype(int)]
    t = time.perf_counter()
    for e in etas:
        bkt_column(m, m.mu_normal(float(e)), G_, om)
    per_column = (time.perf_counter() - t) / columns
    print(
        f"BKT map column (39 g, map numerics): {per_column:.2f} s a column over "
        f"{columns} columns; projected 121 × 39 map on 2 workers: "
        f"{per_column * ETA[2] / 2 / 60:.1f} min (target <= 3 min; <= 1 min)"
    )


def full_map(workers: int) -> None:
    sl, pa = preset("A")
    spec = SweepSpec(sl, pa, Numerics.preset("map"), ETA, G, bkt=True)
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        run_sweep(spec, f"{d}/s", workers=workers, progress=False)
        print(
            f"full 121 × 39 BKT map on {workers} workers: "
            f"{(time.perf_counter() - t) / 60:.1f} min (target <= 3 min; <= 1 min)"
        )


def map_vs_tight() -> None:
    eta = np.array([0.0, 0.3, 0.6, 0.9, 1.0, 1.2, 1.5, 1.8, 0.8, 1.1])
    g = np.array([0.25, 0.3, 0.35, 0.4, 0.3, 0.35, 0.4, 0.3, 0.45, 0.2])
    tight = bkt_points(Model.from_preset("A"), eta, g).T_BKT
    fast = bkt_points(Model.from_preset("A", Numerics.preset("map")), eta, g).T_BKT
    dev = np.abs(fast / tight - 1)
    print(
        f"T_BKT, map against tight numerics at 10 points: largest relative deviation "
        f"{dev.max():.2e} (target <= 5e-3); T_BKT tight = {np.round(tight, 2).tolist()} K"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--columns", type=int, default=4, help="columns timed for the projection")
    p.add_argument("--full", action="store_true", help="run the whole 121 × 39 map")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    point_timings()
    map_projection(args.columns)
    if args.full:
        full_map(args.workers)
    map_vs_tight()


if __name__ == "__main__":
    main()
