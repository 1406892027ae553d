"""Thumbnails, the drawing view and feature crops: their HTML, images, placeholders, escaping
and problems rows (werk24_frames.views)."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import picture_corpus as pc
import pytest
from PIL import Image

import werk24_frames as wf
from werk24_frames import _images, views
from werk24_frames.plots import SOURCE_COLORS, TABLE_COLORS


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("pictures") / "responses"


@pytest.fixture(scope="module")
def corpus(root):
    return pc.build(root)


@pytest.fixture(scope="module")
def sample():
    return wf.sample_corpus()


class Tags(HTMLParser):
    """Every start tag of a document with its attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def decoded(src: str) -> Image.Image:
    assert src.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))


def assert_safe(html: str) -> None:
    """No tag from a drawing's text got through: no event handler (but the gallery's own,
    fixed, tile click), no image from elsewhere, no script; the hostile text is there, escaped."""
    try:
        from werk24_frames.widgets import _clickable
    except ImportError:  # no ipywidgets: no gallery HTML to check
        ours = set()
    else:
        ours = {Tags(_clickable("", i)).tags[0][1]["onclick"] for i in range(100)}
    tags = Tags(html)
    for tag, attrs in tags.tags:
        assert tag != "script"
        handlers = [a for a in attrs if a.startswith("on")]
        assert handlers in ([], ["onclick"]), (tag, attrs)
        if handlers:
            assert attrs["class"] == "w24-tile" and attrs["onclick"] in ours, attrs
        if tag == "img":
            assert (attrs["src"] or "").startswith("data:image/png;base64,"), attrs
    assert pc.HOSTILE not in html
    assert any(pc.HOSTILE in t for t in tags.text)  # shown as text


# --------------------------------------------------------------------------------------
# Thumbnails
# --------------------------------------------------------------------------------------


def test_thumbnails_one_tile_per_drawing_with_a_placeholder_where_there_is_no_sheet(corpus):
    grid = corpus.thumbnails()
    tags = Tags(grid.to_html())
    assert len(tags.all("figure")) == 5 == len(grid)
    imgs = tags.all("img")
    assert len(imgs) == 2  # A and B have a readable sheet
    text = " ".join(tags.text)
    assert text.count("no sheet image") == 2  # C, E
    assert text.count("sheet image cannot be read") == 1  # D
    assert repr(grid) == "<Thumbnails: 5 of 5 drawings, sheet images, 240 px>"
    assert grid._repr_html_() == grid.to_html()


def test_thumbnails_of_every_kind(corpus):
    grid = corpus.thumbnails(kind="all")
    tags = Tags(grid.to_html())
    # A: sheet; B: sheet, view; C: placeholder; D: placeholder; E: canvas, sectional.
    assert len(tags.all("figure")) == 7
    alts = [a["alt"] for a in tags.all("img")]
    assert alts == [
        "sheet image of DWG-" + pc.HOSTILE,
        "sheet image of DWG-0815",
        "view image of DWG-0815",
        "canvas image of DWG-0815",
        "sectional image of DWG-0815",
    ]
    legacy = corpus.thumbnails(kind=["canvas", "sectional"])
    assert len(Tags(legacy.to_html()).all("img")) == 2
    with pytest.raises(ValueError, match="kind must be"):
        corpus.thumbnails(kind="photo")


def test_thumbnails_fit_the_box_and_keep_the_aspect_ratio(corpus, sample):
    for c, size in ((corpus, 240), (sample, 120)):
        grid = c.thumbnails(size=size, kind="all", max_images=60)
        for attrs in Tags(grid.to_html()).all("img"):
            img = decoded(attrs["src"])
            assert img.width <= size and img.height <= round(size * 0.75)
            assert (int(attrs["width"]), int(attrs["height"])) == img.size
    # The sample sheets are 1286 x 909: a 120 px tile shows them 120 x 85.
    one = Tags(sample.thumbnails(size=120, max_images=1).to_html()).all("img")[0]
    assert decoded(one["src"]).size == (120, 85)


def test_a_thumbnail_is_downscaled_smoothly_not_by_dropping_pixels(tmp_path):
    """A one-pixel line must survive the downscale as grey, not vanish (palette images
    are resized without smoothing unless converted first)."""
    img = Image.new("P", (400, 300), 0)
    img.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    for x in range(0, 400, 8):
        for y in range(300):
            img.putpixel((x, y), 1)
    (tmp_path / "r" / "P").mkdir(parents=True)
    img.save(tmp_path / "r" / "P" / "sheet_0.png")
    c = wf.load(tmp_path / "r")
    pic = _images.thumbnail(c, ("P", "sheet", 0, 0), 100, 75)
    assert pic is not None
    small = Image.open(io.BytesIO(pic.png)).convert("L")
    assert small.size == (100, 75)
    darkest = np.asarray(small).min()
    assert darkest < 230  # lines every 8 px averaged over 4 px: about 1/4 black


def test_thumbnails_grouped_by_a_metadata_column(sample):
    grid = sample.thumbnails(by="material_family", max_images=100, size=60)
    html = grid.to_html()
    counts = sample.metadata["material_family"].value_counts()
    heads = re.findall(r"material_family = ([^<]+) <span[^>]*>\((\d+) drawings\)", html)
    assert [h for h, _ in heads] == sorted(counts.index)
    assert {h: int(n) for h, n in heads} == counts.to_dict()
    assert len(Tags(html).all("figure")) == len(sample)
    with pytest.raises(KeyError, match=r"column of corpus\.metadata"):
        sample.thumbnails(by="colour")


def test_max_images_says_how_many_are_left_out(sample):
    grid = sample.thumbnails(max_images=5, size=60)
    assert len(Tags(grid.to_html()).all("figure")) == 5
    assert f"{len(sample) - 5} more drawings not shown (max_images=5)" in grid.to_html()
    assert repr(grid) == f"<Thumbnails: 5 of {len(sample)} drawings, sheet images, 60 px>"
    with pytest.raises(ValueError, match="max_images"):
        sample.thumbnails(max_images=0)


def test_the_caption_names_drawing_designation_material_and_finest_grade(sample):
    d = sample.metadata.set_index("drawing_number").loc["WF-1015"]
    feats = sample.features
    mine = feats[
        (feats["drawing_id"] == d["drawing_id"]) & feats["table"].isin(["dimensions", "bores", "chamfers", "radii"])
    ]
    finest = int(mine["it_grade"].min())
    cards = views.drawing_cards(sample)
    assert cards.loc[d["drawing_id"], "finest_it_grade"] == finest
    html = views.tile(sample, next(cards.loc[[d["drawing_id"]]].itertuples()), None, 100)
    text = " ".join(Tags(html).text)
    for part in ("WF-1015", d["designation"], d["material"], f"IT{finest}"):
        assert part in text


def test_the_cards_of_some_drawings_are_those_rows_of_all_cards(sample):
    every = views.drawing_cards(sample)
    some = [sample.drawing_ids[7], sample.drawing_ids[2], sample.drawing_ids[30]]
    pd.testing.assert_frame_equal(views.drawing_cards(sample, some), every.loc[some])
    pd.testing.assert_frame_equal(views.drawing_cards(sample, some + some[:1]), every.loc[some])
    assert views.drawing_cards(sample, []).empty
    assert list(views.drawing_cards(sample, []).columns) == list(every.columns)


def test_thumbnails_are_cached_per_drawing_and_size(sample, monkeypatch):
    first = sample.thumbnails(max_images=6, size=90).to_html()

    def no_decoding(*_args, **_kwargs):
        raise AssertionError("decoded again")

    monkeypatch.setattr(_images, "open_image", no_decoding)
    assert sample.thumbnails(max_images=6, size=90).to_html() == first  # the same bytes, from the cache
    # Another size is made from the decoded sheets the views share, without decoding again...
    assert 'width="91"' in sample.thumbnails(max_images=6, size=91).to_html()
    # ...which are decoded again once they are dropped.
    monkeypatch.setattr(_images, "_decoded", type(_images._decoded)())
    with pytest.raises(AssertionError, match="decoded again"):
        sample.thumbnails(max_images=6, size=92)


def test_a_corrupt_image_is_one_problems_row(tmp_path):
    c = pc.build(tmp_path / "r")
    assert c.table("problems").empty
    c.thumbnails()
    c.thumbnails(kind="all")
    c.show("D-broken")
    probs = c.table("problems")
    assert len(probs) == 1
    row = probs.iloc[0]
    assert (row["drawing_id"], row["page"], row["location"], row["severity"]) == (
        "D-broken",
        0,
        "images[sheet, page 0, #0]",
        "warning",
    )
    assert "cannot decode the sheet image" in row["message"] and "placeholder" in row["message"]
    assert row["source"].endswith("D-broken")


def test_a_decompression_bomb_is_refused(tmp_path, monkeypatch):
    c = pc.build(tmp_path / "r")
    monkeypatch.setattr(views, "MAX_IMAGE_PIXELS", 1000)  # the 400 x 240 sheet is now "too large"
    assert _images.thumbnail(c, ("A-hostile", "sheet", 0, 0), 100, 75) is None
    message = c.problems["message"].iloc[0]
    assert "400 x 240 pixels" in message and "more than the limit" in message and "MAX_IMAGE_PIXELS" in message
    assert "too large to decode" in c.thumbnails().to_html()
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # Pillow's own limit is put back


def test_an_image_only_linked_is_a_placeholder_without_a_problem():
    c = wf.from_messages(
        [
            {
                "request_id": "r",
                "message_type": "ASK",
                "message_subtype": "SHEET_IMAGES",
                "page_number": 0,
                "payload_dict": None,
                "payload_url": "https://example.invalid/sheet.png",
                "exceptions": [],
            }
        ]
    )
    html = c.thumbnails().to_html()
    assert "sheet image not stored (only linked)" in html
    assert c.table("problems").empty


def test_the_html_is_deterministic(tmp_path):
    a = pc.build(tmp_path / "a")
    b = pc.build(tmp_path / "b")
    assert a.thumbnails(kind="all").to_html() == b.thumbnails(kind="all").to_html()
    view_a, view_b = a.show("A-hostile").to_html(), b.show("A-hostile").to_html()
    assert view_a.replace(str(tmp_path / "a"), "") == view_b.replace(str(tmp_path / "b"), "")


def _normalised(html: str, root) -> str:
    """The HTML with each PNG replaced by its pixel size, so the snapshot does not depend on
    Pillow's encoder version, and without the temporary folder's path."""

    def size(m: re.Match[str]) -> str:
        img = decoded(m.group(0))
        return f"png:{img.width}x{img.height}"

    html = html.replace(str(root), "<root>")
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", size, html).replace("><", ">\n<")


def test_snapshot_of_the_thumbnails(corpus, root, snapshot):
    assert _normalised(corpus.thumbnails(kind="all", size=120).to_html(), root) == snapshot


def test_snapshot_of_the_drawing_view(corpus, root, snapshot):
    assert _normalised(corpus.show("B-plain", labels=True, width=300).to_html(), root) == snapshot


def test_snapshot_of_the_crops(corpus, root, snapshot):
    assert _normalised(corpus.dimensions.w24.crops(max_rows=8).to_html(), root) == snapshot


# --------------------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere(corpus):
    assert_safe(corpus.thumbnails().to_html())
    assert_safe(corpus.thumbnails(by="designation").to_html())
    assert_safe(corpus.show("A-hostile", labels=True).to_html())
    dims = corpus.dimensions
    assert_safe(dims[dims["drawing_id"] == "A-hostile"].w24.crops().to_html())


def test_hostile_text_is_escaped_in_comparisons_and_similar_parts(corpus):
    """Issue 21: the two sheets side by side, the change rows, revisions and neighbours."""
    assert_safe(wf.views.compare(corpus, corpus, "A-hostile").to_html())
    # A's hostile labels as removed features, B's as added: every text of both drawings in the rows
    changes = wf.compare(corpus, corpus, mapping={"A-hostile": "B-plain"})
    assert changes["old_label"].str.contains(pc.HOSTILE, regex=False).any()
    assert_safe(changes._repr_html_())
    assert_safe(changes.summary()._repr_html_())
    near = wf.similar(corpus, "A-hostile", k=2)
    assert_safe(near._repr_html_())
    assert_safe(corpus.revisions()._repr_html_() + near._repr_html_())


# --------------------------------------------------------------------------------------
# The drawing view
# --------------------------------------------------------------------------------------


def test_show_boxes_every_located_feature_where_it_sits(sample):
    d = sample.metadata.set_index("drawing_number").loc["WF-1015", "drawing_id"]
    view = sample.show(d, labels=True)
    tags = Tags(view.to_html())
    img = sample.images[(sample.images["drawing_id"] == d) & (sample.images["kind"] == "sheet")].iloc[0]
    (svg,) = tags.all("svg")
    assert svg["viewbox"] == f"0 0 {img['width']} {img['height']}"  # the boxes are in the sheet's pixels
    rects = tags.all("rect")
    pos = sample.positions[(sample.positions["drawing_id"] == d) & (sample.positions["page"] == 0)]
    feats = sample.features[sample.features["drawing_id"] == d]
    located = pos[pos["reference_id"].isin(feats["reference_id"])]
    assert len(rects) == len(located) == view.n_boxes == 28
    got = sorted((float(r["x"]), float(r["y"])) for r in rects)
    stroke = float(rects[0]["stroke-width"])
    want = sorted((x - 2 * stroke, y - 2 * stroke) for x, y in zip(located["x_min"], located["y_min"], strict=True))
    assert np.asarray(got) == pytest.approx(np.asarray(want), abs=0.06)
    tables = located.merge(feats[["reference_id", "table"]], on="reference_id")["table"]
    assert sorted(r["stroke"] for r in rects) == sorted(TABLE_COLORS.get(t, views.OTHER_COLOR) for t in tables)
    assert len(tags.all("text")) == 28  # labels=True
    # The features table lists every feature of the drawing, with limits.
    assert f"features ({len(feats)})" in view.to_html()
    assert repr(view) == f"<DrawingView: WF-1015 ({d}), page 0, 28 features boxed>"


def test_show_coloured_by_tolerance_source(sample):
    d = sample.drawing_ids[0]
    rects = Tags(sample.show(d, color_by="tolerance_source").to_html()).all("rect")
    boxes = _images.feature_boxes(sample, d, 0)
    want = sorted(
        SOURCE_COLORS.get(s, views.OTHER_COLOR) if pd.notna(s) else views.OTHER_COLOR for s in boxes["tolerance_source"]
    )
    assert sorted(r["stroke"] for r in rects) == want
    assert not Tags(sample.show(d).to_html()).all("text")  # no labels by default


def test_show_a_drawing_without_a_sheet_or_with_bad_arguments(corpus):
    view = corpus.show("C-noimage")
    assert "no sheet image" in view.to_html() and "<svg" not in view.to_html()
    assert "features (" in view.to_html()
    with pytest.raises(KeyError, match="no drawing 'nope'"):
        corpus.show("nope")
    with pytest.raises(ValueError, match="color_by"):
        corpus.show("A-hostile", color_by="material")


# --------------------------------------------------------------------------------------
# Crops
# --------------------------------------------------------------------------------------


def test_crops_of_the_tightest_features(sample):
    tight = sample.dimensions.nsmallest(10, "tolerance_width_mm")
    crops = tight.w24.crops()
    assert repr(crops) == "<Crops: 10 features, 10 with a crop>"
    tags = Tags(crops.to_html())
    imgs = tags.all("img")
    assert len(imgs) == 10
    red = (0xD6, 0x27, 0x28)
    for attrs in imgs:
        img = decoded(attrs["src"]).convert("RGB")
        assert img.width <= 320 and img.height <= 120
        # The feature is outlined in red (a palette PNG keeps the colour within a step or two).
        assert (np.abs(np.asarray(img).astype(int) - red).max(axis=2) <= 8).any()
    # The rows keep their order; labels and limits are shown beside the crops.
    text = " ".join(tags.text)
    positions = [text.index(label) for label in tight["label"]]
    assert positions == sorted(positions)
    assert wf.crops(tight, sample).to_html() == crops.to_html()


def test_a_crop_shows_the_spot_of_the_feature(corpus):
    """On the hand-drawn sheet each dimension's spot holds a black box: its crop is centred on it."""
    dims = corpus.dimensions
    row = dims[(dims["drawing_id"] == "A-hostile") & (dims["reference_id"] == 103)]
    (attrs,) = Tags(row.w24.crops().to_html()).all("img")
    img = decoded(attrs["src"]).convert("L")
    x0, y0, x1, y1 = pc.POSITIONS[103]
    pad = max(10, 0.35 * max(x1 - x0, y1 - y0))  # context around the box, clipped at the sheet's edge
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    w, h = int(x1 + pad) + 1 - left, int(y1 + pad) + 1 - top
    assert (w, h) == (81, 51)  # the crop, which is then enlarged (at most 3 times) to fill 320 x 120
    scale = min(320 / w, 120 / h, 3)
    assert img.size == (round(w * scale), round(h * scale))
    cx, cy = ((x0 + x1) / 2 - left) * scale, ((y0 + y1) / 2 - top) * scale
    assert img.getpixel((cx, cy)) < 50  # the black box
    assert img.getpixel((cx, 2)) > 200  # white above it


def test_crops_say_why_a_row_has_none(corpus):
    dims = corpus.dimensions
    rows = pd.concat(
        [
            dims[(dims["drawing_id"] == "B-plain") & (dims["reference_id"] == 101)],  # position missing
            dims[dims["drawing_id"] == "C-noimage"].head(1),
            dims[dims["drawing_id"] == "D-broken"].head(1),
            dims[(dims["drawing_id"] == "B-plain") & (dims["reference_id"] == 100)],
        ]
    )
    crops = rows.w24.crops()
    assert repr(crops) == "<Crops: 4 features, 1 with a crop>"
    text = " ".join(Tags(crops.to_html()).text)
    for why in ("not located", "no sheet image", "sheet image cannot be read"):
        assert why in text


def test_crops_need_their_corpus_and_columns(corpus, sample):
    mixed = pd.concat([corpus.dimensions.head(2), sample.dimensions.head(2)])
    with pytest.raises(ValueError, match="which corpus"):
        mixed.w24.crops()
    assert len(wf.crops(corpus.dimensions.head(2), corpus)) == 2
    with pytest.raises(KeyError, match="reference_id"):
        corpus.dimensions[["drawing_id", "page", "label"]].w24.crops()
    many = sample.dimensions.w24.crops(max_rows=3)
    assert len(many) == 3
    assert f"{len(sample.dimensions) - 3} more rows not shown (max_rows=3)" in many.to_html()


def test_the_accessor_lists_crops():
    assert "crops" in dir(wf.sample_corpus().dimensions.w24)
