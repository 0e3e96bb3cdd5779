"""Sweeps over (η, g) and, optionally, one more model parameter: executors and a resumable store.

The unit of work is a *column*: one value of the extra parameter and one η, with
every g. A column is a pure function of the sweep specification and its indices
(:func:`compute_column`), so its numbers are the same bit for bit whichever
executor runs it: serial, a local process pool or Dask.

The store is a directory: ``sweep.json`` (the specification and provenance) and
one ``columns/p{ip}_e{ie}.npz`` per finished column. Only the parent process
writes, each file to a temporary name and then ``os.replace`` (atomic on POSIX),
so a column file exists exactly when the column is complete. A sweep killed at
any moment (SIGKILL included) resumes by computing the columns whose files are
missing: no completed point is lost or computed twice. ``journal.log`` records
every completion. :func:`load_sweep` assembles the store into an
``xarray.Dataset``; ``multigap export`` writes it to NetCDF (or Zarr).

The package follows the work: :mod:`~multigap.study.sweep.spec` (what is computed),
:mod:`~multigap.study.sweep.column` (the unit of work), :mod:`~multigap.study.sweep.run`
(the store and the executors) and :mod:`~multigap.study.sweep.load` (reading it back).
"""

from multigap.status import STATUS
from multigap.study.sweep.column import compute_column, computed
from multigap.study.sweep.load import axis_name, export_sweep, extra_axis, load_sweep
from multigap.study.sweep.run import open_sweep, run_sweep
from multigap.study.sweep.spec import (
    LAYER_PARAMETER,
    SWEEP_PARAMETERS,
    SweepSpec,
    check_axis,
    parameter_unit,
    with_layer_value,
)

__all__ = [
    "LAYER_PARAMETER",
    "STATUS",
    "SWEEP_PARAMETERS",
    "SweepSpec",
    "axis_name",
    "check_axis",
    "compute_column",
    "computed",
    "export_sweep",
    "extra_axis",
    "load_sweep",
    "open_sweep",
    "parameter_unit",
    "run_sweep",
    "with_layer_value",
]
