"""The default grids are converged: Tc within 0.2 % of a run with every grid doubled
(twice the panel orders in z, kx and kz, finest graded panels halved)."""

import pytest

from multigap.solvers.model import Model


@pytest.mark.parametrize(
    "model, eta, g", [("A", 1.0, 0.4), ("A", 0.05, 0.25), ("B", 0.6, 0.35), ("A", -0.2, 0.3)]
)
def test_tc_converged_against_doubled_grids(model, eta, g):
    base = Model.from_preset(model)
    fine = base.with_numerics(base.numerics.refined())
    a = base.critical_temperature(eta, g=g)
    b = fine.critical_temperature(eta, g=g)
    assert a.status == b.status == "ok"
    assert a.Tc == pytest.approx(b.Tc, rel=2e-3)


def test_gaps_converged_against_doubled_grids():
    base = Model.from_preset("A")
    fine = base.with_numerics(base.numerics.refined())
    a = base.zero_temperature_gaps(0.8, g=0.25)
    b = fine.zero_temperature_gaps(0.8, g=0.25)
    assert a.delta_average == pytest.approx(b.delta_average, rel=2e-3)
