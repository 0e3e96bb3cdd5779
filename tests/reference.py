"""The stored regression record, for tests that compare a number with it.

``tests/data/reference_outputs.json`` is written by a committed command,

    python tools/compare_outputs.py record tests/data/reference_outputs.json

and is regenerated only when a change of the numbers is intended (and the commit says why).
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "data" / "reference_outputs.json"


def reference() -> dict:
    """The stored record: command name → its JSON output."""
    return json.loads(REFERENCE.read_text())
