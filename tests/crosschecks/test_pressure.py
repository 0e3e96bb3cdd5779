"""Pressure paths and fits of measured domes."""

import json
from pathlib import Path

import numpy as np
import pytest

from multigap.cli import main
from multigap.config import Numerics
from multigap.errors import ParameterError
from multigap.solvers.model import Model
from multigap.study.fit import fit_dome, read_dome_csv
from multigap.study.paths import LinearPath, tc_along_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRUE = {"eta0": 0.9, "eta1": 0.012, "g0": 0.36, "g1": 0.0}


@pytest.fixture(scope="module")
def map_model():
    return Model.from_preset("A", Numerics.preset("map"))


def test_path_agrees_with_tc_at_the_same_points(map_model):
    """Tc along a path equals `tc` (tight numerics) at the same (η, g), to the map
    numerics' accuracy (1e-3)."""
    path = LinearPath(0.9, 0.012, 0.30, 0.0005, p_ref=160.0)
    P = np.linspace(100, 220, 7)
    res = tc_along_path(map_model, path, P)
    tight = Model.from_preset("A")
    eta, g = path(P)
    for e, gg, tc in zip(eta, g, res.Tc):
        assert tc == pytest.approx(tight.critical_temperature(float(e), g=float(gg)).Tc, rel=1e-3)


def test_path_accepts_any_callable_and_refuses_leaving_the_domain(map_model):
    res = tc_along_path(map_model, lambda p: (0.5 + 0 * p, 0.3 + 0 * p), [1.0, 2.0])
    assert res.Tc[0] == pytest.approx(res.Tc[1])
    with pytest.raises(ParameterError, match="0 <= g < 0.5"):
        tc_along_path(map_model, LinearPath(1.0, 0.0, 0.45, 0.01), [0.0, 10.0])


def test_path_cli_contract(capsys, tmp_path):
    code = main(
        [
            "path",
            "--model",
            "A",
            "--pressure",
            "120",
            "200",
            "5",
            "--eta0",
            "1",
            "--eta1",
            "0.01",
            "--g0",
            "0.35",
            "--p-ref",
            "160",
            "--json",
            "--plot",
            str(tmp_path / "p.png"),
        ]
    )
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert {"pressure_GPa", "eta", "g", "Tc_K"} <= d.keys() and len(d["Tc_K"]) == 5
    assert d["eta"][2] == pytest.approx(1.0) and (tmp_path / "p.png").stat().st_size > 1000


def test_fit_recovers_a_known_path_within_its_errors(map_model):
    """The synthetic dome (examples/make_domes.py: `multigap path` plus 3 K noise) is fitted
    with g1 fixed; eta0, eta1 and g0 come back within 3 standard errors."""
    P, T, E = read_dome_csv(EXAMPLES / "synthetic_dome.csv")
    r = fit_dome(map_model, P, T, E, fix={"g1": 0.0}, p_ref=160.0)
    assert not r.degenerate
    for k in ("eta0", "eta1", "g0"):
        assert abs(r.values[k] - TRUE[k]) < 3 * r.stderr[k], (k, r.values[k], r.stderr[k])
    assert r.redchi < 3


def test_fit_reports_degeneracy_with_four_free_parameters(map_model):
    """Five points, all four parameters free: the fit says it is degenerate (a correlation
    near ±1 or a singular covariance), with the remedy, never as a precise result."""
    P, T, E = read_dome_csv(EXAMPLES / "synthetic_dome.csv")
    sel = [0, 2, 4, 6, 8]
    r = fit_dome(map_model, P[sel], T[sel], E[sel], p_ref=160.0)
    assert r.degenerate and "fix={'g1': 0}" in r.warning


@pytest.mark.parametrize(
    "text,match",
    [
        ("pressure_GPa,Tc\n1,2\n", "missing Tc_K"),
        ("pressure_GPa,Tc_K\n1,x\n", "row 2, Tc_K"),
        ("pressure_GPa,Tc_K\n1,nan\n", "finite"),
        ("pressure_GPa,Tc_K,Tc_err_K\n1,2,0\n", "errors > 0"),
        ("", "header"),
    ],
)
def test_bad_csvs_are_refused(tmp_path, text, match):
    f = tmp_path / "d.csv"
    f.write_text(text)
    with pytest.raises(ParameterError, match=match):
        read_dome_csv(f)


def test_fit_cli_refuses_too_few_points_and_bad_fixes(tmp_path, capsys):
    f = tmp_path / "d.csv"
    f.write_text("pressure_GPa,Tc_K\n100,50\n150,100\n")
    assert main(["fit", str(f)]) == 2
    assert "at least as many points as free parameters" in capsys.readouterr().err
    assert main(["fit", str(EXAMPLES / "synthetic_dome.csv"), "--fix", "g2=0"]) == 2
    assert main(["fit", str(EXAMPLES / "synthetic_dome.csv"), "--fix", "g1"]) == 2


def test_fit_cli_json_contract(capsys):
    assert main(["fit", str(EXAMPLES / "h3s_schematic_dome.csv"), "--fix", "g1=0", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d["parameters"]) == {"eta0", "eta1", "g0", "g1"}
    assert {"value", "stderr"} <= d["parameters"]["eta0"].keys()
    assert d["parameters"]["g1"]["fixed"] and d["parameters"]["g1"]["stderr"] is None
    assert {"chi2", "redchi", "correlations", "curve"} <= d.keys()


def test_fit_cli_writes_the_dataset(tmp_path, capsys):
    """`fit --out` holds the data, the fitted curve and its path, and the JSON's values."""
    import xarray as xr

    out = tmp_path / "fit.nc"
    args = ["fit", str(EXAMPLES / "synthetic_dome.csv"), "--fix", "g1=0", "--json"]
    assert main(args + ["--out", str(out)]) == 0
    d = json.loads(capsys.readouterr().out)
    ds = xr.open_dataset(out, engine="h5netcdf")
    np.testing.assert_allclose(ds.Tc, d["curve"]["Tc_K"])
    np.testing.assert_allclose(ds.Tc_measured, d["data"]["Tc_K"])
    assert ds.attrs["eta0"] == d["parameters"]["eta0"]["value"] and ds.attrs["g1_fixed"] == 1
    assert ds.pressure.attrs["units"] == "GPa" and ds.Tc.attrs["units"] == "K"


def test_a_fit_with_no_degrees_of_freedom_says_so(capsys, tmp_path):
    """Three points and three free parameters: the fit passes through the data, so a
    reduced χ² is 0/0: it is null (JSON) and said to be undefined (table); slopes carry
    their units and the correlations are printed."""
    from multigap.cli import main

    data = tmp_path / "three.csv"
    data.write_text("pressure_GPa,Tc_K\n140,150\n160,200\n180,160\n")
    assert main(["fit", str(data), "--model", "A", "--fix", "g1=0", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["redchi"] is None and d["degrees_of_freedom"] == 0
    assert d["units"]["eta1"] == "1/GPa"
    assert main(["fit", str(data), "--model", "A", "--fix", "g1=0"]) == 0
    out = capsys.readouterr().out
    assert "undefined (0 degrees of freedom" in out and "1/GPa" in out and "correlations:" in out
