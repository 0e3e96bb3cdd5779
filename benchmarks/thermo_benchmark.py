"""Timing of the finite-temperature solvers against the finite-temperature issue's targets.

Run: python benchmarks/thermo_benchmark.py

Prints, in one run on this machine ("tight" numerics):
* `multigap thermo` for one point with 40 temperatures, in-process and from the CLI
  (interpreter start and the figure included), in both μ modes (target <= 3 s; the
  exact-kernels issue's: <= 1 s);
* the time of a gap point at T = Tc/2 against the same point at T = 0 (target <= 2x);
* ΔC/C_N and the dome-top diagnostics it finds.
"""

import statistics
import subprocess
import time

from multigap.solvers.model import Model
from multigap.solvers.thermodynamics import thermodynamics


def median_time(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    m = Model.from_preset("A")
    m.basis  # noqa: B018 - bands and basis once, outside the timings
    for mode in ("fixed_density", "fixed_mu"):
        t = median_time(lambda: thermodynamics(m, 1.0, 0.4, mu_mode=mode), repeat=2)
        r = thermodynamics(m, 1.0, 0.4, mu_mode=mode)
        t0 = time.perf_counter()
        subprocess.run(
            [
                "multigap",
                "thermo",
                "--model",
                "A",
                "--eta",
                "1",
                "--g",
                "0.4",
                "--mu-mode",
                mode,
                "--json",
            ],
            check=True,
            capture_output=True,
        )
        print(
            f"thermo A, eta=1, g=0.4, 40 temperatures, {mode}: {t:.2f} s in-process, "
            f"{time.perf_counter() - t0:.2f} s from the CLI (target <= 3 s; <= 1 s); "
            f"Tc = {r.Tc:.2f} K, dC/C_N = {r.jump:.3f}"
        )
    for eta, g in ((1.0, 0.4), (0.5, 0.25), (0.0, 0.3)):
        tc = m.critical_temperature(eta, g=g)
        for mode in ("fixed_density", "fixed_mu"):
            cold = median_time(lambda: m.gaps(eta, g=g, tc=tc, mu_mode=mode))
            warm = median_time(
                lambda: m.gaps(eta, g=g, tc=tc, temperature=0.5 * tc.Tc, mu_mode=mode)
            )
            print(
                f"gap point eta={eta}, g={g}, {mode}: T=0 {cold * 1e3:.0f} ms, "
                f"T=Tc/2 {warm * 1e3:.0f} ms, ratio {warm / cold:.2f} (target <= 2)"
            )


if __name__ == "__main__":
    main()
