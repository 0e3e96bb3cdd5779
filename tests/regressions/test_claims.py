"""The verdicts of the reproduction report are computed from our numbers, not written in:
each flips when the numbers do. (The claims themselves are checked end to end, on coarse
grids, in test_reproduce.py.)"""

import numpy as np
import xarray as xr

from multigap import Model
from multigap.reproduce.claims import case_b_claims, cutoff_claims, dome_claims


def dome(top_K: float, eta_top: float, g_top: float) -> xr.DataArray:
    eta, g = np.linspace(-1, 2, 61), np.linspace(0.1, 0.48, 20)
    e, gg = np.meshgrid(eta, g, indexing="ij")
    tc = top_K * np.exp(-((e - eta_top) ** 2) / 0.3 - ((gg - g_top) ** 2) / 0.01)
    tc = np.where(e < 0, 1e-3 * (1 + (e + 0.35) ** 2), tc)  # a minimum near η = −0.35
    return xr.DataArray(tc, coords={"eta": eta, "g": g}, dims=("eta", "g"))


def test_cutoff_claims_follow_eq_1():
    models = {c: Model.from_preset(c) for c in "AB"}
    assert [r["verdict"] for r in cutoff_claims(models)] == ["differs", "differs"]
    # an ω0 for which eq. 1 gives the quoted value at the quoted g makes the claim agree
    a = models["A"].with_pairing(omega0=0.160 / np.sqrt(1 - 2 * 0.31))
    b = models["B"].with_pairing(omega0=0.145 / np.sqrt(0.5))
    assert [r["verdict"] for r in cutoff_claims({"A": a, "B": b})] == ["agrees", "agrees"]


def test_dome_and_case_b_claims_follow_the_maps():
    models = {c: Model.from_preset(c) for c in "AB"}
    rows = dome_claims(models, {"A": dome(250.0, 1.0, 0.40)})
    assert rows[0]["verdict"] == "agrees" and rows[1]["verdict"] == "agrees"
    assert all(r["verdict"] == "agrees" for r in rows[2:])  # the minimum near −0.34
    rows = dome_claims(models, {"A": dome(180.0, 1.5, 0.30)})
    assert rows[0]["verdict"] == "differs" and rows[1]["verdict"] == "differs"
    sens = {"mass_x": {"values": [1.0], "Tc_max_K": [300.0]}}
    assert case_b_claims({"B": dome(330.0, 0.8, 0.4)}, sens)[0]["verdict"] == "agrees"
    assert case_b_claims({"B": dome(290.0, 0.8, 0.4)}, sens)[0]["verdict"] == "differs"
