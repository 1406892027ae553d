"""Every table, checked value by value against the hand-built answers in builders.py."""

from __future__ import annotations

import math

import builders
import numpy as np
import pandas as pd
import pytest

import werk24_frames as wf
from werk24_frames import schema


def row(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"expected one row where {where}, got {len(sel)}"
    return sel.iloc[0]


@pytest.mark.parametrize("name", schema.table_names())
def test_every_table_has_schema_columns_and_dtypes(full, name):
    df = getattr(full, name)
    expected = schema.empty_frame(name)
    assert list(df.columns) == list(expected.columns)
    assert [str(t) for t in df.dtypes] == [str(t) for t in expected.dtypes]


@pytest.mark.parametrize("name", schema.table_names())
def test_empty_corpus_tables_keep_columns_and_dtypes(name):
    corpus = wf.from_responses([{"ask_type": "META_DATA"}])
    df = corpus.table(name)
    expected = schema.empty_frame(name)
    assert list(df.columns) == list(expected.columns)
    assert [str(t) for t in df.dtypes] == [str(t) for t in expected.dtypes]


def test_full_drawing_loads_without_problems(full):
    assert full.table("problems").empty, full.table("problems").to_string()


def test_row_counts_match_the_input(full):
    f = builders.features()
    for name in schema.FEATURE_TABLES:
        if name == "roughnesses":  # the drawing's general roughness is a row too
            r = full.roughnesses
            assert len(r[~r["is_general"]]) == len(f[name]) and r["is_general"].sum() == 1
            continue
        assert len(full.table(name)) == len(f[name]), name
    m = builders.meta_data()
    assert len(full.identifiers) == len(m["identifiers"])
    assert len(full.designations) == len(m["designation"])
    assert len(full.notes) == len(m["notes"])
    assert len(full.certifications) == len(m["certifications"])
    assert len(full.bill_of_material) == len(m["bill_of_material"]["rows"])
    bom_materials = [o for r in m["bill_of_material"]["rows"] for o in r.get("material_options") or []]
    assert len(full.materials) == sum(
        max(1, len(o["material_combination"])) for o in [*m["material_options"], *bom_materials]
    )
    assert len(full.processes) == len(builders.insights()["secondary_processes"])
    assert len(full.positions) == len(builders.reference_positions()["reference_positions"])
    assert len(full.features) == sum(len(f[n]) for n in schema.FEATURE_TABLES) + 1  # + the general roughness
    assert len(full.roughness_conditions) == 2
    assert len(full.metadata) == 1
    assert len(full.insights) == 1


def test_dimensions_values(full):
    d = full.dimensions
    r = row(d, reference_id=100)
    assert r["label"] == "12 ±0.1"
    assert r["nominal"] == 12.0 and r["unit"] == "mm" and r["size_type"] == "LINEAR"
    assert r["deviation_lower"] == -0.1 and r["deviation_upper"] == 0.1
    assert r["tolerance_grade"] == "12"
    assert r["confidence"] == pytest.approx(0.96)
    assert r["quantity"] == 1 and r["drawing_id"] == "full" and r["source"] == "<memory>"
    fit = row(d, reference_id=101)
    assert fit["fit"] == "h6" and fit["size_type"] == "DIAMETER" and fit["quantity"] == 2
    assert math.isnan(fit["deviation_lower"])
    assert pd.isna(row(d, reference_id=102)["confidence"])
    assert bool(row(d, reference_id=102)["is_reference"]) is True
    assert bool(row(d, reference_id=103)["is_theoretically_exact"]) is True
    assert bool(row(d, reference_id=104)["is_general_tolerance"]) is True
    assert row(d, reference_id=104)["unit"] == "degree"
    assert bool(row(d, reference_id=105)["is_approximation"]) is True
    plain = row(d, reference_id=106)
    # No tolerance object: the flags are False (not NA), so they can be used as masks.
    assert [bool(plain[c]) for c in ("is_general_tolerance", "is_reference", "is_theoretically_exact")] == [
        False,
        False,
        False,
    ]
    assert list(d["item_index"]) == list(range(7))
    assert d[d["is_reference"]]["reference_id"].tolist() == [102]


def test_threads_values(full):
    t = full.threads
    m = row(t, reference_id=200)
    assert (m["thread_type"], m["size_designation"], m["pitch_mm"], m["threads_per_inch"]) == (
        "ISO_METRIC",
        "M8",
        1.0,
        25.4,
    )
    assert m["nominal"] == 8.0 and m["unit"] == "mm" and m["quantity"] == 3
    assert m["tolerance_class"] == "6g" and m["handedness"] == "RIGHT"
    assert (m["depth_type"], m["depth"], m["depth_unit"]) == ("SIZE", 16.0, "mm")
    u = row(t, reference_id=201)
    assert (u["size_designation"], u["series"], u["tolerance_class"], u["handedness"]) == ("1/4", "UNC", "2B", "LEFT")
    assert u["unit"] == "inch" and u["nominal"] == 0.25 and u["depth_type"] == "THROUGH" and math.isnan(u["depth"])
    n = row(t, reference_id=202)
    assert (n["size_designation"], n["series"]) == ("1/8", "NPT")
    assert pd.isna(n["depth_type"])


def test_bores_values(full):
    b = full.bores
    cb = row(b, reference_id=300)
    assert cb["quantity"] == 4 and cb["nominal"] == 6.6 and cb["depth_type"] == "THROUGH_ALL"
    assert (cb["counterbore_diameter"], cb["counterbore_diameter_unit"]) == (11.0, "mm")
    assert (cb["counterbore_depth_type"], cb["counterbore_depth"]) == ("SIZE", 6.8)
    assert math.isnan(cb["countersink_diameter"]) and pd.isna(cb["thread_reference_id"])
    h7 = row(b, reference_id=301)
    assert h7["fit"] == "H7" and (h7["deviation_lower"], h7["deviation_upper"]) == (0.0, 0.015)
    assert (h7["depth"], h7["depth_unit"]) == (15.0, "mm")
    assert (h7["countersink_diameter"], h7["countersink_angle"], h7["countersink_angle_unit"]) == (12.0, 90.0, "degree")
    assert (h7["counterdrill_diameter"], h7["counterdrill_depth"], h7["counterdrill_angle"]) == (10.5, 3.0, 118.0)
    assert h7["thread_reference_id"] == 200
    # The bore joins to its thread.
    joined = b.merge(full.threads, left_on="thread_reference_id", right_on="reference_id", suffixes=("", "_thread"))
    assert joined["label_thread"].tolist() == ["M8×1-6g"]


def test_chamfers_radii(full):
    c = row(full.chamfers, reference_id=400)
    assert (c["nominal"], c["angle"], c["angle_unit"], c["quantity"]) == (0.5, 45.0, "degree", 2)
    r = row(full.radii, reference_id=500)
    assert (r["nominal"], r["curvature_type"]) == (2.0, "CONCAVE")


def test_gdnts_values(full):
    g = full.gdnts
    pos = row(g, reference_id=600)
    assert (pos["characteristic"], pos["characteristic_name"]) == ("⌖", "position")
    assert (pos["zone_value"], pos["zone_value_unit"], pos["zone_shape"]) == (0.1, "mm", "diameter")
    assert (pos["material_condition"], pos["datums"], pos["n_datums"]) == ("Ⓜ", "A|B|C", 3)
    assert pd.isna(pos["quantity"])
    flat = row(g, reference_id=601)
    assert (flat["characteristic_name"], flat["zone_shape"], flat["zone_extent"]) == ("flatness", "width", 100.0)
    assert (flat["zone_combination"], flat["state"], flat["associated_feature"]) == ("CZ", "Ⓕ", "Ⓖ")
    assert (flat["reference_association"], flat["reference_parameter"]) == ("G", "P")
    assert pd.isna(flat["datums"]) and flat["n_datums"] == 0


def test_roughness_values(full):
    r = row(full.roughnesses, reference_id=700)
    assert (r["parameter"], r["value"], r["value_unit"], r["roughness_grade"]) == ("Ra", 0.8, "µm", "N6")
    assert (r["standard"], r["material_removal_type"], r["direction_of_lay"]) == ("ISO 21920-1:2021", "REQUIRED", "⟂")
    assert bool(r["applies_all_around"]) is True and r["n_conditions"] == 2
    assert (r["machining_allowance"], r["manufacturing_process"]) == (0.2, "ground")
    conds = full.roughness_conditions.sort_values("condition_index")
    assert conds["parameter"].tolist() == ["Ra", "Rz"]
    assert conds["value"].tolist() == [0.8, 4.0]
    assert conds["acceptance_criterion"].tolist() == ["16%", "max"]
    assert conds["reference_id"].tolist() == [700, 700]
    assert conds["lambda_c"].iloc[0] == 0.8


def test_other_feature_tables(full):
    u = row(full.undercuts, reference_id=800)
    assert (u["undercut_type"], u["standard"], u["form"], u["radius"], u["depth"]) == (
        "RELIEF_GROOVE",
        "DIN 509",
        "E",
        0.6,
        0.3,
    )
    k = row(full.key_slots, reference_id=900)
    assert (k["key_width"], k["key_height"], k["key_length"], k["form"]) == (8.0, 7.0, 40.0, "A")
    c = row(full.center_holes, reference_id=1000)
    assert (c["pilot_diameter"], c["outer_diameter"], c["requirement"], c["quantity"]) == (2.5, 5.3, "PERMITTED", 2)
    f = row(full.fasteners, reference_id=1100)
    assert (f["fastener_type"], f["manufacturer"], f["thread_type"], f["thread_diameter"], f["note"]) == (
        "PRESS_IN_NUT",
        "PEM",
        "ISO_METRIC",
        4.0,
        "from far side",
    )


def test_features_stack(full):
    feats = full.features
    assert feats.groupby("table").size().to_dict() == {
        name: len(builders.features()[name]) + (name == "roughnesses") for name in schema.FEATURE_TABLES
    }
    # Size columns come from each table's main size; kinds without a size are NA there.
    assert row(feats, reference_id=301)["nominal"] == 10.0
    assert pd.isna(row(feats, reference_id=600)["nominal"])
    assert row(feats, reference_id=200)["table"] == "threads"


def test_metadata_values(full):
    m = full.metadata.iloc[0]
    assert (m["drawing_number"], m["part_number"]) == ("DWG-0815", "P-4711")
    assert m["designation"] == "FLANSCHWELLE"
    assert (m["material"], m["material_standard"], m["material_category"], m["n_material_options"]) == (
        "42CrMo4",
        "EN 10083-3",
        "FERROUS_ALLOY",
        2,
    )
    assert (m["weight"], m["weight_unit"]) == (2.5, "lb")
    assert m["weight_kg"] == pytest.approx(2.5 * 0.45359237)
    assert (m["general_tolerance_standard"], m["general_tolerance_class"], m["general_tolerance_principle"]) == (
        "ISO 2768",
        "mK",
        "INDEPENDENCE",
    )
    assert (m["general_roughness"], m["projection_method"], m["unit_system"], m["languages"]) == (
        "Ra 3.2",
        "FIRST_ANGLE",
        "METRIC",
        "DEU|ENG",
    )
    assert m["page_type"] == "COMPONENT_DRAWING"
    assert m["asks"] == "FEATURES|INSIGHTS|META_DATA|REFERENCE_POSITIONS"
    assert m["n_pages"] == 1


def test_metadata_lists(full):
    ids = full.identifiers
    assert ids["identifier_type"].tolist() == ["PART_NUMBER", "DRAWING_NUMBER"]
    assert (row(ids, reference_id=3)["stakeholder"], row(ids, reference_id=3)["period"]) == ("OWNER", "CURRENT")
    assert full.designations["language"].tolist() == ["DEU", "ENG"]
    all_mats = full.materials
    mats = all_mats[all_mats["bom_row"].isna()]
    assert mats["option"].tolist() == [0, 1, 1] and mats["component"].tolist() == [0, 0, 1]
    # The bill of material's materials are rows too, with the row they belong to.
    bom_mats = all_mats[all_mats["bom_row"].notna()]
    assert bom_mats[["bom_row", "option", "component", "designation"]].values.tolist() == [[0, 0, 0, "C45"]]
    second = row(mats, designation="PTFE")
    assert (second["category_1"], second["category_2"], second["origin"]) == ("POLYMER", "THERMOPLAST", "CANVAS_NOTE")
    assert pd.isna(second["category_3"]) and second["reference_id"] == 8
    assert row(mats, designation="X5CrNi18-10")["raw_ocr"] == "1.4301"
    n = full.notes.iloc[0]
    assert (n["label"], n["note_type"], n["confidence"]) == ("Deburr all edges", "CANVAS_NOTE", 0.88)
    assert full.certifications["certification_type"].tolist() == ["MATERIAL_CERT_STANDARD"]
    bom = full.bill_of_material
    first = row(bom, position="1")
    assert (first["part_number"], first["quantity"], first["unit_weight"], first["material"]) == (
        "P-100",
        2.0,
        0.35,
        "C45",
    )
    screw = row(bom, position="2")
    assert (screw["fastener_type"], screw["fastener_designation"], screw["n_material_options"]) == (
        "SCREW",
        "ISO 4762 M5x12",
        0,
    )


def test_insights_and_processes(full):
    i = full.insights.iloc[0]
    assert (i["primary_process"], i["primary_processes"], bool(i["requires_secondary_milling"]), i["axis_count"]) == (
        "TURNING",
        "TURNING|MILLING",
        True,
        5,
    )
    assert (i["volume"], i["volume_unit"], i["volume_estimate_type"]) == (151.2, "cm³", "UPPER_BOUND_IGNORING_CAVITIES")
    assert (i["envelope_before_shape"], i["envelope_before_diameter"], i["envelope_before_length"]) == (
        "CYLINDER",
        45.0,
        125.0,
    )
    assert pd.isna(i["envelope_before_depth"])  # a cuboid's depth: there is no cuboid
    assert (i["envelope_after_shape"], i["envelope_after_width"], i["envelope_after_depth"]) == ("CUBOID", 40.0, 120.0)
    assert bool(i["envelope_after_annotations_complete"]) is False
    assert i["n_secondary_processes"] == 2
    p = full.processes
    ht = row(p, reference_id=1200)
    assert (ht["process"], ht["process_group"]) == ("QUENCHING_AND_TEMPERING", "CHANGING_MATERIAL_PROPERTIES")
    assert ht["process_category"] == "CHANGING_MATERIAL_PROPERTIES > HEAT_TREATMENT > QUENCHING_AND_TEMPERING"


def test_positions(full):
    pos = full.positions
    first = row(pos, reference_id=100)
    assert (first["x_min"], first["y_min"], first["x_max"], first["y_max"]) == (10.0, 20.0, 60.0, 35.0)
    assert first["coordinate_space"] == "PIXEL_SPACE"
    polygon = first["polygon"]
    assert polygon.tolist() == [10.0, 20.0, 60.0, 20.0, 60.0, 35.0, 10.0, 35.0]  # flat: x0, y0, x1, y1, ...
    assert polygon.reshape(-1, 2).tolist() == [[10.0, 20.0], [60.0, 20.0], [60.0, 35.0], [10.0, 35.0]]
    assert polygon.dtype == np.float64 and not polygon.flags.writeable  # a shared cell cannot be changed
    with pytest.raises(ValueError, match="read-only"):
        polygon[0] = 0.0
    # Every feature joins to its position.
    on_sheet = full.features[full.features["item_index"].notna()]  # not the general roughness
    located = on_sheet.merge(pos, on=["drawing_id", "reference_id"], how="left")
    assert located["x_min"].notna().all()


def test_schema_describe_and_unknown_table():
    d = wf.schema.describe("dimensions")
    assert d.loc[d["column"] == "nominal", "json_path"].item() == "size.value"
    assert d.loc[d["column"] == "fit", "dtype"].item() == "string"
    with pytest.raises(KeyError, match="no table named 'dimension'"):
        wf.schema.describe("dimension")


def test_every_table_is_a_corpus_property():
    for name in schema.table_names():
        assert isinstance(getattr(wf.Corpus, name), property), name


def test_docs_tables_md_is_current():
    from pathlib import Path

    from werk24_frames.docs import generated_pages

    docs = Path(__file__).parent.parent / "docs"
    for name, text in generated_pages().items():
        on_disk = (docs / name).read_text(encoding="utf-8")
        assert on_disk == text, f"docs/{name} is stale: run `python -m werk24_frames.docs`"
