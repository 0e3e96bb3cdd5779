"""Beyond the paper: the domes with phase fluctuations (T_BKT), and who carries J_zz.

The paper's Tc is the mean-field pairing temperature. For the wires, a two-dimensional
system, the transition is of the BKT kind; this stage maps T_BKT beside the mean-field
Tc (fixed density) for both cases, draws T_BKT/Tc against η at the dome-top coupling,
and the z stiffness of each band against η.
"""

from __future__ import annotations

import numpy as np

from multigap.reproduce.settings import ReproductionRun, case_spec
from multigap.study.analysis import map_maximum
from multigap.units import energy_out

__all__ = ["phase_fluctuations"]


def phase_fluctuations(run: ReproductionRun, models: dict) -> dict:
    """The BKT domes of cases A and B, the ratio T_BKT/Tc_MF along η at each dome-top g,
    and J_zz per band along η for case A; returns the numbers the claims read.
    """
    from multigap import plots

    s, out = run.s, {}
    for c in "AB":
        ds = run.sweep(f"bkt_map_{c}", case_spec(c, s.bkt_eta, s.bkt_g, bkt=True),
                       f"phase fluctuations, case {c}: T_BKT(η, g)")  # fmt: skip
        run.figure(
            plots.bkt_dome_figure(ds, model=c),
            f"bkt_dome_{c}",
            f"Case {c}: the mean-field dome (fixed density, left) beside the BKT dome "
            "k_B T = (π/2) sqrt(J_xx J_zz) (right), one colour scale; hatched where the "
            "tuned band is non-adiabatic (//) or on the BEC side (xx).",
        )
        out[c] = _tops(ds)
        out[c]["line"] = _ratio_line(run, c, out[c]["Tc_MF_top"]["g"])
    _stiffness_per_band(run, models["A"], out["A"]["Tc_MF_top"]["g"])
    return out


def _tops(ds) -> dict:
    """The maxima of the mean-field and the BKT maps and T_BKT/Tc_MF at each."""
    tc, eta, g = map_maximum(ds.Tc_MF.where(ds.status >= 0))
    bkt, eta_b, g_b = map_maximum(ds.T_BKT)
    at_top = float(ds.T_BKT.sel(eta=eta, g=g))
    return {
        "Tc_MF_top": {
            "Tc_K": tc,
            "eta": eta,
            "g": g,
            "T_BKT_K": at_top,
            "ratio": at_top / tc,
        },  # fmt: skip
        "T_BKT_top": {
            "T_BKT_K": bkt,
            "eta": eta_b,
            "g": g_b,
            "Tc_MF_K": float(ds.Tc_MF.sel(eta=eta_b, g=g_b)),
        },  # fmt: skip
        "flags_at_bkt_top": {
            "non_adiabatic": bool(ds.non_adiabatic.sel(eta=eta_b, g=g_b) == 1),
            "bec": bool(ds.bec.sel(eta=eta_b, g=g_b) == 1),
        },
    }


def _ratio_line(run: ReproductionRun, case: str, g: float) -> dict:
    """T_BKT/Tc_MF against η at the dome-top coupling: a one-g sweep, and its figure."""
    from multigap import plots

    ds = run.sweep(f"bkt_line_{case}", case_spec(case, run.s.bkt_line_eta, (g, g, 1), bkt=True),
                   f"T_BKT/Tc along η, case {case}")  # fmt: skip
    ratio = ds.T_BKT / ds.Tc_MF.where(ds.Tc_MF > 0)
    run.figure(
        plots.sweep_lines_figure(ratio, "eta", "T_BKT/Tc (fixed density)", model=case),
        f"bkt_ratio_{case}",
        f"Case {case}: T_BKT/Tc_MF against η at the dome-top coupling g = {g:.3g}. Where "
        "the tuned band is empty or nearly flat, the z stiffness and with it T_BKT collapse.",
    )
    line = ratio.isel(g=0).values
    finite = np.isfinite(line)
    return {"eta": ratio.eta.values[finite].tolist(), "ratio": line[finite].tolist()}


def _stiffness_per_band(run: ReproductionRun, model, g: float) -> None:
    """J_zz(T = 0) of each band against η (case A at the dome-top g): who carries it."""
    import matplotlib.pyplot as plt
    import xarray as xr

    from multigap.errors import MultigapError
    from multigap.plots import band_colour

    eta = np.linspace(*run.s.bkt_line_eta)
    J = np.full((eta.size, model.superlattice.n_bands), np.nan)
    for i, e in enumerate(eta):
        try:
            J[i] = energy_out(model.stiffness(float(e), g=g).J_bands_zz)
        except MultigapError:  # below the Tc floor or no electrons: no state to speak of
            continue
    ds = xr.Dataset(
        {"J_zz": (("eta", "band"), J, {"units": "meV", "long_name": "J_zz(T = 0) of band n"})},
        coords={"eta": eta, "band": np.arange(1, J.shape[1] + 1)},
        attrs={"g": g, "model": "A"},
    )
    run.dataset(ds, "bkt_jzz_bands_A")
    fig, ax = plt.subplots(figsize=(6, 4))
    for n in ds.band.values:
        ax.plot(eta, ds.J_zz.sel(band=n), "o-", ms=3, color=band_colour(int(n)),
                label=f"band {n}")  # fmt: skip
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_xlabel("Lifshitz parameter η")
    ax.set_ylabel("J_zz(T = 0) [meV]")
    ax.legend(fontsize=8)
    ax.set_title(f"Case A: the z stiffness per band, g = {g:.3g}", fontsize=9)
    run.figure(fig, "bkt_jzz_bands_A",
               "Case A: J_zz at T = 0 of each band against η. The tuned band, partly filled "
               "across its kz range, carries it; the deep bands, whose kz range is filled, "
               "carry about 1 %.")  # fmt: skip
