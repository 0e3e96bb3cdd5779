"""Reliability: a store that cannot be wiped or corrupted, and no input that ends in a
traceback, a hang or a silent wrong number. Every reproducer of the reliability report
is a test here; concurrency uses real subprocesses."""

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from multigap.cli import main
from multigap.config import Numerics, preset
from multigap.errors import MultigapError, ParameterError
from multigap.study.store import SweepStore
from multigap.study.sweep import SweepSpec, load_sweep, run_sweep

CLI = [sys.executable, "-m", "multigap.cli"]


def spec(**kw):
    sl, pa = preset("A")
    args = dict(eta=(0.0, 1.5, 6), g=(0.2, 0.45, 4), model="A")
    args.update(kw)
    return SweepSpec(sl, pa, Numerics.preset("map"), **args)


def run_cli(*args):
    """main() in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def one_clean_line(code, err):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("multigap: error:"), err
    assert "Traceback" not in err


# -- --force never deletes what is not a store ------------------------------------------
def test_force_never_touches_a_directory_that_is_not_a_store(tmp_path):
    """`sweep --out mydata --force` once deleted a directory holding a CSV and a subfolder."""
    d = tmp_path / "mydata"
    (d / "sub").mkdir(parents=True)
    (d / "table.csv").write_text("a,b\n1,2\n")
    (d / "sub" / "notes.txt").write_text("keep")
    code, _, err = run_cli(
        "sweep",
        "--eta",
        "0",
        "1",
        "2",
        "--g",
        "0.2",
        "0.3",
        "2",
        "--out",
        d,
        "--force",
        "--serial",
        "--quiet",
    )
    one_clean_line(code, err)
    assert "--force never replaces" in err
    assert (d / "table.csv").read_text() == "a,b\n1,2\n" and (d / "sub" / "notes.txt").exists()
    assert sorted(p.name for p in d.iterdir()) == ["sub", "table.csv"]


def test_force_never_touches_a_file(tmp_path):
    f = tmp_path / "results.txt"
    f.write_text("precious")
    code, _, err = run_cli(
        "sweep",
        "--eta",
        "0",
        "1",
        "2",
        "--g",
        "0.2",
        "0.3",
        "2",
        "--out",
        f,
        "--force",
        "--serial",
        "--quiet",
    )
    one_clean_line(code, err)
    assert f.read_text() == "precious"


@pytest.mark.slow
def test_force_on_the_working_directory_is_refused(tmp_path):
    (tmp_path / "thesis.tex").write_text("years of work")
    proc = subprocess.run(
        CLI
        + [
            "sweep",
            "--eta",
            "0",
            "1",
            "2",
            "--g",
            "0.2",
            "0.3",
            "2",
            "--out",
            ".",
            "--force",
            "--serial",
            "--quiet",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert (tmp_path / "thesis.tex").read_text() == "years of work"


def test_force_replaces_only_a_store_and_only_its_files(tmp_path):
    """--force replaces a multigap store with other parameters; the refusal without it names
    what differs and no longer suggests --force for anything but a store."""
    run_sweep(spec(), tmp_path / "s", executor="serial", progress=False)
    with pytest.raises(ParameterError, match="differs in: eta"):
        run_sweep(spec(eta=(0.0, 1.0, 3)), tmp_path / "s", executor="serial", progress=False)
    stats = run_sweep(
        spec(eta=(0.0, 1.0, 3)), tmp_path / "s", executor="serial", force=True, progress=False
    )
    assert stats["computed"] == 3 and load_sweep(tmp_path / "s").sizes["eta"] == 3
    (tmp_path / "s" / "mine.txt").write_text("x")
    with pytest.raises(ParameterError, match="mine.txt"):
        run_sweep(spec(), tmp_path / "s", executor="serial", force=True, progress=False)
    assert (tmp_path / "s" / "mine.txt").exists()


# -- one writer at a time ----------------------------------------------------------------
#: A sweep long enough (30 columns with gaps, in one process) to be caught running.
SLOW_SWEEP = "sweep --eta -1 2 30 --g 0.1 0.45 12 --gaps --serial --quiet".split()


def _slow_sweep(store, *extra):
    return subprocess.Popen(
        CLI + SLOW_SWEEP + ["--out", str(store), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(predicate, seconds=60.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_second_writer_and_force_beside_a_running_sweep_are_refused(tmp_path):
    """Two sweeps on one store: the second gets one line naming the holder (pid, host,
    since) and exit 2; `--force` with other parameters beside the running sweep is refused
    too, and the running sweep's store stays consistent."""
    store = tmp_path / "s"
    first = _slow_sweep(store)
    try:
        assert _wait_for(lambda: (store / "lock.json").exists())
        second = subprocess.run(
            CLI + SLOW_SWEEP + ["--out", str(store)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 2
        assert f"pid {first.pid}" in second.stderr and len(second.stderr.strip().splitlines()) == 1
        forced = subprocess.run(
            CLI
            + [
                "sweep",
                "--eta",
                "0",
                "1",
                "2",
                "--g",
                "0.2",
                "0.3",
                "2",
                "--serial",
                "--quiet",
                "--force",
                "--out",
                str(store),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert forced.returncode == 2 and "being written" in forced.stderr
        assert json.loads((store / "sweep.json").read_text())["sweep_spec"]["eta"] == [-1, 2, 30]
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # the lock dies with its holder: the sweep resumes
    s = spec(eta=(-1.0, 2.0, 30), g=(0.1, 0.45, 12), gaps=True)
    s = SweepSpec(s.superlattice, s.pairing, Numerics.preset("map"), s.eta, s.g, gaps=True)
    stats = run_sweep(s, store, executor="serial", progress=False)
    assert stats["computed"] + stats["skipped"] == 30


def test_temporary_names_are_unique_per_process(tmp_path):
    store = SweepStore(tmp_path)
    (tmp_path / "columns").mkdir()
    seen = []
    orig = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return orig(src, dst)

    try:
        os.replace = spy
        store.write_column(2, 24, {"Tc": np.ones(3)}, "stamp")
    finally:
        os.replace = orig
    assert seen == [f"p2_e24.{os.getpid()}.tmp.npz"]


# -- resume trusts only columns that verify ------------------------------------------------
def test_damaged_columns_are_recomputed_to_the_identical_dataset(tmp_path):
    """A truncated column, random bytes, a flipped bit, a zero-length file, a column from
    another store and one written by another package version: resume recomputes each,
    says how many, and the dataset equals an undamaged run bit for bit."""
    s = spec()
    run_sweep(s, tmp_path / "clean", executor="serial", progress=False)
    run_sweep(s, tmp_path / "s", executor="serial", progress=False)
    cols = tmp_path / "s" / "columns"
    data = (cols / "p0_e0.npz").read_bytes()
    (cols / "p0_e0.npz").write_bytes(data[: len(data) // 2])
    (cols / "p0_e1.npz").write_bytes(os.urandom(len(data)))
    flipped = bytearray((cols / "p0_e2.npz").read_bytes())
    flipped[len(flipped) // 3] ^= 0x10
    (cols / "p0_e2.npz").write_bytes(bytes(flipped))
    (cols / "p0_e3.npz").write_bytes(b"")
    # a column of another store (other physics, same layout)
    run_sweep(spec(g=(0.25, 0.45, 4)), tmp_path / "other2", executor="serial", progress=False)
    (cols / "p0_e4.npz").write_bytes((tmp_path / "other2" / "columns" / "p0_e4.npz").read_bytes())
    with np.load(cols / "p0_e5.npz") as col:
        arrays = {k: col[k] for k in col.files}
    arrays["_stamp"] = np.array("0" * 32)
    np.savez(cols / "p0_e5.npz", **arrays)
    ds = load_sweep(tmp_path / "s")
    assert int(ds.done.sum()) == 0  # export never trusts a damaged column
    stats = run_sweep(s, tmp_path / "s", executor="serial", progress=False)
    assert stats["repaired"] == 6 and stats["computed"] == 6
    a, b = load_sweep(tmp_path / "s"), load_sweep(tmp_path / "clean")
    for name in b.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '{"sweep_spec": {}}'])
def test_damaged_sweep_json_is_a_clear_error(tmp_path, content):
    run_sweep(spec(eta=(0.0, 1.0, 2)), tmp_path / "s", executor="serial", progress=False)
    (tmp_path / "s" / "sweep.json").write_text(content)
    for args in (
        ["export", tmp_path / "s", tmp_path / "x.nc"],
        ["plot", tmp_path / "s", tmp_path / "x.png"],
    ):
        one_clean_line(*run_cli(*args)[::2])
    code, _, err = run_cli(
        "sweep",
        "--eta",
        "0",
        "1",
        "2",
        "--g",
        "0.2",
        "0.45",
        "4",
        "--out",
        tmp_path / "s",
        "--serial",
        "--quiet",
    )
    one_clean_line(code, err)


# -- workers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "param",
    [
        ["mass_x", "-1", "1", "3"],
        ["omega0", "-1", "1", "3"],
        ["dE", "-0.1", "0.2", "3"],
        ["mass_well_fixed_width", "0.1", "5", "3"],
    ],
)
def test_bad_axis_values_are_refused_before_the_store_exists(tmp_path, param):
    """These once surfaced as BrokenProcessPool from a worker; every value of every axis is
    now checked first, with the parameter named, and no store is created."""
    code, _, err = run_cli(
        "sweep",
        "--eta",
        "0",
        "1",
        "2",
        "--g",
        "0.2",
        "0.4",
        "3",
        "--param",
        *param,
        "--out",
        tmp_path / "s",
        "--quiet",
    )
    one_clean_line(code, err)
    assert f"--param {param[0]}" in err and "target_width" not in err
    assert not (tmp_path / "s").exists()


def test_project_exceptions_survive_pickling():
    import pickle

    from multigap.errors import ConvergenceError

    for exc in (ParameterError("x", 1, "y"), ConvergenceError("gap", 1e-3, "here")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and str(back) == str(exc)


def _children(pid):
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc")
@pytest.mark.slow
def test_pool_workers_exit_when_the_parent_is_killed(tmp_path):
    """After SIGKILL of the sweep's parent, its pool workers are gone within 5 s."""
    proc = subprocess.Popen(
        CLI
        + [
            "sweep",
            "--eta",
            "-1",
            "2",
            "60",
            "--g",
            "0.1",
            "0.45",
            "12",
            "--gaps",
            "--quiet",
            "--out",
            str(tmp_path / "s"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert _wait_for(lambda: len(_children(proc.pid)) >= 1, 60)
    time.sleep(1.0)
    kids = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _wait_for(
        lambda: (
            not any(
                Path(f"/proc/{k}").exists()
                and "Z" not in Path(f"/proc/{k}/stat").read_text().split()[2]
                for k in kids
            )
        ),
        5.0,
    ), kids


# -- the scheduler address -----------------------------------------------------------------
@pytest.mark.parametrize(
    "address", ["not-an-address", "foo://bar:1", "tcp://127.0.0.1:abc", "", "tcp://127.0.0.1:99999"]
)
def test_bad_scheduler_addresses(tmp_path, address):
    code, _, err = run_cli(
        "sweep",
        "--eta",
        "0",
        "1",
        "2",
        "--g",
        "0.2",
        "0.4",
        "2",
        "--scheduler",
        address,
        "--out",
        tmp_path / "s",
        "--quiet",
    )
    one_clean_line(code, err)
    assert not (tmp_path / "s").exists()


@pytest.mark.slow
def test_a_non_scheduler_at_the_address_fails_within_the_timeout(tmp_path):
    """An HTTP server at the address once hung for over 120 s, and a proxy's reply gave a
    MemoryError. Both are one line within the connect timeout now."""
    pytest.importorskip("distributed")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
            time.sleep(0.1)
            conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        start = time.time()
        proc = subprocess.run(
            CLI
            + [
                "sweep",
                "--eta",
                "0",
                "1",
                "2",
                "--g",
                "0.2",
                "0.4",
                "2",
                "--scheduler",
                f"tcp://127.0.0.1:{port}",
                "--connect-timeout",
                "3",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert time.time() - start < 30
        assert proc.returncode == 2 and "Dask scheduler" in proc.stderr
        assert "Traceback" not in proc.stderr
    finally:
        stop.set()
        server.close()


# -- inputs ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["bands", "--barrier-width", "100"],
        ["bands", "--barrier-width", "1e300"],
        ["bands", "--well-width", "1e300"],
        ["bands", "--barrier-height", "1e300"],
        ["bands", "--mass-barrier", "1e300"],
        ["bands", "--mass-x", "1e300"],
        ["bands", "--barrier-height", "1e6"],
        ["bands", "--mass-barrier", "100"],
        ["bands", "--barrier-width", "7"],
        ["bands", "--well-width", "3 furlongs"],
        ["dos", "--plot", "x.foo", "--num", "3"],
        ["bands", "--config", "/dev/zero"],
        ["tc", "--eta", "-100", "--mu-mode", "fixed_density"],
        ["sweep", "--eta", "0", "1", "2", "--g", "0.1", "0.4", "10000000", "--out", "big"],
        ["tc", "--eta", "1", "--g", "0.4", "--omega0", "-0.3"],
    ],
)
def test_bad_inputs_give_one_line(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    one_clean_line(*run_cli(*args)[::2])
    assert not (tmp_path / "big").exists()


@pytest.mark.slow
def test_a_fifo_config_does_not_hang(tmp_path):
    fifo = tmp_path / "cfg.toml"
    os.mkfifo(fifo)
    proc = subprocess.run(
        CLI + ["bands", "--config", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "regular TOML file" in proc.stderr


def test_plot_writes_exactly_the_path_given_and_refuses_an_empty_store(tmp_path):
    run_sweep(
        spec(eta=(0.0, 1.0, 2), g=(0.2, 0.4, 2)), tmp_path / "s", executor="serial", progress=False
    )
    code, out, _ = run_cli("plot", tmp_path / "s", tmp_path / "dome.svg")
    assert (
        code == 0 and (tmp_path / "dome.svg").exists() and not (tmp_path / "dome.svg.png").exists()
    )
    one_clean_line(*run_cli("plot", tmp_path / "s", tmp_path / "dome")[::2])
    empty = SweepStore(tmp_path / "e")
    (tmp_path / "e").mkdir()
    from multigap.study.sweep import open_sweep

    open_sweep(empty.path, spec(eta=(0.0, 1.0, 2), g=(0.2, 0.4, 2)))
    one_clean_line(*run_cli("plot", tmp_path / "e", tmp_path / "e.png")[::2])


def test_fractional_num_is_refused():
    """SweepSpec(eta=(0, 1, 2.9)) once used 2 points silently."""
    with pytest.raises(ParameterError, match="whole NUM"):
        spec(eta=(0.0, 1.0, 2.9))


def test_nan_energies_and_negative_omega0_in_the_library():
    """partial_dos/density once turned a NaN μ into 0, and critical_temperature(omega0 < 0)
    reported below_T_min; both are errors naming the parameter."""
    from multigap.normal_state import density, partial_dos
    from multigap.solvers.model import Model

    m = Model.from_preset("A")
    for fn in (partial_dos, density):
        with pytest.raises(ParameterError, match="finite energies"):
            fn(m.subbands, [np.nan])
    with pytest.raises(ParameterError, match="omega0"):
        m.critical_temperature(1.0, g=0.3, omega0=-0.33)


@pytest.mark.parametrize("value", ["x", [1, 2], 1 + 2j, {"a": 1}, float("nan")])
def test_library_refuses_wrong_types_with_a_multigap_error(value):
    from multigap.config import Pairing, Superlattice
    from multigap.solvers.model import Model

    m = Model.from_preset("A")
    for call in (
        lambda: m.critical_temperature(value, g=0.3),
        lambda: m.critical_temperature(1.0, g=value),
        lambda: m.gaps(1.0, g=0.3, temperature=value),
        lambda: Superlattice(value, 0.55, 4.16, 1, 0.5, 1),
        lambda: Pairing(omega0=value),
    ):
        with pytest.raises(MultigapError):
            call()


# -- the whole input surface, at random ------------------------------------------------------
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.sampled_from([0, -1, 1e-300, 1e300, 0.5, 2.0]),
)
TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["330 meV", "4.16 eV", "0.85 nm", "3 furlongs", "1 kg", "nan eV", ""]),
)
VALUE = st.one_of(NUMBERS, TEXT)
FLAGS = [
    "--well-width",
    "--barrier-width",
    "--barrier-height",
    "--mass-well",
    "--mass-barrier",
    "--mass-x",
    "--omega0",
]
SL_KEYS = [
    "well_width",
    "barrier_width",
    "barrier_height",
    "mass_well",
    "mass_barrier",
    "mass_x",
    "n_bands",
    "tuned_band",
    "junk",
]


@st.composite
def toml_documents(draw):
    lines = []
    for table, keys in (
        ("superlattice", SL_KEYS),
        ("pairing", ["omega0", "g_intra", "g_inter", "junk"]),
        ("numerics", ["n_z", "kx_order", "kz_levels", "junk"]),
        ("junk", ["a"]),
    ):
        if draw(st.booleans()):
            lines.append(f"[{table}]")
            for key in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True)):
                v = draw(
                    st.one_of(
                        st.integers(-5, 60),
                        st.floats(-10, 10, allow_nan=False),
                        st.text(alphabet="abc 0123456789.emV", max_size=8),
                        st.lists(st.floats(0, 0.6), max_size=4),
                    )
                )
                lines.append(f"{key} = {json.dumps(v)}")
    if draw(st.booleans()):
        lines.append(draw(st.text(max_size=20)))
    return "\n".join(lines)


@settings(
    max_examples=40,
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(
        [
            ["bands"],
            ["dos", "--num", "3"],
            ["fermi", "--eta", "0.5"],
            ["tc", "--eta", "1", "--g", "0.3"],
        ]
    ),
    flags=st.lists(st.tuples(st.sampled_from(FLAGS), VALUE), max_size=3),
    toml=st.one_of(st.none(), toml_documents()),
)
def test_cli_input_surface_is_clean(tmp_path_factory, command, flags, toml):
    """Random flag values and random TOML documents built from the real keys, plus junk:
    exit 0 with output, or exit 2 with one line — never a traceback, never a hang."""
    args = list(command)
    for flag, value in flags:
        args += [flag, str(value)]
    if toml is not None:
        path = tmp_path_factory.mktemp("cfg") / "c.toml"
        path.write_text(toml)
        args += ["--config", str(path)]
    start = time.time()
    code, out, err = run_cli(*args)
    assert time.time() - start < 20
    if code == 0:
        assert out.strip()
    else:
        one_clean_line(code, err)
