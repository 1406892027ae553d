"""The value half of the SDK oracle (issue 17): every field of the werk24 SDK's response models is
a column or listed as not tabulated, and every value a generated answer holds is in its column,
or a problem row names its place.

The answers come from the SDK's own models (``sdk_oracle.build_answer``): full, sparse and with
edge values. For every table read from an answer and every column copied from a field (not the
*derived* ones), the multiset of the field's values across the drawing's items must be contained
in the column's values for that drawing; a value no column of that dtype can hold (an integer
beyond Int64, a fraction for a count) must have a problem row at its exact path. Every size of
``schema.SIZE_ROLES`` is compared field by field with its row of ``sizes``, found by the row's
``json_path``.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from typing import Any

import pandas as pd
import pytest
import sdk_oracle as oracle
from pydantic import create_model

import werk24_frames as wf
from werk24_frames import schema

_INT64 = 2**63


def uncovered(ask: str, model: Any) -> list[str]:
    """The leaf paths of ``model`` that are neither a column nor listed as not tabulated."""
    kept, listed = schema.kept_paths(), schema.NOT_TABULATED
    return sorted(p for p in (f"{ask}.{q}" for q in oracle.sdk_leaf_paths(model)) if p not in kept and p not in listed)


@pytest.mark.parametrize("ask", list(oracle.MODELS))
def test_every_sdk_field_is_a_column_or_listed(ask):
    assert uncovered(ask, oracle.MODELS[ask]) == []


def test_a_new_sdk_field_would_be_caught():
    # As the SDK's repository adds Roughness.thermal_cut_quality: a field in a nested model.
    features = oracle.MODELS["FEATURES"]
    roughness = features.model_fields["roughnesses"].annotation.__args__[0]
    newer = create_model("Roughness", __base__=roughness, thermal_cut_quality=(str | None, None))
    newer_features = create_model("Features", __base__=features, roughnesses=(list[newer], []))
    assert uncovered("FEATURES", newer_features) == ["FEATURES.roughnesses[].thermal_cut_quality"]


def test_every_listed_path_is_an_sdk_field():
    """NOT_TABULATED names only fields the SDK has (no stale entries), and none of them is also a column."""
    paths = {f"{a}.{p}" for a, m in oracle.MODELS.items() for p in oracle.sdk_leaf_paths(m)}
    assert set(schema.NOT_TABULATED) <= paths
    assert not set(schema.NOT_TABULATED) & set(schema.kept_paths())


# -- values ------------------------------------------------------------------------------------


class _Unfit(Exception):
    """The value cannot be held by the column's dtype: a problem row must name it."""


def _normal(v: Any, dtype: str) -> Any:
    if dtype == "float":
        if isinstance(v, bool):
            raise _Unfit
        try:
            x = float(v)
        except (TypeError, ValueError, OverflowError):
            raise _Unfit from None
        return None if math.isnan(x) else x
    if dtype == "Int64":
        if isinstance(v, bool):
            raise _Unfit
        if isinstance(v, int):
            if -_INT64 <= v < _INT64:
                return v
            raise _Unfit
        try:
            x = float(v)
        except (TypeError, ValueError, OverflowError):
            raise _Unfit from None
        if x.is_integer() and -_INT64 < x < _INT64:
            return int(x)
        raise _Unfit
    if dtype == "boolean":
        if isinstance(v, bool):
            return v
        raise _Unfit
    if dtype == "string":
        if isinstance(v, str):
            return v
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float):
            return f"{v:g}"
        if isinstance(v, int):
            return str(v)
        raise _Unfit
    return v


def _resolve(obj: Any, path: str, at: str = "") -> list[tuple[str, Any]]:
    """Every ``(concrete path, value)`` at ``path`` (``[]``: every element) below ``obj``."""
    if not path:
        return [(at, obj)]
    head, _, rest = path.partition(".")
    key = head.removesuffix("[]")
    if not isinstance(obj, dict) or obj.get(key) is None:
        return []
    v, here = obj[key], f"{at}.{key}" if at else key
    if head.endswith("[]"):
        if not isinstance(v, list):
            return []
        return [x for i, e in enumerate(v) for x in _resolve(e, rest, f"{here}[{i}]")]
    return _resolve(v, rest, here)


def _cells(df: pd.DataFrame, column: str) -> Counter:
    col = df[column]
    out: Counter = Counter()
    for v in col[col.notna()].tolist():
        out[None if isinstance(v, float) and math.isnan(v) else v] += 1
    return out


def check_values(corpus: wf.Corpus, batch: oracle.Batch) -> int:
    """Compare every copied field of every answer with the tables; returns the values checked."""
    problems = corpus.table("problems")  # info rows included
    checked = 0
    for did, answers in batch.items():
        where = set(problems.loc[problems["drawing_id"] == did, "location"].str.replace(r"^\[\d+\]: ", "", regex=True))
        docs = [oracle.to_json_dict(a) for a in answers]
        for t in schema.TABLES.values():
            table = corpus.table(t.name)
            rows = table[table["drawing_id"] == did]
            for c in t.read_columns:
                if not c.json_path or c.derived or c.dtype == "object":
                    continue
                expected: Counter = Counter()
                for doc in docs:
                    ask = doc.get("ask_type")
                    for item_path in t.items:
                        if not item_path.startswith(str(ask)):
                            continue
                        for concrete, item in _resolve(doc, item_path.removeprefix(str(ask)).lstrip(".")):
                            for alt in c.json_path.split(" | "):
                                for leaf, v in _resolve(item, alt, concrete):
                                    try:
                                        n = _normal(v, c.dtype)
                                    except _Unfit:
                                        assert f"{ask}.{leaf}" in where, (t.name, c.name, leaf, v)
                                        continue
                                    if n is not None:
                                        expected[n] += 1
                got = _cells(rows, c.name)
                missing = expected - got
                assert not missing, (t.name, c.name, dict(missing))
                checked += sum(expected.values())
        checked += _check_sizes(corpus, did, docs, where)
    return checked


def _check_sizes(corpus: wf.Corpus, did: str, docs: list[dict[str, Any]], where: set[str]) -> int:
    sizes = corpus.table("sizes")
    mine = sizes[sizes["drawing_id"] == did].set_index("json_path")
    n_objects = checked = 0
    for doc in docs:
        ask = str(doc.get("ask_type"))
        for item_path, roles in schema.SIZE_ROLES.items():
            if not item_path.startswith(ask):
                continue
            for concrete, item in _resolve(doc, item_path.removeprefix(ask).lstrip(".")):
                for role in roles:
                    for path, size in _resolve(item, role, concrete):
                        if not isinstance(size, dict):
                            continue
                        n_objects += 1
                        row = mine.loc[f"{ask}.{path}"]
                        tol = size if role.endswith("_tolerance") else size.get("tolerance") or {}
                        fields = {k: tol.get(k) for k in schema._TOLERANCE_LEAVES}
                        if not role.endswith("_tolerance"):
                            fields |= {
                                "nominal": size.get("value"),
                                "unit": size.get("unit"),
                                "size_type": size.get("size_type"),
                            }
                        for col, v in fields.items():
                            dtype = schema.SIZES.column(col).dtype
                            try:
                                n = _normal(v, dtype)
                            except _Unfit:
                                continue
                            if n is not None:
                                assert row[col] == n, (path, col, row[col], n)
                                checked += 1
    assert n_objects == len(mine), (did, n_objects, len(mine))
    return checked


CASES = [
    pytest.param(kind, seed, id=f"{kind}-{seed}")
    for kind, seed in [("full", 0), ("full", 1), ("sparse", 2), ("edges", 3), ("sparse-edges", 4)]
]
OPTIONS = {
    "full": {},
    "sparse": {"sparse": True},
    "edges": {"edges": True},
    "sparse-edges": {"sparse": True, "edges": True},
}


def _run(kind: str, seed: int, feed: str, tmp_path: Any) -> int:
    batch = oracle.make_batch(list(oracle.MODELS), seed, drawings=2, **OPTIONS[kind])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = oracle.feed_jsonl(batch, tmp_path) if feed == "jsonl" else oracle.feed_dicts(batch)
        return check_values(corpus, batch)


@pytest.mark.parametrize(("kind", "seed"), CASES)
@pytest.mark.parametrize("feed", ["dicts", "jsonl"])
def test_every_value_is_in_its_column_or_named_by_a_problem(kind, seed, feed, tmp_path):
    assert _run(kind, seed, feed, tmp_path) > 0


@pytest.mark.long
@pytest.mark.parametrize("seed", range(10, 60))
@pytest.mark.parametrize("kind", list(OPTIONS))
def test_every_value_many_seeds(kind, seed, tmp_path):
    assert _run(kind, seed, "dicts", tmp_path) > 0
