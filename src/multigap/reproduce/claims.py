"""The paper's claims against ours: each row is computed from the data, with a
verdict and, where we differ, why.
"""

from __future__ import annotations

import numpy as np

from multigap.reproduce.settings import MAP_NUMERICS, PAPER_G_LINE
from multigap.solvers.model import Model
from multigap.study.analysis import gap_anisotropy
from multigap.units import energy_out


def dome_top(run, case: str, model: Model, tc_map) -> dict:
    """Thermodynamics, T = 0 crossover diagnostics and the Allen–Dynes Tc at the dome top."""
    from multigap import plots
    from multigap.output.labels import tc_summary
    from multigap.solvers.thermodynamics import thermodynamics

    _, eta, g = _peak(tc_map)
    th = thermodynamics(model, eta, g, num=30)
    ds = th.to_dataset()
    run.dataset(ds, f"thermo_{case}")
    run.figure(
        plots.thermo_figure(ds, model=case),
        f"fig_thermo_{case}",
        f"Δ̄_n(T) and C/C_N at the dome top of case {case} (η = {eta:.2f}, g = {g:.2f}), "
        "fixed density; the dotted line is the BCS jump.",
    )
    gaps = model.gaps(eta, g=g).summary()
    tc = tc_summary(model.critical_temperature(eta, g=g))
    return {
        "eta": eta,
        "g": g,
        "Tc_K": tc["Tc_K"],
        "jump": th.jump,
        "kF_xi0": gaps["kF_xi0"],
        "adiabatic_ratio": gaps["adiabatic_ratio"],
        "Tc_AllenDynes_K": tc["Tc_AllenDynes_K"],
        "tuned_band": model.superlattice.tuned_band,
        "ratio_at_top": ratio_at_dome_top(model, tc_map),
    }


def ratio_at_dome_top(model: Model, tc_map, gs=(0.30, 0.35, 0.40, 0.42)) -> list:
    """(g, η, Δ̄_t/Δ̄_{t−1}) at the η of the Tc maximum of each g's column of the map."""
    out = []
    for g in gs:
        col = tc_map.sel(g=g, method="nearest")
        eta = float(col.eta[int(np.nanargmax(col.values))])
        out.append((float(col.g), eta, model.gaps(eta, g=float(col.g)).delta_ratio))
    return out


# -- claims ---------------------------------------------------------------------------
def _peak(tc_map):
    z = tc_map.values
    i = np.unravel_index(np.nanargmax(z), z.shape)
    return float(z[i]), float(tc_map.eta[i[0]]), float(tc_map.g[i[1]])


def _row(claim, paper, ours, agrees, why=""):
    return {
        "claim": claim,
        "paper": paper,
        "ours": ours,
        "verdict": "agrees" if agrees else "differs",
        "why": "" if agrees else why,
    }


def _deep_ratio_with_weaker_transfer(model, g: float, g_inter: float = 0.05) -> str:
    """2Δ̄_{t−1}/k_B Tc at η = 0.5, 0.75, 1 with a weaker interband coupling: the deep
    gap is induced, so it scales with the pair transfer.
    """
    weak = model.with_pairing(g_inter=g_inter)
    t = model.superlattice.tuned_band
    r = [weak.gaps(eta, g=g).summary()["ratio_2Delta_kTc"][t - 2] for eta in (0.5, 0.75, 1.0)]
    where = "inside" if max(r) <= 1.0 else "still above"
    return (
        f"With g_nn' = {g_inter:.2f} it is {min(r):.2f}–{max(r):.2f} at η = 0.5–1, {where} "
        "the paper's range."
    )


def all_claims(models, maps, lines, sens, tops, fluctuations=None) -> list[dict]:
    """The paper's claims against ours: one row (claim, paper, ours, verdict, why) each."""
    return (
        dome_claims(models, maps)
        + _gap_claims(models, lines, tops)
        + case_b_claims(maps, sens)
        + _crossover_claims(tops)
        + cutoff_claims(models)
        + (fluctuation_claims(fluctuations) if fluctuations else [])
    )


def fluctuation_claims(pf: dict) -> list[dict]:
    """Does the dome's top stay where the paper puts it once phase fluctuations (BKT)
    decide the transition? The same position rule as for the mean-field top.
    """
    r = pf["A"]
    bkt, mf = r["T_BKT_top"], r["Tc_MF_top"]
    moved = abs(bkt["eta"] - 1) <= 0.15 and abs(bkt["g"] - 0.4) <= 0.05
    return [
        _row(
            "A: Tc,max where the paper puts it, with phase fluctuations: (η, g) ≈ (1, 0.4)",
            "(1, 0.4), mean field",
            f"T_BKT,max = {bkt['T_BKT_K']:.0f} K at ({bkt['eta']:.2f}, {bkt['g']:.2f}); "
            f"mean-field top {mf['Tc_K']:.0f} K at ({mf['eta']:.2f}, {mf['g']:.2f}), where "
            f"T_BKT/Tc = {mf['ratio']:.2f}",
            moved,
            "with the BKT transition the top moves: the z stiffness, carried by the tuned "
            "band, favours a different (η, g) than the pairing scale does",
        )
    ]


def dome_claims(models, maps) -> list[dict]:
    """Case A's dome: where its top is, how it moves with g, the antiresonance."""
    rows = []
    tA, eA, gA = _peak(maps["A"])
    rows.append(
        _row(
            "A: Tc,max ≈ 250 K at (η, g) ≈ (1, 0.4)",
            "250 K at (1, 0.4)",
            f"{tA:.0f} K at ({eA:.2f}, {gA:.2f})",
            abs(tA / 250 - 1) < 0.1 and abs(eA - 1) <= 0.15 and abs(gA - 0.4) <= 0.05,
            "outside 10 % in Tc or (0.15, 0.05) in (η, g)",
        )
    )
    prof = maps["A"].max("eta")
    g_best = float(prof.g[int(np.nanargmax(prof.values))])
    falls = float(prof.values[-1]) < float(np.nanmax(prof.values))
    rows.append(
        _row(
            "A: Tc,max rises with g up to ≈ 0.4 and falls for 0.4 < g < 0.5",
            "peak at g ≈ 0.4",
            f"max over η peaks at g = {g_best:.2f}; "
            f"{'falls' if falls else 'does not fall'} towards g = {float(prof.g[-1]):.2f}",
            0.35 <= g_best <= 0.45 and falls,
            "the peak of Tc,max(g) is elsewhere",
        )
    )
    above_background = []
    for g_fix in (0.30, 0.40):
        row, check = _antiresonance_row(models["A"], maps["A"], g_fix)
        rows.append(row)
        above_background.append(check)
    dips = [c for c in above_background if c["above"] < c["points"]]
    worst = min(above_background, key=lambda c: c["min_ratio"])
    rows.append(
        _row(
            "A: the minimum is an antiresonance: Tc dips below the non-resonant background",
            "a Fano-like dip",
            f"Tc(with band 3)/Tc(deep bands alone) >= {worst['min_ratio']:.3f} at every "
            f"η < 0 point of the g = 0.30 and 0.40 columns; with positive couplings, adding "
            "band 3's states to the window cannot lower λ_max (interlacing)",
            bool(dips),
            "no point has Tc below the background of the deep bands alone: the minimum is "
            "the falling deep-band Tc meeting band 3's rise, not a negative interference",
        )
    )
    return rows


def _antiresonance_row(model: Model, tc_map, g_fix: float) -> tuple[dict, dict]:
    """The claim row of the Tc minimum on the η < 0 side at g ≈ ``g_fix``, and the
    interlacing check behind it.
    """
    floor_K = MAP_NUMERICS.t_min
    col = tc_map.sel(g=g_fix, method="nearest")
    neg = col.where(col.eta < 0, drop=True)
    floored = neg.where(neg <= floor_K * 1.01, drop=True)
    edge = -model.cutoff(float(col.g)) / model.subbands.tuned_width
    if floored.size:
        lo, hi = float(floored.eta.min()), float(floored.eta.max())
        ours = f"at g = {float(col.g):.2f}: Tc < {floor_K:g} K for η ∈ [{lo:.2f}, {hi:.2f}]"
        hit = lo - 0.05 <= -0.34 <= hi + 0.05
    else:
        centre = float(neg.eta[int(np.nanargmin(neg.values))])
        ours = (
            f"at g = {float(col.g):.2f}: minimum Tc = {float(neg.min()):.2g} K at η = {centre:.2f}"
        )
        hit = abs(centre + 0.34) < 0.1
    check = interlacing_check(model, neg)
    row = _row(
        "A: Tc minimum (Fano antiresonance) at η ≈ −0.34 (Fig. 9)",
        "η ≈ −0.34",
        ours + f"; the window reaches band 3 at η = −ω̃/ΔE = {edge:.2f}. "
        f"The minimum is where the deep bands' Tc (falling with η, "
        f"{check['deep_at_min_K']:.2g} K there) meets band 3's rise: Tc with band 3 "
        f"is at least the deep bands' Tc at {check['above']} of {check['points']} "
        "points with η < 0",
        hit,
        "the minimum of Tc on the η < 0 side lies elsewhere on this grid",
    )
    return row, check


def interlacing_check(model: Model, column) -> dict:
    """Tc of a map column (η < 0 part, K) against the Tc of the deep bands alone.

    The background is the same model with every coupling of the tuned band set to 0,
    at the same μ_N and the same cut-off ω̃, on the map numerics; Tc is compared where
    both lie above the floor. Returns the point count, how many have Tc >= the
    background (to the solver's tolerance), the smallest ratio and the background at
    the minimum of Tc.
    """
    g = float(column.g)
    gm = model.coupling(g)
    deep = gm.copy()
    deep[model.tuned, :] = deep[:, model.tuned] = 0.0
    mus = np.array([model.mu_normal(float(e)) for e in column.eta.values])
    omega = np.full(mus.size, model.cutoff(g))
    m = model.with_numerics(MAP_NUMERICS)
    roots, _ = m.tc_batch(mus, np.repeat(deep[None], mus.size, 0), omega)
    tc, bg = column.values, roots.Tc
    both = (tc > MAP_NUMERICS.t_min) & (bg > MAP_NUMERICS.t_min)
    ratio = tc[both] / bg[both]
    i = int(np.nanargmin(tc))
    return {
        "points": int(both.sum()),
        "above": int(np.sum(ratio >= 1 - 10 * MAP_NUMERICS.tc_rtol)),
        "min_ratio": float(ratio.min()) if ratio.size else float("nan"),
        "deep_at_min_K": float(bg[i]),
    }


def _gap_claims(models, lines, tops) -> list[dict]:
    """Along the η lines at the paper's g: gap ratios, Δ̄3/Δ̄2 and α."""
    rows = []
    for c in "AB":
        ln = lines[c]
        sel = ln.where((ln.eta >= 0.5) & (ln.eta <= 1.0), drop=True)
        t = int(ln.attrs["tuned_band"])
        r2, r3 = (sel.ratio_2Delta_kTc.sel(band=b).values for b in (t - 1, t))
        ok2 = np.nanmax(r2) <= 1.0
        ok3 = np.all(np.abs(r3 - 3.53) < 0.6)
        weaker = "" if ok2 else _deep_ratio_with_weaker_transfer(models[c], PAPER_G_LINE[c])
        rows.append(
            _row(
                f"{c}: for 0.5 < η < 1, 2Δ2/Tc in 0–1, 2Δ3/Tc near BCS (g = {PAPER_G_LINE[c]:.3g})",
                "2Δ2/Tc ∈ [0, 1]; 2Δ3/Tc ≈ 3.5",
                f"2Δ2/Tc ∈ [{np.nanmin(r2):.2f}, {np.nanmax(r2):.2f}]; "
                f"2Δ3/Tc ∈ [{np.nanmin(r3):.2f}, {np.nanmax(r3):.2f}]",
                ok2 and ok3,
                "2Δ2/Tc stays above 1 here; the deep-band gap is set mostly by the "
                "interband pair transfer, whose strength the paper does not give "
                f"(we use g_nn' = 0.10). {weaker}",
            )
        )
    for c, (lo, hi) in (("A", (2.6, 2.9)), ("B", (3.5, 3.9))):
        ln = lines[c]
        dome = ln.where(ln.Tc >= 0.5 * float(ln.Tc.max()), drop=True)
        ratio = gap_anisotropy(dome)[0].values
        rows.append(
            _row(
                f"{c}: Δ3/Δ2 is {lo}–{hi} along the dome (Figs. 3, 7)",
                f"{lo}–{hi}",
                f"{np.nanmin(ratio):.2f}–{np.nanmax(ratio):.2f} (η line at g = "
                f"{PAPER_G_LINE[c]:.3g}, Tc ≥ Tc,max/2)",
                abs(np.nanmax(ratio) - hi) <= 0.3 and np.nanmin(ratio) >= lo - 0.5,
                "the ratio range differs by more than 0.3",
            )
        )
    rows += _isotope_claims(models["A"], lines["A"])
    rows += _dome_top_ratio_claims(models, tops)
    return rows


def isotope_near_lifshitz(
    model: Model, g: float, points: int = 12
) -> tuple[np.ndarray, np.ndarray]:
    """α on a grid that resolves η → 0 from both sides (|η| from 1e-4 to 0.3, log-spaced):
    the peak of α near the type-I Lifshitz point is far narrower than a line's spacing.
    """
    eta = np.concatenate([-np.logspace(-0.5, -4, points), np.logspace(-4, -0.5, points)])
    return eta, np.array([model.isotope_coefficient(float(e), g=g).alpha for e in eta])


def _isotope_claims(model: Model, ln) -> list[dict]:
    """Case A's α(η): its peak near η = 0 (on a grid fine enough there) and its minimum
    inside 0.5 < η < 1, with the window-edge kink that makes it.
    """
    g = float(ln.g)
    fine_eta, fine_alpha = isotope_near_lifshitz(model, g)
    eta = np.concatenate([ln.eta.values, fine_eta])
    alpha = np.concatenate([ln.alpha.values, fine_alpha])
    e_max = float(eta[int(np.nanargmax(alpha))])
    kink = model.cutoff(g) / model.subbands.tuned_width  # μ − ω̃ at the tuned band's bottom
    # the line, and the two sides of the kink, which a line's spacing does not resolve
    near = np.array([kink - 1e-3, kink + 1e-3])
    a_near = np.array([model.isotope_coefficient(float(e), g=g).alpha for e in near])
    e_all = np.concatenate([ln.eta.values, near])
    a_all = np.concatenate([ln.alpha.values, a_near])
    a_in = np.where((e_all >= 0.4) & (e_all <= 1.1), a_all, np.nan)
    i_min = int(np.nanargmin(a_in))
    e_min = float(e_all[i_min])
    where = (
        f"; it sits at the window-edge kink η = ω̃/ΔE = {kink:.3f}, where μ − ω̃ meets band "
        f"3's bottom and α jumps from {a_near[0]:.2f} to {a_near[1]:.2f}: a feature of the "
        "sharp cut-off that moves with g as ω̃(g)/ΔE, not of the neck at η = 1"
        if abs(e_min - kink) < 0.01
        else ""
    )
    return [
        _row(
            "A: isotope coefficient peaks near η = 0",
            "max near η = 0",
            f"max α = {np.nanmax(alpha):.2f} at η = {e_max:.4f} (line at g = {g:.3g} and a "
            "log grid down to |η| = 1e-4, kink-aware differences)",
            -0.3 <= e_max <= 0.3,
            "the maximum of α(η) is elsewhere",
        ),
        _row(
            "A: isotope coefficient has a minimum for 0.5 < η < 1",
            "min in 0.5–1",
            f"min α = {float(a_in[i_min]):.2f} at η = {e_min:.3f} (the line and η = "
            f"ω̃/ΔE ± 0.001){where}",
            0.4 <= e_min <= 1.1,
            "the minimum of α(η) is elsewhere",
        ),
    ]


def _dome_top_ratio_claims(models, tops) -> list[dict]:
    """Δ̄_t/Δ̄_{t−1} at the dome top (the Tc maximum over η) for 0.3 <= g <= 0.42."""
    rows = []
    for c in "AB":
        found = tops[c]["ratio_at_top"]
        text = ", ".join(f"{v:.2f} (g = {g:.2f}, η = {e:.2f})" for g, e, v in found)
        values = np.array([v for _, _, v in found])
        rows.append(
            _row(
                f"{c}: the gaps differ by Δ3/Δ2 = 2.9–3.9 at the dome top for 0.3 < g < 0.42",
                "2.9–3.9",
                text,
                abs(np.nanmax(values) - 3.9) <= 0.3 and np.nanmin(values) >= 2.9 - 0.5,
                "the ratio at the top of the Tc(η) dome grows with g beyond the paper's range",
            )
        )
    return rows


def case_b_claims(maps, sens) -> list[dict]:
    """Case B's Tc,max against the paper's 330 K, with the sensitivity scan's reach."""
    rows = []
    tB, eB, gB = _peak(maps["B"])
    best = max(max(v["Tc_max_K"]) for v in sens.values())
    rows.append(
        _row(
            "B: Tc,max ≈ 330 K near 0.6 < η < 1, g ≈ 0.4",
            "330 K",
            f"{tB:.0f} K at ({eB:.2f}, {gB:.2f}); at most {best:.0f} K over the sensitivity scan",
            abs(tB / 330 - 1) < 0.1,
            "with the default masses (m_w = m_x = 1, m_b = 0.7685 from ΔE) and "
            "g_nn' = 0.10 the dome tops out lower; see the sensitivity panel: the "
            "paper's masses and interband couplings are not given",
        )
    )
    return rows


def _crossover_claims(tops) -> list[dict]:
    """At each dome top: k_F ξ0 of the tuned band, and the amplification over Allen–Dynes."""
    rows = []
    for c, top in tops.items():
        t = top["tuned_band"]
        k = top["kF_xi0"]
        deep = ", ".join(f"{x:.0f}" for x in k[: t - 1])
        rows.append(
            _row(
                f"{c}: k_F ξ0 ~ 10 at the optimum (the tuned band's condensate in the "
                "BCS–BEC crossover)",
                "k_F ξ0 ~ 10",
                f"band {t}: k_F ξ0 = {k[t - 1]:.1f}, E_F/ω̃ = "
                f"{top['adiabatic_ratio'][t - 1]:.2f} at the dome top (η = {top['eta']:.2f}, "
                f"g = {top['g']:.2f}); deep bands: {deep}",
                5 <= k[t - 1] <= 20,
                "the tuned band's k_F ξ0 at the dome top is not within a factor 2 of 10 "
                f"with Pippard's ξ0 = ħv_F/(πΔ̄); with ξ0 = ħv_F/Δ̄ (π× larger) it is "
                f"{np.pi * k[t - 1]:.1f}. The paper does not state its ξ0",
            )
        )
        ad = top["Tc_AllenDynes_K"]
        rows.append(
            _row(
                f"{c}: the shape resonance amplifies Tc over the conventional single-band estimate",
                "amplification > 1",
                f"{top['Tc_K']:.0f} K against Allen–Dynes {ad:.0f} K (λ = g/(1 − g), "
                f"ω_log = ω̃, μ* = 0.10): × {top['Tc_K'] / ad:.1f}"
                if ad
                else "Allen–Dynes gives 0 K",
                (not ad) or top["Tc_K"] > ad,
                "our dome top is below the Allen–Dynes estimate",
            )
        )
    return rows


def cutoff_claims(models) -> list[dict]:
    """The cut-off values quoted in the paper's text against its eq. 1."""
    rows = []
    for c, quoted, (g_lo, g_hi), text in (
        ("A", 160.0, (0.30, 0.33), "A: ω̃ = 160 meV at 0.3 < g < 0.33 (ω0 = 330 meV)"),
        ("B", 145.0, (0.25, 0.25), "B: ω̃ = ΔE = 145 meV at g = 0.25 (ω0 = 225 meV)"),
    ):
        m = models[c]
        w = sorted(energy_out(m.cutoff(g)) for g in (g_lo, g_hi))
        w0 = energy_out(m.pairing.omega0)
        g_needed = 0.5 * (1.0 - (quoted / w0) ** 2)  # ω0 sqrt(1 − 2g) = quoted
        ours = f"{w[0]:.0f}–{w[1]:.0f} meV" if w[1] - w[0] >= 0.5 else f"{w[0]:.0f} meV"
        rows.append(
            _row(
                text,
                f"{quoted:.0f} meV",
                ours + " from eq. 1",
                w[0] - 2.0 <= quoted <= w[1] + 2.0,
                f"eq. 1 implemented literally: {w0:.0f}·sqrt(1 − 2g) is not {quoted:.0f} meV "
                f"there ({quoted:.0f} meV needs g ≈ {g_needed:.2f})",
            )
        )
    return rows


# -- report ---------------------------------------------------------------------------
RETRACTION = (
    "Case B is the paper's model for carbonaceous sulfur hydride (CSH_x). The CSH_x "
    "experiment it was built to describe (Snider et al., Nature 586, 373, 2020) was "
    "retracted in 2022."
)
