"""At or above the Tc of the μ mode being solved, the answer is the normal state; below it,
the gaps, also deep on the BEC side where the fixed-density μ lies below the band bottom.

The cells are isolated wells (a 2 eV, 2 nm barrier: a subband 0.8 µeV wide), so that one
band is exactly a 2D (wires: 1D along x) BCS problem with coupling λ = g·Ĩ¹¹. With
μ_N = (band centre) + E_F the two μ modes have different Tc, in either order depending
on E_F: that gap between them is where "normal or not" must follow the mode solved.
"""

import numpy as np
import pytest

from multigap.config import Pairing, Superlattice
from multigap.solvers.model import Model
from multigap.study.sweep import SweepSpec, compute_column
from multigap.superlattice.overlap import bloch_table, pair_overlap

G = 0.15
OMEGA = 0.100  # ω̃ in eV at g = G


def isolated(structure: str, g: float = G) -> Model:
    """One flat subband: a 0.85 nm well between 2 nm barriers of 2 eV, ω̃ = 100 meV at g."""
    sl = Superlattice(
        layers=((0.85, 0.0, 1.0), (2.0, 2.0, 1.0)),
        mass_x=1.0,
        n_bands=1,
        tuned_band=1,
        structure=structure,
    )
    return Model(sl, Pairing(omega0=OMEGA / np.sqrt(1 - 2 * g), g_intra=[g], g_inter=0.0))


def eta_of(model: Model, fermi_energy: float) -> float:
    """η with μ_N = (band centre) + E_F."""
    return 0.5 + fermi_energy / model.subbands.tuned_width


@pytest.fixture(scope="module")
def wires():
    return isolated("wires")


@pytest.fixture(scope="module")
def wells():
    return isolated("wells")


def both_tc(model, eta):
    mu = model.mu_normal(eta)
    fixed_mu = model.critical_temperature(mu=mu).Tc
    fixed_density = model.critical_temperature(mu=mu, mu_mode="fixed_density").Tc
    return fixed_mu, fixed_density


def test_the_two_modes_have_tc_in_either_order(wires):
    """The premise: at E_F = 1 meV the fixed-density Tc is below the fixed-μ one (70.9 <
    80.6 K), at 5 meV above it (88.7 > 87.8 K)."""
    low = both_tc(wires, eta_of(wires, 1e-3))
    high = both_tc(wires, eta_of(wires, 5e-3))
    assert low[1] < low[0] and high[1] > high[0]


@pytest.mark.parametrize("fermi_energy", [1e-3, 5e-3])
def test_normal_at_or_above_the_tc_of_the_mode_solved(wires, fermi_energy):
    """Between the two modes' Tc, each mode answers for itself: normal (Δ = 0, status
    normal) above its own Tc, a nonzero gap below it; never a failure."""
    eta = eta_of(wires, fermi_energy)
    tc_mu, tc_rho = both_tc(wires, eta)
    T = 0.5 * (tc_mu + tc_rho)
    for mode, tc in (("fixed_mu", tc_mu), ("fixed_density", tc_rho)):
        r = wires.gaps(eta, temperature=T, mu_mode=mode)
        if T >= tc:
            assert r.status == "normal" and r.delta_average[0] == 0.0
        else:
            assert r.status == "ok" and r.delta_average[0] > 1e-4
    for T_above in (1.001 * max(tc_mu, tc_rho), 1.05 * max(tc_mu, tc_rho)):
        r = wires.gaps(eta, temperature=T_above)
        assert r.status == "normal" and r.converged


def test_fixed_density_gap_between_the_two_tc(wires):
    """E_F = 5 meV, T = 88.2 K (fixed-μ Tc 87.76 K < T < fixed-density Tc 88.67 K): the
    fixed-density gap is 1.824 meV (an independent solver), not 0."""
    r = wires.gaps(eta_of(wires, 5e-3), temperature=88.2)
    assert r.status == "ok"
    assert abs(r.delta_average[0]) == pytest.approx(1.824e-3, rel=2e-3)


def test_sweep_decides_normal_with_the_fixed_density_tc(wires):
    """The same two points in a sweep column: E_F = 5 meV at 88.2 K is superconducting
    (not a 'converged' Δ = 0); E_F = 1 meV at 75 K is normal (not a failure)."""
    for fermi_energy, T, expect in ((5e-3, 88.2, "ok"), (1e-3, 75.0, "normal")):
        eta = eta_of(wires, fermi_energy)
        spec = SweepSpec(
            wires.superlattice,
            wires.pairing,
            wires.numerics,
            (eta, eta, 1),
            (G, G, 1),
            gaps=True,
            temperature=T,
        )
        col = compute_column(spec, 0, 0)
        from multigap.solvers.solve import CODE

        assert col["gap_status"][0] == CODE[expect]
        assert col["gap_converged"][0] == 1
        assert (col["Delta"][0, 0] > 1.0) == (expect == "ok")


def bec_closed_form(fermi_energy: float, lam: float, omega: float = OMEGA):
    """2D band edge at T = 0, fixed density: E_b = 2ω/(e^{2/λ} − 1),
    Δ² = 2E_F E_b + (E_F E_b/ω)², μ − E_band = [2E_F(ω + E_b) − ωE_b]/(2ω + E_b)."""
    eb = 2 * omega / (np.exp(2 / lam) - 1)
    delta = np.sqrt(2 * fermi_energy * eb + (fermi_energy * eb / omega) ** 2)
    mu = (2 * fermi_energy * (omega + eb) - omega * eb) / (2 * omega + eb)
    return delta, mu


@pytest.mark.parametrize("fermi_energy", [0.2e-3, 0.3e-3])
def test_fixed_density_on_the_bec_side_of_an_isolated_well(wells, fermi_energy):
    """μ_S falls 2.3 meV below the band bottom (E_F = 0.2–0.3 meV, E_b ≈ 5 meV): the
    density search converges, to the closed 2D formulas with λ = g·Ĩ¹¹ (1e-4), and to
    the independent solver's 1.4770 / 1.8089 meV."""
    sb = wells.subbands
    kz = np.linspace(0.0, sb.kz_max, 5)
    lam = G * pair_overlap(bloch_table(sb, kz, np.ones_like(kz)))[0, :, 0, :].mean()
    r = wells.gaps(eta_of(wells, fermi_energy))
    assert r.converged and r.status == "ok"
    band = sb.energy(1, kz).mean()
    delta, mu = bec_closed_form(fermi_energy, lam)
    assert r.mu < sb.lifshitz_energy  # the BEC side: μ below the band bottom
    assert r.delta_average[0] == pytest.approx(delta, rel=1e-4)
    assert r.mu - band == pytest.approx(mu, abs=1e-7)
    expected = {0.2e-3: 1.4770e-3, 0.3e-3: 1.8089e-3}[fermi_energy]
    assert r.delta_average[0] == pytest.approx(expected, rel=1e-4)


def test_fixed_density_on_the_bec_side_at_weaker_coupling():
    """g = 0.12 at E_F = 0.1 meV (ω̃ = 100 meV): 0.6582 meV (the independent solver)."""
    m = isolated("wells", g=0.12)
    r = m.gaps(eta_of(m, 0.1e-3))
    assert r.status == "ok"
    assert r.delta_average[0] == pytest.approx(0.6582e-3, rel=2e-4)


def test_fixed_density_wires_just_below_tc():
    """Wires at E_F = 1 meV, T = 70.0 K, 1.3 % below the fixed-density Tc (70.9 K):
    converged, to the independent solver's 2.1441 meV."""
    m = isolated("wires")
    r = m.gaps(eta_of(m, 1e-3), temperature=70.0)
    assert r.status == "ok"
    assert r.delta_average[0] == pytest.approx(2.1441e-3, rel=1e-4)


def two_dimensional_band_at_temperature(fermi_energy, lam, T, start):
    """The flat 2D band at fixed density and T, by quadrature: (Δ, μ − E_band) solving
    1 = λ ∫ tanh(E/2T)/(2E) dξ over max(−μ, −ω) < ξ < ω, and
    E_F = ∫_{−μ}^∞ n(ξ) dξ with n = ½[1 − (ξ/E) tanh(E/2T)] inside the window and the
    Fermi function outside (per spin, so that ρ = 2N0·E_F)."""
    from scipy.integrate import quad
    from scipy.optimize import fsolve

    from multigap.units import K_B

    kT = K_B * T

    def equations(x):
        delta, mu = x
        E = lambda xi: np.hypot(xi, delta)  # noqa: E731
        lo = max(-mu, -OMEGA)
        gap = quad(lambda xi: np.tanh(E(xi) / (2 * kT)) / (2 * E(xi)), lo, OMEGA, limit=400)[0]
        paired = quad(
            lambda xi: 0.5 * (1 - xi / E(xi) * np.tanh(E(xi) / (2 * kT))), lo, OMEGA, limit=400
        )[0]
        fermi = lambda xi: 0.5 * (1 - np.tanh(xi / (2 * kT)))  # noqa: E731
        tail = quad(fermi, OMEGA, OMEGA + 80 * kT)[0]
        if -mu < -OMEGA:
            tail += quad(fermi, -mu, -OMEGA)[0]
        return [lam * gap - 1, (paired + tail) / fermi_energy - 1]

    return fsolve(equations, start, xtol=1e-13)


@pytest.mark.parametrize("T", [12.1, 20.2])
def test_fixed_density_2d_band_at_temperature_against_quadrature(wells, T):
    """The 2D band at E_F = 1 meV (μ below the band bottom) at 12.1 and 20.2 K: Δ and μ
    agree with an independent quadrature solve of the 2D gap and number equations to
    1e-5 (these temperatures failed before)."""
    sb = wells.subbands
    kz = np.linspace(0.0, sb.kz_max, 5)
    lam = G * pair_overlap(bloch_table(sb, kz, np.ones_like(kz)))[0, :, 0, :].mean()
    delta, mu = two_dimensional_band_at_temperature(1e-3, lam, T, [2.5e-3, -1.5e-3])
    r = wells.gaps(eta_of(wells, 1e-3), temperature=T)
    assert r.status == "ok"
    assert r.delta_average[0] == pytest.approx(delta, rel=1e-5)
    assert r.mu - sb.energy(1, kz).mean() == pytest.approx(mu, abs=1e-8)


@pytest.mark.slow
def test_thermo_on_the_two_dimensional_band_has_no_failed_temperature(wells):
    """thermo of the 2D band at E_F = 1 meV: every temperature solved (10 of 40 failed
    before; 12 here, which span the same range), and ΔC/C_N finite."""
    from multigap.solvers.thermodynamics import thermodynamics

    r = thermodynamics(wells, eta_of(wells, 1e-3), num=12)
    assert not (r.status == "failed").any()
    assert np.isfinite(r.jump)
