"""The folder listing resolves only links (a plain entry of a folder lies in it): a link to a
file inside the folder is read, a link out of it is refused, whatever the mix."""

from __future__ import annotations

import zlib

import builders
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames._sources import Unit, list_units
from werk24_frames.io import _plan


@pytest.mark.parametrize("order", ["links_first", "links_last"])
def test_links_in_a_listing_are_judged_and_plain_files_are_read(tmp_path, order):
    folder = tmp_path / "responses"
    folder.mkdir()
    outside = builders.write_json(tmp_path / "elsewhere.json", [builders.meta_data()])
    names = ["a_plain", "b_link_in", "c_link_out"] if order == "links_last" else ["c_plain", "a_link_in", "b_link_out"]
    plain, link_in, link_out = (folder / f"{n}.json" for n in names)
    builders.write_json(plain, [builders.meta_data()])
    link_in.symlink_to(plain)
    link_out.symlink_to(outside)
    kinds = {u.name: u.kind for u in list_units(folder)}
    assert kinds == {plain.name: "file", link_in.name: "file", link_out.name: "outside"}
    corpus = wf.load(folder, cache=False)
    assert sorted(corpus.drawing_ids) == sorted([plain.stem, link_in.stem])
    problems = corpus.table("problems")
    refused = problems[problems["message"].str.contains("a link to a file outside the folder")]
    assert refused["source"].tolist() == [str(link_out)]


# --------------------------------------------------------------------------------------
# Chunking by content
# --------------------------------------------------------------------------------------

_NAMES = st.lists(st.text("abcxyz0123456789:é", min_size=1, max_size=6), max_size=80)


def _units(stems: list[str]) -> list[Unit]:
    return [Unit("file", f"/f/{s}.json", f"{s}.json", s, (1, 1), "/f") for s in stems]


@settings(max_examples=300, deadline=None)
@given(stems=_NAMES, average=st.sampled_from([1, 2, 3, 4, 7, 16]))
def test_chunks_by_content_cut_after_each_boundary_name_and_keep_a_key_together(stems, average):
    units = _units(stems)
    chunks = _plan.chunks_by_content(units, average)
    assert sorted(i for c in chunks for i in c) == list(range(len(units)))  # each unit once
    assert all(c == sorted(c) and c for c in chunks)
    where = {i: n for n, c in enumerate(chunks) for i in c}
    keys: dict[str, set[int]] = {}
    for i, u in enumerate(units):
        keys.setdefault(u.key or "", set()).add(where[i])
    assert all(len(found) == 1 for found in keys.values())  # a repeated id's units share a chunk
    if len(keys) == len(units):  # no key repeats, nothing moved: runs cut exactly as the rule says
        boundary = [zlib.crc32(u.name.encode("utf-8", "surrogateescape")) % average == 0 for u in units]
        runs, run = [], []
        for i, hit in enumerate(boundary):
            run.append(i)
            if hit or len(run) == 4 * average:
                runs.append(run)
                run = []
        assert chunks == runs + ([run] if run else [])


@settings(max_examples=200, deadline=None)
@given(
    stems=st.lists(st.text("abcxyz0123456789", min_size=1, max_size=8), min_size=2, max_size=60, unique=True),
    data=st.data(),
)
def test_removing_a_file_changes_its_own_chunk_not_every_later_one(stems, data):
    average = 4
    before = [[stems[i] for i in c] for c in _plan.chunks_by_content(_units(stems), average)]
    gone = data.draw(st.integers(0, len(stems) - 1))
    rest = stems[:gone] + stems[gone + 1 :]
    after = [[rest[i] for i in c] for c in _plan.chunks_by_content(_units(rest), average)]
    changed = [c for c in before if c not in after]
    # its own chunk, and the one it ended when its name was a boundary (or a run at the limit)
    assert len(changed) <= 2 or any(len(c) == 4 * average for c in before)
