"""The plots people expect of a corpus of drawings, in matplotlib.

Each function takes a :class:`~werk24_frames.Corpus` or a feature table (or a slice of one),
draws into ``ax`` (a new figure when ``ax`` is None), returns the Axes and never calls
``plt.show()``. Titles and axis labels say what is counted and in which unit. They are also
methods of ``corpus.plot`` and ``df.w24.plot``.

matplotlib is imported on first use (``pip install werk24_frames[plot]``).

Examples
--------
>>> import werk24_frames as wf
>>> ax = wf.plots.it_grades(wf.sample_corpus())
>>> ax.get_xlabel()
'IT grade (ISO 286)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import stats
from ._extras import require
from ._images import SHARED_PIXELS, ImageTooLarge, feature_boxes, open_image
from .tolerances import TOLERANCE_SOURCES, it_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "capability",
    "drawing",
    "fingerprint",
    "gdnt_characteristics",
    "it_grades",
    "materials",
    "tolerance_sources",
    "tolerance_vs_size",
    "weight_by_family",
]

# One colour per tolerance source, the same in every plot.
SOURCE_COLORS = {
    "explicit": "#1f77b4",
    "fit": "#d62728",
    "general": "#7f7f7f",
    "exact": "#9467bd",
    "reference": "#bcbd22",
    "none": "#ff7f0e",
}
FAMILY_COLORS = {
    "steel": "#4c72b0",
    "stainless steel": "#55a868",
    "cast iron": "#8c564b",
    "aluminium": "#c4a000",
    "copper alloy": "#dd8452",
    "titanium": "#8172b3",
    "plastic": "#da8bc3",
}
_OTHER = "#b0b0b0"
MAX_LEGEND = 15
"""Stacked plots name at most this many groups in their legend."""


def _axes(ax: Axes | None, size: tuple[float, float] = (6.4, 4.0)) -> Axes:
    if ax is not None:
        return ax
    require("plot", "plotting", "matplotlib")
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _group_name(group: Any) -> str:
    """A group key as a legend label: ``(none)`` for NA, keys of several columns joined by ``/``."""
    parts = group if isinstance(group, tuple) else (group,)
    return " / ".join("(none)" if pd.api.types.is_scalar(p) and pd.isna(p) else str(p) for p in parts)


def _grade_label(g: Any) -> str:
    return f"IT{g}"


def it_grades(data: Any, ax: Axes | None = None, by: str | None = None, tight: int = 7) -> Axes:
    """How many features need each IT grade: one bar per grade from the finest to the coarsest
    that occurs (stacked per group with ``by``, with a legend for up to 15 groups); grades up
    to ``tight`` are drawn darker.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.it_grades(wf.sample_corpus(), by="material_family")
    >>> ax.get_legend().get_title().get_text()
    'material_family'
    """
    counts = stats.it_grade_counts(data, by=by)
    ax = _axes(ax)
    if counts.empty or counts.shape[1] == 0:
        ax.text(0.5, 0.5, "no IT grades", ha="center", va="center", transform=ax.transAxes)
    else:
        grades = np.arange(int(counts.columns.min()), int(counts.columns.max()) + 1)
        counts = counts.reindex(columns=grades, fill_value=0)
        bottom = np.zeros(len(grades))
        for i, (group, row) in enumerate(counts.iterrows()):
            values = row.to_numpy(dtype=float)
            if by is None:
                colors = ["#1f4e79" if g <= tight else "#6fa8dc" for g in grades]
                ax.bar(grades, values, bottom=bottom, color=colors, edgecolor="white", label=None)
            else:
                name = _group_name(group)
                color = FAMILY_COLORS.get(name, f"C{i}") if by == "material_family" else f"C{i}"
                ax.bar(grades, values, bottom=bottom, color=color, edgecolor="white", label=name)
            bottom += values
        ax.set_xticks(grades, [_grade_label(g) for g in grades])
        if by is not None and len(counts) <= MAX_LEGEND:
            ax.legend(title=by, fontsize="small")
        ax.axvline(tight + 0.5, color="black", lw=0.8, ls="--")
        ax.text(tight + 0.55, ax.get_ylim()[1] * 0.95, f"IT{tight} or finer ←", ha="right", va="top", fontsize="small")
    ax.set_xlabel("IT grade (ISO 286)")
    ax.set_ylabel("features")
    ax.set_title("IT grades the tolerances need")
    return ax


def tolerance_vs_size(data: Any, ax: Axes | None = None, grades: range | tuple[int, ...] = tuple(range(5, 17))) -> Axes:
    """Tolerance zone width against nominal size, log-log, over the ISO 286 IT grade bands.

    The band labelled ``ITn`` spans from the ITn value to the IT(n+1) value at each size, so a
    point inside it needs grade n. Points are coloured by ``tolerance_source``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.tolerance_vs_size(wf.sample_corpus(), grades=range(6, 12))
    >>> ax.get_xscale(), ax.get_yscale(), len(ax.collections) - len(ax.get_legend().legend_handles)
    ('log', 'log', 6)
    """
    rows = stats._rows(data, stats.TOLERANCE_TABLES, "tolerance_vs_size")
    keep = (rows["nominal_mm"] > 0) & (rows["tolerance_width_mm"] > 0)
    rows = rows[keep.fillna(False)]
    ax = _axes(ax, (7.0, 4.8))
    lo = float(rows["nominal_mm"].min()) if len(rows) else 1.0
    hi = float(rows["nominal_mm"].max()) if len(rows) else 500.0
    x = np.geomspace(max(lo / 1.5, 0.5), min(hi * 1.5, 3150.0), 400)
    grades = tuple(grades)
    for k, g in enumerate(grades):
        lower = np.asarray(it_value(g, x), dtype=float) / 1000
        upper = np.asarray(it_value(g + 1, x), dtype=float) / 1000
        shade = "#e8e8e8" if k % 2 else "#f6f6f6"
        ax.fill_between(x, lower, upper, step="post", color=shade, lw=0, zorder=0)
        ax.text(
            x[-1],
            float(np.sqrt(lower[-1] * upper[-1])),
            f" {_grade_label(g)}",
            va="center",
            fontsize=7,
            color="#555555",
        )
    for source in TOLERANCE_SOURCES:
        sel = rows[rows["tolerance_source"] == source]
        if len(sel):
            ax.scatter(
                sel["nominal_mm"],
                sel["tolerance_width_mm"],
                s=14,
                color=SOURCE_COLORS[source],
                label=f"{source} ({len(sel)})",
                zorder=3,
                alpha=0.8,
                edgecolors="none",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("nominal size (mm)")
    ax.set_ylabel("tolerance zone width (mm)")
    ax.set_title("Tolerance width against size, over the ISO 286 IT grades")
    if len(rows):
        ax.legend(title="tolerance source", fontsize="small", loc="upper left")
    return ax


def _drawing_names(data: Any, ids: pd.Index) -> list[str]:
    if stats._is_corpus(data):
        number = stats._by_drawing(data)["drawing_number"]
        return [str(number.get(i)) if pd.notna(number.get(i)) else str(i) for i in ids]
    return [str(i) for i in ids]


def tolerance_sources(data: Any, ax: Axes | None = None, max_drawings: int = 40) -> Axes:
    """Where each drawing's tolerances come from: one stacked horizontal bar per drawing (by
    drawing number), segments by ``tolerance_source``, drawings with the most features on top.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.tolerance_sources(wf.sample_corpus(), max_drawings=10)
    >>> len(ax.get_yticks())
    10
    """
    t = stats.tolerance_stats(data, by="drawing_id")
    t = t.sort_values("n_features", ascending=False, kind="stable").head(max_drawings).iloc[::-1]
    ax = _axes(ax, (7.0, max(2.5, 0.22 * len(t) + 1.2)))
    y = np.arange(len(t))
    left = np.zeros(len(t))
    for source in TOLERANCE_SOURCES:
        values = t[f"n_{source}"].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=SOURCE_COLORS[source], label=source, height=0.75)
        left += values
    ax.set_yticks(y, _drawing_names(data, t.index))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("features (dimensions, bores, chamfers, radii)")
    ax.set_title("Where the tolerances come from, per drawing")
    ax.legend(title="tolerance source", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def materials(data: Any, ax: Axes | None = None, by: str = "material_grade", top: int = 15) -> Axes:
    """Drawings per material (grade by default; equivalent names count as one), the ``top``
    most used, coloured by material family.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.materials(wf.sample_corpus(), top=5)
    >>> len(ax.patches)
    5
    """
    counts = stats.material_counts(data, by=by).head(top).iloc[::-1]
    ax = _axes(ax, (6.4, max(2.5, 0.3 * len(counts) + 1.2)))
    names = ["(none)" if pd.isna(i) else str(i) for i in counts.index]
    if "material_family" in counts.columns:
        colors = [FAMILY_COLORS.get(str(f), _OTHER) for f in counts["material_family"]]
    else:
        colors = [FAMILY_COLORS.get(n, _OTHER) for n in names]
    ax.barh(np.arange(len(counts)), counts["n_drawings"].to_numpy(), color=colors)
    ax.set_yticks(np.arange(len(counts)), names)
    ax.set_xlabel("drawings")
    ax.set_title("Materials (first choice)" if by == "material_grade" else f"Drawings per {by}")
    if "material_family" in counts.columns:
        from matplotlib.patches import Patch

        present = set(counts["material_family"].dropna().astype(str))
        fams = [f for f in FAMILY_COLORS if f in present] + sorted(present - set(FAMILY_COLORS))
        ax.legend(handles=[Patch(color=FAMILY_COLORS.get(f, _OTHER), label=f) for f in fams], fontsize="small")
    return ax


def weight_by_family(data: Any, ax: Axes | None = None, by: str = "material_family") -> Axes:
    """The weight of the parts per material family (or ``by`` any metadata column): a box per
    family on a log axis, every drawing as a point on top.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.weight_by_family(wf.sample_corpus())
    >>> ax.get_yscale(), ax.get_ylabel()
    ('log', 'weight (kg)')
    """
    meta = stats._metadata(data, "weight_by_family")
    meta = meta[meta["weight_kg"] > 0]
    order = stats.weight_by_material(meta, by=by).index
    groups = [
        meta.loc[meta[by] == g, "weight_kg"].to_numpy()
        if pd.notna(g)
        else meta.loc[meta[by].isna(), "weight_kg"].to_numpy()
        for g in order
    ]
    names = ["(none)" if pd.isna(g) else str(g) for g in order]
    ax = _axes(ax)
    if groups:
        ax.boxplot(groups, tick_labels=names, showfliers=False, widths=0.5)
        rng = np.random.default_rng(0)
        for i, (name, w) in enumerate(zip(names, groups, strict=True), start=1):
            ax.scatter(i + rng.uniform(-0.12, 0.12, len(w)), w, s=12, color=FAMILY_COLORS.get(name, _OTHER), zorder=3)
    ax.set_yscale("log")
    ax.set_ylabel("weight (kg)")
    ax.set_xlabel(by.replace("_", " "))
    ax.set_title("Part weight per material family" if by == "material_family" else f"Part weight per {by}")
    return ax


def gdnt_characteristics(data: Any, ax: Axes | None = None) -> Axes:
    """GD&T frames per characteristic (position, flatness, …), most used first.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> ax = wf.plots.gdnt_characteristics(wf.sample_corpus())
    >>> ax.get_xticklabels()[0].get_text()
    'position'
    """
    g = stats.gdnt_stats(data)
    ax = _axes(ax)
    names = [
        str(n) if pd.notna(n) else str(c) for n, c in zip(g["characteristic_name"], g["characteristic"], strict=True)
    ]
    ax.bar(np.arange(len(g)), g["n_frames"].to_numpy(), color="#4c72b0")
    ax.set_xticks(np.arange(len(g)), names, rotation=30, ha="right")
    ax.set_ylabel("feature control frames")
    ax.set_title("GD&T characteristics")
    return ax


def fingerprint(data: Any, drawing_id: str, ax: Axes | None = None) -> Axes:
    """A drawing's tolerance fingerprint: the share of its toleranced features at each IT grade
    (bars), against the share across the whole corpus or table (steps), with its sources and
    tightest tolerance in the title.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> ax = wf.plots.fingerprint(corpus, corpus.drawing_ids[0])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['this drawing', 'all drawings']
    """
    rows = stats._rows(data, stats.TOLERANCE_TABLES, "fingerprint")
    mine = rows[rows["drawing_id"] == drawing_id]
    if mine.empty and not (stats._is_corpus(data) and drawing_id in data.drawing_ids):
        raise KeyError(f"no drawing {drawing_id!r} in the data")
    every = stats.it_grade_counts(rows).sum()
    own = stats.it_grade_counts(mine).sum() if len(mine) else pd.Series(dtype="int64")
    present = [int(g) for g in every.index]
    grades = np.arange(min(present), max(present) + 1) if present else np.arange(5, 17)
    every = every.reindex(grades, fill_value=0)
    own = own.reindex(grades, fill_value=0)
    ax = _axes(ax)
    ax.bar(grades, own / max(own.sum(), 1), color="#1f4e79", label="this drawing", width=0.7)
    ax.step(grades, every / max(every.sum(), 1), where="mid", color="#d62728", label="all drawings")
    ax.set_xticks(grades, [_grade_label(g) for g in grades])
    ax.set_xlabel("IT grade (ISO 286)")
    ax.set_ylabel("share of toleranced features")
    name = _drawing_names(data, pd.Index([drawing_id]))[0]
    t = stats.tolerance_stats(mine, by=None).iloc[0] if len(mine) else None
    detail = ""
    if t is not None:
        parts = [f"{s} {int(t[f'n_{s}'])}" for s in TOLERANCE_SOURCES if t[f"n_{s}"]]
        detail = "\n" + ", ".join(parts)
        if pd.notna(t["tightest_width_mm"]):
            detail += f"; tightest {t['tightest_width_mm'] * 1000:.0f} µm ({t['tightest_label']})"
    ax.set_title(f"Tolerance fingerprint of {name}{detail}", fontsize="medium")
    bars, steps = ax.containers[-1], ax.lines[-1]
    ax.legend([bars, steps], ["this drawing", "all drawings"])
    return ax


TABLE_COLORS = {
    "dimensions": "#1f77b4",
    "threads": "#2ca02c",
    "bores": "#d62728",
    "chamfers": "#9467bd",
    "radii": "#8c564b",
    "gdnts": "#e377c2",
    "roughnesses": "#17becf",
    "key_slots": "#bcbd22",
    "undercuts": "#ff7f0e",
    "center_holes": "#393b79",
}


def drawing(
    corpus: Any,
    drawing_id: str,
    ax: Axes | None = None,
    page: int = 0,
    color_by: str = "table",
    labels: bool = False,
) -> Axes:
    """The sheet image of a drawing with a box around every feature REFERENCE_POSITIONS
    located, coloured by ``table`` or by ``tolerance_source``; ``labels=True`` writes each
    box's ``reference_id`` beside it.

    Only positions in the sheet image's pixel space are drawn. The image is decoded with
    Pillow once its header shows it within ``wf.views.MAX_IMAGE_PIXELS``.

    Raises
    ------
    LookupError
        The drawing has no sheet image on that page at hand.
    ValueError
        The image cannot be decoded: a broken file, or more pixels than
        ``wf.views.MAX_IMAGE_PIXELS`` (the sheet is drawn reduced to at most 16 Mpx).

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> ax = wf.plots.drawing(corpus, corpus.drawing_ids[0])
    >>> ax.get_legend().get_title().get_text()
    'table'
    """

    require("plot", "plotting a drawing", "matplotlib", "PIL")
    from matplotlib.patches import Patch, Rectangle
    from PIL import Image

    if color_by not in ("table", "tolerance_source"):
        raise ValueError(f"color_by must be 'table' or 'tolerance_source', not {color_by!r}")
    data = corpus.image(drawing_id, "sheet", page)
    try:
        found = open_image(data, reduce_to=SHARED_PIXELS)
    except ImageTooLarge as exc:
        raise ValueError(f"the sheet image of drawing {drawing_id!r}, page {page}, is {exc}") from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(
            f"the sheet image of drawing {drawing_id!r}, page {page}, cannot be decoded ({type(exc).__name__})"
        ) from exc
    pixels = np.asarray(found.image.convert("RGB"))
    boxes = feature_boxes(corpus, drawing_id, page)
    h, w = found.height, found.width
    ax = _axes(ax, (10.0, 10.0 * h / max(w, 1)))
    ax.imshow(pixels, interpolation="antialiased", extent=(0, w, h, 0))
    colors = TABLE_COLORS if color_by == "table" else SOURCE_COLORS
    used: dict[str, str] = {}
    for r in boxes.to_dict("records"):
        key = r[color_by]
        name = str(key) if isinstance(key, str) else "(none)"
        color = colors.get(name, _OTHER)
        used.setdefault(name, color)
        ax.add_patch(
            Rectangle(
                (r["x_min"] - 2, r["y_min"] - 2),
                r["x_max"] - r["x_min"] + 4,
                r["y_max"] - r["y_min"] + 4,
                fill=False,
                lw=1.2,
                ec=color,
            )
        )
        if labels:
            ax.text(r["x_max"] + 3, r["y_min"], str(r["reference_id"]), color=color, fontsize=6, va="top")
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    ax.set_title(f"{_drawing_names(corpus, pd.Index([drawing_id]))[0]}, page {page}: {len(boxes)} located features")
    if used:
        ax.legend(
            handles=[Patch(fill=False, ec=c, label=n) for n, c in used.items()],
            title=color_by,
            fontsize="small",
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
        )
    return ax


# --------------------------------------------------------------------------------------
# Inspection: capability of one characteristic (issue 20)
# --------------------------------------------------------------------------------------

VERDICT_COLORS = {
    "capable": "#2e7d32",
    "not capable": "#c62828",
    "no limits": "#757575",
    "too few values": "#ef6c00",
    "undetermined": "#ef6c00",
    "not measured": "#9e9e9e",
}
"""The colour of each capability verdict, the same in plots and the report."""


def _fmt_index(value: Any) -> str:
    if value is None or pd.isna(value):
        return "–"
    return "∞" if value == np.inf else "−∞" if value == -np.inf else f"{value:.2f}"


def _control_limit_label(ax: Any, text: str, level: float, below: bool = False) -> None:
    """A control limit's value at the right end of its line, above it (or below)."""
    ax.annotate(
        text,
        (1.0, level),
        xycoords=("axes fraction", "data"),
        xytext=(-4, -9 if below else 2),
        textcoords="offset points",
        ha="right",
        fontsize="x-small",
        color="#1565c0",
    )


def capability(
    cap: pd.DataFrame,
    characteristic: int,
    measurements: pd.DataFrame,
    *,
    drawing: str | None = None,
    fig: Any = None,
) -> Any:
    """One characteristic's capability: a histogram of the values with LSL, USL, nominal and the
    fitted normal curves (within and overall sigma), and an individuals / moving-range (I-MR)
    control chart of the values in production order (I chart: x̄ ± 2.66·MR̄; MR chart: MR̄ and
    3.267·MR̄). Points beyond a control or specification limit are red.

    It draws three panels, so it returns the Figure (not one Axes); pass ``fig`` (e.g. a bare
    ``matplotlib.figure.Figure``) to draw into it.

    Parameters
    ----------
    cap
        ``wf.inspection.capability(plan, measurements)``.
    characteristic
        The balloon number.
    measurements
        ``wf.inspection.results(...)`` (values in the plan's unit) or the measurements read
        with ``wf.inspection.read_measurements`` (converted into the plan's unit here).
    drawing
        The drawing (id or number) when ``cap`` holds several.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import werk24_frames as wf
    >>> plan = wf.inspection_plan(wf.sample_corpus().select("WF-1015"))
    >>> m = pd.DataFrame({"characteristic": 17, "value": np.random.default_rng(1).normal(28.03, 0.002, 40)})
    >>> cap = wf.inspection.capability(plan, m)
    >>> fig = wf.plots.capability(cap, 17, m)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Distribution', 'Individuals (I chart)', 'Moving range (MR chart)']
    """
    from .inspection._measurements import values_of

    rows = cap[cap["characteristic"] == characteristic]
    if drawing is not None:
        rows = rows[(rows["drawing_id"] == drawing) | (rows["drawing_number"].astype("string") == drawing)]
    if len(rows) == 0:
        raise KeyError(
            f"no characteristic {characteristic} in the capability table" + (f" of {drawing!r}" if drawing else "")
        )
    if rows["drawing_id"].nunique() > 1:
        raise ValueError(
            f"characteristic {characteristic} is in {rows['drawing_id'].nunique()} drawings; pass drawing="
        )
    row = rows.iloc[0]
    values, _ = values_of(row, measurements)
    if fig is None:
        require("plot", "plotting", "matplotlib")
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(10.0, 5.2), layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.25))
    hist = fig.add_subplot(grid[:, 0])
    ind = fig.add_subplot(grid[0, 1])
    mr = fig.add_subplot(grid[1, 1], sharex=ind)
    unit = "" if pd.isna(row["unit"]) else str(row["unit"])
    lsl, usl, nominal = (
        float(row[c]) if pd.notna(row[c]) else np.nan for c in ("lower_limit", "upper_limit", "nominal")
    )
    verdict = str(row["verdict"])
    color = VERDICT_COLORS.get(verdict, _OTHER)
    name = row["drawing_number"] if pd.notna(row["drawing_number"]) else row["drawing_id"]
    requirement = "" if pd.isna(row["requirement"]) else str(row["requirement"])
    fig.suptitle(f"{name} · balloon {characteristic}: {requirement}", parse_math=False)
    hist.set_title("Distribution", loc="left")
    ind.set_title("Individuals (I chart)", loc="left")
    mr.set_title("Moving range (MR chart)", loc="left")
    n = len(values)
    if n == 0:
        for ax in (hist, ind, mr):
            ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
        return fig

    # histogram with the fitted normal curves (scaled to counts)
    bins = int(min(30, max(5, np.ceil(np.sqrt(n)))))
    lo = np.nanmin([values.min(), lsl]) if not np.isnan(lsl) else values.min()
    hi = np.nanmax([values.max(), usl]) if not np.isnan(usl) else values.max()
    span = hi - lo if hi > lo else max(abs(hi), 1.0) * 1e-3
    if values.max() > values.min():
        counts, edges, patches = hist.hist(values, bins=bins, color="#90a4ae", edgecolor="white")
    else:  # all values equal: one narrow bar
        v = float(values[0])
        counts, edges, patches = hist.hist(values, bins=1, range=(v - span / 100, v + span / 100), color="#90a4ae")
    for patch, left, right in zip(patches, edges[:-1], edges[1:], strict=True):
        if (not np.isnan(usl) and left >= usl) or (not np.isnan(lsl) and right <= lsl):
            patch.set_facecolor("#e57373")
    width = edges[1] - edges[0]
    x = np.linspace(lo - 0.15 * span, hi + 0.15 * span, 300)
    mean = float(row["mean"])
    for sigma, style, label in (
        (row["sigma_within"], "-", "normal, σ within"),
        (row["sigma_overall"], "--", "normal, σ overall"),
    ):
        if pd.notna(sigma) and sigma > 0:
            pdf = np.exp(-0.5 * ((x - mean) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
            hist.plot(x, pdf * n * width, style, color="#37474f", lw=1.4, label=label)
    for limit, text in ((lsl, "LSL"), (usl, "USL")):
        if not np.isnan(limit):
            hist.axvline(limit, color="#c62828", lw=1.6, ls="-" if text == "USL" else "-.", label=f"{text} {limit:.6g}")
    if not np.isnan(nominal):
        hist.axvline(nominal, color="#616161", lw=1, ls=":", label="nominal")
    hist.set_xlim(lo - 0.15 * span, hi + 0.15 * span)
    hist.set_xlabel(f"measured value ({unit})" if unit else "measured value")
    hist.set_ylabel("parts")
    stats_text = "\n".join(
        [
            f"n = {n}" + ("  (small sample)" if bool(row["small_sample"]) else ""),
            f"mean = {mean:.6g}",
            f"σ within = {row['sigma_within']:.3g}" if pd.notna(row["sigma_within"]) else "σ within = –",
            f"Cp {_fmt_index(row['cp'])}   Cpk {_fmt_index(row['cpk'])}",
            f"Pp {_fmt_index(row['pp'])}   Ppk {_fmt_index(row['ppk'])}",
            f"{verdict} (target {row['threshold']:.2f})",
        ]
    )
    hist.text(
        0.02,
        0.98,
        stats_text,
        transform=hist.transAxes,
        va="top",
        fontsize="small",
        parse_math=False,
        bbox={"boxstyle": "round", "fc": "white", "ec": color, "lw": 1.5},
    )
    if hist.get_legend_handles_labels()[0]:
        hist.legend(fontsize="x-small", loc="upper right")
    hist.set_ylim(0, max(counts.max(), 1) * 1.45)

    # I-MR chart
    index = np.arange(1, n + 1)
    ind.plot(index, values, "-", color="#90a4ae", lw=0.8)
    if n >= 2:
        moving = np.abs(np.diff(values))
        mr_bar = float(moving.mean())
        centre = float(values.mean())
        ucl, lcl = centre + 2.66 * mr_bar, centre - 2.66 * mr_bar
        out = (values > ucl) | (values < lcl)
        for level, style in ((centre, "-"), (ucl, "--"), (lcl, "--")):
            ind.axhline(level, color="#1565c0", lw=1, ls=style)
        _control_limit_label(ind, f"UCL {ucl:.5g}", ucl)
        _control_limit_label(ind, f"LCL {lcl:.5g}", lcl, below=True)
        mr.plot(index[1:], moving, "-", color="#90a4ae", lw=0.8)
        mr_ucl = 3.267 * mr_bar
        mr.scatter(index[1:], moving, s=14, c=np.where(moving > mr_ucl, "#c62828", "#37474f"), zorder=3)
        mr.axhline(mr_bar, color="#1565c0", lw=1)
        mr.axhline(mr_ucl, color="#1565c0", lw=1, ls="--")
        _control_limit_label(mr, f"UCL {mr_ucl:.3g}", mr_ucl)
        mr.set_ylim(0, max(moving.max(), mr_ucl) * 1.2 if mr_ucl > 0 else 1)
    else:
        out = np.zeros(n, dtype=bool)
        mr.text(0.5, 0.5, "one value: no moving range", ha="center", va="center", transform=mr.transAxes)
    beyond_spec = (values > usl) | (values < lsl)
    ind.scatter(index, values, s=14, c=np.where(out | beyond_spec, "#c62828", "#37474f"), zorder=3)
    for limit in (lsl, usl):
        if not np.isnan(limit):
            ind.axhline(limit, color="#c62828", lw=0.8, alpha=0.6)
    levels = [values.min(), values.max(), *(v for v in (lsl, usl) if not np.isnan(v))]
    if n >= 2:
        levels += [lcl, ucl]
    bottom, top = min(levels), max(levels)
    pad = (top - bottom) * 0.1 or max(abs(top), 1.0) * 1e-3
    ind.set_ylim(bottom - pad, top + pad)
    ind.set_ylabel(unit or "value")
    mr.set_ylabel(unit or "range")
    mr.set_xlabel("part in production order (file order)")
    ind.tick_params(labelbottom=False)
    return fig
