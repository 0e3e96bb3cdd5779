"""Commands beyond mean field: ``stiffness`` (the phase stiffness) and ``bkt`` (T_BKT)."""

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
    point_options,
    text_table,
)
from multigap.config import Config
from multigap.units import check_temperature, energy_out


def _flags(summary: dict) -> str:
    """The regime flags of the tuned band, in words."""
    said = [
        "non-adiabatic (E_F,t < ω̃)" if summary["non_adiabatic"] else "",
        "BEC side (μ below the tuned band)" if summary["bec"] else "",
    ]
    return ", ".join(s for s in said if s) or "none"


@click.command()
@model_options
@point_options
@output_options
@GAP_MU_MODE
@click.option(
    "--temperature",
    type=TEMPERATURE,
    default=0.0,
    show_default=True,
    help="Temperature T [K, or e.g. '150 K'] (at or above Tc: the normal state, J = 0).",
)
def stiffness(cfg: Config, eta, g, as_json, out, mu_mode, temperature):
    """Superfluid phase stiffness J_xx (along the wires) and J_zz (across the layers),
    per band and in total, of the mean-field state at T. Wires: J in meV; wells: per
    volume, meV/nm.
    """
    check_eta(eta)
    check_temperature(temperature)
    r = model_of(cfg).stiffness(eta, g=g, temperature=temperature, mu_mode=mu_mode)
    s = r.summary()
    unit = "meV/nm" if r.structure == "wells" else "meV"
    xx, zz = energy_out(r.J_bands_xx), energy_out(r.J_bands_zz)
    rows = [[n + 1, xx[n], zz[n]] for n in range(xx.size)]
    rows.append(["total", energy_out(r.J_xx), energy_out(r.J_zz)])
    table = text_table(["band", f"J_xx [{unit}]", f"J_zz [{unit}]"], rows)
    table += f"\nT = {temperature:g} K ({r.status}, {mu_mode}); regime flags: {_flags(s)}"
    emit(s, table, as_json, r.to_dataset() if out else None, out)


@click.command()
@model_options
@point_options
@output_options
@GAP_MU_MODE
def bkt(cfg: Config, eta, g, as_json, out, mu_mode):
    """BKT temperature of the wires, k_B T = (π/2) sqrt(J_xx(T) J_zz(T)), beside the
    mean-field Tc of the same μ mode. Quantum wells (3D) have none: see `stiffness`.
    """
    check_eta(eta)
    r = model_of(cfg).bkt(eta, g=g, mu_mode=mu_mode)
    s = r.summary()
    z0, at = s["stiffness_T0"], s["stiffness_at_T_BKT"]
    table = text_table(
        ["quantity", "value"],
        [
            ["T_BKT [K]", r.T_BKT],
            [f"Tc mean field [K] ({mu_mode})", r.Tc],
            ["T_BKT/Tc", r.ratio],
            ["J_xx(0) [meV]", z0["J_xx_meV"]],
            ["J_zz(0) [meV]", z0["J_zz_meV"]],
            ["J_xx(T_BKT) [meV]", at["J_xx_meV"]],
            ["J_zz(T_BKT) [meV]", at["J_zz_meV"]],
        ],
    )
    table += f"\nstatus: {r.status}; regime flags: {_flags(s)}"
    emit(s, table, as_json, r.to_dataset() if out else None, out)
