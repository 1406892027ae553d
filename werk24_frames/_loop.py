"""One dedicated event loop on a background thread, for the blocking API.

``wf.read_drawings`` runs its coroutine here, so it behaves the same in a script, a test and a
Jupyter kernel (whose own loop is already running): the caller's loop is never blocked, nested
or patched. fsspec does the same (``fsspec.asyn.get_loop``). The thread is a daemon and is
started on first use.

Interrupting the caller (Ctrl-C, "interrupt kernel") cancels the coroutine, waits for it to
clean up (so what it finished is kept) and re-raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["get_loop", "run_sync"]

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None

#: How long an interrupted call waits for its coroutine to finish cleaning up.
CANCEL_GRACE_SECONDS = 30.0
#: How often a waiting caller wakes up to notice an interrupt.
POLL_SECONDS = 0.1


def get_loop() -> asyncio.AbstractEventLoop:
    """The background loop, started on first use."""
    global _loop, _thread
    with _lock:
        if _loop is None or _loop.is_closed() or _thread is None or not _thread.is_alive():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="werk24_frames-io", daemon=True)
            thread.start()
            _loop, _thread = loop, thread
        return _loop


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on the background loop and wait for its result in the calling thread."""
    loop = get_loop()
    if threading.current_thread() is _thread:
        coro.close()
        raise RuntimeError("run_sync called from the werk24_frames background loop itself; await the coroutine")
    finished = threading.Event()

    async def guarded() -> T:
        try:
            return await coro
        finally:
            finished.set()

    future = asyncio.run_coroutine_threadsafe(guarded(), loop)
    try:
        # Wake up now and then: a thread blocked in a lock does not always see SIGINT (Linux
        # may deliver it to another thread), and Python runs signal handlers between bytecodes.
        while not future.done():
            concurrent.futures.wait([future], timeout=POLL_SECONDS)
        return future.result()
    except KeyboardInterrupt:
        future.cancel()
        finished.wait(CANCEL_GRACE_SECONDS)
        raise
