"""Property: whatever is done to valid answers, loading never raises, and every input item is
either a row of its table or covered by a problems row that says it was lost."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import builders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import werk24_frames as wf

# Where every tabulated list sits, and the table its items land in.
LISTS = {
    "FEATURES": {name: name for name in wf.schema.FEATURE_TABLES},
    "META_DATA": {
        "identifiers": "identifiers",
        "designation": "designations",
        "notes": "notes",
        "certifications": "certifications",
    },
    "INSIGHTS": {"secondary_processes": "processes"},
    "REFERENCE_POSITIONS": {"reference_positions": "positions"},
}

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["value", "unit", "label", "x"]), st.text(max_size=3), max_size=2),
)


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(obj: Any, path: tuple) -> Any:
    for p in path:
        obj = obj[p]
    return obj


@st.composite
def mutated(draw) -> list[Any]:
    doc: Any = copy.deepcopy(builders.all_responses())
    for _ in range(draw(st.integers(1, 6))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths[1:]))
        parent = _get(doc, path[:-1])
        action = draw(st.sampled_from(["replace", "delete", "add_key", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(junk)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add_key" and isinstance(parent, dict):
            key = draw(st.sampled_from(["welds", "new_flag", "tags"]))
            parent[key] = draw(st.one_of(junk, st.lists(st.fixed_dictionaries({"label": st.text(max_size=4)}))))
        elif action == "duplicate" and isinstance(parent, list) and len(path) > 1:
            parent.append(copy.deepcopy(parent[path[-1]]))
    return doc


ASKS = [r["ask_type"] for r in builders.all_responses()]


def _expected_items(doc: list[Any]) -> list[tuple[str, str, tuple]]:
    """(table, location below the ask, key) of every item the loader must account for."""
    items = []
    for k, r in enumerate(doc):
        if not isinstance(r, dict):
            continue
        ask = ASKS[k]
        for key, table in LISTS[ask].items():
            value = r.get(key)
            if not isinstance(value, list):
                continue
            for i, it in enumerate(value):
                items.append((table, f"{key}[{i}]", (i,)))
                if table == "roughnesses" and isinstance(it, dict) and isinstance(it.get("conditions"), list):
                    for j in range(len(it["conditions"])):
                        items.append(("roughness_conditions", f"{key}[{i}].conditions[{j}]", (i, j)))
        if ask == "META_DATA" and isinstance(r.get("material_options"), list):
            for i, opt in enumerate(r["material_options"]):
                comb = opt.get("material_combination") if isinstance(opt, dict) else None
                if isinstance(comb, list):
                    for j in range(len(comb)):
                        items.append(("materials", f"material_options[{i}].material_combination[{j}]", (i, j)))
                else:
                    items.append(("materials", f"material_options[{i}]", (i, None)))
        if ask == "META_DATA" and isinstance(r.get("bill_of_material"), dict):
            rows = r["bill_of_material"].get("rows")
            if isinstance(rows, list):
                for i in range(len(rows)):
                    items.append(("bill_of_material", f"bill_of_material.rows[{i}]", (i,)))
    return items


_ROOT = re.compile(r"^(\[\d+\]: )?[^.\[]+")


def _below_ask(location: str) -> str:
    """``[1]: FEATURES.dimensions[3].size`` -> ``dimensions[3].size``; ``FEATURES`` -> ``""``."""
    return _ROOT.sub("", location, count=1).lstrip(".")


def _covers(problem_path: str, item_path: str) -> bool:
    return (
        problem_path == ""
        or item_path == problem_path
        or item_path.startswith((problem_path + "[", problem_path + "."))
    )


def _has_row(c: wf.Corpus, table: str, key: tuple) -> bool:
    df = c.table(table)
    if table == "materials":
        sel = df["option"] == key[0]
        return bool((sel & (df["component"] == key[1])).any()) if key[1] is not None else bool(sel.any())
    if table == "roughness_conditions":
        return bool(((df["item_index"] == key[0]) & (df["condition_index"] == key[1])).any())
    return bool((df["item_index"] == key[0]).any())


def check_nothing_lost(doc: list[Any], corpus: wf.Corpus) -> None:
    tables = corpus.tables()  # builds everything: must not raise
    problems = tables["problems"]
    assert set(problems["severity"]) <= {"error", "warning", "info"}
    assert problems["location"].notna().all() and problems["message"].notna().all()
    losses = [_below_ask(loc) for loc in problems.loc[problems["severity"] != "info", "location"]]
    # An error about a part of an item that was skipped for it (a material option whose
    # combination is no list) accounts for the item too.
    errors = [_below_ask(loc) for loc in problems.loc[problems["severity"] == "error", "location"]]
    other = tables["other_features"]
    for table, path, key in _expected_items(doc):
        if _has_row(corpus, table, key):
            continue
        if any(_covers(p, path) for p in losses) or any(e.startswith(path + ".") for e in errors):
            continue
        name = path.split("[")[0].split(".")[-1]
        if ((other["list_name"] == name) & (other["item_index"] == key[0])).any():
            continue  # the answer was read as another ask: the list is kept generically
        raise AssertionError(f"{table} item {path} is neither in its table nor in problems:\n{problems}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_answers_lose_nothing_silently(doc):
    corpus = wf.from_responses(doc, drawing_id="m")
    check_nothing_lost(doc, corpus)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_answers_saved_as_cli_output_lose_nothing_silently(doc):
    msgs = [
        {"request_id": "r", "message_type": "ASK", "message_subtype": ASKS[k], "page_number": 0, "payload_dict": r}
        for k, r in enumerate(doc)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.jsonl"
        path.write_text("\n".join(json.dumps(m, allow_nan=True) for m in msgs), encoding="utf-8")
        corpus = wf.load(path)
        check_nothing_lost(doc, corpus)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_truncated_or_corrupted_file_never_raises(data):
    text = "\n".join(json.dumps(m) for m in builders.messages())
    cut = data.draw(st.integers(0, len(text)))
    garbage = data.draw(st.text(max_size=20))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bad.jsonl"
        path.write_text(text[:cut] + garbage, encoding="utf-8")
        try:
            corpus = wf.load(path)
        except wf.SourceError as exc:  # nothing readable at all: a clear error naming the file
            message = str(exc)
        else:
            message = ""
        if message:
            assert "bad.jsonl" in message
            return
        corpus.tables()
        whole_lines = text[:cut].count("\n")
        # Every line before the cut is intact and loads.
        assert len(corpus.raw_responses(corpus.drawing_ids[0])) >= min(whole_lines, 4)
