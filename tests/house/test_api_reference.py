"""The API reference documents every public callable: one page per name in ``__all__``.

The pages are the autosummary stubs that the docs build writes (``docs/api.rst`` with the
templates in ``docs/_templates``); ``sphinx-autogen --respect-module-all`` writes the
same stubs without a build (as the docs' ``autosummary_ignore_module_all = False``), in
about two seconds.
"""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import multigap

pytest.importorskip("sphinx")
DOCS = Path(__file__).resolve().parents[2] / "docs"
#: Modules documented elsewhere: the command line (the CLI reference) and the
#: reproduction (the ``reproduce`` command and its report).
ELSEWHERE = ("multigap.cli", "multigap.reproduce", "multigap._version", "multigap.__main__")


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    subprocess.run(
        [sys.executable, "-m", "sphinx.ext.autosummary.generate", "-o", str(out),
         "-t", str(DOCS / "_templates"), "--respect-module-all", str(DOCS / "api.rst")],
        check=True, capture_output=True,
    )  # fmt: skip
    return {p.stem for p in out.glob("*.rst")}


def public_modules():
    for info in pkgutil.walk_packages(multigap.__path__, "multigap."):
        if not info.name.startswith(ELSEWHERE) and "._" not in info.name:
            yield info.name


def exported(module):
    """The names a module exports, without the submodules a package lists."""
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", [])
    return [n for n in names if not hasattr(getattr(mod, n), "__path__")]


def test_every_public_module_has_a_page(stubs):
    missing = [m for m in public_modules() if m not in stubs]
    assert not missing, f"modules without an API page: {missing}"


def test_every_exported_callable_has_a_page(stubs):
    missing = []
    for module in public_modules():
        mod = importlib.import_module(module)
        for name in exported(module):
            obj = getattr(mod, name)
            # a package's re-exports are documented once, in the module that defines them
            pages = {f"{module}.{name}", f"{getattr(obj, '__module__', module)}.{name}"}
            if callable(obj) and not pages & stubs:
                missing.append(f"{module}.{name}")
    assert not missing, f"{len(missing)} public callables without a page: {missing[:20]}"
