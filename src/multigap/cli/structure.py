"""Commands on the superlattice and the normal state: ``bands``, ``dos``, ``fermi``, ``overlap``."""

from __future__ import annotations

import math

import click
import numpy as np

from multigap.cli.options import (
    emit,
    model_options,
    output_options,
    parameters_of,
    plot_option,
    subband_table,
    text_table,
)
from multigap.config import Config
from multigap.errors import ParameterError
from multigap.units import energy_out


@click.command()
@model_options
@output_options
@plot_option("the heterostructure: V(z), the subbands, the Bloch densities and E_n(kz)")
def bands(cfg: Config, as_json: bool, out: str | None, plot):
    """Subband edges, the Lifshitz energy E_L and the tuned band's width ΔE."""
    from multigap.output.labels import bands_dataset

    sb = subband_table(cfg)
    if plot:
        from multigap.plots import save, structure_figure

        save(structure_figure(sb, model=cfg.model), plot)
    subs = [
        {
            "n": n + 1,
            "min_meV": energy_out(lo),
            "max_meV": energy_out(hi),
            "width_meV": energy_out(hi - lo),
        }
        for n, (lo, hi) in enumerate(sb.edges)
    ]
    payload = {
        "E_L_meV": energy_out(sb.lifshitz_energy),
        "dE_meV": energy_out(sb.tuned_width),
        "subbands": subs,
        "parameters": parameters_of(cfg),
    }
    table = text_table(
        ["band", "min [meV]", "max [meV]", "width [meV]"],
        [[s["n"], s["min_meV"], s["max_meV"], s["width_meV"]] for s in subs],
    )
    table += (
        f"\nE_L = {payload['E_L_meV']:.3f} meV (bottom of band {cfg.superlattice.tuned_band}),"
        f" ΔE = {payload['dE_meV']:.3f} meV"
    )
    emit(payload, table, as_json, bands_dataset(sb, model=cfg.model) if out else None, out)


def _dos_axis(eta_axis, eta_min, eta_max, num) -> tuple[float, float, int]:
    """The η axis of ``dos``: --eta START STOP NUM, or its old spellings
    --eta-min/--eta-max/--num (hidden), never both.
    """
    old = (eta_min, eta_max, num)
    if eta_axis is not None and any(v is not None for v in old):
        raise ParameterError("--eta", eta_axis, "START STOP NUM without --eta-min/--eta-max/--num")
    if eta_axis is None:
        eta_axis = tuple(d if v is None else v for v, d in zip(old, (-1.0, 2.0, 31)))
    start, stop, num = eta_axis
    if not (math.isfinite(start) and math.isfinite(stop) and start < stop and 2 <= num <= 100000):
        raise ParameterError(
            "--eta", eta_axis, "START STOP NUM: finite START < STOP and 2 <= NUM <= 100000"
        )
    return start, stop, num


@click.command()
@model_options
@output_options
@click.option(
    "--eta",
    "eta_axis",
    type=(float, float, int),
    default=None,
    metavar="START STOP NUM",
    help="η values: linspace(START, STOP, NUM) [default: -1 2 31].",
)
@click.option("--eta-min", type=float, default=None, hidden=True)  # old spellings
@click.option("--eta-max", type=float, default=None, hidden=True)
@click.option("--num", type=int, default=None, hidden=True)
@plot_option("the paper's Fig. 3a/b (DOS against η)")
def dos(cfg: Config, as_json: bool, out, eta_axis, eta_min, eta_max, num, plot):
    """Total and partial density of states against the Lifshitz parameter η."""
    from multigap.output.labels import dos_dataset

    eta_min, eta_max, num = _dos_axis(eta_axis, eta_min, eta_max, num)
    sb = subband_table(cfg)
    ds = dos_dataset(sb, np.linspace(eta_min, eta_max, num), model=cfg.model)
    rows = [
        [float(e), float(m)]
        + [float(x) for x in ds.partial_dos.values[:, i]]
        + [float(ds.total_dos.values[i])]
        for i, (e, m) in enumerate(zip(ds.eta.values, ds.mu.values))
    ]
    from multigap.output.labels import per_space_key

    space = per_space_key(sb.superlattice.structure)
    header = ["eta", "mu [meV]"] + [f"N{n} [1/(meV {space})]" for n in ds.band.values] + ["total"]
    payload = {
        "E_L_meV": ds.attrs["E_L_meV"],
        "dE_meV": ds.attrs["dE_meV"],
        "eta": ds.eta.values,
        "mu_meV": ds.mu.values,
        f"partial_dos_per_meV_{space}": ds.partial_dos.values,
        f"total_dos_per_meV_{space}": ds.total_dos.values,
        f"density_per_{space}": ds.density.values,
        "parameters": parameters_of(cfg),
    }
    if plot:
        from multigap.plots import dos_figure, save

        save(dos_figure(sb, model=cfg.model), plot)
    emit(payload, text_table(header, rows), as_json, ds, out)


@click.command()
@model_options
@output_options
@click.option(
    "--eta",
    "etas",
    type=float,
    multiple=True,
    help="Lifshitz parameters (repeatable). Default: 0.3, 0.98 and 1.5.",
)
@plot_option("the paper's Fig. 3c (Fermi contours)")
def fermi(cfg: Config, as_json: bool, out, etas, plot):
    """Fermi contours in (kx, kz) at given η: pocket, neck and open topologies."""
    from multigap.output.labels import fermi_dataset

    etas = list(etas) or [0.3, 0.98, 1.5]
    for e in etas:
        if not math.isfinite(e):
            raise ParameterError("--eta", e, "finite numbers")
    sb = subband_table(cfg)
    ds = fermi_dataset(sb, etas, model=cfg.model)
    rows, summary = [], []
    kmax = sb.kz_max
    for e in ds.eta.values:
        for n in ds.band.values:
            kx = ds.kx.sel(eta=e, band=n).values
            has = np.isfinite(kx)
            if not has.any():
                topo, extent = "none", 0.0
            elif has.all():
                topo, extent = "open", kmax
            else:
                topo, extent = "closed", float(np.abs(ds.kz.values[has]).max())
            kx_max = float(np.nanmax(kx)) if has.any() else 0.0
            rows.append([float(e), int(n), topo, kx_max, extent])
            summary.append(
                {
                    "eta": float(e),
                    "band": int(n),
                    "topology": topo,
                    "kx_max_per_nm": kx_max,
                    "kz_extent_per_nm": extent,
                }
            )
    if plot:
        from multigap.plots import fermi_figure, save

        save(fermi_figure(sb, etas, model=cfg.model), plot)
    payload = {
        "mu_meV": ds.mu.values,
        "contours": summary,
        "kz_max_per_nm": kmax,
        "parameters": parameters_of(cfg),
    }
    table = text_table(["eta", "band", "Fermi surface", "kx max [1/nm]", "kz extent [1/nm]"], rows)
    emit(payload, table, as_json, ds, out)


@click.command()
@model_options
@output_options
@click.option(
    "--n-kz",
    type=click.IntRange(2, 4000),
    default=None,
    help="kz nodes on [0, π/d] (default: numerics.n_kz = 64).",
)
def overlap(cfg: Config, as_json: bool, out, n_kz):
    """Pair-overlap integrals Ĩ^{nn'}(kz,kz'): per band pair mean, min and max."""
    from multigap.output.labels import overlap_dataset

    sb = subband_table(cfg)
    ds = overlap_dataset(sb, n_kz=n_kz, model=cfg.model)
    pairs, rows = [], []
    for a in ds.band.values:
        for b in ds.band_prime.values:
            if b < a:
                continue
            m, lo, hi = (float(ds[v].sel(band=a, band_prime=b)) for v in ("mean", "min", "max"))
            pairs.append({"n": int(a), "n_prime": int(b), "mean": m, "min": lo, "max": hi})
            rows.append([f"{a}{b}", m, lo, hi])
    payload = {"pairs": pairs, "n_kz": int(ds.sizes["kz"]), "parameters": parameters_of(cfg)}
    emit(payload, text_table(["nn'", "mean", "min", "max"], rows), as_json, ds, out)
