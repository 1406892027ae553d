from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import builders

import werk24_frames as wf

EXAMPLES = Path(__file__).parent / "data" / "examples"


@pytest.fixture
def no_token_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The SDK finds no token file: not the developer's ``~/.werk24``, not one in the working
    folder. Setting ``HOME`` is not enough: the SDK lists the files it looks at
    (``werk24.utils.license.SEARCH_PATHS``) once, when it is first imported."""
    from werk24.utils import license

    monkeypatch.setattr(license, "SEARCH_PATHS", [])
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def full() -> wf.Corpus:
    """One drawing with every list Werk24 answers, in the SDK's schema."""
    return wf.from_responses(builders.all_responses(), drawing_id="full")
