"""The explorer's logic, without a browser: a change gives a labelled map, the TOML it
writes gives the same map through ``multigap sweep --config``, a refused input keeps the
map and says why, and overtaken work is dropped.
"""

import time

import numpy as np
import pytest

pytest.importorskip("panel")

from multigap.explore import GRIDS, Explorer, map_dataset  # noqa: E402
from multigap.solvers.model import Model  # noqa: E402
from multigap.status import CODE  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return Explorer()


def test_a_change_gives_a_map_with_its_coordinates_units_and_statuses(explorer):
    first = explorer.dataset
    (e0, e1, ne), (g0, g1, ng) = GRIDS["live"]
    assert dict(first.sizes) == {"eta": ne, "g": ng}
    np.testing.assert_allclose(first.eta, np.linspace(e0, e1, ne))
    assert first.Tc.attrs["units"] == "K"
    assert first.attrs["name"] == "map"  # the sweeps' numerics, recorded
    assert set(np.unique(first.status.values)) <= set(CODE.values())
    explorer.g_inter = 0.05
    second = explorer.dataset
    assert second is not first
    assert second.attrs["explore_state"] == first.attrs["explore_state"] + 1
    assert np.nanmax(second.Tc) < np.nanmax(first.Tc)  # less pair transfer, a lower dome
    assert explorer.message == ""
    explorer.g_inter = 0.10


def test_the_toml_download_gives_the_same_map_through_sweep_config(tmp_path):
    from multigap.cli import main
    from multigap.study.sweep import load_sweep

    x = Explorer(model="B", well_width=0.9, g_inter=0.05, omega0=250.0, g_deep=0.12)
    path = tmp_path / "explore.toml"
    path.write_bytes(x.toml_file().read())
    command = next(line for line in path.read_text().splitlines() if "multigap sweep" in line)
    args = command.split("multigap ")[1].split()
    args[args.index("explore.toml")] = str(path)
    args[args.index("dome")] = str(tmp_path / "dome")
    assert main([*args, "--serial", "--quiet"]) == 0
    swept = load_sweep(tmp_path / "dome").Tc.squeeze(drop=True).transpose("eta", "g")
    np.testing.assert_array_equal(swept.values, x.dataset.Tc.values)


def test_a_refused_input_keeps_the_map_and_shows_the_librarys_message():
    x = Explorer()
    before = x.dataset
    x.param.update(barrier_height=100_000.0, barrier_width=2.0)  # opaque: wells isolated
    assert x.dataset is before
    assert x.message.startswith("not computed:") and "barrier" in x.message.lower()
    x.param.update(barrier_height=4160.0, barrier_width=0.55)
    assert x.message == "" and x.dataset is not before


def test_a_unit_mistake_is_computed_and_flagged():
    x = Explorer()
    x.barrier_height = 4.16  # meant eV
    assert "if you meant eV" in x.message


def test_a_clicked_point_is_read_out():
    x = Explorer()
    x.point = (0.9, 0.3)
    r = x.readout
    assert (r["eta"], r["g"]) == (0.9, 0.3)
    assert r["Tc_K"] > 0 and r["Tc_status"] == "ok" and r["gap_status"] == "ok"
    assert 3.0 < r["ratio_2Delta_t_kTc"] < 6.0
    assert {"non_adiabatic", "bec", "EF_t_over_omega", "kF_xi0_t"} <= set(r)


def test_fifty_rapid_changes_show_the_last_state_only():
    """A load of 50 changes in a row: overtaken maps are dropped (never shown late), and
    the map finally shown is the last state's, bit for bit.
    """
    shown = []
    x = Explorer(background=True)
    x.param.watch(lambda e: shown.append(e.new), "dataset")
    values = np.linspace(-0.2, 0.2, 50)
    for v in values:
        x.g_inter = float(v)
    deadline = time.monotonic() + 300
    while (x.computing or not shown) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not x.computing
    last = shown[-1]
    assert last.attrs["explore_state"] == x._generation["map"]
    assert len(shown) < 25  # most of the 50 were overtaken and dropped
    expect = map_dataset(Model.from_config(x.config), GRIDS["live"], "Tc", "fixed_mu")
    np.testing.assert_array_equal(last.Tc.values, expect.Tc.values)
    assert x.config.pairing.g_inter == pytest.approx(values[-1])


def test_the_bkt_map_and_its_ratio(monkeypatch):
    import multigap.explore.state as state

    monkeypatch.setitem(state.GRIDS, "bkt", ((0.5, 1.0, 2), (0.3, 0.4, 2)))
    x = Explorer(quantity="T_BKT/Tc")
    ds = x.dataset
    assert {"T_BKT", "Tc_MF", "T_BKT_ratio"} <= set(ds)
    ok = np.isfinite(ds.T_BKT_ratio.values)
    assert ok.any() and np.all(ds.T_BKT_ratio.values[ok] <= 1.0)


def test_the_page_builds_and_follows_the_explorer():
    from multigap.explore.app import ExploreView, build_page

    x = Explorer()
    assert build_page(x) is not None
    view = ExploreView(x)
    x.point = (1.0, 0.4)
    cut = view.sources["cut_g"].data
    j = int(np.argmin(np.abs(x.dataset.eta.values - 1.0)))
    np.testing.assert_array_equal(cut["y"], x.dataset.Tc.values[j])
    names = view.sources["lifshitz"].data["name"]
    assert names == ["η = 0", "η = 1", "η = −ω̃/ΔE"]
    assert view.sources["labels"].data["text"]  # the contours are labelled


def test_without_the_extra_the_command_says_what_to_install(monkeypatch, capsys):
    import sys

    from multigap.cli import main

    for name in [m for m in sys.modules if m.startswith("multigap.explore")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "param", None)  # as if param were not installed
    assert main(["explore", "--port", "5999"]) == 2
    err = capsys.readouterr().err
    assert "pip install -e '.[explore]'" in err and err.count("\n") == 1
