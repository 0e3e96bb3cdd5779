"""Commands on (η, g) maps: ``sweep``, ``summary``, ``export``, ``plot``."""

from __future__ import annotations

import math
import os
from typing import Any

import click

from multigap.cli.options import (
    TEMPERATURE,
    check_output,
    emit,
    executor_options,
    linspace_option,
    model_options,
    text_table,
    user_axis,
)
from multigap.config import Config
from multigap.errors import ParameterError


@click.command()
@model_options
@linspace_option("--eta", "eta_axis", "Lifshitz parameters: linspace(START, STOP, NUM).")
@linspace_option("--g", "g_axis", "Couplings of the tuned band.")
@click.option(
    "--param",
    "param_axis",
    type=(str, str, str, int),
    default=None,
    metavar="NAME START STOP NUM",
    help="A third axis: mass_barrier, mass_well, mass_x, barrier_height, well_width, "
    "barrier_width, omega0, g_inter, dE (m_b solved for the width), or "
    "mass_well_fixed_width (m_w with m_b re-solved to keep ΔE), or "
    "layers.N.width|height|mass (layer N of the period, from 1); START and STOP "
    "in nm, meV or m_e, or unit strings ('3.5 eV').",
)
@click.option("--gaps", is_flag=True, help="Also T=0 gaps, ratios and μ shift (slower).")
@click.option("--isotope", is_flag=True, help="Also the isotope coefficient (slower).")
@click.option(
    "--bkt",
    is_flag=True,
    help="Also the BKT temperature (wires, fixed density) and the stiffness at T = 0 "
    "(slower: about 0.3 s a point).",
)
@click.option(
    "--temperature",
    type=TEMPERATURE,
    default=0.0,
    show_default=True,
    help="Temperature of the --gaps [K, or e.g. '150 K'].",
)
@click.option(
    "--out", "out", type=click.Path(), required=True, help="The sweep store (a directory)."
)
@executor_options
@click.option(
    "--yes", "allow_large", is_flag=True, help="Allow a sweep of more than 200000 points."
)
@click.option("--force", is_flag=True, help="Replace an existing store with other parameters.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object (the store, its shape and the column counts) to stdout.",
)
def sweep(
    cfg: Config,
    eta_axis,
    g_axis,
    param_axis,
    gaps,
    isotope,
    bkt,
    temperature,
    out,
    run_on,
    allow_large,
    force,
    quiet,
    as_json,
):
    """Map Tc (and optionally gaps, α and T_BKT) over η × g, resumably.

    Rerunning the same command resumes a killed sweep; changing parameters of an
    existing store is refused unless --force.
    """
    from multigap.study.sweep import SweepSpec, run_sweep

    executor, workers, scheduler, connect_timeout = run_on
    if param_axis is not None:
        param_axis = user_axis(*param_axis)
    spec = SweepSpec(
        cfg.superlattice,
        cfg.pairing,
        cfg.numerics,
        eta_axis,
        g_axis,
        param_axis,
        gaps,
        isotope,
        temperature,
        model=cfg.model,
        source=cfg.source,
        bkt=bkt,
    )
    spec.validate(allow_large=allow_large)
    estimate = _estimate_seconds(spec, workers or (1 if executor == "serial" else None))
    if estimate > 60 and not quiet:
        click.echo(
            f"{spec.points} points: about {estimate / 60:.0f} min (a killed run resumes)", err=True
        )
    stats = run_sweep(
        spec,
        out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        force=force,
        progress=not quiet,
        connect_timeout=connect_timeout,
    )
    _report(out, spec, stats, cfg.numerics.name, as_json)


def _report(out, spec, stats: dict, numerics: str, as_json: bool) -> None:
    """What a sweep did: columns computed now, stored before, and repaired."""
    repaired = (
        f" ({stats['repaired']} stored columns recomputed: damaged, or written by another"
        " multigap version or for other parameters)"
    ) * bool(stats["repaired"])
    payload = {
        "store": str(out),
        "points": spec.points,
        "shape": dict(zip(("param", "eta", "g"), spec.shape)),
        **stats,
        "numerics": numerics,
    }
    emit(
        payload,
        f"{out}: {stats['columns']} columns, {stats['computed']} computed now{repaired}, "
        f"{stats['skipped']} already stored",
        as_json,
    )


def _estimate_seconds(spec, workers) -> float:
    """A rough wall time: per column ~0.03 s for Tc, ~0.6 s with gaps, ~0.1 s with α
    (case A on one core of this project's CI machine), over the workers.
    """
    per_column = 0.03 + 0.6 * spec.gaps + 0.1 * spec.isotope
    columns = spec.shape[0] * spec.shape[1]
    return per_column * columns * max(spec.g[2] / 39, 0.2) / (workers or os.cpu_count() or 1)


@click.command()
@click.argument("store", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def summary(store, as_json):
    """Tc,max of a sweep STORE and where it is, Tc on the Lifshitz lines η = 0 and η = 1,
    and the number of points of every status.
    """
    from multigap.status import STATUS
    from multigap.study.analysis import sweep_summary
    from multigap.study.sweep import extra_axis, load_sweep

    ds = load_sweep(store)
    if not int(ds.done.sum()):
        raise ParameterError("STORE", str(store), "a sweep store with computed columns")
    axis = extra_axis(ds)
    out = sweep_summary(ds, STATUS, axis)
    name = ds.attrs.get("swept_parameter")
    header = ([name] if axis else []) + ["Tc,max [K]", "eta", "g"]
    rows = [([m[name]] if axis else []) + [m["Tc_max_K"], m["eta"], m["g"]] for m in out["maxima"]]
    if "T_BKT" in ds:
        header += ["T_BKT,max [K]", "eta", "g"]
        for row, m in zip(rows, out["maxima"]):
            b = m["T_BKT"]
            row += [b["T_BKT_max_K"], b["eta"], b["g"]]
    table = text_table(header, rows)
    if not axis:  # one map: its Tc on the Lifshitz lines
        for label, line in out["maxima"][0]["lifshitz_lines"].items():
            values = [v for v in line["Tc_K"] if v is not None]
            top = f"up to {max(values):.6g} K" if values else "not computed"
            table += f"\nTc on the Lifshitz line {label.replace('eta=', 'η = ')}: {top}"
    table += "\nstatus: " + ", ".join(f"{k} {v}" for k, v in out["status_counts"].items())
    emit(out, table, as_json)


@click.command()
@click.argument("store", type=click.Path())
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def export(store, file, as_json):
    """Write a sweep STORE to FILE (.nc: NetCDF; .zarr: Zarr). An earlier export is
    replaced; anything else at FILE is left alone and refused.
    """
    from multigap.study.sweep import export_sweep

    check_output(file, "FILE")
    ds = export_sweep(store, file)
    payload = {
        "file": str(file),
        "store": str(store),
        "sizes": dict(ds.sizes),
        "variables": sorted(ds.data_vars),
    }
    emit(payload, f"wrote {file}: " + ", ".join(f"{k}={v}" for k, v in ds.sizes.items()), as_json)


@click.command()
@click.argument("store", type=click.Path())
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(["auto", "map", "bkt", "bkt-ratio", "eta", "g", "alpha", "ratio"]),
    default="auto",
    show_default=True,
    help="map: Tc(η, g) colour map; bkt: the mean-field and the BKT domes side by side; "
    "bkt-ratio: T_BKT/Tc(η), one line per g (bkt kinds: a sweep with --bkt); "
    "eta: Tc(η), one line per g; g: Tc(g), one line per η; "
    "alpha: α(η) (a sweep with --isotope); ratio: Δ̄t/Δ̄t−1 against η (a sweep with --gaps). "
    "auto: map, or the line a one-line sweep holds.",
)
@click.option(
    "--param-index",
    type=int,
    default=0,
    show_default=True,
    help="Which value of the swept parameter to draw.",
)
@click.option(
    "--eta-range",
    type=(float, float),
    default=None,
    help="Draw only LO <= η <= HI (e.g. 0 2, the paper's range).",
)
@click.option(
    "--log",
    is_flag=True,
    help="Logarithmic Tc scale (the colour scale of a map, the y axis of a line plot).",
)
@click.option(
    "--at",
    "at",
    type=str,
    default=None,
    metavar="VALUES",
    help="Line kinds: the values of the other axis to draw, comma-separated (g values for "
    "eta/alpha/ratio/bkt-ratio, η values for g), e.g. '0,0.5,1'. Default: up to eight, "
    "with η = 0 and η = 1 among the η lines.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def plot(store, file, kind, param_index, eta_range, log, at, as_json):
    """Draw a sweep STORE to FILE (PNG, PDF or SVG): the Tc(η, g) map with the Lifshitz
    lines and the maximum, or lines through it (Tc(η), Tc(g), α(η), Δ̄t/Δ̄t−1(η)).
    """
    from multigap.plots import bkt_dome_figure, dome_figure, save, sweep_lines_figure
    from multigap.study.sweep import computed

    ds, title, drawn = _sweep_slice(store, param_index, eta_range)
    n_eta, n_g = ds.sizes["eta"], ds.sizes["g"]
    if kind == "auto":
        kind = "map" if n_eta > 1 and n_g > 1 else ("eta" if n_eta > 1 else "g")
    needs = {"map": (2, 2), "bkt": (2, 2), "g": (1, 2)}.get(kind, (2, 1))  # (eta, g) needed
    if n_eta < needs[0] or n_g < needs[1]:
        raise ParameterError(
            "--kind",
            kind,
            f"a kind this sweep has the axes for ({n_eta} eta × {n_g} g; a map needs 2 × 2, "
            "eta/alpha/ratio 2 values of eta, g 2 values of g)",
        )
    if kind in ("bkt", "bkt-ratio") and "T_BKT" not in ds:
        raise ParameterError("--kind", kind, "a sweep run with --bkt")
    if kind == "map":
        fig = dome_figure(computed(ds), model=title, log=log, regimes=ds)
    elif kind == "bkt":
        fig = bkt_dome_figure(ds, model=title)
    else:
        da, ylabel = _line_quantity(ds, kind)
        fig = sweep_lines_figure(
            da, "g" if kind == "g" else "eta", ylabel, model=title, log=log, at=_values(at)
        )
    save(fig, file)
    payload = {"file": str(file), "kind": kind, "store": str(store), **drawn}
    if eta_range is not None:
        payload["eta_range"] = list(eta_range)
    emit(payload, f"wrote {file} ({kind})", as_json)


def _values(text: str | None) -> list[float] | None:
    """The numbers of ``--at``: comma-separated, finite."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) for v in values):
        raise ParameterError("--at", text, "comma-separated numbers, e.g. '0,0.5,1'")
    return values


def _sweep_slice(store, param_index: int, eta_range):
    """The (eta, g) slice of a sweep store to draw, its title and the value it was cut at."""
    from multigap.study.sweep import extra_axis, load_sweep

    ds = load_sweep(store)
    if not int(ds.done.sum()):
        raise ParameterError(
            "STORE",
            str(store),
            "a sweep store with computed columns (this one has none yet: run the sweep first)",
        )
    axis = extra_axis(ds)
    size = ds.sizes[axis] if axis else 1
    if not 0 <= param_index < size:
        raise ParameterError("--param-index", param_index, f"0 to {size - 1}")
    label = ds.attrs.get("model") or ""
    drawn: dict[str, Any] = {}
    if axis:
        ds = ds.isel({axis: param_index})
        name, value = ds.attrs["swept_parameter"], float(ds[axis])
        drawn[name] = value
        label = f"{label} {name} = {value:.4g} {ds[axis].attrs['units']}"
    if eta_range is not None:
        ds = ds.sel(eta=slice(*eta_range))
        if ds.sizes["eta"] < 1:
            raise ParameterError("--eta-range", eta_range, "a range holding values of eta")
    return ds, label.strip() or None, drawn


def _line_quantity(ds, kind: str):
    """The swept quantity a line plot of ``kind`` draws, and its axis label."""
    from multigap.plots import LINE_KINDS
    from multigap.study.analysis import gap_anisotropy
    from multigap.study.sweep import computed

    name, ylabel = LINE_KINDS[kind]
    if name == "T_BKT_ratio":
        return ds.T_BKT / ds.Tc_MF.where(ds.Tc_MF > 0), ylabel
    if name == "Delta_ratio":
        if "Delta" not in ds:
            raise ParameterError("--kind", kind, "a sweep run with --gaps")
        anisotropy, t, below = gap_anisotropy(ds)
        return anisotropy, f"Δ̄{t}/Δ̄{below}"
    if name not in ds:
        raise ParameterError("--kind", kind, "a sweep run with --isotope")
    return computed(ds, name), ylabel
