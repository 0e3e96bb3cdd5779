"""Figures of the studies: a pressure path through the dome, and a design search."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from multigap.plots.common import figure_title, house_style, legend_outside
from multigap.plots.domes import lifshitz_lines


@house_style
def path_figure(
    pressure,
    tc,
    eta_path,
    g_path,
    dome,
    model: str | None = None,
    data=None,
    title: str = r"$T_c$ along a pressure path",
):
    """Tc(P) (left; with measured points if given) and the path drawn on the dome (right).

    ``dome`` is (η grid, g grid, Tc map of shape (len η, len g)); ``data`` is
    (pressure, Tc, error or None).
    """
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    order = np.argsort(pressure)
    a.plot(
        np.asarray(pressure)[order],
        np.asarray(tc)[order],
        "-",
        color="tab:red",
        lw=1.8,
        label="model",
    )
    if data is not None:
        p, t, err = data
        a.errorbar(p, t, yerr=err, fmt="o", ms=4, color="black", capsize=2, label="data")
    a.set_xlabel("pressure P [GPa]")
    a.set_ylabel(r"$T_c$ [K]")
    legend_outside(a, "below", ncol=2)
    eta_grid, g_grid, z = dome
    mesh = b.pcolormesh(eta_grid, g_grid, np.asarray(z).T, cmap="viridis", shading="auto")
    fig.colorbar(mesh, ax=b, label=r"$T_c$ [K]")
    b.plot(eta_path, g_path, "-", color="white", lw=2.2)
    b.plot(eta_path, g_path, "-", color="tab:red", lw=1.2, label="path")
    b.plot(eta_path[order[0]], g_path[order[0]], "o", color="tab:red", ms=5)
    b.annotate(
        f"{np.min(pressure):g} GPa",
        (eta_path[order[0]], g_path[order[0]]),
        color="white",
        xytext=(4, 4),
        textcoords="offset points",
    )
    lifshitz_lines(b, (float(np.min(eta_grid)), float(np.max(eta_grid))))
    b.set_xlabel("Lifshitz parameter η")
    b.set_ylabel("coupling g of the tuned band")
    legend_outside(b, "below")
    fig.suptitle(figure_title(model, title))
    fig.tight_layout()
    return fig


@house_style
def design_figure(records: list, names: list, best_curve, base_curve, model: str | None = None):
    """Tc,max of every evaluated candidate against the varied parameters (left), and Tc(η)
    of the best candidate beside the base model's at the same g (right).
    """
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    best = _draw_candidates(fig, a, records, names)
    for (eta, tc), label, colour in (
        (best_curve, "best design", "tab:red"),
        (base_curve, "base model", "tab:blue"),
    ):
        b.plot(eta, tc, "-", color=colour, label=label)
    b.set_xlabel("Lifshitz parameter η")
    b.set_ylabel(r"$T_c$ [K]")
    b.set_title(f"at g = {best['g']:.3g}")
    legend_outside(b, "below", ncol=2)
    fig.suptitle(figure_title(model, rf"design: $T_{{c,\max}}$ = {best['Tc_max_K']:.0f} K"))
    fig.tight_layout()
    return fig


def _draw_candidates(fig, a, records, names) -> dict:
    """The searched candidates against the first one or two parameters, coloured by
    Tc,max, the infeasible ones as grey crosses and the best as a star; returns the best.
    """
    ok = [r for r in records if r["feasible"]]
    bad = [r for r in records if not r["feasible"]]
    x0 = names[0]
    if len(names) == 1:
        a.plot(
            [r["parameters"][x0] for r in ok],
            [r["Tc_max_K"] for r in ok],
            "o",
            ms=4,
            color="tab:blue",
            label="feasible",
        )
        a.plot(
            [r["parameters"][x0] for r in bad],
            [0.0] * len(bad),
            "x",
            ms=4,
            color="grey",
            label="infeasible",
        )
        a.set_ylabel(r"$T_{c,\max}$ [K]")
    else:
        x1 = names[1]
        sc = a.scatter(
            [r["parameters"][x0] for r in ok],
            [r["parameters"][x1] for r in ok],
            c=[r["Tc_max_K"] for r in ok],
            cmap="viridis",
            s=18,
        )
        a.plot(
            [r["parameters"][x0] for r in bad],
            [r["parameters"][x1] for r in bad],
            "x",
            ms=4,
            color="grey",
            label="infeasible",
        )
        fig.colorbar(sc, ax=a, label=r"$T_{c,\max}$ [K]")
        a.set_ylabel(x1)
    best = max(ok, key=lambda r: r["Tc_max_K"])
    if len(names) == 1:
        a.plot(best["parameters"][x0], best["Tc_max_K"], "*", ms=14, color="tab:red", label="best")
    else:
        a.plot(
            best["parameters"][x0],
            best["parameters"][names[1]],
            "*",
            ms=14,
            color="tab:red",
            label="best",
        )
    a.set_xlabel(x0)
    legend_outside(a, "below", ncol=3)
    return best
