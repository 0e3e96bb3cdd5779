"""The phase stiffness against independent methods.

- ∂E_n/∂kz and ∂²E_n/∂kz² (from the band interpolant) against finite differences of the
  exact dispersion, and ∂E/∂kz against the transfer matrix, −d·sin(kz d)/D'(E);
- the paramagnetic term: J_xx per kz from the kx weights against the second derivative of
  the mean-field grand potential in a state with a phase twist q (the dispersions shifted
  by ±q/2 at fixed gaps), integrated by adaptive quadrature, at two temperatures.
"""

import numpy as np
import pytest
from scipy.integrate import quad

from multigap.free_motion.motion import Wires
from multigap.superlattice.kronig_penney import discriminant
from multigap.units import HB2M


@pytest.mark.parametrize("band", [1, 2, 3])
def test_band_velocity_and_curvature_against_finite_differences(bands_a, band):
    kz = np.linspace(0.1, 0.9, 7) * bands_a.kz_max
    h = 1e-4
    E = lambda k: bands_a.energy(band, k)  # noqa: E731
    fd1 = (E(kz + h) - E(kz - h)) / (2 * h)
    fd2 = (E(kz + h) - 2 * E(kz) + E(kz - h)) / h**2
    v1, v2 = bands_a.velocity(band, kz), bands_a.velocity(band, kz, 2)
    assert np.allclose(v1, fd1, rtol=1e-6, atol=1e-9 * np.max(np.abs(fd1)))
    assert np.allclose(v2, fd2, rtol=1e-4, atol=1e-5 * np.max(np.abs(fd2)))
    # the transfer matrix: cos(kz d) = D(E), so dE/dkz = −d sin(kz d)/D'(E)
    d, e = bands_a.period, E(kz)
    dD = (
        discriminant(bands_a.superlattice, e + 1e-7) - discriminant(bands_a.superlattice, e - 1e-7)
    ) / 2e-7
    assert np.allclose(v1, -d * np.sin(kz * d) / dD, rtol=1e-5)


def twisted_grand_potential(q, e, gap, T, omega, mass_x=1.0):
    """∫dkx/2π of the mean-field grand potential per kz (both spins) with pair momentum q
    along x, at fixed gap: ξ_s = HB2M(kx² + q²/4)/m + e, ξ_a = HB2M kx q/m, the window on
    the pair's ξ = HB2M kx²/m + e, E± = sqrt(ξ_s² + Δ²) ± ξ_a. Returns Ω(q) − Ω(0)."""
    a = HB2M / mass_x

    def omega_k(k, qq):
        xi = a * k * k + e
        d = gap if abs(xi) < omega else 0.0
        xs, xa = a * (k * k + qq * qq / 4) + e, a * k * qq
        E = np.hypot(xs, d)
        soft = lambda x: T * np.logaddexp(0.0, -x / T)  # noqa: E731
        return xs - E - soft(E + xa) - soft(E - xa)

    def integrand(k):
        # ±kx together (ξ_a is odd in kx), minus the untwisted state at the same kx
        return omega_k(k, q) + omega_k(-k, q) - 2 * omega_k(k, 0.0)

    top = np.sqrt(max(omega + 60 * T - e, 0.0) / a)
    edges = [np.sqrt(max(x - e, 0.0) / a) for x in (-omega, 0.0, omega)]
    points = sorted({p for p in edges if 0 < p < top})
    value, _ = quad(integrand, 0.0, top, points=points, limit=400, epsabs=1e-16, epsrel=1e-11)
    return value / (2 * np.pi)


@pytest.mark.parametrize("T", [0.004, 0.011])
@pytest.mark.parametrize("e", [-0.12, -0.03])
def test_jxx_against_the_free_energy_of_a_phase_twist(T, e):
    """J_xx per kz = ∂²Ω/∂q² at q = 0 (F = ½ J q² for θ = q x): the kx weights of the
    diamagnetic and paramagnetic terms against adaptive quadrature of the twisted state,
    at a Fermi point inside the window and one outside it."""
    gap, omega = 0.01, 0.05
    wires = Wires(1.0)
    rule = dict(order=8, levels=12)
    _, drho = wires.susceptibility(np.array([e]), T, np.array([omega]), np.array([gap]),
                                   density=True, **rule)  # fmt: skip
    nu = wires.normal_density(np.array([e]), T, **rule) + drho
    para, _ = wires.current_response(np.array([e]), T, np.array([omega]), np.array([gap]), **rule)
    formula = 0.25 * (wires.curvature * nu[0] - para[0])
    coarse, fine = (2 * twisted_grand_potential(h, e, gap, T, omega) / h**2 for h in (2e-3, 1e-3))
    twist = (4 * fine - coarse) / 3  # Richardson: the second difference is O(h²)
    assert para[0] > 0.05 * wires.curvature * nu[0]  # the paramagnetic term matters here
    assert formula == pytest.approx(twist, rel=2e-6)


@pytest.mark.slow
def test_a_bkt_column_agrees_with_the_same_column_converged_tightly():
    """A map column's T_BKT (its solves warm-started from the BCS-rescaled gaps and μ of
    the last temperature) against the same column with the root, gap and μ tolerances a
    thousand times tighter: within 2e-6, at η = 0, where the tuned band's bottom is at
    μ_N and the gaps fall fastest with T. The column stops when its next step is within
    1e-5 of T; the Anderson–Björck steps converge fast enough that the error is far below
    (the Illinois steps it replaced left up to 8e-6)."""
    import dataclasses

    from multigap.config import Numerics
    from multigap.solvers.model import Model
    from multigap.solvers.stiffness import bkt_column

    mapn = Numerics.preset("map")
    tight = dataclasses.replace(mapn, tc_rtol=1e-9, gap_tol=1e-11, mu_tol=1e-11)
    g = np.array([0.2, 0.3, 0.45])
    cols = []
    for numerics in (mapn, tight):
        m = Model.from_preset("A", numerics)
        G = np.array([m.coupling(x) for x in g])
        omega = np.array([m.cutoff(x) for x in g])
        cols.append(bkt_column(m, m.mu_normal(0.0), G, omega))
    assert np.all(cols[0]["bkt_status"] == 0)
    assert 0 < np.min(cols[1]["T_BKT"] / cols[1]["Tc_MF"]) < 0.99  # below the MF Tc
    assert np.allclose(cols[0]["T_BKT"], cols[1]["T_BKT"], rtol=2e-6, atol=0)
