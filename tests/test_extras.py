"""Every optional feature, used without its extra installed, says what to pip install.

A package is hidden by making ``importlib.util.find_spec`` report it missing (what it reports
in an environment without it), so no test uninstalls anything.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import werk24_frames as wf


def _hide(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == module or name.startswith(module + ".") else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


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
    ("platformdirs", "platformdirs", "live", lambda c, tmp: wf.live.default_store()),
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
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in ("matplotlib", "PIL") else real(name, *a)
    )
    with pytest.raises(ImportError, match=r"the report needs matplotlib and Pillow, which are not installed"):
        wf.report(wf.sample_corpus())


def test_the_gallery_module_says_what_to_install_when_ipywidgets_is_missing(monkeypatch):
    monkeypatch.delitem(sys.modules, "werk24_frames.widgets", raising=False)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # what Python does for a module known to be absent
    with pytest.raises(ImportError, match=r"the gallery needs ipywidgets, which is not installed: .*\[widgets\]'$"):
        wf.sample_corpus().gallery()


def test_csv_needs_no_extra(monkeypatch, tmp_path):
    for module in ("pyarrow", "openpyxl"):
        _hide(monkeypatch, module)
    written = wf.sample_corpus().to_csv(tmp_path)
    assert written and all(p.suffix == ".csv" for p in written)
