"""The house rules that the import graph can check: no module reaches for another
module's private names, and no library module imports the command line."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "multigap"


def imports(path: Path):
    """(line, module, names) of every `from ... import ...` of multigap in a file,
    function-level imports included."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            internal = node.level > 0 or (node.module or "").startswith("multigap")
            if internal:
                yield node.lineno, node.module or "", [a.name for a in node.names]


def test_no_module_imports_a_private_name_from_another():
    offenders = [
        f"{f.name}:{line} from {module} import {name}"
        for f in sorted(SRC.rglob("*.py"))
        for line, module, names in imports(f)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert offenders == []


def test_only_the_command_line_imports_the_command_line():
    offenders = [
        f"{f.name}:{line}"
        for f in sorted(SRC.rglob("*.py"))
        if f.stem != "cli"
        for line, module, _ in imports(f)
        if module.split(".")[-1] == "cli"
    ]
    assert offenders == []


def test_the_library_leaves_the_matplotlib_backend_alone():
    """Only the command line chooses a backend (a notebook that imports the plots keeps
    its own)."""
    offenders = [
        f.name
        for f in sorted(SRC.rglob("*.py"))
        if f.stem != "cli" and "matplotlib.use(" in f.read_text()
    ]
    assert offenders == []
