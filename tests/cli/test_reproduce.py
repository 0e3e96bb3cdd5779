"""``multigap reproduce --quick`` writes every figure, its data and a report with every claim."""

import json

import pytest

from multigap.cli import main

pytestmark = pytest.mark.slow

FIGURES = [
    "fig03_dos_A",
    "fig03_dos_B",
    "fig03c_fermi_A",
    "fig03c_fermi_B",
    "fig04_cutoff",
    "fig05_overlap_A",
    "fig05_overlap_B",
    "fig06_gaps_isotope_A",
    "fig06_gaps_isotope_B",
    "fig07_tc_ratio_A",
    "fig07_tc_ratio_B",
    "fig08_tc_eta_A_linear",
    "fig08_tc_eta_A_semilog",
    "fig08_tc_eta_B_linear",
    "fig08_tc_eta_B_semilog",
    "fig09_tc_g_A",
    "fig10_dome_A",
    "fig10_dome_A_extended",
    "fig11_dome_B",
    "fig11_dome_B_extended",
    "fig_sensitivity_B",
    "fig_thermo_A",
    "fig_thermo_B",
    "fit_h3s_schematic",
    "design_A",
    "bkt_dome_A",
    "bkt_dome_B",
    "bkt_ratio_A",
    "bkt_ratio_B",
    "bkt_jzz_bands_A",
]
DATA = [
    "fig03_dos_A",
    "fig03_dos_B",
    "fig03c_fermi_A",
    "fig03c_fermi_B",
    "fig04_cutoff",
    "fig05_overlap_A",
    "fig05_overlap_B",
    "fig10_11_map_A",
    "fig10_11_map_B",
    "fig06_07_line_A",
    "fig06_07_line_B",
    "sensitivity_B_mass_x",
    "sensitivity_B_mass_well_fixed_width",
    "sensitivity_B_g_inter",
    "thermo_A",
    "thermo_B",
]
#: One fragment of every claim of the paper checked (and the two cut-off values, k_F ξ0 and the
#: Allen–Dynes comparison).
CLAIMS = [
    "A: Tc,max ≈ 250 K",
    "falls for 0.4 < g < 0.5",
    "Fano antiresonance",
    "A: for 0.5 < η < 1, 2Δ2/Tc",
    "B: for 0.5 < η < 1, 2Δ2/Tc",
    "Δ3/Δ2 is 2.6–2.9",
    "Δ3/Δ2 is 3.5–3.9",
    "isotope coefficient peaks near η = 0",
    "B: Tc,max ≈ 330 K",
    "ω̃ = 160 meV",
    "ω̃ = ΔE = 145 meV",
    "A: k_F ξ0 ~ 10",
    "B: k_F ξ0 ~ 10",
    "A: the shape resonance amplifies Tc",
    "B: the shape resonance amplifies Tc",
    "with phase fluctuations",
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("repro") / "results"
    assert main(["reproduce", "--out", str(out), "--quick", "--quiet"]) == 0
    return out


def test_every_figure_in_png_and_pdf(quick_run):
    for stem in FIGURES:
        for ext in ("png", "pdf"):
            f = quick_run / "figures" / f"{stem}.{ext}"
            assert f.exists() and f.stat().st_size > 5000, f


def test_data_behind_every_figure(quick_run):
    import xarray as xr

    for stem in DATA:
        ds = xr.open_dataset(quick_run / "data" / f"{stem}.nc", engine="h5netcdf")
        assert (
            ds.attrs.get("multigap_version") or ds.attrs.get("sweep_spec") or stem == "fig04_cutoff"
        )


def test_report_has_every_claim_and_retraction(quick_run):
    md = (quick_run / "report.md").read_text()
    page = (quick_run / "report.html").read_text()
    claims = json.loads((quick_run / "claims.json").read_text())
    for fragment in CLAIMS:
        assert fragment in md and any(fragment in c["claim"] for c in claims), fragment
    for c in claims:
        assert c["verdict"] in ("agrees", "differs")
        assert c["verdict"] == "agrees" or c["why"], c
    assert "retracted in 2022" in md and "retracted in 2022" in page
    assert page.count("data:image/png;base64,") == len(FIGURES)  # self-contained
    assert "<table>" in page


def test_case_b_discrepancy_is_reported(quick_run):
    claims = json.loads((quick_run / "claims.json").read_text())
    row = next(c for c in claims if "B: Tc,max ≈ 330 K" in c["claim"])
    assert row["verdict"] == "differs" and "sensitivity" in row["why"]


def test_docs_claims_table_lists_the_claims_reproduce_makes(quick_run):
    """docs/claims_table.md (committed, from `python docs/make_claims_table.py`) has the
    claims the current reproduction checks, in order: regenerate it when they change."""
    from pathlib import Path

    claims = json.loads((quick_run / "claims.json").read_text())
    table = (Path(__file__).resolve().parents[2] / "docs" / "claims_table.md").read_text()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "**" in line]
    assert [r.split(" | ")[0][2:] for r in rows] == [c["claim"] for c in claims]


def test_a_rerun_reuses_every_column_and_says_so(quick_run, capsys):
    assert main(["reproduce", "--out", str(quick_run), "--quick", "--quiet"]) == 0
    out = capsys.readouterr().out
    import re

    assert re.search(r"Reused (\d+) of \1 sweep columns", out), out[-300:]
    record = json.loads((quick_run / "reproduce.json").read_text())
    assert all(v["computed"] == 0 for v in record["reused"].values())
    assert max(len(line) for line in out.splitlines()[:-2]) <= 100  # the claims table


def test_report_renders_in_a_browser(quick_run, tmp_path):
    """report.html in headless Chromium: the claims table and the figures show (offline:
    the page is self-contained), and it holds the same sections as report.md.
    """
    from browser import looks_rendered, rendered_dom, screenshot

    url = (quick_run / "report.html").as_uri()
    seen = looks_rendered(screenshot(url, tmp_path / "report.png", tmp_path / "p"))
    assert seen["ink"] > 0.03 and seen["colours"] > 50, seen
    dom = rendered_dom(url, tmp_path / "p")
    headings = [line[3:] for line in (quick_run / "report.md").read_text().splitlines()
                if line.startswith("## ")]  # fmt: skip
    for heading in headings:
        assert f"<h2>{heading}</h2>" in dom.replace("&amp;", "&"), heading
    assert dom.count("<img") == len(FIGURES)
