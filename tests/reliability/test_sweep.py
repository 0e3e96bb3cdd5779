"""Sweeps: executors agree bit for bit, killed sweeps resume exactly, mismatches are refused."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

from multigap.config import Numerics, preset
from multigap.errors import ParameterError
from multigap.study.sweep import SweepSpec, export_sweep, load_sweep, run_sweep


def spec(**kw):
    sl, pa = preset("A")
    args = dict(eta=(-0.2, 1.4, 6), g=(0.15, 0.45, 4), model="A")
    args.update(kw)
    return SweepSpec(sl, pa, Numerics.preset("map"), **args)


def assert_identical(a: xr.Dataset, b: xr.Dataset):
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_a_task_runs_every_blas_library_on_one_thread_and_restores_them():
    """NumPy's and SciPy's BLAS both limited inside a task (SciPy's is loaded on demand),
    and the limits lifted after it, also on the second, cached entry.
    """
    code = (
        "from threadpoolctl import threadpool_info\n"
        "from multigap.study.executors import one_blas_thread\n"
        "before = {i['filepath']: i['num_threads'] for i in threadpool_info()}\n"
        "for _ in range(2):\n"
        "    with one_blas_thread():\n"
        "        inside = [i for i in threadpool_info() if i['user_api'] == 'blas']\n"
        "    assert len(inside) >= 2 and all(i['num_threads'] == 1 for i in inside), inside\n"
        "after = {i['filepath']: i['num_threads'] for i in threadpool_info()}\n"
        "assert all(after[k] == v for k, v in before.items()), (before, after)\n"
        "print(max(after.values()))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env["OPENBLAS_NUM_THREADS"] = "2"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2"  # the limit was lifted: a test that can fail


@pytest.mark.slow
def test_executors_give_identical_datasets(tmp_path):
    """serial, a 2-process pool and a 2-worker Dask LocalCluster: the same bits."""
    pytest.importorskip("distributed")
    s = spec()
    run_sweep(s, tmp_path / "serial", executor="serial", progress=False)
    run_sweep(s, tmp_path / "pool", executor="processes", workers=2, progress=False)
    run_sweep(s, tmp_path / "dask", executor="dask", workers=2, progress=False)
    ref = load_sweep(tmp_path / "serial")
    assert int(ref.done.sum()) == 6 and (ref.status.values >= 0).all()
    assert np.nanmax(ref.Tc.values) > 100
    assert_identical(ref, load_sweep(tmp_path / "pool"))
    assert_identical(ref, load_sweep(tmp_path / "dask"))


@pytest.mark.slow
def test_sigkill_resumes_to_identical_dataset(tmp_path):
    """Kill a running sweep with SIGKILL, rerun the same command: the columns stored before
    the kill are not recomputed, the rest are computed once, and the result equals an
    uninterrupted run bit for bit."""
    store = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "multigap.cli",
        "sweep",
        "--model",
        "A",
        "--eta",
        "-1",
        "2",
        "80",
        "--g",
        "0.1",
        "0.45",
        "6",
        "--out",
        str(store),
        "--serial",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    columns = store / "columns"
    deadline = time.time() + 120
    while time.time() < deadline:
        n = len(list(columns.glob("p*_e*[0-9].npz"))) if columns.exists() else 0
        if n >= 8 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored_before = {p.name for p in columns.glob("p*_e*[0-9].npz")}
    assert 8 <= len(stored_before) < 80, "the sweep must be killed mid-run"
    s = spec(eta=(-1.0, 2.0, 80), g=(0.1, 0.45, 6))
    stats = run_sweep(s, store, executor="serial", progress=False)
    assert stats["skipped"] == len(stored_before)
    assert stats["computed"] == 80 - len(stored_before)
    journal = (store / "journal.log").read_text().split()
    assert len(journal) == len(set(journal)) == 80  # every column stored exactly once
    run_sweep(s, tmp_path / "clean", executor="serial", progress=False)
    assert_identical(load_sweep(store), load_sweep(tmp_path / "clean"))


def test_parameter_mismatch_is_refused(tmp_path):
    run_sweep(spec(eta=(0.0, 1.0, 2)), tmp_path / "s", executor="serial", progress=False)
    with pytest.raises(ParameterError, match=r"differs in: eta"):
        run_sweep(spec(eta=(0.0, 1.0, 3)), tmp_path / "s", executor="serial", progress=False)
    other = preset("A")[1].replace(omega0=0.3)
    with pytest.raises(ParameterError, match=r"pairing.omega0"):
        run_sweep(
            SweepSpec(
                preset("A")[0], other, Numerics.preset("map"), (0.0, 1.0, 2), (0.15, 0.45, 4)
            ),
            tmp_path / "s",
            executor="serial",
            progress=False,
        )
    stats = run_sweep(
        spec(eta=(0.0, 1.0, 3)), tmp_path / "s", executor="serial", force=True, progress=False
    )
    assert stats["computed"] == 3
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "data.csv").write_text("1,2\n")
    with pytest.raises(ParameterError, match="holds other files"):
        run_sweep(spec(), tmp_path / "junk", executor="serial", progress=False, force=True)
    assert (tmp_path / "junk" / "data.csv").read_text() == "1,2\n"


def test_map_points_agree_with_exact_solver(tmp_path):
    """The fast column solver against the exact per-point solver (< 0.3 %)."""
    from multigap.solvers.model import Model

    s = spec(eta=(0.5, 1.0, 2), g=(0.2, 0.4, 3))
    run_sweep(s, tmp_path / "m", executor="serial", progress=False)
    ds = load_sweep(tmp_path / "m")
    m = Model.from_preset("A")
    for eta in ds.eta.values:
        for g in ds.g.values:
            exact = m.critical_temperature(float(eta), g=float(g)).Tc
            assert float(ds.Tc.sel(eta=eta, g=g).item()) == pytest.approx(exact, rel=3e-3)


@pytest.mark.slow
def test_gaps_isotope_and_param_axis_and_export(tmp_path):
    s = spec(
        eta=(0.8, 0.8, 1),
        g=(0.25, 0.3, 2),
        gaps=True,
        isotope=True,
        param=("omega0", 0.30, 0.33, 2),
    )
    run_sweep(s, tmp_path / "g", executor="serial", progress=False)
    ds = export_sweep(tmp_path / "g", tmp_path / "g.nc")
    back = xr.open_dataset(tmp_path / "g.nc", engine="h5netcdf")
    assert back.Delta.dims == ("omega0", "eta", "g", "band")
    assert (back.gap_converged.values == 1).all()
    ratio = back.Delta.sel(band=3) / back.Delta.sel(band=2)
    assert float(ratio.min()) > 2.0
    assert np.all(np.isfinite(back.alpha.values)) and np.all(back.alpha.values < 0.5)
    # a higher ω0 raises Tc at fixed g and η
    assert np.all(back.Tc.isel(omega0=1).values > back.Tc.isel(omega0=0).values)
    assert ds.attrs["swept_parameter"] == "omega0"


@pytest.mark.slow
def test_cli_dask_runs_a_local_dask_cluster(tmp_path):
    """`--dask --workers N` runs on a local Dask cluster (the [dask] extra), same bits."""
    pytest.importorskip("distributed")
    from multigap.cli import main

    args = ["sweep", "--eta", "0.5", "1", "2", "--g", "0.2", "0.3", "2", "--quiet"]
    assert main(args + ["--out", str(tmp_path / "d"), "--dask", "--workers", "2"]) == 0
    assert main(args + ["--out", str(tmp_path / "s"), "--serial"]) == 0
    assert_identical(load_sweep(tmp_path / "d"), load_sweep(tmp_path / "s"))


def test_cli_sweep_and_export(tmp_path, capsys):
    from multigap.cli import main

    out = tmp_path / "c"
    args = ["sweep", "--eta", "0", "1", "2", "--g", "0.2", "0.3", "2", "--out", str(out)]
    assert main(args + ["--serial", "--quiet"]) == 0
    assert main(["export", str(out), str(tmp_path / "c.nc")]) == 0
    assert main(["plot", str(out), str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").stat().st_size > 10_000
    assert main(["export", str(tmp_path / "nothing"), str(tmp_path / "x.nc")]) == 2
    assert main(args + ["--serial", "--workers", "2"]) == 2
    err = capsys.readouterr().err
    assert "STORE" in err and "at most one executor" in err
    assert main(args + ["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"]) == 2
    assert "its cluster has its own" in capsys.readouterr().err


def test_workers_means_local_processes_in_every_command(tmp_path):
    """`--workers N` is a local process pool in sweep and design alike, and reproduce's old
    `--processes` still works (hidden); Dask is asked for by --dask or --scheduler.
    """
    from multigap.cli import cli, main

    out = tmp_path / "w"
    args = ["sweep", "--eta", "0", "1", "2", "--g", "0.2", "0.3", "2", "--quiet"]
    assert main(args + ["--out", str(out), "--workers", "2"]) == 0
    assert int(load_sweep(out).done.sum()) == 2
    for command in (["sweep"], ["design"], ["reproduce"]):
        text = CliRunner().invoke(cli, [*command, "--help"]).output
        assert "--workers" in text and "Local worker processes" in text
        assert "--processes" not in text
    assert "--dask" in CliRunner().invoke(cli, ["sweep", "--help"]).output


@pytest.mark.slow
def test_existing_scheduler_address(tmp_path):
    """`--scheduler ADDR`: the sweep connects to a running Dask scheduler by address."""
    distributed = pytest.importorskip("distributed")
    from multigap.cli import main

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        args = ["sweep", "--eta", "0.5", "1", "2", "--g", "0.2", "0.3", "2", "--quiet"]
        assert (
            main(
                args + ["--out", str(tmp_path / "remote"), "--scheduler", cluster.scheduler_address]
            )
            == 0
        )
    assert main(args + ["--out", str(tmp_path / "s"), "--serial"]) == 0
    assert_identical(load_sweep(tmp_path / "remote"), load_sweep(tmp_path / "s"))


def test_one_grid_evaluator_with_one_status_rule():
    """Model.tc_points and Model.tc_grid are the one way to ask for Tc at many points: the
    sweep column, the path, the dome map and design give the same numbers, a failed point
    is NaN (never 0 K), and k_B Tc > ω̃/2 is flagged outside_weak_coupling everywhere."""
    from multigap.solvers.model import Model
    from multigap.solvers.solve import CODE
    from multigap.study.design import _tc_on
    from multigap.study.paths import LinearPath, dome_map, tc_along_path
    from multigap.study.sweep import SweepSpec, compute_column

    m = Model.from_preset("A", numerics=Numerics.preset("map"))
    eta, g = np.array([-0.5, 0.5, 1.0]), np.array([0.2, 0.45])
    grid = m.tc_grid(eta, g)
    assert grid.Tc.shape == (3, 2) and grid.to_dataset().Tc.dims == ("eta", "g")
    assert np.array_equal(dome_map(m, eta, g), grid.Tc)
    spec = SweepSpec(m.superlattice, m.pairing, m.numerics, (0.5, 0.5, 1), (0.2, 0.45, 2))
    col = compute_column(spec, 0, 0)
    assert np.array_equal(col["Tc"], grid.Tc[1]) and np.array_equal(col["status"], grid.status[1])
    assert np.array_equal(_tc_on(m, 0.45, eta), grid.Tc[:, 1])
    path = tc_along_path(m, LinearPath(1.0, 0.0, 0.45, 0.0, 100.0), [100.0])
    assert path.Tc[0] == grid.Tc[2, 1] and path.status[0] == grid.status_names[2, 1]
    # one status rule: a strong-coupling point is flagged in every form
    light = Model(m.superlattice.replace(mass_x=0.001), m.pairing, m.numerics)
    strong = light.tc_points([1.0], 0.3)
    assert strong.status[0] == CODE["outside_weak_coupling"] and strong.Tc[0] > 0


def test_a_failed_point_is_nan_never_zero(monkeypatch):
    """A Tc search that fails gives NaN and status failed in the table, the dome map and
    design's objective (which used to turn it into 0 K)."""
    from multigap.solvers.model import Model
    from multigap.solvers.solve import CODE, TcRoots
    from multigap.study.design import _tc_on

    m = Model.from_preset("A", numerics=Numerics.preset("map"))
    real = Model.tc_batch

    def fails(self, mu, g, omega, **kw):
        roots, mus = real(self, mu, g, omega, **kw)
        n = roots.Tc.size
        return TcRoots(
            np.full(n, np.nan), np.full(n, CODE["failed"], np.int8), roots.residual,
            roots.lambda_at_t_min, roots.evaluations,
        ), mus  # fmt: skip

    monkeypatch.setattr(Model, "tc_batch", fails)
    t = m.tc_points([1.0, 0.5], 0.3)
    assert np.isnan(t.Tc).all() and (t.status == CODE["failed"]).all()
    assert not t.converged.any() and "failed 2" in t.message
    assert np.isnan(_tc_on(m, 0.3, np.array([1.0]))).all()


@pytest.mark.slow
def test_a_killed_bkt_sweep_resumes_to_the_same_numbers(tmp_path):
    """`sweep --bkt` killed with SIGKILL after two columns and rerun: the stored columns are
    kept, the rest computed once, and T_BKT, J and the regime flags equal an uninterrupted
    run bit for bit."""
    store = tmp_path / "killed"
    args = ["--model", "A", "--eta", "0.2", "1.4", "7", "--g", "0.3", "0.4", "2", "--bkt"]
    cmd = [sys.executable, "-m", "multigap.cli", "sweep", *args, "--out", str(store),
           "--serial", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    columns = store / "columns"
    deadline = time.time() + 300
    while time.time() < deadline:
        n = len(list(columns.glob("p*_e*[0-9].npz"))) if columns.exists() else 0
        if n >= 2 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored_before = {p.name for p in columns.glob("p*_e*[0-9].npz")}
    assert 2 <= len(stored_before) < 7, "the sweep must be killed mid-run"
    s = spec(eta=(0.2, 1.4, 7), g=(0.3, 0.4, 2), bkt=True)
    stats = run_sweep(s, store, executor="serial", progress=False)
    assert stats["skipped"] == len(stored_before) and stats["computed"] == 7 - len(stored_before)
    run_sweep(s, tmp_path / "clean", executor="serial", progress=False)
    resumed, clean = load_sweep(store), load_sweep(tmp_path / "clean")
    assert {"T_BKT", "J_zz0", "non_adiabatic", "bec"} <= set(resumed.data_vars)
    assert np.all(resumed.T_BKT > 0) and np.all(resumed.T_BKT < resumed.Tc_MF)
    assert_identical(resumed, clean)
