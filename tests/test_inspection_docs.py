"""docs/inspection.md, the sections of measurements, results, capability, AS9102 and QIF: the code
runs, shows what the page says (lines followed by ``# -> value``) and writes the files it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parent.parent / "docs" / "inspection.md"


def test_every_section_runs_and_shows_what_it_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code block of docs/inspection.md, in order, in one namespace. A line followed by
    ``# -> value`` or ``# (value)  comment`` shows that value."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("matplotlib")
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    arrows = tuples = 0
    for code in blocks:
        exec(compile(code, str(DOC), "exec"), namespace)
        lines = code.splitlines()
        for k, line in enumerate(lines[:-1]):
            shown = lines[k + 1]
            if shown.startswith("# -> "):
                assert repr(eval(line, namespace)) == shown[5:], line
                arrows += 1
            elif shown.startswith("# (") and not line.startswith(("#", " ")):
                assert repr(eval(line, namespace)) == shown[2:].split("  ")[0], line
                tuples += 1
    assert (arrows, tuples) == (5, 2)
    assert (tmp_path / "FAI_WF-1015.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "WF-1015-balloons.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "WF-1015.qif").read_text(encoding="utf-8").startswith("<?xml")
    assert (DOC.parent / "images" / "capability_WF-1015_1.png").is_file()
    for section in ("## Measurements", "## Results", "## Capability", "## AS9102 first-article workbook", "## QIF 3.0"):
        assert section in text
