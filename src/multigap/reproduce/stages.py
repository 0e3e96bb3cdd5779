"""The stages of a reproduction: each computes one group of the paper's figures
(or what goes beyond them), writes the data and the figure, and returns what the
claims need.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from multigap.config import Numerics
from multigap.reproduce.settings import (
    MAP_NUMERICS,
    PAPER_G_LINE,
    ReproductionRun,
    case_spec,
    design_example_spec,
)
from multigap.solvers.model import Model
from multigap.study.sweep import axis_name, computed
from multigap.units import energy_out


def normal_state_figures(run: ReproductionRun, models: dict):
    """Figs. 3–5: DOS and Fermi contours, the cut-off, the overlaps."""
    from multigap import plots
    from multigap.output.labels import dos_dataset, fermi_dataset, overlap_dataset

    s = run.s
    eta = np.linspace(-1.0, 2.0, s.dos_points)
    eta += 0.5 * (eta[1] - eta[0])  # off the grid's η = 1, where the DOS diverges
    for c, m in models.items():
        dos = dos_dataset(m.subbands, eta, model=c)
        run.figure(
            plots.dos_figure(m.subbands, model=c, dos=dos),
            f"fig03_dos_{c}",
            f"Fig. 3{'a' if c == 'A' else 'b'}: total and partial DOS against η, case {c}.",
        )
        run.dataset(dos, f"fig03_dos_{c}")
        run.figure(
            plots.fermi_figure(m.subbands, model=c),
            f"fig03c_fermi_{c}",
            f"Fig. 3c: Fermi contours at η = 0.3, 0.98, 1.5, case {c}.",
        )
        run.dataset(fermi_dataset(m.subbands, [0.3, 0.98, 1.5], model=c), f"fig03c_fermi_{c}")
    cutoffs = _cutoff_dataset(models)
    run.figure(
        plots.cutoff_figure(cutoffs),
        "fig04_cutoff",
        "Fig. 4: Migdal-softened cut-off ω̃(g) for both cases as every calculation uses it "
        "(eq. 1 with the largest intraband coupling, so flat below the deep bands' "
        "g_nn = 0.10), with the paper's quoted values.",
    )
    run.dataset(cutoffs, "fig04_cutoff")
    for c, m in models.items():
        ov = overlap_dataset(m.subbands, n_kz=48, model=c)
        run.figure(
            plots.overlap_figure(ov, model=c),
            f"fig05_overlap_{c}",
            f"Fig. 5: histogram of Ĩ^(nn') and Ĩ^(nn')(kz, kz) against kz, case {c}.",
        )
        run.dataset(ov, f"fig05_overlap_{c}")


def dome_maps(run: ReproductionRun, models: dict):
    """Figs. 8–11: the Tc(η, g) maps of both cases and the figures drawn from them."""
    from multigap import plots

    s = run.s
    maps = {}
    for c in "AB":
        fig_no = "10" if c == "A" else "11"
        ds = run.sweep(
            f"fig10_11_map_{c}",
            case_spec(c, s.map_eta, s.map_g, MAP_NUMERICS),
            f"Figs. 8–11, case {c}: Tc(η, g) map",
        )
        maps[c] = computed(ds)
        run.figure(
            plots.dome_figure(maps[c], model=c, eta_range=(0.0, 2.0), regimes=ds),
            f"fig{fig_no}_dome_{c}",
            f"Fig. {fig_no}: Tc(η, g) for case {c} over the paper's range 0 ≤ η ≤ 2, "
            "Lifshitz lines dashed, maximum starred; hatched where the tuned band is "
            "non-adiabatic (E_F,t < ω̃ in the normal state).",
        )
        run.figure(
            plots.dome_figure(maps[c], model=c, log=True),
            f"fig{fig_no}_dome_{c}_extended",
            f"Fig. {fig_no}, extended to η < 0 on a log colour scale: the "
            f"antiresonant side, where Tc falls by orders of magnitude, case {c}.",
        )
        gs = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
        dE = energy_out(models[c].subbands.tuned_width)
        for log in (False, True):
            run.figure(
                plots.tc_vs_eta_figure(
                    maps[c],
                    gs,
                    model=c,
                    log=log,
                    delta_e=dE,
                    omega_tilde=lambda g, m=models[c]: energy_out(m.cutoff(g)),
                ),
                f"fig08_tc_eta_{c}_{'semilog' if log else 'linear'}",
                f"Fig. 8: Tc against η for several g, case {c}, "
                f"{'semi-log' if log else 'linear'} scale.",
            )
    run.figure(
        plots.tc_vs_g_figure(
            maps["A"], [-0.8, -0.6, -0.5, -0.34, -0.2, 0.25, 0.5, 1.0, 1.5], model="A"
        ),
        "fig09_tc_g_A",
        "Fig. 9: Tc against g at fixed η, case A (antiresonant and resonant sides).",
    )

    return maps


def gap_lines(run: ReproductionRun, models: dict):
    """Figs. 6–7: gap ratios, α and Δ̄3/Δ̄2 along η at the paper's g."""
    from multigap import plots

    s = run.s
    lines = {}
    for c in "AB":
        g = PAPER_G_LINE[c]
        ds = run.sweep(
            f"fig06_07_line_{c}",
            case_spec(c, s.line_eta, (g, g, 1), gaps=True, isotope=True),
            f"Figs. 6–7, case {c}: gaps and α along η",
        )
        lines[c] = ds.isel(g=0)
        run.figure(
            plots.gap_ratio_figure(
                lines[c],
                model=c,
                g=g,
                omega_tilde=energy_out(models[c].cutoff(g)),
                delta_e=energy_out(models[c].subbands.tuned_width),
            ),
            f"fig06_gaps_isotope_{c}",
            f"Fig. 6: 2Δ̄n/k_B Tc (bands t − 1 = 2 and t = 3) and α against η at "
            f"g = {g:.3g}, case {c}, on {s.line_eta[2]} points over "
            f"{s.line_eta[0]:g} ≤ η ≤ {s.line_eta[1]:g}. For η < 0 band 3 has no Fermi "
            "surface and Tc is of order mK (open points give Δ3 at the kz nearest the "
            "Fermi level); where Tc falls below the 1 mK search floor (shaded) there are "
            "no gaps. α has kinks where an edge of the sharp pairing window crosses a band "
            "edge (dash-dotted).",
        )
        run.figure(
            plots.tc_vs_ratio_figure(lines[c], model=c),
            f"fig07_tc_ratio_{c}",
            f"Fig. 7: Tc against Δ̄3/Δ̄2 along η at g = {g:.3g}, case {c}.",
        )

    return lines


def case_b_sensitivity(run: ReproductionRun):
    """Case B: Tc,max against the parameters the paper does not state."""
    from multigap import plots

    s = run.s
    panels, sens = {}, {}
    for label, name, axis, default in (
        ("m_x [m_e]", "mass_x", s.sens_mass_x, 1.0),
        ("m_w [m_e] (m_b re-solved, ΔE = 145 meV)", "mass_well_fixed_width", s.sens_mass_well, 1.0),
        ("interband g_nn'", "g_inter", s.sens_g_inter, 0.10),
    ):
        ds = run.sweep(
            f"sensitivity_B_{name}",
            case_spec("B", s.sens_eta, s.sens_g, param=(name, *axis)),
            f"Case B sensitivity: Tc maps over {name}",
        )
        tmax = computed(ds).max(dim=("eta", "g")).values
        values = ds[axis_name(name)].values
        panels[label] = (values, tmax, default)
        sens[name] = {"values": values.tolist(), "Tc_max_K": tmax.tolist()}
    run.figure(
        plots.sensitivity_figure(panels, 330.0),
        "fig_sensitivity_B",
        "Case B: Tc,max of the dome against m_x, m_w (ΔE held at 145 meV) and the "
        "interband coupling, against the paper's 330 K.",
    )
    return sens


def _cutoff_dataset(models: dict):
    """ω̃(g) of each model (meV) on a g grid, the data of Fig. 4."""
    import xarray as xr

    g = np.linspace(0.0, 0.49, 99)
    return xr.Dataset(
        {
            f"omega_tilde_{c}": (
                "g",
                energy_out(np.array([m.cutoff(x) for x in g])),
                {"units": "meV", "omega0_meV": energy_out(m.pairing.omega0)},
            )
            for c, m in models.items()
        },
        coords={"g": ("g", g, {"units": "1", "long_name": "coupling of the tuned band"})},
    )


def beyond_the_paper(run, quick: bool) -> dict:
    """The paper's two promises: a measured dome read as a path (the H3S schematic dome,
    fitted with g1 = 0), and a design (the barrier mass and width that maximise Tc,max of
    case A at g = 0.35).
    """
    model = Model.from_preset("A", Numerics.preset("map"))
    return {"h3s_fit": _fit_example(run, model), "design": _design_example(run, model, quick)}


def _fit_example(run, model) -> dict:
    """The H3S schematic dome fitted as a path through case A's dome, with its figure."""
    from multigap import plots
    from multigap.study.fit import fit_dome, read_dome_csv
    from multigap.study.paths import dome_map

    here = Path(__file__).resolve()
    csv = next(
        (
            p / "examples" / "h3s_schematic_dome.csv"
            for p in here.parents
            if (p / "examples" / "h3s_schematic_dome.csv").exists()
        ),
        None,
    )
    if csv is not None:
        P, T, E = read_dome_csv(csv)
    else:  # installed without the examples: the same schematic, written here
        P = np.linspace(120, 205, 9)
        T, E = 203.0 * np.exp(-np.log(2) * ((P - 162.0) / 43.0) ** 2), np.full(9, 5.0)
    fit = fit_dome(model, P, T, E, fix={"g1": 0.0})
    summary = {
        k: v
        for k, v in fit.summary().items()
        if k in ("parameters", "p_ref_GPa", "chi2", "redchi", "correlations")
    }
    eta, g = fit.path(fit.curve_pressure)
    eg, gg = np.linspace(-0.5, 2.0, 41), np.linspace(max(0.05, g.min() - 0.05), g.max() + 0.05, 8)
    run.figure(
        plots.path_figure(
            fit.curve_pressure,
            fit.curve_Tc,
            eta,
            g,
            (eg, gg, dome_map(model, eg, gg)),
            model="A",
            data=(P, T, E),
            title="the H3S dome (SCHEMATIC) fitted as a path, g1 = 0",
        ),
        "fit_h3s_schematic",
        "The H3S dome of the paper's Fig. 1 as a SCHEMATIC Gaussian (203 K at 162 GPa, "
        "half width 43 GPa; not measured data) fitted as a path through case A's dome.",
    )
    return summary


def _design_example(run, model, quick: bool) -> dict:
    """The design example (barrier mass and width for the largest Tc,max), with its figure."""
    from multigap import plots
    from multigap.study.design import run_design, tc_max
    from multigap.study.paths import dome_map

    spec = design_example_spec(budget=64 if quick else 192)
    sl, pa = spec.superlattice, spec.pairing
    design = run_design(
        spec, out=run.out / "data" / "design_A", executor="processes", workers=run.workers
    )
    best = design["best"]
    bmodel = Model(sl.replace(**best["parameters"]), pa, spec.numerics)
    g = spec.g
    etas = np.linspace(-0.5, 4.0, 61)
    records = list({json.dumps(h["x"]): h for h in design["history"]}.values())
    run.figure(
        plots.design_figure(
            records,
            spec.names,
            (etas, dome_map(bmodel, etas, [g])[:, 0]),
            (etas, dome_map(model, etas, [g])[:, 0]),
            model="A",
        ),
        "design_A",
        f"Design example: Tc,max of case A at g = {g:g} over the barrier mass "
        "and width (differential evolution), with the best dome beside the preset's.",
    )
    return {
        "best": best,
        "optimum": design["optimum"],
        "evaluations": design["evaluations"],
        "vary": [list(v) for v in spec.vary],
        "g": g,
        "dE_meV": energy_out(bmodel.subbands.tuned_width),
        "preset_dE_meV": energy_out(model.subbands.tuned_width),
        "preset_Tc_max_K": tc_max(model, g)[0],
    }
