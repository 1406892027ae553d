"""Download the images behind ``payload_url`` (saved ``werk24 techread`` output) into the store,
and the JSON answers Werk24 sent as a link instead of inline.

The links Werk24 sends are presigned and expire, so ``wf.load(..., download_images=True)``
fetches them while they still work and keeps the bytes under ``<store>/.downloads/``. A file's
name is a hash of the link's request id, ask, page and path (never a name from a response), so a
second load finds it again without downloading, even after the link has expired.

Downloads use httpx: async and concurrent (bounded), https only (also after redirects), with
connect/read timeouts and a total time limit per image, a size limit, and bounded retries with
backoff for connection errors and 5xx/429 answers. What cannot be fetched becomes a problem row.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._extras import require
from ._imageinfo import sniff
from ._sources import Drawing, Entry, ProblemRow
from ._store import write_atomic
from .schema import V2_ASKS

__all__ = ["DownloadLimits", "download_images"]

DOWNLOAD_FOLDER = ".downloads"


@dataclass(frozen=True, slots=True)
class DownloadLimits:
    """Bounds of image downloads."""

    concurrency: int = 8
    max_bytes: int = 50 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    retries: int = 3
    retry_base_delay: float = 0.5


def _key(d: Drawing, e: Entry, url: str) -> str:
    parts = urlsplit(url)
    ident = "|".join([d.request_id or d.drawing_id, e.ask_type or "", str(e.page), parts.netloc, parts.path])
    return hashlib.sha256(ident.encode()).hexdigest()[:24]


def download_images(
    drawings: list[Drawing],
    store: Path,
    problems: list[ProblemRow],
    *,
    verify: ssl.SSLContext | str | bool = True,
    limits: DownloadLimits = DownloadLimits(),
) -> int:
    """Fetch every image that is only linked; point its entry at the stored file.

    Returns the number of images downloaded now (images stored earlier are reused).
    """
    require("live", "downloading linked images", "httpx")
    folder = Path(store).expanduser() / DOWNLOAD_FOLDER
    # Fetched earlier: <key>.<format>, listed once (temporary files start with a dot).
    have = (
        {p.name.split(".", 1)[0]: p for p in folder.iterdir() if not p.name.startswith(".")} if folder.is_dir() else {}
    )
    todo: list[tuple[Drawing, Entry, str, Path]] = []
    for d in drawings:
        for e in d.entries:
            if not e.payload_url or e.payload_path or e.payload_bytes:
                continue
            key = _key(d, e, e.payload_url)
            stored = have.get(key)
            if stored is not None:
                _keep(e, stored, stored.read_bytes() if e.ask_type in _ANSWER_ASKS else None)
                continue
            if urlsplit(e.payload_url).scheme != "https":
                problems.append(
                    (
                        d.drawing_id,
                        e.source,
                        e.page,
                        e.location,
                        "not downloaded: only https links are fetched",
                        "warning",
                    )
                )
                continue
            todo.append((d, e, e.payload_url, folder / key))
    if not todo:
        return 0
    from ._loop import run_sync

    return run_sync(_fetch_all(todo, problems, verify, limits))


# Asks whose answer is JSON: when Werk24 sends it as a link (a large answer), the downloaded
# bytes are the answer, handed to the flattener as ``payload_bytes``; other links are images.
_ANSWER_ASKS = frozenset(V2_ASKS)


def _keep(e: Entry, path: Path, answer: bytes | None) -> None:
    if answer is None:
        e.payload_path = os.path.realpath(path)
    else:
        e.payload_bytes = answer


async def _fetch_all(
    todo: list[tuple[Drawing, Entry, str, Path]],
    problems: list[ProblemRow],
    verify: ssl.SSLContext | str | bool,
    limits: DownloadLimits,
) -> int:
    import httpx

    async def https_only(request: httpx.Request) -> None:
        if request.url.scheme != "https":
            raise httpx.UnsupportedProtocol(f"refusing to follow a redirect to {request.url.scheme}://")

    if isinstance(verify, str):  # a CA bundle: httpx wants it as a context
        verify = ssl.create_default_context(cafile=verify)
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    sem = asyncio.Semaphore(limits.concurrency)
    done = 0
    async with httpx.AsyncClient(
        verify=verify,
        timeout=timeout,
        follow_redirects=True,
        max_redirects=3,
        event_hooks={"request": [https_only]},
        limits=httpx.Limits(max_connections=limits.concurrency),
    ) as client:

        async def one(d: Drawing, e: Entry, url: str, target: Path) -> None:
            nonlocal done
            async with sem:
                try:
                    async with asyncio.timeout(limits.total_timeout):
                        data = await _get(client, url, limits)
                except Exception as exc:
                    problems.append(
                        (d.drawing_id, e.source, e.page, e.location, f"image not downloaded: {_why(exc)}", "warning")
                    )
                    return
            answer = e.ask_type in _ANSWER_ASKS
            fmt = "json" if answer else sniff(data[:65536])[0] or "bin"
            path = target.with_name(f"{target.name}.{fmt}")
            await asyncio.to_thread(write_atomic, path, data)
            _keep(e, path, data if answer else None)
            done += 1

        await asyncio.gather(*(one(*t) for t in todo))
    return done


async def _get(client: Any, url: str, limits: DownloadLimits) -> bytes:
    import httpx

    attempt = 0
    while True:
        attempt += 1
        try:
            async with client.stream("GET", url) as response:
                if response.status_code in (429, 500, 502, 503, 504) and attempt <= limits.retries:
                    raise _Retry(f"HTTP {response.status_code}")
                response.raise_for_status()
                size = int(response.headers.get("content-length") or 0)
                if size > limits.max_bytes:
                    raise _TooLarge(size, limits.max_bytes)
                chunks: list[bytes] = []
                got = 0
                async for chunk in response.aiter_bytes():
                    got += len(chunk)
                    if got > limits.max_bytes:
                        raise _TooLarge(got, limits.max_bytes)
                    chunks.append(chunk)
                return b"".join(chunks)
        except (_Retry, httpx.TransportError) as exc:
            if isinstance(exc, (httpx.UnsupportedProtocol, httpx.TimeoutException)) or attempt > limits.retries:
                raise
            delay = limits.retry_base_delay * 2 ** (attempt - 1) * (1 + random.random() / 4)
            await asyncio.sleep(delay)


class _Retry(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"larger than the limit of {limit:,} bytes (at least {size:,})")


def _why(exc: BaseException) -> str:
    import httpx

    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        hint = (
            "; the link has probably expired: links last only a while, download them sooner"
            if code in (401, 403)
            else ""
        )
        return f"HTTP {code}{hint}"
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return "no answer in time"
    with contextlib.suppress(Exception):
        text = str(exc)
        if text:
            return f"{type(exc).__name__}: {text}"
    return type(exc).__name__
