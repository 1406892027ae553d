"""Reading measured values (CSV, Excel, DataFrame) and holding them against a plan: every bad
row is a problem naming the file and the row, nothing crashes, nothing vanishes."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection_plans import make_plan, two_drawing_plan

import werk24_frames as wf

CSV = """drawing,characteristic,part,value,unit
WF-1,1,S1,10.004,
WF-1,1,S2,10.0155,
WF-1,1,S3,0.3939,in
WF-1,2,S1,0.03,
WF-1,3,S1,0.0012,mm
WF-1,4,S1,45.2,deg
WF-1,4,S2,0.79,rad
WF-1,99,S1,1.0,
WF-1,1,S4,abc,
WF-1,1,S5,10.01,furlong
WF-1,4,S3,1.0,mm
d2,1,S1,2.001,
WF-2,1,S2,50.8,mm
WF-9,1,S1,1.0,
"""


@pytest.fixture
def measured(tmp_path):
    path = tmp_path / "measured.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_read_csv_keeps_order_and_reports_bad_rows(measured):
    with pytest.warns(UserWarning, match="measured.csv"):
        m = wf.inspection.read_measurements(measured)
    assert len(m) == 14
    assert m["sequence"].tolist() == list(range(14))
    assert m["location"].tolist()[:2] == ["row 2", "row 3"]
    assert m.loc[8, "value"] != m.loc[8, "value"]  # NaN: 'abc'
    p = wf.inspection.problems(m)
    assert list(p.columns) == list(wf.schema.empty_frame("problems").columns)
    assert set(p["source"]) == {str(measured)}
    by_row = dict(zip(p["location"], p["message"], strict=True))
    assert "'abc' is not a number" in by_row["row 10"]
    assert "unknown unit 'furlong'" in by_row["row 11"]
    assert len(p) == 2
    expected = wf.schema.empty_frame("measurements")
    assert m.dtypes.to_dict() == expected.dtypes.to_dict()


def test_results_convert_units_and_resolve_drawings(measured):
    m = wf.inspection.read_measurements(measured, warn=False)
    with pytest.warns(UserWarning, match="placing"):
        r = wf.inspection.results(two_drawing_plan(), m)
    expected = wf.schema.empty_frame("inspection_results")
    assert list(r.columns) == list(expected.columns)
    assert r.dtypes.to_dict() == expected.dtypes.to_dict()
    got = {(row.drawing_id, row.characteristic, row.part): row for row in r.itertuples()}
    # 0.3939 in = 10.00506 mm
    assert got[("d1", 1, "S3")].value == pytest.approx(0.3939 * 25.4)
    # Ra in µm, measured in mm
    assert got[("d1", 3, "S1")].value == pytest.approx(1.2)
    assert got[("d1", 3, "S1")].value_mm == pytest.approx(0.0012)
    # angle in rad to deg; value_mm NA for angles
    assert got[("d1", 4, "S2")].value == pytest.approx(0.79 * 180 / 3.141592653589793)
    assert pd.isna(got[("d1", 4, "S2")].value_mm)
    # the inch drawing by id and by number
    assert got[("d2", 1, "S1")].value == pytest.approx(2.001)
    assert got[("d2", 1, "S1")].value_mm == pytest.approx(2.001 * 25.4)
    assert got[("d2", 1, "S2")].value == pytest.approx(2.0)
    assert got[("d1", 1, "S1")].drawing_number == "WF-1"
    # within, deviation, outside_by
    s2 = got[("d1", 1, "S2")]
    assert s2.within_limits is False or not s2.within_limits
    assert s2.deviation == pytest.approx(0.0155)
    assert s2.outside_by == pytest.approx(0.0005)
    assert got[("d1", 1, "S1")].outside_by == 0
    assert got[("d1", 2, "S1")].within_limits  # flatness 0.03 <= 0.05, one-sided
    assert pd.isna(got[("d1", 2, "S1")].deviation)  # no nominal
    p = wf.inspection.problems(r)
    msgs = dict(zip(p["location"], p["message"], strict=True))
    assert "no characteristic 99" in msgs["row 9"]
    assert "'abc' is not a number" in msgs["row 10"]  # carried from reading, not repeated
    assert sum(p["location"] == "row 10") == 1
    assert "unknown unit 'furlong'" in msgs["row 11"]
    assert "cannot be converted to the characteristic's unit 'deg'" in msgs["row 12"]
    assert "drawing 'WF-9' is not in the plan" in msgs["row 15"]
    # every row of the file is in the results or a problem
    placed = set(r["location"]) | set(p["location"])
    assert placed == {f"row {i}" for i in range(2, 16)}
    # rows with unusable values stay, with NA
    assert pd.isna(got[("d1", 1, "S4")].value) and pd.isna(got[("d1", 1, "S4")].within_limits)


def test_value_on_a_limit_is_within():
    plan = make_plan([{"nominal": 10.0, "lower_limit": 10.0 + 0.0, "upper_limit": 10.0 + 0.015}])
    r = wf.inspection.results(plan, pd.DataFrame({"characteristic": [1, 1, 1], "value": [10.015, 10.0, 9.999]}))
    assert r["within_limits"].tolist() == [True, True, False]
    assert r["outside_by"].tolist()[2] == pytest.approx(0.001)


def test_no_limits_gives_na():
    plan = make_plan([{"nominal": None, "lower_limit": None, "upper_limit": None, "kind": "note"}])
    r = wf.inspection.results(plan, pd.DataFrame({"characteristic": [1], "value": [3.0]}))
    assert pd.isna(r.loc[0, "within_limits"]) and pd.isna(r.loc[0, "outside_by"])


def test_occurrence_numbers_repeated_values():
    plan = make_plan([{"nominal": 6.0, "lower_limit": 5.9, "upper_limit": 6.1, "quantity": 4}])
    m = pd.DataFrame({"characteristic": [1] * 6, "part": ["A", "A", "B", "A", "B", "A"], "value": [6.0] * 6})
    r = wf.inspection.results(plan, m)
    assert r[r.part == "A"]["occurrence"].tolist() == [1, 2, 3, 4]
    assert r[r.part == "B"]["occurrence"].tolist() == [1, 2]


def test_missing_drawing_column_needs_a_single_drawing_plan():
    m = pd.DataFrame({"characteristic": [1], "value": [10.0]})
    assert len(wf.inspection.results(make_plan([{"nominal": 10.0, "lower_limit": 9.0, "upper_limit": 11.0}]), m)) == 1
    with pytest.warns(UserWarning, match="placing the measurements"):
        r = wf.inspection.results(two_drawing_plan(), m)
    assert len(r) == 0
    assert "plan has 2 drawings" in wf.inspection.problems(r)["message"].iloc[0]


def test_missing_required_column_is_a_problem(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("drawing,balloon,serial\nWF-1,1,S1\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="no column for value"):
        m = wf.inspection.read_measurements(path)
    assert len(m) == 0
    p = wf.inspection.problems(m)
    assert p["severity"].tolist() == ["error"] and p["source"].tolist() == [str(path)]


def test_excel_semicolons_decimal_comma_and_aliases(tmp_path):
    df = pd.DataFrame(
        {"Drawing Number": ["WF-1"] * 2, "Balloon": [1, 2], "Serial": [17, 18], "Measured": [10.01, 0.02]}
    )
    xlsx = tmp_path / "m.xlsx"
    df.to_excel(xlsx, index=False)
    m = wf.inspection.read_measurements(xlsx)
    assert m["part"].tolist() == ["17", "18"] and m["value"].tolist() == [10.01, 0.02]
    assert m["location"].tolist() == ["row 2", "row 3"]
    csv = tmp_path / "de.csv"
    csv.write_text("Zeichnung;characteristic;part;value\nWF-1;1;S1;10,012\n", encoding="utf-8")
    m2 = wf.inspection.read_measurements(csv, decimal=",")
    assert m2["value"].tolist() == [10.012]


def test_unreadable_files_raise_naming_them(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        wf.inspection.read_measurements(tmp_path / "nope.csv")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ValueError, match=r"broken\.xlsx"):
        wf.inspection.read_measurements(bad)


def test_a_windows_1252_csv_is_read(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes("characteristic;part;value;unit\n1;Ø-1;10,01;mm\n2;µ-2;0,5;µm\n".encode("cp1252"))
    m = wf.inspection.read_measurements(path, decimal=",")
    assert m["part"].tolist() == ["Ø-1", "µ-2"] and m["value"].tolist() == [10.01, 0.5]
    assert m["unit"].tolist() == ["mm", "µm"]


def test_a_source_of_another_type_is_refused():
    with pytest.raises(TypeError, match="file path or a DataFrame, not dict"):
        wf.inspection.read_measurements({"characteristic": [1], "value": [1.0]})


def test_plan_without_contract_columns_is_refused():
    with pytest.raises(ValueError, match="lacks the column"):
        wf.inspection.results(
            pd.DataFrame({"characteristic": [1]}), pd.DataFrame({"characteristic": [1], "value": [1.0]})
        )


_cell = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1", "2", "WF-1", "WF-2", "d1", "mm", "in", "um", "deg", "", " 3 ", "1e3", "NaN"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_cell, _cell, _cell, _cell, _cell), max_size=12))
def test_fuzzed_cells_never_crash_or_vanish(rows):
    frame = pd.DataFrame(rows, columns=["drawing", "characteristic", "part", "value", "unit"], dtype=object)
    m = wf.inspection.read_measurements(frame, warn=False)
    assert len(m) == len(rows)
    r = wf.inspection.results(two_drawing_plan(), m, warn=False)
    cap = wf.inspection.capability(two_drawing_plan(), r)
    p = wf.inspection.problems(r)
    # every row is either placed (a results row) or named by a problem
    assert set(m["location"]) <= set(r["location"]) | set(p["location"])
    # a placed row without a value has a problem saying why
    no_value = set(r.loc[r["value"].isna(), "location"])
    assert no_value <= set(p["location"])
    assert set(cap["verdict"]) <= {
        "capable",
        "not capable",
        "no limits",
        "too few values",
        "undetermined",
        "not measured",
    }
