"""Symmetries and invariants: of Ĩ, of the Bloch functions and of the band structure."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from multigap.config import Superlattice
from multigap.superlattice.kronig_penney import discriminant, solve_subbands
from multigap.superlattice.overlap import bloch_table, pair_overlap, uniform_kz_rule


@pytest.fixture(scope="module")
def overlap_a(bands_a):
    kz, w = uniform_kz_rule(bands_a, 20)
    return bands_a, kz, pair_overlap(bloch_table(bands_a, kz, w))


def test_overlap_is_symmetric(overlap_a):
    """Ĩ^{nn'}(k, k') = Ĩ^{n'n}(k', k)."""
    _, _, I = overlap_a
    assert np.allclose(I, I.transpose(2, 3, 0, 1), atol=1e-14)


def test_overlap_is_even_in_kz(overlap_a):
    """Ĩ(−k, k') = Ĩ(k, k'): time reversal gives |ψ_{n,−k}|² = |ψ_{n,k}|²."""
    sb, kz, I = overlap_a
    for n in (1, 2, 3):
        dens_plus = sb.bloch_density(n, kz)
        dens_minus = sb.bloch_density(n, -kz)
        assert np.allclose(dens_plus, dens_minus, atol=1e-10)


def test_diagonal_overlap_at_least_one(overlap_a):
    """Ĩ^{nn}(k, k) = ⟨|ψ|⁴⟩ >= ⟨|ψ|²⟩² = 1 (Cauchy–Schwarz)."""
    _, _, I = overlap_a
    for n in range(3):
        assert np.all(np.diag(I[n, :, n, :]) >= 1.0 - 1e-12)


def test_bloch_density_is_normalised_and_periodic(bands_a):
    """(1/d)∫_cell |ψ|² = 1, and |ψ(z)|² = |ψ(z + d)|² (matching at the cell edge)."""
    kz = np.array([0.1, 1.0, 2.0])
    for n in (1, 2, 3):
        dens = bands_a.bloch_density(n, kz)
        assert np.allclose(dens @ bands_a.z_weights / bands_a.period, 1.0, atol=1e-12)
        ends = bands_a.bloch_density(n, kz, np.array([0.0, bands_a.period - 1e-12]))
        assert np.allclose(ends[:, 0], ends[:, 1], rtol=1e-8)


def _opacity(sl):
    from multigap.units import HB2M

    return np.sqrt(sl.mass_barrier * sl.barrier_height / HB2M) * sl.barrier_width


superlattices = st.builds(
    Superlattice,
    well_width=st.floats(0.3, 2.0),
    barrier_width=st.floats(0.2, 1.5),
    barrier_height=st.floats(0.0, 6.0),
    mass_well=st.floats(0.2, 3.0),
    mass_barrier=st.floats(0.2, 3.0),
    mass_x=st.floats(0.2, 3.0),
)


@settings(max_examples=25, deadline=None)
@given(superlattices)
def test_band_structure_invariants(sl):
    """For any superlattice: edges are ordered, |D| = 1 at every edge, E_n(kz) is
    monotonic on [0, π/d] (up for odd n, down for even n) and solves D(E) = cos(kz d).
    Barriers are kept transparent enough (κW < 12) that D is well conditioned."""
    assume(_opacity(sl) < 12.0)
    sb = solve_subbands(sl)
    flat = sb.edges.ravel()
    assert np.all(np.diff(flat) >= -1e-12)
    assert np.allclose(np.abs(discriminant(sl, flat)), 1.0, atol=1e-6)
    kz = np.linspace(0.0, sb.kz_max, 33)[1:-1]
    for n in (1, 2, 3):
        E = sb.energy(n, kz)
        step = np.diff(E) * (1 if n % 2 else -1)
        assert np.all(step > -1e-12)
        assert np.allclose(discriminant(sl, E), np.cos(kz * sb.period), atol=1e-8)


@settings(max_examples=15, deadline=None)
@given(superlattices)
def test_overlap_invariants_for_any_superlattice(sl):
    """Ĩ is symmetric and Ĩ^{nn}(k,k) >= 1 for every superlattice."""
    assume(_opacity(sl) < 12.0)
    sb = solve_subbands(sl)
    kz, w = uniform_kz_rule(sb, 8)
    I = pair_overlap(bloch_table(sb, kz, w))
    assert np.allclose(I, I.transpose(2, 3, 0, 1), atol=1e-12)
    for n in range(3):
        assert np.all(np.diag(I[n, :, n, :]) >= 1.0 - 1e-9)


def test_dispersion_is_continuous_through_e_zero_and_the_barrier_top(bands_a):
    """D(E) uses cos/sin ↔ cosh/sinh written in k², so E = 0 and E = V need no branch:
    D is finite there and agrees with its neighbours to first order."""
    sl = bands_a.superlattice
    for E0 in (0.0, sl.barrier_height):
        h = 1e-9
        d = discriminant(sl, np.array([E0 - h, E0, E0 + h]))
        assert np.all(np.isfinite(d))
        assert abs(d[1] - 0.5 * (d[0] + d[2])) < 1e-12


def test_bloch_density_is_finite_at_the_barrier_top():
    """A band crossing E = V exactly: |ψ|² stays finite and normalised."""
    sl = Superlattice(0.85, 0.55, 1.0, 1.0, 1.0, 1.0)
    sb = solve_subbands(sl)
    n = next(i for i in (1, 2, 3) if sb.edges[i - 1, 0] < 1.0 < sb.edges[i - 1, 1])
    kz = float(sb.wavevector(n, 1.0))
    dens = sb.bloch_density(n, [kz], energy=np.array([1.0]))
    assert np.all(np.isfinite(dens))
    assert dens @ sb.z_weights / sb.period == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("T", [0.0, 80.0, 300.0])
def test_chemical_potential_inverts_density(bands_a, T):
    """μ(ρ(μ, T), T) = μ."""
    from multigap.normal_state import chemical_potential, chemical_potential_at_density, density

    mu = float(chemical_potential(bands_a, 0.7))
    rho = float(density(bands_a, [mu], T).sum())
    assert chemical_potential_at_density(bands_a, rho, T) == pytest.approx(mu, abs=1e-9)
