"""Finite temperature at one point: Δ̄_n(T), μ(T), the entropy, the specific heat and its jump.

The gaps at every temperature of a grid are solved as one batch (the same solver
as :meth:`multigap.solvers.model.Model.gaps`). The electronic entropy per unit area is

    S = S_N(μ, T) + Σ_n ∫dkz/2π ∫dkx/2π θ(ω̃ − |ξ|) [s(E) − s(|ξ|)],

s(x) = −2[f ln f + (1 − f) ln(1 − f)], f = 1/(e^{x/k_BT} + 1) (both spins; units
of k_B): the normal state at the μ of the state plus the change that pairing
makes inside the window. C = T dS/dT at each temperature from the Fermi-surface form
C = Σ 2f(1 − f)[(E/T)² + ξ μ'/T − Δ Δ'/T], with dμ/dT and dΔ_n(kz)/dT from the states
solved at T and T(1 + ε), ε = 1e-3 (T(1 − ε) just below Tc): no
difference of S is taken, so C has no cancellation at low T, and C at a temperature does
not depend on which other temperatures were asked for. C_N likewise, for the normal
state at the same density (or μ). The jump
ΔC/C_N = [C(Tc⁻) − C_N(Tc)]/C_N(Tc) comes from quadratic fits of S and S_N on the
points nearest Tc, below and around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from multigap.errors import ParameterError
from multigap.free_motion.window import heat_weights
from multigap.normal_state import chemical_potentials_at_density, density, entropy
from multigap.progress import progress_bar
from multigap.status import Result
from multigap.units import thermal_energy

__all__ = ["ThermoResult", "temperature_grid", "thermodynamics"]


@dataclass(frozen=True, eq=False)
class ThermoResult(Result):
    """The curves of one point from T → 0 to above Tc.

    Attributes
    ----------
    Tc : float
        Critical temperature of the μ mode, in K.
    Tc_status : str
        The status of that Tc (``ok`` or ``outside_weak_coupling``).
    T : numpy.ndarray, shape (k,)
        Temperatures in K (denser near Tc).
    delta : numpy.ndarray, shape (k, n_bands)
        Δ̄_n(T) in eV (0 above Tc).
    mu : numpy.ndarray, shape (k,)
        μ(T) in eV.
    entropy, entropy_normal : numpy.ndarray, shape (k,)
        S(T) and the normal state's S_N(T), in k_B per nm² (wires) or per nm³ (wells).
    heat, heat_normal : numpy.ndarray, shape (k,)
        C(T) = T dS/dT and C_N(T), in the same units.
    jump : float
        ΔC/C_N at Tc; NaN when fewer than two temperatures below Tc were solved.
    status : numpy.ndarray of str, shape (k,)
        Per temperature: ``ok``, ``normal`` or ``failed``. A failed temperature has NaN
        gaps, μ, S and C, and no difference is taken across it.
    mu_mode : str
    """

    Tc: float
    Tc_status: str
    T: np.ndarray
    delta: np.ndarray
    mu: np.ndarray
    entropy: np.ndarray
    entropy_normal: np.ndarray
    heat: np.ndarray
    heat_normal: np.ndarray
    jump: float
    status: np.ndarray
    mu_mode: str
    eta: float | None = None
    g: float | None = None
    parameters: dict | None = field(default=None, repr=False)
    structure: str = "wires"

    @property
    def heat_ratio(self) -> np.ndarray:
        """C/C_N."""
        return self.heat / self.heat_normal

    def summary(self) -> dict:
        """The JSON object of ``multigap thermo``."""
        from multigap.output.labels import thermo_summary

        return thermo_summary(self)

    def to_dataset(self):
        """The curves as an ``xarray.Dataset`` on a ``T`` coordinate."""
        from multigap.output.labels import thermo_dataset

        return thermo_dataset(self)


def temperature_grid(Tc: float, num: int = 40) -> np.ndarray:
    """``num`` temperatures in K: from 0.05 Tc to just below Tc, denser towards Tc
    (T/Tc = 1 − 0.95(1 − u)², u uniform), then Tc·(1.02, 1.05, 1.1) above it.
    """
    if not (isinstance(num, (int, np.integer)) and num >= 8):
        raise ParameterError("num", num, "an integer >= 8")
    below = num - 3
    u = np.linspace(0.0, 1.0, below + 1)[:-1]
    return Tc * np.concatenate([1.0 - 0.95 * (1.0 - u) ** 2, [1.02, 1.05, 1.1]])


def _slope_at(x: np.ndarray, y: np.ndarray, at: float) -> float:
    """dy/dx at ``at`` from a quadratic fit through the points (x, y)."""
    c = np.polyfit(x - at, y, min(2, len(x) - 1))
    return float(c[-2])


def _normal_mu(model, mu_n: float, T: np.ndarray, Tc: float, mu_mode: str):
    """μ of the normal state at each T and at Tc (eV): at the density of μ_N (fixed
    density), or μ_N itself (fixed μ).
    """
    if mu_mode != "fixed_density":
        return np.full(T.size, mu_n), mu_n
    rho = float(density(model.subbands, [mu_n]).sum())
    mus = chemical_potentials_at_density(
        model.subbands, rho, np.append(T, Tc), xtol=model.numerics.mu_tol, mu_cold=mu_n
    )
    return mus[:-1], mus[-1]


def _entropies(model, pts: dict, T: np.ndarray, mu_normal: np.ndarray):
    """S of the solved states (NaN where a solve failed) and S_N of the normal states."""
    S = entropy(model.subbands, pts["mu"], T).sum(axis=0)
    S = np.where(pts["status"] == "failed", np.nan, S + pts["kernel"].entropy_change(pts["y"]))
    return S, entropy(model.subbands, mu_normal, T).sum(axis=0)


def _local_steps(T: np.ndarray, Tc: float, eps: float = 1e-3) -> np.ndarray:
    """The relative step of each temperature's derivative: +ε, or −ε just below Tc (where
    T(1 + ε) would cross it), so that no difference straddles the jump.
    """
    return np.where((T < Tc) & (T * (1 + eps) >= Tc), -eps, eps)


def _derivative(values: np.ndarray, T: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """d(values)/d(k_B T) at each of the k temperatures, from the values at T and at
    T(1 + step) (laid out in that order along the first axis); first order in the step.
    """
    k = T.size
    shape = (k,) + (1,) * (values.ndim - 1)
    return (values[k:] - values[:k]) / (thermal_energy(T) * steps).reshape(shape)


def _heat(kernel, y: np.ndarray, mu: np.ndarray, T: np.ndarray, steps) -> np.ndarray:
    """C = T dS/dT of the k states at T (units of k_B per nm², or nm³ for wells), from the
    Fermi-surface moments of each band and kz with dμ/dT and dΔ/dT (see
    :func:`multigap.free_motion.window.heat_weights`); ``y`` and ``mu`` hold the states at
    T and at T(1 + step).
    """
    k, free = T.size, kernel.free
    dmu = _derivative(mu, T, steps)
    kT = thermal_energy(T)[:, None]
    total = np.zeros(k)
    gaps = zip(kernel.gap_at_nodes(y[:k]), kernel.gap_at_nodes(y[k:]))
    for b, (gap, moved) in enumerate(gaps):
        # Δ Δ' = ½ d(Δ²)/dT: smooth through Tc, where Δ itself goes like sqrt(Tc − T)
        gap_dgap = 0.5 * (moved**2 - gap**2) / (kT * steps[:, None])
        e = kernel.offset[b]
        omega = np.broadcast_to(kernel.omega[:, None], e.shape)
        m2, m1, m0 = heat_weights(e, np.broadcast_to(kT, e.shape), omega, gap,
                                  order=kernel.kx_order, levels=kernel.kx_levels,
                                  measure=free.measure)  # fmt: skip
        c = 2.0 * free.prefactor * (m2 + dmu[:, None] * m1 - gap_dgap * m0)
        total += np.sum(kernel.weight[b] * c, axis=-1)
    return total


def _jump(T, S, SN, Tc: float, s_at_tc: float) -> float:
    """ΔC/C_N from quadratic fits of S on the solved points just below Tc and of S_N
    around it; NaN when fewer than two solved points lie below Tc.
    """
    below = np.flatnonzero((T < Tc) & np.isfinite(S))[-4:]
    if below.size < 2:
        return float("nan")
    around = np.argsort(np.abs(T - Tc))[:4]
    c_below = Tc * _slope_at(np.append(T[below], Tc), np.append(S[below], s_at_tc), Tc)
    c_normal = Tc * _slope_at(T[around], SN[around], Tc)
    return c_below / c_normal - 1.0


def _gapped_states(model, mu_n, gm, omega, Tc, T, mu_start, mu_mode, y0) -> dict:
    """The gapped states at the temperatures T, started from the gaps y0 and μ_start."""
    n = T.size
    return model.gap_points(
        np.full(n, mu_n), np.repeat(gm[None], n, 0), np.full(n, omega), y0,
        np.full(n, Tc), temperature=T, mu_mode=mu_mode, mu_start=mu_start,
    )  # fmt: skip


def _states_and_twins(model, mu_n, gm, omega, Tc, T_all, start, mu_mode) -> tuple[dict, dict]:
    """The gapped states at the k temperatures T (the first half of ``T_all``), from the
    Tc eigenvector scaled to the BCS Δ(T) and the normal μ(T) (``start``: the shape and
    those μ), then their twins at T(1 + step) (the second half), for the derivatives,
    from the states themselves.
    """
    from multigap.solvers.solve import bcs_gap_guess

    k = T_all.size // 2
    shape, mu_start = start
    y0 = shape[None] * bcs_gap_guess(np.full(k, Tc), T_all[:k])[:, None, None]
    pts = _gapped_states(model, mu_n, gm, omega, Tc, T_all[:k], mu_start, mu_mode, y0)
    twins = _gapped_states(model, mu_n, gm, omega, Tc, T_all[k:], pts["mu"], mu_mode, pts["y"])
    return pts, twins


def thermodynamics(
    model,
    eta: float,
    g: float | None = None,
    *,
    mu_mode: str = "fixed_density",
    num: int = 40,
    progress: bool = False,
) -> ThermoResult:
    """Δ̄_n(T), μ(T), S(T), C(T), C/C_N and ΔC/C_N at one point of a model.

    Parameters
    ----------
    model : Model
    eta : float
        Lifshitz parameter.
    g : float, optional
        Coupling of the tuned band.
    mu_mode : {"fixed_density", "fixed_mu"}
        Hold the density ρ_N(η) (μ(T) solved with the gaps) or μ = μ_N.
    num : int
        Temperatures (>= 8), see :func:`temperature_grid`.
    progress : bool
        Show the stages (Tc, the gapped states, entropy and heat) on a progress bar, on a
        terminal only.

    Returns
    -------
    ThermoResult
    """
    mu_n, gm, omega = model.mu_normal(eta), model.coupling(g), model.cutoff(g)
    tc_mode = "fixed_density" if mu_mode == "fixed_density" else "fixed_mu"
    tc = model.critical_temperature(mu=mu_n, g=g, mu_mode=tc_mode)
    if not tc.Tc > 0:
        raise ParameterError("eta/g", (eta, g), f"a point with Tc > T_min = {tc.t_min:g} K")
    T = temperature_grid(tc.Tc, num)
    k = T.size
    bar = progress_bar(4, "thermo", progress, unit="stage")
    bar.update(1)  # Tc
    base = model.critical_temperature(mu=mu_n, g=g) if tc_mode != "fixed_mu" else tc
    steps = _local_steps(T, tc.Tc)
    T_all = np.concatenate([T, T * (1 + steps)])
    mu_all, mu_c = _normal_mu(model, mu_n, T_all, tc.Tc, mu_mode)
    start = (base.shape, mu_all[:k])
    pts, twins = _states_and_twins(model, mu_n, gm, omega, tc.Tc, T_all, start, mu_mode)
    bar.update(1)
    S, SN = _entropies(model, pts, T, mu_all[:k])
    bar.update(1)
    failed = (pts["status"] == "failed") | (twins["status"] == "failed")
    mu = np.where(failed, np.nan, pts["mu"])
    S = np.where(failed, np.nan, S)
    s_at_tc = float(entropy(model.subbands, [mu_c], tc.Tc).sum())  # S is continuous at Tc
    normal = model.kernel(mu_all[:k], np.full(k, omega), np.repeat(gm[None], k, 0))
    y_all = np.concatenate([pts["y"], twins["y"]])
    mu_pair = np.concatenate([pts["mu"], twins["mu"]])
    C = np.where(failed, np.nan, _heat(pts["kernel"], y_all, mu_pair, T, steps))
    CN = _heat(normal, np.zeros_like(y_all), mu_all, T, steps)
    bar.update(1)
    bar.close()
    return ThermoResult(
        Tc=tc.Tc,
        Tc_status=tc.status,
        T=T,
        delta=np.where(failed[:, None], np.nan, pts["Delta"]),
        mu=mu,
        entropy=S,
        entropy_normal=SN,
        heat=C,
        heat_normal=CN,
        jump=_jump(T, S, SN, tc.Tc, s_at_tc),
        status=np.where(failed, "failed", pts["status"]),
        mu_mode=mu_mode,
        eta=eta,
        g=float(gm[model.tuned, model.tuned]),
        parameters=model.point_parameters(eta, mu_n, gm, mode=mu_mode),
        structure=model.superlattice.structure,
    )
