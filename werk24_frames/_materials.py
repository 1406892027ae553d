"""Material designations: one grade for its many names, its family and its density.

The table is ``werk24_frames/_data/materials/materials.csv`` (sources in ``SOURCES.md``
beside it). Equivalences are *nearest equivalents* as the usual cross-reference tables give
them (``1.4301`` = ``X5CrNi18-10`` ≈ ``AISI 304``), not identity: composition ranges differ.

A designation is looked up as written, then without a heat-treatment condition (``C45+N``),
a temper (``6061-T6``), a prefix (``AISI``, ``W.Nr.``, ``AL``) or trailing words (``POM-C
natural``). Case, spaces, dots and dashes never matter.

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
# EN 10027-1 conditions (+QT, +N, +A, +C, +SH, +AR ...) follow the name after a plus sign.
_CONDITION = re.compile(r"\s*\+.*$")
# EN 515 / ANSI H35.1 tempers after an aluminium alloy: 6061-T6, EN AW-6082 T651, 5754-H111, 1050A O.
_TEMPER = re.compile(r"[\s\-]+(T\d{1,5}|H\d{2,4}|O|F)$", re.IGNORECASE)
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
    out = [text]
    for t in list(out):
        out.append(_CONDITION.sub("", t))
    for t in list(out):
        out.append(_TEMPER.sub("", t.strip()))
    for t in list(out):
        out.append(_PREFIX.sub("", t.strip()))
    for t in list(out):
        words = t.split()
        if len(words) > 1:
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


def _text(v: Any) -> str | None:
    if v is None or not isinstance(v, str):
        return None
    v = " ".join(v.split())
    return v or None


def add_material_columns(df: pd.DataFrame) -> None:
    """Add ``grade``, ``material_number``, ``family`` and ``density_g_cm3`` to the materials table.

    The designation is looked up first, then the text read off the drawing (``raw_ocr``). A
    grade the table does not know keeps its designation, spaces tidied; spellings that differ
    only in case, spaces or punctuation get the spelling seen first.
    """
    import numpy as np
    import pandas as pd

    string = pd.StringDtype("python")
    cols = ["designation", "raw_ocr", "category_1", "category_2", "category_3"]
    keys = list(df[cols].astype(object).where(df[cols].notna(), None).itertuples(index=False, name=None))
    seen: dict[str, str] = {}
    found: dict[tuple[Any, ...], tuple[str | None, str | None, str | None, float]] = {}
    for k in keys:
        if k in found:
            continue
        designation, raw = _text(k[0]), _text(k[1])
        m = next((m for m in (lookup(t) for t in (designation, raw) if t) if m is not None), None)
        if m is not None:
            found[k] = (m.grade, m.number, m.family, m.density_g_cm3)
            continue
        name = designation or raw
        grade = seen.setdefault(key(name), name) if name else None
        found[k] = (grade, None, family_from_categories(*k[2:]), np.nan)
    values = [found[k] for k in keys]
    df["grade"] = pd.array([v[0] for v in values], dtype=string)
    df["material_number"] = pd.array([v[1] for v in values], dtype=string)
    df["family"] = pd.array([v[2] for v in values], dtype=string)
    df["density_g_cm3"] = np.array([v[3] for v in values], dtype=np.float64)
