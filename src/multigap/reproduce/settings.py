"""What a reproduction computes and where it writes: the settings (full or
quick), the run's folders, and the sweep specifications the stages share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from multigap.config import Numerics, preset
from multigap.study.sweep import SweepSpec, export_sweep, run_sweep

PAPER_G_LINE = {"A": 0.25, "B": 1.0 / 3.0}


@dataclass(frozen=True)
class ReproduceSettings:
    """Grids of the reproduction (START, STOP, NUM triples)."""

    map_eta: tuple = (-1.0, 2.0, 121)
    map_g: tuple = (0.10, 0.48, 39)
    line_eta: tuple = (-0.5, 2.0, 81)
    sens_eta: tuple = (0.0, 2.0, 41)
    sens_g: tuple = (0.30, 0.48, 10)
    sens_mass_x: tuple = (0.5, 2.0, 5)
    sens_mass_well: tuple = (0.6, 1.4, 5)
    sens_g_inter: tuple = (0.0, 0.2, 5)
    dos_points: int = 601
    bkt_eta: tuple = (-1.0, 2.0, 31)
    bkt_g: tuple = (0.10, 0.48, 12)
    bkt_line_eta: tuple = (-1.0, 2.0, 61)


FULL = ReproduceSettings()


QUICK = ReproduceSettings(
    map_eta=(-1.0, 2.0, 31),
    map_g=(0.10, 0.48, 10),
    line_eta=(-0.5, 2.0, 8),
    sens_eta=(0.0, 2.0, 11),
    sens_g=(0.34, 0.46, 4),
    sens_mass_x=(0.5, 2.0, 3),
    sens_mass_well=(0.7, 1.3, 3),
    sens_g_inter=(0.0, 0.2, 3),
    dos_points=201,
    bkt_eta=(-1.0, 2.0, 7),
    bkt_g=(0.25, 0.45, 3),
    bkt_line_eta=(-0.5, 2.0, 6),
)


class ReproductionRun:
    """One reproduction: its folders, and the figures, data and stores it has written."""

    def __init__(self, out: Path, settings: ReproduceSettings, workers, progress):
        self.out, self.s, self.workers, self.progress = out, settings, workers, progress
        for sub in ("figures", "data", "stores"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        self.figures: list[tuple[str, str]] = []  # (file stem, caption)
        self.data: list[str] = []
        self.reused: dict[str, dict[str, int]] = {}  # store name: run_sweep's counts

    def figure(self, fig, stem: str, caption: str):
        """Save a figure as PNG and PDF under ``figures/`` and record its caption."""
        from multigap.plots import DPI, save

        fig.savefig(self.out / "figures" / f"{stem}.png", dpi=DPI, bbox_inches="tight")
        save(fig, self.out / "figures" / f"{stem}.pdf")  # saves and closes
        self.figures.append((stem, caption))

    def dataset(self, ds, stem: str):
        """Write a dataset as NetCDF under ``data/``."""
        path = self.out / "data" / f"{stem}.nc"
        ds.to_netcdf(path, engine="h5netcdf")
        self.data.append(path.name)

    def sweep(self, name: str, spec: SweepSpec, label: str):
        """Run (or resume) the sweep ``name``; ``label`` names it on the progress bar."""
        store = self.out / "stores" / name
        self.reused[name] = run_sweep(
            spec, store, workers=self.workers, progress=self.progress, force=True, label=label
        )
        ds = export_sweep(store, self.out / "data" / f"{name}.nc")
        self.data.append(f"{name}.nc")
        return ds


#: The maps search Tc down to 1 µK (not the 1 mK default), so that the Fano antiresonance
#: on the η < 0 side is a resolved minimum rather than a floor.
MAP_NUMERICS = Numerics.preset("map", t_min=1e-6)


def case_spec(case: str, eta, g, numerics: Numerics | None = None, **kw) -> SweepSpec:
    """The sweep of a preset case over η × g with the map numerics (or others)."""
    sl, pa = preset(case)
    return SweepSpec(sl, pa, numerics or Numerics.preset("map"), eta, g, model=case, **kw)


def design_example_spec(budget: int):
    """The report's design example: case A's barrier mass (0.35–1.0 m_e) and width
    (0.4–0.8 nm) that maximise Tc,max at g = 0.35, "map" numerics, seed 0.
    """
    from multigap.study.design import DesignSpec

    sl, pa = preset("A")
    return DesignSpec(
        sl,
        pa,
        Numerics.preset("map"),
        vary=(("mass_barrier", 0.35, 1.0), ("barrier_width", 0.4, 0.8)),
        g=0.35,
        budget=budget,
        seed=0,
        model="A",
    )
