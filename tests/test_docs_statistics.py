"""docs/statistics.md stays true: its code runs on the sample corpus and its figures are current."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from werk24_frames._materials import table

DOC = Path(__file__).parent.parent / "docs" / "statistics.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_code_block_runs():
    blocks = _blocks()
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    try:
        for code in blocks:  # in order: later blocks use the corpus of the first
            exec(compile(code, str(DOC), "exec"), namespace)
    finally:
        plt.close("all")


def test_figures_and_numbers_named_in_the_page_exist():
    text = DOC.read_text(encoding="utf-8")
    for image in re.findall(r"\]\((images/[^)]+)\)", text):
        assert (DOC.parent / image).is_file(), image
    grades = re.search(r"(\d+) well-known grades", text)
    assert grades and int(grades.group(1)) == len(table())


_CALLS = [ln.split("`")[1] for ln in DOC.read_text(encoding="utf-8").splitlines() if ln.startswith("| `")]


@pytest.mark.parametrize("call", [c for c in _CALLS if "(" in c])
def test_every_plot_in_the_table_exists(call):
    from werk24_frames import plots

    assert callable(getattr(plots, call.split("(")[0]))
