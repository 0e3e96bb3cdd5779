"""Write the CLI reference (Markdown) from the click commands, grouped by task.

Called by ``conf.py`` at the start of every build: the page is generated into
``docs/_cli/`` (not tracked), so it can never fall behind the code. The options that many
commands share (the geometry and model flags, the point, the outputs) are documented
once, at the top; each command lists only its own options, and one example.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import click

from multigap.cli import cli

GROUPS = {
    "The heterostructure": ["bands", "dos", "fermi", "overlap"],
    "One point": ["tc", "gaps", "thermo", "isotope"],
    "Beyond mean field": ["stiffness", "bkt"],
    "Maps of the dome": ["sweep", "summary", "export", "plot"],
    "Pressure paths, fits and design": ["path", "fit", "design"],
    "The paper": ["reproduce"],
    "In the browser": ["explore"],
}

EXAMPLES = {
    "bands": "multigap bands --model A --plot bands.png",
    "dos": "multigap dos --model A --eta -1 2 61 --plot dos.png",
    "fermi": "multigap fermi --model B --eta 0.3 --eta 1.5 --plot fermi.png",
    "overlap": "multigap overlap --model A --out overlap.nc",
    "tc": "multigap tc --model A --eta 1 --g 0.4",
    "gaps": "multigap gaps --model A --eta 1 --g 0.4 --temperature '150 K'",
    "thermo": "multigap thermo --model A --eta 1 --g 0.4 --plot thermo.png",
    "isotope": "multigap isotope --model A --eta 0.2 --g 0.25",
    "stiffness": "multigap stiffness --model A --eta 1 --g 0.3",
    "bkt": "multigap bkt --model A --eta 1 --g 0.3",
    "sweep": "multigap sweep --model A --eta -1 2 121 --g 0.10 0.48 39 --out domeA",
    "summary": "multigap summary domeA",
    "export": "multigap export domeA domeA.nc",
    "plot": "multigap plot domeA domeA.png --eta-range 0 2",
    "explore": "multigap explore --model A --port 5006",
    "path": "multigap path --model A --pressure 120 200 17 --eta0 1 --eta1 0.01 --g0 0.35 "
    "--p-ref 150",
    "fit": "multigap fit dome.csv --model A --out fit.nc",
    "design": "multigap design --model A --vary barrier_width 0.4 0.7 --out design",
    "reproduce": "multigap reproduce --out results",
}

SHARED = {
    "The heterostructure and the model (every command that builds a model)": [
        "--model", "--config", "--structure", "--well-width", "--barrier-width",
        "--barrier-height", "--mass-well", "--mass-barrier", "--mass-x", "--omega0",
    ],
    "The point": ["--eta", "--g"],
}  # fmt: skip
#: The command whose spelling of a shared option is the shared one: a command whose
#: option of the same name means something else (``--eta START STOP NUM`` in ``sweep``)
#: lists it as its own.
REFERENCE = "tc"
OUTPUT = [
    "- `--json`: print one JSON object to stdout, with the names of the vocabulary.",
    "- `--out`: write the result: a labelled NetCDF dataset, or a directory (a resumable",
    "  store) for `sweep`, `design` and `reproduce`. Nothing is overwritten that multigap",
    "  did not write.",
    "- `--plot FILE`: draw the command's figure; PNG, PDF or SVG by the suffix.",
    "- `-h`, `--help`: the command's options.",
]


def _option_line(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        return f"- `{(param.name or '').upper()}` (argument)"
    names = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
    help_ = " ".join((getattr(param, "help", None) or "").split())
    extra = []
    if isinstance(param.type, click.Choice):
        extra.append("one of " + ", ".join(f"`{c}`" for c in param.type.choices))
    if param.nargs > 1:
        extra.append(f"{param.nargs} values")
    if getattr(param, "multiple", False):
        extra.append("may be repeated")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"- {names}: {help_}{tail}"


def _shared_params(commands: dict) -> dict[str, click.Parameter]:
    """The shared options, as the reference command spells them."""
    flags = {f for group in SHARED.values() for f in group}
    return {o: p for p in commands[REFERENCE].params for o in p.opts if o in flags}


def _is_shared(param: click.Parameter, shared: dict) -> bool:
    ref = next((shared[o] for o in param.opts if o in shared), None)
    return ref is not None and ref.help == param.help and ref.nargs == param.nargs


def _shared_section(shared: dict) -> list[str]:
    lines = ["## Options shared by many commands", ""]
    for title, flags in SHARED.items():
        lines += [f"### {title}", ""]
        lines += [_option_line(shared[f]) for f in flags if f in shared] + [""]
    return lines + ["### Output", "", *OUTPUT, ""]


def _command_section(name: str, command: click.Command, shared_params: dict) -> list[str]:
    ctx = click.Context(command, info_name=f"multigap {name}")
    usage = " ".join(command.collect_usage_pieces(ctx))
    paragraphs = [" ".join(p.split()) for p in inspect.cleandoc(command.help or "").split("\n\n")]
    lines = [f"### `multigap {name}`", ""]
    lines += [p + "\n" for p in paragraphs if p and not p.startswith("\b")]
    lines += ["```console", f"$ multigap {name} {usage}".rstrip(), "```", ""]
    common = {"--json", "--help"}
    own = [
        p
        for p in command.params
        if not _is_shared(p, shared_params) and not (set(p.opts) & common) and p.name != "help"
    ]
    shared = sorted({o for p in command.params if _is_shared(p, shared_params) for o in p.opts})
    if own:
        lines += ["Its own options:", ""] + [_option_line(p) for p in own] + [""]
    if shared:
        lines += ["Shared options: " + ", ".join(f"`{o}`" for o in shared) + ".", ""]
    lines += ["Example:", "", "```console", f"$ {EXAMPLES[name]}", "```", ""]
    return lines


def write(directory: Path) -> Path:
    """Write ``cli_reference.md`` into ``directory`` and return its path."""
    commands = dict(cli.commands)
    missing = set(commands) - {c for group in GROUPS.values() for c in group}
    if missing:
        raise RuntimeError(f"CLI commands not placed in a group of the reference: {missing}")
    shared = _shared_params(commands)
    lines = _shared_section(shared)
    for title, names in GROUPS.items():
        lines += [f"## {title}", ""]
        for name in names:
            lines += _command_section(name, commands[name], shared)
    directory.mkdir(exist_ok=True)
    path = directory / "cli_reference.md"
    path.write_text("\n".join(lines))
    return path
