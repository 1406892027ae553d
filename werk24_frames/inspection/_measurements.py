"""Measured values: read them (CSV, Excel, a DataFrame) and hold them against the plan.

:func:`read_measurements` turns a file of measured values into the long ``measurements`` table
(one value of one characteristic on one part, in file order); :func:`results` joins it to an
inspection plan: the value in the plan's unit, within limits or not, and by how much.

Bad input never crashes and never vanishes: a row that cannot be used keeps its place (value NA)
and gets a ``problems`` row naming the file and the row; :func:`problems` hands them out as the
library's problems table. Only a file that cannot be read at all raises.

May import: pandas, numpy, the schema and the unit helpers (openpyxl through pandas, for Excel).
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from .._units import ANGLE_TO_DEG, LENGTH_TO_MM, canonical_unit

__all__ = ["PLAN_COLUMNS", "problems", "read_measurements", "results"]

ProblemRow = tuple[str | None, str | None, int | None, str, str, str]

#: The columns of the inspection plan this module uses (all from the plan contract).
PLAN_COLUMNS = (
    "drawing_id",
    "drawing_number",
    "characteristic",
    "table",
    "reference_id",
    "role",
    "kind",
    "requirement",
    "nominal",
    "lower_limit",
    "upper_limit",
    "unit",
)

#: Header spellings read as each column (compared lower-cased, spaces and dashes as ``_``).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "drawing": ("drawing", "drawing_id", "drawing_number", "drawing_no", "drawing_nr"),
    "characteristic": ("characteristic", "char", "char_no", "characteristic_number", "balloon", "balloon_number"),
    "part": ("part", "serial", "serial_number", "part_serial", "sample"),
    "value": ("value", "measured", "measured_value", "actual", "result"),
    "unit": ("unit", "units"),
    "subgroup": ("subgroup", "subgroup_id"),
}
_REQUIRED = ("characteristic", "value")

# A value is within limits when it lies inside them up to this relative slack: limits are sums of
# decimals (10 + 0.015) whose binary rounding must not fail a part measured at exactly 10.015.
_SLACK = 1e-9


# --------------------------------------------------------------------------------------
# problems
# --------------------------------------------------------------------------------------


def problems(frame: pd.DataFrame) -> pd.DataFrame:
    """The problems met while making ``frame`` (measurements, results or capability), as the
    library's ``problems`` table (``drawing_id``, ``source``, ``page``, ``location``,
    ``message``, ``severity``).

    Examples
    --------
    >>> import pandas as pd
    >>> import werk24_frames as wf
    >>> m = wf.inspection.read_measurements(
    ...     pd.DataFrame({"characteristic": [1, 2], "value": ["10.01", "n/a"]}), warn=False
    ... )
    >>> wf.inspection.problems(m)[["location", "message"]].to_dict("records")
    [{'location': 'index 1', 'message': "value 'n/a' is not a number; the value is NA"}]
    """
    rows = frame.attrs.get("problems", ())
    return _problem_frame(rows)


def _problem_frame(rows: Iterable[ProblemRow]) -> pd.DataFrame:
    rows = list(rows)
    if not rows:
        return schema.empty_frame("problems")
    t = schema.TABLES["problems"]
    cols = list(zip(*rows, strict=True))
    return pd.DataFrame(
        {c.name: pd.array(list(v), dtype=schema.pandas_dtype(c.dtype)) for c, v in zip(t.columns, cols, strict=True)}
    )


def _warn(rows: list[ProblemRow], what: str, stacklevel: int = 3) -> None:
    if rows:
        first = rows[0]
        more = f" (and {len(rows) - 1} more)" if len(rows) > 1 else ""
        warnings.warn(
            f"{what}: {first[1]}, {first[3]}: {first[4]}{more}; see wf.inspection.problems(...)",
            UserWarning,
            stacklevel=stacklevel,
        )


def _typed(table: str, data: dict[str, Any]) -> pd.DataFrame:
    """A frame with exactly the columns and dtypes of ``table``."""
    t = schema._get(table)
    out = {}
    for c in t.columns:
        values = data[c.name]
        if c.dtype == "float" and not isinstance(values, np.ndarray):
            values = [np.nan if v is None or v is pd.NA else v for v in values]
        out[c.name] = pd.array(values, dtype=schema.pandas_dtype(c.dtype))
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------


def _header_key(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _read_table(source: Any, sheet_name: str | int, sep: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    """The raw cells (strings or numbers), the source's name and where each row is in it."""
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True), "DataFrame", [f"index {i}" for i in source.index]
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"measurements must be a file path or a DataFrame, not {type(source).__name__}")
    path = Path(os.fspath(source))
    if not path.is_file():
        raise FileNotFoundError(f"no measurements file {str(path)!r}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from .._extras import require

            require("inspection", f"reading {path.name}", "openpyxl")
            frame = pd.read_excel(path, sheet_name=sheet_name, dtype=object, engine="openpyxl")
        else:
            options: dict[str, Any] = {"dtype": str, "keep_default_na": False, "sep": sep, "engine": "python"}
            try:
                frame = pd.read_csv(path, encoding="utf-8-sig", **options)
            except UnicodeDecodeError:  # a spreadsheet's CSV export in Windows-1252 (Ø, µ, °)
                frame = pd.read_csv(path, encoding="cp1252", **options)
    except ImportError:
        raise
    except Exception as exc:  # pandas raises many kinds for a broken file; name the file in one
        raise ValueError(f"cannot read measurements from {str(path)!r}: {exc}") from exc
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"cannot read measurements from {str(path)!r}: not one table")
    # The spreadsheet's row numbers: the header is row 1.
    return frame.reset_index(drop=True), str(path), [f"row {i + 2}" for i in range(len(frame))]


def _text(cell: Any) -> str | None:
    """A cell as trimmed text (integral floats without ``.0``), None when empty."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return text or None


def _number(cell: Any, decimal: str) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | np.integer | np.floating):
        value = float(cell)
    else:
        text = _text(cell)
        if text is None:
            return None
        if decimal != ".":
            text = text.replace(decimal, ".")
        try:
            value = float(text.replace("\u2212", "-"))
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _balloon(cell: Any) -> int | None:
    value = _number(cell, ".")
    if value is None or not value.is_integer() or value < 0 or value > 2**62:
        return None
    return int(value)


def read_measurements(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    sheet_name: str | int = 0,
    sep: str | None = None,
    decimal: str = ".",
    warn: bool = True,
) -> pd.DataFrame:
    """Measured values from a CSV file, an Excel workbook or a DataFrame, as a long table.

    The file has one row per measured value and these columns (header names are matched
    ignoring case; the names in brackets are read as the same column):

    - ``characteristic`` (``balloon``, ``char_no``): the balloon number of the plan; required;
    - ``value`` (``measured``, ``actual``): the measured value; required;
    - ``drawing`` (``drawing_id``, ``drawing_number``): the drawing's id or number; may be left
      out when the plan has one drawing;
    - ``part`` (``serial``, ``serial_number``): the part's serial number;
    - ``unit``: the value's unit (mm, in, µm/um, deg...) where it is not the plan's;
    - ``subgroup``: rational subgroups for :func:`~werk24_frames.inspection.capability`.

    Rows keep the file's order in ``sequence``: capability takes it as the production order.

    Parameters
    ----------
    source
        A ``.csv`` (or other delimited text; UTF-8, else read as Windows-1252), ``.xlsx`` file, or
        a DataFrame.
    sheet_name
        The Excel sheet to read.
    sep
        The CSV delimiter; None guesses it (``,``, ``;`` or tab).
    decimal
        The decimal mark of the values (``","`` for ``10,005``).
    warn
        Warn once when some rows have problems.

    Returns
    -------
    pandas.DataFrame
        The ``measurements`` table (``wf.schema.describe("measurements")``). A cell that cannot be
        read (a value that is no number, a balloon number that is no whole number, a missing
        required column) is a problem row in :func:`problems`; its row stays with NA.

    Raises
    ------
    FileNotFoundError, ValueError
        The file is missing, or cannot be read as a table at all (the message names it).

    Examples
    --------
    >>> import pandas as pd
    >>> import werk24_frames as wf
    >>> m = wf.inspection.read_measurements(pd.DataFrame(
    ...     {"drawing": ["WF-1015"] * 2, "balloon": [1, 1], "serial": ["S1", "S2"], "value": [10.004, 10.011]}
    ... ))
    >>> m[["drawing", "characteristic", "part", "value", "sequence"]].to_dict("list")
    {'drawing': ['WF-1015', 'WF-1015'], 'characteristic': [1, 1], 'part': ['S1', 'S2'], 'value': [10.004, 10.011], 'sequence': [0, 1]}
    """
    raw, name, locations = _read_table(source, sheet_name, sep)
    found: list[ProblemRow] = []

    where: dict[str, Any] = {}
    for column in raw.columns:
        key = _header_key(column)
        for target, names in COLUMN_NAMES.items():
            if key in names:
                if target in where:
                    found.append(
                        (
                            None,
                            name,
                            None,
                            f"column {column!r}",
                            f"a second {target} column; {column!r} is ignored",
                            "warning",
                        )
                    )
                else:
                    where[target] = column
    missing = [c for c in _REQUIRED if c not in where]
    n = len(raw)
    if missing:
        spelled = "; ".join(f"{c} (one of {', '.join(COLUMN_NAMES[c])})" for c in missing)
        found.append((None, name, None, "header", f"no column for {spelled}; no value read from this file", "error"))
        frame = _typed("measurements", {c.name: [None] * 0 for c in schema.RESULTS["measurements"].columns})
        frame.attrs["problems"] = tuple(found)
        if warn:
            _warn(found, f"reading {name}")
        return frame

    def cells(target: str) -> list[Any]:
        return raw[where[target]].tolist() if target in where else [None] * n

    drawings = [_text(c) for c in cells("drawing")]
    balloons: list[int | None] = []
    values: list[float | None] = []
    for loc, drawing, ccell, vcell in zip(locations, drawings, cells("characteristic"), cells("value"), strict=True):
        balloon = _balloon(ccell)
        if balloon is None:
            shown = _text(ccell)
            message = (
                "no characteristic (balloon number)"
                if shown is None
                else f"characteristic {shown!r} is not a balloon number"
            )
            found.append((drawing, name, None, loc, f"{message}; the row is not used", "warning"))
        balloons.append(balloon)
        value = _number(vcell, decimal)
        if value is None:
            shown = _text(vcell)
            message = "no value" if shown is None else f"value {shown!r} is not a number"
            found.append((drawing, name, None, loc, f"{message}; the value is NA", "warning"))
        values.append(value)
    units: list[str | None] = []
    for loc, drawing, ucell in zip(locations, drawings, cells("unit"), strict=True):
        unit = _text(ucell)
        if unit is not None and _unit_family(unit) is None:
            found.append((drawing, name, None, loc, f"unknown unit {unit!r}; the value cannot be converted", "warning"))
        units.append(unit)
    frame = _typed(
        "measurements",
        {
            "drawing": drawings,
            "characteristic": balloons,
            "part": [_text(c) for c in cells("part")],
            "value": [np.nan if v is None else v for v in values],
            "unit": units,
            "subgroup": [_text(c) for c in cells("subgroup")],
            "sequence": list(range(n)),
            "source": [name] * n,
            "location": locations,
        },
    )
    frame.attrs["problems"] = tuple(found)
    if warn:
        _warn(found, f"reading {name}")
    return frame


# --------------------------------------------------------------------------------------
# units
# --------------------------------------------------------------------------------------


def _unit_family(unit: str | None) -> tuple[str, float] | None:
    """("length", factor to mm) or ("angle", factor to degrees), None when unknown."""
    key = canonical_unit(unit)
    if key is None:
        return None
    if key in LENGTH_TO_MM:
        return "length", LENGTH_TO_MM[key]
    if key in ANGLE_TO_DEG:
        return "angle", ANGLE_TO_DEG[key]
    return None


def _factor(given: str | None, plan_unit: str | None) -> tuple[float, str | None]:
    """The factor from the measured unit into the plan's, or NaN and why not."""
    if given is None or plan_unit is None or canonical_unit(given) == canonical_unit(plan_unit):
        return 1.0, None
    g, p = _unit_family(given), _unit_family(plan_unit)
    if g is None:
        return math.nan, f"unknown unit {given!r}; the value cannot be converted"
    if p is None:
        return math.nan, f"the plan's unit {plan_unit!r} is unknown; a value in {given!r} cannot be converted"
    if g[0] != p[0]:
        return math.nan, f"a value in {given!r} cannot be converted to the characteristic's unit {plan_unit!r}"
    return g[1] / p[1], None


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------


def _check_plan(plan: pd.DataFrame) -> None:
    if not isinstance(plan, pd.DataFrame):
        raise TypeError(f"the plan must be a DataFrame (wf.inspection_plan(corpus)), not {type(plan).__name__}")
    missing = [c for c in PLAN_COLUMNS if c not in plan.columns]
    if missing:
        raise ValueError(f"the plan lacks the column(s) {', '.join(missing)}; make it with wf.inspection_plan(corpus)")


def _as_measurements(measurements: Any) -> pd.DataFrame:
    if isinstance(measurements, pd.DataFrame):
        if {"characteristic", "value", "sequence", "source", "location"} <= set(measurements.columns):
            return measurements
        return read_measurements(measurements, warn=False)
    return read_measurements(measurements, warn=False)


def within(value: Any, lower: Any, upper: Any) -> Any:
    """True where ``lower <= value <= upper`` (a NA limit is open), NA without limits or value.

    Arrays of floats (NaN for missing) in, a boolean array out (pandas ``boolean``).
    """
    v = np.asarray(value, dtype="float64")
    lo = np.asarray(lower, dtype="float64")
    hi = np.asarray(upper, dtype="float64")
    with np.errstate(invalid="ignore"):
        slack_lo = _SLACK * np.maximum(1.0, np.abs(lo))
        slack_hi = _SLACK * np.maximum(1.0, np.abs(hi))
        ok = np.where(np.isnan(lo), True, v >= lo - slack_lo) & np.where(np.isnan(hi), True, v <= hi + slack_hi)
    unknown = np.isnan(v) | (np.isnan(lo) & np.isnan(hi))
    return pd.arrays.BooleanArray(np.asarray(ok, dtype=bool), np.asarray(unknown, dtype=bool))


def results(plan: pd.DataFrame, measurements: Any, *, warn: bool = True) -> pd.DataFrame:
    """One row per measured value: the plan's characteristic, the part, the value in the plan's
    unit, whether it is within the limits and by how much it deviates.

    Definitions (in the plan's ``unit``):

    - ``within_limits``: ``lower_limit <= value <= upper_limit``, a missing limit being open (a
      one-sided requirement); NA when the characteristic has no limits or the value is NA. Limits
      are compared with a relative slack of 1e-9, so a value equal to a limit counts as within.
    - ``deviation``: ``value - nominal``, signed (positive: larger than nominal).
    - ``outside_by``: how far the value lies beyond the limit it breaks (``value - upper_limit``
      above, ``lower_limit - value`` below), always >= 0; 0 when within, NA without limits.

    A ``4X`` characteristic may have several values per part: ``occurrence`` numbers them in
    file order.

    Parameters
    ----------
    plan
        The inspection plan (``wf.inspection_plan(corpus)``).
    measurements
        The ``measurements`` table (:func:`read_measurements`), or a file or DataFrame to read.
    warn
        Warn once when values could not be placed.

    Returns
    -------
    pandas.DataFrame
        The ``inspection_results`` table, sorted by drawing, characteristic and file order.
        Values whose drawing or characteristic the plan lacks, or whose unit cannot be
        converted, are problem rows (:func:`problems`, which also holds the reading's problems).

    """
    _check_plan(plan)
    m = _as_measurements(measurements)
    carried: list[ProblemRow] = list(m.attrs.get("problems", ()))
    reported = {(str(p[1]), str(p[3])) for p in carried}
    found: list[ProblemRow] = []

    plan_rows = plan.drop_duplicates(["drawing_id", "characteristic"])
    ids = set(plan_rows["drawing_id"].dropna().astype(str))
    by_number: dict[str, set[str]] = {}
    for did, number in zip(plan_rows["drawing_id"], plan_rows["drawing_number"], strict=True):
        if pd.notna(number) and pd.notna(did):
            by_number.setdefault(str(number), set()).add(str(did))
    only = next(iter(ids)) if len(ids) == 1 else None
    index = {
        (str(d), int(c)): i
        for i, (d, c) in enumerate(zip(plan_rows["drawing_id"], plan_rows["characteristic"], strict=True))
        if pd.notna(d) and pd.notna(c)
    }

    keep: list[int] = []
    plan_pos: list[int] = []
    factor: list[float] = []
    units = plan_rows["unit"].tolist()
    for pos, (drawing, balloon, unit, source, loc) in enumerate(
        zip(m["drawing"], m["characteristic"], m["unit"], m["source"], m["location"], strict=True)
    ):
        shown = None if pd.isna(drawing) else str(drawing)
        place = (str(source), str(loc))

        def problem(message: str, shown: str | None = shown, place: tuple[str, str] = place) -> None:
            if place not in reported:
                found.append((shown, place[0], None, place[1], message, "warning"))

        if pd.isna(balloon):
            problem("no characteristic (balloon number); the value is not used")
            continue
        if shown is None:
            if only is None:
                problem(f"no drawing given and the plan has {len(ids)} drawings; the value is not used")
                continue
            did = only
        elif shown in ids:
            did = shown
        elif shown in by_number:
            if len(by_number[shown]) > 1:
                problem(f"drawing number {shown!r} names {len(by_number[shown])} drawings of the plan; give the id")
                continue
            did = next(iter(by_number[shown]))
        else:
            problem(f"drawing {shown!r} is not in the plan; the value is not used")
            continue
        i = index.get((did, int(balloon)))
        if i is None:
            problem(f"the plan has no characteristic {int(balloon)} on drawing {shown or did!r}; the value is not used")
            continue
        plan_unit = units[i]
        f, why = _factor(None if pd.isna(unit) else str(unit), None if pd.isna(plan_unit) else str(plan_unit))
        if why is not None:
            problem(why)
        keep.append(pos)
        plan_pos.append(i)
        factor.append(f)

    mk = m.iloc[keep].reset_index(drop=True)
    pk = plan_rows.iloc[plan_pos].reset_index(drop=True)
    value = mk["value"].to_numpy(dtype="float64", na_value=np.nan) * np.asarray(factor, dtype="float64")
    lower = pk["lower_limit"].to_numpy(dtype="float64", na_value=np.nan)
    upper = pk["upper_limit"].to_numpy(dtype="float64", na_value=np.nan)
    nominal = pk["nominal"].to_numpy(dtype="float64", na_value=np.nan)
    to_mm = np.array([_length_factor(u) for u in pk["unit"]], dtype="float64")
    with np.errstate(invalid="ignore"):
        beyond = np.fmax(np.fmax(value - upper, lower - value), 0.0)
    no_limits = np.isnan(lower) & np.isnan(upper)
    outside_by = np.where(no_limits | np.isnan(value), np.nan, beyond)
    data: dict[str, Any] = {c: pk[c].tolist() for c in PLAN_COLUMNS}
    data.update(
        {
            "part": mk["part"].tolist(),
            "sequence": mk["sequence"].tolist(),
            "value": value,
            "value_mm": value * to_mm,
            "within_limits": within(value, lower, upper),
            "deviation": value - nominal,
            "outside_by": outside_by,
            "subgroup": mk["subgroup"].tolist() if "subgroup" in mk else [None] * len(mk),
            "source": mk["source"].tolist(),
            "location": mk["location"].tolist(),
            "occurrence": [1] * len(mk),
        }
    )
    out = _typed("inspection_results", data)
    out = out.sort_values(["drawing_id", "characteristic", "sequence"], kind="stable").reset_index(drop=True)
    if len(out):
        out["occurrence"] = (
            out.groupby(["drawing_id", "characteristic", "part"], dropna=False, sort=False).cumcount() + 1
        ).astype("Int64")
    out.attrs["problems"] = tuple(carried + found)
    if warn:
        _warn(found, "placing the measurements")
    return out


def _length_factor(unit: Any) -> float:
    family = None if unit is None or pd.isna(unit) else _unit_family(str(unit))
    return family[1] if family is not None and family[0] == "length" else math.nan


def values_of(row: Any, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The values of one characteristic (a row of ``capability`` or the plan) in the plan's unit
    and production order, from ``results`` or raw ``measurements``: (values, sequence).

    Raw measurements are matched by balloon number and drawing (id or number, or no drawing) and
    converted into the row's unit; values that cannot be converted are left out (their problem
    rows are :func:`problems` of :func:`results`)."""
    balloon = int(row["characteristic"])
    did, number = row["drawing_id"], row["drawing_number"]
    if "drawing_id" not in frame.columns:
        frame = _as_measurements(frame)
    mine = frame[frame["characteristic"] == balloon]
    if "drawing_id" in frame.columns:
        mine = mine[mine["drawing_id"] == did]
        values = mine["value"].to_numpy(dtype="float64", na_value=np.nan)
    else:
        names = {str(x) for x in (did, number) if pd.notna(x)}
        mine = mine[mine["drawing"].isna() | mine["drawing"].astype("string").isin(names)]
        unit = None if pd.isna(row["unit"]) else str(row["unit"])
        factor = np.array([_factor(None if pd.isna(u) else str(u), unit)[0] for u in mine["unit"]], dtype="float64")
        values = mine["value"].to_numpy(dtype="float64", na_value=np.nan) * factor
    sequence = mine["sequence"].to_numpy(dtype="float64", na_value=np.nan)
    order = np.argsort(sequence, kind="stable")
    keep = ~np.isnan(values[order])
    return values[order][keep], sequence[order][keep]
