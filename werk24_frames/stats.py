"""Statistics across drawings: tolerances, materials, GD&T, threads, roughness, cost drivers.

Every function takes a :class:`~werk24_frames.Corpus` or a feature table (or a slice of one,
e.g. ``corpus.dimensions.query("nominal_mm > 50")``) and returns a DataFrame. The same
functions are methods of ``corpus.stats`` and of the ``df.w24`` accessor, with the data
already filled in.

Counts are of rows, i.e. callouts: ``4x Ø6.6`` is one bore (its ``quantity`` is 4).

Tolerance statistics cover the tables whose tolerances the engine computes
(:data:`TOLERANCE_TABLES`: dimensions, bores, chamfers, radii). Threads carry ISO 965 classes
(``6H``), not ISO 286 limits; :func:`thread_stats` counts them.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.sample_corpus()
>>> t = wf.stats.tolerance_stats(corpus, by=None)
>>> int(t.loc["all", "n_features"]) == int(corpus.features["table"].isin(wf.stats.TOLERANCE_TABLES).sum())
True
>>> int(t.loc["all", "finest_it_grade"])
6
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import schema
from ._units import LENGTH_TO_MM, factors
from .tolerances import TOLERANCE_SOURCES
from .tolerances import _rows as _iso_rows

if TYPE_CHECKING:
    from ._corpus import Corpus

__all__ = [
    "THREAD_FAMILIES",
    "TOLERANCE_TABLES",
    "cost_drivers",
    "datums_used",
    "fits_in_use",
    "gdnt_stats",
    "general_tolerances_in_use",
    "it_grade_counts",
    "material_counts",
    "multi_option_drawings",
    "roughness_stats",
    "thread_family",
    "thread_stats",
    "tightest",
    "tolerance_stats",
    "weight_by_material",
    "weight_check",
]

TOLERANCE_TABLES = ("dimensions", "bores", "chamfers", "radii")
"""The feature tables whose limits the tolerance engine computes."""

THREAD_FAMILIES = ("metric coarse", "metric fine", "unified", "npt", "whitworth", "other")
"""The thread families of :func:`thread_family`, as :func:`cost_drivers` counts them."""

By = str | Sequence[str] | None

_STRING = schema.pandas_dtype("string")
_ALL = pd.Index(["all"], dtype=_STRING)  # the one row of a result without ``by``
_TOL = ["it_grade", "tolerance_width_mm", "tolerance_source"]


# -- getting at the rows ---------------------------------------------------------------


def _is_corpus(data: Any) -> bool:
    from ._corpus import Corpus

    return isinstance(data, Corpus)


def _by_drawing(corpus: Corpus) -> pd.DataFrame:
    """The corpus's metadata, indexed by ``drawing_id``."""
    return corpus.metadata.drop_duplicates("drawing_id").set_index("drawing_id")


def _rows(data: Any, tables: Sequence[str], name: str, need: Sequence[str] = ()) -> pd.DataFrame:
    """The feature rows of ``tables`` from a corpus, or the frame itself (filtered by its
    ``table`` column, when it has one), which must have the columns ``need``."""
    if _is_corpus(data):
        if len(tables) == 1:
            return data.table(tables[0])
        f = data.features
        return f[f["table"].isin(tables)]
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name}() takes a Corpus or a DataFrame, not {type(data).__name__}")
    missing = [c for c in ("drawing_id", *need) if c not in data.columns]
    if missing:
        which = tables[0] if len(tables) == 1 else "feature"
        raise KeyError(
            f"{name}() needs the columns of the {which} table, and this one lacks {', '.join(missing)}; "
            f"pass corpus.{which if len(tables) == 1 else 'features'} (or a slice of it), or the corpus"
        )
    return data[data["table"].isin(tables)] if "table" in data.columns else data


def _keys(by: By) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _with_keys(data: Any, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``rows`` with the ``by`` columns, joined from the corpus's metadata where needed."""
    missing = [k for k in keys if k not in rows.columns]
    if not missing:
        return rows
    if _is_corpus(data):
        meta = data.metadata
        unknown = [k for k in missing if k not in meta.columns]
        if not unknown:
            add = _by_drawing(data)[missing]
            out = rows.copy()
            for k in missing:
                out[k] = out["drawing_id"].map(add[k]).astype(add[k].dtype)
            return out
        missing = unknown
    where = (
        "the table or the corpus's metadata" if _is_corpus(data) else "the table (pass the corpus to group by metadata)"
    )
    raise KeyError(f"cannot group by {missing}: no such column in {where}")


def _own(keys: list[str], *inherent: str) -> list[str]:
    """The ``by`` keys, then a result's own grouping columns (a key among them counts once)."""
    return [*(k for k in keys if k not in inherent), *inherent]


def _grouped(df: pd.DataFrame, keys: list[str]) -> Any:
    if keys:
        return df.groupby(keys, dropna=False, sort=True, observed=True)
    return df.groupby(np.zeros(len(df), dtype=np.int8), sort=False)


def _finish(data: Any, result: pd.DataFrame, keys: list[str], fill: dict[str, Any]) -> pd.DataFrame:
    """Give every group its row: one called ``all`` without keys (also when there is nothing
    to count), and on a corpus grouped by ``drawing_id`` every drawing, also one without rows."""
    if not keys:
        result = result.reindex([0])
        result.index = _ALL
    elif keys == ["drawing_id"] and _is_corpus(data):
        ids = pd.Index(data.metadata["drawing_id"].drop_duplicates(), name="drawing_id")
        result = result.reindex(ids.append(result.index.difference(ids, sort=False)))
    for col, value in fill.items():
        result[col] = result[col].fillna(value).astype("int64")
    return result


# -- tolerances ------------------------------------------------------------------------


def tolerance_stats(data: Any, by: By = "drawing_id", tight: int = 7) -> pd.DataFrame:
    """How the features are toleranced, per group: counts by source, IT grades, the tightest.

    Parameters
    ----------
    data
        A corpus, or a feature table or slice with the tolerance columns.
    by
        Column(s) to group by: any feature column, or (for a corpus) any ``metadata`` column
        such as ``material_grade``, ``material_family`` or ``drawing_number``. ``None`` gives one
        row, ``all``, for everything.
    tight
        The IT grade counted as tight: ``n_tight`` counts features of this grade or finer.

    Returns
    -------
    pandas.DataFrame
        One row per group:

        - ``n_features``; ``n_exact``, ``n_reference``, ``n_explicit``, ``n_fit``, ``n_general``,
          ``n_none`` by ``tolerance_source`` (they add up to ``n_features``);
        - ``n_toleranced`` (explicit, fit or general) and ``share_toleranced``;
        - ``n_with_grade`` (an IT grade is known), ``n_tight`` and ``share_tight`` (of those
          with a grade);
        - ``finest_it_grade``; ``tightest_width_mm`` (the narrowest positive tolerance zone) and
          where it is: ``tightest_drawing_id``, ``tightest_table``, ``tightest_reference_id``,
          ``tightest_label``, ``tightest_it_grade``.

    On a corpus grouped by ``drawing_id``, every drawing has a row, also one without features.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.from_responses([{"ask_type": "FEATURES", "dimensions": [
    ...     {"label": "10 ±0.01", "size": {"value": "10", "unit": "mm",
    ...      "tolerance": {"deviation_lower": "-0.01", "deviation_upper": "0.01"}}},
    ...     {"label": "40", "size": {"value": "40", "unit": "mm"}}]}], drawing_id="pin")
    >>> s = wf.stats.tolerance_stats(corpus)
    >>> s[["n_features", "n_none", "finest_it_grade", "tightest_width_mm"]]  # doctest: +NORMALIZE_WHITESPACE
                n_features  n_none  finest_it_grade  tightest_width_mm
    drawing_id
    pin                  2       1                7               0.02
    >>> s.loc["pin", "tightest_label"]
    '10 ±0.01'
    """
    keys = _keys(by)
    rows = _with_keys(data, _rows(data, TOLERANCE_TABLES, "tolerance_stats", _TOL), keys)
    grade = rows["it_grade"]
    width = rows["tolerance_width_mm"].where(rows["tolerance_width_mm"] > 0)
    flags = pd.DataFrame(
        {f"n_{s}": (rows["tolerance_source"] == s).fillna(False).astype("int64") for s in TOLERANCE_SOURCES},
        index=rows.index,
    )
    flags["n_toleranced"] = flags[["n_explicit", "n_fit", "n_general"]].sum(axis=1)
    flags["n_with_grade"] = grade.notna().astype("int64")
    flags["n_tight"] = (grade <= tight).fillna(False).astype("int64")
    frame = pd.concat([rows[keys], flags, grade.rename("g"), width.rename("w")], axis=1)
    g = _grouped(frame, keys)
    out = pd.DataFrame({"n_features": g.size()}).join(g[list(flags.columns)].sum())
    out["share_toleranced"] = out["n_toleranced"] / out["n_features"].where(out["n_features"] > 0)
    out["share_tight"] = out["n_tight"] / out["n_with_grade"].where(out["n_with_grade"] > 0)
    out["finest_it_grade"] = g["g"].min().astype("Int64")
    out["tightest_width_mm"] = g["w"].min().astype("float64")
    where = _first_min(rows, width, g, ["drawing_id", "table", "reference_id", "label", "it_grade"])
    for col, values in where.items():
        out[f"tightest_{col}"] = values
    return _finish(data, out, keys, dict.fromkeys(["n_features", *flags.columns], 0))


def _first_min(rows: pd.DataFrame, value: pd.Series, groups: Any, columns: list[str]) -> dict[str, Any]:
    """Per group of ``groups`` (in its order), ``columns`` of the first row where ``value`` is
    smallest; NA for a group without a value. Positional, so repeated index labels and NA
    group keys are no trouble."""
    codes = np.asarray(groups.ngroup(), dtype=np.int64)
    n = int(groups.ngroups)
    v = value.to_numpy(dtype=np.float64, na_value=np.nan)
    order = np.lexsort((np.arange(len(v)), v))  # by value, then by position
    order = order[~np.isnan(v[order])]
    best = np.full(n, -1, dtype=np.int64)
    ranked = codes[order]
    _, first = np.unique(ranked, return_index=True)
    best[ranked[first]] = order[first]
    out: dict[str, Any] = {}
    for col in columns:
        if col in rows.columns:
            out[col] = rows[col].array.take(best, allow_fill=True)
        else:
            out[col] = pd.array([pd.NA] * n, dtype="Int64" if col in ("reference_id", "it_grade") else _STRING)
    return out


def it_grade_counts(data: Any, by: By = None) -> pd.DataFrame:
    """How many features need each IT grade: one column per grade that occurs, one row per group.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> counts = wf.stats.it_grade_counts(wf.sample_corpus())
    >>> counts.columns.name, int(counts.to_numpy().sum()) > 0
    ('it_grade', True)
    """
    keys = _keys(by)
    rows = _with_keys(data, _rows(data, TOLERANCE_TABLES, "it_grade_counts", ["it_grade"]), keys)
    rows = rows[rows["it_grade"].notna()]
    frame = pd.DataFrame({**{k: rows[k] for k in keys}, "it_grade": rows["it_grade"].astype("int64")})
    counts = frame.groupby([*keys, "it_grade"], dropna=False, sort=True).size()
    if keys:
        out = counts.unstack("it_grade", fill_value=0)
    else:
        out = counts.to_frame().T
        out.index = _ALL
    out.columns = pd.Index([int(c) for c in out.columns], dtype="int64", name="it_grade")
    return out.astype("int64")


def _fit_code(text: Any) -> Any:
    return re.sub(r"\s+", "", text) if isinstance(text, str) else pd.NA


def fits_in_use(data: Any, by: By = None) -> pd.DataFrame:
    """The ISO 286 fits and tolerance classes written on the drawings, most used first.

    One row per fit (spaces removed: ``H7 / g6`` is ``H7/g6``) and table, with ``n_features`` and
    ``n_drawings``. Explicit deviations written beside the fit do not matter here; the audit
    checks that they agree. Fits on bores are the rows with ``table == "bores"``.
    """
    keys = _keys(by)
    rows = _with_keys(data, _rows(data, TOLERANCE_TABLES, "fits_in_use", ["fit"]), keys)
    rows = rows[rows["fit"].notna()]
    table = rows["table"] if "table" in rows.columns else pd.Series(pd.NA, index=rows.index, dtype=_STRING)
    frame = pd.DataFrame(
        {
            **{k: rows[k] for k in keys},
            "fit": rows["fit"].map(_fit_code).astype(_STRING),
            "table": table,
            "drawing_id": rows["drawing_id"],
        }
    )
    g = frame.groupby(_own(keys, "fit", "table"), dropna=False, sort=True)
    out = pd.DataFrame({"n_features": g.size(), "n_drawings": g["drawing_id"].nunique()}).reset_index()
    out = out.sort_values(["n_features", "fit"], ascending=[False, True], kind="stable", ignore_index=True)
    return out.astype({"n_features": "int64", "n_drawings": "int64", "fit": _STRING, "table": _STRING})


def _metadata(data: Any, name: str) -> pd.DataFrame:
    if _is_corpus(data):
        return data.metadata
    if isinstance(data, pd.DataFrame) and "general_tolerance_standard" in data.columns:
        return data
    raise TypeError(f"{name}() takes a Corpus or its metadata table")


def general_tolerances_in_use(data: Any) -> pd.DataFrame:
    """The general tolerances of the title blocks: standard, class as written and the linear
    class it gives, with ``n_drawings`` and ``share`` (drawings without one are a row of NAs)."""
    meta = _metadata(data, "general_tolerances_in_use")
    cols = ["general_tolerance_standard", "general_tolerance_class", "general_tolerance_linear_class"]
    g = meta.groupby(cols, dropna=False, sort=True)
    out = pd.DataFrame({"n_drawings": g["drawing_id"].nunique()}).reset_index()
    out["share"] = out["n_drawings"] / max(meta["drawing_id"].nunique(), 1)
    out = out.sort_values("n_drawings", ascending=False, kind="stable", ignore_index=True)
    return out.astype({"n_drawings": "int64"})


def tightest(data: Any, n: int = 10) -> pd.DataFrame:
    """The ``n`` features with the narrowest tolerance zones (in mm; zero widths left out),
    as rows of the feature table, with ``drawing_number`` beside them on a corpus.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> top = wf.stats.tightest(wf.sample_corpus(), 3)
    >>> bool(top["tolerance_width_mm"].is_monotonic_increasing)
    True
    """
    rows = _rows(data, TOLERANCE_TABLES, "tightest", _TOL)
    rows = rows[rows["tolerance_width_mm"] > 0]
    order = rows.sort_values(["tolerance_width_mm", "it_grade"], kind="stable").head(n)
    if _is_corpus(data):
        number = _by_drawing(data)["drawing_number"]
        order = order.copy()
        order.insert(1, "drawing_number", order["drawing_id"].map(number).astype(_STRING))
    return order


# -- materials -------------------------------------------------------------------------


def material_counts(data: Any, by: str = "material_grade") -> pd.DataFrame:
    """Drawings per material (the first material of the first option), most used first.

    Parameters
    ----------
    by
        ``material_grade`` (equivalent names are one grade), ``material_family``, or any other
        metadata column, e.g. ``material`` for the designation as written.

    Returns
    -------
    pandas.DataFrame
        ``n_drawings`` and ``share`` per value; by grade (on a corpus) also its
        ``material_family`` and ``n_drawings_any_option``: drawings that name the grade in any
        material option (grades only ever named as an alternative have ``n_drawings`` 0).
    """
    meta = _metadata(data, "material_counts") if not _is_corpus(data) else data.metadata
    g = meta.groupby(by, dropna=False, sort=True)
    out = pd.DataFrame({"n_drawings": g["drawing_id"].nunique().astype("int64")})
    out["share"] = out["n_drawings"] / max(meta["drawing_id"].nunique(), 1)
    if by == "material_grade":
        out["material_family"] = g["material_family"].first().astype(_STRING)
        if _is_corpus(data):
            m = data.materials
            anywhere = m.groupby("grade", dropna=False)
            out = out.reindex(out.index.union(anywhere.size().index, sort=False))
            out["n_drawings"] = out["n_drawings"].fillna(0).astype("int64")
            out["share"] = out["share"].fillna(0.0)
            out["material_family"] = out["material_family"].fillna(anywhere["family"].first())
            out["n_drawings_any_option"] = anywhere["drawing_id"].nunique().reindex(out.index).fillna(0).astype("int64")
    return out.sort_values(
        ["n_drawings", *(["n_drawings_any_option"] if "n_drawings_any_option" in out else [])],
        ascending=False,
        kind="stable",
    )


def weight_by_material(data: Any, by: str = "material_family") -> pd.DataFrame:
    """The weight distribution (kg) per material family, grade or any metadata column:
    ``n_drawings``, ``n_weighed``, ``min_kg``, ``median_kg``, ``mean_kg``, ``max_kg``, ``total_kg``."""
    meta = _metadata(data, "weight_by_material")
    g = meta.groupby(by, dropna=False, sort=True)["weight_kg"]
    out = pd.DataFrame(
        {
            "n_drawings": g.size().astype("int64"),
            "n_weighed": g.count().astype("int64"),
            "min_kg": g.min(),
            "median_kg": g.median(),
            "mean_kg": g.mean(),
            "max_kg": g.max(),
            "total_kg": g.sum(min_count=1),
        }
    )
    return out.sort_values("n_drawings", ascending=False, kind="stable")


def multi_option_drawings(corpus: Corpus) -> pd.DataFrame:
    """Drawings that allow more than one material: their options as grades (a combination of
    materials joined by ``+``), in the drawing's order, and the families they span.

    The options are those of the META_DATA answer ``metadata`` is read from (its ``page``)."""
    pages = corpus.metadata[["drawing_id", "page"]].dropna()
    m = corpus.materials.merge(pages, on=["drawing_id", "page"])
    frame = pd.DataFrame(
        {
            "drawing_id": m["drawing_id"],
            "option": m["option"],
            "name": m["grade"].fillna(m["designation"]).fillna("?"),
            "family": m["family"].fillna(""),
        }
    )
    g = frame.groupby("drawing_id", sort=False)
    names = frame.groupby(["drawing_id", "option"], sort=False)["name"].agg("+".join).groupby(level=0, sort=False)
    out = pd.DataFrame(
        {
            "n_options": g["option"].nunique(),
            "options": names.agg(" | ".join),
            "families": g["family"].agg(lambda f: " | ".join(x for x in dict.fromkeys(f) if x)),
        }
    )
    out = out[out["n_options"] > 1]
    number = _by_drawing(corpus)["drawing_number"]
    out.insert(0, "drawing_number", number.reindex(out.index).to_numpy())
    return out.astype({"drawing_number": _STRING, "n_options": "int64", "options": _STRING, "families": _STRING})


def _first_insights(corpus: Corpus) -> pd.DataFrame:
    """Each drawing's first INSIGHTS answer (lowest page), by ``drawing_id``."""
    ins = corpus.insights.sort_values("page", kind="stable", na_position="last")
    return ins.drop_duplicates("drawing_id").set_index("drawing_id")


def weight_check(corpus: Corpus, factor: float = 1.5) -> pd.DataFrame:
    """The stated weight against INSIGHTS' volume × the material's density, per drawing.

    ``ratio`` is weight / (volume × density); ``plausible`` is True when it lies between
    ``1/factor`` and ``factor``, NA when something is missing (no weight, no volume, a grade the
    material table does not know). The default 1.5 catches what goes wrong in practice: lb
    read as kg (2.2), g as kg (1000), aluminium written on a steel part (2.9); it lets pass
    the gap between a volume estimated without cavities and the real part. ``wf.audit``
    reports the implausible ones.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> w = wf.stats.weight_check(wf.sample_corpus())
    >>> bool(w["plausible"].all())
    True
    """
    if factor <= 1:
        raise ValueError(f"factor must be above 1, got {factor}")
    meta = _by_drawing(corpus)
    ins = _first_insights(corpus)
    out = meta[["drawing_number", "material_grade", "density_g_cm3", "weight_kg"]].copy()
    out.insert(3, "volume_cm3", ins["volume_cm3"].reindex(out.index))
    out.insert(4, "volume_estimate_type", ins["volume_estimate_type"].reindex(out.index).astype(_STRING))
    out["expected_kg"] = out["volume_cm3"] * out["density_g_cm3"] / 1000
    out["ratio"] = out["weight_kg"] / out["expected_kg"].where(out["expected_kg"] > 0)
    ok = (out["ratio"] >= 1 / factor) & (out["ratio"] <= factor)
    out["plausible"] = ok.astype("boolean").mask(out["ratio"].isna())
    return out


# -- GD&T, threads, roughness ----------------------------------------------------------


def _mm(values: pd.Series, units: pd.Series) -> pd.Series:
    f, _ = factors(units, LENGTH_TO_MM)
    return values.astype("float64") * f


def gdnt_stats(data: Any, by: By = None) -> pd.DataFrame:
    """GD&T frames per characteristic: ``n_frames``, ``n_drawings``, ``n_with_datums``,
    ``n_material_condition`` (Ⓜ/Ⓛ), and the zone sizes in mm (``zone_min_mm``,
    ``zone_median_mm``, ``zone_max_mm``); most used first."""
    keys = _keys(by)
    rows = _with_keys(data, _rows(data, ("gdnts",), "gdnt_stats", ["characteristic", "zone_value", "n_datums"]), keys)
    frame = pd.DataFrame(
        {
            **{k: rows[k] for k in keys},
            "characteristic": rows["characteristic"],
            "characteristic_name": rows["characteristic_name"],
            "drawing_id": rows["drawing_id"],
            "datums": (rows["n_datums"] > 0).fillna(False).astype("int64"),
            "mc": rows["material_condition"].notna().astype("int64"),
            "zone": _mm(rows["zone_value"], rows["zone_value_unit"]),
        }
    )
    g = frame.groupby(_own(keys, "characteristic", "characteristic_name"), dropna=False, sort=True)
    out = pd.DataFrame(
        {
            "n_frames": g.size(),
            "n_drawings": g["drawing_id"].nunique(),
            "n_with_datums": g["datums"].sum(),
            "n_material_condition": g["mc"].sum(),
            "zone_min_mm": g["zone"].min(),
            "zone_median_mm": g["zone"].median(),
            "zone_max_mm": g["zone"].max(),
        }
    ).reset_index()
    out = out.sort_values("n_frames", ascending=False, kind="stable", ignore_index=True)
    return out.astype(dict.fromkeys(("n_frames", "n_drawings", "n_with_datums", "n_material_condition"), "int64"))


def datums_used(data: Any) -> pd.DataFrame:
    """Datum letters referenced by GD&T frames: ``n_frames``, ``n_drawings``, and how often each
    is the primary, secondary or tertiary datum of a frame."""
    rows = _rows(data, ("gdnts",), "datums_used", ["datums"])
    rows = rows[rows["datums"].notna()]
    parts = rows["datums"].str.split("|")
    long = pd.DataFrame({"drawing_id": rows["drawing_id"], "datum": parts}).reset_index(drop=True).explode("datum")
    long["position"] = long.groupby(level=0).cumcount()  # level 0 is the frame, unique after reset_index
    long = long[long["datum"].notna() & (long["datum"] != "")]
    g = long.groupby("datum", sort=True)
    out = pd.DataFrame({"n_frames": g.size(), "n_drawings": g["drawing_id"].nunique()})
    for k, name in enumerate(("n_primary", "n_secondary", "n_tertiary")):
        out[name] = (long["position"] == k).groupby(long["datum"]).sum()
    out.index = out.index.astype(_STRING)
    return out.astype("int64")


@functools.cache
def _coarse_pitch() -> dict[float, float]:
    """ISO 261 coarse pitch by nominal size, both in mm."""
    return {float(r["nominal_mm"]): float(r["coarse_pitch_mm"]) for r in _iso_rows("iso261_coarse_pitch_mm.csv")}


_PITCH_WRITTEN = re.compile(r"M\s*\d+(?:[.,]\d+)?\s*[x×X]\s*\d", re.IGNORECASE)


def thread_family(threads: pd.DataFrame) -> pd.Series:
    """The family of each thread: metric coarse or fine (ISO 261), unified (UNC, UNF…), npt,
    whitworth, or other (ACME, knuckle…; NA when the type is unknown).

    A metric thread is fine when its pitch differs from the ISO 261 coarse pitch of its size;
    for a size the table lacks, when a pitch is written (``M7x0.75``).

    Examples
    --------
    >>> import pandas as pd
    >>> from werk24_frames.stats import thread_family
    >>> t = pd.DataFrame({"thread_type": ["ISO_METRIC", "ISO_METRIC", "ISO_METRIC", "UTS"],
    ...     "nominal_mm": [8, 8, 24, 6.35], "pitch_mm": [1.25, 1.0, 3.0, 1.27],
    ...     "label": ["M8", "M8x1", "M24x3", "1/4-20 UNC"]})
    >>> thread_family(t).tolist()
    ['metric coarse', 'metric fine', 'metric coarse', 'unified']
    """
    coarse = _coarse_pitch()
    out: list[str | None] = []
    for kind, size, pitch, label in zip(
        threads["thread_type"], threads["nominal_mm"], threads["pitch_mm"], threads["label"], strict=True
    ):
        if kind == "ISO_METRIC":
            ref = coarse.get(round(float(size), 3)) if pd.notna(size) else None
            if ref is not None and pd.notna(pitch):
                fine = abs(float(pitch) - ref) > 1e-6
            else:
                fine = isinstance(label, str) and bool(_PITCH_WRITTEN.search(label))
            out.append("metric fine" if fine else "metric coarse")
        elif kind == "UTS":
            out.append("unified")
        elif kind == "NPT":
            out.append("npt")
        elif kind == "WHITWORTH":
            out.append("whitworth")
        elif isinstance(kind, str):
            out.append("other")
        else:
            out.append(None)
    return pd.Series(pd.array(out, dtype=_STRING), index=threads.index, name="family")


def thread_stats(data: Any, by: By = None) -> pd.DataFrame:
    """Threads per family and size: ``n_threads``, ``n_drawings`` and ``n_with_depth`` (blind
    threads with a depth), most used first."""
    keys = _keys(by)
    rows = _with_keys(
        data, _rows(data, ("threads",), "thread_stats", ["thread_type", "pitch_mm", "size_designation"]), keys
    )
    frame = pd.DataFrame(
        {
            **{k: rows[k] for k in keys},
            "family": thread_family(rows),
            "size": rows["size_designation"],
            "drawing_id": rows["drawing_id"],
            "depth": rows["depth"].notna().astype("int64"),
        }
    )
    g = frame.groupby(_own(keys, "family", "size"), dropna=False, sort=True)
    out = pd.DataFrame(
        {"n_threads": g.size(), "n_drawings": g["drawing_id"].nunique(), "n_with_depth": g["depth"].sum()}
    ).reset_index()
    out = out.sort_values("n_threads", ascending=False, kind="stable", ignore_index=True)
    return out.astype({"n_threads": "int64", "n_drawings": "int64", "n_with_depth": "int64"})


def roughness_stats(data: Any, by: By = "drawing_id", parameter: str = "Ra") -> pd.DataFrame:
    """Surface roughness per group: ``n_symbols``, ``n_with_parameter`` (symbols giving
    ``parameter``), ``finest_um`` and ``coarsest_um`` of that parameter in µm (µin converted).

    On a corpus every condition of every symbol counts (``roughness_conditions``), the
    drawing's general roughness included; on a ``roughnesses`` frame, each symbol's main
    condition.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> r = wf.stats.roughness_stats(wf.sample_corpus(), by=None)
    >>> int(r["n_symbols"].iloc[0]) == len(wf.sample_corpus().roughnesses)
    True
    """
    keys = _keys(by)
    if _is_corpus(data):
        symbols = _with_keys(data, data.roughnesses, keys)
        conditions = _with_keys(data, data.roughness_conditions, keys)
    else:
        symbols = conditions = _with_keys(
            data, _rows(data, ("roughnesses",), "roughness_stats", ["parameter", "value", "value_unit"]), keys
        )
    hit = (conditions["parameter"] == parameter).fillna(False).to_numpy(dtype=bool)
    given = conditions[hit]
    um = _mm(given["value"], given["value_unit"]) * 1000
    symbol = [*keys, "drawing_id", "page", "item_index"]
    frame = pd.DataFrame({**{k: given[k] for k in dict.fromkeys(symbol)}, "um": um})
    g = _grouped(frame, keys)
    with_parameter = _grouped(frame.drop_duplicates(list(dict.fromkeys(symbol))), keys).size()
    out = pd.DataFrame(
        {
            "n_symbols": _grouped(symbols[keys] if keys else symbols, keys).size(),
            "n_with_parameter": with_parameter,
            "finest_um": g["um"].min(),
            "coarsest_um": g["um"].max(),
        }
    )
    return _finish(data, out, keys, {"n_symbols": 0, "n_with_parameter": 0})


# -- the cost-driver matrix ------------------------------------------------------------


def _per_drawing(ids: pd.Index, rows: pd.DataFrame, values: pd.Series | None = None, how: str = "size") -> pd.Series:
    """A per-drawing aggregate of ``rows`` over every drawing in ``ids`` (0 for a count)."""
    if values is None:
        s = rows.groupby("drawing_id").size()
        return s.reindex(ids, fill_value=0).astype("Int64")
    return values.groupby(rows["drawing_id"]).agg(how).reindex(ids)


def _envelope(ins: pd.DataFrame) -> pd.DataFrame:
    """The raw-stock envelope of each INSIGHTS row, in mm, and its volume in cm³. Where Werk24
    gives both a cuboid and a cylinder, the smaller stock is taken."""
    mm = {
        k: ins[f"envelope_before_{k}_mm"].to_numpy(dtype=np.float64)
        for k in ("width", "height", "depth", "diameter", "length")
    }
    cuboid = mm["width"] * mm["height"] * mm["depth"] / 1000
    cylinder = np.pi / 4 * mm["diameter"] ** 2 * mm["length"] / 1000
    use_cylinder = ~np.isnan(cylinder) & (np.isnan(cuboid) | (cylinder < cuboid))
    use_cuboid = ~np.isnan(cuboid) & ~use_cylinder
    nan = np.full(len(ins), np.nan)
    return pd.DataFrame(
        {
            "envelope_shape": pd.Series(
                np.select([use_cylinder, use_cuboid], ["CYLINDER", "CUBOID"], default=""), index=ins.index
            ).replace("", None),
            "envelope_width_mm": np.where(use_cuboid, mm["width"], nan),
            "envelope_height_mm": np.where(use_cuboid, mm["height"], nan),
            "envelope_depth_mm": np.where(use_cylinder, mm["length"], np.where(use_cuboid, mm["depth"], nan)),
            "envelope_diameter_mm": np.where(use_cylinder, mm["diameter"], nan),
            "envelope_volume_cm3": np.where(use_cylinder, cylinder, np.where(use_cuboid, cuboid, nan)),
        },
        index=ins.index,
    )


def cost_drivers(corpus: Corpus, tight: int = 7) -> pd.DataFrame:
    """One row per drawing, one column per known cost driver, ready for scikit-learn or a
    spreadsheet: counts of dimensions, tolerances, tight tolerances, GD&T frames, threads by
    family, bores with fits; the finest IT grade, tolerance zone, GD&T zone and Ra; material,
    weight, volume, raw-stock envelope and primary process.

    The columns, their dtypes and meanings are in ``wf.schema.describe("cost_drivers")``;
    the index is the ``drawing_id``. Material and weight are those of ``metadata``; volume,
    envelope and process come from the drawing's first INSIGHTS answer (the lowest page).

    Examples
    --------
    >>> import werk24_frames as wf
    >>> m = wf.cost_drivers(wf.sample_corpus())
    >>> m.shape[0], list(m.columns) == wf.schema.RESULTS["cost_drivers"].column_names[1:]
    (44, True)
    """
    meta = _by_drawing(corpus)
    ids = meta.index
    has_features = meta["asks"].fillna("").str.split("|").map(lambda asks: "FEATURES" in asks)
    tol = tolerance_stats(corpus, by="drawing_id", tight=tight).reindex(ids)
    out = pd.DataFrame(index=ids)
    out["drawing_number"] = meta["drawing_number"]
    out["designation"] = meta["designation"]
    out["n_dimensions"] = _per_drawing(ids, corpus.dimensions)
    for c in ("n_toleranced", "n_tight", "finest_it_grade", "tightest_width_mm"):
        out[c] = tol[c]
    feats = _rows(corpus, TOLERANCE_TABLES, "cost_drivers")
    out["n_fits"] = _per_drawing(ids, feats[feats["fit"].notna()])
    gd = corpus.gdnts
    out["n_gdnts"] = _per_drawing(ids, gd)
    datums = gd["datums"].str.split("|").explode()
    datums = datums[datums.notna() & (datums != "")]
    out["n_datums"] = datums.groupby(gd.loc[datums.index, "drawing_id"]).nunique().reindex(ids, fill_value=0)
    out["finest_gdnt_zone_mm"] = _per_drawing(ids, gd, _mm(gd["zone_value"], gd["zone_value_unit"]), "min")
    th = corpus.threads
    out["n_threads"] = _per_drawing(ids, th)
    fam = thread_family(th)
    for name in THREAD_FAMILIES:
        out[f"n_threads_{name.replace(' ', '_')}"] = _per_drawing(ids, th[(fam == name).fillna(False)])
    bores = corpus.bores
    out["n_bores"] = _per_drawing(ids, bores)
    out["n_bores_with_fit"] = _per_drawing(ids, bores[bores["fit"].notna()])
    out["finest_ra_um"] = roughness_stats(corpus, by="drawing_id")["finest_um"].reindex(ids)
    for c in ("material_grade", "material_family", "n_material_options", "weight_kg"):
        out[c] = meta[c]
    ins = _first_insights(corpus)
    out["volume_cm3"] = ins["volume_cm3"].reindex(ids)
    out = out.join(_envelope(ins).reindex(ids))
    out["primary_process"] = ins["primary_process"].reindex(ids)
    out["n_secondary_processes"] = ins["n_secondary_processes"].reindex(ids)
    # Drawings without a FEATURES answer have unknown counts, not zero features.
    counts = [c for c in out.columns if c.startswith("n_") and c not in ("n_material_options", "n_secondary_processes")]
    out.loc[~has_features.to_numpy(), counts] = pd.NA
    t = schema.RESULTS["cost_drivers"]
    out.index.name = "drawing_id"
    return out.astype({c.name: schema.pandas_dtype(c.dtype) for c in t.columns[1:]})[t.column_names[1:]]
