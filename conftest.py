"""pytest runs every notebook in notebooks/ with nbval (options in ``[tool.pytest.ini_options]``).

Kept at the repository root, not in notebooks/: a second ``conftest.py`` module beside
``tests/conftest.py`` clashes under ``--doctest-modules``.

``--nbval-lax`` runs every cell and fails on any error, and compares the outputs of the cells
tagged ``nbval-check-output`` (the ones that state results: row counts, audit counts, tables)
with the committed outputs, after the substitutions in ``notebooks/nbval_sanitize.cfg``. Outputs are
committed by ``python tools/execute_notebooks.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "notebooks"


def pytest_configure(config: pytest.Config) -> None:
    # The sanitize file is found wherever pytest is started from.
    if getattr(config.option, "nbval_sanitize_with", "unset") is None:
        config.option.nbval_sanitize_with = str(HERE / "nbval_sanitize.cfg")
    # 06_reading_your_drawings reads from the loopback emulator, never from Werk24, even on a
    # machine with a Werk24 token (the kernels nbval starts inherit this).
    os.environ["WERK24_FRAMES_NOTEBOOK_EMULATOR"] = "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_sessionstart(session: pytest.Session) -> None:
    # The table cache of wf.load lives in a folder of this run, never in the user's cache
    # (doctests, notebooks and the CLI's subprocesses inherit the variable).
    import tempfile

    session.config._werk24_cache = tempfile.TemporaryDirectory(prefix="w24-table-cache-")  # type: ignore[attr-defined]
    os.environ["WERK24_FRAMES_CACHE"] = session.config._werk24_cache.name  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session) -> None:
    tmp = getattr(session.config, "_werk24_cache", None)
    if tmp is not None:
        tmp.cleanup()
