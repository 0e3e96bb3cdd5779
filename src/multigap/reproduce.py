"""``multigap reproduce``: the paper's computed figures (Figs. 3–11), their data, and a report.

Every heavy computation runs through the resumable sweep machinery
(:mod:`multigap.study.sweep`) into ``OUT/stores``; each figure's data is written as NetCDF
to ``OUT/data``, the figures as PNG and PDF to ``OUT/figures``, and
``OUT/report.md`` and a self-contained ``OUT/report.html`` hold the table of the
paper's claims against ours, with a verdict and, where we differ, why.
"""

from __future__ import annotations

import base64
import html
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from multigap._version import __version__
from multigap.config import Numerics, preset
from multigap.errors import ParameterError
from multigap.solvers.model import Model
from multigap.study.sweep import SweepSpec, axis_name, computed, export_sweep, run_sweep
from multigap.units import energy_out

__all__ = ["ReproduceSettings", "FULL", "QUICK", "reproduce"]

PAPER_G_LINE = {"A": 0.25, "B": 1.0 / 3.0}


@dataclass(frozen=True)
class ReproduceSettings:
    """Grids of the reproduction (START, STOP, NUM triples)."""

    map_eta: tuple = (-1.0, 2.0, 121)
    map_g: tuple = (0.10, 0.48, 39)
    line_eta: tuple = (-0.5, 2.0, 81)
    sens_eta: tuple = (0.0, 2.0, 41)
    sens_g: tuple = (0.30, 0.48, 10)
    sens_mass_x: tuple = (0.5, 2.0, 5)
    sens_mass_well: tuple = (0.6, 1.4, 5)
    sens_g_inter: tuple = (0.0, 0.2, 5)
    dos_points: int = 601


FULL = ReproduceSettings()
QUICK = ReproduceSettings(
    map_eta=(-1.0, 2.0, 31),
    map_g=(0.10, 0.48, 10),
    line_eta=(-0.5, 2.0, 8),
    sens_eta=(0.0, 2.0, 11),
    sens_g=(0.34, 0.46, 4),
    sens_mass_x=(0.5, 2.0, 3),
    sens_mass_well=(0.7, 1.3, 3),
    sens_g_inter=(0.0, 0.2, 3),
    dos_points=201,
)


class _Run:
    def __init__(self, out: Path, settings: ReproduceSettings, workers, progress):
        self.out, self.s, self.workers, self.progress = out, settings, workers, progress
        for sub in ("figures", "data", "stores"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        self.figures: list[tuple[str, str]] = []  # (file stem, caption)
        self.data: list[str] = []
        self.reused: dict[str, dict[str, int]] = {}  # store name: run_sweep's counts

    def figure(self, fig, stem: str, caption: str):
        from multigap.plots import save

        fig.savefig(self.out / "figures" / f"{stem}.png", dpi=130, bbox_inches="tight")
        save(fig, self.out / "figures" / f"{stem}.pdf")  # saves and closes
        self.figures.append((stem, caption))

    def dataset(self, ds, stem: str):
        path = self.out / "data" / f"{stem}.nc"
        ds.to_netcdf(path, engine="h5netcdf")
        self.data.append(path.name)

    def sweep(self, name: str, spec: SweepSpec, label: str):
        """Run (or resume) the sweep ``name``; ``label`` names it on the progress bar."""
        store = self.out / "stores" / name
        self.reused[name] = run_sweep(
            spec, store, workers=self.workers, progress=self.progress, force=True, label=label
        )
        ds = export_sweep(store, self.out / "data" / f"{name}.nc")
        self.data.append(f"{name}.nc")
        return ds


#: The maps search Tc down to 1 µK (not the 1 mK default), so that the Fano antiresonance
#: on the η < 0 side is a resolved minimum rather than a floor.
MAP_NUMERICS = Numerics.preset("map", t_min=1e-6)


def _spec(case: str, eta, g, numerics: Numerics | None = None, **kw) -> SweepSpec:
    sl, pa = preset(case)
    return SweepSpec(sl, pa, numerics or Numerics.preset("map"), eta, g, model=case, **kw)


def reproduce(
    out: str | Path = "results",
    *,
    quick: bool = False,
    workers: int | None = None,
    progress: bool = True,
) -> dict:
    """Regenerate Figs. 3–11, their data and the report.

    Parameters
    ----------
    out : str or Path
        Output directory (created).
    quick : bool
        Coarse grids (the test setting), about a minute.
    workers : int, optional
        Processes for the sweeps (default: all cores).
    progress : bool
        Progress bars.

    Returns
    -------
    dict
        ``claims`` (list of rows), ``figures``, ``data``, ``seconds``, and ``reused``:
        for each sweep store, the columns it has and how many an earlier (killed or
        finished) run had already computed.
    """
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError("out", str(out), "a directory")
    if not out.parent.exists():
        raise ParameterError("out", str(out), "a path in an existing directory")
    s = QUICK if quick else FULL
    run = _Run(out, s, workers, progress)
    models = {c: Model.from_preset(c) for c in "AB"}
    results: dict = {"settings": asdict(s), "quick": quick}

    _normal_state_figures(run, models)
    maps = _dome_maps(run, models)
    lines = _gap_lines(run, models)
    sens = results["sensitivity_B"] = _case_b_sensitivity(run)
    # finite temperature at each dome top: Δ̄_n(T), C/C_N, k_F ξ0, the Allen–Dynes reference
    tops = results["dome_tops"] = {c: _dome_top(run, c, models[c], maps[c]) for c in "AB"}
    results["beyond"] = _beyond_the_paper(run, quick)

    results["claims"] = _claims(models, maps, lines, sens, tops)
    results["figures"] = [f for f, _ in run.figures]
    results["data"] = run.data
    results["reused"] = run.reused
    results["seconds"] = time.perf_counter() - t0
    _write_report(run, results)
    return results


def _normal_state_figures(run: _Run, models: dict):
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


def _dome_maps(run: _Run, models: dict):
    """Figs. 8–11: the Tc(η, g) maps of both cases and the figures drawn from them."""
    from multigap import plots

    s = run.s
    maps = {}
    for c in "AB":
        fig_no = "10" if c == "A" else "11"
        ds = run.sweep(
            f"fig10_11_map_{c}",
            _spec(c, s.map_eta, s.map_g, MAP_NUMERICS),
            f"Figs. 8–11, case {c}: Tc(η, g) map",
        )
        maps[c] = computed(ds)
        run.figure(
            plots.dome_figure(maps[c], model=c, eta_range=(0.0, 2.0)),
            f"fig{fig_no}_dome_{c}",
            f"Fig. {fig_no}: Tc(η, g) for case {c} over the paper's range 0 ≤ η ≤ 2, "
            "Lifshitz lines dashed, maximum starred.",
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


def _gap_lines(run: _Run, models: dict):
    """Figs. 6–7: gap ratios, α and Δ̄3/Δ̄2 along η at the paper's g."""
    from multigap import plots

    s = run.s
    lines = {}
    for c in "AB":
        g = PAPER_G_LINE[c]
        ds = run.sweep(
            f"fig06_07_line_{c}",
            _spec(c, s.line_eta, (g, g, 1), gaps=True, isotope=True),
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


def _case_b_sensitivity(run: _Run):
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
            _spec("B", s.sens_eta, s.sens_g, param=(name, *axis)),
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


def design_example_spec(budget: int):
    """The report's design example: case A's barrier mass (0.35–1.0 m_e) and width
    (0.4–0.8 nm) that maximise Tc,max at g = 0.35, "map" numerics, seed 0."""
    from multigap.study.design import DesignSpec

    sl, pa = preset("A")
    return DesignSpec(
        sl,
        pa,
        Numerics.preset("map"),
        vary=(("mass_barrier", 0.35, 1.0), ("barrier_width", 0.4, 0.8)),
        g=0.35,
        budget=budget,
        seed=0,
        model="A",
    )


def _beyond_the_paper(run, quick: bool) -> dict:
    """The paper's two promises: a measured dome read as a path (the H3S schematic dome,
    fitted with g1 = 0), and a design (the barrier mass and width that maximise Tc,max of
    case A at g = 0.35)."""
    from multigap import plots
    from multigap.study.design import run_design
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
    out: dict = {}
    model = Model.from_preset("A", Numerics.preset("map"))
    if csv is not None:
        P, T, E = read_dome_csv(csv)
    else:  # installed without the examples: the same schematic, written here
        P = np.linspace(120, 205, 9)
        T, E = 203.0 * np.exp(-np.log(2) * ((P - 162.0) / 43.0) ** 2), np.full(9, 5.0)
    fit = fit_dome(model, P, T, E, fix={"g1": 0.0})
    out["h3s_fit"] = {
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
    spec = design_example_spec(budget=64 if quick else 192)
    sl, pa = spec.superlattice, spec.pairing
    design = run_design(
        spec, out=run.out / "data" / "design_A", executor="processes", workers=run.workers
    )
    best = design["best"]
    bmodel = Model(sl.replace(**best["parameters"]), pa, spec.numerics)
    from multigap.study.design import tc_max

    g = spec.g
    out["design"] = {
        "best": best,
        "evaluations": design["evaluations"],
        "vary": [list(v) for v in spec.vary],
        "g": g,
        "dE_meV": energy_out(bmodel.subbands.tuned_width),
        "preset_dE_meV": energy_out(model.subbands.tuned_width),
        "preset_Tc_max_K": tc_max(model, g)[0],
    }
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
    return out


def _dome_top(run, case: str, model: Model, tc_map) -> dict:
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
    gap is induced, so it scales with the pair transfer."""
    weak = model.with_pairing(g_inter=g_inter)
    t = model.superlattice.tuned_band
    r = [weak.gaps(eta, g=g).summary()["ratio_2Delta_kTc"][t - 2] for eta in (0.5, 0.75, 1.0)]
    where = "inside" if max(r) <= 1.0 else "still above"
    return (
        f"With g_nn' = {g_inter:.2f} it is {min(r):.2f}–{max(r):.2f} at η = 0.5–1, {where} "
        "the paper's range."
    )


def _claims(models, maps, lines, sens, tops) -> list[dict]:
    """The paper's claims against ours: one row (claim, paper, ours, verdict, why) each."""
    return (
        _dome_claims(models, maps)
        + _gap_claims(models, lines, tops)
        + _case_b_claims(maps, sens)
        + _crossover_claims(tops)
        + _cutoff_claims(models)
    )


def _dome_claims(models, maps) -> list[dict]:
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
    floor_K = MAP_NUMERICS.t_min
    above_background = []
    for g_fix in (0.30, 0.40):
        col = maps["A"].sel(g=g_fix, method="nearest")
        neg = col.where(col.eta < 0, drop=True)
        floored = neg.where(neg <= floor_K * 1.01, drop=True)
        edge = -models["A"].cutoff(float(col.g)) / models["A"].subbands.tuned_width
        if floored.size:
            lo, hi = float(floored.eta.min()), float(floored.eta.max())
            ours = f"at g = {float(col.g):.2f}: Tc < {floor_K:g} K for η ∈ [{lo:.2f}, {hi:.2f}]"
            hit = lo - 0.05 <= -0.34 <= hi + 0.05
        else:
            centre = float(neg.eta[int(np.nanargmin(neg.values))])
            ours = (
                f"at g = {float(col.g):.2f}: minimum Tc = {float(neg.min()):.2g} K "
                f"at η = {centre:.2f}"
            )
            hit = abs(centre + 0.34) < 0.1
        check = interlacing_check(models["A"], neg)
        above_background.append(check)
        rows.append(
            _row(
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
        )
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
    from multigap import plots

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
        ratio = plots.gap_anisotropy(dome)[0].values
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
    the peak of α near the type-I Lifshitz point is far narrower than a line's spacing."""
    eta = np.concatenate([-np.logspace(-0.5, -4, points), np.logspace(-4, -0.5, points)])
    return eta, np.array([model.isotope_coefficient(float(e), g=g).alpha for e in eta])


def _isotope_claims(model: Model, ln) -> list[dict]:
    """Case A's α(η): its peak near η = 0 (on a grid fine enough there) and its minimum
    inside 0.5 < η < 1, with the window-edge kink that makes it."""
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


def _case_b_claims(maps, sens) -> list[dict]:
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


def _cutoff_claims(models) -> list[dict]:
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


def _beyond_lines(b: dict) -> list[str]:
    f, d = b["h3s_fit"], b["design"]
    par = ", ".join(
        f"{k} = {v['value']:.4g} ± {v['stderr']:.2g}"
        for k, v in f["parameters"].items()
        if not v["fixed"]
    )
    corr = ", ".join(f"{k} {v:+.2f}" for k, v in f["correlations"].items())
    p = ", ".join(f"{k} = {v:.3g}" for k, v in d["best"]["parameters"].items())
    (_, m_lo, m_hi), (_, w_lo, w_hi) = d["vary"]  # barrier mass, barrier width
    return [
        "",
        "## Beyond the figures: a measured dome as a path, and a design",
        "",
        "**The H3S dome, read as a path (schematic).** The paper's Fig. 1 quotes "
        "Tc,max = 203 K at 162 GPa and a half width of about 43 GPa for H3S. A SCHEMATIC "
        "Gaussian with those numbers (not measured data; `examples/h3s_schematic_dome.csv`) "
        f"fitted as a path through case A's dome with g1 = 0 gives {par} (p_ref = "
        f"{f['p_ref_GPa']:g} GPa; reduced χ² = {f['redchi']:.2f}; correlations {corr}). "
        "Caveats: the data are a schematic; with g1 free the fit is degenerate (a dome has "
        "three features and the path four parameters); the slope eta1 depends on the "
        "assumed linearity of η(P).",
        "",
        f"**A design example.** The barrier mass and width (in [{m_lo}, {m_hi}] m_e and "
        f"[{w_lo}, {w_hi}] nm) that maximise Tc,max of case A at g = {d['g']:g}, by "
        f"differential evolution over {d['evaluations']} evaluations: {p}, Tc,max = "
        f"{d['best']['Tc_K']:.0f} K at η = {d['best']['eta']:.2f}, against "
        f"{d['preset_Tc_max_K']:.0f} K for the preset; the tuned band's width is "
        f"ΔE = {d['dE_meV']:.0f} meV (preset {d['preset_dE_meV']:.0f} meV). Caveats: the "
        "optimum presses against the bounds (heavier barriers narrow the band and raise its "
        "DOS), so it is a direction rather than a point; the couplings are held fixed while "
        "the geometry changes, which a real material would not do; and no constraint on ΔE "
        "or on the window was imposed here (`multigap design --constraint dE=LO:HI`, "
        "`single_band`).",
    ]


def _figure_order(stem: str) -> tuple:
    """The paper's order (Fig. 3, 4, … 11), then our own figures."""
    import re

    m = re.match(r"fig(\d+)", stem)
    return (0, int(m.group(1)), stem) if m else (1, 0, stem)


def reuse_sentence(reused: dict[str, dict[str, int]]) -> str:
    """What a rerun took from the stores of an earlier run, in one sentence."""
    total = sum(v["columns"] for v in reused.values())
    skipped = {k: v["skipped"] for k, v in reused.items() if v["skipped"]}
    if not skipped:
        return "Every sweep was computed in this run."
    whole = [k for k, v in reused.items() if v["skipped"] == v["columns"]]
    return (
        f"Reused {sum(skipped.values())} of {total} sweep columns from an earlier run "
        f"({len(whole)} of {len(reused)} sweeps whole; stores in stores/)."
    )


def _write_report(run: _Run, results: dict) -> None:
    """report.md, report.html (self-contained), claims.json and reproduce.json."""
    lines = _report_markdown(run, results)
    (run.out / "report.md").write_text("\n".join(lines))
    (run.out / "report.html").write_text(_report_html(run, results, lines[2]))
    (run.out / "claims.json").write_text(json.dumps(results["claims"], indent=1))
    run_record = {
        "multigap_version": __version__,
        "quick": results["quick"],
        "settings": results["settings"],
        "seconds": results["seconds"],
        "reused": results["reused"],
    }
    (run.out / "reproduce.json").write_text(json.dumps(run_record, indent=1))


def claims_table(rows: list[dict]) -> list[str]:
    """The claims as the lines of a markdown table (claim, paper, ours, verdict, why)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return [
        "| claim | paper | ours | verdict | why it differs |",
        "|---|---|---|---|---|",
    ] + [
        f"| {cell(r['claim'])} | {cell(r['paper'])} | {cell(r['ours'])} | **{r['verdict']}** "
        f"| {cell(r['why'])} |"
        for r in rows
    ]


def _report_markdown(run: _Run, results: dict) -> list[str]:
    rows = results["claims"]
    s = results["settings"]
    lines = [
        "# multigap reproduction report",
        "",
        f"Mazziotti, Raimondi, Valletta, Campi, Bianconi, J. Appl. Phys. 130, 173904 (2021), "
        f"reproduced by multigap {__version__}"
        f"{' (--quick: coarse grids)' if results['quick'] else ''}"
        f" in {results['seconds']:.0f} s. {reuse_sentence(results['reused'])}",
        "",
        f"**{RETRACTION}**",
        "",
        "## The paper's claims against ours",
        "",
        *claims_table(rows),
        "",
        "Verdict rules: Tc within 10 %; positions within 0.15 in η and 0.05 in g; ratio "
        "ranges within 0.3 of the paper's upper end. Conventions (docs/conventions.md): the "
        "corrected overlap integral, the number equation without the θ misprint, the "
        "cut-off restored in eq. 8, eq. 1 literal; gaps are DOS-weighted Fermi-surface "
        "averages and the anisotropy is Δ̄_t/Δ̄_{t−1} of the tuned band t.",
        "",
        "## Case B: sensitivity to the unstated parameters",
        "",
    ]
    for name, v in results["sensitivity_B"].items():
        pairs = ", ".join(f"{x:.3g} → {t:.0f} K" for x, t in zip(v["values"], v["Tc_max_K"]))
        lines.append(f"- {name}: {pairs}")
    lines += _beyond_lines(results["beyond"])
    lines += ["", "## Figures", ""]
    for stem, caption in sorted(run.figures, key=lambda fc: _figure_order(fc[0])):
        lines += [f"### {stem}", "", caption, "", f"![{stem}](figures/{stem}.png)", ""]
    lines += [
        "## Data",
        "",
        "NetCDF files in `data/`: " + ", ".join(sorted(results["data"])),
        "",
        "## Settings",
        "",
        "```",
        json.dumps(s, indent=1),
        "```",
        "",
    ]
    return lines


def _report_html(run: _Run, results: dict, intro: str) -> str:
    rows, s = results["claims"], results["settings"]

    def img(stem):
        data = base64.b64encode((run.out / "figures" / f"{stem}.png").read_bytes()).decode()
        return f'<img alt="{stem}" src="data:image/png;base64,{data}" style="max-width:100%">'

    esc = html.escape
    body = [
        f"<h1>multigap reproduction report</h1><p>{esc(intro)}</p>",
        f"<p><strong>{esc(RETRACTION)}</strong></p><h2>The paper's claims against ours</h2>",
        "<table><tr><th>claim</th><th>paper</th><th>ours</th><th>verdict</th>"
        "<th>why it differs</th></tr>",
    ]
    for r in rows:
        colour = "#d4edda" if r["verdict"] == "agrees" else "#f8d7da"
        body.append(
            f"<tr><td>{esc(r['claim'])}</td><td>{esc(r['paper'])}</td><td>{esc(r['ours'])}"
            f"</td><td style='background:{colour}'><b>{r['verdict']}</b></td>"
            f"<td>{esc(r['why'])}</td></tr>"
        )
    body.append("</table><h2>Case B: sensitivity</h2><ul>")
    for name, v in results["sensitivity_B"].items():
        pairs = ", ".join(f"{x:.3g} → {t:.0f} K" for x, t in zip(v["values"], v["Tc_max_K"]))
        body.append(f"<li>{esc(name)}: {esc(pairs)}</li>")
    body.append("</ul><h2>Figures</h2>")
    for stem, caption in sorted(run.figures, key=lambda fc: _figure_order(fc[0])):
        body.append(f"<h3>{esc(stem)}</h3><p>{esc(caption)}</p>{img(stem)}")
    body.append(f"<h2>Settings</h2><pre>{esc(json.dumps(s, indent=1))}</pre>")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>multigap reproduction</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;"
        "font-size:13px;vertical-align:top}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
