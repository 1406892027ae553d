"""QIF 3.0 documents: valid against the official XSD (vendored in tests/data/qif3), every balloon
one item, results in mm with PASS/FAIL, hostile text escaped; property test over random plans."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection_plans import make_plan, two_drawing_plan
from inspection_plans import qif_schema as compiled_qif_schema

import werk24_frames as wf
from werk24_frames.inspection._qif import QIF_NAMESPACE

NS = {"q": QIF_NAMESPACE}


@pytest.fixture(scope="module")
def qif_schema():
    pytest.importorskip("xmlschema")
    return compiled_qif_schema()


def _errors(schema, path):
    return [str(e).splitlines()[0] + " " + (getattr(e, "reason", "") or "") for e in schema.iter_errors(str(path))]


KINDS = [
    {
        "nominal": 10.0,
        "lower_limit": 10.0,
        "upper_limit": 10.015,
        "kind": "diameter",
        "characteristic_type": "DIAMETER",
        "label": "Ø10 H7",
        "classification": "critical",
    },
    *[
        {
            "nominal": None,
            "lower_limit": None,
            "upper_limit": 0.05,
            "kind": "gdt",
            "characteristic_type": sym,
            "label": f"{sym} Ø0.05 Ⓜ A",
            "table": "gdnts",
        }
        for sym in ["⏥", "⏤", "○", "⌭", "⌒", "⌓", "∥", "⟂", "∠", "⌖", "◎", "COAXIALITY", "⌯", "↗", "⌰", "WEIRD"]
    ],
    {
        "nominal": 1.6,
        "lower_limit": None,
        "upper_limit": 1.6,
        "unit": "um",
        "kind": "roughness",
        "characteristic_type": "Ra",
    },
    {
        "nominal": 6.3,
        "lower_limit": None,
        "upper_limit": 6.3,
        "unit": "um",
        "kind": "roughness",
        "characteristic_type": "Rz",
    },
    {"nominal": 10.0, "lower_limit": 9.8, "upper_limit": 10.0, "kind": "thread", "role": "size", "label": "M10x1.5-6g"},
    {"nominal": 9.026, "lower_limit": 8.862, "upper_limit": 8.994, "kind": "thread", "role": "pitch_diameter"},
    {"nominal": 45.0, "lower_limit": 44.5, "upper_limit": 45.5, "unit": "deg", "kind": "angle"},
    {"nominal": 3.0, "lower_limit": 2.9, "upper_limit": 3.1, "kind": "radius"},
    {"nominal": 12.0, "lower_limit": None, "upper_limit": 12.5, "role": "depth"},
    {"nominal": 40.0, "lower_limit": 39.9, "upper_limit": None},
    {
        "nominal": None,
        "lower_limit": None,
        "upper_limit": None,
        "kind": "note",
        "requirement": 'Deburr ]]> <script>alert("x")</script> &amp; \x01',
    },
]
EXPECTED_TYPES = [
    "Diameter",
    "Flatness",
    "Straightness",
    "Circularity",
    "Cylindricity",
    "UserDefinedLinear",
    "SurfaceProfile",
    "Parallelism",
    "Perpendicularity",
    "Angularity",
    "Position",
    "Concentricity",
    "Coaxiality",
    "Symmetry",
    "CircularRunout",
    "TotalRunout",
    "UserDefinedLinear",
    "SurfaceTexture",
    "UserDefinedLinear",
    "Thread",
    "Diameter",
    "Angle",
    "Radius",
    "Depth",
    "Length",
    "UserDefinedAttribute",
]


@pytest.mark.slow
def test_every_kind_is_schema_valid_and_mapped(tmp_path, qif_schema):
    plan = make_plan(KINDS)
    m = pd.DataFrame(
        {
            "characteristic": list(range(1, len(KINDS) + 1)) * 2,
            "part": ["S1"] * len(KINDS) + ["S2"] * len(KINDS),
            "value": [10.01] + [0.02] * (len(KINDS) - 1) + [10.02] + [0.02] * (len(KINDS) - 1),
        }
    )
    res = wf.inspection.results(plan, m, warn=False)
    plain = wf.inspection.to_qif(plan, tmp_path / "plan.qif")
    assert _errors(qif_schema, plain) == []
    full = wf.inspection.to_qif(plan, tmp_path / "results.qif", results=res, standard="ISO 1101")
    assert _errors(qif_schema, full) == []

    root = ET.parse(full).getroot()
    items = root.find("q:Characteristics/q:CharacteristicItems", NS)
    names = [el.find("q:Name", NS).text for el in items]
    assert names == [str(i) for i in range(1, len(KINDS) + 1)]
    assert [el.tag.split("}")[1].removesuffix("CharacteristicItem") for el in items] == EXPECTED_TYPES
    assert [el.find("q:CharacteristicDesignator/q:Designator", NS).text for el in items] == names
    first = items[0]
    assert first.find("q:CharacteristicDesignator/q:Criticality/q:LevelEnum", NS).text == "CRITICAL"
    assert first.find("q:LocationOnDrawing/q:SheetNumber", NS).text == "1"
    assert first.find("q:LocationOnDrawing/q:DrawingZone", NS).text == "B2"
    defs = root.find("q:Characteristics/q:CharacteristicDefinitions", NS)
    tol = defs[0].find("q:Tolerance", NS)
    assert float(tol.find("q:MaxValue", NS).text) == 10.015 and float(tol.find("q:MinValue", NS).text) == 10.0
    assert float(defs[17].find("q:RoughnessAverage", NS).text) == pytest.approx(0.0016)  # Ra 1.6 µm in mm
    note = items[-1].find("q:Description", NS).text
    assert note == 'Deburr ]]> <script>alert("x")</script> &amp; \ufffd'
    assert root.find("q:StandardsDefinitions/q:Standard/q:Designator", NS).text == "1101"

    results = root.findall("q:Results/q:MeasurementResultsSet/q:MeasurementResults", NS)
    assert len(results) == 2
    s1, s2 = results
    measurements = s1.find("q:MeasuredCharacteristics/q:CharacteristicMeasurements", NS)
    assert len(measurements) == len(KINDS)
    status = [el.find("q:Status/q:CharacteristicStatusEnum", NS).text for el in measurements]
    expected_status = ["PASS" if ok else "FAIL" for ok in res[res.part == "S1"]["within_limits"].fillna(False)]
    expected_status[-1] = "INDETERMINATE"  # the note has no limits
    assert status == expected_status
    assert s1.find("q:InspectionStatus/q:InspectionStatusEnum", NS).text == "FAIL"
    diameter_value = s2.find("q:MeasuredCharacteristics/q:CharacteristicMeasurements", NS)[0].find("q:Value", NS)
    assert float(diameter_value.text) == pytest.approx(10.02)
    serials = [el.text for el in root.iter(f"{{{QIF_NAMESPACE}}}SerialNumber")]
    assert serials == ["S1", "S2"]


@pytest.mark.slow
def test_inch_drawing_is_written_in_mm(tmp_path, qif_schema):
    plan = two_drawing_plan()
    res = wf.inspection.results(plan, pd.DataFrame({"drawing": ["WF-2"], "characteristic": [1], "value": [2.001]}))
    out = wf.inspection.to_qif(plan, tmp_path / "d2.qif", results=res, drawing="d2")
    assert _errors(qif_schema, out) == []
    root = ET.parse(out).getroot()
    tol = root.find("q:Characteristics/q:CharacteristicDefinitions", NS)[0].find("q:Tolerance", NS)
    assert float(tol.find("q:MaxValue", NS).text) == pytest.approx(2.005 * 25.4)
    value = next(root.iter(f"{{{QIF_NAMESPACE}}}Value"))
    assert float(value.text) == pytest.approx(2.001 * 25.4)


_text = st.text(st.characters(codec="utf-8"), max_size=20)
_row = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            ["size", "diameter", "radius", "angle", "thread", "gdt", "roughness", "chamfer", "note"]
        ),
        "characteristic_type": st.one_of(st.sampled_from(["⌖", "FLATNESS", "Ra", "Rz", "DIAMETER", "LINEAR"]), _text),
        "role": st.sampled_from(["size", "depth", "pitch_diameter", "counterbore_diameter"]),
        "unit": st.sampled_from(["mm", "in", "um", "deg"]),
        "nominal": st.one_of(st.none(), st.floats(0.001, 1000)),
        "lower_limit": st.one_of(st.none(), st.floats(0.0, 500)),
        "upper_limit": st.one_of(st.none(), st.floats(0.001, 1000)),
        "label": _text,
        "requirement": _text,
        "zone": st.one_of(st.none(), _text),
        "classification": st.sampled_from(["critical", "major", "minor", None]),
    }
)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=st.lists(_row, min_size=1, max_size=6), value=st.floats(-1e6, 1e6))
def test_random_plans_stay_schema_valid(tmp_path, qif_schema, rows, value):
    plan = make_plan(rows)
    m = pd.DataFrame({"characteristic": list(range(1, len(rows) + 1)), "part": "P<1>", "value": value})
    res = wf.inspection.results(plan, m, warn=False)
    out = wf.inspection.to_qif(plan, tmp_path / "x.qif", results=res)
    assert _errors(qif_schema, out) == []
    items = ET.parse(out).getroot().find("q:Characteristics/q:CharacteristicItems", NS)
    assert [el.find("q:Name", NS).text for el in items] == [str(i) for i in range(1, len(rows) + 1)]
