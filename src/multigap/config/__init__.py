"""Frozen, validated inputs: :class:`Superlattice`, :class:`Pairing`, :class:`Numerics`.

Validation happens at construction ("at the door"), so every solver downstream
can trust its inputs. Values are plain floats in internal units (nm, eV, m_e, K);
unit strings are accepted only through :func:`load_config` and the CLI.

Presets ``A`` ("H3S") and ``B`` ("CSH_x") are the paper's two cases. Their barrier
masses (the paper gives none) hit its two widths ΔE;
:func:`multigap.superlattice.kronig_penney.solve_mass` reproduces them from the target
widths ΔE (tested). Note: the CSH_x experiment that case B was built to describe
(Snider et al., Nature 586, 373, 2020) was retracted in 2022.

The package follows the inputs: :mod:`~multigap.config.checks` (the bounds checks),
:mod:`~multigap.config.superlattice`, :mod:`~multigap.config.pairing`,
:mod:`~multigap.config.numerics`, :mod:`~multigap.config.presets` (the paper's cases and
the :class:`Config` bundle) and :mod:`~multigap.config.toml` (input files).
"""

from multigap.config.numerics import Numerics
from multigap.config.pairing import MAX_OMEGA0, Pairing
from multigap.config.presets import PRESET_NOTES, PRESETS, Config, check_inputs, preset
from multigap.config.superlattice import (
    MAX_HEIGHT,
    MAX_MASS,
    MAX_WIDTH,
    MIN_MASS,
    MIN_WIDTH,
    Superlattice,
)
from multigap.config.toml import load_config

__all__ = [
    "check_inputs",
    "Superlattice",
    "Pairing",
    "Numerics",
    "PRESETS",
    "PRESET_NOTES",
    "preset",
    "load_config",
    "Config",
    "MAX_HEIGHT",
    "MAX_MASS",
    "MAX_OMEGA0",
    "MAX_WIDTH",
    "MIN_MASS",
    "MIN_WIDTH",
]
