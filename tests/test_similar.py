"""wf.similar: the drawings most like a drawing, with reasons, on either search backend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames.comparison import _similar
from werk24_frames.comparison._similar import DEFAULT_WEIGHTS, GROUPS, encode, nearest, similarity_vectors
from werk24_frames.samples import sample_path

FAMILIES = (("WF-3001", "WF-3002", "WF-3003"), ("WF-3011", "WF-3012", "WF-3013"))


@pytest.fixture(scope="module")
def both() -> wf.Corpus:
    """The 44 drawings of the main sample and the 13 of the revisions sample."""
    return wf.load([sample_path(), sample_path("revisions")])


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("backend", ["numpy", "sklearn"])
def test_family_members_come_first(both, family, backend):
    if backend == "sklearn":
        pytest.importorskip("sklearn")
    near = wf.similar(both, list(family), k=2, backend=backend)
    for member in family:
        got = set(near.loc[near["query"] == member, "match"])
        assert got == set(family) - {member}, near[near["query"] == member]


def test_history_finds_each_new_drawing_its_family(both):
    revs = wf.sample_corpus("revisions")
    new = revs.select(["WF-3002", "WF-3012"])
    history = revs.select(lambda m: ~m.drawing_number.isin(["WF-3002", "WF-3012"]))
    near = wf.similar(new, history=history, k=2)
    assert set(near.loc[near["query"] == "WF-3002", "match"]) == {"WF-3001", "WF-3003"}
    assert set(near.loc[near["query"] == "WF-3012", "match"]) == {"WF-3011", "WF-3013"}


def test_result_columns_order_and_self_exclusion(both):
    near = wf.similar(both, k=3)
    expected = wf.schema.empty_frame("similar")
    assert list(near.columns) == list(expected.columns)
    assert [str(t) for t in near.dtypes] == [str(t) for t in expected.dtypes]
    assert len(near) == 3 * len(both)
    assert (near["query_id"] != near["match_id"]).all()
    for _, g in near.groupby("query_id"):
        assert g["rank"].tolist() == [1, 2, 3]
        assert g["distance"].is_monotonic_increasing


def test_distance_is_symmetric_and_zero_for_twins(both):
    v = similarity_vectors(both)
    ref, q = encode(v, v)
    assert np.allclose(ref, q)
    twin = pd.concat([v.iloc[[0]], v.iloc[[0]].rename(index=lambda i: i + "~twin")])
    near = wf.similar(pd.concat([v, twin.iloc[[1]]]), v.index[0], k=1)
    assert near["match_id"].iloc[0] == v.index[0] + "~twin" and near["distance"].iloc[0] == 0


def test_why_says_it_in_words(both):
    near = wf.similar(both, "WF-3001", k=1)
    why = near["why"].iloc[0]
    assert why.startswith("same material family (steel); ")
    assert "same primary process (TURNING)" in why
    assert "6 of 6 feature kinds shared" in why
    # the envelope grows by 1.2 from WF-3001 to WF-3002: 17 % of the larger, said in mm
    v = similarity_vectors(both).set_index("drawing_number")
    q, m = v.loc["WF-3001", "envelope_max_mm"], v.loc["WF-3002", "envelope_max_mm"]
    assert m == pytest.approx(q * 1.2, rel=0.02)
    assert f"envelope {q:.4g} vs {m:.4g} mm" in why


def test_weights_change_what_counts(both):
    # with only the material counting, every match of a steel shaft is steel
    only_material = dict.fromkeys(DEFAULT_WEIGHTS, 0.0) | {"material": 1.0}
    near = wf.similar(both, "WF-3001", k=8, weights=only_material)
    assert near["why"].str.startswith("same material family (steel)").all()
    assert (near["distance"] == 0).all()
    with pytest.raises(KeyError, match="no similarity group 'colour'"):
        wf.similar(both, "WF-3001", weights={"colour": 1})
    with pytest.raises(ValueError, match="must be a number >= 0"):
        wf.similar(both, "WF-3001", weights={"size": -1})
    with pytest.raises(ValueError, match="every weight is 0"):
        wf.similar(both, "WF-3001", weights=dict.fromkeys(DEFAULT_WEIGHTS, 0.0))


def test_k_larger_than_the_history(both):
    revs = wf.sample_corpus("revisions")
    near = wf.similar(revs, "WF-3001", k=100)
    assert len(near) == len(revs) - 1
    with pytest.raises(ValueError, match="k must be at least 1"):
        wf.similar(revs, "WF-3001", k=0)


def test_a_frame_works_as_history(both):
    v = similarity_vectors(both)
    from_frame = wf.similar(both, "WF-3001", history=v, k=4)
    from_corpus = wf.similar(both, "WF-3001", history=both, k=4)
    pd.testing.assert_frame_equal(from_frame, from_corpus)
    with pytest.raises(KeyError, match="missing: n_dimensions"):
        wf.similar(both, history=v.drop(columns=["n_dimensions"]))
    # a frame is queried by drawing_id or by a drawing number that names one row
    by_number = wf.similar(v, "WF-3001", k=2)
    assert by_number["match"].tolist() == ["WF-3002", "WF-3003"]
    with pytest.raises(KeyError, match="'WF-2001' names 3 rows"):
        wf.similar(v, "WF-2001")


def test_groups_cover_documented_columns(both):
    v = similarity_vectors(both)
    for cols in GROUPS.values():
        assert set(cols) <= set(v.columns)
    # a drawing with a FEATURES answer counts 0 of a kind it lacks, not NA
    assert (v["n_center_holes"].fillna(-1) >= 0).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 300), st.integers(1, 40), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_backends_agree(n_ref, n_query, k, seed):
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(seed)
    ref = rng.normal(size=(n_ref, 7))
    # some exact duplicates: ties must be broken the same way (by index)
    ref[rng.integers(0, n_ref, size=n_ref // 5)] = ref[0]
    q = np.vstack([rng.normal(size=(n_query, 7)), ref[:1]])
    d1, i1 = nearest(ref, q, k, backend="numpy")
    d2, i2 = nearest(ref, q, k, backend="sklearn")
    assert np.allclose(d1, d2, rtol=0, atol=1e-12)
    # the sets of neighbours agree; where distances tie at the k-th place the backends may pick
    # different members of the tie, so compare the neighbours strictly nearer than the k-th
    for row in range(len(q)):
        strict = d1[row] < d1[row, -1] - 1e-9
        assert set(i1[row][strict]) == set(i2[row][strict])


def test_the_numpy_search_is_exact_in_chunks(monkeypatch):
    rng = np.random.default_rng(7)
    ref = rng.normal(size=(500, 5))
    q = rng.normal(size=(37, 5))
    monkeypatch.setattr(_similar, "_CHUNK", 8)
    d, i = nearest(ref, q, 4, backend="numpy")
    full = np.sqrt(((q[:, None, :] - ref[None, :, :]) ** 2).sum(-1))
    expected = np.argsort(full, axis=1, kind="stable")[:, :4]
    assert (i == expected).all()
    assert np.allclose(d, np.take_along_axis(full, expected, axis=1))


def test_without_scikit_learn(monkeypatch, both):
    monkeypatch.setattr(_similar, "_have_sklearn", lambda: False)
    near = wf.similar(both, "WF-3001", k=3)  # auto: numpy
    assert near["match"].tolist()[:2] == ["WF-3002", "WF-3003"]
    monkeypatch.setattr("werk24_frames._extras._installed", lambda m: m != "sklearn")
    with pytest.raises(ImportError, match=r"scikit-learn.*werk24_frames\[similar\]"):
        wf.similar(both, "WF-3001", backend="sklearn")
    with pytest.raises(ValueError, match="backend must be"):
        wf.similar(both, "WF-3001", backend="faiss")
