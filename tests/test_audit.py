"""wf.audit: one finding per inconsistency, none for consistent features."""

from __future__ import annotations

import builders
import pandas as pd
import pytest

import werk24_frames as wf


def _corpus(dims: list[dict], general: dict | None = None) -> wf.Corpus:
    meta = builders.meta_data()
    meta["general_tolerances"] = general
    return wf.from_responses([meta, {"ask_version": "v2", "ask_type": "FEATURES", "dimensions": dims}], drawing_id="d")


def _dim(value: str, rid: int, unit: str = "mm", score: str = "0.95", grade: str | None = None, **tol) -> dict:
    t = {"deviation_lower": None, "deviation_upper": None, "fit": None, "tolerance_grade": grade, **tol}
    size = {"value": value, "unit": unit, "size_type": "LINEAR", "tolerance": t}
    return {"reference_id": rid, "label": value, "quantity": 1, "confidence": {"score": score}, "size": size}


ISO_M = {"tolerance_standard": "ISO 2768", "tolerance_class": "m"}


def _checks(a: pd.DataFrame) -> list[tuple[int, str, str]]:
    return list(zip(a["reference_id"], a["check"], a["severity"], strict=True))


def test_consistent_features_give_no_finding(full, examples):
    assert wf.audit(full).empty
    # The examples' only findings: a chamfer "1 x 45°" without tolerance on drawings that state
    # no general tolerance (issue 22: the check covers every size table, not just dimensions).
    found = wf.audit(wf.load(examples))
    assert set(zip(found["table"], found["label"], found["check"], strict=True)) == {
        ("chamfers", "1 x 45°", "no_tolerance")
    }
    consistent = [
        _dim("10", 1, fit="H7", deviation_lower="0", deviation_upper="0.015", grade="7"),  # H7@10 0/+15 µm
        _dim("12", 2, deviation_lower="-0.1", deviation_upper="0.1", grade="12"),
        _dim("50", 3),
    ]
    assert wf.audit(_corpus(consistent, ISO_M)).empty


def test_explicit_deviations_that_disagree_with_the_fit():
    a = wf.audit(_corpus([_dim("10", 7, fit="H7", deviation_lower="0", deviation_upper="0.018")], ISO_M))
    assert _checks(a) == [(7, "fit_mismatch", "warning")]
    assert "H7 at 10 mm (ISO 286: 0/+15 µm)" in a.loc[0, "message"]


def test_stated_grade_that_disagrees():
    a = wf.audit(_corpus([_dim("12", 1, deviation_lower="-0.1", deviation_upper="0.1", grade="IT8")], ISO_M))
    assert _checks(a) == [(1, "grade_mismatch", "info")]
    assert a.loc[0, "message"] == "Werk24 states IT8, the limits give IT12"


def test_inverted_and_zero_width_limits():
    dims = [
        _dim("20", 1, deviation_lower="0.1", deviation_upper="-0.1"),
        _dim("30", 2, deviation_lower="0", deviation_upper="0"),
    ]
    a = wf.audit(_corpus(dims, ISO_M))
    assert _checks(a) == [(1, "limits_inverted", "error"), (2, "zero_width", "error")]


@pytest.mark.parametrize(
    ("general", "reason"),
    [
        (None, "names no general tolerance"),
        ({"tolerance_standard": "TOLERANCE_NOTE", "tolerance_class": None}, "a note on the drawing"),
        ({"tolerance_standard": "ISO 4759-1", "tolerance_class": None}, "ISO 4759-1"),
        ({"tolerance_standard": "ISO 2768", "tolerance_class": "q"}, "names no class"),
    ],
)
def test_untoleranced_dimension_without_general_tolerance(general, reason):
    a = wf.audit(_corpus([_dim("50", 4), _dim("25", 5, is_theoretically_exact=True)], general))
    assert _checks(a) == [(4, "no_tolerance", "warning")]
    assert reason in a.loc[0, "message"]


def test_low_confidence_threshold_is_the_users():
    c = _corpus([_dim("50", 1, score="0.3")], ISO_M)
    assert _checks(wf.audit(c)) == [(1, "low_confidence", "info")]
    assert wf.audit(c, min_confidence=0.2).empty


def test_unknown_unit():
    a = wf.audit(_corpus([_dim("50", 1, unit="furlong", deviation_lower="-1", deviation_upper="1")], ISO_M))
    assert _checks(a) == [(1, "unknown_unit", "warning")]


def test_audit_columns_and_dtypes_when_empty():
    a = wf.audit(wf.from_responses([{"ask_type": "FEATURES", "dimensions": []}]))
    assert list(a.columns) == [
        "drawing_id",
        "table",
        "item_index",
        "reference_id",
        "label",
        "check",
        "severity",
        "message",
    ]
    assert str(a["reference_id"].dtype) == "Int64"
