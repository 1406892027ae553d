"""The AS9102 workbook: read back with openpyxl (every balloon once, sorted, values in place),
hostile drawing text stays text, and LibreOffice prints it to PDF where installed."""

from __future__ import annotations

import os
import shutil
import subprocess

import pandas as pd
import pytest
from inspection_plans import make_plan, two_drawing_plan

import werk24_frames as wf

openpyxl = pytest.importorskip("openpyxl")


def _plan():
    plan = make_plan(
        [
            {
                "nominal": 10.0,
                "lower_limit": 10.0,
                "upper_limit": 10.015,
                "requirement": "Ø10 H7 (10.000–10.015)",
                "classification": "critical",
                "zone": "C4",
                "method": "bore gauge",
            },
            {
                "nominal": 6.6,
                "lower_limit": 6.5,
                "upper_limit": 6.7,
                "requirement": "4X Ø6.6 ±0.1",
                "quantity": 4,
                "zone": None,
                "page": 1,
            },
            {
                "nominal": None,
                "lower_limit": None,
                "upper_limit": None,
                "requirement": '=HYPERLINK("http://x","a")\x07',
                "kind": "note",
                "classification": "minor",
                "note": "numbered after the located ones",
            },
        ]
    )
    # shuffled, as a plan may come in any order
    return plan.iloc[[2, 0, 1]].reset_index(drop=True)


def _sheet_rows(ws, first):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first)]


def test_form3_has_every_balloon_once_sorted_with_results(tmp_path):
    plan = _plan()
    m = pd.DataFrame(
        {
            "characteristic": [1, 1, 2, 2, 2, 2, 2, 1],
            "part": ["S1", "S2", "S1", "S1", "S1", "S1", "S2", "S3"],
            "value": [10.004, 10.02, 6.61, 6.58, 6.72, 6.6, 6.62, 10.0],
        }
    )
    res = wf.inspection.results(plan, m)
    out = wf.inspection.to_as9102(plan, tmp_path / "fai.xlsx", results=res)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Form 1", "Form 2", "Form 3"]
    ws = wb["Form 3"]
    header = [c.value for c in ws[7]]
    assert header[:4] == ["5. Char. No.", "6. Reference Location", "7. Characteristic Designator", "8. Requirement"]
    assert header[4:7] == ["9. Results S1", "9. Results S2", "9. Results S3"]
    assert header[7:] == [
        "10. Designed / Qualified Tooling",
        "11. Nonconformance Number",
        "14. Additional Data / Comments",
    ]
    body = _sheet_rows(ws, 8)
    assert [r[0] for r in body] == [1, 2, 3]
    one, two, three = body
    assert one[1] == "1/C4" and one[2] == "Critical" and one[3] == "Ø10 H7 (10.000–10.015)"
    assert one[4:7] == [10.004, 10.02, 10.0]  # one value: a number
    assert one[7] == "bore gauge"
    assert one[8] == "out of tolerance: S2"
    assert ws.cell(row=8, column=6).fill.fgColor.rgb.endswith("F4C7C3")
    assert ws.cell(row=8, column=5).fill.fgColor.rgb in (None, "00000000")
    assert two[1] == "2"  # page 1 (0-based) is sheet 2, no zone
    assert two[4] == "6.61; 6.58; 6.72; 6.6"
    assert two[8] == "out of tolerance: S1"
    assert "4X" in two[9]
    # hostile text: a string, not a formula; the control character replaced
    assert three[3] == '=HYPERLINK("http://x","a")\ufffd'
    assert ws.cell(row=10, column=4).data_type == "s"
    assert three[9] == "numbered after the located ones"
    # prints: landscape, the title, header fields and column header repeated on every page
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$7"
    # fields 1-4, one a row, label over A:B and entry over C:D (the repeated columns)
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value) for r in range(2, 6)] == [
        ("1. Part Number", "WF-1"),
        ("2. Part Name", None),
        ("3. Serial Number", "S1, S2, S3"),
        ("4. FAI Report Number", None),
    ]
    assert {"A2:B2", "C2:D2", "A5:B5", "C5:D5"} <= {str(r) for r in ws.merged_cells.ranges}
    form1 = {r[0]: r[1] for r in _sheet_rows(wb["Form 1"], 4) if r[0]}
    assert form1["6. Drawing Number"] == "WF-1"
    assert form1["3. Serial Number"] == "S1, S2, S3"


def test_without_results_one_empty_results_column(tmp_path):
    out = wf.inspection.to_as9102(_plan(), tmp_path / "fai.xlsx")
    ws = openpyxl.load_workbook(out)["Form 3"]
    assert [c.value for c in ws[7]][4] == "9. Results"
    assert [r[4] for r in _sheet_rows(ws, 8)] == [None, None, None]


def test_several_drawings_need_a_choice(tmp_path):
    plan = two_drawing_plan()
    with pytest.raises(ValueError, match="2 drawings"):
        wf.inspection.to_as9102(plan, tmp_path / "x.xlsx")
    out = wf.inspection.to_as9102(plan, tmp_path / "x.xlsx", drawing="WF-2")
    ws = openpyxl.load_workbook(out)["Form 3"]
    assert [r[0] for r in _sheet_rows(ws, 8)] == [1]
    with pytest.raises(ValueError, match="not in the plan"):
        wf.inspection.to_as9102(plan, tmp_path / "x.xlsx", drawing="WF-404")


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; .ci/run installs it, and in CI it must be there",
)
def test_libreoffice_prints_it(tmp_path):
    m = pd.DataFrame({"characteristic": [1, 2], "part": ["S1", "S1"], "value": [10.004, 6.6]})
    plan = _plan()
    out = wf.inspection.to_as9102(plan, tmp_path / "fai.xlsx", results=wf.inspection.results(plan, m))
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), out],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "fai.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
