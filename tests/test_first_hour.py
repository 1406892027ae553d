"""Issue 22: what a new user stumbles over in the first hour, one section per numbered point.

Each test failed on the code before issue 22 (checked on a worktree of commit fd366ad).
"""

from __future__ import annotations

import inspect
import json
import pydoc
import re
import subprocess
from pathlib import Path

import builders
import numpy as np
import pandas as pd
import picture_corpus as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames import _accessor, cli, schema

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def sample() -> wf.Corpus:
    return wf.sample_corpus()


def _meta(number: str | None, **extra: object) -> dict:
    ids = [{"identifier_type": "DRAWING_NUMBER", "value": number}] if number is not None else []
    return {"ask_type": "META_DATA", "identifiers": ids, **extra}


def _numbered(numbers: dict[str, str | None]) -> wf.Corpus:
    """A corpus of drawings ``id -> drawing number`` (None: no number), each with one dimension."""
    dims = {"ask_type": "FEATURES", "dimensions": [{"reference_id": 1, "label": "10", "size": builders.size("10")}]}
    return wf.from_responses({d: [_meta(n), dims] for d, n in numbers.items()}, source="mem.json")


# --------------------------------------------------------------------------------------
# 1. A drawing number or an id wherever a drawing is named
# --------------------------------------------------------------------------------------


def test_a_drawing_number_names_the_drawing_everywhere(sample):
    d = sample.metadata.set_index("drawing_number").loc["WF-1012", "drawing_id"]
    assert sample.resolve("WF-1012") == sample.resolve(d) == d
    assert sample.raw_responses("WF-1012") == sample.raw_responses(d)
    assert sample.image("WF-1012") == sample.image(d)
    assert sample.show("WF-1012").drawing_id == d
    assert sample["WF-1012"].drawing_id == d and "WF-1012" in sample and "WF-0000" not in sample


@pytest.mark.parametrize("call", ["raw_responses", "image", "show", "getitem"])
def test_an_unknown_name_is_a_clear_key_error(sample, call):
    with pytest.raises(KeyError) as err:
        sample[("WF-1O12")] if call == "getitem" else getattr(sample, call)("WF-1O12")
    assert isinstance(err.value, wf.DrawingNotFoundError)
    message = str(err.value)
    assert message.startswith("no drawing 'WF-1O12' in this corpus") and "did you mean 'WF-1012'?" in message
    assert "has no sheet image" not in message and not message.startswith('"')


def test_a_number_of_several_drawings_lists_them_and_select_takes_them_all():
    corpus = _numbered({"rev-a": "X-1", "rev-b": "X-1", "other": "Y-2"})
    for call in (corpus.resolve, corpus.raw_responses, corpus.show, corpus.__getitem__):
        with pytest.raises(wf.AmbiguousDrawingError) as err:
            call("X-1")
        assert "rev-a (mem.json)" in str(err.value) and "rev-b (mem.json)" in str(err.value)
        assert err.value.candidates["drawing_id"].tolist() == ["rev-a", "rev-b"]
    assert corpus.select("X-1").drawing_ids == ["rev-a", "rev-b"]
    assert corpus.resolve("rev-a") == "rev-a"  # an id is always one drawing


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["A", "B", "C", "D", None]), min_size=1, max_size=8))
def test_names_resolve_to_exactly_the_drawings_that_bear_them(numbers):
    ids = {f"d{i}": n for i, n in enumerate(numbers)}
    corpus = _numbered(ids)
    for number in ("A", "B", "C", "D"):
        bearers = [d for d, n in ids.items() if n == number]
        if bearers:
            assert corpus.select(number).drawing_ids == bearers
        if len(bearers) == 1:
            assert corpus.resolve(number) == bearers[0]
        else:
            with pytest.raises(wf.AmbiguousDrawingError if bearers else wf.DrawingNotFoundError):
                corpus.resolve(number)
    for d in ids:
        assert corpus.resolve(d) == d


def test_metadata_columns_join_onto_any_table_in_one_step(sample):
    dims = sample.dimensions
    tight = dims[dims["it_grade"] <= 7]
    joined = tight.w24.with_metadata("drawing_number", "material_family")
    merged = tight.merge(
        sample.metadata[["drawing_id", "drawing_number", "material_family"]], on="drawing_id", how="left"
    )
    assert joined.index.equals(tight.index)
    assert list(joined.columns[:3]) == ["drawing_id", "drawing_number", "material_family"]
    assert joined["drawing_number"].tolist() == merged["drawing_number"].tolist()
    assert joined["material_family"].tolist() == merged["material_family"].tolist()
    assert joined["drawing_number"].dtype == sample.metadata["drawing_number"].dtype
    with pytest.raises(KeyError, match=r"not a column of corpus\.metadata: 'colour'"):
        tight.w24.with_metadata("colour")


# --------------------------------------------------------------------------------------
# 2. Tables are safe to edit, and cheap
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [t for t in schema.TABLES if t != "problems"])
def test_editing_a_table_never_changes_the_corpus(sample, name, tmp_path):
    before = sample.table(name).copy(deep=True)
    features = sample.features.copy(deep=True)
    stats = sample.stats.tolerance_stats(by=None)
    df = getattr(sample, name)
    df["x"] = 1
    if len(df):
        df.iloc[0, 0] = "changed"
        df.loc[df.index[-1], "drawing_id"] = "also changed"
    pd.testing.assert_frame_equal(sample.table(name), before)
    pd.testing.assert_frame_equal(sample.features, features)
    pd.testing.assert_frame_equal(sample.stats.tolerance_stats(by=None), stats)
    (path,) = sample.to_csv(tmp_path, [name])
    assert "x" not in pd.read_csv(path, nrows=0).columns


def test_handing_out_a_table_copies_no_data(sample):
    """Copy-on-write: the copy a user gets shares the corpus's buffers until one side writes."""
    mine, other = sample.dimensions, sample.dimensions
    assert mine is not other
    assert np.shares_memory(mine["nominal"].to_numpy(), other["nominal"].to_numpy())


# --------------------------------------------------------------------------------------
# 3. A corpus can be sliced, iterated, indexed and shown
# --------------------------------------------------------------------------------------


def test_select_keeps_exactly_the_rows_and_problems_of_those_drawings(tmp_path):
    corpus = pc.build(tmp_path)
    corpus.thumbnails()  # finds the undecodable sheet: a problem of D-broken
    keep = ["D-broken", "A-hostile"]
    part = corpus.select(corpus.metadata["drawing_id"].isin(keep))
    assert part.drawing_ids == [d for d in corpus.drawing_ids if d in keep]
    for name in schema.TABLES:
        whole = corpus.table(name)
        want = whole[whole["drawing_id"].isin(keep).fillna(False)].reset_index(drop=True)
        pd.testing.assert_frame_equal(part.table(name), want, check_like=False)
    assert set(part.table("problems")["drawing_id"]) <= set(keep)
    assert (part.table("problems")["drawing_id"] == "D-broken").any()
    assert part.image("A-hostile") == corpus.image("A-hostile")
    assert part.raw_responses("A-hostile") == corpus.raw_responses("A-hostile")
    assert part.dimensions.w24.crops().n_rows == len(part.dimensions)  # tables know their corpus


def test_select_takes_masks_rows_functions_ids_and_numbers(sample):
    steel = sample.metadata["material_family"] == "steel"
    by_mask = sample.select(steel)
    assert len(by_mask) == int(steel.sum()) == 29
    assert by_mask.drawing_ids == sample.select(lambda m: m["material_family"] == "steel").drawing_ids
    dims = sample.dimensions
    rows = dims[dims["it_grade"] <= 6]
    assert sample.select(rows).drawing_ids == [d for d in sample.drawing_ids if d in set(rows["drawing_id"])]
    numbers = ["WF-1007", "WF-1012"]
    assert sample.select(numbers).metadata["drawing_number"].tolist() == ["WF-1012", "WF-1007"]  # corpus order
    assert sample[sample.metadata["drawing_number"].isin(numbers)].drawing_ids == sample.select(numbers).drawing_ids
    with pytest.raises(ValueError, match=r"boolean mask selects rows of corpus\.metadata"):
        sample.select(dims["it_grade"] <= 6)


def test_iterating_gives_one_drawing_each_with_its_rows(sample):
    drawings = list(sample)
    assert [d.drawing_id for d in drawings] == sample.drawing_ids
    assert sum(len(d.dimensions) for d in drawings) == len(sample.dimensions)
    first = sample[0]
    assert first == drawings[0] and sample[-1].drawing_id == sample.drawing_ids[-1]
    assert first.drawing_number == sample.metadata.loc[0, "drawing_number"]
    pd.testing.assert_frame_equal(
        first.threads.reset_index(drop=True),
        sample.threads[sample.threads["drawing_id"] == first.drawing_id].reset_index(drop=True),
    )
    assert "dimensions" in dir(first)
    assert "<img" in first._repr_html_() and first.drawing_number in repr(first)
    assert len(sample[2:5]) == 3
    with pytest.raises(IndexError):
        sample[len(sample)]


def test_the_notebook_display_summarises_the_corpus(tmp_path):
    corpus = pc.build(tmp_path)
    html = corpus._repr_html_()
    assert f"Corpus: {len(corpus)} drawings" in html
    assert '<td style="padding:2px 8px;text-align:left">dimensions</td>' in html
    assert pc.HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html  # escaped


# --------------------------------------------------------------------------------------
# 4. Bound plots and statistics: no `data` parameter, real help
# --------------------------------------------------------------------------------------


def _bound(sample):
    frame = sample.dimensions.w24
    yield from ((sample.stats, n) for n in _accessor.CORPUS_STATS)
    yield from ((sample.plot, n) for n in _accessor.CORPUS_PLOTS)
    yield from ((frame, n) for n in _accessor.FRAME_STATS)
    yield from ((frame.plot, n) for n in _accessor.FRAME_PLOTS)


def test_bound_functions_show_the_signature_without_the_data_and_their_docstring(sample):
    for space, name in _bound(sample):
        func = getattr(space, name)
        module_func = getattr(wf.stats if "stats" in space._module else wf.plots, name)
        params = list(inspect.signature(module_func).parameters)
        assert list(inspect.signature(func).parameters) == params[1:], name
        text = pydoc.render_doc(func, renderer=pydoc.plaintext)
        assert "partial" not in text and module_func.__doc__.strip().splitlines()[0] in text, name
        assert func.__name__ == name and func.__doc__ == module_func.__doc__


def test_passing_the_data_again_says_how_to_call_it(sample):
    with pytest.raises(TypeError, match=r"corpus\.plot\.tolerance_vs_size\(\) already has its data"):
        sample.plot.tolerance_vs_size(sample)


# --------------------------------------------------------------------------------------
# 5. thumbnails(by=..., max_images=...) caps each group
# --------------------------------------------------------------------------------------


def test_every_group_appears_and_each_is_capped(sample):
    families = sample.metadata["material_family"].value_counts()
    html = sample.thumbnails(by="material_family", max_images=3).to_html()
    parts = re.split(r"material_family = ", html)[1:]
    assert [p.split(" <span", 1)[0] for p in parts] == sorted(families.index)
    for part in parts:
        n = len(re.findall(r"<figure", part))
        family = part.split(" <span", 1)[0]
        assert n == min(3, families[family]), family
    assert "steel" in html  # the group notebook 01 missed


# --------------------------------------------------------------------------------------
# 6. Pages are counted from 0 wherever they are shown
# --------------------------------------------------------------------------------------


def test_page_numbers_in_captions_are_those_of_the_tables(tmp_path):
    corpus = pc.build(tmp_path)
    html = corpus.thumbnails(kind="all").to_html()
    pages = set(corpus.images["page"])
    shown = {int(p) for p in re.findall(r"(?:view|canvas|sectional|page), page (\d+)", html)}
    assert shown and shown <= pages
    assert corpus.show("B-plain").page == 0 and "page 0" in repr(corpus.show("B-plain"))


# --------------------------------------------------------------------------------------
# 7. The folder trap
# --------------------------------------------------------------------------------------


def _write(folder: Path, files: dict[str, dict]) -> Path:
    for name, obj in files.items():
        builders.write_json(folder / name, obj)
    return folder


def test_one_drawings_answers_in_a_bare_folder_are_warned_about(tmp_path):
    folder = _write(
        tmp_path / "WF-1012",
        {"meta.json": builders.meta_data(), "features.json": builders.features(), "insights.json": builders.insights()},
    )
    corpus = wf.load(folder)
    assert len(corpus) == 3  # loaded as it is, but not silently
    (row,) = corpus.problems[corpus.problems["location"] == "folder"].itertuples(index=False)
    assert row.severity == "warning" and row.source == str(folder)
    assert "3 response files each answer one different ask" in row.message and "sub-folder" in row.message
    assert len(wf.load(tmp_path)) == 1  # the folder above: one drawing, as the warning says
    assert (wf.load(tmp_path).problems["location"] != "folder").all()


_ASKS = ["META_DATA", "FEATURES", "INSIGHTS", "REFERENCE_POSITIONS", "BALLOONS", "REDACTION"]


@settings(max_examples=40, deadline=None)
@given(asks=st.lists(st.sampled_from(_ASKS), min_size=1, max_size=8), others=st.integers(0, 6))
def test_a_folder_is_warned_about_exactly_when_its_files_each_answer_one_different_ask(tmp_path_factory, asks, others):
    # the rule, stated here on its own: two or more files, each one ask, no ask twice; and the
    # drawings of other folders in the same load (any number, any asks) change nothing
    root = tmp_path_factory.mktemp("load")
    folder = _write(root / "bare", {f"f{i}.json": {"ask_type": a} for i, a in enumerate(asks)})
    for j in range(others):
        _write(root / "others", {f"o{j}.json": {"ask_type": _ASKS[j % len(_ASKS)]}})
    sources = [folder] + ([root / "others"] if others else [])
    corpus = wf.load(sources, cache=False)
    warned = corpus.table("problems").query("location == 'folder'")["source"].tolist()
    trap = len(asks) >= 2 and len(set(asks)) == len(asks)
    others_trap = 2 <= others <= len(_ASKS)
    assert warned == [str(folder)] * trap + [str(root / "others")] * others_trap


def test_folders_of_several_drawings_are_not_warned_about(tmp_path, sample):
    same_ask = _write(tmp_path / "a", {"x.json": builders.meta_data(), "y.json": builders.meta_data()})
    full = _write(tmp_path / "b", {"x.json": builders.all_responses(), "y.json": builders.all_responses()})
    for folder in (same_ask, full):
        assert not (wf.load(folder).table("problems")["location"] == "folder").any()
    assert not (sample.table("problems")["location"] == "folder").any()


# --------------------------------------------------------------------------------------
# 8. Harmless notes do not drown the problems
# --------------------------------------------------------------------------------------


@pytest.fixture
def noted(tmp_path) -> wf.Corpus:
    """Two info rows (stray files) and one warning (an unknown mass unit)."""
    meta = builders.meta_data()
    meta["weight"] = {"value": "2", "unit": "stone"}
    _write(tmp_path / "r", {"d.json": meta})
    (tmp_path / "r" / "photo.jpg.bak").write_bytes(b"x")
    (tmp_path / "r" / "notes.docx").write_bytes(b"x")
    return wf.load(tmp_path / "r")


def test_problems_leave_info_out_and_the_whole_table_is_one_step_away(noted):
    every = noted.table("problems")
    assert sorted(every["severity"]) == ["info", "info", "warning"]
    assert noted.problems["severity"].tolist() == ["warning"]
    pd.testing.assert_frame_equal(noted.problems, every[every["severity"] != "info"].reset_index(drop=True))
    assert repr(noted).endswith("problems so far: 0 errors, 1 warning (+2 info)>")
    assert len(noted.tables()["problems"]) == 3  # exports and tables() keep everything


def test_the_report_and_the_cli_count_every_problem(noted, capsys, tmp_path):
    summary = wf.report(noted, max_thumbnails=1, n_tightest=1).html
    assert "reading warnings (+2 info)" in summary
    assert summary.count('<td class="sev-info">info</td>') == 2  # the problems section lists them
    folder = tmp_path / "r"
    code = cli.main(["summary", str(folder)])
    out, _ = capsys.readouterr()
    assert code == 0 and "problems (0 errors, 1 warning, 2 info):" in out


# --------------------------------------------------------------------------------------
# 9. The report's and the drawing view's rough edges
# --------------------------------------------------------------------------------------


def test_general_tolerances_in_use_say_none_instead_of_a_blank_row(sample):
    html = wf.report(sample, max_thumbnails=1, n_tightest=1).html
    table = html.split("<h3>General tolerances in use</h3>", 1)[1].split("</table>", 1)[0]
    first_cells = re.findall(r"<tr><td[^>]*>([^<]*)</td>", table)
    assert "(none)" in first_cells and "" not in first_cells
    assert sample.metadata["general_tolerance_standard"].isna().any()


def test_the_legend_names_features_without_a_size_apart_from_untoleranced_sizes(sample):
    html = sample.show("WF-1012", color_by="tolerance_source").to_html()
    legend = html.split("tolerance_source: ", 1)[1].split("</div>", 1)[0]
    names = re.findall(r"</span>([^<]+)</span>", legend)
    assert "(none)" not in names and "none" in names and "no size" in names


def test_crops_of_vertical_labels_are_turned_and_fill_the_box(sample):
    pos = sample.positions[sample.positions["coordinate_space"] == "PIXEL_SPACE"]
    tall = pos[(pos["y_max"] - pos["y_min"]) > 2 * (pos["x_max"] - pos["x_min"])]
    rows = sample.dimensions.merge(tall[["drawing_id", "page", "reference_id"]]).head(5)
    assert len(rows) == 5
    sizes = re.findall(r'<img src="data:image/png;base64,[^"]+" width="(\d+)" height="(\d+)"', rows.w24.crops().html)
    assert len(sizes) == 5
    for w, h in sizes:
        assert int(w) > int(h) and int(w) >= 150, (w, h)  # was 57-72 px wide, upright and stretched


def test_report_tables_keep_their_width_on_a_narrow_screen(sample):
    html = wf.report(sample, max_thumbnails=1, n_tightest=1).html
    assert "table.w24{border-collapse:collapse;font-size:13px;background:#fff;width:max-content}" in html
    assert "table.w24 td{max-width:42em}" in html  # measured in the browser: tests/test_browser.py


# --------------------------------------------------------------------------------------
# 10. The gallery
# --------------------------------------------------------------------------------------


def test_the_gallery_filters_show_their_choice_and_offer_material_families(sample):
    pytest.importorskip("ipywidgets")
    gallery = sample.gallery()
    for dropdown in (gallery.material, gallery.family, gallery.it_grade):
        assert dropdown.index == 0 and dropdown.get_state()["index"] == 0  # not None: an empty box
    gallery.add(sample.select(sample.drawing_ids[:3]))  # new choices keep a shown selection
    assert gallery.family.index == 0
    labels = [label for label, _ in gallery.family.options]
    assert labels[0] == "(all)" and "steel (29)" in labels
    assert not [label for label in labels if label.isupper()]  # no raw codes such as FERROUS_ALLOY


def test_each_tile_opens_its_drawing(sample):
    pytest.importorskip("ipywidgets")
    gallery = sample.gallery(page_size=4)
    tiles = re.findall(r'<div class="w24-tile" data-w24-tile="(\d)"[^>]*onclick="([^"]+)"', gallery.grid.value)
    assert [int(i) for i, _ in tiles] == [0, 1, 2, 3]
    assert all(f"querySelectorAll('.w24-open button')[{i}]" in js for i, js in tiles)
    assert "w24-gallery" in gallery._dom_classes and "w24-open" in gallery.open_buttons._dom_classes
    gallery.select("WF-1012")  # a drawing number opens it too
    assert gallery.detail_box.layout.display is None and "WF-1012" in gallery.detail.value


# --------------------------------------------------------------------------------------
# 11. The audit
# --------------------------------------------------------------------------------------


def _chamfer_radius_bore(general: dict | None) -> wf.Corpus:
    feats = builders.features()
    meta = _meta("N-1")
    if general:
        meta["general_tolerances"] = general
    responses = [
        meta,
        {
            "ask_type": "FEATURES",
            "chamfers": feats["chamfers"],
            "radii": feats["radii"],
            "bores": feats["bores"],
            "threads": feats["threads"],
        },
    ]
    return wf.from_responses(responses, drawing_id="n1")


def test_sizes_of_every_table_without_any_tolerance_are_found():
    found = wf.audit(_chamfer_radius_bore(None))
    flagged = found[found["check"] == "no_tolerance"]
    assert set(flagged["table"]) == {"chamfers", "radii", "bores"}  # threads: toleranced by their class
    stated = wf.audit(_chamfer_radius_bore({"tolerance_standard": "ISO 2768", "tolerance_class": "m"}))
    assert not (stated["check"] == "no_tolerance").any()


def test_the_audit_has_a_per_drawing_summary(sample):
    findings = wf.audit(sample)
    per = wf.audit_summary(sample, findings)
    assert per.index.tolist() == sample.drawing_ids
    counts = findings.groupby(["drawing_id", "severity"]).size()
    for d, row in per.iterrows():
        for sev in ("error", "warning", "info"):
            assert row[f"n_{sev}"] == counts.get((d, sev), 0)
        assert set(filter(None, row["checks"].split(", "))) == set(findings.loc[findings["drawing_id"] == d, "check"])
    assert (per["n_findings"] == per[["n_error", "n_warning", "n_info"]].sum(axis=1)).all()
    assert "Drawings with findings" in wf.report(sample, max_thumbnails=1, n_tightest=1).html


# --------------------------------------------------------------------------------------
# 12. The command line
# --------------------------------------------------------------------------------------


def test_cli_lines_have_no_stray_space_nor_empty_lists(tmp_path, capsys):
    (tmp_path / "garbage.json").write_text("garbage{")
    (tmp_path / "empty.json").write_text("{}")
    (tmp_path / "meta.json").write_text(json.dumps({"ask_type": "META_DATA"}))
    code = cli.main(["summary", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert f"{tmp_path / 'garbage.json'} line 1: not valid JSON" in out and "garbage.json :" not in out
    assert "keys: )" not in out and "(no ask_type; an empty object)" in out
    assert "Empty DataFrame" not in out and "(no dimensions, bores, chamfers or radii)" in out


def test_summary_without_a_source_shows_its_own_usage(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["summary"])
    assert exit_.value.code == 2
    _, err = capsys.readouterr()
    assert err.startswith("usage: werk24-frames summary")


def test_the_readme_report_is_ignored_by_git():
    out = subprocess.run(
        ["git", "check-ignore", "werk24_frames_report.html"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode == 128:
        pytest.skip("not a git checkout")
    assert out.stdout.strip() == "werk24_frames_report.html"


# --------------------------------------------------------------------------------------
# 13. Tab completion and docstrings
# --------------------------------------------------------------------------------------


def test_tab_completion_offers_only_public_names():
    names = dir(wf)
    assert not {"annotations", "version", "PackageNotFoundError"} & set(names)
    assert {"Corpus", "load", "sample_corpus", "Drawing", "audit_summary"} <= set(names)


def test_every_public_corpus_member_has_numpydoc_examples():
    public = [n for n in dir(wf.Corpus) if not n.startswith("_")]
    lacking = [n for n in public if "Examples\n" not in inspect.getdoc(getattr(wf.Corpus, n)) + "\n"]
    assert not lacking, lacking
    for func in (wf.load, wf.from_responses, wf.from_messages, wf.audit_summary):
        assert "Examples" in (func.__doc__ or "")


def test_the_code_in_loading_md_on_names_selecting_and_iterating_runs():
    text = (ROOT / "docs" / "loading.md").read_text(encoding="utf-8")
    part = text.split("## Naming a drawing", 1)[1].split("## Tables are yours to change", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", part, flags=re.DOTALL)
    assert len(blocks) == 2
    namespace: dict[str, object] = {"wf": wf}
    for code in blocks:
        exec(compile(code, "docs/loading.md", "exec"), namespace)
    assert len(namespace["steel"]) == 29
