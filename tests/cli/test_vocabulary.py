"""Every command's JSON and dataset use the names of docs/vocabulary.md, with its units."""

import json
import re
from pathlib import Path

import pytest
import xarray as xr

from multigap.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "vocabulary.md"
SUFFIX = re.compile(r"_(meV|K|GPa|nm|per_meV_nm[23]|per_nm[23])$")


def vocabulary():
    keys, variables = set(), {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("quantity", "---"):
            continue
        unit = cells[3]
        keys |= set(re.findall(r"`([^`]+)`", cells[1]))
        names = (
            set(re.findall(r"`([^`]+)`", cells[2]))
            if "the same" not in cells[2]
            else set(re.findall(r"`([^`]+)`", cells[1]))
        )
        for name in names:
            variables[name] = unit
    return keys, variables


KEYS, VARIABLES = vocabulary()
UNIT_ATTR = {
    "meV": "meV",
    "K": "K",
    "GPa": "GPa",
    "1": "1",
    "meV⁻¹ nm⁻²": "meV^-1 nm^-2",
    "meV⁻¹ nm⁻³": "meV^-1 nm^-3",
    "nm⁻²": "nm^-2",
    "nm⁻³": "nm^-3",
    "meV nm⁻¹": "meV nm^-1",
    "—": None,
}


def unit_keys(obj, prefix=""):
    """Keys of a JSON object (recursively) that carry a unit suffix."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("parameters", "parameters_model"):
                continue  # the inputs, named as the inputs
            if SUFFIX.search(k):
                out.append(k)
            out += unit_keys(v)
    elif isinstance(obj, list):
        for v in obj[:3]:
            out += unit_keys(v)
    return out


COMMANDS = [
    ["tc", "--eta", "1", "--g", "0.3"],
    ["gaps", "--eta", "1", "--g", "0.3"],
    ["gaps", "--eta", "1", "--g", "0.3", "--temperature", "100"],
    ["thermo", "--eta", "1", "--g", "0.3", "--mu-mode", "fixed_mu", "--num", "10"],
    ["dos", "--eta", "-1", "2", "5"],
    ["isotope", "--eta", "1", "--g", "0.3"],
    ["stiffness", "--eta", "1", "--g", "0.3"],
    ["bkt", "--eta", "1", "--g", "0.3"],
    ["path", "--pressure", "120", "200", "3", "--eta0", "1", "--eta1", "0.01", "--g0", "0.35"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1]))
def test_json_and_dataset_follow_the_vocabulary(capsys, tmp_path, args):
    out = tmp_path / "o.nc"
    assert main(args + ["--json", "--out", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    unknown = [k for k in unit_keys(data) if k not in KEYS]
    assert not unknown, f"JSON keys outside the vocabulary: {unknown}"
    ds = xr.open_dataset(out, engine="h5netcdf")
    for name, var in ds.data_vars.items():
        if name in VARIABLES and UNIT_ATTR[VARIABLES[name]] is not None:
            assert var.attrs.get("units") == UNIT_ATTR[VARIABLES[name]], name


def test_sweep_dataset_follows_the_vocabulary(tmp_path):
    from multigap.study.sweep import load_sweep

    assert (
        main(
            [
                "sweep",
                "--eta",
                "0.5",
                "1",
                "2",
                "--g",
                "0.3",
                "0.4",
                "2",
                "--gaps",
                "--serial",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    ds = load_sweep(tmp_path / "s")
    for name in ("Tc", "Delta", "ratio_2Delta_kTc", "mu_shift", "status"):
        assert name in ds.data_vars
    assert ds.Delta.attrs["units"] == "meV" and ds.Tc.attrs["units"] == "K"


def test_sweep_spec_attribute_is_in_output_units(tmp_path):
    """The exported sweep_spec gives an energy axis in meV, like every other attribute."""
    from multigap.study.sweep import load_sweep

    args = ["sweep", "--eta", "0", "1", "2", "--g", "0.3", "0.3", "1", "--serial", "--quiet"]
    store = str(tmp_path / "s")
    assert main(args + ["--param", "omega0", "300", "330", "2", "--out", store]) == 0
    ds = load_sweep(store)
    param = json.loads(ds.attrs["sweep_spec"])["param"]
    assert param == {"name": "omega0", "start": 300.0, "stop": 330.0, "num": 2, "units": "meV"}
    assert ds.omega0.attrs["units"] == "meV"
