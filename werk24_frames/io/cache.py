"""The table cache: ``wf.load`` keeps the typed tables of every chunk it built, and a later
load of the same, unchanged files reads them back instead of parsing the answers again.

Where it lives: the per-user cache folder (``platformdirs``: ``~/.cache/werk24_frames/tables``
on Linux), or the folder in the environment variable ``WERK24_FRAMES_CACHE`` (``0`` or ``off``
turns the cache off), or the folder given as ``wf.load(source, cache=PATH)``;
``wf.load(source, cache=False)`` neither reads nor writes it.

An entry holds one chunk (:mod:`werk24_frames.io._plan`): ``tables.arrow``, the Arrow IPC files
of its tables one after the other (each at an offset the manifest gives, 64-byte aligned, so the
whole file is mapped once and each table read from its slice without a copy), and a
``manifest.json`` written last. It is keyed by what the chunk reads: for every file, its path,
size and ``mtime_ns`` (a drawing's folder: every file in it, its images included), and by the
version of werk24_frames (a hash of its code and data), so any added, removed or changed file
makes a new entry of the chunk it falls in, and the other chunks are read back. Images that a
message names outside the folder are checked the same way. A file rewritten within the same
``mtime_ns`` tick with the same size is not noticed (content hashes are not taken).

Writing is safe under several processes: a chunk is built under an OS file lock (``filelock``)
of its key, written into a temporary folder and renamed into place; a complete entry is read
without the lock. An entry that cannot be read, or that holds something other than what its
key promises, is ignored with an ``info`` row in ``problems`` and rebuilt.

Examples
--------
>>> import json, tempfile, pathlib
>>> import werk24_frames as wf
>>> folder, cache = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "WK2401.json").write_text(json.dumps({"ask_type": "META_DATA"}))
>>> cold = wf.load(folder, cache=cache)
>>> warm = wf.load(folder, cache=cache)
>>> warm.metadata.equals(cold.metadata), wf.cache_info(cache)["entries"]
(True, 1)
>>> wf.cache_clear(cache)["entries"]
1
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import shutil
import uuid
from array import array
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._sources import ProblemRow, Rereads, Unit
from ._plan import STORED_TABLES, FreshChunk, Piece, build_chunk, raw_parts

if TYPE_CHECKING:
    import pyarrow as pa

    from .._corpus import Corpus

__all__ = ["ENV_VAR", "cache_clear", "cache_info", "cache_root", "cached_chunk"]

ENV_VAR = "WERK24_FRAMES_CACHE"
_FORMAT = 3  # 3: polygons as list<double>
#: The alignment of each table in ``tables.arrow`` (Arrow buffers are read in place).
_ALIGN = 64
_OFF = {"0", "off", "false", "no", "none"}
#: How long a load waits for another process building the same chunk before building it too.
LOCK_TIMEOUT_S = 600.0

PathLike = str | os.PathLike[str]


def cache_root(cache: bool | PathLike | None = True) -> Path | None:
    """The cache folder ``cache`` means (None: no cache).

    ``True`` (or None): ``$WERK24_FRAMES_CACHE`` if set, else the per-user cache folder.
    """
    if cache is False:
        return None
    if cache is True or cache is None:
        env = os.environ.get(ENV_VAR)
        if env is not None:
            if env.strip().lower() in _OFF or not env.strip():
                return None
            return Path(env).expanduser()
        import platformdirs

        return Path(platformdirs.user_cache_dir("werk24_frames", appauthor=False)) / "tables"
    return Path(cache).expanduser()


@functools.cache
def fingerprint() -> str:
    """A hash of werk24_frames's code and data files: tables cached by another version are not read."""
    import pandas as pd
    import pyarrow as pa

    h = hashlib.sha256(f"format {_FORMAT}; pandas {pd.__version__}; pyarrow {pa.__version__}".encode())
    root = Path(str(resources.files("werk24_frames")))
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in (".py", ".csv", ".json") and not rel.startswith(("samples/", "testing/")):
            h.update(rel.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:32]


def chunk_key(units: Sequence[Unit]) -> str:
    """A hash of what the chunk reads (every unit's kind, path, size and mtime_ns) and of the
    version of werk24_frames. Relative paths name other files from another working folder,
    so then the working folder goes in too."""
    relative = not all(map(os.path.isabs, {u.folder or u.path for u in units}))  # a folder's files: one check
    h = hashlib.sha256(repr((fingerprint(), os.getcwd() if relative else None, len(units))).encode())
    # Kinds, paths and folders joined by NUL (which no path holds), each after its length in
    # bytes, lone surrogates (a file name that is not UTF-8) kept as they are (surrogatepass);
    # then how many numbers each signature has and the numbers, as int64 arrays. A folder's
    # signature (nested tuples) is taken by repr, exact and stable for str, int and tuples.
    # About twice as fast as repr of the whole listing.
    for text in ([u.kind for u in units], [u.path for u in units], [u.folder for u in units]):
        data = "\0".join(text).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)  # the length first: exact whatever the text
    signatures = [u.signature for u in units]
    try:
        h.update(array("q", map(len, signatures)).tobytes())
        h.update(array("q", itertools.chain.from_iterable(signatures)).tobytes())
    except (TypeError, OverflowError):  # a folder's nested signature, or a number past int64
        h.update(b"\2" + repr(signatures).encode("utf-8", "backslashreplace"))
    return h.hexdigest()[:40]


def _loads(data: bytes) -> Any:
    """A manifest: orjson, or the stdlib reader for what orjson refuses (the stdlib writer
    escapes the lone surrogates of a file name that is not UTF-8)."""
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


class BadEntry(Exception):
    """A cache entry that cannot be used: unreadable, or not what its key promises."""


class CachedChunk:
    """A chunk read back from a cache entry: its tables are converted when first asked for."""

    def __init__(self, folder: Path, manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        self.folder = folder
        self.drawing_ids: list[str] = list(manifest["drawing_ids"])
        self.raw: Mapping[str, Callable[[], list[Any]]] = Rereads(manifest["raw"])  # [file, indices] pairs
        self.image_bytes: dict[tuple[str, str, int, int], bytes] = {}
        self._rows: dict[str, int] = manifest["rows"]
        self._tables = tables

    def n_rows(self, name: str) -> int:
        return int(self._rows[name])

    def arrow(self, name: str) -> pa.Table:
        if name in self._tables:
            return self._tables[name]
        if self._rows[name]:
            raise KeyError(name)
        from ._arrow import empty_arrow

        return empty_arrow(name)


def _read_entry(folder: Path, key: str, units: Sequence[Unit]) -> CachedChunk | None:
    """The entry in ``folder``; None when there is none or an image it read has changed.

    Raises
    ------
    BadEntry
        It cannot be read or is not the entry of ``key``.
    """
    import pyarrow as pa

    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        if folder.exists():
            raise BadEntry("it has no manifest")
        return None
    try:
        manifest = _loads(manifest_path.read_bytes())
    except (OSError, ValueError) as exc:
        raise BadEntry(f"its manifest is unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise BadEntry("it was not written by this version of werk24_frames")
    if manifest.get("key") != key or manifest.get("fingerprint") != fingerprint():
        raise BadEntry("it belongs to other files or another version of werk24_frames")
    for path, size, mtime in manifest.get("images", []):
        try:
            st = os.stat(path)
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return None
    tables: dict[str, Any] = {}
    try:
        rows, places = manifest["rows"], manifest["tables"]
        buf = pa.memory_map(str(folder / "tables.arrow")).read_buffer()
        if buf.size != manifest["size"]:
            raise BadEntry(f"its tables.arrow has {buf.size} bytes, not {manifest['size']}")
        for name in STORED_TABLES:
            if rows[name] == 0:
                continue  # nothing to read: arrow() gives the schema's empty table
            offset, length = places[name]
            tb = pa.ipc.open_file(buf.slice(offset, length)).read_all()
            if tb.num_rows != rows[name]:
                raise BadEntry(f"its {name} table has {tb.num_rows} rows, not {rows[name]}")
            tables[name] = tb
        entry = CachedChunk(folder, manifest, tables)
    except BadEntry:
        raise
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException) as exc:
        raise BadEntry(f"{type(exc).__name__}: {exc}") from None
    return entry


def _image_stats(corpus: Corpus) -> list[list[Any]]:
    paths = corpus.table("images")["path"].dropna().unique().tolist()
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        out.append([p, st.st_size, st.st_mtime_ns])
    return out


def _write_entry(root: Path, key: str, units: Sequence[Unit], corpus: Corpus) -> None:
    """Write the chunk's tables into a temporary folder, then rename it into place."""
    import pyarrow as pa

    from ._arrow import to_arrow

    tables = corpus.tables()
    arrow = {name: to_arrow(tables[name], name) for name in STORED_TABLES}
    places: dict[str, list[int]] = {}
    blobs: list[Any] = []
    size = 0
    for name, tb in arrow.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, tb.schema) as writer:
            writer.write_table(tb)
        data = sink.getvalue()
        places[name] = [size, data.size]
        pad = -data.size % _ALIGN
        blobs += [data, b"\0" * pad]
        size += data.size + pad
    manifest = {
        "format": _FORMAT,
        "fingerprint": fingerprint(),
        "key": key,
        "files": [u.path for u in units],
        "drawing_ids": corpus.drawing_ids,
        "raw": raw_parts(corpus),
        "rows": {name: t.num_rows for name, t in arrow.items()},
        "tables": places,
        "size": size,
        "images": _image_stats(corpus),
    }
    tmp = root / f".tmp-{key}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        with open(tmp / "tables.arrow", "wb") as f:
            for blob in blobs:
                f.write(blob)
        (tmp / "manifest.json").write_bytes(json.dumps(manifest).encode())
        os.rename(tmp, root / key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cached_chunk(root: Path, units: Sequence[Unit], problems: list[ProblemRow]) -> Piece:
    """The tables of one chunk: read from the cache, or built and written to it.

    Whatever goes wrong with the cache itself becomes an ``info`` row in ``problems``; the
    tables are then built from the files as if there were no cache.
    """
    from filelock import FileLock, Timeout

    from ._arrow import NotTabular

    key = chunk_key(units)
    folder = root / key
    # An entry is renamed into place whole and never changed after, so one that is there is
    # read without the lock (a mapped file stays readable even if another process removes it).
    # Only a missing or bad entry takes the lock, and is looked at again under it.
    try:
        entry = _read_entry(folder, key, units)
    except BadEntry:
        entry = None
    if entry is not None:
        return entry
    try:
        (root / ".locks").mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / ".locks" / f"{key}.lock"), timeout=LOCK_TIMEOUT_S)
        lock.acquire()
    except (OSError, Timeout) as exc:
        problems.append(
            (None, str(root), None, "", f"the table cache cannot be used ({exc}); tables not cached", "info")
        )
        return FreshChunk(build_chunk(units))
    try:
        try:
            entry = _read_entry(folder, key, units)
        except BadEntry as exc:
            problems.append(
                (None, str(folder), None, "", f"a table cache entry was ignored and rebuilt: {exc}", "info")
            )
            shutil.rmtree(folder, ignore_errors=True)
            entry = None
        if entry is not None:
            return entry
        corpus = build_chunk(units)
        try:
            _write_entry(root, key, units, corpus)
        except NotTabular:
            pass  # a table the cache cannot hold: this chunk is built again next time
        except OSError as exc:
            problems.append(
                (None, str(root), None, "", f"the table cache cannot be written ({exc}); tables not cached", "info")
            )
        return FreshChunk(corpus)
    finally:
        lock.release()


def _entries(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def cache_info(cache: bool | PathLike | None = True) -> dict[str, Any]:
    """Where the table cache is, how many chunks it holds and their size on disk.

    Parameters
    ----------
    cache
        As for :func:`werk24_frames.load`: True for the default folder, or a folder.

    Returns
    -------
    dict
        ``path`` (None when the cache is off), ``entries``, ``bytes``.

    Examples
    --------
    >>> import tempfile, werk24_frames as wf
    >>> wf.cache_info(tempfile.mkdtemp())["entries"]
    0
    """
    root = cache_root(cache)
    if root is None:
        return {"path": None, "entries": 0, "bytes": 0}
    entries = _entries(root)
    return {"path": str(root), "entries": len(entries), "bytes": sum(_size(e) for e in entries)}


def cache_clear(cache: bool | PathLike | None = True) -> dict[str, Any]:
    """Remove every entry of the table cache; returns what was removed (as :func:`cache_info`).

    Corpora already loaded keep working: their tables are read, or held open, already.

    Examples
    --------
    >>> import tempfile, werk24_frames as wf
    >>> wf.cache_clear(tempfile.mkdtemp())["bytes"]
    0
    """
    info = cache_info(cache)
    root = cache_root(cache)
    if root is not None:
        for entry in _entries(root):
            shutil.rmtree(entry, ignore_errors=True)
        for tmp in root.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)
    return info
