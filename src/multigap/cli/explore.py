"""``multigap explore``: the dome in the browser (the ``[explore]`` extra)."""

from __future__ import annotations

import click

from multigap.cli.options import model_options
from multigap.config import Config
from multigap.errors import MultigapError


@click.command()
@model_options
@click.option(
    "--port", type=click.IntRange(1, 65535), default=5006, show_default=True, help="TCP port."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. Anything but 127.0.0.1/localhost makes the app reachable from "
    "other machines (it has no login).",
)
def explore(cfg: Config, port: int, host: str):
    """Start the explorer, a local web app: the Tc(η, g) dome redrawn as you move the
    geometry and coupling controls, cuts and a readout at a clicked point, the
    heterostructure, and downloads of the state (TOML for ``sweep --config``) and of
    the map (NetCDF). Ctrl-C stops it.
    """
    try:
        from multigap.explore.app import LOCAL, serve
        from multigap.explore.state import Explorer
    except ImportError as exc:  # panel, param or tomli-w missing
        raise MultigapError(
            f"multigap explore needs the optional extra ({exc.name} is missing): "
            "pip install -e '.[explore]'"
        ) from None

    kwargs = Explorer.controls_of(cfg)
    if host not in LOCAL:
        click.echo(
            f"multigap explore: binding {host}: reachable from other machines, with no "
            "login; use the default 127.0.0.1 to keep it local",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"multigap explore: http://{shown}:{port}/  (Ctrl-C stops it)")
    serve(kwargs, host=host, port=port)
