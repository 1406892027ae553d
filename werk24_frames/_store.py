"""The store: where read answers live on disk, one folder per drawing.

Layout (version 1)::

    <root>/<drawing_id>/manifest.json      source file name, asks, SDK version, time, exceptions
    <root>/<drawing_id>/<ASK>.json         the ask's messages (TechreadMessage dicts), as a list
    <root>/<drawing_id>/<kind>_<page>.png  image bytes; messages name them in ``payload_file``

``drawing_id`` is the first 16 hex digits of the SHA-256 of the drawing's bytes, so paths come
from content, never from names in responses. Every file is written to a temporary name and
renamed into place, so a reader never sees half a file. ``wf.load(root)`` reads a store like any
other folder of saved answers.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

__all__ = ["STORE_VERSION", "content_id", "write_atomic", "write_drawing"]

STORE_VERSION = 1


def content_id(data: bytes) -> str:
    """The drawing id of a drawing's bytes: 16 hex digits of their SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    for name, data in files.items():
        write_atomic(folder / name, data)
    for ask, msgs in messages.items():
        write_atomic(folder / f"{ask}.json", orjson.dumps(msgs, option=orjson.OPT_INDENT_2))
    body = {"store_version": STORE_VERSION, "drawing_id": drawing_id, **manifest}
    write_atomic(folder / "manifest.json", orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return folder
