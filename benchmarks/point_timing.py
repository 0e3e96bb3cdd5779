"""Time per Tc and per T=0 gap point ("tight" numerics), and their accuracy against doubled grids.

Run: python benchmarks/point_timing.py
Prints wall times (median of repeats, one run) and ratios; the machine is shared,
so read the ratios rather than the absolute figures. Last, ``multigap tc --model A
--eta 1 --g 0.4`` from the command line (the exact-kernels issue's target: 0.5 s), beside
the interpreter with the CLI's imports alone, the floor under any command.
"""

import statistics
import subprocess
import sys
import time

from timing import timed  # the benchmarks' shared timer, beside this script

from multigap.solvers.model import Model

POINTS = [("A", 1.0, 0.4), ("A", 0.5, 0.25), ("A", 0.0, 0.3), ("B", 0.8, 1 / 3), ("B", 1.5, 0.4)]


def main():
    t0 = time.perf_counter()
    models = {k: Model.from_preset(k) for k in "AB"}
    for m in models.values():
        m.basis  # noqa: B018 - bands and overlap basis once per geometry, outside the timings
    setup = time.perf_counter() - t0
    print(f"band setup for both presets: {setup * 1e3:.0f} ms")
    print(
        f"{'case':>4} {'eta':>5} {'g':>6} {'Tc [K]':>10} {'t_Tc cold':>10} {'t_Tc':>8} "
        f"{'evals':>5} {'nodes':>5} {'t_gap':>8} {'Newton':>6} {'dTc(2x)':>9} {'dD3(2x)':>9}"
    )
    tc_times, gap_times = [], []
    for name, eta, g in POINTS:
        m = models[name]
        cold, _ = timed(lambda: m.critical_temperature(eta, g=g), repeat=1)
        warm, r = timed(lambda: m.critical_temperature(eta, g=g))
        tg, gr = timed(lambda: m.zero_temperature_gaps(eta, g=g, tc=r))
        fine = m.with_numerics(m.numerics.refined())
        rf = fine.critical_temperature(eta, g=g)
        gf = fine.zero_temperature_gaps(eta, g=g, tc=rf)
        dtc = abs(r.Tc / rf.Tc - 1)
        dd = abs(gr.delta_average[2] / gf.delta_average[2] - 1)
        tc_times.append(cold)
        gap_times.append(tg)
        print(
            f"{name:>4} {eta:5.2f} {g:6.3f} {r.Tc:10.4f} {cold * 1e3:8.0f}ms {warm * 1e3:6.0f}ms "
            f"{r.evaluations:5d} {r.kernel.nodes:5d} {tg * 1e3:6.0f}ms {gr.iterations:6d} "
            f"{dtc:9.1e} {dd:9.1e}"
        )
    print(
        "median time per Tc (first call at the point): "
        f"{statistics.median(tc_times) * 1e3:.0f} ms; "
        f"per T=0 gap point (Tc given): {statistics.median(gap_times) * 1e3:.0f} ms; "
        f"ratio gap/Tc = {statistics.median(gap_times) / statistics.median(tc_times):.2f}"
    )


def command_line(repeat: int = 5) -> None:
    """Median wall time of one `multigap tc` and of the CLI's imports alone."""

    def median_run(args):
        return timed(lambda: subprocess.run(args, check=True, capture_output=True), repeat)[0]

    tc = median_run(["multigap", "tc", "--model", "A", "--eta", "1", "--g", "0.4"])
    imports = median_run([sys.executable, "-c", "import multigap.cli.main, multigap.solvers.model"])
    print(
        f"multigap tc --model A --eta 1 --g 0.4: {tc:.2f} s (target <= 0.5 s); "
        f"the interpreter and the imports alone: {imports:.2f} s"
    )


if __name__ == "__main__":
    main()
    command_line()
