"""The folder listing resolves only links (a plain entry of a folder lies in it): a link to a
file inside the folder is read, a link out of it is refused, whatever the mix."""

from __future__ import annotations

import builders
import pytest

import werk24_frames as wf
from werk24_frames._sources import list_units


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
