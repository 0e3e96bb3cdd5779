"""Write the two example domes of examples/ (run from the repository root):

    python examples/make_domes.py

* ``h3s_schematic_dome.csv`` — SCHEMATIC, not measured data: a Gaussian with the numbers
  the paper's Fig. 1 quotes for H3S (Tc,max = 203 K at 162 GPa, half width about 43 GPa),
  sampled at 9 pressures with a nominal 5 K error. Use it to see how a dome of that
  height, position and width maps onto case A; do not read it as a measurement.
* ``synthetic_dome.csv`` — a dome made by the model itself: ``multigap path`` for case A
  along eta0 = 0.9, eta1 = 0.012 /GPa, g0 = 0.36, g1 = 0 (p_ref = 160 GPa), 9 pressures,
  plus Gaussian noise of 3 K (seed 7). A fit with g1 fixed must recover the path.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def schematic():
    P = np.linspace(120, 205, 9)
    Tc = 203.0 * np.exp(-np.log(2) * ((P - 162.0) / 43.0) ** 2)
    write(
        HERE / "h3s_schematic_dome.csv",
        P,
        Tc,
        np.full_like(P, 5.0),
        "# SCHEMATIC: a Gaussian with the paper's Fig. 1 numbers for H3S "
        "(203 K at 162 GPa, half width 43 GPa); not measured data",
    )


def synthetic():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "multigap.cli",
            "path",
            "--model",
            "A",
            "--pressure",
            "110",
            "210",
            "9",
            "--eta0",
            "0.9",
            "--eta1",
            "0.012",
            "--g0",
            "0.36",
            "--g1",
            "0",
            "--p-ref",
            "160",
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    d = json.loads(out)
    rng = np.random.default_rng(7)
    Tc = np.array(d["Tc_K"]) + rng.normal(0.0, 3.0, len(d["Tc_K"]))
    write(
        HERE / "synthetic_dome.csv",
        np.array(d["pressure_GPa"]),
        Tc,
        np.full(len(Tc), 3.0),
        "# synthetic: multigap path --model A --eta0 0.9 --eta1 0.012 --g0 0.36 --g1 0 "
        "--p-ref 160, plus 3 K Gaussian noise (seed 7)",
    )


def write(path, P, Tc, err, comment):
    lines = [comment, "pressure_GPa,Tc_K,Tc_err_K"]
    lines += [f"{p:.4f},{t:.4f},{e:.4f}" for p, t, e in zip(P, Tc, err)]
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    schematic()
    synthetic()
