"""The closed-form kx susceptibility against the kx quadrature and the universal table.

Run: python benchmarks/exact_kernels.py

Prints, in one run on this machine:

* the time of one linearised χ evaluation on a (39 points × 189 kz nodes) batch, the
  size of one sweep column, by the closed form, the table and the graded quadrature
  ("tight" and "map" kx rules), and the largest deviation of each from the closed form;
* the same for the gapped χ at T = 0 and at T > 0 (closed form against quadrature), and
  for χ, ∂χ/∂Δ and the density change δρ computed together; and for the stiffness's
  Fermi-window weights ∫Y and ∫y²Y (deviations against their natural sizes);
* Tc at 20 points across the domes of both presets ("tight" numerics) with the
  linearised χ in closed form (the default) and by the "tight" kx quadrature, and
  their largest relative difference; the kernel evaluations each Tc took;
* Δ̄_n at fixed density at those of the points with Tc > 1 K, at T = 0 and T = Tc/2, with
  every kx integral in closed form (the default) and every one by the "tight" kx
  quadrature (the engine before the closed forms), and their largest difference.

The machine is shared: read the ratios measured in one run.
"""

import contextlib
import functools

import numpy as np
import timing  # the benchmarks' shared timer, beside this script
from scipy.special import expit

from multigap.free_motion.exact import wire_fermi_weights, wire_susceptibility
from multigap.free_motion.motion import Wires
from multigap.free_motion.table import universal_table
from multigap.free_motion.window import fermi_weights, kx_rule, window_integral
from multigap.solvers.model import Model

#: The median of five calls (these kernels take milliseconds).
timed = functools.partial(timing.timed, repeat=5)
RULES = {"tight kx quadrature": (8, 12), "map kx quadrature": (6, 8)}
DOMES = {
    "A": [(eta, g) for eta in (-0.5, 0.0, 0.5, 1.0, 1.5) for g in (0.2, 0.4)],
    "B": [(eta, g) for eta in (-0.3, 0.2, 0.9, 1.4, 2.0) for g in (0.25, 0.45)],
}


def kernel_batch():
    rng = np.random.default_rng(0)
    e = rng.uniform(-0.3, 0.3, (39, 189))
    T = 10.0 ** rng.uniform(-3.5, -1.5, (39, 1))
    omega = np.full((39, 1), 0.15)
    return e, T, omega


def susceptibility_table_of_routes():
    e, T, omega = kernel_batch()
    om = np.broadcast_to(omega, e.shape)
    print("linearised χ, 39 × 189 (point, kz) values:")
    t_exact, exact = timed(lambda: wire_susceptibility(e, T, omega))
    print(f"  {'closed form':>22}: {t_exact * 1e3:7.2f} ms")
    t, val = timed(lambda: universal_table()(e / T, omega / T) / np.sqrt(T))
    dev = np.nanmax(np.abs(val / exact - 1)[exact > 0])
    print(f"  {'table':>22}: {t * 1e3:7.2f} ms ({t / t_exact:.2f}×), max |rel. dev.| {dev:.1e}")
    for name, (order, levels) in RULES.items():
        t, val = timed(lambda: window_integral(e, T, om, order=order, levels=levels))
        dev = np.nanmax(np.abs(val / exact - 1)[exact > 0])
        print(f"  {name:>22}: {t * 1e3:7.2f} ms ({t / t_exact:.2f}×), max |rel. dev.| {dev:.1e}")
    gap = np.full(e.shape, 0.01)
    for label, temp in (("T = 0", 0.0), ("k_B T = Δ/2", 0.005)):
        print(f"gapped χ (Δ = 10 meV), {label}:")
        t_exact, exact = timed(lambda: wire_susceptibility(e, temp, omega, gap))
        print(f"  {'closed form':>22}: {t_exact * 1e3:7.2f} ms")
        for name, (order, levels) in RULES.items():
            t, val = timed(lambda: window_integral(e, temp, om, gap, order=order, levels=levels))
            dev = np.nanmax(np.abs(val / exact - 1)[exact > 0])
            print(
                f"  {name:>22}: {t * 1e3:7.2f} ms ({t / t_exact:.2f}×), max |rel. dev.| {dev:.1e}"
            )
    gapped_family(e, omega, om, gap)
    fermi_family(e, om, gap)


def fermi_family(e, om, gap):
    """The stiffness's paramagnetic weights: closed form against both kx rules."""
    print("Fermi-window weights ∫Y and ∫y²Y (Δ = 10 meV, k_B T = Δ/2):")
    t_exact, exact = timed(lambda: wire_fermi_weights(e, 0.005, om, gap))
    print(f"  {'closed form':>22}: {t_exact * 1e3:7.2f} ms")
    sizes = (1.0 / np.sqrt(0.005), np.sqrt(0.005) * np.maximum(1.0, np.abs(e) / 0.005))
    for name, (order, levels) in RULES.items():
        t, val = timed(lambda: fermi_weights(e, 0.005, om, gap, order=order, levels=levels))
        dev = [np.max(np.abs(v - x) / s) for v, x, s in zip(val, exact, sizes)]
        print(
            f"  {name:>22}: {t * 1e3:7.2f} ms ({t / t_exact:.2f}×), max dev. of the natural "
            f"sizes {dev[0]:.1e}, {dev[1]:.1e}"
        )


def gapped_family(e, omega, om, gap):
    """χ, ∂χ/∂Δ and δρ together (what one Newton step and the number equation need)."""
    print("gapped χ, ∂χ/∂Δ and δρ together (Δ = 10 meV, k_B T = Δ/2):")
    t_exact, exact = timed(
        lambda: wire_susceptibility(e, 0.005, omega, gap, derivative=True, density=True)
    )
    print(f"  {'closed form':>22}: {t_exact * 1e3:7.2f} ms")
    scale = np.sqrt(np.maximum(om - e, 1e-300))
    for name, (order, levels) in RULES.items():
        t, val = timed(
            lambda: window_integral(
                e, 0.005, om, gap, order=order, levels=levels, derivative=True, density=True
            )
        )
        dev = [np.nanmax(np.abs(v / x - 1)[x != 0]) for v, x in zip(val[:2], exact[:2])]
        dev.append(np.max(np.abs(val[2] - exact[2]) / scale))
        print(
            f"  {name:>22}: {t * 1e3:7.2f} ms ({t / t_exact:.2f}×), max dev. χ {dev[0]:.1e}, "
            f"∂χ/∂Δ {dev[1]:.1e}, δρ {dev[2]:.1e} (of the window's scale)"
        )


def quadrature_occupation(self, offset, T, *, order, levels):
    """The normal density per kz by the graded kx rule (the engine before the closed
    form), for comparison."""
    e = np.asarray(offset, dtype=float)
    if np.ndim(T) == 0 and T == 0.0:
        return 2.0 * self.prefactor * np.sqrt(np.maximum(-e, 0.0))
    T = np.broadcast_to(np.asarray(T, dtype=float), e.shape)
    y, w = kx_rule(e, -np.inf, 50.0 * T, 2.0 * T, order=order, levels=levels)
    occupation = expit(-(y * y + e[..., None]) / T[..., None])
    return 2.0 * self.prefactor * np.sum(w * occupation, axis=-1)


@contextlib.contextmanager
def quadrature_engine():
    """Every kx integral of the wires by the graded kx quadrature, as before the closed
    forms: the linearised χ, the gapped χ, ∂χ/∂Δ, δρ and the normal density."""
    saved = Wires.linear_susceptibility, Wires.closed_form, Wires.normal_density
    Wires.linear_susceptibility = lambda self, e, T, om, *, order, levels: self.susceptibility(
        e, T, om, order=order, levels=levels
    )
    Wires.closed_form, Wires.normal_density = False, quadrature_occupation
    try:
        yield
    finally:
        Wires.linear_susceptibility, Wires.closed_form, Wires.normal_density = saved


def dome_points():
    """(case, model, η, g) for the 20 points across both domes."""
    for name, points in DOMES.items():
        model = Model.from_preset(name)
        for eta, g in points:
            yield name, model, eta, g


def gap_comparison(temperature_fraction=0.5):
    """Δ̄_n at fixed density, T = 0 and T = Tc/2, closed forms against the quadrature."""
    print("\nΔ̄_n at fixed density at the same points, closed forms against the kx quadrature:")
    print(f"{'case':>4} {'eta':>5} {'g':>5} {'max Δ̄ [meV]':>12} {'T = 0':>9} {'T = Tc/2':>9}")
    worst = 0.0
    for name, model, eta, g in dome_points():
        tc = model.critical_temperature(eta, g=g)
        if not tc.Tc > 1.0:
            continue
        diffs = []
        for T in (0.0, temperature_fraction * tc.Tc):
            r = model.gaps(eta, g=g, temperature=T)
            with quadrature_engine():
                q = model.gaps(eta, g=g, temperature=T)
            diffs.append(np.max(np.abs(r.delta_average / q.delta_average - 1)))
        worst = max(worst, *diffs)
        top = 1e3 * np.max(r.delta_average)
        print(f"{name:>4} {eta:5.2f} {g:5.2f} {top:12.4f} {diffs[0]:9.1e} {diffs[1]:9.1e}")
    print(f"largest relative difference: {worst:.1e} (target < 1e-5)")


def tc_comparison():
    print("\nTc at 20 points, closed-form χ against the kx quadrature (tight numerics):")
    print(f"{'case':>4} {'eta':>5} {'g':>5} {'Tc [K]':>11} {'rel. diff':>10} {'evals':>5}")
    worst = 0.0
    for name, model, eta, g in dome_points():
        r = model.critical_temperature(eta, g=g)
        with quadrature_engine():
            q = model.critical_temperature(eta, g=g)
        diff = abs(r.Tc / q.Tc - 1) if q.Tc > 0 else abs(r.Tc - q.Tc)
        worst = max(worst, diff)
        print(f"{name:>4} {eta:5.2f} {g:5.2f} {r.Tc:11.5f} {diff:10.1e} {r.evaluations:5d}")
    print(f"largest relative difference: {worst:.1e} (target < 1e-5)")


if __name__ == "__main__":
    np.seterr(invalid="ignore", divide="ignore")  # empty windows: 0/0 left out of the maxima
    susceptibility_table_of_routes()
    tc_comparison()
    gap_comparison()
