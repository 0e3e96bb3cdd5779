"""The report of a reproduction, as Markdown and as self-contained HTML."""

from __future__ import annotations

import base64
import html
import json

from multigap._version import __version__
from multigap.reproduce.claims import RETRACTION
from multigap.reproduce.settings import ReproductionRun

VERDICT_RULES = (
    "Verdict rules: Tc within 10 %; positions within 0.15 in η and 0.05 in g; ratio "
    "ranges within 0.3 of the paper's upper end. Conventions (docs/conventions.md): the "
    "corrected overlap integral, the number equation without the θ misprint, the "
    "cut-off restored in eq. 8, eq. 1 literal; gaps are DOS-weighted Fermi-surface "
    "averages and the anisotropy is Δ̄_t/Δ̄_{t−1} of the tuned band t."
)


def _beyond_paragraphs(b: dict) -> list[str]:
    """The fit of the H3S schematic and the design example, with their caveats."""
    f, d = b["h3s_fit"], b["design"]
    par = ", ".join(
        f"{k} = {v['value']:.4g} ± {v['stderr']:.2g}"
        for k, v in f["parameters"].items()
        if not v["fixed"]
    )
    corr = ", ".join(f"{k} {v:+.2f}" for k, v in f["correlations"].items())
    p = ", ".join(f"{k} = {v:.3g}" for k, v in d["best"]["parameters"].items())
    (_, m_lo, m_hi), (_, w_lo, w_hi) = d["vary"]  # barrier mass, barrier width
    caveats = "; ".join(d.get("optimum", {}).get("caveats", [])) or "none flagged"
    return [
        "**The H3S dome, read as a path (schematic).** The paper's Fig. 1 quotes "
        "Tc,max = 203 K at 162 GPa and a half width of about 43 GPa for H3S. A SCHEMATIC "
        "Gaussian with those numbers (not measured data; `examples/h3s_schematic_dome.csv`) "
        f"fitted as a path through case A's dome with g1 = 0 gives {par} (p_ref = "
        f"{f['p_ref_GPa']:g} GPa; reduced χ² = "
        f"{'undefined' if f['redchi'] is None else format(f['redchi'], '.2f')}; "
        f"correlations {corr}). "
        "Caveats: the data are a schematic; with g1 free the fit is degenerate (a dome has "
        "three features and the path four parameters); the slope eta1 depends on the "
        "assumed linearity of η(P).",
        f"**A design example.** The barrier mass and width (in [{m_lo}, {m_hi}] m_e and "
        f"[{w_lo}, {w_hi}] nm) that maximise Tc,max of case A at g = {d['g']:g}, by "
        f"differential evolution over {d['evaluations']} evaluations: {p}, Tc,max = "
        f"{d['best']['Tc_K']:.0f} K at η = {d['best']['eta']:.2f}, against "
        f"{d['preset_Tc_max_K']:.0f} K for the preset; the tuned band's width is "
        f"ΔE = {d['dE_meV']:.0f} meV (preset {d['preset_dE_meV']:.0f} meV). Computed "
        f"caveats at the optimum: {caveats}. Also: the couplings are held fixed while the "
        "geometry changes, which a real material would not do; and no constraint on ΔE "
        "or on the window was imposed here (`multigap design --constraint dE=LO:HI`, "
        "`single_band`).",
    ]


def _fluctuation_paragraphs(pf: dict) -> list[str]:
    """The BKT domes in words: the tops with and without phase fluctuations."""
    out = [
        "The wires are two-dimensional, so their transition is of the BKT kind: "
        "k_B T_BKT = (π/2) sqrt(J_xx J_zz), with the mean-field phase stiffness at T "
        "(docs: phase fluctuations). The estimate keeps the mean-field J (no vortex-core "
        "or amplitude corrections), so it is an upper estimate of the true transition."
    ]
    for c, r in pf.items():
        top, bkt = r["Tc_MF_top"], r["T_BKT_top"]
        flags = [k for k, v in r["flags_at_bkt_top"].items() if v] or ["none"]
        out.append(
            f"**Case {c}.** Mean-field top (fixed density): {top['Tc_K']:.0f} K at "
            f"(η, g) = ({top['eta']:.2f}, {top['g']:.2f}), where T_BKT = "
            f"{top['T_BKT_K']:.0f} K (T_BKT/Tc = {top['ratio']:.2f}). BKT top: "
            f"{bkt['T_BKT_K']:.0f} K at ({bkt['eta']:.2f}, {bkt['g']:.2f}) (Tc_MF there "
            f"{bkt['Tc_MF_K']:.0f} K); regime flags there: {', '.join(flags)}."
        )
    return out


def _sections(results: dict) -> list[tuple[str, list[str]]]:
    """The report's prose after the claims table, one (heading, paragraphs) per section;
    a paragraph starting with "- " is a list item. Markdown and HTML both render these.
    """
    sens = [
        "- "
        + name
        + ": "
        + ", ".join(f"{x:.3g} → {t:.0f} K" for x, t in zip(v["values"], v["Tc_max_K"]))
        for name, v in results["sensitivity_B"].items()
    ]
    sections = [
        ("Verdict rules and conventions", [VERDICT_RULES]),
        ("Case B: sensitivity to the unstated parameters", sens),
        ("Beyond the figures: a measured dome as a path, and a design",
         _beyond_paragraphs(results["beyond"])),
    ]  # fmt: skip
    if "phase_fluctuations" in results:
        sections.append(("Beyond mean field: phase fluctuations and the BKT domes",
                         _fluctuation_paragraphs(results["phase_fluctuations"])))  # fmt: skip
    sections.append(("Data", ["NetCDF files in `data/`: " + ", ".join(sorted(results["data"]))]))
    return sections


def _figure_order(stem: str) -> tuple:
    """The paper's order (Fig. 3, 4, … 11), then our own figures."""
    import re

    m = re.match(r"fig(\d+)", stem)
    return (0, int(m.group(1)), stem) if m else (1, 0, stem)


def reuse_sentence(reused: dict[str, dict[str, int]]) -> str:
    """What a rerun took from the stores of an earlier run, in one sentence."""
    total = sum(v["columns"] for v in reused.values())
    skipped = {k: v["skipped"] for k, v in reused.items() if v["skipped"]}
    if not skipped:
        return "Every sweep was computed in this run."
    whole = [k for k, v in reused.items() if v["skipped"] == v["columns"]]
    return (
        f"Reused {sum(skipped.values())} of {total} sweep columns from an earlier run "
        f"({len(whole)} of {len(reused)} sweeps whole; stores in stores/)."
    )


def write_report(run: ReproductionRun, results: dict) -> None:
    """report.md, report.html (self-contained), claims.json and reproduce.json."""
    lines = _report_markdown(run, results)
    (run.out / "report.md").write_text("\n".join(lines))
    (run.out / "report.html").write_text(_report_html(run, results, lines[2]))
    (run.out / "claims.json").write_text(json.dumps(results["claims"], indent=1))
    run_record = {
        "multigap_version": __version__,
        "quick": results["quick"],
        "settings": results["settings"],
        "seconds": results["seconds"],
        "reused": results["reused"],
    }
    (run.out / "reproduce.json").write_text(json.dumps(run_record, indent=1))


def claims_table(rows: list[dict]) -> list[str]:
    """The claims as the lines of a markdown table (claim, paper, ours, verdict, why)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return [
        "| claim | paper | ours | verdict | why it differs |",
        "|---|---|---|---|---|",
    ] + [
        f"| {cell(r['claim'])} | {cell(r['paper'])} | {cell(r['ours'])} | **{r['verdict']}** "
        f"| {cell(r['why'])} |"
        for r in rows
    ]


def _report_markdown(run: ReproductionRun, results: dict) -> list[str]:
    rows = results["claims"]
    s = results["settings"]
    lines = [
        "# multigap reproduction report",
        "",
        f"Mazziotti, Raimondi, Valletta, Campi, Bianconi, J. Appl. Phys. 130, 173904 (2021), "
        f"reproduced by multigap {__version__}"
        f"{' (--quick: coarse grids)' if results['quick'] else ''}"
        f" in {results['seconds']:.0f} s. {reuse_sentence(results['reused'])}",
        "",
        f"**{RETRACTION}**",
        "",
        "## The paper's claims against ours",
        "",
        *claims_table(rows),
        "",
    ]
    for heading, paragraphs in _sections(results):
        lines += ["", f"## {heading}", ""]
        for text in paragraphs:
            lines += [text] if text.startswith("- ") else [text, ""]
    lines += ["", "## Figures", ""]
    for stem, caption in sorted(run.figures, key=lambda fc: _figure_order(fc[0])):
        lines += [f"### {stem}", "", caption, "", f"![{stem}](figures/{stem}.png)", ""]
    lines += [
        "## Settings",
        "",
        "```",
        json.dumps(s, indent=1),
        "```",
        "",
    ]
    return lines


def _report_html(run: ReproductionRun, results: dict, intro: str) -> str:
    rows, s = results["claims"], results["settings"]

    def img(stem):
        data = base64.b64encode((run.out / "figures" / f"{stem}.png").read_bytes()).decode()
        return f'<img alt="{stem}" src="data:image/png;base64,{data}" style="max-width:100%">'

    esc = html.escape
    body = [
        f"<h1>multigap reproduction report</h1><p>{esc(intro)}</p>",
        f"<p><strong>{esc(RETRACTION)}</strong></p><h2>The paper's claims against ours</h2>",
        "<table><tr><th>claim</th><th>paper</th><th>ours</th><th>verdict</th>"
        "<th>why it differs</th></tr>",
    ]
    for r in rows:
        colour = "#d4edda" if r["verdict"] == "agrees" else "#f8d7da"
        body.append(
            f"<tr><td>{esc(r['claim'])}</td><td>{esc(r['paper'])}</td><td>{esc(r['ours'])}"
            f"</td><td style='background:{colour}'><b>{r['verdict']}</b></td>"
            f"<td>{esc(r['why'])}</td></tr>"
        )
    body.append("</table>")
    for heading, paragraphs in _sections(results):
        body.append(f"<h2>{esc(heading)}</h2>")
        items = [t[2:] for t in paragraphs if t.startswith("- ")]
        body += [f"<p>{_inline(t)}</p>" for t in paragraphs if not t.startswith("- ")]
        if items:
            body.append("<ul>" + "".join(f"<li>{_inline(t)}</li>" for t in items) + "</ul>")
    body.append("<h2>Figures</h2>")
    for stem, caption in sorted(run.figures, key=lambda fc: _figure_order(fc[0])):
        body.append(f"<h3>{esc(stem)}</h3><p>{esc(caption)}</p>{img(stem)}")
    body.append(f"<h2>Settings</h2><pre>{esc(json.dumps(s, indent=1))}</pre>")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>multigap reproduction</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;"
        "font-size:13px;vertical-align:top}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def _inline(text: str) -> str:
    """Markdown's **bold** and `code` as HTML, the rest escaped."""
    import re

    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)
