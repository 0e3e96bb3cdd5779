"""Invariances of the superconducting solvers: a gauge symmetry of the couplings, the
continuity of Tc(η) across the Lifshitz points and the window edge, and the interlacing
that forbids a dip of Tc below the background of the bands without the tuned one."""

import numpy as np
import pytest

from multigap.config import preset
from multigap.solvers.model import Model

G = 0.3


def model_with(g_inter) -> Model:
    sl, pa = preset("A")
    return Model(sl, pa.replace(g_inter=g_inter))


@pytest.fixture(scope="module")
def attractive():
    return model_with(0.10)


@pytest.fixture(scope="module")
def flipped():
    """Every coupling between band 3 and the others negated (g_12 kept): a gauge
    transformation Δ_3 → −Δ_3 of the gap equation."""
    return model_with(((0.10, 0.10, -0.10), (0.10, 0.10, -0.10), (-0.10, -0.10, 0.10)))


@pytest.mark.parametrize("eta", [0.5, 1.0, 1.4])
def test_flipping_one_band_coupling_signs_changes_no_tc_and_no_gap_magnitude(
    attractive, flipped, eta
):
    """Tc, |Δ̄_n| and μ_S unchanged to the solvers' tolerances; the flipped model's deep
    gaps have the opposite sign to the tuned band's (reported as Delta_sign = −1)."""
    a = attractive.critical_temperature(eta, g=G).Tc
    b = flipped.critical_temperature(eta, g=G).Tc
    assert b == pytest.approx(a, rel=1e-7)
    ga, gb = attractive.gaps(eta, g=G), flipped.gaps(eta, g=G)
    assert gb.delta_magnitude == pytest.approx(ga.delta_magnitude, rel=1e-7)
    assert gb.mu == pytest.approx(ga.mu, abs=1e-9)
    assert list(ga.relative_sign) == [1, 1, 1] and list(gb.relative_sign) == [-1, -1, 1]
    s = gb.summary()
    assert min(s["Delta_meV"]) > 0 and s["Delta_sign"] == [-1, -1, 1]
    assert min(s["ratio_2Delta_kTc"]) > 0 and min(s["kF_xi0"]) > 0


def test_repulsive_interband_coupling_takes_the_largest_algebraic_eigenvalue():
    """All interband couplings repulsive (−0.1), a supported case: Tc is where the largest
    algebraic eigenvalue of the kernel (not the largest in magnitude) equals 1, and the
    gaps come out as magnitudes with their signs, the tuned band's positive."""
    m = model_with(-0.10)
    tc = m.critical_temperature(1.0, g=G)
    assert tc.status == "ok" and tc.Tc > 0
    from multigap.units import K_B

    assert tc.kernel.eigenvalues(K_B * tc.Tc)[0] == pytest.approx(1.0, abs=1e-5)
    r = m.gaps(1.0, g=G)
    assert r.converged and np.all(r.delta_magnitude > 0)
    assert r.relative_sign[m.tuned] == 1


def steps(model, centre, h, mode, n=3):
    """The largest |ΔTc| between neighbours on η = centre + h·(−n … n)."""
    eta = centre + h * np.arange(-n, n + 1)
    tc = np.array([model.critical_temperature(float(e), g=G, mu_mode=mode).Tc for e in eta])
    return np.max(np.abs(np.diff(tc)))


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["fixed_mu", "fixed_density"])
@pytest.mark.parametrize("where", ["window edge", "type I", "type II"])
def test_tc_is_continuous_across_the_lifshitz_points_and_the_window_edge(attractive, mode, where):
    """Tc(η) has no jump at η = −ω̃/ΔE (band 3 enters the window), η = 0 and η = 1: on
    a grid around each, the largest step between neighbours shrinks as the grid is
    refined (by at least 3 for a factor 10)."""
    m = attractive
    centre = {
        "window edge": -m.cutoff(G) / m.subbands.tuned_width,
        "type I": 0.0,
        "type II": 1.0,
    }[where]
    coarse, fine = (steps(m, centre, h, mode) for h in (1e-3, 1e-4))
    assert fine < coarse / 3


def test_tc_is_never_below_the_background_of_the_deep_bands(attractive):
    """Interlacing: on the antiresonant side (η < 0, at g = 0.3), Tc with band 3 is at
    least the Tc of the deep bands alone (band 3's couplings zero, same μ and ω̃)."""
    import xarray as xr

    from multigap.reproduce import MAP_NUMERICS, interlacing_check

    m = attractive.with_numerics(MAP_NUMERICS)
    eta = np.linspace(-0.9, -0.05, 8)
    tc = np.array([m.critical_temperature(float(e), g=G).Tc for e in eta])
    column = xr.DataArray(tc, coords={"eta": eta}, dims="eta").assign_coords(g=G)
    check = interlacing_check(attractive, column)
    assert check["points"] == 8 and check["above"] == 8 and check["min_ratio"] >= 1 - 1e-6
