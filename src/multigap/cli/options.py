"""The options every command shares, how results are printed and written.

Geometry and model flags, the point flags, ``--json``/``--out``/``--plot``, the
refusal to overwrite what multigap did not write, and the plain-text tables.
"""

from __future__ import annotations

import functools
import json
import math
import os
from pathlib import Path
from typing import Any

import click

from multigap.config import Config, load_config
from multigap.errors import ParameterError
from multigap.output.provenance import json_default
from multigap.units import from_user, to_internal

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
PRESSURE = _Quantity("pressure")


def linspace_option(flag: str, dest: str, help_: str, kind: click.ParamType | type = float):
    """A required ``FLAG START STOP NUM`` axis option: linspace(START, STOP, NUM), its
    bounds of ``kind`` (a number, or a quantity type that also takes unit strings).
    """
    return click.option(
        flag, dest, type=(kind, kind, int), required=True, metavar="START STOP NUM", help=help_
    )


def executor_options(func):
    """Add where the work runs: ``--workers N`` local processes (everywhere the same),
    ``--serial``, ``--dask`` (a local Dask cluster of ``--workers``), ``--scheduler``
    (an existing Dask cluster) and ``--connect-timeout``; pass ``run_on`` =
    (executor, workers, scheduler, connect_timeout).
    """

    @click.option(
        "--workers",
        type=click.IntRange(1, 4096),
        default=None,
        help="Local worker processes (default: all cores); with --dask, the local "
        "Dask cluster's workers.",
    )
    @click.option("--serial", is_flag=True, help="Evaluate in this process.")
    @click.option(
        "--dask", "use_dask", is_flag=True, help="Run on a local Dask cluster (the [dask] extra)."
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
    @functools.wraps(func)
    def wrapper(*args, workers, serial, use_dask, scheduler, connect_timeout, **kwargs):
        if serial and (workers or use_dask or scheduler is not None):
            raise ParameterError(
                "--serial/--dask/--scheduler/--workers", "several", "at most one executor"
            )
        if scheduler is not None and workers:
            raise ParameterError(
                "--workers", workers, "no worker count with --scheduler (its cluster has its own)"
            )
        executor = "dask" if (use_dask or scheduler is not None) else "processes"
        run_on = ("serial" if serial else executor, workers, scheduler, connect_timeout)
        return func(*args, run_on=run_on, **kwargs)

    return wrapper


#: The μ mode of a mean-field state solved with its gaps (thermo, stiffness, bkt).
GAP_MU_MODE = click.option(
    "--mu-mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default="fixed_density",
    show_default=True,
    help="Hold the density ρ_N(η) (μ solved with the gaps at each T) or μ = μ_N.",
)


def model_options(func):
    """Add --model, --config and the per-parameter flags; pass a built Config."""

    @click.option(
        "--model",
        "model",
        type=click.Choice(["A", "B"], case_sensitive=False),
        default=None,
        metavar="A|B",
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


def model_of(cfg: Config):
    """The model of a validated command-line config."""
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


#: The warnings of the running command, as ``main`` records them (one list in a box).
_RECORDED: list[list] = [[]]


def record_warnings(caught: list) -> None:
    """Where ``main`` records the running command's warnings (for ``--json``)."""
    _RECORDED[0] = caught


def unit_warnings() -> list[str]:
    """The unit warnings given so far by the running command, in flag names."""
    from multigap.errors import UnitWarning

    return [in_flags(str(w.message)) for w in _RECORDED[0] if issubclass(w.category, UnitWarning)]


def emit(payload: dict, table: str, as_json: bool, ds=None, out: str | None = None) -> None:
    """Print a result as JSON (with the unit warnings given, as ``warnings``) or as a
    table, and write its dataset to ``out`` if asked.
    """
    if out is not None and ds is not None:
        write_netcdf(ds, out)
    if as_json:
        said = unit_warnings()
        if said:
            payload = {**payload, "warnings": said}
        click.echo(json.dumps(payload, default=json_default, allow_nan=True))
    else:
        click.echo(table)
        if out is not None:
            click.echo(f"wrote {out}")


def written_by_multigap(path: Path) -> bool:
    """Whether *path* is a NetCDF file or Zarr store that multigap wrote (it carries the
    ``multigap_version`` attribute of every output).
    """
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
    refused and left as it is.
    """
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
    write leaves no half file; never over a file that multigap did not write.
    """
    path = check_output(out)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def text_table(header: list[str], rows: list[list[Any]]) -> str:
    """A right-aligned plain-text table (floats with 6 significant digits)."""

    def fmt(v):
        if isinstance(v, float):
            return "inf" if math.isinf(v) else ("nan" if math.isnan(v) else f"{v:.6g}")
        return str(v)

    cells = [header] + [[fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def wrapped_table(header: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A left-aligned table whose cells wrap at ``widths`` characters, with a blank line
    after every row, so that it fits a narrow terminal.
    """
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


def subband_table(cfg: Config):
    """The subbands of a command-line config."""
    from multigap.superlattice.kronig_penney import solve_subbands

    return solve_subbands(cfg.superlattice, cfg.numerics)


def parameters_of(cfg: Config, **extra):
    """The provenance record of a command-line config, with extra fields."""
    from multigap.output.provenance import parameters

    if cfg.source:
        extra = {"input": cfg.source, **extra}
    return parameters(cfg.superlattice, cfg.pairing, cfg.numerics, cfg.model, **extra)


def check_eta(eta: float) -> None:
    """Refuse a non-finite η before any solve."""
    if not math.isfinite(eta):
        raise ParameterError("--eta", eta, "a finite number")


def is_energy(name: str) -> bool:
    """Whether a swept or varied parameter is an energy (typed in meV, held in eV)."""
    from multigap.study.sweep import parameter_unit

    return parameter_unit(name) == "eV" or name == "omega0"


#: The kind of quantity of each internal unit of a swept or varied parameter.
_KIND_OF_UNIT = {"eV": "energy", "nm": "length", "m_e": "mass"}


def user_bounds(name: str, lo, hi) -> tuple[float, float]:
    """Bounds of a design variable or sweep axis, typed as bare numbers in the user's
    units (meV, nm, m_e) or as unit strings ('3 eV', '8 angstrom'), in internal units.
    """
    from multigap.study.sweep import parameter_unit

    kind = "energy" if is_energy(name) else _KIND_OF_UNIT.get(parameter_unit(name) or "")
    if kind is None:  # a coupling or another pure number
        return to_internal(lo, "dimensionless", name), to_internal(hi, "dimensionless", name)
    return from_user(lo, kind, name), from_user(hi, kind, name)


def user_axis(name: str, start: float, stop: float, num: int):
    """An axis (name, start, stop, num) typed by the user, in internal units."""
    return (name, *user_bounds(name, start, stop), num)


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
    "at": "--at",
}


_HINTS = {
    "(allow_large)": "(--yes)",
    "force=True replaces this store": "--force replaces this store",
    "replacing never replaces": "--force never replaces",
    "fix={'g1': 0}": "--fix g1=0",
}


def in_flags(message: str) -> str:
    """A library message in the command line's words: the parameter it names (the text
    before ' = ' or ' is invalid') becomes its flag, and library hints become flags.
    """
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
        if head in {name for name, *_ in _MODEL_FLAGS}:
            message = f"{head} (--{head.replace('_', '-')})" + message[len(head) :]
    for hint, flag in _HINTS.items():
        message = message.replace(hint, flag)
    return message
