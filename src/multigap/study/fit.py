"""Fits of measured Tc(P) domes as paths through the (η, g) plane (lmfit).

A measured dome is read as a cut of the model's dome along the linear path of
:class:`multigap.study.paths.LinearPath`. The four path parameters are fitted by least
squares (:func:`lmfit.minimize`), any of them fixable, from a start found on a coarse
map of the dome: g0 where the dome's height matches the data's maximum, eta0 at the
top of the dome for that g, and |eta1| from the ratio of the dome's half width in η to
the data's half width in P (both signs tried).

A dome has three features — height, position and width — and the path four
parameters, so a fit with all four free is degenerate: the fit says so (correlations
near ±1, or a singular covariance) rather than present it as precise. Fixing g1 = 0
(a coupling that does not change with pressure) is the usual remedy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from multigap.errors import ParameterError
from multigap.progress import progress_bar
from multigap.status import Result
from multigap.study.paths import LinearPath, dome_map, tc_along_path

__all__ = ["read_dome_csv", "fit_dome", "FitResult", "PATH_PARAMETERS"]

PATH_PARAMETERS = ("eta0", "eta1", "g0", "g1")
#: The unit of each path parameter: η and g are pure numbers, their slopes per GPa.
PATH_UNITS = {"eta0": "1", "eta1": "1/GPa", "g0": "1", "g1": "1/GPa"}
#: Correlations beyond this (in magnitude) mark a fit as degenerate.
DEGENERATE_CORRELATION = 0.95


def _linear_path(values: dict, p_ref: float) -> LinearPath:
    """The path of fitted (or fixed) eta0, eta1, g0, g1."""
    return LinearPath(values["eta0"], values["eta1"], values["g0"], values["g1"], p_ref=p_ref)


#: Bounds of what a measured dome can hold: points, |pressure| (GPa) and Tc (K).
MAX_DATA_ROWS = 10_000
MAX_PRESSURE = 1e5
MAX_TC = 1e5


def _bounds(span: float) -> dict[str, tuple[float, float]]:
    """The range each path parameter is fitted (and may be fixed) in, for a dome spanning
    *span* GPa: η0 in [−1, 3], g0 in [0.01, 0.499], and slopes that move η by at most 4
    and g by at most 0.4 across the data.
    """
    return {
        "eta0": (-1.0, 3.0),
        "eta1": (-4.0 / span, 4.0 / span),
        "g0": (0.01, 0.499),
        "g1": (-0.4 / span, 0.4 / span),
    }


def read_dome_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Read ``pressure_GPa,Tc_K[,Tc_err_K]`` rows (a header line, then numbers).

    Returns pressures (GPa), Tc (K) and the errors (K) or None.

    Raises
    ------
    ParameterError
        For a missing file or column, a non-numeric or non-finite value, a negative Tc or
        a non-positive error, naming the row.
    """
    p = Path(path)
    if not p.is_file():
        raise ParameterError("DATA", str(path), "an existing CSV file")
    rows = []
    try:  # utf-8-sig: a byte-order mark (as spreadsheets write) is not part of the header
        with open(p, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(line for line in handle if not line.lstrip().startswith("#")):
                rows.append(row)
                if len(rows) > MAX_DATA_ROWS:
                    raise ParameterError(
                        "DATA", str(path), f"at most {MAX_DATA_ROWS} measured points"
                    )
    except UnicodeDecodeError as exc:
        raise ParameterError(
            "DATA", str(path), f"a UTF-8 text CSV (byte {exc.start} is not UTF-8)"
        ) from None
    except csv.Error as exc:
        raise ParameterError("DATA", str(path), f"a readable CSV ({exc})") from None
    if not rows:
        raise ParameterError("DATA", str(path), "a CSV with a header and at least one row")
    missing = {"pressure_GPa", "Tc_K"} - set(rows[0])
    if missing:
        raise ParameterError(
            "DATA",
            str(path),
            "columns pressure_GPa,Tc_K (and optionally "
            f"Tc_err_K); missing {', '.join(sorted(missing))}",
        )
    has_err = "Tc_err_K" in rows[0]
    cols = ["pressure_GPa", "Tc_K"] + (["Tc_err_K"] if has_err else [])
    values = np.empty((len(rows), len(cols)))
    for i, row in enumerate(rows):
        for j, name in enumerate(cols):
            try:
                values[i, j] = float(row[name])
            except (TypeError, ValueError):
                raise ParameterError(f"DATA row {i + 2}, {name}", row[name], "a number") from None
    if not np.all(np.isfinite(values)):
        raise ParameterError("DATA", str(path), "finite numbers in every row")
    if np.any(np.abs(values[:, 0]) > MAX_PRESSURE):
        raise ParameterError(
            "DATA pressure_GPa", float(np.abs(values[:, 0]).max()), f"|P| <= {MAX_PRESSURE:g} GPa"
        )
    if np.any(values[:, 1] > MAX_TC):
        raise ParameterError("DATA Tc_K", float(values[:, 1].max()), f"Tc <= {MAX_TC:g} K")
    if np.any(values[:, 1] < 0):
        raise ParameterError("DATA Tc_K", values[:, 1].min(), "temperatures >= 0 K")
    if has_err and np.any(values[:, 2] <= 0):
        raise ParameterError("DATA Tc_err_K", values[:, 2].min(), "errors > 0 K")
    return values[:, 0], values[:, 1], values[:, 2] if has_err else None


@dataclass(frozen=True)
class FitResult(Result):
    """A fitted path: parameters with standard errors, χ², correlations, the fitted curve."""

    values: dict
    stderr: dict
    fixed: dict
    p_ref: float
    chi2: float
    redchi: float
    correlations: dict
    degenerate: bool
    warning: str | None
    pressure: np.ndarray
    Tc: np.ndarray
    Tc_err: np.ndarray | None
    curve_pressure: np.ndarray
    curve_Tc: np.ndarray
    nfev: int
    parameters: dict | None = field(default=None, repr=False)
    objective: str = "tc"
    regimes: dict | None = None

    @property
    def status(self) -> str:
        """``ok``, or ``degenerate`` when the data do not determine every free parameter."""
        return "degenerate" if self.degenerate else "ok"

    @property
    def path(self) -> LinearPath:
        """The fitted path η(P), g(P)."""
        return _linear_path(self.values, self.p_ref)

    def summary(self) -> dict:
        """The JSON object of ``multigap fit``."""
        return {
            "parameters": {
                k: {"value": self.values[k], "stderr": self.stderr[k], "fixed": self.fixed[k]}
                for k in PATH_PARAMETERS
            },
            "p_ref_GPa": self.p_ref,
            "chi2": self.chi2,
            "redchi": None if not np.isfinite(self.redchi) else self.redchi,
            "degrees_of_freedom": int(self.pressure.size - sum(not f for f in self.fixed.values())),
            "units": PATH_UNITS,
            "correlations": self.correlations,
            "degenerate": self.degenerate,
            "warning": self.warning,
            "evaluations": self.nfev,
            "objective": self.objective,
            "regimes_at_top": self.regimes,
            "data": {"pressure_GPa": self.pressure.tolist(), "Tc_K": self.Tc.tolist()},
            "curve": {"pressure_GPa": self.curve_pressure.tolist(), "Tc_K": self.curve_Tc.tolist()},
            "parameters_model": self.parameters,
        }

    def to_dataset(self):
        """The data, the fitted curve and its path as an ``xarray.Dataset``: ``Tc``,
        ``eta`` and ``g`` on ``pressure`` (the curve), ``Tc_measured`` (and its error) on
        ``pressure_measured``; the fitted parameters, errors and χ² in ``attrs``.
        """
        import xarray as xr

        from multigap.output.provenance import provenance_attrs

        eta, g = self.path(self.curve_pressure)
        data = {
            "Tc": ("pressure", self.curve_Tc, {"units": "K", "long_name": "fitted Tc(P)"}),
            "eta": ("pressure", eta, {"units": "1", "long_name": "Lifshitz parameter"}),
            "g": ("pressure", g, {"units": "1", "long_name": "tuned-band coupling"}),
            "Tc_measured": ("pressure_measured", self.Tc, {"units": "K"}),
        }
        if self.Tc_err is not None:
            data["Tc_measured_err"] = ("pressure_measured", self.Tc_err, {"units": "K"})
        ds = xr.Dataset(
            data,
            coords={
                "pressure": ("pressure", self.curve_pressure, {"units": "GPa"}),
                "pressure_measured": ("pressure_measured", self.pressure, {"units": "GPa"}),
            },
        )
        ds.attrs.update(provenance_attrs(self.parameters or {}))
        for k in PATH_PARAMETERS:
            ds.attrs[k] = self.values[k]
            ds.attrs[f"{k}_stderr"] = np.nan if self.stderr[k] is None else self.stderr[k]
            ds.attrs[f"{k}_fixed"] = int(self.fixed[k])
        ds.attrs.update(
            p_ref_GPa=self.p_ref,
            chi2=self.chi2,
            redchi=self.redchi,
            degenerate=int(self.degenerate),
        )
        if self.warning:
            ds.attrs["warning"] = self.warning
        return ds


def _half_width(x: np.ndarray, y: np.ndarray) -> float:
    """Half the distance between the points where y falls to half its maximum (linear
    interpolation; the span of x if it never does).
    """
    i = int(np.nanargmax(y))
    half = 0.5 * y[i]
    left = x[0]
    for j in range(i, 0, -1):
        if y[j - 1] < half <= y[j]:
            left = x[j - 1] + (half - y[j - 1]) / (y[j] - y[j - 1]) * (x[j] - x[j - 1])
            break
    right = x[-1]
    for j in range(i, len(x) - 1):
        if y[j + 1] < half <= y[j]:
            right = x[j] + (y[j] - half) / (y[j] - y[j + 1]) * (x[j + 1] - x[j])
            break
    return 0.5 * (right - left)


def _start(model, P, Tc, fixed: dict, p_ref: float) -> list[dict]:
    """Candidate starts from a coarse dome map (both signs of eta1)."""
    eta_grid, g_grid = np.linspace(-0.5, 2.5, 61), np.linspace(0.08, 0.48, 21)
    dome = np.nan_to_num(dome_map(model, eta_grid, g_grid))
    tops = dome.max(axis=0)
    g0 = fixed.get("g0")
    if g0 is None:
        g0 = float(np.interp(Tc.max(), np.maximum.accumulate(tops), g_grid))
    row = np.array([np.interp(g0, g_grid, dome[i]) for i in range(eta_grid.size)])
    eta_top = float(eta_grid[int(np.argmax(row))])
    order = np.argsort(P)
    slope = _half_width(eta_grid, row) / max(_half_width(P[order], Tc[order]), 1e-6)
    p_top = float(P[int(np.argmax(Tc))])
    starts = []
    for sign in (1.0, -1.0):
        eta1 = fixed.get("eta1", sign * slope)
        start = {"eta1": eta1, "g0": g0, "g1": fixed.get("g1", 0.0)}
        start["eta0"] = fixed.get("eta0", eta_top - eta1 * (p_top - p_ref))
        starts.append(start)
    return starts


def dome_along(model, eta, g, pressure, objective: str = "tc") -> np.ndarray:
    """The model's transition temperature (K) along a path: the mean-field Tc, or T_BKT
    (fixed density). g is kept inside the model's domain; NaN where a point failed.
    """
    g = np.clip(g, 0.0, 0.4999)
    if objective == "bkt":
        from multigap.solvers.grid import bkt_points

        return bkt_points(model, eta, g).T_BKT
    return tc_along_path(model, lambda p: (eta, g), pressure).Tc


def _residual_fn(model, P, Tc, sigma, objective: str = "tc"):
    def residual(params):
        v = params.valuesdict()
        path = LinearPath(v["eta0"], v["eta1"], v["g0"], v["g1"], v["p_ref"])
        eta, g = path(P)
        # the residual is flat beyond the model's domain (g clipped)
        tc = dome_along(model, eta, g, P, objective)
        return (np.nan_to_num(tc, nan=0.0) - Tc) / sigma

    return residual


def fit_dome(
    model,
    pressure,
    Tc,
    Tc_err=None,
    *,
    fix: dict | None = None,
    p_ref: float | None = None,
    curve_points: int = 121,
    objective: str = "tc",
    progress: bool = False,
) -> FitResult:
    """Fit the path parameters (eta0, eta1, g0, g1) to a measured dome.

    Parameters
    ----------
    model : Model
        The heterostructure (sweeps' "map" numerics are the natural choice: a fit needs
        hundreds of Tc).
    pressure, Tc : array_like
        The measured dome, in GPa and K.
    Tc_err : array_like, optional
        Standard errors of Tc in K. Without them every point weighs 1 K and the
        parameter errors are scaled by the fit's reduced χ².
    fix : dict, optional
        Parameters held at given values, e.g. ``{"g1": 0.0}``.
    p_ref : float, optional
        Reference pressure in GPa; default the pressure of the highest measured Tc, so
        that eta0 and g0 describe the dome's top.
    objective : {"tc", "bkt"}
        Fit the measured Tc with the mean-field Tc (default) or with T_BKT (wires, fixed
        density; every residual solves the gaps along the path, so it is much slower).
    progress : bool
        Count the residual evaluations on a progress bar (on a terminal only).

    Returns
    -------
    FitResult
    """
    import lmfit

    if objective not in ("tc", "bkt"):
        raise ParameterError("objective", objective, "tc or bkt")
    P, T = np.asarray(pressure, dtype=float), np.asarray(Tc, dtype=float)
    fix = _checked_fix(fix)
    free = _checked_data(P, T, fix)
    sigma = np.ones_like(T) if Tc_err is None else np.asarray(Tc_err, dtype=float)
    p_ref = float(P[int(np.argmax(T))]) if p_ref is None else _checked_p_ref(p_ref)
    bounds = _bounds(max(float(np.ptp(P)), 1.0))
    for name, value in fix.items():
        lo, hi = bounds[name]
        if not lo <= value <= hi:
            raise ParameterError(
                f"fix {name}", value, f"a value in the fitted range [{lo:.4g}, {hi:.4g}]"
            )
    starts = _start(model, P, T, fix, p_ref)
    if objective == "bkt":  # T_BKT is costly: start from the best mean-field fit only
        tc_fit = fit_dome(model, P, T, Tc_err, fix=fix, p_ref=p_ref, curve_points=2)
        starts = [dict(tc_fit.values)]
    best, bar = None, progress_bar(None, "fit", progress, unit="eval")

    def counted(*_args, **_kws) -> bool:  # lmfit's iter_cb: False goes on
        bar.update(1)
        return False

    for start in starts:
        params = lmfit.Parameters()
        params.add("p_ref", value=p_ref, vary=False)
        for name in PATH_PARAMETERS:
            lo, hi = bounds[name]
            value = start[name] if name != "g0" else min(max(start["g0"], 0.02), 0.49)
            params.add(name, value=value, min=lo, max=hi, vary=name not in fix)
        res = lmfit.minimize(
            _residual_fn(model, P, T, sigma, objective),
            params,
            method="least_squares",
            scale_covar=Tc_err is None,
            iter_cb=counted,
        )
        if best is None or res.chisqr < best.chisqr:
            best = res
    bar.close()
    return _result(model, best, P, T, Tc_err, fix, p_ref, free, curve_points, objective)


def _checked_data(P: np.ndarray, T: np.ndarray, fix: dict) -> list[str]:
    """The free parameters, once the data are known to determine them: at least as many
    points as free parameters, at most MAX_DATA_ROWS finite pressures.
    """
    free = [k for k in PATH_PARAMETERS if k not in fix]
    if P.size < max(len(free), 1) or P.size != T.size:
        raise ParameterError(
            "DATA",
            f"{P.size} points",
            f"at least as many points as free parameters ({len(free)}: {', '.join(free)})",
        )
    if P.size > MAX_DATA_ROWS or not np.all(np.isfinite(P) & (np.abs(P) <= MAX_PRESSURE)):
        raise ParameterError(
            "pressure", f"{P.size} points", f"at most {MAX_DATA_ROWS} finite |P| <= 1e5 GPa"
        )
    return free


def _checked_fix(fix: dict | None) -> dict:
    """The held parameters, each one of the path's."""
    fix = dict(fix or {})
    unknown = set(fix) - set(PATH_PARAMETERS)
    if unknown:
        raise ParameterError("fix", sorted(unknown)[0], "one of " + ", ".join(PATH_PARAMETERS))
    return fix


def _checked_p_ref(p_ref: Any) -> float:
    """The reference pressure of the path, in GPa: a finite number within the data limit."""
    if (
        isinstance(p_ref, bool)
        or not isinstance(p_ref, (int, float, np.floating))
        or not (np.isfinite(p_ref) and abs(float(p_ref)) <= MAX_PRESSURE)
    ):
        raise ParameterError("p_ref", p_ref, f"a finite pressure, |p_ref| <= {MAX_PRESSURE:g} GPa")
    return float(p_ref)


def _result(model, res, P, T, Tc_err, fix, p_ref, free, curve_points, objective) -> FitResult:
    values = {k: float(res.params[k].value) for k in PATH_PARAMETERS}
    stderr = {
        k: (
            None
            if k in fix or res.params[k].stderr is None or not np.isfinite(res.params[k].stderr)
            else float(res.params[k].stderr)
        )
        for k in PATH_PARAMETERS
    }
    corr = {}
    for a in free:
        for b in free:
            c = (res.params[a].correl or {}).get(b) if a < b else None
            if c is not None:
                corr[f"{a}:{b}"] = float(c)
    strong = {k: v for k, v in corr.items() if abs(v) > DEGENERATE_CORRELATION}
    singular = any(stderr[k] is None for k in free) and len(free) > 0
    degenerate = bool(strong) or singular
    warning = None
    if degenerate:
        worst = max(strong.items(), key=lambda kv: abs(kv[1])) if strong else None
        why = (
            f"corr({worst[0].replace(':', ', ')}) = {worst[1]:+.3f}"
            if worst
            else "the covariance is singular"
        )
        warning = (
            f"degenerate fit: the data fix the dome's height, position and width, not "
            f"{len(free)} free path parameters ({why}); fix one, e.g. fix={{'g1': 0}} "
            "(a coupling constant in pressure)"
        )
    path = _linear_path(values, p_ref)
    Pc = np.linspace(P.min(), P.max(), curve_points)
    eta, g = path(Pc)
    curve = dome_along(model, eta, g, Pc, objective)
    return FitResult(
        values=values,
        stderr=stderr,
        fixed={k: k in fix for k in PATH_PARAMETERS},
        p_ref=p_ref,
        chi2=float(res.chisqr),
        # with as many data as free parameters the fit passes through every point: no
        # degrees of freedom are left, and a reduced χ² would be 0/0
        redchi=float(res.redchi) if P.size > len(free) else float("nan"),
        correlations=corr,
        degenerate=degenerate,
        warning=warning,
        pressure=P,
        Tc=T,
        Tc_err=None if Tc_err is None else np.asarray(Tc_err, dtype=float),
        curve_pressure=Pc,
        curve_Tc=curve,
        nfev=int(res.nfev),
        parameters=model.parameters(),
        objective=objective,
        regimes=_regimes_at_top(model, eta, g, curve),
    )


def _regimes_at_top(model, eta, g, curve) -> dict | None:
    """The regime of the T = 0 state at the top of the fitted dome (None without one)."""
    from multigap.errors import MultigapError
    from multigap.output.labels import regime_summary

    if not np.isfinite(curve).any() or not np.nanmax(curve) > 0:
        return None
    i = int(np.nanargmax(curve))
    try:
        gaps = model.gaps(float(eta[i]), g=float(np.clip(g[i], 0.0, 0.4999)))
    except MultigapError:
        return None
    return {"eta": float(eta[i]), "g": float(g[i]), **regime_summary(gaps)}
