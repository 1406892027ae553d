"""Format and pixel size of an image from its first bytes, without decoding it.

Reads only the header (PNG IHDR, JPEG SOF, GIF, WebP, TIFF is named but not measured), so
building ``corpus.images`` stays cheap and needs no Pillow.
"""

from __future__ import annotations

import struct

__all__ = ["sniff"]

_HEAD = 64 * 1024


def sniff(data: bytes) -> tuple[str | None, int | None, int | None]:
    """``(format, width, height)`` from the start of an image file; None where unknown.

    Examples
    --------
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    >>> sniff(png)
    ('png', 640, 480)
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return "png", w, h
    if data.startswith(b"\xff\xd8"):
        return ("jpeg", *_jpeg_size(data))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return "gif", w, h
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return ("webp", *_webp_size(data))
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff", None, None
    if data.startswith(b"%PDF"):
        return "pdf", None, None
    return None, None, None


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    i = 2
    n = len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return w, h
        i += 2 + length
    return None, None


def _webp_size(data: bytes) -> tuple[int | None, int | None]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        b = data[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return w, h
    return None, None


def read_head(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(_HEAD)
