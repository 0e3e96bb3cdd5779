"""The ``multigap`` command line: parse → validated config → library call → print/save.

Every user mistake, whether a bad flag, a bad value or a bad config file, ends in
one line on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import click
import numpy as np

from multigap._version import __version__
from multigap.config import Config, load_config
from multigap.errors import MultigapError, ParameterError
from multigap.output.provenance import json_default
from multigap.units import energy_out, from_user

__all__ = ["main", "cli"]

_MODEL_FLAGS = [
    ("well_width", "--well-width", "length", "Well (wire) width L [nm, or e.g. '8.5 angstrom']."),
    ("barrier_width", "--barrier-width", "length", "Barrier (spacer) width W [nm]."),
    ("barrier_height", "--barrier-height", "energy", "Barrier height V [meV, or e.g. '4.16 eV']."),
    ("mass_well", "--mass-well", "mass", "Well mass m_w [m_e]."),
    ("mass_barrier", "--mass-barrier", "mass", "Barrier mass m_b [m_e]."),
    ("mass_x", "--mass-x", "mass", "Mass of the free motion m_x [m_e]."),
    ("omega0", "--omega0", "energy", "Bare phonon energy ω0 [meV, or e.g. '0.33 eV']."),
]


class _Quantity(click.ParamType):
    """A flag that takes a number in the user unit of its kind, or a string with units."""

    def __init__(self, kind: str):
        self.kind = kind
        self.name = kind

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        flag = param.opts[0] if param is not None else self.kind
        return from_user(value, self.kind, flag)


TEMPERATURE = _Quantity("temperature")


def model_options(func):
    """Add --model, --config and the per-parameter flags; pass a built Config."""

    @click.option(
        "--model",
        "model",
        type=click.Choice(["A", "B"], case_sensitive=False),
        default=None,
        help="Preset: A ('H3S') or B ('CSH_x'). Default A.",
    )
    @click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="TOML file with [superlattice] (two-layer keys or [[superlattice.layers]]), "
        "[pairing], [numerics].",
    )
    @click.option(
        "--structure",
        "structure",
        type=click.Choice(["wires", "wells"]),
        default=None,
        help="Free motion: wires (one free direction, default) or wells (two).",
    )
    @functools.wraps(func)
    def wrapper(*args, model, config_path, structure, **kwargs):
        preset_name = "map" if func.__name__ in ("sweep", "path", "fit", "design") else "tight"
        overrides: dict[str, Any] = {}
        for name, _flag, kind, _help in _MODEL_FLAGS:
            raw = kwargs.pop(name)
            if raw is not None:
                overrides[name] = from_user(raw, kind, _flag)
        if kwargs.get("g") is not None:
            overrides["g"] = kwargs["g"]
        if structure is not None:
            overrides["structure"] = structure
        cfg = load_config(
            config_path, model=model, overrides=overrides, numerics_preset=preset_name
        )
        return func(*args, cfg=cfg, **kwargs)

    for name, flag, _kind, help_ in reversed(_MODEL_FLAGS):
        wrapper = click.option(flag, name, type=str, default=None, help=help_)(wrapper)
    return wrapper


def point_options(func):
    """Add --eta and --g."""
    func = click.option(
        "--g",
        "g",
        type=float,
        default=None,
        help="Coupling g of the tuned band, 0 <= g < 0.5 (default from the config, 0.25).",
    )(func)
    func = click.option(
        "--eta", "eta", type=float, required=True, help="Lifshitz parameter η = (μ − E_L)/ΔE."
    )(func)
    return func


def _model(cfg: Config):
    from multigap.solvers.model import Model

    return Model.from_config(cfg)


def plot_option(what: str):
    """Add --plot FILE: draw ``what`` to a PNG, PDF or SVG (by its suffix)."""
    return click.option(
        "--plot",
        type=click.Path(dir_okay=False),
        default=None,
        help=f"Draw {what} to this file (.png, .pdf or .svg).",
    )


def output_options(func):
    """Add --json and --out FILE.nc."""
    func = click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")(
        func
    )
    func = click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write the dataset to this NetCDF file.",
    )(func)
    return func


def _emit(payload: dict, table: str, as_json: bool, ds=None, out: str | None = None) -> None:
    if out is not None and ds is not None:
        write_netcdf(ds, out)
    if as_json:
        click.echo(json.dumps(payload, default=json_default, allow_nan=True))
    else:
        click.echo(table)
        if out is not None:
            click.echo(f"wrote {out}")


def written_by_multigap(path: Path) -> bool:
    """Whether *path* is a NetCDF file or Zarr store that multigap wrote (it carries the
    ``multigap_version`` attribute of every output)."""
    import xarray as xr

    try:
        if path.suffix == ".zarr":
            ds = xr.open_dataset(path, engine="zarr", consolidated=False)
        else:
            ds = xr.open_dataset(path, engine="h5netcdf")
        with ds:
            return "multigap_version" in ds.attrs
    except Exception:  # not a dataset at all: not ours
        return False


def check_output(out: str | Path, flag: str = "--out") -> Path:
    """A path that an output may be written to: in an existing directory, not a link,
    and either new or an earlier multigap output (which it replaces); anything else is
    refused and left as it is."""
    path = Path(out)
    if not path.parent.is_dir():
        raise ParameterError(flag, str(out), "a file in an existing directory")
    if path.is_symlink():
        raise ParameterError(flag, str(out), "a path that is not a symbolic link")
    if path.exists() and not written_by_multigap(path):
        raise ParameterError(
            flag,
            str(out),
            "a new file, or an earlier multigap output to replace (this one holds something "
            "else; nothing was written)",
        )
    return path


def write_netcdf(ds, out: str | Path) -> None:
    """Write a dataset to NetCDF (h5netcdf) through a temporary file, so that a failed
    write leaves no half file; never over a file that multigap did not write."""
    path = check_output(out)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _fmt_table(header: list[str], rows: list[list[Any]]) -> str:
    def fmt(v):
        if isinstance(v, float):
            return "inf" if math.isinf(v) else ("nan" if math.isnan(v) else f"{v:.6g}")
        return str(v)

    cells = [header] + [[fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt_wrapped_table(header: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A left-aligned table whose cells wrap at ``widths`` characters, with a blank line
    after every row, so that it fits a narrow terminal."""
    import textwrap

    def block(cells):
        wrapped = [textwrap.wrap(str(c), w) or [""] for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(
                (w[k] if k < len(w) else "").ljust(n) for w, n in zip(wrapped, widths)
            ).rstrip()
            for k in range(height)
        ]

    lines = block(header) + ["  ".join("-" * w for w in widths)]
    for r in rows:
        lines += block(r) + [""]
    return "\n".join(lines).rstrip()


def _subbands(cfg: Config):
    from multigap.superlattice.kronig_penney import solve_subbands

    return solve_subbands(cfg.superlattice, cfg.numerics)


def _params(cfg: Config, **extra):
    from multigap.output.provenance import parameters

    if cfg.source:
        extra = {"input": cfg.source, **extra}
    return parameters(cfg.superlattice, cfg.pairing, cfg.numerics, cfg.model, **extra)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="multigap")
def cli():
    """Resonant multigap superconductivity in superlattices of quantum wires.

    One unit rule: a bare number is in meV for energies, nm for lengths, m_e for
    masses and K for temperatures, in every flag and config file, and every output
    uses the same units. Strings with units are accepted everywhere, e.g.
    --omega0 330, --omega0 '330 meV' and --omega0 '0.33 eV' are the same.
    """


@cli.command()
@model_options
@output_options
@plot_option("the heterostructure: V(z), the subbands, the Bloch densities and E_n(kz)")
def bands(cfg: Config, as_json: bool, out: str | None, plot):
    """Subband edges, the Lifshitz energy E_L and the tuned band's width ΔE."""
    from multigap.output.labels import bands_dataset

    sb = _subbands(cfg)
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
        "parameters": _params(cfg),
    }
    table = _fmt_table(
        ["band", "min [meV]", "max [meV]", "width [meV]"],
        [[s["n"], s["min_meV"], s["max_meV"], s["width_meV"]] for s in subs],
    )
    table += (
        f"\nE_L = {payload['E_L_meV']:.3f} meV (bottom of band {cfg.superlattice.tuned_band}),"
        f" ΔE = {payload['dE_meV']:.3f} meV"
    )
    _emit(payload, table, as_json, bands_dataset(sb, model=cfg.model) if out else None, out)


@cli.command()
@model_options
@output_options
@click.option("--eta-min", type=float, default=-1.0, show_default=True, help="Lowest η.")
@click.option("--eta-max", type=float, default=2.0, show_default=True, help="Highest η.")
@click.option(
    "--num",
    type=click.IntRange(2, 100000),
    default=31,
    show_default=True,
    help="Number of η points.",
)
@plot_option("the paper's Fig. 3a/b (DOS against η)")
def dos(cfg: Config, as_json: bool, out, eta_min, eta_max, num, plot):
    """Total and partial density of states against the Lifshitz parameter η."""
    from multigap.output.labels import dos_dataset

    if not (math.isfinite(eta_min) and math.isfinite(eta_max) and eta_min < eta_max):
        raise ParameterError(
            "--eta-min/--eta-max", (eta_min, eta_max), "finite values with eta-min < eta-max"
        )
    sb = _subbands(cfg)
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
        "parameters": _params(cfg),
    }
    if plot:
        from multigap.plots import dos_figure, save

        save(dos_figure(sb, model=cfg.model), plot)
    _emit(payload, _fmt_table(header, rows), as_json, ds, out)


@cli.command()
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
    sb = _subbands(cfg)
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
        "parameters": _params(cfg),
    }
    table = _fmt_table(["eta", "band", "Fermi surface", "kx max [1/nm]", "kz extent [1/nm]"], rows)
    _emit(payload, table, as_json, ds, out)


@cli.command()
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

    sb = _subbands(cfg)
    ds = overlap_dataset(sb, n_kz=n_kz, model=cfg.model)
    pairs, rows = [], []
    for a in ds.band.values:
        for b in ds.band_prime.values:
            if b < a:
                continue
            m, lo, hi = (float(ds[v].sel(band=a, band_prime=b)) for v in ("mean", "min", "max"))
            pairs.append({"n": int(a), "n_prime": int(b), "mean": m, "min": lo, "max": hi})
            rows.append([f"{a}{b}", m, lo, hi])
    payload = {"pairs": pairs, "n_kz": int(ds.sizes["kz"]), "parameters": _params(cfg)}
    _emit(payload, _fmt_table(["nn'", "mean", "min", "max"], rows), as_json, ds, out)


def _check_eta(eta: float) -> None:
    if not math.isfinite(eta):
        raise ParameterError("--eta", eta, "a finite number")


@cli.command()
@model_options
@point_options
@output_options
@click.option(
    "--mu-mode",
    type=click.Choice(["fixed_mu", "fixed_density", "normal"]),
    default="fixed_mu",
    show_default=True,
    help="μ at Tc: μ_N(η) (fixed_mu; 'normal' is its old name), or μ(T) at the "
    "normal-state density ρ_N (fixed_density).",
)
@click.option(
    "--mu-star",
    type=float,
    default=0.10,
    show_default=True,
    help="Coulomb pseudopotential μ* of the Allen–Dynes reference Tc.",
)
def tc(cfg: Config, eta, g, as_json, out, mu_mode, mu_star):
    """Critical temperature from the linearised multiband gap equation, with the
    single-band Allen–Dynes estimate (λ = g/(1 − g), ω_log = ω̃) beside it."""
    from multigap.output.labels import tc_summary

    _check_eta(eta)
    m = _model(cfg)
    r = m.critical_temperature(eta, g=g, mu_mode=mu_mode)
    s = tc_summary(r, mu_star=mu_star)
    status = {
        "ok": "",
        "below_T_min": f"  (below the search floor T_min = {r.t_min:g} K = "
        f"{s['T_min_over_omega_tilde']:.2g} ω̃/k_B: λ_max = {r.lambda_at_t_min:.4g} < 1 there;"
        " not a physical zero: lower [numerics] t_min to look further)",
        "outside_weak_coupling": f"  (outside weak coupling: k_B Tc > ω̃/2 = "
        f"{s['omega_tilde_meV'] / 2:.4g} meV; not trustworthy)",
    }.get(r.status, f"  ({r.status})")
    table = _fmt_table(
        ["quantity", "value"],
        [
            ["Tc [K]", f"{r.Tc:.6g}{status}"],
            ["eta", eta],
            ["g", s["g"]],
            ["omega_tilde [meV]", s["omega_tilde_meV"]],
            ["mu [meV]", s["mu_meV"]],
            ["mu mode", mu_mode],
            ["mu - mu_N [meV]", s["mu_shift_meV"]],
            ["Allen-Dynes Tc [K]", f"{s['Tc_AllenDynes_K']:.6g} (mu* = {mu_star:g})"],
            ["Tc / Tc(Allen-Dynes)", s["amplification"] if s["amplification"] else "n/a"],
            ["kernel nodes", s["kernel_nodes"]],
        ],
    )
    _emit(s, table, as_json, r.to_dataset() if out else None, out)


@cli.command()
@model_options
@point_options
@output_options
@click.option(
    "--mu-mode",
    "mu_mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default=None,
    help="Hold the density ρ_N(η) (default; μ solved with the gaps) or μ = μ_N.",
)
@click.option(
    "--mode",
    "mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default=None,
    hidden=True,
    help="Old spelling of --mu-mode.",
)
@click.option(
    "--temperature",
    type=TEMPERATURE,
    default=0.0,
    show_default=True,
    help="Temperature T of the gaps [K, or e.g. '150 K'] (above Tc: the normal state).",
)
@plot_option("Δ_n(kz), Δ̄_n and E_n(kz) − μ with the pairing window")
def gaps(cfg: Config, eta, g, as_json, out, mu_mode, mode, temperature, plot):
    """Gaps at temperature T (default 0) with the number equation: Δ̄_n, 2Δ/k_B Tc,
    Δ_t/Δ_{t−1}, and the crossover diagnostics E_F,n, E_F/Δ, E_F/ω̃ and k_F ξ0 per band."""
    _check_eta(eta)
    if not (math.isfinite(temperature) and temperature >= 0):
        raise ParameterError("--temperature", temperature, "a finite temperature >= 0 K")
    mode = mu_mode or mode or "fixed_density"
    m = _model(cfg)
    t = m.critical_temperature(eta, g=g)
    if not t.Tc > 0:
        raise ParameterError(
            "--eta/--g",
            (eta, g),
            f"a point with Tc > T_min = {t.t_min:g} K "
            "(Tc is below the search floor here, so the gaps vanish)",
        )
    r = m.gaps(eta, g=g, mu_mode=mode, tc=t, temperature=temperature)
    s = r.summary()
    ds = r.to_dataset() if (out or plot) else None
    if plot:
        from multigap.plots import gap_anisotropy_figure, save

        save(gap_anisotropy_figure(ds, model=cfg.model), plot)
    rows = [
        [
            n + 1,
            s["Delta_meV"][n],
            s["ratio_2Delta_kTc"][n],
            s["fermi_energy_meV"][n],
            s["EF_over_Delta"][n],
            s["adiabatic_ratio"][n],
            s["kF_xi0"][n],
            "yes" if s["on_fermi_surface"][n] else "no (Δ at band minimum)",
        ]
        for n in range(len(s["Delta_meV"]))
    ]
    table = _fmt_table(
        [
            "band",
            "Delta [meV]",
            "2Delta/kTc",
            "E_F [meV]",
            "E_F/Delta",
            "E_F/omega",
            "kF xi0",
            "Fermi surface",
        ],
        rows,
    )
    pair = s["Delta_ratio_bands"]
    ratio = f"Δ{pair[0]}/Δ{pair[1]} = {s['Delta_ratio']:.6g}, " if pair else ""
    table += (
        f"\nT = {temperature:g} K ({r.status}), Tc = {t.Tc:.6g} K, {ratio}"
        f"μ_S − μ_N = {s['mu_shift_meV']:.6g} meV ({mode}), "
        f"converged = {r.converged}, residual = {r.residual:.2e}"
    )
    _emit(s, table, as_json, ds, out)


@cli.command()
@model_options
@point_options
@output_options
@click.option(
    "--mu-mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default="fixed_density",
    show_default=True,
    help="Hold the density ρ_N(η) (μ(T) solved with the gaps) or μ = μ_N.",
)
@click.option(
    "--num",
    type=click.IntRange(8, 400),
    default=40,
    show_default=True,
    help="Temperatures, from 0.05 Tc to 1.1 Tc, denser near Tc.",
)
@plot_option("Δ̄_n(T) and C/C_N")
def thermo(cfg: Config, eta, g, as_json, out, mu_mode, num, plot):
    """Gaps, μ, entropy and specific heat from T → 0 to above Tc, and the jump ΔC/C_N."""
    from multigap.solvers.thermodynamics import thermodynamics

    _check_eta(eta)
    r = thermodynamics(_model(cfg), eta, g, mu_mode=mu_mode, num=num)
    s = r.summary()
    ds = r.to_dataset() if (out or plot) else None
    if plot:
        from multigap.plots import save, thermo_figure

        save(thermo_figure(ds, model=cfg.model), plot)
    rows = [
        [t, *d, m_, c, st]
        for t, d, m_, c, st in zip(
            s["T_K"], s["Delta_meV"], s["mu_meV"], s["C_over_CN"], s["status"]
        )
    ]
    nb = len(s["Delta_meV"][0])
    table = _fmt_table(
        ["T [K]"] + [f"Delta{n + 1} [meV]" for n in range(nb)] + ["mu [meV]", "C/C_N", "status"],
        rows,
    )
    table += f"\nTc = {r.Tc:.6g} K ({mu_mode}, {r.Tc_status}), ΔC/C_N = {r.jump:.4g}"
    if r.Tc_status != "ok":
        table += f"\nwarning: Tc is {r.Tc_status}: k_B Tc > ω̃/2, outside the weak-coupling kernel"
    if (r.status == "failed").any():
        table += (
            f"\nwarning: the gaps failed at {int((r.status == 'failed').sum())} temperatures;"
            " C is not differenced across them"
        )
    _emit(s, table, as_json, ds, out)


@cli.command()
@model_options
@point_options
@output_options
@click.option(
    "--step",
    type=float,
    default=0.02,
    show_default=True,
    help="Step h in ln ω0 (Richardson with h and h/2).",
)
def isotope(cfg: Config, eta, g, as_json, out, step):
    """Isotope coefficient α = ½ ∂ln Tc/∂ln ω0 at fixed g and η."""
    _check_eta(eta)
    m = _model(cfg)
    r = m.isotope_coefficient(eta, g=g, step=step)
    s = r.summary()
    table = _fmt_table(
        ["quantity", "value"],
        [
            ["alpha", s["alpha"]],
            ["error estimate", s["alpha_error_estimate"]],
            ["Tc [K]", s["Tc_K"]],
            ["status", s["status"]],
            ["eta", eta],
            ["g", s["g"]],
        ],
    )
    if s["eta_kink"] is not None:
        table += (
            f"\nnote: a window edge μ ± ω̃ meets a band edge at η = {s['eta_kink']:.6g}: with"
            f" the sharp cut-off α jumps there (one-sided: {s['alpha_below_kink']:.4g} below,"
            f" {s['alpha_above_kink']:.4g} above); alpha is the value on this η's side"
        )
    _emit(s, table, as_json, r.to_dataset() if out else None, out)


@cli.command()
@model_options
@click.option(
    "--eta",
    "eta_axis",
    type=(float, float, int),
    required=True,
    metavar="START STOP NUM",
    help="Lifshitz parameters: linspace(START, STOP, NUM).",
)
@click.option(
    "--g",
    "g_axis",
    type=(float, float, int),
    required=True,
    metavar="START STOP NUM",
    help="Couplings of the tuned band.",
)
@click.option(
    "--param",
    "param_axis",
    type=(str, float, float, int),
    default=None,
    metavar="NAME START STOP NUM",
    help="A third axis: mass_barrier, mass_well, mass_x, barrier_height, well_width, "
    "barrier_width, omega0, g_inter, dE (m_b solved for the width), or "
    "mass_well_fixed_width (m_w with m_b re-solved to keep ΔE), or "
    "layers.N.width|height|mass (layer N of the period, from 1); START and STOP "
    "in nm, meV or m_e.",
)
@click.option("--gaps", is_flag=True, help="Also T=0 gaps, ratios and μ shift (slower).")
@click.option("--isotope", is_flag=True, help="Also the isotope coefficient (slower).")
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
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="Run on a local Dask cluster of N worker processes (needs the [dask] extra). "
    "Default: a local process pool on all cores.",
)
@click.option(
    "--scheduler", default=None, help="Run on an existing Dask scheduler, tcp://HOST:PORT."
)
@click.option(
    "--connect-timeout",
    type=float,
    default=15.0,
    show_default=True,
    help="Seconds to wait for the Dask scheduler.",
)
@click.option(
    "--yes", "allow_large", is_flag=True, help="Allow a sweep of more than 200000 points."
)
@click.option("--serial", is_flag=True, help="Run in this process.")
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
    temperature,
    out,
    workers,
    scheduler,
    connect_timeout,
    allow_large,
    serial,
    force,
    quiet,
    as_json,
):
    """Map Tc (and optionally gaps and α) over η × g, resumably.

    Rerunning the same command resumes a killed sweep; changing parameters of an
    existing store is refused unless --force.
    """
    from multigap.study.sweep import SweepSpec, run_sweep

    if sum(x is not None and x is not False for x in (serial or None, scheduler, workers)) > 1:
        raise ParameterError("--serial/--scheduler/--workers", "several", "at most one executor")
    executor = (
        "serial" if serial else ("dask" if (scheduler is not None or workers) else "processes")
    )
    if not (math.isfinite(temperature) and temperature >= 0):
        raise ParameterError("--temperature", temperature, "a finite temperature >= 0 K")
    if param_axis is not None:
        param_axis = _user_axis(*param_axis)
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
    )
    spec.validate(allow_large=allow_large)
    estimate = _estimate_seconds(spec, workers or (1 if serial else None))
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
    repaired = (
        f" ({stats['repaired']} stored columns recomputed: damaged, or written by another"
        " multigap version or for other parameters)"
        if stats["repaired"]
        else ""
    )
    payload = {
        "store": str(out),
        "points": spec.points,
        "shape": dict(zip(("param", "eta", "g"), spec.shape)),
        **stats,
        "numerics": cfg.numerics.name,
    }
    _emit(
        payload,
        f"{out}: {stats['columns']} columns, {stats['computed']} computed now{repaired}, "
        f"{stats['skipped']} already stored",
        as_json,
    )


def _estimate_seconds(spec, workers) -> float:
    """A rough wall time: per column ~0.03 s for Tc, ~0.6 s with gaps, ~0.1 s with α
    (case A on one core of this project's CI machine), over the workers."""
    import os

    per_column = 0.03 + 0.6 * spec.gaps + 0.1 * spec.isotope
    columns = spec.shape[0] * spec.shape[1]
    return per_column * columns * max(spec.g[2] / 39, 0.2) / (workers or os.cpu_count() or 1)


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


@cli.command()
@model_options
@click.option(
    "--pressure",
    "pressure",
    type=(float, float, int),
    required=True,
    metavar="START STOP NUM",
    help="Pressures in GPa: linspace(START, STOP, NUM).",
)
@click.option("--eta0", type=float, required=True, help="η at the reference pressure.")
@click.option("--eta1", type=float, required=True, help="dη/dP, per GPa.")
@click.option("--g0", type=float, required=True, help="g at the reference pressure.")
@click.option("--g1", type=float, default=0.0, show_default=True, help="dg/dP, per GPa.")
@click.option(
    "--p-ref", type=float, default=0.0, show_default=True, help="Reference pressure p_ref in GPa."
)
@output_options
@plot_option("Tc(P) and the path on the dome")
def path(cfg: Config, pressure, eta0, eta1, g0, g1, p_ref, as_json, out, plot):
    """Tc along the pressure path η(P) = eta0 + eta1 (P − p_ref), g(P) = g0 + g1 (P − p_ref)."""
    from multigap.study.paths import LinearPath, tc_along_path
    from multigap.study.sweep import check_axis

    start, stop, num = check_axis("--pressure", *pressure)
    m = _model(cfg)
    res = tc_along_path(m, LinearPath(eta0, eta1, g0, g1, p_ref), np.linspace(start, stop, num))
    if plot:
        _path_plot(m, res, plot, cfg)
    s = res.summary()
    rows = [
        [p, e, gg, t, st]
        for p, e, gg, t, st in zip(s["pressure_GPa"], s["eta"], s["g"], s["Tc_K"], s["status"])
    ]
    table = _fmt_table(["P [GPa]", "eta", "g", "Tc [K]", "status"], rows)
    _emit(s, table, as_json, res.to_dataset() if out else None, out)


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


@cli.command()
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
    type=float,
    default=None,
    help="Reference pressure in GPa (default: the pressure of the highest Tc).",
)
@output_options
@plot_option("the data against the fit, and the fitted path on the dome")
def fit(data, cfg: Config, fix, p_ref, as_json, out, plot):
    """Fit a measured Tc(P) dome (CSV: pressure_GPa,Tc_K[,Tc_err_K]) as a path through the
    (η, g) plane: eta0, eta1, g0, g1 by least squares, with errors and correlations."""
    from multigap.study.fit import fit_dome, read_dome_csv
    from multigap.study.paths import PathResult

    P, T, E = read_dome_csv(data)
    m = _model(cfg)
    r = fit_dome(m, P, T, E, fix=_fixes(fix), p_ref=p_ref)
    s = r.summary()
    if plot:
        eta, g = r.path(r.curve_pressure)
        res = PathResult(
            r.curve_pressure, eta, g, np.zeros_like(eta), r.curve_Tc, np.array(["ok"] * eta.size)
        )
        _path_plot(m, res, plot, cfg, data=(P, T, E), title="fitted pressure path")
    rows = [
        [k, v["value"], "fixed" if v["fixed"] else ("n/a" if v["stderr"] is None else v["stderr"])]
        for k, v in s["parameters"].items()
    ]
    table = _fmt_table(["parameter", "value", "stderr"], rows)
    table += (
        f"\np_ref = {r.p_ref:g} GPa, chi2 = {r.chi2:.4g}, reduced chi2 = {r.redchi:.4g}, "
        f"{r.nfev} evaluations"
    )
    if r.warning:
        table += f"\nwarning: {in_flags(r.warning)}"
    _emit(s, table, as_json, r.to_dataset() if out else None, out)


def _is_energy(name: str) -> bool:
    from multigap.study.sweep import parameter_unit

    return parameter_unit(name) == "eV" or name == "omega0"


def _user_bounds(name: str, lo: float, hi: float) -> tuple[float, float]:
    """Bounds of a design variable or sweep axis from the user's units (meV) to internal."""
    if _is_energy(name):
        return from_user(lo, "energy", name), from_user(hi, "energy", name)
    return lo, hi


def _user_axis(name: str, start: float, stop: float, num: int):
    return (name, *_user_bounds(name, start, stop), num)


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


@cli.command()
@model_options
@click.option(
    "--vary",
    "vary",
    type=(str, float, float),
    multiple=True,
    required=True,
    metavar="NAME LO HI",
    help="A design variable and its bounds (nm, meV or m_e): well_width, "
    "barrier_width, barrier_height, mass_well, mass_barrier, mass_x, omega0, "
    "g_inter, g, or layers.N.width|height|mass. Repeatable.",
)
@click.option(
    "--g", "g", type=float, default=None, help="The tuned band's coupling, when g is not varied."
)
@click.option(
    "--objective",
    type=click.Choice(["tc_max"]),
    default="tc_max",
    show_default=True,
    help="Tc,max: the largest Tc over η at the candidate's g.",
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
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="Local worker processes (default: all cores).",
)
@click.option("--serial", is_flag=True, help="Evaluate in this process.")
@click.option("--scheduler", default=None, help="Evaluate on a Dask scheduler, tcp://HOST:PORT.")
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
    workers,
    serial,
    scheduler,
    as_json,
    out,
    plot,
):
    """Search heterostructure parameters for the largest dome maximum Tc,max."""
    from multigap.study.design import DesignSpec, run_design
    from multigap.study.executors import check_executor

    executor = "serial" if serial else ("dask" if scheduler is not None else "processes")
    check_executor(executor, workers, scheduler, 15.0)
    vary = tuple((name, *_user_bounds(name, lo, hi)) for name, lo, hi in vary)
    spec = DesignSpec(
        cfg.superlattice,
        cfg.pairing,
        cfg.numerics,
        vary,
        g=g,
        budget=budget,
        seed=seed,
        model=cfg.model,
        **_constraints(constraint),
    )
    r = run_design(spec, out=out, executor=executor, workers=workers, scheduler=scheduler)
    if plot:
        _design_plot(spec, r, plot, cfg)
    r = _user_design(r)
    best = r["best"]
    rows = [[k, v] for k, v in best["parameters"].items()]
    rows += [["eta at Tc,max", best["eta"]], ["g", best["g"]], ["Tc,max [K]", best["Tc_K"]]]
    table = _fmt_table(["best", "value"], rows)
    table += f"\n{r['evaluations']} evaluations ({r['computed']} computed in this run)"
    _emit(r, table, as_json)


def _user_design(r: dict) -> dict:
    """The design result with energy parameters in meV (keys suffixed _meV)."""
    from multigap.units import energy_out

    def convert(params: dict) -> dict:
        return {
            (f"{k}_meV" if _is_energy(k) else k): (energy_out(v) if _is_energy(k) else v)
            for k, v in params.items()
        }

    out = dict(r)
    out["best"] = {**r["best"], "parameters": convert(r["best"]["parameters"])}
    out["history"] = [{**h, "parameters": convert(h["parameters"])} for h in r["history"]]
    return out


def _design_plot(spec, r, plot, cfg):
    from multigap.plots import design_figure, save
    from multigap.study.design import build_candidate
    from multigap.study.paths import dome_map

    best = r["best"]
    model, g = build_candidate(spec, [best["parameters"][k] for k in spec.names])
    base = _model(cfg)
    eta = np.linspace(-0.5, 2.0, 51)
    curves = [(eta, dome_map(m, eta, [best["g"]])[:, 0]) for m in (model, base)]
    records = list({json.dumps(h["x"]): h for h in r["history"]}.values())
    save(design_figure(records, spec.names, curves[0], curves[1], model=cfg.model), plot)


@cli.command()
@click.argument("store", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def summary(store, as_json):
    """Tc,max of a sweep STORE and where it is, Tc on the Lifshitz lines η = 0 and η = 1,
    and the number of points of every status."""
    from multigap.solvers.solve import STATUS
    from multigap.study.sweep import extra_axis, load_sweep

    ds = load_sweep(store)
    if not int(ds.done.sum()):
        raise ParameterError("STORE", str(store), "a sweep store with computed columns")
    out = {
        "columns_done": int(ds.done.sum()),
        "columns": int(ds.done.size),
        "status_counts": {
            name: int((ds.status.values == code).sum()) for code, name in STATUS.items()
        }
        | {"not_computed": int((ds.status.values < 0).sum())},
        "maxima": [],
    }
    axis = extra_axis(ds)
    for ip in range(ds.sizes[axis] if axis else 1):
        tc = ds.Tc.isel({axis: ip}) if axis else ds.Tc
        z = np.nan_to_num(tc.values, nan=-1.0)
        i, j = np.unravel_index(int(np.argmax(z)), z.shape)
        lines = {}
        for eta_line in (0.0, 1.0):
            if float(ds.eta.min()) <= eta_line <= float(ds.eta.max()):
                col = tc.sel(eta=eta_line, method="nearest")
                lines[f"eta={eta_line:g}"] = {
                    "eta": float(col.eta),
                    "g": ds.g.values.tolist(),
                    "Tc_K": np.nan_to_num(col.values).tolist(),
                }
        entry = {
            "Tc_max_K": float(z[i, j]),
            "eta": float(ds.eta[i]),
            "g": float(ds.g[j]),
            "lifshitz_lines": lines,
        }
        if axis:
            entry[ds.attrs["swept_parameter"]] = float(ds[axis][ip])
        out["maxima"].append(entry)
    rows = [
        [m.get(ds.attrs.get("swept_parameter"), "-"), m["Tc_max_K"], m["eta"], m["g"]]
        for m in out["maxima"]
    ]
    table = _fmt_table([ds.attrs.get("swept_parameter", "param"), "Tc,max [K]", "eta", "g"], rows)
    table += "\nstatus: " + ", ".join(f"{k} {v}" for k, v in out["status_counts"].items())
    _emit(out, table, as_json)


@cli.command()
@click.argument("store", type=click.Path())
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def export(store, file, as_json):
    """Write a sweep STORE to FILE (.nc: NetCDF; .zarr: Zarr). An earlier export is
    replaced; anything else at FILE is left alone and refused."""
    from multigap.study.sweep import export_sweep

    check_output(file, "FILE")
    ds = export_sweep(store, file)
    payload = {
        "file": str(file),
        "store": str(store),
        "sizes": dict(ds.sizes),
        "variables": sorted(ds.data_vars),
    }
    _emit(payload, f"wrote {file}: " + ", ".join(f"{k}={v}" for k, v in ds.sizes.items()), as_json)


@cli.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    default="results",
    show_default=True,
    help="Output directory.",
)
@click.option("--quick", is_flag=True, help="Coarse grids (about a minute).")
@click.option(
    "--processes",
    type=click.IntRange(1, 4096),
    default=None,
    help="Local processes for the sweeps (default: all cores).",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
def reproduce(out, quick, processes, quiet):
    """Regenerate the paper's figures 3–11, their data and a report of claims vs ours."""
    from multigap.reproduce import reproduce as run
    from multigap.reproduce import reuse_sentence

    r = run(out, quick=quick, workers=processes, progress=not quiet)
    click.echo(
        _fmt_wrapped_table(
            ["claim", "paper", "ours", "verdict"],
            [[c["claim"], c["paper"], c["ours"], c["verdict"]] for c in r["claims"]],
            widths=[34, 18, 34, 7],
        )
    )
    click.echo(
        f"wrote {len(r['figures'])} figures (PNG, PDF), {len(r['data'])} NetCDF files and "
        f"{out}/report.md, {out}/report.html in {r['seconds']:.0f} s.\n"
        + reuse_sentence(r["reused"])
    )


@cli.command()
@click.argument("store", type=click.Path())
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(["auto", "map", "eta", "g", "alpha", "ratio"]),
    default="auto",
    show_default=True,
    help="map: Tc(η, g) colour map; eta: Tc(η), one line per g; g: Tc(g), one line per η; "
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
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
def plot(store, file, kind, param_index, eta_range, log, as_json):
    """Draw a sweep STORE to FILE (PNG, PDF or SVG): the Tc(η, g) map with the Lifshitz
    lines and the maximum, or lines through it (Tc(η), Tc(g), α(η), Δ̄t/Δ̄t−1(η))."""
    from multigap.plots import dome_figure, save, sweep_lines_figure
    from multigap.study.sweep import computed

    ds, title, drawn = _sweep_slice(store, param_index, eta_range)
    n_eta, n_g = ds.sizes["eta"], ds.sizes["g"]
    if kind == "auto":
        kind = "map" if n_eta > 1 and n_g > 1 else ("eta" if n_eta > 1 else "g")
    needs = {"map": (2, 2), "g": (1, 2)}.get(kind, (2, 1))  # values of (eta, g) needed
    if n_eta < needs[0] or n_g < needs[1]:
        raise ParameterError(
            "--kind",
            kind,
            f"a kind this sweep has the axes for ({n_eta} eta × {n_g} g; a map needs 2 × 2, "
            "eta/alpha/ratio 2 values of eta, g 2 values of g)",
        )
    if kind == "map":
        fig = dome_figure(computed(ds), model=title, log=log)
    else:
        da, ylabel = _line_quantity(ds, kind)
        fig = sweep_lines_figure(da, "g" if kind == "g" else "eta", ylabel, model=title, log=log)
    save(fig, file)
    payload = {"file": str(file), "kind": kind, "store": str(store), **drawn}
    if eta_range is not None:
        payload["eta_range"] = list(eta_range)
    _emit(payload, f"wrote {file} ({kind})", as_json)


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
    from multigap.plots import LINE_KINDS, gap_anisotropy
    from multigap.study.sweep import computed

    name, ylabel = LINE_KINDS[kind]
    if name == "Delta_ratio":
        if "Delta" not in ds:
            raise ParameterError("--kind", kind, "a sweep run with --gaps")
        anisotropy, t, below = gap_anisotropy(ds)
        return anisotropy, f"Δ̄{t}/Δ̄{below}"
    if name not in ds:
        raise ParameterError("--kind", kind, "a sweep run with --isotope")
    return computed(ds, name), ylabel


#: The library names parameters; the command line names them as flags.
FLAGS = {
    "vary": "--vary",
    "budget": "--budget",
    "dE": "--constraint dE",
    "omega0_max": "--constraint omega0_max",
    "fix": "--fix",
    "out": "--out",
    "workers": "--workers",
    "connect_timeout": "--connect-timeout",
    "scheduler": "--scheduler",
    "param": "--param",
    "eta/g": "--eta/--g",
    "eta": "--eta",
    "g": "--g",
    "seed": "--seed",
    "p_ref": "--p-ref",
    "temperature": "--temperature",
    "pressure": "--pressure",
}
_HINTS = {
    "(allow_large)": "(--yes)",
    "force=True replaces this store": "--force replaces this store",
    "replacing never replaces": "--force never replaces",
    "fix={'g1': 0}": "--fix g1=0",
}


def in_flags(message: str) -> str:
    """A library message in the command line's words: the parameter it names (the text
    before ' = ' or ' is invalid') becomes its flag, and library hints become flags."""
    for name, flag in sorted(FLAGS.items(), key=lambda kv: -len(kv[0])):
        for sep in (" = ", " (value ", " "):
            if message.startswith(name + sep):
                message = flag + message[len(name) :]
                break
        else:
            continue
        break
    else:  # a model field (barrier_height) is also a TOML key: name both spellings
        head = message.split(" = ", 1)[0]
        if head.isidentifier() and f"--{head.replace('_', '-')}" in _all_flags():
            message = f"{head} (--{head.replace('_', '-')})" + message[len(head) :]
    for hint, flag in _HINTS.items():
        message = message.replace(hint, flag)
    return message


@functools.cache
def _all_flags() -> frozenset[str]:
    return frozenset(
        opt for command in cli.commands.values() for p in command.params for opt in p.opts
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning every user mistake into one line and exit 2."""
    # figures are written to files, never shown: the non-interactive backend, chosen here
    # (not by the library) and only where the user has not chosen one
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        cli.main(args=argv, prog_name="multigap", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("multigap: aborted", err=True)
        return 1
    except click.ClickException as exc:
        click.echo(f"multigap: error: {exc.format_message()}", err=True)
        return 2
    except MultigapError as exc:
        click.echo(f"multigap: error: {in_flags(str(exc))}", err=True)
        return 2
    except OSError as exc:
        click.echo(
            f"multigap: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True
        )
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
