"""Running a sweep into its store: preparing or resuming it, and dispatching the
missing columns to an executor.
"""

from __future__ import annotations

import json
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

from multigap._version import __version__
from multigap.errors import MultigapError, ParameterError
from multigap.progress import progress_bar

#: Status codes of every point: CF flag values and meanings (as for single points).
from multigap.study.executors import Executor, check_executor
from multigap.study.store import SweepStore, stamp
from multigap.study.sweep.column import compute_column, store_variables
from multigap.study.sweep.spec import SweepSpec


def _differences(a: dict, b: dict, prefix: str = "") -> list[str]:
    out = []
    for k in sorted(set(a) | set(b)):
        if isinstance(a.get(k), dict) and isinstance(b.get(k), dict):
            out += _differences(a[k], b[k], f"{prefix}{k}.")
        elif a.get(k) != b.get(k):
            out.append(f"{prefix}{k} (store: {a.get(k)!r}, now: {b.get(k)!r})")
    return out


def _meta(spec: SweepSpec) -> dict:
    from multigap.output.provenance import parameters, provenance_attrs

    extra = {"input": spec.source} if spec.source else {}
    attrs = provenance_attrs(
        parameters(spec.superlattice, spec.pairing, spec.numerics, spec.model, **extra)
    )
    return {
        "sweep_spec": json.loads(json.dumps(spec.fingerprint())),
        "model": spec.model,
        "attrs": attrs,
        "version": __version__,
        "variables": {
            k: [list(v[0]), v[1], None if v[2] is np.nan else v[2], v[3]]
            for k, v in store_variables(spec).items()
        },
    }


def store_stamp(fingerprint: dict) -> str:
    """The stamp that ties a column file to this sweep and this multigap version."""
    return stamp(fingerprint, __version__)


def _prepare(store: SweepStore, spec: SweepSpec, force: bool) -> None:
    """Under the writer lock: start a new store, resume a matching one, or replace one
    with other parameters (``force``, the store's own files only).
    """
    fp = json.loads(json.dumps(spec.fingerprint()))
    if store.kind() == "store":
        meta = store.meta()
        stored = meta["sweep_spec"]
        if stored == fp:
            if meta.get("version") != __version__:  # columns of that version are recomputed
                store.write_meta(_meta(spec))
            return
        if not force:
            diff = "; ".join(_differences(stored, fp)[:6])
            raise ParameterError(
                "out",
                str(store.path),
                "a store with the same parameters "
                f"(it differs in: {diff}); force=True replaces this store",
            )
        store.clear()
    store.write_meta(_meta(spec))


def _check_target(path: Path) -> SweepStore:
    """Refuse any path that is not a new directory, an empty one or a multigap store."""
    store = SweepStore(path)
    if path.is_dir() and not path.is_symlink():
        store.check_links()
    kind = store.kind()
    if kind == "absent":
        if not path.parent.is_dir():
            raise ParameterError("out", str(path), "a path in an existing directory")
        path.mkdir()
    elif kind == "file":
        raise ParameterError(
            "out",
            str(path),
            "a directory for the sweep store (this is a file; nothing was changed)",
        )
    elif kind == "foreign":
        raise ParameterError(
            "out",
            str(path),
            "a new or empty directory, or a multigap "
            "sweep store (this directory holds other files; replacing never "
            "replaces anything but a store, and nothing was changed)",
        )
    elif kind == "damaged":
        raise ParameterError(
            "out",
            str(path),
            "a readable multigap sweep store (its "
            "sweep.json is damaged; nothing was changed: move the directory "
            "away or repair the file)",
        )
    return store


def open_sweep(path: str | Path, spec: SweepSpec, *, force: bool = False) -> Path:
    """Create the store of *spec* at *path*, or check an existing one against it (under
    the writer lock, for callers that do not run the sweep).

    Raises
    ------
    ParameterError
        If *path* is a file, a directory with other files, a damaged store, or a store
        with different parameters (naming what differs) without ``force``.
    StoreBusy
        If another process is writing the store.
    """
    store = _check_target(Path(path))
    with store.writer():
        _prepare(store, spec, force)
    return store.path


def run_sweep(
    spec: SweepSpec,
    path: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
    connect_timeout: float = 15.0,
    label: str = "sweep",
) -> dict[str, int]:
    """Run (or resume) a sweep into the store at *path*.

    Parameters
    ----------
    spec : SweepSpec
    path : str or Path
        The store (a directory): new, empty, or a store of this sweep.
    executor : {"serial", "processes", "dask"}
        Where columns run: in this process, on a local process pool (default,
        all cores), or on Dask (``scheduler`` address, or a local cluster of
        ``workers`` processes).
    workers : int, optional
        Worker processes of the local pool or of a local Dask cluster
        (default: all cores).
    scheduler : str, optional
        Address of an existing Dask scheduler, e.g. ``tcp://host:8786``.
    force : bool
        Replace a multigap store whose parameters differ (its own files only).
    progress : bool
        Show a progress bar with the ETA (on a terminal only).
    connect_timeout : float
        Seconds to wait for a Dask scheduler.
    label : str
        What the progress bar says it is computing.

    Returns
    -------
    dict
        ``columns`` in the sweep, ``computed`` in this run, ``skipped`` (already stored
        and verified), ``repaired`` (column files that failed verification: damaged,
        truncated, of another store or package version; recomputed).
    """
    spec.validate()
    check_executor(executor, workers, scheduler, connect_timeout)  # before the store exists
    store = _check_target(Path(path))
    with store.writer():
        _prepare(store, spec, force)
        st, names = store_stamp(json.loads(json.dumps(spec.fingerprint()))), store_variables(spec)
        todo, repaired = [], 0
        for ip in range(spec.shape[0]):
            for ie in range(spec.shape[1]):
                if store.read_column(ip, ie, st, names) is None:
                    todo.append((ip, ie))
                    repaired += store.column_file(ip, ie).exists()
        total = spec.shape[0] * spec.shape[1]
        stats = {
            "columns": total,
            "computed": 0,
            "skipped": total - len(todo),
            "repaired": repaired,
        }
        if executor == "processes" and todo:
            from multigap.free_motion.table import universal_table

            universal_table()  # built once here; forked workers inherit it
        # a scheduler is reached on entering, before anything is shown: one clean line
        kind = executor if todo else "serial"
        with Executor(kind, workers, scheduler, connect_timeout, max_workers=len(todo)) as run:
            bar = progress_bar(len(todo), label, progress, unit="col")
            try:
                items = [(spec, ip, ie) for ip, ie in todo]
                for (_, ip, ie), result in run.map(compute_column, items):
                    store.write_column(ip, ie, result, st)
                    stats["computed"] += 1
                    bar.update(1)
            except BrokenProcessPool:
                raise MultigapError(
                    f"a worker process died (killed, or out of memory) after "
                    f"{stats['computed']} of {len(todo)} columns; the store at {store.path} "
                    "keeps every finished column: run the same command again to resume"
                ) from None
            finally:
                bar.close()
    return stats
