"""The columns of every werk24_frames table: name, dtype and meaning.

This module is the single source of truth for the tables a :class:`~werk24_frames.Corpus`
exposes. The flatteners build their columns from it, ``docs/tables.md`` is generated from it
and the tests check every table against it.

Examples
--------
>>> import werk24_frames as wf
>>> cols = wf.schema.describe("dimensions")
>>> list(cols.columns)
['column', 'dtype', 'description', 'json_path']
>>> "nominal" in set(cols["column"])
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FEATURE_TABLES",
    "RESULTS",
    "SIZE_TABLES",
    "TABLES",
    "Column",
    "Table",
    "describe",
    "empty_frame",
    "table_names",
    "to_markdown",
]

DtypeName = Literal["string", "float", "Int64", "boolean", "object"]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        The column name (a public contract: renaming one breaks user code).
    dtype
        ``"string"`` (pandas ``StringDtype("pyarrow")``), ``"float"`` (float64, NaN when missing),
        ``"Int64"`` and ``"boolean"`` (pandas nullable), or ``"object"``.
    description
        One line saying what the column holds, in the user's words.
    json_path
        Where the value sits inside one item of the table's response list, e.g.
        ``size.value``: keys joined by ``.``, ``[]`` for every element of a list, alternatives
        (one key or another, as thread families name their size) joined by `` | ``. Empty for
        columns that describe where a row came from or are computed after reading.
    derived
        The value is made from the value(s) at ``json_path`` (joined, counted, mapped to a
        name) rather than copied; the test oracle does not compare it one to one.
    """

    name: str
    dtype: DtypeName
    description: str
    json_path: str = ""
    derived: bool = False


@dataclass(frozen=True)
class Table:
    """A table: its name, what one row is, its columns and the JSON it comes from."""

    name: str
    row: str
    columns: tuple[Column, ...]
    json_list: str = ""
    """Where the table's items sit inside the answer of :attr:`ask`, e.g. ``dimensions`` or
    ``bill_of_material.rows``; empty when a row is the answer itself (``metadata``)."""
    ask: str = ""
    """The ask whose answers the table is read from, e.g. ``FEATURES``; empty for tables
    that are not read from one ask's answer (``features``, ``problems``, ``images``)."""
    has_size: bool = False
    also: tuple[str, ...] = field(default=())
    """Further places the same kind of item is read from, as full paths (e.g. the drawing's
    ``META_DATA.general_roughness`` for ``roughnesses``)."""
    notes: tuple[str, ...] = field(default=())
    computed: tuple[str, ...] = field(default=())
    """Columns the corpus computes after reading (tolerance limits, weight in kg)."""

    @property
    def items(self) -> tuple[str, ...]:
        """Full JSON paths of the items a row is read from: ``FEATURES.dimensions[]``, ..."""
        if not self.ask:
            return ()
        own = f"{self.ask}.{self.json_list}[]" if self.json_list else self.ask
        return (own, *self.also)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def read_columns(self) -> tuple[Column, ...]:
        """The columns read from the answers (all but :attr:`computed`)."""
        return tuple(c for c in self.columns if c.name not in self.computed)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")


def _c(name: str, dtype: DtypeName, description: str, json_path: str = "", *, derived: bool = False) -> Column:
    return Column(name, dtype, description, json_path, derived)


# --------------------------------------------------------------------------------------
# Column groups shared by several tables
# --------------------------------------------------------------------------------------

DRAWING_COLUMNS = (
    _c("drawing_id", "string", "Stable id of the drawing: file stem, folder name or content hash."),
    _c("source", "string", "The file (or in-memory input) the row was read from."),
)

ITEM_COLUMNS = (
    _c("page", "Int64", "Page of the drawing the answer is about (0-based `page_number`)."),
    _c("item_index", "Int64", "Position of the item in its response list; locates the raw JSON."),
)

FEATURE_COLUMNS = (
    _c("reference_id", "Int64", "Werk24's id of the item; joins to `positions`.", "reference_id"),
    _c("label", "string", "The text as printed on the drawing, untouched.", "label"),
    _c("quantity", "Int64", "How often the feature occurs (e.g. 4 for `4x Ø6`).", "quantity"),
    _c("confidence", "float", "Werk24's confidence score, 0 to 1.", "confidence.score"),
)


def _size_columns(prefix: str) -> tuple[Column, ...]:
    """The size columns of a table whose main size sits at ``prefix`` (e.g. ``size``)."""
    p = f"{prefix}." if prefix else ""
    t = f"{p}tolerance"
    return (
        _c("nominal", "float", "Nominal size in `unit`.", f"{p}value"),
        _c("unit", "string", "Unit of `nominal` and the deviations, as Werk24 wrote it.", f"{p}unit"),
        _c("size_type", "string", "LINEAR, DIAMETER, ANGULAR, SPHERICAL_DIAMETER, ...", f"{p}size_type"),
        _c("deviation_lower", "float", "Lower deviation from nominal, in `unit`.", f"{t}.deviation_lower"),
        _c("deviation_upper", "float", "Upper deviation from nominal, in `unit`.", f"{t}.deviation_upper"),
        _c("tolerance_grade", "string", "IT grade as Werk24 states or computes it.", f"{t}.tolerance_grade"),
        _c("fit", "string", "ISO 286 tolerance class or fit as written, e.g. `H7`.", f"{t}.fit"),
        _c(
            "is_general_tolerance",
            "boolean",
            "The general tolerance of the title block applies.",
            f"{t}.is_general_tolerance",
        ),
        _c(
            "is_theoretically_exact",
            "boolean",
            "Theoretically exact (boxed) dimension.",
            f"{t}.is_theoretically_exact",
        ),
        _c("is_reference", "boolean", "Reference dimension (in brackets).", f"{t}.is_reference"),
        _c("is_approximation", "boolean", "Approximate dimension (e.g. `≈`).", f"{t}.is_approximation"),
    )


TOLERANCE_COLUMNS = (
    _c("nominal_mm", "float", "Nominal size in mm (NA for angles and unknown units)."),
    _c("lower_limit", "float", "Smallest permitted size, in `unit`."),
    _c("upper_limit", "float", "Largest permitted size, in `unit`."),
    _c("tolerance_width", "float", "`upper_limit - lower_limit`, in `unit`."),
    _c("lower_limit_mm", "float", "`lower_limit` in mm."),
    _c("upper_limit_mm", "float", "`upper_limit` in mm."),
    _c("tolerance_width_mm", "float", "`tolerance_width` in mm."),
    _c(
        "it_grade",
        "Int64",
        "Coarsest ISO 286 grade whose IT fits in the width: the grade a process must hold (0: IT0/IT01).",
    ),
    _c(
        "tolerance_source",
        "string",
        "Where the limits come from: exact, reference, explicit, fit, general or none.",
    ),
)


def _quantity(name: str, what: str, path: str) -> tuple[Column, ...]:
    """A secondary value with its own unit: ``name`` and ``name_unit``."""
    return (
        _c(name, "float", f"{what}, in `{name}_unit`.", f"{path}.value"),
        _c(f"{name}_unit", "string", f"Unit of `{name}`.", f"{path}.unit"),
    )


def _depth(prefix: str, path: str, what: str) -> tuple[Column, ...]:
    return (
        _c(f"{prefix}_type", "string", f"{what}: SIZE, THROUGH, THROUGH_ALL or BLIND.", f"{path}.depth_type"),
        *_quantity(prefix, what, f"{path}.size"),
    )


def _feature_table(
    name: str,
    row: str,
    json_list: str,
    own: tuple[Column, ...],
    *,
    size: str | None = None,
    also: tuple[str, ...] = (),
    computed: tuple[Column, ...] = (),
) -> Table:
    size_cols = _size_columns(size) + TOLERANCE_COLUMNS if size else ()
    return Table(
        name=name,
        row=row,
        columns=DRAWING_COLUMNS + ITEM_COLUMNS + FEATURE_COLUMNS + size_cols + own,
        json_list=json_list,
        ask="FEATURES",
        also=also,
        has_size=size is not None,
        computed=(tuple(c.name for c in TOLERANCE_COLUMNS) if size else ()) + tuple(c.name for c in computed),
    )


# --------------------------------------------------------------------------------------
# Feature tables (FEATURES ask)
# --------------------------------------------------------------------------------------

_THREAD_OWN = (
    _c("thread_type", "string", "ISO_METRIC, UTS, NPT, WHITWORTH, SM, ACME or KNUCKLE.", "thread_type"),
    _c("handedness", "string", "RIGHT or LEFT.", "handedness"),
    _c("pitch_mm", "float", "Pitch in mm.", "spacing.pitch_in_mm"),
    _c("threads_per_inch", "float", "Threads per inch.", "spacing.threads_per_inch"),
    _c(
        "size_designation",
        "string",
        "Size in the family's own terms: `M5` (from the diameter), `1/4` (UTS), `1/8` (NPT)...",
        "uts_size | npt_size | acme_size | knuckle_size | sm_size | whitworth_size",
        derived=True,
    ),
    _c(
        "series",
        "string",
        "Thread series, e.g. UNC, UNF, NPT.",
        "uts_series | npt_series | acme_series | knuckle_series",
    ),
    _c(
        "tolerance_class",
        "string",
        "Tolerance class: UTS/Whitworth class, or ISO metric male/female classes joined by `/` "
        "(each of the four ISO tolerances is a row of `sizes`).",
        "uts_tolerance_class | whitworth_tolerance_class",
        derived=True,
    ),
    _c("profile", "string", "Knuckle thread profile.", "knuckle_profile"),
    *_depth("depth", "depth", "Thread depth"),
)

_BORE_OWN = (
    *_depth("depth", "depth", "Bore depth"),
    _c(
        "thread_reference_id",
        "Int64",
        "`reference_id` of the thread in this bore; joins to `threads`.",
        "thread.reference_id",
    ),
    *_quantity("counterbore_diameter", "Counterbore diameter", "counterbore.diameter"),
    *_depth("counterbore_depth", "counterbore.depth", "Counterbore depth"),
    *_quantity("countersink_diameter", "Countersink diameter", "countersink.diameter"),
    *_quantity("countersink_angle", "Countersink angle", "countersink.angle"),
    *_quantity("counterdrill_diameter", "Counterdrill diameter", "counterdrill.diameter"),
    *_depth("counterdrill_depth", "counterdrill.depth", "Counterdrill depth"),
    *_quantity("counterdrill_angle", "Counterdrill angle", "counterdrill.angle"),
)

_GDNT_OWN = (
    _c("characteristic", "string", "The characteristic as sent (a symbol such as `⌖`).", "characteristic"),
    _c(
        "characteristic_name",
        "string",
        "Its name: position, flatness, perpendicularity, ...",
        "characteristic",
        derived=True,
    ),
    *_quantity("zone_value", "Tolerance zone size", "zone.value"),
    _c(
        "zone_shape",
        "string",
        "`diameter` for a cylindrical zone (Ø), `spherical`, else `width`.",
        "zone.value.size_type",
        derived=True,
    ),
    _c("zone_combination", "string", "Zone combination modifier (e.g. CZ).", "zone.combination"),
    _c("zone_offset", "string", "Zone offset modifier (e.g. UZ).", "zone.offset"),
    _c("zone_constraint", "string", "Zone constraint modifier (e.g. OZ, VA).", "zone.constraint"),
    *_quantity("zone_extent", "Restricted extent of the zone (e.g. the 100 of `0.05/100`)", "zone.extend"),
    _c("zone_extent_quantity", "Int64", "Number of extents.", "zone.extend.quantity"),
    _c("zone_extent_angle", "float", "Angle of the extent, in degrees.", "zone.extend.angle"),
    _c("material_condition", "string", "Ⓜ, Ⓛ or Ⓡ.", "material_condition"),
    _c("state", "string", "Ⓕ (free state).", "state"),
    _c("feature_filter", "string", "Feature filter.", "feature.filter"),
    _c("associated_feature", "string", "Associated-feature modifier (Ⓒ Ⓖ Ⓝ Ⓧ Ⓣ).", "feature.associated_feature"),
    _c("derived_feature", "string", "Derived-feature modifier (Ⓟ Ⓐ).", "feature.derived_feature"),
    _c("reference_association", "string", "Reference association (C, CE, G, N, X...).", "reference.association"),
    _c("reference_parameter", "string", "Reference parameter (P, V, T, Q).", "reference.parameter"),
    _c("datums", "string", "Datum labels in order, joined by `|`, e.g. `A|B|C`.", "datums[].label", derived=True),
    _c("n_datums", "Int64", "Number of datums referenced.", "datums", derived=True),
)

_ROUGHNESS_OWN = (
    _c("standard", "string", "Roughness standard, e.g. `ISO 1302:2002`.", "standard"),
    _c("material_removal_type", "string", "UNSPECIFIED, REQUIRED or PROHIBITED.", "material_removal_type"),
    _c("applies_all_around", "boolean", "The symbol applies all around.", "applies_all_around"),
    _c("direction_of_lay", "string", "Lay symbol (= ⟂ X M C R P).", "direction_of_lay"),
    _c("manufacturing_process", "string", "Prescribed process text, if any.", "manufacturing_process"),
    *_quantity("machining_allowance", "Machining allowance", "machining_allowance"),
    _c(
        "parameter",
        "string",
        "Main parameter: that of the first condition, e.g. `Ra`.",
        "conditions[].parameter",
        derived=True,
    ),
    _c("value", "float", "Value of the main parameter, in `value_unit`.", "conditions[].value.value", derived=True),
    _c("value_unit", "string", "Unit of `value`.", "conditions[].value.unit", derived=True),
    _c(
        "roughness_grade",
        "string",
        "ISO N grade of the main condition, e.g. `N6`.",
        "conditions[].roughness_grade",
        derived=True,
    ),
    _c(
        "condition_type",
        "string",
        "UPPER, LOWER or AVERAGE (main condition).",
        "conditions[].condition_type",
        derived=True,
    ),
    _c("n_conditions", "Int64", "Number of conditions; all are in `roughness_conditions`.", "conditions", derived=True),
    *_quantity("waviness_height", "Waviness height", "waviness.height"),
    *_quantity("waviness_width", "Waviness width", "waviness.width"),
    _c(
        "is_general",
        "boolean",
        "The drawing's general roughness (META_DATA `general_roughness`, `item_index` NA), not a symbol on a view.",
    ),
)

_ROUGHNESS_CONDITION_OWN = (
    _c("condition_index", "Int64", "Position of the condition within its roughness symbol.", ""),
    _c("condition_type", "string", "UPPER, LOWER or AVERAGE.", "condition_type"),
    _c("filter_type", "string", 'Filter type (G, RG, S, "2RC").', "filter_type"),
    _c("parameter", "string", "Parameter, e.g. Ra, Rz.", "parameter"),
    *_quantity("value", "Parameter value", "value"),
    _c("roughness_grade", "string", "ISO N grade, e.g. `N6`.", "roughness_grade"),
    _c("acceptance_criterion", "string", "16%, max or mean.", "acceptance_criterion"),
    *_quantity("lambda_s", "Short-wave cut-off λs", "lambda_s"),
    *_quantity("lambda_c", "Long-wave cut-off λc", "lambda_c"),
    *_quantity("evaluation_length", "Evaluation length", "evaluation_length"),
)

_THREAD_HEAD = (
    _c("reference_id", "Int64", "Werk24's id of the thread.", "reference_id"),
    _c("label", "string", "The thread's text as printed.", "label"),
    _c("quantity", "Int64", "How often the thread occurs.", "quantity"),
    _c("confidence", "float", "Werk24's confidence score of the thread, 0 to 1.", "confidence.score"),
    *_quantity("diameter", "Nominal thread diameter", "diameter"),
)


def _nest(prefix: str, path: str, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns of an entity nested in another (a fastener's thread), named ``prefix_...``
    and read below ``path``; ``thread_type`` under ``fastener_thread`` is ``fastener_thread_type``."""
    word = prefix.rsplit("_", 1)[-1]
    out = []
    for c in columns:
        name = c.name.removeprefix(f"{word}_")
        paths = " | ".join(f"{path}.{p}" for p in c.json_path.split(" | ")) if c.json_path else ""
        out.append(Column(f"{prefix}_{name}", c.dtype, c.description, paths, c.derived))
    return tuple(out)


#: A thread inside another entity (a fastener, a bill-of-material row): its own columns, its
#: diameter as value and unit (the diameter's tolerance is a row of `sizes`).
NESTED_THREAD_COLUMNS = _THREAD_HEAD + _THREAD_OWN


def _fastener_spec(prefix: str, path: str) -> tuple[Column, ...]:
    """The columns of a FastenerSpecification (a fastener callout or a bill-of-material row's)."""
    at = f"{path}." if path else ""
    name = f"{prefix}_" if prefix else ""
    return (
        _c(
            f"{prefix}_type" if prefix else "fastener_type",
            "string",
            "SCREW, NUT, WASHER, PRESS_IN_NUT, ...",
            f"{at}fastener_type",
        ),
        _c(f"{name}designation", "string", "Fastener designation, e.g. `ISO 4762 M6x20`.", f"{at}designation"),
        _c(f"{name}standard", "string", "Standard, e.g. ISO 4762.", f"{at}standard"),
        _c(f"{name}manufacturer", "string", "Manufacturer.", f"{at}manufacturer"),
        *_nest(f"{name}thread", f"{at}thread", NESTED_THREAD_COLUMNS),
        *_quantity(f"{name}length", "Fastener length", f"{at}length"),
    )


_FASTENER_OWN = (
    *_fastener_spec("", ""),
    _c("note", "string", "Placement note, e.g. `pointing inward`.", "note"),
)

# --------------------------------------------------------------------------------------
# Issue 20 (inspection): the ISO 965 limits of ISO metric threads, computed by
# ``tolerances.add_thread_limits`` (names in ``tolerances.THREAD_LIMIT_COLUMNS``)
# --------------------------------------------------------------------------------------

THREAD_LIMIT_COLUMNS = (
    _c(
        "iso965_class",
        "string",
        "The ISO 965 class the limits are for (`6g`, `6H`, `5g6g`); NA for a class pair (`6H/6g`), "
        "no class, or not an ISO metric thread.",
    ),
    _c("thread_side", "string", "`external` (bolt: classes e f g h) or `internal` (nut: G H), from the class."),
    _c("pitch_diameter_nominal_mm", "float", "Basic pitch diameter d2 = D2 = d - 0.649519 P, in mm (ISO 724)."),
    _c("pitch_diameter_lower_mm", "float", "Smallest permitted pitch diameter (ISO 965-1 tables), in mm."),
    _c("pitch_diameter_upper_mm", "float", "Largest permitted pitch diameter, in mm."),
    _c("major_diameter_lower_mm", "float", "Smallest permitted major diameter of an external thread, in mm."),
    _c("major_diameter_upper_mm", "float", "Largest permitted major diameter of an external thread, in mm."),
    _c("minor_diameter_lower_mm", "float", "Smallest permitted minor diameter D1 of an internal thread, in mm."),
    _c("minor_diameter_upper_mm", "float", "Largest permitted minor diameter D1 of an internal thread, in mm."),
)

FEATURE_TABLE_LIST = (
    _feature_table("dimensions", "one dimension", "dimensions", (), size="size"),
    _feature_table(
        "threads",
        "one thread callout",
        "threads",
        _THREAD_OWN + THREAD_LIMIT_COLUMNS,
        size="diameter",
        computed=THREAD_LIMIT_COLUMNS,
    ),
    _feature_table("bores", "one bore callout", "bores", _BORE_OWN, size="diameter"),
    _feature_table(
        "chamfers",
        "one chamfer",
        "chamfers",
        _quantity("angle", "Chamfer angle", "angle"),
        size="size",
    ),
    _feature_table(
        "radii",
        "one radius",
        "radii",
        (_c("curvature_type", "string", "CONCAVE, CONVEX or PLANE.", "curvature_type"),),
        size="size",
    ),
    _feature_table("gdnts", "one GD&T feature control frame", "gdnts", _GDNT_OWN),
    _feature_table(
        "roughnesses",
        "one surface roughness symbol (and the drawing's general roughness)",
        "roughnesses",
        _ROUGHNESS_OWN,
        also=("META_DATA.general_roughness",),
    ),
    _feature_table(
        "undercuts",
        "one undercut",
        "undercuts",
        (
            _c("undercut_type", "string", "THREAD_UNDERCUT or RELIEF_GROOVE.", "undercut_type"),
            _c("standard", "string", "Standard, e.g. DIN 509.", "standard"),
            _c("form", "string", "Form, e.g. E, F.", "form"),
            *_quantity("radius", "Undercut radius", "radius"),
            *_quantity("depth", "Undercut depth", "depth"),
        ),
    ),
    _feature_table(
        "key_slots",
        "one key slot",
        "key_slots",
        (
            _c("standard", "string", "Standard, e.g. DIN 6885.", "standard"),
            _c("form", "string", "Form, e.g. A.", "form"),
            *_quantity("key_width", "Key width", "key_width"),
            *_quantity("key_height", "Key height", "key_height"),
            *_quantity("key_length", "Key length", "key_length"),
        ),
    ),
    _feature_table(
        "center_holes",
        "one centre hole",
        "center_holes",
        (
            _c("standard", "string", "Standard, e.g. ISO 6411.", "standard"),
            _c("form", "string", "Form, e.g. A, B, R.", "form"),
            *_quantity("pilot_diameter", "Pilot diameter", "pilot_diameter"),
            *_quantity("outer_diameter", "Outer diameter", "outer_diameter"),
            _c("requirement", "string", "REQUIRED, PERMITTED or NOT_PERMITTED.", "requirement"),
        ),
    ),
    _feature_table("fasteners", "one fastener callout", "fasteners", _FASTENER_OWN),
)

FEATURE_TABLES: tuple[str, ...] = tuple(t.name for t in FEATURE_TABLE_LIST)
SIZE_TABLES: tuple[str, ...] = tuple(t.name for t in FEATURE_TABLE_LIST if t.has_size)

ROUGHNESS_CONDITIONS = Table(
    "roughness_conditions",
    "one condition (parameter and value) of a roughness symbol",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (_c("reference_id", "Int64", "`reference_id` of the roughness symbol; joins to `roughnesses`."),)
    + _ROUGHNESS_CONDITION_OWN,
    json_list="roughnesses[].conditions",
    ask="FEATURES",
    also=("META_DATA.general_roughness.conditions[]",),
    notes=("The conditions of the general roughness have `item_index` NA.",),
)

# --------------------------------------------------------------------------------------
# Secondary sizes: every size or tolerance of an item besides its main size
# --------------------------------------------------------------------------------------

_SIZE_LEAVES = ("value", "unit", "size_type")
_TOLERANCE_LEAVES = (
    "deviation_lower",
    "deviation_upper",
    "tolerance_grade",
    "fit",
    "is_general_tolerance",
    "is_theoretically_exact",
    "is_reference",
    "is_approximation",
)


def _thread_roles(at: str) -> tuple[str, ...]:
    return (
        f"{at}diameter",
        f"{at}depth.size",
        *(
            f"{at}{k}_tolerance"
            for k in ("male_major_diameter", "male_pitch_diameter", "female_major_diameter", "female_pitch_diameter")
        ),
    )


_ROUGHNESS_ROLES = (
    "machining_allowance",
    "waviness.height",
    "waviness.width",
    "conditions[].value",
    "conditions[].lambda_s",
    "conditions[].lambda_c",
)
_ENVELOPE_ROLES = tuple(
    f"dimensions_{when}_processing.{shape}.{size}"
    for when in ("before", "after")
    for shape, sizes in (
        ("enclosing_cuboid", ("width", "height", "depth")),
        ("enclosing_cylinder", ("diameter", "depth")),
    )
    for size in sizes
)

#: For each item (its full JSON path), the sizes it holds besides its main size, each a row of
#: ``sizes``: a path ending in ``_tolerance`` is a bare tolerance (ISO 965 thread tolerances),
#: every other one a ``Size`` (value, unit, size type and tolerance).
SIZE_ROLES: dict[str, tuple[str, ...]] = {
    "FEATURES.threads[]": _thread_roles("")[1:],
    "FEATURES.bores[]": (
        "depth.size",
        "counterbore.diameter",
        "counterbore.depth.size",
        "countersink.diameter",
        "countersink.angle",
        "counterdrill.diameter",
        "counterdrill.depth.size",
        "counterdrill.angle",
    ),
    "FEATURES.chamfers[]": ("angle",),
    "FEATURES.gdnts[]": ("zone.value", "zone.extend"),
    "FEATURES.roughnesses[]": _ROUGHNESS_ROLES,
    "FEATURES.undercuts[]": ("radius", "depth"),
    "FEATURES.key_slots[]": ("key_width", "key_height", "key_length"),
    "FEATURES.center_holes[]": ("pilot_diameter", "outer_diameter"),
    "FEATURES.fasteners[]": ("length", *_thread_roles("thread.")),
    "META_DATA.general_roughness": _ROUGHNESS_ROLES,
    "META_DATA.bill_of_material.rows[]": ("fastener.length", *_thread_roles("fastener.thread.")),
    "INSIGHTS": _ENVELOPE_ROLES,
}

SIZES = Table(
    "sizes",
    "one size or tolerance of an item besides its main size (a counterbore's diameter, a thread's "
    "ISO 965 pitch-diameter tolerance, a GD&T zone, a key slot's width...)",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("table", "string", "The table of the item the size belongs to: bores, threads, insights, ...", ""),
        _c("reference_id", "Int64", "`reference_id` of that item; joins to its table.", "reference_id"),
        _c(
            "role",
            "string",
            "Where the size sits in its item, e.g. `counterbore.diameter`, `male_pitch_diameter_tolerance`.",
        ),
        _c(
            "json_path", "string", "The size's full place in the answer, e.g. `FEATURES.bores[2].counterbore.diameter`."
        ),
    )
    + _size_columns("")
    + TOLERANCE_COLUMNS,
    has_size=True,
    computed=tuple(c.name for c in TOLERANCE_COLUMNS),
    notes=(
        "The main size of each item (a dimension's size, a bore's or thread's diameter) is in the item's "
        "own table; `sizes` holds every other one, with the same tolerance columns and limits, one row "
        "per size (long format, keyed by the item and `role`). Bare tolerances (the four ISO metric "
        "thread tolerances) have no `nominal`. The owning tables keep the value and unit of their "
        "secondary sizes as columns for convenience.",
        "The `json_path` of these columns is relative to the size: `<item>.<role>.<json_path>`; "
        "see `schema.SIZE_ROLES` for the roles of each item.",
    ),
)

OTHER_FEATURES = Table(
    "other_features",
    "one item of a response list werk24_frames does not know yet (e.g. a future `welds`)",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("ask_type", "string", "The ask whose response held the list.", ""),
        _c("list_name", "string", "Name of the unknown list, e.g. `welds`.", ""),
    )
    + FEATURE_COLUMNS
    + (_c("raw", "string", "The item as JSON, untouched.", ""),),
)

FEATURES = Table(
    "features",
    "one feature of any kind: every feature table stacked on the common columns",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (_c("table", "string", "The table the row comes from: dimensions, threads, bores, ...", ""),)
    + FEATURE_COLUMNS
    + _size_columns("size")
    + TOLERANCE_COLUMNS,
    notes=("Size and tolerance columns are NA for kinds without a size (GD&T, roughness, ...).",),
)

# --------------------------------------------------------------------------------------
# META_DATA
# --------------------------------------------------------------------------------------

METADATA = Table(
    "metadata",
    "one drawing (also for drawings without a META_DATA answer)",
    DRAWING_COLUMNS
    + (
        _c("request_id", "string", "Werk24 request id, where known.", ""),
        _c("asks", "string", "The asks answered for this drawing, joined by `|`.", ""),
        _c("n_pages", "Int64", "Number of pages answered for (highest `page_number` + 1).", ""),
        _c("page", "Int64", "Page of the META_DATA answer this row is read from (the first one given).", ""),
        _c(
            "drawing_number",
            "string",
            "Identifier of type DRAWING_NUMBER, else the best other identifier.",
            "identifiers[].value",
            derived=True,
        ),
        _c("part_number", "string", "Identifier of type PART_NUMBER.", "identifiers[].value", derived=True),
        _c(
            "designation",
            "string",
            "Designation (title) of the part, first entry.",
            "designation[].value",
            derived=True,
        ),
        _c(
            "material",
            "string",
            "Designation of the first material of the first option.",
            "material_options[].material_combination[].designation",
            derived=True,
        ),
        _c(
            "material_standard",
            "string",
            "Standard of that material, e.g. `DIN EN 10084`.",
            "material_options[].material_combination[].standard",
            derived=True,
        ),
        _c(
            "material_category",
            "string",
            "Top-level category, e.g. FERROUS_ALLOY.",
            "material_options[].material_combination[].material_category",
            derived=True,
        ),
        _c("n_material_options", "Int64", "Number of alternative material options.", "material_options", derived=True),
        _c(
            "material_grade",
            "string",
            "The first material's grade, one name for its equivalents (`1.4301`, `AISI 304` → `X5CrNi18-10`); "
            "grades the material table does not know keep their designation, spaces tidied.",
        ),
        _c("material_number", "string", "Material number of that grade, e.g. `1.4301` (from the material table)."),
        _c(
            "material_family",
            "string",
            "steel, stainless steel, cast iron, aluminium, copper alloy, titanium or plastic "
            "(from the material table, else from Werk24's categories).",
        ),
        _c("density_g_cm3", "float", "Typical density of the grade in g/cm³ (from the material table)."),
        _c("weight", "float", "Weight as stated, in `weight_unit`.", "weight.value"),
        _c("weight_unit", "string", "Unit of `weight` as Werk24 wrote it.", "weight.unit"),
        _c("weight_reference_id", "Int64", "Werk24's id of the weight; joins to `positions`.", "weight.reference_id"),
        _c("weight_kg", "float", "Weight in kg (NA for an unknown unit, with a `problems` row).", ""),
        _c(
            "general_tolerance_standard",
            "string",
            "`ISO 2768`, `DIN 7168`, `ISO 4759-1` or `TOLERANCE_NOTE`.",
            "general_tolerances.tolerance_standard",
        ),
        _c(
            "general_tolerance_class",
            "string",
            "General tolerance class as written, e.g. `m`, `mK`.",
            "general_tolerances.tolerance_class",
        ),
        _c(
            "general_tolerance_principle",
            "string",
            "INDEPENDENCE or ENVELOPE.",
            "general_tolerances.principle",
        ),
        _c(
            "general_tolerances_reference_id",
            "Int64",
            "Werk24's id of the general tolerance note; joins to `positions`.",
            "general_tolerances.reference_id",
        ),
        _c(
            "general_tolerance_linear_class",
            "string",
            "Class for linear sizes, parsed: ISO 2768-1 f/m/c/v or DIN 7168 f/m/g/sg (NA if none applies).",
        ),
        _c(
            "general_tolerance_geometric_class",
            "string",
            "ISO 2768-2 class H, K or L, where the drawing gives one (e.g. the K of `mK`).",
        ),
        _c(
            "general_roughness",
            "string",
            "Label of the general roughness symbol (the whole symbol is a row of `roughnesses` with `is_general`).",
            "general_roughness.label",
        ),
        _c("projection_method", "string", "FIRST_ANGLE or THIRD_ANGLE.", "projection_method.projection_method"),
        _c(
            "projection_method_reference_id",
            "Int64",
            "Werk24's id of the projection symbol; joins to `positions`.",
            "projection_method.reference_id",
        ),
        _c(
            "unit_system",
            "string",
            "METRIC or IMPERIAL (joined by `|` if both).",
            "unit_systems[].unit_system_type",
            derived=True,
        ),
        _c(
            "unit_system_reference_ids",
            "string",
            "Werk24's ids of the unit-system notes, in the order of `unit_system`, joined by `|`.",
            "unit_systems[].reference_id",
            derived=True,
        ),
        _c("languages", "string", "Languages on the drawing, joined by `|`.", "languages", derived=True),
        _c(
            "bill_of_material_reference_id",
            "Int64",
            "Werk24's id of the bill of material (its rows are in `bill_of_material`).",
            "bill_of_material.reference_id",
        ),
        _c(
            "page_type",
            "string",
            "The META_DATA answer's page type (always COMPONENT_DRAWING in API v2; "
            "what a page really is, Werk24 says in `page_assessments`).",
            "page_type",
        ),
        _c("document_page_count", "Int64", "Pages of the document (DOCUMENT_PROFILE; see `document_profiles`)."),
        _c("paper_size", "string", "Paper size, e.g. A3 (DOCUMENT_PROFILE)."),
    ),
    ask="META_DATA",
    computed=(
        "material_grade",
        "material_number",
        "material_family",
        "density_g_cm3",
        "weight_kg",
        "general_tolerance_linear_class",
        "general_tolerance_geometric_class",
        "document_page_count",
        "paper_size",
    ),
)

_ENTRY_BASE = (
    DRAWING_COLUMNS + ITEM_COLUMNS + (_c("reference_id", "Int64", "Werk24's id of the entry.", "reference_id"),)
)

IDENTIFIERS = Table(
    "identifiers",
    "one identifier of the title block (drawing number, part number, ...)",
    _ENTRY_BASE
    + (
        _c("identifier_type", "string", "DRAWING_NUMBER, PART_NUMBER, ...", "identifier_type"),
        _c("value", "string", "The identifier.", "value"),
        _c("language", "string", "Language (ISO 639-2/B).", "language"),
        _c("stakeholder", "string", "SUPPLIER, OWNER or CUSTOMER.", "stakeholder"),
        _c("period", "string", "PREVIOUS, CURRENT or FUTURE.", "period"),
    ),
    json_list="identifiers",
    ask="META_DATA",
)

DESIGNATIONS = Table(
    "designations",
    "one designation (title) entry, per language",
    _ENTRY_BASE
    + (
        _c("value", "string", "The designation.", "value"),
        _c("language", "string", "Language (ISO 639-2/B).", "language"),
    ),
    json_list="designation",
    ask="META_DATA",
)

MATERIALS = Table(
    "materials",
    "one material of one material option (of the drawing, or of a bill-of-material row)",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("reference_id", "Int64", "Werk24's id of the material option.", "reference_id"),
        _c(
            "bom_row",
            "Int64",
            "For a bill-of-material row's material: the row's `item_index` in `bill_of_material`; "
            "NA for the drawing's own material options.",
        ),
        _c("option", "Int64", "Material option (0 = first choice); equals `item_index`.", ""),
        _c(
            "component",
            "Int64",
            "Position within a combination of materials (NA for an option whose combination is empty).",
        ),
        _c("designation", "string", "Material designation, e.g. `20MnCr5`.", "material_combination[].designation"),
        _c("standard", "string", "Standard, e.g. `DIN EN 10084`.", "material_combination[].standard"),
        _c("raw_ocr", "string", "The text as read off the drawing.", "material_combination[].raw_ocr"),
        _c(
            "category_1",
            "string",
            "FERROUS_ALLOY, NONFERROUS_ALLOY, POLYMER, ...",
            "material_combination[].material_category",
            derived=True,
        ),
        _c(
            "category_2",
            "string",
            "STEEL, ALUMINUM, THERMOPLAST, ...",
            "material_combination[].material_category",
            derived=True,
        ),
        _c(
            "category_3",
            "string",
            "STAINLESS_STEEL, POM, ...",
            "material_combination[].material_category",
            derived=True,
        ),
        _c("origin", "string", "TITLE_BLOCK, CANVAS_NOTE or BILL_OF_MATERIAL.", "material_combination[].origin"),
        _c(
            "grade",
            "string",
            "The grade, one name for its equivalents (`1.4301`, `AISI 304` → `X5CrNi18-10`); "
            "grades the material table does not know keep their designation, spaces tidied.",
        ),
        _c("material_number", "string", "Material number of the grade, e.g. `1.4301` (from the material table)."),
        _c(
            "family",
            "string",
            "steel, stainless steel, cast iron, aluminium, copper alloy, titanium or plastic "
            "(from the material table, else from Werk24's categories).",
        ),
        _c("density_g_cm3", "float", "Typical density of the grade in g/cm³ (from the material table)."),
    ),
    json_list="material_options",
    ask="META_DATA",
    also=("META_DATA.bill_of_material.rows[].material_options[]",),
    computed=("grade", "material_number", "family", "density_g_cm3"),
    notes=(
        "The material table and its sources: `werk24_frames/_data/materials/` "
        "(see [statistics](statistics.md#materials)).",
    ),
)

NOTES = Table(
    "notes",
    "one note on the drawing",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("reference_id", "Int64", "Werk24's id of the note.", "reference_id"),
        _c("label", "string", "The note text.", "label"),
        _c("confidence", "float", "Werk24's confidence score, 0 to 1.", "confidence.score"),
        _c("note_type", "string", "CANVAS_NOTE or VIEW_NOTE.", "note_type"),
    ),
    json_list="notes",
    ask="META_DATA",
)

CERTIFICATIONS = Table(
    "certifications",
    "one certification requirement on the drawing",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("certification_type", "string", "Type of certification.", "certification_type"),
        _c("raw_ocr", "string", "The text as read.", "raw_ocr"),
    ),
    json_list="certifications",
    ask="META_DATA",
)

BILL_OF_MATERIAL = Table(
    "bill_of_material",
    "one row of the bill of material",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("position", "string", "Position (item) number.", "position"),
        _c("part_number", "string", "Part number.", "part_number"),
        _c("designation", "string", "Designation.", "designation"),
        *_quantity("quantity", "Quantity", "quantity"),
        *_quantity("unit_weight", "Weight of one piece", "unit_weight"),
        _c(
            "material",
            "string",
            "First material of the first option (all are in `materials`, with `bom_row`).",
            "material_options[].material_combination[].designation",
            derived=True,
        ),
        _c("n_material_options", "Int64", "Number of material options.", "material_options", derived=True),
        *_fastener_spec("fastener", "fastener"),
    ),
    json_list="bill_of_material.rows",
    ask="META_DATA",
)

# --------------------------------------------------------------------------------------
# INSIGHTS
# --------------------------------------------------------------------------------------


def _envelope(when: str) -> tuple[Column, ...]:
    p = f"dimensions_{when}_processing"
    what = "raw stock (before processing)" if when == "before" else "finished part (after processing)"
    cols: list[Column] = [
        _c(
            f"envelope_{when}_shape",
            "string",
            f"CUBOID, CYLINDER, or both joined by `|`: the envelope of the {what}.",
            f"{p}.enclosing_cuboid.geometry_type | {p}.enclosing_cylinder.geometry_type",
            derived=True,
        ),
    ]
    for shape, size, name in (
        ("cuboid", "width", "width"),
        ("cuboid", "height", "height"),
        ("cuboid", "depth", "depth"),
        ("cylinder", "diameter", "diameter"),
        ("cylinder", "depth", "length"),
    ):
        col = f"envelope_{when}_{name}"
        at = f"{p}.enclosing_{shape}.{size}"
        cols += [
            _c(col, "float", f"{shape.title()} {size} of the {what}, in `{col}_unit`.", f"{at}.value"),
            _c(f"{col}_unit", "string", f"Unit of `{col}`.", f"{at}.unit"),
            _c(f"{col}_mm", "float", f"`{col}` in mm (NA for an unknown unit, with a `problems` row)."),
        ]
    cols += [
        _c(
            f"envelope_{when}_annotations_complete",
            "boolean",
            "The drawing's annotations sufficed to compute the envelope.",
            f"{p}.annotations_complete",
        ),
        _c(
            f"envelope_{when}_completeness_note",
            "string",
            "Why the annotations did not suffice, as Werk24 says it.",
            f"{p}.completeness_note",
        ),
    ]
    return tuple(cols)


_ENVELOPE_MM = tuple(c.name for when in ("before", "after") for c in _envelope(when) if c.name.endswith("_mm"))

INSIGHTS = Table(
    "insights",
    "one INSIGHTS answer (one per drawing and page answered)",
    DRAWING_COLUMNS
    + (
        _c("page", "Int64", "Page the answer is about.", ""),
        _c(
            "primary_process",
            "string",
            "First primary process option: TURNING, MILLING or CUTTING (all are in `process_options`).",
            "primary_process_options[].primary_process",
            derived=True,
        ),
        _c(
            "primary_processes",
            "string",
            "All primary process options, joined by `|`.",
            "primary_process_options[].primary_process",
            derived=True,
        ),
        _c(
            "requires_secondary_milling",
            "boolean",
            "The first turning option needs secondary milling.",
            "primary_process_options[].requires_secondary_milling",
            derived=True,
        ),
        _c(
            "requires_bending",
            "boolean",
            "The first cutting option needs bending.",
            "primary_process_options[].requires_bending",
            derived=True,
        ),
        _c(
            "axis_count",
            "Int64",
            "Axis count of the first milling option.",
            "primary_process_options[].axis_count",
            derived=True,
        ),
        _c(
            "n_secondary_processes",
            "Int64",
            "Number of secondary processes (see `processes`).",
            "secondary_processes",
            derived=True,
        ),
        *_quantity("volume", "Volume estimate", "volume_estimate"),
        _c("volume_cm3", "float", "Volume in cm³ (NA for an unknown unit, with a `problems` row).", ""),
        _c("volume_estimate_type", "string", "How the volume was estimated.", "volume_estimate.volume_estimate_type"),
        _c(
            "volume_confidence",
            "float",
            "Confidence of the volume estimate, 0 to 1 (API docs format).",
            "volume_estimate.confidence.score",
        ),
        *_envelope("before"),
        *_envelope("after"),
    ),
    ask="INSIGHTS",
    computed=("volume_cm3", *_ENVELOPE_MM),
    notes=("The sizes of the envelopes, with their tolerances, are rows of `sizes` too.",),
)

PROCESS_OPTIONS = Table(
    "process_options",
    "one primary process option (turning, milling or cutting) of an INSIGHTS answer",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("primary_process", "string", "TURNING, MILLING or CUTTING.", "primary_process"),
        _c(
            "requires_secondary_milling",
            "boolean",
            "Turning that needs secondary milling.",
            "requires_secondary_milling",
        ),
        _c("requires_bending", "boolean", "Cutting that needs bending.", "requires_bending"),
        _c("axis_count", "Int64", "Milling axis count.", "axis_count"),
    ),
    json_list="primary_process_options",
    ask="INSIGHTS",
    notes=("`item_index` is the option's rank (0 = Werk24's first choice).",),
)

PROCESSES = Table(
    "processes",
    "one secondary process (coating, heat treatment, ...)",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + FEATURE_COLUMNS[:2]
    + (FEATURE_COLUMNS[3],)
    + (
        _c("process", "string", "The most specific category, e.g. ANODIZING.", "process_category", derived=True),
        _c("process_group", "string", "The top category (DIN 8580), e.g. COATING.", "process_category", derived=True),
        _c("process_category", "string", "The whole category path, joined by ` > `.", "process_category", derived=True),
    ),
    json_list="secondary_processes",
    ask="INSIGHTS",
)

# --------------------------------------------------------------------------------------
# REFERENCE_POSITIONS, BALLOONS, REDACTION, PAGE_ASSESSMENT, DOCUMENT_PROFILE, CUSTOM
# --------------------------------------------------------------------------------------


def _polygon(what: str) -> tuple[Column, ...]:
    return (
        _c(
            "coordinate_space", "string", "PIXEL_SPACE (of the sheet image) or WORLD_SPACE.", "polygon.coordinate_space"
        ),
        _c("x_min", "float", f"Left edge of the {what}'s bounding box.", "polygon.coordinates", derived=True),
        _c("y_min", "float", "Top edge of the bounding box.", "polygon.coordinates", derived=True),
        _c("x_max", "float", "Right edge of the bounding box.", "polygon.coordinates", derived=True),
        _c("y_max", "float", "Bottom edge of the bounding box.", "polygon.coordinates", derived=True),
        _c(
            "polygon",
            "object",
            "The polygon's points as a read-only float64 array [x0, y0, x1, y1, ...]; "
            "`.reshape(-1, 2)` gives one (x, y) row per point.",
            "polygon.coordinates",
            derived=True,
        ),
    )


POSITIONS = Table(
    "positions",
    "one located item: where a `reference_id` sits on a page",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (_c("reference_id", "Int64", "Joins to the `reference_id` of every other table.", "reference_id"),)
    + _polygon("item"),
    json_list="reference_positions",
    ask="REFERENCE_POSITIONS",
)

BALLOONS = Table(
    "balloons",
    "one balloon Werk24 placed for an item (BALLOONS): where to draw its number on the sheet",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("reference_id", "Int64", "The item the balloon points at; joins to every other table.", "reference_id"),
        _c(
            "center_x",
            "float",
            "Horizontal pixel position of the balloon's centre on the sheet image.",
            "center",
            derived=True,
        ),
        _c("center_y", "float", "Vertical pixel position of the balloon's centre.", "center", derived=True),
    ),
    json_list="balloons",
    ask="BALLOONS",
)

REDACTIONS = Table(
    "redactions",
    "one zone Werk24 found to redact (REDACTION): a title block, a logo, a name...",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (_c("redaction_zone_type", "string", "What the zone holds, e.g. TITLE_BLOCK, LOGO.", "redaction_zone_type"),)
    + _polygon("zone"),
    json_list="redaction_zones",
    ask="REDACTION",
)

PAGE_ASSESSMENTS = Table(
    "page_assessments",
    "one page as Werk24 assessed it (PAGE_ASSESSMENT): what kind of page it really is",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("assessed_page", "Int64", "The page assessed (0-based): its position in the answer's `pages`.", ""),
        _c("page_type", "string", "COMPONENT_DRAWING, ASSEMBLY_DRAWING, MISCELLANEOUS, ...", "page_type"),
        _c("has_welding_symbols", "boolean", "The page carries welding symbols.", "has_welding_symbols"),
        _c("description", "string", "Werk24's description of the page.", "description"),
    ),
    json_list="pages",
    ask="PAGE_ASSESSMENT",
    notes=("A page Werk24 could not assess (`null` in `pages`) has a row with NA values.",),
)

DOCUMENT_PROFILES = Table(
    "document_profiles",
    "one DOCUMENT_PROFILE answer: the document's page count, paper size and expected processing time",
    DRAWING_COLUMNS
    + (
        _c("page", "Int64", "Page of the message that carried the answer.", ""),
        _c("page_count", "Int64", "Pages in the document.", "page_count"),
        _c("paper_size", "string", "Paper size, e.g. A3.", "paper_size"),
        _c(
            "processing_seconds_p50",
            "float",
            "Median expected processing time, in seconds.",
            "processing_time.seconds_p50",
        ),
        _c(
            "processing_seconds_p95",
            "float",
            "95th-percentile expected processing time, in seconds.",
            "processing_time.seconds_p95",
        ),
    ),
    ask="DOCUMENT_PROFILE",
)

CUSTOMS = Table(
    "customs",
    "one CUSTOM answer: the output of a custom ask agreed with Werk24",
    DRAWING_COLUMNS
    + (
        _c("page", "Int64", "Page of the message that carried the answer.", ""),
        _c("custom_id", "string", "The custom ask's id.", "custom_id"),
        _c("output", "string", "The output, as JSON text (parse it with `json.loads`).", "output", derived=True),
    ),
    ask="CUSTOM",
)

IMAGES = Table(
    "images",
    "one image of a drawing (sheet, view, or a legacy page/sheet/canvas/sectional thumbnail)",
    DRAWING_COLUMNS
    + (
        _c("kind", "string", "sheet, view, page, canvas or sectional.", ""),
        _c("page", "Int64", "Page the image belongs to.", ""),
        _c("image_index", "Int64", "Position among the images of the same kind and page.", ""),
        _c("ask_type", "string", "The ask that produced it, e.g. SHEET_IMAGES, CANVAS_THUMBNAIL.", ""),
        _c("page_id", "string", "Page id from the thumbnail's payload.", "payload_dict.page_id"),
        _c("sheet_id", "string", "Sheet id from the payload.", "payload_dict.sheet_id"),
        _c("canvas_id", "string", "Canvas id from the payload.", "payload_dict.canvas_id"),
        _c("sectional_id", "string", "Sectional id from the payload.", "payload_dict.sectional_id"),
        _c("view_id", "string", "View id from the payload.", "payload_dict.view_id"),
        _c("path", "string", "Local file holding the image bytes, if stored.", ""),
        _c("url", "string", "`payload_url` the image can be downloaded from (expires).", "payload_url"),
        _c("available", "boolean", "The bytes are at hand: `corpus.image(...)` returns them.", ""),
        _c("format", "string", "png, jpeg, webp, gif, tiff (from the bytes or the file name).", ""),
        _c("width", "Int64", "Width in pixels, where the bytes are at hand.", ""),
        _c("height", "Int64", "Height in pixels, where the bytes are at hand.", ""),
    ),
)

PROBLEMS = Table(
    "problems",
    "one thing that could not be read, or was read with a caveat",
    DRAWING_COLUMNS
    + (
        _c("page", "Int64", "Page of the answer concerned, where known.", ""),
        _c("location", "string", "Where in the input: `FEATURES.dimensions[3].size.value`, a line number...", ""),
        _c("message", "string", "What is wrong, and what was done about it.", ""),
        _c(
            "severity",
            "string",
            "`error`: something was not loaded; `warning`: a value is NA; `info`: read with a caveat.",
            "",
        ),
    ),
)

_ALL: tuple[Table, ...] = (
    METADATA,
    IDENTIFIERS,
    DESIGNATIONS,
    MATERIALS,
    NOTES,
    CERTIFICATIONS,
    BILL_OF_MATERIAL,
    *FEATURE_TABLE_LIST,
    ROUGHNESS_CONDITIONS,
    SIZES,
    OTHER_FEATURES,
    FEATURES,
    INSIGHTS,
    PROCESS_OPTIONS,
    PROCESSES,
    POSITIONS,
    BALLOONS,
    REDACTIONS,
    PAGE_ASSESSMENTS,
    DOCUMENT_PROFILES,
    CUSTOMS,
    IMAGES,
    PROBLEMS,
)

TABLES: dict[str, Table] = {t.name: t for t in _ALL}

# --------------------------------------------------------------------------------------
# Every field of an answer: kept in a column, or listed here with the reason
# --------------------------------------------------------------------------------------

#: The v2 asks whose answers are tables (images aside).
V2_ASKS = (
    "META_DATA",
    "FEATURES",
    "INSIGHTS",
    "REFERENCE_POSITIONS",
    "BALLOONS",
    "REDACTION",
    "DOCUMENT_PROFILE",
    "PAGE_ASSESSMENT",
    "CUSTOM",
)

NOT_TABULATED: dict[str, str] = {
    **{f"{a}.ask_version": "The protocol version, always `v2`." for a in V2_ASKS},
    **{
        f"{a}.ask_type": "The ask itself: each table is read from one ask, and `metadata.asks` lists those answered."
        for a in V2_ASKS
    },
    "FEATURES.page_type": "A constant of the response model (COMPONENT_DRAWING); what a page really is, "
    "Werk24 says in PAGE_ASSESSMENT (`page_assessments`).",
    "INSIGHTS.page_type": "A constant of the response model (COMPONENT_DRAWING); see `page_assessments`.",
}
"""Every field of Werk24's v2 answers that no table holds, by its full JSON path, with the
reason. Each is still in ``corpus.raw_responses(...)``. A test walks the werk24 SDK's response
models and fails when a field is neither a column (its ``json_path``) nor listed here."""

DOCS_PATHS: dict[str, str] = {
    "INSIGHTS.primary_process_options[].process": "`process: TurningProcess` names the option (read as "
    "`primary_process`, with an info row).",
    "INSIGHTS.volume_estimate.confidence.score": "The volume's confidence (`insights.volume_confidence`).",
}
"""Fields of the shape the public API documentation shows, which the SDK's models do not have,
that are read (each with an ``info`` row where the reading is a guess)."""

DOCS_UNREAD: dict[str, str] = {}
"""Fields of the API documentation's shape that are not read: an ``info`` problem row names
each (a ``warning`` names any other unknown field)."""

# The API docs write a depth flat, ``{"depth_type", "value", "unit", "tolerance"}``, where the
# SDK nests a size: the value and unit are read as the size's, the tolerance is not.
for _t in TABLES.values():
    for _item in _t.items:
        for _col in _t.columns:
            if _col.json_path.endswith("depth.size.value"):
                _flat = f"{_item}.{_col.json_path.removesuffix('size.value')}"
                DOCS_PATHS[f"{_flat}value"] = "A flat depth's value, read as its size's."
                DOCS_PATHS[f"{_flat}unit"] = "A flat depth's unit, read as its size's."
                DOCS_UNREAD[f"{_flat}tolerance"] = "A flat depth's tolerance: not read."


def _segments(path: str) -> list[str]:
    out: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            out += [part[:-2], "[]"]
        else:
            out.append(part)
    return out


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p)


def kept_paths() -> dict[str, list[str]]:
    """Every JSON path of an answer that a column holds: ``{path: ["table.column", ...]}``.

    Paths are full (``FEATURES.bores[].counterbore.diameter.tolerance.fit``), with ``[]``
    for every element of a list; the sizes of :data:`SIZE_ROLES` map to ``sizes``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> wf.schema.kept_paths()["FEATURES.bores[].counterbore.diameter.tolerance.fit"]
    ['sizes.fit']
    >>> wf.schema.kept_paths()["FEATURES.dimensions[].size.value"]
    ['dimensions.nominal']
    """
    out: dict[str, list[str]] = {}

    def add(path: str, where: str) -> None:
        out.setdefault(path, []).append(where)

    for t in TABLES.values():
        for item in t.items:
            for c in t.columns:
                for alt in c.json_path.split(" | ") if c.json_path else ():
                    add(_join(item, alt), f"{t.name}.{c.name}")
    for item, roles in SIZE_ROLES.items():
        for role in roles:
            base = _join(item, role)
            for c in SIZES.columns:
                if not c.json_path or c.name == "reference_id":
                    continue
                if role.endswith("_tolerance"):
                    if c.json_path.startswith("tolerance."):
                        add(_join(base, c.json_path.removeprefix("tolerance.")), f"sizes.{c.name}")
                else:
                    add(_join(base, c.json_path), f"sizes.{c.name}")
    return out


def known_tree() -> dict[str, Any]:
    """The keys an answer of each ask may hold, as nested dicts (``"[]"`` for a list's
    elements; an empty dict where the value is not checked further). Built from
    :func:`kept_paths`, :data:`NOT_TABULATED` and :data:`DOCS_PATHS`."""
    tree: dict[str, Any] = {}
    for path in (*kept_paths(), *NOT_TABULATED, *DOCS_PATHS):
        node = tree
        for seg in _segments(path):
            node = node.setdefault(seg, {})
    return tree


# --------------------------------------------------------------------------------------
# Results computed from the tables (not read from the answers)
# --------------------------------------------------------------------------------------

_N: DtypeName = "Int64"
COST_DRIVERS = Table(
    "cost_drivers",
    "drawing: `wf.cost_drivers(corpus)`, what drives the cost of making the part",
    (
        _c("drawing_id", "string", "Stable id of the drawing (also the index)."),
        _c("drawing_number", "string", "The drawing number (`metadata`)."),
        _c("designation", "string", "The part's designation (`metadata`)."),
        _c("n_dimensions", _N, "Dimension callouts."),
        _c("n_toleranced", _N, "Dimensions, bores, chamfers and radii with an explicit, fit or general tolerance."),
        _c("n_tight", _N, "Of those, how many need the `tight` IT grade (default IT7) or finer."),
        _c("finest_it_grade", _N, "The finest IT grade any feature needs."),
        _c("tightest_width_mm", "float", "The narrowest positive tolerance zone, in mm."),
        _c("n_fits", _N, "Features with an ISO 286 fit or tolerance class written."),
        _c("n_gdnts", _N, "GD&T feature control frames."),
        _c("n_datums", _N, "Distinct datum letters the frames refer to."),
        _c("finest_gdnt_zone_mm", "float", "The smallest GD&T tolerance zone, in mm."),
        _c("n_threads", _N, "Thread callouts."),
        _c("n_threads_metric_coarse", _N, "ISO metric threads of coarse pitch (ISO 261)."),
        _c("n_threads_metric_fine", _N, "ISO metric threads of fine pitch."),
        _c("n_threads_unified", _N, "Unified inch threads (UNC, UNF, UNEF…)."),
        _c("n_threads_npt", _N, "NPT pipe threads."),
        _c("n_threads_whitworth", _N, "Whitworth threads (BSW, BSP)."),
        _c("n_threads_other", _N, "Other threads (ACME, knuckle…)."),
        _c("n_bores", _N, "Bore callouts."),
        _c("n_bores_with_fit", _N, "Bores with an ISO 286 fit, e.g. `Ø16 H7`."),
        _c("finest_ra_um", "float", "The finest Ra on the drawing (any condition, general roughness included), in µm."),
        _c("material_grade", "string", "Grade of the first material (`metadata`)."),
        _c("material_family", "string", "steel, stainless steel, aluminium, … (`metadata`)."),
        _c("n_material_options", _N, "Alternative materials allowed."),
        _c("weight_kg", "float", "Weight as stated, in kg."),
        _c("volume_cm3", "float", "Volume estimate from INSIGHTS, in cm³."),
        _c(
            "envelope_shape",
            "string",
            "Raw stock before processing, CUBOID or CYLINDER (INSIGHTS; the smaller stock where both are given).",
        ),
        _c("envelope_width_mm", "float", "Raw stock width, in mm."),
        _c("envelope_height_mm", "float", "Raw stock height, in mm."),
        _c("envelope_depth_mm", "float", "Raw stock depth (the length of a cylinder), in mm."),
        _c("envelope_diameter_mm", "float", "Raw stock diameter, in mm."),
        _c("envelope_volume_cm3", "float", "Raw stock volume (cuboid or cylinder), in cm³."),
        _c("primary_process", "string", "TURNING, MILLING or CUTTING (INSIGHTS)."),
        _c("n_secondary_processes", _N, "Secondary processes: coatings, heat treatments…"),
    ),
    notes=(
        "Counts are callouts (rows): `4x Ø6.6` is one bore. A count is 0 when the drawing has an "
        "answer without such features; NA columns mean the answer itself is missing (e.g. no INSIGHTS).",
    ),
)

# --------------------------------------------------------------------------------------
# Issue 20 (inspection): the inspection plan (``wf.inspection_plan``); its column names are a
# contract with the AS9102, QIF and capability code (docs/inspection.md)
# --------------------------------------------------------------------------------------

INSPECTION_PLAN = Table(
    "inspection_plan",
    "requirement of a drawing: `wf.inspection_plan(corpus)`, its balloon number, limits and how to measure it",
    (
        _c("drawing_id", "string", "Stable id of the drawing."),
        _c("drawing_number", "string", "The drawing number (`metadata`)."),
        _c("page", "Int64", "Page of the feature (0-based)."),
        _c("characteristic", "Int64", "Balloon number, 1..n per drawing without gaps (the AS9102 Char. No.)."),
        _c("table", "string", "The table the requirement comes from: dimensions, threads, bores, gdnts, notes, ..."),
        _c("reference_id", "Int64", "The feature's `reference_id`; joins to its table and to `positions`."),
        _c("item_index", "Int64", "The feature's `item_index` in its table."),
        _c(
            "role",
            "string",
            "Which requirement of the feature: `size` (its main one), a secondary size (`depth`, "
            "`counterbore_diameter`, `angle`...), `pitch_diameter`, `major_diameter` or `minor_diameter` of a thread.",
        ),
        _c("zone", "string", "ISO 5457 sheet zone of the feature, e.g. `C4`; NA where the paper size is unknown."),
        _c("located", "boolean", "The feature has a position on the sheet (numbered before the unlocated ones)."),
        _c(
            "balloon_x",
            "float",
            "Where its balloon goes, in the sheet image's pixels: Werk24's BALLOONS centre, else the box's corner.",
        ),
        _c("balloon_y", "float", "Vertical pixel position of the balloon (y down)."),
        _c("label", "string", "The feature's text as printed."),
        _c("requirement", "string", "The requirement as an inspector reads it, e.g. `Ø26 h7 (25.979–26.000)`."),
        _c("kind", "string", "size, diameter, radius, angle, chamfer, depth, thread, gdt, roughness, note or feature."),
        _c(
            "characteristic_type",
            "string",
            "Finer type: the size type (LINEAR...), the GD&T characteristic (POSITION...), the roughness "
            "parameter (Ra...), the thread type.",
        ),
        _c("nominal", "float", "Nominal value in `unit` (NA for one-sided requirements)."),
        _c("lower_limit", "float", "Lower limit in `unit`; NA where the requirement has none (a GD&T zone)."),
        _c("upper_limit", "float", "Upper limit in `unit`; NA where the requirement has none."),
        _c("unit", "string", "Unit of those values as the drawing gives it (mm, inch, degree, µm...)."),
        _c("nominal_mm", "float", "`nominal` in mm (NA for angles)."),
        _c("lower_limit_mm", "float", "`lower_limit` in mm."),
        _c("upper_limit_mm", "float", "`upper_limit` in mm."),
        _c(
            "tolerance_source",
            "string",
            "explicit, fit, general, iso965 (thread limits) or none, as in the size tables.",
        ),
        _c("it_grade", "Int64", "The ISO 286 grade the requirement needs (size tables)."),
        _c("quantity", "Int64", "How often the feature occurs (`4X`: 4); one row, not four."),
        _c("classification", "string", "critical, major or minor (`CLASSIFICATION_RULES` or `classify=`)."),
        _c("method", "string", "Suggested measuring method (`METHOD_RULES` or `methods=`)."),
        _c(
            "note",
            "string",
            "Why a row is numbered as it is (e.g. no position on the sheet), or why its method names two tools "
            "(a diameter's `side` unknown); NA otherwise.",
        ),
        _c(
            "drawing_revision",
            "string",
            "The drawing's revision as `corpus.revisions()` reads it (CUSTOMER_INDEX, a drawing-number suffix); "
            "NA when the answers give none. AS9102 Form 1's drawing revision level.",
        ),
        _c("part_number", "string", "The drawing's part number (`metadata`), for the AS9102 and QIF headers."),
        _c("part_name", "string", "The drawing's designation (`metadata`), the part name of AS9102 Form 1."),
        _c("material", "string", "The drawing's material (`metadata`), for AS9102 Form 2."),
        _c("material_standard", "string", "The standard of that material (`metadata`)."),
        _c(
            "side",
            "string",
            "`internal` (a bore's diameter, an ISO 286 hole class such as `H7`, an internal thread) or `external` "
            "(a shaft class such as `h6`, an external thread) for diameters, sizes and threads; NA where nothing "
            "tells (explicit deviations, a fit pair `H7/g6`). `METHOD_RULES` choose by it.",
        ),
    ),
    notes=(
        "One row per requirement, key (`drawing_id`, `table`, `reference_id`, `role`). Each row has its "
        "own balloon number; the rows of one feature (a bore's diameter, depth and counterbore) are "
        "numbered consecutively. The numbering rule, what becomes a row and the default rules are in "
        "`docs/inspection.md`.",
    ),
)

RESULTS: dict[str, Table] = {t.name: t for t in (COST_DRIVERS, INSPECTION_PLAN)}
"""Tables computed by :mod:`werk24_frames.stats`; ``describe`` and ``empty_frame`` know them too."""

# -- issue 21: comparing drawings (werk24_frames.comparison) -------------------------------------

CHANGES = Table(
    "changes",
    "change: `wf.compare(old, new)` or `corpus.revisions().compare()`, one difference between two drawings",
    (
        _c("drawing_number", "string", "The drawing number without its revision suffix (what pairs the drawings)."),
        _c("old_drawing_id", "string", "The older drawing (NA when the drawing was added)."),
        _c("new_drawing_id", "string", "The newer drawing (NA when the drawing was removed)."),
        _c("old_revision", "string", "The older drawing's revision (NA when the answers give none)."),
        _c("new_revision", "string", "The newer drawing's revision."),
        _c(
            "revision_source",
            "string",
            "What put the two in order: `identifier` (CUSTOMER_INDEX), `drawing_number` (a suffix), `unlettered first`, "
            "`order` (the user's), `argument order` (old and new as passed), `replacement` (REPLACEMENT_FOR, "
            "REPLACED_BY or a PREVIOUS drawing number) or `corpus order`.",
        ),
        _c("change", "string", "`added`, `removed` or `changed`."),
        _c("table", "string", "The feature table (`dimensions`, `threads`…), `metadata`, `notes` or `drawings`."),
        _c("old_reference_id", _N, "The feature's reference_id in the older drawing."),
        _c("new_reference_id", _N, "The feature's reference_id in the newer drawing (revisions renumber them)."),
        _c("old_label", "string", "The feature's label in the older drawing."),
        _c("new_label", "string", "The feature's label in the newer drawing."),
        _c(
            "what",
            "string",
            "What changed: `feature` (added or removed), `nominal`, `limits`, `fit`, `grade`, `tolerance source`, "
            "`quantity`, `label`, `position` (the box moved more than `min_move` on the sheet); `material`, "
            "`material grade`, `weight`, `general tolerance`, `designation`, `drawing number`, `note`, `drawing`.",
        ),
        _c(
            "old_value",
            "string",
            "The old value, as text (sizes in mm; a `position` as the box centre's share of the sheet: `x 0.111, y 0.675`).",
        ),
        _c("new_value", "string", "The new value, as text."),
        _c("tighter", "boolean", "For `limits`: True when the tolerance zone got narrower, False when wider."),
        _c("ambiguous", "boolean", "The features were matched although another candidate was as near: check by eye."),
        _c("matched_by", "string", "How the features were paired: `label+nominal`, `kind+nominal` or `position`."),
    ),
    notes=("Features are matched on what they are, never on reference_id; see docs/compare.md for the rule.",),
)

SIMILAR = Table(
    "similar",
    "neighbour: `wf.similar(corpus, ...)`, one of the k drawings most like a query drawing",
    (
        _c("query", "string", "The query drawing's number (its id when it has none)."),
        _c("query_id", "string", "The query drawing's id."),
        _c("rank", _N, "1 for the nearest."),
        _c("match", "string", "The similar drawing's number (its id when it has none)."),
        _c("match_id", "string", "The similar drawing's id."),
        _c("distance", "float", "Weighted distance of the two feature vectors (0: alike in every feature used)."),
        _c("why", "string", "Reasons in words: material family, envelope, process, feature kinds, finest IT grade."),
    ),
)

RESULTS.update({t.name: t for t in (CHANGES, SIMILAR)})

# --------------------------------------------------------------------------------------
# Inspection, part B (issue 20): measured values, results and capability
# --------------------------------------------------------------------------------------

_MEASUREMENT_PLACE = (
    _c("source", "string", "The file (or `DataFrame`) the value was read from."),
    _c(
        "location", "string", "Where in it: `row 7` (the file's row number, header = row 1), `index 5` (a DataFrame's)."
    ),
)
MEASUREMENTS = Table(
    "measurements",
    "measured value: `wf.inspection.read_measurements(...)`, one value of one characteristic on one part",
    (
        _c(
            "drawing",
            "string",
            "The drawing as the file names it: an id or a drawing number (NA: the plan's only one).",
        ),
        _c("characteristic", "Int64", "The balloon number."),
        _c("part", "string", "The part's serial number (NA when the file has none)."),
        _c("value", "float", "The measured value, in `unit` (NA where it could not be read: see the problems)."),
        _c("unit", "string", "The value's unit as written; NA: the characteristic's unit in the plan."),
        _c("subgroup", "string", "Rational subgroup for capability (NA when the file has no `subgroup` column)."),
        _c("sequence", "Int64", "Position in the file (0-based): the production order capability relies on."),
        *_MEASUREMENT_PLACE,
    ),
    notes=(
        "Unreadable rows and values are `problems` rows in `wf.inspection.problems(m)`; "
        "the rows stay, with `value` NA, so nothing vanishes.",
    ),
)

_PLAN_KEY = (
    _c("drawing_id", "string", "The drawing (as in every table)."),
    _c("drawing_number", "string", "Its drawing number (`metadata`)."),
    _c("characteristic", "Int64", "The balloon number."),
    _c("table", "string", "The table the requirement comes from (`inspection_plan.table`)."),
    _c("reference_id", "Int64", "The feature's reference_id."),
    _c("role", "string", "Which requirement of the feature (`size`, `depth`, `pitch_diameter`...)."),
    _c("kind", "string", "size, diameter, thread, gdt, roughness... (`inspection_plan.kind`)."),
    _c("requirement", "string", "The requirement as an inspector reads it."),
    _c("nominal", "float", "Nominal value, in `unit`."),
    _c("lower_limit", "float", "Lower limit, in `unit` (NA: none)."),
    _c("upper_limit", "float", "Upper limit, in `unit` (NA: none)."),
    _c("unit", "string", "The plan's unit of the limits (and of `value` here)."),
)
INSPECTION_RESULTS = Table(
    "inspection_results",
    "measured value of one characteristic on one part: `wf.inspection.results(plan, measurements)`",
    _PLAN_KEY
    + (
        _c("part", "string", "The part's serial number."),
        _c("occurrence", "Int64", "1, 2...: the values of one part and characteristic in file order (4X features)."),
        _c("sequence", "Int64", "Position in the measurements (production order)."),
        _c("value", "float", "The measured value in the plan's `unit` (converted from the file's unit)."),
        _c("value_mm", "float", "The value in mm where `unit` is a length, else NA."),
        _c("within_limits", "boolean", "lower_limit <= value <= upper_limit; NA without limits or value."),
        _c("deviation", "float", "value - nominal (signed), in `unit`; NA without a nominal."),
        _c("outside_by", "float", "How far the value lies beyond the limit it breaks (0 when within), in `unit`."),
        _c("subgroup", "string", "The value's subgroup, as in the measurements."),
        *_MEASUREMENT_PLACE,
    ),
)
CAPABILITY = Table(
    "capability",
    "characteristic: `wf.inspection.capability(plan, measurements)`, process capability and performance",
    _PLAN_KEY
    + (
        _c("n", "Int64", "Values used."),
        _c("mean", "float", "Mean of the values, in `unit`."),
        _c("sigma_within", "float", "Within (short-term) sigma: MR-bar/d2(2), R-bar/d2(n) or s-bar/c4(n)."),
        _c("sigma_method", "string", "moving_range, range or stddev: how `sigma_within` was estimated."),
        _c("sigma_overall", "float", "Overall sample standard deviation (n - 1)."),
        _c("cp", "float", "(USL - LSL) / (6 sigma_within); NA with one limit."),
        _c("cpk", "float", "min(CPU, CPL): the one-sided index where only one limit exists."),
        _c("cpu", "float", "(USL - mean) / (3 sigma_within)."),
        _c("cpl", "float", "(mean - LSL) / (3 sigma_within)."),
        _c("pp", "float", "(USL - LSL) / (6 sigma_overall); NA with one limit."),
        _c("ppk", "float", "min(USL - mean, mean - LSL) / (3 sigma_overall)."),
        _c("expected_ppm", "float", "Expected parts per million outside the limits, normal with sigma_within."),
        _c("expected_ppm_overall", "float", "The same with sigma_overall."),
        _c("observed_ppm", "float", "Values outside the limits per million values."),
        _c("n_outside", "Int64", "Values outside the limits."),
        _c("small_sample", "boolean", "n is below `min_n` (default 25): the indices are uncertain."),
        _c("threshold", "float", "The index the verdict asks for (default 1.33)."),
        _c("verdict", "string", "capable, not capable, no limits, too few values, undetermined or not measured."),
        _c("note", "string", "Why a value is NA or infinite, or why the verdict is uncertain."),
    ),
)
RESULTS.update({t.name: t for t in (MEASUREMENTS, INSPECTION_RESULTS, CAPABILITY)})


def table_names() -> list[str]:
    """The names of all tables, in documentation order.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> wf.schema.table_names()[:3]
    ['metadata', 'identifiers', 'designations']
    """
    return list(TABLES)


def _get(table: str) -> Table:
    try:
        return TABLES[table] if table in TABLES else RESULTS[table]
    except KeyError:
        known = ", ".join([*TABLES, *RESULTS])
        raise KeyError(f"no table named {table!r}; the tables are: {known}") from None


def describe(table: str) -> pd.DataFrame:
    """The columns of a table: name, dtype, meaning and where in the JSON it comes from.

    Parameters
    ----------
    table
        A table name such as ``"dimensions"``; see :func:`table_names`.

    Returns
    -------
    pandas.DataFrame
        One row per column with ``column``, ``dtype``, ``description`` and ``json_path``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> d = wf.schema.describe("gdnts").set_index("column")
    >>> d.loc["datums", "dtype"]
    'string'
    """
    import pandas as pd

    t = _get(table)
    return pd.DataFrame(
        {
            "column": [c.name for c in t.columns],
            "dtype": [c.dtype for c in t.columns],
            "description": [c.description for c in t.columns],
            "json_path": [c.json_path for c in t.columns],
        }
    )


def pandas_dtype(dtype: DtypeName) -> Any:
    """The pandas dtype object for a schema dtype name."""
    import numpy as np
    import pandas as pd

    if dtype == "string":
        return pd.StringDtype("pyarrow")
    if dtype == "float":
        return np.dtype("float64")
    if dtype == "object":
        return np.dtype("O")
    return pd.api.types.pandas_dtype(dtype)


def empty_frame(table: str) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> df = wf.schema.empty_frame("threads")
    >>> len(df), str(df["pitch_mm"].dtype)
    (0, 'float64')
    """
    import pandas as pd

    t = _get(table)
    return pd.DataFrame({c.name: pd.array([], dtype=pandas_dtype(c.dtype)) for c in t.columns})


def to_markdown() -> str:
    """The reference page ``docs/tables.md``, generated from this module."""
    out = [
        "# Tables",
        "",
        "<!-- Generated from werk24_frames/schema.py by `python -m werk24_frames.docs`; do not edit. -->",
        "",
        "Every table is a pandas DataFrame with exactly these columns and dtypes, also when empty.",
        "Missing values are NA (`NaN` in float columns). `json_path` says where a value comes from",
        "inside one item of the places named under each table (`[]`: every element of a list; `a | b`:",
        "one key or the other). A value that is made from it (joined, counted, named) rather than",
        "copied is marked *(derived)*.",
        "",
        'dtypes: `string` is `pd.StringDtype("pyarrow")` (Arrow-backed strings whose missing value',
        "is `pd.NA`; not pandas 3's default `str`, whose missing value is NaN), `float` is float64,",
        "`Int64` and `boolean` are pandas' nullable integer and boolean types. `object` is the",
        "`polygon` columns: one read-only float64 numpy array per row, the points' coordinates flat",
        "(`[x0, y0, x1, y1, ...]`, COCO's layout; `.reshape(-1, 2)` gives the (x, y) pairs), None",
        "when there is none; pyarrow writes such a column to Parquet as a list of doubles and",
        "`pandas.read_parquet` gives the same arrays back. The dtypes are the same on every path:",
        "a cold load, a load from the table cache, `wf.open_dataset` and `wf.to_dask`.",
        "",
    ]
    for t in (*_ALL, *RESULTS.values()):
        out.append(f"## `{t.name}`")
        out.append("")
        src = f" From `{'`, `'.join(t.items)}`." if t.items else ""
        out.append(f"One row per {t.row}.{src}")
        out.append("")
        for note in t.notes:
            out.append(note)
            out.append("")
        out.append("| column | dtype | description | json_path |")
        out.append("|---|---|---|---|")
        for c in t.columns:
            desc = c.description.replace("|", "\\|")
            path = f"`{c.json_path}`" if c.json_path else ""
            path = path.replace("|", "\\|") + (" *(derived)*" if c.derived else "")
            out.append(f"| `{c.name}` | {c.dtype} | {desc} | {path} |")
        out.append("")
    out += [
        "## Secondary sizes: the roles of `sizes`",
        "",
        "Each item holds these sizes besides its main one; each is a row of `sizes` (`role` is the path).",
        "",
        "| item | roles |",
        "|---|---|",
        *(f"| `{item}` | {', '.join(f'`{r}`' for r in roles)} |" for item, roles in SIZE_ROLES.items()),
        "",
        "## Not tabulated",
        "",
        "Every field of the werk24 SDK's v2 answers is a column above, or is listed here with the reason;",
        "all of them stay in `corpus.raw_responses(...)`. A field the SDK does not define becomes a `problems`",
        "row (a `warning`; an `info` for the fields of the API documentation's shape below).",
        "",
        "| JSON path | why |",
        "|---|---|",
        *(f"| `{p}` | {why} |" for p, why in NOT_TABULATED.items()),
        "",
        "## Read from the API documentation's shape",
        "",
        "| JSON path | how |",
        "|---|---|",
        *(f"| `{p}` | {why} |" for p, why in {**DOCS_PATHS, **DOCS_UNREAD}.items()),
        "",
    ]
    return "\n".join(out)
