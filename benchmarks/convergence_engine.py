"""Convergence of the superlattice engine: Ĩ and the DOS against their grid sizes.

Run: python benchmarks/convergence_engine.py
Prints, for both presets, E_L and ΔE, and tables of the relative change of
(i) Ĩ^{nn'} zone averages and a diagonal element against the z rule n_z and the
kz rule n_kz, and (ii) the DOS at several η against the graded-panel settings,
each against the finest setting.
"""

import time

import numpy as np

from multigap.config import Numerics, preset
from multigap.normal_state import chemical_potential, partial_dos
from multigap.superlattice.kronig_penney import solve_subbands
from multigap.superlattice.overlap import (
    bloch_table,
    overlap_summary,
    pair_overlap,
    uniform_kz_rule,
)


def overlap_stats(sl, num, n_kz):
    sb = solve_subbands(sl, num)
    kz, w = uniform_kz_rule(sb, n_kz)
    I = pair_overlap(bloch_table(sb, kz, w))
    s = overlap_summary(I, np.broadcast_to(w, (3, n_kz)))
    k = bloch_table(sb, [0.7 * sb.kz_max], [1.0])
    diag = pair_overlap(k)[2, 0, 2, 0]
    return np.array([s["mean"][2, 2], s["mean"][1, 2], s["mean"][0, 2], diag])


def main():
    for model in ("A", "B"):
        sl = preset(model)[0]
        sb = solve_subbands(sl)
        print(
            f"\n=== case {model}: E_L = {sb.lifshitz_energy * 1e3:.4f} meV, "
            f"ΔE = {sb.tuned_width * 1e3:.4f} meV"
        )
        for n, (lo, hi) in enumerate(sb.edges, 1):
            print(
                f"  subband {n}: {lo * 1e3:10.4f} – {hi * 1e3:10.4f} meV "
                f"(width {1e3 * (hi - lo):8.4f} meV)"
            )
        scan_ref = solve_subbands(sl, Numerics(n_energy_scan=64000))
        print(
            f"  band edges, n_energy_scan 4000 vs 64000: max |Δ| = "
            f"{np.abs(sb.edges - scan_ref.edges).max():.2e} eV"
        )

        print(
            "\n  Ĩ against the z rule (n_kz = 64); columns: <Ĩ33>, <Ĩ23>, <Ĩ13>, Ĩ33(k,k) at 0.7π/d"
        )
        ref = overlap_stats(sl, Numerics(n_z=192), 64)
        print(f"  {'n_z':>6} " + " ".join(f"{'rel.err':>10}" for _ in ref))
        for nz in (6, 12, 24, 48, 96):
            err = np.abs(overlap_stats(sl, Numerics(n_z=nz), 64) / ref - 1)
            print(f"  {nz:6d} " + " ".join(f"{e:10.2e}" for e in err))
        print("  values at n_z = 192: " + ", ".join(f"{v:.8f}" for v in ref))

        print("\n  zone averages against the kz rule (n_z = 48)")
        ref = overlap_stats(sl, Numerics(), 256)
        for nk in (8, 16, 32, 64, 128):
            err = np.abs(overlap_stats(sl, Numerics(), nk)[:3] / ref[:3] - 1)
            print(f"  n_kz = {nk:4d}: " + " ".join(f"{e:10.2e}" for e in err))

        etas = np.array([-0.5, 0.01, 0.5, 0.99, 1.01, 1.5])
        mu = chemical_potential(sb, etas)
        fine = solve_subbands(sl, Numerics(dos_levels=40, dos_order=16))
        ref = partial_dos(fine, mu).sum(axis=0)
        print("\n  total DOS against the graded panels; η = " + ", ".join(f"{e:g}" for e in etas))
        print(
            "  reference (levels 40, order 16) [1/(meV nm²)]: "
            + " ".join(f"{v * 1e-3:.6e}" for v in ref)
        )
        for levels, order in ((10, 4), (10, 8), (20, 8), (30, 8), (20, 12)):
            t = time.perf_counter()
            val = partial_dos(
                solve_subbands(sl, Numerics(dos_levels=levels, dos_order=order)), mu
            ).sum(axis=0)
            dt = time.perf_counter() - t
            err = np.abs(val / ref - 1)
            print(
                f"  levels {levels:3d}, order {order:3d}: max rel.err {err.max():.2e} "
                f"(per η: " + " ".join(f"{e:.1e}" for e in err) + f"), {dt * 1e3:.0f} ms"
            )


if __name__ == "__main__":
    main()
