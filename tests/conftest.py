"""Shared fixtures: solved subbands of the presets and of the free-electron limit.

The suite runs one test process per core (pytest-xdist). A BLAS that also starts one
thread per core in each of them oversubscribes the machine (OpenBLAS's idle threads spin),
which cost a fifth of the suite's time on 2 cores: every test process, and every process
a test starts, gets one BLAS thread. (The sweeps' own worker processes do the same.)
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before the workers and subprocesses start

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from multigap.config import Superlattice, preset  # noqa: E402
from multigap.superlattice.kronig_penney import solve_subbands  # noqa: E402

threadpool_limits(limits=1, user_api="blas")  # a BLAS loaded before this file (plugins)


@pytest.fixture(scope="session")
def bands_a():
    return solve_subbands(preset("A")[0])


@pytest.fixture(scope="session")
def bands_b():
    return solve_subbands(preset("B")[0])


@pytest.fixture(scope="session")
def free_superlattice():
    """V = 0 with equal masses: the folded free-electron parabola."""
    return Superlattice(
        well_width=0.85,
        barrier_width=0.55,
        barrier_height=0.0,
        mass_well=1.0,
        mass_barrier=1.0,
        mass_x=1.0,
    )


@pytest.fixture(scope="session")
def bands_free(free_superlattice):
    return solve_subbands(free_superlattice)
