"""The AS9102 first-article inspection workbook: Forms 1, 2 and 3 of one drawing.

Form 3 has one row per balloon of the plan, sorted by balloon number, each exactly once. What
the drawing tells (part number, name, drawing number, material) is filled in; what only the
supplier knows (FAI report number, organisation, PO, signatures) is left empty for the user.

Results: with ``results`` (``wf.inspection.results``), Form 3 gets one results column per part
serial number (``Results S1``, ``Results S2``...), in the order the parts were measured; one value
is a number (6 significant digits), several values of one part (a ``4X`` feature) are listed in
one text cell joined by ``; `` in occurrence order (one balloon for the feature, not sub-numbers ``5.1 … 5.4``). A value
outside the limits is on a red fill and the row's nonconformance cell names the parts; the
nonconformance *number* itself comes from the user's quality system.

Printing: landscape A4, grid lines; Forms 1 and 2 fitted to the page width. Form 3 repeats its
title, fields 1-4 and column header (rows 1-7) and its characteristic columns (A:D) on every page;
it is fitted to the width only when that prints at 70 % or more, else it prints at a fixed 70 %
with a column break between results columns, as many serials a page as fit, the tail columns
together after the last serial (:func:`_form3_pages`).

Drawing text is untrusted: every cell is written as a string (never a formula, so ``=...`` from a
drawing is shown, not run), with characters XML cannot hold removed.

May import: openpyxl (on call), pandas, :mod:`._measurements`, the corpus (for metadata only).
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._extras import require
from ._measurements import _check_plan

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .._corpus import Corpus

__all__ = ["FORM3_COLUMNS", "to_as9102"]

#: Form 3's columns (AS9102 Rev C field numbers), before the per-part results columns.
FORM3_COLUMNS = (
    ("5. Char. No.", 9),
    ("6. Reference Location", 12),
    ("7. Characteristic Designator", 14),
    ("8. Requirement", 38),
)
FORM3_TAIL = (
    ("10. Designed / Qualified Tooling", 16),
    ("11. Nonconformance Number", 24),
    ("14. Additional Data / Comments", 32),
)
_RESULTS_WIDTH = 16
#: Form 3's rows repeated at the top of every printed page: the title, fields 1-4 (one a row,
#: label over columns A:B, entry over C:D), a blank row and the column header.
FORM3_HEADER_ROW = 7

# Printing Form 3. A column ``w`` characters wide prints at most 7 pt per character at 100 %:
# LibreOffice measures widths in its default font, DejaVu Sans where Calibri is missing (measured:
# 63 pt for 9 characters, 266 pt for 38); Excel's Calibri gives 7 px + 5 px = 5.25 w + 3.75 pt.
# Pages are laid out for the wider of the two, so no program has to add a break of its own.
_PT_PER_CHAR = 7.0
_LINE_PT = 15.0  # the height of a line of 11 pt text
_PRINT_SCALE = 70  # percent: 11 pt text prints at 7.7 pt, the smallest this form goes
_A4_LANDSCAPE_WIDTH_PT = 841.89
_SIDE_MARGIN_IN = 0.25  # Excel's "narrow" margins
_FORM1_ENTRY_WIDTH = 60
_HEADER_FILL = "DDE6F0"
_FAIL_FILL = "F4C7C3"

# Characters an XML 1.0 document cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return _ILLEGAL.sub("\ufffd", str(value))


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a cell as a string or a number, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
    else:
        text = _text(value)
        cell.value = text
        if text is not None:
            cell.data_type = "s"
    return cell


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _metadata(plan: pd.DataFrame, drawing_id: str, corpus: Corpus | None) -> dict[str, str | None]:
    """What the drawing says for Forms 1 and 2 (NA where nothing is known)."""
    rows = plan[plan["drawing_id"] == drawing_id]
    first_row = rows.iloc[0] if len(rows) else None
    out: dict[str, str | None] = {
        key: _text(first_row.get(key)) if first_row is not None else None
        for key in ("drawing_number", "drawing_revision", "part_number", "part_name", "material", "material_standard")
    }
    if corpus is None:
        from .._corpus import corpus_of

        corpus = corpus_of(plan)
    if corpus is None:
        return out  # the plan's own header columns
    md = corpus.table("metadata")
    md = md[md["drawing_id"] == drawing_id]
    if len(md):
        first = md.iloc[0]
        out["part_number"] = _text(first.get("part_number"))
        out["part_name"] = _text(first.get("designation"))
        out["material"] = _text(first.get("material"))
        out["material_standard"] = _text(first.get("material_standard"))
    return out


def _materials(drawing_id: str, corpus: Corpus | None, plan: pd.DataFrame) -> list[tuple[str | None, str | None]]:
    if corpus is None:
        from .._corpus import corpus_of

        corpus = corpus_of(plan)
    if corpus is None:  # the plan's own material column
        rows = plan[plan["drawing_id"] == drawing_id]
        if not len(rows) or "material" not in plan.columns:
            return []
        item = (_text(rows["material"].iloc[0]), _text(rows["material_standard"].iloc[0]))
        return [] if item == (None, None) else [item]
    mats = corpus.table("materials")
    mats = mats[mats["drawing_id"] == drawing_id]
    seen: list[tuple[str | None, str | None]] = []
    for designation, standard in zip(mats["designation"], mats["standard"], strict=True):
        item = (_text(designation), _text(standard))
        if item not in seen and item != (None, None):
            seen.append(item)
    return seen


def _one_drawing(plan: pd.DataFrame, drawing: str | None) -> str:
    ids = list(dict.fromkeys(plan["drawing_id"].dropna().astype(str)))
    if drawing is None:
        if len(ids) != 1:
            raise ValueError(
                f"the plan has {len(ids)} drawings; an AS9102 workbook is about one: pass drawing='<number or id>'"
            )
        return ids[0]
    if drawing in ids:
        return drawing
    numbers = plan.loc[plan["drawing_number"].astype("string") == drawing, "drawing_id"].dropna().astype(str).unique()
    if len(numbers) == 1:
        return str(numbers[0])
    if len(numbers) > 1:
        raise ValueError(f"drawing number {drawing!r} names {len(numbers)} drawings of the plan; pass the id")
    raise ValueError(f"drawing {drawing!r} is not in the plan")


def _header_style(ws: Worksheet, row: int, ncols: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="888888")
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Forms 1 and 2: one page wide, as many pages down as it takes."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    if title_rows:
        ws.print_title_rows = title_rows


def _form1(ws: Worksheet, meta: dict[str, str | None], serials: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    _put(ws, 1, 1, "AS9102 Form 1 — Part Number Accountability").font = Font(bold=True, size=14)
    fields = [
        ("1. Part Number", meta["part_number"] or meta["drawing_number"]),
        ("2. Part Name", meta["part_name"]),
        ("3. Serial Number", ", ".join(serials) or None),
        ("4. FAI Report Number", None),
        ("5. Part Revision Level", None),
        ("6. Drawing Number", meta["drawing_number"]),
        ("7. Drawing Revision Level", meta.get("drawing_revision")),
        ("8. Additional Changes", None),
        ("9. Manufacturing Process Reference", None),
        ("10. Organization Name", None),
        ("11. Supplier Code", None),
        ("12. P.O. Number", None),
        ("13. Detail / Assembly FAI", "Detail"),
        ("14. Full / Partial FAI", "Full FAI"),
        ("    Reason for Partial FAI", None),
        ("19. Signature", None),
        ("20. Date", None),
        ("21. Reviewed By", None),
        ("22. Date", None),
        ("23. Customer Approval", None),
        ("24. Date", None),
    ]
    _put(ws, 3, 1, "Field")
    _put(ws, 3, 2, "Entry")
    _header_style(ws, 3, 2)
    for i, (label, value) in enumerate(fields, start=4):
        name = _put(ws, i, 1, label)
        name.font = Font(bold=True)
        entry = _put(ws, i, 2, value)
        lines = _lines(_text(value) or "", _FORM1_ENTRY_WIDTH)
        if lines > 1:  # many serials: wrapped in the entry column, not spilling over the page width
            name.alignment = Alignment(vertical="top")
            entry.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[i].height = _LINE_PT * lines
    _put(
        ws, len(fields) + 5, 1, "Filled from the drawing where known (werk24_frames); empty fields are the supplier's."
    )
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = _FORM1_ENTRY_WIDTH
    _print_setup(ws)


def _form2(ws: Worksheet, meta: dict[str, str | None], materials: list[tuple[str | None, str | None]]) -> None:
    from openpyxl.styles import Font

    _put(ws, 1, 1, "AS9102 Form 2 — Product Accountability: Raw Material, Specifications and Special Processes")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 20  # a line of 14 pt
    _put(ws, 2, 1, "1. Part Number")
    _put(ws, 2, 2, meta["part_number"] or meta["drawing_number"])
    _put(ws, 2, 3, "2. Part Name")
    _put(ws, 2, 4, meta["part_name"])
    header = [
        "5. Material or Process Name",
        "6. Specification Number",
        "7. Code",
        "8. Special Process Supplier Code",
        "9. Customer Approval Verification",
        "10. Certificate of Conformance Number",
    ]
    for col, name in enumerate(header, start=1):
        _put(ws, 4, col, name)
    _header_style(ws, 4, len(header))
    if not materials and meta["material"]:
        materials = [(meta["material"], meta["material_standard"])]
    for line, (material, standard) in enumerate(materials, start=5):
        _put(ws, line, 1, material)
        _put(ws, line, 2, standard)
    widths = (34, 24, 12, 22, 22, 26)
    for letter, width in zip("ABCDEF", widths, strict=True):
        ws.column_dimensions[letter].width = width
    # a wrapped label does not make its row taller by itself (LibreOffice prints it over the border)
    ws.row_dimensions[4].height = _LINE_PT * max(_lines(name, w) for name, w in zip(header, widths, strict=True))
    ws.freeze_panes = "A5"
    _print_setup(ws, "4:4")


def _serials_field(serials: list[str]) -> str | None:
    """Form 3's field 3: the serials when they fit on one line, else how many (Form 1 lists them)."""
    listed = ", ".join(serials)
    if len(listed) <= sum(width for _, width in FORM3_COLUMNS[2:]):
        return listed or None
    return f"{len(serials)} parts (every serial on Form 1)"


def _advance(char: str) -> float:
    """How wide a character prints, in column-width units (the width of a digit): the wider of
    Calibri (Excel) and DejaVu Sans (LibreOffice's stand-in), rounded up by class."""
    if char.isdigit():
        return 1.0
    if char in _NARROW:
        return 0.7
    if char in "mwMW@%":
        return 1.8
    if unicodedata.east_asian_width(char) in "WF":
        return 2.0
    return 1.35 if char.isupper() or char in "Ø±" else 1.05


_NARROW = frozenset(" .,:;!|'ilIjtfr-()[]/")


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide: at spaces and
    after hyphens, as Excel and LibreOffice break lines, a word wider than the column inside."""
    room = max(2.0, float(width))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            for k, piece in enumerate(re.findall(r"[^-]*-|[^-]+", word) or [""]):
                size = sum(_advance(c) for c in piece)
                gap = _advance(" ") if used and k == 0 else 0.0
                if used and used + gap + size > room:
                    lines += 1
                    used, gap = 0.0, 0.0
                while size > room:
                    lines += 1
                    size -= room
                used += gap + size
    return lines


def _form3_pages(widths: list[float]) -> tuple[int | None, list[int]]:
    """How Form 3 prints across: ``(scale, breaks)`` for its column widths (in characters).

    The characteristic columns (:data:`FORM3_COLUMNS`) repeat on every page. When the whole form
    fits one landscape A4 page at :data:`_PRINT_SCALE` percent or more, ``scale`` is ``None``: fit
    to the page width, no breaks. Else ``scale`` is that fixed scale and ``breaks`` are the
    (1-based) last columns of every page but the last: each page takes as many results columns
    as fit, and the tail columns (:data:`FORM3_TAIL`) print together after the last serial, on
    its page when they fit there.
    """
    room = (_A4_LANDSCAPE_WIDTH_PT - 2 * 72 * _SIDE_MARGIN_IN) * 100 / _PRINT_SCALE * 0.99
    points = [_PT_PER_CHAR * w for w in widths]
    if sum(points) <= room:
        return None, []
    first = len(FORM3_COLUMNS)
    room -= sum(points[:first])
    tail = len(points) - len(FORM3_TAIL)
    units = [[col] for col in range(first, tail)]  # 0-based column positions, a results column each
    if sum(points[tail:]) <= room:
        units.append(list(range(tail, len(points))))  # the tail stays together
    else:
        units.extend([col] for col in range(tail, len(points)))
    breaks: list[int] = []
    used = 0.0
    for unit in units:
        width = sum(points[col] for col in unit)
        if used and used + width > room:
            breaks.append(unit[0])  # the 1-based number of the column before this unit
            used = 0.0
        used += width
    return _PRINT_SCALE, breaks


def _form3_print_setup(ws: Worksheet, widths: list[float]) -> None:
    """Form 3: landscape A4 at a legible scale, the characteristic columns and the header rows
    on every page, a page break between results columns where the next would not fit."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.pagebreak import Break

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.pageOrder = "downThenOver"  # every characteristic of some serials, then the next serials
    ws.page_margins = PageMargins(
        left=_SIDE_MARGIN_IN, right=_SIDE_MARGIN_IN, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    ws.print_options.gridLines = True
    ws.print_title_rows = f"1:{FORM3_HEADER_ROW}"
    ws.print_title_cols = f"A:{get_column_letter(len(FORM3_COLUMNS))}"
    ws.oddFooter.center.text = "Page &P of &N"
    scale, breaks = _form3_pages(widths)
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = scale
    for last in breaks:
        ws.col_breaks.append(Break(id=last))


def _location(page: Any, zone: Any) -> str | None:
    sheet = None if page is None or pd.isna(page) else int(page) + 1
    z = _text(zone)
    if sheet is None:
        return z
    return f"{sheet}/{z}" if z else str(sheet)


def _form3(
    ws: Worksheet,
    rows: pd.DataFrame,
    meta: dict[str, str | None],
    res: pd.DataFrame | None,
    serials: list[str],
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    title = _put(ws, 1, 1, "AS9102 Form 3 — Characteristic Accountability, Verification and Compatibility Evaluation")
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FORM3_COLUMNS))
    ws.row_dimensions[1].height = 38  # two lines of 14 pt: the title is printed on every page
    # Fields 1-4, one a row within the characteristic columns, so every printed page carries them.
    fields = (
        ("1. Part Number", meta["part_number"] or meta["drawing_number"]),
        ("2. Part Name", meta["part_name"]),
        ("3. Serial Number", _serials_field(serials)),
        ("4. FAI Report Number", None),
    )
    for line, (label, value) in enumerate(fields, start=2):
        _put(ws, line, 1, label).font = Font(bold=True)
        _put(ws, line, 3, value).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=2)
        ws.merge_cells(start_row=line, start_column=3, end_row=line, end_column=len(FORM3_COLUMNS))
        lines = _lines(_text(value) or "", sum(width for _, width in FORM3_COLUMNS[2:]))
        ws.row_dimensions[line].height = _LINE_PT * lines  # merged cells do not grow by themselves
    results_cols = [f"9. Results {s or '(no serial)'}" for s in serials] if serials else ["9. Results"]
    columns = [*FORM3_COLUMNS, *((c, _RESULTS_WIDTH) for c in results_cols), *FORM3_TAIL]
    head = FORM3_HEADER_ROW
    for col, (name, width) in enumerate(columns, start=1):
        _put(ws, head, col, name)
        ws.column_dimensions[ws.cell(row=head, column=col).column_letter].width = width
    _header_style(ws, head, len(columns))
    ws.row_dimensions[head].height = _LINE_PT * max(3, *(_lines(name, width) for name, width in columns))

    cells: dict[tuple[int, str], list[tuple[float, Any]]] = {}
    if res is not None:
        for balloon, part, value, ok in zip(
            res["characteristic"], res["part"], res["value"], res["within_limits"], strict=True
        ):
            if pd.isna(balloon):
                continue
            cells.setdefault((int(balloon), "" if pd.isna(part) else str(part)), []).append((value, ok))
    fail = PatternFill("solid", fgColor=_FAIL_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    first_result = len(FORM3_COLUMNS) + 1
    plan_row: Any
    for r, plan_row in enumerate(rows.itertuples(index=False), start=head + 1):
        balloon = int(plan_row.characteristic)
        _put(ws, r, 1, balloon)
        _put(ws, r, 2, _location(plan_row.page, plan_row.zone))
        designator = _text(plan_row.classification)
        _put(ws, r, 3, designator.capitalize() if designator else None)
        _put(ws, r, 4, plan_row.requirement)
        failed: list[str] = []
        for k, serial in enumerate(serials or [""]):
            entries = cells.get((balloon, serial), [])
            if not entries:
                continue
            shown: str | float = "; ".join("" if pd.isna(v) else _fmt(float(v)) for v, _ in entries)
            if all(pd.isna(v) for v, _ in entries):
                shown = "no value"
            elif len(entries) == 1:
                shown = float(_fmt(float(entries[0][0])))  # one value: a number Excel can compute with
            cell = _put(ws, r, first_result + k, shown)
            if any(not pd.isna(ok) and not bool(ok) for _, ok in entries):
                cell.fill = fail
                failed.append(serial or "the part")
        tail = first_result + len(results_cols)
        _put(ws, r, tail, plan_row.method)
        _put(ws, r, tail + 1, f"out of tolerance: {', '.join(failed)}" if failed else None)
        comments = []
        if not pd.isna(plan_row.quantity) and int(plan_row.quantity) > 1:
            comments.append(f"{int(plan_row.quantity)}X: every occurrence in one cell")
        if _text(plan_row.note):
            comments.append(str(_text(plan_row.note)))
        _put(ws, r, tail + 2, "; ".join(comments) or None)
        lines = 1
        for col, (_, width) in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=col)
            cell.alignment = wrap
            if isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, width))
        if lines > 1:  # LibreOffice does not grow a row to its wrapped text: say how tall it prints
            ws.row_dimensions[r].height = _LINE_PT * lines
    ws.freeze_panes = ws.cell(row=head + 1, column=2)
    _form3_print_setup(ws, [width for _, width in columns])


def to_as9102(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    results: pd.DataFrame | None = None,
    *,
    drawing: str | None = None,
    corpus: Corpus | None = None,
) -> str:
    """Write the AS9102 first-article inspection workbook (Forms 1, 2 and 3) of one drawing.

    Parameters
    ----------
    plan
        The inspection plan (``wf.inspection_plan(corpus)``).
    path
        The ``.xlsx`` file to write (replaced if it exists).
    results
        ``wf.inspection.results(plan, measurements)``: Form 3 then holds the measured values,
        one column per part serial, values outside the limits on red.
    drawing
        The drawing (number or id) when the plan holds several.
    corpus
        Where the part name, part number and materials come from (every material of the drawing
        for Form 2); by default the corpus the plan was made from when it is still loaded, else
        the plan's own header columns (``part_number``, ``part_name``, ``material``), so a plan
        saved and read back needs no corpus.

    Returns
    -------
    str
        The path written.

    Notes
    -----
    How Form 3 prints, for any number of serials: landscape A4; rows 1-7 (the title, fields 1-4
    and the column header) and columns A:D (Char. No., Reference Location, Characteristic
    Designator, Requirement) on every page. When the whole sheet fits one page width at 70 % or
    more it is fitted to the width; else it prints at a fixed 70 % with a column break between
    results columns, each page holding as many serials as fit (five on A4), the tooling,
    nonconformance and comments columns together after the last serial. Pages go down, then
    across; a long plan pages down with the header repeated. Forms 1 and 2 are fitted to the page
    width.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import werk24_frames as wf
    >>> corpus = wf.sample_corpus()
    >>> plan = wf.inspection_plan(corpus.select("WF-1015"))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "FAI_WF-1015.xlsx"
    >>> wf.inspection.to_as9102(plan, out, corpus=corpus) == str(out)
    True
    >>> import openpyxl
    >>> form3 = openpyxl.load_workbook(out)["Form 3"]
    >>> form3.print_title_cols, form3.print_title_rows
    ('$A:$D', '$1:$7')
    """
    require("inspection", "writing AS9102 workbooks", "openpyxl")
    from openpyxl import Workbook

    _check_plan(plan)
    for column in ("page", "zone", "classification", "method", "quantity", "note"):
        if column not in plan.columns:
            raise ValueError(f"the plan lacks the column {column}; make it with wf.inspection_plan(corpus)")
    drawing_id = _one_drawing(plan, drawing)
    rows = plan[plan["drawing_id"] == drawing_id].drop_duplicates("characteristic")
    rows = rows.sort_values("characteristic", kind="stable")
    res = None
    serials: list[str] = []
    if results is not None:
        res = results[results["drawing_id"] == drawing_id]
        res = res.sort_values(["sequence"], kind="stable")
        serials = list(dict.fromkeys("" if pd.isna(p) else str(p) for p in res["part"]))
        if serials == [""]:
            serials = []
    meta = _metadata(plan, drawing_id, corpus)
    wb = Workbook()
    ws1 = wb.active
    assert ws1 is not None
    ws1.title = "Form 1"
    _form1(ws1, meta, serials)
    _form2(wb.create_sheet("Form 2"), meta, _materials(drawing_id, corpus, plan))
    _form3(wb.create_sheet("Form 3"), rows, meta, res, serials)
    wb.properties.title = f"AS9102 FAI {meta['drawing_number'] or drawing_id}"[:250]
    wb.properties.creator = "werk24_frames"
    target = os.fspath(path)
    wb.save(target)
    return str(target)
