"""Seeing the drawings in a notebook: a thumbnail grid, a drawing with its features boxed, and
a crop of the drawing beside each feature of a table.

Each function returns an object whose ``_repr_html_`` is plain, self-contained HTML (images as
PNG ``data:`` URIs, inline styles, no JavaScript), so it shows in JupyterLab, Notebook 7,
VS Code, exported HTML and on GitHub without a kernel; ``to_html()`` gives the same text.
Every text taken from a drawing is HTML-escaped. Images are decoded with Pillow (imported on
first use, ``pip install werk24_frames[widgets]``); a drawing without an image gets a
placeholder, and an image that cannot be decoded a placeholder and a row of
``corpus.problems``.

They are also methods: ``corpus.thumbnails()``, ``corpus.show(drawing_id)``,
``df.w24.crops()``; the interactive gallery is :class:`werk24_frames.widgets.Gallery`.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.sample_corpus()
>>> grid = corpus.thumbnails(max_images=4)
>>> grid
<Thumbnails: 4 of 44 drawings, sheet images, 240 px>
>>> grid.to_html().count("<img ")
4
>>> tight = corpus.dimensions.nsmallest(3, "tolerance_width_mm")
>>> tight.w24.crops()
<Crops: 3 features, 3 with a crop>
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from . import _images
from ._images import Picture
from .plots import _OTHER as OTHER_COLOR
from .plots import SOURCE_COLORS, TABLE_COLORS
from .stats import TOLERANCE_TABLES

__all__ = [
    "CHANGE_COLORS",
    "MAX_IMAGE_PIXELS",
    "ComparisonView",
    "Crops",
    "DrawingView",
    "Thumbnails",
    "compare",
    "crops",
    "drawing_cards",
    "show",
    "thumbnails",
]

#: The most pixels an image may have to be decoded by the views, the gallery, the report and
#: :func:`werk24_frames.plots.drawing`, checked from its header before decoding: 140 million,
#: an A0 sheet at 300 dpi (9933 x 14043). A larger image (a decompression bomb, or a sheet
#: scanned at a high resolution) gets a placeholder and a row of ``corpus.problems``. Raise it
#: to admit larger sheets: ``wf.views.MAX_IMAGE_PIXELS = 200_000_000`` (a PNG is decoded
#: whole: about 4 bytes a pixel, twice that for a moment when it has transparency).
MAX_IMAGE_PIXELS = 140_000_000

IMAGE_KINDS = ("sheet", "view", "page", "canvas", "sectional")


_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def _e(value: Any) -> str:
    """``value`` as escaped HTML text; NA as the empty string."""
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return ""
    return escape(str(value), quote=True)


# --------------------------------------------------------------------------------------
# Captions: one card per drawing
# --------------------------------------------------------------------------------------


CARD_COLUMNS = (
    "title",
    "part_number",
    "designation",
    "material",
    "material_family",
    "material_category",
    "finest_it_grade",
    "source",
)


def empty_cards() -> pd.DataFrame:
    """:func:`drawing_cards` of no drawings."""
    cols = {c: pd.Series(dtype="Int64" if c == "finest_it_grade" else "string") for c in CARD_COLUMNS}
    return pd.DataFrame(cols, index=pd.Index([], dtype="string", name="drawing_id"))


def drawing_cards(corpus: Any, drawing_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per drawing (index ``drawing_id``, in corpus order, or in the order of
    ``drawing_ids`` when only those are wanted, each once; an id the corpus lacks gets a row
    titled with the id) with what a tile shows: ``title`` (drawing
    number, else part number, else source), ``part_number``, ``designation``, ``material``,
    ``material_family``, ``material_category``, ``finest_it_grade`` (of its dimensions, bores,
    chamfers and radii) and ``source``."""
    ids = pd.Index(corpus.drawing_ids if drawing_ids is None else list(dict.fromkeys(drawing_ids)), name="drawing_id")
    m = corpus.metadata
    feats = corpus.features
    keep = feats["table"].isin(TOLERANCE_TABLES)
    if drawing_ids is not None:  # one drawing's card should not cost a pass over a big corpus's groups
        m = m[m["drawing_id"].isin(ids)]
        keep &= feats["drawing_id"].isin(ids)
    m = m.drop_duplicates("drawing_id").set_index("drawing_id").reindex(ids)
    title = m["drawing_number"].fillna(m["part_number"]).fillna(m["source"])
    feats = feats[keep]
    finest = feats.groupby("drawing_id")["it_grade"].min()
    return pd.DataFrame(
        {
            "title": title.fillna(pd.Series(m.index, index=m.index)),
            "part_number": m["part_number"],
            "designation": m["designation"],
            "material": m["material"],
            "material_family": m["material_family"],
            "material_category": m["material_category"],
            "finest_it_grade": finest.reindex(m.index).astype("Int64"),
            "source": m["source"],
        },
        index=m.index,
    )


_CORNER = "position:absolute;top:3px;right:3px;"


def _badge(grade: Any, place: str = _CORNER) -> str:
    """The finest-IT-grade badge, placed by the CSS ``place`` (a tile's top right corner)."""
    if pd.isna(grade):
        return ""
    g = int(grade)
    color = "#c62828" if g <= 6 else "#ef6c00" if g <= 8 else "#9e9d24" if g <= 11 else "#757575"
    return (
        f'<span title="finest IT grade (ISO 286) among its toleranced features" style="{place}'
        f"background:{color};color:#fff;border-radius:3px;padding:0 4px;"
        f'font-size:11px;font-weight:600">IT{g}</span>'
    )


def placeholder(width: int, height: int, reason: str) -> str:
    """A grey box saying why there is no image."""
    return (
        f'<div style="width:{width}px;height:{height}px;display:flex;align-items:center;'
        f"justify-content:center;background:#f2f2f2;color:#777;font-size:12px;text-align:center;"
        f'border:1px dashed #ccc;box-sizing:border-box">{_e(reason)}</div>'
    )


def _img(pic: Picture, alt: str, style: str = "", scale: float = 1.0) -> str:
    """An ``<img>`` of ``pic``, shown ``scale`` times its pixel size."""
    return (
        f'<img src="{pic.data_uri}" width="{round(pic.width * scale)}" height="{round(pic.height * scale)}" alt="{_e(alt)}" '
        f'style="max-width:100%;height:auto;{style}">'
    )


def _why_missing(corpus: Any, key: _images.ImageKey) -> str:
    """Why image ``key`` has no thumbnail: absent, only linked, or undecodable."""
    kind = key[1]
    sel = corpus._image_row(key)
    if sel.empty:
        return f"no {kind} image"
    if not bool(sel["available"].iloc[0]):
        return f"{kind} image not stored (only linked)"
    return f"{kind} image {_images.why_failed(corpus, key) or 'cannot be read'}"


def tile(corpus: Any, card: Any, key: _images.ImageKey | None, size: int, kind: str = "sheet") -> str:
    """One tile of a grid: the thumbnail of image ``key`` (or a placeholder) fitting
    ``size`` x ``3/4 size`` pixels, the IT-grade badge, and the caption from ``card`` (a row of
    :func:`drawing_cards`)."""
    width, height = size, round(size * 0.75)
    pic = _images.thumbnail(corpus, key, width, height) if key is not None else None
    if pic is not None:
        body = _img(pic, f"{key[1]} image of {card.title}")  # type: ignore[index]
    else:
        body = placeholder(width, height, _why_missing(corpus, key) if key is not None else f"no {kind} image")
    extra = ""
    if key is not None and (key[1] != "sheet" or key[2] or key[3]):
        # pages and image indices as in corpus.images and corpus.image(): counted from 0
        extra = f'<div style="color:#888">{_e(key[1])}, page {key[2]}{f" #{key[3]}" if key[3] else ""}</div>'
    lines = [f'<div style="font-weight:600">{_e(card.title)}</div>']
    if pd.notna(card.designation):
        lines.append(f"<div>{_e(card.designation)}</div>")
    if pd.notna(card.material):
        lines.append(f'<div style="color:#555">{_e(card.material)}</div>')
    return (
        f'<figure style="margin:0;width:{width}px;padding:4px;border:1px solid #ddd;border-radius:4px;'
        f'background:#fff;color:#222">'
        f'<div style="position:relative;height:{height}px;display:flex;align-items:center;'
        f'justify-content:center">{body}{_badge(card.finest_it_grade)}</div>'
        f'<figcaption style="font-size:12px;line-height:1.35;margin-top:4px;overflow-wrap:anywhere">'
        f"{''.join(lines)}{extra}</figcaption></figure>"
    )


def grid(tiles: Iterable[str]) -> str:
    """Tiles in rows that wrap."""
    return f'<div style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;{_FONT}">{"".join(tiles)}</div>'


# --------------------------------------------------------------------------------------
# Thumbnails
# --------------------------------------------------------------------------------------


def image_kinds(kind: str | Sequence[str]) -> tuple[str, ...]:
    kinds = IMAGE_KINDS if kind == "all" else (kind,) if isinstance(kind, str) else tuple(kind)
    bad = [k for k in kinds if k not in IMAGE_KINDS]
    if bad or not kinds:
        raise ValueError(f"kind must be 'all' or among {', '.join(IMAGE_KINDS)}; got {kind!r}")
    return kinds


def image_keys(corpus: Any, drawing_ids: Sequence[str], kinds: tuple[str, ...]) -> dict[str, list[_images.ImageKey]]:
    """The images of each drawing of the kinds asked for, sheet before view..., by page."""
    imgs = corpus.images
    imgs = imgs[imgs["drawing_id"].isin(drawing_ids) & imgs["kind"].isin(kinds)]
    order = {k: i for i, k in enumerate(kinds)}
    out: dict[str, list[_images.ImageKey]] = {d: [] for d in drawing_ids}
    rows = imgs[["drawing_id", "kind", "page", "image_index"]].itertuples(index=False)
    for d, k, p, i in sorted(rows, key=lambda r: (order[r[1]], r[2], r[3])):
        out[str(d)].append((str(d), str(k), int(p), int(i)))
    return out


@dataclass(frozen=True)
class _Html:
    """Output shown as HTML in notebooks (``_repr_html_``)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def to_html(self) -> str:
        """The output as self-contained HTML."""
        return self.html


@dataclass(frozen=True)
class Thumbnails(_Html):
    """A grid of drawing thumbnails with captions; shown as HTML in notebooks.

    Made by :func:`thumbnails` (``corpus.thumbnails()``)."""

    shown: int
    total: int
    kinds: tuple[str, ...]
    size: int

    def __len__(self) -> int:
        return self.shown

    def __repr__(self) -> str:
        return f"<Thumbnails: {self.shown} of {self.total} drawings, {'/'.join(self.kinds)} images, {self.size} px>"


def thumbnails(
    corpus: Any,
    by: str | None = None,
    max_images: int = 30,
    size: int = 240,
    kind: str | Sequence[str] = "sheet",
) -> Thumbnails:
    """A grid of thumbnails of the corpus's drawings, captioned with drawing number,
    designation and material and badged with the finest IT grade.

    Parameters
    ----------
    corpus
        A :class:`~werk24_frames.Corpus`.
    by
        A ``metadata`` column (``"material_family"``, ``"designation"``...) to group the tiles
        under headings; None for one grid.
    max_images
        Tiles shown at most: in all, or with ``by`` in each group, so every group appears; a
        note says how many drawings are left out.
    size
        Width of a tile's image box in pixels (its height is three quarters of it).
    kind
        ``"sheet"`` (default), ``"view"``, the legacy ``"page"``, ``"canvas"``,
        ``"sectional"``, a list of them, or ``"all"``: one tile per image of those kinds.
        A drawing without one gets a placeholder tile.
    """
    kinds = image_kinds(kind)
    if max_images < 1:
        raise ValueError(f"max_images must be at least 1, not {max_images}")
    cards = drawing_cards(corpus)
    groups: list[tuple[Any, pd.DataFrame]]
    if by is None:
        groups = [(None, cards)]
    else:
        meta = corpus.metadata.drop_duplicates("drawing_id").set_index("drawing_id")
        if by not in meta.columns:
            raise KeyError(f"by must be a column of corpus.metadata; {by!r} is not one of: {', '.join(meta.columns)}")
        key = meta[by].reindex(cards.index)
        groups = [(name, cards[(key == name).fillna(False).to_numpy()]) for name in sorted(key.dropna().unique())]
        rest = cards[key.isna().to_numpy()]
        if len(rest):
            groups.append(("(none)", rest))
    keys = image_keys(corpus, list(cards.index), kinds)
    parts: list[str] = []
    shown = drawings = 0
    for name, group in groups:
        tiles: list[str] = []
        in_group = 0
        if by is None:
            in_group = shown  # one cap over all tiles
        for card in group.itertuples():
            if in_group >= max_images:
                break
            drawings += 1
            mine: list[_images.ImageKey | None] = [*keys[str(card.Index)]] or [None]
            for k in mine:
                if in_group >= max_images:
                    break
                tiles.append(tile(corpus, card, k, size, kinds[0]))
                in_group += 1
        shown += len(tiles)
        if not tiles:
            continue
        if name is not None:
            n_drawn = sum(1 for _ in tiles)
            left = f", {len(group) - min(len(group), n_drawn)} not shown" if n_drawn < len(group) else ""
            parts.append(
                f'<div style="font-weight:600;margin:10px 0 4px">{_e(by)} = {_e(name)} '
                f'<span style="color:#888;font-weight:400">({len(group)} drawings{left})</span></div>'
            )
        parts.append(grid(tiles))
    if drawings < len(cards):
        per = " per group" if by is not None else ""
        parts.append(
            f'<div style="color:#888;font-size:12px;margin-top:6px">{len(cards) - drawings} more drawings '
            f"not shown (max_images={max_images}{per})</div>"
        )
    if not len(cards):
        parts.append('<div style="color:#888">no drawings</div>')
    html = f'<div class="w24-thumbnails" style="{_FONT}">{"".join(parts)}</div>'
    return Thumbnails(html, drawings, len(cards), kinds, size)


# --------------------------------------------------------------------------------------
# One drawing, its features boxed
# --------------------------------------------------------------------------------------

_META_FIELDS = (
    ("drawing_number", "drawing number"),
    ("part_number", "part number"),
    ("designation", "designation"),
    ("material", "material"),
    ("material_family", "material family"),
    ("weight_kg", "weight (kg)"),
    ("general_tolerance_standard", "general tolerances"),
    ("general_tolerance_class", "general tolerance class"),
    ("projection_method", "projection"),
    ("unit_system", "units"),
    ("n_pages", "pages"),
    ("source", "source"),
)
_FEATURE_COLUMNS = (
    "table",
    "reference_id",
    "label",
    "quantity",
    "nominal_mm",
    "lower_limit_mm",
    "upper_limit_mm",
    "it_grade",
    "tolerance_source",
)


def _table_html(df: pd.DataFrame) -> str:
    cells = df.astype(object).map(lambda v: _fmt("", v))
    return cells.to_html(index=False, escape=False, border=0)


@dataclass(frozen=True)
class DrawingView(_Html):
    """One drawing: its sheet with a box around every located feature, its metadata and its
    features. Made by :func:`show` (``corpus.show(drawing_id)``)."""

    drawing_id: str
    n_boxes: int
    title: str = ""
    page: int = 0

    def __repr__(self) -> str:
        name = f"{self.title} ({self.drawing_id})" if self.title and self.title != self.drawing_id else self.drawing_id
        return f"<DrawingView: {name}, page {self.page}, {self.n_boxes} features boxed>"


def _legend(used: dict[str, str]) -> str:
    """Coloured squares with names (escaped)."""
    return " ".join(
        f'<span style="display:inline-block;margin-right:10px"><span style="display:inline-block;width:10px;'
        f'height:10px;border:2px solid {c};margin-right:4px;vertical-align:middle"></span>{_e(n)}</span>'
        for n, c in used.items()
    )


def boxed_sheet(
    pic: Picture, marks: Iterable[dict[str, Any]], alt: str, labels: bool = False, weight: float = 1.6
) -> str:
    """A sheet image with a box drawn in SVG around each of ``marks`` (dicts with ``x_min``,
    ``y_min``, ``x_max``, ``y_max`` in the sheet's pixels, ``color``, ``tip`` shown on hover, and
    ``reference_id`` written beside the box when ``labels``); ``weight``: the line width in
    pixels of the shown image. Used by :func:`show` and :func:`compare`."""
    sw, sh = pic.source_width, pic.source_height
    stroke = weight * sw / pic.width
    shapes: list[str] = []
    for r in marks:
        color = r["color"]
        x, y = r["x_min"] - 2 * stroke, r["y_min"] - 2 * stroke
        w, h = r["x_max"] - r["x_min"] + 4 * stroke, r["y_max"] - r["y_min"] + 4 * stroke
        shapes.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}" fill-opacity="0.06" '
            f'stroke="{color}" stroke-width="{stroke:.2f}"><title>{_e(r["tip"])}</title></rect>'
        )
        if labels:
            shapes.append(
                f'<text x="{r["x_max"] + 3 * stroke:.1f}" y="{r["y_min"]:.1f}" fill="{color}" '
                f'font-size="{8 * stroke:.1f}" dominant-baseline="hanging">{_e(r["reference_id"])}</text>'
            )
    svg = (
        f'<svg viewBox="0 0 {sw} {sh}" preserveAspectRatio="none" style="position:absolute;left:0;top:0;'
        f'width:100%;height:100%">{"".join(shapes)}</svg>'
    )
    return (
        f'<div style="position:relative;display:inline-block;max-width:100%;line-height:0;border:1px solid #ddd">'
        f"{_img(pic, alt, 'display:block')}{svg}</div>"
    )


def show(
    corpus: Any,
    drawing_id: Any,
    page: int = 0,
    color_by: str = "table",
    labels: bool = False,
    width: int = 900,
) -> DrawingView:
    """The sheet of one drawing with a box around every feature REFERENCE_POSITIONS located
    (hover a box for its label, tolerance source and IT grade), coloured by ``table`` or
    ``tolerance_source``, with ``reference_id`` beside each box when ``labels``; below it the
    drawing's metadata and its features with their limits.

    The HTML counterpart of :func:`werk24_frames.plots.drawing`; the sheet is downscaled to
    ``width`` pixels and the boxes drawn in SVG over it, so they stay sharp. In the legend of
    ``color_by="tolerance_source"``, ``none`` is a size without any tolerance and ``no size`` a
    feature that has none (a GD&T frame, a roughness symbol).

    Parameters
    ----------
    corpus
        A :class:`~werk24_frames.Corpus`.
    drawing_id
        The drawing: its ``drawing_id`` or ``drawing_number`` (see ``Corpus.resolve``).
    page
        Which page's sheet, counted from 0 as the ``page`` column (and the API) count.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> view = wf.views.show(wf.sample_corpus(), "WF-1012", color_by="tolerance_source")
    >>> view
    <DrawingView: WF-1012 (01c674c49562d9de), page 0, 27 features boxed>
    """
    if color_by not in ("table", "tolerance_source"):
        raise ValueError(f"color_by must be 'table' or 'tolerance_source', not {color_by!r}")
    drawing_id = corpus.resolve(drawing_id)
    card = drawing_cards(corpus, [drawing_id]).loc[drawing_id]
    key = (drawing_id, "sheet", page, 0)
    pic = _images.thumbnail(corpus, key, width, width * 2)
    boxes = _images.feature_boxes(corpus, drawing_id, page)
    colors = TABLE_COLORS if color_by == "table" else SOURCE_COLORS
    if pic is not None:
        used: dict[str, str] = {}
        marks = []
        for r in boxes.to_dict("records"):
            # NA: a feature without a size (GD&T frame, roughness), unlike "none": a size without tolerance
            name = str(r[color_by]) if pd.notna(r[color_by]) else "no size"
            color = colors.get(name, OTHER_COLOR)
            used.setdefault(name, color)
            grade = f", IT{int(r['it_grade'])}" if pd.notna(r["it_grade"]) else ""
            tip = f"{r['table']} #{r['reference_id']}: {r['label'] if pd.notna(r['label']) else ''} ({r['tolerance_source']}{grade})"
            marks.append({**{str(k): v for k, v in r.items()}, "color": color, "tip": tip})
        sheet = boxed_sheet(pic, marks, f"sheet of {card.title}", labels)
        legend = _legend(used)
        legend = f'<div style="font-size:12px;margin:4px 0 10px">{_e(color_by)}: {legend}</div>' if used else ""
    else:
        sheet = placeholder(min(width, 480), round(min(width, 480) * 0.7), _why_missing(corpus, key))
        legend = ""
    m = corpus.metadata
    row = m[m["drawing_id"] == drawing_id].iloc[0]
    meta = pd.DataFrame(
        [(label, row[col]) for col, label in _META_FIELDS if col in row.index and pd.notna(row[col])],
        columns=["field", "value"],
    )
    feats = corpus.features
    feats = feats.loc[feats["drawing_id"] == drawing_id, list(_FEATURE_COLUMNS)]
    title = f"{card.title}" + (f" — {card.designation}" if pd.notna(card.designation) else "")
    html = (
        f'<div class="w24-drawing" style="{_FONT}">'
        f'<div style="font-size:16px;font-weight:600;margin-bottom:6px">{_e(title)}{_badge(card.finest_it_grade, "margin-left:8px;vertical-align:middle;")}</div>'
        f"{sheet}{legend}"
        f'<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start;font-size:12px">'
        f"<div><div style='font-weight:600'>metadata</div>{_table_html(meta)}</div>"
        f"<div><div style='font-weight:600'>features ({len(feats)})</div>{_table_html(feats)}</div>"
        f"</div></div>"
    )
    return DrawingView(html, drawing_id, len(boxes), str(card.title), page)


# --------------------------------------------------------------------------------------
# Crops of features
# --------------------------------------------------------------------------------------

_CROP_COLUMNS = (
    ("title", "drawing"),
    ("table", "table"),
    ("label", "label"),
    ("nominal_mm", "nominal (mm)"),
    ("lower_limit_mm", "lower limit (mm)"),
    ("upper_limit_mm", "upper limit (mm)"),
    ("tolerance_width_mm", "tolerance (µm)"),
    ("it_grade", "IT"),
    ("tolerance_source", "source"),
)


@dataclass(frozen=True)
class Crops(_Html):
    """A table of features, each beside its crop of the drawing. Made by :func:`crops`
    (``df.w24.crops()``)."""

    n_rows: int
    n_crops: int

    def __len__(self) -> int:
        return self.n_rows

    def __repr__(self) -> str:
        return f"<Crops: {self.n_rows} features, {self.n_crops} with a crop>"


def _fmt(col: str, v: Any) -> str:
    if v is None or pd.isna(v):
        return ""
    if col == "tolerance_width_mm":
        return f"{float(v) * 1000:.4g}"
    if isinstance(v, float):
        return f"{v:.6g}"
    return _e(v)


def crops(rows: pd.DataFrame, corpus: Any = None, max_rows: int = 50, width: int = 320, height: int = 120) -> Crops:
    """Each row of a feature table (or a slice, e.g.
    ``corpus.dimensions.nsmallest(10, "tolerance_width_mm")``) beside its crop of the sheet
    image: the spot REFERENCE_POSITIONS gives, with some context, the feature outlined in red.
    The crop of a vertical label is turned to read left to right; small crops are enlarged
    (up to three times) to fill ``width`` x ``height``.

    Parameters
    ----------
    rows
        Rows of a feature table (``dimensions``, ``bores``..., ``features``), in the order to
        show; they need ``drawing_id``, ``page`` and ``reference_id``.
    corpus
        The corpus the rows come from; found by itself for tables of a corpus and their slices.
    max_rows
        Rows shown at most; a note says how many are left out.
    width, height
        The largest size of a crop in pixels.
    """
    from ._corpus import corpus_of

    corpus = corpus if corpus is not None else corpus_of(rows)
    if corpus is None:
        raise ValueError(
            "which corpus do these rows come from? pass it: wf.crops(rows, corpus) "
            "(it is found by itself only for a corpus's own tables and their slices)"
        )
    missing = [c for c in ("drawing_id", "page", "reference_id") if c not in rows.columns]
    if missing:
        raise KeyError(
            f"crops need the columns drawing_id, page and reference_id; these rows lack {', '.join(missing)}"
        )
    shown = rows.iloc[:max_rows]
    cards = drawing_cards(corpus, shown["drawing_id"].dropna().unique().tolist())
    pos = corpus.positions
    pos = pos[pos["coordinate_space"] == "PIXEL_SPACE"].drop_duplicates(["drawing_id", "page", "reference_id"])
    where = shown[["drawing_id", "page", "reference_id"]].merge(
        pos[["drawing_id", "page", "reference_id", "x_min", "y_min", "x_max", "y_max"]],
        on=["drawing_id", "page", "reference_id"],
        how="left",
    )
    pictures: list[Picture | None] = [None] * len(shown)
    reasons = ["not located"] * len(shown)
    boxes = where[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=np.nan)
    by_page: dict[tuple[str, int], list[int]] = {}
    for i, (d, p) in enumerate(zip(where["drawing_id"].astype(str), where["page"], strict=True)):
        if pd.notna(p) and not np.isnan(boxes[i, 0]):
            by_page.setdefault((d, int(p)), []).append(i)
    for (d, p), idx in by_page.items():
        found = _images.sheet(corpus, (d, "sheet", p, 0))
        for i in idx:
            if found is None:
                reasons[i] = _why_missing(corpus, (d, "sheet", p, 0))
            else:
                x0, y0, x1, y1 = (float(v) for v in boxes[i])
                pictures[i] = _images.crop(found, (x0, y0, x1, y1), width, height)
                if pictures[i] is None:
                    reasons[i] = "position off the sheet"
    cols = [(c, h) for c, h in _CROP_COLUMNS if c in rows.columns or c == "title"]
    head = "".join(f'<th style="text-align:left;padding:4px 8px">{_e(h)}</th>' for _, h in cols)
    body: list[str] = []
    for i, rec in enumerate(shown.to_dict("records")):
        rec["title"] = cards["title"].get(rec["drawing_id"], rec["drawing_id"])
        pic = pictures[i]
        # small crops come enlarged (and vertical labels turned) from _images.crop
        cell = _img(pic, f"{rec.get('label', '')}") if pic is not None else placeholder(120, 40, reasons[i])
        cells = "".join(f'<td style="padding:4px 8px">{_fmt(c, rec.get(c))}</td>' for c, _ in cols)
        body.append(f'<tr style="border-top:1px solid #eee"><td style="padding:4px 8px">{cell}</td>{cells}</tr>')
    more = ""
    if len(rows) > max_rows:
        more = f'<div style="color:#888;font-size:12px">{len(rows) - max_rows} more rows not shown (max_rows={max_rows})</div>'
    html = (
        f'<div class="w24-crops" style="{_FONT};font-size:13px"><table style="border-collapse:collapse">'
        f'<thead><tr><th style="text-align:left;padding:4px 8px">crop</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{more}</div>"
    )
    return Crops(html, len(shown), sum(p is not None for p in pictures))


# --------------------------------------------------------------------------------------
# Two revisions side by side
# --------------------------------------------------------------------------------------

#: The colours of :func:`compare`: what was added (on the new sheet), removed (on the old), changed (on both),
#: and moved (on both: a feature whose only change is its ``position`` on the sheet).
CHANGE_COLORS = {"added": "#1a9641", "removed": "#d7191c", "changed": "#f28e0b", "moved": "#2c7bb6"}
_CHANGE_COLUMNS = (
    "change",
    "table",
    "old_label",
    "new_label",
    "what",
    "old_value",
    "new_value",
    "tighter",
    "ambiguous",
)


@dataclass(frozen=True)
class ComparisonView(_Html):
    """Two drawings side by side, what changed boxed in colour. Made by :func:`compare`."""

    old_drawing_id: str
    new_drawing_id: str
    title: str
    counts: tuple[int, int, int]

    def __repr__(self) -> str:
        added, removed, changed = self.counts
        return f"<ComparisonView: {self.title}: {added} added, {removed} removed, {changed} changed>"


def compare(
    old: Any, new: Any, drawing: str, page: int = 0, width: int = 620, *, min_move: float | None = None
) -> ComparisonView:
    """The old and the new sheet of a drawing side by side: removed features boxed red on the
    old sheet, added ones green on the new, changed ones orange on both, and ones that only
    moved on the sheet (a ``position`` change) blue on both (hover a box for what changed);
    below them, the rows of :func:`werk24_frames.compare` for this pair.

    Parameters
    ----------
    old, new
        The corpora (or one corpus twice, for two revisions in it).
    drawing
        A ``drawing_id`` or ``drawing_number`` of each, or a base number (``WF-2002`` for
        ``WF-2002 Rev. B``), which takes the newest revision of it in each corpus.
    page
        Which page's sheets.
    width
        The width of each sheet, in pixels.
    min_move
        :func:`werk24_frames.compare`'s: how far (a share of the sheet) a feature must move to be a
        ``position`` change; ``None`` for its default, ``werk24_frames.comparison.MIN_MOVE``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> revs = wf.sample_corpus("revisions")
    >>> old = revs.select(lambda m: m.source == "WF-2001 shaft index A.pdf")
    >>> wf.views.compare(old, revs, "WF-2001")
    <ComparisonView: WF-2001 A → C: 1 added, 0 removed, 4 changed>
    """
    from .comparison import MIN_MOVE, drawing_revisions, find_pair, opt_text
    from .comparison import compare as compare_drawings

    old_id, new_id = find_pair(old, new, drawing)
    changes = compare_drawings(old, new, mapping={old_id: new_id}, min_move=MIN_MOVE if min_move is None else min_move)
    revs_o, revs_n = drawing_revisions(old), drawing_revisions(new)
    number = opt_text(revs_o.at[old_id, "base_number"]) or old_id
    ro, rn = opt_text(revs_o.at[old_id, "revision"]), opt_text(revs_n.at[new_id, "revision"])
    title = (
        f"{number if pd.notna(number) else old_id} {'' if pd.isna(ro) else ro} → {'' if pd.isna(rn) else rn}".replace(
            "  ", " "
        )
    )
    sheets = []
    for side, corpus, did, kinds, col in (
        ("old", old, old_id, ("removed", "changed"), "old_reference_id"),
        ("new", new, new_id, ("added", "changed"), "new_reference_id"),
    ):
        key = (did, "sheet", page, 0)
        pic = _images.thumbnail(corpus, key, width, width * 2)
        card = drawing_cards(corpus, [did]).loc[did]
        rev = ro if side == "old" else rn
        head = f"{side}: {card.title}" + ("" if rev is None else f" (revision {rev})")
        if pic is None:
            body = placeholder(width, round(width * 0.7), _why_missing(corpus, key))
        else:
            boxes = _change_boxes(corpus, did, page)
            marks = []
            rows = changes[changes["change"].isin(kinds) & changes[col].notna()]
            for rid, group in rows.groupby(col, sort=False):
                if rid not in boxes.index:
                    continue
                b = boxes.loc[rid]
                change = str(group["change"].iloc[0])
                color = CHANGE_COLORS["moved" if (group["what"] == "position").all() else change]
                whats = "; ".join(
                    f"{w}: {'' if pd.isna(a) else a} → {'' if pd.isna(z) else z}"
                    for w, a, z in zip(group["what"], group["old_value"], group["new_value"], strict=True)
                )
                table_name = str(group["table"].iloc[0])
                tip = f"{change} {table_name} #{rid}: {b['label'] if pd.notna(b['label']) else ''} ({whats})"
                marks.append(
                    {
                        **{str(k): v for k, v in b.items()},
                        "reference_id": rid,
                        "color": color,
                        "tip": tip,
                    }
                )
            body = boxed_sheet(pic, marks, f"{side} sheet of {card.title}", weight=2.4)
        sheets.append(
            f'<div style="flex:1 1 {width}px;max-width:{width}px"><div style="font-weight:600;margin-bottom:4px">'
            f"{_e(head)}</div>{body}</div>"
        )
    legend = _legend({"added (new sheet)": CHANGE_COLORS["added"], "removed (old sheet)": CHANGE_COLORS["removed"],
                      "changed (both)": CHANGE_COLORS["changed"], "moved (both)": CHANGE_COLORS["moved"]})  # fmt: skip
    counts = tuple(int(changes.drop_duplicates(["change", "table", "old_reference_id", "new_reference_id", "what"])
                        .assign(_k=lambda d: d["table"] + ":" + d["old_reference_id"].astype("string").fillna("")
                                + "/" + d["new_reference_id"].astype("string").fillna(""))
                        .query("change == @k")["_k"].nunique()) for k in ("added", "removed", "changed"))  # fmt: skip
    table = changes.loc[:, list(_CHANGE_COLUMNS)]
    html = (
        f'<div class="w24-compare" style="{_FONT}">'
        f'<div style="font-size:16px;font-weight:600;margin-bottom:6px">{_e(title)}</div>'
        f'<div style="display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start">{"".join(sheets)}</div>'
        f'<div style="font-size:12px;margin:6px 0 10px">{legend}</div>'
        f'<div style="font-size:12px"><div style="font-weight:600">changes ({len(changes)})</div>'
        f"{_table_html(table) if len(table) else '<div>none</div>'}</div></div>"
    )
    return ComparisonView(html, old_id, new_id, title, (counts[0], counts[1], counts[2]))


def _change_boxes(corpus: Any, drawing_id: str, page: int) -> pd.DataFrame:
    """Every located item of a drawing's page (features, notes, title-block fields), indexed by
    reference_id: its box and label (a feature's label; else empty)."""
    pos = corpus.positions
    pos = pos[(pos["drawing_id"] == drawing_id) & (pos["page"] == page) & (pos["coordinate_space"] == "PIXEL_SPACE")]
    corners = pos[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=float("nan"))
    pos = pos[np.isfinite(corners).all(axis=1)].drop_duplicates("reference_id")
    feats = corpus.features
    feats = feats[(feats["drawing_id"] == drawing_id) & (feats["page"] == page)].drop_duplicates("reference_id")
    out = pos[["reference_id", "x_min", "y_min", "x_max", "y_max"]].merge(
        feats[["reference_id", "label"]], on="reference_id", how="left"
    )
    return out.set_index("reference_id")
