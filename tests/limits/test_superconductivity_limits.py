"""Exact limits of spec §6 for the superconducting solvers, through the whole model.

Each test names the formula it checks. The free-electron superlattice (V = 0, equal
masses) has Ĩ ≡ 1 and a constant 2D DOS, which turns the multiband kernel into the
textbook one.
"""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from multigap.config import Pairing, Superlattice, preset
from multigap.free_motion.motion import Wires
from multigap.normal_state import partial_dos
from multigap.solvers.model import Model
from multigap.units import K_B


def phi(x):
    """Φ(x) = ∫_0^x tanh(y)/y dy."""
    return quad(lambda y: np.tanh(y) / y if y > 0 else 1.0, 0.0, x, limit=400)[0]


def free_model(g, omega, n_bands=3, g_matrix=None):
    """V = 0, equal masses, with ω0 chosen so that the Migdal cut-off ω̃ equals omega."""
    sl = Superlattice(0.85, 0.55, 0.0, 1.0, 1.0, 1.0, n_bands=n_bands, tuned_band=n_bands)
    if g_matrix is None:
        g_matrix = np.full((n_bands, n_bands), g)
    gmax = np.max(np.diag(g_matrix))
    pairing = Pairing(
        omega0=omega / np.sqrt(1 - 2 * gmax),
        g_intra=list(np.diag(g_matrix)),
        g_inter=[list(r) for r in g_matrix],
    )
    return Model(sl, pairing)


@pytest.fixture(scope="module")
def bcs():
    g, omega, mu = 0.25, 0.05, 0.45  # μ = 0.45 eV: ≥ 0.26 eV from every folded edge
    m = free_model(g, omega)
    return m, g, omega, mu, m.critical_temperature(mu=mu)


def test_homogeneous_bcs_tc(bcs):
    """Homogeneous BCS (μ ≫ ω, Ĩ ≡ 1): 1/g = Φ(ω/2Tc) exactly, and
    Tc → 1.13387 ω e^{−1/g}; both within 0.5 % (here far better)."""
    m, g, omega, mu, r = bcs
    exact = brentq(lambda T: phi(omega / (2 * K_B * T)) - 1 / g, 1.0, 200.0, xtol=1e-12)
    assert r.status == "ok"
    assert r.Tc == pytest.approx(exact, rel=1e-4)
    assert r.Tc == pytest.approx(1.13387 * omega * np.exp(-1 / g) / K_B, rel=5e-3)


def test_homogeneous_bcs_gap_and_ratio(bcs):
    """Homogeneous BCS at T = 0: Δ = ω/sinh(1/g) exactly, with the number equation
    (constant DOS: μ_S = μ_N); 2Δ/Tc → 3.5278 as g → 0 (3.53 here within 0.5 %)."""
    m, g, omega, mu, r = bcs
    gaps = m.zero_temperature_gaps(mu=mu, tc=r)
    assert gaps.converged and gaps.residual < 1e-9
    assert gaps.delta_average == pytest.approx(np.full(3, omega / np.sinh(1 / g)), rel=1e-4)
    assert gaps.mu_shift == pytest.approx(0.0, abs=1e-7)
    assert 2 * gaps.delta_average[0] / (K_B * r.Tc) == pytest.approx(3.5278, rel=5e-3)


def test_bcs_gap_shape_is_uniform(bcs):
    """With Ĩ ≡ 1 and uniform g the Tc eigenvector is constant over bands and kz."""
    *_, r = bcs
    _, w, _, shape = r.gap_shape_at_nodes()
    assert np.allclose(shape[w > 0], 1.0, atol=1e-6)


@pytest.mark.parametrize("mu", [0.004, 0.015])
def test_band_edge_tc_at_fixed_mu(mu):
    """Band edge, 0 < μ < ω, fixed μ: 2/g = Φ(ω/2Tc) + Φ(μ/2Tc); for T ≪ μ,
    Tc ≈ 1.134 sqrt(μω) e^{−1/g} (one 2D band; V = 0 keeps it a free parabola up to 0.19 eV)."""
    g, omega = 0.25, 0.05
    m = free_model(g, omega, n_bands=1)
    r = m.critical_temperature(mu=mu)
    exact = brentq(
        lambda T: phi(omega / (2 * K_B * T)) + phi(mu / (2 * K_B * T)) - 2 / g,
        0.1,
        300.0,
        xtol=1e-12,
    )
    assert r.Tc == pytest.approx(exact, rel=1e-4)
    assert r.Tc == pytest.approx(1.134 * np.sqrt(mu * omega) * np.exp(-1 / g) / K_B, rel=0.02)


def test_band_edge_isotope_coefficient_is_one_quarter():
    """Band edge, T ≪ μ < ω: Tc ∝ sqrt(μω) gives α = ½ ∂lnTc/∂lnω0 = ¼."""
    m = free_model(0.2, 0.05, n_bands=1)
    r = m.isotope_coefficient(mu=0.01)
    assert r.alpha == pytest.approx(0.25, abs=2e-3)


@pytest.mark.parametrize("fermi_energy", [0.004, 0.02, 0.08])
def test_band_edge_gap_at_fixed_density(fermi_energy):
    """Band edge, T = 0, fixed density: with E_F = ρ/2N0 and E_b = 2ω/(e^{2/g} − 1),
    E_F ≤ ω: Δ² = 2E_F E_b + (E_F E_b/ω)², μ = [2E_F(ω + E_b) − ωE_b]/(2ω + E_b);
    E_F ≥ ω: Δ = ω/sinh(1/g), μ = E_F."""
    g, omega = 0.3, 0.05
    m = free_model(g, omega, n_bands=1)
    eb = 2 * omega / (np.exp(2 / g) - 1)
    if fermi_energy <= omega:
        delta = np.sqrt(2 * fermi_energy * eb + (fermi_energy * eb / omega) ** 2)
        mu_s = (2 * fermi_energy * (omega + eb) - omega * eb) / (2 * omega + eb)
    else:
        delta, mu_s = omega / np.sinh(1 / g), fermi_energy
    r = m.zero_temperature_gaps(mu=fermi_energy)
    assert r.converged
    assert r.delta_average[0] == pytest.approx(delta, rel=2e-4)
    assert r.mu == pytest.approx(mu_s, abs=1e-7)


def test_suhl_matthias_walker_deep_bands():
    """Several deep bands, Ĩ ≡ 1: Tc = 1.134 ω e^{−1/λ_max}, λ_max the top eigenvalue
    of g_{nn'} N_{n'}/N0 (N_n' the per-spin partial DOS at μ)."""
    gm = np.array([[0.20, 0.05, 0.08], [0.05, 0.12, 0.03], [0.08, 0.03, 0.25]])
    omega, mu = 0.02, 0.45
    m = free_model(None, omega, g_matrix=gm)
    r = m.critical_temperature(mu=mu)
    n_partial = partial_dos(m.subbands, [mu])[:, 0] / 2 / Wires(1.0).pairing_dos()
    lam = np.max(np.linalg.eigvals(gm * n_partial[None, :]).real)
    assert r.Tc == pytest.approx(1.134 * omega * np.exp(-1 / lam) / K_B, rel=0.01)


def test_interlacing_band_outside_window_drops_out():
    """η < −ω̃/ΔE: the tuned band is outside the window, and Tc equals the two-band
    Tc of the model with that band removed (same μ, same ω̃)."""
    m3 = Model.from_preset("A")
    g = 0.3
    omega = m3.cutoff(g)
    eta = -1.5 * omega / m3.subbands.tuned_width
    mu = float(m3.mu_normal(eta))
    r3 = m3.critical_temperature(mu=mu, g=g)
    sl2 = preset("A")[0].replace(n_bands=2, tuned_band=2)
    m2 = Model(sl2, Pairing(omega0=omega / np.sqrt(1 - 2 * 0.10), g_intra=[0.1, 0.1], g_inter=0.1))
    r2 = m2.critical_temperature(mu=mu)
    assert r2.omega == pytest.approx(omega, rel=1e-12)
    assert r3.Tc == pytest.approx(r2.Tc, rel=1e-6)


def test_adding_states_never_lowers_lambda():
    """Cauchy interlacing: the two-band kernel is a principal submatrix of the three-band
    kernel, so λ_max(3 bands) >= λ_max(2 bands) at every T."""
    m = Model.from_preset("A")
    mu = float(m.mu_normal(0.5))
    gm, omega = m.coupling(0.3), m.cutoff(0.3)
    gm2 = gm.copy()
    gm2[2, :] = gm2[:, 2] = 0.0
    both = m.kernel(mu, omega, np.array([gm, gm2]))
    for T in (5.0, 50.0, 150.0):
        full, part = both.eigenvalues(K_B * T)
        assert full >= part


def test_lambda_decreases_with_temperature():
    """λ_max(T) falls monotonically in T (each χ_n(kz; T) does)."""
    m = Model.from_preset("B")
    kernel = m.kernel(float(m.mu_normal(0.8)), m.cutoff(0.35), m.coupling(0.35)[None])
    lams = [kernel.eigenvalues(K_B * T)[0] for T in (1, 10, 50, 100, 200, 400)]
    assert np.all(np.diff(lams) < 0)


def test_tc_zero_below_floor_is_flagged():
    """No root above T_min: Tc = 0 with status 'below_T_min' and λ_max(T_min) < 1."""
    m = Model.from_preset("A")
    r = m.critical_temperature(eta=-0.5, g=0.4)
    assert r.Tc == 0.0 and r.status == "below_T_min" and r.lambda_at_t_min < 1.0


def test_fixed_density_mu_mode_agrees_at_low_tc():
    """With Tc ≪ the band scales the fixed-density μ(Tc) ≈ μ_N, so both Tc modes agree;
    the shift is reported."""
    m = Model.from_preset("A")
    a = m.critical_temperature(eta=1.5, g=0.15)
    b = m.critical_temperature(eta=1.5, g=0.15, mu_mode="fixed_density")
    assert b.mu_mode == "fixed_density" and abs(b.mu_shift) < 1e-3
    assert b.Tc == pytest.approx(a.Tc, rel=0.02)


def test_gap_at_the_band_edge_converges_on_the_bec_side():
    """At η = 0 (μ_N at the bottom of band 3, Tc ≈ 1 K) the fixed-density solve must converge:
    μ_S drops below the band bottom (band 3 empties, the BEC side), and Δ̄3 is then Δ_3 at
    the band minimum, flagged. A Newton solve that stalled used to seed the μ search and
    derail it; only converged solves seed the next μ."""
    m = Model.from_preset("A")
    r = m.zero_temperature_gaps(0.0, g=0.25)
    assert r.converged and r.residual < 1e-9
    assert r.mu < m.subbands.lifshitz_energy
    assert not r.on_fermi_surface[2] and r.on_fermi_surface[:2].all()
    assert r.delta_average[2] > r.delta_average[1] > 0
