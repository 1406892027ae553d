"""The mutation fuzz of every input shape (see ``fuzzing.py``): a short fixed-seed run in the
default suite, a long one under the ``long`` marker (skipped by default and in CI; run it with
``pytest -m long tests/test_fuzz_inputs.py``, or ``python tests/fuzzing.py 6000`` for the
figures)."""

from __future__ import annotations

import os

import fuzzing
import pytest


def _check(figures: fuzzing.Figures) -> None:
    print(figures)
    assert not figures.failures(), "\n".join(figures.failures()[:10])
    assert figures.drawings and figures.items > 30 * figures.drawings


def test_mutated_inputs_of_every_shape_load_without_crash_loss_or_leak():
    figures = fuzzing.fuzz(runs=4 * len(fuzzing.SHAPES), seed=18, heavy_every=100)
    assert set(figures.by_shape) == set(fuzzing.SHAPES)
    _check(figures)


@pytest.mark.long
def test_mutated_inputs_long_run():
    seed = int(os.environ.get("W24_FUZZ_SEED", "1"))
    _check(fuzzing.fuzz(runs=int(os.environ.get("W24_FUZZ_RUNS", "3000")), seed=seed, heavy_every=50))
