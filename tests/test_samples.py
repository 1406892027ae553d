"""The built-in synthetic sample corpus: variety, validity and consistency."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import werk24_frames as wf
from werk24_frames._store import content_id
from werk24_frames.samples import sample_path

ASKS = {"META_DATA", "FEATURES", "INSIGHTS", "REFERENCE_POSITIONS", "SHEET_IMAGES"}
# Densities in g/cm³ (handbook values; e.g. EN 10088-1 for 1.4301, EN 573 datasheets).
DENSITY = {
    "S235JR": 7.85,
    "C45": 7.85,
    "42CrMo4": 7.85,
    "20MnCr5": 7.85,
    "16MnCr5": 7.85,
    "X5CrNi18-10": 7.9,
    "X2CrNiMo17-12-2": 8.0,
    "EN AW-6082 T6": 2.7,
    "EN AW-7075": 2.81,
    "6061-T6": 2.7,
    "CuZn39Pb3": 8.47,
    "POM-C": 1.41,
    "PA6": 1.14,
}


@pytest.fixture(scope="module")
def sample() -> wf.Corpus:
    return wf.sample_corpus()


def test_loads_from_package_data_with_every_ask_and_no_problem(sample):
    assert len(sample) >= 40
    asks = sample.metadata.set_index("drawing_id")["asks"].str.split("|")
    assert all(set(a) >= ASKS for a in asks)
    assert sample.table("problems").empty
    assert (sample.images["kind"] == "view").sum() >= 3


def test_stored_as_the_live_store_stores_reads(sample):
    root = sample_path()
    for did in sample.drawing_ids:
        folder = root / did
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["synthetic"] is True and manifest["drawing_id"] == did
        assert content_id((folder / "sheet_0.png").read_bytes()) == did
    sources = sample.metadata.set_index("drawing_id")["source"]
    assert sources.str.match(r"WF-\d{4} \w+\.pdf").all()


def test_answers_validate_against_the_sdk_models(sample):
    responses = pytest.importorskip("werk24.models.v2.responses")
    models = {
        "META_DATA": responses.ResponseMetaDataComponentDrawing,
        "FEATURES": responses.ResponseFeaturesComponentDrawing,
        "INSIGHTS": responses.ResponseInsightsComponentDrawing,
        "REFERENCE_POSITIONS": responses.ResponseReferencePositions,
        "BALLOONS": responses.ResponseBalloons,
        "PAGE_ASSESSMENT": responses.ResponsePageAssessment,
        "DOCUMENT_PROFILE": responses.ResponseDocumentProfile,
    }
    checked = 0
    for did in sample.drawing_ids:
        for ask, model in models.items():
            msgs = json.loads((sample_path() / did / f"{ask}.json").read_text())
            for m in msgs:
                payload = m["payload_dict"]
                parsed = model.model_validate(payload)
                for key, value in payload.items():
                    if isinstance(value, list):
                        assert len(getattr(parsed, key)) == len(value), (did, ask, key)
                checked += 1
    assert checked == len(models) * len(sample)


def test_every_located_feature_has_a_balloon_beside_it(sample):
    feats = sample.features[sample.features["item_index"].notna()]
    b = sample.balloons.merge(sample.positions, on=["drawing_id", "reference_id"], how="left")
    assert len(sample.balloons) == len(feats.merge(sample.positions, on=["drawing_id", "reference_id"]))
    assert b["x_min"].notna().all()  # every balloon numbers a located item
    # The centre sits at most a balloon's radius off the feature's box, above and left of it.
    assert ((b["x_min"] - b["center_x"]).between(-1, 12) | (b["center_x"] == 10)).all()
    assert ((b["y_min"] - b["center_y"]).between(-1, 12) | (b["center_y"] == 10)).all()


def test_a_job_shops_mix(sample):
    m = sample.metadata
    assert set(m["designation"]) >= {
        "DRIVE SHAFT",
        "BUSHING",
        "LOCATING PIN",
        "MOUNTING PLATE",
        "BRACKET",
        "BEARING HOUSING",
        "COVER SHEET",
    }
    assert set(sample.insights["primary_process"]) == {"TURNING", "MILLING", "CUTTING"}
    inch = m[m["unit_system"] == "IMPERIAL"]
    assert len(inch) >= 5
    assert (inch["weight_unit"] == "lb").all() and (inch["projection_method"] == "THIRD_ANGLE").all()
    metric = m[m["unit_system"] == "METRIC"]
    assert set(metric["general_tolerance_linear_class"].dropna()) >= {"f", "m", "c"}
    assert metric["general_tolerance_geometric_class"].notna().any()
    assert metric["general_tolerance_class"].str.fullmatch(r"[fmc]").any()
    assert (metric["general_tolerance_standard"] == "DIN 7168").any()
    assert metric["general_tolerance_standard"].isna().any()  # one drawing without general tolerance
    assert m["material"].nunique() >= 10 and (m["n_material_options"] >= 2).any()
    assert set(m["material"]) <= set(DENSITY)


def test_features_look_real(sample):
    dims = sample.dimensions
    per_drawing = dims.groupby("drawing_id").size()
    assert per_drawing.between(10, 60).all()
    sources = dims["tolerance_source"].value_counts()
    assert {"explicit", "fit", "general", "exact", "reference"} <= set(sources.index)
    fits = pd.concat([dims["fit"], sample.bores["fit"]]).dropna()
    assert {"H7", "H8", "g6", "h6", "k6", "p6"} <= set(fits)
    assert (dims["tolerance_width_mm"] <= 0.03).any()  # a tail of tight tolerances
    threads = sample.threads
    assert {"ISO_METRIC", "UTS", "NPT"} <= set(threads["thread_type"])
    assert threads["label"].str.contains(r"^M\d+x", regex=True).any()  # metric fine
    assert threads["depth"].notna().any()
    g = sample.gdnts
    assert g["characteristic_name"].nunique() >= 4
    assert (g["n_datums"] >= 3).any() and (g["material_condition"] == "Ⓜ").any()
    bores = sample.bores
    assert bores["counterbore_diameter"].notna().any() and bores["countersink_diameter"].notna().any()
    for name in ("chamfers", "radii", "roughnesses", "undercuts", "center_holes", "key_slots"):
        assert len(sample.table(name)), name
    conf = sample.features["confidence"].dropna()
    assert conf.median() > 0.8 and (conf < 0.6).any()


def test_the_audit_finds_the_deliberate_problems(sample):
    a = wf.audit(sample)
    assert (a["check"] == "fit_mismatch").sum() == 1
    untoleranced = a[a["check"] == "no_tolerance"]
    no_general = sample.metadata.set_index("drawing_id").loc[untoleranced["drawing_id"], "unit_system"]
    assert (no_general == "METRIC").any()


def test_weights_follow_from_volume_and_density(sample):
    m = sample.metadata.set_index("drawing_id")
    ins = sample.insights.set_index("drawing_id")
    cm3 = np.where(ins["volume_unit"] == "in³", ins["volume"] * 2.54**3, ins["volume"])
    expected_kg = pd.Series(cm3, index=ins.index) * m["material"].map(DENSITY).reindex(ins.index) / 1000
    # The title block prints 3 decimals: equal to within 1 % or half the last printed digit.
    assert np.allclose(m["weight_kg"].reindex(ins.index), expected_kg, rtol=0.01, atol=0.0006)


def test_every_feature_has_a_polygon_inside_its_sheet(sample):
    pos = sample.positions
    sheets = sample.images[sample.images["kind"] == "sheet"].set_index("drawing_id")
    feats = sample.features[["drawing_id", "reference_id"]]
    merged = feats.merge(pos, on=["drawing_id", "reference_id"], how="left")
    assert merged["x_min"].notna().all()
    merged = merged.join(sheets[["width", "height"]], on="drawing_id")
    assert (merged["x_min"] >= 0).all() and (merged["y_min"] >= 0).all()
    assert (merged["x_max"] <= merged["width"]).all() and (merged["y_max"] <= merged["height"]).all()
    assert (merged["x_max"] > merged["x_min"]).all() and (merged["y_max"] > merged["y_min"]).all()


def test_images_decode(sample):
    from PIL import Image

    imgs = sample.images
    for row in imgs.itertuples(index=False):
        data = sample.image(row.drawing_id, kind=row.kind, page=row.page, index=row.image_index)
        img = Image.open(io.BytesIO(data))
        img.load()
        assert img.size == (row.width, row.height)
    total = sum(p.stat().st_size for p in Path(sample_path()).rglob("*") if p.is_file())
    assert total < 5e6


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path, sample):
    """Regenerating gives the same answers (images may differ with the matplotlib version)."""
    pytest.importorskip("matplotlib")
    from werk24_frames.samples.generate import generate

    generate(tmp_path / "again", n=3)
    again = wf.load(tmp_path / "again")
    for table in ("metadata", "dimensions", "threads", "bores"):
        cols = [c for c in sample.table(table).columns if c not in ("drawing_id", "source", "weight_kg")]
        fresh = again.table(table)
        numbers = dict(zip(again.metadata["drawing_id"], again.metadata["drawing_number"], strict=True))
        committed_ids = sample.metadata.set_index("drawing_number").loc[list(numbers.values()), "drawing_id"]
        old = sample.table(table)
        old = old[old["drawing_id"].isin(set(committed_ids))]
        old = old.assign(n=old["drawing_id"].map(dict(zip(committed_ids, committed_ids.index, strict=True))))
        new = fresh.assign(n=fresh["drawing_id"].map(numbers))
        pd.testing.assert_frame_equal(
            old.sort_values(["n", *cols[:2]])[cols].reset_index(drop=True),
            new.sort_values(["n", *cols[:2]])[cols].reset_index(drop=True),
        )


# --------------------------------------------------------------------------------------
# The revisions sample (issue 21)
# --------------------------------------------------------------------------------------


def test_the_revisions_sample_is_small_synthetic_and_complete():
    revs = wf.sample_corpus("revisions")
    assert len(revs) == 13
    total = sum(p.stat().st_size for p in Path(sample_path("revisions")).rglob("*") if p.is_file())
    assert total < 2e6
    assert revs.table("problems").query("severity != 'info'").empty
    numbers = revs.metadata["drawing_number"].tolist()
    assert numbers.count("WF-2001") == 3 and {"WF-2002 Rev A", "WF-2002 Rev. B"} <= set(numbers)
    for manifest in Path(sample_path("revisions")).glob("*/manifest.json"):
        assert '"synthetic": true' in manifest.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="no sample 'other'"):
        sample_path("other")


@pytest.mark.slow
def test_the_revisions_generator_is_deterministic(tmp_path):
    """Regenerating gives the same answers, drawing by drawing (matched by source file)."""
    pytest.importorskip("matplotlib")
    from werk24_frames.samples.generate import generate_revisions

    generate_revisions(tmp_path / "again")
    again, committed = wf.load(tmp_path / "again"), wf.sample_corpus("revisions")
    for table in ("metadata", "identifiers", "notes", "dimensions", "threads", "bores"):
        cols = [c for c in committed.table(table).columns if c not in ("drawing_id", "weight_kg")]
        a = again.table(table)[cols].sort_values(["source", *[c for c in ("reference_id",) if c in cols]])
        b = committed.table(table)[cols].sort_values(["source", *[c for c in ("reference_id",) if c in cols]])
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False)
