"""``multigap reproduce``: run the stages, check the claims, write the report."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

from multigap.errors import ParameterError
from multigap.reproduce.claims import all_claims, dome_top
from multigap.reproduce.fluctuations import phase_fluctuations
from multigap.reproduce.report import write_report
from multigap.reproduce.settings import FULL, QUICK, ReproductionRun
from multigap.reproduce.stages import (
    beyond_the_paper,
    case_b_sensitivity,
    dome_maps,
    gap_lines,
    normal_state_figures,
)
from multigap.solvers.model import Model

__all__ = ["reproduce"]


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
    run = ReproductionRun(out, s, workers, progress)
    models = {c: Model.from_preset(c) for c in "AB"}
    results: dict = {"settings": asdict(s), "quick": quick}

    normal_state_figures(run, models)
    maps = dome_maps(run, models)
    lines = gap_lines(run, models)
    sens = results["sensitivity_B"] = case_b_sensitivity(run)
    # finite temperature at each dome top: Δ̄_n(T), C/C_N, k_F ξ0, the Allen–Dynes reference
    tops = results["dome_tops"] = {c: dome_top(run, c, models[c], maps[c]) for c in "AB"}
    results["beyond"] = beyond_the_paper(run, quick)
    pf = results["phase_fluctuations"] = phase_fluctuations(run, models)

    results["claims"] = all_claims(models, maps, lines, sens, tops, pf)
    results["figures"] = [f for f, _ in run.figures]
    results["data"] = run.data
    results["reused"] = run.reused
    results["seconds"] = time.perf_counter() - t0
    write_report(run, results)
    return results
