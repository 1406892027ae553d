"""Bad input: a clear problems row naming the file and place, and nothing else lost."""

from __future__ import annotations

import builders
import pandas as pd
import pytest

import werk24_frames as wf


def problems_of(responses, **kw) -> tuple[wf.Corpus, pd.DataFrame]:
    c = wf.from_responses(responses, drawing_id="d", **kw)
    return c, c.table("problems")


def test_malformed_file_in_a_folder_loses_nothing_else(tmp_path):
    builders.write_json(tmp_path / "good.json", builders.all_responses())
    (tmp_path / "bad.json").write_text('{"ask_type": "FEATURES", "dimensions": [{"label": "1', encoding="utf-8")
    c = wf.load(tmp_path)
    assert c.drawing_ids == ["bad", "good"]  # what the cut file holds is read as far as it goes
    dims = c.dimensions
    assert len(dims[dims["drawing_id"] == "good"]) == 7
    assert dims.loc[dims["drawing_id"] == "bad", "label"].isna().all()
    bad = c.problems[c.problems["drawing_id"] == "bad"]
    assert bad["source"].str.endswith("bad.json").all()
    assert bad["message"].str.contains("not valid JSON").any() and bad["message"].str.contains("never closed").any()


def test_truncated_jsonl_line_costs_only_what_was_cut(tmp_path):
    lines = [__import__("json").dumps(m) for m in builders.messages()]
    lines[2] = lines[2][: len(lines[2]) // 2]  # INSIGHTS cut off mid-line
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    c = wf.load(path)
    assert len(c.dimensions) == 7 and len(c.identifiers) == 2 and len(c.positions) == 21
    assert len(c.insights) == 1  # the half that is there is read
    p = c.table("problems").iloc[0]
    assert (p["location"], p["severity"], p["drawing_id"]) == ("line 3", "error", "cut")
    assert "never closed" in p["message"]


def test_value_that_is_no_number_is_na_with_its_location():
    f = builders.features()
    f["dimensions"][3]["size"]["value"] = "twelve"
    f["dimensions"][1]["size"]["tolerance"]["deviation_upper"] = {"oops": 1}
    c, p = problems_of([f])
    d = c.dimensions.set_index("item_index")
    assert pd.isna(d.loc[3, "nominal"]) and d.loc[3, "label"] == "|25|"
    assert len(d) == 7
    assert p["location"].tolist() == [
        "FEATURES.dimensions[1].size.tolerance.deviation_upper",
        "FEATURES.dimensions[3].size.value",
    ]
    assert "the text 'twelve'" in p.loc[1, "message"]
    assert set(p["severity"]) == {"warning"}


def test_item_that_is_no_object_is_skipped_with_an_error():
    f = builders.features()
    f["radii"].insert(0, "R5")
    c, p = problems_of([f])
    assert c.radii["label"].tolist() == ["R2"]
    assert c.radii["item_index"].tolist() == [1]
    assert p.loc[0, "location"] == "FEATURES.radii[0]" and p.loc[0, "severity"] == "error"


def test_list_that_is_no_list():
    f = builders.features()
    f["threads"] = {"reference_id": 1}
    c, p = problems_of([f])
    assert c.threads.empty and len(c.dimensions) == 7
    assert (p.loc[0, "location"], p.loc[0, "severity"]) == ("FEATURES.threads", "error")


def test_unknown_list_is_reported_and_kept_in_other_features():
    f = builders.features()
    f["welds"] = [
        {"reference_id": 77, "label": "a3 ◺", "confidence": {"score": "0.7"}, "weld_type": "FILLET"},
        {"reference_id": 78, "label": "a5 ◺", "quantity": 2},
    ]
    c, p = problems_of([f])
    o = c.other_features
    assert o["list_name"].tolist() == ["welds", "welds"]
    assert o["label"].tolist() == ["a3 ◺", "a5 ◺"]
    assert o["confidence"].iloc[0] == 0.7 and o["quantity"].iloc[1] == 2
    assert '"weld_type":"FILLET"' in o["raw"].iloc[0]
    assert len(p) == 1
    assert p.loc[0, "location"] == "FEATURES.welds" and "2 item(s)" in p.loc[0, "message"]
    # A location in other_features names the list item, not a bare index.
    f["welds"][0]["quantity"] = "many"
    _, p = problems_of([f])
    assert "FEATURES.welds[0].quantity" in p["location"].tolist()


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda f: f, "FEATURES.some_new_flag"),
        (lambda f: f["dimensions"][2], "FEATURES.dimensions[2].some_new_flag"),
        (lambda f: f["dimensions"][2]["size"]["tolerance"], "FEATURES.dimensions[2].size.tolerance.some_new_flag"),
        (lambda f: f["gdnts"][0]["zone"], "FEATURES.gdnts[0].zone.some_new_flag"),
        (lambda f: f["roughnesses"][0]["conditions"][1], "FEATURES.roughnesses[0].conditions[1].some_new_flag"),
    ],
)
def test_unknown_field_at_any_depth_is_a_warning(where, path):
    f = builders.features()
    where(f)["some_new_flag"] = {"kept": True}
    c, p = problems_of([f])
    assert p["location"].tolist() == [path] and p["severity"].tolist() == ["warning"]
    assert "'some_new_flag'" in p.loc[0, "message"] and "raw_responses()" in p.loc[0, "message"]
    # Nothing else changes, and the raw answer still holds it.
    assert len(c.dimensions) == len(f["dimensions"])


def test_unknown_field_is_reported_once_per_path_and_drawing():
    f = builders.features()
    for d in f["dimensions"]:
        d["size"]["thermal_cut_quality"] = "ISO 9013-231"
    c, p = problems_of([f, f])
    assert p["location"].tolist() == ["FEATURES.dimensions[0].size.thermal_cut_quality"]
    assert "thermal_cut_quality" in str(c.raw_responses("d"))


def test_unknown_list_of_non_objects_is_a_warning():
    f = builders.features()
    f["tags"] = ["a", "b"]
    _, p = problems_of([f])
    assert (p.loc[0, "location"], p.loc[0, "severity"]) == ("FEATURES.tags", "warning")


def test_unknown_enum_value_is_kept_as_text():
    f = builders.features()
    f["gdnts"][0]["characteristic"] = "⟟"
    f["dimensions"][0]["size"]["size_type"] = "CONICAL_TAPER"
    c, p = problems_of([f])
    assert c.gdnts.loc[0, "characteristic"] == "⟟" and pd.isna(c.gdnts.loc[0, "characteristic_name"])
    assert c.dimensions.loc[0, "size_type"] == "CONICAL_TAPER"
    assert p.empty


def test_wrong_type_in_a_text_or_flag_column():
    f = builders.features()
    f["dimensions"][0]["label"] = ["12", "±0.1"]
    f["dimensions"][2]["size"]["tolerance"]["is_reference"] = "yes"
    f["dimensions"][4]["label"] = 30  # a number where text is expected: read as text, no problem
    c, p = problems_of([f])
    d = c.dimensions
    assert pd.isna(d.loc[0, "label"]) and d.loc[4, "label"] == "30"
    assert pd.isna(d.loc[2, "is_reference"])
    assert sorted(p["location"]) == [
        "FEATURES.dimensions[0].label",
        "FEATURES.dimensions[2].size.tolerance.is_reference",
    ]


def test_payload_that_is_not_a_response():
    c, p = problems_of([{"hello": "world"}, builders.features()])
    assert len(c.dimensions) == 7
    assert p.loc[0, "severity"] == "error" and "not a Werk24 response" in p.loc[0, "message"]


def test_response_without_ask_type_is_recognised_by_its_keys():
    f = builders.features()
    del f["ask_type"]
    c, p = problems_of([f])
    assert len(c.dimensions) == 7
    assert (p.loc[0, "severity"], p.loc[0, "location"]) == ("info", "[0]: FEATURES.ask_type")


def test_unknown_ask_type_keeps_the_answer_in_raw():
    c, p = problems_of([{"ask_type": "WELD_SEAMS", "seams": [1, 2]}])
    assert (p.loc[0, "severity"], p.loc[0, "location"]) == ("warning", "[0]: WELD_SEAMS")
    assert c.raw_responses("d") == [{"ask_type": "WELD_SEAMS", "seams": [1, 2]}]


def test_legacy_ask_is_info_and_not_misread():
    # A v1 PRODUCT_PMI_EXTRACT answer has keys a v2 META_DATA answer has too: it is not read as one.
    pmi = {"ask_type": "PRODUCT_PMI_EXTRACT", "identifiers": [{"value": "X"}], "material_options": []}
    c, p = problems_of([pmi])
    assert (p.loc[0, "severity"], p.loc[0, "location"]) == ("info", "[0]: PRODUCT_PMI_EXTRACT")
    assert "API v1" in p.loc[0, "message"] and c.identifiers.empty


def test_unknown_ask_is_a_warning():
    _, p = problems_of([{"ask_version": "v3", "ask_type": "WELDING_PLAN", "welds": []}])
    assert (p.loc[0, "severity"], p.loc[0, "location"]) == ("warning", "[0]: WELDING_PLAN")


def test_unknown_weight_unit():
    m = builders.meta_data()
    m["weight"]["unit"] = "stone"
    c, p = problems_of([m])
    assert pd.isna(c.metadata.loc[0, "weight_kg"]) and c.metadata.loc[0, "weight"] == 2.5
    assert p.loc[0, "location"] == "META_DATA.weight.unit" and "'stone'" in p.loc[0, "message"]


@pytest.mark.parametrize(
    ("unit", "kg"),
    [("kg", 2.5), ("kilogram", 2.5), ("g", 0.0025), ("gram", 0.0025), ("lb", 1.133980925), ("oz", 0.0708738)],
)
def test_weight_units(unit, kg):
    m = builders.meta_data()
    m["weight"]["unit"] = unit
    c = wf.from_responses([m])
    # 1 lb = 0.45359237 kg exactly (international pound); 1 oz = 28.349523125 g.
    assert c.metadata.loc[0, "weight_kg"] == pytest.approx(kg, rel=1e-6)


def test_werk24_error_and_warning_exceptions():
    msgs = builders.messages([builders.features()])
    msgs[0]["exceptions"] = [
        {"exception_level": "WARNING", "exception_type": "DRAWING_RESOLUTION_TOO_LOW", "reason": "150 dpi"}
    ]
    msgs.append(
        {
            "exceptions": [{"exception_level": "ERROR", "exception_type": "DRAWING_PAPER_SIZE_TOO_LARGE"}],
            "request_id": msgs[0]["request_id"],
            "message_type": "ASK",
            "message_subtype": "META_DATA",
            "page_number": 0,
            "payload_dict": None,
            "payload_url": None,
        }
    )
    c = wf.from_messages(msgs)
    p = c.table("problems").set_index("severity")
    assert "DRAWING_RESOLUTION_TOO_LOW (WARNING) on FEATURES, page 0: 150 dpi" in p.loc["warning", "message"]
    assert p.loc["error", "message"].endswith("the answer was lost")
    assert len(c.dimensions) == 7  # the warning did not cost the answer


def test_second_meta_data_answer_is_noted():
    m2 = builders.meta_data()
    msgs = builders.messages([builders.meta_data(), m2])
    msgs[1]["page_number"] = 1
    c = wf.from_messages(msgs)
    assert len(c.metadata) == 1 and len(c.identifiers) == 4
    assert c.table("problems").loc[0, "severity"] == "info"


def test_numbers_beyond_the_dtype_range_are_na_not_a_crash():
    f = builders.features()
    f["dimensions"][0]["quantity"] = 10**30
    f["dimensions"][1]["size"]["value"] = 10**400
    c, p = problems_of([f])
    assert pd.isna(c.dimensions.loc[0, "quantity"]) and pd.isna(c.dimensions.loc[1, "nominal"])
    assert sorted(p["location"]) == ["FEATURES.dimensions[0].quantity", "FEATURES.dimensions[1].size.value"]


@pytest.mark.parametrize("wrong", [[False], [True, False], [], {"value": True}])
def test_a_flag_that_is_a_list_in_every_row_is_na_with_a_warning(wrong):
    """numpy turns equal-length lists into a 2-D array, which pandas' boolean parser indexed wrongly
    (an IndexError crashed the table; found by the nothing-lost property test)."""
    f = builders.features()
    for d in f["dimensions"]:
        d["size"]["tolerance"] = {**(d["size"]["tolerance"] or {}), "is_reference": wrong}
    c, p = problems_of([f])
    d = c.dimensions
    assert len(d) == len(f["dimensions"]) and d["is_reference"].isna().all()
    flagged = p[p["location"].str.endswith(".size.tolerance.is_reference")]
    assert len(flagged) == len(f["dimensions"]) and flagged["severity"].eq("warning").all()
