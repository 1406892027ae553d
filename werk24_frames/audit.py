"""The tolerance audit: findings a quality engineer would check on every drawing.

Examples
--------
>>> import werk24_frames as wf
>>> corpus = wf.from_responses([{"ask_type": "FEATURES", "dimensions": [
...     {"reference_id": 3, "label": "Ø10 H7", "confidence": {"score": "0.97"},
...      "size": {"value": "10", "unit": "mm", "size_type": "DIAMETER",
...               "tolerance": {"fit": "H7", "deviation_lower": "0", "deviation_upper": "0.018"}}}]}],
...     drawing_id="flange")
>>> wf.audit(corpus)[["reference_id", "check", "severity"]]
   reference_id         check severity
0             3  fit_mismatch  warning
>>> wf.audit(corpus).loc[0, "message"]
'deviations 0/+18 µm disagree with H7 at 10 mm (ISO 286: 0/+15 µm)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import schema
from ._units import ANGLE_TO_DEG, LENGTH_TO_MM, canonical_unit
from .tolerances import _chosen, _class_um, _objects, parse_fit

if TYPE_CHECKING:
    from ._corpus import Corpus

__all__ = ["CHECKS", "SEVERITIES", "audit", "audit_summary", "by_severity", "worst_first"]

CHECKS: dict[str, str] = {
    "fit_mismatch": "explicit deviations disagree with the stated ISO 286 class",
    "grade_mismatch": "Werk24's tolerance_grade differs from the computed it_grade",
    "limits_inverted": "the lower limit lies above the upper limit",
    "zero_width": "the tolerance width is zero",
    "no_tolerance": "a size (dimension, bore, chamfer, radius) without tolerance on a drawing without a usable general tolerance",
    "low_confidence": "Werk24's confidence is below the threshold",
    "unknown_unit": "a unit werk24_frames does not know; its mm columns are NA",
    "weight_implausible": "the stated weight is far from INSIGHTS' volume × the material's density",
}
_COLUMNS = ["drawing_id", "table", "item_index", "reference_id", "label", "check", "severity", "message"]
SEVERITIES = ("error", "warning", "info")
"""The severities of a finding, worst first."""
SHOWN = ["severity", "drawing_number", "drawing_id", "table", "reference_id", "label", "check", "message"]
"""The columns :func:`worst_first` findings are shown with (the report, ``werk24-frames audit``)."""
TOLERANCED_BY_CLASS = ("threads",)
"""Size tables the ``no_tolerance`` check leaves out: a thread's tolerance is its class (ISO 965;
6H/6g, medium, where none is written), never a general tolerance, so it is never missing."""
# Matching explicit deviations against a class: closer than half a micrometre counts as equal.
_FIT_TOLERANCE_MM = 0.0005


def audit(corpus: Corpus, min_confidence: float = 0.5, weight_factor: float = 1.5) -> pd.DataFrame:
    """One row per finding on the corpus's features and weights; consistent ones give none.

    Parameters
    ----------
    corpus
        The corpus to audit.
    min_confidence
        Features whose Werk24 confidence is below this are reported (``low_confidence``).
    weight_factor
        A stated weight more than this factor away from volume × density is reported
        (``weight_implausible``, table ``metadata``); see :func:`werk24_frames.stats.weight_check`.

    Returns
    -------
    pandas.DataFrame
        ``drawing_id``, ``table``, ``item_index``, ``reference_id``, ``label``, ``check`` (one
        of :data:`CHECKS`), ``severity`` (error, warning, info) and ``message``.
    """
    parts: list[pd.DataFrame] = []
    meta = corpus.metadata.set_index("drawing_id")
    for name in schema.FEATURE_TABLES:
        df = corpus.table(name)
        if df.empty:
            continue
        if name in schema.SIZE_TABLES:
            parts += [_fits(df, name), _grades(df, name), _limits(df, name), _units(df, name)]
            if name not in TOLERANCED_BY_CLASS:
                parts.append(_untoleranced(df, name, meta))
        low = df["confidence"] < min_confidence
        parts.append(
            _findings(
                df[low.fillna(False)],
                name,
                "low_confidence",
                "info",
                [f"confidence {c:.2f} is below {min_confidence:g}" for c in df.loc[low.fillna(False), "confidence"]],
            )
        )
    parts.append(_weights(corpus, weight_factor))
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["drawing_id", "table", "item_index"], kind="stable", ignore_index=True)


def audit_summary(corpus: Corpus, findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per drawing: how many findings of each severity the audit has on it, and which
    checks; drawings without findings have zeros.

    Parameters
    ----------
    corpus
        The corpus audited.
    findings
        Its :func:`audit` (computed with the defaults when not given).

    Returns
    -------
    pandas.DataFrame
        Index ``drawing_id`` in corpus order; ``drawing_number``, ``n_findings``, ``n_error``,
        ``n_warning``, ``n_info`` and ``checks`` (the checks that found something, worst
        first, comma-separated; empty when none did).

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> per = wf.audit_summary(corpus)
    >>> int(per["n_findings"].sum()) == len(wf.audit(corpus))
    True
    >>> per.loc[corpus.resolve("WF-1012")].to_dict()
    {'drawing_number': 'WF-1012', 'n_findings': 1, 'n_error': 0, 'n_warning': 0, 'n_info': 1, 'checks': 'low_confidence'}
    """
    findings = audit(corpus) if findings is None else findings
    ids = pd.Index(corpus.drawing_ids, name="drawing_id")
    numbers = corpus.metadata.drop_duplicates("drawing_id").set_index("drawing_id")["drawing_number"]
    counts = (
        findings.groupby(["drawing_id", "severity"], observed=True).size().unstack(fill_value=0)
        if len(findings)
        else pd.DataFrame(index=ids)
    )
    out = pd.DataFrame({"drawing_number": numbers.reindex(ids).array}, index=ids)
    for sev in SEVERITIES:
        col = counts[sev] if sev in counts.columns else pd.Series(0, index=counts.index)
        out[f"n_{sev}"] = col.reindex(ids, fill_value=0).astype("int64").to_numpy()
    out.insert(1, "n_findings", out[[f"n_{s}" for s in SEVERITIES]].sum(axis=1).astype("int64"))
    ranked = by_severity(findings)
    checks = ranked.groupby("drawing_id", sort=False)["check"].agg(lambda c: ", ".join(dict.fromkeys(c)))
    out["checks"] = pd.array(checks.reindex(ids).fillna("").tolist(), dtype=schema.pandas_dtype("string"))
    return out


def worst_first(findings: pd.DataFrame, corpus: Corpus, worst: str = "info") -> pd.DataFrame:
    """``findings`` of severity ``worst`` or worse, errors first (otherwise in their order),
    with the ``drawing_number`` beside the ``drawing_id``.

    Examples
    --------
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> top = worst_first(wf.audit(corpus), corpus, "warning")
    >>> top["severity"].unique().tolist(), top.columns[:3].tolist()
    (['warning'], ['drawing_id', 'drawing_number', 'table'])
    """
    keep = _rank(findings["severity"]) <= SEVERITIES.index(worst)
    out = by_severity(findings[keep])
    numbers = corpus.metadata.drop_duplicates("drawing_id").set_index("drawing_id")["drawing_number"]
    out.insert(1, "drawing_number", out["drawing_id"].map(numbers))
    return out


def _rank(severity: pd.Series) -> pd.Series:
    """0 for error, 1 for warning, 2 for info, 3 for anything else."""
    return severity.map({s: i for i, s in enumerate(SEVERITIES)}).fillna(len(SEVERITIES))


def by_severity(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (findings, problems, counts: anything with a ``severity`` column) errors first,
    then warnings, info and anything else, each in the order they had.

    Examples
    --------
    >>> import pandas as pd
    >>> by_severity(pd.DataFrame({"severity": ["info", "error", "warning", "error"], "n": [1, 2, 3, 4]}))["n"].tolist()
    [2, 4, 3, 1]
    """
    return rows.iloc[_rank(rows["severity"]).to_numpy().argsort(kind="stable")]


def _empty() -> pd.DataFrame:
    string = schema.pandas_dtype("string")
    return pd.DataFrame(
        {c: pd.Series([], dtype="Int64" if c in ("item_index", "reference_id") else string) for c in _COLUMNS}
    )


def _findings(rows: pd.DataFrame, table: str, check: str, severity: str, messages: list[str]) -> pd.DataFrame:
    string = schema.pandas_dtype("string")
    n = len(rows)
    return pd.DataFrame(
        {
            "drawing_id": rows["drawing_id"].to_numpy(),
            "table": pd.array([table] * n, dtype=string),
            "item_index": rows["item_index"].array,
            "reference_id": rows["reference_id"].array,
            "label": rows["label"].array,
            "check": pd.array([check] * n, dtype=string),
            "severity": pd.array([severity] * n, dtype=string),
            "message": pd.array(messages, dtype=string),
        }
    ).astype({"drawing_id": string})


def _um(x: float) -> str:
    return f"{x * 1000:+.0f}" if x else "0"


def _fits(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Explicit deviations next to a fit code that says otherwise."""
    if table == "threads":  # thread classes (6H, 6g) are ISO 965, not ISO 286
        return _empty()
    given = df["fit"].notna() & (df["deviation_lower"].notna() | df["deviation_upper"].notna())
    rows = df[given & df["nominal_mm"].notna()]
    keep, messages = [], []
    scale = rows["nominal_mm"] / rows["nominal"]
    for code in rows["fit"].unique():
        cls = _chosen(parse_fit(str(code)), prefer_hole=True)
        sel = rows["fit"] == code
        if cls is None:
            continue
        sub = rows[sel]
        lo_um, hi_um = _class_um(cls, sub["nominal_mm"].to_numpy(dtype=np.float64))
        lo, hi = lo_um / 1000, hi_um / 1000
        dl = (sub["deviation_lower"] * scale[sel]).to_numpy(dtype=np.float64, na_value=np.nan)
        du = (sub["deviation_upper"] * scale[sel]).to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = (np.abs(dl - lo) > _FIT_TOLERANCE_MM) | (np.abs(du - hi) > _FIT_TOLERANCE_MM)
        bad &= ~np.isnan(lo)
        for k in np.flatnonzero(bad):
            keep.append(sub.index[k])
            messages.append(
                f"deviations {_um(dl[k])}/{_um(du[k])} µm disagree with {cls} at {sub['nominal_mm'].iloc[k]:g} mm "
                f"(ISO 286: {_um(lo[k])}/{_um(hi[k])} µm)"
            )
    return _findings(df.loc[keep], table, "fit_mismatch", "warning", messages)


def _grades(df: pd.DataFrame, table: str) -> pd.DataFrame:
    stated = pd.to_numeric(df["tolerance_grade"].str.extract(r"(\d+)", expand=False), errors="coerce")
    both = stated.notna() & df["it_grade"].notna()
    differ = both & (stated != df["it_grade"].astype("Float64")).fillna(False)
    rows = df[differ]
    messages = [
        f"Werk24 states IT{int(s)}, the limits give IT{int(g)}"
        for s, g in zip(stated[differ], rows["it_grade"], strict=True)
    ]
    return _findings(rows, table, "grade_mismatch", "info", messages)


def _limits(df: pd.DataFrame, table: str) -> pd.DataFrame:
    width = df["tolerance_width"]
    inverted = (width < 0).fillna(False)
    zero = (width == 0).fillna(False)
    a = _findings(
        df[inverted],
        table,
        "limits_inverted",
        "error",
        [
            f"lower limit {lo:g} lies above upper limit {hi:g}"
            for lo, hi in df.loc[inverted, ["lower_limit", "upper_limit"]].itertuples(index=False)
        ],
    )
    b = _findings(df[zero], table, "zero_width", "error", ["lower and upper limit are equal"] * int(zero.sum()))
    return pd.concat([a, b], ignore_index=True)


def _units(df: pd.DataFrame, table: str) -> pd.DataFrame:
    units = df["unit"]
    known = {u: canonical_unit(u) in LENGTH_TO_MM or canonical_unit(u) in ANGLE_TO_DEG for u in units.dropna().unique()}
    unknown = units.map(known).eq(False).fillna(False).astype(bool)
    rows = df[unknown]
    return _findings(rows, table, "unknown_unit", "warning", [f"unknown unit {u!r}" for u in rows["unit"]])


def _untoleranced(df: pd.DataFrame, table: str, meta: pd.DataFrame) -> pd.DataFrame:
    """Dimensions with no tolerance at all, where the title block gives no usable general one."""
    linear = _objects(meta["general_tolerance_linear_class"].reindex(df["drawing_id"]))
    standard = _objects(meta["general_tolerance_standard"].reindex(df["drawing_id"]))
    klass = _objects(meta["general_tolerance_class"].reindex(df["drawing_id"]))
    angular = df["nominal_mm"].isna() & df["nominal"].notna() & (df["unit"].notna())
    sel = ((df["tolerance_source"] == "none") & ~angular).to_numpy(dtype=bool, na_value=False) & np.array(
        [x is None for x in linear], dtype=bool
    )
    messages = [_why(standard[k], klass[k]) for k in np.flatnonzero(sel)]
    return _findings(df[sel], table, "no_tolerance", "warning", messages)


def _why(standard: Any, klass: Any) -> str:
    if standard is None:
        return "no tolerance, and the drawing names no general tolerance"
    if standard == "TOLERANCE_NOTE":
        return "no tolerance; the general tolerance is a note on the drawing, whose values are not tabulated"
    if standard == "ISO 4759-1":
        return "no tolerance; ISO 4759-1 (fasteners) gives no general tolerance for this dimension"
    return (
        f"no tolerance; the general tolerance {standard} {klass or ''} names no class werk24_frames can read".replace(
            "  ", " "
        )
    )


def _weights(corpus: Corpus, factor: float) -> pd.DataFrame:
    """Weights that volume × density does not bear out."""
    from .stats import _by_drawing, weight_check

    w = weight_check(corpus, factor=factor)
    bad = w[w["plausible"].eq(False).fillna(False).to_numpy(dtype=bool)]
    meta = _by_drawing(corpus).loc[bad.index]
    rows = pd.DataFrame(
        {
            "drawing_id": bad.index.to_numpy(),
            "item_index": pd.array([pd.NA] * len(bad), dtype="Int64"),
            "reference_id": pd.array([pd.NA] * len(bad), dtype="Int64"),
            "label": pd.array(
                [f"{v:g} {u}" for v, u in zip(meta["weight"], meta["weight_unit"], strict=True)],
                dtype=schema.pandas_dtype("string"),
            ),
        }
    )
    messages = [
        f"stated {r.weight_kg:.3g} kg is {r.ratio:.2g}× the {r.expected_kg:.3g} kg of {r.volume_cm3:.4g} cm³ "
        f"{r.material_grade} at {r.density_g_cm3:g} g/cm³; check the weight's unit and the material"
        for r in bad.itertuples()
    ]
    return _findings(rows, "metadata", "weight_implausible", "warning", messages)
