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
        Where the value sits inside one item of the response list, e.g. ``size.value``;
        empty for columns that are derived or describe where a row came from.
    """

    name: str
    dtype: DtypeName
    description: str
    json_path: str = ""


@dataclass(frozen=True)
class Table:
    """A table: its name, what one row is, its columns and the JSON it comes from."""

    name: str
    row: str
    columns: tuple[Column, ...]
    json_list: str = ""
    has_size: bool = False
    notes: tuple[str, ...] = field(default=())
    computed: tuple[str, ...] = field(default=())
    """Columns the corpus computes after reading (tolerance limits, weight in kg)."""

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


def _c(name: str, dtype: DtypeName, description: str, json_path: str = "") -> Column:
    return Column(name, dtype, description, json_path)


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
    p = prefix
    t = f"{p}.tolerance"
    return (
        _c("nominal", "float", "Nominal size in `unit`.", f"{p}.value"),
        _c("unit", "string", "Unit of `nominal` and the deviations, as Werk24 wrote it.", f"{p}.unit"),
        _c("size_type", "string", "LINEAR, DIAMETER, ANGULAR, SPHERICAL_DIAMETER, ...", f"{p}.size_type"),
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


def _feature_table(name: str, row: str, json_list: str, own: tuple[Column, ...], *, size: str | None = None) -> Table:
    size_cols = _size_columns(size) + TOLERANCE_COLUMNS if size else ()
    return Table(
        name=name,
        row=row,
        columns=DRAWING_COLUMNS + ITEM_COLUMNS + FEATURE_COLUMNS + size_cols + own,
        json_list=json_list,
        has_size=size is not None,
        computed=tuple(c.name for c in TOLERANCE_COLUMNS) if size else (),
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
        "Tolerance class: UTS/Whitworth class, or ISO metric male/female classes joined by `/`.",
        "uts_tolerance_class | whitworth_tolerance_class | *_pitch_diameter_tolerance",
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
    _c("characteristic_name", "string", "Its name: position, flatness, perpendicularity, ...", ""),
    *_quantity("zone_value", "Tolerance zone size", "zone.value"),
    _c(
        "zone_shape",
        "string",
        "`diameter` for a cylindrical zone (Ø), `spherical`, else `width`.",
        "zone.value.size_type",
    ),
    _c("zone_combination", "string", "Zone combination modifier (e.g. CZ).", "zone.combination"),
    _c("zone_offset", "string", "Zone offset modifier (e.g. UZ).", "zone.offset"),
    _c("zone_constraint", "string", "Zone constraint modifier (e.g. OZ, VA).", "zone.constraint"),
    _c(
        "zone_extent",
        "float",
        "Restricted extent of the zone (e.g. `/100`), in `zone_value_unit`.",
        "zone.extend.value",
    ),
    _c("material_condition", "string", "Ⓜ, Ⓛ or Ⓡ.", "material_condition"),
    _c("state", "string", "Ⓕ (free state).", "state"),
    _c("feature_filter", "string", "Feature filter.", "feature.filter"),
    _c("associated_feature", "string", "Associated-feature modifier (Ⓒ Ⓖ Ⓝ Ⓧ Ⓣ).", "feature.associated_feature"),
    _c("derived_feature", "string", "Derived-feature modifier (Ⓟ Ⓐ).", "feature.derived_feature"),
    _c("reference_association", "string", "Reference association (C, CE, G, N, X...).", "reference.association"),
    _c("reference_parameter", "string", "Reference parameter (P, V, T, Q).", "reference.parameter"),
    _c("datums", "string", "Datum labels in order, joined by `|`, e.g. `A|B|C`.", "datums[].label"),
    _c("n_datums", "Int64", "Number of datums referenced.", "datums"),
)

_ROUGHNESS_OWN = (
    _c("standard", "string", "Roughness standard, e.g. `ISO 1302:2002`.", "standard"),
    _c("material_removal_type", "string", "UNSPECIFIED, REQUIRED or PROHIBITED.", "material_removal_type"),
    _c("applies_all_around", "boolean", "The symbol applies all around.", "applies_all_around"),
    _c("direction_of_lay", "string", "Lay symbol (= ⟂ X M C R P).", "direction_of_lay"),
    _c("manufacturing_process", "string", "Prescribed process text, if any.", "manufacturing_process"),
    *_quantity("machining_allowance", "Machining allowance", "machining_allowance"),
    _c("parameter", "string", "Main parameter: that of the first condition, e.g. `Ra`.", "conditions[0].parameter"),
    *_quantity("value", "Value of the main parameter", "conditions[0].value"),
    _c("roughness_grade", "string", "ISO N grade of the main condition, e.g. `N6`.", "conditions[0].roughness_grade"),
    _c("condition_type", "string", "UPPER, LOWER or AVERAGE (main condition).", "conditions[0].condition_type"),
    _c("n_conditions", "Int64", "Number of conditions; all are in `roughness_conditions`.", "conditions"),
    *_quantity("waviness_height", "Waviness height", "waviness.height"),
    *_quantity("waviness_width", "Waviness width", "waviness.width"),
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

_FASTENER_OWN = (
    _c("fastener_type", "string", "SCREW, NUT, WASHER, PRESS_IN_NUT, ...", "fastener_type"),
    _c("designation", "string", "Fastener designation.", "designation"),
    _c("standard", "string", "Standard, e.g. ISO 4762.", "standard"),
    _c("manufacturer", "string", "Manufacturer.", "manufacturer"),
    _c("note", "string", "Note text.", "note"),
    _c("thread_type", "string", "Thread family of the fastener.", "thread.thread_type"),
    _c("thread_label", "string", "Thread label of the fastener.", "thread.label"),
    *_quantity("thread_diameter", "Thread diameter", "thread.diameter"),
    *_quantity("length", "Fastener length", "length"),
)

FEATURE_TABLE_LIST = (
    _feature_table("dimensions", "one dimension", "dimensions", (), size="size"),
    _feature_table("threads", "one thread callout", "threads", _THREAD_OWN, size="diameter"),
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
    _feature_table("roughnesses", "one surface roughness symbol", "roughnesses", _ROUGHNESS_OWN),
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
    + (_c("reference_id", "Int64", "`reference_id` of the roughness symbol; joins to `roughnesses`.", "reference_id"),)
    + _ROUGHNESS_CONDITION_OWN,
    json_list="roughnesses[].conditions",
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
    json_list="<unknown>",
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
        ),
        _c("part_number", "string", "Identifier of type PART_NUMBER.", "identifiers[].value"),
        _c("designation", "string", "Designation (title) of the part, first entry.", "designation[0].value"),
        _c("material", "string", "Designation of the first material of the first option.", "material_options[0]"),
        _c("material_standard", "string", "Standard of that material, e.g. `DIN EN 10084`.", "material_options[0]"),
        _c("material_category", "string", "Top-level category, e.g. FERROUS_ALLOY.", "material_options[0]"),
        _c("n_material_options", "Int64", "Number of alternative material options.", "material_options"),
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
            "general_tolerance_linear_class",
            "string",
            "Class for linear sizes, parsed: ISO 2768-1 f/m/c/v or DIN 7168 f/m/g/sg (NA if none applies).",
        ),
        _c(
            "general_tolerance_geometric_class",
            "string",
            "ISO 2768-2 class H, K or L, where the drawing gives one (e.g. the K of `mK`).",
        ),
        _c("general_roughness", "string", "Label of the general roughness symbol.", "general_roughness.label"),
        _c("projection_method", "string", "FIRST_ANGLE or THIRD_ANGLE.", "projection_method.projection_method"),
        _c("unit_system", "string", "METRIC or IMPERIAL (joined by `|` if both).", "unit_systems[].unit_system_type"),
        _c("languages", "string", "Languages on the drawing, joined by `|`.", "languages"),
        _c("page_type", "string", "COMPONENT_DRAWING, ASSEMBLY_DRAWING, ...", "page_type"),
    ),
    json_list="META_DATA",
    computed=(
        "material_grade",
        "material_number",
        "material_family",
        "density_g_cm3",
        "weight_kg",
        "general_tolerance_linear_class",
        "general_tolerance_geometric_class",
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
)

MATERIALS = Table(
    "materials",
    "one material of one material option",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("reference_id", "Int64", "Werk24's id of the material option.", "reference_id"),
        _c("option", "Int64", "Material option (0 = first choice); equals `item_index`.", ""),
        _c("component", "Int64", "Position within a combination of materials.", ""),
        _c("designation", "string", "Material designation, e.g. `20MnCr5`.", "material_combination[].designation"),
        _c("standard", "string", "Standard, e.g. `DIN EN 10084`.", "material_combination[].standard"),
        _c("raw_ocr", "string", "The text as read off the drawing.", "material_combination[].raw_ocr"),
        _c(
            "category_1",
            "string",
            "FERROUS_ALLOY, NONFERROUS_ALLOY, POLYMER, ...",
            "material_combination[].material_category[0]",
        ),
        _c("category_2", "string", "STEEL, ALUMINUM, THERMOPLAST, ...", "material_combination[].material_category[1]"),
        _c("category_3", "string", "STAINLESS_STEEL, POM, ...", "material_combination[].material_category[2]"),
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
        _c("material", "string", "First material of the first option.", "material_options[0]"),
        _c("n_material_options", "Int64", "Number of material options.", "material_options"),
        _c("fastener_type", "string", "Fastener type, if the row is a fastener.", "fastener.fastener_type"),
        _c("fastener_designation", "string", "Fastener designation.", "fastener.designation"),
    ),
    json_list="bill_of_material.rows",
)

# --------------------------------------------------------------------------------------
# INSIGHTS
# --------------------------------------------------------------------------------------


def _envelope(when: str) -> tuple[Column, ...]:
    p = f"dimensions_{when}_processing"
    what = "raw stock (before processing)" if when == "before" else "finished part (after processing)"
    return (
        _c(f"envelope_{when}_shape", "string", f"CUBOID or CYLINDER: the envelope of the {what}.", f"{p}"),
        _c(f"envelope_{when}_width", "float", f"Cuboid width of the {what}.", f"{p}.enclosing_cuboid.width.value"),
        _c(f"envelope_{when}_height", "float", f"Cuboid height of the {what}.", f"{p}.enclosing_cuboid.height.value"),
        _c(
            f"envelope_{when}_depth",
            "float",
            f"Cuboid or cylinder depth of the {what}.",
            f"{p}.enclosing_*.depth.value",
        ),
        _c(
            f"envelope_{when}_diameter",
            "float",
            f"Cylinder diameter of the {what}.",
            f"{p}.enclosing_cylinder.diameter.value",
        ),
        _c(f"envelope_{when}_unit", "string", "Unit of the envelope sizes.", f"{p}.enclosing_*.*.unit"),
        _c(
            f"envelope_{when}_annotations_complete",
            "boolean",
            "The drawing's annotations sufficed to compute the envelope.",
            f"{p}.annotations_complete",
        ),
    )


INSIGHTS = Table(
    "insights",
    "one drawing with an INSIGHTS answer",
    DRAWING_COLUMNS
    + (
        _c("page", "Int64", "Page the answer is about.", ""),
        _c(
            "primary_process",
            "string",
            "First primary process option: TURNING, MILLING or CUTTING.",
            "primary_process_options[0].primary_process",
        ),
        _c(
            "primary_processes",
            "string",
            "All primary process options, joined by `|`.",
            "primary_process_options[].primary_process",
        ),
        _c(
            "requires_secondary_milling",
            "boolean",
            "Turning that needs secondary milling.",
            "primary_process_options[].requires_secondary_milling",
        ),
        _c("requires_bending", "boolean", "Cutting that needs bending.", "primary_process_options[].requires_bending"),
        _c("axis_count", "Int64", "Milling axis count.", "primary_process_options[].axis_count"),
        _c("n_secondary_processes", "Int64", "Number of secondary processes (see `processes`).", "secondary_processes"),
        *_quantity("volume", "Volume estimate", "volume_estimate"),
        _c("volume_cm3", "float", "Volume in cm³ (NA for an unknown unit, with a `problems` row).", ""),
        _c("volume_estimate_type", "string", "How the volume was estimated.", "volume_estimate.volume_estimate_type"),
        *_envelope("before"),
        *_envelope("after"),
    ),
    json_list="INSIGHTS",
    computed=("volume_cm3",),
)

PROCESSES = Table(
    "processes",
    "one secondary process (coating, heat treatment, ...)",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + FEATURE_COLUMNS[:2]
    + (FEATURE_COLUMNS[3],)
    + (
        _c("process", "string", "The most specific category, e.g. ANODIZING.", "process_category[-1]"),
        _c("process_group", "string", "The top category (DIN 8580), e.g. COATING.", "process_category[0]"),
        _c("process_category", "string", "The whole category path, joined by ` > `.", "process_category"),
    ),
    json_list="secondary_processes",
)

# --------------------------------------------------------------------------------------
# REFERENCE_POSITIONS and images
# --------------------------------------------------------------------------------------

POSITIONS = Table(
    "positions",
    "one located item: where a `reference_id` sits on a page",
    DRAWING_COLUMNS
    + ITEM_COLUMNS
    + (
        _c("reference_id", "Int64", "Joins to the `reference_id` of every other table.", "reference_id"),
        _c(
            "coordinate_space", "string", "PIXEL_SPACE (of the sheet image) or WORLD_SPACE.", "polygon.coordinate_space"
        ),
        _c("x_min", "float", "Left edge of the polygon's bounding box.", "polygon.coordinates"),
        _c("y_min", "float", "Top edge of the bounding box.", "polygon.coordinates"),
        _c("x_max", "float", "Right edge of the bounding box.", "polygon.coordinates"),
        _c("y_max", "float", "Bottom edge of the bounding box.", "polygon.coordinates"),
        _c("polygon", "object", "The polygon as a list of (x, y) tuples.", "polygon.coordinates"),
    ),
    json_list="reference_positions",
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
    OTHER_FEATURES,
    FEATURES,
    INSIGHTS,
    PROCESSES,
    POSITIONS,
    IMAGES,
    PROBLEMS,
)

TABLES: dict[str, Table] = {t.name: t for t in _ALL}

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
        _c("finest_ra_um", "float", "The finest Ra on the drawing, in µm."),
        _c("material_grade", "string", "Grade of the first material (`metadata`)."),
        _c("material_family", "string", "steel, stainless steel, aluminium, … (`metadata`)."),
        _c("n_material_options", _N, "Alternative materials allowed."),
        _c("weight_kg", "float", "Weight as stated, in kg."),
        _c("volume_cm3", "float", "Volume estimate from INSIGHTS, in cm³."),
        _c("envelope_shape", "string", "Raw stock before processing: CUBOID, CYLINDER… (INSIGHTS)."),
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

RESULTS: dict[str, Table] = {t.name: t for t in (COST_DRIVERS,)}
"""Tables computed by :mod:`werk24_frames.stats`; ``describe`` and ``empty_frame`` know them too."""


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
        "inside one item of the response list named under each table.",
        "",
        'dtypes: `string` is `pd.StringDtype("pyarrow")` (Arrow-backed strings whose missing value',
        "is `pd.NA`; not pandas 3's default `str`, whose missing value is NaN), `float` is float64,",
        "`Int64` and `boolean` are pandas' nullable integer and boolean types, `object` holds Python",
        "objects (`polygon`: a list of (x, y) tuples). The dtypes are the same on every path: a cold",
        "load, a load from the table cache, `wf.open_dataset` and `wf.to_dask`.",
        "",
    ]
    for t in (*_ALL, *RESULTS.values()):
        out.append(f"## `{t.name}`")
        out.append("")
        src = f" From `{t.json_list}`." if t.json_list else ""
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
            path = path.replace("|", "\\|")
            out.append(f"| `{c.name}` | {c.dtype} | {desc} | {path} |")
        out.append("")
    return "\n".join(out)
