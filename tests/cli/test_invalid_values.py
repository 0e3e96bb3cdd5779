"""Bad inputs are refused at the door with a MultigapError that names the parameter."""

import json
import math

import pytest

from multigap.config import Numerics, Pairing, Superlattice, load_config, preset
from multigap.errors import MultigapError, ParameterError
from multigap.superlattice.kronig_penney import solve_mass, solve_subbands

GOOD = dict(
    well_width=0.85,
    barrier_width=0.55,
    barrier_height=4.16,
    mass_well=1.0,
    mass_barrier=0.5,
    mass_x=1.0,
)


@pytest.mark.parametrize(
    "name", ["well_width", "barrier_width", "mass_well", "mass_barrier", "mass_x"]
)
@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf, "abc", None])
def test_nonpositive_or_nonfinite_widths_and_masses(name, bad):
    with pytest.raises(ParameterError, match=name):
        Superlattice(**{**GOOD, name: bad})


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf])
def test_barrier_height_must_be_finite_and_nonnegative(bad):
    with pytest.raises(ParameterError, match="barrier_height"):
        Superlattice(**{**GOOD, "barrier_height": bad})


def test_zero_barrier_is_valid():
    assert Superlattice(**{**GOOD, "barrier_height": 0.0}).barrier_height == 0.0


def test_tuned_band_beyond_kept_bands():
    with pytest.raises(ParameterError, match="tuned_band.*from 1 to 3"):
        Superlattice(**GOOD, n_bands=3, tuned_band=4)
    with pytest.raises(ParameterError, match="n_bands"):
        Superlattice(**GOOD, n_bands=0, tuned_band=1)


def test_errors_are_value_errors():
    assert issubclass(MultigapError, ValueError)


@pytest.mark.parametrize("g", [0.5, 0.7, -0.1, math.nan])
def test_coupling_at_or_above_one_half_refused(g):
    """The Migdal cut-off ω0 sqrt(1 − 2 max g_nn) needs max g_nn < 0.5."""
    with pytest.raises(ParameterError, match="g"):
        Pairing(omega0=0.33, g=g)


def test_pairing_matrix_shape_and_symmetry():
    with pytest.raises(ParameterError, match="symmetric"):
        Pairing(omega0=0.33, g_inter=[[0.1, 0.2], [0.1, 0.1]])
    with pytest.raises(ParameterError, match="g_inter"):
        Pairing(omega0=0.33, g_inter=[[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]])
    with pytest.raises(ParameterError, match="g_intra"):
        Pairing(omega0=0.33, g_intra=[0.1, 0.2]).coupling_matrix(3, 3)
    with pytest.raises(ParameterError, match="omega0"):
        Pairing(omega0=0.0)


def test_default_coupling_matrix_follows_the_paper():
    g = Pairing(omega0=0.33, g=0.3).coupling_matrix(3, 3)
    assert g[2, 2] == 0.3 and g[0, 0] == g[1, 1] == 0.10 and g[0, 2] == g[1, 0] == 0.10


def test_numerics_bounds():
    with pytest.raises(ParameterError, match="n_z"):
        Numerics(n_z=1)


def test_mass_solver_reproduces_presets():
    """Spec §2: m_b = 0.5096 gives ΔE = 274 meV (A), m_b = 0.7685 gives 145 meV (B)."""
    for name, target, mb in (("A", 0.274, 0.5096), ("B", 0.145, 0.7685)):
        sl = preset(name)[0]
        assert solve_mass(sl, target) == pytest.approx(mb, abs=5e-5)
        assert sl.mass_barrier == mb
        assert solve_subbands(sl).tuned_width == pytest.approx(target, abs=2e-4)


def test_mass_solver_for_the_well_mass_round_trips():
    sl = preset("A")[0]
    width = solve_subbands(sl.replace(mass_well=1.2)).tuned_width
    assert solve_mass(sl, width, which="well") == pytest.approx(1.2, rel=1e-7)


def test_mass_solver_unreachable_target():
    with pytest.raises(ParameterError, match="target width"):
        solve_mass(preset("A")[0], 50.0)


def test_config_file_errors(tmp_path):
    bad_key = tmp_path / "bad.toml"
    bad_key.write_text("[superlattice]\nwell_widht = 0.8\n")
    with pytest.raises(ParameterError, match="superlattice.well_widht.*unknown"):
        load_config(bad_key)
    bad_table = tmp_path / "t.toml"
    bad_table.write_text("[lattice]\nx = 1\n")
    with pytest.raises(ParameterError, match="config.lattice"):
        load_config(bad_table)
    bad_unit = tmp_path / "u.toml"
    bad_unit.write_text('[superlattice]\nbarrier_height = "4 nm"\n')
    with pytest.raises(ParameterError, match="barrier_height"):
        load_config(bad_unit)
    bad_syntax = tmp_path / "s.toml"
    bad_syntax.write_text("[superlattice\n")
    with pytest.raises(ParameterError, match="valid TOML"):
        load_config(bad_syntax)
    with pytest.raises(ParameterError, match="existing TOML"):
        load_config(tmp_path / "missing.toml")


def test_config_units_and_precedence(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        '[superlattice]\nbarrier_height = "4160 meV"\nwell_width = "8.5 angstrom"\n'
        'mass_barrier = 0.6\n[pairing]\nomega0 = "274 meV"\ng_intra = [0.1, 0.1, 0.3]\n'
        "g_inter = [[0, 0.05, 0.02], [0.05, 0, 0.03], [0.02, 0.03, 0]]\n"
    )
    cfg = load_config(f, model="B", overrides={"mass_barrier": 0.7})
    assert cfg.superlattice.barrier_height == pytest.approx(4.16)
    assert cfg.superlattice.well_width == pytest.approx(0.85)
    assert cfg.superlattice.mass_barrier == 0.7  # flag beats file
    assert cfg.pairing.omega0 == pytest.approx(0.274)
    g = cfg.pairing.coupling_matrix(3, 3)
    assert g[2, 2] == 0.3 and g[0, 1] == 0.05 and g[1, 2] == 0.03
    assert load_config(f, overrides={"g": 0.4}).pairing.coupling_matrix(3, 3)[2, 2] == 0.4


def test_the_library_names_parameters_never_command_line_flags():
    """Outside the CLI, every ParameterError names a parameter ('out', 'vary'), not a flag
    ('--out'); the CLI turns the name into its flag when it prints (see test_cli)."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "multigap"
    offenders = []
    for f in sorted(src.rglob("*.py")):
        if "cli" in f.parts or f.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "ParameterError"
                and node.args
            ):
                first = node.args[0]
                text = first.value if isinstance(first, ast.Constant) else None
                if isinstance(first, ast.JoinedStr):
                    text = "".join(v.value for v in first.values if isinstance(v, ast.Constant))
                if isinstance(text, str) and text.startswith("--"):
                    offenders.append(f"{f.name}:{node.lineno} {text}")
    assert offenders == []


@pytest.mark.parametrize(
    "message, printed",
    [
        ("out = 'x' is invalid: expected y", "--out = 'x' is invalid: expected y"),
        ("connect_timeout = 0 is invalid", "--connect-timeout = 0 is invalid"),
        ("param mass_x (value 0) = 0.0 is invalid", "--param mass_x (value 0) = 0.0 is invalid"),
        ("barrier_height = 1 is invalid", "barrier_height (--barrier-height) = 1 is invalid"),
        ("could not reach a Dask scheduler", "could not reach a Dask scheduler"),
    ],
)
def test_the_cli_prints_parameters_as_flags(message, printed):
    from multigap.cli import in_flags

    assert in_flags(message) == printed


@pytest.mark.parametrize(
    "args, said",
    [
        (["bands", "--barrier-height", "4.16"], "--barrier-height = 4.16 is read as 4.16 meV"),
        (["tc", "--eta", "1", "--g", "0.4", "--omega0", "0.33"], "type '0.33 eV'"),
        (["bands", "--well-width", "8.5"], "type '8.5 angstrom'"),
    ],
)
def test_a_number_that_looks_typed_in_ev_or_angstrom_is_computed_and_named(capsys, args, said):
    """The issue's unit mistakes: the value is used as typed (a warning, not an error), and
    one line says how it was read and what to type instead; with the unit, no warning."""
    from multigap.cli import main

    assert main(args) == 0
    err = capsys.readouterr().err
    assert said in err and err.startswith("multigap: warning: ")
    fixed = [a.replace("4.16", "4.16 eV").replace("0.33", "0.33 eV").replace("8.5", "8.5 angstrom")
             for a in args]  # fmt: skip
    assert main(fixed) == 0
    assert "warning" not in capsys.readouterr().err
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr().out
    assert any(said in w for w in json.loads(out)["warnings"])  # and in the JSON
    assert main([*fixed, "--json"]) == 0
    assert "warnings" not in json.loads(capsys.readouterr().out)


def test_the_library_warns_on_the_same_unlikely_numbers_in_a_config_file(tmp_path):
    from multigap.config import load_config
    from multigap.errors import UnitWarning

    cfg = tmp_path / "c.toml"
    cfg.write_text("[superlattice]\nbarrier_height = 4.16\n")
    with pytest.warns(UnitWarning, match="barrier_height = 4.16 is read as 4.16 meV"):
        load_config(cfg)


def test_swept_and_varied_bounds_take_unit_strings(tmp_path):
    """`--param`/`--vary` bounds are dimensioned too: '3.5 eV' is 3500 meV, a bare 3.5 is
    read as meV with a warning, and a temperature where an energy belongs is refused."""
    from multigap.cli import main
    from multigap.cli.options import user_bounds
    from multigap.errors import UnitWarning

    assert user_bounds("barrier_height", "3.5 eV", "4.5 eV") == pytest.approx((3.5, 4.5))
    assert user_bounds("well_width", "8 angstrom", "0.9") == pytest.approx((0.8, 0.9))
    assert user_bounds("g", "0.2", 0.3) == (0.2, 0.3)
    with pytest.warns(UnitWarning, match="if you meant eV"):
        user_bounds("omega0", 0.33, 0.4)
    args = ["sweep", "--eta", "1", "1", "1", "--g", "0.3", "0.3", "1", "--serial", "--quiet"]
    bad = args + ["--param", "barrier_height", "3 K", "4", "2", "--out", str(tmp_path / "s")]
    assert main(bad) == 2
