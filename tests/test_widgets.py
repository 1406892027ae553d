"""The interactive gallery, driven in plain Python: its children, filters, paging, clicks and
detail view (werk24_frames.widgets)."""

from __future__ import annotations

import ipywidgets
import pandas as pd
import picture_corpus as pc
import pytest
import traitlets
from test_views import Tags, assert_safe

import werk24_frames as wf
from werk24_frames import _images, views
from werk24_frames.widgets import Gallery

_instances = ipywidgets.widgets.widget._instances  # every live widget model


@pytest.fixture(scope="module")
def sample():
    return wf.sample_corpus()


@pytest.fixture
def gallery(sample):
    return sample.gallery(page_size=10, size=80)


def finest_grades(corpus) -> pd.Series:
    """Each drawing's finest IT grade, worked out from the features table."""
    f = corpus.features
    f = f[f["table"].isin(["dimensions", "bores", "chamfers", "radii"])]
    return f.groupby("drawing_id")["it_grade"].min()


def test_the_widget_tree(gallery):
    filters, paging, grid, opener, detail_box = gallery.children
    assert list(filters.children) == [gallery.search, gallery.material, gallery.category, gallery.it_grade]
    assert list(paging.children) == [gallery.prev, gallery.next, gallery.status]
    assert (grid, opener, detail_box) == (gallery.grid, gallery.open_buttons, gallery.detail_box)
    assert list(detail_box.children) == [gallery.close_button, gallery.detail]
    assert detail_box.layout.display == "none"
    assert isinstance(gallery.grid, ipywidgets.HTML)


def test_paging(gallery, sample):
    ids = sample.drawing_ids
    numbers = sample.metadata.set_index("drawing_id")["drawing_number"]
    assert gallery.status.value == "drawings 1–10 of 44 · page 1 of 5"
    assert gallery.prev.disabled and not gallery.next.disabled
    assert [v for _, v in gallery.open_buttons.options] == ids[:10]
    assert [label for label, _ in gallery.open_buttons.options] == list(numbers[ids[:10]])
    assert len(Tags(gallery.grid.value).all("figure")) == 10
    gallery.next.click()
    gallery.next.click()
    assert gallery.status.value == "drawings 21–30 of 44 · page 3 of 5"
    assert [v for _, v in gallery.open_buttons.options] == ids[20:30]
    gallery.go(99)
    assert gallery.status.value == "drawings 41–44 of 44 · page 5 of 5"
    assert gallery.next.disabled and not gallery.prev.disabled
    assert len(Tags(gallery.grid.value).all("figure")) == 4
    gallery.prev.click()
    assert gallery.page == 3
    gallery.go(-5)
    assert gallery.page == 0


def test_the_tiles_show_the_drawing_numbers_in_order(gallery, sample):
    numbers = sample.metadata.set_index("drawing_id")["drawing_number"]
    alts = [a["alt"] for a in Tags(gallery.grid.value).all("img")]
    assert alts == [f"sheet image of {numbers[d]}" for d in sample.drawing_ids[:10]]


def test_the_filter_choices_count_the_drawings(gallery, sample):
    counts = sample.metadata["material"].value_counts()
    options = {v: label for label, v in gallery.material.options}
    assert options[None] == "(all)"
    for material, n in counts.items():
        assert options[material] == f"{material} ({n})"
    # material families, as everywhere else, not Werk24's raw categories (FERROUS_ALLOY)
    assert {v for _, v in gallery.family.options} == {None, *sample.metadata["material_family"].dropna()}
    assert gallery.category is gallery.family
    assert [v for _, v in gallery.it_grade.options] == [None, *sorted(finest_grades(sample).unique())]


def test_filters(gallery, sample):
    meta = sample.metadata.set_index("drawing_id")
    gallery.go(2)
    gallery.material.value = "42CrMo4"
    assert gallery.matches == list(meta.index[meta["material"] == "42CrMo4"])
    assert gallery.page == 0  # a new filter starts at the first page
    gallery.material.value = None
    gallery.family.value = "aluminium"
    assert gallery.matches == list(meta.index[meta["material_family"] == "aluminium"])
    assert len(gallery.matches) > 0
    gallery.family.value = None
    gallery.it_grade.value = 6
    finest = finest_grades(sample)
    assert gallery.matches == [d for d in sample.drawing_ids if finest.get(d, 99) <= 6]
    assert len(gallery.matches) > 0
    gallery.it_grade.value = None
    gallery.search.value = "  ShAfT "  # case-insensitive, in the designation
    want = [d for d in sample.drawing_ids if "shaft" in str(meta.loc[d, "designation"]).lower()]
    assert gallery.matches == want and len(want) > 0
    gallery.search.value = "WF-1015"  # the drawing number
    assert [meta.loc[d, "drawing_number"] for d in gallery.matches] == ["WF-1015"]
    gallery.search.value = "housing.pdf"  # the file name
    assert gallery.matches == [d for d in sample.drawing_ids if meta.loc[d, "source"].endswith("housing.pdf")]
    with pytest.raises(traitlets.TraitError):  # not among the options: refused by the widget
        gallery.material.value = "no such"


def test_filters_combine_and_an_empty_result_says_so(gallery, sample):
    meta = sample.metadata.set_index("drawing_id")
    gallery.material.value = "42CrMo4"
    gallery.search.value = "plate"
    want = [
        d for d in sample.drawing_ids if meta.loc[d, "material"] == "42CrMo4" and "PLATE" in meta.loc[d, "designation"]
    ]
    assert gallery.matches == want and 0 < len(want) < 44
    gallery.search.value = "nothing like this"
    assert gallery.matches == []
    assert "no drawing matches the filters" in gallery.grid.value
    assert gallery.status.value == "0 of 44 drawings"
    assert gallery.open_buttons.options == ()
    assert gallery.prev.disabled and gallery.next.disabled


def test_a_click_opens_the_drawing_and_close_closes_it(gallery, sample):
    gallery.next.click()
    label, drawing_id = gallery.open_buttons.options[3]
    gallery.open_buttons.value = drawing_id  # what a click on that button does
    assert gallery.detail_box.layout.display is None
    html = gallery.detail.value
    assert html == sample.show(drawing_id).to_html()
    assert label in " ".join(Tags(html).text)
    rects = Tags(html).all("rect")
    assert len(rects) == len(_images.feature_boxes(sample, drawing_id, 0)) > 0
    gallery.close_button.click()
    assert gallery.detail_box.layout.display == "none"
    assert gallery.detail.value == ""
    assert gallery.open_buttons.value is None
    gallery.select(sample.drawing_ids[-1])  # also from code, off the page
    assert gallery.detail_box.layout.display is None
    with pytest.raises(KeyError, match="no drawing 'nope'"):
        gallery.select("nope")


def test_paging_closes_no_detail_but_resets_the_buttons(gallery):
    gallery.open_buttons.value = gallery.open_buttons.options[0][1]
    gallery.next.click()
    assert gallery.open_buttons.value is None  # the buttons are the new page's
    assert gallery.detail_box.layout.display is None  # the open drawing stays open


def test_the_number_of_widgets_does_not_grow_with_drawings_or_pages(sample, tmp_path):
    """Widget models are what a notebook pays for: their number must not depend on the corpus."""
    before = len(_instances)
    small = Gallery(pc.build(tmp_path / "r"), page_size=10)
    n_small = len(_instances) - before
    before = len(_instances)
    big = Gallery(sample, page_size=10)
    n_big = len(_instances) - before
    assert n_small == n_big
    before = len(_instances)
    for _ in range(big.n_pages):
        big.next.click()
    big.material.value = "C45"
    big.open_buttons.value = big.open_buttons.options[0][1]
    assert len(_instances) == before
    small.close()
    big.close()


def test_only_the_visible_page_is_encoded(sample, monkeypatch):
    made: list[tuple] = []
    real = _images.thumbnail

    def counting(corpus, key, width, height):
        made.append(key)
        return real(corpus, key, width, height)

    monkeypatch.setattr(_images, "thumbnail", counting)
    g = Gallery(sample, page_size=6, size=50)
    assert [k[0] for k in made] == sample.drawing_ids[:6]
    g.next.click()
    assert [k[0] for k in made[6:]] == sample.drawing_ids[6:12]


def test_placeholders_and_hostile_text_in_the_gallery(tmp_path):
    c = pc.build(tmp_path / "r")
    g = Gallery(c, page_size=10)
    tags = Tags(g.grid.value)
    assert len(tags.all("figure")) == 5 and len(tags.all("img")) == 2
    assert "sheet image cannot be read" in g.grid.value
    assert_safe(g.grid.value)
    assert ("DWG-" + pc.HOSTILE, "A-hostile") in g.open_buttons.options  # a button label is text, not HTML
    g.open_buttons.value = "A-hostile"
    assert_safe(g.detail.value)
    assert len(c.table("problems")) == 1  # the corrupt sheet, once


def test_legacy_thumbnails_as_tiles(tmp_path):
    c = pc.build(tmp_path / "r")
    g = Gallery(c, page_size=10, kind=["sheet", "canvas"])  # the first of these a drawing has
    alts = [a["alt"] for a in Tags(g.grid.value).all("img")]
    assert alts == ["sheet image of DWG-" + pc.HOSTILE, "sheet image of DWG-0815", "canvas image of DWG-0815"]


def test_an_empty_gallery_filled_as_drawings_arrive(sample, tmp_path):
    g = Gallery(page_size=5)
    assert len(g) == 0 and "no drawings yet" in g.grid.value
    assert g  # still a widget to display
    g.add(sample)
    assert len(g) == 44 and g.status.value == "drawings 1–5 of 44 · page 1 of 9"
    g.material.value = "C45"
    chosen = list(g.matches)
    g.add(sample)  # the same drawings again: replaced, not doubled; the filter stays
    assert len(g) == 44 and g.material.value == "C45" and g.matches == chosen
    g.add(pc.build(tmp_path / "r"))
    assert len(g) == 49
    assert g.material.value == "C45"
    n = int((sample.metadata["material"] == "42CrMo4").sum())
    assert {v: label for label, v in g.material.options}["42CrMo4"] == f"42CrMo4 ({n + 5})"  # five more drawings


def test_bad_arguments(sample):
    with pytest.raises(ValueError, match="page_size"):
        Gallery(sample, page_size=0)
    with pytest.raises(ValueError, match="kind must be"):
        Gallery(sample, kind="photo")
    assert repr(Gallery(sample, page_size=20)) == "<Gallery: 44 drawings, 44 shown in 3 pages>"


def test_the_cards_carry_what_the_filters_use(sample):
    cards = views.drawing_cards(sample)
    assert list(cards.columns) == list(views.CARD_COLUMNS)
    assert list(views.empty_cards().columns) == list(views.CARD_COLUMNS)
    assert list(cards.index) == sample.drawing_ids
    pd.testing.assert_series_equal(
        cards["finest_it_grade"].dropna(),
        finest_grades(sample).astype("Int64"),
        check_names=False,
        check_index_type=False,
    )
