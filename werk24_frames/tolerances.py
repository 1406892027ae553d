"""The tolerance engine: limits in mm from explicit deviations, ISO 286 classes and general
tolerances (ISO 2768-1, DIN 7168), and the IT grade a feature must hold.

Everything is table-driven: the ISO 286-1/286-2, ISO 2768-1 and DIN 7168 values are data files
in ``werk24_frames/_data/iso/`` (their sources and cross-checks are in ``SOURCES.md`` there).
ISO 286-1's formulas do not reproduce all tabulated values after rounding, so they are never
used for limits. Lookups are vectorised: one numpy pass per tolerance class or per general
tolerance class, never per row.

Size ranges are "above A, up to and including B": 6 mm lies in 3–6, 10 mm in 6–10.

Examples
--------
>>> from werk24_frames import tolerances as tol
>>> tol.deviations("H7", 10)        # lower and upper deviation in mm
(0.0, 0.015)
>>> tol.deviations("g6", 25)
(-0.02, -0.007)
>>> tol.it_grade(0.2, 12)           # 12 ±0.1: IT12 (180 µm) fits into 0.2 mm, IT13 does not
12
>>> tol.general_deviation("ISO 2768", "m", 50)
0.3
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ._units import ANGLE_TO_DEG, LENGTH_TO_MM, canonical_unit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SOURCES",
    "TOLERANCE_SOURCES",
    "FitClass",
    "deviations",
    "general_deviation",
    "it_grade",
    "it_value",
    "parse_fit",
    "parse_general_tolerance",
]

SOURCES = "werk24_frames/_data/iso/SOURCES.md"
IT_GRADES = ("01", "0", *(str(n) for n in range(1, 19)))
_HOLE_LETTERS = [
    "A",
    "B",
    "C",
    "CD",
    "D",
    "E",
    "EF",
    "F",
    "FG",
    "G",
    "H",
    "J",
    "JS",
    "K",
    "M",
    "N",
    "P",
    "R",
    "S",
    "T",
    "U",
    "V",
    "X",
    "Y",
    "Z",
    "ZA",
    "ZB",
    "ZC",
]
_SHAFT_LETTERS = [x.lower() for x in _HOLE_LETTERS]
_CLASS = re.compile(r"^(?P<letter>[A-Za-z]{1,2})(?P<grade>01|0|1[0-8]|[1-9])$")


# --------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("werk24_frames").joinpath("_data", "iso", name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return float(text) if text.strip() else math.nan


@dataclass(frozen=True)
class _Ranges:
    """Contiguous size ranges ("above, up to and including") and one value column per class."""

    above: np.ndarray
    upto: np.ndarray
    values: dict[str, np.ndarray]
    # ISO 2768-1 and DIN 7168 start "from 0.5 up to 3": their first range includes 0.5 mm.
    first_inclusive: bool = False

    def index(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row of each size, and whether the size lies in a row at all."""
        i = np.searchsorted(self.upto, x, side="left")
        inside = i < len(self.upto)
        i = np.where(inside, i, 0)
        low = self.above[i]
        inside &= (x > low) | (self.first_inclusive & (i == 0) & (x == low))
        return i, inside

    def lookup(self, column: str, x: np.ndarray) -> np.ndarray:
        i, inside = self.index(x)
        return np.where(inside, self.values[column][i], np.nan)


def _ranges(name: str, first_inclusive: bool = False) -> _Ranges:
    rows = _rows(name)
    cols = [c for c in rows[0] if c not in ("above_mm", "upto_mm")]
    return _Ranges(
        above=np.array([_num(r["above_mm"]) for r in rows]),
        upto=np.array([_num(r["upto_mm"]) if r["upto_mm"].strip() else np.inf for r in rows]),
        values={c: np.array([_num(r[c]) for r in rows]) for c in cols},
        first_inclusive=first_inclusive,
    )


@functools.cache
def _it() -> _Ranges:
    return _ranges("iso286_it_um.csv")


@functools.cache
def _it_matrix() -> np.ndarray:
    """IT01 … IT18 in µm, one row per size range (NaN where the standard gives none)."""
    t = _it()
    return np.column_stack([t.values[f"IT{g}"] for g in IT_GRADES])


@functools.cache
def _delta() -> _Ranges:
    return _ranges("iso286_delta_um.csv")


@dataclass(frozen=True)
class _Deviation:
    """The fundamental deviation rows of one letter for one grade."""

    above: np.ndarray
    upto: np.ndarray
    kind: np.ndarray  # "lower", "upper" or "symmetric"
    value: np.ndarray  # µm
    plus_delta: np.ndarray  # bool: add Δ of the same grade and size (holes K…ZC)


@functools.cache
def _deviation_rows() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for name in ("iso286_shaft_fundamental_deviations_um.csv", "iso286_hole_fundamental_deviations_um.csv"):
        for r in _rows(name):
            out.setdefault(r["letter"], []).append(r)
    return out


@functools.cache
def _deviation(letter: str, grade: int) -> _Deviation | None:
    rows = [r for r in _deviation_rows().get(letter, []) if int(r["grade_min"]) <= grade <= int(r["grade_max"])]
    if not rows:
        return None
    rows.sort(key=lambda r: float(r["upto_mm"]))
    return _Deviation(
        above=np.array([float(r["above_mm"]) for r in rows]),
        upto=np.array([float(r["upto_mm"]) for r in rows]),
        kind=np.array([r["deviation_kind"] for r in rows]),
        value=np.array([_num(r["value_um"]) for r in rows]),
        plus_delta=np.array([r.get("plus_delta", "false") == "true" for r in rows]),
    )


@functools.cache
def _general_tables() -> dict[tuple[str, str], _Ranges]:
    files = {
        ("ISO 2768", "linear"): "iso2768_1_linear_mm.csv",
        ("ISO 2768", "broken_edge"): "iso2768_1_broken_edges_mm.csv",
        ("ISO 2768", "angular"): "iso2768_1_angular.csv",
        ("DIN 7168", "linear"): "din7168_linear_mm.csv",
        ("DIN 7168", "broken_edge"): "din7168_broken_edges_mm.csv",
        ("DIN 7168", "angular"): "din7168_angular.csv",
    }
    return {key: _ranges(name, first_inclusive=True) for key, name in files.items()}


# --------------------------------------------------------------------------------------
# ISO 286: classes, limits and grades
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitClass:
    """An ISO 286 tolerance class such as ``H7`` (hole) or ``g6`` (shaft)."""

    letter: str
    grade: str  # "01", "0", "1" … "18"

    @property
    def is_hole(self) -> bool:
        return self.letter[0].isupper()

    def __str__(self) -> str:
        return f"{self.letter}{self.grade}"


def _one_class(text: str) -> FitClass | None:
    m = _CLASS.match(text)
    if not m:
        return None
    letter = m["letter"]
    if letter not in _HOLE_LETTERS and letter not in _SHAFT_LETTERS:
        # "Js7", "jS7": the js/JS letter written in mixed case
        if letter.lower() == "js":
            letter = "JS" if letter[0].isupper() else "js"
        else:
            return None
    return FitClass(letter, m["grade"])


@functools.lru_cache(maxsize=4096)
def parse_fit(text: str | None) -> tuple[FitClass | None, FitClass | None] | None:
    """The hole and shaft class of a fit as drawings write it; ``None`` if it is not one.

    Examples
    --------
    >>> parse_fit("H7")
    (FitClass(letter='H', grade='7'), None)
    >>> parse_fit("H7 / g6")
    (FitClass(letter='H', grade='7'), FitClass(letter='g', grade='6'))
    >>> parse_fit("6H") is None          # an ISO 965 thread class, not ISO 286
    True
    """
    if text is None:
        return None
    s = re.sub(r"\s+", "", str(text)).lstrip("Ø⌀ø")
    if not s:
        return None
    parts = re.split(r"[/-]", s) if ("/" in s or "-" in s) else re.findall(r"[A-Za-z]{1,2}(?:01|1[0-8]|[0-9])", s)
    if not parts or "".join(parts) != re.sub(r"[/-]", "", s):
        return None
    classes = [_one_class(p) for p in parts]
    if any(c is None for c in classes) or len(classes) > 2:
        return None
    holes = [c for c in classes if c is not None and c.is_hole]
    shafts = [c for c in classes if c is not None and not c.is_hole]
    if len(holes) > 1 or len(shafts) > 1:
        return None
    return (holes[0] if holes else None, shafts[0] if shafts else None)


def _grade_index(grade: str) -> int:
    return IT_GRADES.index(grade)


def it_value(grade: str | int, nominal_mm: Any) -> Any:
    """The standard tolerance ITn in µm for sizes in mm (NaN outside 0–3150 mm).

    Examples
    --------
    >>> it_value(7, 10), it_value("01", 2), it_value(18, 3150)
    (15.0, 0.3, 33000.0)
    """
    x = np.asarray(nominal_mm, dtype=np.float64)
    out = _it().lookup(f"IT{grade}", x)
    return float(out) if out.ndim == 0 else out


def _class_um(c: FitClass, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper deviation of class ``c`` in µm for sizes ``x`` in mm (NaN where the
    standard defines none)."""
    it = _it().lookup(f"IT{c.grade}", x)
    g = _grade_index(c.grade) - 1  # IT numbers; IT01 and IT0 use the rows "all grades"
    dev = _deviation(c.letter, max(g, 1))
    nan = np.full(x.shape, np.nan)
    if dev is None:
        return nan, nan
    i = np.searchsorted(dev.upto, x, side="left")
    inside = i < len(dev.upto)
    i = np.where(inside, i, 0)
    inside &= x > dev.above[i]
    kind = dev.kind[i]
    value = np.where(inside, dev.value[i], np.nan)
    if c.is_hole and dev.plus_delta.any():
        delta_col = f"IT{c.grade}"
        d = _delta()
        delta = d.lookup(delta_col, x) if delta_col in d.values else nan
        value = np.where(dev.plus_delta[i], value + delta, value)
    symmetric = kind == "symmetric"
    lower_given = kind == "lower"
    lower = np.where(symmetric, -it / 2, np.where(lower_given, value, value - it))
    upper = np.where(symmetric, it / 2, np.where(lower_given, value + it, value))
    bad = ~inside | np.isnan(it)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def deviations(fit: str | FitClass, nominal_mm: Any) -> tuple[Any, Any]:
    """Lower and upper deviation in mm of an ISO 286 class at a nominal size in mm.

    A fit pair (``H7/g6``) gives the hole's deviations. NaN where the standard defines none.

    Examples
    --------
    >>> deviations("K7", 20)
    (-0.015, 0.006)
    >>> deviations("js11", 30)
    (-0.065, 0.065)
    """
    c = fit if isinstance(fit, FitClass) else _chosen(parse_fit(fit), prefer_hole=True)
    if c is None:
        raise ValueError(f"not an ISO 286 tolerance class: {fit!r}")
    x = np.asarray(nominal_mm, dtype=np.float64)
    lo, hi = _class_um(c, np.atleast_1d(x))
    lo, hi = np.round(lo / 1000, 9), np.round(hi / 1000, 9)
    if x.ndim == 0:
        return float(lo[0]), float(hi[0])
    return lo, hi


def _chosen(pair: tuple[FitClass | None, FitClass | None] | None, prefer_hole: bool) -> FitClass | None:
    if pair is None:
        return None
    hole, shaft = pair
    return (hole or shaft) if prefer_hole else (shaft or hole)


def _grades(width_um: np.ndarray, x_mm: np.ndarray) -> np.ndarray:
    """Coarsest grade index (into ``IT_GRADES``) whose IT does not exceed the width; -1 if none."""
    i, inside = _it().index(x_mm)
    rows = _it_matrix()[i]
    with np.errstate(invalid="ignore"):
        fits = rows <= np.round(width_um, 6)[:, None]
    any_fit = fits.any(axis=1) & inside & (width_um > 0)
    last = fits.shape[1] - 1 - np.argmax(fits[:, ::-1], axis=1)
    return np.where(any_fit, last, -1)


def _grade_number(index: np.ndarray) -> np.ndarray:
    """``IT_GRADES`` index to the integer of ``it_grade``: IT01 and IT0 are 0, ITn is n."""
    return np.where(index >= 2, index - 1, 0)


def it_grade(width_mm: Any, nominal_mm: Any) -> Any:
    """The coarsest ISO 286 grade whose standard tolerance does not exceed ``width_mm`` at the
    size ``nominal_mm``: the grade a process must at least hold. ``None`` (NA) where no grade
    fits or the size is outside 0–3150 mm. IT01 and IT0 both give 0.

    Examples
    --------
    >>> it_grade(0.5, 7), it_grade(0.012, 6)    # R7 0/-0.5 and Ø6 H7, as in Werk24's docs
    (14, 7)
    """
    w = np.atleast_1d(np.asarray(width_mm, dtype=np.float64)) * 1000
    x = np.atleast_1d(np.asarray(nominal_mm, dtype=np.float64))
    idx = _grades(w, x)
    n = _grade_number(idx)
    if np.ndim(width_mm) == 0 and np.ndim(nominal_mm) == 0:
        return int(n[0]) if idx[0] >= 0 else None
    import pandas as pd

    return pd.arrays.IntegerArray(n.astype(np.int64), idx < 0)


# --------------------------------------------------------------------------------------
# General tolerances
# --------------------------------------------------------------------------------------

_GENERAL_CLASSES = {"ISO 2768": ("f", "m", "c", "v"), "DIN 7168": ("f", "m", "g", "sg")}


def parse_general_tolerance(
    standard: str | None, tolerance_class: str | None
) -> tuple[str | None, str | None, str | None]:
    """``(standard, linear class, geometric class)`` from what a title block says.

    The standard is ``ISO 2768`` or ``DIN 7168`` when it can be told (else as given); the
    linear class is ISO 2768-1's f/m/c/v or DIN 7168's f/m/g/sg; the geometric class is
    ISO 2768-2's H/K/L.

    Examples
    --------
    >>> parse_general_tolerance("ISO 2768", "mK")
    ('ISO 2768', 'm', 'K')
    >>> parse_general_tolerance(None, "ISO 2768-m-H")
    ('ISO 2768', 'm', 'H')
    >>> parse_general_tolerance("DIN 7168", "sg")
    ('DIN 7168', 'sg', None)
    """
    std_text = str(standard or "")
    cls_text = str(tolerance_class or "")
    both = f"{std_text} {cls_text}"
    if re.search(r"7168", both):
        std: str | None = "DIN 7168"
    elif re.search(r"2768", both):
        std = "ISO 2768"
    else:
        std = std_text or None
    if std not in _GENERAL_CLASSES:
        return std, None, None
    # Whatever follows the standard's number, or the class field alone: "m", "mK", "m-K", "-f".
    text = cls_text or std_text
    text = re.sub(r"(?i)^.*?(2768|7168)(-1)?", "", text) if re.search(r"2768|7168", text) else text
    text = text.strip().lstrip("-: ").strip()
    letters = "sg|f|m|g" if std == "DIN 7168" else "f|m|c|v"
    m = re.match(rf"^({letters})(?:\s*-?\s*([HKL]))?(?:\s*-?\s*E)?$", text)
    if not m:
        m2 = re.match(r"^(?:-?\s*)?([HKL])$", text) if std == "ISO 2768" else None
        return std, None, m2.group(1) if m2 else None
    return std, m.group(1), m.group(2)


def general_deviation(standard: str, tolerance_class: str, nominal_mm: Any, kind: str = "linear") -> Any:
    """The ± general tolerance in mm (degrees for ``kind="angular"``, by the shorter leg in mm).

    ``kind`` is ``linear``, ``broken_edge`` (external radii and chamfer heights) or
    ``angular``. NaN outside the table or where the standard gives no value.

    Examples
    --------
    >>> general_deviation("ISO 2768", "f", 6), general_deviation("ISO 2768", "f", 6.01)
    (0.05, 0.1)
    >>> general_deviation("DIN 7168", "g", 4, "broken_edge")
    1.0
    """
    table = _general_tables()[(standard, kind)]
    x = np.asarray(nominal_mm, dtype=np.float64)
    out = table.lookup(tolerance_class, np.atleast_1d(x))
    return float(out[0]) if x.ndim == 0 else out


# --------------------------------------------------------------------------------------
# The columns a size table gains
# --------------------------------------------------------------------------------------

# Which general tolerance table applies to a size table's size (threads: ISO 965 classes,
# not general tolerances).
_GENERAL_KIND = {
    "dimensions": "linear",
    "bores": "linear",
    "radii": "broken_edge",
    "chamfers": "broken_edge",
    "sizes": "linear",
}
# The tables whose secondary sizes (rows of ``sizes``) a general tolerance covers: depths and
# counterbores of bores and threads, a chamfer's angle. Not GD&T zones and roughness values
# (tolerances themselves), not the envelope Werk24 computes, not a bought fastener's length, and
# not undercuts, key slots and centre holes, whose sizes their own standards (DIN 509, DIN 6885,
# ISO 6411) tolerance.
_GENERAL_SIZES_OF = ("bores", "threads", "chamfers")
# Thread diameters and their tolerances are ISO 965 classes (6H, 6g), not ISO 286.
_THREAD_ROLES = ("thread.diameter", "fastener.thread.diameter")


def _size_masks(df: pd.DataFrame, table: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row: may a fit be read as ISO 286, and may a general tolerance apply."""
    n = len(df)
    if table != "sizes":
        return np.full(n, table != "threads"), np.ones(n, dtype=bool)
    role = df["role"].astype(object)
    thread = (role.str.endswith("_tolerance") | role.isin(_THREAD_ROLES)).to_numpy(dtype=bool, na_value=False)
    owner = df["table"].isin(_GENERAL_SIZES_OF).to_numpy(dtype=bool, na_value=False)
    return ~thread, owner & ~thread


# The values of ``tolerance_source``, in order of precedence.
TOLERANCE_SOURCES = ("exact", "reference", "explicit", "fit", "general", "none")


def add_limits(df: pd.DataFrame, table: str, general: pd.DataFrame, problems: list[tuple[Any, ...]]) -> None:
    """Add the limit, mm, grade and source columns to a size table, in place.

    ``general`` has one row per drawing: ``drawing_id``, ``standard`` and ``linear_class``
    (see :func:`parse_general_tolerance`). Rows the engine cannot compute get NA and a
    ``problems`` row (an unknown unit, a size outside a table, a fit that is no ISO 286 class).
    """
    import pandas as pd

    from .schema import pandas_dtype

    n = len(df)
    nominal = df["nominal"].to_numpy(dtype=np.float64, na_value=np.nan)
    # Per distinct unit, not per row: codes index into the factors of the uniques (-1: none).
    codes, uniques = pd.factorize(df["unit"])
    canon = [canonical_unit(u) or "" for u in uniques]
    to_mm = np.array([LENGTH_TO_MM.get(u, np.nan) for u in canon] + [np.nan], dtype=np.float64)[codes]
    angular = np.array([u in ANGLE_TO_DEG for u in canon] + [False], dtype=bool)[codes]
    angular |= (df["size_type"] == "ANGULAR").to_numpy(dtype=bool, na_value=False)
    unknown = (codes >= 0) & np.isnan(to_mm) & ~angular
    units = np.array([*uniques, None], dtype=object)[codes]

    exact = df["is_theoretically_exact"].fillna(False).to_numpy(dtype=bool)
    ref = df["is_reference"].fillna(False).to_numpy(dtype=bool)
    blocked = exact | ref
    dl = df["deviation_lower"].to_numpy(dtype=np.float64, na_value=np.nan)
    du = df["deviation_upper"].to_numpy(dtype=np.float64, na_value=np.nan)
    explicit = ~blocked & ~(np.isnan(dl) & np.isnan(du))
    lo = np.where(explicit, dl, np.nan)
    hi = np.where(explicit, du, np.nan)
    nominal_mm = np.where(angular, np.nan, nominal * to_mm)

    # ISO 286 classes (not for threads: their classes are ISO 965, e.g. 6H).
    iso286, general_ok = _size_masks(df, table)
    fits = _objects(df["fit"])
    fit_rows = np.zeros(n, dtype=bool)
    if iso286.any():
        todo = iso286 & ~blocked & ~explicit & (fits != None)  # noqa: E711 - elementwise
        for text in pd.unique(fits[todo]):
            rows = todo & (fits == text)
            c = _chosen(parse_fit(str(text)), prefer_hole=True)
            if c is None:
                for k in np.flatnonzero(rows):
                    problems.append(
                        _problem(df, int(k), table, f"fit {text!r} is not an ISO 286 tolerance class; not used")
                    )
                continue
            fit_rows |= rows
            a, b = _class_um(c, np.where(rows, nominal_mm, np.nan))
            lo = np.where(rows, a / 1000 / to_mm, lo)
            hi = np.where(rows, b / 1000 / to_mm, hi)
            for k in np.flatnonzero(rows & np.isnan(a) & ~np.isnan(nominal_mm)):
                problems.append(
                    _problem(df, int(k), table, f"ISO 286 defines no {c} at {nominal_mm[k]:g} mm; limits left NA")
                )

    # General tolerances, by drawing.
    general_rows = np.zeros(n, dtype=bool)
    kind = _GENERAL_KIND.get(table)
    if kind is not None and len(general):
        # The (standard, class) pair of each row, by drawing: factorised, never looped per row.
        dcodes, dids = pd.factorize(df["drawing_id"])
        by_id = {
            d: (_none(s), _none(c))
            for d, s, c in zip(
                general["drawing_id"].tolist(),
                general["standard"].tolist(),
                general["linear_class"].tolist(),
                strict=True,
            )
        }
        index: dict[tuple[Any, Any], int] = {}
        pair_codes = np.array(
            [index.setdefault(by_id.get(d, (None, None)), len(index)) for d in dids]
            + [index.setdefault((None, None), len(index))],
            dtype=np.intp,
        )
        unique_pairs = list(index)
        row_pairs = pair_codes[dcodes]
        has_class = np.array([p[1] is not None for p in unique_pairs], dtype=bool)
        todo = general_ok & ~blocked & ~explicit & ~fit_rows & ~angular & has_class[row_pairs]
        for code in np.unique(row_pairs[todo]):
            s, c = unique_pairs[code]
            rows = todo & (row_pairs == code)
            dev = general_deviation(str(s), str(c), np.where(rows, nominal_mm, np.nan), kind)
            general_rows |= rows
            lo = np.where(rows, -dev / to_mm, lo)
            hi = np.where(rows, dev / to_mm, hi)
            for k in np.flatnonzero(rows & np.isnan(dev) & ~np.isnan(nominal_mm)):
                what = "broken-edge" if kind == "broken_edge" else kind
                problems.append(
                    _problem(
                        df,
                        int(k),
                        table,
                        f"{s} class {c} gives no {what} tolerance at {nominal_mm[k]:g} mm; limits left NA",
                    )
                )
    for k in np.flatnonzero(unknown):
        problems.append(_problem(df, int(k), table, f"unknown length unit {units[k]!r}; the `_mm` columns are NA"))

    lower = nominal + lo
    upper = nominal + hi
    width = hi - lo  # not upper - lower: 10.01 - 9.99 is 0.019999999999999574
    scale = np.where(angular, np.nan, to_mm)
    df["nominal_mm"] = nominal_mm
    df["lower_limit"] = lower
    df["upper_limit"] = upper
    df["tolerance_width"] = width
    df["lower_limit_mm"] = lower * scale
    df["upper_limit_mm"] = upper * scale
    df["tolerance_width_mm"] = width * scale
    idx = _grades(width * scale * 1000, nominal_mm)
    df["it_grade"] = pd.arrays.IntegerArray(_grade_number(idx).astype(np.int64), idx < 0)
    source = np.select(
        [exact, ref, explicit, fit_rows, general_rows], list(TOLERANCE_SOURCES[:-1]), default=TOLERANCE_SOURCES[-1]
    )
    df["tolerance_source"] = pd.array(source, dtype=pandas_dtype("string"))


def _none(v: Any) -> Any:
    import pandas as pd

    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


def _objects(s: pd.Series) -> np.ndarray:
    """A column as an object array with ``None`` for every missing value."""
    import pandas as pd

    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = None
    return arr


def _problem(df: pd.DataFrame, k: int, table: str, message: str) -> tuple[Any, ...]:
    """A problems row for row ``k``, located at the item's size (``FEATURES.bores[2].diameter``)."""
    import pandas as pd

    from .schema import TABLES

    row = df.iloc[k]
    page = row["page"]
    if "json_path" in df.columns:  # sizes: each row says where it sits
        where = str(row["json_path"])
    else:
        size = TABLES[table].column("nominal").json_path.rpartition(".")[0]
        where = f"FEATURES.{table}[{int(row['item_index'])}].{size}"
    return (
        str(row["drawing_id"]),
        str(row["source"]),
        None if pd.isna(page) else int(page),
        where,
        message,
        "warning",
    )
