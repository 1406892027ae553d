"""Every optional feature, used without its extra installed, says what to pip install.

A package is hidden by setting it to ``None`` in ``sys.modules``, which Python treats as known
to be missing: ``import`` raises and ``importlib.util.find_spec`` finds nothing, so code that
imports it without asking first fails the test. Nothing is uninstalled.
"""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import werk24_frames as wf
from werk24_frames.samples import sample_path


def _hide(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make ``module`` absent for this test: ``import`` raises and ``find_spec`` finds nothing."""
    monkeypatch.setitem(sys.modules, module, None)


_ONE_VALUE = pd.DataFrame({"characteristic": [1], "value": [10.0]})

CASES: list[tuple[str, str, str, Callable[[wf.Corpus, Path], Any]]] = [
    ("matplotlib", "matplotlib", "plot", lambda c, tmp: wf.plots.it_grades(c.dimensions)),
    ("matplotlib", "matplotlib", "plot", lambda c, tmp: wf.plots.drawing(c, c.drawing_ids[0])),
    ("matplotlib", "matplotlib", "report", lambda c, tmp: wf.report(c)),
    ("PIL", "Pillow", "report", lambda c, tmp: c.report()),
    ("PIL", "Pillow", "widgets", lambda c, tmp: c.thumbnails()),
    ("PIL", "Pillow", "widgets", lambda c, tmp: c.dimensions.head(3).w24.crops()),
    ("pyarrow", "pyarrow", "export", lambda c, tmp: c.to_parquet(tmp)),
    ("openpyxl", "openpyxl", "export", lambda c, tmp: c.to_excel(tmp / "tables.xlsx")),
    ("werk24", "werk24", "live", lambda c, tmp: wf.read_drawings(tmp, store=tmp / "store", progress=False)),
    ("httpx", "httpx", "live", lambda c, tmp: wf.read_drawings(tmp, store=tmp / "store", progress=False)),
    ("tqdm", "tqdm", "live", lambda c, tmp: wf.read_drawings(tmp, store=tmp / "store")),  # the default bar
    ("tqdm", "tqdm", "live", lambda c, tmp: asyncio.run(wf.aread_drawings(tmp, store=tmp / "store"))),
    ("platformdirs", "platformdirs", "live", lambda c, tmp: wf.live.default_store()),
    ("httpx", "httpx", "live", lambda c, tmp: wf.load(sample_path(), download_images=True, store=tmp / "store")),
    ("PIL", "Pillow", "plot", lambda c, tmp: wf.plots.drawing(c, c.drawing_ids[0])),
    (
        "openpyxl",
        "openpyxl",
        "inspection",
        lambda c, tmp: wf.inspection.to_as9102(wf.inspection_plan(c.select("WF-1015")), tmp / "fai.xlsx"),
    ),
    (
        "openpyxl",
        "openpyxl",
        "inspection",
        lambda c, tmp: (tmp / "m.xlsx").write_bytes(b"PK") and wf.inspection.read_measurements(tmp / "m.xlsx"),
    ),
    (
        "matplotlib",
        "matplotlib",
        "plot",
        lambda c, tmp: wf.plots.capability(
            wf.inspection.capability(wf.inspection_plan(c.select("WF-1015")), _ONE_VALUE),
            1,
            _ONE_VALUE,
        ),
    ),
]


@pytest.mark.parametrize(
    ("module", "name", "extra", "use"),
    CASES,
    ids=[f"{extra}-{module}-{i}" for i, (module, _, extra, _) in enumerate(CASES)],
)
def test_a_missing_package_names_itself_and_the_extra(module, name, extra, use, monkeypatch, tmp_path):
    corpus = wf.sample_corpus()
    _hide(monkeypatch, module)
    expected = rf"needs {name}, which is not installed: pip install 'werk24_frames\[{extra}\]'$"
    with pytest.raises(ImportError, match=expected):
        use(corpus, tmp_path)
    assert not (tmp_path / "store").exists()  # a live read stopped before it made anything


def test_two_missing_packages_are_named_together(monkeypatch):
    _hide(monkeypatch, "matplotlib")
    _hide(monkeypatch, "PIL")
    with pytest.raises(ImportError, match=r"the report needs matplotlib and Pillow, which are not installed"):
        wf.report(wf.sample_corpus())


def test_the_gallery_module_says_what_to_install_when_ipywidgets_is_missing(monkeypatch):
    monkeypatch.delitem(sys.modules, "werk24_frames.widgets", raising=False)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # what Python does for a module known to be absent
    with pytest.raises(ImportError, match=r"the gallery needs ipywidgets, which is not installed: .*\[widgets\]'$"):
        wf.sample_corpus().gallery()


def test_reading_tables_back_names_the_package_too(monkeypatch, tmp_path):
    corpus = wf.sample_corpus()
    corpus.to_parquet(tmp_path / "tables", tables=["metadata"])
    corpus.to_excel(tmp_path / "tables.xlsx", tables=["metadata"])
    _hide(monkeypatch, "pyarrow")
    _hide(monkeypatch, "openpyxl")
    with pytest.raises(ImportError, match=r"reading Parquet files needs pyarrow, .*\[export\]'$"):
        wf.read_tables(tmp_path / "tables")
    with pytest.raises(ImportError, match=r"reading Excel files needs openpyxl, .*\[export\]'$"):
        wf.read_tables(tmp_path / "tables.xlsx")


def test_a_module_without_a_spec_that_is_imported_counts_as_installed(monkeypatch):
    from werk24_frames._extras import require

    monkeypatch.setitem(sys.modules, "stub_without_spec", types.ModuleType("stub_without_spec"))
    require("plot", "plotting", "stub_without_spec")  # find_spec raises ValueError for it


def test_csv_needs_no_extra(monkeypatch, tmp_path):
    _hide(monkeypatch, "openpyxl")  # pyarrow is a core dependency (the table cache, string columns)
    written = wf.sample_corpus().to_csv(tmp_path)
    assert written and all(p.suffix == ".csv" for p in written)
