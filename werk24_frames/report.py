"""The HTML report: everything werk24_frames says about a corpus in one self-contained file.

``wf.report(corpus).save("report.html")`` (or ``werk24-frames report SOURCE -o report.html``)
writes one HTML file that opens in any browser, is mailed as an attachment and archived with
the drawings: no JavaScript, no stylesheet or image fetched from anywhere (plots and drawings
are PNG ``data:`` URIs), every text taken from a drawing HTML-escaped. It holds

- a summary: drawings, features, how many state a material and a general tolerance, audit
  findings and problems, the size of every table;
- tolerance statistics: IT grades, where the tolerances come from, tolerance against size (the
  plots of :mod:`werk24_frames.plots`), statistics by material family, fits and general
  tolerances in use;
- material statistics: materials, weights by family, weights that disagree with volume ×
  density;
- the audit's findings (:func:`werk24_frames.audit`), errors first;
- the tightest features, each beside its crop of the drawing (:func:`werk24_frames.views.crops`);
- thumbnails of the drawings (:func:`werk24_frames.views.thumbnails`);
- the problems met while reading, errors first;
- with ``plan=`` or ``measurements=``: an inspection section (the plan per drawing; with
  measurements, the capability of every measured characteristic, worst first with verdict
  colours, the capability plots of the worst ones, and the measurements' problems).

Needs matplotlib and Pillow (``pip install 'werk24_frames[report]'``).

Examples
--------
>>> import werk24_frames as wf
>>> rep = wf.report(wf.sample_corpus(), max_thumbnails=4, n_tightest=3)
>>> rep
<Report 'werk24_frames report': 44 drawings, 7 sections>
>>> rep.sections[:3]
('Summary', 'Tolerances', 'Materials')
"""

from __future__ import annotations

import base64
import io
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import plots, stats
from ._extras import require
from .audit import CHECKS, SHOWN, audit, audit_summary, by_severity, worst_first
from .views import _e, _Html, crops, thumbnails

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._corpus import Corpus

__all__ = ["Report", "report"]

_COUNTS = {"rows", "drawings"}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
header{background:#1f4e79;color:#fff;padding:18px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.85;font-size:13px}
nav{padding:8px 32px;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;font-size:14px}
nav a{margin-right:16px;color:#1f4e79;text-decoration:none}
main{padding:8px 32px 48px;max-width:1400px}
section{margin-top:28px;scroll-margin-top:44px}
h2{font-size:20px;border-bottom:2px solid #1f4e79;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
p.note{color:#666;font-size:13px;margin:4px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:130px}
.card .v{font-size:26px;font-weight:600}
.card .k{font-size:12px;color:#555}
.card.bad .v{color:#c62828}
.card.warn .v{color:#ef6c00}
.figs{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.figs img{background:#fff;border:1px solid #ddd;border-radius:4px;max-width:100%;height:auto}
table.w24{border-collapse:collapse;font-size:13px;background:#fff;width:max-content}
table.w24 td{max-width:42em}
table.w24 th{text-align:left;background:#eef3f8;padding:4px 8px;border-bottom:1px solid #ccd}
table.w24 td{padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top}
@media (max-width:800px){header,nav{padding-left:12px;padding-right:12px}main{padding:8px 12px 32px}}
table.w24 td.num,table.w24 th.num{text-align:right}
.sev-error{color:#c62828;font-weight:600}
.sev-warning{color:#ef6c00;font-weight:600}
.sev-info{color:#555}
.scroll{overflow-x:auto}
.v-capable{color:#2e7d32;font-weight:600}
.v-not-capable{color:#c62828;font-weight:600}
.v-too-few-values,.v-undetermined{color:#ef6c00}
.v-no-limits,.v-not-measured{color:#757575}
"""


@dataclass(frozen=True)
class Report(_Html):
    """A self-contained HTML report of a corpus; shown as HTML in notebooks. Made by
    :func:`report`; ``save(path)`` writes it."""

    title: str
    n_drawings: int
    sections: tuple[str, ...]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path`` (UTF-8) and return the path. Text that UTF-8 cannot
        hold (a lone surrogate in an answer given in memory) is written as ``\\udcNN``."""
        target = Path(path).expanduser()
        if target.is_dir():
            raise IsADirectoryError(f"{str(target)!r} is a folder; give the report's file name, e.g. report.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.html, encoding="utf-8", errors="backslashreplace")
        return target

    def __repr__(self) -> str:
        return f"<Report {self.title!r}: {self.n_drawings} drawings, {len(self.sections)} sections>"


def _figure(draw: Callable[[Axes], Any], size: tuple[float, float], alt: str) -> str:
    """An ``<img>`` of what ``draw`` puts on a new Axes, as a PNG ``data:`` URI.

    The figure is a bare ``matplotlib.figure.Figure``: pyplot, its backend and its list of open
    figures are never touched, so nothing extra shows up in a notebook."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    w, h = (round(v * 100) for v in size)
    return f'<img src="data:image/png;base64,{data}" width="{w}" height="{h}" alt="{_e(alt)}">'


def _cell(value: Any, col: str) -> tuple[str, bool]:
    """A table cell's text and whether it is a number (right-aligned)."""
    if isinstance(value, np.ndarray) and col == "polygon":  # the points, as (x, y)
        return _e(", ".join(f"({x:g}, {y:g})" for x, y in value.reshape(-1, 2).tolist())), False
    if isinstance(value, list | tuple | np.ndarray):
        return _e(", ".join(map(str, value))), False
    if value is None or pd.isna(value):
        return "", False
    if isinstance(value, bool | np.bool_):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Real):
        number = float(value)
        if col.startswith("share"):
            return f"{number:.0%}", True
        if not number.is_integer():
            return f"{number:,.6g}" if abs(number) >= 1000 else f"{number:.4g}", True
        # Counts get thousands separators; ids (reference_id, item_index) stay as written.
        return (f"{number:,.0f}" if col.startswith("n_") or col in _COUNTS else f"{number:.0f}"), True
    return _e(value), False


def _table(
    df: pd.DataFrame, max_rows: int | None = None, index: bool = False, cls: dict[str, str] | None = None
) -> str:
    """``df`` as an HTML table (escaped, numbers right-aligned, NA blank), with a note when
    rows are left out. ``cls`` gives a column whose values are CSS class suffixes (``sev-``)."""
    if index:
        df = df.reset_index()
    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in shown.columns)
    rows = []
    for rec in shown.itertuples(index=False):
        cells = []
        for col, value in zip(shown.columns, rec, strict=True):
            text, num = _cell(value, str(col))
            klass = ' class="num"' if num else ""
            if cls and col in cls and text:
                klass = f' class="{cls[col]}{_e(str(value).replace(" ", "-"))}"'
            cells.append(f"<td{klass}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    more = ""
    if len(df) > len(shown):
        more = f'<p class="note">{len(df) - len(shown):,} more rows not shown.</p>'
    return f'<div class="scroll"><table class="w24"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}'


def _cards(items: list[tuple[str, Any, str]]) -> str:
    out = []
    for label, value, tone in items:
        out.append(f'<div class="card {tone}"><div class="v">{_e(value)}</div><div class="k">{_e(label)}</div></div>')
    return f'<div class="cards">{"".join(out)}</div>'


def _count(series: pd.Series) -> int:
    return int(series.notna().sum())


def _tolerances(corpus: Corpus) -> str:
    feats = corpus.features
    sized = feats[feats["table"].isin(stats.TOLERANCE_TABLES)]
    if sized.empty:
        return '<p class="note">No dimensions, bores, chamfers or radii in these drawings.</p>'
    n_drawings = min(40, sized["drawing_id"].nunique())
    figs = [
        _figure(lambda ax: plots.it_grades(corpus, ax=ax), (6.4, 3.8), "bar chart of features per IT grade"),
        _figure(lambda ax: plots.tolerance_vs_size(corpus, ax=ax), (6.4, 3.8), "tolerance width against nominal size"),
        _figure(
            lambda ax: plots.tolerance_sources(corpus, ax=ax),
            (7.0, max(2.5, 0.22 * n_drawings + 1.2)),
            "where each drawing's tolerances come from",
        ),
    ]
    by_family = stats.tolerance_stats(corpus, by="material_family")
    cols = [
        "n_features",
        "n_explicit",
        "n_fit",
        "n_general",
        "n_none",
        "share_toleranced",
        "n_tight",
        "finest_it_grade",
        "tightest_width_mm",
        "tightest_label",
    ]
    parts = [
        f'<div class="figs">{"".join(figs)}</div>',
        "<h3>By material family</h3>",
        '<p class="note">n_tight: features of IT7 or finer. Sources: explicit deviations, ISO 286 fit, '
        "general tolerance (ISO 2768 / DIN 7168), none.</p>",
        _table(by_family[[c for c in cols if c in by_family.columns]], index=True),
    ]
    fits = stats.fits_in_use(corpus)
    parts += ["<h3>ISO 286 fits in use</h3>", _table(fits, 20) if len(fits) else '<p class="note">No fits.</p>']
    general = stats.general_tolerances_in_use(corpus)
    # Drawings without a general tolerance: "(none)", as in the summary's tables, not a blank row.
    named = general["general_tolerance_standard"].notna()
    general["general_tolerance_standard"] = general["general_tolerance_standard"].astype("string").fillna("(none)")
    for col in ("general_tolerance_class", "general_tolerance_linear_class"):
        general[col] = general[col].astype("string").where(named, "")
    parts += ["<h3>General tolerances in use</h3>", _table(general)]
    return "".join(parts)


def _materials(corpus: Corpus, max_rows: int) -> str:
    meta = corpus.metadata
    if meta["material"].notna().sum() == 0:
        return '<p class="note">No drawing states a material.</p>'
    counts = stats.material_counts(corpus)
    n = min(15, len(counts))
    figs = [_figure(lambda ax: plots.materials(corpus, ax=ax), (6.4, max(2.5, 0.3 * n + 1.2)), "drawings per material")]
    if meta["weight_kg"].notna().any():
        figs.append(
            _figure(
                lambda ax: plots.weight_by_family(corpus, ax=ax), (6.4, 3.8), "weight of the parts per material family"
            )
        )
    parts = [
        f'<div class="figs">{"".join(figs)}</div>',
        "<h3>Materials</h3>",
        _table(counts.rename_axis(str(counts.index.name or "material_grade")), 20, index=True),
        "<h3>Weights by material family</h3>",
        _table(stats.weight_by_material(corpus), index=True),
    ]
    check = stats.weight_check(corpus)
    odd = check[check["plausible"].eq(False)]
    parts.append("<h3>Weights that disagree with volume × density</h3>")
    if len(odd):
        odd = odd.iloc[(odd["ratio"].map(np.log).abs()).argsort(kind="stable")[::-1]]  # farthest first
        parts.append(_table(odd.drop(columns=["plausible"]), max_rows, index=True))
    else:
        parts.append(
            f'<p class="note">None of the {_count(check["ratio"])} drawings with weight, volume and density.</p>'
        )
    return "".join(parts)


def _audit(findings: pd.DataFrame, corpus: Corpus, max_rows: int) -> str:
    if findings.empty:
        return '<p class="note">No findings.</p>'
    summary = (
        findings.groupby(["check", "severity"], observed=True)
        .size()
        .rename("n_findings")
        .reset_index()
        .assign(meaning=lambda d: d["check"].map(CHECKS))
    )
    summary = by_severity(summary)
    rows = worst_first(findings, corpus)[SHOWN]
    sev = {"severity": "sev-"}
    per = audit_summary(corpus, findings)
    per = per[per["n_findings"] > 0].sort_values(["n_error", "n_warning", "n_findings"], ascending=False, kind="stable")
    return (
        _table(summary, cls=sev)
        + f"<h3>Drawings with findings ({len(per):,} of {len(corpus):,})</h3>"
        + _table(per, max_rows, index=True)
        + f"<h3>Findings ({len(findings):,})</h3>"
        + _table(rows, max_rows, cls=sev)
        + ('<p class="note">All findings: <code>werk24-frames audit</code> or <code>wf.audit(corpus)</code>.</p>')
    )


def report(
    corpus: Corpus,
    title: str | None = None,
    max_thumbnails: int = 24,
    n_tightest: int = 12,
    max_rows: int = 200,
    source: str | None = None,
    *,
    plan: pd.DataFrame | None = None,
    measurements: Any = None,
    capability_threshold: float = 1.33,
    n_capability_plots: int = 4,
) -> Report:
    """The corpus's summary, tolerance and material statistics with plots, audit findings,
    tightest features as crops, thumbnails and problems, as one self-contained HTML page.

    Parameters
    ----------
    corpus
        The corpus to report on.
    title
        The page's heading; default "werk24_frames report".
    max_thumbnails
        Drawings shown as thumbnails at most (the first ones of the corpus).
    n_tightest
        How many of the tightest features are shown with their crops.
    max_rows
        Rows shown at most in the findings, problems and implausible-weights tables; a note
        says how many more there are.
    source
        Where the answers came from, for the page's subtitle (e.g. the folder's name).
    plan
        An inspection plan (``wf.inspection_plan(corpus)``) for the inspection section; made
        from the corpus when only ``measurements`` are given.
    measurements
        Measured values (``wf.inspection.read_measurements(...)``, a file, or a DataFrame): the
        inspection section then holds their capability.
    capability_threshold
        The Cpk the capability verdict asks for.
    n_capability_plots
        Capability plots of the worst characteristics (lowest Cpk first).
    """
    from . import __version__

    require("report", "the report", "matplotlib", "PIL")
    title = title or "werk24_frames report"
    findings = audit(corpus)
    sections: list[tuple[str, str, str]] = [
        ("tolerances", "Tolerances", _tolerances(corpus)),
        ("materials", "Materials", _materials(corpus, max_rows)),
        ("audit", "Audit", _audit(findings, corpus, max_rows)),
    ]
    tight = stats.tightest(corpus, n_tightest)
    sections.append(
        (
            "tightest",
            "Tightest features",
            crops(tight, corpus, max_rows=n_tightest).to_html()
            if len(tight)
            else '<p class="note">No toleranced features.</p>',
        )
    )
    if plan is not None or measurements is not None:
        sections.append(
            (
                "inspection",
                "Inspection",
                _inspection(corpus, plan, measurements, capability_threshold, n_capability_plots, max_rows),
            )
        )
    sections.append(("drawings", "Drawings", thumbnails(corpus, max_images=max_thumbnails, size=200).to_html()))
    # Last: the thumbnails and crops above report images that cannot be decoded.
    problems = corpus.table("problems")  # every row, info included (corpus.problems leaves info out)
    sections.append(
        (
            "problems",
            "Problems",
            _table(by_severity(problems), max_rows, cls={"severity": "sev-"})
            if len(problems)
            else '<p class="note">Everything was read.</p>',
        )
    )
    sections.insert(0, ("summary", "Summary", _summary(corpus, findings, problems)))
    nav = "".join(f'<a href="#{key}">{_e(name)}</a>' for key, name, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{_e(name)}</h2>{html}</section>' for key, name, html in sections)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = f"{len(corpus):,} drawings{f' from {source}' if source else ''} · werk24_frames {__version__} · {when}"
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header><nav>{nav}</nav><main>{body}</main></body></html>"
    )
    return Report(html, title, len(corpus), tuple(name for _, name, _ in sections))


def _summary(corpus: Corpus, findings: pd.DataFrame, problems: pd.DataFrame) -> str:
    meta = corpus.metadata.drop_duplicates("drawing_id")
    sev = findings["severity"].value_counts()
    psev = problems["severity"].value_counts()

    def tone(n: int, bad: str) -> str:
        return bad if n else ""

    n_err, n_warn = int(sev.get("error", 0)), int(sev.get("warning", 0))
    p_err, p_warn, p_info = (int(psev.get(s, 0)) for s in ("error", "warning", "info"))
    cards = _cards(
        [
            ("drawings", f"{len(corpus):,}", ""),
            ("features", f"{len(corpus.features):,}", ""),
            ("state a material", f"{_count(meta['material']):,}", ""),
            ("state a general tolerance", f"{_count(meta['general_tolerance_standard']):,}", ""),
            ("audit errors", f"{n_err:,}", tone(n_err, "bad")),
            ("audit warnings", f"{n_warn:,}", tone(n_warn, "warn")),
            ("reading errors", f"{p_err:,}", tone(p_err, "bad")),
            (
                f"reading warnings (+{p_info:,} info)" if p_info else "reading warnings",
                f"{p_warn:,}",
                tone(p_warn, "warn"),
            ),
        ]
    )
    sizes = pd.DataFrame(
        [(name, len(df)) for name, df in corpus.tables().items() if len(df)], columns=["table", "rows"]
    )

    def per_drawing(column: str, label: str) -> str:
        counts = meta[column].astype("string").fillna("(none)").value_counts(sort=True)
        frame = pd.DataFrame({label: counts.index, "drawings": counts.to_numpy()})
        return f"<div><h3>Drawings per {_e(label)}</h3>{_table(frame)}</div>"

    blocks = [
        f"<div><h3>Tables</h3>{_table(sizes)}</div>",
        per_drawing("material_family", "material family"),
        per_drawing("general_tolerance_standard", "general tolerance standard"),
        per_drawing("unit_system", "unit system"),
    ]
    return cards + f'<div class="figs">{"".join(blocks)}</div>'


_CAPABILITY_SHOWN = [
    "drawing_number",
    "characteristic",
    "requirement",
    "n",
    "mean",
    "sigma_within",
    "cp",
    "cpk",
    "pp",
    "ppk",
    "expected_ppm",
    "observed_ppm",
    "verdict",
    "note",
]
_VERDICT_ORDER = {
    "not capable": 0,
    "undetermined": 1,
    "too few values": 2,
    "capable": 3,
    "no limits": 4,
    "not measured": 5,
}


def _inspection(
    corpus: Corpus, plan: pd.DataFrame | None, measurements: Any, threshold: float, n_plots: int, max_rows: int
) -> str:
    """The plan per drawing; with measurements, capability worst first, plots and problems."""
    from matplotlib.figure import Figure

    from . import inspection

    if plan is None:
        plan = inspection.inspection_plan(corpus)
    per = (
        plan.assign(
            limited=plan["lower_limit"].notna() | plan["upper_limit"].notna(),
            critical=plan["classification"].eq("critical"),
            major=plan["classification"].eq("major"),
        )
        .groupby(["drawing_id", "drawing_number"], dropna=False, sort=False)
        .agg(
            n_characteristics=("characteristic", "count"),
            n_critical=("critical", "sum"),
            n_major=("major", "sum"),
            n_with_limits=("limited", "sum"),
            n_located=("located", "sum"),
        )
        .reset_index()
        .drop(columns="drawing_id")
    )
    plan_part = [
        f"<h3>Inspection plan ({len(plan):,} characteristics on {len(per):,} drawings)</h3>",
        '<p class="note">One balloon per requirement (<code>wf.inspection_plan(corpus)</code>); the AS9102 '
        "workbook and the QIF document of a drawing: <code>wf.inspection.to_as9102</code>, "
        "<code>wf.inspection.to_qif</code>.</p>",
        _table(per, max_rows),
    ]
    if measurements is None:
        return "".join(plan_part)
    parts: list[str] = []
    res = inspection.results(plan, measurements, warn=False)
    cap = inspection.capability(plan, res, threshold=threshold, warn=False)
    measured = cap[cap["n"] > 0]
    verdicts = measured["verdict"].value_counts()
    n_out = int((res["within_limits"] == False).sum())  # noqa: E712 (nullable boolean)
    found = inspection.problems(res)
    parts.append(
        _cards(
            [
                ("values measured", f"{int(res['value'].notna().sum()):,}", ""),
                ("characteristics measured", f"{len(measured):,}", ""),
                (f"capable (Cpk ≥ {threshold:g})", f"{int(verdicts.get('capable', 0)):,}", ""),
                (
                    "not capable",
                    f"{int(verdicts.get('not capable', 0)):,}",
                    "bad" if verdicts.get("not capable") else "",
                ),
                ("values outside the limits", f"{n_out:,}", "bad" if n_out else ""),
                ("measurement problems", f"{len(found):,}", "warn" if len(found) else ""),
            ]
        )
    )
    order = measured.assign(
        _rank=measured["verdict"].map(_VERDICT_ORDER).fillna(9), _cpk=measured["cpk"].astype("float64")
    ).sort_values(["_rank", "_cpk"], kind="stable")
    figs = []
    for row in order[order["_cpk"].notna()].head(n_plots).itertuples(index=False):
        fig = Figure(figsize=(9.0, 4.4), layout="constrained")
        plots.capability(cap, int(row.characteristic), res, drawing=str(row.drawing_id), fig=fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        alt = f"capability of balloon {row.characteristic} of {row.drawing_number}: {row.requirement}"
        figs.append(f'<img src="data:image/png;base64,{data}" width="810" height="396" alt="{_e(alt)}">')
    parts += [
        f"<h3>Capability ({len(measured):,} measured characteristics, worst first)</h3>",
        '<p class="note">Cp, Cpk from the within sigma (moving range of the values in file order, or '
        "subgroups); Pp, Ppk from the overall standard deviation; PPM expected from a normal "
        f"distribution. Verdict: Cpk ≥ {threshold:g}. Fewer than 25 values: small sample (see note).</p>",
        _table(_ppm_text(order[_CAPABILITY_SHOWN]), max_rows, cls={"verdict": "v-"}),
    ]
    if figs:
        parts += ["<h3>The worst characteristics</h3>", f'<div class="figs">{"".join(figs)}</div>']
    parts.append("<h3>Measurement problems</h3>")
    parts.append(
        _table(found.drop(columns=["page"]), max_rows, cls={"severity": "sev-"})
        if len(found)
        else '<p class="note">Every measured value was placed on a characteristic of the plan.</p>'
    )
    return "".join(parts + plan_part)


def _ppm_text(frame: pd.DataFrame) -> pd.DataFrame:
    """PPM columns as whole numbers with thousands separators (blank where NA)."""
    out = frame.copy()
    for col in ("expected_ppm", "observed_ppm"):
        out[col] = [("" if pd.isna(v) else f"{v:,.0f}") for v in frame[col]]
    return out
