"""Tables to Arrow and back (the cache, datasets): any values of any table's dtypes come back
equal, whatever the Arrow columns' chunks and slices, nulls included."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werk24_frames import schema
from werk24_frames.io._arrow import NotTabular, _points_from_arrow, from_arrow, to_arrow

_FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.just(-0.0)
_POINT = st.tuples(st.floats(allow_nan=False, width=64), st.floats(allow_nan=False, width=64))
_VALUES = {
    "float": _FLOATS,
    "string": st.none() | st.text(max_size=8),
    "Int64": st.none() | st.integers(-(2**63), 2**63 - 1),
    "boolean": st.none() | st.booleans(),
    "object": st.none() | st.lists(_POINT, max_size=5),
}


def frame(draw: st.DrawFn, table: str, n: int) -> pd.DataFrame:
    data = {}
    for c in schema.TABLES[table].columns:
        values = [draw(_VALUES[c.dtype]) for _ in range(n)]
        if c.dtype == "float":
            data[c.name] = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
        elif c.dtype == "object":  # polygons: flat float64 arrays of the points' coordinates
            arr = np.empty(n, dtype=object)
            for i, v in enumerate(values):
                arr[i] = None if v is None else np.array([x for p in v for x in p], dtype=np.float64)
            data[c.name] = arr
        else:
            data[c.name] = pd.array(values, dtype=schema.pandas_dtype(c.dtype))
    return pd.DataFrame(data, index=pd.RangeIndex(n))


# the tables with an object (points) column, and a few others: every dtype is met
TABLES = sorted(
    {t for t in schema.TABLES if any(c.dtype == "object" for c in schema.TABLES[t].columns)}
    | {"dimensions", "metadata"}
)


@pytest.mark.parametrize("table", TABLES)
@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=st.integers(0, 12), cut=st.integers(0, 12), start=st.integers(0, 12))
def test_any_table_comes_back_equal_from_chunks_and_slices(table, data, n, cut, start):
    df = frame(data.draw, table, n)
    tb = to_arrow(df, table)
    pd.testing.assert_frame_equal(from_arrow(tb, table), df, check_exact=True)
    cut, start = min(cut, n), min(start, n)
    chunked = pa.concat_tables([tb.slice(0, cut), tb.slice(cut)])  # two chunks
    pd.testing.assert_frame_equal(from_arrow(chunked, table), df, check_exact=True)
    part = from_arrow(chunked.slice(start), table)  # chunks with offsets
    pd.testing.assert_frame_equal(part, df.iloc[start:].reset_index(drop=True), check_exact=True)


def test_columns_in_another_order_are_taken_by_name_and_a_missing_one_is_named():
    df = frame(_draw_first, "dimensions", 3)
    tb = to_arrow(df, "dimensions")
    shuffled = tb.select(list(reversed(tb.column_names)))
    pd.testing.assert_frame_equal(from_arrow(shuffled, "dimensions"), df, check_exact=True)
    with pytest.raises(KeyError, match="nominal"):
        from_arrow(tb.drop_columns(["nominal"]), "dimensions")


def _draw_first(strategy: st.SearchStrategy) -> object:
    """A fixed, simple value of each dtype (for the non-property test above)."""
    return {
        id(_VALUES["float"]): 1.5,
        id(_VALUES["string"]): "x",
        id(_VALUES["Int64"]): None,
        id(_VALUES["boolean"]): True,
        id(_VALUES["object"]): [(1.0, 2.0)],  # a polygon of one point
    }[id(strategy)]


@pytest.mark.parametrize("table", ["dimensions", "positions"])
def test_tables_with_no_rows_are_each_their_own(table):
    # from_arrow hands out copies of one empty frame per table: what is done to one (attrs,
    # a column added, the column index named) must not reach the next
    tb = to_arrow(frame(_draw_first, table, 0), table)
    first = from_arrow(tb, table)
    first.attrs["mine"] = 1
    first.columns.name = "changed"
    first["extra"] = pd.array([], dtype="Int64")
    second = from_arrow(tb, table)
    assert second.attrs == {} and second.columns.name is None
    assert list(second.columns) == schema.TABLES[table].column_names
    pd.testing.assert_frame_equal(second, frame(_draw_first, table, 0), check_exact=True)


@settings(max_examples=50, deadline=None)
@given(polygons=st.lists(st.none() | st.lists(_POINT, max_size=5), max_size=8), start=st.integers(0, 8))
def test_polygons_stored_as_lists_of_points_read_as_flat_arrays(polygons, start):
    # the layout of datasets written before polygons were flat: list<list<double>>, each point a list
    old = pa.array(
        [None if p is None else [list(xy) for xy in p] for p in polygons], type=pa.list_(pa.list_(pa.float64()))
    )
    start = min(start, len(polygons))
    got = _points_from_arrow(pa.chunked_array([old.slice(start)], type=old.type))
    want = [None if p is None else [x for xy in p for x in xy] for p in polygons[start:]]
    assert [None if v is None else v.tolist() for v in got] == want
    assert all(v is None or not v.flags.writeable for v in got)


@pytest.mark.parametrize(
    ("value", "named"),
    [([(1.0, 2.0)], "list"), (np.zeros((2, 2)), "shape (2, 2)"), (np.zeros(2, dtype=np.int64), "dtype int64")],
)
def test_a_polygon_column_holding_anything_else_is_not_tabular(value, named):
    df = frame(_draw_first, "positions", 1)
    df.at[0, "polygon"] = value
    with pytest.raises(NotTabular, match=re.escape(named)):
        to_arrow(df, "positions")
