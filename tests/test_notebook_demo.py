"""Notebook 06's demonstration never sends a token of the user's, and puts their settings back.

nbval runs the notebook as committed (``conftest.py`` at the root). This test runs it again in
a kernel whose environment looks like a user's who has a Werk24 token in a token file and in
``W24TECHREAD_AUTH_TOKEN``, and an on-premise ``WSS_SERVER``, with two probe cells added: one
after the set-up cell, one after the clean-up.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_reading_your_drawings.ipynb"
FILE_TOKEN = "w24-user-file-token-4f1c9e"
ENV_TOKEN = "w24-user-env-token-8b2d07"
ON_PREMISE = "wss://werk24.on-premise.invalid"

PROBE_DEMO = """
from werk24_frames import live
os.environ["SET_DURING_THE_DEMO"] = "kept"  # the clean-up puts back its own variables, and only those
used = live._resolve_token(None)
print("PROBE-DEMO", used == "emulator-demo-token", used in (FILE_TOKEN, ENV_TOKEN), os.environ["WSS_SERVER"] == emulator.wss_url)
"""
PROBE_AFTER = """
from werk24.utils import license
print("PROBE-AFTER", os.environ.get("W24TECHREAD_AUTH_TOKEN") == ENV_TOKEN, os.environ.get("WSS_SERVER") == ON_PREMISE,
      os.environ.get("HTTP_SERVER") is None, ".werk24" in license.SEARCH_PATHS, os.environ.get("SET_DURING_THE_DEMO") == "kept")
"""


def _stdout(cell: dict) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.slow
def test_the_demonstration_uses_a_placeholder_token_and_restores_the_environment(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "DEMO =" in c.source)
    constants = f"FILE_TOKEN, ENV_TOKEN, ON_PREMISE = {FILE_TOKEN!r}, {ENV_TOKEN!r}, {ON_PREMISE!r}\n"
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(constants + PROBE_DEMO))
    nb.cells.append(nbformat.v4.new_code_cell(constants + PROBE_AFTER))

    work = tmp_path / "notebooks"
    work.mkdir()
    (work / ".werk24").write_text(f"W24TECHREAD_AUTH_TOKEN={FILE_TOKEN}\n", encoding="utf-8")
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", ENV_TOKEN)
    monkeypatch.setenv("WSS_SERVER", ON_PREMISE)
    monkeypatch.delenv("HTTP_SERVER", raising=False)
    monkeypatch.setenv("WERK24_FRAMES_NOTEBOOK_EMULATOR", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    client.execute()

    demo = _stdout(nb.cells[setup + 1])
    assert "PROBE-DEMO True False True" in demo, demo
    after = _stdout(nb.cells[-1])
    assert "PROBE-AFTER True True True True True" in after, after
    assert not (work / "_live_demo").exists()
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert FILE_TOKEN not in outputs and ENV_TOKEN not in outputs
    assert "Demonstration:" in _stdout(nb.cells[setup])  # the forced demonstration ran, not a billed read
    shutil.rmtree(work)
