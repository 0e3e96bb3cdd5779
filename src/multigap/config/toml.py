"""Reading a TOML input file into validated inputs, with units at the boundary."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from multigap.config.numerics import Numerics
from multigap.config.pairing import Pairing
from multigap.config.presets import Config, preset
from multigap.config.superlattice import Superlattice
from multigap.errors import ParameterError
from multigap.units import from_user

__all__ = [
    "load_config",
]


_SL_KINDS = {
    "well_width": "length",
    "barrier_width": "length",
    "barrier_height": "energy",
    "mass_well": "mass",
    "mass_barrier": "mass",
    "mass_x": "mass",
    "n_bands": None,
    "tuned_band": None,
    "layers": "layers",
    "structure": None,
}


_TWO_LAYER = ("well_width", "barrier_width", "barrier_height", "mass_well", "mass_barrier")


def _toml_layers(value) -> list:
    """``[[superlattice.layers]]`` tables (width, height, mass; numbers or unit strings)."""
    if not isinstance(value, list):
        raise ParameterError(
            "superlattice.layers",
            value,
            "an array of tables [[superlattice.layers]] with width, height and mass",
        )
    out = []
    for i, layer in enumerate(value):
        if not isinstance(layer, dict):
            raise ParameterError(
                f"superlattice.layers[{i}]", layer, "a table with width, height and mass"
            )
        _unknown(f"superlattice.layers[{i}]", layer, {"width", "height", "mass"})
        out.append(
            {
                k: from_user(
                    v,
                    {"width": "length", "height": "energy", "mass": "mass"}[k],
                    f"layers[{i}].{k}",
                )
                for k, v in layer.items()
            }
        )
    return out


_PAIRING_KEYS = {"omega0", "g_intra", "g_inter"}


_TABLES = {"superlattice", "pairing", "numerics"}


def _unknown(where: str, keys, allowed) -> None:
    extra = sorted(set(keys) - set(allowed))
    if extra:
        raise ParameterError(
            f"{where}.{extra[0]}", "(unknown key)", "one of " + ", ".join(sorted(allowed))
        )


#: Config files larger than this are refused (a config is a few hundred bytes).
MAX_CONFIG_BYTES = 1_000_000


def _read_toml(p: Path) -> dict:
    """Read a TOML file: a regular file (never a FIFO or a device) of bounded size."""
    import stat

    try:
        info = p.stat()
    except OSError:
        raise ParameterError("config", str(p), "an existing TOML file") from None
    if not stat.S_ISREG(info.st_mode):
        raise ParameterError(
            "config", str(p), "a regular TOML file (not a directory, pipe or device)"
        )
    if info.st_size > MAX_CONFIG_BYTES:
        raise ParameterError("config", str(p), f"a TOML file under {MAX_CONFIG_BYTES} bytes")
    try:
        with open(p, "rb") as handle:
            return tomllib.loads(handle.read(MAX_CONFIG_BYTES + 1).decode())
    except OSError as exc:
        raise ParameterError("config", str(p), f"a readable file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError("config", str(p), f"valid TOML ({exc})") from None


def _apply_file(data: dict, sl_kw: dict, pa_kw: dict, nu_kw: dict) -> None:
    """Update the keyword sets of the three inputs from the tables of a TOML file."""
    _unknown("config", data, _TABLES)
    for table in data:
        if not isinstance(data[table], dict):
            raise ParameterError(f"config.{table}", data[table], "a TOML table")
    slt = data.get("superlattice", {})
    _unknown("superlattice", slt, _SL_KINDS)
    if "layers" in slt:
        both = [k for k in _TWO_LAYER if k in slt]
        if both:
            raise ParameterError(
                f"superlattice.{both[0]}",
                slt[both[0]],
                "no two-layer key in a file that gives 'layers' (two spellings of the period)",
            )
        sl_kw.update({k: None for k in _TWO_LAYER})
    for k, v in slt.items():
        kind = _SL_KINDS[k]
        sl_kw[k] = (
            _toml_layers(v) if kind == "layers" else v if kind is None else from_user(v, kind, k)
        )
    pat = data.get("pairing", {})
    _unknown("pairing", pat, _PAIRING_KEYS)
    if "omega0" in pat:
        pa_kw["omega0"] = from_user(pat["omega0"], "energy", "omega0")
    if "g_intra" in pat:
        pa_kw["g_intra"] = pat["g_intra"]
        pa_kw["g"] = None
    if "g_inter" in pat:
        pa_kw["g_inter"] = pat["g_inter"]
    nut = data.get("numerics", {})
    _unknown("numerics", nut, {f.name for f in fields(Numerics)})
    nu_kw.update(nut)


def _apply_overrides(overrides: dict, sl_kw: dict, pa_kw: dict) -> None:
    """Update the superlattice and pairing keywords from flags (None means not given)."""
    for k, v in overrides.items():
        if v is None:
            continue
        if k in _TWO_LAYER and sl_kw.get("layers") is not None:
            raise ParameterError(
                k,
                v,
                "no two-layer flag for a stack given as 'layers' (change "
                "a layer in the file, or sweep layers.N.width/height/mass)",
            )
        if k in sl_kw:
            sl_kw[k] = v
        elif k in pa_kw:
            pa_kw[k] = v
        else:
            raise ParameterError(k, v, "a superlattice or pairing parameter")


def load_config(
    path: str | Path | None = None,
    *,
    model: str | None = None,
    overrides: dict[str, Any] | None = None,
    numerics_preset: str = "tight",
) -> Config:
    """Build a validated :class:`Config` from a preset, a TOML file and overrides.

    The precedence is: preset (``model``, default ``"A"``) < TOML file < overrides.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with tables ``[superlattice]``, ``[pairing]`` and
        ``[numerics]``. Bare numbers are in meV (energies), nm (lengths) and m_e
        (masses); strings may carry units (``"4.16 eV"``, ``"0.85 nm"``, ``"274 meV"``).
    model : str, optional
        ``"A"`` or ``"B"``; the base the file and overrides modify.
    overrides : dict, optional
        Superlattice or pairing field names (and ``g``) mapped to values, as
        from the CLI flags. ``None`` values are ignored.
    numerics_preset : {"tight", "map"}
        The numerics that the file's ``[numerics]`` table modifies.

    Returns
    -------
    Config

    Raises
    ------
    ParameterError
        For an unreadable file, an unknown key or an invalid value.
    """
    if path is not None and not isinstance(path, (str, Path)):
        raise ParameterError("path", path, "the path of a TOML file (str or Path), or None")
    sl, pa = preset(model or "A")
    sl_kw = {f.name: getattr(sl, f.name) for f in fields(Superlattice)}
    pa_kw = {f.name: getattr(pa, f.name) for f in fields(Pairing)}
    nu_kw: dict[str, Any] = {}
    if path is not None:
        _apply_file(_read_toml(Path(path)), sl_kw, pa_kw, nu_kw)
    _apply_overrides(overrides or {}, sl_kw, pa_kw)
    superlattice = Superlattice(**sl_kw)
    pairing = Pairing(**pa_kw)
    # Validate the coupling matrix against the band count now, not deep in a solver.
    pairing.coupling_matrix(superlattice.n_bands, superlattice.tuned_band)
    # a config file without --model is a custom model, not "case A" (A is only its base)
    label = (model or "A").upper() if (model or path is None) else "custom"
    source = None
    if path is not None:
        import hashlib

        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        source = {"config_file": str(Path(path).resolve()), "config_sha256": digest}
    numerics = Numerics.preset(numerics_preset, **nu_kw)
    return Config(superlattice, pairing, numerics, model=label, source=source)
