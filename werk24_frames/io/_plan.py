"""Chunks of units, one corpus each, and the corpus made of their tables.

A chunk is a run of units in reading order (:func:`werk24_frames._sources.list_units`). Every
unit whose drawing ids could repeat another unit's (same stem) goes into the chunk of the
first such unit, so the ``~2`` suffixes of repeated ids come out the same whichever way the
chunks are built: one after the other, from the cache, in other processes or on a Dask
cluster. A drawing never spans two units (a JSON Lines file's requests and a drawing folder's
files are one unit), so it never spans two chunks.

The tables of a corpus of several chunks are the chunks' tables one after the other;
``features`` is stacked from them as in any corpus.
"""

from __future__ import annotations

import gc
import zlib
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, cast

from .. import schema
from .._sources import ProblemRow, Reread, Unit, drawings_of_units

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from .._corpus import Corpus

__all__ = [
    "CHUNK_UNITS",
    "STORED_TABLES",
    "FreshChunk",
    "Piece",
    "ReadyTables",
    "build_chunk",
    "chunks_by_content",
    "chunks_by_count",
    "paused_gc",
]

#: The average number of units of a chunk of ``wf.load`` (and so of a cache entry).
CHUNK_UNITS = 4096


def stored_tables() -> list[str]:
    """The tables a chunk keeps: all but ``features``, which is stacked from the others."""
    return [t for t in schema.TABLES if t != "features"]


STORED_TABLES = stored_tables()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector: the parsed answers and row tuples hold no cycles, and walking
    them again and again made loading superlinear (17 % at 20,000 drawings, 32 % at 100,000)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------------------
# Chunks
# --------------------------------------------------------------------------------------


def chunks_by_content(units: Sequence[Unit], average: int = CHUNK_UNITS) -> list[list[int]]:
    """Cut where a unit's name hashes to a boundary (on average every ``average`` units; at most
    four times that): a file added or removed changes its own chunk, not every later one."""
    crc = zlib.crc32
    ends = [i + 1 for i, u in enumerate(units) if crc(u.name.encode("utf-8", "surrogateescape")) % average == 0]
    cuts: list[list[int]] = []
    start = 0
    for end in [*ends, len(units)]:
        while end - start > 4 * average:  # no boundary for too long: cut at the most
            cuts.append(list(range(start, start + 4 * average)))
            start += 4 * average
        cuts.append(list(range(start, end)))
        start = end
    return _by_key(units, cuts)


def chunks_by_count(units: Sequence[Unit], size: int) -> list[list[int]]:
    """Runs of ``size`` units."""
    if size < 1:
        raise ValueError(f"a chunk holds at least one file or drawing folder, not {size}")
    return _by_key(units, [list(range(i, min(i + size, len(units)))) for i in range(0, len(units), size)])


def _by_key(units: Sequence[Unit], cuts: list[list[int]]) -> list[list[int]]:
    """Units of a key met in an earlier chunk join that chunk (in reading order)."""
    if len(cuts) == 1:
        return [cuts[0]] if cuts[0] else []  # one chunk: every key is in it already
    keys = [u.key for u in units]
    if len(set(keys)) == len(keys):  # the common case, checked in C
        return [cut for cut in cuts if cut]  # no key repeats (no two strays either): nothing moves
    first: dict[str, int] = {}
    out: list[list[int]] = [[] for _ in cuts]
    for c, cut in enumerate(cuts):
        for i in cut:
            key = units[i].key
            target = c if key is None else first.setdefault(key, c)
            out[target].append(i)
    return [sorted(chunk) for chunk in out if chunk]


def build_chunk(units: Sequence[Unit]) -> Corpus:
    """The corpus of ``units`` (every table built lazily, as by ``wf.load``)."""
    from .._corpus import Corpus

    problems: list[ProblemRow] = []
    with paused_gc():
        return Corpus(drawings_of_units(units, problems), problems)


def raw_parts(corpus: Corpus) -> dict[str, list[tuple[str, list[int] | None]]]:
    """Each drawing's files (and objects in them), as :class:`~werk24_frames._sources.Reread` reads them."""
    out: dict[str, list[tuple[str, list[int] | None]]] = {}
    for did, raw in corpus._raw.items():
        if isinstance(raw, Reread):
            out[did] = [(str(p), idx) for p, idx in raw.parts]
    return out


# --------------------------------------------------------------------------------------
# A corpus of chunks
# --------------------------------------------------------------------------------------


class Piece(Protocol):
    """The tables of one chunk, built or read back."""

    drawing_ids: list[str]
    image_bytes: dict[tuple[str, str, int, int], bytes]

    @property
    def raw(self) -> Mapping[str, Callable[[], list[Any]]]: ...

    def n_rows(self, name: str) -> int: ...

    def arrow(self, name: str) -> pa.Table: ...


class FreshChunk:
    """A chunk just built: its corpus's tables."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.drawing_ids = corpus.drawing_ids
        self.raw: dict[str, Callable[[], list[Any]]] = dict(corpus._raw)
        self.image_bytes = dict(corpus._flat.image_bytes)

    def n_rows(self, name: str) -> int:
        return len(self.corpus.table(name))

    def arrow(self, name: str) -> pa.Table:
        from ._arrow import to_arrow

        return to_arrow(self.corpus.table(name), name)


class ReadyTables:
    """The tables of a corpus made of chunks: the chunks' Arrow tables one after the other,
    converted to pandas when first asked for (strings stay in Arrow's buffers)."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.pieces = list(pieces)
        self.drawing_ids = [d for p in self.pieces for d in p.drawing_ids]
        # the pieces' own mappings, looked up in turn (a drawing is in one chunk), not copied
        self.raw: Mapping[str, Callable[[], list[Any]]] = ChainMap(*(cast(Any, p.raw) for p in self.pieces))
        self.image_bytes: dict[tuple[str, str, int, int], bytes] = {}
        for p in self.pieces:
            self.image_bytes.update(p.image_bytes)

    def n_rows(self, name: str) -> int:
        return sum(p.n_rows(name) for p in self.pieces)

    def table(self, name: str) -> pd.DataFrame:
        import pandas as pd
        import pyarrow as pa

        from ._arrow import from_arrow

        if not self.pieces:
            return schema.empty_frame(name)
        if all(isinstance(p, FreshChunk) for p in self.pieces):  # all built now: no round trip through Arrow
            frames = [p.corpus.table(name) for p in self.pieces]  # type: ignore[attr-defined]
            out = pd.concat(frames, ignore_index=True)
            out.attrs = {}
            return out
        parts = [p.arrow(name) for p in self.pieces]
        return from_arrow(parts[0] if len(parts) == 1 else pa.concat_tables(parts), name)
