"""The closed-form kx susceptibility of the wires against independent integration.

Reference: scipy's adaptive quadrature (QUADPACK) on pieces of the window that end at
the Fermi crossing and at ξ = ±w·10^k (w = max(k_B T, Δ)), so that every piece is
smooth on its own scale.
"""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import expit

from multigap.free_motion.exact import (
    CUT,
    LAYER,
    LAYER_POLES,
    MAP_GAPPED,
    POLES,
    ozaki_poles,
    wire_density,
    wire_fermi_weights,
    wire_susceptibility,
)
from multigap.free_motion.table import universal_table
from multigap.free_motion.window import window_integral


def _kernel(T, gap):
    def f(xi):
        E = np.hypot(xi, gap)
        return (np.tanh(E / (2 * T)) if T > 0 else 1.0) / (2 * E)

    return f


def _slope(T, gap):
    """∂/∂Δ [tanh(E/2T)/(2E)] = (Δ/E²)[sech²(E/2T)/(4T) − tanh(E/2T)/(2E)]."""

    def f(xi):
        E = np.hypot(xi, gap)
        if T == 0:
            return -gap / (2 * E**3)
        th = np.tanh(E / (2 * T))
        return (gap / E**2) * ((1 - th * th) / (4 * T) - th / (2 * E))

    return f


def _density(T, gap):
    """tanh(ξ/2T) − (ξ/E) tanh(E/2T): the pairing change of the occupation."""

    def f(xi):
        E = np.hypot(xi, gap)
        if T == 0:
            return np.sign(xi) - xi / E
        return np.tanh(xi / (2 * T)) - (xi / E) * np.tanh(E / (2 * T))

    return f


def quadrature_reference(e, T, omega, gap, kernel=_kernel):
    """∫ dy over the window, as ∫ dξ/(2 sqrt(ξ − e)) in ξ (no cancellation in ξ = y² + e
    near the crossing); the piece at the band bottom takes the square root as QUADPACK's
    algebraic weight."""
    lo, hi = max(-omega, e), omega
    if hi <= lo:
        return 0.0
    w = max(T, gap)
    xis = [0.0] + [s * w * 10.0**k for k in range(-1, 7) for s in (-1, 1)]
    nodes = [lo, *sorted(x for x in set(xis) if lo < x < hi), hi]
    f = kernel(T, gap)
    total = 0.0
    for a, b in zip(nodes, nodes[1:]):
        if a == e:  # ∫_e^b f(ξ)/(2 sqrt(ξ − e)) dξ: the weight (ξ − a)^(−1/2)
            val = quad(lambda x: 0.5 * f(x), a, b, weight="alg", wvar=(-0.5, 0.0))[0]
        else:
            val = quad(
                lambda x: f(x) / (2 * np.sqrt(x - e)), a, b, epsabs=0.0, epsrel=1e-13, limit=400
            )[0]
        total += val
    return total


def random_cases(n, seed=7):
    """(e, T, ω̃, Δ) across the window edges, Δ → 0, T → 0 and ω̃/T up to 1e5."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        omega = 10.0 ** rng.uniform(-2, 0)
        T = 0.0 if i % 10 == 0 else omega * 10.0 ** rng.uniform(-5, 0.5)
        gap = 0.0 if (i % 7 == 0 and T > 0) else omega * 10.0 ** rng.uniform(-9, 0)
        where = rng.choice(
            [rng.uniform(-3, 1.2), 1.0, -1.0, rng.uniform(-1.01, -0.99), rng.uniform(0.99, 1.01)]
        )
        yield omega * where, T, omega, gap


def test_closed_form_equals_adaptive_quadrature_at_200_random_points():
    worst = 0.0
    for e, T, omega, gap in random_cases(200):
        ref = quadrature_reference(e, T, omega, gap)
        got = float(wire_susceptibility(e, T, omega, gap))
        if ref == 0.0:  # e >= ω̃: the window holds no states
            assert got == 0.0
            continue
        worst = max(worst, abs(got - ref) / abs(ref))
    assert worst < 1e-12


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_the_gap_derivative_equals_adaptive_quadrature_at_200_random_points():
    """∂χ/∂Δ (the gap equation's Jacobian term) in closed form, Carlson's R_D and the
    poles' derivative, against quadrature of the differentiated integrand."""
    worst = 0.0
    for e, T, omega, gap in random_cases(200, seed=11):
        if gap == 0.0:
            continue
        ref = quadrature_reference(e, T, omega, gap, kernel=_slope)
        chi, got = wire_susceptibility(e, T, omega, gap, derivative=True)
        assert float(chi) == float(wire_susceptibility(e, T, omega, gap))
        if ref == 0.0:
            assert float(got) == 0.0
            continue
        worst = max(worst, abs(float(got) - ref) / abs(ref))
    # the reference's own limit: at e = −ω̃ with Δ = 2e-7 ω̃ it is 1e-10 off, where
    # 30-digit quadrature (mpmath, checked once) agrees with the closed form to 8e-16
    assert worst < 3e-10


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_the_density_change_equals_adaptive_quadrature_at_200_random_points():
    """δρ of the number equation in closed form (poles, R_D for ∫ξ/E), against quadrature.
    It is a difference that vanishes as Δ → 0, so the error is measured against the
    window's own size sqrt(ω̃ − e) (the scale of the density it corrects)."""
    worst = 0.0
    for e, T, omega, gap in random_cases(200, seed=13):
        if gap == 0.0 or omega <= e:
            continue
        ref = quadrature_reference(e, T, omega, gap, kernel=_density)
        chi, drho = wire_susceptibility(e, T, omega, gap, density=True)
        worst = max(worst, abs(float(drho) - ref) / np.sqrt(omega - e))
    assert worst < 1e-13


def occupation_reference(e, T):
    """∫_0^∞ dy f(y² + e) as ∫ dξ f(ξ)/(2 sqrt(ξ − e)), in pieces that end at ξ = 0 and
    ±5T, ±40T (the piece at the band bottom with QUADPACK's algebraic weight)."""
    f = lambda xi: expit(-xi / T)  # noqa: E731
    nodes = [e] + sorted(b for b in (-40 * T, -5 * T, 0.0, 5 * T, 40 * T) if b > e) + [np.inf]
    total = 0.0
    for a, b in zip(nodes, nodes[1:]):
        if a == e and np.isfinite(b):
            total += quad(f, a, b, weight="alg", wvar=(-0.5, 0.0), epsrel=2e-14)[0]
        else:
            g = lambda x: f(x) / np.sqrt(x - e)  # noqa: E731
            total += quad(g, a, b, epsabs=0.0, epsrel=2e-14, limit=400)[0]
    return 0.5 * total


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_the_normal_occupation_equals_adaptive_quadrature_at_200_random_points():
    """∫dy f(y² + e) in closed form (poles in the thermal layer, erfcx beyond) against
    quadrature, for e/T from −1e4 to 1e4 and T from 1e-8 to 0.1 eV. Exponentially small
    occupations far above μ are met to an absolute error, so the error is measured
    against the thermal scale sqrt(T); and at T → 0 it is the Fermi wavevector sqrt(−e).
    """
    rng = np.random.default_rng(5)
    worst = 0.0
    for _ in range(200):
        T = 10.0 ** rng.uniform(-8, -1)
        e = float(np.clip(rng.choice([-1.0, 1.0]) * T * 10.0 ** rng.uniform(-4, 4), -4, 4))
        got = float(np.squeeze(wire_density(e, T)))
        worst = max(worst, abs(got - occupation_reference(e, T)) / np.sqrt(T))
    assert worst < 1e-13
    e = -np.array([1e-3, 0.1, 3.0])
    assert np.allclose(wire_density(e, 1e-12), np.sqrt(-e), rtol=1e-12)


def fermi_reference(e, T, omega, gap, power):
    """∫_0^∞ dy y^power Y, Y = f(1 − f)/T at E = sqrt(ξ² + Δ²) inside the window, |ξ|
    outside it, as ∫ dξ Y (ξ − e)^((power − 1)/2)/2 in pieces that end at the window's
    edges (where Y jumps), at ξ = 0 and ±T·10^k, out to 40 k_BT beyond the window (the
    piece at the band bottom in y)."""

    def Y(xi):
        E = np.hypot(xi, gap) if abs(xi) < omega else abs(xi)
        return expit(E / T) * expit(-E / T) / T

    top = omega + 40 * T
    if e >= top:  # the band starts beyond the Fermi window
        return 0.0
    cuts = [0.0, -omega, omega] + [s * T * 10.0**k for k in range(-1, 3) for s in (-1, 1)]
    nodes = [max(e, -top), *sorted(x for x in set(cuts) if max(e, -top) < x < top), top]
    total = 0.0
    for a, b in zip(nodes, nodes[1:]):
        if a == e:  # the band bottom: in y, where the integrand is smooth
            g = lambda y: Y(y * y + e) * y**power  # noqa: E731
            total += quad(g, 0.0, np.sqrt(b - e), epsabs=0.0, epsrel=1e-13, limit=400)[0]
        else:
            g = lambda x: 0.5 * Y(x) * (x - e) ** ((power - 1) / 2)  # noqa: E731
            total += quad(g, a, b, epsabs=0.0, epsrel=1e-13, limit=400)[0]
    return total


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_the_fermi_weights_equal_adaptive_quadrature_at_200_random_points():
    """∫Y dy and ∫y²Y dy (the stiffness's paramagnetic weights) in closed form against
    quadrature. The pole form is exact in absolute terms (it cannot resolve a weight that
    is exponentially small relative to itself), so the error is measured against the
    weights' natural sizes: 1/sqrt(k_BT) and sqrt(k_BT)·max(1, |e|/k_BT)."""
    worst = 0.0
    for e, T, omega, gap in random_cases(200, seed=17):
        if T == 0.0:
            continue
        w0, w1 = (float(v) for v in wire_fermi_weights(e, T, omega, gap))
        scale = 1.0 / np.sqrt(T)
        worst = max(worst, abs(w0 - fermi_reference(e, T, omega, gap, 0)) / scale)
        scale1 = scale * max(T, abs(e))
        worst = max(worst, abs(w1 - fermi_reference(e, T, omega, gap, 2)) / scale1)
    assert worst < 1e-13  # measured 5e-15


@pytest.mark.parametrize("cut, poles, needed", [(CUT, POLES, 14), (LAYER, LAYER_POLES, 8)])
def test_ozaki_poles_give_tanh_to_rounding_below_the_cut(cut, poles, needed):
    """The pole counts in use reach rounding on their ranges (the 36 k_BT cut of χ keeps
    two spare poles; the 12 k_BT layer of the occupation none), and fewer would not."""
    z, residue = ozaki_poles(poles)
    x = np.linspace(1e-6, cut, 20001)
    series = np.sum(4.0 * residue / (x[:, None] ** 2 + z**2), axis=-1)  # tanh(x/2)/x
    assert np.max(np.abs(series / (np.tanh(x / 2) / x) - 1.0)) < 1e-14
    assert 1.0 - np.tanh(CUT / 2) < 1e-15  # beyond the cut tanh is 1 to rounding
    z, residue = ozaki_poles(needed - 2)  # two poles fewer than needed would not do
    series = np.sum(4.0 * residue / (x[:, None] ** 2 + z**2), axis=-1)
    assert np.max(np.abs(series / (np.tanh(x / 2) / x) - 1.0)) > 1e-13


def test_the_matsubara_limit_of_one_pole():
    """The first Ozaki pole is the first Matsubara frequency π with residue 1."""
    z, residue = ozaki_poles()
    assert z[0] == pytest.approx(np.pi, rel=1e-12) and residue[0] == pytest.approx(1.0, rel=1e-10)


def test_bcs_limit_of_a_deep_band():
    """Deep below μ (e ≪ −ω̃) the window is a thin shell about the crossing, where the
    measure dy = dξ/(2 sqrt(ξ − e)) is nearly constant: χ → (1/2sqrt(−e)) ∫_{−ω̃}^{ω̃}
    tanh(ξ/2T)/(2ξ) dξ, whose weak-coupling value is ln(2e^γ ω̃/(πT)) for T ≪ ω̃."""
    e, T, omega = -1e4, 1e-4, 1.0
    expected = np.log(2 * np.exp(np.euler_gamma) * omega / (np.pi * T)) / (2 * np.sqrt(-e))
    assert float(wire_susceptibility(e, T, omega)) == pytest.approx(expected, rel=2e-5)


def test_the_table_and_the_quadrature_agree_with_the_closed_form():
    """The tabulated linearised χ (maps) and the graded kx quadrature (gapped kernels),
    at their default rules, against the exact value."""
    rng = np.random.default_rng(3)
    T = 10.0 ** rng.uniform(-4, -1.5, 400)
    omega = np.full(400, 0.15)
    e = rng.uniform(-0.4, 0.3, 400)
    e = rng.uniform(-0.4, 0.14, 400)  # windows that hold states (e < ω̃)
    exact = wire_susceptibility(e, T, omega)
    table = universal_table()(e / T, omega / T) / np.sqrt(T)
    assert np.max(np.abs(table / exact - 1.0)) < 2e-5
    gap = omega * 10.0 ** rng.uniform(-4, -1, 400)
    for rule, tol in (((8, 12), 1e-8), ((6, 8), 1e-5)):
        q = window_integral(e, T, omega, gap, order=rule[0], levels=rule[1])
        assert np.max(np.abs(q / wire_susceptibility(e, T, omega, gap) - 1.0)) < tol


def test_every_output_records_how_its_kx_integrals_were_done():
    from dataclasses import replace

    from multigap.config import Numerics, preset
    from multigap.free_motion.exact import POLES
    from multigap.output.provenance import parameters

    sl, pa = preset("A")
    tight = parameters(sl, pa, Numerics())["kx_integrals"]
    assert tight["linearised"] == tight["gapped"] == "closed form"
    assert tight["ozaki_poles"] == POLES
    assert tight["tanh_cut_kT"] == CUT
    assert tight["fermi_weights"] == "closed form"
    assert tight["heat_moments"] == "graded quadrature"
    maps = parameters(sl, pa, Numerics.preset("map"))["kx_integrals"]
    assert maps["linearised"] == "universal table"
    assert maps["gapped"] == maps["density_change"] == MAP_GAPPED
    wells = parameters(replace(sl, structure="wells"), pa, Numerics())["kx_integrals"]
    assert "ozaki_poles" not in wells
    assert wells["fermi_weights"] == wells["heat_moments"] == "graded quadrature"


def test_single_point_gaps_use_the_closed_form_and_agree_with_the_quadrature(monkeypatch):
    """The gap equation of the tight numerics runs on the closed-form χ and ∂χ/∂Δ; the
    same solve on the kx quadrature (the route of free motions without closed forms, and
    of the maps at T = 0), on the same grids, agrees to 1e-8."""
    from multigap import Model
    from multigap.free_motion.motion import Wires

    exact = Model.from_preset("A").gaps(1.0, g=0.4, temperature=150.0)
    monkeypatch.setattr(Wires, "closed_form", False)
    rule = Model.from_preset("A").gaps(1.0, g=0.4, temperature=150.0)
    np.testing.assert_allclose(exact.delta_magnitude, rule.delta_magnitude, rtol=1e-8)
    assert np.max(np.abs(exact.delta_magnitude / rule.delta_magnitude - 1)) > 0


@pytest.mark.parametrize("kelvin", [0.0, 120.0])
def test_maps_solve_gaps_in_closed_form_at_a_temperature_and_on_the_quadrature_at_zero(kelvin):
    """The maps' gapped χ, ∂χ/∂Δ and δρ: at T > 0 the closed form (cheaper there than the
    quadrature's hyperbolic functions), at T = 0 the kx quadrature (cheaper there on the
    maps' coarse rule), each exactly as the free motion gives it."""
    from multigap import Model
    from multigap.config import Numerics
    from multigap.units import thermal_energy

    m = Model.from_preset("A", Numerics.preset("map"))
    kernel = m.kernel(m.mu_normal(1.0), m.cutoff(0.4), m.coupling(0.4)[None], kelvin)
    gap = [np.full(e.shape, 0.02) for e in kernel.offset]
    got = kernel.susceptibility(thermal_energy(kelvin), gap, derivative=True, density=True)
    for b, e in enumerate(kernel.offset):
        om = np.broadcast_to(kernel.omega[:, None], e.shape)
        T = np.full(e.shape, thermal_energy(kelvin))
        if kelvin > 0:
            want = m.free.closed_susceptibility(e, T, om, gap[b], derivative=True, density=True)
        else:
            want = m.free.susceptibility(
                e, T, om, gap[b], order=kernel.kx_order, levels=kernel.kx_levels,
                derivative=True, density=True,
            )  # fmt: skip
        for x, y in zip(got[b], want):
            np.testing.assert_array_equal(x, y)
