from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import builders

import werk24_frames as wf

EXAMPLES = Path(__file__).parent / "data" / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def full() -> wf.Corpus:
    """One drawing with every list Werk24 answers, in the SDK's schema."""
    return wf.from_responses(builders.all_responses(), drawing_id="full")
