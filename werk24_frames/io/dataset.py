"""Parquet datasets: every table of more drawings than fit in memory, written chunk by chunk.

``wf.to_dataset(source, folder)`` lists the files, cuts them into chunks of ``chunk_size`` units
(a response file or a drawing's folder; a JSON Lines file of many drawings is one unit), and
for each chunk builds the corpus and writes every table to ``<folder>/<table>/part-NNNNN.parquet``
(``problems`` included), so memory holds one chunk at a time. A chunk is finished when its
record ``<folder>/_chunks/NNNNN.json`` is written (after its Parquet files, each renamed into
place): an interrupted run, started again, skips the finished chunks whose files are unchanged.
``dataset.json`` is written last.

``wf.open_dataset(folder)`` is a :class:`~werk24_frames.Corpus` over the dataset: each table is
read when first asked for, in the schema's dtypes, so statistics, plots and the report work on
it; ``drawing_ids=`` reads only those drawings (for the audit, the views, a closer look).

Examples
--------
>>> import json, tempfile, pathlib
>>> import werk24_frames as wf
>>> src, out = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(tempfile.mkdtemp()) / "tables"
>>> for i in range(3):
...     _ = (src / f"D{i}.json").write_text(json.dumps({"ask_type": "FEATURES",
...         "dimensions": [{"label": "12", "size": {"value": "12", "unit": "mm"}}]}))
>>> _ = wf.to_dataset(src, out, chunk_size=2, progress=False)
>>> sorted(p.name for p in (out / "dimensions").iterdir())
['part-00000.parquet', 'part-00001.parquet']
>>> big = wf.open_dataset(out)
>>> len(big), len(big.dimensions)
(3, 3)
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schema
from .._sources import Rereads, Unit, list_units
from ._plan import ReadyTables, build_chunk, chunks_by_count, raw_parts

if TYPE_CHECKING:
    import pyarrow as pa

    from .._corpus import Corpus

__all__ = ["open_dataset", "to_dataset"]

PathLike = str | os.PathLike[str]
_FORMAT = 1
_MANIFEST = "dataset.json"


def _part(i: int) -> str:
    return f"part-{i:05d}.parquet"


def _write_parquet(tb: pa.Table, path: str) -> None:
    import pyarrow.parquet as pq

    pq.write_table(tb, path)


def _write_json(obj: Any, path: str) -> None:
    Path(path).write_bytes(json.dumps(obj).encode())  # stdlib: paths may hold lone surrogates


def _atomic_write(path: Path, write: Callable[[str], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_chunk(folder: str, index: int, key: str, units: Sequence[Unit]) -> dict[str, Any]:
    """Build chunk ``index`` and write its tables and record; returns the record."""
    from ._arrow import to_arrow

    root = Path(folder)
    corpus = build_chunk(units)
    rows = {}
    # One table at a time, problems last (it holds what building the others found); a table's
    # row tuples are let go once its frame is built, so the chunk's peak holds its rows or its
    # frames, not both.
    for name in [*(t for t in schema.TABLES if t != "problems"), "problems"]:
        tb = to_arrow(corpus._frame(name), name)
        _release_rows(corpus, name)
        (root / name).mkdir(parents=True, exist_ok=True)
        _atomic_write(root / name / _part(index), functools.partial(_write_parquet, tb))
        rows[name] = tb.num_rows
        del tb
    record = {"key": key, "drawing_ids": corpus.drawing_ids, "raw": raw_parts(corpus), "rows": rows}
    (root / "_chunks").mkdir(exist_ok=True)
    _atomic_write(root / "_chunks" / f"{index:05d}.json", functools.partial(_write_json, record))
    return record


def _release_rows(corpus: Corpus, name: str) -> None:
    """Drop the row tuples of ``name``'s built frame (never read again: the frame is kept)."""
    from .._flatten import Flattener

    if isinstance(corpus._flat, Flattener) and name in corpus._frames and name in corpus._flat.rows:
        corpus._flat.rows[name] = []


@contextmanager
def _system_pool() -> Iterator[None]:
    """Arrow allocates from the C library's allocator while a dataset is written: its default
    (mimalloc) keeps what a chunk freed for itself, about 30 MB more at the peak of each process."""
    import pyarrow as pa

    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def _done(root: Path, index: int, key: str) -> bool:
    path = root / "_chunks" / f"{index:05d}.json"
    try:
        return bool(json.loads(path.read_bytes()).get("key") == key)
    except (OSError, ValueError, AttributeError):
        return False


def to_dataset(
    source: PathLike | Iterable[PathLike],
    folder: PathLike,
    *,
    chunk_size: int = 2000,
    engine: str | None = None,
    progress: bool = True,
    workers: int = 1,
) -> Path:
    """Write every table of the answers in ``source`` to a Parquet dataset, chunk by chunk.

    Parameters
    ----------
    source
        What :func:`werk24_frames.load` takes: files, folders, or a list of them.
    folder
        The dataset: one folder per table (``problems`` included) of Parquet files, one per
        chunk. Started again on the same folder, a run skips the chunks already written whose
        files have not changed.
    chunk_size
        Response files or drawing folders per chunk. Memory holds one chunk's tables (per
        process, with ``workers``).
    engine
        None: chunks written on this machine, with a progress bar (tqdm, if installed).
        ``"dask"``: one task per chunk on the active ``distributed.Client`` (or dask's default
        scheduler); the workers read ``source`` and write ``folder`` themselves, so give paths
        they see the same (absolute, on a shared disk).
    progress
        Show a progress bar (needs tqdm; with ``engine=None``).
    workers
        Processes writing chunks at once (with ``engine=None``): this one and ``workers - 1``
        others, started fresh (``spawn``). Each holds one chunk, so memory grows with
        ``workers``; the dataset written is the same.

    Returns
    -------
    Path
        ``folder``; open it with :func:`open_dataset`.

    Raises
    ------
    SourceError
        A path does not exist.
    """

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    root = Path(folder).expanduser()
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"{str(root)!r} is a file; a dataset is written into a folder")
    root.mkdir(parents=True, exist_ok=True)
    with _system_pool():
        return _to_dataset(root, list_units(source), chunk_size, engine, progress, workers)


def _to_dataset(
    root: Path, units: list[Unit], chunk_size: int, engine: str | None, progress: bool, workers: int
) -> Path:
    from .cache import chunk_key

    keys, plans, sizes = _plan_chunks(units, chunk_size, chunk_key)
    todo = [i for i, key in enumerate(keys) if not _done(root, i, key)]
    if engine == "dask":
        from .._extras import require

        require("dask", "to_dataset(engine='dask')", "dask")
        dask: Any = importlib.import_module("dask")
        tasks = [dask.delayed(_write_packed)(str(root), i, keys[i], plans[i]) for i in todo]
        dask.compute(*tasks)
    elif engine is None:
        bar = _progress(progress, sum(sizes[i] for i in todo))
        try:
            if workers == 1 or len(todo) < 2:
                for i in todo:
                    write_chunk(str(root), i, keys[i], _unpack(plans[i]))
                    plans[i] = b""
                    if bar is not None:
                        bar.update(sizes[i])
            else:
                _write_in_processes(root, todo, keys, plans, sizes, workers, bar)
        finally:
            if bar is not None:
                bar.close()
    else:
        raise ValueError(f"engine must be None or 'dask', not {engine!r}")
    _drop_beyond(root, len(keys))
    manifest = {"format": _FORMAT, "chunks": len(keys), "keys": keys, "tables": list(schema.TABLES)}
    _atomic_write(root / _MANIFEST, functools.partial(_write_json, manifest))
    return root


def _plan_chunks(
    units: list[Unit], chunk_size: int, chunk_key: Callable[[Sequence[Unit]], str]
) -> tuple[list[str], list[bytes], list[int]]:
    """Each chunk's key, its units packed (pickled: about a quarter of the memory of the units
    themselves, which for 100,000 files were 43 MB held through the whole run), and its size.
    The units' list is emptied as it is packed."""
    keys: list[str] = []
    plans: list[bytes] = []
    sizes: list[int] = []
    for chunk in chunks_by_count(units, chunk_size):
        chunk_units = [units[i] for i in chunk]
        keys.append(chunk_key(chunk_units))
        plans.append(pickle.dumps(chunk_units, protocol=pickle.HIGHEST_PROTOCOL))
        sizes.append(len(chunk_units))
    units.clear()
    return keys, plans, sizes


def _unpack(plan: bytes) -> list[Unit]:
    units: list[Unit] = pickle.loads(plan)  # packed by _plan_chunks in this run, never read from disk
    return units


def _write_packed(folder: str, index: int, key: str, plan: bytes) -> None:
    """:func:`write_chunk` of packed units (in a worker process, or a dask task)."""
    write_chunk(folder, index, key, _unpack(plan))


def _in_worker(folder: str, index: int, key: str, plan: bytes) -> None:
    """A chunk written by one of :func:`_write_in_processes`' own processes (see _system_pool)."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    _write_packed(folder, index, key, plan)


def _write_in_processes(
    root: Path, todo: list[int], keys: list[str], plans: list[bytes], sizes: list[int], workers: int, bar: Any
) -> None:
    """Chunks written by this process and ``workers - 1`` fresh ones; each worker has one chunk
    queued beside the one it writes, so it never waits for this process."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    queue = list(todo)
    running: dict[Future[None], int] = {}
    pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("spawn"))

    def finished(futures: Iterable[Future[None]]) -> None:
        for f in list(futures):
            f.result()  # a worker's exception is raised here
            i = running.pop(f)
            plans[i] = b""
            if bar is not None:
                bar.update(sizes[i])

    try:
        while queue or running:
            while queue and len(running) < 2 * (workers - 1):
                i = queue.pop(0)
                running[pool.submit(_in_worker, str(root), i, keys[i], plans[i])] = i
            if queue:
                i = queue.pop(0)
                write_chunk(str(root), i, keys[i], _unpack(plans[i]))
                plans[i] = b""
                if bar is not None:
                    bar.update(sizes[i])
                finished([f for f in running if f.done()])
            else:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                finished(done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _progress(show: bool, total: int) -> Any:
    if not show:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="file", desc="to_dataset")


def _drop_beyond(root: Path, n: int) -> None:
    """Parts and records of chunks a smaller source no longer has."""
    for sub in [root / "_chunks", *(root / name for name in schema.TABLES)]:
        if not sub.is_dir():
            continue
        for f in sub.iterdir():
            stem = f.name.removeprefix("part-").split(".", 1)[0]
            if stem.isdigit() and int(stem) >= n:
                f.unlink()
    for name in os.listdir(root):
        if name.startswith(".") and ".tmp-" in name:
            shutil.rmtree(root / name, ignore_errors=True)


class _DatasetChunk:
    """One chunk of a dataset: its record, and its Parquet files read when asked for."""

    def __init__(self, root: Path, index: int, record: dict[str, Any], ids: set[str] | None) -> None:
        self.root, self.index, self.ids = root, index, ids
        keep = record["drawing_ids"] if ids is None else [d for d in record["drawing_ids"] if d in ids]
        self.drawing_ids: list[str] = keep
        raw = record["raw"]
        self.raw: Mapping[str, Callable[[], list[Any]]] = Rereads(
            raw if ids is None else {did: raw[did] for did in keep if did in raw}
        )
        self.image_bytes: dict[tuple[str, str, int, int], bytes] = {}
        self._rows: dict[str, int] = record["rows"]

    def n_rows(self, name: str) -> int:
        return int(self._rows[name]) if self.ids is None else self.arrow(name).num_rows

    def arrow(self, name: str) -> pa.Table:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        path = self.root / name / _part(self.index)
        if not path.is_file():
            from ._arrow import empty_arrow

            return empty_arrow(name)  # a table added to the schema since
        tb = pq.read_table(path)
        if self.ids is not None:
            tb = tb.filter(pc.is_in(tb.column("drawing_id"), value_set=_pa_strings(self.ids)))
        return tb


def _pa_strings(ids: set[str]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(ids), type=pa.large_string())


def open_dataset(folder: PathLike, drawing_ids: Iterable[str] | None = None) -> Corpus:
    """A corpus over a dataset written by :func:`to_dataset`; tables are read when first used.

    Parameters
    ----------
    folder
        The dataset's folder.
    drawing_ids
        Read only these drawings (for the audit, the views, a closer look at a few).

    Raises
    ------
    FileNotFoundError
        ``folder`` holds no finished dataset (``dataset.json``).
    """
    from .._corpus import Corpus

    root = Path(folder).expanduser()
    try:
        manifest = json.loads((root / _MANIFEST).read_bytes())
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{str(root)!r} holds no finished dataset (no {_MANIFEST}); write one with wf.to_dataset(source, folder)"
        ) from None
    ids = None if drawing_ids is None else {str(d) for d in drawing_ids}
    pieces = []
    for i in range(int(manifest["chunks"])):
        record = json.loads((root / "_chunks" / f"{i:05d}.json").read_bytes())
        pieces.append(_DatasetChunk(root, i, record, ids))
    return Corpus(ready=ReadyTables(pieces))
