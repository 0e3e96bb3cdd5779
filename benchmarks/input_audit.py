"""Audit of bad, extreme and adversarial inputs: how does each end?

Run: python benchmarks/input_audit.py [--verbose]

Sends a few hundred inputs through the CLI (in-process, with a time limit per case, and
a few real subprocesses for faults) and counts the outcomes:

* clean error   — exit 2 and one line on stderr starting with "multigap: error:"
* valid answer  — exit 0 with output (whether the answer is right is the tests' job)
* traceback     — any Python traceback, or an exit code other than 0 and 2
* hang          — over the time limit
* data loss     — a file the command did not create was changed or removed

Prints the table and every case that is not a clean error or a valid answer.
"""

import argparse
import contextlib
import io
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from multigap.cli import main

LIMIT = 60.0
BAD_VALUES = [
    "0",
    "-1",
    "nan",
    "inf",
    "-inf",
    "1e300",
    "1e-300",
    "abc",
    "",
    "3 furlongs",
    "1 kg",
    "330 meV",
    "4.16 eV",
    "0.85 nm",
    "1e5",
    "100",
    "1+2j",
    "[1]",
    "0x10",
    "  5  ",
]
MODEL_FLAGS = [
    "--well-width",
    "--barrier-width",
    "--barrier-height",
    "--mass-well",
    "--mass-barrier",
    "--mass-x",
    "--omega0",
]
POINT_VALUES = ["nan", "inf", "-100", "100", "1e300", "abc", "0", "-0.5", "2.5"]
TOML = {
    "empty": "",
    "junk": "%%%",
    "unknown table": "[x]\na = 1",
    "unknown key": "[superlattice]\nfoo = 1",
    "string width": '[superlattice]\nwell_width = "x"',
    "unit width": '[superlattice]\nwell_width = "0.85 nm"',
    "list width": "[superlattice]\nwell_width = [1]",
    "bool mass": "[superlattice]\nmass_x = true",
    "n_bands 0": "[superlattice]\nn_bands = 0",
    "n_bands 5 tuned 4": "[superlattice]\nn_bands = 5\ntuned_band = 4",
    "tuned > n": "[superlattice]\nn_bands = 2\ntuned_band = 3",
    "g_intra short": "[pairing]\ng_intra = [0.1]",
    "g_intra big": "[pairing]\ng_intra = [0.1, 0.1, 0.6]",
    "g_inter 10": "[pairing]\ng_inter = 10",
    "g_inter matrix bad": "[pairing]\ng_inter = [[1, 2], [3]]",
    "numerics floor": "[numerics]\nn_z = 4",
    "numerics float": "[numerics]\nkx_order = 2.5",
    "numerics huge": "[numerics]\nt_min = 1e9",
    "not a table": "superlattice = 3",
    "binary": "\x00\x01\x02",
}


def run(args, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    start = time.time()
    here = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except BaseException as exc:  # noqa: BLE001 - the audit wants to see everything
                err.write(f"Traceback: {type(exc).__name__}: {exc}\n")
                code = -1
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue(), time.time() - start


def classify(code, out, err, seconds) -> str:
    if seconds > LIMIT:
        return "hang"
    if "Traceback" in err or code not in (0, 2):
        return "traceback"
    if code == 2:
        lines = err.strip().splitlines()
        return (
            "clean error"
            if len(lines) == 1 and lines[0].startswith("multigap: error:")
            else "misleading message"
        )
    return "valid answer" if out.strip() else "silent wrong or NaN"


def cases(tmp: Path):
    for flag, value in itertools.product(MODEL_FLAGS, BAD_VALUES):
        yield f"bands {flag} {value!r}", ["bands", flag, value]
    for opt, value in itertools.product(["--eta", "--g"], POINT_VALUES):
        yield f"tc {opt} {value}", ["tc", "--eta", "1", "--g", "0.3"] + [opt, value]
        yield f"gaps {opt} {value}", ["gaps", "--eta", "1", "--g", "0.3"] + [opt, value]
    for name, text in TOML.items():
        f = tmp / f"{abs(hash(name))}.toml"
        f.write_text(text)
        yield f"config: {name}", ["bands", "--config", f]
    yield "config: missing file", ["bands", "--config", tmp / "nope.toml"]
    yield "config: a directory", ["bands", "--config", tmp]
    yield "config: /dev/zero", ["bands", "--config", "/dev/zero"]
    for value in ["-1", "nan", "1e9", "abc"]:
        yield (
            f"gaps --temperature {value}",
            ["gaps", "--eta", "1", "--g", "0.3", "--temperature", value],
        )
        yield f"tc --mu-star {value}", ["tc", "--eta", "1", "--g", "0.3", "--mu-star", value]
    for plot in ["x.foo", "x", "/nonexistent/x.png", "/dev/full"]:
        yield f"dos --plot {plot}", ["dos", "--num", "3", "--plot", plot]
    axes = [
        ("0 1 2.5", "fractional NUM"),
        ("0 1 0", "NUM 0"),
        ("nan 1 3", "nan start"),
        ("1 1 3", "start == stop"),
        ("0 1 10000000", "huge"),
    ]
    for ax, what in axes:
        yield (
            f"sweep --g {what}",
            [
                "sweep",
                "--eta",
                "0",
                "1",
                "2",
                "--g",
                *ax.split(),
                "--out",
                tmp / f"s_{abs(hash(what))}",
                "--quiet",
            ],
        )
    for param in [
        "mass_x -1 1 3",
        "omega0 -1 1 3",
        "dE -0.1 0.2 3",
        "mass_well_fixed_width 0.1 5 3",
        "nonsense 0 1 2",
        "barrier_width 0.5 50 3",
    ]:
        yield (
            f"sweep --param {param}",
            [
                "sweep",
                "--eta",
                "0",
                "1",
                "2",
                "--g",
                "0.2",
                "0.4",
                "2",
                "--param",
                *param.split(),
                "--out",
                tmp / f"p_{abs(hash(param))}",
                "--quiet",
            ],
        )
    for address in ["not-an-address", "foo://bar:1", "tcp://127.0.0.1:abc", "", "tcp://x:99999"]:
        yield (
            f"sweep --scheduler {address!r}",
            [
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
                tmp / "sched",
                "--quiet",
            ],
        )
    for what in ["missing", "file", "empty dir"]:
        target = tmp / f"store_{what.replace(' ', '_')}"
        if what == "file":
            target.write_text("x")
        elif what == "empty dir":
            target.mkdir()
        yield f"export of a {what}", ["export", target, tmp / "out.nc"]
        yield f"plot of a {what}", ["plot", target, tmp / "out.png"]


def data_loss_cases(tmp: Path):
    """--force against things that are not stores, and a second writer."""
    outcomes = []
    d = tmp / "mydata"
    (d / "sub").mkdir(parents=True)
    (d / "a.csv").write_text("1")
    f = tmp / "file.txt"
    f.write_text("x")
    cwd = tmp / "cwd"
    cwd.mkdir()
    (cwd / "thesis.tex").write_text("y")
    for name, out, where in (
        ("--force on a data directory", d, None),
        ("--force on a file", f, None),
        ("--force on '.'", ".", cwd),
    ):
        before = sorted(p.name for p in (cwd if where else tmp).rglob("*"))
        result = run(
            [
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
                out,
                "--force",
                "--serial",
                "--quiet",
            ],
            cwd=where,
        )
        after = sorted(p.name for p in (cwd if where else tmp).rglob("*"))
        kind = classify(*result)
        outcomes.append((name, "data loss" if set(before) - set(after) else kind, result[2]))
    store = tmp / "busy"
    cmd = [
        sys.executable,
        "-m",
        "multigap.cli",
        "sweep",
        "--eta",
        "-1",
        "2",
        "30",
        "--g",
        "0.1",
        "0.45",
        "12",
        "--gaps",
        "--serial",
        "--quiet",
        "--out",
        str(store),
    ]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (store / "lock.json").exists() and first.poll() is None:
        time.sleep(0.05)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    forced = subprocess.run(
        cmd[:5]
        + [
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
    first.send_signal(signal.SIGKILL)
    first.wait()
    for name, proc in (("second writer", second), ("--force beside a running sweep", forced)):
        outcomes.append((name, classify(proc.returncode, proc.stdout, proc.stderr, 0), proc.stderr))
    return outcomes


def main_():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    counts, notable = Counter(), []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, argv in cases(tmp):
            result = run(argv)
            kind = classify(*result)
            counts[kind] += 1
            if kind not in ("clean error", "valid answer") or args.verbose:
                notable.append((name, kind, result[2].strip()[:160]))
        for name, kind, err in data_loss_cases(tmp):
            counts[kind] += 1
            if kind != "clean error" or args.verbose:
                notable.append((name, kind, err.strip()[:160]))
    print("| outcome | count |\n|---|---|")
    for kind in (
        "clean error",
        "valid answer",
        "traceback",
        "misleading message",
        "silent wrong or NaN",
        "hang",
        "data loss",
    ):
        print(f"| {kind} | {counts[kind]} |")
    print(f"\n{sum(counts.values())} cases")
    for name, kind, err in notable:
        print(f"- {kind}: {name}: {err}")


if __name__ == "__main__":
    main_()
