"""Decoding drawing images, and the downscaled thumbnails and feature crops made of them.

Pillow is imported on first use (``pip install werk24_frames[widgets]``). Before an image is
decoded its pixel size is read from its header and checked against our own limit
(:data:`werk24_frames.views.MAX_IMAGE_PIXELS`, about an A0 sheet at 300 dpi); a larger image
is not decoded. An image that cannot be decoded, or is too large, becomes ``None`` (the caller
shows a placeholder) and one row of ``corpus.problems``; an image that is only linked (a
``payload_url``) or absent is ``None`` without a problem.

A sheet is decoded once and kept reduced to at most :data:`SHARED_PIXELS` pixels (JPEG is
decoded reduced by Pillow's ``draft``; PNG must be decoded whole, so its memory is bounded by
the limit), and the views share that copy: thumbnails, the drawing view and crops. The
reduced copies kept take at most :data:`DECODED_BYTES`, whatever the number of corpora.
Thumbnails are cached per corpus by (drawing, image, size) in a bounded LRU cache of the
encoded PNGs, so paging back and forth in a gallery decodes each sheet once.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._extras import require

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "DECODED_BYTES",
    "SHARED_PIXELS",
    "ImageTooLarge",
    "Picture",
    "Sheet",
    "crop",
    "decode",
    "feature_boxes",
    "open_image",
    "sheet",
    "thumbnail",
    "why_failed",
]

#: The largest decoded copy of a sheet kept for the views (16 Mpx: an A3 page at 300 dpi is
#: kept whole, an A0 page at 300 dpi reduced by 3, to about 100 dpi).
SHARED_PIXELS = 16_000_000
#: Bytes of decoded sheets kept at once, for all corpora together (the last one is kept
#: whatever its size); 256 MB hold 5 reduced A0 sheets or some 40 A4 sheets at 200 dpi.
DECODED_BYTES = 256_000_000

#: Encoded thumbnails kept per corpus (a 240 px PNG of a drawing is 1 to 20 kB).
CACHE_SIZE = 2048

ImageKey = tuple[str, str, int, int]  # drawing_id, kind, page, image_index


@dataclass(frozen=True, slots=True)
class Picture:
    """An encoded image ready for HTML: PNG bytes, their pixel size, and the size of the
    image they were made from (the pixel space of REFERENCE_POSITIONS)."""

    png: bytes
    width: int
    height: int
    source_width: int
    source_height: int

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


class _Cache:
    """The thumbnails of one corpus, least recently used dropped first; failed decodes are
    remembered (as None) so each is reported once."""

    def __init__(self) -> None:
        self.items: OrderedDict[tuple[ImageKey, int, int], Picture | None] = OrderedDict()

    def get(self, key: tuple[ImageKey, int, int]) -> tuple[bool, Picture | None]:
        if key in self.items:
            self.items.move_to_end(key)
            return True, self.items[key]
        return False, None

    def put(self, key: tuple[ImageKey, int, int], value: Picture | None) -> None:
        self.items[key] = value
        while len(self.items) > CACHE_SIZE:
            self.items.popitem(last=False)


def pillow() -> Any:
    """``PIL.Image``, or an ImportError that says how to install it."""
    require("widgets", "decoding drawing images", "PIL")
    from PIL import Image as PILImage

    return PILImage


_caches: weakref.WeakKeyDictionary[Any, _Cache] = weakref.WeakKeyDictionary()
_failed: weakref.WeakKeyDictionary[Any, dict[ImageKey, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Sheet:
    """A decoded image (RGB or L), reduced to at most SHARED_PIXELS, and the pixel size of the
    image it was decoded from (the pixel space of REFERENCE_POSITIONS)."""

    image: Image
    width: int
    height: int

    @property
    def scale(self) -> float:
        """Pixels of ``image`` per pixel of the original."""
        return self.image.width / self.width if self.width else 1.0


class ImageTooLarge(ValueError):
    """An image whose header gives more pixels than the limit: it is not decoded."""


def limit() -> int:
    """Our limit of pixels an image may have to be decoded: ``wf.views.MAX_IMAGE_PIXELS``."""
    from . import views

    value = views.MAX_IMAGE_PIXELS
    if type(value) is not int or value < 1:
        raise ValueError(f"werk24_frames.views.MAX_IMAGE_PIXELS must be a whole number above 0, not {value!r}")
    return value


_pillow_lock = threading.Lock()


@contextlib.contextmanager
def _own_limit() -> Iterator[None]:
    """Pillow's own bomb check off while an image's header is read: our limit, checked right
    after, replaces it (Pillow's warns above 89 Mpx and refuses above 179 Mpx, whatever ours)."""
    PILImage = pillow()
    with _pillow_lock:
        before = PILImage.MAX_IMAGE_PIXELS
        PILImage.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            PILImage.MAX_IMAGE_PIXELS = before


def open_image(source: bytes | str, max_pixels: int | None = None, reduce_to: int | None = None) -> Sheet:
    """Decode ``source`` (the bytes or the path of an image), after checking its pixel size
    from the header against ``max_pixels`` (default :func:`limit`), reduced to at most
    ``reduce_to`` pixels (none: full size).

    Raises
    ------
    ImageTooLarge
        The header gives more pixels than ``max_pixels``; nothing was decoded.
    OSError, ValueError, SyntaxError
        Pillow cannot decode it.
    """
    PILImage = pillow()
    pixels = limit() if max_pixels is None else max_pixels
    with _own_limit():  # reads the header only
        img = PILImage.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    with img:
        w, h = img.size
        if w * h > pixels:
            raise ImageTooLarge(
                f"{w} x {h} pixels ({w * h / 1e6:.0f} Mpx), more than the limit of {pixels / 1e6:.0f} Mpx "
                "(werk24_frames.views.MAX_IMAGE_PIXELS)"
            )
        factor = math.ceil(math.sqrt(w * h / reduce_to)) if reduce_to and w * h > reduce_to else 1
        if factor > 1:  # JPEG: decoded at 1/2, 1/4 or 1/8 scale, no smaller than asked
            img.draft("RGB", (math.ceil(w / factor), math.ceil(h / factor)))
        img.load()
        out = _reduced(img, reduce_to)
    return Sheet(out, w, h)


def _reduced(img: Image, reduce_to: int | None) -> Image:
    """``img`` as RGB or L, reduced by a whole factor (box average) to at most ``reduce_to``
    pixels; reduced before the mode is converted, so no full-size copy is made but Pillow's
    own (for an image with transparency)."""
    if img.mode == "PA" or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
    elif img.mode in ("1", "I", "I;16", "F"):
        img = img.convert("L")
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGB")
    w, h = img.size
    factor = math.ceil(math.sqrt(w * h / reduce_to)) if reduce_to and w * h > reduce_to else 1
    if factor > 1:
        img = _reduce_in_strips(img, factor)
    return _plain(img)


def _reduce_in_strips(img: Image, factor: int) -> Image:
    """``img.reduce(factor)``, a strip of rows at a time: Pillow reduces an image with
    transparency through a premultiplied copy of the whole, which would double the memory of
    a large sheet; a strip's copy is small."""
    PILImage = pillow()

    w, h = img.size
    out = PILImage.new(img.mode, (math.ceil(w / factor), math.ceil(h / factor)))
    rows = factor * max(1, 4_000_000 // (w * factor))  # about 4 Mpx (16 MB) a strip
    for top in range(0, h, rows):
        strip = img.crop((0, top, w, min(h, top + rows)))
        out.paste(strip.reduce(factor), (0, top // factor))
    return out


def sheet(corpus: Any, key: ImageKey) -> Sheet | None:
    """Image ``key`` of ``corpus`` decoded once and shared by the views (reduced to at most
    SHARED_PIXELS), or None: absent, only linked, too large or not decodable (the last two
    reported once as a problem of the corpus)."""
    pillow()
    pixels = limit()  # a limit that is no number is the caller's error, not the image's
    cache_key = (corpus._key, key)
    if cache_key in _decoded:
        _decoded.move_to_end(cache_key)
        return _decoded[cache_key]
    if key in _failed.get(corpus, {}):
        return None
    drawing_id, kind, page, index = key
    try:
        source: bytes | str | None = corpus._flat.image_bytes.get(key) or corpus._image_file(key)
        if source is None:
            corpus.image(drawing_id, kind, page, index)  # raises LookupError: only linked, or absent
            return None
        decoded = open_image(source, pixels, reduce_to=SHARED_PIXELS)
    except (LookupError, FileNotFoundError):
        return None
    except ImageTooLarge as exc:
        _fail(corpus, key, "too large to decode", f"the {kind} image is {exc}; not decoded, shown as a placeholder")
        return None
    except (OSError, ValueError, SyntaxError, MemoryError) as exc:
        _fail(
            corpus,
            key,
            "cannot be read",
            f"cannot decode the {kind} image ({type(exc).__name__}: {exc}); shown as a placeholder",
        )
        return None
    _decoded[cache_key] = decoded
    while len(_decoded) > 1 and sum(_size(d) for d in _decoded.values()) > DECODED_BYTES:
        _decoded.popitem(last=False)
    return decoded


def _size(found: Sheet) -> int:
    return found.image.width * found.image.height * len(found.image.getbands())


_decoded: OrderedDict[tuple[str, ImageKey], Sheet] = OrderedDict()


def _fail(corpus: Any, key: ImageKey, short: str, message: str) -> None:
    done = _failed.setdefault(corpus, {})
    if key not in done:
        done[key] = short
        drawing_id, kind, page, index = key
        corpus._report(drawing_id, page, f"images[{kind}, page {page}, #{index}]", message)


def why_failed(corpus: Any, key: ImageKey) -> str | None:
    """Why image ``key`` of ``corpus`` could not be decoded (``"too large to decode"``), if it
    could not."""
    return _failed.get(corpus, {}).get(key)


def decode(corpus: Any, key: ImageKey) -> Image | None:
    """The shared decoded copy of image ``key`` of ``corpus`` (RGB or L, reduced to at most
    SHARED_PIXELS), or None; see :func:`sheet`."""
    found = sheet(corpus, key)
    return found.image if found is not None else None


def _plain(img: Image) -> Image:
    """RGB, or L for grayscale: palette and bilevel images would be resized without smoothing,
    which makes thin drawing lines vanish."""
    if img.mode in ("L", "RGB"):
        img.load()
        return img
    if img.mode in ("1", "I", "I;16", "F"):
        return img.convert("L")
    if img.mode == "P" and "transparency" not in img.info:
        return img.convert("RGB")
    PILImage = pillow()

    rgba = img.convert("RGBA")
    white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
    return PILImage.alpha_composite(white, rgba).convert("RGB")


def _encode(img: Image, source: tuple[int, int]) -> Picture:
    """PNG; colour images reduced to a 128-colour palette first, which keeps line drawings
    intact and makes the PNG about half the size."""
    PILImage = pillow()

    if img.mode == "RGB":
        img = img.quantize(128, method=PILImage.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=6)
    return Picture(buf.getvalue(), img.width, img.height, *source)


def thumbnail(corpus: Any, key: ImageKey, width: int, height: int) -> Picture | None:
    """Image ``key`` of ``corpus`` downscaled (never enlarged) to fit ``width`` x ``height``,
    as PNG; cached. None where the image is absent, too large or broken."""
    PILImage = pillow()

    cache = _caches.setdefault(corpus, _Cache())
    hit, pic = cache.get((key, width, height))
    if hit:
        return pic
    found = sheet(corpus, key)
    if found is not None:
        img = found.image.copy()
        img.thumbnail((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        pic = _encode(img, (found.width, found.height))
    cache.put((key, width, height), pic)
    return pic


def crop(
    found: Sheet, box: tuple[float, float, float, float], max_width: int, max_height: int, outline: str = "#d62728"
) -> Picture | None:
    """The part of ``found`` around ``box`` (x_min, y_min, x_max, y_max in pixels of the
    original image) with a margin of context, the box outlined, scaled to fit ``max_width`` x
    ``max_height``; None when the box is not finite or lies off the image.

    A box much taller than wide is the label of a vertical dimension, written bottom to top:
    its crop is turned a quarter clockwise, so the label reads left to right and fills the
    (wide) crop box instead of a sliver of it. A crop smaller than the box is enlarged up to
    three times here, with Lanczos resampling, rather than stretched by the browser."""
    PILImage = pillow()
    from PIL import ImageDraw

    if not all(math.isfinite(v) for v in box):
        return None
    img, s = found.image, found.scale
    x0, y0, x1, y1 = (v * s for v in box)
    pad = max(10.0 * s, 0.35 * max(x1 - x0, y1 - y0))
    left, top = max(0.0, x0 - pad), max(0.0, y0 - pad)
    right, bottom = min(float(img.width), x1 + pad + 1), min(float(img.height), y1 + pad + 1)
    if not (left < img.width and top < img.height and right > 0 and bottom > 0) or right <= left or bottom <= top:
        return None
    left_i, top_i = int(left), int(top)
    part = img.crop((left_i, top_i, max(int(right), left_i + 1), max(int(bottom), top_i + 1))).convert("RGB")
    # The outline, kept near the crop (a box far larger than the image is drawn at its edges).
    ax0, ax1 = (min(max(v - left_i, -4.0), part.width + 4.0) for v in sorted((x0, x1)))
    ay0, ay1 = (min(max(v - top_i, -4.0), part.height + 4.0) for v in sorted((y0, y1)))
    ImageDraw.Draw(part).rectangle((ax0 - 2, ay0 - 2, ax1 + 2, ay1 + 2), outline=outline, width=2)
    if (y1 - y0) > VERTICAL * (x1 - x0):
        part = part.transpose(PILImage.Transpose.ROTATE_270)
    scale = min(max_width / part.width, max_height / part.height, MAX_ENLARGE)
    if scale > 1:
        size = (max(1, round(part.width * scale)), max(1, round(part.height * scale)))
        part = part.resize(size, PILImage.Resampling.LANCZOS)
    else:
        part.thumbnail((max_width, max_height), PILImage.Resampling.LANCZOS)
    return _encode(part, (found.width, found.height))


#: A located box this many times taller than wide is a vertical label: its crop is turned.
VERTICAL = 1.5
#: Small crops are enlarged at most this many times.
MAX_ENLARGE = 3.0


def feature_boxes(corpus: Any, drawing_id: str, page: int) -> pd.DataFrame:
    """One row per feature of the drawing's page that REFERENCE_POSITIONS located in the
    sheet image's pixel space: its table, reference_id, label, tolerance source, IT grade and
    bounding box (``x_min``... in pixels, y pointing down)."""
    pos = corpus.positions
    pos = pos[(pos["drawing_id"] == drawing_id) & (pos["page"] == page) & (pos["coordinate_space"] == "PIXEL_SPACE")]
    feats = corpus.features
    feats = feats[(feats["drawing_id"] == drawing_id) & (feats["page"] == page)]
    corners = pos[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float, na_value=float("nan"))
    pos = pos[np.isfinite(corners).all(axis=1)]  # a box at infinity or NaN cannot be drawn
    cols = ["reference_id", "table", "label", "tolerance_source", "it_grade"]
    return pos[["reference_id", "x_min", "y_min", "x_max", "y_max"]].merge(feats[cols], on="reference_id", how="inner")[
        [*cols, "x_min", "y_min", "x_max", "y_max"]
    ]
