"""The store: where read answers live on disk, one folder per drawing.

Layout (version 1)::

    <root>/<drawing_id>/manifest.json      source file name, asks, SDK version, time, exceptions
    <root>/<drawing_id>/<ASK>.json         the ask's messages (TechreadMessage dicts), as a list
    <root>/<drawing_id>/<image file>       image bytes (``sheet_images_0.png``, ``sheet_0.png``);
                                           the messages name them in ``payload_file``

A read that adds asks to a stored drawing rewrites only those asks' files and then the
manifest. Runs that share a store take ``<root>/.locks/<drawing_id>.lock`` (an OS file lock)
while they read a drawing, so two notebooks never pay for the same drawing twice.

``drawing_id`` is the first 16 hex digits of the SHA-256 of the drawing's bytes, so paths come
from content, never from names in responses. Every file is written to a temporary name and
renamed into place, so a reader never sees half a file. ``wf.load(root)`` reads a store like any
other folder of saved answers.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

__all__ = [
    "STORE_VERSION",
    "content_id",
    "lock_path",
    "read_manifest",
    "update_drawing",
    "write_atomic",
    "write_drawing",
]

STORE_VERSION = 1
_counter = itertools.count()


def content_id(data: bytes) -> str:
    """The drawing id of a drawing's bytes: 16 hex digits of their SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def write_atomic(path: Path, data: bytes, *, mkdir: bool = True) -> None:
    """Write ``data`` to ``path`` durably: to a temporary file in the same folder, flushed to
    disk, renamed into place, and the folder flushed too (as sqlite and git do), so that after
    a crash or power loss ``path`` holds either its old or its new bytes.

    The temporary file's name starts with a dot and ends in ``.tmp``: a reader of the store
    never takes one (left by a killed process) for an answer.
    """
    if mkdir:
        path.parent.mkdir(parents=True, exist_ok=True)
    # A name no other writer uses (process, thread, counter), created exclusively.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{next(_counter)}.tmp")
    fh = open(tmp, "xb")  # noqa: SIM115 - opened before the try: a name we did not create is never removed
    try:
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; where folders cannot be opened (Windows),
    the rename is as durable as the system makes it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_drawing(
    root: Path,
    drawing_id: str,
    messages: Mapping[str, list[dict[str, Any]]],
    files: Mapping[str, bytes],
    manifest: Mapping[str, Any],
) -> Path:
    """Store one drawing: its messages by ask, its image files, and its manifest (written last,
    so a folder with a manifest is complete)."""
    folder = Path(root) / drawing_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(folder / name, data, mkdir=False)
    for ask, msgs in messages.items():
        write_atomic(folder / f"{ask}.json", orjson.dumps(msgs, option=orjson.OPT_INDENT_2), mkdir=False)
    body = {"store_version": STORE_VERSION, "drawing_id": drawing_id, **manifest}
    manifest_bytes = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    write_atomic(folder / "manifest.json", manifest_bytes, mkdir=False)
    return folder


def lock_path(root: Path, drawing_id: str) -> Path:
    """The lock file a run holds while it reads (and stores) one drawing."""
    return Path(root) / ".locks" / f"{drawing_id}.lock"


def read_manifest(root: Path, drawing_id: str) -> dict[str, Any] | None:
    """The manifest of a stored drawing; None when the drawing is not (completely) stored."""
    try:
        manifest = orjson.loads((Path(root) / drawing_id / "manifest.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) else None


def update_drawing(
    root: Path,
    drawing_id: str,
    messages: Mapping[str, list[dict[str, Any]]],
    files: Mapping[str, bytes],
    manifest: Mapping[str, Any],
) -> Path:
    """Store a read of some asks of a drawing beside what is stored already.

    The asks in ``messages`` replace their earlier answers (and the files those named); the
    other stored asks stay. The manifest keeps the union of asks and sources, the exceptions
    of the asks still stored, and one line per read in ``reads``. The caller holds the lock.
    """
    folder = Path(root) / drawing_id
    old = read_manifest(root, drawing_id) or {}
    for ask in messages:
        for name in _payload_files(folder / f"{ask}.json"):
            if name not in files:
                (folder / name).unlink(missing_ok=True)
    asks = sorted({*old.get("asks", []), *messages})
    sources = list(dict.fromkeys([*old.get("sources", []), *manifest.get("sources", [])]))
    exceptions = [e for e in old.get("exceptions", []) if e.get("ask_type") not in messages]
    exceptions += manifest.get("exceptions", [])
    reads = [*old.get("reads", []), *manifest.get("reads", [])]
    body = {
        **old,
        **manifest,
        "source": old.get("source") or manifest.get("source"),
        "sources": sources,
        "asks": asks,
        "exceptions": exceptions,
        "reads": reads,
    }
    body.pop("store_version", None)
    body.pop("drawing_id", None)
    return write_drawing(root, drawing_id, messages, files, body)


def _payload_files(ask_file: Path) -> list[str]:
    """The image files the stored messages of one ask name (plain names inside the folder)."""
    try:
        msgs = orjson.loads(ask_file.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    names = []
    for m in msgs if isinstance(msgs, list) else []:
        name = m.get("payload_file") if isinstance(m, dict) else None
        if isinstance(name, str) and name == Path(name).name and not name.startswith("."):
            names.append(name)
    return names
