"""Writing a corpus's tables to Parquet, CSV or Excel, and reading them back with their dtypes.

Every table of the corpus is written, ``problems`` included: one file per table for Parquet
and CSV (``<table>.parquet``, ``<table>.csv``), one sheet per table for Excel, after a
``README`` sheet that gives each column's dtype and meaning from :mod:`werk24_frames.schema`.
:func:`read_tables` reads any of the three back into the schema's dtypes, so a round trip
gives the same frames (Parquet keeps the dtypes itself; CSV and Excel need the schema).

The ``polygon`` columns (a flat array of coordinates per row) are written as lists in Parquet
and as JSON text of the points (``[[x, y], ...]``) in CSV and Excel.

Parquet needs pyarrow, Excel openpyxl (``pip install "werk24_frames[export]"``).

Excel cannot hold control characters (other than tab and line breaks) in a cell: text that has
them (an OCR label with a NUL byte) is written to the workbook with each one as ``\\xNN``, and a
warning says which tables and columns. Text that UTF-8 cannot hold (a lone surrogate, which only
answers given in memory can carry) is written with ``\\udcNN`` escapes in every format.

Examples
--------
>>> import tempfile, werk24_frames as wf
>>> corpus = wf.sample_corpus()
>>> with tempfile.TemporaryDirectory() as folder:
...     paths = corpus.to_csv(folder)
...     back = wf.read_tables(folder)
>>> len(paths) == len(wf.schema.table_names())
True
>>> back["dimensions"].equals(corpus.dimensions)
True
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from . import _points, schema
from ._extras import require

__all__ = ["read_tables", "to_csv", "to_excel", "to_parquet"]

PathLike = str | os.PathLike[str]

#: Excel's limit of rows per sheet (with the header row).
EXCEL_MAX_ROWS = 1_048_576


def _tables(corpus: Any, tables: Iterable[str] | None) -> dict[str, pd.DataFrame]:
    names = list(tables) if tables is not None else list(schema.TABLES)
    unknown = [n for n in names if n not in schema.TABLES]
    if unknown:
        raise KeyError(f"no table named {', '.join(map(repr, unknown))}; the tables are: {', '.join(schema.TABLES)}")
    out = {n: corpus.table(n) for n in names if n != "problems"}
    if "problems" in names:  # last: it holds what building the others found
        out["problems"] = corpus.table("problems")
    return out


def _plain(df: pd.DataFrame, polygon_as_text: bool) -> pd.DataFrame:
    """A shallow copy without ``attrs`` (the corpus key means nothing outside this process)."""
    out = df.copy(deep=False)
    out.attrs = {}
    if polygon_as_text and "polygon" in out.columns:
        out["polygon"] = [None if (p := _points.pairs(v)) is None else json.dumps(p) for v in out["polygon"]]
    return out


def _folder(folder: PathLike) -> Path:
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{str(path)!r} is a file; the tables are written into a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_parquet(corpus: Any, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
    """Write each table to ``<folder>/<table>.parquet``; returns the files written."""
    require("export", "writing Parquet files", "pyarrow")
    root = _folder(folder)
    out = []
    for name, df in _tables(corpus, tables).items():
        path = root / f"{name}.parquet"
        plain = _plain(df, polygon_as_text=False)
        try:
            plain.to_parquet(path, index=False)
        except UnicodeEncodeError:  # a lone surrogate in an answer given in memory
            _text_cells(plain, _UNENCODABLE, _escape_unencodable)
            plain.to_parquet(path, index=False)
        out.append(path)
    return out


def to_csv(corpus: Any, folder: PathLike, tables: Iterable[str] | None = None) -> list[Path]:
    """Write each table to ``<folder>/<table>.csv`` (UTF-8, NA as an empty field); returns the
    files written."""
    root = _folder(folder)
    out = []
    for name, df in _tables(corpus, tables).items():
        path = root / f"{name}.csv"
        _plain(df, polygon_as_text=True).to_csv(path, index=False, encoding="utf-8", errors="backslashreplace")
        out.append(path)
    return out


def to_excel(corpus: Any, path: PathLike, tables: Iterable[str] | None = None) -> Path:
    """Write one workbook: a ``README`` sheet (every column of every table written, with its
    dtype and meaning), then one sheet per table.

    Raises
    ------
    ValueError
        A table has more rows than an Excel sheet holds (1,048,575); write Parquet or CSV.
    """
    require("export", "writing Excel files", "openpyxl")
    frames = _tables(corpus, tables)
    for name, df in frames.items():
        if len(df) >= EXCEL_MAX_ROWS:
            raise ValueError(
                f"the table {name!r} has {len(df):,} rows, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1:,}); write it with corpus.to_parquet() or corpus.to_csv()"
            )
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    readme = pd.concat(
        [schema.describe(name).assign(table=name, rows=len(df)) for name, df in frames.items()], ignore_index=True
    )[["table", "rows", "column", "dtype", "description", "json_path"]]
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        readme.to_excel(writer, sheet_name="README", index=False)
        changed: list[str] = []
        for name, df in frames.items():
            plain = _plain(df, polygon_as_text=True)
            changed += [f"{name}.{c}" for c in _text_cells(plain, _NOT_IN_EXCEL, _escape_for_excel)]
            plain.to_excel(writer, sheet_name=name, index=False)
    if changed:
        warnings.warn(
            f"{target.name}: text with control characters Excel cannot hold was written with \\xNN "
            f"in their place, in {', '.join(changed)}",
            UserWarning,
            stacklevel=3,
        )
    return target


# Characters an Excel cell cannot hold (openpyxl refuses them), and lone surrogates.
_NOT_IN_EXCEL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_UNENCODABLE = re.compile("[\ud800-\udfff]")


def _escape_for_excel(text: str) -> str:
    return _NOT_IN_EXCEL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\ud800" else _escape_unencodable(m.group()), text
    )


def _escape_unencodable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _text_cells(df: pd.DataFrame, bad: re.Pattern[str], fix: Callable[[str], str]) -> list[str]:
    """Rewrite, in place, every text cell of ``df`` in which ``bad`` is found with ``fix``; the
    names of the columns changed."""
    changed = []
    for col in df.columns:
        s = df[col]
        if s.dtype != object and not isinstance(s.dtype, pd.StringDtype):
            continue
        values = s.tolist()
        hits = [i for i, v in enumerate(values) if type(v) is str and bad.search(v)]
        if hits:
            for i in hits:
                values[i] = fix(values[i])
            df[col] = pd.array(values, dtype=s.dtype) if isinstance(s.dtype, pd.StringDtype) else values
            changed.append(str(col))
    return changed


def _typed(name: str, df: pd.DataFrame, where: str) -> pd.DataFrame:
    """``df`` (as read from a file) in the columns and dtypes of table ``name``."""
    empty = schema.empty_frame(name)
    missing = [c for c in empty.columns if c not in df.columns]
    if missing:
        raise ValueError(f"{where}: not a {name!r} table written by werk24_frames; it lacks {', '.join(missing)}")
    out = {}
    for col in empty.columns:
        s = df[col]
        dtype = empty[col].dtype
        if col == "polygon":
            texts = [json.loads(v) if isinstance(v, str) else v for v in s]  # CSV and Excel hold JSON text
            out[col] = pd.Series(_points.from_pairs(texts), index=df.index, dtype=object)
        elif str(dtype) == "boolean" and s.dtype == object:
            out[col] = s.map({True: True, False: False, "True": True, "False": False}).astype("boolean")
        else:
            out[col] = s.astype(dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def read_tables(source: PathLike) -> dict[str, pd.DataFrame]:
    """The tables written by :func:`to_parquet`, :func:`to_csv` (a folder) or
    :func:`to_excel` (an ``.xlsx`` file), by name, in the schema's columns and dtypes.

    Files and sheets that are not tables of the schema are left out; a table missing a column
    is an error naming the file.
    """
    path = Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {str(path)!r}")
    out: dict[str, pd.DataFrame] = {}
    if path.is_file():
        require("export", "reading Excel files", "openpyxl")
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, keep_default_na=False, na_values=[""])
        for name, df in sheets.items():
            if name in schema.TABLES:
                out[name] = _typed(name, df.astype(object).where(df.notna(), None), f"{path}, sheet {name!r}")
        return out
    for name in schema.TABLES:
        parquet, csv = path / f"{name}.parquet", path / f"{name}.csv"
        if parquet.is_file():
            require("export", "reading Parquet files", "pyarrow")
            out[name] = _typed(name, pd.read_parquet(parquet), str(parquet))
        elif csv.is_file():
            df = pd.read_csv(csv, dtype=object, keep_default_na=False, na_values=[""], encoding="utf-8")
            out[name] = _typed(name, df.astype(object).where(df.notna(), None), str(csv))
    return out
