"""docs/widgets.md stays true: its code runs on the sample corpus, its pictures exist, and the
calls it lists are there."""

from __future__ import annotations

import re
from pathlib import Path

import werk24_frames as wf
from werk24_frames import _images

DOC = Path(__file__).parent.parent / "docs" / "widgets.md"
TEXT = DOC.read_text(encoding="utf-8")


def test_every_code_block_runs():
    blocks = re.findall(r"```python\n(.*?)```", TEXT, flags=re.DOTALL)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for code in blocks:  # in order: later blocks use the corpus of the first
        exec(compile(code, str(DOC), "exec"), namespace)
    assert namespace["gallery"].material.value == "42CrMo4"


def test_pictures_exist():
    images = re.findall(r"\]\((images/[^)]+)\)", TEXT)
    assert len(images) == 3
    for image in images:
        assert (DOC.parent / image).is_file(), image


def test_the_calls_in_the_table_exist():
    corpus = wf.sample_corpus()
    calls = re.findall(r"^\| [^|]+ \| `([a-z_.]+)\(", TEXT, flags=re.MULTILINE)
    assert len(calls) == 6
    for call in calls:
        owner, name = call.rsplit(".", 1)
        target = {"corpus": corpus, "wf": wf, "wf.plots": wf.plots}[owner]
        assert callable(getattr(target, name)), call


def test_the_cache_size_named_in_the_page():
    assert f"at most {_images.CACHE_SIZE:,} thumbnails" in TEXT
