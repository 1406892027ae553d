"""Matching the features of two revisions of a drawing, and what changed between them.

Revisions renumber ``reference_id``s, move callouts and re-order lists, so features are matched
on what they are, never on their id. Per feature table (``dimensions``, ``threads``, …), in
three passes over the features not matched yet:

1. **label+nominal**: the same label (compared without case, spaces or Unicode variants) and
   the same nominal size;
2. **kind+nominal**: the same kind of size (``size_type``) and nominal, another label (a new
   tolerance, fit or quantity);
3. **position**: the same place on the sheet (box centres at most ``MAX_MOVE`` apart, with the
   sheet's width and height each counted as 1; on the same page), anything else changed (a new
   nominal).

Within a pass, when several features qualify, the pairs are taken greedily by distance
between their box centres (ties by list order), which is deterministic. A pair is
``ambiguous`` when another candidate was as near as the one taken (within ``TIE``, or both
without a position), and then so is every pair of that group of candidates: their change rows
say so instead of guessing silently. The features such a group leaves over are doubtful too:
whatever later pairs them, or reports them added or removed, is ``ambiguous`` as well. What is left is ``removed`` (old) or ``added`` (new).

For each matched pair, each aspect that differs is one row: ``nominal``, ``limits`` (with
``tighter``), ``fit``, ``grade``, ``tolerance source``, ``quantity``, ``label``, and ``position``
when the feature moved on the sheet by more than ``min_move`` (default :data:`MIN_MOVE`; see
:func:`moved_by`). The drawings'
``material``, ``weight``, ``general tolerance``, ``designation`` and ``notes`` are compared too.

Imports only pandas, numpy and the core; never views or plots.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from .. import schema

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["MAX_MOVE", "MIN_MOVE", "TIE", "Changes", "diff_pair", "match_features", "moved_by"]

#: Pass 3 pairs features whose box centres are at most this far apart, where the sheet is 1 wide and 1 high.
MAX_MOVE = 0.03
#: A matched feature that moved farther than this (the sheet 1 wide and 1 high; see :func:`moved_by`) is a
#: ``position`` change: 0.02 is about 6 mm across an A4 sheet's 297 mm and 4 mm along its 210 mm.
MIN_MOVE = 0.02
#: Two candidates whose distances differ by at most this (the sheet 1 wide and 1 high) make a match ambiguous.
TIE = 0.005
#: Relative difference under which two sizes count as equal (decimal strings converted to mm).
RTOL = 1e-6

CHANGE_KINDS = ("added", "removed", "changed")


class Changes(pd.DataFrame):
    """One row per change between drawings: a ``pandas.DataFrame`` (filter, group and export it
    as any table) with :meth:`summary`. Made by :func:`werk24_frames.compare` and
    ``corpus.revisions().compare()``; the columns are ``wf.schema.describe("changes")``.

    Its notebook display is pandas' own, which escapes every text.
    """

    _metadata: ClassVar[list[str]] = []

    @property
    def _constructor(self) -> Callable[..., Changes]:
        return Changes

    def summary(self) -> pd.DataFrame:
        """One row per pair of drawings compared: how many features were added, removed and
        changed, how many changed rows are ambiguous, and how many tolerances got tighter or
        looser.

        Examples
        --------
        >>> import werk24_frames as wf
        >>> changes = wf.sample_corpus("revisions").revisions().compare()
        >>> summary = changes.summary()
        >>> summary.loc["WF-2001", ["old_revision", "new_revision", "added", "removed", "changed", "tighter"]].values.tolist()
        [['A', 'B', 1, 0, 2, 1], ['B', 'C', 0, 0, 3, 0]]
        """
        needed = {"drawing_number", "old_drawing_id", "new_drawing_id", "change", "tighter", "ambiguous"}
        missing = needed - set(self.columns)
        if missing:
            raise KeyError(f"summary() needs the columns of wf.compare's result; missing: {', '.join(sorted(missing))}")
        df = pd.DataFrame(self)
        keys = ["drawing_number", "old_drawing_id", "new_drawing_id"]
        first = df.groupby(keys, sort=False, dropna=False)[["old_revision", "new_revision", "revision_source"]].first()
        # a changed feature counts once however many of its aspects changed
        item = (
            df["old_reference_id"].astype("string").fillna("")
            + "/"
            + df["new_reference_id"].astype("string").fillna("")
        )
        item = (
            df["table"].astype("string") + ":" + item + ":" + df["what"].where(df["table"] == "metadata", "").fillna("")
        )
        df = df.assign(_item=item)
        counts = (
            df.drop_duplicates([*keys, "change", "_item"])
            .groupby([*keys, "change"], sort=False, dropna=False)
            .size()
            .unstack("change")
        )
        counts = counts.reindex(columns=list(CHANGE_KINDS)).fillna(0).astype("int64")
        g = df.groupby(keys, sort=False, dropna=False)
        out = first.join(counts)
        out["ambiguous"] = g["ambiguous"].sum().astype("int64")
        out["tighter"] = g["tighter"].apply(lambda s: int((s == True).sum())).astype("int64")  # noqa: E712
        out["looser"] = g["tighter"].apply(lambda s: int((s == False).sum())).astype("int64")  # noqa: E712
        return out.reset_index().set_index("drawing_number")


# --------------------------------------------------------------------------------------
# The features of one drawing, ready to match
# --------------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


_FEATURE_COLUMNS = (
    "table",
    "page",
    "item_index",
    "reference_id",
    "label",
    "quantity",
    "size_type",
    "nominal_mm",
    "lower_limit_mm",
    "upper_limit_mm",
    "tolerance_width_mm",
    "fit",
    "it_grade",
    "tolerance_source",
)


def feature_rows(corpus: Corpus, drawing_id: str) -> pd.DataFrame:
    """One drawing's features (the ``features`` table's columns the match uses) with the centre
    of each one's box as a share of the sheet's width and height (``cx``, ``cy``; NaN when not
    located), the box's edges in the same units (``x0``, ``x1``, ``y0``, ``y1``) and
    ``key_label``, the label as pass 1 compares it."""
    feats = corpus._rows_of("features", drawing_id)
    f = feats.loc[:, list(_FEATURE_COLUMNS)].reset_index(drop=True)
    pos = corpus._rows_of("positions", drawing_id)
    pos = pos[pos["coordinate_space"].fillna("PIXEL_SPACE") == "PIXEL_SPACE"]
    pos = pos.drop_duplicates(["page", "reference_id"])
    imgs = corpus._rows_of("images", drawing_id)
    imgs = imgs[imgs["kind"] == "sheet"].drop_duplicates("page").set_index("page")
    cx = np.full(len(f), np.nan)
    cy = np.full(len(f), np.nan)
    edges = np.full((4, len(f)), np.nan)
    if len(pos) and len(f):
        boxes = {
            (int(p), int(r)): (x0, x1, y0, y1)
            for p, r, x0, x1, y0, y1 in pos[["page", "reference_id", "x_min", "x_max", "y_min", "y_max"]].itertuples(
                index=False
            )
            if pd.notna(p) and pd.notna(r)
        }
        for k, (p, r) in enumerate(zip(f["page"], f["reference_id"], strict=True)):
            if pd.isna(p) or pd.isna(r) or (int(p), int(r)) not in boxes:
                continue
            x0, x1, y0, y1 = boxes[(int(p), int(r))]
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
            page = int(p)
            sheet_w: Any = imgs.at[page, "width"] if page in imgs.index else None
            if sheet_w is not None and pd.notna(sheet_w) and sheet_w:
                w, h = float(sheet_w), float(imgs.at[page, "height"])  # type: ignore[arg-type]
            else:  # no sheet image: the extent of what was located on the page
                on_page = pos[pos["page"] == page]
                w, h = float(on_page["x_max"].max() or 1), float(on_page["y_max"].max() or 1)
            cx[k], cy[k] = x / w, y / h
            edges[:, k] = (x0 / w, x1 / w, y0 / h, y1 / h)
    f["cx"], f["cy"] = cx, cy
    f["x0"], f["x1"], f["y0"], f["y1"] = edges
    f["key_label"] = [_norm(v) for v in f["label"]]
    return f


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    old: int | None  # row of the old drawing's features
    new: int | None
    how: str | None  # "label+nominal", "kind+nominal", "position"
    ambiguous: bool = False


def _same_size(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return bool(abs(float(a) - float(b)) <= RTOL * max(1.0, abs(float(a)), abs(float(b))))


def _size_key(v: Any) -> str:
    return "NA" if pd.isna(v) else f"{float(v):.6g}"


def _places(f: pd.DataFrame) -> dict[str, np.ndarray]:
    """Page and box centre of each feature row, as float arrays (NaN when unknown)."""
    return {
        "page": pd.to_numeric(f["page"], errors="coerce").astype("float64").to_numpy(na_value=np.nan),
        "cx": f["cx"].to_numpy(dtype="float64"),
        "cy": f["cy"].to_numpy(dtype="float64"),
    }


def _greedy(
    o: dict[str, np.ndarray],
    n: dict[str, np.ndarray],
    olds: Sequence[int],
    news: Sequence[int],
    how: str,
    max_distance: float | None,
) -> list[Match]:
    """Pairs of ``olds`` and ``news`` (one group of candidates), nearest first: the distance of
    their box centres (a share of the sheet); on another page, or unknown, it is infinite."""
    io, jn = np.asarray(olds), np.asarray(news)
    po, pn = o["page"][io], n["page"][jn]
    same_page = (po[:, None] == pn[None, :]) | (np.isnan(po)[:, None] & np.isnan(pn)[None, :])
    d = np.hypot(o["cx"][io][:, None] - n["cx"][jn][None, :], o["cy"][io][:, None] - n["cy"][jn][None, :])
    d = np.where(same_page, d, np.inf)
    allowed = np.ones(d.shape, dtype=bool) if max_distance is None else d <= max_distance  # NaN: never
    d = np.where(np.isnan(d), np.inf, d)
    rows, cols = np.nonzero(allowed)
    order = np.lexsort((jn[cols], io[rows], d[rows, cols]))
    free_r = np.ones(len(io), dtype=bool)
    free_c = np.ones(len(jn), dtype=bool)
    out = []
    for k in order:
        r, c = rows[k], cols[k]
        if not (free_r[r] and free_c[c]):
            continue
        dd = d[r, c]
        # another free candidate as near as this one: the choice is a guess
        in_row = np.delete(d[r], c)[np.delete(free_c & allowed[r], c)]
        in_col = np.delete(d[:, c], r)[np.delete(free_r & allowed[:, c], r)]
        rivals = np.concatenate([in_row, in_col])
        if np.isinf(dd):  # no place to go by: any other free candidate is as good
            ambiguous = bool(np.isinf(rivals).any())
        else:
            ambiguous = bool((np.abs(rivals[np.isfinite(rivals)] - dd) <= TIE).any())
        free_r[r] = free_c[c] = False
        out.append(Match(int(io[r]), int(jn[c]), how, ambiguous))
    if any(m.ambiguous for m in out):  # one guess in a group makes every pair of it a guess
        out = [Match(m.old, m.new, m.how, True) for m in out]
    return out


def match_features(old: pd.DataFrame, new: pd.DataFrame) -> list[Match]:
    """Pairs of rows of two drawings' :func:`feature_rows` (see the module's docstring), then
    the old rows left (removed) and the new rows left (added)."""
    matches: list[Match] = []
    free_o = set(range(len(old)))
    free_n = set(range(len(new)))
    doubt_o: set[int] = set()
    doubt_n: set[int] = set()
    places_o, places_n = _places(old), _places(new)
    passes: list[tuple[str, Callable[[pd.DataFrame, int], tuple[Any, ...]], float | None]] = [
        (
            "label+nominal",
            lambda f, i: (f.at[i, "table"], f.at[i, "key_label"], _size_key(f.at[i, "nominal_mm"])),
            None,
        ),
        ("kind+nominal", lambda f, i: (f.at[i, "table"], f.at[i, "size_type"], _size_key(f.at[i, "nominal_mm"])), None),
        ("position", lambda f, i: (f.at[i, "table"],), MAX_MOVE),
    ]
    for how, key, max_distance in passes:
        groups_o: dict[tuple[Any, ...], list[int]] = {}
        groups_n: dict[tuple[Any, ...], list[int]] = {}
        for i in sorted(free_o):
            groups_o.setdefault(key(old, i), []).append(i)
        for j in sorted(free_n):
            groups_n.setdefault(key(new, j), []).append(j)
        for k, olds in groups_o.items():
            news = groups_n.get(k)
            if not news:
                continue
            first_nominal: Any = old.at[olds[0], "nominal_mm"]
            if how == "kind+nominal" and pd.isna(first_nominal):
                continue  # no size to go by (a GD&T frame, a roughness): only label or position
            found = _greedy(places_o, places_n, olds, news, how, max_distance)
            if any(m.ambiguous for m in found):  # the ones left could have been taken: as doubtful
                doubt_o.update(olds)
                doubt_n.update(news)
            for m in found:
                if not m.ambiguous and (m.old in doubt_o or m.new in doubt_n):
                    m = Match(m.old, m.new, m.how, True)
                matches.append(m)
                free_o.discard(m.old or 0) if m.old is not None else None
                free_n.discard(m.new or 0) if m.new is not None else None
    matches.sort(key=lambda m: (m.old or 0, m.new or 0))
    matches += [Match(i, None, None, i in doubt_o) for i in sorted(free_o)]
    matches += [Match(None, j, None, j in doubt_n) for j in sorted(free_n)]
    return matches


# --------------------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------------------


def _mm(v: Any) -> str:
    return "" if pd.isna(v) else f"{float(v):.6g} mm"


def _text(v: Any) -> str | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _limits(lo: Any, hi: Any) -> str | None:
    if pd.isna(lo) and pd.isna(hi):
        return None
    return f"{'' if pd.isna(lo) else f'{float(lo):.6g}'} … {'' if pd.isna(hi) else f'{float(hi):.6g}'} mm"


def feature_changes(o: Any, n: Any) -> list[tuple[str, str | None, str | None, bool | None]]:
    """What differs between two matched features (rows as dicts): ``(what, old, new, tighter)``."""
    out: list[tuple[str, str | None, str | None, bool | None]] = []
    if not _same_size(o["nominal_mm"], n["nominal_mm"]):
        out.append(("nominal", _mm(o["nominal_mm"]) or None, _mm(n["nominal_mm"]) or None, None))
    if not (
        _same_size(o["lower_limit_mm"], n["lower_limit_mm"]) and _same_size(o["upper_limit_mm"], n["upper_limit_mm"])
    ):
        tighter: bool | None = None
        ow, nw = o["tolerance_width_mm"], n["tolerance_width_mm"]
        if pd.notna(ow) and pd.notna(nw) and not _same_size(ow, nw):
            tighter = bool(nw < ow)
        out.append(
            (
                "limits",
                _limits(o["lower_limit_mm"], o["upper_limit_mm"]),
                _limits(n["lower_limit_mm"], n["upper_limit_mm"]),
                tighter,
            )
        )
    for what, col in (
        ("fit", "fit"),
        ("grade", "it_grade"),
        ("tolerance source", "tolerance_source"),
        ("quantity", "quantity"),
    ):
        a, b = _text(o[col]), _text(n[col])
        if a != b:
            out.append((what, a, b, None))
    if not out and _norm(o["label"]) != _norm(n["label"]):
        out.append(("label", _text(o["label"]), _text(n["label"]), None))
    return out


def moved_by(o: Any, n: Any) -> float | None:
    """How far a matched feature moved on the sheet (rows of :func:`feature_rows` as dicts), with
    the sheet 1 wide and 1 high; ``None`` when either is not located, infinite when the page changed.

    A callout whose text got longer grows from one of its edges or its centre, so each direction
    counts the smallest of the moves of the two edges and the centre: a box moved as a whole
    moves by that much, a box that only grew or shrank (``15`` became ``15 ±0.02``) by none.

    Examples
    --------
    >>> from werk24_frames.comparison import moved_by
    >>> box = {"page": 0, "x0": 0.40, "x1": 0.44, "cx": 0.42, "y0": 0.30, "y1": 0.32, "cy": 0.31}
    >>> round(moved_by(box, {**box, "y0": 0.40, "y1": 0.42, "cy": 0.41}), 6)  # 0.1 down
    0.1
    >>> moved_by(box, {**box, "x1": 0.50, "cx": 0.45})  # longer text, left edge in place
    0.0
    """
    cols = ("x0", "cx", "x1", "y0", "cy", "y1")
    a = [float(o[c]) for c in cols]
    b = [float(n[c]) for c in cols]
    if not all(np.isfinite(a)) or not all(np.isfinite(b)):
        return None
    if pd.notna(o["page"]) and pd.notna(n["page"]) and int(o["page"]) != int(n["page"]):
        return float("inf")
    dx = min(abs(a[k] - b[k]) for k in range(3))
    dy = min(abs(a[k] - b[k]) for k in range(3, 6))
    return float(np.hypot(dx, dy))


def _place(r: Any, page: bool) -> str:
    where = f"x {float(r['cx']):.3f}, y {float(r['cy']):.3f}"
    return f"page {int(r['page'])}: {where}" if page else where


def position_change(o: Any, n: Any, min_move: float) -> tuple[str, str, str, None] | None:
    """The ``position`` change of two matched features when they moved farther than ``min_move``
    (:func:`moved_by`): ``(what, old, new, tighter)``, the box centres as shares of the sheet's
    width and height (``x 0.412, y 0.305``, with the page when it changed)."""
    d = moved_by(o, n)
    if d is None or d <= min_move:
        return None
    page = bool(pd.notna(o["page"]) and pd.notna(n["page"]) and int(o["page"]) != int(n["page"]))
    return ("position", _place(o, page), _place(n, page), None)


def check_min_move(min_move: Any) -> float:
    """``min_move`` as a float, or a ``ValueError`` saying what it must be."""
    if isinstance(min_move, bool) or not isinstance(min_move, (int, float)) or not min_move >= 0:
        raise ValueError(
            f"min_move must be a number >= 0 (a share of the sheet; float('inf') reports no moves), got {min_move!r}"
        )
    return float(min_move)


def _weight(v: Any) -> str | None:
    return None if pd.isna(v) else f"{float(v):.4g} kg"


def _general(row: Any) -> str | None:
    parts = [_text(row.get("general_tolerance_standard")), _text(row.get("general_tolerance_class"))]
    text = " ".join(p for p in parts if p)
    return text or None


_META_ASPECTS: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
    ("designation", lambda r: _text(r.get("designation"))),
    ("material", lambda r: _text(r.get("material"))),
    ("material grade", lambda r: _text(r.get("material_grade"))),
    ("general tolerance", _general),
    ("drawing number", lambda r: _text(r.get("drawing_number"))),
)


@dataclass(frozen=True)
class Pair:
    """Two drawings to compare, and what is known about their order."""

    drawing_number: str | None
    old_id: str | None
    new_id: str | None
    old_revision: str | None
    new_revision: str | None
    revision_source: str | None


def _meta_refs(corpus: Corpus, drawing_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The reference_id of each metadata aspect (where REFERENCE_POSITIONS can place it)."""

    def first(table: str, mask: Callable[[pd.DataFrame], Any] | None = None) -> Any:
        df = corpus._rows_of(table, drawing_id)
        if mask is not None:
            df = df[mask(df).to_numpy(dtype=bool, na_value=False)]
        ids = df["reference_id"].dropna()
        return ids.iloc[0] if len(ids) else pd.NA

    material = first("materials", lambda df: df["bom_row"].isna())
    return {
        "designation": first("designations"),
        "material": material,
        "material grade": material,
        "general tolerance": meta.get("general_tolerances_reference_id", pd.NA),
        "drawing number": first("identifiers", lambda df: df["identifier_type"] == "DRAWING_NUMBER"),
    }


def diff_pair(old: Corpus, new: Corpus, pair: Pair, min_move: float = MIN_MOVE) -> list[tuple[Any, ...]]:
    """The change rows (in ``schema.RESULTS["changes"]`` order) of one pair of drawings; a matched
    feature that moved farther than ``min_move`` (:func:`moved_by`) gets a ``position`` row."""
    head = (
        pair.drawing_number,
        pair.old_id,
        pair.new_id,
        pair.old_revision,
        pair.new_revision,
        pair.revision_source,
    )
    rows: list[tuple[Any, ...]] = []

    def row(change: str, table: str, orid: Any, nrid: Any, olab: Any, nlab: Any, what: str, ov: Any, nv: Any,
            tighter: bool | None = None, ambiguous: bool = False, how: str | None = None) -> None:  # fmt: skip
        rows.append((*head, change, table, orid, nrid, _text(olab), _text(nlab), what, ov, nv, tighter, ambiguous, how))

    if pair.old_id is None or pair.new_id is None:
        side = new if pair.old_id is None else old
        did = pair.new_id if pair.old_id is None else pair.old_id
        m = side._rows_of("metadata", str(did)).iloc[0]
        change = "added" if pair.old_id is None else "removed"
        label = _text(m["source"])
        row(change, "drawings", pd.NA, pd.NA, None if change == "added" else label, label if change == "added" else None,
            "drawing", None if change == "added" else pair.drawing_number, pair.drawing_number if change == "added" else None)  # fmt: skip
        return rows

    om: dict[str, Any] = {str(k): v for k, v in old._rows_of("metadata", pair.old_id).iloc[0].items()}
    nm: dict[str, Any] = {str(k): v for k, v in new._rows_of("metadata", pair.new_id).iloc[0].items()}
    oref, nref = _meta_refs(old, pair.old_id, om), _meta_refs(new, pair.new_id, nm)
    for what, get in _META_ASPECTS:
        a, b = get(om), get(nm)
        if _norm(a) != _norm(b):
            row("changed", "metadata", oref.get(what, pd.NA), nref.get(what, pd.NA), None, None, what, a, b)
    ow, nw = om.get("weight_kg"), nm.get("weight_kg")
    if not _same_size(ow, nw) and not (pd.notna(ow) and pd.notna(nw) and abs(ow - nw) <= 5e-4 * max(ow, nw)):
        row("changed", "metadata", om.get("weight_reference_id", pd.NA), nm.get("weight_reference_id", pd.NA), None, None,
            "weight", _weight(ow), _weight(nw))  # fmt: skip
    # notes: a multiset of texts
    on = old._rows_of("notes", pair.old_id)
    nn = new._rows_of("notes", pair.new_id)
    left = list(zip(on["reference_id"], on["label"], strict=True))
    right = list(zip(nn["reference_id"], nn["label"], strict=True))
    for rid, lab in left:
        hit = next((k for k, (_, l2) in enumerate(right) if _norm(l2) == _norm(lab)), None)
        if hit is None:
            row("removed", "notes", rid, pd.NA, lab, None, "note", _text(lab), None)
        else:
            right.pop(hit)
    for rid, lab in right:
        row("added", "notes", pd.NA, rid, None, lab, "note", None, _text(lab))

    of = feature_rows(old, pair.old_id)
    nf = feature_rows(new, pair.new_id)
    orecs = of.to_dict("records")
    nrecs = nf.to_dict("records")
    for match in match_features(of, nf):
        if match.new is None and match.old is not None:
            r = orecs[match.old]
            row("removed", r["table"], r["reference_id"], pd.NA, r["label"], None, "feature", _text(r["label"]), None,
                None, match.ambiguous)  # fmt: skip
        elif match.old is None and match.new is not None:
            r = nrecs[match.new]
            row("added", r["table"], pd.NA, r["reference_id"], None, r["label"], "feature", None, _text(r["label"]),
                None, match.ambiguous)  # fmt: skip
        elif match.old is not None and match.new is not None:
            o, n = orecs[match.old], nrecs[match.new]
            found = feature_changes(o, n)
            moved = position_change(o, n, min_move)
            if moved is not None:
                found.append(moved)
            for what, a, b, tighter in found:
                row("changed", o["table"], o["reference_id"], n["reference_id"], o["label"], n["label"], what, a, b,
                    tighter, match.ambiguous, match.how)  # fmt: skip
    return rows


def changes_frame(rows: list[tuple[Any, ...]]) -> Changes:
    """The rows as a :class:`Changes` frame in the schema's columns and dtypes."""
    t = schema.RESULTS["changes"]
    cols = t.column_names
    df = pd.DataFrame.from_records(rows, columns=cols) if rows else pd.DataFrame(columns=cols)
    out = Changes({c.name: pd.array(df[c.name].tolist(), dtype=schema.pandas_dtype(c.dtype)) for c in t.columns})
    return out
