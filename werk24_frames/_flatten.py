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
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import _points, schema
from ._sources import Drawing, Entry, ProblemRow, shown

__all__ = ["GDNT_NAMES", "IMAGE_ASKS", "Flattener"]

NAN = math.nan
_INDEX = re.compile(r"\[\d+\]")
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


def _texts(values: list[tuple[str, Any]], ctx: _Ctx) -> list[str]:
    """The (path, value) pairs' values as text, to be joined: a list or an object (which has no
    one text, and whose ``str`` of a deeply nested one does not end) is noted and left out."""
    out: list[str] = []
    for path, v in values:
        if isinstance(v, list | dict):
            ctx.note(path, f"expected text, got {_kind(v)}; left out")
        else:
            out.append(str(v))
    return out


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
            # A float of 2**63 or more can be a whole number that did not fit 64 bits and was
            # rounded by the JSON parser (orjson reads -2**63-1 as -2.0**63): never accepted,
            # so a file and the same answer in memory give the same result.
            if x.is_integer() and -_INT64 < x < _INT64:
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


def _tolerance(t: Any, ctx: _Ctx, path: str) -> tuple[Any, ...]:
    """The 8 tolerance columns of a ``Tolerance`` object at ``path``."""
    if type(t) is dict:
        return (
            _f(t.get("deviation_lower"), ctx, f"{path}.deviation_lower"),
            _f(t.get("deviation_upper"), ctx, f"{path}.deviation_upper"),
            t.get("tolerance_grade"),
            t.get("fit"),
            t.get("is_general_tolerance", False),
            t.get("is_theoretically_exact", False),
            t.get("is_reference", False),
            t.get("is_approximation", False),
        )
    if t is not None:
        ctx.note(path, f"expected an object, got {_kind(t)}; no tolerance read")
    return _NO_TOLERANCE


def _size(s: Any, ctx: _Ctx, path: str, assume_unit: str | None = None) -> tuple[Any, ...]:
    """The 11 size columns of a ``Size`` object."""
    if type(s) is dict:
        tol = _tolerance(s.get("tolerance"), ctx, f"{path}.tolerance")
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
# Sizes the SDK types as decimals (sent as "1.0" or 1.0): written as numbers, `:g`.
_DECIMAL_SIZE_KEYS = ("sm_size", "whitworth_size")
_THREAD_SERIES_KEYS = ("uts_series", "npt_series", "acme_series", "knuckle_series")
# The key each thread family alone has (its ``thread_type`` is a default that
# ``model_dump(exclude_defaults=True)`` leaves out); a thread with none is ISO metric.
_THREAD_FAMILY_KEYS = {
    "uts_size": "UTS",
    "npt_size": "NPT",
    "acme_size": "ACME",
    "knuckle_size": "KNUCKLE",
    "sm_size": "SM",
    "whitworth_size": "WHITWORTH",
}


def _first(it: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = it.get(k)
        if v is not None:
            return v
    return None


def _class_of(t: Any) -> Any:
    if type(t) is dict:
        fit = t.get("fit")
        return fit if fit is not None else t.get("tolerance_grade")
    return None


def _size_designation(it: dict[str, Any], tt: Any, diameter: float, ctx: _Ctx) -> Any:
    for k in _THREAD_SIZE_KEYS:
        v = it.get(k)
        if v is None:
            continue
        if k in _DECIMAL_SIZE_KEYS or type(v) is not str:
            x = _f(v, ctx, k)
            return f"{x:g}" if math.isfinite(x) else None
        return v
    if tt == "ISO_METRIC" and math.isfinite(diameter) and diameter > 0:
        return f"M{diameter:g}"
    return None


def _thread(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    tt = it.get("thread_type")
    if tt is None:
        tt = next((fam for k, fam in _THREAD_FAMILY_KEYS.items() if k in it), "ISO_METRIC")
        ctx.note("thread_type", f"no thread_type (a dump without defaults?); read as {tt} from its keys", "info")
    size = _size(it.get("diameter"), ctx, "diameter", "mm" if tt in _METRIC_THREADS else None)
    sp = _obj(it.get("spacing"), ctx, "spacing") or {}
    designation = _size_designation(it, tt, size[0], ctx)
    tclass = _first(it, ("uts_tolerance_class", "whitworth_tolerance_class"))
    if tclass is None and tt == "ISO_METRIC":
        male = _class_of(it.get("male_pitch_diameter_tolerance"))
        if male is None:
            male = _class_of(it.get("male_major_diameter_tolerance"))
        female = _class_of(it.get("female_pitch_diameter_tolerance"))
        if female is None:
            female = _class_of(it.get("female_major_diameter_tolerance"))
        parts = [str(p) for p in (male, female) if p is not None]
        tclass = "/".join(parts) if parts else None
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
    extent, extent_unit = _qty(ext, ctx, "zone.extend")
    if type(ext) is dict:
        extent_n = _i(ext.get("quantity"), ctx, "zone.extend.quantity")
        extent_angle = _f(ext.get("angle"), ctx, "zone.extend.angle")
    else:
        extent_n, extent_angle = None, NAN
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
        extent_unit,
        extent_n,
        extent_angle,
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
        + (ctx.index is None,)
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


def _nested(fn: Extractor, obj: dict[str, Any], ctx: _Ctx, path: str) -> tuple[Any, ...]:
    """``fn``'s columns of an entity nested at ``path`` of the current item; its problems are
    located below ``path``."""
    prefix, index = ctx.prefix, ctx.index
    ctx.prefix, ctx.index = ctx.where(path), None
    try:
        return fn(obj, ctx)
    finally:
        ctx.prefix, ctx.index = prefix, index


_NO_NESTED_THREAD = (None, None, None, NAN, NAN, None) + (None, None, NAN, NAN, None, None, None, None, None, NAN, None)


def _nested_thread(th: Any, ctx: _Ctx, path: str) -> tuple[Any, ...]:
    """The columns of schema.NESTED_THREAD_COLUMNS: a thread's head, diameter value and unit,
    and its own columns (the diameter's tolerance is a row of ``sizes``)."""
    th = _obj(th, ctx, path)
    if not th:
        return _NO_NESTED_THREAD
    t = _nested(_thread, th, ctx, path)
    return t[:6] + t[15:]


def _fastener_spec(f: dict[str, Any], ctx: _Ctx, at: str) -> tuple[Any, ...]:
    """A FastenerSpecification: type, designation, standard, manufacturer, thread, length."""
    return (
        (f.get("fastener_type"), f.get("designation"), f.get("standard"), f.get("manufacturer"))
        + _nested_thread(f.get("thread"), ctx, f"{at}thread")
        + _qty(f.get("length"), ctx, f"{at}length")
    )


_NO_FASTENER_SPEC = (None, None, None, None) + _NO_NESTED_THREAD + (NAN, None)


def _fastener(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return _head(it, ctx) + _fastener_spec(it, ctx, "") + (it.get("note"),)


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
    fast = _obj(it.get("fastener"), ctx, "fastener")
    return (
        it.get("position"),
        it.get("part_number"),
        it.get("designation"),
        *_qty(it.get("quantity"), ctx, "quantity"),
        *_qty(it.get("unit_weight"), ctx, "unit_weight"),
        _first_material(opts).get("designation"),
        len(opts) if type(opts) is list else 0,
    ) + (_fastener_spec(fast, ctx, "fastener.") if fast else _NO_FASTENER_SPEC)


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


_ENVELOPE_SIZES = (
    ("enclosing_cuboid", "width"),
    ("enclosing_cuboid", "height"),
    ("enclosing_cuboid", "depth"),
    ("enclosing_cylinder", "diameter"),
    ("enclosing_cylinder", "depth"),
)
_SHAPES = {"enclosing_cuboid": "CUBOID", "enclosing_cylinder": "CYLINDER"}


def _envelope(b: Any, ctx: _Ctx, path: str) -> tuple[Any, ...]:
    """Shape, then (value, unit) of each size of :data:`_ENVELOPE_SIZES`, then the
    completeness flag and note (the ``_mm`` columns are computed by the corpus)."""
    b = _obj(b, ctx, path)
    if not b:
        return (None,) + (NAN, None) * len(_ENVELOPE_SIZES) + (None, None)
    bodies = {k: _obj(b.get(k), ctx, f"{path}.{k}") for k in _SHAPES}
    shapes = []
    for k, body in bodies.items():
        if body:
            g = body.get("geometry_type")
            shapes.append(str(g) if g is not None else _SHAPES[k])
    sizes: tuple[Any, ...] = ()
    for k, size in _ENVELOPE_SIZES:
        body = bodies[k]
        sizes += _qty(body.get(size), ctx, f"{path}.{k}.{size}") if body else (NAN, None)
    return ("|".join(shapes) or None, *sizes, b.get("annotations_complete", True), b.get("completeness_note"))


def _process_option(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    name = it.get("primary_process")
    if name is None and it.get("process") is not None:
        docs = it.get("process")
        name = _DOCS_PROCESSES.get(str(docs), docs)
        ctx.note("process", f"`process: {docs!r}` (API docs format) read as {name}", "info")
    if name is None:
        # Each option's kind has a field only it has (the primary_process itself is a default
        # that ``model_dump(exclude_defaults=True)`` leaves out).
        name = next((p for k, p in _PROCESS_KEYS.items() if k in it), None)
        if name is not None:
            ctx.note("primary_process", f"no primary_process; read as {name} from its keys", "info")
        else:
            ctx.note("primary_process", "no primary_process and no key that tells it; left NA")
    return (
        name,
        it.get("requires_secondary_milling"),
        it.get("requires_bending"),
        _i(it.get("axis_count"), ctx, "axis_count"),
    )


_PROCESS_KEYS = {"requires_secondary_milling": "TURNING", "axis_count": "MILLING", "requires_bending": "CUTTING"}


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
    return (_i(it.get("reference_id"), ctx, "reference_id"),) + _polygon(it, ctx)


def _polygon(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    """Coordinate space, bounding box and points of the item's ``polygon``."""
    poly = _obj(it.get("polygon"), ctx, "polygon")
    if not poly:
        return (None, NAN, NAN, NAN, NAN, None)
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
        return (poly.get("coordinate_space"), NAN, NAN, NAN, NAN, None)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (poly.get("coordinate_space"), min(xs), min(ys), max(xs), max(ys), pts)


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
# Asks of the first API version (or older clients): their answers are kept in raw_responses().
_LEGACY_ASKS = {
    "NOTES",
    "PART_FAMILY_CHARACTERIZATION",
    "PRODUCT_PMI_EXTRACT",
    "REVISION_TABLE",
    "TITLE_BLOCK",
    "MEASURES",
    "VARIANT_MEASURES",
    "VARIANT_GDNTS",
    "VARIANT_ROUGHNESSES",
    "VARIANT_LEADERS",
    "VARIANT_CAD",
}
_TABLE_ASKS = frozenset(schema.V2_ASKS)
_KNOWN_ASKS = _TABLE_ASKS | set(IMAGE_ASKS) | _LEGACY_ASKS
_HEADER_KEYS = {"ask_version", "ask_type", "page_type"}


def _answer_in_progress(subtype: str | None, payload: Any) -> str | None:
    """The ask a PROGRESS message names as its subtype or in its payload's ``ask_type``, if it is
    one of Werk24's asks: such a message holds an answer (a PROGRESS message's own payload, e.g.
    the presigned upload of INITIALIZATION_SUCCESS, names no ask)."""
    stated = payload.get("ask_type") if type(payload) is dict else None
    for name in (subtype, stated):
        if type(name) is str and name in _KNOWN_ASKS:
            return name
    return None


class _Known:
    """The keys an object may hold (from :func:`werk24_frames.schema.known_tree`) and, for the
    keys whose values are checked further, the node of their object or of their list's items."""

    __slots__ = ("keys", "nested")

    def __init__(self, tree: dict[str, Any]) -> None:
        self.keys = frozenset(tree)
        self.nested: list[tuple[str, _Known | None, _Known | None]] = []
        for k, sub in tree.items():
            fields = {x: y for x, y in sub.items() if x != "[]"}
            elem = sub.get("[]")
            if fields or elem:
                self.nested.append((k, _Known(fields) if fields else None, _Known(elem) if elem else None))


_TREE = schema.known_tree()
_KNOWN = {ask: _Known(_TREE[ask]) for ask in schema.V2_ASKS if ask in _TREE}
# Which ask a response without ``ask_type`` answers, by a key only that ask's answers have.
_TOP_KEYS = {ask: set(_TREE.get(ask, {})) - _HEADER_KEYS for ask in schema.V2_ASKS}
_TELLTALE_KEYS = {
    k: ask for ask, keys in _TOP_KEYS.items() for k in keys if sum(k in other for other in _TOP_KEYS.values()) == 1
}


def _unknown_fields(obj: dict[str, Any], node: _Known, where: Any, found: list[tuple[Any, str, Any]]) -> None:
    """Append ``(where, key, value)`` for every key of ``obj`` (and the objects below it) that
    ``node`` does not know. ``where`` is built lazily: ``(parent, key)`` or ``(parent, key, i)``."""
    if not obj.keys() <= node.keys:
        for k in obj:
            if k not in node.keys:
                found.append((where, k, obj[k]))
    for k, fields, elem in node.nested:
        v = obj.get(k)
        if v is None:
            continue
        t = type(v)
        if t is dict:
            if fields is None:
                continue
            # An object of plain values (a confidence) is only entered when it holds an unknown key.
            if fields.nested or not v.keys() <= fields.keys:
                _unknown_fields(v, fields, (where, k), found)
        elif t is list and elem is not None:
            if elem.nested:
                for i, x in enumerate(v):
                    if type(x) is dict:
                        _unknown_fields(x, elem, (where, k, i), found)
            else:
                keys = elem.keys
                for i, x in enumerate(v):
                    if type(x) is dict and not x.keys() <= keys:
                        _unknown_fields(x, elem, (where, k, i), found)


def _path_of(where: Any) -> str:
    parts: list[str] = []
    while where is not None:
        if len(where) == 3:
            parts.append(f"{where[1]}[{where[2]}]")
        else:
            parts.append(where[1])
        where = where[0]
    return ".".join(reversed(parts))


def _compile_role(role: str) -> tuple[str, tuple[str, ...], bool]:
    segs: list[str] = []
    for part in role.split("."):
        if part.endswith("[]"):
            segs += [part[:-2], "[]"]
        else:
            segs.append(part)
    return role, tuple(segs), role.endswith("_tolerance")


_ROLES = {item: tuple(_compile_role(r) for r in roles) for item, roles in schema.SIZE_ROLES.items()}
_TABLE_ROLES = {t.name: _ROLES[t.items[0]] for t in schema.TABLES.values() if t.items and t.items[0] in _ROLES}


def _resolve(obj: Any, segs: tuple[str, ...], at: str, out: list[tuple[str, Any]]) -> None:
    """Append ``(path, value)`` for every value at ``segs`` below ``obj`` (``[]``: every element)."""
    for k, seg in enumerate(segs):
        if seg == "[]":
            if type(obj) is list:
                rest = segs[k + 1 :]
                for i, x in enumerate(obj):
                    _resolve(x, rest, f"{at}[{i}]", out)
            return
        if type(obj) is not dict:
            return
        obj = obj.get(seg)
        if obj is None:
            return
        at = f"{at}.{seg}" if at else seg
    out.append((at, obj))


def _quiet_float(v: Any) -> float:
    """A number without a problem row (for values whose problems another column reports)."""
    if v is None or type(v) is bool:
        return NAN
    try:
        return float(v)
    except (TypeError, ValueError, OverflowError):
        return NAN


def _rid(it: dict[str, Any]) -> int | None:
    v = it.get("reference_id")
    return v if type(v) is int and -_INT64 <= v < _INT64 else None


# --------------------------------------------------------------------------------------
# The asks without features: BALLOONS, REDACTION, PAGE_ASSESSMENT, DOCUMENT_PROFILE, CUSTOM
# --------------------------------------------------------------------------------------


def _balloon(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    c = it.get("center")
    if isinstance(c, (list, tuple)) and len(c) == 2:
        x, y = _f(c[0], ctx, "center[0]"), _f(c[1], ctx, "center[1]")
    else:
        if c is not None:
            ctx.note("center", f"expected an [x, y] pair, got {_kind(c)}; left NA")
        x = y = NAN
    return (_i(it.get("reference_id"), ctx, "reference_id"), x, y)


def _redaction(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (it.get("redaction_zone_type"),) + _polygon(it, ctx)


def _page_assessment(it: dict[str, Any], ctx: _Ctx) -> tuple[Any, ...]:
    return (ctx.index, it.get("page_type"), it.get("has_welding_symbols"), it.get("description"))


_LIST_ASKS: dict[str, tuple[str, str, Extractor]] = {
    "REFERENCE_POSITIONS": ("reference_positions", "positions", _position),
    "BALLOONS": ("balloons", "balloons", _balloon),
    "REDACTION": ("redaction_zones", "redactions", _redaction),
}


def _custom_output(v: Any) -> str:
    import orjson

    try:
        return orjson.dumps(v).decode()
    except TypeError:  # integers beyond 64 bits
        import json

        return json.dumps(v, default=str)


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
        self.image_files: dict[tuple[str, str, int, int], str] = {}
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
        reported: set[tuple[str, str]] = set()  # unknown fields already reported for this drawing
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
                elif (told := _answer_in_progress(ask, payload)) is not None:
                    ctx.prefix = f"{base}{told}"
                    ctx.note(
                        "",
                        f"a PROGRESS message carries a {told} answer; not read as one (it is in raw_responses())",
                        "warning",
                    )
                continue  # PROGRESS messages carry no drawing data (their payload is about the connection)
            if payload is None and e.payload_bytes and ask in _TABLE_ASKS:
                payload = e.payload = self._offloaded(e, ctx, f"{base}{ask}")
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
            if ask in IMAGE_ASKS or (
                ask not in _TABLE_ASKS and payload is None and (e.payload_url or e.payload_path or e.payload_bytes)
            ):
                self._image(d, e, ask, image_counts)
                continue
            if payload is None:
                if e.payload_url or e.payload_path:
                    ctx.note(
                        "",
                        "the answer was sent as a link (payload_url) and is not downloaded: "
                        "load(..., download_images=True) fetches it; nothing read",
                        "warning",
                    )
                elif not e.exceptions:
                    ctx.note("", "the answer carries no payload", "warning")
                continue
            if ask not in _KNOWN:
                legacy = ask in _LEGACY_ASKS
                what = f"{ask} (an ask of API v1)" if legacy else ask
                ctx.note(
                    "",
                    f"{what} answers are not tabulated; the answer is in raw_responses()",
                    "info" if legacy else "warning",
                )
                continue
            ctx.prefix = ask
            self._check_fields(payload, ask, ctx, reported)
            if ask == "FEATURES":
                for key, fn in FEATURE_EXTRACTORS.items():
                    if key in payload:
                        self._items(key, key, fn, payload, ctx)
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
            elif ask in _LIST_ASKS:
                key, table, fn = _LIST_ASKS[ask]
                self._items(key, table, fn, payload, ctx)
            elif ask == "PAGE_ASSESSMENT":
                self._pages(payload, ctx)
            elif ask == "DOCUMENT_PROFILE":
                pt = _obj(payload.get("processing_time"), ctx, "processing_time") or {}
                self.rows["document_profiles"].append(
                    (
                        ctx.drawing_id,
                        ctx.source,
                        ctx.page,
                        _i(payload.get("page_count"), ctx, "page_count"),
                        payload.get("paper_size"),
                        _f(pt.get("seconds_p50"), ctx, "processing_time.seconds_p50"),
                        _f(pt.get("seconds_p95"), ctx, "processing_time.seconds_p95"),
                    )
                )
            elif ask == "CUSTOM":
                self.rows["customs"].append(
                    (
                        ctx.drawing_id,
                        ctx.source,
                        ctx.page,
                        payload.get("custom_id"),
                        _custom_output(payload.get("output")),
                    )
                )
        self._metadata(d, first_meta, asks, max_page)

    def _offloaded(self, e: Entry, ctx: _Ctx, where: str) -> Any:
        """The answer of a message whose JSON was sent as a link and downloaded (``payload_bytes``)."""
        import orjson

        try:
            return orjson.loads(e.payload_bytes or b"")
        except orjson.JSONDecodeError as exc:
            ctx.prefix = where
            ctx.note("", f"the downloaded answer is not valid JSON ({exc}); nothing read", "error")
            return None

    def _check_fields(self, payload: dict[str, Any], ask: str, ctx: _Ctx, reported: set[tuple[str, str]]) -> None:
        """A problem row for every key of the answer that no table knows (once per path and
        drawing); unknown lists of objects at the top go to ``other_features``."""
        found: list[tuple[Any, str, Any]] = []
        _unknown_fields(payload, _KNOWN[ask], None, found)
        for where, key, value in found:
            if where is None and type(value) is list:
                self._unknown_list(key, value, ask, ctx)
                continue
            path = _path_of((where, key))
            general = _INDEX.sub("[]", path)
            if (ask, general) in reported:
                continue
            reported.add((ask, general))
            docs = f"{ask}.{general}" in schema.DOCS_UNREAD
            ctx.note(
                path,
                f"{'a field of the API docs format' if docs else 'unknown field'} {key!r} ({_kind(value)}): "
                "no table holds it; it is in raw_responses()",
                "info" if docs else "warning",
            )

    def _unknown_list(self, key: str, value: list[Any], ask: str, ctx: _Ctx) -> None:
        n = len(value)
        if n and all(type(v) is dict for v in value):
            ctx.note(key, f"unknown list {key!r} with {n} item(s); kept in `other_features`", "info")
            self._other(key, ask, value, ctx)
        elif n:
            ctx.note(
                key,
                f"unknown list {key!r} with {n} item(s) that are not objects; not tabulated, see raw_responses()",
                "warning",
            )

    def _resolve_ask(self, e: Entry, payload: Any, ctx: _Ctx, base: str) -> str | None:
        """Which ask an answer answers: the message's subtype, else the answer's ``ask_type``,
        else (for an answer without either) its keys. None (with a problem row) when it cannot
        be told."""
        stated = payload.get("ask_type") if type(payload) is dict else None
        # A message's subtype (a plain response has none: its entry's ask_type is the answer's own).
        subtype = e.ask_type if e.message_type is not None and type(e.ask_type) is str and e.ask_type else None
        if subtype is not None and subtype not in _KNOWN_ASKS and type(stated) is str and stated in _KNOWN_ASKS:
            subtype = None  # an odd subtype (a progress subtype on an ASK): the answer says what it is
        if subtype is not None:
            if type(stated) is str and stated != subtype and stated in _KNOWN_ASKS:
                ctx.prefix = f"{base}{subtype}"
                ctx.note("ask_type", f"the message says {subtype}, the answer says {stated}; read as {subtype}")
            return subtype
        if type(payload) is not dict:
            if e.payload_url or e.payload_path or e.payload_bytes:
                return "SHEET_IMAGES"
            ctx.prefix = f"{base}response"
            ctx.note("", "an answer without ask type or payload; nothing to read", "warning")
            return None
        if type(stated) is str and stated:
            if stated not in _KNOWN_ASKS and stated.upper() in _KNOWN_ASKS:
                ctx.prefix = f"{base}{stated.upper()}"
                ctx.note("ask_type", f"ask_type {stated!r} read as {stated.upper()}", "info")
                return stated.upper()
            return stated
        guess = next((_TELLTALE_KEYS[k] for k in payload if k in _TELLTALE_KEYS), None)
        if guess is not None:
            ctx.prefix = f"{base}{guess}"
            if stated is None:
                ctx.note("ask_type", f"no ask_type; read as {guess} from its keys", "info")
            else:  # not a text: damaged, and the keys still tell
                ctx.note("ask_type", f"ask_type is {_kind(stated)}, not an ask's name; read as {guess} from its keys")
            return guess
        if stated is not None:
            ctx.prefix = f"{base}response"
            ctx.note("ask_type", f"ask_type is {_kind(stated)}, not an ask's name; not read", "error")
            return None
        ctx.prefix = f"{base}response"
        keys = ", ".join(map(str, list(payload)[:6]))
        what = f"keys: {keys}" if keys else "an empty object"
        ctx.note("", f"not a Werk24 response (no ask_type; {what}); skipped", "error")
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
        roles = _TABLE_ROLES.get(table)
        did, src, page = ctx.drawing_id, ctx.source, ctx.page
        for i, it in enumerate(items):
            ctx.index = i
            if type(it) is dict:
                try:
                    rows.append((did, src, page, i) + fn(it, ctx))
                    if roles:
                        self._sizes(table, it, ctx, _rid(it), roles)
                except Exception as exc:  # pragma: no cover - a bug must not cost the batch
                    ctx.note("", f"could not read this item ({type(exc).__name__}: {exc}); skipped", "error")
            else:
                ctx.note("", f"expected an object, got {_kind(it)}; the item was skipped", "error")
        ctx.prefix, ctx.index = prefix, None

    def _sizes(
        self,
        table: str,
        it: dict[str, Any],
        ctx: _Ctx,
        rid: int | None,
        roles: tuple[tuple[str, tuple[str, ...], bool], ...] | None = None,
    ) -> None:
        """A ``sizes`` row for every secondary size of the item ``it`` (see schema.SIZE_ROLES).
        Its value's problems are reported by the item's own column; its tolerance's here."""
        found: list[tuple[str, Any]] = []
        sink = self.rows["sizes"]
        for _role, segs, bare in roles if roles is not None else _TABLE_ROLES.get(table, ()):
            found.clear()
            _resolve(it, segs, "", found)
            for path, v in found:
                if type(v) is not dict:
                    continue
                if bare:
                    cols = (NAN, None, None) + _tolerance(v, ctx, path)
                else:
                    cols = (_quiet_float(v.get("value")), v.get("unit"), v.get("size_type")) + _tolerance(
                        v.get("tolerance"), ctx, f"{path}.tolerance"
                    )
                sink.append((ctx.drawing_id, ctx.source, ctx.page, ctx.index, table, rid, path, ctx.where(path)) + cols)

    def _other(self, key: str, ask: str, items: list[Any], ctx: _Ctx) -> None:
        import orjson

        prefix = ctx.prefix
        ctx.prefix = f"{prefix}.{key}"
        rows = self.rows["other_features"]
        for i, it in enumerate(items):
            ctx.index = i
            try:
                raw: str | None = orjson.dumps(it, default=str).decode()
            except TypeError:  # an int beyond 64 bits, or nested deeper than orjson writes
                import json

                try:
                    raw = json.dumps(it, default=str)
                except (RecursionError, ValueError) as exc:
                    raw = None
                    ctx.note("", f"the item cannot be kept as JSON text ({exc}); `raw` left NA", "warning")
            rows.append((ctx.drawing_id, ctx.source, ctx.page, i, ask, key) + _head(it, ctx) + (raw,))
        ctx.prefix, ctx.index = prefix, None

    def _meta_lists(self, p: dict[str, Any], ctx: _Ctx) -> None:
        for key, (table, fn) in _META_LISTS.items():
            if key in p:
                self._items(key, table, fn, p, ctx)
        if p.get("material_options") is not None:
            self._material_options(p.get("material_options"), ctx, None)
        bom = p.get("bill_of_material")
        if bom is not None:
            if type(bom) is dict:
                prefix = ctx.prefix
                ctx.prefix = f"{prefix}.bill_of_material"
                self._items("rows", "bill_of_material", _bom_row, bom, ctx)
                rows = bom.get("rows")
                for i, row in enumerate(rows if type(rows) is list else ()):
                    if type(row) is dict and row.get("material_options") is not None:
                        ctx.prefix, ctx.index = f"{prefix}.bill_of_material.rows", i
                        self._material_options(row.get("material_options"), ctx, i)
                ctx.prefix, ctx.index = prefix, None
            else:
                ctx.note("bill_of_material", f"expected an object, got {_kind(bom)}; not read", "error")
        gr = p.get("general_roughness")
        if type(gr) is dict:
            prefix = ctx.prefix
            ctx.prefix, ctx.index = f"{prefix}.general_roughness", None
            self.rows["roughnesses"].append((ctx.drawing_id, ctx.source, ctx.page, None) + _roughness(gr, ctx))
            self._sizes("roughnesses", gr, ctx, _rid(gr), _ROLES["META_DATA.general_roughness"])
            ctx.prefix = prefix
        elif gr is not None:
            ctx.note("general_roughness", f"expected an object, got {_kind(gr)}; not read")

    def _material_options(self, options: Any, ctx: _Ctx, bom_row: int | None) -> None:
        """The materials of a list of material options (the drawing's, or a bill-of-material
        row's): one row per material, and one for an option whose combination is empty."""
        prefix, index = ctx.prefix, ctx.index
        base = ctx.where("material_options")
        rows = self.rows["materials"]
        for i, opt in enumerate(_lst(options, ctx, "material_options")):
            ctx.prefix, ctx.index = base, i
            if type(opt) is not dict:
                ctx.note("", f"expected a material option object, got {_kind(opt)}; skipped", "error")
                continue
            rid = _i(opt.get("reference_id"), ctx, "reference_id")
            comb = opt.get("material_combination")
            if type(comb) is not list:
                ctx.note("material_combination", f"expected a list, got {_kind(comb)}; option skipped", "error")
                continue
            head = (ctx.drawing_id, ctx.source, ctx.page, i, rid, bom_row, i)
            if not comb:
                rows.append(head + (None,) * 8)
            for j, m in enumerate(comb):
                if type(m) is not dict:
                    ctx.note(f"material_combination[{j}]", f"expected a material, got {_kind(m)}; skipped", "error")
                    continue
                rows.append(
                    head
                    + (
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
        ctx.prefix, ctx.index = prefix, index

    def _pages(self, p: dict[str, Any], ctx: _Ctx) -> None:
        """PAGE_ASSESSMENT's ``pages``: a row per page, with NA values for a page not assessed."""
        pages = p.get("pages")
        if pages is None:
            return
        if type(pages) is not list:
            ctx.note("pages", f"expected a list, got {_kind(pages)}; nothing read from it", "error")
            return
        prefix = ctx.prefix
        ctx.prefix = f"{prefix}.pages"
        rows = self.rows["page_assessments"]
        for i, it in enumerate(pages):
            ctx.index = i
            if it is None:
                rows.append((ctx.drawing_id, ctx.source, ctx.page, i, i, None, None, None))
            elif type(it) is dict:
                rows.append((ctx.drawing_id, ctx.source, ctx.page, i) + _page_assessment(it, ctx))
            else:
                ctx.note("", f"expected a page assessment, got {_kind(it)}; skipped", "error")
        ctx.prefix, ctx.index = prefix, None

    def _insights(self, p: dict[str, Any], ctx: _Ctx) -> None:
        options = self.rows["process_options"]
        first = len(options)
        self._items("primary_process_options", "process_options", _process_option, p, ctx)
        mine = options[first:]
        procs = [str(o[4]) for o in mine if o[4] is not None]

        def of(process: str, k: int) -> Any:
            return next((o[k] for o in mine if o[4] == process), None)

        secondary = p.get("secondary_processes")
        self._items("secondary_processes", "processes", _process, p, ctx)
        vol = _obj(p.get("volume_estimate"), ctx, "volume_estimate") or {}
        conf = vol.get("confidence")
        score = conf.get("score") if type(conf) is dict else conf
        self.rows["insights"].append(
            (
                ctx.drawing_id,
                ctx.source,
                ctx.page,
                procs[0] if procs else None,
                "|".join(procs) if procs else None,
                of("TURNING", 5),
                of("CUTTING", 6),
                of("MILLING", 7),
                len(secondary) if type(secondary) is list else 0,
                *_qty(vol or None, ctx, "volume_estimate"),
                vol.get("volume_estimate_type"),
                _f(score, ctx, "volume_estimate.confidence.score"),
                *_envelope(p.get("dimensions_before_processing"), ctx, "dimensions_before_processing"),
                *_envelope(p.get("dimensions_after_processing"), ctx, "dimensions_after_processing"),
            )
        )
        self._sizes("insights", p, ctx, None)

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
        gr = p.get("general_roughness")
        pm = p.get("projection_method")
        projection = pm.get("projection_method") if type(pm) is dict else pm
        us = p.get("unit_systems")
        units = unit_refs = None
        if type(us) is list:
            kinds = [
                (f"unit_systems[{j}].unit_system_type", u.get("unit_system_type"))
                for j, u in enumerate(us)
                if type(u) is dict and u.get("unit_system_type")
            ]
            units = "|".join(dict.fromkeys(_texts(kinds, ctx))) or None
            refs = [
                (f"unit_systems[{j}].reference_id", u["reference_id"])
                for j, u in enumerate(us)
                if type(u) is dict and u.get("reference_id") is not None
            ]
            unit_refs = "|".join(_texts(refs, ctx)) or None
        bom = p.get("bill_of_material")
        langs = p.get("languages")
        languages = (
            "|".join(_texts([(f"languages[{j}]", x) for j, x in enumerate(langs)], ctx)) or None
            if type(langs) is list
            else None
        )
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
                _i(weight.get("reference_id"), ctx, "weight.reference_id"),
                gt.get("tolerance_standard"),
                gt.get("tolerance_class"),
                gt.get("principle"),
                _i(gt.get("reference_id"), ctx, "general_tolerances.reference_id"),
                gr.get("label") if type(gr) is dict else None,
                projection,
                _i(pm.get("reference_id"), ctx, "projection_method.reference_id") if type(pm) is dict else None,
                units,
                unit_refs,
                languages,
                _i(bom.get("reference_id"), ctx, "bill_of_material.reference_id") if type(bom) is dict else None,
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
        if e.payload_path:  # the real path; the table shows it as text (a name not UTF-8 escaped)
            self.image_files[(d.drawing_id, kind, e.page, n)] = e.payload_path
        self.rows["images"].append(
            (d.drawing_id, e.source, kind, e.page, n, ask)
            + ids
            + (
                shown(e.payload_path) if e.payload_path else None,
                e.payload_url,
                bool(e.payload_bytes) or bool(e.payload_path),
            )
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
    "materials": "META_DATA.material_options[{}]",
    "notes": "META_DATA.notes[{}]",
    "certifications": "META_DATA.certifications[{}]",
    "bill_of_material": "META_DATA.bill_of_material.rows[{}]",
    "processes": "INSIGHTS.secondary_processes[{}]",
    "process_options": "INSIGHTS.primary_process_options[{}]",
    "positions": "REFERENCE_POSITIONS.reference_positions[{}]",
    "balloons": "BALLOONS.balloons[{}]",
    "redactions": "REDACTION.redaction_zones[{}]",
    "page_assessments": "PAGE_ASSESSMENT.pages[{}]",
    "metadata": "META_DATA",
    "insights": "INSIGHTS",
    "document_profiles": "DOCUMENT_PROFILE",
    "customs": "CUSTOM",
}


def _row_location(table: schema.Table, names: list[str], row: tuple[Any, ...]) -> str:
    """Where in the answers a row was read from: ``FEATURES.bores[2]``."""
    if "json_path" in names:  # sizes
        return str(row[names.index("json_path")])
    if table.name == "other_features":
        return f"{row[names.index('ask_type')]}.{row[names.index('list_name')]}[{row[names.index('item_index')]}]"
    if table.name == "materials" and row[names.index("bom_row")] is not None:
        return f"META_DATA.bill_of_material.rows[{row[names.index('bom_row')]}].material_options[{row[3]}]"
    template = _LOCATIONS.get(table.name, table.name)
    if "item_index" not in names:
        return template
    i = row[names.index("item_index")]
    if i is None and table.also:  # the general roughness and its conditions
        return table.also[0].removesuffix("[]")
    return template.format(i)


def _bad_value_problems(
    col: schema.Column, bad: list[int], values: Any, table: schema.Table, rows: list[tuple[Any, ...]]
) -> list[ProblemRow]:
    names = [c.name for c in table.read_columns]
    pi = names.index("page") if "page" in names else None
    out = []
    for k in bad:
        row = rows[k]
        loc = _row_location(table, names, row)
        path = f"{loc}.{col.json_path}" if col.json_path and not col.derived else f"{loc} ({col.name})"
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
    if dtype == "object":  # polygons: lists of (x, y) tuples or None, as _polygon makes them
        return _points.from_points(values)
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    if dtype == "boolean":
        try:
            return pd.array(values, dtype="boolean")
        except (TypeError, ValueError, IndexError):  # IndexError: lists of one length (numpy makes them 2-D)
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
