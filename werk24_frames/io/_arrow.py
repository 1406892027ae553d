"""A table to Arrow and back, column by column in the schema's dtypes, so that a table read
back from the cache or a dataset is equal to the one built (``assert_frame_equal``).

- ``float``: float64 as it is (NaN stays NaN, not null; -0.0 stays -0.0);
- ``string``, ``Int64``, ``boolean``: pandas' own Arrow conversion of the extension array;
- ``object``: the one kind the schema holds today, ``polygon`` (a flat float64 array of
  coordinates per row, see :mod:`werk24_frames._points`), as ``list<double>``, read back as
  views of Arrow's buffer; anything else raises :class:`NotTabular`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _points, schema

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["NotTabular", "empty_arrow", "from_arrow", "to_arrow"]


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

    Arrow's string buffers are taken over; the float columns are copied into one 2-D block and
    every other column goes straight into a block of its own (``create_dataframe_from_blocks``),
    without the checks of the ``DataFrame`` constructor, which cost more than the conversion of
    a small table. A table with no rows is a copy of one empty frame per table.

    Raises
    ------
    KeyError
        A column of the schema is missing.
    """
    import pandas as pd

    cols = schema.TABLES[table].columns
    names = [c.name for c in cols]
    if tb.column_names == names:  # as written: take the columns by position
        columns = tb.columns
    else:
        columns = [tb.column(n) if n in tb.column_names else _missing(n) for n in names]
    n = tb.num_rows
    try:
        create: Any = importlib.import_module("pandas.api.internals").create_dataframe_from_blocks
    except (ImportError, AttributeError):  # pandas before 3.0
        arrays = [_column(c.dtype, col) for c, col in zip(cols, columns, strict=True)]
        return pd.DataFrame(dict(zip(names, arrays, strict=True)), index=pd.RangeIndex(n), copy=False)
    if n == 0:
        # No rows: a copy of one frame per table (a deep copy: the column Index too, so a name
        # set on it stays in this frame), not 5-50 columns built again.
        return _empty(table).copy()
    return _from_columns(create, table, columns, n)


def _from_columns(create: Any, table: str, columns: Sequence[Any], n: int) -> pd.DataFrame:
    """The frame of ``table`` from its Arrow columns (in the schema's order), block by block.

    The float columns make one 2-D block, as pandas itself keeps them: a block costs about
    5 us to make and again to copy (``corpus.table`` copies), whatever its size."""
    import pandas as pd

    cols = schema.TABLES[table].columns
    floats = [i for i, c in enumerate(cols) if c.dtype == "float"]
    blocks: list[Any] = []
    if floats:
        values = np.empty((len(floats), n), dtype=np.float64)
        for row, i in enumerate(floats):
            start = 0
            for chunk in columns[i].chunks:  # each chunk copied into place (no concatenated copy first)
                values[row, start : start + len(chunk)] = chunk.to_numpy(zero_copy_only=False)
                start += len(chunk)
        blocks.append((values, np.array(floats, dtype=np.intp)))
    for i, (c, col) in enumerate(zip(cols, columns, strict=True)):
        if c.dtype != "float":
            a = _column(c.dtype, col)
            blocks.append((a.reshape(1, -1) if isinstance(a, np.ndarray) else a, np.array([i], dtype=np.intp)))
    labels = _column_index(table).copy()  # its own: a name set on it stays there
    out: pd.DataFrame = create(blocks, index=pd.RangeIndex(n), columns=labels)
    return out


def _column(dtype: schema.DtypeName, col: Any) -> Any:
    """One column of ``dtype`` from Arrow: a numpy array or a pandas extension array."""
    import pyarrow as pa

    if dtype == "float":
        return col.to_numpy().astype(np.float64, copy=False)
    if dtype == "object":
        return _points_from_arrow(col)
    if dtype in ("Int64", "boolean"):
        return _masked(col, dtype)
    if dtype == "string" and pa.types.is_large_string(col.type):
        return _string_array()(col, dtype=_string_dtype())  # what __from_arrow__ ends in, without its checks
    return schema.pandas_dtype(dtype).__from_arrow__(col)


@functools.cache
def _string_dtype() -> Any:
    return schema.pandas_dtype("string")


@functools.cache
def _string_array() -> Any:
    import pandas as pd

    return pd.arrays.ArrowStringArray


@functools.cache
def empty_arrow(table: str) -> pa.Table:
    """The table with no rows, as :func:`to_arrow` writes it (built once; Arrow tables are immutable)."""
    return to_arrow(schema.empty_frame(table), table)


@functools.cache
def _empty(table: str) -> pd.DataFrame:
    """The table with no rows, built once (kept unchanged: only copies leave)."""
    import pyarrow as pa

    create = importlib.import_module("pandas.api.internals").create_dataframe_from_blocks
    columns = [pa.chunked_array([], type=_arrow_type(c.dtype)) for c in schema.TABLES[table].columns]
    return _from_columns(create, table, columns, 0)


def _arrow_type(dtype: schema.DtypeName) -> Any:
    import pyarrow as pa

    return {
        "float": pa.float64(),
        "object": pa.list_(pa.float64()),
        "Int64": pa.int64(),
        "boolean": pa.bool_(),
        "string": pa.large_string(),
    }[dtype]


@functools.cache
def _column_index(table: str) -> pd.Index:
    """The column labels of ``table`` (an Index is immutable: one per table serves every frame;
    building it from strings costs more than a small table's conversion)."""
    import pandas as pd

    return pd.Index(schema.TABLES[table].column_names)


def _missing(name: str) -> Any:
    raise KeyError(name)


def _masked(col: Any, dtype: str) -> Any:
    """An ``Int64`` or ``boolean`` array from an Arrow int64 or bool column: values and mask
    copied straight from each chunk's buffers (bits unpacked by numpy). pandas' own
    ``__from_arrow__`` builds them in Python-level steps, and ``fill_null`` alone cost more than
    the rest of a column; the values under a null are whatever the buffer holds (masked)."""
    import pandas as pd
    import pyarrow as pa

    expected = pa.types.is_int64 if dtype == "Int64" else pa.types.is_boolean
    if not expected(col.type):
        return schema.pandas_dtype("Int64" if dtype == "Int64" else "boolean").__from_arrow__(col)
    n = len(col)
    values: np.ndarray = np.zeros(n, dtype=np.int64 if dtype == "Int64" else np.bool_)
    mask = np.zeros(n, dtype=np.bool_)
    start = 0
    for chunk in col.chunks:
        m, off = len(chunk), chunk.offset
        if not m:
            continue
        validity, data = chunk.buffers()
        if dtype == "Int64":
            values[start : start + m] = np.frombuffer(data, dtype=np.int64, count=off + m)[off:]
        else:
            values[start : start + m] = _bits(data, off, m)
        if validity is not None and chunk.null_count:
            mask[start : start + m] = ~_bits(validity, off, m)
        start += m
    cls = pd.arrays.IntegerArray if dtype == "Int64" else pd.arrays.BooleanArray
    return cls(values, mask)


def _bits(buf: Any, offset: int, n: int) -> np.ndarray:
    """Bits ``offset .. offset + n`` of an Arrow bitmap (least significant bit first) as bools."""
    raw = np.frombuffer(buf, dtype=np.uint8, count=(offset + n + 7) // 8)
    return np.unpackbits(raw, count=offset + n, bitorder="little")[offset:].view(np.bool_)


def _points_to_arrow(values: list[Any], where: str) -> Any:
    """A ``polygon`` column (flat float64 arrays or None) as ``list<double>``, in one pass."""
    import pyarrow as pa

    valid = [v is not None for v in values]
    for v in values:
        if not (v is None or (isinstance(v, np.ndarray) and v.ndim == 1 and v.dtype == np.float64)):
            what = f"an array of shape {v.shape} and dtype {v.dtype}" if isinstance(v, np.ndarray) else type(v).__name__
            raise NotTabular(f"{where}: an object column holds {what}, not a flat float64 array of coordinates")
    arrays = [v for v in values if v is not None]
    coords = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.float64)
    if len(coords) >= 2**31:
        raise NotTabular(f"{where}: {len(coords):,} coordinates, more than a list<double> column holds")
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum([0 if v is None else len(v) for v in values], out=offsets[1:])
    mask = None if all(valid) else pa.array([not ok for ok in valid], type=pa.bool_())
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(coords, type=pa.float64()), mask=mask)


def _points_from_arrow(col: Any) -> np.ndarray:
    """The polygons again: views of the column's coordinates, as they lie in Arrow's buffer."""
    import pyarrow as pa

    arr = col.combine_chunks()
    if len(arr) == 0:
        return np.empty(0, dtype=object)
    if not pa.types.is_list(arr.type):
        raise TypeError(f"a polygon column is stored as list<double>, not {arr.type}")
    offsets = arr.offsets.to_numpy()  # into arr.values, which starts at the buffer's start
    values = arr.values
    if pa.types.is_list(values.type):  # list<list<double>>: a dataset written before the flat layout
        offsets = values.offsets.to_numpy()[offsets]
        values = values.values
    if not pa.types.is_floating(values.type):
        raise TypeError(f"a polygon column is stored as list<double>, not {arr.type}")
    coords = values.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    valid = None if not arr.null_count else arr.is_valid().to_numpy(zero_copy_only=False).tolist()
    return _points.from_flat(coords, offsets.tolist(), valid)
