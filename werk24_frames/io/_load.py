"""``wf.load`` of saved files: chunks built, or read from the table cache, into one corpus."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._sources import ProblemRow, folder_traps, list_units
from . import _plan
from ._plan import FreshChunk, Piece, ReadyTables, build_chunk, chunks_by_content, paused_gc

if TYPE_CHECKING:
    from .._corpus import Corpus

__all__ = ["load_files"]

PathLike = str | os.PathLike[str]


def load_files(source: PathLike | Iterable[PathLike], cache: bool | PathLike | None, where: str) -> Corpus:
    """The corpus of the files and folders in ``source`` (see :func:`werk24_frames.load`).

    Raises
    ------
    SourceError
        A path does not exist, or nothing readable is in it.
    """
    with paused_gc():  # the listing and the chunks' tables hold no cycles; see paused_gc
        return _load(source, cache, where)


def _load(source: PathLike | Iterable[PathLike], cache: bool | PathLike | None, where: str) -> Corpus:
    from .._corpus import Corpus, nothing_readable
    from .cache import cache_root, cached_chunk

    units = list_units(source)
    root = cache_root(cache)
    chunks = chunks_by_content(units, _plan.CHUNK_UNITS) or [[]]
    found: list[ProblemRow] = []  # about the cache itself
    pieces: list[Piece] = []
    if root is None:
        # Nothing to key: the chunks' units, in the chunks' order, as one corpus. The same ids
        # (a repeated id's units share a chunk, and ids of other keys never meet) and rows as
        # chunk by chunk, without each chunk's fixed cost of building every table and the
        # copy of putting them together.
        pieces.append(FreshChunk(build_chunk([units[i] for chunk in chunks for i in chunk])))
    else:
        pieces.extend(cached_chunk(root, [units[i] for i in chunk], found) for chunk in chunks)
    if len(pieces) == 1 and isinstance(pieces[0], FreshChunk) and not found:
        corpus = pieces[0].corpus  # one chunk just built: the corpus itself, tables built when asked for
    else:
        corpus = Corpus(ready=ReadyTables(pieces))
        corpus._flat.problems.extend(found)
    if len(corpus):
        meta = corpus._frame("metadata")
        # A folder is a trap when each of its files answers one ask, each a different one: it
        # needs at least as many different asks in the load as it has files. Counted first, as
        # a folder of thousands of drawings never is one.
        files = Counter(u.folder for u in units if u.kind == "file" and u.folder)
        different = meta["asks"].nunique()
        if any(2 <= n <= different for n in files.values()):
            asks_by_source: dict[str, list[str]] = {}
            for src, asks in zip(meta["source"].tolist(), meta["asks"].tolist(), strict=True):
                asks_by_source.setdefault(str(src), []).append(asks if isinstance(asks, str) else "")
            corpus._flat.problems.extend(folder_traps(units, asks_by_source))
            corpus._frames.pop("problems", None)
    if not len(corpus):
        import pandas as pd

        rows = corpus.problems.itertuples(index=False) if corpus._ready is not None else corpus._flat.problems
        errors: list[Any] = [tuple(None if pd.isna(v) else v for v in r) for r in rows]
        raise nothing_readable(where, errors)
    return corpus
