"""Baseline images of five figures: a change to how a figure looks fails here until its
baseline is regenerated on purpose, with

    python -m pytest tests/figures --mpl-generate-path=tests/figures/baseline

and the new images reviewed. The data are synthetic or from the preset (no solve), so
the images depend only on the drawing code and matplotlib. ``--mpl`` (set in the
project's pytest options) makes pytest-mpl compare; tolerance is an RMS of 2 on 0–255.
"""

import numpy as np
import pytest
import xarray as xr

from multigap import plots

pytest.importorskip("pytest_mpl")

COMPARE = dict(baseline_dir="baseline", tolerance=2, style="default",
               savefig_kwargs={"dpi": 80, "bbox_inches": "tight"})  # fmt: skip
ETA = np.linspace(-0.5, 2.0, 26)
G = np.linspace(0.1, 0.45, 8)


def _dome():
    """A smooth dome with its top at (η, g) = (1, 0.4), µK–mK at η < 0, and regime flags."""
    e, g = np.meshgrid(ETA, G, indexing="ij")
    tc = 260.0 * np.exp(-((e - 1.0) ** 2) / 0.5 - ((g - 0.4) ** 2) / 0.02)
    tc = np.where(e < 0, 1e-3 * (1 + e**2) * g, tc)
    coords = {"eta": ETA, "g": G}
    return xr.Dataset(
        {
            "Tc": (("eta", "g"), tc),
            "non_adiabatic": (("eta", "g"), ((e > 0) & (e < 0.6)).astype(np.int8)),
            "bec": (("eta", "g"), (e < 0).astype(np.int8)),
        },
        coords=coords,
    )


@pytest.mark.mpl_image_compare(**COMPARE)
def test_dome_map():
    ds = _dome()
    return plots.dome_figure(ds.Tc, model="A", eta_range=(0.0, 2.0), regimes=ds)


@pytest.mark.mpl_image_compare(**COMPARE)
def test_log_dome_map():
    ds = _dome()
    return plots.dome_figure(ds.Tc, model="A", log=True, regimes=ds)


@pytest.mark.mpl_image_compare(**COMPARE)
def test_gap_ratios_and_isotope_coefficient():
    band = np.arange(1, 4)
    ratio = np.stack([3.5 - 0.1 * ETA, 1.5 + 0.1 * ETA, 3.8 + 0.05 * ETA], axis=1)
    on_fs = np.ones((ETA.size, 3), dtype=np.int8)
    on_fs[ETA < 0, 2] = 0
    line = xr.Dataset(
        {
            "ratio_2Delta_kTc": (("eta", "band"), ratio),
            "on_fermi_surface": (("eta", "band"), on_fs),
            "alpha": ("eta", 0.5 - 0.2 * np.sin(ETA)),
            "status": ("eta", np.where(ETA < -0.3, 1, 0)),
        },
        coords={"eta": ETA, "band": band, "g": 0.25},
        attrs={"tuned_band": 3, "t_min": 1e-3},
    )
    return plots.gap_ratio_figure(line, model="A", g=0.25, omega_tilde=233.0, delta_e=274.0)


@pytest.mark.mpl_image_compare(**COMPARE)
def test_thermodynamics():
    t = np.concatenate([np.linspace(0.05, 0.99, 20), [1.02, 1.05, 1.1]])
    below = np.sqrt(np.clip(1 - t, 0, None))
    delta = np.stack([9.4 * below, 9.1 * below, 42.8 * below], axis=1)
    c = np.where(t < 1, 2.3 * t**2.5 + 0.01, 1.0)
    ds = xr.Dataset(
        {"Delta": (("T", "band"), delta), "C_over_CN": ("T", c)},
        coords={"T": 258.4 * t, "band": np.arange(1, 4)},
        attrs={"Tc_K": 258.4, "specific_heat_jump": 1.31, "eta": 1.0, "g": 0.4},
    )
    return plots.thermo_figure(ds, model="A")


@pytest.mark.mpl_image_compare(**COMPARE)
def test_heterostructure():
    from multigap import Model

    return plots.structure_figure(Model.from_preset("A").subbands, model="A")
