"""Sweeps over (η, g) and, optionally, one more model parameter: executors and a resumable store.

The unit of work is a *column*: one value of the extra parameter and one η, with
every g. A column is a pure function of the sweep specification and its indices
(:func:`compute_column`), so its numbers are the same bit for bit whichever
executor runs it: serial, a local process pool or Dask.

The store is a directory: ``sweep.json`` (the specification and provenance) and
one ``columns/p{ip}_e{ie}.npz`` per finished column. Only the parent process
writes, each file to a temporary name and then ``os.replace`` (atomic on POSIX),
so a column file exists exactly when the column is complete. A sweep killed at
any moment (SIGKILL included) resumes by computing the columns whose files are
missing: no completed point is lost or computed twice. ``journal.log`` records
every completion. :func:`load_sweep` assembles the store into an
``xarray.Dataset``; ``multigap export`` writes it to NetCDF (or Zarr).
"""

from __future__ import annotations

import json
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from multigap._version import __version__
from multigap.config import Numerics, Pairing, Superlattice, check_inputs
from multigap.errors import MultigapError, ParameterError
from multigap.study.executors import Executor, check_executor
from multigap.study.store import SweepStore, stamp

__all__ = [
    "SweepSpec",
    "SWEEP_PARAMETERS",
    "STATUS",
    "compute_column",
    "run_sweep",
    "open_sweep",
    "load_sweep",
    "export_sweep",
]

#: A layer of the period as a sweep or design parameter: layers.N.width|height|mass, N 1-based.
LAYER_PARAMETER = re.compile(r"^layers\.(\d+)\.(width|height|mass)$")
LAYER_UNITS = {"width": "nm", "height": "eV", "mass": "m_e"}


def parameter_unit(name: str) -> str | None:
    """The internal unit of a sweep parameter, or None if there is no such parameter."""
    m = LAYER_PARAMETER.match(name)
    return LAYER_UNITS[m.group(2)] if m else SWEEP_PARAMETERS.get(name)


def with_layer_value(sl, name: str, value: float):
    """The superlattice with layer N's width, height or mass (``layers.N.field``) set."""
    m = LAYER_PARAMETER.match(name)
    if m is None:
        raise ParameterError("parameter", name, "layers.N.width, layers.N.height or layers.N.mass")
    index = int(m.group(1)) - 1
    if not 0 <= index < len(sl.cell):
        raise ParameterError(name, value, f"a layer number from 1 to {len(sl.cell)}")
    return sl.with_layer(index, **{m.group(2): value})


#: Parameters that can form a third sweep axis, with their internal unit.
SWEEP_PARAMETERS = {
    "mass_barrier": "m_e",
    "mass_well": "m_e",
    "mass_x": "m_e",
    "barrier_height": "eV",
    "well_width": "nm",
    "barrier_width": "nm",
    "omega0": "eV",
    "g_inter": "1",
    "dE": "eV",  # the tuned band's width: m_b is solved for it
    "mass_well_fixed_width": "m_e",  # m_w, with m_b re-solved to keep the base ΔE
}

#: Status codes of every point: CF flag values and meanings (as for single points).
from multigap.solvers.solve import STATUS  # noqa: E402


def check_axis(name: str, start, stop, num) -> tuple[float, float, int]:
    allowed = (
        "START STOP NUM: numbers with |START|, |STOP| <= 1e6 and a whole NUM >= 1 "
        "(START != STOP when NUM > 1)"
    )
    try:
        start, stop = float(start), float(stop)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(name, (start, stop, num), allowed) from None
    whole = isinstance(num, (int, np.integer)) or (isinstance(num, float) and num.is_integer())
    if (
        isinstance(num, bool)
        or not whole
        or not (np.isfinite(start) and np.isfinite(stop))
        or max(abs(start), abs(stop)) > 1e6
        or int(num) < 1
        or (int(num) > 1 and start == stop)
    ):
        raise ParameterError(name, (start, stop, num), allowed)
    return start, stop, int(num)


def _triple(name: str, value) -> tuple:
    """START, STOP, NUM of an axis, or a clear error."""
    try:
        start, stop, num = value
    except (TypeError, ValueError):
        raise ParameterError(name, value, "three values START, STOP, NUM") from None
    return start, stop, num


#: Sweeps larger than this many points are refused unless asked for explicitly.
MAX_POINTS = 200_000


@dataclass(frozen=True)
class SweepSpec:
    """Everything that defines a sweep's numbers. Stored in the store's attributes.

    Parameters
    ----------
    superlattice, pairing, numerics
        The model (validated objects); sweeps normally use ``Numerics.preset("map")``.
    eta, g : (float, float, int)
        START, STOP, NUM of the Lifshitz parameter and of the tuned band's coupling.
    param : (str, float, float, int), optional
        A third axis: a name from :data:`SWEEP_PARAMETERS` and START, STOP, NUM in
        internal units.
    gaps, isotope : bool
        Also compute the gaps (fixed density, at ``temperature``) and the isotope
        coefficient at every point with Tc > T_min, with the same solvers as
        single points.
    temperature : float
        Temperature of the gaps, in K (default 0).
    model : str, optional
        Preset name (recorded).
    source : dict, optional
        Where the inputs came from (a config file's path and sha256), recorded in the
        provenance; not part of what defines the numbers.
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics
    eta: tuple[float, float, int]
    g: tuple[float, float, int]
    param: tuple[str, float, float, int] | None = None
    gaps: bool = False
    isotope: bool = False
    temperature: float = 0.0
    model: str | None = None
    source: dict | None = field(default=None, compare=False)

    def __post_init__(self):
        check_inputs(self.superlattice, self.pairing, self.numerics)
        object.__setattr__(self, "eta", check_axis("eta", *_triple("eta", self.eta)))
        object.__setattr__(self, "g", check_axis("g", *_triple("g", self.g)))
        T = self.temperature
        if isinstance(T, bool) or not isinstance(T, (int, float, np.floating, np.integer)):
            raise ParameterError("temperature", T, "a finite temperature >= 0 K")
        if not (np.isfinite(T) and T >= 0):
            raise ParameterError("temperature", T, "a finite temperature >= 0 K")
        object.__setattr__(self, "temperature", float(T))
        lo, hi = min(self.g[0], self.g[1]), max(self.g[0], self.g[1])
        if lo < 0 or hi >= 0.5:
            raise ParameterError("g", self.g, "couplings in [0, 0.5)")
        if self.param is not None:
            name, *rest = self.param
            if parameter_unit(name) is None:
                raise ParameterError(
                    "param",
                    name,
                    "one of "
                    + ", ".join(SWEEP_PARAMETERS)
                    + ", or layers.N.width|height|mass (N from 1)",
                )
            object.__setattr__(self, "param", (name, *check_axis("param", *_triple("param", rest))))

    @property
    def points(self) -> int:
        """Points of the sweep (parameter × η × g)."""
        return int(np.prod(self.shape))

    def validate(self, *, allow_large: bool = False) -> None:
        """Check what the constructor cannot cheaply: the size, and every value of the
        extra axis as a model (so no worker meets a bad value after the store exists)."""
        if self.points > MAX_POINTS and not allow_large:
            raise ParameterError(
                "sweep size",
                self.points,
                f"at most {MAX_POINTS} points (parameter × η × g); ask for a "
                "larger sweep explicitly (allow_large)",
            )
        for ip in range(self.shape[0] if self.param else 0):
            _variant(self, ip)

    # -- axes -----------------------------------------------------------------------
    @property
    def eta_values(self) -> np.ndarray:
        return np.linspace(*self.eta)

    @property
    def g_values(self) -> np.ndarray:
        return np.linspace(*self.g)

    @property
    def param_values(self) -> np.ndarray:
        return np.linspace(*self.param[1:]) if self.param else np.array([np.nan])

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.param_values), self.eta[2], self.g[2])

    def fingerprint(self) -> dict[str, Any]:
        """A JSON-ready description; two specs give the same numbers iff these match."""
        return {
            "superlattice": asdict(self.superlattice),
            "pairing": json.loads(json.dumps(asdict(self.pairing))),
            "numerics": asdict(self.numerics),
            "eta": list(self.eta),
            "g": list(self.g),
            "param": list(self.param) if self.param else None,
            "gaps": self.gaps,
            "isotope": self.isotope,
            "temperature_K": self.temperature,
        }

    @classmethod
    def from_fingerprint(cls, fp: dict, model: str | None = None) -> SweepSpec:
        p = fp["pairing"]
        pairing = Pairing(
            omega0=p["omega0"],
            g=p["g"],
            g_intra=None if p["g_intra"] is None else tuple(p["g_intra"]),
            g_inter=(
                tuple(tuple(r) for r in p["g_inter"])
                if isinstance(p["g_inter"], list)
                else p["g_inter"]
            ),
        )
        return cls(
            Superlattice(**fp["superlattice"]),
            pairing,
            Numerics(**fp["numerics"]),
            tuple(fp["eta"]),
            tuple(fp["g"]),
            tuple(fp["param"]) if fp["param"] else None,
            fp["gaps"],
            fp["isotope"],
            fp.get("temperature_K", 0.0),
            model,
        )


# -- the pure unit of work ------------------------------------------------------------
_MODELS: dict[tuple[str, int], Any] = {}  # per-process cache: bands solved once per geometry


def _variant(spec: SweepSpec, ip: int):
    """The (superlattice, pairing) of value ``ip`` of the extra axis, validated."""
    from multigap.superlattice.kronig_penney import solve_mass, tuned_width

    sl, pa = spec.superlattice, spec.pairing
    if not spec.param:
        return sl, pa
    name, value = spec.param[0], float(spec.param_values[ip])
    where = f"param {name} (value {value:g})"
    try:
        if name == "omega0":
            return sl, pa.replace(omega0=value)
        if name == "g_inter":
            return sl, pa.replace(g_inter=value)
        if name == "dE":
            if not value > 0:
                raise ParameterError(where, value, "a positive width ΔE of the tuned band, in eV")
            return sl.replace(mass_barrier=solve_mass(sl, value)), pa
        if name == "mass_well_fixed_width":
            sl2 = sl.replace(mass_well=value)
            return sl2.replace(mass_barrier=solve_mass(sl2, tuned_width(sl))), pa
        if LAYER_PARAMETER.match(name):
            return with_layer_value(sl, name, value), pa
        return sl.replace(**{name: value}), pa
    except ParameterError as exc:
        raise ParameterError(where, value, exc.allowed) from None


def _model(spec: SweepSpec, ip: int):
    from multigap.solvers.model import Model

    key = (json.dumps(spec.fingerprint(), sort_keys=True), ip)
    if key in _MODELS:
        return _MODELS[key]
    sl, pa = _variant(spec, ip)
    if len(_MODELS) > 32:
        _MODELS.clear()
    _MODELS[key] = Model(sl, pa, spec.numerics, spec.model)
    return _MODELS[key]


def compute_column(spec: SweepSpec, ip: int, ie: int) -> dict[str, np.ndarray]:
    """All g at one (parameter, η): Tc, status and residual; gaps and α if asked.

    Returns
    -------
    dict of numpy.ndarray
        ``Tc`` (K), ``status`` (0 ok, 1 below T_min, 2 failed), ``residual``;
        with gaps: ``Delta`` (g, band; meV), ``ratio`` (g, band), ``mu_shift`` (meV),
        ``gap_converged``, ``gap_residual``; with isotope: ``alpha``.
    """
    from threadpoolctl import threadpool_limits

    # Small matrices: BLAS threads only contend (2 workers × 2 threads on 2 cores ran 7×
    # slower), and one thread keeps every executor's arithmetic identical.
    with threadpool_limits(limits=1, user_api="blas"):
        return _compute_column(spec, ip, ie)


def _compute_column(spec: SweepSpec, ip: int, ie: int) -> dict[str, np.ndarray]:
    model = _model(spec, ip)
    eta = float(spec.eta_values[ie])
    table = model.tc_points(eta, spec.g_values)
    mu, omega = model.mu_normal(eta), table.omega
    G = np.array([model.coupling(g) for g in spec.g_values])
    Tc, status = table.Tc, table.status
    out = {"Tc": Tc, "status": status, "residual": table.residual}
    has_tc = np.flatnonzero(np.isin(status, (0, 3)))
    m = len(G)
    if spec.gaps:
        out.update(_gap_column(spec, model, mu, G, omega, Tc, status))
    if spec.isotope:
        alpha, error = np.full(m, np.nan), np.full(m, np.nan)
        astat = np.full(m, -1, dtype=np.int8)
        if has_tc.size:
            r = model.isotope_batch(mu, G[has_tc], Tc[has_tc])
            alpha[has_tc], error[has_tc], astat[has_tc] = r["alpha"], r["error"], r["status"]
        out.update(alpha=alpha, alpha_error=error, alpha_status=astat)
    return out


def _gap_column(spec: SweepSpec, model, mu: float, G, omega, Tc, status) -> dict:
    """The gaps of one column at fixed density and T, with the status of every point.

    "Normal" is decided by the fixed-density Tc, the Tc of the mode solved (computed
    where it can differ from the fixed-μ one that the map stores: at T > 0, or where the
    fixed-μ search found no Tc); a column whose μ_N lies below every kept band holds
    no electrons at fixed density, and its points are normal.
    """
    from multigap.output.labels import ratio_2delta_kTc
    from multigap.solvers.solve import CODE
    from multigap.units import energy_out

    m, nb = len(G), model.superlattice.n_bands
    gap, gres = np.full((m, nb), np.nan), np.full(m, np.nan)
    on_fs, mu_shift = np.full((m, nb), -1, dtype=np.int8), np.full(m, np.nan)
    sign = np.zeros((m, nb), dtype=np.int8)
    gstat = np.full(m, CODE["normal"], dtype=np.int8)
    tc_mode = np.where(np.isin(status, (0, 3)), Tc, 0.0)
    if model.normal_density(mu) > 0:
        tc_mode = model.mode_tc(mu, G, omega, tc_mode, spec.temperature)
        gstat[np.isnan(tc_mode)] = CODE["failed"]
        todo = np.flatnonzero(tc_mode > spec.temperature)
        gap[tc_mode <= spec.temperature] = 0.0
        mu_shift[tc_mode <= spec.temperature] = 0.0
        if todo.size:
            start = np.where(Tc[todo] > 0, np.maximum(Tc[todo], tc_mode[todo]), tc_mode[todo])
            y0 = model.tc_shapes(mu, G[todo], omega[todo], start, spec.temperature)
            pts = model.gap_points(
                np.full(todo.size, mu),
                G[todo],
                omega[todo],
                y0,
                tc_mode[todo],
                temperature=spec.temperature,
            )
            good = pts["converged"]
            gap[todo[good]] = np.abs(pts["Delta"][good])
            sign[todo[good]] = np.sign(pts["Delta"][good])
            on_fs[todo[good]] = pts["on_fs"][good]
            mu_shift[todo[good]] = energy_out(pts["mu"][good] - mu)
            gres[todo] = pts["residual"]
            gstat[todo] = [CODE[s] for s in pts["status"]]
    else:
        gap[:], mu_shift[:] = 0.0, 0.0
    return dict(
        Delta=energy_out(gap),
        ratio_2Delta_kTc=ratio_2delta_kTc(gap, Tc[:, None]),
        on_fermi_surface=on_fs,
        Delta_sign=sign,
        mu_shift=mu_shift,
        gap_converged=(gstat != CODE["failed"]).astype(np.int8),
        gap_residual=gres,
        gap_status=gstat,
        Tc_fixed_density=tc_mode,
    )


def computed(ds, name: str = "Tc"):
    """Variable ``name`` of a sweep dataset at the points computed so far (NaN elsewhere)."""
    return ds[name].where(ds.status >= 0)


# -- the store ------------------------------------------------------------------------
_VARS = {  # name: (extra dims, dtype, fill, attrs)
    "Tc": ((), "f8", np.nan, {"units": "K", "long_name": "critical temperature"}),
    "status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "point status (-1: not computed; below_T_min: Tc below the "
            "search floor T_min_K, not a physical zero)",
        },
    ),
    "residual": ((), "f8", np.nan, {"units": "1", "long_name": "|ln lambda_max| at Tc"}),
}
_GAP_VARS = {
    "Delta": (
        ("band",),
        "f8",
        np.nan,
        {"units": "meV", "long_name": "magnitude of the Fermi-surface averaged gap at T"},
    ),
    "ratio_2Delta_kTc": (("band",), "f8", np.nan, {"units": "1", "long_name": "2 Delta / k_B Tc"}),
    "on_fermi_surface": (
        ("band",),
        "i1",
        -1,
        {
            "units": "1",
            "long_name": "1: Delta is a Fermi-surface average; 0: no Fermi surface, "
            "Delta at the kz nearest the Fermi level",
        },
    ),
    "Delta_sign": (
        ("band",),
        "i1",
        0,
        {"units": "1", "long_name": "sign of the gap relative to the tuned band's (0: none)"},
    ),
    "mu_shift": ((), "f8", np.nan, {"units": "meV", "long_name": "mu_S - mu_N"}),
    "gap_converged": ((), "i1", 0, {"units": "1"}),
    "gap_residual": ((), "f8", np.nan, {"units": "1"}),
    "gap_status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "status of the gap solve (normal: T >= the fixed-density Tc)",
        },
    ),
    "Tc_fixed_density": (
        (),
        "f8",
        np.nan,
        {
            "units": "K",
            "long_name": "fixed-density Tc where it decides the gaps' normal state "
            "(else the fixed-mu Tc)",
        },
    ),
}
_ISO_VARS = {
    "alpha": ((), "f8", np.nan, {"units": "1", "long_name": "isotope coefficient"}),
    "alpha_error": ((), "f8", np.nan, {"units": "1", "long_name": "error estimate of alpha"}),
    "alpha_status": (
        (),
        "i1",
        -1,
        {
            "flag_values": list(STATUS),
            "flag_meanings": " ".join(STATUS.values()),
            "long_name": "status of alpha (window_edge: one-sided, next to a kink of Tc(omega0))",
        },
    ),
}


def _variables(spec: SweepSpec) -> dict:
    v: dict[str, tuple] = dict(_VARS)
    if spec.gaps:
        v.update(_GAP_VARS)
    if spec.isotope:
        v.update(_ISO_VARS)
    return v


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
            for k, v in _variables(spec).items()
        },
    }


def _store_stamp(fingerprint: dict) -> str:
    return stamp(fingerprint, __version__)


def _prepare(store: SweepStore, spec: SweepSpec, force: bool) -> None:
    """Under the writer lock: start a new store, resume a matching one, or replace one
    with other parameters (``force``, the store's own files only)."""
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
        Show a progress bar with the ETA.
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
    from tqdm.auto import tqdm

    spec.validate()
    check_executor(executor, workers, scheduler, connect_timeout)  # before the store exists
    store = _check_target(Path(path))
    with store.writer():
        _prepare(store, spec, force)
        st, names = _store_stamp(json.loads(json.dumps(spec.fingerprint()))), _variables(spec)
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
            bar = tqdm(
                total=len(todo), disable=not progress, unit="col", desc=label, dynamic_ncols=True
            )
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


def load_sweep(path: str | Path):
    """The store as an ``xarray.Dataset``; points of missing or unverifiable columns are
    NaN / status −1.

    The dataset has coordinates ``eta``, ``g`` (and ``band`` with gaps), plus the extra
    axis named after its parameter (e.g. ``mass_x``; ``layers_2_width`` for
    ``layers.2.width``) when the sweep has one — the same dimensions as the exported
    file — the variables of the sweep, and ``done``.
    """
    import xarray as xr

    store = SweepStore(path)
    meta = store.meta()
    try:
        spec = SweepSpec.from_fingerprint(meta["sweep_spec"], meta.get("model"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ParameterError(
            "STORE",
            str(path),
            "a readable multigap sweep store (sweep.json "
            f"does not describe a sweep: {type(exc).__name__} {exc})",
        ) from None
    npar, neta, ng = spec.shape
    sizes = {"band": spec.superlattice.n_bands}
    variables = _variables(spec)
    data = {}
    for name, (extra, dtype, fill, attrs) in variables.items():
        shape = (npar, neta, ng) + tuple(sizes[d] for d in extra)
        data[name] = (
            ("param", "eta", "g") + tuple(extra),
            np.full(shape, fill, dtype=dtype),
            attrs,
        )
    done = np.zeros((npar, neta), dtype=np.int8)
    st = _store_stamp(meta["sweep_spec"])
    for ip in range(npar):
        for ie in range(neta):
            col = store.read_column(ip, ie, st, variables)
            if col is not None:
                for name in data:
                    data[name][1][ip, ie] = col[name]
                done[ip, ie] = 1
    data["done"] = (("param", "eta"), done, {"long_name": "1 when the column is stored"})
    pname = spec.param[0] if spec.param else "none"
    unit = parameter_unit(pname) or "1"
    values = spec.param_values
    if unit == "eV":  # outputs give energies in meV
        from multigap.units import ENERGY_UNIT, energy_out

        values, unit = energy_out(values), ENERGY_UNIT
    coords = {
        "param": ("param", values, {"long_name": pname, "units": unit}),
        "eta": ("eta", spec.eta_values, {"units": "1", "long_name": "Lifshitz parameter"}),
        "g": ("g", spec.g_values, {"units": "1", "long_name": "coupling of the tuned band"}),
    }
    if spec.gaps:
        coords["band"] = ("band", np.arange(1, spec.superlattice.n_bands + 1), {"units": "1"})
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(meta["attrs"])
    # the axes in output units (the inputs are in parameters_json; the store keeps its
    # internal fingerprint in sweep.json)
    ds.attrs["sweep_spec"] = json.dumps(
        {
            "eta": list(spec.eta),
            "g": list(spec.g),
            "param": None
            if spec.param is None
            else {
                "name": pname,
                "start": float(values[0]),
                "stop": float(values[-1]),
                "num": len(values),
                "units": unit,
            },
            "gaps": spec.gaps,
            "isotope": spec.isotope,
            "temperature_K": spec.temperature,
        }
    )
    ds.attrs["swept_parameter"] = pname
    ds.attrs["tuned_band"] = spec.superlattice.tuned_band
    # below_T_min is a search floor, not Tc = 0; state it where the statuses are read
    ds.attrs["T_min_K"] = spec.numerics.t_min
    ds.attrs["n_bands"] = spec.superlattice.n_bands
    if spec.param is None:  # the same dimensions as the exported file
        return ds.isel(param=0, drop=True)
    return ds.rename({"param": axis_name(pname)})


def axis_name(parameter: str) -> str:
    """The dimension name of a sweep's extra axis: the parameter's name (dots → _)."""
    return parameter.replace(".", "_")


def extra_axis(ds) -> str | None:
    """The extra axis of a loaded sweep, or None."""
    name = ds.attrs.get("swept_parameter", "none")
    return None if name == "none" else axis_name(name)


def export_sweep(path: str | Path, out: str | Path):
    """Write the store as NetCDF (h5netcdf), or Zarr if *out* ends in ``.zarr``.

    The parameter axis is dropped when the sweep has none.
    """
    ds = load_sweep(path)
    out = Path(out)
    if not out.parent.exists():
        raise ParameterError("FILE", str(out), "a file in an existing directory")
    if out.suffix == ".zarr":
        ds.to_zarr(out, mode="w", consolidated=False)
    else:
        ds.to_netcdf(out, engine="h5netcdf")
    return ds
