"""The docs as a reader's browser shows them (headless Chromium, offline): the landing
page is a styled page with text and its theme, not a blank or unstyled one, and the
formula pages are typeset by MathJax from the site itself (no CDN). The report's
screenshot is with the reproduction's tests (it needs a reproduction run).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from browser import looks_rendered, rendered_dom, screenshot

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("pydata_sphinx_theme")
    html = tmp_path_factory.mktemp("site")
    done = subprocess.run(  # the site without running the gallery (seconds, not minutes)
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "plot_gallery=0",
         str(DOCS), str(html)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return html


def test_docs_index_renders(site, tmp_path):
    png = screenshot((site / "index.html").as_uri(), tmp_path / "index.png", tmp_path / "p")
    seen = looks_rendered(png)
    assert seen["size"] == (1280, 900)
    assert seen["ink"] > 0.03 and seen["colours"] > 50, seen


@pytest.mark.parametrize("page", ["conventions", "engine"])
def test_formulas_are_typeset_offline(site, tmp_path, page):
    dom = rendered_dom((site / f"{page}.html").as_uri(), tmp_path / "p")
    assert dom.count("<mjx-container") > 30  # MathJax ran, from _static/, with no network
    assert "\\(" not in dom and "\\[" not in dom  # no formula left as raw TeX
