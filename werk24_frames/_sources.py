"""Sources: turn files, folders and in-memory objects into raw drawing records.

A source never interprets a response: it finds the responses, parses the JSON, groups them
into drawings and says where each came from. Whatever cannot be parsed becomes a problem
row here; everything else goes on to the flatteners untouched.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from ._json import Note, parse_lines, parse_values

__all__ = [
    "IMAGE_SUFFIXES",
    "Drawing",
    "Entry",
    "ProblemRow",
    "Reread",
    "SourceError",
    "Unit",
    "contained",
    "drawings_from_messages",
    "drawings_from_paths",
    "drawings_from_responses",
    "drawings_of_units",
    "folder_traps",
    "list_units",
    "shown",
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


def shown(text: str) -> str:
    """``text`` as valid Unicode: the bytes of a file name that are not UTF-8 (which Python
    keeps as lone surrogates) as ``\\xNN``, so that tables, exports and reports can write it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _name(path: Path, did: str | None, problems: list[ProblemRow]) -> str:
    """``str(path)`` for the ``source`` column; a name that is not UTF-8 is shown escaped and
    reported."""
    out = shown(str(path))
    if shown(path.name) != path.name:  # said once, for the file or folder whose name it is
        problems.append((did, out, None, "", "the file name is not valid UTF-8; shown with \\xNN escapes", "info"))
    return out


def contained(name: str, folder: Path) -> tuple[str | None, str]:
    """The real path of the file ``name`` (relative to ``folder``, or absolute) when it lies
    inside ``folder`` after symbolic links are resolved; else None and why."""
    if "\x00" in name:
        return None, "holds a NUL character"
    try:
        root = os.path.realpath(folder)
        target = os.path.realpath(os.path.join(folder, name))
    except (OSError, ValueError) as exc:
        return None, f"cannot be resolved ({type(exc).__name__})"
    if target == root or os.path.commonpath([root, target]) != root:
        return None, "lies outside the drawing's folder"
    return target, ""


def _resolve_payloads(entries: list[Entry], folder: Path | None, did: str, problems: list[ProblemRow]) -> None:
    """Each ``payload_path`` becomes the real path of a file inside ``folder`` (the drawing's
    folder, or the folder of its file), or None with a problem row: a saved answer never makes
    us read a file elsewhere. Answers in memory have no folder: their ``payload_file`` is not
    read."""
    for e in entries:
        name = e.payload_path
        if not name:
            continue
        if folder is None:
            e.payload_path = None
            why = "names a file, and answers in memory have no folder to read it from"
        else:
            e.payload_path, why = contained(name, folder)
        if e.payload_path is None:
            where = f"{e.location}: payload_file" if e.location else "payload_file"
            text = shown(name)
            text = repr(text if len(text) <= 80 else f"{text[:77]}...")
            problems.append((did, e.source, e.page, where, f"payload_file {text} {why}; not read", "warning"))


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


def _is_message(obj: Any) -> bool:
    return isinstance(obj, dict) and ("message_type" in obj or "payload_dict" in obj or "message_subtype" in obj)


def _dump_model(obj: Any) -> Any:
    """SDK pydantic objects become JSON-shaped dicts; everything else is returned as is."""
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        # payload_bytes (images the SDK downloaded) are binary: kept aside by the caller.
        return dump(mode="json", exclude={"payload_bytes"})
    return obj


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
    """The top-level objects of a response file, with their locations; whatever cannot be read
    (or was read repaired) is a problem row naming its line."""
    data = _read_bytes(path, source, problems)
    if data is None:
        return None
    notes: list[Note] = []
    lines = path.suffix.lower() in (".jsonl", ".ndjson")
    objs = parse_lines(data, notes) if lines else parse_values(data, notes)
    problems.extend((None, source, None, loc, msg, sev) for loc, msg, sev in notes)
    if not objs and any(n[2] == "error" for n in notes):
        return None
    return objs


# --------------------------------------------------------------------------------------
# Grouping into drawings
# --------------------------------------------------------------------------------------


_INT64 = 2**63 - 1
_MESSAGE_TYPES = ("ASK", "PROGRESS", "ERROR")
# (location, message, severity) of a problem found while reading one message
_Notes = list[tuple[str, str, str]]


def _brief(value: Any) -> str:
    """A value for a problem message: lists and objects by their kind (they may be huge or
    nested beyond what repr can print), anything else by its repr, cut at 40 characters."""
    if isinstance(value, (list, dict)):
        return f"a {'list' if isinstance(value, list) else 'JSON object'} of {len(value)}"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _page(value: Any, location: str, notes: _Notes) -> int:
    """A message's ``page_number`` as a page; anything else is page 0, reported."""
    if type(value) is int and 0 <= value <= _INT64:
        return value
    if type(value) is float and value.is_integer() and 0 <= value <= _INT64:
        return int(value)
    if type(value) is str and value.strip().isdecimal() and int(value) <= _INT64:
        return int(value)
    if value is None:
        return 0
    notes.append((location, f"page_number {_brief(value)} is not a page number; read as page 0", "warning"))
    return 0


def _subtype(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):  # str() of a deeply nested list would not return
        return _brief(value)
    return str(getattr(value, "value", value))


def _has_payload(msg: Mapping[str, Any]) -> bool:
    return any(msg.get(k) is not None for k in ("payload_dict", "payload_url", "payload_file", "payload_bytes"))


def _message_type(msg: Mapping[str, Any], location: str, notes: _Notes) -> str | None:
    """``ASK``, ``PROGRESS``, ``ERROR`` or None (not said). Another spelling of one of them is
    read as it; an unknown type is read as an answer when the message carries one, and reported
    either way, so no answer is dropped without a word."""
    raw = msg.get("message_type")
    value = _subtype(raw)
    if value is None or value in _MESSAGE_TYPES:
        return value  # PROGRESS messages (their payload is about the connection) have no answer
    text = _brief(raw)
    if type(raw) is str and raw.strip().upper() in _MESSAGE_TYPES:
        notes.append((location, f"message_type {text} read as {raw.strip().upper()}", "info"))
        return _message_type({**msg, "message_type": raw.strip().upper()}, location, notes)
    if _has_payload(msg):
        notes.append((location, f"unknown message_type {text}; the message is read as an answer", "warning"))
        return "ASK"
    notes.append((location, f"unknown message_type {text} and no payload; nothing to read", "warning"))
    return "PROGRESS"


def _exception_list(value: Any, location: str, notes: _Notes) -> list[Any]:
    """A message's ``exceptions`` as a list: one exception that is not in a list is one item
    (a string is not split into its letters)."""
    if value is None or value == []:
        return []
    if type(value) is not list:
        notes.append(
            (location, f"`exceptions` is not a list but {type(value).__name__}; read as one exception", "warning")
        )
        value = [value]
    return [_exception(e) for e in value]


def _exception(value: Any) -> Any:
    """An exception as the flattener reads it, with lists and objects where text belongs named
    by their kind (printing a deeply nested one would exceed Python's recursion limit)."""
    if isinstance(value, list):
        return _brief(value)
    if isinstance(value, dict):
        return {k: _brief(v) if isinstance(v, (list, dict)) else v for k, v in value.items()}
    return value


#: The keys of a message: the SDK's ``TechreadMessage`` fields (a test keeps them in step), and
#: ``payload_file``, which the store writes for an image kept beside the answer.
MESSAGE_KEYS = frozenset(
    {
        "exceptions",
        "request_id",
        "message_type",
        "message_subtype",
        "page_number",
        "payload_dict",
        "payload_url",
        "payload_bytes",
        "payload_file",
    }
)


def _entry_from_message(msg: Mapping[str, Any], source: str, location: str, notes: _Notes) -> Entry:
    payload = msg.get("payload_dict")
    url = msg.get("payload_url")
    where = location or "message"
    for key in sorted(msg.keys() - MESSAGE_KEYS):
        notes.append(
            (
                f"{where}: {key}" if location else str(key),
                f"unknown message field {str(key)!r} ({type(msg[key]).__name__}): not read; it is in raw_responses()",
                "warning",
            )
        )
    if url is not None and type(url) is not str:
        notes.append((where, f"payload_url is not a link but {_brief(url)}; ignored", "warning"))
    file = msg.get("payload_file")
    if file is not None and type(file) is not str:
        notes.append((where, f"payload_file is not a file name but {type(file).__name__}; ignored", "warning"))
        file = None
    return Entry(
        ask_type=_subtype(msg.get("message_subtype")),
        page=_page(msg.get("page_number", 0), where, notes),
        payload=payload,
        source=source,
        location=location,
        exceptions=_exception_list(msg.get("exceptions"), where, notes),
        payload_url=url if type(url) is str and url else None,
        payload_path=file or None,
        payload_bytes=msg.get("payload_bytes") if isinstance(msg.get("payload_bytes"), bytes) else None,
        message_type=_message_type(msg, where, notes),
    )


def _entry_from_response(obj: Any, source: str, location: str) -> Entry:
    ask = obj.get("ask_type") if isinstance(obj, dict) else None
    return Entry(ask_type=_subtype(ask), page=0, payload=obj, source=source, location=location)


def _group_objects(
    objs: list[tuple[str, Any]],
    stem: str,
    source: str,
) -> list[tuple[str, str | None, list[Entry], list[int], list[ProblemRow]]]:
    """Group parsed objects into drawings: ``(drawing_id, request_id, entries, object indices,
    problems)``. Messages group by ``request_id``; plain responses all belong to one drawing."""
    by_request: dict[str | None, tuple[list[Entry], list[int], _Notes]] = {}
    for i, (loc, obj) in enumerate(objs):
        notes: _Notes = []
        if _is_message(obj):
            rid = obj.get("request_id")
            key = shown(str(rid)) if not isinstance(rid, (list, dict)) else _brief(rid) if rid is not None else None
            entry = _entry_from_message(obj, source, loc, notes)
        else:
            key = None
            entry = _entry_from_response(obj, source, loc)
        entries, idx, found = by_request.setdefault(key, ([], [], []))
        entries.append(entry)
        idx.append(i)
        found.extend(notes)
    groups = []
    keys = list(by_request)
    for key in keys:
        entries, idx, found = by_request[key]
        did = stem if len(keys) == 1 or key is None else f"{stem}:{key}"
        rows: list[ProblemRow] = [(did, source, None, *n) for n in found]
        groups.append((did, key, entries, idx, rows))
    return groups


def _file_drawings(path: Path, stem: str, problems: list[ProblemRow]) -> list[Drawing]:
    stem = shown(stem)
    file_problems: list[ProblemRow] = []
    source = _name(path, stem, file_problems)
    objs = _parse_file(path, source, file_problems)
    if objs is None or not objs:
        for p in file_problems:
            problems.append((stem, *p[1:]))
        if objs is not None and not any(p[5] == "error" for p in file_problems):
            problems.append((stem, source, None, "", "the file holds no responses", "error"))
        return []
    out = []
    for did, rid, entries, idx, found in _group_objects(objs, stem, source):
        dproblems = [(did, *p[1:]) for p in file_problems] + found
        _resolve_payloads(entries, path.parent, did, dproblems)
        out.append(
            Drawing(
                drawing_id=did,
                source=source,
                request_id=rid,
                entries=entries,
                problems=dproblems,
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


class Rereads(Mapping[str, Reread]):
    """Each drawing's :class:`Reread`, made when asked for, from ``{drawing_id: parts}`` as a
    cache entry or a dataset keeps them (a warm load of thousands of drawings asks for few)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self._parts = parts

    def __getitem__(self, drawing_id: str) -> Reread:
        return Reread(self._parts[drawing_id])

    def __contains__(self, drawing_id: object) -> bool:
        return drawing_id in self._parts

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


def _rereader(parts: list[tuple[Path, list[int] | None]]) -> Callable[[], list[Any]]:
    return Reread(list(parts))


def folder_drawing(folder: Path, problems: list[ProblemRow]) -> Drawing | None:
    """A sub-folder is one drawing whose files are its responses (one file per ask)."""
    did = shown(folder.name)
    dproblems: list[ProblemRow] = []
    source = _name(folder, did, dproblems)
    entries: list[Entry] = []
    parts: list[tuple[Path, list[int] | None]] = []
    images: list[Path] = []
    request_id: str | None = None
    for f in _listdir(folder):
        if f.is_dir():
            if f.name.lower() in ("images", "payloads"):
                images.extend(p for p in _listdir(f) if p.suffix.lower() in IMAGE_SUFFIXES)
            else:
                dproblems.append(
                    (did, shown(str(f)), None, "", "a folder inside a drawing's folder is not read", "info")
                )
            continue
        suffix = f.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            images.append(f)
            continue
        if suffix in RESPONSE_SUFFIXES and not _quiet(f) and contained(f.name, folder)[0] is None:
            dproblems.append(
                (did, shown(str(f)), None, "", "a link to a file outside the drawing's folder; not read", "warning")
            )
            continue
        if suffix not in RESPONSE_SUFFIXES or _quiet(f):
            if not _quiet(f):
                dproblems.append((did, shown(str(f)), None, "", "not a response file (.json/.jsonl); skipped", "info"))
            continue
        fproblems: list[ProblemRow] = []
        fsource = _name(f, did, fproblems)
        objs = _parse_file(f, fsource, fproblems)
        dproblems.extend((did, *p[1:]) for p in fproblems)
        if objs is None:
            continue
        if not objs:
            dproblems.append((did, fsource, None, "", "the file holds no responses", "error"))
        parts.append((f, None))
        for _did, rid, ents, _idx, found in _group_objects(objs, did, fsource):
            dproblems.extend((did, *p[1:]) for p in found)
            if rid is not None:
                if request_id is not None and rid != request_id:
                    dproblems.append(
                        (
                            did,
                            fsource,
                            None,
                            "",
                            f"answers of two requests ({request_id}, {rid}) in one drawing folder; "
                            "both are loaded as this drawing",
                            "warning",
                        )
                    )
                request_id = request_id or rid
            entries.extend(ents)
    # Messages that name a stored payload file get its real path, if it lies in the folder.
    _resolve_payloads(entries, folder, did, dproblems)
    stored = {e.payload_path for e in entries if e.payload_path}
    for img in images:
        real, why = contained(img.name if img.parent == folder else f"{img.parent.name}/{img.name}", folder)
        if real is None:
            dproblems.append((did, shown(str(img)), None, "", f"the image file {why}; not read", "warning"))
            continue
        if real not in stored:
            entries.append(_image_file_entry(img, real, did, dproblems))
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


def _image_file_entry(path: Path, real: str, did: str, problems: list[ProblemRow]) -> Entry:
    """An image file saved beside the responses: ``sheet_0.png``, ``view_1_2.png``, ..."""
    parts = path.stem.lower().split("_")
    numbers: list[int] = []
    while parts and parts[-1].isdigit():
        numbers.insert(0, int(parts.pop()))
    kind = "_".join(parts)
    ask = _IMAGE_KINDS.get(kind, "SHEET_IMAGES" if not kind else kind.upper())
    source = _name(path, did, problems)
    page = numbers[0] if numbers else 0
    if page > _INT64:
        problems.append(
            (did, source, None, "", f"page {page} in the file name is not a page number; read as page 0", "warning")
        )
        page = 0
    return Entry(
        ask_type=shown(ask),
        page=page,
        payload=None,
        source=source,
        location="",
        payload_path=real,
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

    kind: str  # "file", "folder", "stray", or "outside" (a link to a file outside the folder)
    path: str
    name: str  # the last part of the path
    stem: str  # the drawing id it gives (a JSON Lines file of several requests: ``stem:request_id``)
    signature: tuple[Any, ...]  # names, sizes and mtime_ns of what it reads: changes when it changes
    folder: str = ""  # the folder it was listed in (a file given by name: none)

    @property
    def key(self) -> str | None:
        """Units with different keys never give the same drawing id, so a repeated id (and its
        ``~2`` suffix) can only come from units of one key. None for a stray file."""
        return None if self.kind in ("stray", "outside") else self.stem.split(":", 1)[0]


_by_name = operator.attrgetter("name")


def _scan(folder: str) -> list[os.DirEntry[str]]:
    """The entries :func:`_listdir` gives (hidden ones left out, sorted by name), without Path objects."""
    with os.scandir(folder) as it:
        return sorted((e for e in it if not e.name.startswith(".")), key=_by_name)


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


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # cannot tell: resolve it


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
        # The loop body runs once per file of a warm load: the checks of _is_dir, _quiet_name
        # and _is_link are written out here (a function call per check was a third of it).
        new = tuple.__new__  # Unit(...) without the Python-level __new__ of a NamedTuple
        add = units.append
        for child in _scan(base):  # no hidden names: every name has a stem before its suffix
            name = child.name
            lower = name.lower()
            try:
                is_dir = child.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                add(Unit("folder", prefix + name, name, name, _folder_signature(prefix + name)))
            elif lower.endswith(RESPONSE_SUFFIXES) and lower not in _QUIET_NAMES:
                # A link to a file outside the folder. Only a link can lead out (a plain entry of
                # the folder lies in it), and resolving every name cost more than the listing.
                if _is_link(child) and contained(name, root)[0] is None:
                    add(Unit("outside", prefix + name, name, "", ()))
                    continue
                try:
                    st = child.stat()
                    signature = (st.st_size, st.st_mtime_ns)
                except OSError:
                    signature = (-1, -1)  # as _stat
                add(new(Unit, ("file", prefix + name, name, name.rpartition(".")[0], signature, base)))
            elif not (lower in _QUIET_NAMES or lower.endswith(_QUIET_SUFFIXES)):
                add(Unit("stray", prefix + name, name, "", ()))
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
        elif unit.kind == "outside":
            problems.append(
                (None, shown(unit.path), None, "", "a link to a file outside the folder; not read", "warning")
            )
        else:
            problems.append((None, shown(unit.path), None, "", "not a response file (.json/.jsonl); skipped", "info"))


def folder_traps(units: Iterable[Unit], asks_by_source: Mapping[str, list[str]]) -> list[ProblemRow]:
    """A warning for every folder whose response files look like the answers of one drawing.

    ``asks_by_source`` gives, for each file read, the ``asks`` of each drawing it gave
    (``metadata.asks``). Judged over the whole load, not chunk by chunk, so a load from the
    table cache warns exactly as a cold one."""
    by_folder: dict[str, list[str | None]] = {}
    for u in units:
        if u.kind == "file" and u.folder:
            asks = asks_by_source.get(u.path, [])
            one = asks[0] if len(asks) == 1 and asks[0] and "|" not in asks[0] else None
            by_folder.setdefault(u.folder, []).append(one)
    out: list[ProblemRow] = []
    for listed, file_asks in by_folder.items():
        trap = _looks_like_one_drawing(file_asks)
        if trap:
            out.append((None, shown(listed), None, "folder", trap, "warning"))
    return out


def _looks_like_one_drawing(asks: list[str | None]) -> str | None:
    """Why a folder's response files look like the answers of one drawing (one file per ask,
    each ask once), which load as one drawing per file; None when they do not."""
    if len(asks) < 2 or None in asks or len(set(asks)) != len(asks):
        return None
    return (
        f"its {len(asks)} response files each answer one different ask ({', '.join(map(str, asks))}), "
        f"so they load as {len(asks)} drawings; if they are the answers of one drawing, put them in a "
        "sub-folder and load the folder above it (each sub-folder is one drawing)"
    )


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
    for did, rid, entries, idx, found in _group_objects(objs, stem, source):
        if not stem:
            did = rid or "drawing"
        sel = [raw[i] for i in idx]
        dproblems: list[ProblemRow] = [(did, *p[1:]) for p in found]
        _resolve_payloads(entries, None, did, dproblems)
        out.append(Drawing(did, source, rid, entries, dproblems, _memory_raw(sel)))
    return _unique_ids(out)
