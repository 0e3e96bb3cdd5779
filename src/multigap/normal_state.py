"""Normal state: Lifshitz parameter η ↔ μ, DOS, density, entropy, Fermi contours.

Conventions: wires are free along x, ε_n(k) = HB2M kx²/m_x + E_n(kz), a two-dimensional
gas with densities per unit area of the (x, z) plane (nm⁻²) and a DOS in states/(eV·nm²);
wells are free along x and y, a three-dimensional gas with densities per unit volume
(nm⁻³) and a DOS in states/(eV·nm³). The measure of the free motion comes from
:mod:`multigap.free_motion.motion`. Both spins are counted; only the ``n_bands`` subbands kept
contribute. Fermi contours (kx against kz) are drawn for wires.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from multigap.errors import ParameterError
from multigap.free_motion.motion import free_motion
from multigap.quadrature import crossing_breakpoints, graded_unit_rule, panels
from multigap.roots import bracketed_root, secant_root
from multigap.superlattice.kronig_penney import Subbands, discriminant
from multigap.units import HB2M, thermal_energy

__all__ = [
    "density_mu",
    "chemical_potential",
    "lifshitz_parameter",
    "partial_dos",
    "total_dos",
    "density",
    "entropy",
    "chemical_potential_at_density",
    "chemical_potentials_at_density",
    "fermi_contour",
    "fermi_contours",
    "fermi_surface_average",
    "fermi_surface_averages",
]


def chemical_potential(subbands: Subbands, eta: ArrayLike) -> np.ndarray:
    """μ = E_L + η ΔE, in eV, for Lifshitz parameters η (dimensionless)."""
    try:
        eta = np.asarray(eta, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("eta", eta, "finite numbers") from None
    if not np.all(np.isfinite(eta)):
        raise ParameterError("eta", eta.tolist() if eta.ndim else float(eta), "finite numbers")
    return subbands.lifshitz_energy + eta * subbands.tuned_width


def lifshitz_parameter(subbands: Subbands, mu: ArrayLike) -> np.ndarray:
    """η = (μ − E_L)/ΔE for chemical potentials μ in eV."""
    return (np.asarray(mu, dtype=float) - subbands.lifshitz_energy) / subbands.tuned_width


def _from_minimum(subbands: Subbands, band: int, q: np.ndarray) -> np.ndarray:
    """Kz at distance q from the band minimum (kz = 0 for odd bands, π/d for even)."""
    return q if band % 2 == 1 else subbands.kz_max - q


def _slope(subbands: Subbands, E: np.ndarray) -> np.ndarray:
    """dD/dE at energies E (eV⁻¹), by a central difference (relative error ~1e-10)."""
    h = 1e-6
    sl = subbands.superlattice
    return (discriminant(sl, E + h) - discriminant(sl, E - h)) / (2.0 * h)


def _energy_below(
    subbands: Subbands, band: int, E_ref: np.ndarray, kz_ref: np.ndarray, dkz: np.ndarray
) -> np.ndarray:
    """E_ref − E_n(kz_ref − dkz) without cancellation, for E_ref = E_n(kz_ref).

    Far from the reference the direct difference (with the interpolated E_n,
    accurate to 1e-12 eV) is exact enough; close to it (below 1e-7 eV) we use
    D(E_ref) − D(E) = cos(kz_ref d) − cos(kz d), written as a product of sines,
    over the slope dD/dE at E_ref (relative error ~1e-7 there).
    """
    d = subbands.period
    kz = kz_ref - dkz
    direct = E_ref - subbands.energy_interpolated(band, kz)
    num = -2.0 * np.sin((2.0 * kz_ref - dkz) * d / 2.0) * np.sin(dkz * d / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = num / _slope(subbands, E_ref)
    return np.where(np.abs(direct) < 1e-7, linear, direct)


def _tip_integral(subbands: Subbands, band: int, mu: np.ndarray, power: float, weight=None):
    """∫_0^{π/d} dkz (μ − E_n(kz))^power θ(μ − E_n), power ∈ {−½, 0, ½, 1}.

    Below the band top the region is [0, K] in the distance q from the band
    minimum, K the Fermi-contour tip; the substitution q = K(1 − u²) removes
    the square root at the tip, and panels graded towards u = 0 resolve the
    logarithmic crossover near the band top (η → 1). Above the band top the
    integrand peaks at the top, q = π/d, and the panels are graded there.
    μ − E_n is computed without cancellation near the tip (``_energy_below``).

    With ``weight(kz, index)`` (kz of shape (len(index), k) for the entries
    ``index`` of μ) it returns the weighted integral and the plain one, from the
    same nodes.
    """
    num = subbands.numerics
    u, wu = graded_unit_rule(num.dos_levels, num.dos_order)
    bottom, top = subbands.edges[band - 1]
    mu = np.atleast_1d(np.asarray(mu, dtype=float))
    out, weighted = np.zeros(mu.shape), np.zeros(mu.shape)
    kmax = subbands.kz_max
    sign = 1.0 if band % 2 == 1 else -1.0  # kz = q (odd band) or π/d − q (even band)

    inner = (mu > bottom) & (mu < top)
    if inner.any():
        m = mu[inner][:, None]
        kz_tip = subbands.wavevector(band, m)
        K = kz_tip if band % 2 == 1 else kmax - kz_tip
        gap = _energy_below(subbands, band, m, kz_tip, sign * K * u[None, :] ** 2)
        terms = 2.0 * K * u[None, :] * np.maximum(gap, 1e-300) ** power
        out[inner] = terms @ wu
        if weight is not None:
            kz = _from_minimum(subbands, band, K * (1.0 - u[None, :] ** 2))
            weighted[inner] = (terms * weight(kz, np.flatnonzero(inner))) @ wu
    above = mu >= top
    if above.any():
        m = mu[above]
        kz_top = kmax if band % 2 == 1 else 0.0
        below_top = _energy_below(
            subbands, band, np.array([top]), np.array([kz_top]), sign * kmax * u
        )
        gap = (m[:, None] - top) + np.maximum(below_top, 0.0)[None, :]
        with np.errstate(divide="ignore"):
            terms = kmax * gap**power
        out[above] = terms @ wu
        if weight is not None:
            # u is the distance from the band top (in units of π/d): weigh f at that kz
            kz = np.broadcast_to(_from_minimum(subbands, band, kmax * (1.0 - u)), terms.shape)
            weighted[above] = (terms * weight(kz, np.flatnonzero(above))) @ wu
        if power < 0:  # the 1D van Hove point of the band top: a log divergence
            out[above & np.isclose(mu, top, rtol=0.0, atol=1e-13)] = np.inf
    return out if weight is None else (weighted, out)


def fermi_surface_averages(subbands: Subbands, band: int, mu: np.ndarray, values):
    """DOS-weighted Fermi-surface averages of functions of kz over band n, one per μ.

    Parameters
    ----------
    subbands : Subbands
    band : int
        1-based band.
    mu : numpy.ndarray, shape (m,)
        Chemical potentials in eV.
    values : callable
        ``values(kz, index)``: the functions of the entries ``index`` of μ at kz
        (nm⁻¹, shape (len(index), k)), of the same shape.

    Returns
    -------
    average : numpy.ndarray, shape (m,)
        ∫dkz f(kz) N_n(kz; μ) / ∫dkz N_n(kz; μ), N_n(kz; μ) ∝ (μ − E_n(kz))^{−½}
        the kz-resolved normal-state DOS at μ.
    on_fermi_surface : numpy.ndarray of bool, shape (m,)
        False when band n has no Fermi surface at μ (μ below its bottom); the
        value is then f at the kz of the band minimum, the state nearest the
        Fermi level. Exactly at the band top (the log van Hove point) the
        average is its limit, f at the band top.
    """
    mu = np.atleast_1d(np.asarray(mu, dtype=float))
    bottom, top = subbands.edges[band - 1]
    on_fs = mu > bottom
    # exactly at the band top the DOS weight diverges (log) there: the limit is f(top)
    at_top = np.isclose(mu, top, rtol=0.0, atol=1e-13)
    avg = np.empty(mu.shape)
    for where, kz_edge in (
        (~on_fs, 0.0 if band % 2 == 1 else subbands.kz_max),
        (at_top, subbands.kz_max if band % 2 == 1 else 0.0),
    ):
        if where.any():
            idx = np.flatnonzero(where)
            avg[idx] = values(np.full((idx.size, 1), kz_edge), idx)[:, 0]
    if (on_fs & ~at_top).any():
        on = np.flatnonzero(on_fs & ~at_top)
        num, den = _tip_integral(
            subbands,
            band,
            mu[on],
            free_motion(subbands.superlattice).dos_power,
            weight=lambda kz, i: values(kz, on[i]),
        )
        avg[on] = num / den
    return avg, on_fs


def fermi_surface_average(subbands: Subbands, band: int, mu: float, values) -> tuple[float, bool]:
    """The DOS-weighted Fermi-surface average of one function f(kz) over band n at μ (eV).

    ``values`` maps kz (nm⁻¹, array) to f(kz). See :func:`fermi_surface_averages`.
    """
    avg, on_fs = fermi_surface_averages(
        subbands, band, np.array([float(mu)]), lambda kz, index: values(kz)
    )
    return float(avg[0]), bool(on_fs[0])


def partial_dos(subbands: Subbands, energy: np.ndarray) -> np.ndarray:
    """Partial DOS N_n(E) of every subband, both spins, per unit area.

    Parameters
    ----------
    subbands : Subbands
    energy : array_like, shape (m,)
        Energies in eV.

    Returns
    -------
    numpy.ndarray, shape (n_bands, m)
        N_n(E) in states/(eV·nm²). Infinite exactly at a band top (log van Hove
        singularity, η = 1 for the tuned band).

    Notes
    -----
    N_n(E) = ∫ dkz/2π (1/π) sqrt(m_x/(HB2M (E − E_n(kz)))) θ(E − E_n(kz)) over the
    zone, evaluated as (1/π²) sqrt(m_x/HB2M) ∫_0^{π/d} dkz (…)^{−½}.
    The inverse-square-root edge is removed by substitution (see
    ``_tip_integral``), so the step at η = 0 and the log peak at η = 1 come out
    without smoothing.
    """
    free = free_motion(subbands.superlattice)
    energy = _finite_energies("energy", energy)
    return np.array(
        [
            free.dos_prefactor * _tip_integral(subbands, n, energy, free.dos_power)
            for n in range(1, subbands.n_bands + 1)
        ]
    )


def total_dos(subbands: Subbands, energy: np.ndarray) -> np.ndarray:
    """Total DOS Σ_n N_n(E), in states/(eV·nm²)."""
    return partial_dos(subbands, energy).sum(axis=0)


def _finite_energies(name: str, values) -> np.ndarray:
    try:
        out = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError(name, values, "finite energies in eV") from None
    if not np.all(np.isfinite(out)):
        raise ParameterError(name, values, "finite energies in eV (not NaN or inf)")
    return out


def _temperatures(mu: np.ndarray, temperature) -> np.ndarray:
    try:
        T = np.broadcast_to(np.asarray(temperature, dtype=float), mu.shape)
    except (TypeError, ValueError):
        raise ParameterError("temperature", temperature, "finite temperatures >= 0 K") from None
    if not np.all(np.isfinite(T) & (T >= 0)):
        raise ParameterError("temperature", temperature, "finite temperatures >= 0 K")
    return T


def _thermal_kz_integral(
    subbands: Subbands, n: int, mu: np.ndarray, T: np.ndarray, per_kz
) -> np.ndarray:
    """(1/π)∫_0^{π/d} dkz per_kz(E_n(kz) − μ, k_B T) for T > 0, with kz panels graded on
    both sides of the contour tip down to the thermal width.
    """
    num = subbands.numerics
    kmax = subbands.kz_max
    bottom, top = subbands.edges[n - 1]
    kT = thermal_energy(T)
    if np.all((top < mu - 40.0 * kT) | (bottom > mu + 40.0 * kT)):
        # no contour tip within 40 k_B T: the kz integrand is smooth (and analytic)
        kz, w = panels(np.broadcast_to(np.linspace(0.0, kmax, 9), (mu.size, 9)), num.dos_order)
    else:
        K = subbands.wavevector(n, mu)  # tip in kz (clipped)
        slope = (top - bottom) / kmax
        width = 0.5 * kT / slope + 1e-12
        need = int(np.ceil(np.log2(kmax / np.min(width) + 1.0))) + 1  # levels spanning the zone
        levels = max(need, min(num.kx_levels, need + 2))
        br = crossing_breakpoints(np.zeros_like(mu), np.full_like(mu, kmax), K, width, levels)
        kz, w = panels(br, num.dos_order)
    E = subbands.energy_interpolated(n, kz)
    return np.sum(w * per_kz(E - mu[:, None], kT[:, None]), axis=-1) / np.pi


def density(subbands: Subbands, mu: ArrayLike, temperature=0.0) -> np.ndarray:
    """Electron density of every subband, both spins, per unit area.

    Parameters
    ----------
    subbands : Subbands
    mu : array_like, shape (m,)
        Chemical potentials in eV.
    temperature : float or array_like
        T in K (>= 0), one value or one per μ.

    Returns
    -------
    numpy.ndarray, shape (n_bands, m)
        ρ_n(μ, T) in nm⁻².

    Notes
    -----
    ρ_n = (2/π²) ∫_0^{π/d} dkz ∫_0^∞ dkx f(HB2M kx²/m_x + E_n(kz) − μ). At T = 0
    the kx integral is the Fermi wavevector and the kz integral uses the same
    tip substitution as the DOS; at T > 0, graded panels around the Fermi
    crossing in both kx and kz.
    """
    mu = _finite_energies("mu", mu)
    T = _temperatures(mu, temperature)
    out = np.empty((subbands.n_bands, mu.size))
    cold, warm = T == 0, T > 0
    num = subbands.numerics
    free = free_motion(subbands.superlattice)
    rule = lambda e, kT: free.normal_density(e, kT, order=num.kx_order, levels=num.kx_levels)  # noqa: E731
    for n in range(1, subbands.n_bands + 1):
        if cold.any():
            out[n - 1, cold] = free.density_prefactor * _tip_integral(
                subbands, n, mu[cold], free.density_power
            )
        if warm.any():
            out[n - 1, warm] = _thermal_kz_integral(subbands, n, mu[warm], T[warm], rule)
    return out


def entropy(subbands: Subbands, mu: ArrayLike, temperature) -> np.ndarray:
    """Normal-state entropy of every subband per unit area, in units of k_B (nm⁻²).

    S_n = ∫dkz/2π ∫dkx/2π s(ξ), s = −2[f ln f + (1 − f) ln(1 − f)] (both spins),
    ξ = HB2M kx²/m_x + E_n(kz) − μ; zero at T = 0. ``temperature`` in K, one value or
    one per μ. Shape (n_bands, m).
    """
    mu = np.atleast_1d(np.asarray(mu, dtype=float))
    T = _temperatures(mu, temperature)
    out = np.zeros((subbands.n_bands, mu.size))
    warm = T > 0
    num = subbands.numerics
    free = free_motion(subbands.superlattice)
    rule = lambda e, kT: free.normal_entropy(e, kT, order=num.kx_order, levels=num.kx_levels)  # noqa: E731
    for n in range(1, subbands.n_bands + 1):
        if warm.any():
            out[n - 1, warm] = _thermal_kz_integral(subbands, n, mu[warm], T[warm], rule)
    return out


def chemical_potentials_at_density(
    subbands: Subbands, rho, temperature=0.0, *, xtol: float = 1e-12, mu_cold=None
) -> np.ndarray:
    """The μ (eV) at which the normal-state density equals ρ (nm⁻²) at T (K), for arrays
    of densities and temperatures (broadcast), solved together.

    ``mu_cold`` (eV, broadcast like ρ), when given, is a μ at which the T = 0 density is
    ρ (such as the μ_N that defined ρ): the T = 0 search is then skipped.

    At T = 0 the whole band range brackets the root; at T > 0 the search starts from the
    T = 0 solution with a Newton step on the T = 0 DOS (the thermal shift is small) and
    goes on by safeguarded secant steps; where those do not settle it, it expands to a
    bracket and converges by Illinois iterations.
    """
    rho, T = np.broadcast_arrays(
        np.atleast_1d(np.asarray(rho, dtype=float)),
        np.atleast_1d(np.asarray(temperature, dtype=float)),
    )
    if not np.all(np.isfinite(rho) & (rho > 0)):
        raise ParameterError(
            "rho", rho.tolist(), "finite densities > 0 (nm^-2 for wires, nm^-3 for wells)"
        )
    idx = np.arange(rho.size)
    if mu_cold is None:
        mu0 = _cold_chemical_potentials(subbands, rho, xtol)
    else:
        mu0 = np.broadcast_to(np.asarray(mu_cold, dtype=float), rho.shape).copy()
    if not np.any(T > 0):
        return mu0
    warm = lambda m, i: density(subbands, m, T[i]).sum(axis=0) - rho[i]  # noqa: E731
    f0 = warm(mu0, idx)
    step = -f0 / np.maximum(total_dos(subbands, mu0), 1e-12)
    step = np.where(step == 0, xtol, step)
    reach = 8.0 * np.abs(step) + 10.0 * thermal_energy(T)  # ρ(μ) is monotonic: a loose limit
    # a bracket, where needed, from the T = 0 solution past the DOS step
    mu, _, _ = secant_root(
        warm, mu0, f0, step, xtol=xtol, increasing=True, max_step=reach,
        bracket_step=1.5 * step, maxsteps=60,
    )  # fmt: skip
    return mu


def _cold_chemical_potentials(subbands: Subbands, rho: np.ndarray, xtol: float) -> np.ndarray:
    """The μ (eV) of the T = 0 densities ρ (nm⁻²), bracketed by the whole band range."""
    idx = np.arange(rho.size)
    cold = lambda m, i: density(subbands, m).sum(axis=0) - rho[i]  # noqa: E731
    lo = np.full(rho.shape, subbands.edges[0, 0] - 1.0)
    hi = np.full(rho.shape, subbands.edges[-1, 1] + 1.0)
    f_hi = cold(hi, idx)
    while np.any(f_hi < 0):
        short = f_hi < 0
        hi[short] += 2.0 * (hi[short] - lo[short])
        f_hi[short] = cold(hi[short], idx[short])
    return bracketed_root(cold, lo, hi, cold(lo, idx), f_hi, xtol=xtol).x


def chemical_potential_at_density(
    subbands: Subbands, rho: float, temperature: float = 0.0, *, xtol: float = 1e-12
) -> float:
    """The μ (eV) at which the normal-state density equals *rho* (nm⁻²) at T (K)."""
    return float(chemical_potentials_at_density(subbands, rho, temperature, xtol=xtol)[0])


def fermi_contour(subbands: Subbands, mu: float, n_points: int = 401):
    """Fermi contours kx(kz) ≥ 0 of every subband at chemical potential μ.

    Parameters
    ----------
    subbands : Subbands
    mu : float
        Chemical potential in eV.
    n_points : int
        kz points on [−π/d, π/d]; the contour tips are added exactly.

    Returns
    -------
    kz : numpy.ndarray, shape (m,)
        In nm⁻¹.
    kx : numpy.ndarray, shape (n_bands, m)
        kx = sqrt(m_x (μ − E_n(kz))/HB2M) in nm⁻¹; NaN where band n has no
        states below μ. The contour is kx = ±kx(kz).
    """
    kz = _contour_kz(subbands, [mu], n_points)
    return kz, _contour_kx(subbands, mu, _band_energies(subbands, kz))


def fermi_contours(subbands: Subbands, mus, n_points: int = 401):
    """Fermi contours of every subband at several chemical potentials, on one kz grid.

    Parameters
    ----------
    subbands : Subbands
    mus : array_like
        Chemical potentials in eV.
    n_points : int
        kz points on [−π/d, π/d]; every contour tip is added exactly.

    Returns
    -------
    kz : numpy.ndarray, shape (m,)
        In nm⁻¹.
    kx : numpy.ndarray, shape (len(mus), n_bands, m)
        kx ≥ 0 in nm⁻¹, NaN where band n has no states below μ.
    """
    mus = np.atleast_1d(np.asarray(mus, dtype=float))
    kz = _contour_kz(subbands, mus, n_points)
    E = _band_energies(subbands, kz)
    return kz, np.array([_contour_kx(subbands, float(m), E) for m in mus])


def _contour_kz(subbands: Subbands, mus, n_points: int) -> np.ndarray:
    """A kz grid on [−π/d, π/d] that contains every contour tip at every μ."""
    kmax = subbands.kz_max
    tips = [
        float(t)
        for m in mus
        for n in range(1, subbands.n_bands + 1)
        for t in [subbands.wavevector(n, m)]
        if 0.0 < t < kmax
    ]
    return np.unique(np.concatenate([np.linspace(-kmax, kmax, n_points), tips, [-t for t in tips]]))


def _band_energies(subbands: Subbands, kz: np.ndarray) -> np.ndarray:
    """E_n(kz) of every band, shape (n_bands, len(kz)), in eV."""
    return np.array([subbands.energy(n, kz) for n in range(1, subbands.n_bands + 1)])


def _contour_kx(subbands: Subbands, mu: float, E: np.ndarray) -> np.ndarray:
    """Kx = sqrt(m_x (μ − E)/HB2M) where E <= μ, NaN elsewhere (nm⁻¹)."""
    return np.where(
        E <= mu, np.sqrt(np.maximum(mu - E, 0.0) * subbands.superlattice.mass_x / HB2M), np.nan
    )


def density_mu(subbands: Subbands, rho: float, mu_tol: float, mu_cold: float | None = None):
    """T (K, array) → μ (eV) of the normal state at density ρ, memoised per T;
    ``mu_cold``: the T = 0 μ of ρ, when known (see :func:`chemical_potentials_at_density`).
    """
    memo: dict[float, float] = {}

    def mu_at(T: np.ndarray) -> np.ndarray:
        new = np.array(sorted({float(t) for t in T} - memo.keys()))
        if new.size:
            memo.update(
                zip(
                    new.tolist(),
                    chemical_potentials_at_density(
                        subbands, rho, new, xtol=mu_tol, mu_cold=mu_cold
                    ).tolist(),
                )
            )
        return np.array([memo[float(t)] for t in T])

    return mu_at
