"""Material designations: one grade for its many names, its family and its density.

The table is ``werk24_frames/_data/materials/materials.csv`` (sources in ``SOURCES.md``
beside it). Equivalences are *nearest equivalents* as the usual cross-reference tables give
them (``1.4301`` = ``X5CrNi18-10`` ≈ ``AISI 304``), not identity: composition ranges differ.

A designation is looked up as written, then without text in brackets (``CuZn39Pb3 (Ms58)``),
an EN 10027-1 delivery condition (``C45+N``), an aluminium temper (``6061-T6``), a prefix
(``AISI``, ``W.Nr.``, ``AL``) or trailing words that only describe it (``POM-C natural``, ``304
SS``; not ``316 Ti`` or ``PA6 GF30``, which are other grades). Case, spaces, dots and dashes
never matter.

Examples
--------
>>> from werk24_frames._materials import lookup
>>> lookup("AISI 304").grade, lookup("1.4301").grade, lookup("x5crni 18-10").grade
('X5CrNi18-10', 'X5CrNi18-10', 'X5CrNi18-10')
>>> lookup("42CrMo4+QT").family
'steel'
>>> lookup("unobtainium") is None
True
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FAMILIES", "Material", "add_material_columns", "family_from_categories", "key", "lookup", "table"]

# The families, in the order reports list them.
FAMILIES = ("steel", "stainless steel", "cast iron", "aluminium", "copper alloy", "titanium", "plastic")


@dataclass(frozen=True)
class Material:
    """One row of the material table."""

    grade: str
    number: str | None
    family: str
    density_g_cm3: float
    aliases: tuple[str, ...]
    source: str


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# EN 10027-1 delivery conditions (+QT, +N, +A, +C290, +SH, +AR ...) follow the name after a plus
# sign; only those codes, so that blends such as PC+ABS keep their name.
_CONDITION = re.compile(
    r"(\s*\+\s*(?:A|AC|AR|AT|C|CR|FP|HC|LC|M|N|NT|P|QA|QL|QO|QT|QW|S|SH|SR|T|TH|U|W)\d*)+$", re.IGNORECASE
)
# EN 515 / ANSI H35.1 tempers after a four-digit aluminium alloy: 6061-T6, EN AW-6082 T651,
# 5754-H111, 1050A O (not the F of AISI 430F, a different steel).
_TEMPER = re.compile(r"(?:(?<=\d{4})|(?<=\d{4}A))[\s\-]+(T\d{1,5}|H\d{2,4}|O)$", re.IGNORECASE)
_BRACKETS = re.compile(r"\s*\([^)]*\)")
# Words after a grade that only describe it (colour, finish, "SS"); not alloying additions
# (316 Ti), fillers (PA6 GF30) or numbers, which make another grade.
_DESCRIPTOR = re.compile(r"^(SS|[^\W\d_]{3,})$")
_PREFIX = re.compile(
    r"^(AISI|SAE|UNS|AA|ALU?|JIS|DIN|EN|ISO|W\.?\s*-?\s*NR\.?|WERKSTOFF(NUMMER|NR\.?)?|MAT(ERIAL)?\.?\s*(NO|NR)\.?)"
    r"(?=[\s:.\-]|\d)[\s:.\-]*",
    re.IGNORECASE,
)


def key(text: str) -> str:
    """The lookup key of a name: upper case, letters and digits only (``1.4301`` → ``14301``)."""
    return _NOT_ALNUM.sub("", text.upper())


def _variants(text: str) -> list[str]:
    """The spellings a designation is looked up by, most literal first."""
    out = [text, _BRACKETS.sub("", text)]  # CuZn39Pb3 (Ms58)
    for t in list(out):
        out.append(_CONDITION.sub("", t))
    for t in list(out):
        out.append(_TEMPER.sub("", t.strip()))
    for t in list(out):
        out.append(_PREFIX.sub("", t.strip()))
    for t in list(out):
        words = t.split()
        if len(words) > 1 and all(_DESCRIPTOR.match(w) for w in words[1:]):
            out.append(words[0])
    return out


@functools.cache
def table() -> tuple[Material, ...]:
    """The material table, as shipped."""
    path = resources.files("werk24_frames").joinpath("_data", "materials", "materials.csv")
    with path.open(encoding="utf-8") as fh:
        return tuple(
            Material(
                grade=r["grade"].strip(),
                number=r["number"].strip() or None,
                family=r["family"].strip(),
                density_g_cm3=float(r["density_g_cm3"]),
                aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
                source=r["source"].strip(),
            )
            for r in csv.DictReader(fh)
        )


@functools.cache
def _index() -> dict[str, Material]:
    out: dict[str, Material] = {}
    for m in table():
        for name in (m.grade, m.number, *m.aliases):
            if name:
                out.setdefault(key(name), m)
    return out


@functools.lru_cache(maxsize=4096)
def lookup(designation: str) -> Material | None:
    """The material a designation names, or None when the table does not know it."""
    index = _index()
    for v in _variants(designation):
        k = key(v)
        if k and k in index:
            return index[k]
    return None


# Werk24's material categories (levels 2 and 3) → our families, for grades the table lacks.
_BY_CATEGORY = {
    "STAINLESS_STEEL": "stainless steel",
    "CAST_IRON": "cast iron",
    "STEEL": "steel",
    "ALUMINUM": "aluminium",
    "ALUMINIUM": "aluminium",
    "COPPER": "copper alloy",
    "TITANIUM": "titanium",
    "POLYMER": "plastic",
    "THERMOPLAST": "plastic",
    "THERMOSET": "plastic",
    "ELASTOMER": "plastic",
}


def family_from_categories(*categories: str | None) -> str | None:
    """Our family for Werk24's category path (most specific first wins).

    >>> family_from_categories("FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL")
    'stainless steel'
    >>> family_from_categories("POLYMER", None, None)
    'plastic'
    """
    for c in reversed(categories):
        if c and c in _BY_CATEGORY:
            return _BY_CATEGORY[c]
    return None


_KIND = {"steel": "ferrous", "stainless steel": "ferrous", "cast iron": "ferrous"}


def _agrees(table_family: str, category_family: str | None) -> bool:
    """The table's family and Werk24's are the same kind of material (or Werk24 says none)."""
    if category_family is None:
        return True
    return _KIND.get(table_family, table_family) == _KIND.get(category_family, category_family)


def _text(v: Any) -> str | None:
    if v is None or not isinstance(v, str):
        return None
    v = " ".join(v.split())
    return v or None


def add_material_columns(df: pd.DataFrame) -> None:
    """Add ``grade``, ``material_number``, ``family`` and ``density_g_cm3`` to the materials table.

    The designation is looked up first, then the text read off the drawing (``raw_ocr``). A
    match is not used when it is another kind of material than Werk24's category says (an
    aluminium found for a name Werk24 files under STEEL). A grade the table does not know
    keeps its designation, spaces tidied; spellings that differ only in case, spaces or
    punctuation get the spelling seen first.
    """
    import numpy as np
    import pandas as pd

    from .schema import pandas_dtype

    string = pandas_dtype("string")
    cols = ["designation", "raw_ocr", "category_1", "category_2", "category_3"]
    keys = list(zip(*([None if v is pd.NA else v for v in df[c].tolist()] for c in cols), strict=True))
    seen: dict[str, str] = {}
    found: dict[tuple[Any, ...], tuple[str | None, str | None, str | None, float]] = {}
    for k in keys:
        if k in found:
            continue
        designation, raw = _text(k[0]), _text(k[1])
        said = family_from_categories(*k[2:])
        found_ = (lookup(t) for t in (designation, raw) if t)
        # A match of another kind of material than Werk24's category says is a false friend.
        m = next((m for m in found_ if m is not None and _agrees(m.family, said)), None)
        if m is not None:
            found[k] = (m.grade, m.number, m.family, m.density_g_cm3)
            continue
        name = designation or raw
        grade = seen.setdefault(key(name), name) if name else None
        found[k] = (grade, None, said, np.nan)
    values = [found[k] for k in keys]
    df["grade"] = pd.array([v[0] for v in values], dtype=string)
    df["material_number"] = pd.array([v[1] for v in values], dtype=string)
    df["family"] = pd.array([v[2] for v in values], dtype=string)
    df["density_g_cm3"] = np.array([v[3] for v in values], dtype=np.float64)
