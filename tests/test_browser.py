"""The gallery, thumbnails, drawing view and crops rendered in a real browser.

The gallery is exported with ipywidgets' embedding, its JavaScript (the npm package
``@jupyter-widgets/html-manager``) served on loopback, and opened in Debian's headless
Chromium, which ``.ci/run`` installs; these tests fail in CI (``CI`` set) when it is missing and
are skipped elsewhere. Screenshots go to the test's temporary folder, and to
``$W24_SCREENSHOTS`` when that is set.
"""

from __future__ import annotations

import os
import shutil

import browser_page
import pandas as pd
import picture_corpus as pc
import pytest

import werk24_frames as wf
from werk24_frames import _images

pytestmark = pytest.mark.slow

_lacking = browser_page.missing()
if _lacking and os.environ.get("CI"):
    raise RuntimeError(f"the browser tests need {', '.join(_lacking)}; .ci/run installs them")
if _lacking:
    pytest.skip(f"no browser here: {', '.join(_lacking)} (see .ci/run)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    with browser_page.serve(root) as url:
        yield root, url


@pytest.fixture(scope="module")
def chromium():
    with browser_page.browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    p = chromium.new_page(viewport={"width": 1280, "height": 900})
    p.dialogs = []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    p.close()


def screenshot(page, tmp_path, name, full_page=True):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000  # a real picture, not a blank page
    if os.environ.get("W24_SCREENSHOTS"):
        shutil.copy(path, os.environ["W24_SCREENSHOTS"])
    return path


def test_the_gallery_renders_with_its_images(site, page, tmp_path):
    root, url = site
    corpus = wf.sample_corpus()
    gallery = corpus.gallery()
    browser_page.export_widget(gallery, root / "gallery.html", url)
    page.goto(f"{url}/gallery.html")
    page.wait_for_selector(".widget-html img", timeout=15_000)
    widths = browser_page.image_widths(page, ".widget-html img")
    assert len(widths) == 12 and all(w > 0 for w in widths), widths
    buttons = page.locator(".widget-toggle-button").all_inner_texts()
    numbers = corpus.metadata.set_index("drawing_id")["drawing_number"]
    assert [b.strip() for b in buttons] == list(numbers[corpus.drawing_ids[:12]])
    assert "drawings 1–12 of 44" in page.inner_text("body")
    assert page.locator("select").count() == 3  # material, category, IT grade
    assert not page.errors, page.errors
    screenshot(page, tmp_path, "widgets_gallery")


def test_the_opened_drawing_renders_with_its_boxes(site, page, tmp_path):
    root, url = site
    corpus = wf.sample_corpus()
    gallery = corpus.gallery(page_size=4)
    d = corpus.metadata.set_index("drawing_number").loc["WF-1015", "drawing_id"]
    gallery.select(d)
    browser_page.export_widget(gallery, root / "detail.html", url)
    page.goto(f"{url}/detail.html")
    page.wait_for_selector(".w24-drawing svg rect", timeout=15_000)
    widths = browser_page.image_widths(page, ".w24-drawing img")
    assert len(widths) == 1 and widths[0] > 0
    assert page.locator(".w24-drawing svg rect").count() == len(_images.feature_boxes(corpus, d, 0)) == 28
    # The overlay lies on the sheet: the SVG has the rendered image's size.
    img = page.locator(".w24-drawing img").bounding_box()
    svg = page.locator(".w24-drawing svg").bounding_box()
    assert (round(svg["width"]), round(svg["height"])) == (round(img["width"]), round(img["height"]))
    screenshot(page, tmp_path, "widgets_detail")


def test_static_thumbnails_view_and_crops_render_without_a_kernel(site, page, tmp_path):
    root, url = site
    corpus = wf.sample_corpus()
    parts = [
        corpus.thumbnails(by="material_family", max_images=4, size=160).to_html(),  # at most 4 per family
        corpus.dimensions.nsmallest(6, "tolerance_width_mm").w24.crops().to_html(),
    ]
    browser_page.export_html("<hr>".join(parts), root / "static.html")
    page.goto(f"{url}/static.html")
    widths = browser_page.image_widths(page)
    n_tiles = int(corpus.metadata["material_family"].value_counts().clip(upper=4).sum())
    assert len(widths) == n_tiles + 6 and all(w > 0 for w in widths), widths
    screenshot(page, tmp_path, "widgets_static")


def test_hostile_text_does_not_run_in_the_browser(site, page, tmp_path):
    root, url = site
    corpus = pc.build(tmp_path / "responses")
    gallery = corpus.gallery()
    gallery.select("A-hostile")
    browser_page.export_widget(gallery, root / "hostile.html", url)
    browser_page.export_html(
        corpus.thumbnails().to_html()
        + corpus.dimensions.w24.crops().to_html()
        # what a notebook shows of a corpus and of one drawing (issue 22), hostile text included
        + corpus._repr_html_()
        + corpus["A-hostile"]._repr_html_()
        # issue 21: two revisions side by side, the change rows and the similar parts
        + wf.views.compare(corpus, corpus, "A-hostile").to_html()
        + wf.compare(corpus, corpus, mapping={"A-hostile": "B-plain"})._repr_html_()
        + wf.similar(corpus, "A-hostile", k=2)._repr_html_(),
        root / "hostile_static.html",
    )
    for name in ("hostile.html", "hostile_static.html"):
        page.goto(f"{url}/{name}")
        page.wait_for_selector("figure", timeout=15_000)
        page.wait_for_timeout(300)
        assert page.locator('img[src="x"]').count() == 0
        assert page.dialogs == []
        assert pc.HOSTILE in page.inner_text("body")  # shown as text


def test_hostile_text_in_the_reports_inspection_section_does_not_run(page, tmp_path):
    corpus = pc.build(tmp_path / "responses")
    plan = wf.inspection_plan(corpus)
    row = plan[plan["label"].astype("string").str.contains("onerror", na=False)].iloc[0]
    measured = pd.DataFrame(
        {
            "drawing": [row["drawing_id"]] * 6 + [pc.HOSTILE],
            "characteristic": [int(row["characteristic"])] * 6 + [1],
            "part": [f"P{i}" for i in range(6)] + [pc.HOSTILE],
            "value": [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, pc.HOSTILE],
        }
    )
    path = wf.report(corpus, plan=plan, measurements=measured).save(tmp_path / "report.html")
    page.goto(path.as_uri())
    page.wait_for_selector("#inspection", timeout=15_000)
    assert page.locator('img[src="x"]').count() == 0
    assert page.dialogs == []
    assert pc.HOSTILE in page.inner_text("#inspection")  # shown as text
    assert not page.errors, page.errors


def test_the_report_opens_from_disk_complete_and_fetches_nothing(page, tmp_path):
    corpus = wf.sample_corpus()
    report = corpus.report()
    path = report.save(tmp_path / "report.html")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(path.as_uri())
    widths = browser_page.image_widths(page)
    assert len(widths) == report.html.count("<img ") and all(w > 0 for w in widths), widths
    assert [u for u in fetched if not u.startswith("data:")] == [path.as_uri()]
    headings = page.locator("section > h2").all_inner_texts()
    assert headings == list(report.sections)
    screenshot(page, tmp_path, "report", full_page=False)  # the top, as the README shows it
    # The navigation jumps to a section (under the sticky bar).
    page.click("nav a[href='#audit']")
    page.wait_for_function("Math.abs(document.getElementById('audit').getBoundingClientRect().top) < 80")
    assert page.locator("#audit td.sev-warning").count() > 0
    assert not page.errors, page.errors


def test_a_click_on_a_tile_opens_it_and_the_filters_show_their_choice(site, page, tmp_path):
    """Issue 22: clicking a tile clicks its open button (which the kernel sees as the value of one
    widget); the filters show "(all)" before a choice instead of an empty box."""
    root, url = site
    corpus = wf.sample_corpus()
    gallery = corpus.gallery(page_size=6)
    browser_page.export_widget(gallery, root / "click.html", url)
    page.goto(f"{url}/click.html")
    page.wait_for_selector(".w24-tile img", timeout=15_000)
    shown = page.eval_on_selector_all("select", "els => els.map(e => e.options[e.selectedIndex]?.text ?? '')")
    assert shown == ["(all)", "(all)", "any"], shown
    families = page.eval_on_selector_all(
        "select", "els => Array.from(els[1].options).map(o => o.text.replaceAll('\\u00a0', ' '))"
    )
    assert "steel (29)" in families and not [f for f in families if f.isupper()]
    assert page.locator(".w24-open button.mod-active").count() == 0
    page.locator(".w24-tile").nth(2).click()
    active = page.locator(".w24-open button.mod-active")
    assert active.count() == 1
    numbers = corpus.metadata.set_index("drawing_id")["drawing_number"]
    assert active.inner_text().strip() == numbers[corpus.drawing_ids[2]]
    assert not page.errors, page.errors


def test_the_report_keeps_its_tables_readable_on_a_narrow_screen(chromium, tmp_path):
    """Issue 22: under ~800 px the findings table squeezed each row to ~112 px high; now the table
    keeps its width and scrolls sideways inside its box."""
    page = chromium.new_page(viewport={"width": 700, "height": 900})
    try:
        path = wf.sample_corpus().report(max_thumbnails=2, n_tightest=2).save(tmp_path / "narrow.html")
        page.goto(path.as_uri())
        heights = page.eval_on_selector_all("#audit table.w24 tbody tr", "rows => rows.map(r => r.offsetHeight)")
        assert heights and max(heights) <= 60, max(heights)
        assert page.evaluate("document.documentElement.scrollWidth") <= 700  # the page itself does not scroll
        page.screenshot(path=str(tmp_path / "report_narrow.png"))  # not one of the docs' images
    finally:
        page.close()
