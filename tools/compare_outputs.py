"""Record the JSON outputs of a fixed set of commands, or compare two records.

A refactor must not change any number beyond rounding. Record before and after, then
compare:

    python tools/compare_outputs.py record before.json     # on the old tree
    python tools/compare_outputs.py record after.json      # on the new tree
    python tools/compare_outputs.py compare before.json after.json [--rtol 1e-9]

The commands: ``tc``, ``gaps`` (T = 0 and T > 0, both μ modes), ``isotope`` (away from
and next to a kink), ``thermo``, ``path`` and a small ``sweep`` with gaps and α (read
back through ``summary`` and the exported dataset). Provenance (versions, parameters)
is left out of the comparison; every number and string of the outputs is compared.

The regression data of the tests, ``tests/data/reference_outputs.json``, is this record,
regenerated (only when a change of the numbers is intended and explained) by

    python tools/compare_outputs.py record tests/data/reference_outputs.json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import sys
import tempfile
from pathlib import Path

COMMANDS = {
    "tc A": ["tc", "--model", "A", "--eta", "1", "--g", "0.4", "--json"],
    "tc B fixed density": ["tc", "--model", "B", "--eta", "0.9", "--g", "0.35",
                           "--mu-mode", "fixed_density", "--json"],
    "tc below floor": ["tc", "--model", "A", "--eta", "-0.9", "--g", "0.1", "--json"],
    "gaps A": ["gaps", "--model", "A", "--eta", "1", "--g", "0.25", "--json"],
    "gaps A g=0.3": ["gaps", "--model", "A", "--eta", "1", "--g", "0.3", "--json"],
    "gaps A fixed mu": ["gaps", "--model", "A", "--eta", "0.5", "--g", "0.3",
                        "--mu-mode", "fixed_mu", "--json"],
    "gaps A 150 K": ["gaps", "--model", "A", "--eta", "1", "--g", "0.4",
                     "--temperature", "150", "--json"],
    "isotope A": ["isotope", "--model", "A", "--eta", "0.5", "--g", "0.25", "--json"],
    "isotope A kink": ["isotope", "--model", "A", "--eta", "0.85", "--g", "0.25", "--json"],
    "thermo A": ["thermo", "--model", "A", "--eta", "1", "--g", "0.4", "--num", "10", "--json"],
    "path A": ["path", "--model", "A", "--pressure", "120", "200", "5", "--eta0", "1",
               "--eta1", "0.01", "--g0", "0.35", "--g1", "0", "--json"],
}  # fmt: skip
SWEEP = ["sweep", "--model", "A", "--eta", "-0.2", "1.6", "4", "--g", "0.2", "0.4", "3",
         "--gaps", "--isotope", "--serial"]  # fmt: skip
DROP = {"parameters", "parameters_json", "multigap_version", "numerics", "store", "file"}


def run(args: list[str]) -> dict:
    from multigap.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    if code != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err.getvalue().strip()}")
    return json.loads(out.getvalue().strip().splitlines()[-1])


def record(path: Path) -> None:
    import xarray as xr

    data = {name: run(args) for name, args in COMMANDS.items()}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "s"
        run_quiet = [*SWEEP, "--out", str(store)]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from multigap.cli import main

            main(run_quiet)
        data["sweep summary"] = run(["summary", str(store), "--json"])
        with contextlib.redirect_stdout(io.StringIO()):
            main(["export", str(store), str(Path(tmp) / "s.nc")])
        with xr.open_dataset(Path(tmp) / "s.nc", engine="h5netcdf") as ds:
            data["sweep dataset"] = {
                k: ds[k].values.tolist() for k in sorted(ds.data_vars) if ds[k].dtype.kind in "fiu"
            }
    path.write_text(json.dumps(data, indent=1, default=str))
    print(f"recorded {len(data)} outputs in {path}")


def differences(a, b, where: str, rtol: float, atol: float) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k in DROP:
                continue
            if k not in a or k not in b:
                out.append(f"{where}.{k}: only in {'after' if k in b else 'before'}")
            else:
                out += differences(a[k], b[k], f"{where}.{k}", rtol, atol)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} != {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b))
            for d in differences(x, y, f"{where}[{i}]", rtol, atol)
        ]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=rtol, abs_tol=atol):
            return []
        return [f"{where}: {a!r} != {b!r}"]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    r = sub.add_parser("record")
    r.add_argument("file", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--rtol", type=float, default=1e-9)
    c.add_argument("--atol", type=float, default=1e-12)
    args = p.parse_args(argv)
    if args.what == "record":
        record(args.file)
        return 0
    before, after = (json.loads(f.read_text()) for f in (args.before, args.after))
    diffs = differences(before, after, "", args.rtol, args.atol)
    for d in diffs[:50]:
        print(d)
    print(f"{len(diffs)} differences beyond rtol {args.rtol:g} in {len(before)} outputs")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
