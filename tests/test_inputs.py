"""Every input format wf.load and the in-memory constructors accept."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import builders
import pandas as pd
import pytest

import werk24_frames as wf

RID = "5b354d9e-3ace-4103-9e8d-b3685ca5bec5"


def _counts(c: wf.Corpus) -> dict[str, int]:
    return {name: len(df) for name, df in c.tables().items() if name != "problems"}


@pytest.fixture
def reference_counts(full) -> dict[str, int]:
    return _counts(full)


def test_single_response_object(tmp_path):
    path = builders.write_json(tmp_path / "WK2401.json", builders.features())
    c = wf.load(path)
    assert c.drawing_ids == ["WK2401"]
    assert len(c.dimensions) == 7
    assert set(c.dimensions["source"]) == {str(path)}


def test_list_of_responses_is_one_drawing(tmp_path, reference_counts):
    path = builders.write_json(tmp_path / "part-17.json", builders.all_responses())
    c = wf.load(str(path))
    assert c.drawing_ids == ["part-17"]
    assert _counts(c) == reference_counts
    assert c.table("problems").empty


def test_list_of_messages_in_a_json_file(tmp_path, reference_counts):
    path = builders.write_json(tmp_path / "saved.json", builders.messages())
    c = wf.load(path)
    assert c.drawing_ids == ["saved"]
    assert c.metadata.loc[0, "request_id"] == RID
    assert _counts(c) == reference_counts


def test_jsonl_cli_output(tmp_path, reference_counts):
    path = builders.write_jsonl(tmp_path / "out.jsonl", builders.messages())
    c = wf.load(path)
    assert c.drawing_ids == ["out"]
    assert _counts(c) == reference_counts


def test_pretty_jsonl_cli_output(tmp_path, reference_counts):
    # `werk24 techread --pretty` prints indented objects one after another.
    text = "\n".join(json.dumps(m, indent=2, ensure_ascii=False) for m in builders.messages())
    path = tmp_path / "pretty.jsonl"
    path.write_text(text, encoding="utf-8")
    c = wf.load(path)
    assert _counts(c) == reference_counts
    assert c.table("problems").empty


def test_jsonl_with_several_requests_gives_several_drawings(tmp_path):
    a = builders.messages(request_id="11111111-1111-4111-8111-111111111111")
    b = builders.messages(request_id="22222222-2222-4222-8222-222222222222")
    path = builders.write_jsonl(tmp_path / "batch.jsonl", a + b)
    c = wf.load(path)
    assert c.drawing_ids == [
        "batch:11111111-1111-4111-8111-111111111111",
        "batch:22222222-2222-4222-8222-222222222222",
    ]
    assert c.dimensions.groupby("drawing_id").size().tolist() == [7, 7]
    # raw_responses gives back each drawing's own messages only.
    raw = c.raw_responses("batch:22222222-2222-4222-8222-222222222222")
    assert {m["request_id"] for m in raw} == {"22222222-2222-4222-8222-222222222222"}
    assert len(raw) == 4


def test_folder_of_files_and_subfolders(tmp_path, reference_counts):
    root = tmp_path / "responses"
    builders.write_json(root / "A-1.json", builders.all_responses())
    builders.write_jsonl(root / "B-2.jsonl", builders.messages())
    sub = root / "C-3"
    for r in builders.all_responses():
        builders.write_json(sub / f"{r['ask_type'].lower()}.json", r)
    (sub / "sheet_0.png").write_bytes(builders.png(30, 20))
    (sub / "view_0_1.png").write_bytes(builders.png(8, 6))
    c = wf.load(root)
    assert c.drawing_ids == ["A-1", "B-2", "C-3"]
    per = c.dimensions.groupby("drawing_id").size().to_dict()
    assert per == {"A-1": 7, "B-2": 7, "C-3": 7}
    imgs = c.images.set_index("kind")
    assert imgs.loc["sheet", "drawing_id"] == "C-3"
    assert (imgs.loc["sheet", "width"], imgs.loc["sheet", "height"], imgs.loc["sheet", "format"]) == (30, 20, "png")
    assert (imgs.loc["view", "page"], imgs.loc["view", "width"]) == (0, 8)
    assert c.image("C-3", "sheet") == builders.png(30, 20)
    assert len(c.raw_responses("C-3")) == 4
    assert c.table("problems").empty, c.table("problems").to_string()


def test_list_of_paths(tmp_path):
    a = builders.write_json(tmp_path / "x" / "one.json", builders.features())
    b = builders.write_json(tmp_path / "y" / "two.json", builders.meta_data())
    c = wf.load([a, b])
    assert c.drawing_ids == ["one", "two"]
    assert c.metadata.set_index("drawing_id").loc["two", "drawing_number"] == "DWG-0815"


def test_drawing_ids_are_stable_across_loads(tmp_path):
    root = tmp_path / "r"
    for name in ("b", "a", "c"):
        builders.write_json(root / f"{name}.json", builders.features())
    first = wf.load(root)
    second = wf.load(root)
    assert first.drawing_ids == second.drawing_ids == ["a", "b", "c"]
    pd.testing.assert_frame_equal(first.dimensions, second.dimensions)


def test_repeated_stem_gets_a_suffix_and_a_problem(tmp_path):
    a = builders.write_json(tmp_path / "x" / "same.json", builders.features())
    b = builders.write_json(tmp_path / "y" / "same.json", builders.features())
    c = wf.load([a, b])
    assert c.drawing_ids == ["same", "same~2"]
    p = c.table("problems")
    assert p["message"].str.contains("used by an earlier input").sum() == 1
    assert p.loc[0, "severity"] == "warning"


def test_from_responses_with_sdk_models(reference_counts):
    responses = pytest.importorskip("werk24.models.v2.responses")
    models = [
        responses.ResponseMetaDataComponentDrawing.model_validate(builders.meta_data()),
        responses.ResponseFeaturesComponentDrawing.model_validate(builders.features()),
        responses.ResponseInsightsComponentDrawing.model_validate(builders.insights()),
        responses.ResponseReferencePositions.model_validate(builders.reference_positions()),
    ]
    c = wf.from_responses(models, drawing_id="sdk")
    assert _counts(c) == reference_counts
    assert c.table("problems").empty, c.table("problems").to_string()
    dims = c.dimensions.set_index("reference_id")
    assert dims.loc[100, "deviation_lower"] == -0.1  # Decimal("-0.1") dumped as a string, read back


def test_from_responses_mapping():
    c = wf.from_responses({"a": builders.all_responses(), "b": [builders.features()]})
    assert c.drawing_ids == ["a", "b"]
    assert c.metadata.set_index("drawing_id").loc["b", "asks"] == "FEATURES"


def test_from_messages_with_sdk_objects_keeps_image_bytes():
    sdk = pytest.importorskip("werk24")
    msgs = [sdk.TechreadMessage.model_validate(m) for m in builders.messages()]
    image = sdk.TechreadMessage.model_validate(
        {
            "request_id": RID,
            "message_type": "ASK",
            "message_subtype": "SHEET_IMAGES",
            "page_number": 0,
            "payload_dict": None,
            "payload_url": "https://localhost:8443/payload/sheet_0.png",
            "exceptions": [],
        }
    )
    image.payload_bytes = builders.png(40, 10)
    c = wf.from_messages([*msgs, image])
    assert c.drawing_ids == [RID]
    assert len(c.dimensions) == 7
    img = c.images.iloc[0]
    assert (img["kind"], img["available"], img["width"], img["height"]) == ("sheet", True, 40, 10)
    assert img["url"] == "https://localhost:8443/payload/sheet_0.png"
    assert c.image(RID) == builders.png(40, 10)


def test_legacy_thumbnail_messages_become_images():
    msgs = [
        {
            "request_id": RID,
            "message_type": "ASK",
            "message_subtype": "SECTIONAL_THUMBNAIL",
            "page_number": 0,
            "payload_dict": {"canvas_id": k // 2, "sectional_id": k},
            "payload_url": f"https://localhost:8443/payload/sectional_{k}.jpg",
            "exceptions": [],
        }
        for k in range(3)
    ]
    c = wf.from_messages(msgs)
    imgs = c.images
    assert imgs["kind"].tolist() == ["sectional"] * 3
    assert imgs["canvas_id"].tolist() == ["0", "0", "1"]
    assert imgs["sectional_id"].tolist() == ["0", "1", "2"]
    assert imgs["image_index"].tolist() == [0, 1, 2]
    assert not imgs["available"].any()
    with pytest.raises(LookupError, match="not stored, only linked"):
        c.image(RID, "sectional", index=1)
    with pytest.raises(LookupError, match="has no sheet image"):
        c.image(RID, "sheet")


def test_several_pages_are_kept_apart():
    msgs = builders.messages([builders.features()])
    second = json.loads(json.dumps(msgs[0]))
    second["page_number"] = 1
    c = wf.from_messages([*msgs, second])
    assert c.dimensions.groupby("page").size().to_dict() == {0: 7, 1: 7}
    assert c.metadata.loc[0, "n_pages"] == 2


def test_missing_path_raises_naming_it(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(wf.SourceError, match=r"no such file or folder: .*nope"):
        wf.load(missing)


def test_nothing_readable_raises_naming_the_folder(tmp_path):
    (tmp_path / "drawing.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(wf.SourceError, match=re.escape(f"nothing readable in '{tmp_path}'")):
        wf.load(tmp_path)


def test_single_malformed_file_raises_with_the_reason(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not JSON at all", encoding="utf-8")
    with pytest.raises(wf.SourceError, match=r"bad\.json line 1: not valid JSON"):
        wf.load(bad)


def test_a_truncated_file_is_read_as_far_as_it_goes(tmp_path):
    features = builders.features()
    text = json.dumps(features, indent=2)
    cut = text.index('"reference_id": 103')  # in the middle of the fourth dimension
    bad = builders.write_json(tmp_path / "bad.json", None)
    bad.write_text(text[:cut], encoding="utf-8")
    c = wf.load(bad)
    ids = c.dimensions["reference_id"]
    assert ids.tolist()[:3] == [100, 101, 102] and len(ids) == 4 and pd.isna(ids[3])  # the fourth was cut
    errors = c.problems.loc[c.problems["severity"] == "error", "message"].tolist()
    assert errors == [
        "the object opened at line 1 is never closed",
        "the list opened at line 5 is never closed",
        "the object opened at line 73 is never closed",
    ]


def test_examples_folder(examples):
    c = wf.load(examples)
    assert c.drawing_ids == [
        "cli_techread_output",
        "cli_techread_output_with_error",
        "docs_features",
        "docs_insights",
        "docs_meta_data",
    ]
    meta = c.metadata.set_index("drawing_id")
    assert meta.loc["cli_techread_output", "drawing_number"] == "WK2401"
    assert meta.loc["docs_meta_data", "weight_kg"] == 1.025
    assert meta.loc["cli_techread_output", "asks"] == "FEATURES|META_DATA|SHEET_IMAGES"
    # The docs' thread diameter is a bare "5": read as 5 mm (ISO metric), with an info row.
    t = c.threads.set_index("drawing_id")
    assert (t.loc["docs_features", "nominal"], t.loc["docs_features", "unit"]) == (5.0, "mm")
    assert t.loc["docs_features", "size_designation"] == "M5"
    # The docs' flat bore depth is read.
    b = c.bores.set_index("drawing_id")
    assert (b.loc["docs_features", "depth"], b.loc["docs_features", "depth_unit"]) == (13.4, "mm")
    # Confidence as a number (docs) and as a string (SDK) read alike.
    assert b["confidence"].tolist() == [0.94, 0.94]
    # The docs' chamfer has no confidence at all: NA, no problem.
    ch = c.chamfers.set_index("drawing_id")
    assert pd.isna(ch.loc["docs_features", "confidence"])
    ins = c.insights.iloc[0]
    assert (ins["primary_process"], bool(ins["requires_secondary_milling"]), ins["volume"]) == ("TURNING", True, 125.6)
    assert c.processes.loc[0, "process"] == "ANODIZING"
    img = c.images.iloc[0]
    assert (img["drawing_id"], img["kind"], img["available"]) == ("cli_techread_output", "sheet", False)
    assert img["url"].startswith("https://localhost:8443/payload/")
    p = c.table("problems")
    err = p[p["severity"] == "error"].iloc[0]
    assert err["drawing_id"] == "cli_techread_output_with_error"
    assert err["source"].endswith("cli_techread_output_with_error.jsonl")
    assert "DRAWING_CONTENT_NOT_UNDERSTOOD" in err["message"] and err["location"].startswith("line 1: INSIGHTS")
    assert set(p["severity"]) == {"error", "info"}
    info = p[p["severity"] == "info"]
    assert sorted(info["location"]) == [
        "FEATURES.bores[0].depth",
        "FEATURES.bores[0].depth.tolerance",
        "FEATURES.threads[0].diameter",
        "INSIGHTS.primary_process_options[0].process",
    ]


def test_command_line_summary(examples):
    out = subprocess.run(
        [sys.executable, "-m", "werk24_frames", "summary", str(examples)], capture_output=True, text=True, check=True
    ).stdout
    assert "5 drawings" in out
    assert "DRAWING_CONTENT_NOT_UNDERSTOOD" in out
    bad = subprocess.run(
        [sys.executable, "-m", "werk24_frames", "summary", "/no/such/dir"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "no such file or folder" in bad.stderr


def test_import_stays_light():
    code = (
        "import sys, werk24_frames as wf; "
        "wf.from_responses([{'ask_type': 'FEATURES', 'dimensions': []}]).dimensions; "
        "heavy = {'matplotlib', 'ipywidgets', 'PIL', 'httpx', 'werk24', 'pydantic', 'tqdm'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_relative_payload_file_in_a_stored_message(tmp_path):
    """A message that names its stored image file (as the live reader's store will) finds it."""
    folder = tmp_path / "store" / "abc123"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "sheet_0.png").write_bytes(builders.png(12, 9))
    msg = {
        "request_id": RID,
        "message_type": "ASK",
        "message_subtype": "SHEET_IMAGES",
        "page_number": 0,
        "payload_dict": None,
        "payload_url": None,
        "payload_file": "images/sheet_0.png",
        "exceptions": [],
    }
    builders.write_jsonl(folder / "SHEET_IMAGES.jsonl", [msg])
    c = wf.load(tmp_path / "store")
    assert len(c.images) == 1  # the file is not counted twice
    assert c.image("abc123") == builders.png(12, 9)
    assert Path(c.images.loc[0, "path"]).is_file()
