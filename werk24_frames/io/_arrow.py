"""A table to Arrow and back, column by column in the schema's dtypes, so that a table read
back from the cache or a dataset is equal to the one built (``assert_frame_equal``).

- ``float``: float64 as it is (NaN stays NaN, not null; -0.0 stays -0.0);
- ``string``, ``Int64``, ``boolean``: pandas' own Arrow conversion of the extension array;
- ``object``: the one kind the schema holds today, a list of (x, y) points (``polygon``), as
  ``list<list<double>>``; anything else raises :class:`NotTabular`.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import schema

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["NotTabular", "from_arrow", "to_arrow"]


class NotTabular(TypeError):
    """An ``object`` column holds values other than lists of points."""


def to_arrow(df: pd.DataFrame, table: str) -> pa.Table:
    """The columns of ``table`` in ``df`` as an Arrow table (in the schema's column order)."""
    import pyarrow as pa

    arrays: list[Any] = []
    names: list[str] = []
    for c in schema.TABLES[table].columns:
        s = df[c.name]
        if c.dtype == "float":
            arrays.append(pa.array(s.to_numpy(dtype=np.float64), type=pa.float64()))
        elif c.dtype == "object":
            arrays.append(_points_to_arrow(s.tolist(), f"{table}.{c.name}"))
        else:
            arrays.append(pa.array(s.array))
        names.append(c.name)
    return pa.Table.from_arrays(arrays, names=names)


def from_arrow(tb: pa.Table, table: str) -> pd.DataFrame:
    """An Arrow table written by :func:`to_arrow` as the pandas table of ``table``.

    Raises
    ------
    KeyError
        A column of the schema is missing.
    """
    import pandas as pd

    data: dict[str, Any] = {}
    for c in schema.TABLES[table].columns:
        col = tb.column(c.name)
        if c.dtype == "float":
            data[c.name] = col.to_numpy().astype(np.float64, copy=False)
        elif c.dtype == "object":
            data[c.name] = _points_from_arrow(col)
        else:
            data[c.name] = schema.pandas_dtype(c.dtype).__from_arrow__(col)
    return pd.DataFrame(data, index=pd.RangeIndex(tb.num_rows), copy=False)


def _points_to_arrow(values: list[Any], where: str) -> Any:
    import pyarrow as pa

    out: list[Any] = []
    for v in values:
        if v is None:
            out.append(None)
        elif isinstance(v, list | tuple) and all(isinstance(p, tuple) for p in v):
            out.append([list(p) for p in v])
        else:
            raise NotTabular(f"{where}: an object column holds {type(v).__name__}, not a list of points")
    return pa.array(out, type=pa.list_(pa.list_(pa.float64())))


def _points_from_arrow(col: Any) -> np.ndarray:
    """Lists of (x, y) tuples again, built from the flat coordinates in a few C-level passes."""
    arr = col.combine_chunks()
    n = len(arr)
    out = np.empty(n, dtype=object)
    if n == 0:
        return out
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    outer = arr.offsets.to_numpy()
    inner_arr = arr.values  # the points of every row, from the start of the buffer
    inner = inner_arr.offsets.to_numpy()
    coords = inner_arr.values.to_numpy(zero_copy_only=False)
    lengths = np.diff(inner)
    if len(lengths) and (lengths == 2).all():
        start = inner[0]
        xs = coords[start::2][: len(lengths)]
        ys = coords[start + 1 :: 2][: len(lengths)]
        points: list[tuple[float, ...]] = list(zip(xs.tolist(), ys.tolist(), strict=True))
    else:
        points = [tuple(coords[a:b].tolist()) for a, b in itertools.pairwise(inner)]
    for i in range(n):
        out[i] = points[outer[i] : outer[i + 1]] if valid[i] else None
    return out
