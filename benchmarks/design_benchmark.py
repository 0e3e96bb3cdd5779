"""Timing of paths, fits and design against the targets of the paths/fits/design issue.

Run: python benchmarks/design_benchmark.py [--budget 200]

Prints, in one run on this machine ("map" numerics):
* one Tc,max(geometry) evaluation (new geometry: bands, overlap basis, Tc over η,
  refined), median over geometries, on one core (target <= 0.5 s);
* a 2-parameter design (barrier mass and width, case A, g = 0.35) with ~200
  evaluations on the local process pool (target <= 3 min on 2 cores), and its best;
* the 9-point fit of examples/synthetic_dome.csv with g1 fixed (target <= 60 s).
"""

import argparse
import statistics
import time
from pathlib import Path

from multigap.config import Numerics
from multigap.reproduce import design_example_spec
from multigap.solvers.model import Model
from multigap.study.design import evaluate, run_design
from multigap.study.fit import fit_dome, read_dome_csv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=200)
    args = ap.parse_args()
    spec = design_example_spec(args.budget)  # the report's design example
    evaluate(spec, [0.5, 0.55])  # the universal table, once per process
    times = []
    for mb, w in ((0.45, 0.5), (0.6, 0.6), (0.8, 0.7), (0.5096, 0.55)):
        t = time.perf_counter()
        evaluate(spec, [mb, w])
        times.append(time.perf_counter() - t)
    print(
        f"Tc,max evaluation: median {statistics.median(times):.3f} s, max {max(times):.3f} s "
        f"(target <= 0.5 s)"
    )
    t = time.perf_counter()
    r = run_design(spec, executor="processes")
    dt = time.perf_counter() - t
    base = evaluate(spec, [0.5096, 0.55])
    print(
        f"design, 2 parameters, {r['evaluations']} evaluations: {dt:.1f} s on the process pool "
        f"(target <= 180 s); best {r['best']['parameters']} at eta = {r['best']['eta']:.3f}: "
        f"Tc,max = {r['best']['Tc_K']:.1f} K against {base['Tc_max_K']:.1f} K for the preset"
    )
    m = Model.from_preset("A", Numerics.preset("map"))
    P, T, E = read_dome_csv(
        Path(__file__).resolve().parent.parent / "examples" / "synthetic_dome.csv"
    )
    t = time.perf_counter()
    f = fit_dome(m, P, T, E, fix={"g1": 0.0}, p_ref=160.0)
    print(
        f"9-point fit (g1 fixed): {time.perf_counter() - t:.1f} s, {f.nfev} evaluations "
        f"(target <= 60 s)"
    )


if __name__ == "__main__":
    main()
