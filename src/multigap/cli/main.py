"""The ``multigap`` group, ``reproduce``, and the entry point that turns mistakes into one line."""

from __future__ import annotations

import os
import warnings

import click

from multigap._version import __version__
from multigap.cli.explore import explore
from multigap.cli.fluctuations import bkt, stiffness
from multigap.cli.options import in_flags, record_warnings, wrapped_table
from multigap.cli.point import gaps, isotope, tc, thermo
from multigap.cli.structure import bands, dos, fermi, overlap
from multigap.cli.studies import design, fit, path
from multigap.cli.sweeps import export, plot, summary, sweep
from multigap.errors import MultigapError, ParameterError, UnitWarning

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="multigap")
def cli():
    """Resonant multigap superconductivity in superlattices of quantum wires.

    One unit rule: a bare number is in meV for energies, nm for lengths, m_e for
    masses and K for temperatures, in every flag and config file, and every output
    uses the same units. Strings with units are accepted everywhere, e.g.
    --omega0 330, --omega0 '330 meV' and --omega0 '0.33 eV' are the same.
    """


COMMANDS = (bands, dos, fermi, overlap, tc, gaps, thermo, isotope, stiffness, bkt, sweep,
            summary, export, plot, path, fit, design, explore)  # fmt: skip
for _command in COMMANDS:
    cli.add_command(_command)


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
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="Local worker processes for the sweeps (default: all cores).",
)
@click.option("--processes", type=click.IntRange(1, 4096), default=None, hidden=True)
@click.option("--quiet", is_flag=True, help="No progress bars.")
def reproduce(out, quick, workers, processes, quiet):
    """Regenerate the paper's figures 3–11, their data and a report of claims vs ours."""
    from multigap.reproduce import reproduce as run
    from multigap.reproduce import reuse_sentence

    if workers and processes:
        raise ParameterError("--workers", workers, "one count (--processes is its old name)")
    r = run(out, quick=quick, workers=workers or processes, progress=not quiet)
    click.echo(
        wrapped_table(
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


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning every user mistake into one line and exit 2."""
    # figures are written to files, never shown: the non-interactive backend, chosen here
    # (not by the library) and only where the user has not chosen one
    os.environ.setdefault("MPLBACKEND", "Agg")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnitWarning)
        record_warnings(caught)
        code = _run(argv)
    record_warnings([])
    for w in caught:  # after the command: a refused input gets its one error line only
        if issubclass(w.category, UnitWarning):
            if code == 0:
                click.echo(f"multigap: warning: {in_flags(str(w.message))}", err=True)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return code


def _run(argv: list[str] | None) -> int:
    """The command, with every user mistake turned into one line and exit 2."""
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
