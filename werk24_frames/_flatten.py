"""Flatteners: raw Werk24 responses in, typed column data out.

One explicit extractor per entity with a fixed column order (the order of
:mod:`werk24_frames.schema`), rows collected as tuples and turned into typed columns once per
table. No per-row dicts, no ``json_normalize``. A flattener never opens a file: it is handed
the parsed responses by :mod:`werk24_frames._sources`.

Leniency: whatever does not fit (a value that is no number, a sub-object that is no object, an
item that is no object, a list we do not know) becomes a ``problems`` row naming where it sat,
and loading goes on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from ._sources import Drawing, Entry, ProblemRow

__all__ = ["GDNT_NAMES", "IMAGE_ASKS", "Flattener"]

NAN = math.nan
_INT64 = 2**63
_TEXT_TYPES = {str, type(None)}


class _Ctx:
    """Where the flattener is: used to name the place of every problem."""

    __slots__ = ("drawing_id", "extra", "index", "page", "prefix", "problems", "source")

    def __init__(self, problems: list[ProblemRow]) -> None:
        self.problems = problems
        self.drawing_id = ""
        self.source = ""
        self.page = 0
        self.prefix = ""
        self.index: int | None = None
        self.extra: dict[str, list[tuple[Any, ...]]] = {}

    def where(self, path: str = "") -> str:
        loc = self.prefix if self.index is None else f"{self.prefix}[{self.index}]"
        return f"{loc}.{path}" if path else loc

    def note(self, path: str, message: str, severity: str = "warning") -> None:
        self.problems.append((self.drawing_id, self.source, self.page, self.where(path), message, severity))


def _kind(v: Any) -> str:
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        return f"the text {v[:40]!r}"
    if v is None:
        return "null"
    return f"the value {v!r}"


def _f(v: Any, ctx: _Ctx, path: str) -> float:
    """A number from Werk24's decimals (strings), ints or floats; NaN with a problem otherwise."""
    if v is None:
        return NAN
    t = type(v)
    if t is float:
        return v
    if t is not bool:
        try:
            return float(v)
        except (TypeError, ValueError, OverflowError):
            pass
    ctx.note(path, f"expected a number, got {_kind(v)}; left NA")
    return NAN


def _i(v: Any, ctx: _Ctx, path: str) -> int | None:
    """A whole number that fits Int64, or None (NA) with a problem."""
    if v is None:
        return None
    t = type(v)
    if t is int and -_INT64 <= v < _INT64:
        return v
    if t is not bool and t is not int:
        try:
            x = float(v)
            if x.is_integer() and -_INT64 <= x < _INT64:
                return int(x)
        except (TypeError, ValueError, OverflowError):
            pass
    ctx.note(path, f"expected a whole number, got {_kind(v)}; left NA")
    return None


def _obj(v: Any, ctx: _Ctx, path: str) -> dict[str, Any] | None:
    if v is None or type(v) is dict:
        return v
    ctx.note(path, f"expected an object, got {_kind(v)}; its columns are NA")
    return None


def _lst(v: Any, ctx: _Ctx, path: str) -> list[Any]:
    if type(v) is list:
        return v
    if v is None:
        return []
    ctx.note(path, f"expected a list, got {_kind(v)}; nothing read from it", "error")
    return []


# --------------------------------------------------------------------------------------
# Building blocks: confidence, size, quantity, depth
# --------------------------------------------------------------------------------------


def _head(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    c = it.get("confidence")
    score = c.get("score") if type(c) is dict else c
    return (
        _i(it.get("reference_id"), ctx, "reference_id"),
        it.get("label"),
        _i(it.get("quantity"), ctx, "quantity"),
        _f(score, ctx, "confidence.score"),
    )


_NO_TOLERANCE = (NAN, NAN, None, None, False, False, False, False)
_NO_SIZE = (NAN, None, None) + _NO_TOLERANCE


def _size(s: Any, ctx: _Ctx, path: str, assume_unit: str | None = None) -> tuple[Any, ...]:
    """The 11 size columns of a ``Size`` object."""
    if type(s) is dict:
        t = s.get("tolerance")
        if type(t) is dict:
            tol = (
                _f(t.get("deviation_lower"), ctx, f"{path}.tolerance.deviation_lower"),
                _f(t.get("deviation_upper"), ctx, f"{path}.tolerance.deviation_upper"),
                t.get("tolerance_grade"),
                t.get("fit"),
                t.get("is_general_tolerance", False),
                t.get("is_theoretically_exact", False),
                t.get("is_reference", False),
                t.get("is_approximation", False),
            )
        else:
            if t is not None:
                ctx.note(f"{path}.tolerance", f"expected an object, got {_kind(t)}; no tolerance read")
            tol = _NO_TOLERANCE
        return (_f(s.get("value"), ctx, f"{path}.value"), s.get("unit"), s.get("size_type")) + tol
    if s is None:
        ctx.note(path, "no size given; the size columns are NA")
        return _NO_SIZE
    if type(s) in (str, int, float):
        value = _f(s, ctx, path)
        unit = assume_unit
        how = f"read as {unit}" if unit else "its unit is unknown"
        ctx.note(path, f"given as a bare value {s!r}, not a size object (API docs format); {how}", "info")
        return (value, unit, None) + _NO_TOLERANCE
    ctx.note(path, f"expected a size object, got {_kind(s)}; the size columns are NA")
    return _NO_SIZE


def _qty(v: Any, ctx: _Ctx, path: str) -> tuple[float, Any]:
    """``(value, unit)`` of a Quantity or Size object."""
    if type(v) is dict:
        return _f(v.get("value"), ctx, f"{path}.value"), v.get("unit")
    if v is None:
        return NAN, None
    if type(v) in (str, int, float):
        ctx.note(path, f"given as a bare value {v!r}, not an object; its unit is unknown", "info")
        return _f(v, ctx, path), None
    ctx.note(path, f"expected an object with value and unit, got {_kind(v)}; left NA")
    return NAN, None


def _depth(d: Any, ctx: _Ctx, path: str) -> tuple[Any, float, Any]:
    """``(depth_type, value, unit)`` of a Depth; also the flat form of the API docs."""
    if type(d) is dict:
        if "size" in d or "value" not in d:
            value, unit = _qty(d.get("size"), ctx, f"{path}.size")
        else:
            ctx.note(path, "flat depth (value and unit beside depth_type, API docs format); read as its size", "info")
            value, unit = _f(d.get("value"), ctx, f"{path}.value"), d.get("unit")
        return d.get("depth_type"), value, unit
    if d is None:
        return None, NAN, None
    ctx.note(path, f"expected a depth object, got {_kind(d)}; left NA")
    return None, NAN, None


# --------------------------------------------------------------------------------------
# FEATURES extractors: each returns the table's columns after drawing_id, source, page,
# item_index, in schema order.
# --------------------------------------------------------------------------------------


def _dimension(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return _head(it, ctx) + _size(it.get("size"), ctx, "size")


def _chamfer(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return _head(it, ctx) + _size(it.get("size"), ctx, "size") + _qty(it.get("angle"), ctx, "angle")


def _radius(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return _head(it, ctx) + _size(it.get("size"), ctx, "size") + (it.get("curvature_type"),)


_METRIC_THREADS = ("ISO_METRIC", "SM")
_THREAD_SIZE_KEYS = ("uts_size", "npt_size", "acme_size", "knuckle_size", "sm_size", "whitworth_size")
_THREAD_SERIES_KEYS = ("uts_series", "npt_series", "acme_series", "knuckle_series")


def _first(it: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = it.get(k)
        if v is not None:
            return v
    return None


def _class_of(t: Any) -> Any:
    if type(t) is dict:
        return t.get("fit") or t.get("tolerance_grade")
    return None


def _thread(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    tt = it.get("thread_type")
    size = _size(it.get("diameter"), ctx, "diameter", "mm" if tt in _METRIC_THREADS else None)
    sp = _obj(it.get("spacing"), ctx, "spacing") or {}
    designation = _first(it, _THREAD_SIZE_KEYS)
    if designation is None and tt == "ISO_METRIC" and not math.isnan(size[0]):
        designation = f"M{size[0]:g}"
    elif designation is not None and type(designation) is not str:
        designation = f"{_f(designation, ctx, 'size'):g}"
    tclass = it.get("uts_tolerance_class") or it.get("whitworth_tolerance_class")
    if tclass is None and tt == "ISO_METRIC":
        male = _class_of(it.get("male_pitch_diameter_tolerance")) or _class_of(it.get("male_major_diameter_tolerance"))
        female = _class_of(it.get("female_pitch_diameter_tolerance")) or _class_of(
            it.get("female_major_diameter_tolerance")
        )
        parts = [p for p in (male, female) if p]
        tclass = "/".join(str(p) for p in parts) or None
    return (
        _head(it, ctx)
        + size
        + (
            tt,
            it.get("handedness"),
            _f(sp.get("pitch_in_mm"), ctx, "spacing.pitch_in_mm"),
            _f(sp.get("threads_per_inch"), ctx, "spacing.threads_per_inch"),
            designation,
            _first(it, _THREAD_SERIES_KEYS),
            tclass,
            it.get("knuckle_profile"),
        )
        + _depth(it.get("depth"), ctx, "depth")
    )


def _bore(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    thread = it.get("thread")
    if type(thread) is dict:
        thread_ref = _i(thread.get("reference_id"), ctx, "thread.reference_id")
    else:
        thread_ref = _i(thread, ctx, "thread") if thread is not None else None
    cb = _obj(it.get("counterbore"), ctx, "counterbore") or {}
    cs = _obj(it.get("countersink"), ctx, "countersink") or {}
    cd = _obj(it.get("counterdrill"), ctx, "counterdrill") or {}
    return (
        _head(it, ctx)
        + _size(it.get("diameter"), ctx, "diameter")
        + _depth(it.get("depth"), ctx, "depth")
        + (thread_ref,)
        + _qty(cb.get("diameter"), ctx, "counterbore.diameter")
        + _depth(cb.get("depth"), ctx, "counterbore.depth")
        + _qty(cs.get("diameter"), ctx, "countersink.diameter")
        + _qty(cs.get("angle"), ctx, "countersink.angle")
        + _qty(cd.get("diameter"), ctx, "counterdrill.diameter")
        + _depth(cd.get("depth"), ctx, "counterdrill.depth")
        + _qty(cd.get("angle"), ctx, "counterdrill.angle")
    )


GDNT_NAMES: dict[str, str] = {
    "∠": "angularity",
    "↗": "circular runout",
    "○": "circularity",
    "◎": "concentricity",
    "⌭": "cylindricity",
    "[DATUM]": "datum",
    "⏥": "flatness",
    "∥": "parallelism",
    "⟂": "perpendicularity",
    "⌖": "position",
    "⌒": "profile of a line",
    "⌓": "profile of a surface",
    "⏤": "straightness",
    "⌯": "symmetry",
    "⌰": "total runout",
    # Other code points for the same symbols, as OCR or hand-written JSON may give them.
    "⊥": "perpendicularity",
    "//": "parallelism",
    "⊕": "position",
    "▱": "flatness",
}
# The enum member names too (``POSITION``), as some exports write them.
GDNT_NAMES.update({name.upper().replace(" ", "_"): name for name in set(GDNT_NAMES.values())})

_ZONE_SHAPES = {"DIAMETER": "diameter", "SPHERICAL_DIAMETER": "spherical"}


def _gdnt(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    ch = it.get("characteristic")
    name = GDNT_NAMES.get(ch) if type(ch) is str else None
    zone = _obj(it.get("zone"), ctx, "zone") or {}
    zv = zone.get("value")
    value, unit = _qty(zv, ctx, "zone.value")
    shape = None
    if type(zv) is dict:
        st = zv.get("size_type")
        shape = _ZONE_SHAPES.get(str(st), "width") if st is not None or not math.isnan(value) else None
    ext = zone.get("extend")
    extent = _f(ext.get("value"), ctx, "zone.extend.value") if type(ext) is dict else NAN
    feat = _obj(it.get("feature"), ctx, "feature") or {}
    ref = _obj(it.get("reference"), ctx, "reference") or {}
    datums = _lst(it.get("datums"), ctx, "datums")
    labels = []
    for j, dat in enumerate(datums):
        lab = dat.get("label") if type(dat) is dict else dat
        if type(lab) is str:
            labels.append(lab)
        else:
            ctx.note(f"datums[{j}]", f"expected a datum with a label, got {_kind(dat)}; not in `datums`")
    return _head(it, ctx) + (
        ch,
        name,
        value,
        unit,
        shape,
        zone.get("combination"),
        zone.get("offset"),
        zone.get("constraint"),
        extent,
        it.get("material_condition"),
        it.get("state"),
        feat.get("filter"),
        feat.get("associated_feature"),
        feat.get("derived_feature"),
        ref.get("association"),
        ref.get("parameter"),
        "|".join(labels) if labels else None,
        len(labels),
    )


def _condition(c: dict[str, Any], ctx: _Ctx, path: str) -> tuple[Any, ...]:
    return (
        c.get("condition_type"),
        c.get("filter_type"),
        c.get("parameter"),
        *_qty(c.get("value"), ctx, f"{path}.value"),
        c.get("roughness_grade"),
        c.get("acceptance_criterion"),
        *_qty(c.get("lambda_s"), ctx, f"{path}.lambda_s"),
        *_qty(c.get("lambda_c"), ctx, f"{path}.lambda_c"),
        *_qty(c.get("evaluation_length"), ctx, f"{path}.evaluation_length"),
    )


def _roughness(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    conds = _lst(it.get("conditions"), ctx, "conditions")
    rid = _i(it.get("reference_id"), ctx, "reference_id")
    main: tuple[Any, ...] = (None, NAN, None, None, None)
    sink = ctx.extra["roughness_conditions"]
    n = 0
    for j, c in enumerate(conds):
        if type(c) is not dict:
            ctx.note(f"conditions[{j}]", f"expected a condition object, got {_kind(c)}; skipped", "error")
            continue
        row = _condition(c, ctx, f"conditions[{j}]")
        sink.append((ctx.drawing_id, ctx.source, ctx.page, ctx.index, rid, j) + row)
        if n == 0:
            main = (row[2], row[3], row[4], row[5], row[0])
        n += 1
    wav = _obj(it.get("waviness"), ctx, "waviness") or {}
    return (
        _head(it, ctx)
        + (
            it.get("standard"),
            it.get("material_removal_type"),
            it.get("applies_all_around"),
            it.get("direction_of_lay"),
            it.get("manufacturing_process"),
        )
        + _qty(it.get("machining_allowance"), ctx, "machining_allowance")
        + main
        + (n,)
        + _qty(wav.get("height"), ctx, "waviness.height")
        + _qty(wav.get("width"), ctx, "waviness.width")
    )


def _undercut(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (
        _head(it, ctx)
        + (it.get("undercut_type"), it.get("standard"), it.get("form"))
        + _qty(it.get("radius"), ctx, "radius")
        + _qty(it.get("depth"), ctx, "depth")
    )


def _key_slot(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (
        _head(it, ctx)
        + (it.get("standard"), it.get("form"))
        + _qty(it.get("key_width"), ctx, "key_width")
        + _qty(it.get("key_height"), ctx, "key_height")
        + _qty(it.get("key_length"), ctx, "key_length")
    )


def _center_hole(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (
        _head(it, ctx)
        + (it.get("standard"), it.get("form"))
        + _qty(it.get("pilot_diameter"), ctx, "pilot_diameter")
        + _qty(it.get("outer_diameter"), ctx, "outer_diameter")
        + (it.get("requirement"),)
    )


def _fastener(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    th = _obj(it.get("thread"), ctx, "thread") or {}
    return (
        _head(it, ctx)
        + (
            it.get("fastener_type"),
            it.get("designation"),
            it.get("standard"),
            it.get("manufacturer"),
            it.get("note"),
            th.get("thread_type"),
            th.get("label"),
        )
        + _qty(th.get("diameter"), ctx, "thread.diameter")
        + _qty(it.get("length"), ctx, "length")
    )


Extractor = Callable[[dict[str, Any], _Ctx], tuple[Any, ...]]

FEATURE_EXTRACTORS: dict[str, Extractor] = {
    "dimensions": _dimension,
    "threads": _thread,
    "bores": _bore,
    "chamfers": _chamfer,
    "radii": _radius,
    "gdnts": _gdnt,
    "roughnesses": _roughness,
    "undercuts": _undercut,
    "key_slots": _key_slot,
    "center_holes": _center_hole,
    "fasteners": _fastener,
}

# --------------------------------------------------------------------------------------
# META_DATA extractors
# --------------------------------------------------------------------------------------


def _identifier(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (
        _i(it.get("reference_id"), ctx, "reference_id"),
        it.get("identifier_type"),
        it.get("value"),
        it.get("language"),
        it.get("stakeholder"),
        it.get("period"),
    )


def _designation(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (_i(it.get("reference_id"), ctx, "reference_id"), it.get("value"), it.get("language"))


def _note(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    c = it.get("confidence")
    score = c.get("score") if type(c) is dict else c
    return (
        _i(it.get("reference_id"), ctx, "reference_id"),
        it.get("label"),
        _f(score, ctx, "confidence.score"),
        it.get("note_type"),
    )


def _certification(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (it.get("certification_type"), it.get("raw_ocr"))


def _first_material(options: Any) -> dict[str, Any]:
    if type(options) is list and options and type(options[0]) is dict:
        comb = options[0].get("material_combination")
        if type(comb) is list and comb and type(comb[0]) is dict:
            return comb[0]
    return {}


def _category(m: dict[str, Any], k: int) -> Any:
    cat = m.get("material_category")
    if isinstance(cat, (list, tuple)) and len(cat) > k:
        return cat[k]
    return None


def _bom_row(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    opts = it.get("material_options")
    fast = _obj(it.get("fastener"), ctx, "fastener") or {}
    return (
        it.get("position"),
        it.get("part_number"),
        it.get("designation"),
        *_qty(it.get("quantity"), ctx, "quantity"),
        *_qty(it.get("unit_weight"), ctx, "unit_weight"),
        _first_material(opts).get("designation"),
        len(opts) if type(opts) is list else 0,
        fast.get("fastener_type"),
        fast.get("designation"),
    )


_META_LISTS: dict[str, tuple[str, Extractor]] = {
    "identifiers": ("identifiers", _identifier),
    "designation": ("designations", _designation),
    "notes": ("notes", _note),
    "certifications": ("certifications", _certification),
}

_IDENTIFIER_PREFERENCE = (
    "DRAWING_NUMBER",
    "DOCUMENT_NUMBER",
    "PART_NUMBER",
    "ITEM_NUMBER",
    "PRODUCT_NUMBER",
    "NUMBER",
)

# --------------------------------------------------------------------------------------
# INSIGHTS extractors
# --------------------------------------------------------------------------------------

_DOCS_PROCESSES = {"TurningProcess": "TURNING", "MillingProcess": "MILLING", "CuttingProcess": "CUTTING"}


def _envelope(b: Any, ctx: _Ctx, path: str) -> tuple[Any, ...]:
    b = _obj(b, ctx, path)
    if not b:
        return (None, NAN, NAN, NAN, NAN, None, None)
    cub = _obj(b.get("enclosing_cuboid"), ctx, f"{path}.enclosing_cuboid")
    cyl = _obj(b.get("enclosing_cylinder"), ctx, f"{path}.enclosing_cylinder")
    width = height = depth = diameter = NAN
    unit = shape = None
    if cyl:
        shape = "CYLINDER"
        diameter, unit = _qty(cyl.get("diameter"), ctx, f"{path}.enclosing_cylinder.diameter")
        depth, _u = _qty(cyl.get("depth"), ctx, f"{path}.enclosing_cylinder.depth")
    if cub:
        shape = "CUBOID"
        width, unit = _qty(cub.get("width"), ctx, f"{path}.enclosing_cuboid.width")
        height, _u = _qty(cub.get("height"), ctx, f"{path}.enclosing_cuboid.height")
        depth, _u = _qty(cub.get("depth"), ctx, f"{path}.enclosing_cuboid.depth")
    return (shape, width, height, depth, diameter, unit, b.get("annotations_complete", True))


def _process(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    cats = _lst(it.get("process_category"), ctx, "process_category")
    cats = [str(c) for c in cats if c is not None]
    c = it.get("confidence")
    score = c.get("score") if type(c) is dict else c
    return (
        _i(it.get("reference_id"), ctx, "reference_id"),
        it.get("label"),
        _f(score, ctx, "confidence.score"),
        cats[-1] if cats else None,
        cats[0] if cats else None,
        " > ".join(cats) if cats else None,
    )


# --------------------------------------------------------------------------------------
# REFERENCE_POSITIONS
# --------------------------------------------------------------------------------------


def _position(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    rid = _i(it.get("reference_id"), ctx, "reference_id")
    poly = _obj(it.get("polygon"), ctx, "polygon")
    if not poly:
        return (rid, None, NAN, NAN, NAN, NAN, None)
    pts = []
    for j, p in enumerate(_lst(poly.get("coordinates"), ctx, "polygon.coordinates")):
        if type(p) in (list, tuple) and len(p) == 2:
            x = _f(p[0], ctx, f"polygon.coordinates[{j}][0]")
            y = _f(p[1], ctx, f"polygon.coordinates[{j}][1]")
            if not (math.isnan(x) or math.isnan(y)):
                pts.append((x, y))
                continue
        else:
            ctx.note(f"polygon.coordinates[{j}]", f"expected an [x, y] pair, got {_kind(p)}; point skipped")
    if not pts:
        return (rid, poly.get("coordinate_space"), NAN, NAN, NAN, NAN, None)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (rid, poly.get("coordinate_space"), min(xs), min(ys), max(xs), max(ys), pts)


# --------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------

IMAGE_ASKS: dict[str, str] = {
    "SHEET_IMAGES": "sheet",
    "VIEW_IMAGES": "view",
    "PAGE_THUMBNAIL": "page",
    "SHEET_THUMBNAIL": "sheet",
    "CANVAS_THUMBNAIL": "canvas",
    "SECTIONAL_THUMBNAIL": "sectional",
    "SHEET_ANONYMIZATION": "sheet",
}
_IMAGE_IDS = ("page_id", "sheet_id", "canvas_id", "sectional_id", "view_id")
# Asks Werk24 answers that have no table (yet): their answers stay in raw_responses().
_UNTABULATED = {"BALLOONS", "REDACTION", "DOCUMENT_PROFILE", "PAGE_ASSESSMENT", "CUSTOM"}

_HEADER_KEYS = {"ask_version", "ask_type", "page_type"}
_KNOWN_ASKS = {"FEATURES", "META_DATA", "INSIGHTS", "REFERENCE_POSITIONS", *IMAGE_ASKS, *_UNTABULATED}
_KNOWN_KEYS = {
    "FEATURES": _HEADER_KEYS | set(FEATURE_EXTRACTORS),
    "META_DATA": _HEADER_KEYS
    | {
        "bill_of_material",
        "certifications",
        "designation",
        "identifiers",
        "general_roughness",
        "general_tolerances",
        "languages",
        "material_options",
        "notes",
        "projection_method",
        "unit_systems",
        "weight",
    },
    "INSIGHTS": _HEADER_KEYS
    | {
        "dimensions_before_processing",
        "dimensions_after_processing",
        "primary_process_options",
        "secondary_processes",
        "volume_estimate",
    },
    "REFERENCE_POSITIONS": _HEADER_KEYS | {"reference_positions"},
}
# Which ask a response without ``ask_type`` most likely answers, by a key only it has.
_TELLTALE_KEYS = {
    "dimensions": "FEATURES",
    "threads": "FEATURES",
    "gdnts": "FEATURES",
    "identifiers": "META_DATA",
    "material_options": "META_DATA",
    "general_tolerances": "META_DATA",
    "primary_process_options": "INSIGHTS",
    "secondary_processes": "INSIGHTS",
    "reference_positions": "REFERENCE_POSITIONS",
}


# --------------------------------------------------------------------------------------
# The flattener
# --------------------------------------------------------------------------------------


class Flattener:
    """Collects the rows of every table from drawings handed to it, one drawing at a time."""

    # Every table but the two the corpus derives (``features``, ``problems``) has rows here.
    _ROW_TABLES = tuple(t for t in schema.TABLES if t not in ("features", "problems"))

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in self._ROW_TABLES}
        self.problems: list[ProblemRow] = []
        self.image_bytes: dict[tuple[str, str, int, int], bytes] = {}
        self.drawing_ids: list[str] = []
        self._ctx = _Ctx(self.problems)
        self._ctx.extra = self.rows

    # -- one drawing ---------------------------------------------------------------

    def add(self, d: Drawing) -> None:
        """Flatten every answer of one drawing."""
        self.drawing_ids.append(d.drawing_id)
        self.problems.extend(d.problems)
        ctx = self._ctx
        ctx.drawing_id, ctx.source = d.drawing_id, d.source
        first_meta: Entry | None = None
        asks: set[str] = set()
        max_page = -1
        image_counts: dict[tuple[str, int], int] = {}
        for e in d.entries:
            ctx.source, ctx.page, ctx.index = e.source, e.page, None
            ask = e.ask_type
            payload = e.payload
            base = f"{e.location}: " if e.location else ""
            self._exceptions(e, ctx, base)
            if e.message_type not in (None, "ASK"):
                if e.message_type == "ERROR":
                    ctx.prefix = f"{base}{ask or 'ERROR'}"
                    ctx.note("", "an ERROR message without details; the answer was lost", "error")
                continue  # PROGRESS messages carry no drawing data
            if payload is not None and type(payload) is not dict:
                ctx.prefix = f"{base}{ask or 'response'}"
                ctx.note("", f"the answer is not a JSON object but {_kind(payload)}; skipped", "error")
                continue
            ask = self._resolve_ask(e, payload, ctx, base)
            if ask is None:
                continue
            asks.add(ask)
            max_page = max(max_page, e.page)
            # Problems about the answer as a whole name its place in the file (``line 3: ``);
            # those inside it name the JSON path below the ask, with the page beside it.
            ctx.prefix = f"{base}{ask}"
            if ask in IMAGE_ASKS or e.payload_url or e.payload_path or e.payload_bytes:
                self._image(d, e, ask, image_counts)
                if ask in IMAGE_ASKS:
                    continue
            if payload is None:
                if not e.exceptions:
                    ctx.note("", "the answer carries no payload", "warning")
                continue
            if ask in _UNTABULATED:
                ctx.note("", f"{ask} answers have no table; the answer is in raw_responses()", "info")
                continue
            if ask not in _KNOWN_KEYS:
                ctx.note("", f"{ask} answers are not tabulated; the answer is in raw_responses()", "warning")
                continue
            ctx.prefix = ask
            if ask == "FEATURES":
                self._features(payload, ctx)
            elif ask == "META_DATA":
                self._meta_lists(payload, ctx)
                if first_meta is None:
                    first_meta = e
                else:
                    ctx.prefix = f"{base}{ask}"
                    ctx.note(
                        "",
                        f"a further META_DATA answer (page {e.page}); its lists are in the tables, "
                        f"`metadata` uses page {first_meta.page}",
                        "info",
                    )
            elif ask == "INSIGHTS":
                self._insights(payload, ctx)
            elif ask == "REFERENCE_POSITIONS":
                self._items("reference_positions", "positions", _position, payload, ctx)
                self._unknown_lists(payload, ask, ctx)
        self._metadata(d, first_meta, asks, max_page)

    def _resolve_ask(self, e: Entry, payload: Any, ctx: _Ctx, base: str) -> str | None:
        """Which ask an answer answers: its ``ask_type``, else the message's subtype, else its
        keys. None (with a problem row) when it cannot be told."""
        stated = payload.get("ask_type") if type(payload) is dict else None
        if type(stated) is str and stated in _KNOWN_ASKS:
            return stated
        subtype = e.ask_type if e.ask_type in _KNOWN_ASKS else None
        if type(payload) is not dict:
            if subtype or e.ask_type:
                return subtype or e.ask_type
            if e.payload_url or e.payload_path or e.payload_bytes:
                return "SHEET_IMAGES"
            ctx.prefix = f"{base}response"
            ctx.note("", "an answer without ask type or payload; nothing to read", "warning")
            return None
        guess = subtype or next((a for k, a in _TELLTALE_KEYS.items() if k in payload), None)
        if stated is None and guess is not None:
            if subtype is None:
                ctx.prefix = f"{base}{guess}"
                ctx.note("ask_type", f"no ask_type; read as {guess} from its keys", "info")
            return guess
        if stated is not None:
            label = stated if type(stated) is str else _kind(stated)
            ctx.prefix = f"{base}{guess or label}"
            if guess is not None:
                ctx.note("ask_type", f"unknown ask_type {label!r}; read as {guess}", "warning")
                return guess
            ctx.prefix = f"{base}{label}"
            ctx.note("", f"unknown ask type {label!r}: not tabulated, the answer is in raw_responses()", "warning")
            return None
        ctx.prefix = f"{base}response"
        keys = ", ".join(list(payload)[:6])
        ctx.note("", f"not a Werk24 response (no ask_type; keys: {keys}); skipped", "error")
        return None

    def _exceptions(self, e: Entry, ctx: _Ctx, base: str) -> None:
        for j, exc in enumerate(e.exceptions):
            ctx.prefix, ctx.index = f"{base}{e.ask_type or 'message'}.exceptions", j
            if type(exc) is not dict:
                exc = {"exception_type": str(exc)}
            level = str(exc.get("exception_level") or "ERROR").upper()
            etype = exc.get("exception_type") or "unknown exception"
            where = exc.get("ask_type") or e.ask_type
            reason = exc.get("reason")
            msg = f"Werk24 reported {etype} ({level})"
            if where:
                msg += f" on {where}"
            msg += f", page {e.page}"
            if reason:
                msg += f": {reason}"
            severity = {"ERROR": "error", "WARNING": "warning"}.get(level, "info")
            if severity == "error" and e.payload is None:
                msg += "; the answer was lost"
            ctx.note("", msg, severity)
        ctx.index = None

    # -- lists ---------------------------------------------------------------------

    def _items(
        self,
        key: str,
        table: str,
        fn: Extractor,
        payload: dict[str, Any],
        ctx: _Ctx,
    ) -> None:
        prefix = ctx.prefix
        items = payload.get(key)
        if items is None:
            return
        if type(items) is not list:
            ctx.note(key, f"expected a list, got {_kind(items)}; nothing read from it", "error")
            return
        ctx.prefix = f"{prefix}.{key}"
        rows = self.rows[table]
        did, src, page = ctx.drawing_id, ctx.source, ctx.page
        for i, it in enumerate(items):
            ctx.index = i
            if type(it) is dict:
                try:
                    rows.append((did, src, page, i) + fn(it, ctx))
                except Exception as exc:  # pragma: no cover - a bug must not cost the batch
                    ctx.note("", f"could not read this item ({type(exc).__name__}: {exc}); skipped", "error")
            else:
                ctx.note("", f"expected an object, got {_kind(it)}; the item was skipped", "error")
        ctx.prefix, ctx.index = prefix, None

    def _unknown_lists(self, payload: dict[str, Any], ask: str, ctx: _Ctx) -> None:
        known = _KNOWN_KEYS[ask]
        for key, value in payload.items():
            if key in known or type(value) is not list:
                continue
            featurelike = [type(v) is dict for v in value]
            n = len(value)
            if n and all(featurelike):
                ctx.note(
                    key,
                    f"unknown list {key!r} with {n} item(s); kept in `other_features`",
                    "info",
                )
                self._other(key, ask, value, ctx)
            elif n:
                ctx.note(
                    key,
                    f"unknown list {key!r} with {n} item(s) that are not objects; not tabulated, see raw_responses()",
                    "warning",
                )

    def _other(self, key: str, ask: str, items: list[Any], ctx: _Ctx) -> None:
        import orjson

        prefix = ctx.prefix
        ctx.prefix = f"{prefix}.{key}"
        rows = self.rows["other_features"]
        for i, it in enumerate(items):
            ctx.index = i
            try:
                raw: str | None = orjson.dumps(it, default=str).decode()
            except TypeError as exc:  # nested deeper than orjson writes, an int beyond 64 bits...
                raw = None
                ctx.note("", f"the item cannot be kept as JSON text ({exc}); `raw` left NA", "warning")
            rows.append((ctx.drawing_id, ctx.source, ctx.page, i, ask, key) + _head(it, ctx) + (raw,))
        ctx.prefix, ctx.index = prefix, None

    def _features(self, payload: dict[str, Any], ctx: _Ctx) -> None:
        for key, fn in FEATURE_EXTRACTORS.items():
            if key in payload:
                self._items(key, key, fn, payload, ctx)
        self._unknown_lists(payload, "FEATURES", ctx)

    def _meta_lists(self, p: dict[str, Any], ctx: _Ctx) -> None:
        for key, (table, fn) in _META_LISTS.items():
            if key in p:
                self._items(key, table, fn, p, ctx)
        self._materials(p, ctx)
        bom = p.get("bill_of_material")
        if bom is not None:
            if type(bom) is dict:
                prefix = ctx.prefix
                ctx.prefix = f"{prefix}.bill_of_material"
                self._items("rows", "bill_of_material", _bom_row, bom, ctx)
                ctx.prefix = prefix
            else:
                ctx.note("bill_of_material", f"expected an object, got {_kind(bom)}; not read", "error")
        self._unknown_lists(p, "META_DATA", ctx)

    def _materials(self, p: dict[str, Any], ctx: _Ctx) -> None:
        options = p.get("material_options")
        if options is None:
            return
        prefix = ctx.prefix
        rows = self.rows["materials"]
        for i, opt in enumerate(_lst(options, ctx, "material_options")):
            ctx.prefix, ctx.index = f"{prefix}.material_options", i
            if type(opt) is not dict:
                ctx.note("", f"expected a material option object, got {_kind(opt)}; skipped", "error")
                continue
            rid = _i(opt.get("reference_id"), ctx, "reference_id")
            comb = opt.get("material_combination")
            if type(comb) is not list:
                ctx.note("material_combination", f"expected a list, got {_kind(comb)}; option skipped", "error")
                continue
            for j, m in enumerate(comb):
                if type(m) is not dict:
                    ctx.note(f"material_combination[{j}]", f"expected a material, got {_kind(m)}; skipped", "error")
                    continue
                rows.append(
                    (
                        ctx.drawing_id,
                        ctx.source,
                        ctx.page,
                        i,
                        rid,
                        i,
                        j,
                        m.get("designation"),
                        m.get("standard"),
                        m.get("raw_ocr"),
                        _category(m, 0),
                        _category(m, 1),
                        _category(m, 2),
                        m.get("origin"),
                    )
                )
        ctx.prefix, ctx.index = prefix, None

    def _insights(self, p: dict[str, Any], ctx: _Ctx) -> None:
        procs: list[str] = []
        milling = bending = None
        axes = None
        for j, o in enumerate(_lst(p.get("primary_process_options"), ctx, "primary_process_options")):
            path = f"primary_process_options[{j}]"
            if type(o) is not dict:
                ctx.note(path, f"expected a process option, got {_kind(o)}; skipped", "error")
                continue
            name = o.get("primary_process")
            if name is None and o.get("process") is not None:
                docs = o.get("process")
                name = _DOCS_PROCESSES.get(str(docs), docs)
                ctx.note(f"{path}.process", f"`process: {docs!r}` (API docs format) read as {name}", "info")
            if name is None:
                name = "TURNING" if "requires_secondary_milling" in o else "MILLING" if "axis_count" in o else None
            if name is not None:
                procs.append(str(name))
            if "requires_secondary_milling" in o and milling is None:
                milling = o.get("requires_secondary_milling")
            if "requires_bending" in o and bending is None:
                bending = o.get("requires_bending")
            if o.get("axis_count") is not None and axes is None:
                axes = _i(o.get("axis_count"), ctx, f"{path}.axis_count")
        secondary = p.get("secondary_processes")
        self._items("secondary_processes", "processes", _process, p, ctx)
        vol = _obj(p.get("volume_estimate"), ctx, "volume_estimate") or {}
        self.rows["insights"].append(
            (
                ctx.drawing_id,
                ctx.source,
                ctx.page,
                procs[0] if procs else None,
                "|".join(procs) if procs else None,
                milling,
                bending,
                axes,
                len(secondary) if type(secondary) is list else 0,
                *_qty(vol or None, ctx, "volume_estimate"),
                vol.get("volume_estimate_type"),
                *_envelope(p.get("dimensions_before_processing"), ctx, "dimensions_before_processing"),
                *_envelope(p.get("dimensions_after_processing"), ctx, "dimensions_after_processing"),
            )
        )
        self._unknown_lists(p, "INSIGHTS", ctx)

    def _metadata(self, d: Drawing, e: Entry | None, asks: set[str], max_page: int) -> None:
        ctx = self._ctx
        p: dict[str, Any] = e.payload if e is not None and type(e.payload) is dict else {}
        if e is not None:
            ctx.source, ctx.page, ctx.index = e.source, e.page, None
            ctx.prefix = "META_DATA"
        ids = p.get("identifiers")
        by_type: dict[str, str] = {}
        first_id = None
        if type(ids) is list:
            for it in ids:
                if type(it) is dict and type(it.get("value")) is str:
                    by_type.setdefault(str(it.get("identifier_type")), it["value"])
                    first_id = first_id or it["value"]
        number = next((by_type[t] for t in _IDENTIFIER_PREFERENCE if t in by_type), first_id)
        des = p.get("designation")
        designation = None
        if type(des) is list:
            designation = next((x.get("value") for x in des if type(x) is dict and x.get("value")), None)
        elif type(des) is str:
            designation = des
        opts = p.get("material_options")
        mat = _first_material(opts)
        weight = _obj(p.get("weight"), ctx, "weight") or {}
        gt = _obj(p.get("general_tolerances"), ctx, "general_tolerances") or {}
        gr = _obj(p.get("general_roughness"), ctx, "general_roughness") or {}
        pm = p.get("projection_method")
        projection = pm.get("projection_method") if type(pm) is dict else pm
        us = p.get("unit_systems")
        units = None
        if type(us) is list:
            vals = [str(u.get("unit_system_type")) for u in us if type(u) is dict and u.get("unit_system_type")]
            units = "|".join(dict.fromkeys(vals)) or None
        langs = p.get("languages")
        languages = "|".join(str(x) for x in langs) or None if type(langs) is list else None
        self.rows["metadata"].append(
            (
                d.drawing_id,
                d.source,
                d.request_id,
                "|".join(sorted(asks)) or None,
                max_page + 1 if max_page >= 0 else None,
                e.page if e is not None else None,
                number,
                by_type.get("PART_NUMBER"),
                designation,
                mat.get("designation"),
                mat.get("standard"),
                _category(mat, 0),
                len(opts) if type(opts) is list else 0 if e is not None else None,
                _f(weight.get("value"), ctx, "weight.value"),
                weight.get("unit"),
                gt.get("tolerance_standard"),
                gt.get("tolerance_class"),
                gt.get("principle"),
                gr.get("label"),
                projection,
                units,
                languages,
                p.get("page_type"),
            )
        )

    def _image(self, d: Drawing, e: Entry, ask: str, counts: dict[tuple[str, int], int]) -> None:
        kind = IMAGE_ASKS.get(ask, ask.lower())
        n = counts.get((kind, e.page), 0)
        counts[(kind, e.page)] = n + 1
        payload = e.payload if type(e.payload) is dict else {}
        ids = tuple(None if payload.get(k) is None else str(payload.get(k)) for k in _IMAGE_IDS)
        if e.payload_bytes:
            self.image_bytes[(d.drawing_id, kind, e.page, n)] = e.payload_bytes
        self.rows["images"].append(
            (d.drawing_id, e.source, kind, e.page, n, ask)
            + ids
            + (e.payload_path, e.payload_url, bool(e.payload_bytes) or bool(e.payload_path))
            + (None, None, None)
        )

    # -- typed frames ----------------------------------------------------------------

    def frame(self, table: str) -> pd.DataFrame:
        """The typed DataFrame of one table; values that do not fit their dtype become NA
        and a problem row."""
        t = schema.TABLES[table]
        rows = self.rows[table]
        read = t.read_columns
        if not rows:
            return schema.empty_frame(table)[[c.name for c in read]]
        cols = list(zip(*rows, strict=True))
        if len(cols) != len(read):  # pragma: no cover - guards the extractors' column order
            raise AssertionError(f"{table}: extractor gives {len(cols)} columns, schema has {len(read)}")
        data = {}
        for c, values in zip(read, cols, strict=True):
            data[c.name] = _typed(c, values, t, rows, self.problems)
        return pd.DataFrame(data, copy=False)


_LOCATIONS = {
    **{name: f"FEATURES.{name}[{{}}]" for name in schema.FEATURE_TABLES},
    "roughness_conditions": "FEATURES.roughnesses[{}].conditions",
    "identifiers": "META_DATA.identifiers[{}]",
    "designations": "META_DATA.designation[{}]",
    "materials": "META_DATA.material_options[{}].material_combination",
    "notes": "META_DATA.notes[{}]",
    "certifications": "META_DATA.certifications[{}]",
    "bill_of_material": "META_DATA.bill_of_material.rows[{}]",
    "processes": "INSIGHTS.secondary_processes[{}]",
    "positions": "REFERENCE_POSITIONS.reference_positions[{}]",
    "other_features": "{}",
    "metadata": "META_DATA",
    "insights": "INSIGHTS",
    "images": "{}",
}


def _bad_value_problems(
    col: schema.Column, bad: list[int], values: Any, table: schema.Table, rows: list[tuple[Any, ...]]
) -> list[ProblemRow]:
    names = [c.name for c in table.read_columns]
    has_item = "item_index" in names
    ii = names.index("item_index") if has_item else None
    pi = names.index("page") if "page" in names else None
    template = _LOCATIONS.get(table.name, table.name)
    out = []
    for k in bad:
        row = rows[k]
        loc = template.format(row[ii] if ii is not None else "")
        path = f"{loc}.{col.json_path}" if col.json_path else f"{loc} ({col.name})"
        page = row[pi] if pi is not None else None
        out.append(
            (
                row[0],
                row[1],
                page,
                path,
                f"`{col.name}` expects {col.dtype}, got {_kind(values[k])}; left NA",
                "warning",
            )
        )
    return out


def _typed(
    col: schema.Column,
    values: tuple[Any, ...],
    table: schema.Table,
    rows: list[tuple[Any, ...]],
    problems: list[ProblemRow],
) -> Any:
    dtype = col.dtype
    if dtype == "float":
        return np.array(values, dtype=np.float64)
    if dtype == "object":
        return np.fromiter(values, dtype=object, count=len(values))
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    if dtype == "boolean":
        try:
            return pd.array(values, dtype="boolean")
        except (TypeError, ValueError):
            bad = [k for k, v in enumerate(values) if not (v is None or v is True or v is False)]
            problems.extend(_bad_value_problems(col, bad, values, table, rows))
            clean = [v if v is None or v is True or v is False else None for v in values]
            return pd.array(clean, dtype="boolean")
    # string: str and None go in as they are; anything else is converted or reported below
    if set(map(type, values)) <= _TEXT_TYPES:
        return pd.array(values, dtype=schema.pandas_dtype("string"))
    bad = []
    texts: list[Any] = list(values)
    for k, v in enumerate(values):
        if v is None or type(v) is str:
            continue
        if type(v) in (int, float) and not (type(v) is float and math.isnan(v)):
            texts[k] = f"{v:g}" if type(v) is float else str(v)
        elif type(v) is bool:
            texts[k] = str(v).lower()
        else:
            bad.append(k)
            texts[k] = None
    problems.extend(_bad_value_problems(col, bad, values, table, rows))
    return pd.array(texts, dtype=schema.pandas_dtype("string"))
