"""The joint Newton on the gaps and μ at fixed density, against independent methods.

- Its Jacobian's new entries (∂χ/∂e, ∂δρ/∂Δ and the compressibility ∂ρ/∂μ of the
  window) against central differences of the window's integrals on fresh rules, and
  their closed forms against the quadrature's;
- its solutions against the nested search (gap solves inside a secant search in μ),
  the engine's reference route, on a column of a map, at tolerances a thousand times
  tighter than the map's;
- the hand-over: points it does not converge are solved by the nested search.
"""

import dataclasses

import numpy as np
import pytest

from multigap.config import Numerics
from multigap.free_motion.exact import wire_density
from multigap.free_motion.motion import Wires
from multigap.free_motion.window import window_integral
from multigap.normal_state import density
from multigap.solvers import joint
from multigap.solvers.model import Model

OMEGA, ORDER, LEVELS = 0.08, 10, 14


def _integrals(e, T, gap):
    """χ, ∂χ/∂|Δ|, δρ and the three chemical terms of one window, on its own rule."""
    return window_integral(
        np.array([e]), T, OMEGA, np.array([gap]), order=ORDER, levels=LEVELS,
        derivative=True, density=True, chemical=True,
    )  # fmt: skip


def _total_density(e, T, gap):
    """The whole occupation per kz (both spins, measure dy): 2∫f over the normal state
    plus the window's pairing change."""
    normal = 2.0 * np.sqrt(max(-e, 0.0)) if T == 0 else 2.0 * wire_density(np.array([e]), T)[0]
    return normal + _integrals(e, T, gap)[2][0]


@pytest.mark.parametrize("T", [0.0, 2e-3])
@pytest.mark.parametrize("e", [-0.05, -0.004, 0.0015])
def test_the_chemical_terms_are_the_derivatives_of_the_window_integrals(T, e):
    """∂χ/∂e, ∂δρ/∂|Δ| and ∂ρ/∂μ against central differences (step 1e-6 eV) of χ, δρ and
    the whole density, each evaluated on its own graded rule: within 2e-3 (the moving
    window edges, left out of the Jacobian, are O(Δ²/ω̃²))."""
    gap, h = 0.006, 1e-6
    chi, _, _, chi_e, rho_gap, compressibility = (v[0] for v in _integrals(e, T, gap))
    fd_chi_e = (_integrals(e + h, T, gap)[0][0] - _integrals(e - h, T, gap)[0][0]) / (2 * h)
    fd_rho_gap = (_integrals(e, T, gap + h)[2][0] - _integrals(e, T, gap - h)[2][0]) / (2 * h)
    fd_compress = -(_total_density(e + h, T, gap) - _total_density(e - h, T, gap)) / (2 * h)
    assert chi_e == pytest.approx(fd_chi_e, rel=2e-3)
    assert rho_gap == pytest.approx(fd_rho_gap, rel=2e-3)
    assert compressibility == pytest.approx(fd_compress, rel=2e-3)
    assert chi > 0 and compressibility > 0


@pytest.mark.parametrize("T", [0.0, 1e-3, 5e-3])
def test_the_closed_form_chemical_terms_equal_the_quadrature(T):
    """The closed forms (∂χ/∂e and ∂δρ/∂|Δ| from J = ∫dy/((y² + q)E) and each Ozaki
    pole's ∫dy/(y² + c)²; the compressibility from Im J and the poles; the edges) against
    the graded quadrature's chemical terms at 40 random windows, e from beyond the lower
    edge to above the upper one: within 1e-10 of the largest value (the rule's own
    accuracy; 1.3e-12 here)."""
    rng = np.random.default_rng(7)
    e, gap = rng.uniform(-0.15, 0.1, 40), rng.uniform(1e-3, 1e-2, 40)
    omega = np.full(40, OMEGA)
    wires = Wires(1.0)
    opts = dict(derivative=True, density=True, chemical=True)
    quad = wires.susceptibility(e, T, omega, gap, order=ORDER, levels=LEVELS, **opts)
    closed = wires.closed_susceptibility(e, T, omega, gap, **opts)
    for q, c in zip(quad[3:], closed[3:]):
        assert np.max(np.abs(q - c)) < 1e-10 * np.max(np.abs(c))


def _column(monkeypatch, nested: bool, **tolerances):
    n = dataclasses.replace(Numerics.preset("map"), **tolerances)
    if nested:
        monkeypatch.setattr(joint, "MAXITER", 0)
    m = Model.from_preset("A", n)
    return m.gap_grid([0.0, 0.8], np.linspace(0.12, 0.46, 8))


def test_the_joint_newton_and_the_nested_search_find_the_same_gaps(monkeypatch):
    """A map's columns (η = 0, the tuned band's bottom at μ_N, and η = 0.8) at the map's
    kx rules with gap_tol = mu_tol = 1e-11: the gaps of both routes within 1e-6, μ within
    1e-9 eV, the same statuses."""
    tight = dict(gap_tol=1e-11, mu_tol=1e-11)
    fast = _column(monkeypatch, False, **tight)
    with monkeypatch.context() as patch:
        ref = _column(patch, True, **tight)
    assert np.array_equal(fast.status, ref.status) and np.all(fast.status == 0)
    assert np.allclose(fast.Delta, ref.Delta, rtol=1e-6, atol=0)
    assert np.allclose(fast.mu_shift, ref.mu_shift, rtol=0, atol=1e-9)


def test_the_joint_newton_converges_in_a_gap_solve_s_worth_of_evaluations():
    """On a column of the map from the scaled Tc eigenvectors: every point converged,
    in at most eight batch evaluations (the nested search takes about fifteen: four gap
    solves and four density evaluations)."""
    m = Model.from_preset("A", Numerics.preset("map"))
    g = np.linspace(0.12, 0.46, 8)
    G, omega = np.array([m.coupling(x) for x in g]), np.array([m.cutoff(x) for x in g])
    mu = m.mu_normal(0.8)
    Tc = m.tc_batch(mu, G, omega)[0].Tc
    y0 = m.tc_shapes(mu, G, omega, Tc, 0.0)
    rho = np.full(g.size, m.normal_density(mu))
    sol = joint.joint_gaps(
        lambda x, i: m.kernel(x, omega[i], G[i]), y0, np.full(g.size, mu), rho,
        lambda x, i: density(m.subbands, x).sum(axis=0), tol=1e-8, mu_tol=1e-8,
    )  # fmt: skip
    assert sol.converged.all() and sol.iterations <= 8


def test_points_the_joint_newton_leaves_are_solved_by_the_nested_search(monkeypatch):
    """With two evaluations allowed, no point converges in the joint Newton: the nested
    search solves them all, from their first starts, to the same gaps as the joint Newton
    with its full count (gap_tol = mu_tol = 1e-11: within 1e-6)."""
    tight = dict(gap_tol=1e-11, mu_tol=1e-11)
    full = _column(monkeypatch, False, **tight)
    monkeypatch.setattr(joint, "MAXITER", 2)
    handed = _column(monkeypatch, False, **tight)
    assert np.array_equal(full.status, handed.status)
    assert np.allclose(full.Delta, handed.Delta, rtol=1e-6, atol=0)


def test_the_kernel_s_joint_jacobian_against_central_differences():
    """∂δρ/∂y at fixed nodes against central differences in y, with one band's gaps
    negative (to rounding); ∂F/∂μ and ∂ρ/∂μ against central differences of kernels
    built at μ ± 1e-6 eV (their kz nodes move with μ, which the Jacobian holds: within
    3 %; 1.3 % here)."""
    m = Model.from_preset("A", Numerics.preset("map"))
    gm, omega = m.coupling(0.3)[None], np.array([m.cutoff(0.3)])
    mu = m.mu_normal(0.8)
    y = m.tc_shapes(mu, gm, omega, np.array([60.0]), 0.0)
    y[:, 0] *= -1.0
    kernel = m.kernel(np.array([mu]), omega, gm)
    rule = kernel.fixed_rules(kernel.grading(y))
    F, _, drho, dF_dmu, drho_dy, drho_dmu = kernel.number_equations(y, rule)
    h = 1e-7 * np.max(np.abs(y))
    fd = np.zeros(y.size)
    for i in range(y.size):
        d = np.zeros(y.size)
        d[i] = h
        up = kernel.gap_equation(y + d.reshape(y.shape), jacobian=False, density=True, grading=rule)
        dn = kernel.gap_equation(y - d.reshape(y.shape), jacobian=False, density=True, grading=rule)
        fd[i] = (up[1][0] - dn[1][0]) / (2 * h)
    assert np.allclose(drho_dy.ravel(), fd, rtol=1e-6, atol=1e-6 * np.max(np.abs(fd)))

    def at(x):
        k = m.kernel(np.array([x]), omega, gm)
        F_x, drho_x = k.gap_equation(y, jacobian=False, density=True, grading=k.grading(y))
        return F_x, drho_x + density(m.subbands, [x]).sum(axis=0)

    step = 1e-6
    (F_up, rho_up), (F_dn, rho_dn) = at(mu + step), at(mu - step)
    fd_F = (F_up - F_dn) / (2 * step)
    assert np.allclose(dF_dmu, fd_F, rtol=0, atol=3e-2 * np.max(np.abs(fd_F)))
    assert drho_dmu[0] == pytest.approx((rho_up - rho_dn)[0] / (2 * step), rel=3e-2)


def test_the_secant_correction_brings_the_mu_column_to_the_rebuilt_kernels():
    """After a step in (y, μ), the μ-column corrected by what the step measured is closer
    to central differences of kernels rebuilt at μ ± 1e-6 eV than the fixed-node column
    (which holds the kz nodes that move with μ): a hundred times closer, for ∂F/∂μ and
    for ∂ρ/∂μ (here 1.3e-2 → 1.1e-5 and 8e-4 → 8e-7 relative)."""
    m = Model.from_preset("A", Numerics.preset("map"))
    gm, omega = m.coupling(0.3)[None], np.array([m.cutoff(0.3)])
    mu0 = m.mu_normal(0.8)
    y0 = m.tc_shapes(mu0, gm, omega, np.array([60.0]), 0.0)

    def state(y, x):
        k = m.kernel(np.array([x]), omega, gm)
        F, J, drho, dF_dmu, drho_dy, drho_dmu = k.number_equations(y, k.fixed_rules(k.grading(y)))
        rho = drho + density(m.subbands, [x]).sum(axis=0)
        return dict(live=np.array([0]), y=y, mu=np.array([x]), F=F, J=J, h=rho,
                    dF_dmu=dF_dmu, drho_dy=drho_dy, drho_dmu=drho_dmu)  # fmt: skip

    last, now = state(y0, mu0), state(1.001 * y0, mu0 + 2e-5)
    corrected, corrected_s = joint._secant_corrected(last, now)
    x, step = mu0 + 2e-5, 1e-6
    up, dn = state(now["y"], x + step), state(now["y"], x - step)
    fd, fd_s = (up["F"] - dn["F"]) / (2 * step), (up["h"] - dn["h"]) / (2 * step)
    assert np.max(np.abs(corrected - fd)) < np.max(np.abs(now["dF_dmu"] - fd)) / 100
    assert abs(corrected_s[0] - fd_s[0]) < abs(now["drho_dmu"][0] - fd_s[0]) / 100
