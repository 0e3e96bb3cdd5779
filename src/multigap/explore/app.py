"""The explorer in the browser: a Panel page over :class:`~multigap.explore.state.Explorer`.

The page has the controls (each with its unit and the library's range), the map of Tc
(or T_BKT) with its Lifshitz lines, labelled contours and maximum, the cuts through the
clicked point, the heterostructure, the readout and the downloads. It holds no physics:
every number comes from the explorer, which computes on a background thread; the page
only redraws what the explorer delivers.
"""

from __future__ import annotations

import numpy as np

from multigap.errors import MultigapError
from multigap.explore.state import GRIDS, Explorer

__all__ = ["LOCAL", "ExploreView", "build_page", "serve"]

#: Addresses that only this machine can reach.
LOCAL = ("127.0.0.1", "localhost", "::1")

#: The Tc contours drawn on the map, in K (those below its maximum).
CONTOURS = (25, 50, 100, 150, 200, 250, 300, 350, 400)
#: Which variable of the map each quantity shows, and its label.
SHOWN = {"Tc": ("Tc", "Tc [K]"), "T_BKT": ("T_BKT", "T_BKT [K]"),
         "T_BKT/Tc": ("T_BKT_ratio", "T_BKT/Tc")}  # fmt: skip


def _panel():
    try:
        import panel as pn
    except ImportError:
        raise MultigapError(
            "multigap explore needs the optional extra: pip install -e '.[explore]'"
        ) from None
    return pn


class ExploreView:
    """The Bokeh figures of one session and how they follow the explorer's outputs."""

    def __init__(self, explorer: Explorer):
        from bokeh.models import ColumnDataSource

        self.x = explorer
        empty: dict[str, dict[str, list]] = {
            "image": {"image": [], "x": [], "y": [], "dw": [], "dh": []},
            "contours": {"xs": [], "ys": []},
            "labels": {"x": [], "y": [], "text": []},
            "lifshitz": {"xs": [], "ys": [], "name": [], "x": [], "y": []},
            "maximum": {"x": [], "y": [], "text": []},
            "point": {"x": [], "y": []},
            "cut_eta": {"x": [], "y": []},
            "cut_g": {"x": [], "y": []},
        }
        self.sources = {name: ColumnDataSource(data) for name, data in empty.items()}
        self.map_figure = self._map_figure()
        self.cut_figures = self._cut_figures()
        explorer.param.watch(lambda _: self.show_map(), "dataset")
        explorer.param.watch(lambda _: self.show_point(), ["point", "dataset"])
        self.show_map()
        self.show_point()

    def _map_figure(self):
        from bokeh.models import ColorBar, LinearColorMapper
        from bokeh.palettes import Viridis256
        from bokeh.plotting import figure

        (e0, e1, _), (g0, g1, _) = GRIDS["live"]
        fig = figure(width=560, height=430, x_range=(e0, e1), y_range=(g0, g1),
                     tools="tap,pan,wheel_zoom,reset", toolbar_location="above",
                     x_axis_label="Lifshitz parameter η",
                     y_axis_label="coupling g of the tuned band")  # fmt: skip
        self.mapper = LinearColorMapper(palette=Viridis256, low=0, high=1, nan_color="#dddddd")
        image = fig.image(source=self.sources["image"], color_mapper=self.mapper)
        from bokeh.models import HoverTool

        fig.add_tools(HoverTool(renderers=[image], tooltips=[
            ("η", "$x{0.000}"), ("g", "$y{0.000}"), ("value", "@image{0.00}")]))  # fmt: skip
        self.colour_bar = ColorBar(color_mapper=self.mapper, title="Tc [K]")
        fig.add_layout(self.colour_bar, "right")
        fig.multi_line(source=self.sources["contours"], line_color="white", line_width=1)
        fig.text(source=self.sources["labels"], text_color="white", text_font_size="9pt",
                 text_align="center", text_baseline="middle")  # fmt: skip
        fig.multi_line(xs="xs", ys="ys", source=self.sources["lifshitz"], line_color="white",
                       line_dash="dashed", line_width=1.5)  # fmt: skip
        fig.text(x="x", y="y", text="name", source=self.sources["lifshitz"], angle=np.pi / 2,
                 text_color="white", text_font_size="9pt", text_baseline="bottom",
                 text_align="right", x_offset=-2)  # fmt: skip
        fig.scatter(source=self.sources["maximum"], marker="star", size=18,
                    fill_color="yellow", line_color="black")  # fmt: skip
        fig.scatter(source=self.sources["point"], marker="circle_cross", size=14,
                    fill_alpha=0, line_color="red", line_width=2)  # fmt: skip
        from bokeh.events import Tap

        fig.on_event(Tap, self._tapped)
        return fig

    def _cut_figures(self):
        from bokeh.plotting import figure

        cuts = []
        for name, axis in (("cut_eta", "Lifshitz parameter η"), ("cut_g", "coupling g")):
            fig = figure(width=360, height=210, x_axis_label=axis, y_axis_label="Tc [K]",
                         toolbar_location=None)  # fmt: skip
            fig.line(source=self.sources[name], line_width=2)
            fig.scatter(source=self.sources[name], size=4)
            cuts.append(fig)
        return cuts

    def _tapped(self, event) -> None:
        ds = self.x.dataset
        if ds is None or event.x is None:
            return
        eta = float(np.clip(event.x, ds.eta.min(), ds.eta.max()))
        g = float(np.clip(event.y, ds.g.min(), ds.g.max()))
        self.x.point = (eta, g)

    def values(self):
        """The shown variable of the current map on (g, η), its label."""
        ds = self.x.dataset
        name, label = SHOWN[ds.attrs.get("explore_quantity", "Tc")]
        return ds[name].transpose("g", "eta").values.astype(float), label

    def show_map(self) -> None:
        """Redraw the map from the explorer's dataset."""
        ds = self.x.dataset
        if ds is None:
            return
        z, label = self.values()
        eta, g = ds.eta.values, ds.g.values
        de, dg = _step(eta), _step(g)
        self.sources["image"].data = {"image": [z], "x": [eta[0] - de / 2], "y": [g[0] - dg / 2],
                                      "dw": [np.ptp(eta) + de], "dh": [np.ptp(g) + dg]}  # fmt: skip
        top = np.nanmax(z) if np.isfinite(z).any() else 1.0
        self.mapper.update(low=0.0, high=float(top) or 1.0)
        self.colour_bar.title = label
        self.map_figure.x_range.update(start=eta[0] - de / 2, end=eta[-1] + de / 2)
        self.map_figure.y_range.update(start=g[0] - dg / 2, end=g[-1] + dg / 2)
        lines, labels = contour_lines(eta, g, z, label)
        self.sources["contours"].data = lines
        self.sources["labels"].data = labels
        self.sources["lifshitz"].data = lifshitz_curves(ds)
        i, j = np.unravel_index(np.nanargmax(np.where(np.isfinite(z), z, -np.inf)), z.shape)
        text = f"max {z[i, j]:.3g} at (η, g) = ({eta[j]:.2f}, {g[i]:.2f})"
        self.sources["maximum"].data = {"x": [eta[j]], "y": [g[i]], "text": [text]}
        self.map_figure.title.text = f"{label.split(' [')[0]} over (η, g): {text}"

    def show_point(self) -> None:
        """The clicked point on the map, and the cuts through it."""
        ds = self.x.dataset
        eta, g = self.x.point
        self.sources["point"].data = {"x": [eta], "y": [g]}
        if ds is None:
            return
        z, label = self.values()
        j = int(np.argmin(np.abs(ds.eta.values - eta)))
        i = int(np.argmin(np.abs(ds.g.values - g)))
        self.sources["cut_eta"].data = {"x": ds.eta.values, "y": z[i]}
        self.sources["cut_g"].data = {"x": ds.g.values, "y": z[:, j]}
        a, b = self.cut_figures
        a.title.text, b.title.text = (
            f"at g = {ds.g.values[i]:.3f}",
            f"at η = {ds.eta.values[j]:.3f}",
        )
        a.yaxis.axis_label = b.yaxis.axis_label = label


def _step(axis: np.ndarray) -> float:
    return float(axis[1] - axis[0]) if axis.size > 1 else 1.0


def contour_lines(eta, g, z, label: str) -> tuple[dict, dict]:
    """Contour lines of z(g, η) (K) and one label per level, at the middle of its longest
    piece, for a Bokeh multi-line and text glyph.
    """
    import contourpy

    xs: list[list[float]] = []
    ys: list[list[float]] = []
    lx: list[float] = []
    ly: list[float] = []
    text: list[str] = []
    finite = np.isfinite(z)
    if not finite.any() or "/" in label:
        return {"xs": xs, "ys": ys}, {"x": lx, "y": ly, "text": text}
    generator = contourpy.contour_generator(eta, g, np.where(finite, z, np.nan))
    for level in (v for v in CONTOURS if v < np.nanmax(z)):
        pieces = [np.asarray(p) for p in generator.lines(level) if len(p) > 1]
        for piece in pieces:
            xs.append(piece[:, 0].tolist())
            ys.append(piece[:, 1].tolist())
        if pieces:
            longest = max(pieces, key=len)
            lx.append(float(longest[len(longest) // 2, 0]))
            ly.append(float(longest[len(longest) // 2, 1]))
            text.append(f"{level} K")
    return {"xs": xs, "ys": ys}, {"x": lx, "y": ly, "text": text}


def lifshitz_curves(ds) -> dict:
    """The Lifshitz lines η = 0 and η = 1, and η = −ω̃(g)/ΔE (where the pairing window's
    upper edge leaves the tuned band's bottom), as multi-line data with their names
    (written along each line, near its top).
    """
    g = ds.g.values
    xs, ys = [[0.0, 0.0], [1.0, 1.0]], [[g[0], g[-1]], [g[0], g[-1]]]
    names = ["η = 0", "η = 1"]
    if "omega_tilde" in ds and ds.attrs.get("dE_meV"):
        xs.append((-ds.omega_tilde.values / float(ds.attrs["dE_meV"])).tolist())
        ys.append(g.tolist())
        names.append("η = −ω̃/ΔE")
    top = g[0] + 0.97 * (g[-1] - g[0])
    x = [float(np.interp(top, y, line)) for line, y in zip(xs, ys)]
    return {"xs": xs, "ys": ys, "name": names, "x": x, "y": [top] * len(xs)}


def _controls(pn, explorer: Explorer):
    """The controls: sliders for numbers (soft range on the track, the library's range
    when typed), selectors for choices, all updating on release.
    """
    widgets = {}
    for name in ("well_width", "barrier_width", "barrier_height", "mass_well", "mass_barrier",
                 "mass_x", "omega0", "g_deep", "g_inter"):  # fmt: skip
        p = explorer.param[name]
        widgets[name] = {
            "type": pn.widgets.EditableFloatSlider, "throttled": True,
            "start": p.softbounds[0], "end": p.softbounds[1], "step": p.step,
            "fixed_start": p.bounds[0], "fixed_end": p.bounds[1], "name": p.label,
        }  # fmt: skip
    return pn.Param(
        explorer,
        parameters=["model", "structure", *widgets, "mu_mode", "quantity"],
        widgets=widgets,
        show_name=False,
        width=300,
    )


def _readout(explorer: Explorer) -> str:
    r = explorer.readout
    if not r:
        return "Click the map to read out a point."
    rows = [("η, g", f"{r['eta']:.3f}, {r['g']:.3f}"),
            (f"Tc ({r['mu_mode']}) [K]", f"{r['Tc_K']:.4g}"), ("Tc status", r["Tc_status"]),
            ("gaps", r["gap_status"])]  # fmt: skip
    if "Delta_t_meV" in r:
        flags = [k for k in ("non_adiabatic", "bec", "outside_weak_coupling") if r.get(k)]
        rows += [("Δ̄ of the tuned band [meV]", f"{r['Delta_t_meV']:.4g}"),
                 ("2Δ̄_t/k_B Tc (fixed-μ Tc)", f"{r['ratio_2Delta_t_kTc']:.3f}"),
                 ("E_F,t/ω̃", f"{r['EF_t_over_omega']:.3g}"), ("k_F ξ0", f"{r['kF_xi0_t']:.3g}"),
                 ("regime flags", ", ".join(flags) or "none")]  # fmt: skip
    return "| at the point | |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


def _state_line(dataset, computing: bool) -> str:
    """Which state the map shows and how long it took (and whether a newer one is on
    its way).
    """
    if dataset is None:
        return "computing the first map…"
    shape = f"{dataset.sizes['eta']} × {dataset.sizes['g']}"
    line = (f"map of state {dataset.attrs.get('explore_state', 0)}: {shape}, "
            f"{dataset.attrs.get('explore_seconds', 0.0):.2f} s")  # fmt: skip
    return line + ("; computing a newer one…" if computing else "")


def build_page(explorer: Explorer):
    """The Panel page of one session."""
    pn = _panel()
    view = ExploreView(explorer)
    refine = pn.widgets.Button(label="refine: the full 121 × 39 map", color="primary")
    refine.on_click(lambda _: explorer.refine())
    downloads = pn.Row(
        pn.widgets.FileDownload(
            callback=explorer.toml_file,
            filename="explore.toml",
            label="state (TOML for multigap sweep --config)",
        ),  # fmt: skip
        pn.widgets.FileDownload(
            callback=explorer.netcdf_file, filename="explore_map.nc", label="map (NetCDF)"
        ),  # fmt: skip
    )
    message = pn.pane.Alert(
        pn.bind(lambda m: m or "", explorer.param.message),
        alert_type="warning",
        visible=pn.bind(bool, explorer.param.message),
    )
    busy = pn.indicators.LoadingSpinner(value=explorer.param.computing, size=24)
    state = pn.pane.Str(pn.bind(_state_line, explorer.param.dataset, explorer.param.computing),
                        css_classes=["map-state"])  # fmt: skip
    readout = pn.pane.Markdown(pn.bind(lambda _: _readout(explorer), explorer.param.readout),
                               name="readout", css_classes=["readout"])  # fmt: skip
    structure = _structure_pane(pn, explorer)
    return pn.Row(
        pn.Column("## multigap explore", _controls(pn, explorer), refine, downloads),
        pn.Column(pn.Row(busy, state), message, pn.pane.Bokeh(view.map_figure), structure),
        pn.Column(readout, *[pn.pane.Bokeh(f) for f in view.cut_figures]),
    )


def _structure_pane(pn, explorer: Explorer):
    """The heterostructure (V(z), |ψ|², E_n(kz)) of the explorer's geometry: a figure
    redrawn only when the geometry changes, not at every map.
    """
    import matplotlib.pyplot as plt

    from multigap.plots import structure_figure
    from multigap.superlattice.kronig_penney import solve_subbands

    pane = pn.pane.Matplotlib(None, dpi=72, tight=True, format="png", width=560)
    drawn = {"key": None}

    def redraw(*_):
        cfg = explorer.config
        if cfg is None or repr(cfg.superlattice) == drawn["key"]:
            return
        drawn["key"] = repr(cfg.superlattice)
        fig = structure_figure(solve_subbands(cfg.superlattice, cfg.numerics), model=cfg.model)
        plt.close(fig)  # drawn by the pane, not kept by pyplot
        pane.object = fig

    explorer.param.watch(redraw, "dataset")
    redraw()
    return pane


def serve(explorer_kwargs: dict, host: str = "127.0.0.1", port: int = 5006) -> None:
    """Serve the explorer at http://host:port/ until interrupted (one explorer per
    browser session, computing on its own thread).
    """
    pn = _panel()

    def session():
        doc = pn.state.curdoc
        deliver = (lambda f: doc.add_next_tick_callback(f)) if doc is not None else None
        return build_page(Explorer(background=True, deliver=deliver, **explorer_kwargs))

    origins = [f"{h}:{port}" for h in ("127.0.0.1", "localhost", host)] if host in LOCAL else ["*"]
    pn.serve({"/": session}, address=host, port=port, show=False, websocket_origin=origins,
             title="multigap explore", print_url=False)  # fmt: skip
