"""The AS9102 workbook: read back with openpyxl (every balloon once, sorted, values in place),
hostile drawing text stays text, and LibreOffice prints it to PDF where installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection_plans import make_plan, two_drawing_plan

import werk24_frames as wf

openpyxl = pytest.importorskip("openpyxl")
get_column_letter = openpyxl.utils.get_column_letter


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


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; .ci/run installs it, and in CI it must be there",
)


def _libreoffice_pdf(paths, outdir):
    """Print workbooks to PDF with LibreOffice headless (one run for all): the PDFs' paths."""
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"HOME": str(outdir), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return [outdir / (Path(p).stem + ".pdf") for p in paths]


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_prints_it(tmp_path):
    m = pd.DataFrame({"characteristic": [1, 2], "part": ["S1", "S1"], "value": [10.004, 6.6]})
    plan = _plan()
    out = wf.inspection.to_as9102(plan, tmp_path / "fai.xlsx", results=wf.inspection.results(plan, m))
    (pdf,) = _libreoffice_pdf([out], tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"


# --- Printing Form 3 -------------------------------------------------------------------------
# The contract: landscape A4, columns A:D (Char. No., Reference Location, Designator, Requirement)
# and rows 1-7 (title, fields 1-4, column header) on every page; the whole form on one page width
# when it fits there at 70 % or more, else a fixed 70 % and a column break wherever the next
# results column would not fit, so no serial column is cut and each page takes as many as fit.
# Widths: at most 7 pt a character of column width (LibreOffice with DejaVu; Excel's Calibri is
# narrower), which the PDF tests below check against a real print.

PT_PER_CHAR = 7.0
A4_LANDSCAPE_PT = 841.89
LEGIBLE_SCALE = 70


def _measured_plan(
    n_balloons: int, serials: list[str], fail: bool = True, long_every: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A plan of ``n_balloons`` diameters measured on every serial; with ``fail`` some values
    outside (balloon i of serial k when k + i is a multiple of 7); with ``long_every`` every such
    balloon's requirement a text that wraps to three lines."""
    long = "; measured at three heights along the bore, 120° apart, after stress relieving"
    plan = make_plan(
        [
            {
                "nominal": 10.0 + i,
                "lower_limit": 9.99 + i,
                "upper_limit": 10.01 + i,
                "requirement": f"Ø{10 + i} ±0.01" + (long if long_every and i % long_every == 0 else ""),
                "zone": f"C{1 + i % 8}",
            }
            for i in range(n_balloons)
        ]
    )
    m = pd.DataFrame(
        [
            {
                "characteristic": i + 1,
                "part": serial,
                "value": 10.0 + i + (0.02 if fail and (k + i) % 7 == 0 else 0.001),
            }
            for k, serial in enumerate(serials)
            for i in range(n_balloons)
        ]
    )
    return plan, wf.inspection.results(plan, m, warn=False)


def _pages_across(ws) -> list[list[int]]:
    """The columns (1-based) after A:D printed on each page, from the sheet's column breaks."""
    last = ws.max_column
    ends = [b.id for b in ws.col_breaks.brk] + [last]
    pages, start = [], 5
    for end in ends:
        pages.append(list(range(start, end + 1)))
        start = end + 1
    return pages


def _check_form3_prints(ws, serials: list[str]) -> None:
    n = len(serials)
    header = [c.value for c in ws[7]]
    assert header[4 : 4 + n] == [f"9. Results {s}" for s in serials]
    assert len(header) == 4 + n + 3
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_cols == "$A:$D"
    assert ws.print_title_rows == "$1:$7"
    width_pt = [PT_PER_CHAR * ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(header) + 1)]
    margins = ws.page_margins
    printable = A4_LANDSCAPE_PT - 72 * (margins.left + margins.right)
    room = printable * 100 / LEGIBLE_SCALE  # the sheet's width one page holds at 70 %
    title = sum(width_pt[:4])
    breaks = [b.id for b in ws.col_breaks.brk]
    if not breaks and ws.sheet_properties.pageSetUpPr.fitToPage:
        # one page wide: allowed only when that prints at 70 % or more
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert sum(width_pt) <= room
        return
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # no shrinking to the width
    assert ws.page_setup.scale >= LEGIBLE_SCALE
    room = printable * 100 / ws.page_setup.scale
    assert sum(width_pt) > printable * 100 / LEGIBLE_SCALE  # it would not have fitted at 70 %
    assert breaks == sorted(set(breaks))
    # every break falls between two results columns or after the last one: never inside A:D or
    # the tail (tooling, nonconformance, comments), which prints together
    assert all(5 <= b <= 4 + n for b in breaks)
    pages = _pages_across(ws)
    assert sorted(c for page in pages for c in page) == list(range(5, len(header) + 1))  # each once
    for k, page in enumerate(pages):
        assert title + sum(width_pt[c - 1] for c in page) <= room, (k, page)  # no column cut
        if k + 1 < len(pages):
            following = pages[k + 1]
            unit = following[:1] if following[0] <= 4 + n else following  # a serial, or the tail
            assert title + sum(width_pt[c - 1] for c in page + unit) > 0.99 * room  # as many as fit (1 % kept free)


serial_names = st.lists(
    st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789-", min_size=1, max_size=24),
    min_size=1,
    max_size=80,
    unique=True,
)


@settings(max_examples=30, deadline=None)
@given(
    count=st.integers(1, 80),
    n_balloons=st.integers(1, 60),
    names=st.one_of(st.none(), serial_names),
)
def test_form3_prints_any_number_of_serials(tmp_path_factory, count, n_balloons, names):
    serials = names if names is not None else [f"SN{k + 1:03d}" for k in range(count)]
    plan, res = _measured_plan(n_balloons, serials)
    out = wf.inspection.to_as9102(plan, tmp_path_factory.mktemp("fai") / "fai.xlsx", results=res)
    wb = openpyxl.load_workbook(out)
    ws = wb["Form 3"]
    _check_form3_prints(ws, serials)
    # still one row per balloon, sorted, values in place, failures on red
    body = _sheet_rows(ws, 8)
    assert [r[0] for r in body] == list(range(1, n_balloons + 1))
    assert all(isinstance(v, float) for r in body for v in r[4 : 4 + len(serials)])
    red = {(c.row, c.column) for row in ws.iter_rows(min_row=8) for c in row if c.fill.fgColor.rgb.endswith("F4C7C3")}
    expected = {(8 + i, 5 + k) for k in range(len(serials)) for i in range(n_balloons) if (k + i) % 7 == 0}
    assert red == expected
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)
    # the header fields fit the repeated columns: the serials, or how many when they are too long
    listed = ", ".join(serials)
    assert ws["C4"].value == (listed if len(listed) <= 52 else f"{len(serials)} parts (every serial on Form 1)")
    # Forms 1 and 2 print as they always have: one page wide
    for name, title_rows in (("Form 1", None), ("Form 2", "$4:$4")):
        other = wb[name]
        assert other.sheet_properties.pageSetUpPr.fitToPage
        assert (other.page_setup.fitToWidth, other.page_setup.fitToHeight) == (1, 0)
        assert other.page_setup.orientation == "landscape"
        assert other.print_title_rows == title_rows
        assert not other.col_breaks.brk
    form1 = {r[0]: r[1] for r in _sheet_rows(wb["Form 1"], 4) if r[0]}
    assert form1["3. Serial Number"] == listed
    # Form 2's header labels wrap ("8. Special Process Supplier Code" is 32 characters in a column
    # 22 wide): its row is at least two lines of 11 pt (15 pt) tall, or the second line prints over
    # the border
    assert wb["Form 2"].column_dimensions["D"].width == 22 and wb["Form 2"]["D4"].value.startswith("8. Special")
    assert wb["Form 2"].row_dimensions[4].height >= 2 * 15


def test_one_serial_prints_one_page_wide_and_two_do_not_shrink(tmp_path):
    """The common first article, one part: one page wide (at 70 % or more); a second serial
    would need less than 70 %, so the form goes to pages instead."""
    plan, res = _measured_plan(3, ["SN1"])
    ws = openpyxl.load_workbook(wf.inspection.to_as9102(plan, tmp_path / "1.xlsx", results=res))["Form 3"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and not ws.col_breaks.brk
    _check_form3_prints(ws, ["SN1"])
    plan, res = _measured_plan(3, ["SN1", "SN2"])
    ws = openpyxl.load_workbook(wf.inspection.to_as9102(plan, tmp_path / "2.xlsx", results=res))["Form 3"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 70
    assert [b.id for b in ws.col_breaks.brk] == [6]  # the tail on a page of its own
    _check_form3_prints(ws, ["SN1", "SN2"])


# --- Printing Form 3 for real: LibreOffice prints it, poppler reads the PDF back ------------------

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="poppler-utils (pdftotext) is not installed; .ci/run installs it, and in CI it must be there",
)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _pdf_pages(pdf) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """Every page of a PDF: its width and its words with their boxes (points, y down)."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in text.split("<page ")[1:]:
        width = float(re.match(r'width="([\d.]+)"', page).group(1))
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(page)]
        pages.append((width, words))
    return pages


def _column_words(words, left_header: str, right_header: str):
    """The words printed under the column whose header starts with ``left_header`` (its number,
    e.g. "5."), up to the next column's ("6."), top to bottom."""
    header = [w for w in words if w[4] in (left_header, right_header)]
    left = min(w[0] for w in header if w[4] == left_header)
    right = min(w[0] for w in header if w[4] == right_header)
    top = max(w[3] for w in header)
    return [w[4] for w in sorted(words, key=lambda w: w[1]) if left - 1 <= w[0] < right - 1 and w[1] > top]


def _overprinted(words) -> list[tuple[str, str]]:
    """Pairs of words printed over each other: their boxes overlap by more than a point across
    and by more than half a line down (a box holds the font's ascent and descent, so the boxes of
    two lines of one cell touch)."""
    out = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            line = min(a[3] - a[1], b[3] - b[1])
            if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > line / 2:
                out.append((a[4], b[4]))
    return out


@pytest.mark.slow
@needs_libreoffice
@needs_poppler
def test_twenty_serials_print_on_legible_pages_with_the_characteristics_on_each(tmp_path):
    """20 serials, 12 balloons, and a long list (3 serials, 70 balloons), printed by LibreOffice:
    as many pages as the column breaks say, the characteristic columns and the header on every
    page, each serial header on exactly one page, nothing outside the paper, and the text at the
    fixed 70 % (measured against the same text printed at 100 %)."""
    serials = [f"SN{k:02d}" for k in range(1, 21)]
    plan, res = _measured_plan(12, serials, fail=False)  # no nonconformance text: serials only in headers
    wide = wf.inspection.to_as9102(plan, tmp_path / "wide.xlsx", results=res)
    plan, res = _measured_plan(70, serials[:3], long_every=5)  # requirements that wrap
    long = wf.inspection.to_as9102(plan, tmp_path / "long.xlsx", results=res)
    reference = openpyxl.Workbook()
    reference.active["A1"] = "10.001"  # the default font at 100 %
    reference.active.page_setup.scale = 100
    reference.save(tmp_path / "reference.xlsx")
    wide_pdf, long_pdf, reference_pdf = _libreoffice_pdf([wide, long, tmp_path / "reference.xlsx"], tmp_path)
    ((_, ref_words),) = _pdf_pages(reference_pdf)
    full_size = next(w[3] - w[1] for w in ref_words if w[4] == "10.001")

    ws = openpyxl.load_workbook(wide)["Form 3"]
    across = _pages_across(ws)
    assert [len(p) for p in across] == [5, 5, 5, 5, 3]  # 5 serials a page at 70 %, then the tail
    pages = _pdf_pages(wide_pdf)
    titles = [next(w[4] for w in words[2:3]) for _, words in pages]  # "AS9102 Form n ..."
    assert titles == ["1", "2"] + ["3"] * len(across)  # Form 1, Form 2: one page each
    margin = 72 * ws.page_margins.right
    for k, ((width, words), columns) in enumerate(zip(pages[2:], across, strict=True)):
        text = [w[4] for w in words]
        assert {"Char.", "Reference", "Requirement", "Part", "Number", "Serial", "FAI"} <= set(text), k
        assert _column_words(words, "5.", "6.") == [str(b) for b in range(1, 13)], k  # every balloon
        shown = [t for t in text if re.fullmatch(r"SN\d\d", t)]
        assert shown == [serials[c - 5] for c in columns if c < 25], k  # this page's serials, in order
        values = [w for w in words if re.fullmatch(r"\d+\.001", w[4])]
        assert len(values) == 12 * sum(c < 25 for c in columns), k  # every value, none cut off
        assert all(w[2] <= width - margin + 1 for w in words), k  # nothing beyond the right margin
        heights = [w[3] - w[1] for w in values] or [w[3] - w[1] for w in words if w[4] == "Requirement"]
        assert min(heights) >= 6, k  # points: legible
        if values:
            assert 0.68 <= min(heights) / full_size <= 0.72, (k, min(heights), full_size)  # the fixed 70 %
        assert f"Page {k + 3} of {len(pages)}" in " ".join(text)
        assert not _overprinted(words), k
    assert "Requirement" in [w[4] for w in pages[-1][1]] and "Nonconformance" in [w[4] for w in pages[-1][1]]

    ws = openpyxl.load_workbook(long)["Form 3"]
    across = _pages_across(ws)
    assert len(across) == 2  # 3 serials; the tail does not fit beside them
    pages = [words for _, words in _pdf_pages(long_pdf)][2:]
    assert len(pages) % len(across) == 0 and len(pages) > len(across)  # pages down, each strip alike
    down = len(pages) // len(across)
    for strip in range(len(across)):  # page order: down, then over
        balloons = []
        for words in pages[strip * down : (strip + 1) * down]:
            assert {"Char.", "Part", "Number", "Requirement"} <= {w[4] for w in words}  # header repeated
            balloons += _column_words(words, "5.", "6.")
            assert not _overprinted(words)  # every row as tall as its wrapped text
        assert balloons == [str(b) for b in range(1, 71)], strip  # each balloon once, in order
