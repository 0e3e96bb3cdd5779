"""The pages that carry formulas render them with MathJax, not as plain text.

The four pages are built on their own (a Sphinx project holding only them, with the
docs' own MyST math settings read from ``docs/conf.py``), which takes seconds where the
whole site with its executed gallery takes minutes; the full build runs in CI with -W.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["conventions", "differences", "engine", "phase_fluctuations"]


def _docs_setting(name: str):
    """A literal setting of docs/conf.py."""
    for node in ast.parse((DOCS / "conf.py").read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pytest.importorskip("myst_parser")
    src = tmp_path_factory.mktemp("src")
    for page in PAGES:
        (src / f"{page}.md").write_text((DOCS / f"{page}.md").read_text())
    (src / "index.md").write_text("# pages\n\n```{toctree}\n" + "\n".join(PAGES) + "\n```\n")
    extensions = [
        e for e in _docs_setting("extensions") if e in ("myst_parser", "sphinx.ext.mathjax")
    ]
    (src / "conf.py").write_text(
        f"extensions = {extensions!r}\n"
        f"myst_enable_extensions = {_docs_setting('myst_enable_extensions')!r}\n"
        "myst_heading_anchors = 3\n"
    )
    out = tmp_path_factory.mktemp("html")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_docs_enable_mathjax_and_dollar_math():
    assert "sphinx.ext.mathjax" in _docs_setting("extensions")
    assert {"dollarmath", "amsmath"} <= set(_docs_setting("myst_enable_extensions"))


@pytest.mark.parametrize("page", PAGES)
def test_the_formulas_of_each_page_are_mathjax(built, page):
    html = (built / f"{page}.html").read_text()
    assert "mathjax" in html.lower()  # the script is loaded
    inline = html.count('<span class="math notranslate nohighlight">')
    display = html.count('<div class="math notranslate nohighlight">')
    assert inline >= 5 and display >= 1, (inline, display)
    assert "$$" not in html  # no display formula left unrendered
