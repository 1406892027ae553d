"""The tolerance engine: limits in mm from explicit deviations, ISO 286 classes and general
tolerances (ISO 2768-1, DIN 7168), the IT grade a feature must hold, and the ISO 965 limits of
ISO metric threads.

Everything is table-driven: the ISO 286-1/286-2, ISO 2768-1, DIN 7168 and ISO 965-1 values are data files
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
    "ThreadLimits",
    "coarse_pitch_mm",
    "deviations",
    "general_deviation",
    "iso965_limits",
    "it_grade",
    "it_value",
    "parse_fit",
    "parse_general_tolerance",
    "parse_thread_class",
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
    if table == "threads":
        add_thread_limits(df, problems)


def _none(v: Any) -> Any:
    import pandas as pd

    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


def _objects(s: pd.Series) -> np.ndarray:
    """A column as an object array with ``None`` for every missing value."""
    import pandas as pd

    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = None
    return arr


def _problem(df: pd.DataFrame, k: int, table: str, message: str, severity: str = "warning") -> tuple[Any, ...]:
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
        severity,
    )


# --------------------------------------------------------------------------------------
# ISO 965: limits of ISO metric threads
# --------------------------------------------------------------------------------------

#: Basic profile (ISO 68-1, ISO 724): pitch diameter d2 = d - 0.649519 P, minor diameter of the
#: nut D1 = d - 1.082532 P.
_D2_FACTOR = 0.649519
_D1_FACTOR = 1.082532
_THREAD_CLASS = re.compile(r"^(?:(?P<pg>[3-9])(?P<pl>[efghEFGH]))?(?P<cg>[3-9])(?P<cl>[efghEFGH])$")


@dataclass(frozen=True)
class ThreadLimits:
    """Limits in mm of an ISO metric thread of one tolerance class (ISO 965-1 tables).

    ``side`` is ``external`` (a bolt: classes such as ``6g``; the major diameter is its crest)
    or ``internal`` (a nut: ``6H``; the minor diameter is its crest). The crest diameter of the
    other side is NaN (ISO 965 fixes only one of its limits). NaN where the tables give no
    value for the grade, pitch or size.
    """

    tolerance_class: str
    side: str
    pitch_mm: float
    pitch_diameter_nominal: float
    pitch_diameter_lower: float
    pitch_diameter_upper: float
    major_diameter_lower: float
    major_diameter_upper: float
    minor_diameter_lower: float
    minor_diameter_upper: float


@functools.cache
def _by_pitch(name: str) -> dict[float, dict[str, float]]:
    return {float(r["pitch_mm"]): {k: _num(v) for k, v in r.items() if k != "pitch_mm"} for r in _rows(name)}


@functools.cache
def _pitch_tolerances(name: str) -> list[tuple[float, float, float, dict[str, float]]]:
    return [
        (
            float(r["above_mm"]),
            float(r["upto_mm"]),
            float(r["pitch_mm"]),
            {k: _num(v) for k, v in r.items() if k.startswith("grade_")},
        )
        for r in _rows(name)
    ]


def _td2(internal: bool, d: float, pitch: float, grade: str) -> float:
    name = "iso965_1_td2_pitch_internal_um.csv" if internal else "iso965_1_td2_pitch_external_um.csv"
    for above, upto, p, values in _pitch_tolerances(name):
        if above < d <= upto and math.isclose(p, pitch):
            return values.get(f"grade_{grade}", math.nan)
    return math.nan


def _per_pitch(name: str, pitch: float, column: str) -> float:
    for p, values in _by_pitch(name).items():
        if math.isclose(p, pitch):
            return values.get(column, math.nan)
    return math.nan


def parse_thread_class(text: str | None) -> tuple[str, str, str, str] | None:
    """``(pitch grade, letter, crest grade, letter)`` of an ISO 965 class such as ``6g`` or
    ``5g6g`` (pitch-diameter class first); ``None`` if ``text`` is not one class.

    Examples
    --------
    >>> parse_thread_class("6H"), parse_thread_class("5g6g"), parse_thread_class("6H/6g")
    (('6', 'H', '6', 'H'), ('5', 'g', '6', 'g'), None)
    """
    if text is None:
        return None
    m = _THREAD_CLASS.match(re.sub(r"\s+", "", str(text)))
    if not m:
        return None
    cg, cl = m["cg"], m["cl"]
    pg, pl = (m["pg"], m["pl"]) if m["pg"] else (cg, cl)
    if pl.isupper() != cl.isupper():
        return None
    return pg, pl, cg, cl


def iso965_limits(tolerance_class: str, major_mm: float, pitch_mm: float) -> ThreadLimits | None:
    """The ISO 965-1 limits in mm of an ISO metric thread ``M<major_mm>x<pitch_mm>-<class>``.

    The tolerances (Td, Td2, TD1, TD2) and fundamental deviations come from the ISO 965-1 tables
    shipped in ``werk24_frames/_data/iso/`` (see ``SOURCES.md``), never from the standard's
    formulas, which do not reproduce its rounded tables. Basic diameters are rounded to 0.001 mm
    as ISO 724 prints them. ``None`` if ``tolerance_class`` is not one ISO 965 class; NaN limits
    where the tables have no value (a grade that does not exist for the pitch, a size outside
    0.99–180 mm, the internal positions E and F, which the shipped tables lack).

    Examples
    --------
    >>> t = iso965_limits("6g", 10, 1.5)
    >>> t.side, t.major_diameter_lower, t.major_diameter_upper, t.pitch_diameter_lower, t.pitch_diameter_upper
    ('external', 9.732, 9.968, 8.862, 8.994)
    >>> t = iso965_limits("6H", 6, 1)
    >>> t.minor_diameter_lower, t.minor_diameter_upper, t.pitch_diameter_lower, t.pitch_diameter_upper
    (4.917, 5.153, 5.35, 5.5)
    """
    parsed = parse_thread_class(tolerance_class)
    if parsed is None:
        return None
    pg, pl, cg, cl = parsed
    internal = cl.isupper()
    d, p = float(major_mm), float(pitch_mm)
    d2 = round(d - _D2_FACTOR * p, 3)
    nan = math.nan
    devs = "iso965_1_fundamental_deviations_um.csv"
    if internal:
        ei_pitch = _per_pitch(devs, p, f"EI_{pl}")
        ei_crest = _per_pitch(devs, p, f"EI_{cl}")
        d1 = round(d - _D1_FACTOR * p, 3)
        td2 = _td2(True, d, p, pg)
        td1 = _per_pitch("iso965_1_td1_minor_internal_um.csv", p, f"grade_{cg}")
        pitch_lo, pitch_hi = d2 + ei_pitch / 1000, d2 + (ei_pitch + td2) / 1000
        minor_lo, minor_hi = d1 + ei_crest / 1000, d1 + (ei_crest + td1) / 1000
        major_lo = major_hi = nan
    else:
        es_pitch = _per_pitch(devs, p, f"es_{pl}")
        es_crest = _per_pitch(devs, p, f"es_{cl}")
        td2 = _td2(False, d, p, pg)
        td = _per_pitch("iso965_1_td_major_external_um.csv", p, f"grade_{cg}")
        pitch_lo, pitch_hi = d2 + (es_pitch - td2) / 1000, d2 + es_pitch / 1000
        major_lo, major_hi = d + (es_crest - td) / 1000, d + es_crest / 1000
        minor_lo = minor_hi = nan
    r = functools.partial(round, ndigits=6)
    return ThreadLimits(
        tolerance_class=f"{pg}{pl}{cg}{cl}" if (pg, pl) != (cg, cl) else f"{cg}{cl}",
        side="internal" if internal else "external",
        pitch_mm=p,
        pitch_diameter_nominal=d2,
        pitch_diameter_lower=r(pitch_lo),
        pitch_diameter_upper=r(pitch_hi),
        major_diameter_lower=r(major_lo),
        major_diameter_upper=r(major_hi),
        minor_diameter_lower=r(minor_lo),
        minor_diameter_upper=r(minor_hi),
    )


@functools.cache
def coarse_pitch_mm() -> dict[float, float]:
    """ISO 261 coarse pitch by nominal diameter in mm (M1 … M64).

    Examples
    --------
    >>> coarse_pitch_mm()[10.0]
    1.5
    """
    return {float(r["nominal_mm"]): float(r["coarse_pitch_mm"]) for r in _rows("iso261_coarse_pitch_mm.csv")}


#: The columns :func:`add_thread_limits` adds to ``threads`` (declared in ``schema.THREAD_LIMIT_COLUMNS``).
THREAD_LIMIT_COLUMNS = (
    "iso965_class",
    "thread_side",
    "pitch_diameter_nominal_mm",
    "pitch_diameter_lower_mm",
    "pitch_diameter_upper_mm",
    "major_diameter_lower_mm",
    "major_diameter_upper_mm",
    "minor_diameter_lower_mm",
    "minor_diameter_upper_mm",
)


def add_thread_limits(df: pd.DataFrame, problems: list[tuple[Any, ...]]) -> None:
    """Add the ISO 965 limit columns to ``threads``, in place.

    An ISO metric thread gets limits when its ``tolerance_class`` is one ISO 965 class (``6g``,
    ``6H``, ``5g6g``); the pitch is ``pitch_mm`` or, when the drawing omits it, the ISO 261
    coarse pitch of the size. A class pair (``6H/6g``: a thread fit) does not say which side
    the callout is, and a thread without a class has no limits to check against: both stay NA.
    A class the shipped tables do not cover (a pitch or size outside them) gets NA and an
    ``info`` row of ``problems`` (the drawing is fine; our tables stop there).
    """
    import pandas as pd

    from .schema import pandas_dtype

    n = len(df)
    out: dict[str, list[Any]] = {
        c: [None if c in ("iso965_class", "thread_side") else math.nan] * n for c in THREAD_LIMIT_COLUMNS
    }
    types = [None if t is pd.NA else t for t in df["thread_type"].tolist()] if n else []  # NA: no type read
    classes = df["tolerance_class"].tolist() if n else []
    majors = df["nominal_mm"].to_numpy(dtype=np.float64, na_value=np.nan) if n else np.array([])
    pitches = df["pitch_mm"].to_numpy(dtype=np.float64, na_value=np.nan) if n else np.array([])
    coarse = coarse_pitch_mm()
    seen: dict[tuple[str, float, float], ThreadLimits | None] = {}
    for k in range(n):
        cls = classes[k]
        if types[k] != "ISO_METRIC" or cls is None or cls is pd.NA or not math.isfinite(majors[k]):
            continue
        d = float(majors[k])
        p = float(pitches[k]) if math.isfinite(pitches[k]) else coarse.get(d, math.nan)
        if not math.isfinite(p) or parse_thread_class(str(cls)) is None:
            continue
        key = (str(cls), d, p)
        if key not in seen:
            seen[key] = iso965_limits(*key)
        lim = seen[key]
        if lim is None:
            continue
        out["iso965_class"][k] = lim.tolerance_class
        out["thread_side"][k] = lim.side
        out["pitch_diameter_nominal_mm"][k] = lim.pitch_diameter_nominal
        for c in THREAD_LIMIT_COLUMNS[3:]:
            out[c][k] = getattr(lim, c.removesuffix("_mm"))
        crest = "minor" if lim.side == "internal" else "major"
        if math.isnan(lim.pitch_diameter_lower) or math.isnan(getattr(lim, f"{crest}_diameter_lower")):
            problems.append(
                _problem(
                    df,
                    k,
                    "threads",
                    f"the ISO 965-1 tables shipped have no {lim.tolerance_class} for M{d:g}x{p:g}; "
                    "thread limits left NA where missing (see werk24_frames/_data/iso/SOURCES.md)",
                    "info",
                )
            )
    string = pandas_dtype("string")
    for c in THREAD_LIMIT_COLUMNS:
        if c in ("iso965_class", "thread_side"):
            df[c] = pd.array(out[c], dtype=string)
        else:
            df[c] = np.asarray(out[c], dtype=np.float64)
