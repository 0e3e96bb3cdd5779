"""Finite temperature at one point: Δ̄_n(T), μ(T), the entropy, the specific heat and its jump.

The gaps at every temperature of a grid are solved as one batch (the same solver
as :meth:`multigap.solvers.model.Model.gaps`). The electronic entropy per unit area is

    S = S_N(μ, T) + Σ_n ∫dkz/2π ∫dkx/2π θ(ω̃ − |ξ|) [s(E) − s(|ξ|)],

s(x) = −2[f ln f + (1 − f) ln(1 − f)], f = 1/(e^{x/k_BT} + 1) (both spins; units
of k_B): the normal state at the μ of the state plus the change that pairing
makes inside the window. C = T dS/dT at each temperature from the Fermi-surface form
C = Σ 2f(1 − f)[(E/T)² + ξ μ'/T − Δ Δ'/T], with dμ/dT and dΔ_n(kz)/dT the slopes of
the solved state itself: the implicit function theorem on the gap and number equations,
whose partial derivatives at the state are exact (the gaps) or central differences of
smooth functions (T and μ; relative error ~1e-8). No difference of S is taken, so C has
no cancellation at low T, and C at a temperature does not depend on which other
temperatures were asked for. C_N likewise, for the normal state at the same density (or
μ). The jump
ΔC/C_N = [C(Tc⁻) − C_N(Tc)]/C_N(Tc) comes from quadratic fits of S and S_N on the
points nearest Tc, below and around it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace

import numpy as np

from multigap.errors import ParameterError
from multigap.free_motion.window import heat_weights
from multigap.normal_state import chemical_potentials_at_density, density, entropy
from multigap.progress import progress_bar
from multigap.solvers.joint import joint_applies
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
    """S of the solved states (NaN where a solve failed) and S_N of the normal states (the
    same normal part where the states keep the normal μ: at fixed μ, and above Tc).
    """
    normal_part = entropy(model.subbands, pts["mu"], T).sum(axis=0)
    moved = pts["mu"] != mu_normal
    SN = normal_part.copy()
    if moved.any():
        SN[moved] = entropy(model.subbands, mu_normal[moved], T[moved]).sum(axis=0)
    S = normal_part + pts["kernel"].entropy_change(pts["y"])
    return np.where(pts["status"] == "failed", np.nan, S), SN


#: Relative step of the central differences in the state's slopes: of k_B T for the
#: T- and μ-steps, of max|y| for a step along a direction of the gaps. Truncation
#: (~STEP²) and rounding (~1e-16/STEP) both stay near 1e-8.
STEP = 1e-4


def _central(f, h):
    """(f(+h) − f(−h))/(2h), broadcasting h over the trailing axes of the values."""
    plus, minus = f(1.0), f(-1.0)
    return (plus - minus) / (2.0 * h.reshape(h.shape + (1,) * (np.ndim(plus) - 1)))


def _normal_slopes(model, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """∂ρ_N/∂μ and ∂ρ_N/∂(k_B T) of the normal density at μ (eV) and T (K), nm⁻²·eV⁻¹."""
    h = STEP * thermal_energy(T)
    rho = lambda m, t: density(model.subbands, m, t).sum(axis=0)  # noqa: E731
    return (
        _central(lambda s: rho(mu + s * h, T), h),
        _central(lambda s: rho(mu, T * (1.0 + s * STEP)), h),
    )


def _density_along(kernel, y, grading, direction):
    """The central difference of the density change δρ along a direction of the gaps
    (a step of STEP·max|y|), per unit of that direction: ∂δρ/∂y·direction.
    """
    peak = lambda a: np.max(np.abs(a.reshape(a.shape[0], -1)), axis=1)  # noqa: E731
    eps = STEP * peak(y) / np.maximum(peak(direction), 1e-300)
    step = lambda s: y + (s * eps)[:, None, None] * direction  # noqa: E731
    return _central(
        lambda s: kernel.gap_equation(step(s), jacobian=False, density=True, grading=grading)[1],
        eps,
    )


def _solve_each(J: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """J⁻¹ rhs for a batch; a singular J leaves its own state NaN (then reported failed)."""
    with np.errstate(all="ignore"):
        try:
            return np.linalg.solve(J, rhs)
        except np.linalg.LinAlgError:
            out = np.full(rhs.shape, np.nan)
            for i in range(J.shape[0]):
                with contextlib.suppress(np.linalg.LinAlgError):
                    out[i] = np.linalg.solve(J[i], rhs[i])
            return out


def _gapped_slopes(model, kernel, y, mu, T, normal_slopes=None):
    """dy/d(k_B T) and dμ/d(k_B T) of solved gapped states (the implicit function theorem).

    On the gap equation F(y; μ, T) = 0 and, at fixed density, the number equation
    ρ_N(μ, T) + δρ(y; μ, T) = ρ:

        J·y' + F_μ μ' = −F_T,    b·y' + ρ_μ μ' = −ρ_T,

    (at fixed μ the first alone). J = ∂F/∂y is the gap Newton's Jacobian; b = ∂δρ/∂y the
    joint Newton's row on wires, elsewhere a central difference along the two directions
    needed; F_T, ρ_T, F_μ and ρ_μ are central differences at the state, the μ steps on
    kernels rebuilt at μ ± h (their kz nodes move with μ). ``normal_slopes`` holds
    (∂ρ_N/∂μ, ∂ρ_N/∂(k_B T)) at fixed density, None at fixed μ.
    """
    fixed_density = normal_slopes is not None
    kT, h = kernel.temperature, STEP * kernel.temperature
    grading = kernel.grading(y)
    exact_row = fixed_density and joint_applies(kernel)
    if exact_row:
        _, J, _, _, b, _ = kernel.number_equations(y, kernel.fixed_rules(grading))
    else:
        _, J = kernel.gap_equation(y, jacobian=True, grading=grading)
    at = lambda k: k.gap_equation(y, jacobian=False, density=True, grading=grading)  # noqa: E731
    warmer = {s: at(replace(kernel, temperature=kT * (1.0 + s * STEP))) for s in (1.0, -1.0)}
    n = J.shape[-1]
    rhs = [-_central(lambda s: warmer[s][0], h).reshape(-1, n)]
    if fixed_density:
        moved = {s: at(model.kernel(mu + s * h, kernel.omega, kernel.g, T)) for s in (1.0, -1.0)}
        rhs.append(-_central(lambda s: moved[s][0], h).reshape(-1, n))
    sol = _solve_each(J, np.stack(rhs, axis=-1))
    u = sol[..., 0].reshape(y.shape)
    if not fixed_density:
        return u, np.zeros(mu.shape)
    v = sol[..., 1].reshape(y.shape)
    n_mu, n_T = normal_slopes
    r_T = _central(lambda s: warmer[s][1], h) + n_T
    r_mu = _central(lambda s: moved[s][1], h) + n_mu
    if exact_row:
        flat = lambda a: a.reshape(a.shape[0], -1)  # noqa: E731
        b_u, b_v = np.sum(flat(b) * flat(u), 1), np.sum(flat(b) * flat(v), 1)
    else:
        b_u, b_v = (_density_along(kernel, y, grading, d) for d in (u, v))
    with np.errstate(all="ignore"):
        dmu = -(r_T + b_u) / (r_mu + b_v)
    return u + v * dmu[:, None, None], dmu


def _state_slopes(model, pts: dict, T: np.ndarray, mu_mode: str):
    """dy/d(k_B T) (k, n, r) and dμ/d(k_B T) (k,) of the states at the temperatures T:
    gapped states by :func:`_gapped_slopes`; normal ones have y' = 0 and, at fixed
    density, μ' = −∂_Tρ_N/∂_μρ_N; failed ones NaN.
    """
    dy, dmu, normal = np.zeros_like(pts["y"]), np.zeros(T.size), None
    if mu_mode == "fixed_density":
        normal = _normal_slopes(model, pts["mu"], T)
        dmu = -normal[1] / normal[0]
    gapped = np.flatnonzero(pts["status"] == "ok")
    if gapped.size:
        kernel = pts["kernel"].subset(gapped)
        dy[gapped], dmu[gapped] = _gapped_slopes(
            model, kernel, pts["y"][gapped], pts["mu"][gapped], T[gapped],
            None if normal is None else (normal[0][gapped], normal[1][gapped]),
        )  # fmt: skip
    failed = pts["status"] == "failed"
    dy[failed], dmu[failed] = np.nan, np.nan
    return dy, dmu


def _heat(kernel, y: np.ndarray, dy: np.ndarray, dmu: np.ndarray, T: np.ndarray) -> np.ndarray:
    """C = T dS/dT of the k states at T (units of k_B per nm², or nm³ for wells), from the
    Fermi-surface moments of each band and kz with the slopes dμ/dT and dy/dT (see
    :func:`multigap.free_motion.window.heat_weights`).
    """
    k, free = T.size, kernel.free
    kT = thermal_energy(T)[:, None]
    total = np.zeros(k)
    for b, (gap, slope) in enumerate(zip(kernel.gap_at_nodes(y), kernel.gap_at_nodes(dy))):
        e = kernel.offset[b]
        omega = np.broadcast_to(kernel.omega[:, None], e.shape)
        m2, m1, m0 = heat_weights(e, np.broadcast_to(kT, e.shape), omega, gap,
                                  order=kernel.kx_order, levels=kernel.kx_levels,
                                  measure=free.measure)  # fmt: skip
        c = 2.0 * free.prefactor * (m2 + dmu[:, None] * m1 - gap * slope * m0)
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


def _states(model, mu_n, gm, omega, Tc, T, start, mu_mode) -> dict:
    """The gapped states at the temperatures T, from the Tc eigenvector scaled to the BCS
    Δ(T) and the normal μ(T) (``start``: the shape and those μ).
    """
    from multigap.solvers.solve import bcs_gap_guess

    shape, mu_start = start
    y0 = shape[None] * bcs_gap_guess(np.full(T.size, Tc), T)[:, None, None]
    return _gapped_states(model, mu_n, gm, omega, Tc, T, mu_start, mu_mode, y0)


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
    mu_normal, mu_c = _normal_mu(model, mu_n, T, tc.Tc, mu_mode)
    pts = _states(model, mu_n, gm, omega, tc.Tc, T, (base.shape, mu_normal), mu_mode)
    bar.update(1)
    S, SN = _entropies(model, pts, T, mu_normal)
    bar.update(1)
    dy, dmu = _state_slopes(model, pts, T, mu_mode)
    failed = (pts["status"] == "failed") | ~np.isfinite(dmu) | ~np.all(np.isfinite(dy), (1, 2))
    mu = np.where(failed, np.nan, pts["mu"])
    S = np.where(failed, np.nan, S)
    s_at_tc = float(entropy(model.subbands, [mu_c], tc.Tc).sum())  # S is continuous at Tc
    C = np.where(failed, np.nan, _heat(pts["kernel"], pts["y"], dy, dmu, T))
    normal = model.kernel(mu_normal, np.full(k, omega), np.repeat(gm[None], k, 0))
    zero = np.zeros_like(pts["y"])
    normal_state = {"y": zero, "mu": mu_normal, "status": np.full(k, "normal")}
    CN = _heat(normal, zero, zero, _state_slopes(model, normal_state, T, mu_mode)[1], T)
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
