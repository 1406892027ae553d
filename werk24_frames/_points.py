"""The ``polygon`` columns: one read-only float64 array per row, the points' coordinates flat.

A polygon ``[[x0, y0], [x1, y1], ...]`` is held as ``array([x0, y0, x1, y1, ...])`` (COCO's
layout for segmentation polygons); ``value.reshape(-1, 2)`` gives one (x, y) row per point,
ready for matplotlib's ``Polygon`` or ``shapely.Polygon``. A missing polygon is None.

Why arrays and not lists of (x, y) tuples: the arrays of a column are views of one buffer
(the Arrow column of a cache entry or a dataset, read in place), so a table of 16,000 polygons
is 16,000 small objects rather than 100,000 tuples and 130,000 floats that the cycle collector
walks and frees one by one (a fifth of a warm re-open of 2,000 drawings). They are read-only,
so a table handed out cannot change the corpus's own through a shared cell, and flat, so
pyarrow writes a column of them to Parquet as ``list<double>`` and ``pandas.read_parquet``
reads the same arrays back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["from_flat", "from_pairs", "from_points", "pairs"]


def from_flat(coords: np.ndarray, bounds: Sequence[int], valid: Sequence[bool] | None = None) -> np.ndarray:
    """The column whose row ``i`` is ``coords[bounds[i]:bounds[i + 1]]`` (None where not ``valid``).

    ``coords`` is used as it is: its views are the column's values (made read-only).
    """
    n = len(bounds) - 1
    out = np.empty(max(n, 0), dtype=object)
    if n <= 0:
        return out
    if coords.flags.writeable:
        coords = coords.view()
        coords.flags.writeable = False
    out[:] = [coords[a:b] for a, b in itertools.pairwise(bounds)]
    if valid is not None:
        for i, ok in enumerate(valid):
            if not ok:
                out[i] = None
    return out


def from_points(values: Sequence[list[tuple[float, float]] | None]) -> np.ndarray:
    """The column of lists of (x, y) float tuples or None, as the reader makes them."""
    sizes = [0 if v is None else 2 * len(v) for v in values]
    chain = itertools.chain.from_iterable
    coords = np.fromiter(chain(chain(v for v in values if v)), dtype=np.float64, count=sum(sizes))
    return from_flat(coords, [0, *itertools.accumulate(sizes)], [v is not None for v in values])


def from_pairs(values: Iterable[Any]) -> np.ndarray:
    """The column of ``values``: each a sequence of (x, y) pairs, a flat array of coordinates,
    or None (NaN and ``pd.NA`` too).

    Raises
    ------
    ValueError
        A value is neither (a pair of numbers that is not two numbers, text, ...).
    """
    rows: list[np.ndarray | None] = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            rows.append(None)
            continue
        a = np.asarray(v, dtype=np.float64)  # ValueError for ragged or non-numeric values
        if not ((a.ndim == 2 and a.shape[1] == 2) or (a.ndim == 1 and a.size % 2 == 0)):
            raise ValueError(f"a polygon is a list of (x, y) pairs or a flat array of them, not of shape {a.shape}")
        rows.append(a.reshape(-1))
    sizes = [0 if r is None else len(r) for r in rows]
    bounds = [0, *itertools.accumulate(sizes)]
    coords = np.concatenate([r for r in rows if r is not None]) if any(r is not None for r in rows) else np.empty(0)
    return from_flat(coords.astype(np.float64, copy=False), bounds, [r is not None for r in rows])


def pairs(value: Any) -> list[list[float]] | None:
    """A polygon value as ``[[x, y], ...]`` (for JSON, CSV and Excel), or None."""
    if value is None or not isinstance(value, np.ndarray):
        return None
    out: list[list[float]] = value.reshape(-1, 2).tolist()
    return out
