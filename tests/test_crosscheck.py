"""Independent methods agree (spec §6): transfer matrix vs finite differences,
DOS vs the derivative of the density, ∫DOS = density."""

import numpy as np
import pytest
from scipy.integrate import quad

from fd_solver import fd_bloch
from multigap.config import preset
from multigap.normal_state import chemical_potential, density, partial_dos, total_dos


@pytest.mark.parametrize("model", ["A", "B"])
@pytest.mark.parametrize("q_frac", [0.23, 0.71])
def test_transfer_matrix_matches_finite_differences(model, q_frac):
    """E_n(kz) and |ψ|² from the transfer matrix agree with a Richardson-extrapolated
    finite-difference solution: energies to 2e-5 relative, |ψ|² to 2e-3 absolute."""
    from multigap.superlattice import solve_subbands

    sl = preset(model)[0]
    sb = solve_subbands(sl)
    q = q_frac * sb.kz_max
    n1, n2 = 28 * 60, 28 * 120  # interfaces fall on grid points
    e1, z1, p1 = fd_bloch(sl, q, n1)
    e2, z2, p2 = fd_bloch(sl, q, n2)
    e_fd = (4 * e2 - e1) / 3
    for n in (1, 2, 3):
        e_tm = float(sb.energy(n, q))
        assert e_fd[n - 1] == pytest.approx(e_tm, rel=2e-5)
        dens_tm = sb.bloch_density(n, [q], z2)[0]
        # interface points hold the average of two one-sided limits in the FD scheme
        keep = ~np.isclose(z2, sl.well_width) & (z2 > 0)
        assert np.max(np.abs(p2[n - 1] - dens_tm)[keep]) < 2e-3


def test_dos_is_derivative_of_density(bands_a):
    """N(μ) = dρ/dμ: the DOS (inverse-sqrt integrand) against a central difference of ρ
    (sqrt integrand), two independent integrals, away from the η = 0, 1 singularities."""
    h = 1e-6
    for eta in (-0.6, 0.05, 0.4, 0.8, 1.2, 1.9):
        mu = float(chemical_potential(bands_a, eta))
        r = density(bands_a, [mu - h, mu + h])
        numeric = (r[:, 1] - r[:, 0]) / (2 * h)
        assert partial_dos(bands_a, [mu])[:, 0] == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize("band", [2, 3])
def test_integrated_dos_is_state_count(bands_a, band):
    """∫ N_n(E) dE from below the band to E equals the density ρ_n(E), across the
    step at the band bottom and the log peak at the band top."""
    bottom, top = bands_a.edges[band - 1]
    e_hi = top + 0.5 * (top - bottom)
    f = lambda e: partial_dos(bands_a, [e])[band - 1, 0]  # noqa: E731
    integral = sum(
        quad(f, a, b, limit=200, epsabs=1e-12)[0]
        for a, b in [(bottom, 0.5 * (bottom + top)), (0.5 * (bottom + top), top), (top, e_hi)]
    )
    assert integral == pytest.approx(density(bands_a, [e_hi])[band - 1, 0], rel=1e-7)


def test_density_at_low_temperature_follows_sommerfeld(bands_a):
    """ρ(μ, T) − ρ(μ, 0) = (π²/6)(k_B T)² N'(μ) + O(T⁴) (Sommerfeld expansion):
    the ratio tends to 1 with an O(T²) correction as T falls."""
    from multigap.units import K_B

    mu = float(chemical_potential(bands_a, 0.5))
    r0 = density(bands_a, [mu]).sum()
    h = 1e-4
    slope = (total_dos(bands_a, [mu + h]) - total_dos(bands_a, [mu - h]))[0] / (2 * h)
    ratios = []
    for T in (25.0, 12.5):
        shift = density(bands_a, [mu], T).sum() - r0
        ratios.append(shift / (np.pi**2 / 6 * (K_B * T) ** 2 * slope))
    assert abs(ratios[0] - 1) < 2e-3
    assert abs(ratios[1] - 1) < 0.35 * abs(ratios[0] - 1)


def test_total_dos_sums_partials(bands_b):
    mu = chemical_potential(bands_b, np.array([-0.3, 0.3, 1.3]))
    assert np.allclose(total_dos(bands_b, mu), partial_dos(bands_b, mu).sum(axis=0))
