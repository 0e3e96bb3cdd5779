"""Sphinx configuration of the multigap documentation."""

from multigap import __version__

project = "multigap"
author = "the multigap developers"
copyright = "2026, the multigap developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax from the package, not from a CDN: the pages render their formulas offline
    "sphinx-mathjax-offline",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "sphinx_click",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = [
    "_build",
    "_cli",
    "gallery/README.rst",
    "claims_table.md",
    "sg_execution_times.rst",
]
html_theme = "pydata_sphinx_theme"
html_title = f"multigap {version}"
autosummary_generate = True
# document what each module exports (its __all__), one page per class and function
autosummary_ignore_module_all = False
templates_path = ["_templates"]
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath", "amsmath"]
suppress_warnings = ["myst.header", "myst.xref_missing"]
sphinx_gallery_conf = {
    "examples_dirs": "gallery",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    # no sg_execution_times.rst: a build must leave the source tree as it found it
    "write_computation_times": False,
}


def _plain_math(app, what, name, obj, options, lines):
    """Docstrings write formulas as plain text (|ξ|, |ψ|²): keep their bars literal."""
    lines[:] = [line.replace("|", "\\|") for line in lines]


def _write_cli_reference(app):
    """The CLI reference, generated from the commands at every build (docs/_cli/)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(app.srcdir)))
    import cli_reference

    cli_reference.write(Path(app.srcdir) / "_cli")


def setup(app):
    app.connect("autodoc-process-docstring", _plain_math, priority=100)
    app.connect("builder-inited", _write_cli_reference)


smartquotes = False  # keep "--flag" spellings intact in the CLI reference
