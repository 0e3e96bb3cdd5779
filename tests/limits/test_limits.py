"""Exact limits of spec §6, each test naming the formula it checks."""

import numpy as np
import pytest

from multigap.config import Superlattice
from multigap.normal_state import partial_dos
from multigap.superlattice.kronig_penney import solve_subbands
from multigap.superlattice.overlap import bloch_table, pair_overlap, uniform_kz_rule
from multigap.units import HB2M


def test_free_limit_gives_folded_parabolas(bands_free):
    """V = 0, m_w = m_b = m: E_n(kz) = HB2M (kz + G_n)²/m with G folding into the zone,
    i.e. E = HB2M (|kz| + (n−1)π/d)²/m for odd n and HB2M (nπ/d − |kz|)²/m for even n."""
    d = bands_free.period
    kz = np.linspace(0.0, np.pi / d, 41)
    for n in (1, 2, 3):
        k_unfolded = kz + (n - 1) * np.pi / d if n % 2 else n * np.pi / d - kz
        assert np.allclose(bands_free.energy(n, kz), HB2M * k_unfolded**2, rtol=1e-8, atol=1e-14)


def test_free_limit_band_edges_touch(bands_free):
    """V = 0: every gap closes: the top of band n is the bottom of band n+1,
    at HB2M (nπ/d)²/m."""
    d = bands_free.period
    for n in range(1, 3):
        assert bands_free.edges[n - 1, 1] == pytest.approx(bands_free.edges[n, 0], rel=1e-7)
        assert bands_free.edges[n - 1, 1] == pytest.approx(HB2M * (n * np.pi / d) ** 2, rel=1e-7)


def test_free_limit_overlap_is_one(bands_free):
    """V = 0, equal masses: Bloch states are plane waves, |ψ|² ≡ 1, so Ĩ^{nn'} ≡ 1."""
    kz, w = uniform_kz_rule(bands_free, 24)
    I = pair_overlap(bloch_table(bands_free, kz, w))
    assert np.max(np.abs(I - 1.0)) < 1e-12


def test_overlap_tends_to_one_as_barrier_vanishes(free_superlattice):
    """Ĩ → 1 as V → 0: the deviation from 1 shrinks with V (first order in V,
    except where a gap opens, where it is O(1) only in a window that shrinks with V)."""
    deviations = []
    for V in (0.4, 0.1, 0.025):
        sb = solve_subbands(free_superlattice.replace(barrier_height=V))
        kz, w = uniform_kz_rule(sb, 32)
        I = pair_overlap(bloch_table(sb, kz, w))
        W = np.einsum("ak,bl->akbl", w, w) if w.ndim == 2 else np.einsum("k,l->kl", w, w)
        mean_dev = np.sum(np.abs(I - 1.0) * W[None, :, None, :]) / (9 * W.sum())
        deviations.append(mean_dev)
    assert deviations[0] > deviations[1] > deviations[2]
    assert deviations[2] < 0.05


def test_free_limit_dos_is_two_dimensional(bands_free):
    """V = 0: the three folded bands together form one 2D parabola, whose DOS
    (both spins) is m/(π·2·HB2M)·... = 2 N0 = m_x/(2π HB2M), constant above the bottom
    until the third band's top."""
    top3 = bands_free.edges[2, 1]
    E = np.linspace(0.05, 0.95, 7) * top3
    N = partial_dos(bands_free, E).sum(axis=0)
    assert np.allclose(N, 1.0 / (2 * np.pi * HB2M), rtol=1e-6)


def test_square_well_limit_of_wide_barrier():
    """A wide, high barrier isolates the wells: the lowest band narrows towards the
    finite square-well level, which solves k tan(kL/2) = κ (equal masses), and the band
    width, four times the tight-binding hopping, falls as e^{−κW}."""
    from scipy.optimize import brentq

    L, V = 0.85, 1.0
    widths = []
    for W in (1.0, 2.0):
        sb = solve_subbands(Superlattice(L, W, V, 1.0, 1.0, 1.0))
        widths.append(sb.edges[0, 1] - sb.edges[0, 0])
        centre = sb.edges[0].mean()
    f = lambda E: np.sqrt(E) * np.tan(np.sqrt(E / HB2M) * L / 2) - np.sqrt(V - E)  # noqa: E731
    level = brentq(f, 1e-6, min(V, HB2M * (np.pi / L) ** 2) - 1e-9)
    assert centre == pytest.approx(level, rel=1e-6)
    kappa = np.sqrt((V - level) / HB2M)
    assert widths[1] / widths[0] == pytest.approx(np.exp(-kappa * 1.0), rel=0.02)


def test_opaque_barrier_overlap_tends_to_the_thin_film_value():
    """V → ∞ (equal masses): the wells decouple into infinite square wells, ψ_n ∝ sin(nπz/L),
    and Ĩ^{nn'} → (d/L)(1 + δ_nn'/2), independent of kz: 2.471 (diagonal) and 1.647
    (off-diagonal) for the paper's cell. The leading correction is the penetration
    1/(κL) ∝ V^{-1/2}; extrapolated in it from V = 25 and 100 eV, the limit holds to 0.6 %."""
    d_over_l = 1.4 / 0.85
    values = {}
    for V in (25.0, 100.0):
        sb = solve_subbands(Superlattice(0.85, 0.55, V, 1.0, 1.0, 1.0))
        kz = np.linspace(0.0, sb.kz_max, 4)
        I = pair_overlap(bloch_table(sb, kz, np.ones_like(kz)))
        assert np.ptp(I[0, :, 0, :]) < 1e-3 and np.ptp(I[1, :, 2, :]) < 1e-3  # flat in kz
        values[V] = np.array([I[n, 0, n, 0] for n in range(3)] + [I[0, 0, 1, 0], I[1, 0, 2, 0]])
    limit = np.array([1.5, 1.5, 1.5, 1.0, 1.0]) * d_over_l
    far, near = np.abs(values[25.0] - limit), np.abs(values[100.0] - limit)
    assert np.all(near < far)  # it approaches the limit
    extrapolated = 2 * values[100.0] - values[25.0]  # first order in V^{-1/2}
    assert extrapolated == pytest.approx(limit, rel=6e-3)
