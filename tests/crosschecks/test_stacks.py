"""Layer stacks and quantum wells: invariances, an independent finite-difference solver,
exact limits of wells, the layer solver, and the examples."""

from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from fd_solver import fd_bloch
from multigap.cli import main
from multigap.config import Pairing, Superlattice, load_config, preset
from multigap.normal_state import density, partial_dos
from multigap.solvers.model import Model
from multigap.superlattice.kronig_penney import solve_layer, solve_subbands, tuned_width
from multigap.superlattice.overlap import bloch_table, pair_overlap
from multigap.units import HB2M, K_B

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STACK = ((0.50, 0.0, 1.0), (0.25, 3.0, 0.6), (0.30, -0.2, 0.9), (0.35, 4.0, 0.5))


def stack(cell=STACK, **kw):
    return Superlattice(layers=cell, mass_x=1.0, **kw)


def observables(sl):
    """Band edges, Ĩ on a kz grid, and Tc at two points."""
    sb = solve_subbands(sl)
    kz = np.linspace(0.05, sb.kz_max - 0.05, 9)
    I = pair_overlap(bloch_table(sb, kz, np.ones_like(kz)))
    m = Model(sl, Pairing(omega0=0.3))
    tc = [m.critical_temperature(eta, g=0.35).Tc for eta in (0.5, 1.0)]
    return sb.edges, I, np.array(tc)


def split(cell, i):
    w, v, m = cell[i]
    return cell[:i] + ((w / 2, v, m), (w / 2, v, m)) + cell[i + 1 :]


@pytest.mark.parametrize("transform", ["split", "rotate", "reverse"])
def test_stack_invariances(transform):
    """Splitting a layer into two identical halves, rotating the list (moving the origin)
    and reversing it change no band (1e-8 relative), no Ĩ (1e-8) and no Tc (1e-6)."""
    new = {"split": split(STACK, 1), "rotate": STACK[2:] + STACK[:2], "reverse": STACK[::-1]}[
        transform
    ]
    e0, I0, t0 = observables(stack())
    e1, I1, t1 = observables(stack(new))
    np.testing.assert_allclose(e1, e0, rtol=1e-8)
    np.testing.assert_allclose(I1, I0, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(t1, t0, rtol=1e-6)


def test_two_layer_config_as_layers_is_bit_identical(tmp_path):
    """The paper's cell written as `layers` gives the same numbers, bit for bit, as the
    same cell written with well_width etc."""
    sl = preset("A")[0]
    as_layers = Superlattice(layers=sl.cell, mass_x=sl.mass_x)
    for s in (sl, as_layers):
        assert s.cell == sl.cell
    a, b = Model(sl, preset("A")[1]), Model(as_layers, preset("A")[1])
    assert np.array_equal(a.subbands.edges, b.subbands.edges)
    ta, tb = a.critical_temperature(1.0, g=0.3), b.critical_temperature(1.0, g=0.3)
    assert ta.Tc == tb.Tc
    ga, gb = a.gaps(1.0, g=0.3, tc=ta), b.gaps(1.0, g=0.3, tc=tb)
    assert np.array_equal(ga.delta_average, gb.delta_average) and ga.mu == gb.mu
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        "[superlattice]\nmass_x = 1.0\n"
        + "".join(
            f'[[superlattice.layers]]\nwidth = {w!r}\nheight = "{v!r} eV"\nmass = {m!r}\n'
            for w, v, m in sl.cell
        )
    )
    assert load_config(cfg).superlattice.cell == sl.cell


@pytest.mark.parametrize(
    "cell,n", [(((0.5, 0.0, 1.0), (0.3, 2.5, 0.6), (0.4, 0.8, 0.8)), 12 * 120), (STACK, 28 * 60)]
)
def test_stacks_match_finite_differences(cell, n):
    """3- and 4-layer stacks with different masses: E_n and |ψ|² from the transfer matrix
    agree with a Richardson-extrapolated finite-difference solution of the Hermitian
    BenDaniel–Duke operator (energies to 2e-5, |ψ|² to 3e-3)."""
    sl = stack(cell)
    sb = solve_subbands(sl)
    q = 0.37 * sb.kz_max
    e1, _, _ = fd_bloch(sl, q, n)
    e2, z2, p2 = fd_bloch(sl, q, 2 * n)
    e_fd = (4 * e2 - e1) / 3
    bounds = np.concatenate([[0.0], np.cumsum([c[0] for c in cell])])
    keep = ~np.any(np.isclose(z2[:, None], bounds[None, :]), axis=1)
    for k in (1, 2, 3):
        assert e_fd[k - 1] == pytest.approx(float(sb.energy(k, q)), rel=2e-5)
        assert np.max(np.abs(p2[k - 1] - sb.bloch_density(k, [q], z2)[0])[keep]) < 3e-3


def test_layer_solver_reproduces_presets_and_solves_a_stack():
    """The general layer solver gives the presets' barrier masses (0.5096, 0.7685) and
    solves one layer of a 4-layer stack for a target ΔE (to 1e-9 eV)."""
    assert solve_layer(preset("A")[0], 0.274, layer=1) == pytest.approx(0.5096, abs=5e-5)
    assert solve_layer(preset("B")[0], 0.145, layer=1) == pytest.approx(0.7685, abs=5e-5)
    m = solve_layer(stack(), 0.2, layer=3, field="mass")
    assert tuned_width(stack().with_layer(3, mass=m)) == pytest.approx(0.2, abs=1e-9)
    w = solve_layer(stack(), 0.2, layer=1, field="width")
    assert tuned_width(stack().with_layer(1, width=w)) == pytest.approx(0.2, abs=1e-9)


# -- quantum wells ---------------------------------------------------------------------------
def free_wells(g, omega, n_bands=3):
    sl = Superlattice(
        0.85, 0.55, 0.0, 1.0, 1.0, 1.0, n_bands=n_bands, tuned_band=n_bands, structure="wells"
    )
    gm = np.full((n_bands, n_bands), g)
    return Model(
        sl, Pairing(omega0=omega / np.sqrt(1 - 2 * g), g_intra=[g] * n_bands, g_inter=gm.tolist())
    )


def test_wells_bcs_limit():
    """V → 0, equal masses, uniform g, μ ≫ ω̃: the DOS at μ is the free 3D one, and
    Tc = 1.13387 ω̃ exp(−π/(g k_F d)) with k_F = sqrt(m μ)/ħ (within 0.5 %)."""
    g, omega, mu = 0.3, 0.02, 0.45
    m = free_wells(g, omega)
    kf = np.sqrt(mu / HB2M)
    expect = 1.13387 * omega * np.exp(-np.pi / (g * kf * m.subbands.period)) / K_B
    assert m.critical_temperature(mu=mu).Tc == pytest.approx(expect, rel=5e-3)


def test_isolated_well_is_two_dimensional_bcs():
    """A thick, high barrier isolates the wells (a flat subband): one well is 2D BCS,
    1/λ = Φ(ω̃/2Tc) with Φ(x) = ∫_0^x tanh(y)/y dy, to 1e-6. The coupling is
    λ = g·Ĩ¹¹ with Ĩ¹¹ = (1/d)∫|ψ|⁴ dz the well's self-overlap (about d/L_eff for a
    confined state, 3.16 here): the pairing matrix element of the BPV theory, which
    a uniform state (Ĩ = 1) would not see."""
    g, omega = 0.25, 0.02
    sl = Superlattice(0.85, 1.6, 2.0, 1.0, 1.0, 1.0, n_bands=1, tuned_band=1, structure="wells")
    m = Model(sl, Pairing(omega0=omega / np.sqrt(1 - 2 * g), g_intra=[g], g_inter=[[g]]))
    sb = m.subbands
    assert sb.tuned_width < 1e-4
    kz = np.linspace(0.0, sb.kz_max, 5)
    self_overlap = pair_overlap(bloch_table(sb, kz, np.ones_like(kz)))[0, :, 0, :]
    assert np.ptp(self_overlap) < 1e-3 * self_overlap.mean() and self_overlap.mean() > 2
    mu = sb.edges[0, 1] + 0.2
    phi = lambda x: quad(lambda y: np.tanh(y) / y if y else 1.0, 0, x, limit=200)[0]  # noqa: E731
    lam = g * self_overlap.mean()
    exact = brentq(lambda T: phi(omega / (2 * K_B * T)) - 1 / lam, 1.0, 500.0, xtol=1e-10)
    assert m.critical_temperature(mu=mu).Tc == pytest.approx(exact, rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sl",
    [
        Superlattice(0.85, 0.55, 4.16, 1.0, 0.5096, 1.0, structure="wells"),
        Superlattice(layers=STACK, mass_x=0.8, structure="wells"),
    ],
)
def test_wells_dos_counts_states_and_is_the_derivative_of_the_density(sl):
    """Wells: ∫ N_n(E) dE from the band bottom equals ρ_n (the state count), and
    N = dρ/dμ (central difference), each to 1e-6."""
    sb = solve_subbands(sl)
    for n in (1, 2, 3):
        lo, hi = sb.edges[n - 1]
        for E in (lo + 0.3 * (hi - lo), hi + 0.05):
            counted = quad(
                lambda e: partial_dos(sb, [e])[n - 1, 0],
                lo,
                E,
                points=[hi] if E > hi else None,
                limit=200,
                epsrel=1e-10,
            )[0]
            assert counted == pytest.approx(density(sb, [E])[n - 1, 0], rel=1e-6)
            h = 1e-6
            slope = (density(sb, [E + h])[n - 1, 0] - density(sb, [E - h])[n - 1, 0]) / (2 * h)
            assert slope == pytest.approx(partial_dos(sb, [E])[n - 1, 0], rel=1e-6)


def test_wells_gaps_and_thermodynamics_run_through_the_same_engine():
    """Gaps at T = 0 and at T, and the specific heat, for wells with the preset-A geometry."""
    from multigap.solvers.thermodynamics import thermodynamics

    m = Model.load(EXAMPLES / "wells_preset_a.toml")
    assert m.free.name == "wells"
    tc = m.critical_temperature(1.0, g=0.4)
    r = m.gaps(1.0, g=0.4, tc=tc)
    assert r.converged and np.all(r.delta_average > 0)
    th = thermodynamics(m, 1.0, 0.4, mu_mode="fixed_mu", num=12)
    assert 0.5 < th.jump < 3.0


# -- the examples ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "example,args",
    [
        ("stack_4layer.toml", ["tc", "--eta", "1", "--g", "0.35"]),
        ("wells_preset_a.toml", ["tc", "--eta", "1", "--g", "0.4"]),
        ("stack_5band.toml", ["gaps", "--eta", "1", "--g", "0.35"]),
        ("stack_4layer.toml", ["bands", "--plot", "PLOT"]),
    ],
)
def test_examples_run(tmp_path, capsys, example, args):
    args = [str(tmp_path / "p.png") if a == "PLOT" else a for a in args]
    assert main(args + ["--config", str(EXAMPLES / example), "--json"]) == 0
    assert capsys.readouterr().out.strip()


def test_five_band_stack_tuned_at_band_four(capsys):
    import json

    assert (
        main(
            [
                "gaps",
                "--config",
                str(EXAMPLES / "stack_5band.toml"),
                "--eta",
                "1",
                "--g",
                "0.35",
                "--json",
            ]
        )
        == 0
    )
    d = json.loads(capsys.readouterr().out)
    assert len(d["Delta_meV"]) == 5 and d["Delta_ratio_bands"] == [4, 3]


def test_sweep_over_a_layer_parameter(tmp_path):
    from multigap.study.sweep import load_sweep

    assert (
        main(
            [
                "sweep",
                "--config",
                str(EXAMPLES / "stack_4layer.toml"),
                "--eta",
                "0.5",
                "1.5",
                "3",
                "--g",
                "0.3",
                "0.4",
                "2",
                "--param",
                "layers.2.width",
                "0.2",
                "0.3",
                "2",
                "--serial",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    ds = load_sweep(tmp_path / "s")
    assert ds.layers_2_width.attrs["units"] == "nm" and np.all(ds.status.values >= 0)
    assert (
        main(
            [
                "sweep",
                "--eta",
                "0",
                "1",
                "2",
                "--g",
                "0.3",
                "0.4",
                "2",
                "--param",
                "layers.3.width",
                "0.2",
                "0.3",
                "2",
                "--out",
                str(tmp_path / "t"),
            ]
        )
        == 2
    )


def test_layers_and_two_layer_keys_are_exclusive(tmp_path):
    from multigap.errors import ParameterError

    with pytest.raises(ParameterError, match="two spellings"):
        Superlattice(well_width=0.85, layers=STACK, mass_x=1.0)
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        "[superlattice]\nwell_width = 0.85\n[[superlattice.layers]]\nwidth = 0.5\n"
        "height = 0\nmass = 1\n"
    )
    with pytest.raises(ParameterError, match="two spellings"):
        load_config(cfg)
