"""Shared fixtures: solved subbands of the presets and of the free-electron limit."""

import pytest

from multigap.config import Superlattice, preset
from multigap.superlattice.kronig_penney import solve_subbands


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
