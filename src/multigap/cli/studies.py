"""Commands that read domes as paths, fit them, or design a structure.

``path``, ``fit`` and ``design``.
"""

from __future__ import annotations

import json
import math

import click
import numpy as np

from multigap.cli.options import (
    PRESSURE,
    emit,
    executor_options,
    in_flags,
    is_energy,
    linspace_option,
    model_of,
    model_options,
    output_options,
    plot_option,
    text_table,
    user_bounds,
)
from multigap.config import Config
from multigap.errors import ParameterError
from multigap.units import energy_out, from_user


def _path_plot(model, res, plot, cfg, data=None, title="Tc along a pressure path"):
    from multigap.plots import path_figure, save
    from multigap.study.paths import dome_map

    lo, hi = min(-0.5, float(res.eta.min()) - 0.2), max(2.0, float(res.eta.max()) + 0.2)
    glo = max(0.05, float(res.g.min()) - 0.05)
    ghi = min(0.49, max(float(res.g.max()) + 0.05, glo + 0.1))
    eta_grid, g_grid = np.linspace(lo, hi, 61), np.linspace(glo, ghi, 16)
    dome = (eta_grid, g_grid, dome_map(model, eta_grid, g_grid))
    save(
        path_figure(
            res.pressure, res.Tc, res.eta, res.g, dome, model=cfg.model, data=data, title=title
        ),
        plot,
    )


@click.command()
@model_options
@linspace_option(
    "--pressure",
    "pressure",
    "Pressures [GPa, or e.g. '120 GPa' '2 Mbar']: linspace(START, STOP, NUM).",
    PRESSURE,
)
@click.option("--eta0", type=float, required=True, help="η at the reference pressure.")
@click.option("--eta1", type=float, required=True, help="dη/dP, per GPa.")
@click.option("--g0", type=float, required=True, help="g at the reference pressure.")
@click.option("--g1", type=float, default=0.0, show_default=True, help="dg/dP, per GPa.")
@click.option(
    "--p-ref",
    type=PRESSURE,
    default=0.0,
    show_default=True,
    help="Reference pressure p_ref [GPa, or e.g. '150 GPa'].",
)
@output_options
@plot_option("Tc(P) and the path on the dome")
def path(cfg: Config, pressure, eta0, eta1, g0, g1, p_ref, as_json, out, plot):
    """Tc along the pressure path η(P) = eta0 + eta1 (P − p_ref), g(P) = g0 + g1 (P − p_ref)."""
    from multigap.study.paths import LinearPath, tc_along_path
    from multigap.study.sweep import check_axis

    start, stop, num = check_axis("--pressure", *pressure)
    m = model_of(cfg)
    res = tc_along_path(m, LinearPath(eta0, eta1, g0, g1, p_ref), np.linspace(start, stop, num))
    if plot:
        _path_plot(m, res, plot, cfg)
    s = res.summary()
    rows = [
        [p, e, gg, t, st]
        for p, e, gg, t, st in zip(s["pressure_GPa"], s["eta"], s["g"], s["Tc_K"], s["status"])
    ]
    table = text_table(["P [GPa]", "eta", "g", "Tc [K]", "status"], rows)
    emit(s, table, as_json, res.to_dataset() if out else None, out)


def _fixes(items) -> dict:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ParameterError("--fix", item, "NAME=VALUE with a number, e.g. g1=0") from None
        if not sep or not math.isfinite(out[name.strip()]):
            raise ParameterError("--fix", item, "NAME=VALUE with a finite number, e.g. g1=0")
    return out


@click.command()
@click.argument("data", type=click.Path(dir_okay=False))
@model_options
@click.option(
    "--fix",
    "fix",
    multiple=True,
    metavar="NAME=VALUE",
    help="Hold a path parameter (eta0, eta1, g0, g1) fixed; repeatable. "
    "--fix g1=0 keeps the coupling constant in pressure.",
)
@click.option(
    "--p-ref",
    type=PRESSURE,
    default=None,
    help="Reference pressure [GPa, or e.g. '150 GPa'] (default: the pressure of the highest Tc).",
)
@click.option(
    "--objective",
    type=click.Choice(["tc", "bkt"]),
    default="tc",
    show_default=True,
    help="Fit the data with the mean-field Tc, or with T_BKT (wires; much slower).",
)
@output_options
@plot_option("the data against the fit, and the fitted path on the dome")
def fit(data, cfg: Config, fix, p_ref, objective, as_json, out, plot):
    """Fit a measured Tc(P) dome (CSV: pressure_GPa,Tc_K[,Tc_err_K]) as a path through the
    (η, g) plane: eta0, eta1, g0, g1 by least squares, with errors and correlations.
    """
    from multigap.study.fit import fit_dome, read_dome_csv
    from multigap.study.paths import PathResult

    P, T, E = read_dome_csv(data)
    m = model_of(cfg)
    r = fit_dome(m, P, T, E, fix=_fixes(fix), p_ref=p_ref, objective=objective,
                 curve_points=121 if objective == "tc" else 25, progress=True)  # fmt: skip
    s = r.summary()
    if plot:
        eta, g = r.path(r.curve_pressure)
        res = PathResult(
            r.curve_pressure, eta, g, np.zeros_like(eta), r.curve_Tc, np.array(["ok"] * eta.size)
        )
        _path_plot(m, res, plot, cfg, data=(P, T, E), title="fitted pressure path")
    from multigap.study.fit import PATH_UNITS

    rows = [
        [k, v["value"], "fixed" if v["fixed"] else ("n/a" if v["stderr"] is None else v["stderr"]),
         PATH_UNITS[k]]
        for k, v in s["parameters"].items()
    ]  # fmt: skip
    table = text_table(["parameter", "value", "stderr", "unit"], rows)
    chi = (
        f"reduced chi2 = {r.redchi:.4g}"
        if s["redchi"] is not None
        else "reduced chi2 undefined (0 degrees of freedom: the data fix the free parameters)"
    )
    table += (
        f"\np_ref = {r.p_ref:g} GPa, chi2 = {r.chi2:.4g}, {chi}, "
        f"{r.nfev} evaluations, objective {objective}"
    )  # fmt: skip
    if r.correlations:
        table += "\ncorrelations: " + ", ".join(
            f"{k.replace(':', '–')} {v:+.3f}" for k, v in r.correlations.items()
        )
    if r.regimes:
        flags = [n for n in ("non_adiabatic", "bec") if r.regimes[n]] or ["none"]
        table += (
            f"\nat the fitted top (η = {r.regimes['eta']:.3g}, g = {r.regimes['g']:.3g}): "
            f"E_F,t/ω̃ = {r.regimes['EF_t_over_omega']:.3g}, k_F ξ0 = "
            f"{r.regimes['kF_xi0_t']:.3g}; regime flags: {', '.join(flags)}"
        )
    if r.warning:
        table += f"\nwarning: {in_flags(r.warning)}"
    emit(s, table, as_json, r.to_dataset() if out else None, out)


def _constraints(items) -> dict:
    out: dict = {}
    for item in items:
        name, _, value = item.partition("=")
        name = name.strip()
        try:
            if name == "dE":
                lo, hi = (from_user(v, "energy", "--constraint dE") for v in value.split(":"))
                out["dE"] = (lo, hi)
            elif name == "omega0_max":
                out["omega0_max"] = from_user(value, "energy", "--constraint omega0_max")
            elif name == "single_band" and not value:
                out["single_band"] = True
            else:
                raise ValueError
        except ValueError:
            raise ParameterError(
                "--constraint",
                item,
                "dE=LO:HI, omega0_max=VALUE or single_band (energies in meV, or with units)",
            ) from None
    return out


@click.command()
@model_options
@click.option(
    "--vary",
    "vary",
    type=(str, str, str),
    multiple=True,
    required=True,
    metavar="NAME LO HI",
    help="A design variable and its bounds (nm, meV or m_e, or unit strings such as "
    "'4 angstrom'): well_width, "
    "barrier_width, barrier_height, mass_well, mass_barrier, mass_x, omega0, "
    "g_inter, g, or layers.N.width|height|mass. Repeatable.",
)
@click.option(
    "--g", "g", type=float, default=None, help="The tuned band's coupling, when g is not varied."
)
@click.option(
    "--objective",
    type=click.Choice(["tc", "bkt", "tc_max"]),
    default="tc",
    show_default=True,
    help="tc: the largest mean-field Tc over η at the candidate's g (tc_max: the same); "
    "bkt: the largest T_BKT (wires; about 20× slower).",
)
@click.option(
    "--constraint",
    "constraint",
    multiple=True,
    help="dE=LO:HI (the tuned band's width, meV), omega0_max=VALUE (meV), or single_band "
    "(the window at the optimum holds only the tuned band). Energies also with units, e.g. "
    "dE='0.2 eV:0.3 eV'. Repeatable.",
)
@click.option(
    "--budget",
    type=click.IntRange(10, 100000),
    default=200,
    show_default=True,
    help="Evaluations (approximately: whole generations of the search).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@executor_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep every evaluation (evaluations.jsonl, evaluations.nc); a killed run resumes from it.",
)
@plot_option("Tc,max against the varied parameters and the best dome")
def design(
    cfg: Config,
    vary,
    g,
    objective,
    constraint,
    budget,
    seed,
    run_on,
    as_json,
    out,
    plot,
):
    """Search heterostructure parameters for the largest dome maximum Tc,max."""
    from multigap.study.design import DesignSpec, run_design
    from multigap.study.executors import check_executor

    executor, workers, scheduler, connect_timeout = run_on
    check_executor(executor, workers, scheduler, connect_timeout)
    vary = tuple((name, *user_bounds(name, lo, hi)) for name, lo, hi in vary)
    spec = DesignSpec(
        cfg.superlattice,
        cfg.pairing,
        cfg.numerics,
        vary,
        g=g,
        budget=budget,
        seed=seed,
        model=cfg.model,
        objective="tc" if objective == "tc_max" else objective,
        **_constraints(constraint),
    )
    r = run_design(
        spec,
        out=out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        connect_timeout=connect_timeout,
        progress=True,
    )
    if plot:
        _design_plot(spec, r, plot, cfg)
    r = _user_design(r)
    best = r["best"]
    rows = [[k, v] for k, v in best["parameters"].items()]
    top = "T_BKT,max" if spec.objective == "bkt" else "Tc,max"
    rows += [[f"eta at {top}", best["eta"]], ["g", best["g"]], ["Tc,max [K]", best["Tc_K"]]]
    if spec.objective == "bkt":
        rows.append(["T_BKT,max [K]", best["T_BKT_K"]])
    o = r["optimum"]
    rows += [["dE [meV]", o["dE_meV"]], ["E_F,t/omega", o.get("EF_t_over_omega")],
             ["kF xi0 (tuned band)", o.get("kF_xi0_t")]]  # fmt: skip
    table = text_table(["best", "value"], rows)
    table += f"\n{r['evaluations']} evaluations ({r['computed']} computed in this run; "
    table += f"objective {spec.objective})"
    for caveat in o.get("caveats", []):
        table += f"\ncaveat: {caveat}"
    emit(r, table, as_json)


def _user_design(r: dict) -> dict:
    """The design result with energy parameters in meV (keys suffixed _meV)."""

    def convert(params: dict) -> dict:
        return {
            (f"{k}_meV" if is_energy(k) else k): (energy_out(v) if is_energy(k) else v)
            for k, v in params.items()
        }

    out = dict(r)
    out["best"] = {**r["best"], "parameters": convert(r["best"]["parameters"])}
    out["optimum"] = {
        **r["optimum"],
        "on_bound": [
            {
                **b,
                **(
                    {
                        "value": energy_out(b["value"]),
                        "bound": energy_out(b["bound"]),
                        "unit": "meV",
                    }
                    if is_energy(b["parameter"])
                    else {}
                ),
            }  # fmt: skip
            for b in r["optimum"]["on_bound"]
        ],
    }
    out["history"] = [{**h, "parameters": convert(h["parameters"])} for h in r["history"]]
    return out


def _design_plot(spec, r, plot, cfg):
    from multigap.plots import design_figure, save
    from multigap.study.design import build_candidate
    from multigap.study.paths import dome_map

    best = r["best"]
    model, g = build_candidate(spec, [best["parameters"][k] for k in spec.names])
    base = model_of(cfg)
    eta = np.linspace(-0.5, 2.0, 51)
    curves = [(eta, dome_map(m, eta, [best["g"]])[:, 0]) for m in (model, base)]
    records = list({json.dumps(h["x"]): h for h in r["history"]}.values())
    save(design_figure(records, spec.names, curves[0], curves[1], model=cfg.model), plot)
