"""The superfluid phase stiffness of a mean-field state, and the BKT temperature.

A slow twist θ(r) of the phase of the pair field costs F = ½ ∫ J_ij ∂_iθ ∂_jθ. For the
mean-field state (gaps Δ_n(kz) at T, μ of its mode) the stiffness is

    J_ij = ¼ Σ_n ∫ d²k/(2π)² 2 [∂_i∂_j ε_n · n_n(k) − ∂_i ε_n ∂_j ε_n · Y(E_n(k))],

ε_n = HB2M kx²/m_x + E_n(kz), n the occupation per spin (½[1 − (ξ/E)tanh(E/2T)] inside
the pairing window, f(ξ) outside), Y = −∂f/∂E, and the 2 the spin sum. The first
(diamagnetic) term needs the occupation per kz, ν(kz) = ∫dkx/2π 2n, which is the normal
density plus the pairing change of the number equation; the second (paramagnetic) term
needs the Fermi-surface weights of the free motion. J_xz = 0 by symmetry.

Along the free direction the motion is Galilean: at T = 0, J_xx = HB2M ρ/(2m_x) =
ħ²ρ/(4m_x) for any gapped state. Along z the stiffness is carried by the kz-curvature of
partly filled bands: a band whose kz range is filled has ∫ ∂²E/∂kz² = 0 over the zone.

For wires (a 2D system; J in eV) the transition is of the Berezinskii–Kosterlitz–Thouless
kind: k_B T_BKT = (π/2) sqrt(J_xx(T) J_zz(T)) with the mean-field J at T (the
Nelson–Kosterlitz criterion for an anisotropic 2D superfluid). Wells are
three-dimensional (J per volume, eV/nm): they have no BKT transition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import brentq

from multigap.errors import ParameterError
from multigap.solvers.results import BKTResult, GapResult, StiffnessResult
from multigap.solvers.solve import CODE, bcs_gap_guess, weak_coupling_status
from multigap.units import K_B, thermal_energy

if TYPE_CHECKING:
    from multigap.pairing.kernel import PairingKernel
    from multigap.solvers.model import Model

__all__ = ["bkt_column", "bkt_scale", "bkt_temperature", "stiffness", "stiffness_of_state"]


def stiffness_of_state(kernel: PairingKernel, y: np.ndarray, T: float) -> dict[str, np.ndarray]:
    """J_xx and J_zz per band, and the density, of mean-field states in a kernel batch.

    Parameters
    ----------
    kernel : PairingKernel
        The kernel of the states (their μ, ω̃ and couplings).
    y : numpy.ndarray, shape (m, n_bands, rank)
        The gaps, Δ_n(kz) = B_n(kz)·y_n.
    T : float or numpy.ndarray
        k_B T in eV: one for the batch, or one per state (all 0, or all > 0).

    Returns
    -------
    dict
        ``xx`` and ``zz``: shape (m, n_bands), in eV (wires) or eV/nm (wells);
        ``density``: shape (m,), both spins, per nm² (wires) or nm³ (wells).
    """
    free, subbands = kernel.free, kernel.basis.subbands
    m, nb = kernel.size, kernel.n_bands
    each = np.broadcast_to(np.asarray(T, dtype=float), (m,))
    if not (np.all(each == 0) or np.all(each > 0)):
        raise ParameterError("T", "mixed", "one batch at T = 0, or one with every T > 0")
    temp: float | np.ndarray = 0.0 if np.all(each == 0) else each[:, None]
    xx, zz, density = np.zeros((m, nb)), np.zeros((m, nb)), np.zeros(m)
    order, levels = kernel.kx_order, kernel.kx_levels
    gaps = kernel.gap_at_nodes(y)
    # the pairing change of the occupation as the number equation integrates it (in closed
    # form where the kernel has it)
    changes = kernel.susceptibility(each, gaps, density=True)
    for b, (gap, (_, drho)) in enumerate(zip(gaps, changes)):
        e, w, kz = kernel.offset[b], kernel.weight[b], kernel.kz[b]
        omega = np.broadcast_to(kernel.omega[:, None], e.shape)
        nu = free.normal_density(e, temp, order=order, levels=levels) + drho
        para_x, fermi = free.current_response(e, temp, omega, gap, order=order, levels=levels)
        slope, curvature = subbands.velocity(b + 1, kz, 1), subbands.velocity(b + 1, kz, 2)
        xx[:, b] = 0.25 * np.sum(w * (free.curvature * nu - para_x), axis=-1)
        zz[:, b] = 0.25 * np.sum(w * (curvature * nu - slope**2 * fermi), axis=-1)
        density += np.sum(w * nu, axis=-1)
    return {"xx": xx, "zz": zz, "density": density}


def bkt_scale(J_xx, J_zz):
    """(π/2) sqrt(J_xx J_zz) in eV, the Nelson–Kosterlitz right-hand side (0 where either
    stiffness is not positive); numbers or arrays.
    """
    return 0.5 * np.pi * np.sqrt(np.maximum(J_xx, 0.0) * np.maximum(J_zz, 0.0))


def stiffness(model: Model, gaps: GapResult) -> StiffnessResult:
    """The phase stiffness of a solved mean-field state (see :meth:`Model.stiffness`)."""
    T = gaps.temperature
    nb = model.superlattice.n_bands
    parts: dict[str, Any]
    if gaps.status == "normal":  # no condensate: the diamagnetic and paramagnetic cancel
        parts = {"xx": np.zeros((1, nb)), "zz": np.zeros((1, nb)), "density": None}
    else:
        parts = stiffness_of_state(gaps.kernel, gaps.y[None], float(thermal_energy(T)))
    density = (
        model.normal_density(gaps.mu_normal)
        if gaps.mode == "fixed_density" or parts["density"] is None
        else float(parts["density"][0])
    )
    return StiffnessResult(
        J_bands_xx=parts["xx"][0],
        J_bands_zz=parts["zz"][0],
        temperature=T,
        mu_mode=gaps.mode,
        density=density,
        structure=model.superlattice.structure,
        status=gaps.status,
        gaps=gaps,
        eta=gaps.eta,
        **gaps.regime_flags,
        parameters=gaps.parameters,
    )


def bkt_temperature(
    model: Model,
    eta: float | None,
    g: float | None,
    mu_mode: str = "fixed_density",
    mu: float | None = None,
) -> BKTResult:
    """T_BKT of wires: the root of k_B T = (π/2) sqrt(J_xx(T) J_zz(T)) on (0, Tc_MF].

    The mean-field J falls monotonically from T = 0 to 0 at the mean-field Tc of the same
    μ mode, so the root lies below S = (π/2) sqrt(J_xx J_zz)(0)/k_B and below Tc_MF. The
    first guess assumes J linear in T, T = S·Tc/(S + Tc); a second uses J measured at the
    first; Brent's method then closes the bracket to the model's Tc tolerance. Every
    evaluation solves the gaps at T, warm-started from the nearest solved temperature.
    """
    if model.superlattice.structure == "wells":
        raise ParameterError(
            "structure",
            "wells",
            "wires: quantum wells are three-dimensional and have no BKT transition "
            "(their phase stiffness, per volume, is Model.stiffness)",
        )
    tc = model.critical_temperature(eta, g=g, mu=mu)  # fixed μ: cheap, and a warm start
    if mu_mode == "fixed_density":
        warm = (0.9 * tc.Tc, 1.1 * tc.Tc) if tc.Tc > 0 else None
        tc = model.critical_temperature(eta, g=g, mu=mu, mu_mode=mu_mode, bracket=warm)
    states = _StiffnessAtT(model, dict(eta=eta, g=g, mu=mu, mu_mode=mu_mode, tc=tc))
    cold = states.at(0.0)
    Tc_mf = cold.gaps.Tc_of_mode
    S = states.scale(cold) / K_B
    if not (min(S, Tc_mf) > model.numerics.t_min and cold.status != "normal"):
        return _bkt_result(model, 0.0, Tc_mf, cold, cold, "below_T_min", tc)
    T1 = S * Tc_mf / (S + Tc_mf)
    phi1 = states.scale(states.at(T1)) / K_B
    T2 = phi1 * Tc_mf / (Tc_mf - T1 + phi1) if Tc_mf - T1 + phi1 > 0 else T1
    if abs(T2 - T1) > model.numerics.tc_rtol * T1:
        states.at(min(T2, Tc_mf))
    lo = max((t for t in states.done if states.excess(t) < 0), default=0.0)
    hi = min((t for t in states.done if states.excess(t) >= 0), default=Tc_mf)
    T_bkt = (
        hi
        if states.excess(hi) == 0.0
        else brentq(states.excess, lo, hi, xtol=model.numerics.tc_rtol * hi, rtol=1e-12)
    )
    return _bkt_result(model, T_bkt, Tc_mf, cold, states.at(T_bkt), "ok", tc)


class _StiffnessAtT:
    """The stiffness of one point at any T, each temperature solved once and warm-started
    from the nearest temperature already solved.
    """

    def __init__(self, model, point: dict):
        self.model, self.point, self.tc = model, point, point["tc"]
        self.done: dict[float, StiffnessResult] = {}

    def at(self, T: float) -> StiffnessResult:
        """The stiffness at T (K)."""
        T = float(T)
        if T not in self.done:
            warm = [t for t, s in self.done.items() if s.status != "normal"]
            start = self.done[min(warm, key=lambda t: abs(t - T))].gaps if warm else None
            gaps = self.model.gaps(**self.point, temperature=T, warm_start=start)
            self.done[T] = stiffness(self.model, gaps)
        return self.done[T]

    @staticmethod
    def scale(state: StiffnessResult) -> float:
        """(π/2) sqrt(J_xx J_zz) in eV (0 where either is not positive)."""
        return float(bkt_scale(state.J_xx, state.J_zz))

    def excess(self, T: float) -> float:
        """k_B T − (π/2) sqrt(J_xx(T) J_zz(T)) in eV: negative below T_BKT."""
        if T >= self.tc.Tc:  # the normal state: no stiffness, no solve needed
            return float(K_B * T)
        return float(K_B * T - self.scale(self.at(T)))


def _bkt_result(model, T_bkt, Tc_mf, cold, at, status, tc) -> BKTResult:
    """The BKT result, its status flagged as the mean-field Tc is."""
    if status == "ok" and tc.status == "outside_weak_coupling":
        status = tc.status
    return BKTResult(
        T_BKT=float(T_bkt),
        Tc=float(Tc_mf),
        stiffness_zero=cold,
        stiffness_at=at,
        status=status,
        eta=cold.eta,
        mu_mode=cold.mu_mode,
        t_min=model.numerics.t_min,
        parameters=cold.parameters,
    )


def bkt_column(model: Model, mu: float, G, omega, fixed_mu_tc=None) -> dict[str, np.ndarray]:
    """T_BKT of many couplings at one μ_N (one column of a map), fixed density, batched.

    Every step solves the gaps of all unfinished points at once (each at its own T,
    warm-started from its previous solution) and moves each point's bracket by the
    Anderson–Björck variant of regula falsi, from the bracket (0, Tc_MF) on which
    k_B T − (π/2) sqrt(J_xx J_zz) goes from −(π/2) sqrt(J_xx J_zz)(0) to k_B Tc_MF.
    ``fixed_mu_tc`` (K) is the column's fixed-μ Tc when the caller has it (a sweep
    column does); it only starts the fixed-density search, and is computed otherwise.

    Returns
    -------
    dict
        ``T_BKT``, ``Tc_MF`` (the fixed-density Tc) in K; ``J_xx0``, ``J_zz0`` (eV) at
        T = 0; ``mu_S0`` (eV, μ at T = 0); ``bkt_status`` (codes). NaN where a solve failed.
    """
    m = len(G)
    out = {k: np.full(m, np.nan) for k in ("T_BKT", "Tc_MF", "J_xx0", "J_zz0", "mu_S0")}
    out["bkt_status"] = np.full(m, CODE["normal"], dtype=np.int8)
    if not model.normal_density(mu) > 0:  # no electrons at this density: no condensate
        out["T_BKT"][:], out["J_xx0"][:], out["J_zz0"][:] = 0.0, 0.0, 0.0
        return out
    if fixed_mu_tc is None:  # cheap, and a warm start for the density's
        fixed_mu_tc = model.tc_batch(mu, G, omega)[0].Tc
    near = np.where(fixed_mu_tc > 0, fixed_mu_tc, model.numerics.t_min)
    roots, mu_tc = model.tc_batch(
        mu, G, omega, mu_mode="fixed_density", bracket=(0.9 * near, 1.1 * near)
    )
    out["Tc_MF"] = np.where(roots.status == CODE["failed"], np.nan, roots.Tc)
    code = weak_coupling_status(roots.Tc, roots.status, omega)
    out["bkt_status"] = code.astype(np.int8)
    out["T_BKT"][code == CODE["below_T_min"]] = 0.0
    todo = np.flatnonzero(np.isin(code, (CODE["ok"], CODE["outside_weak_coupling"])))
    if todo.size:
        _bkt_roots(model, mu, G[todo], omega[todo], mu_tc[todo], out, todo)
    return out


def _bkt_roots(model: Model, mu: float, G, omega, mu_tc, out: dict, index) -> None:
    """Fill ``out`` at ``index``: the T = 0 state, then the batched bracketed root.
    ``mu_tc`` (eV) is μ at the fixed-density Tc, where the gaps close.
    """
    Tc = out["Tc_MF"][index]
    y = model.tc_shapes(mu, G, omega, Tc, 0.0)
    state = _column_state(model, mu, G, omega, Tc, y, np.zeros(index.size), None)
    out["J_xx0"][index], out["J_zz0"][index] = state["xx"], state["zz"]
    out["mu_S0"][index] = state["mu"]
    scale = bkt_scale(state["xx"], state["zz"])
    lo, f_lo = np.zeros(index.size), -scale
    hi, f_hi = Tc.copy(), K_B * Tc
    T = np.where(scale > 0, (scale / K_B) * Tc / (scale / K_B + Tc), 0.0)
    failed = ~state["ok"] | ~(scale > 0)
    active = ~failed
    tol = model.numerics.tc_rtol
    y, mu_s, side = state["y"], state["mu"], np.zeros(index.size)
    T_y = np.zeros(index.size)  # the temperature (K) at which each y was solved
    for _ in range(60):
        if not active.any():
            break
        a = np.flatnonzero(active)
        # each solve starts from the last state's gaps and pairing shift of μ, rescaled
        # to the new T with the BCS form (the shift like Δ²)
        ratio = _bcs_shape_ratio(Tc[a], T_y[a], T[a])
        start = y[a] * ratio[:, None, None]
        mu_start = mu_tc[a] + (mu_s[a] - mu_tc[a]) * ratio**2
        new = _column_state(model, mu, G[a], omega[a], Tc[a], start, T[a], mu_start)
        failed[a[~new["ok"]]] = True
        y[a], mu_s[a] = np.where(new["ok"][:, None, None], new["y"], y[a]), new["mu"]
        T_y[a] = np.where(new["ok"], T[a], T_y[a])
        f = K_B * T[a] - bkt_scale(new["xx"], new["zz"])
        below = f < 0
        # Anderson–Björck: when the same end moves twice, scale the far end's value by
        # 1 − f_new/f_old of the end that moved (by 1/2 where that is not positive)
        with np.errstate(divide="ignore", invalid="ignore"):
            m = 1.0 - f / np.where(below, f_lo[a], f_hi[a])
        m = np.where(np.isfinite(m) & (m > 0), m, 0.5)
        f_hi[a] = np.where(below & (side[a] < 0), m * f_hi[a], f_hi[a])
        f_lo[a] = np.where(~below & (side[a] > 0), m * f_lo[a], f_lo[a])
        lo[a], f_lo[a] = np.where(below, T[a], lo[a]), np.where(below, f, f_lo[a])
        hi[a], f_hi[a] = np.where(below, hi[a], T[a]), np.where(below, f_hi[a], f)
        side[a] = np.where(below, -1.0, 1.0)
        step = (lo[a] * f_hi[a] - hi[a] * f_lo[a]) / (f_hi[a] - f_lo[a])
        done = (np.abs(step - T[a]) <= tol * T[a]) | (f == 0) | ~new["ok"]
        T[a] = step
        active[a[done]] = False
    out["T_BKT"][index] = np.where(failed | active, np.nan, T)
    status = out["bkt_status"][index]
    out["bkt_status"][index] = np.where(failed | active, CODE["failed"], status)


def _bcs_shape_ratio(Tc, T_from, T_to) -> np.ndarray:
    """Δ(T_to)/Δ(T_from) of the BCS form at Tc (K): a start's rescaling when the
    temperature of a solve moves (near Tc the gaps fall like sqrt(1 − T/Tc), and Newton
    started from gaps several times too large wanders before it converges).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = bcs_gap_guess(Tc, T_to) / bcs_gap_guess(Tc, T_from)
    return np.where(np.isfinite(ratio) & (ratio > 0), ratio, 1.0)


def _column_state(model: Model, mu, G, omega, Tc, y0, T, mu_start) -> dict:
    """Gaps at fixed density at T (K, per point) and their stiffness, for a batch."""
    pts = model.gap_points(np.full(len(G), mu), G, omega, y0, Tc, temperature=T, mu_start=mu_start)
    ok = pts["status"] == "ok"
    parts = stiffness_of_state(pts["kernel"], pts["y"], thermal_energy(T))
    normal = pts["status"] == "normal"
    xx = np.where(normal, 0.0, parts["xx"].sum(axis=1))
    zz = np.where(normal, 0.0, parts["zz"].sum(axis=1))
    return {"ok": ok | normal, "y": pts["y"], "mu": pts["mu"], "xx": xx, "zz": zz}
