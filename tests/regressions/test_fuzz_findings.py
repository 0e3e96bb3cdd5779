"""The fuzz round's findings, each reproduced by its command or call and answered: no data
lost, no silent wrong number, no hang, no traceback, no message that names the wrong thing.

Names follow the report: D (data loss), S (silent wrong), H (hangs), T (tracebacks),
M (misleading messages).
"""

import contextlib
import io
import json
import math
import os
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from multigap.cli import main
from multigap.config import Numerics, load_config, preset
from multigap.errors import MultigapError, ParameterError
from multigap.solvers.model import Model
from multigap.study.store import SweepStore
from multigap.study.sweep import SweepSpec, load_sweep, run_sweep

SWEEP = ["sweep", "--model", "A", "--eta", "0", "1", "3", "--g", "0.3", "0.3", "1", "--serial"]


def run_cli(*args):
    """main() in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def refused(code, err, *words):
    """Exit 2 with one line that starts 'multigap: error:' and names *words*."""
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("multigap: error:"), err
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s"
    code, _, err = run_cli(*SWEEP, "--out", path)
    assert code == 0, err
    return path


# -- D: data loss ---------------------------------------------------------------------
def test_d1_force_never_deletes_a_file_the_store_did_not_write(store):
    (store / "columns" / "plan.npz").write_text("mine")
    code, _, err = run_cli(*SWEEP, "--mass-x", "1.2", "--out", store, "--force")
    refused(code, err, "plan.npz", "nothing was deleted")
    assert (store / "columns" / "plan.npz").read_text() == "mine"
    assert len(list((store / "columns").glob("p*_e*.npz"))) == 3  # its own three, untouched


def test_d1_force_never_deletes_through_a_linked_columns_directory(store, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "p0_e0.npz").write_text("mine")
    for f in (store / "columns").iterdir():
        f.unlink()
    (store / "columns").rmdir()
    (store / "columns").symlink_to(mine)
    code, _, err = run_cli(*SWEEP, "--mass-x", "1.2", "--out", store, "--force")
    refused(code, err, "columns")
    assert (mine / "p0_e0.npz").read_text() == "mine"


def test_d1_force_replaces_the_stores_own_columns(store):
    code, out, err = run_cli(*SWEEP, "--mass-x", "1.2", "--out", store, "--force")
    assert code == 0, err
    assert json.loads((store / "sweep.json").read_text())["sweep_spec"]["superlattice"][
        "mass_x"
    ] == pytest.approx(1.2)


def test_d2_design_never_writes_into_a_users_directory(tmp_path):
    w = tmp_path / "w"
    w.mkdir()
    (w / "evaluations.nc").write_text("mine")
    code, _, err = run_cli(
        "design", "--vary", "mass_barrier", "0.35", "1.0", "--g", "0.35", "--budget", "10",
        "--serial", "--out", w,
    )  # fmt: skip
    refused(code, err, "nothing was changed")
    assert (w / "evaluations.nc").read_text() == "mine"
    assert sorted(p.name for p in w.iterdir()) == ["evaluations.nc"]


@pytest.mark.parametrize("name", ["lock.json", "journal.log", ".lock", "sweep.json"])
def test_d3_no_write_through_a_link_planted_in_a_store(store, tmp_path, name):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep")
    (store / name).unlink(missing_ok=True)
    (store / name).symlink_to(notes)
    code, _, err = run_cli(*SWEEP, "--out", store)
    assert code == 2 and "symbolic link" in err, err
    assert notes.read_text() == "keep"


# -- S: silent wrong --------------------------------------------------------------------
def test_s1_thermo_never_differences_across_a_failed_temperature(monkeypatch):
    """A temperature whose gap solve fails is NaN in Δ, μ, S and C, and C at its
    neighbours and the jump use only solved temperatures."""
    from multigap.solvers import thermodynamics as th

    m = Model.from_preset("A")
    real = Model.gap_points

    def one_fails(self, *args, **kwargs):
        pts = real(self, *args, **kwargs)
        pts["status"] = pts["status"].copy()
        pts["status"][3] = "failed"
        return pts

    monkeypatch.setattr(Model, "gap_points", one_fails)
    r = th.thermodynamics(m, 1.0, 0.4, num=12)
    assert r.status[3] == "failed"
    assert np.isnan(r.delta[3]).all() and np.isnan(r.heat[3]) and np.isnan(r.entropy[3])
    solved = r.status != "failed"
    assert np.isfinite(r.heat[solved]).all() and np.isfinite(r.jump)
    monkeypatch.setattr(Model, "gap_points", real)
    clean = th.thermodynamics(m, 1.0, 0.4, num=12)
    # the neighbours of the failed point differ from the clean run only by the grid
    # spacing of their differences, not by a difference taken across a bad value
    assert r.heat[2] == pytest.approx(clean.heat[2], rel=0.2)


@pytest.mark.parametrize("text", ["1,5 nm", "3,3 eV"])
def test_s2_a_decimal_comma_is_refused(text):
    flag = "--well-width" if "nm" in text else "--barrier-height"
    refused(*run_cli("bands", flag, text)[::2], "comma")


def test_s3_negative_interband_coupling_reports_magnitudes_and_signs(tmp_path):
    cfg = tmp_path / "neg.toml"
    cfg.write_text("[pairing]\ng_inter = -0.1\n")
    code, out, err = run_cli("gaps", "--config", cfg, "--eta", "1", "--g", "0.3", "--json")
    assert code == 0, err
    s = json.loads(out)
    assert min(s["Delta_meV"]) > 0 and s["Delta_sign"] == [-1, -1, 1]
    assert min(s["ratio_2Delta_kTc"]) > 0 and min(s["EF_over_Delta"]) > 0
    assert min(s["kF_xi0"]) > 0


@pytest.mark.slow
def test_s4_a_design_directory_serves_only_its_own_problems_records(tmp_path):
    from multigap.study.design import DesignSpec, run_design

    sl, pa = preset("A")
    d = tmp_path / "d"

    def problem(g):
        return DesignSpec(
            sl, pa, Numerics.preset("map"), (("mass_barrier", 0.35, 1.0),), g=g, budget=10
        )

    first = run_design(problem(0.30), out=d, executor="serial")
    (d / "design.json").unlink()
    second = run_design(problem(0.45), out=d, executor="serial")
    assert second["computed"] == second["evaluations"]  # nothing served from g = 0.30
    assert second["best"]["g"] == 0.45 and second["best"]["Tc_K"] > first["best"]["Tc_K"] + 50


def test_s5_a_fixed_fit_parameter_outside_its_range_is_refused():
    data = Path(__file__).resolve().parents[2] / "examples" / "synthetic_dome.csv"
    refused(*run_cli("fit", data, "--fix", "g0=0.6")[::2], "g0", "0.499")


def test_s6_thermo_keeps_the_outside_weak_coupling_status():
    code, out, err = run_cli(
        "thermo", "--eta", "1", "--g", "0.3", "--mass-x", "0.001", "--num", "8", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["Tc_status"] == "outside_weak_coupling"
    code, out, _ = run_cli("thermo", "--eta", "1", "--g", "0.3", "--mass-x", "0.001", "--num", "8")
    assert "outside_weak_coupling" in out and "warning" in out


def test_s7_a_percentage_is_not_a_mass():
    refused(*run_cli("bands", "--mass-well", "50 percent")[::2], "m_e")


def test_s8_a_store_recomputed_by_another_version_carries_the_new_version(store):
    meta = json.loads((store / "sweep.json").read_text())
    meta["version"] = "0.0.1"
    meta["attrs"]["multigap_version"] = "0.0.1"
    (store / "sweep.json").write_text(json.dumps(meta))
    code, out, err = run_cli(*SWEEP, "--out", store)
    assert code == 0, err
    from multigap import __version__

    assert json.loads((store / "sweep.json").read_text())["version"] == __version__
    assert load_sweep(store).attrs["multigap_version"] == __version__


# -- H: hangs -----------------------------------------------------------------------------
@pytest.mark.slow
def test_h1_a_scheduler_that_never_answers_is_given_up_after_the_timeout(tmp_path):
    """A peer that accepts the connection and never answers (a listening socket that no
    one serves, like a web server waiting for a request line) is given up after
    --connect-timeout, with one line."""
    pytest.importorskip("distributed")
    with socket.socket() as peer:
        peer.bind(("127.0.0.1", 0))
        peer.listen(8)
        port = peer.getsockname()[1]
        t0 = time.monotonic()
        code, _, err = run_cli(
            *SWEEP[:-1], "--out", tmp_path / "s", "--scheduler", f"tcp://127.0.0.1:{port}",
            "--connect-timeout", "2",
        )  # fmt: skip
        assert time.monotonic() - t0 < 20
    refused(code, err, "could not reach")


def test_h2_a_path_has_a_size_guard():
    refused(
        *run_cli(
            "path", "--pressure", "100", "200", "1000000", "--eta0", "1", "--eta1", "0.01",
            "--g0", "0.3", "--g1", "0",
        )[::2],
        "at most",
    )  # fmt: skip


def test_h3_a_fit_csv_has_a_size_guard(tmp_path):
    data = tmp_path / "big.csv"
    rows = "\n".join(f"{100 + i * 1e-3},{100.0}" for i in range(20_000))
    data.write_text("pressure_GPa,Tc_K\n" + rows + "\n")
    refused(*run_cli("fit", data)[::2], "at most")


# -- T: tracebacks ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [b"pressure_GPa,Tc_K\n# caf\xe9\n100,100\n", b"\x00\x01\x02\xff\xfe" * 100],
)
def test_t1_fit_on_a_file_that_is_not_utf8_text(tmp_path, content):
    data = tmp_path / "d.csv"
    data.write_bytes(content)
    refused(*run_cli("fit", data)[::2], "DATA")


def _dies_on_the_third_column(spec, ip, ie):
    """A sweep task that kills its worker process at column 2 (module level, so that the
    pool can send it by reference)."""
    from multigap.study.sweep.column import _compute_column

    if ie == 2:
        os._exit(9)
    return _compute_column(spec, ip, ie)


def test_t2_a_dead_pool_worker_ends_the_sweep_with_a_line_that_says_how_to_resume(
    tmp_path, monkeypatch
):
    """A worker killed mid-sweep ends the run with MultigapError, not BrokenProcessPool,
    and the store keeps its finished columns for the resume."""
    import multigap.study.sweep.run as sweep

    monkeypatch.setattr(sweep, "compute_column", _dies_on_the_third_column)
    s = SweepSpec(*preset("A"), Numerics.preset("map"), (0.0, 1.0, 4), (0.3, 0.3, 1))
    with pytest.raises(MultigapError, match="run the same command again to resume"):
        run_sweep(s, tmp_path / "s", executor="processes", workers=1, progress=False)
    monkeypatch.undo()
    stats = run_sweep(s, tmp_path / "s", executor="serial", progress=False)
    assert stats["skipped"] + stats["computed"] == 4 and stats["skipped"] >= 1


@pytest.mark.parametrize(
    "line", ['{"x": "not a list"}', "[1, 2, 3]", '"text"', '{"x": [0.5], "problem": 1}']
)
def test_t3_a_design_record_that_is_json_but_not_a_record_is_skipped(tmp_path, line):
    from multigap.study.design import DesignSpec, _Evaluations

    sl, pa = preset("A")
    s = DesignSpec(sl, pa, Numerics.preset("map"), (("mass_barrier", 0.35, 1.0),), g=0.3)
    (tmp_path / "evaluations.jsonl").write_text(line + "\n")
    assert _Evaluations(tmp_path, s).done == {}


def test_t4_fit_p_ref_nan():
    data = Path(__file__).resolve().parents[2] / "examples" / "synthetic_dome.csv"
    refused(*run_cli("fit", data, "--p-ref", "nan")[::2], "p_ref")


@pytest.mark.parametrize("seed", ["-1", "18446744073709551616"])
def test_t5_design_seed_out_of_range(seed):
    refused(
        *run_cli(
            "design", "--vary", "mass_barrier", "0.35", "1.0", "--g", "0.35", "--budget", "10",
            "--serial", "--seed", seed,
        )[::2],
        "seed",
    )  # fmt: skip


def test_t6_fit_pressures_near_1e300(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("pressure_GPa,Tc_K\n1e300,100\n2e300,120\n3e300,110\n4e300,90\n")
    refused(*run_cli("fit", data)[::2], "pressure_GPa")


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda sl, pa: Model({"well_width": 1.0}, pa), "superlattice"),
        (lambda sl, pa: Model(sl, {"omega0": 0.3}), "pairing"),
        (
            lambda sl, pa: Model(sl, pa).critical_temperature(1.0, bracket=(math.nan, 100)),
            "bracket",
        ),
        (lambda sl, pa: Model(sl, pa).critical_temperature(1.0, bracket=(100,)), "bracket"),
        (lambda sl, pa: Numerics(n_kz=-1), "n_kz"),
        (lambda sl, pa: Numerics(n_kz=10.5), "n_kz"),
        (lambda sl, pa: SweepSpec(sl, pa, Numerics(), (0, 1), (0.2, 0.3, 2)), "eta"),
        (lambda sl, pa: load_config(3), "path"),
        (
            lambda sl, pa: SweepSpec(sl, pa, Numerics(), (0, 1, 2), (0.2, 0.3, 2), temperature=-5),
            "temperature",
        ),
        (
            lambda sl, pa: SweepSpec(
                sl, pa, Numerics(), (0, 1, 2), (0.2, 0.3, 2), temperature=math.nan
            ),
            "temperature",
        ),
    ],
)
def test_t7_the_library_answers_wrong_types_with_a_multigap_error(call, name):
    sl, pa = preset("A")
    with pytest.raises(ParameterError, match=name):
        call(sl, pa)


# -- M: misleading messages -----------------------------------------------------------------
def test_m1_a_store_without_sweep_json_is_an_unfinished_store(store):
    (store / "sweep.json").unlink()
    assert SweepStore(store).kind() == "unfinished"
    code, out, err = run_cli(*SWEEP, "--out", store)
    assert code == 0, err
    assert "0 computed now" in out  # its columns verified against the sweep's stamp
    (store / "sweep.json").unlink()
    code, out, err = run_cli(*SWEEP, "--mass-x", "1.2", "--out", store, "--force")
    assert code == 0, err


def test_m2_energies_typed_in_mev_are_echoed_in_mev():
    code, _, err = run_cli("bands", "--barrier-height", "-1")
    refused(code, err, "-1 meV")


def test_m3_temperatures_take_unit_strings():
    code, out, err = run_cli("gaps", "--eta", "1", "--g", "0.3", "--temperature", "150 K", "--json")
    assert code == 0, err
    assert json.loads(out)["T_K"] == 150.0


def test_m4_design_says_when_no_candidate_is_a_valid_model():
    code, _, err = run_cli(
        "design", "--vary", "layers.5.width", "0.3", "1", "--g", "0.35", "--budget", "10",
        "--serial",
    )  # fmt: skip
    refused(code, err, "valid model", "layer number")


def test_m5_a_gap_sweep_below_every_band_completes(tmp_path):
    """η far below every kept band: no electrons at fixed density, so the gaps are the
    normal state, not an error after the store exists."""
    code, out, err = run_cli(
        "sweep", "--model", "A", "--eta", "-60", "0.5", "3", "--g", "0.3", "0.3", "1",
        "--gaps", "--serial", "--out", tmp_path / "s",
    )  # fmt: skip
    assert code == 0, err
    ds = load_sweep(tmp_path / "s")
    assert int(ds.gap_status.isel(eta=0, g=0)) == 4  # normal


def test_m6_a_csv_with_a_byte_order_mark(tmp_path):
    from multigap.study.fit import read_dome_csv

    data = tmp_path / "bom.csv"
    data.write_bytes(b"\xef\xbb\xbfpressure_GPa,Tc_K\n100,100\n150,200\n")
    P, Tc, err = read_dome_csv(data)
    assert list(P) == [100.0, 150.0] and err is None


def test_m7_a_second_export_to_the_same_zarr_replaces_it(store, tmp_path):
    target = tmp_path / "z.zarr"
    for _ in range(2):
        code, _, err = run_cli("export", store, target)
        assert code == 0, err
    other = tmp_path / "other.zarr"
    other.mkdir()
    (other / "mine").write_text("mine")
    refused(*run_cli("export", store, other)[::2], "nothing was written")
    assert (other / "mine").read_text() == "mine"


def test_m8_a_resume_after_columns_was_deleted(store):
    import shutil

    shutil.rmtree(store / "columns")
    code, out, err = run_cli(*SWEEP, "--out", store)
    assert code == 0, err
    assert "3 computed now" in out


def test_m9_an_axis_whose_grid_overflows_names_the_axis(tmp_path):
    code, _, err = run_cli(
        "sweep", "--model", "A", "--eta", "-1e308", "1e308", "3", "--g", "0.3", "0.3", "1",
        "--out", tmp_path / "s",
    )  # fmt: skip
    refused(code, err, "eta", "1e6")
    assert not (tmp_path / "s").exists()


def test_wells_outputs_are_per_volume(tmp_path):
    """Wells are three-dimensional: DOS and densities per nm³ in keys, headers and attrs;
    wires keep per nm²."""
    for structure, space in (("wires", "nm2"), ("wells", "nm3")):
        code, out, err = run_cli(
            "dos", "--structure", structure, "--eta-min", "0", "--eta-max", "1", "--num", "3",
            "--json",
        )  # fmt: skip
        assert code == 0, err
        keys = json.loads(out)
        assert {f"partial_dos_per_meV_{space}", f"density_per_{space}"} <= set(keys)
        code, table, _ = run_cli(
            "dos", "--structure", structure, "--eta-min", "0", "--eta-max", "1", "--num", "3",
            "--out", tmp_path / f"{structure}.nc",
        )  # fmt: skip
        assert f"meV {space}" in table
        import xarray as xr

        ds = xr.open_dataset(tmp_path / f"{structure}.nc", engine="h5netcdf")
        unit = "nm^-3" if structure == "wells" else "nm^-2"
        assert ds.partial_dos.attrs["units"] == f"meV^-1 {unit}"
        assert ds.density.attrs["units"] == unit
        assert f"per {unit.replace('-', '')}" in ds.attrs["conventions"]
        ds.close()
    code, out, err = run_cli(
        "thermo", "--structure", "wells", "--eta", "1", "--g", "0.3", "--num", "8", "--out",
        tmp_path / "t.nc",
    )  # fmt: skip
    assert code == 0, err
    import xarray as xr

    with xr.open_dataset(tmp_path / "t.nc", engine="h5netcdf") as ds:
        assert ds.entropy.attrs["units"] == "k_B nm^-3"


def test_the_floor_is_stated_against_the_cut_off_and_scales_with_it():
    """Lengths × 2 and energies / 4 is an exact rescaling (Tc / 4). Case A's
    Tc(−0.2, 0.35) = 1.2 mK becomes 0.30 mK, below the 1 mK floor: the status says
    below_T_min and the output states the floor as k_B T_min/ω̃, which a floor lowered
    with the scale restores, giving Tc / 4 exactly."""
    from dataclasses import replace

    sl, pa = preset("A")
    base = Model(sl, pa, Numerics(t_min=1e-4)).critical_temperature(-0.2, g=0.35)
    small = replace(
        sl, well_width=2 * sl.well_width, barrier_width=2 * sl.barrier_width,
        barrier_height=sl.barrier_height / 4,
    )  # fmt: skip
    pa4 = pa.replace(omega0=pa.omega0 / 4)
    r = Model(small, pa4).critical_temperature(-0.2, g=0.35)
    assert base.Tc == pytest.approx(1.198e-3, rel=2e-3) and r.status == "below_T_min"
    s = r.summary()
    assert s["T_min_over_omega_tilde"] == pytest.approx(8.617333262e-5 * 1e-3 / r.omega)
    lowered = Model(small, pa4, Numerics(t_min=1e-3 / 4)).critical_temperature(-0.2, g=0.35)
    assert lowered.status == "ok" and lowered.Tc == pytest.approx(base.Tc / 4, rel=1e-5)
