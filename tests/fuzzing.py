"""A seeded mutation fuzzer of saved answers, for ``test_fuzz_inputs.py`` and for measuring
(``python tests/fuzzing.py RUNS [SEED]`` prints the figures).

Every run writes one drawing in one of the input shapes werk24_frames reads, mutates it (its
JSON as data, or its files as bytes, or its images), puts it beside an intact drawing of the
same shape, loads the folder and uses everything a user would: every table, the thumbnails,
the drawing view, crops, the report, the exports and the command line. It then checks that

- nothing raised;
- every list item of the mutated input is a row of its table or covered by a problem row (the
  item itself, its list, its answer or its message, or the file);
- the intact drawing's tables (``problems`` included) are those it has when loaded alone;
- no file outside the drawing's folder was read (a secret PNG beside the folders).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import builders
import pandas as pd

import werk24_frames as wf
from werk24_frames import _json, cli

SHAPES = ("response", "messages_json", "jsonl", "pretty_jsonl", "store", "images_folder")

# Where the tabulated lists sit, and the table their items land in.
LISTS = {
    "FEATURES": {name: name for name in wf.schema.FEATURE_TABLES},
    "META_DATA": {"identifiers": "identifiers", "designation": "designations", "notes": "notes"},
    "INSIGHTS": {"secondary_processes": "processes"},
    "REFERENCE_POSITIONS": {"reference_positions": "positions"},
}

# Values a mutation puts somewhere; the markers become bytes no JSON encoder writes.
MARKERS = {
    "__W24_NAN__": b"NaN",
    "__W24_INF__": b"Infinity",
    "__W24_NINF__": b"-Infinity",
    "__W24_1E400__": b"1e400",
    "__W24_DIGITS__": b"9" * 400,
    "__W24_DEEP__": b"[" * 1500 + b"]" * 1500,
    "__W24_DEEP_OBJ__": b'{"a": ' * 1100 + b"1" + b"}" * 1100,
}
BAD_TEXT = "__W24_BADUTF__"  # inside a string: replaced by invalid UTF-8
JUNK: list[Any] = [
    None,
    True,
    False,
    -1,
    0,
    1.5,
    2**63,
    2**64 + 1,
    10**30,
    -(10**30),
    "",
    "x" * 300,
    "\x00\x07\x1b[31m",
    "<img src=x onerror=alert(1)>",
    [],
    {},
    [1, [2, [3]]],
    {"value": None},
    "../../../secret.png",
    "/etc/passwd",
    "ask",
    "PROGRESS",
    "ERROR",
    f"a{BAD_TEXT}b",
    *MARKERS,
]
MESSAGE_FIELDS = ("message_type", "page_number", "exceptions", "payload_file", "request_id", "message_subtype")
BYTE_JUNK = [b"\xff", b"\x00", b'"', b"{", b"}", b"[", b"]", b",", b"\\", b"\n", b"NaN", b"\xc3(", b"\xed\xa0\x80"]


@dataclass
class Figures:
    """What a fuzz run did."""

    drawings: int = 0
    items: int = 0
    crashes: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    changed_intact: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    seconds: float = 0.0
    by_shape: dict[str, int] = field(default_factory=dict)

    def failures(self) -> list[str]:
        return self.crashes + self.losses + self.changed_intact + self.leaks

    def __str__(self) -> str:
        return (
            f"{self.drawings} mutated drawings ({', '.join(f'{k} {v}' for k, v in self.by_shape.items())}), "
            f"{self.items} list items accounted for, {len(self.crashes)} crashes, {len(self.losses)} silent "
            f"losses, {len(self.changed_intact)} intact drawings changed, {len(self.leaks)} files read outside "
            f"their folder, {self.seconds:.1f} s"
        )


# --------------------------------------------------------------------------------------
# The inputs
# --------------------------------------------------------------------------------------


def _doc(shape: str) -> Any:
    if shape == "response":
        return builders.features()
    msgs = builders.messages()
    if shape in ("store", "images_folder"):
        sheet = {
            "request_id": msgs[0]["request_id"],
            "message_type": "ASK",
            "message_subtype": "SHEET_IMAGES",
            "page_number": 0,
            "payload_dict": {"ask_type": "SHEET_IMAGES", "sheet_id": "s0"},
            "payload_url": None,
            "payload_file": "sheet_images_0.png",
            "exceptions": [],
        }
        msgs.append(sheet)
    return msgs


def _dumps(obj: Any, indent: int | None) -> bytes:
    text = json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=True)
    data = text.encode("utf-8", "surrogatepass")
    for marker, raw in MARKERS.items():
        data = data.replace(f'"{marker}"'.encode(), raw)
    return data.replace(BAD_TEXT.encode(), b"\xff\xfe")


def _png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (160, 100), "white")
    ImageDraw.Draw(img).line((0, seed % 100, 160, 50), fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def files(shape: str, name: str, doc: Any) -> dict[str, bytes]:
    """The files (path relative to the folder loaded -> bytes) of one drawing."""
    if shape == "response":
        return {f"{name}.json": _dumps(doc, 2)}
    if shape == "messages_json":
        return {f"{name}.json": _dumps(doc, 2)}
    if shape == "jsonl":
        return {f"{name}.jsonl": b"\n".join(_dumps(m, None) for m in doc) + b"\n"}
    if shape == "pretty_jsonl":
        return {f"{name}.jsonl": b"\n".join(_dumps(m, 2) for m in doc) + b"\n"}
    by_ask: dict[str, list[Any]] = {}
    for k, m in enumerate(doc):
        ask = builders.all_responses()[k]["ask_type"] if k < 4 else "SHEET_IMAGES"
        by_ask.setdefault(ask, []).append(m)
    if shape == "store":
        out = {f"{name}/{ask}.json": _dumps(msgs, 2) for ask, msgs in by_ask.items()}
        out[f"{name}/manifest.json"] = _dumps({"store_version": 1, "drawing_id": name, "source": f"{name}.pdf"}, 2)
        out[f"{name}/sheet_images_0.png"] = _png(1)
        return out
    out = {f"{name}/{ask.lower()}.jsonl": b"\n".join(_dumps(m, None) for m in msgs) for ask, msgs in by_ask.items()}
    out[f"{name}/sheet_images_0.png"] = _png(2)
    out[f"{name}/images/view_0.png"] = _png(3)
    return out


# --------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _nodes(v, (*path, i))


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def mutate_doc(doc: Any, rng: random.Random) -> list[str]:
    """Change ``doc`` in place, 1 to 4 times; what was done."""
    done = []
    for _ in range(rng.randint(1, 4)):
        action = rng.choice(["replace", "replace", "delete", "add_key", "duplicate", "message_field"])
        if action == "message_field" and isinstance(doc, list) and doc:
            m = rng.choice([m for m in doc if isinstance(m, dict)] or [{}])
            key = rng.choice(MESSAGE_FIELDS)
            m[key] = copy.deepcopy(rng.choice(JUNK))
            done.append(f"message {key} = {m[key]!r:.40}")
            continue
        paths = list(_nodes(doc))[1:]
        if not paths:
            continue
        path = rng.choice(paths)
        parent = _get(doc, path[:-1])
        if action in ("replace", "message_field"):
            parent[path[-1]] = copy.deepcopy(rng.choice(JUNK))
            done.append(f"{path} = {parent[path[-1]]!r:.40}")
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
            done.append(f"del {path}")
        elif action == "add_key" and isinstance(parent, dict):
            parent[rng.choice(["welds", "new_flag", "tags", "dimensions"])] = copy.deepcopy(rng.choice(JUNK))
            done.append(f"add key at {path[:-1]}")
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
            done.append(f"duplicate {path}")
    return done


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """``data`` changed at 1 to 3 places."""
    done = []
    for _ in range(rng.randint(1, 3)):
        n = len(data)
        at = rng.randrange(n + 1)
        action = rng.choice(["flip", "insert", "delete", "duplicate", "truncate"])
        if action == "flip" and n:
            at = min(at, n - 1)
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
        elif action == "insert":
            data = data[:at] + rng.choice(BYTE_JUNK) + data[at:]
        elif action == "delete":
            data = data[:at] + data[at + rng.randint(1, 40) :]
        elif action == "duplicate":
            data = data[:at] + data[at : at + rng.randint(1, 200)] + data[at:]
        elif action == "truncate" and rng.random() < 0.3:
            data = data[:at]
        done.append(f"{action}@{at}")
    return data, " ".join(done)


def mutate_image(data: bytes, rng: random.Random) -> tuple[bytes | None, str]:
    """An image broken, made a bomb by its header, or (None) replaced by a link outside."""
    action = rng.choice(["truncate", "header_bomb", "garbage", "link_outside", "bytes"])
    if action == "truncate":
        return data[: rng.randrange(len(data))], "image truncated"
    if action == "header_bomb":  # the IHDR says 60000 x 60000 (CRC left wrong, as an attacker might)
        return data[:16] + (60000).to_bytes(4, "big") * 2 + data[24:], "image header says 3600 Mpx"
    if action == "garbage":
        return bytes(rng.randrange(256) for _ in range(200)), "image replaced by garbage"
    if action == "link_outside":
        return None, "image replaced by a link to a file outside the folder"
    out, how = mutate_bytes(data, rng)
    return out, f"image bytes {how}"


# --------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------

_MESSAGE_LOC = r"(?:\[\d+\]|line \d+|object \d+ \(line \d+\))"
_PREFIX = re.compile(rf"^{_MESSAGE_LOC}: ")
_WHOLE = re.compile(rf"^{_MESSAGE_LOC}?$")


def expected_items(doc: Any) -> list[tuple[str, str, str, int]]:
    """(ask, list, table, index) of every list item the loader must account for."""
    answers = [doc] if isinstance(doc, dict) and "ask_type" in doc else doc if isinstance(doc, list) else []
    out = []
    for a in answers:
        payload = a.get("payload_dict") if isinstance(a, dict) and "payload_dict" in a else a
        if not isinstance(payload, dict):
            continue
        ask = payload.get("ask_type")
        if not isinstance(ask, str) or ask not in LISTS:
            continue
        for key, table in LISTS[ask].items():
            items = payload.get(key)
            if isinstance(items, list):
                out += [(ask, key, table, i) for i in range(len(items))]
    return out


def _covered(locations: list[str], ask: str, key: str, i: int) -> bool:
    item = f"{ask}.{key}[{i}]"
    for loc in locations:
        loc = _PREFIX.sub("", loc)
        if _WHOLE.match(loc) or ("." not in loc and "[" not in loc):
            return True  # the file, the message or the answer as a whole
        if loc == f"{ask}.{key}" or loc == item or loc.startswith((item + ".", item + "[")):
            return True
    return False


def silent_losses(c: wf.Corpus, doc: Any, mutated: list[str]) -> tuple[int, list[str]]:
    problems = c.table("problems")
    ids, sources = problems["drawing_id"].astype(str), problems["source"].astype(str)
    of_m = ids.str.startswith("m") | sources.str.contains(f"{os.sep}m[./]", regex=True)
    mine = problems[of_m & (problems["severity"] != "info")]
    locations = mine["location"].astype(str).tolist()
    other = c.other_features
    other = other[other["drawing_id"].isin(mutated)]
    lost = []
    items = expected_items(doc)
    for ask, key, table, i in items:
        df = c.table(table)
        df = df[df["drawing_id"].isin(mutated)]
        if (df["item_index"] == i).any():
            continue
        if (other["item_index"] == i).any():
            continue  # read as another ask, or under another list name: kept generically
        if not _covered(locations, ask, key, i):
            lost.append(f"{ask}.{key}[{i}]")
    return len(items), lost


def parsed_doc(written: dict[str, bytes]) -> list[Any] | None:
    """The answers of a drawing's mutated files when every file is still sound JSON (a byte
    mutation may give valid JSON of another structure: its items are what the input holds);
    None when one is not."""
    out: list[Any] = []
    for rel, data in written.items():
        if not rel.endswith((".json", ".jsonl")) or rel.endswith("manifest.json"):
            continue
        notes: list[Any] = []
        values = _json.parse_lines(data, notes) if rel.endswith(".jsonl") else _json.parse_values(data, notes)
        if notes:
            return None
        out += [v for _, v in values]
    return out


def _intact_tables(c: wf.Corpus, drawing_id: str = "a") -> dict[str, pd.DataFrame]:
    out = {}
    for name, df in c.tables().items():
        if "drawing_id" in df.columns:
            out[name] = df[df["drawing_id"] == drawing_id].reset_index(drop=True)
    return out


def _uses(c: wf.Corpus, folder: Path, heavy: bool) -> str:
    """Everything a user does with a corpus; the HTML made."""
    c.tables()
    html = [c.thumbnails(kind="all", max_images=50).to_html()]
    for d in c.drawing_ids:
        html.append(c.show(d).to_html())
    html.append(c.features.w24.crops().to_html())
    c.to_csv(folder / "csv")
    if heavy:
        wf.audit(c)
        html.append(wf.report(c).to_html())
        c.to_parquet(folder / "parquet")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # control characters written escaped
            c.to_excel(folder / "t.xlsx")
    for row in c.images.itertuples(index=False):
        with contextlib.suppress(LookupError, OSError):
            html.append(base64.b64encode(c.image(row.drawing_id, row.kind, row.page, row.image_index)).decode())
    return "".join(html)


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def fuzz(runs: int, seed: int = 0, heavy_every: int = 25, stop_at_first: bool = True, first: int = 0) -> Figures:
    """``runs`` mutated drawings, the shapes in turn, from ``seed`` (from run ``first`` on)."""
    figures = Figures()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        secret = _png(99)
        (root / "secret.png").write_bytes(secret)
        leaked = base64.b64encode(secret).decode()[40:120]
        baselines: dict[str, dict[str, pd.DataFrame]] = {}
        for shape in SHAPES:
            folder = root / shape / "in"
            for rel, data in files(shape, "a", _doc(shape)).items():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(data)
            baselines[shape] = _intact_tables(wf.load(folder))
        for run in range(first, first + runs):
            shape = SHAPES[run % len(SHAPES)]
            rng = random.Random(f"{seed}:{run}")
            folder = root / shape / "in"
            doc = _doc(shape)
            how = "intact"
            link = ""
            if rng.random() < 0.5:
                how = "data: " + "; ".join(mutate_doc(doc, rng))
                written = files(shape, "m", doc)
                items_doc = doc
            else:
                written = files(shape, "m", doc)
                items_doc = copy.deepcopy(doc)
                rel = rng.choice(sorted(written))
                if rel.endswith(".png"):
                    out, how = mutate_image(written[rel], rng)
                    if out is None:
                        del written[rel]
                        link = rel
                    else:
                        written[rel] = out
                else:
                    written[rel], how = mutate_bytes(written[rel], rng)
                    how = f"bytes of {rel}: {how}"
                    items_doc = parsed_doc(written) or items_doc
            for rel, data in written.items():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(data)
            if link:
                (folder / link).parent.mkdir(parents=True, exist_ok=True)
                (folder / link).symlink_to(root / "secret.png")
            label = f"seed {seed} run {run} ({shape}, {how})"
            figures.drawings += 1
            figures.by_shape[shape] = figures.by_shape.get(shape, 0) + 1
            try:
                c = wf.load(folder)
                mutated = [d for d in c.drawing_ids if d.startswith("m")]
                html = _uses(c, root / "out", heavy=run % heavy_every == 0)
                if run % heavy_every == 1:
                    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                        cli.main(["summary", str(folder)])
                        cli.main(["audit", str(folder)])
            except Exception as exc:  # a crash is what is counted
                figures.crashes.append(f"{label}: {type(exc).__name__}: {exc}"[:600])
            else:
                n, lost = silent_losses(c, items_doc, mutated)
                figures.items += n
                if lost:
                    figures.losses.append(f"{label}: {', '.join(lost[:5])} neither in a table nor in problems")
                now = _intact_tables(c)
                for name, before in baselines[shape].items():
                    try:
                        pd.testing.assert_frame_equal(now[name], before)
                    except AssertionError as exc:
                        figures.changed_intact.append(
                            f"{label}: table {name} of the intact drawing changed: {exc}"[:600]
                        )
                        break
                if leaked in html:
                    figures.leaks.append(f"{label}: the secret file outside the folder was read")
            for rel in list(written) + [r for r in files(shape, "m", _doc(shape)) if r not in written]:
                p = folder / rel
                if p.is_symlink() or p.exists():
                    p.unlink()
            if (folder / "m").exists():
                shutil.rmtree(folder / "m")
            shutil.rmtree(root / "out", ignore_errors=True)
            if stop_at_first and figures.failures():
                break
    figures.seconds = time.perf_counter() - start
    return figures


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 600
    seed = int(argv[1]) if len(argv) > 1 else 0
    figures = fuzz(runs, seed, stop_at_first=False)
    print(figures)
    for failure in figures.failures()[:20]:
        print(" -", failure)
    return 1 if figures.failures() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
