"""Reading JSON files that may be broken: every value that can be read is read, and every place
that had to be changed or skipped is named with its line and the real cause.

orjson parses a sound file in one call. Only when that fails is the file split into its
top-level values (the items of a top-level list, or the objects of concatenated and
pretty-printed JSON Lines) by a scanner that never recurses, and each value is parsed on its
own. A value orjson refuses is repaired where the repair is unambiguous, and the repair is
reported: ``NaN``/``Infinity`` and numbers beyond a double become null, invalid UTF-8 and
unpaired surrogate escapes become U+FFFD, and a value nested deeper than :data:`MAX_DEPTH`
levels becomes null. A list or object that still does not parse (a stray quote, a cut file) is
taken apart, down to eight levels: its sound items and members are kept, an unreadable item is
null in its place. Anything else costs that value only, with a problem naming its line.

This module never opens a file and never interprets an answer.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import orjson

__all__ = ["MAX_DEPTH", "Note", "parse_lines", "parse_value", "parse_values"]

#: Values nested deeper than this (lists and objects) are read as null and reported; orjson
#: refuses more than 1024 levels, and a value this deep is never a Werk24 answer.
MAX_DEPTH = 1000

#: (location, message, severity) of one place in a file.
Note = tuple[str, str, str]

_STRUCT = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{},]', re.DOTALL)
_TOKEN = re.compile(rb"[-+]?(?:NaN|Infinity|inf|nan|[0-9][0-9.eE+-]*)(?![A-Za-z_])")
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)((?:\\\\)*)(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<![0-9a-fA-F]{2}\\u[dD][89abAB])\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_BAD_BYTE = re.compile("[\udc80-\udcff]+")
_MAX_REPAIRS = 200


def _line(data: bytes, pos: int, first: int) -> int:
    return first + data.count(b"\n", 0, pos)


class _Lines:
    """Line numbers of many places in one text, without counting from its start each time."""

    def __init__(self, data: bytes, first: int = 1) -> None:
        self.data, self.first = data, first
        self.breaks: list[int] | None = None

    def __call__(self, pos: int) -> int:
        if self.breaks is None:
            self.breaks = [m.start() for m in re.finditer(b"\n", self.data)]
        return self.first + bisect.bisect_left(self.breaks, pos)


def _lines(places: list[int]) -> str:
    shown = ", ".join(str(n) for n in places[:3])
    more = f" and {len(places) - 3} more places" if len(places) > 3 else ""
    return f"line{'s' if len(places) > 1 else ''} {shown}{more}"


def _fix_utf8(data: bytes, first: int) -> tuple[bytes, str]:
    text = data.decode("utf-8", "surrogateescape")
    places = [first + text.count("\n", 0, m.start()) for m in _BAD_BYTE.finditer(text)]
    fixed = _BAD_BYTE.sub("\ufffd", text).encode("utf-8")
    return fixed, f"text that is not valid UTF-8 at {_lines(sorted(set(places)))}; read with U+FFFD in its place"


def _fix_surrogates(data: bytes, first: int) -> tuple[bytes, str] | None:
    places = [_line(data, m.start(2), first) for m in _SURROGATE_ESCAPE.finditer(data)]
    if not places:
        return None
    fixed = _SURROGATE_ESCAPE.sub(rb"\1\\ufffd", data)
    return fixed, f"an unpaired surrogate escape (\\uD800-\\uDFFF) at {_lines(sorted(set(places)))}; read as U+FFFD"


def _fix_token(data: bytes, pos: int, first: int) -> tuple[bytes, str] | None:
    start = pos
    while start > 0 and data[start - 1 : start] in (b"-", b"+"):
        start -= 1
    m = _TOKEN.match(data, start)
    if m is None:
        return None
    token = m.group().decode("ascii")
    shown = token if len(token) <= 24 else f"{token[:12]}...{token[-6:]} ({len(token)} characters)"
    what = f"{shown} is not valid JSON" if token.lstrip("+-").isalpha() else f"the number {shown} is out of range"
    return data[:start] + b"null" + data[m.end() :], f"{what} at line {_line(data, start, first)}; read as null"


def _trim_depth(data: bytes, first: int) -> tuple[bytes, str] | None:
    """``data`` with every list or object that opens deeper than MAX_DEPTH replaced by null."""
    out: list[bytes] = []
    depth, keep_from, skip_from, places = 0, 0, -1, []
    for m in _STRUCT.finditer(data):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
            if depth == MAX_DEPTH + 1 and skip_from < 0:
                skip_from = m.start()
                places.append(_line(data, skip_from, first))
        elif c in (b"]", b"}"):
            if depth == MAX_DEPTH + 1 and skip_from >= 0:
                out += [data[keep_from:skip_from], b"null"]
                keep_from, skip_from = m.end(), -1
            depth = max(depth - 1, 0)
    if not places:
        return None
    out.append(data[keep_from:] if skip_from < 0 else data[keep_from:skip_from] + b"null")
    return b"".join(out), f"nesting deeper than {MAX_DEPTH} levels at {_lines(places)}; that value was read as null"


def parse_value(
    data: bytes, location: str, first_line: int, notes: list[Note], _depth: int = 0, _then: str = "skipped"
) -> tuple[bool, Any]:
    """One JSON value that starts on line ``first_line`` of its file: ``(True, value)``, the
    value repaired where it can be (each repair a warning in ``notes``), or ``(False, None)``
    with an error in ``notes``."""
    fixes: list[str] = []
    for _ in range(_MAX_REPAIRS):
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            msg, pos = exc.msg, exc.pos
        else:
            notes.extend((location, f"{fix}", "warning") for fix in fixes)
            return True, value
        fix: tuple[bytes, str] | None = None
        if "UTF-8" in msg:
            fix = _fix_utf8(data, first_line)
        elif "surrogate" in msg or "hex escape" in msg:
            fix = _fix_surrogates(data, first_line)
        elif "depth limit" in msg:
            fix = _trim_depth(data, first_line)
        elif "expected a JSON value" in msg or "infinity" in msg or "digit after sign" in msg:
            fix = _fix_token(data, pos, first_line)
        if fix is None:
            break
        data, note = fix
        fixes.append(note)
    else:
        msg, pos = f"more than {_MAX_REPAIRS} places had to be repaired", 0
    notes.extend((location, f"{fix}", "warning") for fix in fixes)
    found: list[Note] = []
    salvaged = _salvage(data, location, first_line, found, _depth)
    if salvaged is not None and (_depth or any(v is not None for v in _values(salvaged))):
        notes.extend(found)
        return True, salvaged
    notes.append((location, f"not valid JSON at line {_line(data, pos, first_line)} ({msg}); {_then}", "error"))
    return False, None


_KEY = re.compile(rb'\s*("(?:[^"\\]|\\.)*")\s*:', re.DOTALL)
#: How deep a broken value is taken apart to read the parts that are sound, and how many of
#: its unreadable parts are reported one by one.
_SALVAGE_DEPTH = 8
_MAX_NOTES = 100


def _values(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else [value]


def _salvage(data: bytes, location: str, first_line: int, notes: list[Note], depth: int) -> Any:
    """A broken list or object taken apart: the items and members that parse are kept, the
    others are null (an item keeps its place, so the items after it keep their index), each
    with an error naming its line. None when ``data`` is no list or object."""
    stripped = data.lstrip()
    head = stripped[:1]
    if depth >= _SALVAGE_DEPTH or head not in (b"[", b"{"):
        return None
    start = len(data) - len(stripped)
    parts, close = _items(data, start + 1, len(data))
    if close >= len(data):
        notes.append(
            (
                location,
                f"the {'list' if head == b'[' else 'object'} opened at line "
                f"{_line(data, start, first_line)} is never closed",
                "error",
            )
        )
    out: Any = [] if head == b"[" else {}
    capped = _Capped(notes, location)
    lines = _Lines(data, first_line)
    for k, span in enumerate(parts):
        s, e = _trim(data, span)
        line = lines(s)
        if s >= e:
            if k < len(parts) - 1 or head == b"[":
                capped.error(location, f"an empty place at line {line}; read as null", line)
                if head == b"[":
                    out.append(None)
            continue
        if head == b"[":
            out.append(capped.parse(data[s:e], location, line, depth + 1, "read as null")[1])
            continue
        m = _KEY.match(data, s, e)
        key = None
        if m is not None:
            try:
                key = orjson.loads(m.group(1))
            except orjson.JSONDecodeError:
                key = None
        if not isinstance(key, str) or m is None:
            capped.error(location, f'a member at line {line} is not "name": value; skipped', line)
            continue
        out[key] = capped.parse(data[m.end() : e], location, line, depth + 1, "read as null")[1]
    capped.close()
    return out


def _items(data: bytes, start: int, end: int) -> tuple[list[tuple[int, int]], int]:
    """The byte spans of the items of a list (or the members of an object) that opens just
    before ``start``: separated by commas at its top level; and where it closes (``end`` when
    it does not)."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, start
    for m in _STRUCT.finditer(data, start, end):
        c = m.group()
        if len(c) > 1 or c == b'"':
            continue  # a string
        if c == b",":
            if depth == 0:
                spans.append((begin, m.start()))
                begin = m.end()
        elif c in (b"[", b"{"):
            depth += 1
        elif depth == 0:
            if data[begin : m.start()].strip() or spans:
                spans.append((begin, m.start()))
            return spans, m.start()
        else:
            depth -= 1
    if data[begin:end].strip() or spans:
        spans.append((begin, end))
    return spans, end


def _spans(data: bytes, start: int, end: int, sep: bool) -> tuple[list[tuple[int, int]], int]:
    """The byte spans of the values between ``start`` and ``end``: separated by commas at the
    top level when ``sep`` (the items of a list), else one after another (concatenated JSON).
    Returns the spans and where scanning stopped (the list's closing bracket when ``sep``)."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, -1
    pos = start
    while pos < end:
        m = _STRUCT.search(data, pos, end)
        token_at = m.start() if m else end
        if begin < 0 and data[pos:token_at].strip():
            begin = pos + (len(data[pos:token_at]) - len(data[pos:token_at].lstrip()))
            if not sep and depth == 0:  # a bare scalar between top-level values
                stop = begin
                while stop < token_at and data[stop : stop + 1] not in b" \t\r\n":
                    stop += 1
                spans.append((begin, stop))
                begin, pos = -1, stop
                continue
        if m is None:
            break
        c = m.group()
        if c in (b"[", b"{"):
            if begin < 0:
                begin = m.start()
            depth += 1
        elif c in (b"]", b"}"):
            if depth == 0:
                if sep:  # the list's own closing bracket
                    if begin >= 0:
                        spans.append((begin, m.start()))
                    return spans, m.start()
                spans.append((m.start(), m.end()))  # a stray bracket: reported as not JSON
            else:
                depth -= 1
                if depth == 0 and not sep:
                    spans.append((begin, m.end()))
                    begin = -1
        elif c == b",":
            if depth == 0:
                if sep:
                    spans.append((begin if begin >= 0 else m.start(), m.start()))
                    begin = -1
                else:
                    spans.append((m.start(), m.end()))
        elif begin < 0:  # a string
            begin = m.start()
            if depth == 0 and not sep:
                spans.append((begin, m.end()))
                begin = -1
        pos = m.end()
    if begin >= 0:
        spans.append((begin, end))
    return spans, end


class _Capped:
    """Parses the values of one file or list, noting the first _MAX_NOTES errors one by one
    and counting the rest in one note (a binary file read as JSON would give one per byte)."""

    def __init__(self, notes: list[Note], location: str = "") -> None:
        self.notes, self.location = notes, location
        self.errors = self.more = self.first = 0

    def parse(self, data: bytes, location: str, line: int, depth: int = 0, then: str = "skipped") -> tuple[bool, Any]:
        if self.errors < _MAX_NOTES:
            before = len(self.notes)
            result = parse_value(data, location, line, self.notes, depth, then)
            self.errors += sum(n[2] == "error" for n in self.notes[before:])
            return result
        found: list[Note] = []
        result = parse_value(data, location, line, found, depth, then)
        if any(n[2] == "error" for n in found):
            self.more += 1
            self.first = self.first or line
        return result

    def error(self, location: str, message: str, line: int) -> None:
        if self.errors < _MAX_NOTES:
            self.notes.append((location, message, "error"))
            self.errors += 1
        else:
            self.more += 1
            self.first = self.first or line

    def close(self) -> None:
        if self.more:
            self.notes.append(
                (
                    self.location,
                    f"{self.more} more places from line {self.first} on are not valid JSON (not listed one by "
                    "one); skipped or read as null",
                    "error",
                )
            )


def _trim(data: bytes, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    while b > a and data[b - 1 : b] in (b" ", b"\t", b"\r", b"\n"):
        b -= 1
    while a < b and data[a : a + 1] in (b" ", b"\t", b"\r", b"\n"):
        a += 1
    return a, b


def parse_values(data: bytes, notes: list[Note]) -> list[tuple[str, Any]]:
    """A ``.json`` file: one response, a list of responses or messages (located ``[i]``), or
    concatenated objects (JSON Lines, pretty-printed or not; located ``line n`` or
    ``object k (line n)``). Everything readable is returned; the rest is in ``notes``."""
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    else:
        if isinstance(obj, list):
            return [(f"[{i}]", o) for i, o in enumerate(obj)]
        return [("", obj)]
    spans, _ = _spans(data, 0, len(data), sep=False)
    if spans and data[spans[0][0] : spans[0][0] + 1] == b"[":  # a list, maybe with more after it
        return _list_items(data, spans[0], notes) + _concatenated(data, spans[1:], notes)
    if len(spans) == 1:
        a, b = spans[0]
        ok, value = parse_value(data[a:b], "", _line(data, a, 1), notes)
        return [("", value)] if ok else []
    return _concatenated(data, spans, notes)


def _list_items(data: bytes, span: tuple[int, int], notes: list[Note]) -> list[tuple[str, Any]]:
    a, b = span
    items, close = _items(data, a + 1, b)
    if close >= b:
        notes.append(("", f"the list opened at line {_line(data, a, 1)} is never closed", "error"))
    out = []
    capped = _Capped(notes)
    lines = _Lines(data)
    for i, item in enumerate(items):
        s, e = _trim(data, item)
        loc = f"[{i}]"
        line = lines(s)
        if s >= e:
            capped.error(loc, f"an empty place in the list at line {line}; nothing read", line)
            continue
        ok, value = capped.parse(data[s:e], loc, line)
        if ok:
            out.append((loc, value))
    capped.close()
    return out


def _concatenated(
    data: bytes, spans: list[tuple[int, int]], notes: list[Note], lines: _Lines | None = None
) -> list[tuple[str, Any]]:
    out = []
    capped = _Capped(notes)
    lines = lines or _Lines(data)
    junk = False  # after text that is no JSON, the words that follow are not reported one by one
    for k, (a, b) in enumerate(spans, start=1):
        structured = data[a : a + 1] in (b"{", b"[")
        if junk and not structured:
            continue
        line = lines(a)
        loc = f"line {line}" if b"\n" not in data[a:b] else f"object {k} (line {line})"
        ok, value = capped.parse(data[a:b], loc, line)
        if ok:
            out.append((loc, value))
        junk = not ok and not structured
    capped.close()
    return out


_TOP = re.compile(rb"\n[\[{][ \t\r]*(?=\n|$)")


def _pretty(data: bytes, notes: list[Note]) -> list[tuple[str, Any]]:
    """Pretty-printed concatenated JSON: each value starts with a line that is only ``{`` or
    ``[`` (nested values are indented). A part that is not one sound value (a hand-edited file)
    is split by the careful scanner instead."""
    starts = [m.start() for m in _TOP.finditer(b"\n" + data)]  # where each "{" is in data
    if not starts or data[: starts[0]].strip():
        return _concatenated(data, _spans(data, 0, len(data), sep=False)[0], notes)
    out: list[tuple[str, Any]] = []
    lines = _Lines(data)
    line, counted = 1, 0
    for k, (a, b) in enumerate(zip(starts, [*starts[1:], len(data)], strict=True), start=1):
        a, b = _trim(data, (a, b))
        line += data.count(b"\n", counted, a)
        counted = a
        try:
            out.append((f"object {k} (line {line})", orjson.loads(data[a:b])))
        except orjson.JSONDecodeError:
            spans = _spans(data, a, b, sep=False)[0]
            out += _concatenated(data, spans, notes, lines)
    return out


def parse_lines(data: bytes, notes: list[Note]) -> list[tuple[str, Any]]:
    """A ``.jsonl`` file: one value a line (located ``line n``), or the pretty-printed objects
    of ``werk24 techread --pretty`` (located ``object k (line n)``)."""
    lines = data.split(b"\n")
    first = next((ln.strip() for ln in lines if ln.strip()), b"")
    if first in (b"{", b"["):
        return _pretty(data, notes)
    out = []
    capped = _Capped(notes)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        ok, value = capped.parse(line, f"line {n}", n)
        if ok:
            out.append((f"line {n}", value))
    capped.close()
    return out
