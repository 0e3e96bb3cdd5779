"""Exact identities and limits of the phase stiffness and of the BKT temperature.

J_ij = ¼ Σ_n ∫d²k/(2π)² 2[∂_i∂_j ε n − ∂_iε ∂_jε (−∂f/∂E)] of the mean-field state:
the x motion is Galilean (J_xx(0) = ħ²ρ/4m_x for a gapped state), a free gas is
isotropic, J vanishes linearly at the mean-field Tc, and a 2D band deep on the BEC side
has T_BKT = E_F/8 with E_F = πħ²ρ/m (both spins).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from multigap.config import Pairing, Superlattice, preset
from multigap.errors import ParameterError
from multigap.solvers.model import Model
from multigap.units import HB2M, K_B


@pytest.fixture(scope="module")
def case_a():
    return Model.from_preset("A")


@pytest.mark.parametrize("mu_mode", ["fixed_density", "fixed_mu"])
@pytest.mark.parametrize("eta", [-0.3, 0.3, 0.8, 1.0, 1.6])
def test_jxx_at_zero_temperature_is_galilean(case_a, eta, mu_mode):
    """J_xx(T = 0) = HB2M·ρ/(2m_x) = ħ²ρ/(4m_x), ρ the density of the state (ρ_N at fixed
    density, the density at μ = μ_N and the solved gaps at fixed μ), across the dome."""
    s = case_a.stiffness(eta, g=0.3, mu_mode=mu_mode)
    assert s.status == "ok" and s.J_zz > 0
    if mu_mode == "fixed_density":
        assert s.density == pytest.approx(case_a.normal_density(case_a.mu_normal(eta)), rel=1e-9)
    m_x = case_a.superlattice.mass_x
    assert s.J_xx == pytest.approx(HB2M * s.density / (2 * m_x), rel=1e-9)


def free_gas(n_bands=1, g=0.45, omega=0.05):
    """V = 0 and equal masses: the folded free 2D gas, Ĩ ≡ 1 (ω0 chosen so that ω̃ = omega)."""
    sl = Superlattice(0.85, 0.55, 0.0, 1.0, 1.0, 1.0, n_bands=n_bands, tuned_band=n_bands)
    return Model(sl, Pairing(omega0=omega / np.sqrt(1 - 2 * g), g=g, g_inter=0.0))


def test_free_gas_is_isotropic():
    """V → 0 with equal masses: J_zz(0) = ħ²ρ/(4m) = J_xx(0) (1e-3; here far better)."""
    m = free_gas(n_bands=2, g=0.3)
    s = m.stiffness(mu=0.08, g=0.3)
    assert s.J_zz == pytest.approx(HB2M * s.density / 2, rel=1e-3)
    assert s.J_zz == pytest.approx(s.J_xx, rel=1e-6)


def test_stiffness_vanishes_linearly_at_the_mean_field_tc(case_a):
    """J → 0 at the Tc of the same μ mode, linearly in Tc − T; above it, J = 0."""
    tc = case_a.critical_temperature(1.0, g=0.3, mu_mode="fixed_density")
    J = {eps: case_a.stiffness(1.0, g=0.3, temperature=tc.Tc * (1 - eps)) for eps in (0.004, 0.002)}
    for axis in ("J_xx", "J_zz"):
        ratio = getattr(J[0.004], axis) / getattr(J[0.002], axis)
        assert ratio == pytest.approx(2.0, rel=0.03)
    above = case_a.stiffness(1.0, g=0.3, temperature=tc.Tc * 1.001)
    assert above.status == "normal" and above.J_xx == 0 and above.J_zz == 0


def bec_closed_form(g, omega, fermi):
    """Δ and μ of one 2D band (N0 constant, sharp window, Ĩ = 1) at T = 0 on the BEC side:
    1 = (g/2)[asinh(ω̃/Δ) − asinh(|μ|/Δ)] and 2E_F = (ω̃ − |μ|) − (√(ω̃²+Δ²) − √(μ²+Δ²))."""

    def gap(mu_abs):
        return brentq(
            lambda d: 0.5 * g * (np.arcsinh(omega / d) - np.arcsinh(mu_abs / d)) - 1, 1e-12, 1.0
        )

    def number(mu_abs):
        d = gap(mu_abs)
        return (omega - mu_abs) - (np.hypot(omega, d) - np.hypot(mu_abs, d)) - 2 * fermi

    # |μ| below half the two-body binding energy, ω̃·e^{−2/g}, where the gap closes
    mu_abs = brentq(number, 1e-7, omega * np.exp(-2 / g) * (1 - 1e-6))
    return gap(mu_abs), -mu_abs


def test_a_2d_band_deep_on_the_bec_side_has_t_bkt_equal_to_ef_over_8():
    """One free 2D band, strong coupling, low density: μ_S < 0 and Δ as the closed 2D
    formulas say (to 1e-4 with the default grids, the kx and kz quadrature of a band with
    no Fermi surface; 1e-6 with finer ones), and T_BKT = E_F/8 (E_F = 2π·HB2M·ρ/m) to
    1e-4 (here to rounding: J is J(0) there, and J(0) is exact)."""
    g, omega, fermi = 0.45, 0.05, 2e-4
    m = free_gas(g=g, omega=omega)
    s = m.stiffness(mu=fermi, g=g)
    delta, mu = bec_closed_form(g, omega, fermi)
    assert s.bec and s.non_adiabatic
    assert s.gaps.mu == pytest.approx(mu, rel=1e-4)
    assert s.gaps.delta_average[0] == pytest.approx(delta, rel=1e-4)
    b = m.bkt(mu=fermi, g=g)
    e_f = 2 * np.pi * HB2M * m.normal_density(fermi)
    assert b.status == "ok" and b.T_BKT * K_B == pytest.approx(e_f / 8, rel=1e-4)
    assert b.T_BKT < 0.1 * b.Tc


def test_weak_coupling_t_bkt_approaches_the_mean_field_tc():
    """A weakly coupled free gas with E_F ≫ Tc: T_BKT/Tc_MF → 1."""
    m = free_gas(n_bands=2, g=0.2, omega=0.05)  # μ in band 2, 0.26 eV from its edges
    b = m.bkt(mu=0.45, g=0.2)
    assert b.status == "ok" and 0.99 < b.ratio <= 1.0


@pytest.mark.slow
def test_isolated_wires_lose_the_z_stiffness_and_the_transition():
    """Widening an opaque barrier flattens the bands: J_zz → 0 and T_BKT → 0, while J_xx
    (the motion along the wires) stays."""
    results = []
    for width in (0.55, 1.3, 2.5):
        sl, pa = preset("A")
        m = Model(sl.replace(barrier_width=width), pa)
        results.append((m.stiffness(1.0, g=0.3), m.bkt(1.0, g=0.3)))
    jzz = [s.J_zz for s, _ in results]
    tbkt = [b.T_BKT for _, b in results]
    assert jzz[0] > jzz[1] > jzz[2] and jzz[2] < 1e-5 * jzz[0]
    assert tbkt[0] > tbkt[1] > tbkt[2] and tbkt[2] < 0.01 * tbkt[0]
    assert min(s.J_xx for s, _ in results) > 0.3 * results[0][0].J_xx


def test_wells_have_a_stiffness_but_no_bkt():
    """Wells are 3D: J per volume, and `bkt` refuses with the reason."""
    sl, pa = preset("A")
    m = Model(sl.replace(structure="wells"), pa)
    s = m.stiffness(1.0, g=0.3)
    assert s.structure == "wells" and s.J_xx > 0 and s.J_zz > 0
    assert "J_xx_meV_per_nm" in s.summary() and "density_per_nm3" in s.summary()
    with pytest.raises(ParameterError, match="three-dimensional"):
        m.bkt(1.0, g=0.3)
