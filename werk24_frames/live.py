"""Reading drawings live through the official ``werk24`` SDK: concurrent, cached, resumable.

``read_drawings`` sends each drawing to Werk24 once. Answers go into a store on disk (see
:mod:`werk24_frames._store`) as soon as a drawing is finished, so a re-run pays for nothing
twice, an interrupted run resumes where it stopped, and one bad drawing never stops the rest:
it becomes rows of ``corpus.problems``. Only a refused token or a spent quota stops a batch,
because going on would fail every drawing.

Needs the ``live`` extra (``pip install "werk24_frames[live]"``) and a Werk24 API token. The
SDK is imported when a read starts, never by ``import werk24_frames``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import glob
import logging
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._extras import require
from ._imageinfo import sniff
from ._loop import run_sync
from ._secrets import redacted_logs
from ._sources import ProblemRow, SourceError, folder_drawing
from ._store import content_id, lock_path, read_manifest, update_drawing

if TYPE_CHECKING:
    from ._corpus import Corpus

__all__ = [
    "DEFAULT_ASKS",
    "DRAWING_SUFFIXES",
    "CreditsExhaustedError",
    "LiveReadError",
    "TokenError",
    "aread_drawings",
    "default_store",
    "read_drawings",
]

logger = logging.getLogger(__name__)

#: What ``read_drawings`` asks when no ``asks`` are given.
DEFAULT_ASKS = ("META_DATA", "FEATURES", "INSIGHTS", "REFERENCE_POSITIONS", "SHEET_IMAGES")
#: Files a folder or glob contributes as drawings (others are listed in ``problems`` as skipped).
DRAWING_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".dxf")
#: First pause before a retry after a connection error, in seconds (doubled each time, jittered).
RETRY_BASE_DELAY = 0.5
_LIVE_MODULES = ("werk24", "httpx", "tqdm", "platformdirs", "filelock")
"""What the ``live`` extra installs."""
_V1_ASKS = ("PAGE_THUMBNAIL", "SHEET_THUMBNAIL", "CANVAS_THUMBNAIL", "SECTIONAL_THUMBNAIL")

_TOKEN_HELP = (
    "Werk24 needs an API token. Create one in your Werk24 account (https://werk24.io), then "
    "pass it as token=..., set the environment variable W24TECHREAD_AUTH_TOKEN, or save it "
    "with `werk24 init` (it writes ~/.werk24)."
)


class LiveReadError(RuntimeError):
    """A problem that stops a whole live read: going on would fail every drawing."""


class TokenError(LiveReadError):
    """No API token was found, or Werk24 refused it.

    ``reason`` is what went wrong; the message adds how to give a token from Python.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason} {_TOKEN_HELP}")

    def __reduce__(self) -> tuple[type[TokenError], tuple[str]]:  # pickle and copy rebuild it from the reason
        return (type(self), (self.reason,))


class CreditsExhaustedError(LiveReadError):
    """Werk24 refused a read because the account's request quota is used up."""


def default_store() -> Path:
    """The per-user cache folder reads are stored in when no ``store`` is given."""
    require("live", "the default store", "platformdirs")
    import platformdirs

    return Path(platformdirs.user_cache_dir("werk24_frames", appauthor=False))


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def read_drawings(
    drawings: Any,
    asks: Sequence[Any] = DEFAULT_ASKS,
    *,
    store: str | os.PathLike[str] | None = None,
    concurrency: int = 4,
    token: str | None = None,
    wss_server: str | None = None,
    https_server: str | None = None,
    force: bool = False,
    progress: Any = True,
    timeout: float | None = None,
    retries: int = 3,
    max_pages: int | None = None,
    show: Any = False,
) -> Corpus:
    """Read drawings with Werk24 and return their answers as a :class:`Corpus`.

    Runs on a dedicated background event loop, so it works the same in a script and in Jupyter
    (whose own loop is never blocked or patched). Interrupting (Ctrl-C, "interrupt kernel")
    cancels the reads in flight; what finished stays in the store.

    Parameters
    ----------
    drawings
        A file, a folder (its drawing files, see ``DRAWING_SUFFIXES``), a glob such as
        ``"drawings/**/*.pdf"``, ``bytes``, a binary file object, a mapping of names to bytes,
        or a list of any of these.
    asks
        Ask names (``"META_DATA"``, ``"VIEW_IMAGES"``, the legacy ``"SECTIONAL_THUMBNAIL"``...)
        or SDK ask objects.
    store
        Folder of stored answers (default :func:`default_store`). A drawing whose asks are
        stored is not sent again; missing asks are read and added.
    concurrency
        Reads in flight at once, one SDK client each.
    token
        The Werk24 API token; default: where the SDK finds it (``W24TECHREAD_AUTH_TOKEN``, a
        license file).
    wss_server, https_server
        Override the SDK's servers (on-premise installations, tests).
    force
        Read again even what is stored.
    progress
        True shows a ``tqdm.auto`` progress bar (a widget in Jupyter, text in a terminal) of
        drawings read, cached and failed; False shows none; a ``tqdm`` bar of your own is
        updated instead (its total is set to the number of drawings).
    timeout
        Seconds one drawing's read may take, upload included (default: the SDK's own limits).
    retries
        How often a drawing is retried after a connection error, with exponential backoff.
    max_pages
        Pages read per drawing (default: the SDK's, 5).
    show
        Display a :class:`~werk24_frames.widgets.Gallery` (in Jupyter) that fills with each
        drawing as its read finishes or is found in the store (needs the ``widgets`` extra);
        a gallery of your own is filled instead.

    Returns
    -------
    Corpus
        The drawings read now or found in the store, in input order; ``drawing_id`` is the
        content hash, ``source`` the file name. Failed drawings are rows of
        ``corpus.problems`` naming the SDK's exception type.

    Raises
    ------
    TokenError
        No token was found, or Werk24 rejected it.
    CreditsExhaustedError
        The account's quota is used up (finished drawings stay in the store).
    SourceError
        A path does not exist or a glob matches nothing.
    """
    require("live", "reading drawings live", *_LIVE_MODULES)
    # The bar and gallery are made here: in Jupyter a widget must be displayed from the cell's own thread.
    bar, own_bar = _progress_bar(progress)
    gallery = _gallery(show)
    try:
        return run_sync(
            aread_drawings(
                drawings,
                asks,
                store=store,
                concurrency=concurrency,
                token=token,
                wss_server=wss_server,
                https_server=https_server,
                force=force,
                progress=bar if bar is not None else False,
                timeout=timeout,
                retries=retries,
                max_pages=max_pages,
                show=gallery,
            )
        )
    finally:
        if own_bar:
            bar.close()


async def aread_drawings(
    drawings: Any,
    asks: Sequence[Any] = DEFAULT_ASKS,
    *,
    store: str | os.PathLike[str] | None = None,
    concurrency: int = 4,
    token: str | None = None,
    wss_server: str | None = None,
    https_server: str | None = None,
    force: bool = False,
    progress: Any = True,
    timeout: float | None = None,
    retries: int = 3,
    max_pages: int | None = None,
    show: Any = False,
) -> Corpus:
    """The same as :func:`read_drawings`, for async code: ``corpus = await wf.aread_drawings(...)``.

    File reads, store writes and building the corpus run in worker threads, so the calling
    event loop stays responsive.
    """
    require("live", "reading drawings live", *_LIVE_MODULES)
    bar, own_bar = _progress_bar(progress)
    gallery = _gallery(show)
    try:
        return await _aread(
            bar,
            gallery,
            drawings,
            asks,
            store,
            concurrency,
            token,
            wss_server,
            https_server,
            force,
            timeout,
            retries,
            max_pages,
        )
    finally:
        if own_bar:
            bar.close()


async def _aread(
    bar: Any,
    gallery: Any,
    drawings: Any,
    asks: Sequence[Any],
    store: str | os.PathLike[str] | None,
    concurrency: int,
    token: str | None,
    wss_server: str | None,
    https_server: str | None,
    force: bool,
    timeout: float | None,
    retries: int,
    max_pages: int | None,
) -> Corpus:
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency}")
    if retries < 0:
        raise ValueError(f"retries must be 0 or more, not {retries}")
    ask_objs = _asks(asks)
    root = Path(store).expanduser() if store is not None else default_store()
    problems: list[ProblemRow] = []
    jobs = _jobs(drawings, problems)
    await asyncio.to_thread(_plan, jobs, root, ask_objs, force, problems)
    run = _Run(
        root=root,
        asks=ask_objs,
        force=force,
        timeout=timeout,
        retries=retries,
        max_pages=max_pages,
        problems=problems,
        server={k: v for k, v in (("wss_server", wss_server), ("https_server", https_server)) if v},
    )
    todo = [j for j in jobs if j.drawing_id is not None]
    if any(j.needed for j in todo):
        run.token = await asyncio.to_thread(_resolve_token, token)
    if bar is not None:
        bar.reset(total=len(todo))
        run.bar = bar
    if gallery is not None:
        run.on_stored = functools.partial(_show, gallery, root)
    with redacted_logs(run.token):
        await run.run_all(todo, concurrency)
    finished = [j.drawing_id for j in todo if j.stored and j.drawing_id]
    return await asyncio.to_thread(_corpus, root, finished, problems)


# --------------------------------------------------------------------------------------
# Inputs and asks
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Job:
    source: str
    path: Path | None = None
    data: bytes | None = None
    drawing_id: str | None = None
    needed: list[str] = field(default_factory=list)
    deferrals: int = 0
    stored: bool = False  # the store holds answers of this drawing (read now or earlier)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


def _jobs(drawings: Any, problems: list[ProblemRow]) -> list[_Job]:
    """One job per drawing given: files, folders, globs, bytes, file objects, mappings."""
    jobs: list[_Job] = []
    n_bytes = 0

    def add(item: Any, name: str | None = None) -> None:
        nonlocal n_bytes
        if isinstance(item, (bytes, bytearray, memoryview)):
            n_bytes += 1
            jobs.append(_Job(name or f"<bytes #{n_bytes}>", data=bytes(item)))
        elif hasattr(item, "read") and not isinstance(item, (str, os.PathLike)):
            data = item.read()
            if not isinstance(data, bytes):
                raise TypeError(f"{name or item!r} is a text file object; open drawings in binary mode ('rb')")
            n_bytes += 1
            jobs.append(_Job(name or str(getattr(item, "name", f"<file #{n_bytes}>")), data=data))
        elif isinstance(item, (str, os.PathLike)):
            _add_path(Path(item).expanduser(), str(item), jobs, problems, name)
        else:
            raise TypeError(f"cannot read {type(item).__name__} as a drawing: pass paths, globs, folders or bytes")

    if isinstance(drawings, Mapping):
        for name, item in drawings.items():
            add(item, str(name))
    elif isinstance(drawings, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(drawings, "read"):
        add(drawings)
    else:
        for item in drawings:
            add(item)
    if not jobs:
        raise SourceError(
            "no drawings given" + (f" in {str(drawings)!r}" if isinstance(drawings, (str, os.PathLike)) else "")
        )
    return jobs


def _add_path(path: Path, given: str, jobs: list[_Job], problems: list[ProblemRow], name: str | None) -> None:
    if path.is_file():
        jobs.append(_Job(name or given, path=path))
        return
    if path.is_dir():
        candidates = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    elif glob.has_magic(given):
        candidates = sorted(Path(p) for p in glob.glob(os.path.expanduser(given), recursive=True) if Path(p).is_file())
        if not candidates:
            raise SourceError(f"no files match {given!r}")
    else:
        raise SourceError(f"no such file or folder: {given!r}")
    for p in candidates:
        if p.suffix.lower() in DRAWING_SUFFIXES:
            jobs.append(_Job(str(p), path=p))
        else:
            problems.append(
                (None, str(p), None, "", "not a drawing file (" + ", ".join(DRAWING_SUFFIXES) + "); skipped", "info")
            )


def _asks(asks: Sequence[Any]) -> list[tuple[str, Any]]:
    """``(name, SDK ask object)`` for every ask given as a name or an SDK ask."""
    if isinstance(asks, str):
        asks = [asks]
    from werk24.models.v1 import ask as v1
    from werk24.models.v2 import asks as v2

    by_name: dict[str, type] = {}
    stack: list[type] = [v2.AskV2]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        default = getattr(cls, "model_fields", {}).get("ask_type")
        if default is not None and default.default is not None:
            by_name[str(getattr(default.default, "value", default.default))] = cls
    for name in _V1_ASKS:
        by_name[name] = getattr(v1, "W24Ask" + "".join(w.title() for w in name.split("_")))
    out: list[tuple[str, Any]] = []
    for a in asks:
        if isinstance(a, str):
            key = a.strip().upper()
            if key not in by_name:
                raise ValueError(f"unknown ask {a!r}; known asks: {', '.join(sorted(by_name))}")
            try:
                obj = by_name[key]()
            except Exception as exc:
                raise ValueError(f"the ask {key} needs parameters: pass an SDK ask object instead ({exc})") from None
        else:
            obj = a
        kind = getattr(obj, "ask_type", None)
        name = str(getattr(kind, "value", kind or ""))
        if not name:
            raise TypeError(f"{a!r} is not a Werk24 ask")
        if name not in (n for n, _ in out):
            out.append((name, obj))
    if not out:
        raise ValueError("no asks given")
    return out


def _plan(jobs: list[_Job], root: Path, asks: list[tuple[str, Any]], force: bool, problems: list[ProblemRow]) -> None:
    """Hash every drawing and note which asks the store lacks (all of them with ``force``)."""
    seen: set[str] = set()
    for job in jobs:
        try:
            did = content_id(job.read())
        except OSError as exc:
            problems.append((None, job.source, None, "", f"cannot read the drawing: {exc}", "error"))
            continue
        if did in seen:  # the same drawing twice: read once, listed once
            problems.append((did, job.source, None, "", "the same drawing as an earlier input; read once", "info"))
            continue
        seen.add(did)
        job.drawing_id = did
        job.needed = _needed(root, did, asks, force)


def _needed(root: Path, did: str, asks: list[tuple[str, Any]], force: bool) -> list[str]:
    if force:
        return [n for n, _ in asks]
    manifest = read_manifest(root, did)
    stored = set(manifest.get("asks", [])) if manifest else set()
    return [n for n, _ in asks if n not in stored]


def _resolve_token(token: str | None) -> str:
    """The token the SDK would use; fails at once, without echoing it, when there is none."""
    from werk24.utils.exceptions import InvalidLicenseException, LicenseNotFoundException
    from werk24.utils.license import locate_license

    try:
        return str(locate_license(token).license.token)
    except LicenseNotFoundException:
        raise TokenError("No Werk24 API token found.") from None
    except InvalidLicenseException as exc:
        raise TokenError(f"The Werk24 API token is not usable: {_scrub(str(exc), token).rstrip('.')}.") from None


def _scrub(text: str, token: str | None) -> str:
    """``text`` with the token blanked out, should anything ever echo it."""
    return text.replace(token, "***") if token else text


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


class _DrawingFailed(Exception):
    """One drawing could not be read; the batch goes on."""

    def __init__(self, exc: BaseException, attempts: int) -> None:
        super().__init__(type(exc).__name__)
        self.exc = exc
        self.attempts = attempts


@dataclass(eq=False)
class _Run:
    root: Path
    asks: list[tuple[str, Any]]
    force: bool
    timeout: float | None
    retries: int
    max_pages: int | None
    problems: list[ProblemRow]
    server: dict[str, str]
    token: str | None = field(default=None, repr=False)
    bar: Any = None
    on_stored: Callable[[str], None] | None = None  # called with each drawing_id that is stored
    counts: Counter[str] = field(default_factory=Counter)

    def __repr__(self) -> str:  # never shows the token
        return f"<live read into {str(self.root)!r}: {dict(self.counts)}>"

    def count(self, what: str) -> None:
        self.counts[what] += 1
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(
                read=self.counts["read"], cached=self.counts["cached"], failed=self.counts["failed"], refresh=False
            )

    async def run_all(self, jobs: list[_Job], concurrency: int) -> None:
        queue: asyncio.Queue[_Job] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        (self.root / ".locks").mkdir(parents=True, exist_ok=True)
        stop: Exception | None = None
        try:
            async with asyncio.TaskGroup() as tg:
                for _ in range(min(concurrency, max(1, sum(1 for j in jobs if j.needed)))):
                    tg.create_task(self._worker(queue))
        except* Exception as group:  # the first reason the batch stopped (a LiveReadError, a full disk)
            stop = group.exceptions[0]
        if stop is not None:
            # Raised outside the handler, so its context is not the group that holds it: that cycle
            # made pickling recurse forever once tblib's exception pickling is installed (dask
            # installs it when imported, and the SDK's pint imports dask when it is there).
            raise stop from None

    async def _worker(self, queue: asyncio.Queue[_Job]) -> None:
        conn = _Connection(self.token, self.server)
        try:
            while True:
                try:
                    job = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await self._one(job, queue, conn)
        finally:
            await conn.close()

    async def _one(self, job: _Job, queue: asyncio.Queue[_Job], conn: _Connection) -> None:
        """Read one drawing, unless the store has it or another run is reading it."""
        from filelock import FileLock, Timeout

        assert job.drawing_id is not None
        lock = FileLock(lock_path(self.root, job.drawing_id), timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:  # another run is reading this drawing: come back to it later
            job.deferrals += 1
            await asyncio.sleep(min(0.05 * job.deferrals, 1.0))
            queue.put_nowait(job)
            return
        try:
            needed = job.needed if self.force else _needed(self.root, job.drawing_id, self.asks, False)
            if not needed:
                job.stored = True
                self.count("cached")
                await self._stored(job)
                return
            asks = [obj for name, obj in self.asks if name in needed]
            t0 = time.perf_counter()
            try:
                data = await asyncio.to_thread(job.read)
                messages = await self._read(data, asks, conn)
            except (_DrawingFailed, OSError) as exc:
                self._failed(job, exc if isinstance(exc, _DrawingFailed) else _DrawingFailed(exc, 0))
                await self._stored(job)  # answers stored by an earlier run are still in the corpus
                return
            write = asyncio.ensure_future(
                asyncio.to_thread(self._store, job, needed, messages, time.perf_counter() - t0)
            )
            try:
                job.stored = await asyncio.shield(write)
            except asyncio.CancelledError:
                await write  # a paid read: finish storing it (quick) before the lock is let go
                raise
            self.count("read" if job.stored else "failed")  # not stored: no ask was answered
            await self._stored(job)
        finally:
            lock.release()

    async def _read(self, data: bytes, asks: list[Any], conn: _Connection) -> list[Any]:
        """All messages of one read, retrying connection errors with backoff."""
        from werk24.utils.exceptions import (
            ApiTokenRejectedException,
            InsufficientCreditsException,
            ReadTimeoutError,
            ServerException,
            UnauthorizedException,
        )

        kwargs = {} if self.max_pages is None else {"max_pages": self.max_pages}
        attempt = 0
        while True:
            attempt += 1
            try:
                client = await conn.client()
                async with asyncio.timeout(self.timeout):
                    return [m async for m in client.read_drawing(data, asks, **kwargs)]
            except InsufficientCreditsException:
                raise CreditsExhaustedError(self._stopped("the account's request quota is used up")) from None
            except (ApiTokenRejectedException, UnauthorizedException):
                raise TokenError(self._stopped("Werk24 rejected the API token")) from None
            except (TimeoutError, ReadTimeoutError) as exc:
                await conn.close()
                raise _DrawingFailed(exc, attempt) from None
            except (ServerException, OSError) as exc:
                await conn.close()
                if attempt > self.retries:
                    raise _DrawingFailed(exc, attempt) from None
                delay = RETRY_BASE_DELAY * 2 ** (attempt - 1) * (1 + random.random() / 4)
                logger.info(
                    "connection error (%s), retry %d of %d in %.1f s", type(exc).__name__, attempt, self.retries, delay
                )
                await asyncio.sleep(delay)
            except Exception as exc:  # the SDK refused the drawing: unsupported, too large, bad request
                raise _DrawingFailed(exc, attempt) from None

    async def _stored(self, job: _Job) -> None:
        if self.on_stored is not None and job.stored and job.drawing_id is not None:
            await asyncio.to_thread(self.on_stored, job.drawing_id)

    def _stopped(self, why: str) -> str:
        done = self.counts["read"] + self.counts["cached"]
        return (
            f"Stopped the whole batch: {why}. {done} drawing(s) finished and are kept in the store "
            f"{str(self.root)!r}; a re-run reads only the others."
        )

    def _failed(self, job: _Job, failed: _DrawingFailed) -> None:
        exc = failed.exc
        tries = f" (after {failed.attempts} attempts)" if failed.attempts > 1 else ""
        what = "no answer in time" if isinstance(exc, TimeoutError) else _scrub(str(exc), self.token).strip()
        message = f"{type(exc).__name__}: {what or 'the read failed'}{tries}"
        self.problems.append((job.drawing_id, job.source, None, "read", message, "error"))
        logger.warning("%s: %s", job.source, message)
        # Answers to other asks, stored by an earlier run, still belong in the corpus.
        job.stored = job.drawing_id is not None and read_manifest(self.root, job.drawing_id) is not None
        self.count("failed")

    def _store(self, job: _Job, needed: list[str], messages: list[Any], seconds: float) -> bool:
        """Write one finished read (messages by ask, payload files, the manifest); True when
        the drawing is stored."""
        assert job.drawing_id is not None
        by_ask: dict[str, list[dict[str, Any]]] = {}
        files: dict[str, bytes] = {}
        exceptions: list[dict[str, Any]] = []
        request_id = None
        for m in messages:
            d = m.model_dump(mode="json", exclude={"payload_bytes"})
            request_id = request_id or d.get("request_id")
            kind = str(d.get("message_type"))
            ask = str(d.get("message_subtype"))
            for e in d.get("exceptions") or []:
                exceptions.append({"ask_type": ask, "page": d.get("page_number"), **e})
            if kind != "ASK" or ask not in needed:
                continue
            payload = getattr(m, "payload_bytes", None)
            if payload:
                fmt = sniff(payload[:65536])[0] or "bin"
                stem = f"{ask.lower()}_{d.get('page_number') or 0}"
                name, n = f"{stem}.{fmt}", 1
                while name in files:
                    n += 1
                    name = f"{stem}_{n}.{fmt}"
                files[name] = payload
                d["payload_file"] = name
            by_ask.setdefault(ask, []).append(d)
        for ask in needed:
            if ask not in by_ask:
                self.problems.append(
                    (
                        job.drawing_id,
                        job.source,
                        None,
                        "read",
                        f"no answer to {ask}; it is read again next time",
                        "warning",
                    )
                )
        manifest = {
            "source": job.source,
            "sources": [job.source],
            "sdk_version": _sdk_version(),
            "created": _now(),
            "exceptions": exceptions,
            "reads": [{"time": _now(), "asks": sorted(by_ask), "request_id": request_id, "seconds": round(seconds, 3)}],
        }
        if not by_ask and read_manifest(self.root, job.drawing_id) is None:
            return False  # nothing answered: nothing to store, read again next time
        update_drawing(self.root, job.drawing_id, by_ask, files, manifest)
        return True


class _Connection:
    """One worker's SDK client: opened when first needed, replaced after a connection error."""

    def __init__(self, token: str | None, server: Mapping[str, str]) -> None:
        self._token = token
        self._server = server
        self._client: Any = None

    def __repr__(self) -> str:  # never shows the token
        return f"<werk24 connection {'open' if self._client is not None else 'closed'}>"

    async def client(self) -> Any:
        if self._client is None:
            from werk24 import Werk24Client

            client = Werk24Client(token=self._token, **self._server)
            self._client = client  # closed by close(), even if entering is cancelled
            await client.__aenter__()
        return self._client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.__aexit__(None, None, None)


@functools.cache
def _sdk_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("werk24")
    except PackageNotFoundError:  # pragma: no cover - the SDK is imported before this runs
        return None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _progress_bar(progress: Any) -> tuple[Any, bool]:
    """``(bar, made here)``: a new ``tqdm.auto`` bar for True (a widget in Jupyter, text in a
    terminal), None for False, or the caller's own bar."""
    if progress is False or progress is None:
        return None, False
    if progress is not True:
        return progress, False
    from tqdm.auto import tqdm

    return tqdm(total=None, unit="drawing", desc="werk24", dynamic_ncols=True), True


def _gallery(show: Any) -> Any:
    """A new gallery, displayed, for ``show=True``; the caller's own gallery; or None."""
    if show is False or show is None:
        return None
    if show is not True:
        return show
    from .widgets import Gallery  # says how to install ipywidgets when it is missing

    gallery = Gallery()
    from IPython.display import display  # installed with ipywidgets

    display(gallery)  # type: ignore[no-untyped-call]
    return gallery


def _show(gallery: Any, root: Path, drawing_id: str) -> None:
    """Add one stored drawing to the live gallery; a failure to show it never stops the reads."""
    try:
        gallery.add(_corpus(root, [drawing_id], []))
    except Exception as exc:
        logger.warning("could not show drawing %s in the gallery: %s: %s", drawing_id, type(exc).__name__, exc)


def _corpus(root: Path, drawing_ids: list[str], problems: list[ProblemRow]) -> Corpus:
    from ._corpus import Corpus

    load_problems: list[ProblemRow] = []
    drawings = [d for d in (folder_drawing(root / did, load_problems) for did in drawing_ids) if d is not None]
    return Corpus(drawings, problems + load_problems)
