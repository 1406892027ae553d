"""Fields that used to be dropped or mislabelled, and the tables of the asks without features.

Expected limits come from the published tables in ``tests/data/iso/`` (see SOURCE.md there),
never from the engine under test.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import builders
import pandas as pd
import pytest

import werk24_frames as wf
from werk24_frames import schema

ISO = Path(__file__).parent / "data" / "iso"


def h7_um(size_mm: float) -> tuple[float, float]:
    """(EI, ES) of H7 at a size, from the published fit table."""
    with open(ISO / "fits_H7_check_um.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if float(r["size_mm"]) == size_mm and r["fit"] == "H7/h6":
                return float(r["hole_EI"]), float(r["hole_ES"])
    raise LookupError(size_mm)


def iso2768_mm(size_mm: float, cls: str) -> float:
    with open(ISO / "iso2768-1_linear_mm.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if float(r["over_mm"]) < size_mm <= float(r["up_to_incl_mm"]):
                return float(r[cls])
    raise LookupError(size_mm)


def features(**lists) -> dict:
    return {"ask_version": "v2", "ask_type": "FEATURES", **lists}


def bore(**extra) -> dict:
    return {
        "reference_id": 1,
        "label": "Ø6.6 ⌴Ø11 H7 ↧6.8",
        "quantity": 4,
        "confidence": builders.conf("0.9"),
        "diameter": builders.size("6.6", size_type="DIAMETER"),
        **extra,
    }


def with_meta(*responses, tolerance_class="m") -> wf.Corpus:
    meta = {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "general_tolerances": {"reference_id": 9, "tolerance_standard": "ISO 2768", "tolerance_class": tolerance_class},
    }
    return wf.from_responses([meta, *responses], drawing_id="d")


# -- secondary sizes -------------------------------------------------------------------


@pytest.mark.parametrize("size_mm", [6.0, 10.0, 25.0, 50.0])
def test_a_counterbore_fit_has_iso_286_limits(size_mm):
    b = bore(counterbore={"diameter": builders.size(f"{size_mm:g}", size_type="DIAMETER", fit="H7"), "depth": None})
    c = with_meta(features(bores=[b]))
    s = c.sizes
    cb = s[s["role"] == "counterbore.diameter"].iloc[0]
    ei, es = h7_um(size_mm)
    assert cb["table"] == "bores" and cb["reference_id"] == 1 and cb["item_index"] == 0
    assert cb["json_path"] == "FEATURES.bores[0].counterbore.diameter"
    assert cb["fit"] == "H7" and cb["tolerance_source"] == "fit"
    assert cb["lower_limit_mm"] == pytest.approx(size_mm + ei / 1000)
    assert cb["upper_limit_mm"] == pytest.approx(size_mm + es / 1000)
    assert cb["it_grade"] == 7
    # The bore's own table keeps the value and unit beside its main size.
    assert c.bores.loc[0, "counterbore_diameter"] == size_mm


@pytest.mark.parametrize(("depth", "cls"), [(6.8, "m"), (25.0, "f"), (120.0, "c")])
def test_a_bore_depth_without_tolerance_takes_the_general_tolerance(depth, cls):
    b = bore(depth={"depth_type": "BLIND", "size": builders.size(f"{depth:g}")})
    c = with_meta(features(bores=[b]), tolerance_class=cls)
    row = c.sizes[c.sizes["role"] == "depth.size"].iloc[0]
    dev = iso2768_mm(depth, cls)
    assert row["tolerance_source"] == "general"
    assert (row["lower_limit"], row["upper_limit"]) == (pytest.approx(depth - dev), pytest.approx(depth + dev))


def test_gdnt_zones_and_roughness_values_take_no_general_tolerance():
    g = builders.features()["gdnts"][0]
    r = builders.features()["roughnesses"][0]
    c = with_meta(features(gdnts=[g], roughnesses=[r]))
    s = c.sizes
    assert set(s["table"]) == {"gdnts", "roughnesses"} and (s["tolerance_source"] == "none").all()
    assert s["lower_limit"].isna().all()


def test_all_four_iso_metric_thread_tolerances_are_rows():
    th = builders.features()["threads"][0]
    assert th["thread_type"] == "ISO_METRIC"
    classes = {
        "male_major_diameter_tolerance": "6g",
        "male_pitch_diameter_tolerance": "5g",
        "female_major_diameter_tolerance": "6H",
        "female_pitch_diameter_tolerance": "5H",
    }
    for k, fit in classes.items():
        th[k] = {"fit": fit, "deviation_lower": None, "deviation_upper": None, "tolerance_grade": fit[0]}
    c = wf.from_responses([features(threads=[th])])
    s = c.sizes.set_index("role")
    for k, fit in classes.items():
        assert s.loc[k, "fit"] == fit and s.loc[k, "tolerance_grade"] == fit[0] and pd.isna(s.loc[k, "nominal"])
        assert s.loc[k, "tolerance_source"] == "none"  # ISO 965, not read as an ISO 286 class
    assert c.threads.loc[0, "tolerance_class"] == "5g/5H"  # pitch-diameter classes, male/female
    p = c.table("problems")
    assert p.empty, p.to_string()


def test_a_gdnt_extent_keeps_its_own_unit():
    g = builders.features()["gdnts"][0]
    g["zone"]["value"] = builders.size("0.05", "mm")
    g["zone"]["extend"] = {**builders.size("4", "in"), "quantity": 2, "angle": "30"}
    c = wf.from_responses([features(gdnts=[g])])
    row = c.gdnts.iloc[0]
    assert (row["zone_value"], row["zone_value_unit"]) == (0.05, "mm")
    assert (row["zone_extent"], row["zone_extent_unit"], row["zone_extent_quantity"], row["zone_extent_angle"]) == (
        4.0,
        "in",
        2,
        30.0,
    )
    extent = c.sizes[c.sizes["role"] == "zone.extend"].iloc[0]
    assert extent["nominal_mm"] == pytest.approx(4 * 25.4)


# -- the envelope ----------------------------------------------------------------------


def insights(before: dict) -> dict:
    return {"ask_version": "v2", "ask_type": "INSIGHTS", "dimensions_before_processing": before}


def test_envelope_sizes_in_different_units_are_each_converted():
    # 2 in × 60 mm × 5 cm: 50.8 × 60 × 50 mm = 152.4 cm³ (one unit column made it 0.6 cm³).
    before = {
        "annotations_complete": False,
        "completeness_note": "the bore depth is missing",
        "enclosing_cuboid": {
            "geometry_type": "CUBOID",
            "width": builders.size("2", "in"),
            "height": builders.size("60", "mm"),
            "depth": builders.size("5", "cm"),
        },
    }
    c = wf.from_responses([insights(before)], drawing_id="d")
    i = c.insights.iloc[0]
    assert (i["envelope_before_width"], i["envelope_before_width_unit"], i["envelope_before_width_mm"]) == (
        2.0,
        "in",
        pytest.approx(50.8),
    )
    assert i["envelope_before_height_mm"] == 60.0 and i["envelope_before_depth_mm"] == 50.0
    assert i["envelope_before_completeness_note"] == "the bore depth is missing"
    m = wf.cost_drivers(c).iloc[0]
    assert m["envelope_volume_cm3"] == pytest.approx(50.8 * 60 * 50 / 1000)
    assert m["envelope_shape"] == "CUBOID"


def test_cuboid_and_cylinder_both_kept_and_the_smaller_stock_costed():
    before = {
        "enclosing_cuboid": {
            "width": builders.size("50"),
            "height": builders.size("50"),
            "depth": builders.size("100"),
        },
        "enclosing_cylinder": {"diameter": builders.size("40"), "depth": builders.size("110")},
    }
    c = wf.from_responses([insights(before)], drawing_id="d")
    i = c.insights.iloc[0]
    assert i["envelope_before_shape"] == "CUBOID|CYLINDER"
    assert (i["envelope_before_depth"], i["envelope_before_length"], i["envelope_before_diameter"]) == (
        100.0,
        110.0,
        40.0,
    )
    m = wf.cost_drivers(c).iloc[0]
    assert m["envelope_shape"] == "CYLINDER"
    assert m["envelope_volume_cm3"] == pytest.approx(math.pi / 4 * 40**2 * 110 / 1000)


def test_an_unknown_envelope_unit_is_a_problem():
    before = {"enclosing_cylinder": {"diameter": builders.size("40", "furlong"), "depth": builders.size("1")}}
    c = wf.from_responses([insights(before)], drawing_id="d")
    assert math.isnan(c.insights.loc[0, "envelope_before_diameter_mm"])
    p = c.table("problems")
    assert "INSIGHTS.dimensions_before_processing.enclosing_cylinder.diameter.unit" in p["location"].tolist()


def test_process_options_say_which_option_a_flag_belongs_to():
    ins = {
        "ask_type": "INSIGHTS",
        "primary_process_options": [
            {"primary_process": "MILLING", "axis_count": 3},
            {"primary_process": "TURNING", "requires_secondary_milling": True},
            {"requires_bending": False},  # a dump without defaults: CUTTING told by its key
        ],
        "volume_estimate": {"value": "12", "unit": "cm³", "confidence": {"score": 0.9}},
    }
    c = wf.from_responses([ins], drawing_id="d")
    o = c.process_options
    assert o[["item_index", "primary_process"]].values.tolist() == [[0, "MILLING"], [1, "TURNING"], [2, "CUTTING"]]
    assert o["axis_count"].tolist()[0] == 3 and bool(o["requires_secondary_milling"].iloc[1])
    i = c.insights.iloc[0]
    assert (i["primary_process"], i["axis_count"], bool(i["requires_secondary_milling"])) == ("MILLING", 3, True)
    assert i["volume_confidence"] == 0.9
    assert "read as CUTTING" in " ".join(c.table("problems")["message"])


# -- fasteners, the bill of material, materials, the general roughness ---------------------


def test_a_fastener_keeps_its_whole_thread():
    f = builders.features()["fasteners"][0]
    thread = builders.features()["threads"][0]
    thread["male_pitch_diameter_tolerance"] = {"fit": "6g"}
    f["thread"] = thread
    c = wf.from_responses([features(fasteners=[f])])
    row = c.fasteners.iloc[0]
    assert row["thread_reference_id"] == thread["reference_id"] and row["thread_label"] == thread["label"]
    assert row["thread_type"] == "ISO_METRIC" and row["thread_pitch_mm"] == float(thread["spacing"]["pitch_in_mm"])
    assert row["thread_size_designation"] == f"M{float(thread['diameter']['value']):g}"
    roles = set(c.sizes.loc[c.sizes["table"] == "fasteners", "role"])
    assert {"thread.diameter", "thread.male_pitch_diameter_tolerance"} <= roles


def test_the_bill_of_material_keeps_every_material_and_the_whole_fastener():
    m = builders.meta_data()
    rows = m["bill_of_material"]["rows"]
    rows[0]["material_options"] = [
        {
            "reference_id": 70,
            "material_combination": [
                {"designation": "C45", "raw_ocr": "C45", "material_category": [None, None, None]},
                {"designation": "PTFE", "raw_ocr": "PTFE", "material_category": [None, None, None]},
            ],
        },
        {"reference_id": 71, "material_combination": []},
    ]
    rows[1]["fastener"]["standard"] = "ISO 4762"
    rows[1]["fastener"]["length"] = builders.size("12")
    c = wf.from_responses([m], drawing_id="d")
    mats = c.materials[c.materials["bom_row"] == 0]
    assert mats[["option", "component", "designation"]].astype(object).where(mats.notna(), None).values.tolist() == [
        [0, 0, "C45"],
        [0, 1, "PTFE"],
        [1, None, None],
    ]
    screw = c.bill_of_material.iloc[1]
    assert (screw["fastener_standard"], screw["fastener_length"], screw["fastener_length_unit"]) == (
        "ISO 4762",
        12.0,
        "mm",
    )
    # metadata's first material is the drawing's, never a bill-of-material row's
    assert c.metadata.loc[0, "material"] == m["material_options"][0]["material_combination"][0]["designation"]


def test_general_roughness_is_a_row_and_counts_for_the_finest_ra():
    m = builders.meta_data()
    m["general_roughness"]["conditions"] = [
        {
            "condition_type": "UPPER",
            "parameter": "Rz",
            "value": builders.size("6.3", "µm"),
            "acceptance_criterion": None,
        },
        {
            "condition_type": "UPPER",
            "parameter": "Ra",
            "value": builders.size("0.4", "µm"),
            "acceptance_criterion": None,
        },
    ]
    f = features(roughnesses=[builders.features()["roughnesses"][0]])
    c = wf.from_responses([m, f], drawing_id="d")
    r = c.roughnesses
    general = r[r["is_general"]].iloc[0]
    assert general["label"] == m["general_roughness"]["label"] and pd.isna(general["item_index"])
    conds = c.roughness_conditions
    assert conds.loc[conds["item_index"].isna(), "parameter"].tolist() == ["Rz", "Ra"]
    assert wf.cost_drivers(c).iloc[0]["finest_ra_um"] == pytest.approx(0.4)


def test_reference_ids_of_metadata_objects():
    m = builders.meta_data()
    m["weight"]["reference_id"] = 41
    m["projection_method"] = {"reference_id": 42, "projection_method": "FIRST_ANGLE"}
    m["unit_systems"] = [
        {"reference_id": 43, "unit_system_type": "METRIC"},
        {"reference_id": 44, "unit_system_type": "IMPERIAL"},
    ]
    m["general_tolerances"]["reference_id"] = 45
    m["bill_of_material"]["reference_id"] = 46
    row = wf.from_responses([m]).metadata.iloc[0]
    assert (
        row["weight_reference_id"],
        row["projection_method_reference_id"],
        row["general_tolerances_reference_id"],
    ) == (41, 42, 45)
    assert (row["unit_system"], row["unit_system_reference_ids"], row["bill_of_material_reference_id"]) == (
        "METRIC|IMPERIAL",
        "43|44",
        46,
    )


# -- the asks without features ---------------------------------------------------------------


def test_balloons_redactions_pages_profile_and_custom_answers_are_tables():
    answers = [
        {
            "ask_type": "BALLOONS",
            "balloons": [{"reference_id": 7, "center": [120, 340]}, {"reference_id": 8, "center": [5, 6]}],
        },
        {
            "ask_type": "REDACTION",
            "redaction_zones": [
                {
                    "redaction_zone_type": "TITLE_BLOCK",
                    "polygon": {
                        "coordinate_space": "PIXEL_SPACE",
                        "coordinates": [[0, 0], [100, 0], [100, 40], [0, 40]],
                    },
                }
            ],
        },
        {
            "ask_type": "PAGE_ASSESSMENT",
            "pages": [
                {"page_type": "ASSEMBLY_DRAWING", "has_welding_symbols": True, "description": "a weldment"},
                None,
            ],
        },
        {
            "ask_type": "DOCUMENT_PROFILE",
            "page_count": 2,
            "paper_size": "A3",
            "processing_time": {"seconds_p50": 41.5, "seconds_p95": 90.0},
        },
        {"ask_type": "CUSTOM", "custom_id": "cost-v1", "output": {"price": [1, 2.5, None], "currency": "EUR"}},
    ]
    c = wf.from_responses(answers, drawing_id="d")
    assert c.balloons[["reference_id", "center_x", "center_y"]].values.tolist() == [[7, 120.0, 340.0], [8, 5.0, 6.0]]
    z = c.redactions.iloc[0]
    assert (z["redaction_zone_type"], z["x_min"], z["y_max"], z["coordinate_space"]) == (
        "TITLE_BLOCK",
        0.0,
        40.0,
        "PIXEL_SPACE",
    )
    pa = c.page_assessments
    assert pa["assessed_page"].tolist() == [0, 1] and pa["page_type"].tolist()[0] == "ASSEMBLY_DRAWING"
    assert (
        bool(pa["has_welding_symbols"].iloc[0])
        and pa.iloc[1].drop(["drawing_id", "source", "page", "item_index", "assessed_page"]).isna().all()
    )
    dp = c.document_profiles.iloc[0]
    assert (dp["page_count"], dp["paper_size"], dp["processing_seconds_p50"], dp["processing_seconds_p95"]) == (
        2,
        "A3",
        41.5,
        90.0,
    )
    meta = c.metadata.iloc[0]
    assert (meta["document_page_count"], meta["paper_size"]) == (2, "A3")
    import json

    assert json.loads(c.customs.loc[0, "output"]) == {"price": [1, 2.5, None], "currency": "EUR"}
    assert c.customs.loc[0, "custom_id"] == "cost-v1"
    assert c.table("problems").empty, c.table("problems").to_string()
    assert set(c.metadata.loc[0, "asks"].split("|")) == {
        "BALLOONS",
        "REDACTION",
        "PAGE_ASSESSMENT",
        "DOCUMENT_PROFILE",
        "CUSTOM",
    }


# -- messages ----------------------------------------------------------------------------------


def test_the_message_subtype_names_the_ask():
    msgs = builders.messages([builders.meta_data()])
    msgs[0]["payload_dict"].pop("ask_type")
    msgs[0]["payload_dict"]["identifiers"] = []  # nothing in the keys would tell
    msgs[0]["message_subtype"] = "META_DATA"
    c = wf.from_messages(msgs)
    assert c.metadata.loc[0, "asks"] == "META_DATA"
    assert c.table("problems").empty, c.table("problems").to_string()


def test_the_message_keys_are_the_sdks():
    from werk24.models.v2.internal import TechreadMessage

    from werk24_frames._sources import MESSAGE_KEYS

    assert {*TechreadMessage.model_fields, "payload_file"} == MESSAGE_KEYS


def test_an_unknown_message_field_is_a_warning_naming_it_and_the_line(tmp_path):
    msgs = builders.messages([builders.meta_data(), builders.features()])
    msgs[1]["priority"] = {"level": 3}
    msgs[1]["zz_trace"] = "abc"
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(m) for m in msgs), encoding="utf-8")
    c = wf.load(path, cache=False)
    p = c.table("problems")
    assert p["severity"].tolist() == ["warning", "warning"], p.to_string()
    assert p["location"].tolist() == ["line 2: priority", "line 2: zz_trace"]
    assert "unknown message field 'priority' (dict)" in p.loc[0, "message"]
    assert p["source"].str.endswith("answers.jsonl").all()
    assert c.metadata.loc[0, "drawing_number"] == "DWG-0815" and len(c.dimensions) > 0  # nothing else lost


def test_an_answer_in_a_progress_message_is_a_warning_and_a_connection_payload_is_not(tmp_path):
    """Found by the long input fuzz: an answer whose message_type said PROGRESS was dropped
    without a word. The SDK's own PROGRESS payloads (INITIALIZATION_SUCCESS) name no ask."""
    msgs = builders.messages([builders.meta_data(), builders.features()])
    msgs[1]["message_type"] = "PROGRESS"
    msgs.insert(
        0,
        {
            "request_id": msgs[0]["request_id"],
            "message_type": "PROGRESS",
            "message_subtype": "INITIALIZATION_SUCCESS",
            "page_number": 0,
            "payload_dict": {"drawing_presigned_post": {"url": "https://localhost:1/", "fields": {}}},
            "payload_url": None,
            "exceptions": [],
        },
    )
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(m) for m in msgs), encoding="utf-8")
    c = wf.load(path, cache=False)
    p = c.table("problems")
    assert p["location"].tolist() == ["line 3: FEATURES"], p.to_string()
    assert p.loc[0, "severity"] == "warning" and "PROGRESS message carries a FEATURES answer" in p.loc[0, "message"]
    assert c.dimensions.empty and c.metadata.loc[0, "drawing_number"] == "DWG-0815"


def test_a_json_answer_sent_as_a_link_is_not_an_image():
    msgs = builders.messages([builders.meta_data()])
    msgs[0]["payload_dict"] = None
    msgs[0]["payload_url"] = "https://localhost:1/payload/abc"
    c = wf.from_messages(msgs)
    assert c.images.empty
    p = c.table("problems")
    assert p["severity"].tolist() == ["warning"] and "not downloaded" in p.loc[0, "message"]


def test_a_downloaded_json_answer_is_read():
    import orjson

    msgs = builders.messages([builders.meta_data()])
    answer = msgs[0].pop("payload_dict")
    msgs[0]["payload_bytes"] = orjson.dumps(answer)
    msgs[0]["payload_url"] = "https://localhost:1/payload/abc"
    c = wf.from_messages(msgs)
    assert c.images.empty and c.metadata.loc[0, "drawing_number"] == "DWG-0815"


# -- integers, thread sizes, dumps without defaults --------------------------------------------


@pytest.mark.parametrize("rid", [2**63, -(2**63) - 1, 2**64, 10**30])
def test_integers_beyond_int64_are_na_from_a_file_and_from_memory(tmp_path, rid):
    f = features(dimensions=[{**builders.features()["dimensions"][0], "reference_id": rid}])
    mem = wf.from_responses([f], drawing_id="d")
    path = tmp_path / "d.json"
    path.write_text(
        f'{{"ask_type": "FEATURES", "dimensions": [{{"reference_id": {rid}, "label": "x"}}]}}', encoding="utf-8"
    )
    disk = wf.load(path)
    for c in (mem, disk):
        assert pd.isna(c.dimensions.loc[0, "reference_id"])
        assert "FEATURES.dimensions[0].reference_id" in c.table("problems")["location"].tolist()


def test_the_smallest_int64_is_kept():
    f = features(dimensions=[{**builders.features()["dimensions"][0], "reference_id": -(2**63)}])
    assert wf.from_responses([f]).dimensions.loc[0, "reference_id"] == -(2**63)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("whitworth_size", "1.0", "1"),
        ("whitworth_size", 1.0, "1"),
        ("sm_size", "0.25", "0.25"),
        ("uts_size", "1/4", "1/4"),
    ],
)
def test_size_designation_does_not_depend_on_how_a_decimal_was_written(key, value, expected):
    th = {"reference_id": 1, "label": "x", "diameter": builders.size("6"), key: value}
    assert wf.from_responses([features(threads=[th])]).threads.loc[0, "size_designation"] == expected


@pytest.mark.parametrize("diameter", ["inf", "-0", "0", "nan"])
def test_no_metric_designation_for_a_diameter_that_is_no_size(diameter):
    th = {"reference_id": 1, "label": "x", "thread_type": "ISO_METRIC", "diameter": builders.size(diameter)}
    assert pd.isna(wf.from_responses([features(threads=[th])]).threads.loc[0, "size_designation"])


def test_an_empty_thread_class_is_kept_as_written():
    th = {"reference_id": 1, "label": "x", "thread_type": "UTS", "uts_size": "1/4", "uts_tolerance_class": ""}
    assert wf.from_responses([features(threads=[th])]).threads.loc[0, "tolerance_class"] == ""


def test_a_dump_without_defaults_is_read_and_what_was_guessed_is_said():
    th = {"reference_id": 1, "label": "M6", "diameter": builders.size("6"), "quantity": 1}
    answer = {"threads": [th]}  # ask_version, ask_type and thread_type left out as defaults
    c = wf.from_responses([answer], drawing_id="d")
    assert c.threads.loc[0, "thread_type"] == "ISO_METRIC" and c.threads.loc[0, "size_designation"] == "M6"
    info = c.table("problems")
    assert set(info["severity"]) == {"info"}
    assert {"[0]: FEATURES.ask_type", "FEATURES.threads[0].thread_type"} <= set(info["location"])


# -- the schema's own promises ---------------------------------------------------------------


def test_every_kept_path_names_real_columns():
    for path, columns in schema.kept_paths().items():
        for tc in columns:
            table, column = tc.split(".")
            assert column in schema.TABLES[table].column_names, (path, tc)
