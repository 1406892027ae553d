"""Measurements, results, capability, AS9102 and QIF on the real plans of the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from inspection_plans import qif_schema, synthetic_measurements

import werk24_frames as wf


@pytest.fixture(scope="module")
def corpus():
    return wf.sample_corpus()


@pytest.fixture(scope="module")
def plan(corpus):
    return wf.inspection_plan(corpus)


@pytest.fixture(scope="module")
def measured(plan):
    return synthetic_measurements(plan, parts=12)


def test_results_and_capability_cover_the_whole_corpus(plan, measured, tmp_path):
    path = tmp_path / "measured.csv"
    measured.to_csv(path, index=False)
    m = wf.inspection.read_measurements(path)
    assert len(m) == len(measured) and wf.inspection.problems(m).empty
    res = wf.inspection.results(plan, m)
    assert len(res) == len(measured) and wf.inspection.problems(res).empty
    # every value lands on the right requirement: within_limits agrees with the plan's limits
    merged = res.merge(plan, on=["drawing_id", "characteristic"], suffixes=("", "_plan"))
    lower = merged["lower_limit_plan"].fillna(-float("inf"))
    upper = merged["upper_limit_plan"].fillna(float("inf"))
    expected = (merged["value"] >= lower - 1e-9) & (merged["value"] <= upper + 1e-9)
    assert (merged["within_limits"].astype(bool) == expected).all()
    # the inch drawings: value_mm is 25.4 times the value
    inch = res[res["unit"] == "inch"]
    assert len(inch) and ((inch["value_mm"] - inch["value"] * 25.4).abs() < 1e-9).all()
    cap = wf.inspection.capability(plan, m)
    assert len(cap) == len(plan)  # every drawing has measurements
    limited = plan["lower_limit"].notna() | plan["upper_limit"].notna()
    # the synthetic set measures only characteristics with limits
    assert (cap["verdict"] == "not measured").sum() == (~limited).sum()
    assert {"capable", "not capable"} <= set(cap["verdict"])
    assert cap["small_sample"][cap["n"] > 0].all()  # 12 parts < 25
    assert (cap.loc[cap["n"] > 0, "n"] == 12).all()


def test_as9102_for_every_drawing(corpus, plan, measured, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    res = wf.inspection.results(plan, measured, warn=False)
    for number in plan["drawing_number"].unique()[:8]:
        out = wf.inspection.to_as9102(plan, tmp_path / f"{number}.xlsx", results=res, drawing=number, corpus=corpus)
        wb = openpyxl.load_workbook(out)
        ws = wb["Form 3"]
        mine = plan[plan["drawing_number"] == number].sort_values("characteristic")
        numbers = [row[0].value for row in ws.iter_rows(min_row=8)]
        assert numbers == mine["characteristic"].tolist()
        assert [row[3].value for row in ws.iter_rows(min_row=8)] == mine["requirement"].tolist()
        form1 = {r[0].value: r[1].value for r in wb["Form 1"].iter_rows(min_row=4) if r[0].value}
        meta = corpus.metadata.set_index("drawing_number").loc[number]
        assert form1["2. Part Name"] == meta["designation"]
        assert form1["6. Drawing Number"] == number
        materials = [r[0].value for r in wb["Form 2"].iter_rows(min_row=5)]
        assert meta["material"] in materials
        # results: one column per serial; a red cell exactly where a value is outside
        header = [c.value for c in ws[7]]
        s1 = header.index("9. Results SN001") + 1
        mine_res = res[(res["drawing_number"] == number) & (res["part"] == "SN001")].set_index("characteristic")
        for row in ws.iter_rows(min_row=8):
            balloon = row[0].value
            cell = row[s1 - 1]
            if balloon in mine_res.index and pd.notna(mine_res.loc[balloon, "within_limits"]):
                red = cell.fill.fgColor.rgb.endswith("F4C7C3")
                assert red == (not bool(mine_res.loc[balloon, "within_limits"]))


@pytest.mark.slow
def test_qif_of_drawings_covering_every_qif_type_is_schema_valid(corpus, plan, measured, tmp_path):
    """Validating takes about a second a document, so: the fewest drawings that together use every
    QIF characteristic type the sample's plans map to (and an inch drawing)."""
    pytest.importorskip("xmlschema")
    from werk24_frames.inspection._qif import qif_type

    types = {d: {qif_type(r) for r in g.itertuples(index=False)} for d, g in plan.groupby("drawing_id")}
    wanted = set().union(*types.values())
    chosen: list[str] = [str(plan.loc[plan["unit"] == "inch", "drawing_id"].iloc[0])]
    covered = set(types[chosen[0]])
    while covered != wanted:
        best = max(types, key=lambda d: len(types[d] - covered))
        chosen.append(best)
        covered |= types[best]
    assert {"Length", "Diameter", "Position", "SurfaceTexture", "Depth", "UserDefinedAttribute"} <= wanted
    schema = qif_schema()
    res = wf.inspection.results(plan, measured, warn=False)
    for drawing_id in chosen:
        out = wf.inspection.to_qif(plan, tmp_path / f"{drawing_id}.qif", results=res, drawing=drawing_id, corpus=corpus)
        errors = [str(e).splitlines()[0] for e in schema.iter_errors(out)]
        assert errors == [], (drawing_id, errors[:3])


def test_a_plan_read_back_from_csv_fills_the_as9102_headers_without_its_corpus(corpus, plan, tmp_path):
    """The plan carries its drawing's header data (part number, name, material), so a plan saved,
    edited in a spreadsheet and read back still fills Forms 1 and 2."""
    openpyxl = pytest.importorskip("openpyxl")
    number = "WF-1015"
    mine = plan[plan["drawing_number"] == number]
    saved = tmp_path / "plan.csv"
    mine.to_csv(saved, index=False)
    again = pd.read_csv(saved, dtype={"drawing_id": str})
    out = wf.inspection.to_as9102(again, tmp_path / "fai.xlsx")
    wb = openpyxl.load_workbook(out)
    form1 = {r[0].value: r[1].value for r in wb["Form 1"].iter_rows(min_row=4) if r[0].value}
    meta = corpus.metadata.set_index("drawing_number").loc[number]
    assert form1["2. Part Name"] == meta["designation"]
    assert next(r[0].value for r in wb["Form 2"].iter_rows(min_row=5)) == meta["material"]


def test_the_same_plan_gives_the_same_qif_file_and_a_change_another_id(plan, tmp_path):
    mine = plan[plan["drawing_number"] == "WF-1015"]
    a = wf.inspection.to_qif(mine, tmp_path / "a.qif")
    b = wf.inspection.to_qif(mine.copy(), tmp_path / "b.qif")
    assert Path(a).read_bytes() == Path(b).read_bytes()
    changed = mine.copy()
    changed.loc[changed.index[0], "upper_limit"] = changed["upper_limit"].iloc[0] + 0.01
    changed.loc[changed.index[0], "upper_limit_mm"] = changed["upper_limit_mm"].iloc[0] + 0.01
    c = wf.inspection.to_qif(changed, tmp_path / "c.qif")

    def qpid(path):
        return Path(path).read_text(encoding="utf-8").split("<QPId>")[1].split("</QPId>")[0]

    assert qpid(a) == qpid(b) != qpid(c)


def test_the_drawing_revision_reaches_the_plan_and_as9102_form_1(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    revisions = wf.sample_corpus("revisions")
    plan = wf.inspection_plan(revisions)
    expected = {"WF-2002 Rev A": "A", "WF-2002 Rev. B": "B", "WF-3001": None}
    for number, revision in expected.items():
        got = set(plan.loc[plan["drawing_number"] == number, "drawing_revision"].astype(object).fillna("NA"))
        assert got == {revision or "NA"}, (number, got)
    out = wf.inspection.to_as9102(plan, tmp_path / "fai.xlsx", drawing="WF-2002 Rev. B")
    form1 = {r[0].value: r[1].value for r in openpyxl.load_workbook(out)["Form 1"].iter_rows(min_row=4) if r[0].value}
    assert form1["7. Drawing Revision Level"] == "B"
