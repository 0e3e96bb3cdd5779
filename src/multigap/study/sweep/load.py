"""Reading a store back: the labelled dataset of a sweep, and its export."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from multigap.errors import ParameterError

#: Status codes of every point: CF flag values and meanings (as for single points).
from multigap.study.store import SweepStore
from multigap.study.sweep.column import store_variables
from multigap.study.sweep.run import store_stamp
from multigap.study.sweep.spec import SweepSpec, parameter_unit


def load_sweep(path: str | Path):
    """The store as an ``xarray.Dataset``; points of missing or unverifiable columns are
    NaN / status −1.

    The dataset has coordinates ``eta``, ``g`` (and ``band`` with gaps), plus the extra
    axis named after its parameter (e.g. ``mass_x``; ``layers_2_width`` for
    ``layers.2.width``) when the sweep has one — the same dimensions as the exported
    file — the variables of the sweep, and ``done``.
    """
    import xarray as xr

    store = SweepStore(path)
    meta = store.meta()
    try:
        spec = SweepSpec.from_fingerprint(meta["sweep_spec"], meta.get("model"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ParameterError(
            "STORE",
            str(path),
            "a readable multigap sweep store (sweep.json "
            f"does not describe a sweep: {type(exc).__name__} {exc})",
        ) from None
    data = _read_columns(store, meta, spec)
    pname = spec.param[0] if spec.param else "none"
    unit = parameter_unit(pname) or "1"
    values = spec.param_values
    if unit == "eV":  # outputs give energies in meV
        from multigap.units import ENERGY_UNIT, energy_out

        values, unit = energy_out(values), ENERGY_UNIT
    coords = {
        "param": ("param", values, {"long_name": pname, "units": unit}),
        "eta": ("eta", spec.eta_values, {"units": "1", "long_name": "Lifshitz parameter"}),
        "g": ("g", spec.g_values, {"units": "1", "long_name": "coupling of the tuned band"}),
    }
    if spec.gaps:
        coords["band"] = ("band", np.arange(1, spec.superlattice.n_bands + 1), {"units": "1"})
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(meta["attrs"])
    ds.attrs["sweep_spec"] = _axes_json(spec, pname, values, unit)
    ds.attrs["swept_parameter"] = pname
    ds.attrs["tuned_band"] = spec.superlattice.tuned_band
    # below_T_min is a search floor, not Tc = 0; state it where the statuses are read
    ds.attrs["T_min_K"] = spec.numerics.t_min
    ds.attrs["n_bands"] = spec.superlattice.n_bands
    if spec.param is None:  # the same dimensions as the exported file
        return ds.isel(param=0, drop=True)
    return ds.rename({"param": axis_name(pname)})


def _read_columns(store: SweepStore, meta: dict, spec: SweepSpec) -> dict:
    """The stored columns as (dims, array, attrs) per variable; unfilled points keep the
    fill value (NaN, or status −1), and ``done`` says which columns are stored.
    """
    npar, neta, ng = spec.shape
    sizes = {"band": spec.superlattice.n_bands}
    variables = store_variables(spec)
    data = {}
    for name, (extra, dtype, fill, attrs) in variables.items():
        shape = (npar, neta, ng) + tuple(sizes[d] for d in extra)
        data[name] = (
            ("param", "eta", "g") + tuple(extra),
            np.full(shape, fill, dtype=dtype),
            attrs,
        )
    done = np.zeros((npar, neta), dtype=np.int8)
    st = store_stamp(meta["sweep_spec"])
    for ip in range(npar):
        for ie in range(neta):
            col = store.read_column(ip, ie, st, variables)
            if col is not None:
                for name in data:
                    data[name][1][ip, ie] = col[name]
                done[ip, ie] = 1
    data["done"] = (("param", "eta"), done, {"long_name": "1 when the column is stored"})
    return data


def _axes_json(spec: SweepSpec, pname: str, values, unit: str) -> str:
    """The axes in output units, as JSON (the inputs are in ``parameters_json``; the store
    keeps its internal fingerprint in sweep.json).
    """
    return json.dumps(
        {
            "eta": list(spec.eta),
            "g": list(spec.g),
            "param": None
            if spec.param is None
            else {
                "name": pname,
                "start": float(values[0]),
                "stop": float(values[-1]),
                "num": len(values),
                "units": unit,
            },
            "gaps": spec.gaps,
            "isotope": spec.isotope,
            "temperature_K": spec.temperature,
        }
    )


def axis_name(parameter: str) -> str:
    """The dimension name of a sweep's extra axis: the parameter's name (dots → _)."""
    return parameter.replace(".", "_")


def extra_axis(ds) -> str | None:
    """The extra axis of a loaded sweep, or None."""
    name = ds.attrs.get("swept_parameter", "none")
    return None if name == "none" else axis_name(name)


def export_sweep(path: str | Path, out: str | Path):
    """Write the store as NetCDF (h5netcdf), or Zarr if *out* ends in ``.zarr``.

    The parameter axis is dropped when the sweep has none.
    """
    ds = load_sweep(path)
    out = Path(out)
    if not out.parent.exists():
        raise ParameterError("FILE", str(out), "a file in an existing directory")
    if out.suffix == ".zarr":
        ds.to_zarr(out, mode="w", consolidated=False)
    else:
        ds.to_netcdf(out, engine="h5netcdf")
    return ds
