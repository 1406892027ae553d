"""A small corpus of saved answers with every kind of image situation, for the views,
gallery and browser tests:

- ``A-hostile``: hostile text as designation, drawing number and a dimension label, and a
  real sheet image whose boxes sit where REFERENCE_POSITIONS says;
- ``B-plain``: a sheet and a view image; the position of dimension 101 is missing;
- ``C-noimage``: answers only;
- ``D-broken``: a sheet file with a valid PNG header and a corrupt body;
- ``E-legacy``: only legacy canvas and sectional thumbnails.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import builders

import werk24_frames as wf

HOSTILE = "<img src=x onerror=alert(1)>"
SHEET_SIZE = (400, 240)
POSITIONS = {rid: (10 + k, 20 + 2 * k, 60 + k, 35 + 2 * k) for k, rid in enumerate(range(100, 107))}


def sheet(width: int = SHEET_SIZE[0], height: int = SHEET_SIZE[1], seed: int = 0) -> bytes:
    """A white RGB sheet with a black frame and a filled black box at every dimension position."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((2, 2, width - 3, height - 3), outline="black", width=2)
    for x0, y0, x1, y1 in POSITIONS.values():
        draw.rectangle((x0 + 4, y0 + 3, x1 - 4, y1 - 3), fill="black")
    draw.line((0, height - 30 - seed, width, height - 30 - seed), fill=(0, 0, 200), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def broken_png() -> bytes:
    """A PNG whose header promises 400 x 240 pixels and whose image data is garbage."""
    good = builders.png(*SHEET_SIZE)
    head = good[: 8 + 25]  # signature and IHDR chunk
    return head + b"\x00\x00\x00\x10IDAT" + b"\x13\x37" * 8 + b"\x00\x00\x00\x00" + good[-12:]


def _write(folder: Path, responses: list[dict[str, Any]], images: dict[str, bytes]) -> None:
    folder.mkdir(parents=True)
    for r in responses:
        (folder / f"{r['ask_type'].lower()}.json").write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
    for name, data in images.items():
        (folder / name).write_bytes(data)


def build(root: Path) -> wf.Corpus:
    meta = builders.meta_data()
    meta["designation"] = [{"reference_id": 1, "language": "ENG", "value": HOSTILE}]
    meta["identifiers"][1]["value"] = "DWG-" + HOSTILE
    feats = builders.features()
    feats["dimensions"][0]["label"] = HOSTILE
    _write(
        root / "A-hostile", [meta, feats, builders.insights(), builders.reference_positions()], {"sheet_0.png": sheet()}
    )
    positions = builders.reference_positions()
    positions["reference_positions"] = [p for p in positions["reference_positions"] if p["reference_id"] != 101]
    plain = [builders.meta_data(), builders.features(), builders.insights(), positions]
    _write(root / "B-plain", plain, {"sheet_0.png": sheet(seed=5), "view_0.png": sheet(120, 90, seed=1)})
    _write(root / "C-noimage", builders.all_responses(), {})
    _write(root / "D-broken", builders.all_responses(), {"sheet_0.png": broken_png()})
    _write(
        root / "E-legacy",
        builders.all_responses(),
        {"canvas_0.png": sheet(160, 100, seed=2), "sectional_0.png": sheet(80, 80, seed=3)},
    )
    return wf.load(root)
