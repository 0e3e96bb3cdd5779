"""Regressions: the outputs of a fixed set of commands against the stored record.

``tests/data/reference_outputs.json`` is written by a committed command,

    python tools/compare_outputs.py record tests/data/reference_outputs.json

and is regenerated only when a change of the numbers is intended (and the commit says
why). Every number of every output is compared (provenance aside); the tolerance allows
for another BLAS or CPU, not for a change of method.
"""

import importlib.util
import json

from reference import ROOT, reference


def _tool():
    spec = importlib.util.spec_from_file_location(
        "compare_outputs", ROOT / "tools" / "compare_outputs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_output_matches_the_stored_record(tmp_path):
    tool = _tool()
    tool.record(tmp_path / "now.json")
    now = json.loads((tmp_path / "now.json").read_text())
    diffs = tool.differences(reference(), now, "", 1e-6, 1e-9)
    assert diffs == [], diffs[:10]


def test_the_record_holds_what_the_other_tests_read():
    ref = reference()
    assert set(ref) >= {"tc A", "gaps A", "gaps A g=0.3", "thermo A", "sweep dataset"}
