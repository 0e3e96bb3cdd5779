"""Commands at one (η, g) point: ``tc``, ``gaps``, ``thermo``, ``isotope``."""

from __future__ import annotations

import click

from multigap.cli.options import (
    GAP_MU_MODE,
    TEMPERATURE,
    check_eta,
    emit,
    model_of,
    model_options,
    output_options,
    plot_option,
    point_options,
    text_table,
)
from multigap.config import Config
from multigap.errors import ParameterError
from multigap.units import check_temperature


@click.command()
@model_options
@point_options
@output_options
@click.option(
    "--mu-mode",
    type=click.Choice(["fixed_mu", "fixed_density", "normal"]),
    default="fixed_mu",
    show_default=True,
    help="μ at Tc: μ_N(η) (fixed_mu; 'normal' is its old name), or μ(T) at the "
    "normal-state density ρ_N (fixed_density).",
)
@click.option(
    "--mu-star",
    type=float,
    default=0.10,
    show_default=True,
    help="Coulomb pseudopotential μ* of the Allen–Dynes reference Tc.",
)
def tc(cfg: Config, eta, g, as_json, out, mu_mode, mu_star):
    """Critical temperature from the linearised multiband gap equation, with the
    single-band Allen–Dynes estimate (λ = g/(1 − g), ω_log = ω̃) beside it.
    """
    from multigap.output.labels import tc_summary

    check_eta(eta)
    m = model_of(cfg)
    r = m.critical_temperature(eta, g=g, mu_mode=mu_mode)
    s = tc_summary(r, mu_star=mu_star)
    status = {
        "ok": "",
        "below_T_min": f"  (below the search floor T_min = {r.t_min:g} K = "
        f"{s['T_min_over_omega_tilde']:.2g} ω̃/k_B: λ_max = {r.lambda_at_t_min:.4g} < 1 there;"
        " not a physical zero: lower [numerics] t_min to look further)",
        "outside_weak_coupling": f"  (outside weak coupling: k_B Tc > ω̃/2 = "
        f"{s['omega_tilde_meV'] / 2:.4g} meV; not trustworthy)",
    }.get(r.status, f"  ({r.status})")
    table = text_table(
        ["quantity", "value"],
        [
            ["Tc [K]", f"{r.Tc:.6g}{status}"],
            ["eta", eta],
            ["g", s["g"]],
            ["omega_tilde [meV]", s["omega_tilde_meV"]],
            ["mu [meV]", s["mu_meV"]],
            ["mu mode", mu_mode],
            ["mu - mu_N [meV]", s["mu_shift_meV"]],
            [
                "Allen-Dynes Tc [K]",
                (
                    f"{s['Tc_AllenDynes_K']:.6g}"
                    if s["Tc_AllenDynes_K"] >= r.t_min
                    else f"< {r.t_min:g}"
                )
                + f" (mu* = {mu_star:g})",
            ],  # fmt: skip
            ["Tc / Tc(Allen-Dynes)", s["amplification"] if s["amplification"] else "n/a"],
            ["kernel nodes", s["kernel_nodes"]],
        ],
    )
    emit(s, table, as_json, r.to_dataset() if out else None, out)


@click.command()
@model_options
@point_options
@output_options
@click.option(
    "--mu-mode",
    "mu_mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default=None,
    help="Hold the density ρ_N(η) (default; μ solved with the gaps) or μ = μ_N.",
)
@click.option(
    "--mode",
    "mode",
    type=click.Choice(["fixed_density", "fixed_mu"]),
    default=None,
    hidden=True,
    help="Old spelling of --mu-mode.",
)
@click.option(
    "--temperature",
    type=TEMPERATURE,
    default=0.0,
    show_default=True,
    help="Temperature T of the gaps [K, or e.g. '150 K'] (above Tc: the normal state).",
)
@plot_option("Δ_n(kz), Δ̄_n and E_n(kz) − μ with the pairing window")
def gaps(cfg: Config, eta, g, as_json, out, mu_mode, mode, temperature, plot):
    """Gaps at temperature T (default 0) with the number equation: Δ̄_n, 2Δ/k_B Tc,
    Δ_t/Δ_{t−1}, and the crossover diagnostics E_F,n, E_F/Δ, E_F/ω̃ and k_F ξ0 per band.
    """
    check_eta(eta)
    check_temperature(temperature)
    mode = mu_mode or mode or "fixed_density"
    m = model_of(cfg)
    t = m.critical_temperature(eta, g=g)
    if not t.Tc > 0:
        raise ParameterError(
            "--eta/--g",
            (eta, g),
            f"a point with Tc > T_min = {t.t_min:g} K "
            "(Tc is below the search floor here, so the gaps vanish)",
        )
    r = m.gaps(eta, g=g, mu_mode=mode, tc=t, temperature=temperature)
    s = r.summary()
    ds = r.to_dataset() if (out or plot) else None
    if plot:
        from multigap.plots import gap_anisotropy_figure, save

        save(gap_anisotropy_figure(ds, model=cfg.model), plot)
    rows = [
        [
            n + 1,
            s["Delta_meV"][n],
            s["ratio_2Delta_kTc"][n],
            s["fermi_energy_meV"][n],
            s["EF_over_Delta"][n],
            s["adiabatic_ratio"][n],
            s["kF_xi0"][n],
            "yes" if s["on_fermi_surface"][n] else "no (Δ at band minimum)",
        ]
        for n in range(len(s["Delta_meV"]))
    ]
    table = text_table(
        [
            "band",
            "Delta [meV]",
            "2Delta/kTc",
            "E_F [meV]",
            "E_F/Delta",
            "E_F/omega",
            "kF xi0",
            "Fermi surface",
        ],
        rows,
    )
    pair = s["Delta_ratio_bands"]
    ratio = f"Δ{pair[0]}/Δ{pair[1]} = {s['Delta_ratio']:.6g}, " if pair else ""
    table += (
        f"\nT = {temperature:g} K ({r.status}), gaps solved at {mode}: "
        f"μ_S − μ_N = {s['mu_shift_meV']:.6g} meV, {ratio}"
        f"converged = {r.converged}, residual = {r.residual:.2e}"
        f"\nTc = {t.Tc:.6g} K at fixed μ (the ratios 2Δ/k_B Tc use it); "
        f"Tc of the {mode} mode = {r.Tc_of_mode:.6g} K"
    )
    emit(s, table, as_json, ds, out)


@click.command()
@model_options
@point_options
@output_options
@GAP_MU_MODE
@click.option(
    "--num",
    type=click.IntRange(8, 400),
    default=40,
    show_default=True,
    help="Temperatures, from 0.05 Tc to 1.1 Tc, denser near Tc.",
)
@plot_option("Δ̄_n(T) and C/C_N")
def thermo(cfg: Config, eta, g, as_json, out, mu_mode, num, plot):
    """Gaps, μ, entropy and specific heat from T → 0 to above Tc, and the jump ΔC/C_N."""
    from multigap.solvers.thermodynamics import thermodynamics

    check_eta(eta)
    r = thermodynamics(model_of(cfg), eta, g, mu_mode=mu_mode, num=num, progress=True)
    s = r.summary()
    ds = r.to_dataset() if (out or plot) else None
    if plot:
        from multigap.plots import save, thermo_figure

        save(thermo_figure(ds, model=cfg.model), plot)
    rows = [
        [t, *d, m_, c, st]
        for t, d, m_, c, st in zip(
            s["T_K"], s["Delta_meV"], s["mu_meV"], s["C_over_CN"], s["status"]
        )
    ]
    nb = len(s["Delta_meV"][0])
    table = text_table(
        ["T [K]"] + [f"Delta{n + 1} [meV]" for n in range(nb)] + ["mu [meV]", "C/C_N", "status"],
        rows,
    )
    table += f"\nTc = {r.Tc:.6g} K ({mu_mode}, {r.Tc_status}), ΔC/C_N = {r.jump:.4g}"
    if r.Tc_status != "ok":
        table += f"\nwarning: Tc is {r.Tc_status}: k_B Tc > ω̃/2, outside the weak-coupling kernel"
    if (r.status == "failed").any():
        table += (
            f"\nwarning: the gaps failed at {int((r.status == 'failed').sum())} temperatures;"
            " C is not differenced across them"
        )
    emit(s, table, as_json, ds, out)


@click.command()
@model_options
@point_options
@output_options
@click.option(
    "--step",
    type=float,
    default=0.02,
    show_default=True,
    help="Step h in ln ω0 (Richardson with h and h/2).",
)
def isotope(cfg: Config, eta, g, as_json, out, step):
    """Isotope coefficient α = ½ ∂ln Tc/∂ln ω0 at fixed g and η."""
    check_eta(eta)
    m = model_of(cfg)
    r = m.isotope_coefficient(eta, g=g, step=step)
    s = r.summary()
    table = text_table(
        ["quantity", "value"],
        [
            ["alpha", s["alpha"]],
            ["error estimate", s["alpha_error_estimate"]],
            ["Tc [K]", s["Tc_K"]],
            ["status", s["status"]],
            ["eta", eta],
            ["g", s["g"]],
        ],
    )
    if s["eta_kink"] is not None:
        table += (
            f"\nnote: a window edge μ ± ω̃ meets a band edge at η = {s['eta_kink']:.6g}: with"
            f" the sharp cut-off α jumps there (one-sided: {s['alpha_below_kink']:.4g} below,"
            f" {s['alpha_above_kink']:.4g} above); alpha is the value on this η's side"
        )
    emit(s, table, as_json, r.to_dataset() if out else None, out)
