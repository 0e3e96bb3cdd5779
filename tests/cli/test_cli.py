"""Commands, JSON contracts, error messages and exit codes."""

import json
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from multigap.cli import main
from reference import reference


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bands_json_contract(capsys):
    code, out, _ = run(capsys, "bands", "--model", "A", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"E_L_meV", "dE_meV", "subbands", "parameters"} <= data.keys()
    assert data["dE_meV"] == pytest.approx(274.0, abs=0.1)
    assert [s["n"] for s in data["subbands"]] == [1, 2, 3]
    assert {"n", "min_meV", "max_meV"} <= data["subbands"][0].keys()
    assert data["parameters"]["superlattice"]["mass_barrier_me"] == 0.5096
    assert data["parameters"]["numerics"]["n_z"] == 48


def test_bands_table_and_netcdf(capsys, tmp_path):
    out_file = tmp_path / "b.nc"
    code, out, _ = run(capsys, "bands", "--model", "B", "--out", str(out_file))
    assert code == 0 and "ΔE = 145.0" in out
    ds = xr.open_dataset(out_file, engine="h5netcdf")
    assert ds.energy.attrs["units"] == "meV" and ds.attrs["model"] == "B"
    assert "parameters_json" in ds.attrs and ds.attrs["multigap_version"]


def test_flags_override_config_with_units(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[superlattice]\nmass_barrier = 0.7685\n")
    code, out, _ = run(
        capsys, "bands", "--config", str(cfg), "--barrier-height", "4160 meV", "--json"
    )
    assert code == 0
    assert json.loads(out)["dE_meV"] == pytest.approx(145.0, abs=0.1)
    code, out, _ = run(capsys, "bands", "--config", str(cfg), "--mass-barrier", "0.5096", "--json")
    assert json.loads(out)["dE_meV"] == pytest.approx(274.0, abs=0.1)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["bands", "--mass-well", "-1"], "mass_well (--mass-well)"),
        (["bands", "--barrier-height", "4 nm"], "--barrier-height"),
        (["bands", "--well-width", "nan"], "well_width"),
        (["bands", "--model", "C"], "--model"),
        (["bands", "--frobnicate"], "--frobnicate"),
        (["dos", "--eta-min", "2", "--eta-max", "1"], "--eta"),
        (["dos", "--eta", "2", "1", "5"], "START < STOP"),
        (["bands", "--config", "/nonexistent.toml"], "existing TOML"),
        (["bands", "--out", "/nonexistent/dir/x.nc"], "--out"),
        (["nosuchcommand"], "nosuchcommand"),
    ],
)
def test_user_mistakes_give_one_line_and_exit_2(capsys, args, fragment):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("multigap: error:")
    assert fragment in err


def test_unknown_config_key_is_an_error(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pairing]\nomega_0 = 0.3\n")
    code, _, err = run(capsys, "bands", "--config", str(cfg))
    assert code == 2 and "pairing.omega_0" in err


def test_dos_json_and_plot(capsys, tmp_path):
    png = tmp_path / "dos.png"
    code, out, _ = run(capsys, "dos", "--model", "A", "--num", "5", "--json", "--plot", str(png))
    assert code == 0 and png.stat().st_size > 10_000
    data = json.loads(out)
    assert len(data["eta"]) == 5 and len(data["partial_dos_per_meV_nm2"]) == 3


def test_fermi_topologies(capsys, tmp_path):
    """Fig. 3c: band 3 has a closed pocket below η = 1 and an open sheet above."""
    png = tmp_path / "fermi.png"
    code, out, _ = run(
        capsys,
        "fermi",
        "--model",
        "A",
        "--eta",
        "0.3",
        "--eta",
        "1.5",
        "--json",
        "--plot",
        str(png),
    )
    assert code == 0 and png.exists()
    topo = {(c["eta"], c["band"]): c["topology"] for c in json.loads(out)["contours"]}
    assert topo[(0.3, 3)] == "closed" and topo[(1.5, 3)] == "open" and topo[(0.3, 1)] == "open"


def test_overlap_command(capsys, tmp_path):
    code, out, _ = run(
        capsys, "overlap", "--model", "A", "--n-kz", "16", "--json", "--out", str(tmp_path / "o.nc")
    )
    assert code == 0
    pairs = json.loads(out)["pairs"]
    assert len(pairs) == 6 and all(p["min"] <= p["mean"] <= p["max"] for p in pairs)


def test_console_script_exit_code():
    """The installed entry point returns the exit code to the shell."""
    r = subprocess.run(
        [sys.executable, "-m", "multigap.cli", "bands", "--mass-x", "0"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "mass_x" in r.stderr and "Traceback" not in r.stderr


def test_tc_json_contract(capsys, tmp_path):
    code, out, _ = run(
        capsys,
        "tc",
        "--model",
        "A",
        "--eta",
        "1",
        "--g",
        "0.4",
        "--json",
        "--out",
        str(tmp_path / "tc.nc"),
    )
    assert code == 0
    data = json.loads(out)
    assert {"Tc_K", "eta", "g", "omega_tilde_meV", "mu_meV", "parameters"} <= data.keys()
    assert data["g"] == 0.4 and data["eta"] == 1.0 and data["status"] == "ok"
    assert data["omega_tilde_meV"] == pytest.approx(330 * np.sqrt(0.2))
    ds = xr.open_dataset(tmp_path / "tc.nc", engine="h5netcdf")
    assert ds.attrs["Tc_K"] == pytest.approx(data["Tc_K"]) and "gap_shape" in ds


def test_tc_below_floor_reported(capsys):
    code, out, _ = run(capsys, "tc", "--model", "A", "--eta", "-0.5", "--g", "0.4", "--json")
    data = json.loads(out)
    assert code == 0 and data["Tc_K"] == 0.0 and data["status"] == "below_T_min"


def test_gaps_json_contract(capsys):
    code, out, _ = run(capsys, "gaps", "--model", "A", "--eta", "0.5", "--g", "0.25", "--json")
    assert code == 0
    data = json.loads(out)
    need = {
        "Delta_meV",
        "ratio_2Delta_kTc",
        "Delta_ratio",
        "Delta_ratio_bands",
        "Tc_K",
        "mu_shift_meV",
        "converged",
        "residual",
    }
    assert need <= data.keys()
    assert len(data["Delta_meV"]) == 3 and data["converged"] is True
    assert data["Delta_ratio_bands"] == [3, 2]
    assert data["Delta_ratio"] == pytest.approx(data["Delta_meV"][2] / data["Delta_meV"][1])


def test_isotope_json_contract(capsys):
    code, out, _ = run(capsys, "isotope", "--model", "B", "--eta", "0.8", "--g", "0.3", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"alpha", "Tc_K"} <= data.keys() and np.isfinite(data["alpha"])


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["tc", "--eta", "1", "--g", "0.5"], "0.5"),
        (["tc", "--eta", "nan"], "--eta"),
        (["tc", "--g", "0.3"], "--eta"),
        (["gaps", "--model", "A", "--eta", "-0.5", "--g", "0.4"], "T_min"),
        (["isotope", "--eta", "0.5", "--step", "0"], "step"),
    ],
)
def test_superconductivity_mistakes(capsys, args, fragment):
    code, _, err = run(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and fragment in err


@pytest.mark.parametrize("spellings", [("330", "330 meV", "0.33 eV")])
def test_one_unit_rule_on_the_cli_and_in_toml(capsys, tmp_path, spellings):
    """A bare energy is meV everywhere: `--omega0 330`, '330 meV' and '0.33 eV' give the same
    Tc, on the command line and in a TOML file (and so do barrier heights)."""
    results = []
    for value in spellings:
        assert main(["tc", "--eta", "1", "--g", "0.4", "--omega0", value, "--json"]) == 0
        results.append(json.loads(capsys.readouterr().out)["Tc_K"])
        cfg = tmp_path / "c.toml"
        height = {"330": "4160", "330 meV": '"4160 meV"', "0.33 eV": '"4.16 eV"'}[value]
        omega = value if value == "330" else f'"{value}"'
        cfg.write_text(f"[superlattice]\nbarrier_height = {height}\n[pairing]\nomega0 = {omega}\n")
        assert main(["tc", "--config", str(cfg), "--eta", "1", "--g", "0.4", "--json"]) == 0
        results.append(json.loads(capsys.readouterr().out)["Tc_K"])
    recorded = reference()["tc A"]["Tc_K"]
    assert len(set(results)) == 1 and results[0] == pytest.approx(recorded, rel=1e-6)
    assert main(["tc", "--eta", "1", "--g", "0.4", "--omega0", "330", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["parameters"]["pairing"]["omega0_meV"] == pytest.approx(330.0)


def test_every_flag_help_names_its_unit(capsys):
    """--help of the model flags states the unit of a bare number."""
    main(["tc", "--help"])
    out = capsys.readouterr().out
    for flag, unit in (
        ("--barrier-height", "meV"),
        ("--omega0", "meV"),
        ("--well-width", "nm"),
        ("--mass-x", "m_e"),
    ):
        line = out[out.index(flag) : out.index(flag) + 200]
        assert unit in line, flag


def test_version(capsys):
    """`multigap --version` prints the package version."""
    from multigap import __version__

    main(["--version"])
    assert __version__ in capsys.readouterr().out


def test_summary_of_a_store(capsys, tmp_path):
    """`multigap summary STORE --json`: Tc,max and where, the Lifshitz lines, status counts."""
    assert (
        main(
            [
                "sweep",
                "--eta",
                "0",
                "1",
                "3",
                "--g",
                "0.3",
                "0.4",
                "2",
                "--serial",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["summary", str(tmp_path / "s"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    top = d["maxima"][0]
    assert top["Tc_max_K"] > 100 and set(top["lifshitz_lines"]) == {"eta=0", "eta=1"}
    assert d["status_counts"]["ok"] == 6 and d["columns_done"] == 3


def test_provenance_says_custom_numerics_and_records_the_config_file(capsys, tmp_path):
    """A [numerics] table that changes a setting is recorded as "custom", never as the
    preset it started from; the config file's path and sha256 are in the provenance of
    every output (single points and sweep stores)."""
    import hashlib

    cfg = tmp_path / "n.toml"
    cfg.write_text("[numerics]\nkx_order = 10\n")
    code, out, _ = run(capsys, "tc", "--config", str(cfg), "--eta", "1", "--g", "0.3", "--json")
    s = json.loads(out)
    assert s["numerics"] == "custom" and s["parameters"]["numerics"]["name"] == "custom"
    digest = hashlib.sha256(cfg.read_bytes()).hexdigest()
    assert s["parameters"]["input"] == {"config_file": str(cfg.resolve()), "config_sha256": digest}
    code, out, _ = run(capsys, "tc", "--eta", "1", "--g", "0.3", "--json")
    assert json.loads(out)["numerics"] == "tight" and "input" not in json.loads(out)["parameters"]
    store = tmp_path / "s"
    code, _, err = run(
        capsys, "sweep", "--config", str(cfg), "--eta", "0", "1", "2", "--g", "0.3", "0.3", "1",
        "--serial", "--out", str(store),
    )  # fmt: skip
    assert code == 0, err
    from multigap.study.sweep import load_sweep

    params = json.loads(load_sweep(store).attrs["parameters_json"])
    assert params["input"]["config_sha256"] == digest


def test_numerics_never_claim_a_preset_they_are_not():
    from multigap.config import Numerics

    assert Numerics().name == "tight" and Numerics.preset("map").name == "map"
    assert Numerics(t_min=1e-4).name == "custom"
    assert Numerics.preset("map", t_min=1e-6).name == "custom"
    assert Numerics.preset("map").refined().name == "custom"
    assert Numerics().replace(kx_order=Numerics().kx_order).name == "tight"  # no change


def test_stiffness_and_bkt_speak_json_and_refuse_wells_in_one_line(capsys):
    """`stiffness` and `bkt` give the JSON keys users script against; `bkt` on wells is one
    line and exit 2, saying why (three dimensions) and where to look instead."""
    assert main(["stiffness", "--eta", "1", "--g", "0.3", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert {"J_xx_meV", "J_zz_meV", "T_K", "mu_mode", "density_per_nm2"} <= set(s)
    assert len(s["J_bands_meV"]["xx"]) == len(s["J_bands_meV"]["zz"]) == 3
    assert s["J_xx_meV"] == pytest.approx(sum(s["J_bands_meV"]["xx"]))
    assert main(["bkt", "--eta", "1", "--g", "0.3", "--json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert b["status"] == "ok" and 0 < b["T_BKT_K"] < b["Tc_K"]
    assert b["T_BKT_over_Tc"] == pytest.approx(b["T_BKT_K"] / b["Tc_K"])
    assert b["stiffness_T0"]["J_zz_meV"] > b["stiffness_at_T_BKT"]["J_zz_meV"] > 0
    assert main(["bkt", "--eta", "1", "--g", "0.3", "--structure", "wells"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "three-dimensional" in err and "stiffness" in err


@pytest.mark.slow
def test_progress_bars_stay_out_of_logs(tmp_path):
    """Bars are for terminals: a sweep and thermo with stderr redirected to a file write no
    carriage-return bar (tqdm decides per stream), while the library can still draw one.
    """
    import subprocess
    import sys

    from multigap.progress import progress_bar

    commands = [
        ["sweep", "--eta", "0", "1", "2", "--g", "0.2", "0.3", "2", "--serial",
         "--out", str(tmp_path / "s")],
        ["thermo", "--eta", "1", "--g", "0.4", "--num", "8"],
    ]  # fmt: skip
    for args in commands:
        log = tmp_path / "log.txt"
        with open(log, "w") as stream:
            done = subprocess.run(
                [sys.executable, "-m", "multigap.cli", *args],
                stderr=stream,
                stdout=subprocess.DEVNULL,
            )
        assert done.returncode == 0
        text = log.read_text()
        assert "\r" not in text and "it/s" not in text and "col/s" not in text, text
    assert progress_bar(3, "x", show=False).disable
