"""The model object's operations return results that convert to labelled Datasets."""

import json

import numpy as np
import pytest
import xarray as xr

from multigap.solvers.model import Model


@pytest.fixture(scope="module")
def model():
    return Model.from_preset("A")


def roundtrip(ds, tmp_path, name):
    ds.to_netcdf(tmp_path / name, engine="h5netcdf")
    return xr.open_dataset(tmp_path / name, engine="h5netcdf")


def test_tc_result_to_dataset(model, tmp_path):
    r = model.critical_temperature(1.0, g=0.3)
    ds = roundtrip(r.to_dataset(), tmp_path, "tc.nc")
    assert (
        ds.attrs["Tc_K"] == pytest.approx(r.Tc) and ds.attrs["eta"] == 1.0 and ds.attrs["g"] == 0.3
    )
    point = json.loads(ds.attrs["parameters_json"])["point"]
    assert point["g_matrix"][2][2] == 0.3 and point["mu_mode"] == "fixed_mu"
    assert ds.gap_shape.dims == ("band", "node")
    assert float(np.abs(ds.gap_shape).max()) == pytest.approx(1.0, abs=1e-12)


def test_gap_result_to_dataset(model, tmp_path):
    r = model.zero_temperature_gaps(0.8, g=0.3)
    ds = roundtrip(r.to_dataset(), tmp_path, "gap.nc")
    assert ds.Delta.attrs["units"] == "meV"
    assert ds.Delta.values == pytest.approx(r.delta_average * 1e3)
    assert ds.Delta_kz.dims == ("band", "kz")
    assert ds.attrs["converged"] == 1 and ds.attrs["Tc_K"] == pytest.approx(r.tc.Tc)
    s = r.summary()
    assert s["Delta_ratio"] == pytest.approx(r.delta_average[2] / r.delta_average[1])


def test_isotope_result_to_dataset(model, tmp_path):
    r = model.isotope_coefficient(0.8, g=0.3)
    ds = roundtrip(r.to_dataset(), tmp_path, "iso.nc")
    assert float(ds.alpha) == pytest.approx(r.alpha) and ds.attrs["status"] == "ok"
