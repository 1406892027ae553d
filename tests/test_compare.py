"""wf.compare, corpus.revisions() and wf.views.compare: what changed between revisions.

The known changes come from the generator of the revisions sample
(``werk24_frames/samples/generate.py``, ``revision_plan``); the property tests build drawings
of random features and check that the comparison is blind to what revisions do without
changing the part (renumbered reference_ids, re-ordered lists) and finds a single edit exactly.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames.comparison import MAX_MOVE, MIN_MOVE, drawing_revisions, moved_by, revision_key, split_revision
from werk24_frames.comparison._match import feature_rows, match_features
from werk24_frames.samples.generate import SHEET_H


@pytest.fixture(scope="module")
def revs() -> wf.Corpus:
    return wf.sample_corpus("revisions")


def _by_source(corpus: wf.Corpus, source: str) -> str:
    m = corpus.metadata
    return str(m.loc[m["source"] == source, "drawing_id"].iloc[0])


def _pair(revs: wf.Corpus, a: str, b: str) -> pd.DataFrame:
    return wf.compare(revs, revs, mapping={_by_source(revs, a): _by_source(revs, b)})


def _kinds(changes: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(changes["change"], changes["table"], changes["what"], strict=True))


# --------------------------------------------------------------------------------------
# Revisions: where they come from
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("WF-1015-B", ("WF-1015", "B")),
        ("WF-1015 Rev C", ("WF-1015", "C")),
        ("WF-1015 REV. C", ("WF-1015", "C")),
        ("WF-1015_rev_b", ("WF-1015", "B")),
        ("WF-1015 Index 2", ("WF-1015", "2")),
        ("WF-1015 Revision AA", ("WF-1015", "AA")),
        ("WF-1015", ("WF-1015", None)),
        ("ABC-12-XL", ("ABC-12-XL", None)),  # X is no revision letter (ASME Y14.35)
        ("ABC-12-O", ("ABC-12-O", None)),
        ("PART-B", ("PART-B", None)),  # no digit before the dash: part of the name
        ("", ("", None)),
    ],
)
def test_split_revision(number, expected):
    assert split_revision(number) == expected


def test_split_revision_of_missing():
    assert split_revision(None) == (None, None)
    assert split_revision(pd.NA) == (None, None)


def test_revision_key_orders_as_drawings_count():
    assert sorted(["C", "AA", "B", "Z", "A"], key=revision_key) == ["A", "B", "C", "Z", "AA"]
    assert sorted(["10", "2", "1"], key=revision_key) == ["1", "2", "10"]
    assert revision_key(None) is None and revision_key(pd.NA) is None


def test_revisions_and_their_sources(revs):
    r = drawing_revisions(revs)
    src = dict(
        zip(
            r["source"],
            zip(r["revision"].astype(object), r["revision_source"].astype(object), strict=True),
            strict=True,
        )
    )
    assert src["WF-2001 shaft index B.pdf"] == ("B", "identifier")
    assert src["WF-2002 plate revised.pdf"] == ("B", "drawing_number")
    assert src["WF-2003 housing 2026-01.pdf"] == (pd.NA, pd.NA)
    assert set(r.loc[r["source"].str.startswith("WF-2002"), "base_number"]) == {"WF-2002"}


def test_corpus_revisions_orders_each_number(revs):
    t = revs.revisions().table
    assert sorted(t["drawing_number"].unique()) == ["WF-2001", "WF-2002", "WF-2003"]
    w1 = t[t.drawing_number == "WF-2001"].sort_values("position")
    assert w1["revision"].tolist() == ["A", "B", "C"]
    assert set(w1["revision_source"]) == {"identifier"}
    # without revisions the corpus order decides, and says so
    assert set(t.loc[t.drawing_number == "WF-2003", "revision_source"]) == {"corpus order"}


def test_order_decides_where_the_answers_do_not(revs):
    order = ["WF-2003 housing 2025-03.pdf", "WF-2003 housing 2026-01.pdf"]
    t = revs.revisions(order=order).table
    w3 = t[t.drawing_number == "WF-2003"].sort_values("position")
    ids = [_by_source(revs, s) for s in order]
    assert w3["drawing_id"].tolist() == ids
    assert set(w3["revision_source"]) == {"order"}
    # ids work as well as source names, and reversing the order reverses the result
    t2 = revs.revisions(order=ids[::-1]).table
    assert t2.loc[t2.drawing_number == "WF-2003"].sort_values("position")["drawing_id"].tolist() == ids[::-1]


def test_an_unlettered_first_issue_comes_first():
    def drawing(number: str, rid: int = 1) -> list[dict[str, Any]]:
        return [
            {
                "ask_version": "v2",
                "ask_type": "META_DATA",
                "identifiers": [{"reference_id": rid, "identifier_type": "DRAWING_NUMBER", "value": number}],
            }
        ]

    c = wf.from_responses({"x1": drawing("P-100-B"), "x2": drawing("P-100"), "x3": drawing("P-100-C")})
    t = c.revisions().table.sort_values("position")
    assert t["drawing_id"].tolist() == ["x2", "x1", "x3"]
    assert t["revision_source"].tolist() == ["unlettered first", "drawing_number", "drawing_number"]
    changes = c.revisions().compare()
    assert changes["revision_source"].tolist() == ["unlettered first", "drawing_number"]
    assert changes["what"].tolist() == ["drawing number", "drawing number"]


def test_customer_index_beats_the_number_suffix():
    resp = {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "identifiers": [
            {"reference_id": 1, "identifier_type": "DRAWING_NUMBER", "value": "P-7-B"},
            {"reference_id": 2, "identifier_type": "CUSTOMER_INDEX", "value": "d"},
        ],
    }
    r = drawing_revisions(wf.from_responses([resp]))
    assert (r["base_number"].iloc[0], r["revision"].iloc[0], r["revision_source"].iloc[0]) == ("P-7", "D", "identifier")


def test_replacement_pairs_drawings_of_other_numbers():
    old = wf.from_responses(
        [
            {
                "ask_version": "v2",
                "ask_type": "META_DATA",
                "identifiers": [{"reference_id": 1, "identifier_type": "DRAWING_NUMBER", "value": "OLD-1"}],
                "designation": [{"reference_id": 2, "language": "ENG", "value": "BRACKET"}],
            }
        ],
        drawing_id="o",
    )
    new = wf.from_responses(
        [
            {
                "ask_version": "v2",
                "ask_type": "META_DATA",
                "identifiers": [
                    {"reference_id": 1, "identifier_type": "DRAWING_NUMBER", "value": "NEW-9"},
                    {"reference_id": 3, "identifier_type": "REPLACEMENT_FOR", "value": "OLD-1"},
                ],
                "designation": [{"reference_id": 2, "language": "ENG", "value": "BRACKET, REINFORCED"}],
            }
        ],
        drawing_id="n",
    )
    changes = wf.compare(old, new)
    assert set(changes["revision_source"]) == {"replacement"}
    assert set(changes["change"]) == {"changed"}  # paired: neither added nor removed
    assert dict(zip(changes["what"], changes["new_value"], strict=True)) == {
        "designation": "BRACKET, REINFORCED",
        "drawing number": "NEW-9",
    }


# --------------------------------------------------------------------------------------
# The known changes of the revisions sample
# --------------------------------------------------------------------------------------


def test_shaft_a_to_b_tightened_thread_added_moved_nothing_else(revs):
    ch = _pair(revs, "WF-2001 shaft index A.pdf", "WF-2001 shaft index B.pdf")
    assert _kinds(ch) == {
        ("changed", "dimensions", "limits"),
        ("changed", "dimensions", "grade"),
        ("changed", "dimensions", "position"),
        ("added", "threads", "feature"),
    }
    lim = ch[ch.what == "limits"].iloc[0]
    assert (lim.old_label, lim.new_label, lim.tighter, lim.matched_by) == ("15 ±0.1", "15 ±0.02", True, "kind+nominal")
    assert (lim.old_value, lim.new_value) == ("14.9 … 15.1 mm", "14.98 … 15.02 mm")
    # renumbered by +40 (the generator's edit): the match found every feature's new id
    assert lim.new_reference_id == lim.old_reference_id + 40
    assert ch.loc[ch.change == "added", "new_label"].tolist() == ["M6-6H"]
    assert not ch["ambiguous"].any()
    # the callout the generator moved 20 mm down (its label and nominal unchanged)
    moved = ch[ch.what == "position"]
    assert len(moved) == 1
    row = moved.iloc[0]
    assert row.old_label == row.new_label and row.matched_by == "label+nominal"
    assert row.new_reference_id == row.old_reference_id + 40
    (ox, oy), (nx, ny) = (_xy(row.old_value), _xy(row.new_value))
    assert ox == nx  # moved straight down: x as it was
    # 20 mm, within the text's rounding (0.001 of the sheet: 0.21 mm) and a pixel of the sheet image (0.23 mm)
    assert (ny - oy) * SHEET_H == pytest.approx(20, abs=0.45)


def _xy(value: str) -> tuple[float, float]:
    """``x 0.412, y 0.305`` → (0.412, 0.305)."""
    x, y = value.split(", ")
    assert x.startswith("x ") and y.startswith("y ")
    return float(x[2:]), float(y[2:])


def _group_of(source: str) -> str:
    """Which part a sample file shows: revisions share a base number, a family its kind."""
    return source[:7] if not source.startswith("WF-30") else "family " + source.split()[-1]


def test_every_pair_of_the_sample_reports_exactly_the_one_move(revs):
    m = revs.metadata
    source = dict(zip(m["drawing_id"], m["source"], strict=True))
    ids = list(source)
    moved_pair = {_by_source(revs, "WF-2001 shaft index A.pdf")}  # only A is before the move
    found = {}
    for a in ids:
        assert len(wf.compare(revs, revs, mapping={a: a})) == 0  # a drawing against itself
        for b in ids:
            if a == b or _group_of(source[a]) != _group_of(source[b]):
                continue
            ch = wf.compare(revs, revs, mapping={a: b})
            pos = ch[ch.what == "position"]
            found[(source[a], source[b])] = len(pos)
            if _group_of(source[a]).startswith("family"):
                # the generator keeps a family's picture and reference_ids: a position row may
                # only come from a match of two different features (sizes rescaled), never from
                # a feature paired with itself
                assert (pos["old_reference_id"] != pos["new_reference_id"]).all()
                continue
            if (a in moved_pair) != (b in moved_pair) and source[a].startswith("WF-2001"):
                assert len(pos) == 1, (source[a], source[b])
                assert pos["old_label"].tolist() == ["8"]
                old_rid, new_rid = int(pos["old_reference_id"].iloc[0]), int(pos["new_reference_id"].iloc[0])
                assert new_rid - old_rid == (40 if a in moved_pair else -40)
            else:
                assert len(pos) == 0, (source[a], source[b], pos[["old_label", "old_value", "new_value"]])
    # every revision pair was looked at: WF-2001 (3 drawings), WF-2002 and WF-2003 (2 each), both ways
    assert sum(1 for k in found if k[0].startswith("WF-20")) == 6 + 2 + 2
    assert sum(n for k, n in found.items() if k[0].startswith("WF-20")) == 4  # A↔B, A↔C


def test_min_move_is_the_threshold(revs):
    a, b = "WF-2001 shaft index A.pdf", "WF-2001 shaft index B.pdf"
    mapping = {_by_source(revs, a): _by_source(revs, b)}
    far = 20 / SHEET_H  # the generator's move, as a share of the sheet's height
    assert (wf.compare(revs, revs, mapping=mapping, min_move=far * 0.99).what == "position").sum() == 1
    assert (wf.compare(revs, revs, mapping=mapping, min_move=far * 1.01).what == "position").sum() == 0
    assert (wf.compare(revs, revs, mapping=mapping, min_move=float("inf")).what == "position").sum() == 0
    assert (revs.revisions().compare(min_move=far * 1.01).what == "position").sum() == 0
    for bad in (-0.1, float("nan"), "0.1", None, True):
        with pytest.raises(ValueError, match="min_move must be a number"):
            wf.compare(revs, revs, mapping=mapping, min_move=bad)


@given(
    st.floats(0.05, 0.9),
    st.floats(0.05, 0.9),
    st.floats(0.01, 0.08),
    st.floats(0.005, 0.05),
    st.floats(0, 1),
    st.sampled_from(["left", "centre", "right"]),
)
def test_moved_by_is_blind_to_growth_and_exact_for_translation(x, y, w, h, grow, anchor):
    box = {"page": 0, "x0": x, "x1": x + w, "cx": x + w / 2, "y0": y, "y1": y + h, "cy": y + h / 2}
    # a longer text grows the box from one edge or its centre: no move
    g = grow * w
    x0 = {"left": x, "centre": x - g / 2, "right": x - g}[anchor]
    grown = {**box, "x0": x0, "x1": x0 + w + g, "cx": x0 + (w + g) / 2}
    assert moved_by(box, grown) == pytest.approx(0, abs=1e-12)
    # moved as a whole: the distance it went
    dx, dy = grow * 0.1 - 0.05, (1 - grow) * 0.07 - 0.03
    moved = {
        **box,
        **{k: box[k] + dx for k in ("x0", "x1", "cx")},
        **{k: box[k] + dy for k in ("y0", "y1", "cy")},
    }
    assert moved_by(box, moved) == pytest.approx(np.hypot(dx, dy), abs=1e-12)
    assert moved_by(box, {**moved, "page": 1}) == float("inf")
    assert moved_by(box, {**moved, "cx": float("nan")}) is None


def test_renumbered_and_moved_features_are_matched(revs):
    a, b = _by_source(revs, "WF-2001 shaft index A.pdf"), _by_source(revs, "WF-2001 shaft index B.pdf")
    old, new = feature_rows(revs, a), feature_rows(revs, b)
    pairs = [m for m in match_features(old, new) if m.old is not None and m.new is not None]
    assert len(pairs) == len(old)  # nothing removed
    assert all(new.at[m.new, "reference_id"] == old.at[m.old, "reference_id"] + 40 for m in pairs)
    moved = [
        m
        for m in pairs
        if np.hypot(old.at[m.old, "cx"] - new.at[m.new, "cx"], old.at[m.old, "cy"] - new.at[m.new, "cy"]) > MAX_MOVE
    ]
    assert len(moved) == 1  # the one callout the generator moved 20 mm
    assert old.at[moved[0].old, "label"] == new.at[moved[0].new, "label"]
    assert moved[0].how == "label+nominal"


def test_shaft_b_to_c_material_and_fit(revs):
    ch = _pair(revs, "WF-2001 shaft index B.pdf", "WF-2001 shaft index C.pdf")
    meta = ch[ch.table == "metadata"].set_index("what")
    assert meta.loc["material", ["old_value", "new_value"]].tolist() == ["C45", "42CrMo4"]
    assert meta.loc["material grade", ["old_value", "new_value"]].tolist() == ["C45", "42CrMo4"]
    assert "weight" not in meta.index  # both steels are 7.85 g/cm³: same weight
    fit = ch[ch.what == "fit"].iloc[0]
    assert (fit.old_value, fit.new_value, fit.old_label, fit.new_label) == ("h6", "g6", "Ø42 h6", "Ø42 g6")
    lim = ch[ch.what == "limits"].iloc[0]
    assert pd.isna(lim.tighter)  # h6 and g6 are both IT6 wide: neither tighter nor looser
    assert set(ch.loc[ch.table != "metadata", "old_reference_id"]) == {fit.old_reference_id}


def test_plate_bore_removed_note_added_order_and_ids_do_not_matter(revs):
    ch = _pair(revs, "WF-2002 plate.pdf", "WF-2002 plate revised.pdf")
    assert _kinds(ch) == {
        ("removed", "bores", "feature"),
        ("added", "notes", "note"),
        ("changed", "metadata", "drawing number"),
    }
    assert ch.loc[ch.change == "removed", "old_label"].tolist() == ["Ø8 H7 ↧10"]
    assert ch.loc[ch.table == "notes", "new_value"].tolist() == ["Deburr all holes"]


def test_housing_nominal_and_general_tolerance(revs):
    order = ["WF-2003 housing 2025-03.pdf", "WF-2003 housing 2026-01.pdf"]
    ch = revs.revisions(order=order).compare()
    ch = ch[ch.drawing_number == "WF-2003"]
    assert set(ch["revision_source"]) == {"order"}
    meta = ch[ch.table == "metadata"]
    assert meta[["what", "old_value", "new_value"]].values.tolist() == [
        ["general tolerance", "ISO 2768 m", "ISO 2768 f"]
    ]
    nominal = ch[ch.what == "nominal"]
    assert nominal[["old_value", "new_value", "matched_by"]].values.tolist() == [["60 mm", "70 mm", "position"]]
    # ISO 2768-f is finer than -m: every dimension under the general tolerance got tighter
    general = ch[(ch.what == "limits") & (ch.old_label == ch.new_label)]
    assert len(general) > 5 and general["tighter"].all()
    assert not ch["change"].isin(["added", "removed"]).any()


def test_summary_counts(revs):
    ch = revs.revisions(order=["WF-2003 housing 2025-03.pdf", "WF-2003 housing 2026-01.pdf"]).compare()
    s = ch.summary()
    w2 = s.loc["WF-2002"]
    assert (w2.added, w2.removed, w2.changed, w2.ambiguous, w2.tighter, w2.looser) == (1, 1, 1, 0, 0, 0)
    w3 = s.loc["WF-2003"]
    assert w3.looser == 0 and w3.tighter == len(ch[(ch.drawing_number == "WF-2003") & (ch.tighter == True)])  # noqa: E712
    assert s.columns.tolist()[:5] == [
        "old_drawing_id",
        "new_drawing_id",
        "old_revision",
        "new_revision",
        "revision_source",
    ]


def test_changes_keeps_its_type_and_schema(revs):
    ch = revs.revisions().compare()
    from werk24_frames.comparison import Changes

    assert isinstance(ch, Changes)
    assert isinstance(ch[ch.change == "added"], Changes)
    assert isinstance(ch.head(2).summary(), pd.DataFrame)
    expected = wf.schema.empty_frame("changes")
    assert list(ch.columns) == list(expected.columns)
    assert [str(t) for t in ch.dtypes] == [str(t) for t in expected.dtypes]
    with pytest.raises(KeyError, match="summary\\(\\) needs"):
        ch[["change"]].summary()


def test_compare_two_corpora_pairs_by_base_number(revs):
    old = revs.select(lambda m: m.source.isin(["WF-2002 plate.pdf", "WF-3001 shaft.pdf", "WF-2001 shaft index A.pdf"]))
    new = revs.select(
        lambda m: m.source.isin(["WF-2002 plate revised.pdf", "WF-2001 shaft index C.pdf", "WF-3011 plate.pdf"])
    )
    ch = wf.compare(old, new)
    pairs = ch.drop_duplicates("drawing_number").set_index("drawing_number")
    assert pairs.loc["WF-3001", "change"] == "removed" and pairs.loc["WF-3001", "table"] == "drawings"
    assert pairs.loc["WF-3011", "change"] == "added"
    assert pairs.loc["WF-2002", "revision_source"] == "drawing_number"
    assert (pairs.loc["WF-2001", "old_revision"], pairs.loc["WF-2001", "new_revision"]) == ("A", "C")
    assert pairs.loc["WF-2001", "revision_source"] == "identifier"
    # A to C directly: the union of A→B and B→C, less what B changed back (nothing here)
    w1 = ch[ch.drawing_number == "WF-2001"]
    assert {"material", "fit", "limits", "feature"} <= set(w1["what"])


def test_compare_without_revisions_says_argument_order(revs):
    a = revs.select(lambda m: m.source == "WF-2003 housing 2025-03.pdf")
    b = revs.select(lambda m: m.source == "WF-2003 housing 2026-01.pdf")
    ch = wf.compare(a, b)
    assert set(ch["revision_source"]) == {"argument order"}
    assert ch.loc[ch.what == "nominal", ["old_value", "new_value"]].values.tolist() == [["60 mm", "70 mm"]]


def test_mapping_names_the_pairs(revs):
    a, c = "WF-2001 shaft index A.pdf", "WF-2001 shaft index C.pdf"
    ch = wf.compare(revs, revs, mapping={_by_source(revs, a): _by_source(revs, c)})
    assert set(ch["old_drawing_id"]) == {_by_source(revs, a)} and set(ch["new_drawing_id"]) == {_by_source(revs, c)}
    with pytest.raises(KeyError, match="WF-9999"):
        wf.compare(revs, revs, mapping={"WF-9999": _by_source(revs, c)})


# --------------------------------------------------------------------------------------
# Ambiguity
# --------------------------------------------------------------------------------------


def _dim(rid: int, label: str, value: float, upper: float | None = None) -> dict[str, Any]:
    tol = None if upper is None else {"deviation_lower": f"{-upper:g}", "deviation_upper": f"{upper:g}"}
    return {
        "reference_id": rid,
        "label": label,
        "quantity": 1,
        "confidence": {"score": "0.9"},
        "size": {"value": f"{value:g}", "unit": "mm", "size_type": "LINEAR", "tolerance": tol},
    }


def _drawing(dims: list[dict[str, Any]], boxes: dict[int, tuple[float, float]] | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "ask_version": "v2",
            "ask_type": "META_DATA",
            "identifiers": [{"reference_id": 9000, "identifier_type": "DRAWING_NUMBER", "value": "T-1"}],
        },
        {"ask_version": "v2", "ask_type": "FEATURES", "dimensions": dims},
    ]
    if boxes is not None:
        # a title block in the corner keeps the page's extent when a feature goes
        corner = {9000: (990.0, 690.0)}
        out.append(
            {
                "ask_version": "v2",
                "ask_type": "REFERENCE_POSITIONS",
                "reference_positions": [
                    {
                        "reference_id": rid,
                        "polygon": {
                            "coordinate_space": "PIXEL_SPACE",
                            "coordinates": [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10]],
                        },
                    }
                    for rid, (x, y) in {**boxes, **corner}.items()
                ],
            }
        )
    return out


def test_a_guess_between_equal_candidates_is_flagged():
    # two ±0.1 and ±0.2 dimensions of 10 mm without positions become ±0.05 and ±0.3: which is which?
    old = wf.from_responses(_drawing([_dim(1, "10 ±0.1", 10, 0.1), _dim(2, "10 ±0.2", 10, 0.2)]), drawing_id="old")
    new = wf.from_responses(_drawing([_dim(1, "10 ±0.05", 10, 0.05), _dim(2, "10 ±0.3", 10, 0.3)]), drawing_id="new")
    ch = wf.compare(old, new)
    limits = ch[ch.what == "limits"]
    assert len(limits) == 2 and limits["ambiguous"].all()
    assert ch.summary().loc["T-1", "ambiguous"] == len(ch[ch.ambiguous])


def test_positions_settle_what_labels_cannot():
    # two equal callouts; the one at (100, 100) becomes ±0.3, the other stays (renumbered, re-listed)
    boxes = {1: (100.0, 100.0), 2: (600.0, 400.0)}
    old = wf.from_responses(
        _drawing([_dim(1, "10 ±0.1", 10, 0.1), _dim(2, "10 ±0.1", 10, 0.1)], boxes), drawing_id="old"
    )
    new = wf.from_responses(
        _drawing([_dim(7, "10 ±0.1", 10, 0.1), _dim(5, "10 ±0.3", 10, 0.3)], {5: (100.0, 100.0), 7: (600.0, 400.0)}),
        drawing_id="new",
    )
    ch = wf.compare(old, new)
    assert ch[["what", "old_reference_id", "new_reference_id", "tighter", "ambiguous"]].values.tolist() == [
        ["limits", 1, 5, False, False],
        ["grade", 1, 5, pd.NA, False],
    ]
    # without positions the same question is a guess, and is flagged
    old = wf.from_responses(_drawing([_dim(1, "10 ±0.1", 10, 0.1), _dim(2, "10 ±0.1", 10, 0.1)]), drawing_id="old")
    new = wf.from_responses(_drawing([_dim(7, "10 ±0.1", 10, 0.1), _dim(5, "10 ±0.3", 10, 0.3)]), drawing_id="new")
    assert wf.compare(old, new)["ambiguous"].all()


# --------------------------------------------------------------------------------------
# Properties: blind to renumbering and order, exact about one edit
# --------------------------------------------------------------------------------------

LABELS = st.sampled_from([None, 0.01, 0.02, 0.05, 0.1, 0.2])


@st.composite
def drawings(draw: Any) -> tuple[list[dict[str, Any]], dict[int, tuple[float, float]]]:
    n = draw(st.integers(1, 14))
    nominals = draw(st.lists(st.sampled_from([2, 5, 8, 10, 12, 16, 20, 25, 40, 63, 100]), min_size=n, max_size=n))
    uppers = draw(st.lists(LABELS, min_size=n, max_size=n))
    # positions on a coarse grid, at least 60 px apart: a sheet, not a pile
    cells = draw(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 8)), min_size=n, max_size=n, unique=True))
    dims, boxes = [], {}
    for k, (v, u, (gx, gy)) in enumerate(zip(nominals, uppers, cells, strict=True)):
        label = f"{v:g}" if u is None else f"{v:g} ±{u:g}"
        dims.append(_dim(k + 1, label, v, u))
        boxes[k + 1] = (60.0 + 70 * gx, 40.0 + 70 * gy)
    return dims, boxes


def _renumber_and_shuffle(dims, boxes, seed: int):
    rng = random.Random(seed)
    ids = list(range(100, 100 + len(dims)))
    rng.shuffle(ids)
    mapping = {d["reference_id"]: i for d, i in zip(dims, ids, strict=True)}
    new_dims = [{**d, "reference_id": mapping[d["reference_id"]]} for d in dims]
    rng.shuffle(new_dims)
    new_boxes = {mapping[r]: xy for r, xy in boxes.items()}
    return new_dims, dict(sorted(new_boxes.items(), key=lambda t: rng.random()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings())
def test_a_drawing_compared_with_itself_has_no_changes(drawing):
    dims, boxes = drawing
    c = wf.from_responses(_drawing(dims, boxes), drawing_id="d")
    ch = wf.compare(c, c)
    assert len(ch) == 0
    assert len(c.revisions().compare()) == 0  # one drawing: no pairs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings(), st.integers(0, 2**32 - 1))
def test_renumbered_and_shuffled_has_no_changes(drawing, seed):
    dims, boxes = drawing
    old = wf.from_responses(_drawing(dims, boxes), drawing_id="old")
    new_dims, new_boxes = _renumber_and_shuffle(dims, boxes, seed)
    new = wf.from_responses(_drawing(new_dims, new_boxes), drawing_id="new")
    ch = wf.compare(old, new)
    assert len(ch) == 0, ch[["change", "what", "old_label", "new_label"]]


EDITS = st.sampled_from(["remove", "add", "tolerance", "nominal", "quantity"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings(), st.integers(0, 2**32 - 1), EDITS, st.data())
def test_a_single_edit_is_found_exactly(drawing, seed, edit, data):
    dims, boxes = drawing
    old = wf.from_responses(_drawing(dims, boxes), drawing_id="old")
    dims = [dict(d) for d in dims]
    k = data.draw(st.integers(0, len(dims) - 1))
    target = dims[k]
    value = float(target["size"]["value"])
    if edit == "remove":
        dims.pop(k)
        boxes = {r: xy for r, xy in boxes.items() if r != target["reference_id"]}
    elif edit == "add":
        free = [
            (gx, gy) for gx in range(12) for gy in range(9) if (60.0 + 70 * gx, 40.0 + 70 * gy) not in boxes.values()
        ]
        gx, gy = data.draw(st.sampled_from(free))
        dims.append(_dim(99, "M8 thread-like 7.77", 7.77))
        boxes[99] = (60.0 + 70 * gx, 40.0 + 70 * gy)
    elif edit == "tolerance":
        upper = data.draw(st.sampled_from([0.005, 0.3]))
        dims[k] = _dim(target["reference_id"], f"{value:g} ±{upper:g}", value, upper)
    elif edit == "nominal":
        old_upper = target["size"]["tolerance"] and float(target["size"]["tolerance"]["deviation_upper"])
        new_value = value + 0.5
        label = f"{new_value:g}" if not old_upper else f"{new_value:g} ±{old_upper:g}"
        dims[k] = _dim(target["reference_id"], label, new_value, old_upper or None)
    else:
        dims[k] = {**target, "quantity": 4, "label": "4x " + target["label"]}
    new_dims, new_boxes = _renumber_and_shuffle(dims, boxes, seed)
    new = wf.from_responses(_drawing(new_dims, new_boxes), drawing_id="new")
    ch = wf.compare(old, new)
    items = ch.drop_duplicates(["change", "old_reference_id", "new_reference_id"])
    assert len(items) == 1, ch[["change", "what", "old_label", "new_label"]]
    row = items.iloc[0]
    expected_change = {"remove": "removed", "add": "added"}.get(edit, "changed")
    assert row.change == expected_change
    if edit in ("remove", "tolerance", "nominal", "quantity"):
        assert row.old_reference_id == target["reference_id"]
    whats = set(ch["what"])
    if edit == "tolerance":
        assert "limits" in whats
        tighter = ch.loc[ch.what == "limits", "tighter"].iloc[0]
        old_tol = target["size"]["tolerance"]
        if old_tol is None:  # no limits before: neither tighter nor looser
            assert pd.isna(tighter)
        else:
            assert bool(tighter) == (upper < float(old_tol["deviation_upper"]))
    elif edit == "nominal":
        assert "nominal" in whats
    elif edit == "quantity":
        assert whats == {"quantity"}
    assert not ch["ambiguous"].any()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings(), st.integers(0, 2**32 - 1), st.floats(0, 3), st.floats(0, 2 * np.pi), st.data())
def test_a_moved_feature_is_a_position_change_past_min_move_only(drawing, seed, scale, angle, data):
    dims, boxes = drawing
    labels = [d["label"] for d in dims]
    unique = [k for k, lab in enumerate(labels) if labels.count(lab) == 1]
    assume(unique)  # two equal callouts may swap partners when one moves: that is the match's business
    k = data.draw(st.sampled_from(unique))
    rid = dims[k]["reference_id"]
    # a translation of `scale` times MIN_MOVE in sheet units (the page is 1000 x 700 px)
    r = scale * MIN_MOVE
    tx, ty = r * np.cos(angle) * 1000, r * np.sin(angle) * 700
    x, y = boxes[rid]
    assume(0 <= x + tx <= 980 and 0 <= y + ty <= 680)  # on the sheet, its extent unchanged
    assume(abs(np.hypot(tx / 1000, ty / 700) - MIN_MOVE) > 1e-9)
    old = wf.from_responses(_drawing(dims, boxes), drawing_id="old")
    new_dims, new_boxes = _renumber_and_shuffle(dims, {**boxes, rid: (x + tx, y + ty)}, seed)
    new = wf.from_responses(_drawing(new_dims, new_boxes), drawing_id="new")
    ch = wf.compare(old, new)
    if scale <= 1:
        assert len(ch) == 0, ch[["what", "old_label", "old_value", "new_value"]]
        return
    assert ch[["change", "what", "old_reference_id", "matched_by", "ambiguous"]].values.tolist() == [
        ["changed", "position", rid, "label+nominal", False]
    ]
    assert ch["old_value"].iloc[0] == f"x {(x + 5) / 1000:.3f}, y {(y + 5) / 700:.3f}"
    assert ch["new_value"].iloc[0] == f"x {(x + tx + 5) / 1000:.3f}, y {(y + ty + 5) / 700:.3f}"


# --------------------------------------------------------------------------------------
# Seeing it
# --------------------------------------------------------------------------------------


def test_views_compare_boxes_the_changes(revs):
    pytest.importorskip("PIL")
    old = revs.select(lambda m: m.source == "WF-2002 plate.pdf")
    view = wf.views.compare(old, revs, "WF-2002")
    html = view.to_html()
    assert view.counts == (1, 1, 1)
    colors = wf.views.CHANGE_COLORS
    # the removed bore on the old sheet, the added note on the new, the changed drawing number on both
    assert html.count(f'stroke="{colors["removed"]}"') == 1
    assert html.count(f'stroke="{colors["added"]}"') == 1
    assert html.count(f'stroke="{colors["changed"]}"') == 2
    assert html.count("<img ") == 2
    assert "added (new sheet)" in html and "removed (old sheet)" in html
    assert "Deburr all holes" in html


def test_views_compare_finds_base_numbers(revs):
    pytest.importorskip("PIL")
    view = wf.views.compare(revs, revs, "WF-2002")  # the newest revision in both: nothing changed
    assert view.counts == (0, 0, 0)
    assert "none" in view.to_html()
    with pytest.raises(KeyError):
        wf.views.compare(revs, revs, "WF-9999")


def test_views_compare_colours_a_moved_feature(revs):
    pytest.importorskip("PIL")
    old = revs.select(lambda m: m.source == "WF-2001 shaft index A.pdf")
    new = revs.select(lambda m: m.source == "WF-2001 shaft index B.pdf")
    view = wf.views.compare(old, new, "WF-2001")
    html = view.to_html()
    colors = wf.views.CHANGE_COLORS
    assert len(set(colors.values())) == len(colors)  # each kind its own colour
    # the callout that only moved: on both sheets, in the colour of a move, its tip saying where
    assert html.count(f'stroke="{colors["moved"]}"') == 2
    assert html.count(f'stroke="{colors["changed"]}"') == 2  # the tightened length, on both
    assert html.count(f'stroke="{colors["added"]}"') == 1  # the thread
    assert "moved (both)" in html
    assert "position: x 0.111, y 0.675 → x 0.111, y 0.771" in html
    assert view.counts == (1, 0, 2)
    # a larger min_move: the same callout is not a change at all
    calm = wf.views.compare(old, new, "WF-2001", min_move=0.2).to_html()
    assert calm.count(f'stroke="{colors["moved"]}"') == 0
    assert "position: x" not in calm
