"""The ballooned sheet: a drawing's page with a numbered balloon and a leader for every located
characteristic of its inspection plan.

May import the core, ``_images`` and ``views`` (the shared decoded sheet and the reason an image
is missing) and matplotlib (on first use, through ``_extras.require``); never widgets.

Placement: each balloon starts where the plan puts it (Werk24's BALLOONS centre, else the corner
of the feature's box); if it would overlap a balloon already placed or a feature's box, or leave
the sheet, the first free place of a fixed search is taken instead: rings of growing radius around
the feature, 24 directions each, starting from the direction of the preferred place. Balloons are
placed in the order of their numbers, so the result depends only on the plan and the positions.
Where no free place is found (a crowded sheet), the place farthest from the other balloons is
taken and the sheet's ``crowded`` lists those numbers.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import _images
from .._extras import require
from ._plan import inspection_plan, paper_mm

__all__ = ["BalloonSheet", "balloon_sheet"]

#: Balloon diameter on the printed sheet, in mm (8 mm holds three digits at about 3.5 mm).
BALLOON_MM = 8.0
#: Edge colour of a balloon by classification.
CLASS_COLORS = {"critical": "#c62828", "major": "#ef6c00", "minor": "#1565c0"}
_OTHER = "#455a64"
_FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}


@dataclass
class BalloonSheet:
    """A drawing's sheet with numbered balloons: shows itself in Jupyter, ``save`` writes it.

    ``balloons`` has one row per balloon drawn: ``characteristic``, its centre ``x``, ``y`` and
    radius ``r`` in the sheet image's pixels, and the point of the feature the leader goes to.
    """

    drawing_id: str
    drawing_number: str | None
    page: int
    image: Any = field(repr=False)  # the decoded sheet (PIL image, possibly reduced)
    width: int  # pixel size of the sheet image (the pixel space of the positions)
    height: int
    paper: tuple[float, float] | None  # mm, when the paper size is known
    balloons: pd.DataFrame = field(repr=False)
    boxes: np.ndarray = field(repr=False)  # x_min, y_min, x_max, y_max of every feature box
    not_drawn: list[int] = field(default_factory=list)  # unlocated characteristics
    crowded: list[int] = field(default_factory=list)  # balloons placed without a free place
    _notebook_png: bytes | None = field(default=None, repr=False, compare=False)

    # -- output ----------------------------------------------------------------------------

    def figure(self, dpi: float = 150) -> Any:
        """The sheet as a matplotlib ``Figure`` (not attached to pyplot), sized to the paper."""
        require("plot", "drawing a ballooned sheet", "matplotlib", "PIL")
        from matplotlib.figure import Figure
        from matplotlib.patches import Circle

        w_in, h_in = self._inches()
        fig = Figure(figsize=(w_in, h_in), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.imshow(
            np.asarray(self.image.convert("RGB")), extent=(0, self.width, self.height, 0), interpolation="antialiased"
        )
        ax.set_xlim(0, self.width)
        ax.set_ylim(self.height, 0)
        ax.set_axis_off()
        points_per_px = w_in * 72 / self.width
        b = self.balloons
        cols = [b[c].to_numpy(dtype=float) for c in ("x", "y", "r", "target_x", "target_y")]
        for number, cls, x, y, r, tx, ty in zip(
            b["characteristic"].tolist(), b["classification"].tolist(), *cols, strict=True
        ):
            color = CLASS_COLORS.get(str(cls), _OTHER)
            lw = max(0.6, 0.08 * r * points_per_px)
            ex, ey = _edge(x, y, r, tx, ty)
            if math.hypot(tx - x, ty - y) > r:
                ax.plot([ex, tx], [ey, ty], color=color, lw=lw * 0.8, solid_capstyle="round")
                ax.plot([tx], [ty], "o", color=color, ms=lw * 2.2)
            ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor=color, lw=lw, zorder=3))
            text = str(int(number))
            size = r * points_per_px * (1.05 if len(text) <= 2 else 0.8 if len(text) == 3 else 0.62)
            ax.text(x, y, text, ha="center", va="center_baseline", fontsize=size, color="black", zorder=4)
        return fig

    def _inches(self) -> tuple[float, float]:
        w_in = self.paper[0] / 25.4 if self.paper is not None else max(self.width / 150, 8.0)
        return w_in, w_in * self.height / self.width

    def to_bytes(self, fmt: str = "png", dpi: float = 200) -> bytes:
        """The sheet as PNG, PDF or SVG bytes; ``dpi`` at the paper size (PNG)."""
        if fmt not in _FORMATS.values():
            raise ValueError(f"format must be one of {', '.join(sorted(_FORMATS.values()))}, not {fmt!r}")
        from matplotlib import rc_context

        fig = self.figure(dpi=dpi)
        buf = io.BytesIO()
        # SVG text as <text> elements (searchable, and the numbers stay text when edited)
        with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=_metadata(fmt))
        return buf.getvalue()

    def save(self, path: str | Path, dpi: float = 200) -> Path:
        """Write the sheet to ``path``: PNG, PDF or SVG by its suffix; ``dpi`` for PNG (at the
        paper size: the default 200 keeps 3 mm numbers sharp in print)."""
        path = Path(path)
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(f"cannot tell the format of {str(path)!r}: give a .png, .pdf or .svg file name")
        path.write_bytes(self.to_bytes(fmt, dpi=dpi))
        return path

    def _repr_png_(self) -> bytes:
        # Jupyter asks for the PNG and the HTML: draw the notebook image once
        if self._notebook_png is None:
            self._notebook_png = self.to_bytes("png", dpi=100)
        return self._notebook_png

    def _repr_html_(self) -> str:
        data = base64.b64encode(self._repr_png_()).decode("ascii")
        from html import escape

        title = escape(f"{self.drawing_number or self.drawing_id}, page {self.page}: {len(self.balloons)} balloons")
        missing = (
            f"<div style='font-size:12px'>not on the sheet (no position): {escape(', '.join(map(str, self.not_drawn)))}</div>"
            if self.not_drawn
            else ""
        )
        return (
            f"<div class='w24-balloons'><div style='font-size:13px;font-weight:600'>{title}</div>"
            f"<img src='data:image/png;base64,{data}' style='max-width:100%;height:auto' alt='{title}'>{missing}</div>"
        )

    def __repr__(self) -> str:
        name = self.drawing_number or self.drawing_id
        extra = f", {len(self.not_drawn)} without a position" if self.not_drawn else ""
        return f"<BalloonSheet {name} ({self.drawing_id}), page {self.page}: {len(self.balloons)} balloons{extra}>"


def _metadata(fmt: str) -> dict[str, Any]:
    """No creation date or software version in the files: the same plan gives the same bytes."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "pdf":
        return {"CreationDate": None, "Producer": None, "Creator": None}
    return {"Date": None, "Creator": None}


def _edge(x: float, y: float, r: float, tx: float, ty: float) -> tuple[float, float]:
    d = math.hypot(tx - x, ty - y)
    if d == 0:
        return x, y
    return x + (tx - x) / d * r, y + (ty - y) / d * r


# --------------------------------------------------------------------------------------
# Placement
# --------------------------------------------------------------------------------------


def _clamp(px: float, py: float, box: Sequence[float]) -> tuple[float, float]:
    """The point of ``box`` nearest to ``(px, py)``."""
    return min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3])


def _hits_box(x: float, y: float, r: float, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    cx = np.clip(x, boxes[:, 0], boxes[:, 2])
    cy = np.clip(y, boxes[:, 1], boxes[:, 3])
    return bool(((cx - x) ** 2 + (cy - y) ** 2 < r * r).any())


def _free(x: float, y: float, r: float, placed: list[tuple[float, float]], gap: float) -> float:
    """Distance to the nearest placed balloon's edge (inf if none)."""
    if not placed:
        return math.inf
    p = np.asarray(placed)
    return float(np.sqrt(((p - (x, y)) ** 2).sum(axis=1)).min() - 2 * r - gap)


class _Ink:
    """How much of a square of the sheet is drawn on (dark pixels), in O(1) per query through a
    summed-area table of the decoded (possibly reduced) image."""

    def __init__(self, image: Any, width: float) -> None:
        gray = np.asarray(image.convert("L"), dtype=np.uint8) if image is not None else np.zeros((1, 1), np.uint8)
        dark = (gray < 160).astype(np.int64)
        self.table = np.pad(dark.cumsum(axis=0).cumsum(axis=1), ((1, 0), (1, 0)))
        self.scale = gray.shape[1] / width if width else 1.0

    def fraction(self, x: float, y: float, r: float) -> float:
        h, w = self.table.shape[0] - 1, self.table.shape[1] - 1
        x0, x1 = (min(max(int((x - r) * self.scale), 0), w), min(max(int((x + r) * self.scale) + 1, 0), w))
        y0, y1 = (min(max(int((y - r) * self.scale), 0), h), min(max(int((y + r) * self.scale) + 1, 0), h))
        area = (x1 - x0) * (y1 - y0)
        if area <= 0:
            return 1.0
        t = self.table
        return float(t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0]) / area


#: Share of dark pixels under a balloon that still counts as a free place (a thin line crossing
#: the balloon's square is about 2-4 %).
INK_FREE = 0.01


def place_balloons(
    rows: pd.DataFrame, boxes: np.ndarray, width: float, height: float, r: float, image: Any = None
) -> tuple[pd.DataFrame, list[int]]:
    """Balloon centres for the located rows of a plan (one page), in characteristic order.

    ``rows`` needs ``characteristic``, ``balloon_x``, ``balloon_y`` and the feature's box
    (``x_min`` … ``y_max``, NaN where only a balloon centre is known). A place is free when
    the balloon overlaps no balloon placed before, no feature box and (given the sheet
    ``image``) almost no line of the drawing; where no candidate is free of drawing lines, the
    one with the least ink that overlaps no balloon or box is taken. Returns the balloons and
    the numbers that found no place free of balloons and boxes.
    """
    ink = _Ink(image, width) if image is not None else None
    gap = 0.25 * r
    placed: list[tuple[float, float]] = []
    out = []
    crowded: list[int] = []
    margin = r * 1.1
    rows = rows.sort_values("characteristic", kind="mergesort")
    numbers = [int(c) for c in rows["characteristic"].tolist()]
    classes = rows["classification"].tolist() if "classification" in rows else [None] * len(rows)
    arrays = [rows[c].to_numpy(dtype=float, na_value=np.nan) for c in ("x_min", "y_min", "x_max", "y_max")]
    bxs = rows["balloon_x"].to_numpy(dtype=float, na_value=np.nan)
    bys = rows["balloon_y"].to_numpy(dtype=float, na_value=np.nan)
    for i, number in enumerate(numbers):
        box: tuple[float, float, float, float] = (arrays[0][i], arrays[1][i], arrays[2][i], arrays[3][i])
        has_box = all(math.isfinite(v) for v in box)
        if not has_box:
            box = (bxs[i], bys[i], bxs[i], bys[i])
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        start = (float(bxs[i]), float(bys[i]))
        if not all(math.isfinite(v) for v in start):
            start = (box[0], box[1])
        reach = math.hypot(box[2] - box[0], box[3] - box[1]) / 2
        first = math.atan2(start[1] - cy, start[0] - cx) if (start[0], start[1]) != (cx, cy) else -math.pi * 3 / 4
        candidates = [start]
        for ring in range(1, 16):
            dist = reach + r * (0.6 + 1.25 * ring)
            for k in range(24):
                # alternate around the preferred direction: 0, +15°, -15°, +30°, ...
                step = (k + 1) // 2 * (1 if k % 2 else -1)
                a = first + step * math.pi / 12
                candidates.append((cx + dist * math.cos(a), cy + dist * math.sin(a)))
        best: tuple[float, float] | None = None
        best_score = -math.inf
        clean: tuple[float, float] | None = None  # free of balloons and boxes, least ink so far
        clean_ink = math.inf
        for x, y in candidates:
            if not (margin <= x <= width - margin and margin <= y <= height - margin):
                continue
            free = _free(x, y, r, placed, gap)
            if free >= 0 and not _hits_box(x, y, r * 1.05, boxes):
                drawn = ink.fraction(x, y, r) if ink is not None else 0.0
                if drawn <= INK_FREE:
                    clean = (x, y)
                    break
                if drawn < clean_ink:
                    clean, clean_ink = (x, y), drawn
            if free > best_score:
                best, best_score = (x, y), free
        if clean is not None:
            best = clean
        if best is None:  # a sheet smaller than a balloon: keep the preferred place
            best = (min(max(start[0], 0.0), width), min(max(start[1], 0.0), height))
        if _free(best[0], best[1], r, placed, gap) < 0 or _hits_box(best[0], best[1], r * 1.05, boxes):
            crowded.append(number)
        tx, ty = _clamp(best[0], best[1], box) if has_box else (cx, cy)
        placed.append(best)
        out.append((number, best[0], best[1], r, tx, ty, classes[i]))
    cols = ["characteristic", "x", "y", "r", "target_x", "target_y", "classification"]
    return pd.DataFrame(out, columns=cols), crowded


# --------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------


def balloon_sheet(corpus: Any, drawing: Any, plan: pd.DataFrame | None = None, page: int = 0) -> BalloonSheet:
    """The sheet of one drawing with a numbered balloon and a leader for each located
    characteristic of its inspection plan.

    Parameters
    ----------
    corpus
        A :class:`~werk24_frames.Corpus`.
    drawing
        The drawing: its ``drawing_id`` or ``drawing_number``.
    plan
        An inspection plan holding this drawing's rows (:func:`inspection_plan`, possibly with
        your own rules); by default the drawing's plan is made.
    page
        The page (0-based).

    Returns
    -------
    BalloonSheet
        Shows itself inline in Jupyter; ``.save("sheet.png")`` (or ``.pdf``, ``.svg``) writes it,
        sized to the paper (A3: 420 × 297 mm) at 200 dpi for PNG. Balloons are 8 mm on paper,
        edged by classification (critical red, major orange, minor blue).

    Raises
    ------
    LookupError
        The drawing has no sheet image on that page at hand (or it cannot be decoded).

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> sheet = wf.inspection.balloon_sheet(corpus, "WF-1015")
    >>> sheet
    <BalloonSheet WF-1015 (0ffa4c2f6c81e426), page 0: 32 balloons, 1 without a position>
    >>> sheet.to_bytes("png")[:4]
    b'\\x89PNG'
    """
    drawing_id = corpus.resolve(drawing)
    if plan is None:
        plan = inspection_plan(corpus.select(drawing_id))
    missing = [
        c for c in ("drawing_id", "page", "characteristic", "balloon_x", "balloon_y", "located") if c not in plan
    ]
    if missing:
        raise ValueError(f"plan must be an inspection plan (wf.inspection_plan); it lacks {', '.join(missing)}")
    mine = plan[(plan["drawing_id"] == drawing_id).to_numpy(dtype=bool, na_value=False)]
    if not len(mine) and len(plan):
        raise ValueError(f"the plan has no rows of drawing {drawing!r} ({drawing_id}); pass its plan or none")
    on_page = mine[(mine["page"] == page).to_numpy(dtype=bool, na_value=False)]
    located = on_page[on_page["located"].fillna(False).to_numpy(dtype=bool)]
    not_drawn = sorted(int(c) for c in mine.loc[~mine["located"].fillna(False).to_numpy(dtype=bool), "characteristic"])
    key = (drawing_id, "sheet", page, 0)
    found = _images.sheet(corpus, key)
    if found is None:
        from ..views import _why_missing

        raise LookupError(
            f"drawing {drawing!r} ({drawing_id}) has no sheet image on page {page} to balloon: {_why_missing(corpus, key)}"
        )
    meta = corpus.metadata
    row = meta[meta["drawing_id"] == drawing_id].iloc[0]
    number = None if pd.isna(row["drawing_number"]) else str(row["drawing_number"])
    paper = paper_mm(row.get("paper_size"), found.width, found.height)
    if paper is None:
        prof = corpus.document_profiles
        sizes = prof.loc[prof["drawing_id"] == drawing_id, "paper_size"].dropna()
        paper = paper_mm(sizes.iloc[0], found.width, found.height) if len(sizes) else None
    px_per_mm = found.width / paper[0] if paper is not None else max(found.width, found.height) / 420.0
    r = BALLOON_MM / 2 * px_per_mm
    pos = corpus.positions
    pos = pos[(pos["drawing_id"] == drawing_id) & (pos["page"] == page) & (pos["coordinate_space"] == "PIXEL_SPACE")]
    boxes = pos[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=np.nan)
    boxes = boxes[np.isfinite(boxes).all(axis=1)]
    first = pos.sort_values(["reference_id", "item_index"], kind="mergesort").drop_duplicates("reference_id")
    located = located.merge(first[["reference_id", "x_min", "y_min", "x_max", "y_max"]], on="reference_id", how="left")
    for c in ("x_min", "y_min", "x_max", "y_max", "balloon_x", "balloon_y"):
        located[c] = located[c].to_numpy(dtype=float, na_value=np.nan)
    balloons, crowded = place_balloons(located, boxes, found.width, found.height, r, found.image)
    return BalloonSheet(
        drawing_id=drawing_id,
        drawing_number=number,
        page=page,
        image=found.image,
        width=found.width,
        height=found.height,
        paper=paper,
        balloons=balloons,
        boxes=boxes,
        not_drawn=not_drawn,
        crowded=crowded,
    )
