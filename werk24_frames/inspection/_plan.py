"""The inspection plan: one row per requirement of every drawing, with its balloon number.

May import the core (``schema``, ``tolerances``, ``_units``), the revision reader of
:mod:`werk24_frames.comparison` and pandas/numpy; never views,
plots or widgets (the ballooned sheet, ``_sheet``, imports this module, not the reverse).

What becomes a row (each a characteristic with its own balloon number):

- the main size of every size table of the schema (``schema.SIZE_TABLES``: dimensions, bores,
  chamfers, radii; threads see below), role ``size``; reference dimensions (``[40]``) and
  theoretically exact ones (``|25|``) are not characteristics (they are not inspected; the
  GD&T frames that use them are);
- every secondary size of an item (the ``sizes`` table: a bore's depth and counterbore, a
  chamfer's angle, a key slot's width...), role named after the size (``counterbore.depth.size``
  becomes ``counterbore_depth``); the ISO 965 tolerances of threads are not rows of their own
  (they are the thread's limits), nor are a GD&T frame's restricted extent and a roughness
  symbol's cut-offs and allowances (parts of the frame's or symbol's requirement);
- an ISO metric thread with ISO 965 limits: its pitch diameter (role ``pitch_diameter``) and
  its crest, the major diameter of an external thread (``major_diameter``) or the minor
  diameter of an internal one (``minor_diameter``); any other thread one row (``size``) with
  the callout as requirement;
- a GD&T frame: its tolerance zone, an upper limit only (role ``size``);
- a roughness symbol: one row per parameter (the first ``size``, further ones named after the
  parameter, ``rz``), the upper limit from its UPPER (or AVERAGE) condition and the lower limit
  only where a LOWER (``L``) value is given; the drawing's general roughness is not a row (it is
  the default of every surface not marked otherwise, checked through the surfaces);
- every note (``notes``: "Break all sharp edges" is a requirement an inspector signs off),
  kind ``note`` (``notes=False`` leaves them out);
- every other feature (an undercut or a fastener without sizes) one row with its label.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema
from .._units import LENGTH_TO_MM, canonical_unit

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["CLASSIFICATION_RULES", "METHOD_RULES", "inspection_plan", "sheet_zone", "zone_grid"]

# --------------------------------------------------------------------------------------
# Rules: public data
# --------------------------------------------------------------------------------------

Rule = Mapping[str, Any]

#: Conditions a rule may state; a rule matches a row when every condition it states holds (a
#: missing value never matches). ``kind``, ``table``, ``role``, ``characteristic_type`` and
#: ``tolerance_source`` and ``side`` take one value or a list of values.
RULE_CONDITIONS = (
    "kind",
    "table",
    "role",
    "characteristic_type",
    "tolerance_source",
    "side",
    "it_grade_at_most",
    "tolerance_mm_at_most",
)

#: The default classification: the first rule that matches a row gives its classification.
#: ``tolerance_mm`` is the width of the tolerance zone in mm (upper minus lower limit; for a
#: one-sided requirement, the GD&T zone or the roughness limit itself).
CLASSIFICATION_RULES: tuple[Rule, ...] = (
    {"classification": "critical", "it_grade_at_most": 6},
    {"classification": "critical", "kind": "gdt", "tolerance_mm_at_most": 0.01},
    {"classification": "major", "kind": "thread"},
    {"classification": "major", "it_grade_at_most": 9},
    {"classification": "major", "kind": "gdt"},
    {"classification": "major", "kind": "roughness", "tolerance_mm_at_most": 0.0008},
    {"classification": "minor"},
)

#: The default measuring method: the first rule that matches a row gives its method.
METHOD_RULES: tuple[Rule, ...] = (
    {"method": "thread gauge (go/no-go)", "kind": "thread", "role": ["size", "pitch_diameter"]},
    {"method": "plug gauge", "kind": "thread", "role": "minor_diameter"},
    {"method": "micrometer", "kind": "thread", "role": "major_diameter"},
    {"method": "roughness tester", "kind": "roughness"},
    {"method": "CMM", "kind": "gdt"},
    {"method": "visual", "kind": ["note", "feature"]},
    {"method": "protractor", "kind": "angle"},
    {"method": "radius gauge", "kind": "radius"},
    {"method": "chamfer gauge", "kind": "chamfer"},
    {"method": "CMM", "tolerance_mm_at_most": 0.01},
    {"method": "depth gauge", "kind": "depth"},
    {"method": "bore gauge", "kind": "diameter", "side": "internal", "tolerance_mm_at_most": 0.05},
    {"method": "plug gauge", "kind": "size", "side": "internal", "tolerance_mm_at_most": 0.05},
    {"method": "micrometer", "kind": ["diameter", "size"], "side": "external", "tolerance_mm_at_most": 0.05},
    {"method": "micrometer or bore gauge", "kind": "diameter", "tolerance_mm_at_most": 0.05},
    {"method": "micrometer", "kind": "size", "tolerance_mm_at_most": 0.05},
    {"method": "calliper"},
)

#: The method of a toleranced diameter whose ``side`` nothing tells, and the ``note`` that says why.
SIDE_UNKNOWN_METHOD = "micrometer or bore gauge"
_SIDE_UNKNOWN_NOTE = (
    "bore or shaft not known (no ISO 286 hole or shaft class, not a bores row): bore gauge for a bore, "
    "micrometer for a shaft"
)


def feature_side(table: Any, kind: Any, fit: Any) -> str | None:
    """``internal``, ``external`` or ``None``: which side of the material a size is measured on.

    ISO 286-1 writes hole classes in capitals (``H7``, ``JS9``) and shaft classes in small
    letters (``h6``, ``js9``), and the tolerance engine takes its limits from the same case; a
    fit pair (``H7/g6``) names both and tells nothing. A diameter of the ``bores`` table is
    internal. Other rows (depths, angles, GD&T, ...) have no side here; threads take theirs
    from ``thread_side``.

    Examples
    --------
    >>> from werk24_frames.inspection._plan import feature_side
    >>> feature_side("dimensions", "diameter", "H7"), feature_side("dimensions", "diameter", "h6")
    ('internal', 'external')
    >>> feature_side("dimensions", "diameter", "H7/g6"), feature_side("bores", "diameter", None)
    (None, 'internal')
    """
    from ..tolerances import parse_fit

    if kind not in ("diameter", "size"):
        return None
    if table == "bores" and kind == "diameter":
        return "internal"
    pair = parse_fit(fit) if isinstance(fit, str) else None
    if pair is None:
        return None
    hole, shaft = pair
    if hole is not None and shaft is None:
        return "internal"
    if shaft is not None and hole is None:
        return "external"
    return None


# --------------------------------------------------------------------------------------
# Sheet zones (ISO 5457)
# --------------------------------------------------------------------------------------

#: Paper sizes (long and short side, mm) and the number of ISO 5457 grid fields along each
#: (fields of about 50 mm).
_PAPER: dict[str, tuple[float, float, int, int]] = {
    "A0": (1189.0, 841.0, 24, 16),
    "A1": (841.0, 594.0, 16, 12),
    "A2": (594.0, 420.0, 12, 8),
    "A3": (420.0, 297.0, 8, 6),
    "A4": (297.0, 210.0, 6, 4),
}
# ISO 5457: capital letters from the top (I and O left out), numbers from the left.
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def paper_mm(paper_size: Any, width_px: float, height_px: float) -> tuple[float, float] | None:
    """Width and height in mm of a sheet of ``paper_size`` (``A3``) drawn as an image of this
    pixel size (landscape when wider than high); ``None`` for an unknown paper size."""
    key = re.sub(r"\s+", "", str(paper_size or "")).upper()
    if key not in _PAPER:
        return None
    long, short, _, _ = _PAPER[key]
    return (long, short) if width_px >= height_px else (short, long)


def zone_grid(paper_size: Any, width_px: float, height_px: float) -> tuple[int, int] | None:
    """Columns (numbers) and rows (letters) of the ISO 5457 zone grid of a sheet; ``None``
    where the paper size is not one of A0–A4.

    Examples
    --------
    >>> zone_grid("A3", 1286, 909), zone_grid("A4", 909, 1286), zone_grid("Letter", 1100, 850)
    ((8, 6), (4, 6), None)
    """
    key = re.sub(r"\s+", "", str(paper_size or "")).upper()
    if key not in _PAPER or not (width_px > 0 and height_px > 0):
        return None
    _, _, n_long, n_short = _PAPER[key]
    return (n_long, n_short) if width_px >= height_px else (n_short, n_long)


def _cells(x: float, y: float, width: float, height: float, cols: int, rows: int) -> tuple[int, int]:
    col = min(max(int(x / width * cols), 0), cols - 1)
    row = min(max(int(y / height * rows), 0), rows - 1)
    return col, row


def sheet_zone(x: float, y: float, paper_size: Any, width_px: float, height_px: float) -> str | None:
    """The ISO 5457 zone (``C4``) of pixel ``(x, y)`` of a sheet image, or ``None``.

    The grid divides the image evenly: rows lettered A, B, … from the top, columns numbered
    1, 2, … from the left, as many as the paper size has fields (A3: 8 × 6). The standard
    measures its fields from the centring marks inside the frame; dividing the whole image is
    an approximation that can be one zone off within a few mm of a zone boundary.

    Examples
    --------
    >>> sheet_zone(10, 10, "A3", 1286, 909), sheet_zone(1280, 900, "A3", 1286, 909)
    ('A1', 'F8')
    """
    grid = zone_grid(paper_size, width_px, height_px)
    if grid is None or not (math.isfinite(x) and math.isfinite(y)):
        return None
    col, row = _cells(x, y, width_px, height_px, *grid)
    return f"{_LETTERS[row]}{col + 1}"


# --------------------------------------------------------------------------------------
# Building the rows
# --------------------------------------------------------------------------------------

_PLAN = "inspection_plan"
_KIND_OF_TABLE = {"bores": "diameter", "chamfers": "chamfer", "radii": "radius", "threads": "thread"}
_KIND_OF_SIZE_TYPE = {
    "DIAMETER": "diameter",
    "SPHERICAL_DIAMETER": "diameter",
    "ANGULAR": "angle",
    "RADIUS": "radius",
    "SPHERICAL_RADIUS": "radius",
}
# Roles of `sizes` that are not a characteristic of their own (see the module docstring).
_SKIPPED_ROLE = re.compile(r"(?:_tolerance$|^zone\.extend|^conditions|^machining_allowance|^waviness)")
_THREAD_ROLES = ("pitch_diameter", "major_diameter", "minor_diameter")


def _role_name(role: str) -> str:
    """``counterbore.depth.size`` → ``counterbore_depth``; ``zone.value`` → ``size``."""
    if role == "zone.value":
        return "size"
    return role.removesuffix(".size").replace(".", "_")


def _kind_of_role(role: str, table: str, size_type: Any) -> str:
    if table == "gdnts":
        return "gdt"
    if isinstance(size_type, str) and size_type in _KIND_OF_SIZE_TYPE:
        return _KIND_OF_SIZE_TYPE[size_type]
    for word in ("diameter", "depth", "angle", "radius"):
        if word in role:
            return word
    return "size"


def _fmt(x: float, unit: Any) -> str:
    u = canonical_unit(unit) if isinstance(unit, str) else None
    if u == "in":
        return f"{x:.4f}"
    if u == "deg":
        return f"{x:g}°"
    if u == "µm":
        return f"{x:g}"
    return f"{x:.3f}"


def _num(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


def _limits_text(lo: float, hi: float, unit: Any) -> str:
    if math.isfinite(lo) and math.isfinite(hi):
        return f"({_fmt(lo, unit)}–{_fmt(hi, unit)})"
    if math.isfinite(hi):
        return f"(max {_fmt(hi, unit)})"
    if math.isfinite(lo):
        return f"(min {_fmt(lo, unit)})"
    return ""


def _size_requirement(
    nominal: float, unit: Any, size_type: Any, fit: Any, dl: float, du: float, source: Any, lo: float, hi: float
) -> str:
    prefix = "Ø" if size_type in ("DIAMETER", "SPHERICAL_DIAMETER") else ""
    deg = isinstance(unit, str) and canonical_unit(unit) == "deg"
    base = f"{prefix}{nominal:g}" + ("°" if deg else "") if math.isfinite(nominal) else prefix
    tol = ""
    if isinstance(fit, str) and fit:
        tol = f" {fit}"
    elif source == "explicit":
        if math.isfinite(dl) and math.isfinite(du) and math.isclose(-dl, du):
            tol = f" ±{du:g}"
        else:
            parts = [f"{v:+g}" if v else "0" for v in (du, dl) if math.isfinite(v)]
            tol = " " + "/".join(parts) if parts else ""
    elif source == "general":
        half = (hi - lo) / 2
        tol = f" ±{half:.6g} general" if math.isfinite(half) else " general"
    limits = _limits_text(lo, hi, unit)
    return f"{base}{tol} {limits}".strip() if limits else f"{base}{tol}".strip()


def _text(v: Any) -> str | None:
    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)


def _mm_factor(unit: Any) -> float:
    u = canonical_unit(unit) if isinstance(unit, str) else None
    return LENGTH_TO_MM.get(u, math.nan) if u else math.nan


class _Rows:
    """Rows collected as tuples of the plan's own columns (before numbering)."""

    FIELDS = (
        "drawing_id",
        "page",
        "table",
        "reference_id",
        "item_index",
        "role",
        "role_order",
        "label",
        "requirement",
        "kind",
        "characteristic_type",
        "nominal",
        "lower_limit",
        "upper_limit",
        "unit",
        "nominal_mm",
        "lower_limit_mm",
        "upper_limit_mm",
        "tolerance_source",
        "it_grade",
        "quantity",
        "side",
    )

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: Any) -> None:
        self.rows.append(tuple(values.get(f) for f in self.FIELDS))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(self.rows, columns=list(self.FIELDS))


def _records(df: pd.DataFrame, cols: Iterable[str]) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, ``None`` for every missing value."""
    names = [c for c in cols if c in df.columns]
    lists = [[None if _missing(v) else v for v in df[c].tolist()] for c in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*lists, strict=True)] if names else []


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


_SIZE_COLS = (
    "drawing_id",
    "page",
    "reference_id",
    "item_index",
    "label",
    "quantity",
    "nominal",
    "unit",
    "size_type",
    "fit",
    "deviation_lower",
    "deviation_upper",
    "lower_limit",
    "upper_limit",
    "nominal_mm",
    "lower_limit_mm",
    "upper_limit_mm",
    "tolerance_source",
    "it_grade",
)


def _size_row(rows: _Rows, r: dict[str, Any], table: str, role: str, order: int, kind: str, label: Any) -> None:
    lo, hi = _num(r.get("lower_limit")), _num(r.get("upper_limit"))
    rows.add(
        drawing_id=r["drawing_id"],
        page=r.get("page"),
        table=table,
        reference_id=r.get("reference_id"),
        item_index=r.get("item_index"),
        role=role,
        role_order=order,
        label=label,
        requirement=_size_requirement(
            _num(r.get("nominal")),
            r.get("unit"),
            r.get("size_type"),
            r.get("fit"),
            _num(r.get("deviation_lower")),
            _num(r.get("deviation_upper")),
            r.get("tolerance_source"),
            lo,
            hi,
        ),
        kind=kind,
        characteristic_type=r.get("size_type"),
        nominal=r.get("nominal"),
        lower_limit=lo,
        upper_limit=hi,
        unit=r.get("unit"),
        nominal_mm=r.get("nominal_mm"),
        lower_limit_mm=r.get("lower_limit_mm"),
        upper_limit_mm=r.get("upper_limit_mm"),
        tolerance_source=r.get("tolerance_source"),
        it_grade=r.get("it_grade"),
        quantity=r.get("quantity"),
        side=feature_side(table, kind, r.get("fit")),
    )


def _collect(tables: Mapping[str, pd.DataFrame], notes: bool) -> pd.DataFrame:
    rows = _Rows()
    sizes = tables["sizes"]
    sizes = sizes[sizes["table"].isin(list(schema.FEATURE_TABLES)).to_numpy(dtype=bool, na_value=False)]
    sizes = sizes[~sizes["role"].astype(object).str.contains(_SKIPPED_ROLE).to_numpy(dtype=bool, na_value=True)]
    by_item: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in _records(sizes, (*_SIZE_COLS, "table", "role")):
        by_item.setdefault((r["drawing_id"], r["table"], r["reference_id"], r["item_index"]), []).append(r)
    for name in schema.FEATURE_TABLES:
        df = tables[name]
        if not len(df):
            continue
        t = schema.TABLES[name]
        cols = (
            *_SIZE_COLS,
            *(c.name for c in schema.THREAD_LIMIT_COLUMNS),
            "thread_type",
            "tolerance_class",
            "pitch_mm",
        )
        extra = {
            "gdnts": ("characteristic_name", "zone_shape", "datums", "material_condition", "zone_value_unit"),
            "fasteners": ("designation",),
        }.get(name, ())
        for r in _records(df, (*cols, *extra)):
            key = (r["drawing_id"], name, r.get("reference_id"), r.get("item_index"))
            roles = schema.SIZE_ROLES.get(f"FEATURES.{name}[]", ())
            seconds = sorted(
                by_item.pop(key, []),
                key=lambda s: (roles.index(s["role"]) if s["role"] in roles else len(roles), str(s["role"])),
            )
            label = r.get("label")
            n_before = len(rows.rows)
            if name == "threads" and r.get("iso965_class") is not None:
                _thread_rows(rows, r)
            elif t.has_size and name != "threads":
                if r.get("tolerance_source") in ("reference", "exact"):
                    continue
                kind = _KIND_OF_TABLE.get(name) or _KIND_OF_SIZE_TYPE.get(str(r.get("size_type")), "size")
                _size_row(rows, r, name, "size", 0, kind, label)
            for k, s in enumerate(seconds, start=1):
                role = _role_name(str(s["role"]))
                kind = _kind_of_role(str(s["role"]), name, s.get("size_type"))
                if name == "gdnts":
                    _gdnt_row(rows, r, s)
                    continue
                if s.get("tolerance_source") in ("reference", "exact"):
                    continue
                _size_row(rows, dict(s, quantity=r.get("quantity")), name, role, 10 + k, kind, label)
            if len(rows.rows) == n_before and name != "roughnesses":
                # a feature with no size of its own (an undercut without sizes, a fastener, a thread
                # without ISO 965 limits): one row with the callout as its requirement
                text = _text(label) or _text(r.get("designation")) or name
                rows.add(
                    drawing_id=r["drawing_id"],
                    page=r.get("page"),
                    table=name,
                    reference_id=r.get("reference_id"),
                    item_index=r.get("item_index"),
                    role="size",
                    role_order=0,
                    label=label,
                    requirement=text,
                    kind={"threads": "thread", "gdnts": "gdt"}.get(name, "feature"),
                    characteristic_type=r.get("thread_type") if name == "threads" else name,
                    tolerance_source="none" if r.get("tolerance_source") is None else r.get("tolerance_source"),
                    quantity=r.get("quantity"),
                )
    _roughness_rows(rows, tables["roughnesses"], tables["roughness_conditions"])
    if notes:
        for r in _records(tables["notes"], ("drawing_id", "page", "reference_id", "item_index", "label", "note_type")):
            rows.add(
                drawing_id=r["drawing_id"],
                page=r.get("page"),
                table="notes",
                reference_id=r.get("reference_id"),
                item_index=r.get("item_index"),
                role="size",
                role_order=0,
                label=r.get("label"),
                requirement=_text(r.get("label")) or "",
                kind="note",
                characteristic_type=r.get("note_type"),
                tolerance_source="none",
                quantity=1,
            )
    return rows.frame()


def _thread_rows(rows: _Rows, r: dict[str, Any]) -> None:
    side = r.get("thread_side")
    crest = "minor_diameter" if side == "internal" else "major_diameter"
    callout = _text(r.get("label")) or f"M{_num(r.get('nominal')):g}-{r.get('iso965_class')}"
    for order, role in ((1, "pitch_diameter"), (2, crest)):
        lo = _num(r.get(f"{role}_lower_mm"))
        hi = _num(r.get(f"{role}_upper_mm"))
        nominal = _num(r.get("pitch_diameter_nominal_mm")) if role == "pitch_diameter" else _num(r.get("nominal_mm"))
        if role == "minor_diameter":  # D1 = D - 1.082532 P (ISO 724)
            nominal = round(_num(r.get("nominal_mm")) - 1.082532 * _pitch(r), 3)
        rows.add(
            drawing_id=r["drawing_id"],
            page=r.get("page"),
            table="threads",
            reference_id=r.get("reference_id"),
            item_index=r.get("item_index"),
            role=role,
            role_order=order,
            label=r.get("label"),
            requirement=f"{callout} {role.replace('_', ' ')} {_limits_text(lo, hi, 'mm')}".strip(),
            kind="thread",
            characteristic_type=r.get("thread_type"),
            nominal=nominal,
            lower_limit=lo,
            upper_limit=hi,
            unit="mm",
            nominal_mm=nominal,
            lower_limit_mm=lo,
            upper_limit_mm=hi,
            tolerance_source="iso965",
            quantity=r.get("quantity"),
            side=side if side in ("internal", "external") else None,
        )


def _pitch(r: dict[str, Any]) -> float:
    """The pitch the ISO 965 limits were computed with: as written, else ISO 261's coarse pitch."""
    from ..tolerances import coarse_pitch_mm

    p = _num(r.get("pitch_mm"))
    return p if math.isfinite(p) else coarse_pitch_mm().get(_num(r.get("nominal_mm")), math.nan)


def _gdnt_row(rows: _Rows, r: dict[str, Any], s: dict[str, Any]) -> None:
    zone = _num(s.get("nominal"))
    unit = s.get("unit")
    name = _text(r.get("characteristic_name")) or "GD&T"
    sym = "Ø" if r.get("zone_shape") == "diameter" else ("SØ" if r.get("zone_shape") == "spherical" else "")
    mod = f" {r['material_condition']}" if r.get("material_condition") else ""
    datums = f" | {str(r['datums']).replace('|', ' | ')}" if r.get("datums") else ""
    req = f"{name} {sym}{zone:g}{mod}{datums}" if math.isfinite(zone) else f"{name}{datums}"
    f = _mm_factor(unit)
    rows.add(
        drawing_id=r["drawing_id"],
        page=r.get("page"),
        table="gdnts",
        reference_id=r.get("reference_id"),
        item_index=r.get("item_index"),
        role="size",
        role_order=0,
        label=r.get("label"),
        requirement=req,
        kind="gdt",
        characteristic_type=name.upper().replace(" ", "_"),
        nominal=math.nan,
        lower_limit=math.nan,
        upper_limit=zone,
        unit=unit,
        nominal_mm=math.nan,
        lower_limit_mm=math.nan,
        upper_limit_mm=zone * f,
        tolerance_source="explicit" if math.isfinite(zone) else "none",
        quantity=r.get("quantity"),
    )


def _roughness_rows(rows: _Rows, symbols: pd.DataFrame, conditions: pd.DataFrame) -> None:
    own = symbols[~symbols["is_general"].fillna(False).to_numpy(dtype=bool)]
    conds: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    cols = ("drawing_id", "page", "reference_id", "item_index", "condition_index", "condition_type", "parameter")
    for c in _records(conditions, (*cols, "value", "value_unit")):
        if c.get("item_index") is None:  # the general roughness's conditions
            continue
        conds.setdefault((c["drawing_id"], c.get("reference_id"), c.get("item_index")), []).append(c)
    for r in _records(own, ("drawing_id", "page", "reference_id", "item_index", "label", "quantity")):
        mine = sorted(
            conds.get((r["drawing_id"], r.get("reference_id"), r.get("item_index")), []),
            key=lambda c: -1 if c.get("condition_index") is None else int(c["condition_index"]),
        )
        params: dict[str, list[dict[str, Any]]] = {}
        for c in mine:
            params.setdefault(str(c.get("parameter") or "?"), []).append(c)
        if not params:
            params = {"": []}
        for k, (param, cs) in enumerate(params.items()):
            lo = next((_num(c.get("value")) for c in cs if c.get("condition_type") == "LOWER"), math.nan)
            hi = next((_num(c.get("value")) for c in cs if c.get("condition_type") in ("UPPER", "AVERAGE")), math.nan)
            if not cs:
                pass
            elif not math.isfinite(hi) and not math.isfinite(lo):
                hi = _num(cs[0].get("value"))
            unit = next((c.get("value_unit") for c in cs if c.get("value_unit")), None)
            f = _mm_factor(unit)
            if math.isfinite(lo) and math.isfinite(hi):
                req = f"{param} {lo:g}–{hi:g} {unit or ''}".strip()
            elif math.isfinite(hi):
                req = f"{param} ≤ {hi:g} {unit or ''}".strip()
            elif math.isfinite(lo):
                req = f"{param} ≥ {lo:g} {unit or ''}".strip()
            else:
                req = _text(r.get("label")) or "roughness"
            rows.add(
                drawing_id=r["drawing_id"],
                page=r.get("page"),
                table="roughnesses",
                reference_id=r.get("reference_id"),
                item_index=r.get("item_index"),
                role="size" if k == 0 else param.lower(),
                role_order=k,
                label=r.get("label"),
                requirement=req,
                kind="roughness",
                characteristic_type=param or None,
                nominal=math.nan,
                lower_limit=lo,
                upper_limit=hi,
                unit=unit,
                nominal_mm=math.nan,
                lower_limit_mm=lo * f,
                upper_limit_mm=hi * f,
                tolerance_source="explicit" if math.isfinite(hi) or math.isfinite(lo) else "none",
                quantity=r.get("quantity"),
            )


# --------------------------------------------------------------------------------------
# Placement and numbering
# --------------------------------------------------------------------------------------

_UNLOCATED_NOTE = "no position on the sheet: numbered after the located characteristics"


def _first_per_ref(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """One row per (drawing_id, page, reference_id): the one of the smallest item_index (so the
    result does not depend on the order of the rows)."""
    keys = ["drawing_id", "page", "reference_id"]
    df = df[keys + ["item_index", *cols]].dropna(subset=["reference_id"])
    df = df.sort_values([*keys, "item_index"], kind="mergesort", na_position="last")
    return df.drop_duplicates(keys, keep="first").drop(columns="item_index")


def _place(plan: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    pos = tables["positions"]
    pos = pos[(pos["coordinate_space"] == "PIXEL_SPACE").to_numpy(dtype=bool, na_value=False)]
    corners = pos[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=np.nan)
    pos = pos[np.isfinite(corners).all(axis=1)]
    boxes = _first_per_ref(pos, ["x_min", "y_min", "x_max", "y_max"])
    balloons = tables["balloons"]
    bc = balloons[["center_x", "center_y"]].to_numpy(dtype=float, na_value=np.nan)
    balloons = _first_per_ref(balloons[np.isfinite(bc).all(axis=1)], ["center_x", "center_y"])
    keys = ["drawing_id", "page", "reference_id"]
    out = plan.merge(boxes, on=keys, how="left").merge(balloons, on=keys, how="left")
    images = tables["images"]
    images = images[(images["kind"] == "sheet").to_numpy(dtype=bool, na_value=False)]
    images = images[(images["image_index"] == 0).to_numpy(dtype=bool, na_value=False)]
    images = images[["drawing_id", "page", "width", "height"]].drop_duplicates(["drawing_id", "page"])
    out = out.merge(images, on=["drawing_id", "page"], how="left")
    return out


def _paper_sizes(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    prof = tables["document_profiles"].sort_values(["drawing_id", "page"], kind="mergesort")
    for d, p in zip(prof["drawing_id"].tolist(), prof["paper_size"].tolist(), strict=True):
        if _text(p) and d not in out:
            out[d] = p
    meta = tables["metadata"]
    for d, p in zip(meta["drawing_id"].tolist(), meta["paper_size"].tolist(), strict=True):
        if _text(p):
            out[d] = p
    return out


def _number(plan: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Zones, ``located`` and the balloon numbers (see ``docs/inspection.md``, "numbering")."""
    plan = _place(plan, tables)
    n = len(plan)
    box = plan[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=np.nan)
    has_box = np.isfinite(box).all(axis=1) if n else np.zeros(0, dtype=bool)
    bx = plan["center_x"].to_numpy(dtype=float, na_value=np.nan)
    by = plan["center_y"].to_numpy(dtype=float, na_value=np.nan)
    has_balloon = np.isfinite(bx) & np.isfinite(by)
    located = has_box | has_balloon
    # the feature's place: its box centre, else the balloon's centre
    fx = np.where(has_box, (box[:, 0] + box[:, 2]) / 2 if n else 0, bx)
    fy = np.where(has_box, (box[:, 1] + box[:, 3]) / 2 if n else 0, by)
    # where the balloon goes: Werk24's balloon, else the top-left corner of the box
    plan["balloon_x"] = np.where(has_balloon, bx, np.where(has_box, box[:, 0] if n else 0, np.nan))
    plan["balloon_y"] = np.where(has_balloon, by, np.where(has_box, box[:, 1] if n else 0, np.nan))
    papers = _paper_sizes(tables)
    width = plan["width"].to_numpy(dtype=float, na_value=np.nan)
    height = plan["height"].to_numpy(dtype=float, na_value=np.nan)
    zones: list[str | None] = []
    row_i = np.zeros(n, dtype=np.int64)
    col_i = np.zeros(n, dtype=np.int64)
    drawing_ids = plan["drawing_id"].tolist()
    for k in range(n):
        w, h = width[k], height[k]
        if not located[k] or not (w > 0 and h > 0):
            zones.append(None)
            continue
        paper = papers.get(drawing_ids[k])
        zones.append(sheet_zone(fx[k], fy[k], paper, w, h))
        # the order follows the zone grid; where it is unknown, an A3-like grid of the image
        grid = zone_grid(paper, w, h) or ((8, 6) if w >= h else (6, 8))
        col_i[k], row_i[k] = _cells(fx[k], fy[k], w, h, *grid)
    plan["zone"] = pd.array(zones, dtype=schema.pandas_dtype("string"))
    plan["located"] = pd.array(located, dtype="boolean")
    plan["note"] = pd.array([None if loc else _UNLOCATED_NOTE for loc in located], dtype=schema.pandas_dtype("string"))
    # The numbering rule: located before unlocated; located ones by page, zone row (A first),
    # zone column (1 first), then top to bottom and left to right by the feature's place; the
    # rows of one feature stay together in role order. Unlocated ones by page, table (schema
    # order), item_index. Ties end on the key, so the order never depends on the input's row order.
    table_order = {name: i for i, name in enumerate((*schema.FEATURE_TABLES, "notes"))}
    page = plan["page"].to_numpy(dtype=float, na_value=-1.0)
    sort = pd.DataFrame(
        {
            "drawing_id": plan["drawing_id"].astype(object),
            "unlocated": ~located,
            "page": page,
            "row": np.where(located, row_i, 0),
            "col": np.where(located, col_i, 0),
            "y": np.where(located, np.round(np.nan_to_num(fy, nan=0.0), 3), 0.0),
            "x": np.where(located, np.round(np.nan_to_num(fx, nan=0.0), 3), 0.0),
            "table": plan["table"].map(table_order).fillna(len(table_order)).to_numpy(dtype=float),
            "reference_id": plan["reference_id"].to_numpy(dtype=float, na_value=-1.0),
            "item_index": plan["item_index"].to_numpy(dtype=float, na_value=-1.0),
            "role_order": plan["role_order"].to_numpy(dtype=float),
            "role": plan["role"].astype(object),
        }
    )
    order = sort.sort_values(list(sort.columns), kind="mergesort").index
    plan = plan.loc[order].reset_index(drop=True)
    plan["characteristic"] = plan.groupby("drawing_id", sort=False).cumcount() + 1
    return plan


# --------------------------------------------------------------------------------------
# Classification and methods
# --------------------------------------------------------------------------------------


def _as_set(v: Any) -> set[str]:
    return {v} if isinstance(v, str) else {str(x) for x in v}


def _check_rules(rules: Sequence[Rule], result: str, what: str) -> list[Rule]:
    out = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, Mapping):
            raise TypeError(f"{what} rule {i} must be a mapping such as {{{result!r}: ..., 'kind': ...}}, not {rule!r}")
        unknown = set(rule) - {result, *RULE_CONDITIONS}
        if unknown:
            raise ValueError(
                f"{what} rule {i} has unknown keys {sorted(unknown)}; a rule has {result!r} and any of "
                f"{', '.join(RULE_CONDITIONS)}"
            )
        if result not in rule or not isinstance(rule[result], str):
            raise ValueError(f"{what} rule {i} must give {result!r} as a string: {dict(rule)!r}")
        for key in ("it_grade_at_most", "tolerance_mm_at_most"):
            if key in rule and not isinstance(rule[key], int | float):
                raise ValueError(f"{what} rule {i}: {key} must be a number, not {rule[key]!r}")
        out.append(rule)
    return out


def tolerance_mm(plan: pd.DataFrame) -> np.ndarray:
    """Width of each row's tolerance zone in mm: upper minus lower limit, or the one-sided limit
    of a GD&T zone or roughness value; NaN where there is none."""
    lo = plan["lower_limit_mm"].to_numpy(dtype=float, na_value=np.nan)
    hi = plan["upper_limit_mm"].to_numpy(dtype=float, na_value=np.nan)
    one_sided = plan["kind"].isin(["gdt", "roughness"]).to_numpy(dtype=bool, na_value=False) & np.isnan(lo)
    return np.where(one_sided, hi, hi - lo)


def _apply_rules(plan: pd.DataFrame, rules: Sequence[Rule], result: str) -> np.ndarray:
    n = len(plan)
    out = np.full(n, None, dtype=object)
    todo = np.ones(n, dtype=bool)
    width = tolerance_mm(plan)
    grade = plan["it_grade"].to_numpy(dtype=float, na_value=np.nan)
    for rule in rules:
        if not todo.any():
            break
        hit = todo.copy()
        for key, want in rule.items():
            if key == result:
                continue
            if key == "it_grade_at_most":
                with np.errstate(invalid="ignore"):
                    hit &= grade <= float(want)
            elif key == "tolerance_mm_at_most":
                with np.errstate(invalid="ignore"):
                    hit &= width <= float(want) + 1e-12
            else:
                hit &= plan[key].isin(list(_as_set(want))).to_numpy(dtype=bool, na_value=False)
        out[hit] = rule[result]
        todo &= ~hit
    return out


def _decide(plan: pd.DataFrame, given: Any, defaults: Sequence[Rule], result: str, what: str) -> Any:
    string = schema.pandas_dtype("string")
    if given is None:
        values = _apply_rules(plan, defaults, result)
    elif callable(given):
        values = np.asarray(list(given(plan.copy(deep=False))), dtype=object)
        if len(values) != len(plan):
            raise ValueError(f"{what}= returned {len(values)} values for a plan of {len(plan)} rows")
    elif isinstance(given, Mapping) and not (set(given) & {result, *RULE_CONDITIONS}):
        # {kind: value}: these kinds get the value, the others the default rules
        values = _apply_rules(plan, defaults, result)
        kinds = plan["kind"].astype(object).to_numpy()
        for kind, value in given.items():
            values[kinds == kind] = value
    elif isinstance(given, Sequence) and not isinstance(given, str):
        values = _apply_rules(plan, _check_rules(list(given), result, what), result)
    else:
        raise TypeError(
            f"{what}= takes a function of the plan, a mapping from kind to {result}, or a list of rules "
            f"like {what.upper()}_RULES; not {type(given).__name__}"
        )
    return pd.array([None if v is None or v is pd.NA else str(v) for v in values], dtype=string)


# --------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------

_NEEDED = (
    "metadata",
    "sizes",
    "roughness_conditions",
    "notes",
    "positions",
    "balloons",
    "images",
    "document_profiles",
)


def _source(source: Any) -> tuple[Corpus, pd.DataFrame | None]:
    from .._corpus import Corpus, corpus_of

    if isinstance(source, Corpus):
        return source, None
    if isinstance(source, pd.DataFrame):
        corpus = corpus_of(source)
        if corpus is None:
            raise ValueError(
                "inspection_plan takes a corpus, or rows of one of its tables (which remember their corpus); "
                "this DataFrame does not come from a corpus"
            )
        return corpus, source
    raise TypeError(
        f"inspection_plan takes a werk24_frames Corpus or rows of one of its tables, not {type(source).__name__}"
    )


def _table_of(rows: pd.DataFrame) -> str | None:
    cols = list(rows.columns)
    for name in schema.FEATURE_TABLES:
        if cols[: len(schema.TABLES[name].columns)] == schema.TABLES[name].column_names:
            return name
    return None


def inspection_plan(
    corpus: Any,
    *,
    classify: Callable[[pd.DataFrame], Any] | Mapping[str, str] | Sequence[Rule] | None = None,
    methods: Callable[[pd.DataFrame], Any] | Mapping[str, str] | Sequence[Rule] | None = None,
    notes: bool = True,
) -> pd.DataFrame:
    """One row per characteristic (requirement) of every drawing, with its balloon number.

    Parameters
    ----------
    corpus
        A :class:`~werk24_frames.Corpus` (``corpus.select(...)`` for some drawings), or rows of
        one of its feature tables (``corpus.features``, ``corpus.dimensions``, a slice of them):
        then the plan has those features' rows, numbered as in their drawing's whole plan.
    classify
        How rows are classified critical / major / minor: ``None`` for
        :data:`CLASSIFICATION_RULES`; a list of rules of the same shape (the first that matches
        decides); a mapping ``{kind: classification}`` for some kinds (the others by the
        default rules); or a function of the plan (a DataFrame) returning one value per row.
    methods
        The suggested measuring method, the same ways (default :data:`METHOD_RULES`).
    notes
        Include the drawing's notes as characteristics (kind ``note``).

    Returns
    -------
    pandas.DataFrame
        The ``inspection_plan`` table (``wf.schema.describe("inspection_plan")``), sorted by
        drawing and ``characteristic``. Numbers run 1..n per drawing without gaps: located
        characteristics first, by page, ISO 5457 zone (A1, A2, … row by row), then top to bottom
        and left to right, the rows of one feature consecutively; unlocated ones after them,
        with a ``note`` saying so. The numbers depend only on the table values, never on row
        order, so they are the same from a cold load, the table cache and a dataset.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> plan = wf.inspection_plan(corpus.select("WF-1015"))
    >>> print(plan[["characteristic", "zone", "requirement", "method"]].head(3).to_string(index=False))
     characteristic zone             requirement     method
                  1   A1 10 ±0.02 (9.980–10.020) micrometer
                  2   A2    2 ±0.1 (1.900–2.100)   calliper
                  3   A2   4 ±0.05 (3.950–4.050)   calliper
    >>> plan["characteristic"].tolist() == list(range(1, len(plan) + 1))
    True
    >>> threads = plan[plan.table == "threads"]
    >>> print(threads[["role", "lower_limit_mm", "upper_limit_mm", "tolerance_source"]].to_string(index=False))
              role  lower_limit_mm  upper_limit_mm tolerance_source
    pitch_diameter          21.803          22.003           iso965
    major_diameter          23.577          23.952           iso965
    """
    corpus_obj, rows = _source(corpus)
    if rows is not None:
        ids = rows["drawing_id"].dropna().astype(str).unique().tolist()
        sub = corpus_obj.select(ids) if ids else corpus_obj.select([])
        plan = inspection_plan(sub, classify=classify, methods=methods, notes=notes)
        did = rows["drawing_id"].astype(object).tolist()
        ref = rows["reference_id"].astype(object).tolist()
        if "table" in rows.columns:
            wanted = set(zip(did, rows["table"].astype(object).tolist(), ref, strict=True))
        else:
            name = _table_of(rows)
            if name is None:
                return plan  # rows of a table that is not a feature table: the plan of their drawings
            wanted = set(zip(did, [name] * len(rows), ref, strict=True))
        have = zip(*(plan[c].astype(object).tolist() for c in ("drawing_id", "table", "reference_id")), strict=True)
        keep = [k in wanted for k in have]
        return plan[np.asarray(keep, dtype=bool)].reset_index(drop=True)
    from ..comparison import drawing_revisions

    tables = {name: corpus_obj._frame(name) for name in (*schema.FEATURE_TABLES, *_NEEDED)}
    plan = _collect(tables, notes)
    plan = _number(plan, tables)
    # The drawing's header data on every row, so that a plan saved and read back (CSV, Excel)
    # still fills the AS9102 and QIF headers without its corpus.
    header = corpus_obj._frame("metadata").drop_duplicates("drawing_id").set_index("drawing_id")
    plan["drawing_number"] = plan["drawing_id"].map(header["drawing_number"])
    plan["drawing_revision"] = plan["drawing_id"].map(drawing_revisions(corpus_obj)["revision"])
    plan["part_number"] = plan["drawing_id"].map(header["part_number"])
    plan["part_name"] = plan["drawing_id"].map(header["designation"])
    plan["material"] = plan["drawing_id"].map(header["material"])
    plan["material_standard"] = plan["drawing_id"].map(header["material_standard"])
    plan["classification"] = _decide(plan, classify, CLASSIFICATION_RULES, "classification", "classify")
    plan["method"] = _decide(plan, methods, METHOD_RULES, "method", "methods")
    if methods is None and len(plan):  # the default rules' neutral method says why in the note
        neutral = (plan["method"] == SIDE_UNKNOWN_METHOD).to_numpy(dtype=bool, na_value=False)
        plan["note"] = [
            ("; ".join(filter(None, [None if _missing(n) else str(n), _SIDE_UNKNOWN_NOTE])) if hit else n)
            for n, hit in zip(plan["note"].tolist(), neutral, strict=True)
        ]
    plan["quantity"] = plan["quantity"].fillna(1) if len(plan) else plan["quantity"]
    return _typed(plan)


def _typed(plan: pd.DataFrame) -> pd.DataFrame:
    empty = schema.empty_frame(_PLAN)
    if not len(plan):
        return empty
    out: dict[str, Any] = {}
    for c in empty.columns:
        dtype = empty[c].dtype
        col = plan[c]
        if isinstance(dtype, pd.StringDtype):
            out[c] = pd.array([None if _missing(v) else str(v) for v in col.tolist()], dtype=dtype)
        elif str(dtype) == "Int64":
            numbers = pd.to_numeric(col.astype(object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            out[c] = pd.arrays.IntegerArray(np.nan_to_num(np.round(numbers)).astype(np.int64), np.isnan(numbers))
        elif str(dtype) == "boolean":
            out[c] = col.astype("boolean").array
        else:
            out[c] = pd.to_numeric(col.astype(object), errors="coerce").astype(dtype).to_numpy()
    return pd.DataFrame(out)
