"""The figures draw what the data say: a numerical check of the plotted arrays of
Fig. 6 (gap ratios and α), Fig. 8 (Tc against η) and Figs. 10–11 (the dome map), and of
the line plots of `multigap plot`.

The data are synthetic (no solver runs), so these tests check the drawing, not the physics.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr

from multigap import plots
from multigap.study.analysis import window_kinks

matplotlib.use("Agg")

ETA = np.linspace(-0.5, 2.0, 26)
G = np.linspace(0.1, 0.45, 8)


def dome(eta=ETA, g=G):
    """A smooth dome with its top at (η, g) = (1, 0.4) and Tc ~ mK at η < 0."""
    e, gg = np.meshgrid(eta, g, indexing="ij")
    tc = 260.0 * np.exp(-((e - 1.0) ** 2) / 0.5 - ((gg - 0.4) ** 2) / 0.02)
    tc = np.where(e < 0, 1e-3 * (1 + e**2), tc)
    return xr.DataArray(tc, coords={"eta": eta, "g": g}, dims=("eta", "g"), name="Tc")


def line():
    """A Fig. 6 line: band 3 has no Fermi surface for η < 0."""
    band = np.arange(1, 4)
    ratio = np.stack([3.5 - 0.1 * ETA, 1.5 + 0.1 * ETA, 3.8 + 0.05 * ETA], axis=1)
    on_fs = np.ones((ETA.size, 3), dtype=np.int8)
    on_fs[ETA < 0, 2] = 0
    return xr.Dataset(
        {
            "ratio_2Delta_kTc": (("eta", "band"), ratio),
            "on_fermi_surface": (("eta", "band"), on_fs),
            "alpha": ("eta", 0.5 - 0.2 * np.sin(ETA)),
            "Delta": (("eta", "band"), ratio * 10.0),
            "Tc": ("eta", dome().sel(g=0.4, method="nearest").values),
        },
        coords={"eta": ETA, "band": band, "g": 0.25},
        attrs={"tuned_band": 3},
    )


def lines_of(ax):
    return [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 0]


def test_dome_map_draws_the_data_and_stars_its_maximum():
    tc = dome()
    fig = plots.dome_figure(tc, model="A")
    ax = fig.axes[0]
    mesh = ax.collections[0]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).ravel(), tc.T.values.ravel())
    star = [ln for ln in ax.get_lines() if ln.get_marker() == "*"][0]
    i, j = np.unravel_index(np.argmax(tc.values), tc.shape)
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (ETA[i], G[j])
    label = star.get_label()  # the value goes to the legend, off the map
    assert "T_{c,\\max}" in label and f"{tc.values.max():.0f} K" in label
    assert ax.get_title().startswith("Case A")
    plt.close(fig)


def test_dome_map_range_and_log_scale():
    tc = dome()
    fig = plots.dome_figure(tc, eta_range=(0.0, 2.0))
    drawn = np.asarray(fig.axes[0].collections[0].get_array())
    assert drawn.size == tc.sel(eta=slice(0, 2)).size  # η < 0 left out
    plt.close(fig)
    fig = plots.dome_figure(tc, log=True)
    norm = fig.axes[0].collections[0].norm
    assert isinstance(norm, matplotlib.colors.LogNorm)
    assert norm.vmin == pytest.approx(tc.values.min())  # the mK side is resolved
    plt.close(fig)


def test_gap_ratio_figure_flags_the_band_without_a_fermi_surface():
    ds = line()
    fig = plots.gap_ratio_figure(ds, model="A", g=0.25, omega_tilde=233.0, delta_e=274.0)
    top, bottom = fig.axes
    red = [ln for ln in lines_of(top) if ln.get_color() == "tab:red" and ln.get_marker() == "o"]
    hollow = [ln for ln in red if ln.get_markerfacecolor() == "white"]
    filled = [ln for ln in red if ln.get_markerfacecolor() != "white"]
    np.testing.assert_array_equal(hollow[0].get_xdata(), ETA[ETA < 0])
    np.testing.assert_array_equal(filled[0].get_xdata(), ETA[ETA >= 0])
    np.testing.assert_allclose(filled[0].get_ydata(), ds.ratio_2Delta_kTc.sel(band=3)[ETA >= 0])
    alpha = [ln for ln in lines_of(bottom) if ln.get_color() == "black"][0]
    np.testing.assert_allclose(alpha.get_ydata(), ds.alpha)
    kinks = sorted(
        ln.get_xdata()[0]
        for ln in bottom.get_lines()
        if ln.get_linestyle() == "-." and len(ln.get_xdata())
    )
    np.testing.assert_allclose(kinks, window_kinks(233.0, 274.0, (ETA[0], ETA[-1])))
    w = 233.0 / 274.0
    np.testing.assert_allclose(kinks, [1 - w, w, 1 + w])  # −w lies outside η >= −0.5
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("no Fermi surface" in t for t in legend)
    assert any("0.5 < η < 1" in t for t in legend)  # the grey band says what it is
    plt.close(fig)


def test_tc_against_eta_draws_each_column_and_marks_its_kinks():
    tc = dome()
    gs = [0.2, 0.3, 0.4]
    fig = plots.tc_vs_eta_figure(
        tc, gs, delta_e=274.0, omega_tilde=lambda g: 330 * (1 - 2 * g) ** 0.5
    )
    ax = fig.axes[0]
    curves = [ln for ln in lines_of(ax) if ln.get_linestyle() == "-" and ln.get_marker() == "None"]
    assert len(curves) == len(gs)
    for ln, g in zip(curves, gs):
        np.testing.assert_allclose(ln.get_ydata(), tc.sel(g=g, method="nearest").values)
    ticks = [ln for ln in ax.get_lines() if ln.get_marker() == "|"]
    for ln, g in zip(ticks, gs):
        g_drawn = float(tc.sel(g=g, method="nearest").g)
        expect = window_kinks(330 * (1 - 2 * g_drawn) ** 0.5, 274.0, (ETA[0], ETA[-1]))
        np.testing.assert_allclose(ln.get_xdata(), expect)
    plt.close(fig)


def test_sweep_lines_draw_at_most_eight_lines_of_the_data():
    tc = dome(g=np.linspace(0.1, 0.45, 20))
    fig = plots.sweep_lines_figure(tc, "eta", "Tc [K]", model="A")
    drawn = lines_of(fig.axes[0])
    drawn = [ln for ln in drawn if len(ln.get_xdata()) == ETA.size]
    assert len(drawn) == 8
    for ln in drawn:
        g = float(ln.get_label().split("= ")[1])
        np.testing.assert_allclose(ln.get_ydata(), tc.sel(g=g, method="nearest").values)
    plt.close(fig)


def test_window_kinks():
    np.testing.assert_allclose(window_kinks(100.0, 200.0, (-1, 2)), [-0.5, 0.5, 0.5, 1.5])
    np.testing.assert_allclose(window_kinks(100.0, 200.0, (0, 1)), [0.5, 0.5])


@pytest.mark.slow
def test_plot_command_draws_every_kind(tmp_path, capsys):
    """`multigap plot --kind` for maps and lines, `--json` naming what was drawn, and a
    clear error for a kind the sweep lacks the data for."""
    import json

    from multigap.cli import main

    store = tmp_path / "s"
    args = ["sweep", "--eta", "0", "2", "3", "--g", "0.3", "0.4", "2", "--serial", "--quiet"]
    assert main(args + ["--gaps", "--isotope", "--out", str(store)]) == 0
    capsys.readouterr()
    for kind in ("map", "eta", "g", "alpha", "ratio"):
        png = tmp_path / f"{kind}.png"
        assert main(["plot", str(store), str(png), "--kind", kind, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["kind"] == kind
        assert png.stat().st_size > 1000
    assert (
        main(["plot", str(store), str(tmp_path / "l.png"), "--log", "--eta-range", "0", "1"]) == 0
    )
    line = tmp_path / "line"
    assert main(args[:6] + ["0.3", "0.3", "1", "--serial", "--quiet", "--out", str(line)]) == 0
    capsys.readouterr()
    assert main(["plot", str(line), str(tmp_path / "auto.png"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "eta"  # a one-g sweep is a line
    assert main(["plot", str(line), str(tmp_path / "a.png"), "--kind", "alpha"]) == 2
    assert "--isotope" in capsys.readouterr().err
    assert main(["plot", str(line), str(tmp_path / "m.png"), "--kind", "map"]) == 2


def test_gaps_plot_draws_the_gap_across_the_zone(tmp_path, capsys):
    """`multigap gaps --plot` draws Δ_n(kz) of the written dataset and its averages."""
    from multigap.cli import main

    out, png = tmp_path / "g.nc", tmp_path / "g.png"
    assert main(["gaps", "--eta", "1", "--g", "0.3", "--out", str(out), "--plot", str(png)]) == 0
    ds = xr.open_dataset(out, engine="h5netcdf")
    fig = plots.gap_anisotropy_figure(ds, model="A")
    left = fig.axes[0]
    for n in ds.band.values:
        drawn = [ln for ln in left.get_lines() if ln.get_label() == f"$\\Delta_{n}(k_z)$"][0]
        np.testing.assert_allclose(drawn.get_ydata(), ds.Delta_kz.sel(band=n))
        np.testing.assert_allclose(drawn.get_xdata(), ds.kz / ds.kz.max())
        average = [
            ln for ln in left.get_lines() if ln.get_label().startswith(f"$\\bar\\Delta_{n}$")
        ]
        assert average[0].get_ydata()[0] == pytest.approx(float(ds.Delta.sel(band=n)))
        assert average[0].get_zorder() > drawn.get_zorder()  # never hidden by a flat Δ_n(kz)
    assert png.stat().st_size > 1000
    plt.close(fig)


def test_sweep_and_export_json(tmp_path, capsys):
    import json

    from multigap.cli import main

    store = str(tmp_path / "s")
    args = ["sweep", "--eta", "0", "1", "2", "--g", "0.3", "0.3", "1", "--serial", "--quiet"]
    assert main(args + ["--out", store, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["computed"] == 2 and first["shape"] == {"param": 1, "eta": 2, "g": 1}
    assert main(args + ["--out", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["skipped"] == 2  # resumed: nothing recomputed
    assert main(["export", store, str(tmp_path / "s.nc"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sizes"] == {"eta": 2, "g": 1}


def test_each_band_has_one_colour_in_every_figure():
    """Subband n is drawn in band_colour(n) in the DOS, the Fermi contours and Fig. 6."""
    from matplotlib.colors import to_hex

    from multigap import Model

    sb = Model.from_preset("A").subbands
    want = {n: to_hex(plots.band_colour(n)) for n in (1, 2, 3)}
    assert len(set(want.values())) == 3
    figs = {
        "dos": plots.dos_figure(sb, num=21),
        "fermi": plots.fermi_figure(sb, etas=(0.5,)),
        "fig6": plots.gap_ratio_figure(line(), g=0.25),
    }
    for name, fig in figs.items():
        checked = 0
        for ax in fig.axes:
            for ln in ax.get_lines():
                label = ln.get_label()
                for n in (1, 2, 3):
                    if label in (f"subband {n}", f"$2\\bar\\Delta_{n}/k_BT_c$"):
                        assert to_hex(ln.get_color()) == want[n], (name, label)
                        checked += 1
        assert checked >= 2, name
        plt.close(fig)


def test_gap_ratio_figure_marks_where_tc_is_below_the_floor():
    ds = line()
    ds["status"] = ("eta", np.where(ETA < -0.3, 1, 0))
    ds.attrs["t_min"] = 1e-3
    fig = plots.gap_ratio_figure(ds, g=0.25)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "$T_c$ below 1 mK: no gaps" in legend
    plt.close(fig)


def _etas_drawn(fig):
    return [float(ln.get_label().split("= ")[1]) for ln in lines_of(fig.axes[0])]


def test_lines_at_fixed_eta_include_the_lifshitz_lines_and_skip_empty_ones():
    eta = np.linspace(-1.0, 2.0, 31)
    tc = dome(eta=eta).where(lambda d: d.eta > -0.6, 0.0)  # η <= −0.6: Tc = 0 throughout
    fig = plots.sweep_lines_figure(tc, "g", "Tc [K]")
    drawn = _etas_drawn(fig)
    assert 0.0 in drawn and 1.0 in drawn
    assert min(drawn) > -0.6  # no line flat at zero
    plt.close(fig)


def test_lines_at_the_values_asked_for():
    tc = dome()
    fig = plots.sweep_lines_figure(tc, "g", "Tc [K]", at=[0.0, 1.0, 1.1])
    np.testing.assert_allclose(_etas_drawn(fig), [0.0, 1.0, 1.1])
    plt.close(fig)
    with pytest.raises(plots_error()):
        plots.sweep_lines_figure(tc, "g", "Tc [K]", at=[5.0])


def plots_error():
    from multigap.errors import ParameterError

    return ParameterError


def _figures():
    """One of each kind of figure drawn from synthetic data."""
    tc, ds = dome(), line()
    return [
        plots.dome_figure(tc, model="A", eta_range=(0.0, 2.0)),
        plots.dome_figure(tc, log=True),
        plots.tc_vs_eta_figure(tc, [0.2, 0.3, 0.4], delta_e=274.0),
        plots.sweep_lines_figure(tc, "g", "Tc [K]"),
        plots.gap_ratio_figure(ds, model="A", g=0.25, omega_tilde=233.0, delta_e=274.0),
        plots.tc_vs_ratio_figure(ds),
    ]


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_figures_for_a_talk_text_size_and_mathtext():
    """No text under 9 pt, and no literal underscore outside math (E_L, C_N, k_B Tc)."""
    import re

    for fig in _figures():
        for t in _texts(fig):
            assert t.get_fontsize() >= 9, (t.get_text(), t.get_fontsize())
            assert "_" not in re.sub(r"\$[^$]*\$", "", t.get_text()), t.get_text()
        plt.close(fig)


def test_legends_stay_off_the_data():
    """Every legend lies outside every axes of its figure, so it hides no curve."""
    for fig in _figures():
        fig.canvas.draw()
        boxes = [ax.get_window_extent() for ax in fig.axes if ax.get_label() != "<colorbar>"]
        legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        for legend in legends:
            extent = legend.get_window_extent()
            assert not any(extent.overlaps(box) for box in boxes), fig.axes[0].get_title()
        plt.close(fig)


def test_the_lifshitz_lines_are_named_inside_the_map(tmp_path):
    """η = 0 on the left spine (the paper's range 0..2) is named inside the axes."""
    fig = plots.dome_figure(dome(), eta_range=(0.0, 2.0))
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    names = [t for t in ax.texts if "η = " in t.get_text()]
    assert {t.get_text().strip().split(" (")[0] for t in names} == {"η = 0", "η = 1"}
    for t in names:
        extent = t.get_window_extent()
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, t.get_text()
    path = plots.save(fig, tmp_path / "dome.png")
    from PIL import Image

    dpi = Image.open(path).info["dpi"]
    assert round(dpi[0]) == plots.DPI == 200
