"""Finite temperature: exact BCS limits, consistency with Tc, continuity, two-band checks.

Each test names the formula or property it checks. The free-electron superlattice
(V = 0, equal masses, uniform g, μ far from folded edges) has Ĩ ≡ 1 and a constant 2D
DOS, which turns the model into textbook BCS.
"""

import json

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from multigap.cli import main
from multigap.config import Pairing, Superlattice, preset
from multigap.normal_state import entropy, total_dos
from multigap.pairing.cutoff import allen_dynes_tc
from multigap.solvers.model import Model
from multigap.solvers.thermodynamics import thermodynamics
from multigap.units import K_B

G, OMEGA, MU = 0.25, 0.05, 0.45


def free_model(g_matrix, omega=OMEGA):
    sl = Superlattice(
        0.85, 0.55, 0.0, 1.0, 1.0, 1.0, n_bands=len(g_matrix), tuned_band=len(g_matrix)
    )
    gmax = max(np.diag(g_matrix))
    return Model(
        sl,
        Pairing(
            omega0=omega / np.sqrt(1 - 2 * gmax),
            g_intra=list(np.diag(g_matrix)),
            g_inter=[list(r) for r in g_matrix],
        ),
    )


@pytest.fixture(scope="module")
def bcs():
    m = free_model(np.full((3, 3), G))
    eta = float((MU - m.subbands.lifshitz_energy) / m.subbands.tuned_width)
    return m, eta, m.critical_temperature(eta, g=G)


def bcs_gap(T):
    """Textbook BCS: 1/g = ∫_0^ω dξ tanh(E/2T)/E, E = sqrt(ξ² + Δ²) (T = k_B T in eV)."""

    def gap_eq(d):
        return (
            quad(
                lambda x: np.tanh(np.hypot(x, d) / (2 * T)) / np.hypot(x, d),
                0,
                OMEGA,
                epsabs=0,
                epsrel=1e-12,
                limit=200,
            )[0]
            - 1 / G
        )

    return brentq(gap_eq, 1e-9, 2 * OMEGA / np.sinh(1 / G), xtol=1e-15)


@pytest.mark.parametrize("t", [0.3, 0.5, 0.7, 0.9])
def test_bcs_gap_against_the_textbook_gap_equation(bcs, t):
    """Δ(T)/Δ(0) through the whole model equals the BCS gap equation solved with scipy quad
    (at the model's own Tc), to 1e-4."""
    m, eta, tc = bcs
    r = m.gaps(eta, g=G, tc=tc, temperature=t * tc.Tc, mu_mode="fixed_mu")
    assert r.status == "ok"
    assert r.delta_average[0] / (OMEGA / np.sinh(1 / G)) == pytest.approx(
        bcs_gap(K_B * t * tc.Tc) / bcs_gap(1e-9), rel=1e-4
    )


def test_bcs_gap_near_tc_is_3_063_sqrt(bcs):
    """Near Tc: Δ → 3.063 k_B Tc sqrt(1 − T/Tc) (within 1 % at T = 0.999 Tc)."""
    m, eta, tc = bcs
    r = m.gaps(eta, g=G, tc=tc, temperature=0.999 * tc.Tc, mu_mode="fixed_mu")
    assert r.delta_average[0] == pytest.approx(3.063 * K_B * tc.Tc * np.sqrt(0.001), rel=1e-2)


def test_bcs_specific_heat_jump(bcs):
    """ΔC/C_N = 12/(7ζ(3)) = 1.426 within 1 %; C = C_N above Tc; Tc of the curves is the
    linearised Tc."""
    m, eta, tc = bcs
    r = thermodynamics(m, eta, G, mu_mode="fixed_mu", num=40)
    assert r.Tc == pytest.approx(tc.Tc, rel=1e-9)
    assert r.jump == pytest.approx(12 / (7 * 1.2020569031595942), rel=1e-2)
    above = r.T > r.Tc
    assert np.all(r.status[above] == "normal")
    assert r.heat_ratio[above] == pytest.approx(1.0, rel=1e-3)


def test_normal_heat_is_sommerfeld_at_low_temperature():
    """C_N = γT with γ = (π²/3) k_B² N(μ) (N the total DOS, both spins) at T ≪ band scales;
    the entropy is S_N = γT there, to 1e-5."""
    m = Model.from_preset("A")
    mu = m.mu_normal(0.5)
    gamma = np.pi**2 / 3 * float(total_dos(m.subbands, [mu])[0]) * K_B
    for T in (0.5, 2.0, 5.0):
        assert float(entropy(m.subbands, [mu], T).sum()) == pytest.approx(gamma * T, rel=1e-5)


@pytest.fixture(scope="module")
def resonant_a():
    return Model.from_preset("A")


@pytest.mark.parametrize(
    "mode,tc_mode", [("fixed_mu", "normal"), ("fixed_density", "fixed_density")]
)
def test_gap_vanishes_at_the_linearised_tc_of_its_mode(resonant_a, mode, tc_mode):
    """Δ(T) → 0 at the linearised Tc of the matching μ mode (fixed_mu ↔ Tc at μ_N;
    fixed_density ↔ Tc with μ at ρ_N at that temperature): Δ̄_t² extrapolated linearly
    from 0.99 and 0.995 Tc vanishes within 0.2 % of Tc, at case A, η = 1, g = 0.3."""
    m = resonant_a
    tc = m.critical_temperature(1.0, g=0.3, mu_mode=tc_mode)
    base = m.critical_temperature(1.0, g=0.3)
    d2 = []
    for t in (0.99, 0.995):
        r = m.gaps(1.0, g=0.3, tc=base, temperature=t * tc.Tc, mu_mode=mode)
        assert r.status == "ok"
        d2.append(r.delta_average[2] ** 2)
    t_zero = 0.99 + (0.995 - 0.99) * d2[0] / (d2[0] - d2[1])
    assert t_zero == pytest.approx(1.0, abs=2e-3)
    above = m.gaps(1.0, g=0.3, tc=base, temperature=1.001 * tc.Tc, mu_mode=mode)
    assert above.status == "normal" and np.all(above.delta_average == 0) and above.converged


def test_zero_temperature_limit_is_continuous(resonant_a):
    """The finite-T solver at T = 10⁻³ Tc equals the T = 0 solver: to 1e-9 at fixed μ
    (thermal corrections are e^{−Δ/T}); at fixed density to 1e-5, because μ sits on the
    log van Hove point here (η = 1), where the normal density's thermal correction is
    anomalous (~5e-10 of ρ at 0.2 K) and moves μ_S by ~1e-7 eV."""
    m = resonant_a
    tc = m.critical_temperature(1.0, g=0.3)
    for mode, rel in (("fixed_mu", 1e-9), ("fixed_density", 1e-5)):
        cold = m.gaps(1.0, g=0.3, tc=tc, mu_mode=mode)
        warm = m.gaps(1.0, g=0.3, tc=tc, temperature=1e-3 * tc.Tc, mu_mode=mode)
        assert warm.delta_average == pytest.approx(cold.delta_average, rel=rel)


def test_entropy_is_continuous_at_tc(resonant_a):
    """S(T) of the superconducting branch meets the normal state at Tc: the last points
    below Tc extrapolate to S_N(Tc) within 1e-3."""
    r = thermodynamics(resonant_a, 1.0, 0.3, mu_mode="fixed_mu", num=30)
    below = np.flatnonzero(r.T < r.Tc)[-3:]
    fit = np.polyval(np.polyfit(r.T[below], r.entropy[below], 2), r.Tc)
    sn = np.interp(r.Tc, r.T, r.entropy_normal)
    assert fit == pytest.approx(sn, rel=1e-3)


def test_two_independent_bands_close_at_two_temperatures():
    """Two free folded bands with no interband coupling are two BCS superconductors, each
    with its share f_n = N_n/N0 of the 2D DOS at μ: Tc_n = 1.134 ω e^{−1/(g_n f_n)}. Between
    the two Tc only the stronger band has a gap. With a small interband coupling both
    gaps are nonzero up to one Tc."""
    from multigap.free_motion.motion import Wires
    from multigap.normal_state import partial_dos

    g1, g2 = 0.45, 0.30
    m = free_model(np.array([[g1, 0.0], [0.0, g2]]))
    eta = float((MU - m.subbands.lifshitz_energy) / m.subbands.tuned_width)
    share = partial_dos(m.subbands, [MU])[:, 0] / 2 / Wires(1.0).pairing_dos()
    tc_n = 1.13387 * OMEGA * np.exp(-1 / (np.array([g1, g2]) * share)) / K_B
    tc = m.critical_temperature(eta)
    assert tc.Tc == pytest.approx(tc_n.max(), rel=2e-2)
    strong, weak = np.argmax(tc_n), np.argmin(tc_n)
    between = np.sqrt(tc_n[0] * tc_n[1])
    r = m.gaps(eta, tc=tc, temperature=between, mu_mode="fixed_mu")
    assert r.delta_average[strong] > 0
    assert abs(r.delta_average[weak]) < 1e-6 * r.delta_average[strong]
    coupled = free_model(np.array([[g1, 0.02], [0.02, g2]]))
    tcc = coupled.critical_temperature(eta)
    for t in (between, 0.99 * tcc.Tc):
        r = coupled.gaps(eta, tc=tcc, temperature=t, mu_mode="fixed_mu")
        assert np.all(r.delta_average > 0)


def test_crossover_diagnostics_in_gap_results(resonant_a):
    """Every gap result carries E_F,n = μ − bottom_n, E_F/Δ̄, E_F/ω̃ and k_F ξ0 = 2E_F/(πΔ̄)."""
    r = resonant_a.gaps(1.0, g=0.4)
    s = r.summary()
    ef = (r.mu - resonant_a.subbands.edges[:, 0]) * 1e3
    assert s["fermi_energy_meV"] == pytest.approx(ef)
    assert s["kF_xi0"] == pytest.approx(2 * ef / (np.pi * r.delta_average * 1e3))
    assert s["adiabatic_ratio"] == pytest.approx(ef / (r.kernel.omega[0] * 1e3))
    ds = r.to_dataset()
    assert ds.kF_xi0.dims == ("band",) and ds.fermi_energy.attrs["units"] == "meV"


def test_allen_dynes_formula():
    """Tc = (ω_log/1.2) exp[−1.04(1 + λ)/(λ − μ*(1 + 0.62λ))], λ = g/(1 − g), ω_log = ω̃;
    zero when λ <= μ*(1 + 0.62λ)."""
    lam = 0.4 / 0.6
    expect = 0.1476 / K_B / 1.2 * np.exp(-1.04 * (1 + lam) / (lam - 0.1 * (1 + 0.62 * lam)))
    assert allen_dynes_tc(0.4, 0.1476, 0.1) == pytest.approx(expect)
    assert allen_dynes_tc(0.05, 0.1476, 0.1) == 0.0


def test_thermo_cli_contract(capsys, tmp_path):
    """`multigap thermo --json` prints Tc_K, T_K, Delta_meV (per T, per band), mu_meV,
    C_over_CN and specific_heat_jump; --out and --plot write their files."""
    code = main(
        [
            "thermo",
            "--model",
            "A",
            "--eta",
            "1",
            "--g",
            "0.3",
            "--mu-mode",
            "fixed_mu",
            "--num",
            "12",
            "--json",
            "--out",
            str(tmp_path / "t.nc"),
            "--plot",
            str(tmp_path / "t.png"),
        ]
    )
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert {"Tc_K", "T_K", "Delta_meV", "mu_meV", "C_over_CN", "specific_heat_jump"} <= d.keys()
    assert len(d["T_K"]) == 12 and len(d["Delta_meV"][0]) == 3
    assert (tmp_path / "t.png").stat().st_size > 1000 and (tmp_path / "t.nc").exists()


def test_gaps_cli_temperature_and_tc_allen_dynes(capsys):
    """`gaps --temperature` reports T_K and the normal state above Tc; `tc` reports the
    Allen–Dynes Tc for --mu-star."""
    assert main(["gaps", "--eta", "1", "--g", "0.3", "--temperature", "400", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["T_K"] == 400 and d["status"] == "normal" and d["Delta_meV"] == [0, 0, 0]
    assert main(["tc", "--eta", "1", "--g", "0.4", "--mu-star", "0.13", "--json"]) == 0
    t = json.loads(capsys.readouterr().out)
    assert t["Tc_AllenDynes_K"] == pytest.approx(
        allen_dynes_tc(0.4, t["omega_tilde_meV"] / 1e3, 0.13)
    )
    assert t["amplification"] == pytest.approx(t["Tc_K"] / t["Tc_AllenDynes_K"])


def test_sweep_gaps_at_a_temperature():
    """`sweep --gaps --temperature T` solves the gaps at T: smaller than at T = 0, zero
    (normal, converged) where T >= Tc."""
    from multigap.config import Numerics
    from multigap.study.sweep import SweepSpec, compute_column

    sl, pa = preset("A")
    cold = compute_column(
        SweepSpec(sl, pa, Numerics.preset("map"), (1.0, 1.0, 1), (0.2, 0.4, 3), gaps=True), 0, 0
    )
    warm = compute_column(
        SweepSpec(
            sl,
            pa,
            Numerics.preset("map"),
            (1.0, 1.0, 1),
            (0.2, 0.4, 3),
            gaps=True,
            temperature=150.0,
        ),
        0,
        0,
    )
    hot = warm["Tc"] <= 150.0
    assert np.all(warm["gap_converged"] == 1)
    assert np.all(warm["Delta"][hot] == 0)
    assert np.all(warm["Delta"][~hot, 2] < cold["Delta"][~hot, 2])


def test_bcs_specific_heat_at_low_temperature_follows_the_textbook_form():
    """One free 2D band, weak coupling, fixed μ: at T = 0.05 Tc (Δ0/k_BT ≈ 35) the specific
    heat follows the low-T form of BCS, C/C_N = (3/π²)·sqrt(2π)·x^{5/2}·e^{−x}·(1 + 11/(8x)),
    x = Δ0/k_BT (C_N = γT; the 11/8 collects the quadratic and quartic terms of E(ξ)), to
    0.5 %: C ≈ 3e-12 C_N, which a difference of the entropy could never resolve."""
    sl = Superlattice(0.85, 0.55, 0.0, 1.0, 1.0, 1.0, n_bands=1, tuned_band=1)
    g, omega = 0.2, 0.02
    m = Model(sl, Pairing(omega0=omega / np.sqrt(1 - 2 * g), g=g, g_inter=0.0))
    eta = float((0.1 - m.subbands.lifshitz_energy) / m.subbands.tuned_width)
    r = thermodynamics(m, eta, g=g, mu_mode="fixed_mu", num=12)
    x = r.delta[0, 0] / (K_B * r.T[0])
    textbook = 3 / np.pi**2 * np.sqrt(2 * np.pi) * x**2.5 * np.exp(-x) * (1 + 11 / (8 * x))
    assert r.T[0] == pytest.approx(0.05 * r.Tc) and x > 30
    assert r.heat_ratio[0] == pytest.approx(textbook, rel=5e-3)
    assert r.jump == pytest.approx(12 / (7 * 1.2020569031595942), rel=1e-2)


def _heat_from_entropy(model, eta, g, T0, mode, h=1e-4):
    """T·dS/dT at T0 from a central difference of the entropy of states solved at T0(1 ± h)."""
    S = []
    for T in (T0 * (1 - h), T0 * (1 + h)):
        r = model.gaps(eta, g=g, temperature=T, mu_mode=mode)
        S.append(entropy(model.subbands, [r.mu], T).sum() + r.kernel.entropy_change(r.y[None])[0])
    return T0 * (S[1] - S[0]) / (2 * h * T0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "structure, mode, g, rel",
    [("wires", "fixed_density", 0.4, 1e-6), ("wires", "fixed_mu", 0.4, 1e-6),
     ("wells", "fixed_density", 0.3, 1e-5)],
)  # fmt: skip
def test_specific_heat_is_the_entropy_slope(structure, mode, g, rel):
    """C from the slopes of the solved states (the implicit function theorem on the gap
    and number equations) equals T·dS/dT of states converged to 1e-13, at 0.6 and 0.99 Tc:
    wires to 1e-6 (measured 2e-8; the number equation's row exact), wells to 1e-5
    (measured 1.4e-6; that row by central differences along two directions, on the kx
    quadrature). The states at T and T(1 + 1e-3) that C was once taken from were 4e-4 off
    at 0.9 Tc and 4.6e-4 at 0.99 Tc (wells: 2.2e-4).
    """
    sl, pa = preset("A")
    m = Model(sl.replace(structure=structure), pa)
    m = m.with_numerics(m.numerics.replace(gap_tol=1e-13, mu_tol=1e-13))
    r = thermodynamics(m, 1.0, g=g, mu_mode=mode, num=12)
    for frac in (0.6, 0.99):
        i = int(np.argmin(np.abs(r.T - frac * r.Tc)))
        assert r.heat[i] == pytest.approx(_heat_from_entropy(m, 1.0, g, r.T[i], mode), rel=rel)


def test_specific_heat_at_a_temperature_does_not_depend_on_the_grid(resonant_a):
    """C/C_N at 0.05 Tc is the same whether 12 or 16 temperatures were asked for (with 12 or
    40 it used to be 0.243 and 0.077: a difference of S across the grid), and C at 0.3 Tc equals
    T·dS/dT from a fine difference of the entropy of gaps solved at T(1 ± 1e-3)."""
    m, eta = resonant_a, 1.0
    coarse = thermodynamics(m, eta, g=0.4, num=12)
    fine = thermodynamics(m, eta, g=0.4, num=16)
    assert coarse.heat_ratio[0] == pytest.approx(fine.heat_ratio[0], rel=1e-2)
    i = int(np.argmin(np.abs(fine.T - 0.3 * fine.Tc)))
    expected = _heat_from_entropy(m, eta, 0.4, fine.T[i], "fixed_density", h=1e-3)
    assert fine.heat[i] == pytest.approx(expected, rel=1e-2)


def test_a_singular_state_fails_alone_in_the_slopes():
    """The slopes' linear solve is batched; a state whose Jacobian is singular gets NaN
    (and is then reported failed) while the others are solved."""
    from multigap.solvers.thermodynamics import _solve_each

    J = np.stack([np.eye(2), np.zeros((2, 2)), 2.0 * np.eye(2)])
    out = _solve_each(J, np.ones((3, 2, 1)))[..., 0]
    assert np.isnan(out[1]).all()
    np.testing.assert_array_equal(out[[0, 2]], [[1.0, 1.0], [0.5, 0.5]])
