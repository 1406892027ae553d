"""Sources: turn files, folders and in-memory objects into raw drawing records.

A source never interprets a response: it finds the responses, parses the JSON, groups them
into drawings and says where each came from. Whatever cannot be parsed becomes a problem
row here; everything else goes on to the flatteners untouched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

__all__ = [
    "IMAGE_SUFFIXES",
    "Drawing",
    "Entry",
    "ProblemRow",
    "Reread",
    "SourceError",
    "Unit",
    "drawings_from_messages",
    "drawings_from_paths",
    "drawings_from_responses",
    "drawings_of_units",
    "list_units",
]

# (drawing_id, source, page, location, message, severity)
ProblemRow = tuple[str | None, str | None, int | None, str, str, str]

RESPONSE_SUFFIXES = (".json", ".jsonl", ".ndjson")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff")
# Files a folder of responses may hold that are not responses; they are skipped quietly.
_QUIET_NAMES = {"manifest.json", "readme", "thumbs.db", "desktop.ini"}
_QUIET_SUFFIXES = (".md", ".txt", ".rst", ".lock", ".tmp")


def _quiet(path: Path) -> bool:
    """Files that sit beside responses by habit (notes, lock and temp files): skipped silently."""
    return _quiet_name(path.name)


def _quiet_name(name: str) -> bool:
    name = name.lower()
    return name in _QUIET_NAMES or name.endswith(_QUIET_SUFFIXES)


class SourceError(ValueError):
    """An input that cannot be loaded at all (a missing path, nothing readable)."""


@dataclass(slots=True)
class Entry:
    """One answer of Werk24 about one drawing: a response, or a message that carries one."""

    ask_type: str | None
    page: int
    payload: Any
    source: str
    location: str
    exceptions: list[Any] = field(default_factory=list)
    payload_url: str | None = None
    payload_path: str | None = None
    payload_bytes: bytes | None = None
    message_type: str | None = None


@dataclass(slots=True)
class Drawing:
    """The raw answers of one drawing, in the order they were read."""

    drawing_id: str
    source: str
    request_id: str | None
    entries: list[Entry]
    problems: list[ProblemRow]
    raw: Callable[[], list[Any]]


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


def _loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def _is_message(obj: Any) -> bool:
    return isinstance(obj, dict) and ("message_type" in obj or "payload_dict" in obj or "message_subtype" in obj)


def _dump_model(obj: Any) -> Any:
    """SDK pydantic objects become JSON-shaped dicts; everything else is returned as is."""
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        # payload_bytes (images the SDK downloaded) are binary: kept aside by the caller.
        return dump(mode="json", exclude={"payload_bytes"})
    return obj


def _parse_json_lines(data: bytes, source: str, problems: list[ProblemRow]) -> list[tuple[str, Any]]:
    """Parse JSON Lines; also concatenated pretty-printed objects (``werk24 techread --pretty``).

    Returns ``(location, object)`` pairs. A line that does not parse becomes a problem row and
    the other lines still load.
    """
    out: list[tuple[str, Any]] = []
    lines = data.split(b"\n")
    first = next((ln.strip() for ln in lines if ln.strip()), b"")
    if first in (b"{", b"["):
        return _parse_concatenated(data, source, problems)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append((f"line {n}", _loads(line)))
        except orjson.JSONDecodeError as exc:
            problems.append((None, source, None, f"line {n}", f"not valid JSON ({exc}); the line was skipped", "error"))
    return out


def _parse_concatenated(data: bytes, source: str, problems: list[ProblemRow]) -> list[tuple[str, Any]]:
    text = data.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    out: list[tuple[str, Any]] = []
    pos, n = 0, 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        n += 1
        line = text.count("\n", 0, pos) + 1
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            problems.append(
                (
                    None,
                    source,
                    None,
                    f"line {line}",
                    f"not valid JSON ({exc.msg}); the rest of the file was skipped",
                    "error",
                )
            )
            break
        out.append((f"object {n} (line {line})", obj))
    return out


def _read_bytes(path: Path, source: str, problems: list[ProblemRow]) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append((None, source, None, "", f"cannot read the file: {exc.strerror or exc}", "error"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data


def _parse_file(path: Path, source: str, problems: list[ProblemRow]) -> list[tuple[str, Any]] | None:
    """The top-level objects of a response file, with their locations."""
    data = _read_bytes(path, source, problems)
    if data is None:
        return None
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _parse_json_lines(data, source, problems)
    try:
        obj = _loads(data)
    except orjson.JSONDecodeError as exc:
        # A .json file may still hold JSON Lines (the CLI's output saved as .json).
        if data.count(b"\n") > 1:
            sub: list[ProblemRow] = []
            objs = _parse_json_lines(data, source, sub)
            if objs and not sub:
                return objs
        problems.append((None, source, None, "", f"not valid JSON ({exc}); the file was skipped", "error"))
        return None
    if isinstance(obj, list):
        return [(f"[{i}]", o) for i, o in enumerate(obj)]
    return [("", obj)]


# --------------------------------------------------------------------------------------
# Grouping into drawings
# --------------------------------------------------------------------------------------


def _page(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _subtype(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _entry_from_message(msg: Mapping[str, Any], source: str, location: str) -> Entry:
    payload = msg.get("payload_dict")
    url = msg.get("payload_url")
    return Entry(
        ask_type=_subtype(msg.get("message_subtype")),
        page=_page(msg.get("page_number", 0)),
        payload=payload,
        source=source,
        location=location,
        exceptions=list(msg.get("exceptions") or []),
        payload_url=str(url) if url else None,
        payload_path=msg.get("payload_file") if isinstance(msg.get("payload_file"), str) else None,
        payload_bytes=msg.get("payload_bytes") if isinstance(msg.get("payload_bytes"), bytes) else None,
        message_type=_subtype(msg.get("message_type")),
    )


def _entry_from_response(obj: Any, source: str, location: str) -> Entry:
    ask = obj.get("ask_type") if isinstance(obj, dict) else None
    return Entry(ask_type=_subtype(ask), page=0, payload=obj, source=source, location=location)


def _group_objects(
    objs: list[tuple[str, Any]],
    stem: str,
    source: str,
) -> list[tuple[str, str | None, list[Entry], list[int]]]:
    """Group parsed objects into drawings: ``(drawing_id, request_id, entries, object indices)``.

    Messages group by ``request_id``; plain responses all belong to one drawing.
    """
    by_request: dict[str | None, tuple[list[Entry], list[int]]] = {}
    for i, (loc, obj) in enumerate(objs):
        if _is_message(obj):
            rid = obj.get("request_id")
            key = str(rid) if rid is not None else None
            entry = _entry_from_message(obj, source, loc)
        else:
            key = None
            entry = _entry_from_response(obj, source, loc)
        entries, idx = by_request.setdefault(key, ([], []))
        entries.append(entry)
        idx.append(i)
    groups = []
    keys = list(by_request)
    for key in keys:
        entries, idx = by_request[key]
        did = stem if len(keys) == 1 or key is None else f"{stem}:{key}"
        groups.append((did, key, entries, idx))
    return groups


def _file_drawings(path: Path, stem: str, problems: list[ProblemRow]) -> list[Drawing]:
    source = str(path)
    file_problems: list[ProblemRow] = []
    objs = _parse_file(path, source, file_problems)
    if objs is None or not objs:
        for p in file_problems:
            problems.append((stem, *p[1:]))
        if objs is not None and not file_problems:
            problems.append((stem, source, None, "", "the file holds no responses", "error"))
        return []
    out = []
    for did, rid, entries, idx in _group_objects(objs, stem, source):
        out.append(
            Drawing(
                drawing_id=did,
                source=source,
                request_id=rid,
                entries=entries,
                problems=[(did, *p[1:]) for p in file_problems],
                raw=_rereader([(path, idx)]),
            )
        )
        file_problems = []  # file-level problems go with the first drawing only
    return out


class Reread:
    """Reads a drawing's answers again from its files: ``parts`` are (file, indices of its
    top-level objects, or None for all). Kept as data so a cached corpus can rebuild it."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[tuple[Path | str, list[int] | None]]) -> None:
        self.parts = parts

    def __call__(self) -> list[Any]:
        result: list[Any] = []
        for path, idx in self.parts:
            objs = _parse_file(Path(path), str(path), []) or []
            if idx is None:
                result.extend(o for _, o in objs)
            else:
                result.extend(objs[i][1] for i in idx if i < len(objs))
        return result


def _rereader(parts: list[tuple[Path, list[int] | None]]) -> Callable[[], list[Any]]:
    return Reread(list(parts))


def folder_drawing(folder: Path, problems: list[ProblemRow]) -> Drawing | None:
    """A sub-folder is one drawing whose files are its responses (one file per ask)."""
    did = folder.name
    source = str(folder)
    entries: list[Entry] = []
    dproblems: list[ProblemRow] = []
    parts: list[tuple[Path, list[int] | None]] = []
    images: list[Path] = []
    request_id: str | None = None
    for f in _listdir(folder):
        if f.is_dir():
            if f.name.lower() in ("images", "payloads"):
                images.extend(p for p in _listdir(f) if p.suffix.lower() in IMAGE_SUFFIXES)
            else:
                dproblems.append((did, str(f), None, "", "a folder inside a drawing's folder is not read", "info"))
            continue
        suffix = f.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            images.append(f)
            continue
        if suffix not in RESPONSE_SUFFIXES or _quiet(f):
            if not _quiet(f):
                dproblems.append((did, str(f), None, "", "not a response file (.json/.jsonl); skipped", "info"))
            continue
        fproblems: list[ProblemRow] = []
        objs = _parse_file(f, str(f), fproblems)
        dproblems.extend((did, *p[1:]) for p in fproblems)
        if objs is None:
            continue
        if not objs:
            dproblems.append((did, str(f), None, "", "the file holds no responses", "error"))
        parts.append((f, None))
        for _did, rid, ents, _idx in _group_objects(objs, did, str(f)):
            if rid is not None:
                if request_id is not None and rid != request_id:
                    dproblems.append(
                        (
                            did,
                            str(f),
                            None,
                            "",
                            f"answers of two requests ({request_id}, {rid}) in one drawing folder; "
                            "both are loaded as this drawing",
                            "warning",
                        )
                    )
                request_id = request_id or rid
            entries.extend(ents)
    stored = {e.payload_path for e in entries if e.payload_path}
    for img in images:
        rel = str(img.relative_to(folder))
        if rel in stored or str(img) in stored:
            continue
        entries.append(_image_file_entry(img))
    # Messages that name a stored payload file get its absolute path.
    for e in entries:
        if e.payload_path and not os.path.isabs(e.payload_path):
            e.payload_path = str(folder / e.payload_path)
    if not entries and not dproblems:
        return None
    # A drawing from the store: its manifest names the file that was read.
    named = _manifest_source(folder / "manifest.json", dproblems, did)
    if named:
        source = named
        for e in entries:
            e.source = named
    return Drawing(did, source, request_id, entries, dproblems, _rereader(parts))


def _manifest_source(path: Path, problems: list[ProblemRow], did: str) -> str | None:
    """The ``source`` a store's manifest gives (the drawing's file name), if there is one."""
    if not path.is_file():
        return None
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        problems.append((did, str(path), None, "", f"unreadable manifest ({exc}); `source` is the folder", "warning"))
        return None
    named = manifest.get("source") if isinstance(manifest, dict) else None
    return named if isinstance(named, str) and named else None


_IMAGE_KINDS = {
    "sheet": "SHEET_IMAGES",
    "sheet_images": "SHEET_IMAGES",
    "view": "VIEW_IMAGES",
    "view_images": "VIEW_IMAGES",
    "page": "PAGE_THUMBNAIL",
    "page_thumbnail": "PAGE_THUMBNAIL",
    "sheet_thumbnail": "SHEET_THUMBNAIL",
    "canvas": "CANVAS_THUMBNAIL",
    "canvas_thumbnail": "CANVAS_THUMBNAIL",
    "sectional": "SECTIONAL_THUMBNAIL",
    "sectional_thumbnail": "SECTIONAL_THUMBNAIL",
}


def _image_file_entry(path: Path) -> Entry:
    """An image file saved beside the responses: ``sheet_0.png``, ``view_1_2.png``, ..."""
    parts = path.stem.lower().split("_")
    numbers: list[int] = []
    while parts and parts[-1].isdigit():
        numbers.insert(0, int(parts.pop()))
    kind = "_".join(parts)
    ask = _IMAGE_KINDS.get(kind, "SHEET_IMAGES" if not kind else kind.upper())
    page = numbers[0] if numbers else 0
    return Entry(
        ask_type=ask,
        page=page,
        payload=None,
        source=str(path),
        location="",
        payload_path=str(path),
        message_type="ASK",
    )


def _listdir(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


class _UniqueIds:
    """Keeps drawing ids unique across one load: a repeated id gets a ``~2``, ``~3`` suffix."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, d: Drawing) -> Drawing:
        n = self.seen.get(d.drawing_id, 0)
        self.seen[d.drawing_id] = n + 1
        if n:
            new = f"{d.drawing_id}~{n + 1}"
            d.problems[:] = [(new, *p[1:]) for p in d.problems]
            d.problems.append(
                (
                    new,
                    d.source,
                    None,
                    "",
                    f"drawing id {d.drawing_id!r} is used by an earlier input; this one is {new!r}",
                    "warning",
                )
            )
            d.drawing_id = new
        return d


def _unique_ids(drawings: list[Drawing]) -> list[Drawing]:
    unique = _UniqueIds()
    return [unique(d) for d in drawings]


def _iter_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def drawings_from_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    problems: list[ProblemRow],
) -> Iterator[Drawing]:
    """Every drawing in the given files and folders, read one at a time.

    Problems not tied to one drawing (an unreadable file, a stray file in a folder) are appended
    to ``problems``. Reading is lazy, so a large folder is never held in memory at once.

    Raises
    ------
    SourceError
        At once, when no path is given or a path does not exist.
    """
    return drawings_of_units(list_units(paths), problems)


class Unit(NamedTuple):
    """What a load reads as one piece: a response file, a drawing's folder, or a stray file
    (which only gives a problem row). Listed without being parsed (a tuple: 20,000 are listed
    for a warm load of 20,000 files)."""

    kind: str  # "file", "folder" or "stray"
    path: str
    name: str  # the last part of the path
    stem: str  # the drawing id it gives (a JSON Lines file of several requests: ``stem:request_id``)
    signature: tuple[Any, ...]  # names, sizes and mtime_ns of what it reads: changes when it changes

    @property
    def key(self) -> str | None:
        """Units with different keys never give the same drawing id, so a repeated id (and its
        ``~2`` suffix) can only come from units of one key. None for a stray file."""
        return None if self.kind == "stray" else self.stem.split(":", 1)[0]


def _scan(folder: str) -> list[os.DirEntry[str]]:
    """The entries :func:`_listdir` gives (hidden ones left out, sorted by name), without Path objects."""
    with os.scandir(folder) as it:
        return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)


def _stat(entry: os.DirEntry[str] | str) -> tuple[int, int]:
    try:
        st = entry.stat() if isinstance(entry, os.DirEntry) else os.stat(entry)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _folder_signature(folder: str) -> tuple[Any, ...]:
    """What :func:`folder_drawing` reads: its files, and the files of ``images/`` and ``payloads/``."""
    out: list[Any] = []
    for f in _scan(folder):
        if _is_dir(f):
            images = f.name.lower() in ("images", "payloads")
            out.append((f.name, "dir", tuple((p.name, *_stat(p)) for p in _scan(f.path)) if images else ()))
        else:
            out.append((f.name, *_stat(f)))
    return tuple(out)


def list_units(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Unit]:
    """The units of the given files and folders, in reading order.

    Raises
    ------
    SourceError
        When no path is given or a path does not exist.
    """
    roots = [r.expanduser() for r in _iter_paths(paths)]
    if not roots:
        raise SourceError("no paths given: pass a file, a folder, or a list of them")
    for root in roots:
        if not root.exists():
            raise SourceError(f"no such file or folder: {str(root)!r}")
    units: list[Unit] = []
    for root in roots:
        if root.is_file():
            units.append(Unit("file", str(root), root.name, root.stem, _stat(str(root))))
            continue
        base = str(root)
        prefix = "" if base == "." else base if base.endswith("/") else base + "/"  # as str(root / name)
        for child in _scan(base):
            name = child.name
            path = prefix + name
            stem, dot, ext = name.rpartition(".")
            if _is_dir(child):
                units.append(Unit("folder", path, name, name, _folder_signature(path)))
            elif dot and stem and f".{ext.lower()}" in RESPONSE_SUFFIXES and not _quiet_name(name):
                units.append(Unit("file", path, name, stem, _stat(child)))
            elif not _quiet_name(name):
                units.append(Unit("stray", path, name, "", ()))
    return units


def drawings_of_units(units: Iterable[Unit], problems: list[ProblemRow]) -> Iterator[Drawing]:
    """The drawings of ``units``, read one at a time; a repeated id gets a ``~2`` suffix."""
    unique = _UniqueIds()
    for unit in units:
        path = Path(unit.path)
        if unit.kind == "file":
            for d in _file_drawings(path, unit.stem, problems):
                yield unique(d)
        elif unit.kind == "folder":
            folder = folder_drawing(path, problems)
            if folder is not None:
                yield unique(folder)
        else:
            problems.append((None, unit.path, None, "", "not a response file (.json/.jsonl); skipped", "info"))


# --------------------------------------------------------------------------------------
# In-memory inputs
# --------------------------------------------------------------------------------------


def _memory_raw(objs: list[Any]) -> Callable[[], list[Any]]:
    return lambda: list(objs)


def drawings_from_responses(
    responses: Any,
    drawing_id: str | None = None,
    source: str = "<memory>",
) -> list[Drawing]:
    """Drawings from response dicts or SDK response models.

    ``responses`` is either a list of responses of one drawing, or a mapping from drawing id to
    such a list.
    """
    if isinstance(responses, Mapping) and not _looks_like_response(responses):
        out = []
        for did, resp in responses.items():
            out.extend(drawings_from_responses(resp, str(did), source))
        return _unique_ids(out)
    if not isinstance(responses, (list, tuple)):
        responses = [responses]
    objs = [_dump_model(r) for r in responses]
    did = drawing_id or "drawing"
    if any(_is_message(o) for o in objs):
        return drawings_from_messages(objs, drawing_id=did, source=source)
    entries = [_entry_from_response(o, source, f"[{i}]") for i, o in enumerate(objs)]
    return [Drawing(did, source, None, entries, [], _memory_raw(objs))]


def _looks_like_response(obj: Mapping[str, Any]) -> bool:
    return "ask_type" in obj or "ask_version" in obj or _is_message(obj)


def drawings_from_messages(
    messages: Iterable[Any],
    drawing_id: str | None = None,
    source: str = "<memory>",
) -> list[Drawing]:
    """Drawings from SDK ``TechreadMessage`` objects or their dicts, grouped by ``request_id``.

    ``payload_bytes`` (the images the SDK downloaded) are kept, so ``corpus.image(...)`` returns
    them.
    """
    objs: list[tuple[str, Any]] = []
    raw: list[Any] = []
    for i, m in enumerate(messages):
        pbytes = getattr(m, "payload_bytes", None)
        d = _dump_model(m)
        if isinstance(d, dict) and isinstance(pbytes, bytes):
            d = dict(d)
            d["payload_bytes"] = pbytes
        objs.append((f"[{i}]", d))
        raw.append(d)
    stem = drawing_id or ""
    out = []
    for did, rid, entries, idx in _group_objects(objs, stem, source):
        if not stem:
            did = rid or "drawing"
        sel = [raw[i] for i in idx]
        out.append(Drawing(did, source, rid, entries, [], _memory_raw(sel)))
    return _unique_ids(out)
