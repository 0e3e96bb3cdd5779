"""Independent methods agree (spec §6): transfer matrix vs finite differences,
DOS vs the derivative of the density, ∫DOS = density."""

import numpy as np
import pytest
from scipy.integrate import quad

from fd_solver import fd_bloch
from multigap.config import preset
from multigap.normal_state import chemical_potential, density, partial_dos, total_dos
from multigap.solvers.isotope import window_kinks


@pytest.mark.parametrize("model", ["A", "B"])
@pytest.mark.parametrize("q_frac", [0.23, 0.71])
def test_transfer_matrix_matches_finite_differences(model, q_frac):
    """E_n(kz) and |ψ|² from the transfer matrix agree with a Richardson-extrapolated
    finite-difference solution: energies to 2e-5 relative, |ψ|² to 2e-3 absolute."""
    from multigap.superlattice.kronig_penney import solve_subbands

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


def _alpha_by_small_steps(model, eta, g, h):
    """½ d ln Tc/d ln ω0 by a central difference of step h on a model whose Tc is solved
    to 1e-13: the independent value, with h well inside the distance to the kink."""
    mu, w0 = model.mu_normal(eta), model.pairing.omega0
    up, down = (model.critical_temperature(mu=mu, g=g, omega0=w0 * np.exp(s)).Tc for s in (h, -h))
    return 0.25 * np.log(up / down) / h


@pytest.fixture(scope="module")
def isotope_models():
    from dataclasses import replace

    from multigap.solvers.model import Model

    m = Model.from_preset("A")
    return m, Model.from_preset("A", numerics=replace(m.numerics, tc_rtol=1e-13))


@pytest.mark.parametrize(
    "eta, kink",
    [(0.85, "jump: μ − ω̃ at band 3's bottom"), (0.148, "log: μ + ω̃ at band 3's top")],
)
def test_isotope_next_to_a_window_edge_kink(isotope_models, eta, kink):
    """Case A, g = 1/4: within 0.002 (η = 0.85) and 0.0004 (η = 0.148) of a kink of
    Tc(ω0), α is reported as window_edge with its one-sided value, and its error estimate
    bounds the distance to α from tiny central steps on the same side (the old central
    stencil straddled the kink: 0.228 ± 0.010 at η = 0.85, against 0.170)."""
    m, tight = isotope_models
    r = m.isotope_coefficient(eta, g=0.25)
    assert r.status == "window_edge"
    d, eta_kink = window_kinks(m, m.mu_normal(eta), m.cutoff(0.25))
    h = abs(float(d[0])) / 20
    truth = _alpha_by_small_steps(tight, eta, 0.25, h)
    assert abs(r.alpha - truth) <= r.error
    assert r.eta_kink == pytest.approx(float(eta_kink[0]))
    own = r.alpha_below if eta < r.eta_kink else r.alpha_above
    assert own == r.alpha
    if eta == 0.85:  # the jump: 0.170 below, 0.32 above
        assert r.alpha_below == pytest.approx(0.1697, abs=2e-3)
        assert r.alpha_above == pytest.approx(0.32, abs=0.01)


def test_isotope_away_from_kinks_is_central_and_ok(isotope_models):
    """η = 0.5 is far from every kink: status ok, no kink fields, and the Richardson
    value within its error estimate of the tiny-step difference."""
    m, tight = isotope_models
    r = m.isotope_coefficient(0.5, g=0.25)
    assert r.status == "ok" and np.isnan(r.eta_kink)
    assert abs(r.alpha - _alpha_by_small_steps(tight, 0.5, 0.25, 1e-3)) <= r.error
