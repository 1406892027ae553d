"""The "same result however fed" half of the SDK oracle (issue 17): valid answers built from the
werk24 SDK's own response models (``sdk_oracle``) load without an exception, every table, the
cost-driver matrix and the audit can be built, and the tables are the same whether the answers
come as dicts, SDK model objects, SDK ``TechreadMessage`` objects or a ``werk24 techread`` JSON
Lines file.

The default run is sized for CI (per model one corpus of a full and a sparse drawing, and one
corpus of every ask with edge values: 40 corpora, about 15 s of CPU); the ``long``
marker runs many seeds and is skipped by default (``pytest -m long`` runs it).
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sdk_oracle as oracle
from hypothesis import HealthCheck, given, settings
from werk24.models.v2 import responses as r

import werk24_frames as wf

KINDS: dict[str, dict[str, bool]] = {
    "full": {},
    "sparse": {"sparse": True},
    "edges": {"edges": True},
    "sparse-edges": {"sparse": True, "edges": True},
}


def _feed_all(batch: oracle.Batch, folder: Path) -> dict[str, wf.Corpus]:
    with warnings.catch_warnings():
        # Edge values are meant to be reported (problem rows, and warnings from memory); the
        # warnings are not what this file checks.
        warnings.simplefilter("ignore")
        return {
            "dicts": oracle.feed_dicts(batch),
            "models": oracle.feed_models(batch),
            "messages": oracle.feed_messages(batch),
            "jsonl": oracle.feed_jsonl(batch, folder),
        }


def _check_same_however_fed(batch: oracle.Batch, folder: Path) -> None:
    corpora = _feed_all(batch, folder)
    tables: dict[str, dict[str, pd.DataFrame]] = {}
    for how, corpus in corpora.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert corpus.drawing_ids == list(batch), how
            tables[how] = oracle.comparable(corpus)
            drivers = wf.cost_drivers(corpus)
            findings = wf.audit(corpus)
        assert list(drivers.index) == list(batch), how
        assert set(findings["drawing_id"]) <= set(batch), how
        # Every answer was read: no "not a Werk24 response" error.
        errors = tables[how]["problems"].query("severity == 'error'")
        assert not errors["message"].str.contains("not a Werk24 response").any(), errors.to_string()
    for how in ("models", "messages", "jsonl"):
        for name, expected in tables["dicts"].items():
            pd.testing.assert_frame_equal(tables[how][name], expected, obj=f"{name} fed as {how}")


@pytest.mark.parametrize("ask", list(oracle.MODELS))
def test_same_tables_however_fed(ask: str, tmp_path: Path) -> None:
    """Two drawings: a full answer (every optional filled, lists of 1-4) and a sparse one."""
    full = oracle.make_batch(ask, seed=0, drawings=1)
    sparse = oracle.make_batch(ask, seed=1, drawings=1, sparse=True)
    _check_same_however_fed(dict(sorted({**full, **sparse}.items())), tmp_path)


def test_same_tables_however_fed_all_asks_with_edge_values(tmp_path: Path) -> None:
    """Every ask in one drawing, a third of the leaves at an edge the SDK accepts (odd strings,
    unknown units, extreme decimals, Int64 edge integers)."""
    batch = oracle.make_batch(list(oracle.MODELS), seed=1, drawings=2, edges=True)
    _check_same_however_fed(batch, tmp_path)


@pytest.mark.long
@pytest.mark.parametrize("seed", range(1, 26))
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("ask", list(oracle.MODELS))
def test_same_tables_however_fed_long(ask: str, kind: str, seed: int, tmp_path: Path) -> None:
    batch = oracle.make_batch(ask, seed=seed, drawings=1, **KINDS[kind])
    _check_same_however_fed(batch, tmp_path)


# --------------------------------------------------------------------------------------
# The generator itself
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("ask", list(oracle.MODELS))
def test_answers_validate_and_repeat(ask: str) -> None:
    """Same seed, same answer; every answer (edges included) validates against the SDK model,
    also after a JSON round trip; a full answer has no ``None`` leaf and covers most SDK leaves."""
    model = oracle.MODELS[ask]
    sdk = oracle.sdk_leaf_paths(model)
    seen: set[str] = set()
    for seed in range(3):
        for kind in KINDS.values():
            a = oracle.build_answer(ask, seed, **kind)
            b = oracle.build_answer(ask, seed, **kind)
            assert a.model_dump_json() == b.model_dump_json()
            assert isinstance(a, model)
            model.model_validate_json(a.model_dump_json())
            model.model_validate(oracle.to_json_dict(a, "number"))
        full = oracle.to_json_dict(oracle.build_answer(ask, seed))
        found = oracle.leaves(full, stop=sdk)
        assert not [p for p, v in found if v is None]
        seen |= {oracle.schema_path(p) for p, _ in found}
    assert seen <= sdk
    assert len(seen) >= 0.8 * len(sdk), sorted(sdk - seen)


def test_sdk_leaf_paths() -> None:
    """The field tree of the nine models: 939 leaf paths in SDK 2.8.0 (a newer SDK may add more)."""
    counts = {ask: len(oracle.sdk_leaf_paths(m)) for ask, m in oracle.MODELS.items()}
    assert counts["BALLOONS"] == 4
    assert oracle.sdk_leaf_paths("BALLOONS") == {
        "ask_version",
        "ask_type",
        "balloons[].reference_id",
        "balloons[].center",
    }
    assert "threads[].uts_tolerance_class" in oracle.sdk_leaf_paths("FEATURES")  # a union member's field
    assert "fasteners[].thread.male_pitch_diameter_tolerance.fit" in oracle.sdk_leaf_paths("FEATURES")
    assert "pages[].has_welding_symbols" in oracle.sdk_leaf_paths("PAGE_ASSESSMENT")
    assert sum(counts.values()) >= 939


def test_leaves_and_schema_path() -> None:
    doc = {"dimensions": [{"size": {"tolerance": {"fit": "H7"}}}, {"size": None}], "empty": [], "c": [[1, 2]]}
    assert oracle.leaves(doc) == [
        ("dimensions[0].size.tolerance.fit", "H7"),
        ("dimensions[1].size", None),
        ("c", [[1, 2]]),
    ]
    assert oracle.schema_path("dimensions[3].size.tolerance.fit") == "dimensions[].size.tolerance.fit"
    assert oracle.leaves({"output": {"a": 1}}, stop={"output"}) == [("output", {"a": 1})]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(oracle.answers("FEATURES", sparse=True, edges=True))
def test_answers_strategy(answer: Any) -> None:
    assert isinstance(answer, r.ResponseFeaturesComponentDrawing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = wf.from_responses([answer], drawing_id="d")
        n = sum(len(corpus.table(name)) for name in wf.schema.FEATURE_TABLES if name != "other_features")
    assert n >= sum(len(getattr(answer, name)) for name in ("dimensions", "threads", "bores", "chamfers", "radii"))


# --------------------------------------------------------------------------------------
# What the oracle found in the code before issue 17 (strict xfails until it was fixed): each
# is now a plain test.
# --------------------------------------------------------------------------------------

_NON_SIZE_LISTS = ("gdnts", "roughnesses", "undercuts", "key_slots", "center_holes", "fasteners")


@pytest.mark.parametrize("only", _NON_SIZE_LISTS)
def test_features_answer_without_size_features(only: str) -> None:
    full = oracle.build_answer("FEATURES", 0)
    answer = r.ResponseFeaturesComponentDrawing.model_validate({only: [x.model_dump() for x in getattr(full, only)]})
    corpus = wf.from_responses([answer], drawing_id="d")
    assert set(corpus.features["table"]) == {only}
    assert len(corpus.features) == len(corpus.table(only)) == len(getattr(answer, only))
    corpus.tables()
    assert len(wf.cost_drivers(corpus)) == 1


def _dimension(reference_id: int) -> dict[str, Any]:
    return {
        "ask_version": "v2",
        "ask_type": "FEATURES",
        "dimensions": [
            {
                "reference_id": reference_id,
                "label": "12",
                "confidence": None,
                "quantity": 1,
                "size": {"value": "12", "unit": "mm", "size_type": "LINEAR", "tolerance": None},
            }
        ],
    }


@pytest.mark.parametrize("reference_id", oracle.BEYOND_INT64)
def test_beyond_int64_reported_from_memory(reference_id: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = oracle.feed_dicts(
            {
                "00000000-0000-4000-8000-000000000001": [
                    r.ResponseFeaturesComponentDrawing.model_validate(_dimension(reference_id))
                ]
            }
        )
        dims, problems = corpus.dimensions, corpus.table("problems")
    assert dims["reference_id"].isna().all()
    assert problems["location"].str.endswith("dimensions[0].reference_id").any()


def test_beyond_int64_reported_from_a_file(tmp_path: Path) -> None:
    answer = r.ResponseFeaturesComponentDrawing.model_validate(_dimension(-(2**63) - 1))
    corpus = oracle.feed_jsonl({"00000000-0000-4000-8000-000000000001": [answer]}, tmp_path)
    assert corpus.dimensions["reference_id"].isna().all()
    assert corpus.table("problems")["location"].str.endswith("dimensions[0].reference_id").any()


def _thread(**fields: Any) -> r.ResponseFeaturesComponentDrawing:
    base = {
        "reference_id": 1,
        "label": "t",
        "confidence": None,
        "quantity": "1",
        "diameter": {"value": "1.0", "unit": "mm", "size_type": "DIAMETER", "tolerance": None},
        "spacing": None,
        "handedness": "RIGHT",
    }
    return r.ResponseFeaturesComponentDrawing.model_validate({"threads": [{**base, **fields}]})


def test_size_designation_same_for_string_and_number_decimals() -> None:
    answer = _thread(thread_type="WHITWORTH", whitworth_size="1.0")
    as_string = oracle.feed_dicts({"00000000-0000-4000-8000-000000000001": [answer]}, "string")
    as_number = oracle.feed_dicts({"00000000-0000-4000-8000-000000000001": [answer]}, "number")
    assert as_string.threads["size_designation"].tolist() == as_number.threads["size_designation"].tolist()


def test_empty_thread_class_is_kept() -> None:
    answer = _thread(thread_type="UTS", uts_size="1/4", uts_series="UNC", uts_tolerance_class="")
    value = wf.from_responses([answer], drawing_id="d").threads.loc[0, "tolerance_class"]
    assert not pd.isna(value)
    assert value == ""


@pytest.mark.parametrize("value", ["Infinity", "-0"])
def test_odd_metric_diameter_designation(value: str) -> None:
    answer = _thread(thread_type="ISO_METRIC")
    answer.threads[0].diameter.value = Decimal(value)
    designation = wf.from_responses([answer], drawing_id="d").threads.loc[0, "size_designation"]
    assert pd.isna(designation)  # not 'Minf' / 'M-0': no size, no designation


@pytest.mark.parametrize("ask", ["BALLOONS", "REDACTION", "DOCUMENT_PROFILE", "PAGE_ASSESSMENT", "CUSTOM"])
def test_exclude_defaults_dump_is_read(ask: str) -> None:
    answer = oracle.to_json_dict(oracle.build_answer(ask, 0), exclude_defaults=True)
    assert "ask_type" not in answer
    problems = wf.from_responses([answer], drawing_id="d").problems
    assert not problems["message"].str.contains("not a Werk24 response").any()


def test_exclude_defaults_thread_type_inferred_or_reported() -> None:
    answer = _thread(thread_type="UTS", uts_size="1/4", uts_series="UNC", uts_tolerance_class="2A")
    dumped = oracle.to_json_dict(answer, exclude_defaults=True)
    assert "thread_type" not in dumped["threads"][0]
    corpus = wf.from_responses([{**dumped, "ask_type": "FEATURES"}], drawing_id="d")
    reported = corpus.table("problems")["location"].str.contains("thread_type").any()
    assert corpus.threads["thread_type"].eq("UTS").fillna(False).all() or reported
