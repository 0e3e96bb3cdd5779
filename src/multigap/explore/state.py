"""What the explorer knows and does, with no web framework in it.

:class:`Explorer` holds the controls (each in its user unit and inside the range the
library validates), turns them into a validated model, maps Tc (or T_BKT) over the
(η, g) plane with the sweeps' own evaluator, reads out one point, and writes the state
as the TOML file that ``multigap sweep --config`` reads. The browser view
(:mod:`multigap.explore.app`) is a thin layer over it; the tests drive it directly.

Work runs on a background thread when the explorer is given one (the app does), or in
the caller's thread (the tests). Every map is tagged with the generation of the state it
was asked for: a newer change makes older work stop at its next column and its result
is dropped, never shown late.
"""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace

import numpy as np
import param

from multigap.config import Config, Numerics, Pairing, preset
from multigap.config.pairing import MAX_OMEGA0
from multigap.config.superlattice import MAX_HEIGHT, MAX_MASS, MAX_WIDTH, MIN_MASS, MIN_WIDTH
from multigap.errors import MultigapError, ParameterError, UnitWarning
from multigap.solvers.model import Model
from multigap.units import energy_out, from_user

__all__ = ["GRIDS", "Explorer", "map_dataset", "point_readout"]

#: The (η, g) grids of the map: (start, stop, num) of each axis. "live" follows every
#: change; "full" is the sweeps' 121 × 39 map; "bkt" is the (slower) T_BKT map.
GRIDS = {
    "live": ((-1.0, 2.0, 31), (0.10, 0.48, 12)),
    "full": ((-1.0, 2.0, 121), (0.10, 0.48, 39)),
    "bkt": ((-0.5, 2.0, 11), (0.20, 0.48, 8)),
}
#: η columns computed between two checks for newer work.
CHUNK = 4

_GEOMETRY = ("structure", "well_width", "barrier_width", "barrier_height", "mass_well",
             "mass_barrier", "mass_x")  # fmt: skip
_PAIRING = ("omega0", "g_deep", "g_inter")


def _number(default, bounds, soft, label, step, inclusive=(True, True)):
    return param.Number(default, bounds=bounds, softbounds=soft, step=step, label=label,
                        inclusive_bounds=inclusive)  # fmt: skip


class Explorer(param.Parameterized):
    """The state of one explorer session: controls, the current map, the readout.

    Controls are in user units (nm, meV, m_e); the tuned band's g is the map's axis.
    Outputs: ``dataset`` (the current map, an ``xarray.Dataset``), ``readout`` (the
    clicked point), ``message`` (the library's words for a refused input, or a unit
    warning) and ``computing``.
    """

    model: param.Selector = param.Selector(
        default="A", objects=["A", "B"], label="preset (resets the controls)"
    )
    structure: param.Selector = param.Selector(
        default="wires", objects=["wires", "wells"], label="free motion"
    )
    well_width = _number(0.85, (MIN_WIDTH, MAX_WIDTH), (0.3, 2.0), "well width L [nm]", 0.01)
    barrier_width = _number(0.55, (MIN_WIDTH, MAX_WIDTH), (0.2, 2.0), "barrier width W [nm]", 0.01)
    barrier_height = _number(4160.0, (-1e3 * MAX_HEIGHT, 1e3 * MAX_HEIGHT), (500.0, 8000.0),
                             "barrier height V [meV]", 10.0)  # fmt: skip
    mass_well = _number(1.0, (MIN_MASS, MAX_MASS), (0.1, 3.0), "well mass m_w [m_e]", 0.01)
    mass_barrier = _number(0.5096, (MIN_MASS, MAX_MASS), (0.1, 3.0), "barrier mass m_b [m_e]",
                           0.005)  # fmt: skip
    mass_x = _number(1.0, (MIN_MASS, MAX_MASS), (0.1, 3.0), "free-motion mass m_x [m_e]", 0.01)
    omega0 = _number(330.0, (0.0, 1e3 * MAX_OMEGA0), (20.0, 800.0), "phonon energy ω0 [meV]", 5.0,
                     (False, True))  # fmt: skip
    g_deep = _number(0.10, (0.0, 0.5), (0.0, 0.45), "deep bands' g", 0.005, (True, False))
    g_inter = _number(0.10, (-0.5, 0.5), (-0.3, 0.3), "interband g", 0.005, (False, False))
    mu_mode: param.Selector = param.Selector(
        default="fixed_mu", objects=["fixed_mu", "fixed_density"], label="μ mode"
    )
    quantity: param.Selector = param.Selector(
        default="Tc", objects=["Tc", "T_BKT", "T_BKT/Tc"], label="map of"
    )
    point = param.NumericTuple(default=(1.0, 0.35), length=2, label="point (η, g)")

    dataset = param.Parameter(default=None, precedence=-1, doc="the map shown")
    readout = param.Dict(default={}, precedence=-1, doc="the clicked point")
    message = param.String(default="", precedence=-1, doc="a refused input or a warning")
    computing = param.Boolean(default=False, precedence=-1)

    def __init__(self, *, background: bool = False, deliver: Callable | None = None, **params):
        super().__init__(**params)
        if "model" in params and not set(params) & {*_GEOMETRY, *_PAIRING}:
            with param.parameterized.discard_events(self):
                self._preset()  # the preset's own values
        self._pool = ThreadPoolExecutor(max_workers=1) if background else None
        self._deliver = deliver or (lambda f: f())
        self._generation = {"map": 0, "readout": 0}
        self.grid_name = "bkt" if self.quantity != "Tc" else "live"
        self.config: Config | None = None
        self._model: Model | None = None
        self._refresh()

    # --- controls ------------------------------------------------------------------

    @staticmethod
    def controls_of(cfg: Config) -> dict:
        """The control values (user units) of a validated two-layer config."""
        sl, pa = cfg.superlattice, cfg.pairing
        if sl.layers is not None:
            raise ParameterError("config", "layers", "a two-layer cell (explore shows those)")
        g = pa.coupling_matrix(sl.n_bands, sl.tuned_band)
        deep = [g[i, i] for i in range(sl.n_bands) if i != sl.tuned_band - 1]
        model = (cfg.model or "A").upper()
        return {
            "model": model if model in ("A", "B") else "A",
            "structure": sl.structure, "well_width": sl.well_width,
            "barrier_width": sl.barrier_width, "barrier_height": energy_out(sl.barrier_height),
            "mass_well": sl.mass_well, "mass_barrier": sl.mass_barrier, "mass_x": sl.mass_x,
            "omega0": energy_out(pa.omega0), "g_deep": float(deep[0]) if deep else 0.10,
            "g_inter": float(g[0, 1]) if sl.n_bands > 1 else 0.10,
        }  # fmt: skip

    @param.depends("model", watch=True)
    def _preset(self):
        """A new preset resets every control to it (one recomputation)."""
        values = self.controls_of(Config(*preset(self.model), model=self.model))
        self.param.update({k: v for k, v in values.items() if k != "model"})

    def typed(self, name: str) -> float:
        """A number control as the user meant it: twelve significant digits, so that a
        slider's float steps (0.1 + 0.005 − 0.005 = 0.10000000000000003) do not leak into
        the model and the files.
        """
        return float(f"{getattr(self, name):.12g}")

    def build_config(self) -> Config:
        """The validated inputs of the current controls (raises the library's error)."""
        sl, _ = preset(self.model)
        v = self.typed
        energy = {k: from_user(v(k), "energy", k) for k in ("barrier_height", "omega0")}
        sl = replace(
            sl, structure=self.structure, well_width=v("well_width"),
            barrier_width=v("barrier_width"), barrier_height=energy["barrier_height"],
            mass_well=v("mass_well"), mass_barrier=v("mass_barrier"), mass_x=v("mass_x"),
        )  # fmt: skip
        # the tuned band's own entry is the map's axis g (every point sets it)
        g_intra = (v("g_deep"),) * sl.n_bands
        pa = Pairing(omega0=energy["omega0"], g_intra=g_intra, g_inter=v("g_inter"))
        pa.coupling_matrix(sl.n_bands, sl.tuned_band)  # shape checks
        return Config(sl, pa, Numerics.preset("map"), model=self.model)

    @param.depends(*_GEOMETRY, *_PAIRING, "mu_mode", "quantity", watch=True)
    def _changed(self):
        self.grid_name = "bkt" if self.quantity != "Tc" else "live"
        self._refresh()

    @param.depends("point", watch=True)
    def _clicked(self):
        if self.config is not None:
            self._start("readout", self._readout_job())

    def refine(self) -> None:
        """Compute the current state's map on the full grid (the sweeps' 121 × 39)."""
        if self.config is not None and self.quantity == "Tc":
            self.grid_name = "full"
            self._start("map", self._map_job())

    def _refresh(self) -> None:
        """Validate the controls; on success recompute the map and the readout, on a
        refusal keep what is shown and say why.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnitWarning)
            try:
                config = self.build_config()
            except MultigapError as exc:
                self.message = f"not computed: {exc}"
                return
        self.config = config
        self._model = Model.from_config(config)  # built lazily, by the jobs' thread
        self._typed = {k: self.typed(k) for k in ("barrier_height", "omega0", "g_inter")}
        self.message = "; ".join(str(w.message) for w in caught if w.category is UnitWarning)
        self._start("map", self._map_job())
        self._start("readout", self._readout_job())

    # --- work ----------------------------------------------------------------------

    def _map_job(self):
        model, quantity, mu_mode = self._model, self.quantity, self.mu_mode
        grid = GRIDS[self.grid_name]
        return lambda alive: map_dataset(model, grid, quantity, mu_mode, alive)

    def _readout_job(self):
        model, (eta, g), mu_mode = self._model, self.point, self.mu_mode
        return lambda alive: point_readout(model, eta, g, mu_mode)

    def _start(self, kind: str, job) -> None:
        """Run ``job`` for the current state; only the newest job of a kind is shown."""
        self._generation[kind] += 1
        generation = self._generation[kind]

        def alive() -> bool:
            return self._generation[kind] == generation

        def run():
            if not alive():  # overtaken while it waited: never started
                return
            started = time.perf_counter()
            try:
                result, error = job(alive), None
            except MultigapError as exc:
                result, error = None, str(exc)
            if kind == "map" and result is not None:
                result.attrs.update(explore_state=generation,
                                    explore_seconds=time.perf_counter() - started)  # fmt: skip
            if alive():
                self._deliver(lambda: self._show(kind, result, error))

        if kind == "map":
            self.computing = True
        if self._pool is None:
            run()
        else:
            self._pool.submit(run)

    def _show(self, kind: str, result, error: str | None) -> None:
        if kind == "map":
            self.computing = False
            if error is not None:
                self.message = f"not computed: {error}"
            elif result is not None:
                self.dataset = result
        elif result is not None:
            self.readout = result

    # --- downloads -----------------------------------------------------------------

    def to_toml(self) -> str:
        """The current state as a multigap input file, with the command that maps it."""
        import tomli_w

        if self.config is None:
            raise MultigapError("no valid state yet: change a refused control first")
        sl, pa = self.config.superlattice, self.config.pairing
        (e0, e1, ne), (g0, g1, ng) = GRIDS[self.grid_name]
        numerics = {k: v for k, v in asdict(self.config.numerics).items() if k != "name"}
        data = {
            "superlattice": {
                "well_width": sl.well_width, "barrier_width": sl.barrier_width,
                "barrier_height": self._typed["barrier_height"], "mass_well": sl.mass_well,
                "mass_barrier": sl.mass_barrier, "mass_x": sl.mass_x,
                "n_bands": sl.n_bands, "tuned_band": sl.tuned_band, "structure": sl.structure,
            },
            "pairing": {"omega0": self._typed["omega0"], "g_intra": list(pa.g_intra or ()),
                        "g_inter": self._typed["g_inter"]},
            "numerics": numerics,
        }  # fmt: skip
        head = (
            "# multigap explore: the state of a map (lengths nm, energies meV, masses m_e).\n"
            "# The same map, from the command line (fixed μ; Tc at fixed density is the\n"
            "# sweep's --gaps column Tc_fixed_density):\n"
            f"#   multigap sweep --config explore.toml --eta {e0:g} {e1:g} {ne} "
            f"--g {g0:g} {g1:g} {ng} --out dome\n"
        )
        return head + tomli_w.dumps(data)

    def to_netcdf(self) -> bytes:
        """The current map as NetCDF (h5netcdf), with its provenance."""
        import os
        import tempfile

        if self.dataset is None:
            raise MultigapError("no map has been computed yet")
        handle, path = tempfile.mkstemp(suffix=".nc")
        os.close(handle)
        try:
            self.dataset.to_netcdf(path, engine="h5netcdf")
            with open(path, "rb") as f:
                return f.read()
        finally:
            os.unlink(path)

    def toml_file(self) -> io.BytesIO:
        """:meth:`to_toml` as a file object (what a download button serves)."""
        return io.BytesIO(self.to_toml().encode())

    def netcdf_file(self) -> io.BytesIO:
        """:meth:`to_netcdf` as a file object."""
        return io.BytesIO(self.to_netcdf())


def axes_of(grid) -> tuple[np.ndarray, np.ndarray]:
    """The η and g axes of a grid, built as ``multigap sweep`` builds them."""
    (e0, e1, ne), (g0, g1, ng) = grid
    return np.linspace(e0, e1, ne), np.linspace(g0, g1, ng)


def map_dataset(model: Model, grid, quantity: str, mu_mode: str, alive=lambda: True):
    """The map of ``quantity`` ("Tc", "T_BKT" or "T_BKT/Tc") of ``model`` on ``grid``,
    computed by the sweeps' evaluator a few η columns at a time; None if ``alive()``
    turns false.
    """
    import xarray as xr

    from multigap.solvers.grid import bkt_grid

    eta, g = axes_of(grid)
    parts = []
    for start in range(0, eta.size, CHUNK):
        chunk = eta[start : start + CHUNK]
        if quantity == "Tc":
            parts.append(model.tc_grid(chunk, g, mu_mode=mu_mode).to_dataset())
        else:
            parts.append(bkt_grid(model, chunk, g).to_dataset())
        if not alive():
            return None
    ds = xr.concat(parts, dim="eta", data_vars="minimal", coords="minimal", compat="override",
                   combine_attrs="override")  # fmt: skip
    if quantity == "T_BKT/Tc":
        ds["T_BKT_ratio"] = ds.T_BKT / ds.Tc_MF.where(ds.Tc_MF > 0)
        ds["T_BKT_ratio"].attrs.update(units="1", long_name="T_BKT/Tc (fixed density)")
    ds.attrs.update(explore_quantity=quantity, explore_grid=str(grid),
                    dE_meV=energy_out(model.subbands.tuned_width))  # fmt: skip
    return ds


def point_readout(model: Model, eta: float, g: float, mu_mode: str) -> dict:
    """What the app shows for one point: Tc and its status, the tuned band's gap, its
    ratio 2Δ̄_t/k_BTc and regime (E_F,t/ω̃, k_F ξ0, the flags); a failed solve says so.
    """
    from multigap.output.labels import ratio_2delta_kTc, regime_summary

    tc = model.critical_temperature(float(eta), g=float(g), mu_mode=mu_mode)
    # gap ratios divide by the fixed-μ Tc, as everywhere in multigap
    tc_mu = tc if mu_mode == "fixed_mu" else model.critical_temperature(float(eta), g=float(g))
    out = {"eta": float(eta), "g": float(g), "mu_mode": mu_mode, "Tc_K": tc.Tc,
           "Tc_status": tc.status}  # fmt: skip
    if not tc.Tc > 0:
        return out | {"gap_status": "no gaps: " + tc.status}
    try:
        r = model.gaps(float(eta), g=float(g), mu_mode="fixed_density", tc=tc_mu)
    except MultigapError as exc:
        return out | {"gap_status": f"failed: {exc}"}
    t = r.tuned_band - 1
    return out | {
        "gap_status": r.status,
        "Delta_t_meV": energy_out(float(r.delta_magnitude[t])),
        "ratio_2Delta_t_kTc": float(ratio_2delta_kTc(r.delta_magnitude[t], tc_mu.Tc)),
        **{k: (bool(v) if isinstance(v, (bool, np.bool_)) else v)
           for k, v in regime_summary(r).items()},
    }  # fmt: skip
