"""``wf.to_dask``: one table of many drawings as a ``dask.dataframe``, one partition per chunk of files.

Each partition is built by the same loader as :func:`werk24_frames.load` (a chunk of units,
see :mod:`werk24_frames.io._plan`), so the computed frame equals ``wf.load(source).<table>``
up to the order of its rows, with the schema's dtypes (``meta`` is
``wf.schema.empty_frame(table)``). Needs the ``dask`` extra (``pip install
'werk24_frames[dask]'``); dask is imported when :func:`to_dask` is called.

Dask's own conversion of ``object`` columns to strings (the ``dataframe.convert-string``
setting) would turn the ``polygon`` column of ``positions`` (lists of points) into text:
``to_dask`` switches it off for the frames it makes, and the string columns are already
Arrow-backed strings, the dtype that setting would give them.

Examples
--------
>>> import json, tempfile, pathlib
>>> import werk24_frames as wf
>>> src = pathlib.Path(tempfile.mkdtemp())
>>> for i in range(4):
...     _ = (src / f"D{i}.json").write_text(json.dumps({"ask_type": "FEATURES",
...         "dimensions": [{"label": "12", "size": {"value": "12", "unit": "mm"}}]}))
>>> ddf = wf.to_dask(src, "dimensions", files_per_partition=2)  # doctest: +SKIP
>>> ddf.npartitions, len(ddf.compute())  # doctest: +SKIP
(2, 4)
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import schema
from .._sources import Unit, list_units
from ._plan import build_chunk, chunks_by_count

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_dask"]

PathLike = str | os.PathLike[str]


def chunk_table(units: Sequence[Unit], table: str) -> pd.DataFrame:
    """One partition: ``table`` of the corpus of ``units``."""
    df = build_chunk(units).table(table).copy(deep=False)
    df.attrs = {}
    return df


def to_dask(source: PathLike | Iterable[PathLike], table: str, *, files_per_partition: int = 1000) -> Any:
    """One table of the answers in ``source`` as a lazy ``dask.dataframe.DataFrame``.

    Parameters
    ----------
    source
        What :func:`werk24_frames.load` takes: files, folders, or a list of them. The files are
        listed now and read when the frame is computed, by whichever workers compute it
        (give paths they see: absolute, on a shared disk).
    table
        A table name (``wf.schema.table_names()``), ``problems`` included.
    files_per_partition
        Response files or drawing folders per partition.

    Returns
    -------
    dask.dataframe.DataFrame
        With ``meta`` from the schema; computed, it equals ``wf.load(source).table(table)``
        up to row order.

    Raises
    ------
    KeyError
        No table of that name.
    ImportError
        dask is not installed.
    """
    from .._extras import require

    if table not in schema.TABLES:
        raise KeyError(f"no table named {table!r}; the tables are: {', '.join(schema.TABLES)}")
    require("dask", "to_dask", "dask", "dask.dataframe")
    dask: Any = importlib.import_module("dask")
    dd: Any = importlib.import_module("dask.dataframe")

    units = list_units(source)
    parts = [[units[i] for i in c] for c in chunks_by_count(units, files_per_partition)]
    meta = schema.empty_frame(table)
    with dask.config.set({"dataframe.convert-string": False}):
        if not parts:
            return dd.from_pandas(meta, npartitions=1)
        return dd.from_map(chunk_table, parts, table=table, meta=meta, enforce_metadata=False)
