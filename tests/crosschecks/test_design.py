"""Inverse design: the search finds what a brute-force scan finds, its best is reproduced
by `multigap tc`, constraints bite, and a killed run resumes without repeating work."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from multigap.cli import main
from multigap.config import Numerics, preset
from multigap.errors import MultigapError, ParameterError
from multigap.study.design import DesignSpec, evaluate, run_design

pytestmark = pytest.mark.slow


def design_spec(**kw):
    sl, pa = preset("A")
    args = dict(vary=(("g", 0.30, 0.49),), budget=40, seed=3)
    args.update(kw)
    return DesignSpec(sl, pa, Numerics.preset("map"), **args)


def test_one_parameter_design_finds_the_scan_optimum():
    """Tc,max(g) of case A has an interior maximum (near g = 0.42): the search finds the
    optimum of a brute-force scan with step 0.005, to that resolution."""
    spec = design_spec()
    r = run_design(spec)
    grid = np.arange(0.30, 0.49 + 1e-9, 0.005)
    scan = np.array([evaluate(spec, [g])["Tc_max_K"] for g in grid])
    g_scan = grid[int(np.argmax(scan))]
    assert abs(r["best"]["parameters"]["g"] - g_scan) <= 0.005
    assert r["best"]["Tc_K"] >= scan.max() * (1 - 1e-3)


def test_best_design_is_reproduced_by_tc(capsys):
    """The reported best geometry and η give the reported Tc,max through `multigap tc`
    (tight numerics) to 0.5 %."""
    spec = design_spec(
        vary=(("mass_barrier", 0.4, 0.7), ("barrier_width", 0.45, 0.65)), g=0.35, budget=30
    )
    best = run_design(spec)["best"]
    p = best["parameters"]
    assert (
        main(
            [
                "tc",
                "--mass-barrier",
                repr(p["mass_barrier"]),
                "--barrier-width",
                repr(p["barrier_width"]),
                "--eta",
                repr(best["eta"]),
                "--g",
                "0.35",
                "--json",
            ]
        )
        == 0
    )
    tc = json.loads(capsys.readouterr().out)["Tc_K"]
    assert tc == pytest.approx(best["Tc_K"], rel=5e-3)


def test_constraints_exclude_candidates():
    """A ΔE window excludes the geometries outside it; ω0 above a maximum is infeasible."""
    spec = design_spec(vary=(("mass_barrier", 0.4, 1.0),), g=0.35, dE=(0.25, 0.30), budget=20)
    r = run_design(spec)
    from multigap.solvers.model import Model
    from multigap.study.sweep.spec import model_variant  # noqa: F401 - the same validation path as sweeps

    sl, pa = preset("A")
    best = Model(sl.replace(mass_barrier=r["best"]["parameters"]["mass_barrier"]), pa)
    assert 0.25 <= best.subbands.tuned_width <= 0.30
    assert any(not h["feasible"] for h in r["history"])
    capped = design_spec(vary=(("omega0", 0.2, 0.5),), g=0.35, omega0_max=0.4, budget=20)
    assert run_design(capped)["best"]["parameters"]["omega0"] <= 0.4


def test_an_unmet_constraint_is_named_with_the_values_met():
    """The docs' old example, dE read as 0.1–0.3 meV: the error names the constraint, how
    many candidates failed it and the ΔE they had (so a unit slip shows at once)."""
    spec = design_spec(vary=(("mass_barrier", 0.4, 1.0),), g=0.35, dE=(1e-4, 3e-4), budget=10)
    with pytest.raises(MultigapError) as info:
        run_design(spec)
    said = str(info.value)
    assert "ΔE outside the allowed range 0.0001–0.0003" not in said  # shown in meV
    assert "ΔE outside the allowed range 0.1–0.3 meV" in said
    n = int(said.split("meV: ")[1].split(" of ")[0])
    assert f"{n} of {n} candidates (met: " in said


def test_design_inputs_are_validated():
    with pytest.raises(ParameterError, match="^vary"):  # the library names the parameter
        design_spec(vary=(("nonsense", 0.0, 1.0),))
    with pytest.raises(ParameterError, match="LO < HI"):
        design_spec(vary=(("g", 0.4, 0.3),))
    with pytest.raises(ParameterError, match="no fixed g"):
        design_spec(g=0.3)
    assert (
        main(["design", "--vary", "g", "0.3", "0.4", "--constraint", "nonsense", "--serial"]) == 2
    )


def test_killed_design_resumes_without_repeating_an_evaluation(tmp_path):
    """SIGKILL a design run while it records evaluations; the rerun reads them back, and
    every candidate is evaluated exactly once over both runs."""
    out = tmp_path / "d"
    cmd = [
        sys.executable,
        "-m",
        "multigap.cli",
        "design",
        "--vary",
        "g",
        "0.3",
        "0.49",
        "--budget",
        "60",
        "--seed",
        "5",
        "--serial",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    record = out / "evaluations.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        n = len(record.read_text().splitlines()) if record.exists() else 0
        if n >= 10 or proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = {
        json.dumps(json.loads(line)["x"])
        for line in record.read_text().splitlines()
        if line.strip().endswith("}")
    }
    assert 10 <= len(before)
    r = run_design(design_spec(vary=(("g", 0.3, 0.49),), budget=60, seed=5), out=out)
    lines = [
        json.loads(line)["x"]
        for line in record.read_text().splitlines()
        if line.strip().endswith("}")
    ]
    keys = [json.dumps(x) for x in lines]
    assert len(keys) == len(set(keys)) == r["evaluations"]
    assert r["computed"] == r["evaluations"] - len(before)
    assert (out / "evaluations.nc").exists()


def test_an_optimum_on_a_bound_in_the_non_adiabatic_regime_says_so():
    """The optimum the issue found (m_b = 0.9945 of 1.0, E_F,t/ω̃ ≈ 0.5) is reported with its
    flags: which variable sits on which bound, non-adiabatic, and the crossover k_F ξ0."""
    from multigap.config import Numerics, preset
    from multigap.study.design import DesignSpec, describe_optimum

    sl, pa = preset("A")
    vary = (("mass_barrier", 0.35, 1.0), ("barrier_width", 0.4, 0.8))
    spec = DesignSpec(sl, pa, Numerics.preset("map"), vary, g=0.35)
    best = {"parameters": {"mass_barrier": 0.9945, "barrier_width": 0.7212}, "eta": 2.59,
            "g": 0.35}  # fmt: skip
    d = describe_optimum(spec, best)
    assert d["on_bound"] == [
        {"parameter": "mass_barrier", "side": "upper", "value": 0.9945, "bound": 1.0}
    ]
    assert d["non_adiabatic"] and not d["bec"] and d["EF_t_over_omega"] < 1
    assert any("upper bound" in c for c in d["caveats"])
    assert any("non-adiabatic" in c for c in d["caveats"])


def test_a_bkt_objective_is_refused_for_wells():
    from multigap.config import Numerics, preset
    from multigap.errors import ParameterError
    from multigap.study.design import DesignSpec

    sl, pa = preset("A")
    with pytest.raises(ParameterError, match="wells"):
        DesignSpec(sl.replace(structure="wells"), pa, Numerics.preset("map"),
                   (("mass_barrier", 0.35, 1.0),), g=0.35, objective="bkt")  # fmt: skip
