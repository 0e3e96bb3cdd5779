"""Speed and accuracy of (η, g) maps: Tc, gaps and the isotope coefficient.

Run: python benchmarks/map_benchmark.py [--workers N] [--sample K] [--skip-gaps]

Prints, in one run on this machine, against the targets of the engine issue and, after
the semicolon, of the exact-kernels issue:

* the 121 (η ∈ [−1, 2]) × 39 (g ∈ [0.10, 0.48]) Tc map of case A, in-process from
  a cold start (universal table, bands, overlap basis and every column), and
  from the CLI (``multigap sweep``, interpreter start included);
* its largest relative deviation from the same map with every grid of the
  "map" numerics doubled (points with Tc >= 1 K);
* the same grid with ``--gaps`` (T = 0, fixed density) and with ``--isotope``,
  their wall times and their ratios to the Tc map;
* Δ̄_n of the gap map against the "tight" numerics at K sampled points.

The machines are shared: read the ratios measured in one run.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from multigap.config import Numerics, preset
from multigap.solvers.model import Model
from multigap.study.sweep import SweepSpec, load_sweep, run_sweep

ETA, G = (-1.0, 2.0, 121), (0.10, 0.48, 39)


def timed_sweep(spec, where, workers):
    t = time.perf_counter()
    run_sweep(spec, where, workers=workers, progress=False)
    return time.perf_counter() - t, load_sweep(where)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--sample", type=int, default=12)
    ap.add_argument("--skip-gaps", action="store_true")
    args = ap.parse_args()
    sl, pa = preset("A")
    mapn = Numerics.preset("map")
    spec = SweepSpec(sl, pa, mapn, ETA, G, model="A")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_map, ds = timed_sweep(spec, tmp / "map", args.workers)
        t0 = time.perf_counter()
        subprocess.run(
            [
                "multigap",
                "sweep",
                "--model",
                "A",
                "--eta",
                *map(str, ETA),
                "--g",
                *map(str, G),
                "--out",
                str(tmp / "cli"),
                "--quiet",
            ],
            check=True,
            capture_output=True,
        )
        t_cli = time.perf_counter() - t0
        _, fine = timed_sweep(
            SweepSpec(sl, pa, mapn.refined(), ETA, G, model="A"), tmp / "fine", args.workers
        )
        tc, tf = ds.Tc.values, fine.Tc.values
        sel = (tf >= 1.0) & np.isfinite(tc)
        dev = np.abs(tc[sel] / tf[sel] - 1.0)
        print(
            f"Tc map 121x39, case A: {t_map:.2f} s in-process (target <= 1.5 s; <= 0.5 s), "
            f"{t_cli:.2f} s from the CLI (target <= 3 s; <= 1.2 s)"
        )
        print(
            f"  vs every grid doubled, {sel.sum()} points with Tc >= 1 K: max {dev.max():.2e} "
            f"(target <= 1e-3), 99th percentile {np.percentile(dev, 99):.2e}, "
            f"median {np.median(dev):.1e}"
        )
        t_iso, iso = timed_sweep(
            SweepSpec(sl, pa, mapn, ETA, G, isotope=True, model="A"), tmp / "iso", args.workers
        )
        print(
            f"isotope map: {t_iso:.2f} s = {t_iso / t_map:.2f} x the Tc map (target <= 4x); "
            f"alpha in [{np.nanmin(iso.alpha):.3f}, {np.nanmax(iso.alpha):.3f}]"
        )
        if args.skip_gaps:
            return
        t_gap, gaps = timed_sweep(
            SweepSpec(sl, pa, mapn, ETA, G, gaps=True, model="A"), tmp / "gaps", args.workers
        )
        from multigap.solvers.solve import CODE

        ok = gaps.gap_status.values == CODE["ok"]
        has_tc = np.isin(gaps.status.values, (0, 3))
        counts = {k: int(np.sum(gaps.gap_status.values == CODE[k])) for k in ("normal", "failed")}
        print(
            f"gap map: {t_gap:.1f} s (target <= 60 s; <= 10 s), {t_gap / t_map:.1f} x the Tc map, "
            f"{ok.sum()} points solved of {has_tc.sum()} with Tc > T_min, {counts['normal']} "
            f"normal, {counts['failed']} failed; tuned-band gaps with the sign of the deep "
            f"ones flipped: {int(np.sum(gaps.Delta_sign.values[..., 0] < 0))}"
        )
        rng = np.random.default_rng(1)
        idx = np.argwhere(ok & (gaps.Tc.values > 5.0))
        pick = idx[rng.choice(len(idx), size=min(args.sample, len(idx)), replace=False)]
        tight = Model.from_preset("A")
        worst = 0.0
        for ie, ig in pick:
            eta, g = float(gaps.eta[ie]), float(gaps.g[ig])
            r = tight.gaps(eta, g=g)
            d_map = gaps.Delta.values[ie, ig] * 1e-3
            err = np.max(np.abs(d_map / r.delta_average - 1.0))
            worst = max(worst, err)
            print(
                f"  eta={eta:6.3f} g={g:.3f}: tight Δ̄ = {np.round(r.delta_average * 1e3, 4)} meV,"
                f" map/tight - 1 = {err:.1e}"
            )
        print(f"  worst Δ̄_n map vs tight over {len(pick)} points: {worst:.2e} (target <= 3e-3)")


if __name__ == "__main__":
    sys.exit(main())
