"""Inverse design: the heterostructure parameters that maximise the dome's Tc.

The objective of a candidate geometry is Tc,max, the largest Tc over η at its coupling
g (the tuned band's, fixed or itself a design variable): a batched Tc on a grid of η,
refined around the best point by a bounded scalar search. The search over the design
variables is scipy's differential evolution (a global, derivative-free method that
suits a handful of bounded variables and a kinked objective — the window edges crossing
band edges make Tc,max non-smooth — and whose generations are batches of independent
candidates). Candidates run on the sweeps' executors (serial, a local process pool,
Dask), and every evaluation is recorded as it finishes, so a killed run resumes
without repeating one: the same seed regenerates the same candidates, and recorded
ones are read back.

Constraints a designer needs, each optional:

* ``dE``: the tuned band's width ΔE must lie in [lo, hi] (eV);
* ``omega0_max``: the bare phonon energy must not exceed it (eV);
* ``single_band``: at the optimum, the pairing window μ ± ω̃ holds only the tuned band
  (the bands below and above lie outside it).

A candidate that violates a constraint, or whose model cannot be built, scores 0 and
carries the reason.
"""

from __future__ import annotations

import json
import os
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from multigap.config import Numerics, Pairing, Superlattice
from multigap.errors import ConvergenceError, MultigapError, ParameterError
from multigap.progress import progress_bar
from multigap.study.executors import Executor, check_executor
from multigap.units import energy_out

__all__ = [
    "DESIGN_PARAMETERS",
    "DesignSpec",
    "OBJECTIVES",
    "bkt_max",
    "describe_optimum",
    "evaluate",
    "run_design",
    "tc_max",
]

#: Model parameters a design may vary, with their internal unit.
DESIGN_PARAMETERS = {
    "well_width": "nm",
    "barrier_width": "nm",
    "barrier_height": "eV",
    "mass_well": "m_e",
    "mass_barrier": "m_e",
    "mass_x": "m_e",
    "omega0": "eV",
    "g_inter": "1",
    "g": "1",
}
ETA_GRID = np.linspace(-0.5, 2.0, 26)
#: The objectives of a design and the record field each maximises.
OBJECTIVES = {"tc": "Tc_max_K", "bkt": "T_BKT_max_K"}


@dataclass(frozen=True)
class DesignSpec:
    """A design problem.

    Parameters
    ----------
    superlattice, pairing, numerics
        The base model (the varied parameters replace its values).
    vary : tuple of (name, lo, hi)
        The design variables and their bounds, in internal units.
    g : float, optional
        The tuned band's coupling when it is not varied (default: the pairing's).
    dE : (float, float), optional
        Allowed range of the tuned band's width, in eV.
    omega0_max : float, optional
        Largest allowed ω0, in eV.
    single_band : bool
        Require the window at the optimum to hold only the tuned band.
    budget, seed : int
        Evaluations allowed (approximately: whole generations) and the random seed.
    objective : {"tc", "bkt"}
        Maximise the mean-field Tc,max (default) or T_BKT,max (wires), each the largest
        over η at the candidate's g.
    """

    superlattice: Superlattice
    pairing: Pairing
    numerics: Numerics
    vary: tuple
    g: float | None = None
    dE: tuple | None = None
    omega0_max: float | None = None
    single_band: bool = False
    budget: int = 200
    seed: int = 0
    model: str | None = None
    objective: str = "tc"

    def __post_init__(self):
        if self.objective not in OBJECTIVES:
            raise ParameterError("objective", self.objective, "one of " + ", ".join(OBJECTIVES))
        if self.objective == "bkt" and self.superlattice.structure == "wells":
            raise ParameterError(
                "objective", "bkt", "tc for wells (three-dimensional: no BKT transition)"
            )
        if not self.vary:
            raise ParameterError("vary", "(none)", "at least one NAME LO HI")
        names = [v[0] for v in self.vary]
        from multigap.study.sweep import LAYER_PARAMETER

        for name, lo, hi in self.vary:
            if name not in DESIGN_PARAMETERS and not LAYER_PARAMETER.match(name):
                raise ParameterError(
                    "vary",
                    name,
                    "one of "
                    + ", ".join(DESIGN_PARAMETERS)
                    + ", or layers.N.width|height|mass (N from 1)",
                )
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise ParameterError(f"vary {name}", (lo, hi), "finite bounds LO < HI")
        if len(set(names)) != len(names):
            raise ParameterError("vary", names, "each parameter at most once")
        if "g" in names and self.g is not None:
            raise ParameterError("g", self.g, "no fixed g when g is varied")
        if (
            isinstance(self.seed, bool)
            or not isinstance(self.seed, (int, np.integer))
            or not 0 <= self.seed < 2**32
        ):
            raise ParameterError("seed", self.seed, "an integer from 0 to 2**32 - 1")
        if not (isinstance(self.budget, int) and 10 <= self.budget <= 100_000):
            raise ParameterError("budget", self.budget, "an integer from 10 to 100000")
        if self.dE is not None and not (0 < self.dE[0] < self.dE[1]):
            raise ParameterError("dE", self.dE, "0 < LO < HI, in eV")
        if self.omega0_max is not None and not self.omega0_max > 0:
            raise ParameterError("omega0_max", self.omega0_max, "a value > 0 eV")

    @property
    def names(self) -> list[str]:
        """The names of the varied parameters."""
        return [v[0] for v in self.vary]

    @property
    def bounds(self) -> list[tuple[float, float]]:
        """The (low, high) bounds of the varied parameters, in internal units."""
        return [(float(lo), float(hi)) for _, lo, hi in self.vary]

    def fingerprint(self) -> dict:
        """Everything that decides the search's results, as JSON-ready data."""
        return json.loads(
            json.dumps(
                {
                    "superlattice": asdict(self.superlattice),
                    "pairing": asdict(self.pairing),
                    "numerics": asdict(self.numerics),
                    "vary": [list(v) for v in self.vary],
                    "g": self.g,
                    "dE": self.dE,
                    "omega0_max": self.omega0_max,
                    "single_band": self.single_band,
                    "seed": self.seed,
                }
                | ({"objective": "bkt"} if self.objective == "bkt" else {}),
                default=float,
            )
        )

    @property
    def objective_key(self) -> str:
        """The record field the search maximises."""
        return OBJECTIVES[self.objective]


def problem_key(spec: DesignSpec) -> str:
    """A hash of what an evaluation's numbers depend on (the model, the variables, g and
    the constraints; not the seed or the budget): every record carries it, and a resumed
    run reads back only the records of its own problem.
    """
    import hashlib

    fp = {k: v for k, v in spec.fingerprint().items() if k not in ("seed", "budget")}
    return hashlib.sha256(json.dumps(fp, sort_keys=True).encode()).hexdigest()[:16]


def build_candidate(spec: DesignSpec, x):
    """The model and the coupling g of candidate x (ParameterError if it is not a model)."""
    from multigap.solvers.model import Model
    from multigap.study.sweep import LAYER_PARAMETER, with_layer_value

    values = dict(zip(spec.names, (float(v) for v in x)))
    g = values.pop("g", spec.g)
    sl = spec.superlattice
    for name in [k for k in values if LAYER_PARAMETER.match(k)]:
        sl = with_layer_value(sl, name, values.pop(name))
    sl_keys = {k: v for k, v in values.items() if k in asdict(spec.superlattice)}
    pa_keys = {k: v for k, v in values.items() if k not in sl_keys}
    sl = sl.replace(**sl_keys) if sl_keys else sl
    pa = spec.pairing.replace(**pa_keys) if pa_keys else spec.pairing
    return Model(sl, pa, spec.numerics, spec.model), g


def _tc_on(model, g, eta: np.ndarray) -> np.ndarray:
    """Tc (K) along η at coupling g (the model's own g if None); NaN where it failed."""
    if g is None:
        g = float(model.coupling()[model.tuned, model.tuned])
    return model.tc_points(eta, g).Tc


def tc_max(model, g: float | None = None) -> tuple[float, float]:
    """Tc,max (K) over η at coupling g, and the η where it is reached.

    A batched Tc on 26 η in [−0.5, 2] (extended in steps of 1.5, up to η = 12 or down to
    −3.5, while the maximum sits at an end of the grid), then a bounded scalar search
    (Brent) between the neighbours of the best grid point.
    """
    eta, tc = ETA_GRID.copy(), _tc_on(model, g, ETA_GRID)
    while True:
        if not np.isfinite(tc).any():
            raise ConvergenceError("Tc on the η grid", float("nan"), "every point failed")
        i = int(np.nanargmax(tc))
        if i == eta.size - 1 and eta[-1] < 12.0:
            more = eta[-1] + np.linspace(0.1, 1.5, 15)
        elif i == 0 and tc[0] > 0 and eta[0] > -3.5:
            more = eta[0] - np.linspace(1.5, 0.1, 15)
        else:
            break
        eta, tc = np.concatenate([eta, more]), np.concatenate([tc, _tc_on(model, g, more)])
        order = np.argsort(eta)
        eta, tc = eta[order], tc[order]
    return _polished_max(lambda e: model.critical_temperature(e, g=g).Tc, eta, tc, 2e-3)


def bkt_max(model, g: float | None = None) -> tuple[float, float]:
    """T_BKT,max (K) over η at coupling g, and the η where it is reached: T_BKT on 11 η in
    [−0.5, 2], then a bounded scalar search between the neighbours of the best.
    """
    from multigap.solvers.grid import bkt_points

    g = float(model.coupling(g)[model.tuned, model.tuned])
    eta = np.linspace(-0.5, 2.0, 11)
    t = bkt_points(model, eta, g).T_BKT
    if not np.isfinite(t).any():
        raise ConvergenceError("T_BKT on the η grid", float("nan"), "every point failed")
    return _polished_max(lambda e: bkt_points(model, [e], g).T_BKT[0], eta, t, 5e-3)


def _polished_max(value_at, eta: np.ndarray, t: np.ndarray, xatol: float) -> tuple[float, float]:
    """The largest of t(η) on a grid, polished by a bounded scalar search (Brent) between
    the neighbours of the best point; a failed value (NaN) never wins.
    """
    from scipy.optimize import minimize_scalar

    i = int(np.nanargmax(t))
    if t[i] <= 0:
        return 0.0, float(eta[i])

    def one(e):
        v = value_at(float(e))
        return -v if np.isfinite(v) else 1.0

    lo, hi = eta[max(i - 1, 0)], eta[min(i + 1, eta.size - 1)]
    res = minimize_scalar(one, bounds=(lo, hi), method="bounded", options={"xatol": xatol})
    return (-float(res.fun), float(res.x)) if -res.fun > t[i] else (float(t[i]), float(eta[i]))


def _violations(spec: DesignSpec, model, g, eta) -> list[str]:
    out = []
    sb = model.subbands
    if spec.dE is not None and not spec.dE[0] <= sb.tuned_width <= spec.dE[1]:
        lo, hi = (energy_out(v) for v in spec.dE)
        out.append(
            f"ΔE = {energy_out(sb.tuned_width):.1f} meV outside the allowed range {lo:g}–{hi:g} meV"
        )
    if spec.omega0_max is not None and model.pairing.omega0 > spec.omega0_max:
        out.append(
            f"ω0 = {energy_out(model.pairing.omega0):.1f} meV above the allowed maximum "
            f"{energy_out(spec.omega0_max):g} meV"
        )
    if spec.single_band:
        from multigap.superlattice.kronig_penney import band_edges

        t = model.superlattice.tuned_band
        sl = model.superlattice
        edges = band_edges(sl.replace(n_bands=max(sl.n_bands, t + 1)), 4000)
        mu, w = model.mu_normal(eta), model.cutoff(g)
        if t > 1 and edges[t - 2, 1] > mu - w:
            out.append(f"band {t - 1} inside the window at the optimum")
        if edges[t, 0] < mu + w:
            out.append(f"band {t + 1} inside the window at the optimum")
    return out


def evaluate(spec: DesignSpec, x) -> dict:
    """One candidate: its parameters, Tc,max, the η and g of the optimum, feasibility."""
    from multigap.study.executors import one_blas_thread

    record: dict[str, Any] = {
        "x": [float(v) for v in x],
        "parameters": dict(zip(spec.names, map(float, x))),
    }
    try:
        with one_blas_thread():
            model, g = build_candidate(spec, x)
            tc, eta = tc_max(model, g)
            if spec.objective == "bkt":
                bkt, eta = bkt_max(model, g)
                record["T_BKT_unconstrained_K"] = bkt
            g_used = float(model.coupling(g)[model.tuned, model.tuned])
            problems = _violations(spec, model, g, eta)
    except MultigapError as exc:
        return {
            **record,
            "Tc_max_K": 0.0,
            **({"T_BKT_max_K": 0.0} if spec.objective == "bkt" else {}),
            "eta": None,
            "g": None,
            "feasible": False,
            "reason": str(exc),
        }
    return {
        **record,
        "Tc_max_K": tc if not problems else 0.0,
        "Tc_unconstrained_K": tc,
        **(
            {"T_BKT_max_K": record.pop("T_BKT_unconstrained_K") if not problems else 0.0}
            if spec.objective == "bkt"
            else {}
        ),
        "eta": eta,
        "g": g_used,
        "feasible": not problems,
        "reason": "; ".join(problems),
    }


def _key(x) -> str:
    return json.dumps([float(f"{v:.12g}") for v in x])


class _Evaluations:
    """The record of evaluations in OUT/evaluations.jsonl (appended as they finish).

    Each record carries the problem's key (:func:`problem_key`); lines of another problem,
    cut by a kill, or that are not records are ignored (and those evaluations redone).
    """

    def __init__(self, out: Path | None, spec: DesignSpec):
        self.path = None if out is None else Path(out) / "evaluations.jsonl"
        self.key = problem_key(spec)
        self.size = len(spec.vary)
        self.done: dict[str, dict] = {}
        self.order: list[dict] = []
        self.computed = 0
        if self.path is not None and self.path.exists():
            for line in self.path.read_text(errors="replace").splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue  # a line cut by a kill: that evaluation is simply redone
                if self._is_record(rec):
                    self.done[_key(rec["x"])] = rec

    def _is_record(self, rec) -> bool:
        return (
            isinstance(rec, dict)
            and rec.get("problem") == self.key
            and isinstance(rec.get("x"), list)
            and len(rec["x"]) == self.size
            and all(isinstance(v, (int, float)) for v in rec["x"])
            and isinstance(rec.get("Tc_max_K"), (int, float))
            and isinstance(rec.get("feasible"), bool)
            and isinstance(rec.get("parameters"), dict)
        )

    def add(self, rec: dict) -> None:
        rec = {**rec, "problem": self.key}
        self.done[_key(rec["x"])] = rec
        self.computed += 1
        if self.path is not None:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "a") as f:
                f.write(json.dumps(rec) + "\n")


#: The files a design directory holds; nothing else is ever written or read there.
DESIGN_FILES = ("design.json", "evaluations.jsonl", "evaluations.nc", ".lock")


def _holds_records(path: Path) -> bool:
    """Whether a file holds at least one multigap design record (of any problem)."""
    if not path.is_file():
        return False
    for line in path.read_text(errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and "problem" in rec and "x" in rec:
            return True
    return False


def _design_directory(out: Path, spec: DesignSpec) -> None:
    """Create or check OUT by the sweep store's rules: a new or empty directory, or a
    design directory (multigap's own files only, none a link) of this very problem.
    """
    if out.exists() and not out.is_dir():
        raise ParameterError("out", str(out), "a directory (this is a file; nothing was changed)")
    if not out.exists():
        if not out.parent.is_dir():
            raise ParameterError("out", str(out), "a path in an existing directory")
        out.mkdir()
    names = {e.name for e in out.iterdir()}
    foreign = sorted(names - set(DESIGN_FILES))
    links = sorted(n for n in names & set(DESIGN_FILES) if (out / n).is_symlink())
    if foreign or links:
        raise ParameterError(
            "out",
            str(out),
            "a new or empty directory, or a design directory of multigap's own files "
            f"(this one holds {', '.join((foreign + links)[:5])}; nothing was changed)",
        )
    meta = out / "design.json"
    if names and not meta.exists() and not _holds_records(out / "evaluations.jsonl"):
        raise ParameterError(
            "out",
            str(out),
            "a new or empty directory, or a design directory (this one holds "
            f"{', '.join(sorted(names)[:5])} but neither design.json nor multigap's "
            "records; nothing was changed)",
        )
    if meta.exists():
        try:
            stored = json.loads(meta.read_text()).get("spec")
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise ParameterError(
                "out", str(out), "a design directory with a readable design.json"
            ) from None
        if stored != spec.fingerprint():
            raise ParameterError(
                "out",
                str(out),
                "a directory for this design problem (it holds another one; choose "
                "another directory)",
            )
    tmp = out / f"design.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"spec": spec.fingerprint(), "problem": problem_key(spec)}, indent=1))
    os.replace(tmp, meta)


def _mapper(spec: DesignSpec, record: _Evaluations, run: Executor, bar):
    """The map that differential evolution calls: recorded candidates are read back,
    the others run on the executor and are recorded (and counted on ``bar``) as they
    finish.
    """

    def mapper(func, candidates):
        xs = [np.asarray(c, dtype=float) for c in candidates]
        todo = list({_key(x): x for x in xs if _key(x) not in record.done}.values())
        for _, rec in run.map(evaluate, [(spec, x) for x in todo]):
            record.add(rec)
            bar.update(1)
        record.order.extend(record.done[_key(x)] for x in xs)
        return [-record.done[_key(x)][spec.objective_key] for x in xs]

    return mapper


def run_design(
    spec: DesignSpec,
    *,
    out: str | Path | None = None,
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    connect_timeout: float = 15.0,
    progress: bool = False,
) -> dict:
    """Search the design variables for the largest Tc,max.

    Parameters
    ----------
    spec : DesignSpec
    out : str or Path, optional
        A directory that keeps every evaluation; a killed run resumes from it.
    executor, workers, scheduler, connect_timeout
        Where candidates are evaluated: see :class:`~multigap.study.executors.Executor`.
    progress : bool
        Count the evaluations on a progress bar (on a terminal only).

    Returns
    -------
    dict
        ``best`` (parameters, η, g, Tc_K), ``evaluations`` (distinct candidates
        evaluated, including recorded ones), ``computed`` (in this run), ``history``
        (every candidate in the order the search asked for them).
    """
    check_executor(executor, workers, scheduler, connect_timeout)
    if out is not None:
        out = Path(out)
        _design_directory(out, spec)
    record = _Evaluations(out, spec)
    bar = progress_bar(spec.budget, "design", progress, unit="eval")
    with _only_writer(out), Executor(executor, workers, scheduler, connect_timeout) as run, bar:
        try:
            _search(spec, _mapper(spec, record, run, bar))
        except BrokenProcessPool:
            kept = f"; {out} keeps every finished one: run the same command again to resume"
            raise MultigapError(
                f"a worker process died (killed, or out of memory) after {record.computed} "
                "evaluations" + (kept if out is not None else "")
            ) from None
    result = _best(record, spec)
    result["optimum"] = describe_optimum(spec, result["best"])
    result["status"] = "flagged" if result["optimum"].get("caveats") else "ok"
    if out is not None:
        _write_dataset(out, list(record.done.values()), spec)
    return result


@contextmanager
def _only_writer(out: Path | None):
    """Hold the design directory's lock while the body runs (nothing without a directory)."""
    if out is None:
        yield
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / ".lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise MultigapError(f"{out} is being written by another design run") from None
    try:
        yield
    finally:
        lock.release()


def _search(spec: DesignSpec, mapper) -> None:
    """Differential evolution from a Sobol population, every generation evaluated through
    *mapper* (which records the evaluations; the search's own result is not used).
    """
    from scipy.optimize import differential_evolution

    popsize = 10
    # a Sobol initial population is rounded up to a power of two, and so every generation
    population = 2 ** int(np.ceil(np.log2(popsize * len(spec.vary))))
    differential_evolution(
        lambda x: 0.0,
        spec.bounds,
        maxiter=max(spec.budget // population - 1, 1),
        popsize=popsize,
        seed=spec.seed,
        polish=False,
        init="sobol",
        updating="deferred",
        workers=mapper,
        tol=0.0,
    )


def _best(record: _Evaluations, spec: DesignSpec) -> dict:
    """The best feasible evaluation and the record's counts (or why there is none)."""
    feasible = [r for r in record.done.values() if r["feasible"]]
    if not feasible:
        raise MultigapError(_no_candidate(list(record.done.values())))
    best = max(feasible, key=lambda r: r[spec.objective_key])
    summary = {
        "parameters": best["parameters"],
        "eta": best["eta"],
        "g": best["g"],
        "Tc_K": best["Tc_max_K"],
    }
    if spec.objective == "bkt":
        summary["T_BKT_K"] = best["T_BKT_max_K"]
    return {
        "objective": spec.objective,
        "best": summary,
        "evaluations": len(record.done),
        "computed": record.computed,
        "history": record.order,
    }


def describe_optimum(spec: DesignSpec, best: dict) -> dict:
    """Where the optimum sits: ΔE, the tuned band's E_F,t/ω̃ and k_F ξ0 at T = 0, the
    regime flags, and the design variables that sit on a bound (within 1 % of the
    range), each with a caveat in words. Mean field is not to be trusted where a flag is
    raised; an optimum on a bound says the search wanted to go further.
    """
    from multigap.output.labels import regime_summary

    model, _ = build_candidate(spec, [best["parameters"][n] for n in spec.names])
    out: dict = {"dE_meV": energy_out(model.subbands.tuned_width), "on_bound": []}
    for (name, lo, hi), value in zip(spec.vary, (best["parameters"][n] for n in spec.names)):
        for side, bound in (("lower", lo), ("upper", hi)):
            if abs(value - bound) <= 0.01 * (hi - lo):
                out["on_bound"].append({"parameter": name, "side": side, "value": value,
                                        "bound": bound})  # fmt: skip
    try:
        out |= regime_summary(model.gaps(best["eta"], g=best["g"]))
    except MultigapError as exc:
        out["caveats"] = [f"the gaps at the optimum did not converge: {exc}"]
        return out
    out["caveats"] = _caveats(out)
    return out


def _caveats(d: dict) -> list[str]:
    """The optimum's flags in words."""
    said = [
        f"{b['parameter']} sits on its {b['side']} bound ({b['value']:.4g}; bound "
        f"{b['bound']:.4g}): the search wanted to go further"
        for b in d["on_bound"]
    ]
    if d.get("non_adiabatic"):
        said.append(f"non-adiabatic: E_F,t/ω̃ = {d['EF_t_over_omega']:.2f} < 1 (Migdal fails)")
    if d.get("bec"):
        said.append("BEC side: μ lies below the tuned band (its pairs are bound states)")
    if d.get("outside_weak_coupling"):
        said.append("outside weak coupling: k_B Tc > ω̃/2")
    if d.get("kF_xi0_t") is not None and d["kF_xi0_t"] < 2:
        said.append(f"k_F ξ0 = {d['kF_xi0_t']:.2f}: pairs as large as their spacing (crossover)")
    return said


def _no_candidate(records: list[dict]) -> str:
    """Why no candidate was feasible: invalid models, or the failed constraints, values met."""
    import re

    built = [r for r in records if r.get("eta") is not None]
    if not built:
        first = records[0]["reason"] if records else "no evaluation"
        return (
            f"none of the {len(records)} candidates is a valid model (for example: {first}); "
            "check the varied parameters and their bounds"
        )
    groups: dict[str, list] = {}
    for part in (p for r in built for p in r["reason"].split("; ") if p):
        m = re.match(r"(.+?) = ([-\d.eE+]+) (\S+) ((?:outside|above) .+)", part)
        groups.setdefault(f"{m[1]} {m[4]}" if m else part, []).append(m and (float(m[2]), m[3]))
    said = []
    for key, met in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        values = [v for v in met if v]
        span = (f" (met: {min(v for v, _ in values):.4g} to {max(v for v, _ in values):.4g} "
                f"{values[0][1]})" if values else "")  # fmt: skip
        said.append(f"{key}: {len(met)} of {len(built)} candidates{span}")
    return f"no candidate met the constraints: {'; '.join(said[:3])}; widen bounds or constraints"


def _write_dataset(out: Path, records: list[dict], spec: DesignSpec) -> None:
    import xarray as xr

    names = spec.names
    ds = xr.Dataset(
        {
            name: (
                ("evaluation",),
                [r["parameters"][name] for r in records],
                {"units": DESIGN_PARAMETERS.get(name, "see name")},
            )
            for name in names
        }
        | {
            "Tc_max": (("evaluation",), [r["Tc_max_K"] for r in records], {"units": "K"}),
            **(
                {
                    "T_BKT_max": (
                        ("evaluation",),
                        [r["T_BKT_max_K"] for r in records],
                        {"units": "K"},
                    )
                }  # fmt: skip
                if spec.objective == "bkt"
                else {}
            ),
            "eta": (
                ("evaluation",),
                [np.nan if r["eta"] is None else r["eta"] for r in records],
                {"units": "1"},
            ),
            "feasible": (("evaluation",), [int(r["feasible"]) for r in records], {"units": "1"}),
        },
        coords={"evaluation": np.arange(len(records))},
    )
    ds.attrs["design_spec"] = json.dumps(spec.fingerprint())
    ds.to_netcdf(out / "evaluations.nc", engine="h5netcdf")
