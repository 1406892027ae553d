"""Decoding drawing images, and the downscaled thumbnails and feature crops made of them.

Pillow is imported on first use (``pip install werk24_frames[widgets]``) and decodes with its
decompression-bomb limit (``PIL.Image.MAX_IMAGE_PIXELS``) in force. An image that cannot be
decoded becomes ``None`` (the caller shows a placeholder) and one row of ``corpus.problems``;
an image that is only linked (a ``payload_url``) or absent is ``None`` without a problem.

Thumbnails are cached per corpus by (drawing, image, size) in a bounded LRU cache of the
encoded PNGs, so paging back and forth in a gallery decodes each sheet once; full-size
decoded images are never kept.
"""

from __future__ import annotations

import base64
import io
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._extras import require

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["Picture", "crop", "decode", "feature_boxes", "thumbnail"]

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
_failed: weakref.WeakKeyDictionary[Any, set[ImageKey]] = weakref.WeakKeyDictionary()


def decode(corpus: Any, key: ImageKey) -> Image | None:
    """The decoded image ``key`` of ``corpus`` (RGB or L), or None: absent, only linked, or
    not decodable (reported once as a problem of the corpus)."""
    PILImage = pillow()

    drawing_id, kind, page, index = key
    try:
        data = corpus.image(drawing_id, kind, page, index)
    except (LookupError, OSError):
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img.draft("RGB", (4096, 4096))  # JPEG: decode at a reduced scale where that suffices
            return _plain(img)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        done = _failed.setdefault(corpus, set())
        if key not in done:
            done.add(key)
            corpus._report(
                drawing_id,
                page,
                f"images[{kind}, page {page}, #{index}]",
                f"cannot decode the {kind} image ({type(exc).__name__}: {exc}); shown as a placeholder",
            )
        return None


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
    as PNG; cached. None where the image is absent or broken."""
    PILImage = pillow()

    cache = _caches.setdefault(corpus, _Cache())
    hit, pic = cache.get((key, width, height))
    if hit:
        return pic
    img = decode(corpus, key)
    if img is not None:
        size = img.size
        img.thumbnail((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        pic = _encode(img, size)
    cache.put((key, width, height), pic)
    return pic


def crop(
    img: Image, box: tuple[float, float, float, float], max_width: int, max_height: int, outline: str = "#d62728"
) -> Picture:
    """The part of ``img`` around ``box`` (x_min, y_min, x_max, y_max in pixels) with a margin
    of context, the box outlined, scaled to fit ``max_width`` x ``max_height``.

    A box much taller than wide is the label of a vertical dimension, written bottom to top:
    its crop is turned a quarter clockwise, so the label reads left to right and fills the
    (wide) crop box instead of a sliver of it. A crop smaller than the box is enlarged up to
    three times here, with Lanczos resampling, rather than stretched by the browser."""
    PILImage = pillow()
    from PIL import ImageDraw

    x0, y0, x1, y1 = box
    pad = max(10.0, 0.35 * max(x1 - x0, y1 - y0))
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    right, bottom = min(img.width, int(x1 + pad) + 1), min(img.height, int(y1 + pad) + 1)
    part = img.crop((left, top, max(right, left + 1), max(bottom, top + 1))).convert("RGB")
    ImageDraw.Draw(part).rectangle((x0 - left - 2, y0 - top - 2, x1 - left + 2, y1 - top + 2), outline=outline, width=2)
    if (y1 - y0) > VERTICAL * (x1 - x0):
        part = part.transpose(PILImage.Transpose.ROTATE_270)
    scale = min(max_width / part.width, max_height / part.height, MAX_ENLARGE)
    if scale > 1:
        size = (max(1, round(part.width * scale)), max(1, round(part.height * scale)))
        part = part.resize(size, PILImage.Resampling.LANCZOS)
    else:
        part.thumbnail((max_width, max_height), PILImage.Resampling.LANCZOS)
    return _encode(part, img.size)


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
    cols = ["reference_id", "table", "label", "tolerance_source", "it_grade"]
    return pos[["reference_id", "x_min", "y_min", "x_max", "y_max"]].merge(feats[cols], on="reference_id", how="inner")[
        [*cols, "x_min", "y_min", "x_max", "y_max"]
    ]
