"""The house rules that the import graph can check: no module reaches for another
module's private names, and no library module imports the command line."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "multigap"


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
        if "cli" not in f.relative_to(SRC).parts
        for line, module, _ in imports(f)
        if module.split(".")[:2] == ["multigap", "cli"]
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


def test_every_result_has_the_result_protocol():
    """TcResult, TcTable, GapResult, IsotopeResult, ThermoResult, PathResult and FitResult:
    status, converged, message, parameters and to_dataset(), from one base."""
    from multigap.solvers.results import GapResult, IsotopeResult, TcResult, TcTable
    from multigap.solvers.thermodynamics import ThermoResult
    from multigap.status import Result
    from multigap.study.fit import FitResult
    from multigap.study.paths import PathResult

    for cls in (TcResult, TcTable, GapResult, IsotopeResult, ThermoResult, PathResult, FitResult):
        assert issubclass(cls, Result)
        for name in ("converged", "message", "to_dataset"):
            assert hasattr(cls, name), (cls.__name__, name)


def test_a_result_says_what_its_status_means():
    from multigap.config import Numerics
    from multigap.solvers.model import Model

    m = Model.from_preset("A")
    r = Model.from_preset("A", numerics=Numerics(t_min=1e-2)).critical_temperature(-0.9, g=0.1)
    assert r.status == "below_T_min" and r.converged
    assert "search floor" in r.message and "not Tc = 0" in r.message
    iso = m.isotope_coefficient(0.85, g=0.25)
    assert iso.status == "window_edge" and "one-sided" in iso.message
    assert iso.parameters["point"]["eta"] == 0.85


def test_the_model_example_runs():
    """The example in Model's docstring is a real doctest."""
    import doctest

    import multigap.solvers.model

    result = doctest.testmod(multigap.solvers.model, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


def test_the_command_line_starts_without_the_physics():
    """`multigap --help` loads only the inputs, the units and the provenance: no solver,
    no scipy.optimize, xarray or matplotlib (what keeps the start as fast as it was)."""
    import subprocess
    import sys

    code = (
        "import sys, multigap.cli; "
        "print(' '.join(sorted(m for m in sys.modules "
        "if m.startswith(('multigap', 'scipy.optimize', 'xarray', 'matplotlib')))))"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())  # fmt: skip
    assert loaded <= {
        "multigap",
        "multigap._version",
        "multigap.cli",
        *(f"multigap.cli.{m.stem}" for m in (SRC / "cli").glob("*.py")),
        "multigap.config",
        *(f"multigap.config.{m.stem}" for m in (SRC / "config").glob("*.py")),
        "multigap.errors",
        "multigap.output",
        "multigap.output.provenance",
        "multigap.units",
    }, loaded


def _body_lines(node) -> int:
    """Lines of a function without its docstring."""
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
        if isinstance(first.value.value, str):
            lines -= first.end_lineno - first.lineno + 1
    return lines


def test_modules_and_functions_stay_small():
    """No module over 700 lines, no function over 60 (docstrings excluded): a reader
    sees one job per module and one step per function."""
    big_files, big_functions = [], []
    for f in sorted(SRC.rglob("*.py")):
        text = f.read_text()
        if len(text.splitlines()) > 700:
            big_files.append(f"{f.relative_to(SRC)}: {len(text.splitlines())}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _body_lines(node) > 60:
                big_functions.append(f"{f.relative_to(SRC)}:{node.name}: {_body_lines(node)}")
    assert big_files == [] and big_functions == []
