"""The HTML report: self-contained, complete, escaped, and in step with the corpus.

The page is parsed with the standard library's HTMLParser, so these tests check what a browser
would see (tags, attributes, text), not substrings of our own output. ``test_browser.py`` opens
it in Chromium.
"""

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


class Page(HTMLParser):
    """Tags with attributes, and the text inside each ``<section id=...>``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._section: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self._section = a["id"]
            self.text[self._section] = []

    def handle_data(self, data):
        if self._section:
            self.text[self._section].append(data)

    def section(self, key: str) -> str:
        return " ".join(" ".join(self.text[key]).split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def section_html(html: str, key: str) -> str:
    m = re.search(f'<section id="{key}">(.*?)</section>', html, re.S)
    assert m, key
    return m.group(1)


@pytest.fixture(scope="module")
def sample():
    return wf.sample_corpus()


@pytest.fixture(scope="module")
def rep(sample):
    return wf.report(sample, max_thumbnails=8, n_tightest=5)


def test_the_report_is_one_self_contained_page(rep):
    page = Page(rep.html)
    assert rep.html.startswith("<!DOCTYPE html>")
    # Nothing is fetched: no script, no stylesheet link, no frame, and every src is a data URI.
    assert not [t for t, _ in page.tags if t in {"script", "link", "iframe", "object", "embed"}]
    sources = [a["src"] for t, a in page.tags if "src" in a]
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert all(a["href"].startswith("#") for a in page.find("a"))
    # Every image is a real PNG; a plot's tag gives its pixel size (100 dpi).
    for a in page.find("img"):
        png = Image.open(io.BytesIO(base64.b64decode(a["src"].split(",", 1)[1])))
        png.verify()
        assert png.format == "PNG"
        if "chart" in (a["alt"] or "") or "against" in (a["alt"] or ""):
            assert png.size == (int(a["width"]), int(a["height"]))


def test_it_has_every_section_and_the_plots(rep):
    assert rep.sections == ("Summary", "Tolerances", "Materials", "Audit", "Tightest features", "Drawings", "Problems")
    page = Page(rep.html)
    assert [a["id"] for a in page.find("section")] == [
        "summary",
        "tolerances",
        "materials",
        "audit",
        "tightest",
        "drawings",
        "problems",
    ]
    assert [a["href"] for a in page.find("a")][:7] == [f"#{a['id']}" for a in page.find("section")]
    alts = {a["alt"] for a in page.find("img")}
    for alt in (
        "bar chart of features per IT grade",
        "tolerance width against nominal size",
        "where each drawing's tolerances come from",
        "drawings per material",
        "weight of the parts per material family",
    ):
        assert alt in alts


def test_the_figures_agree_with_the_corpus(sample, rep):
    page = Page(rep.html)
    summary = page.section("summary")
    findings = wf.audit(sample)
    n_warn = int((findings["severity"] == "warning").sum())
    assert f"{len(sample)} drawings" in summary
    assert f"{len(sample.features):,} features" in summary
    assert f"{n_warn} audit warnings" in summary
    sev = sample.table("problems")["severity"].value_counts()  # every row counts, info included
    assert f"{sev.get('error', 0)} reading errors" in summary
    assert f"{sev.get('warning', 0)} reading warnings" in summary
    assert f"dimensions {len(sample.dimensions)}" in summary
    # The audit lists every finding (fewer than max_rows here), warnings before infos.
    audit_html = section_html(rep.html, "audit")
    severities = re.findall(r'<td class="sev-(\w+)">', audit_html)
    by_check = findings.groupby(["check", "severity"]).size()
    assert len(severities) == len(by_check) + len(findings)
    listed = severities[len(by_check) :]
    order = {"error": 0, "warning": 1, "info": 2}
    assert listed == sorted(listed, key=order.get)
    # The tightest features: the five narrowest tolerance zones, each with a crop.
    tight = wf.stats.tightest(sample, 5)
    crops = [a for a in page.find("img") if a["alt"] in set(tight["label"])]
    assert len(crops) == 5
    # The thumbnails: the first eight drawings, and a note about the rest.
    thumbs = [a for a in page.find("img") if (a["alt"] or "").startswith("sheet image of")]
    assert len(thumbs) == 8
    assert f"{len(sample) - 8} more drawings not shown" in page.section("drawings")


def test_drawing_text_is_escaped(tmp_path):
    corpus = pc.build(tmp_path)
    html = wf.report(corpus).html
    page = Page(html)
    # The hostile designation is text on the page, never an element or an attribute.
    assert not [a for a in page.find("img") if a.get("onerror")]
    assert pc.HOSTILE in " ".join(" ".join(v) for v in page.text.values())
    assert pc.HOSTILE not in html


def test_problems_met_while_drawing_are_in_the_same_report(tmp_path):
    corpus = pc.build(tmp_path)  # holds a sheet that cannot be decoded
    rep = wf.report(corpus)
    page = Page(rep.html)
    problems = corpus.table("problems")
    assert len(problems) >= 1  # found while drawing the thumbnails, reported in the same page
    assert "images[sheet, page 0, #0]" in page.section("problems")
    sev = problems["severity"].value_counts()
    assert f"{sev.get('error', 0)} reading errors" in page.section("summary")
    assert f"{sev.get('warning', 0)} reading warnings" in page.section("summary")


def test_pyplot_is_left_alone(sample):
    plt = pytest.importorskip("matplotlib.pyplot")
    before = plt.get_fignums()
    wf.report(sample, max_thumbnails=1, n_tightest=1)
    assert plt.get_fignums() == before


def test_save_writes_the_page_and_refuses_a_folder(rep, tmp_path):
    path = rep.save(tmp_path / "r.html")
    assert path.read_text(encoding="utf-8") == rep.html
    with pytest.raises(IsADirectoryError, match="is a folder"):
        rep.save(tmp_path)


def test_a_long_table_stops_at_max_rows_with_a_note(tmp_path):
    import builders

    # Seven drawings whose stated weight is ten times volume x density.
    for i in range(7):
        meta = builders.meta_data()
        meta["weight"] = {"reference_id": 9, "value": "1000", "unit": "kg"}
        builders.write_json(tmp_path / f"d{i}" / "a.json", [meta, builders.insights()])
    corpus = wf.load(tmp_path)
    odd = wf.stats.weight_check(corpus)
    assert int((~odd["plausible"].astype(bool)).sum()) == 7
    html = section_html(wf.report(corpus, max_rows=3).html, "materials")
    weights = html.split("Weights that disagree", 1)[1]
    assert weights.count("<tr>") == 1 + 3  # the header and three rows
    assert "4 more rows not shown." in weights


def test_the_problems_table_shows_errors_first_when_it_is_cut(tmp_path):
    import builders

    features = builders.features()
    features["dimensions"][0]["size"]["value"] = "twelve"  # a warning
    for i in range(4):
        builders.write_json(tmp_path / f"warn{i}.json", [features])
    (tmp_path / "zz-broken.json").write_text("{not json", encoding="utf-8")  # an error, met last
    corpus = wf.load(tmp_path)
    assert corpus.table("problems")["severity"].tolist()[-1] == "error"
    html = section_html(wf.report(corpus, max_rows=2).html, "problems")
    rows = html.split("<tr>")[2:]  # after the header
    assert len(rows) == 2 and "zz-broken.json" in rows[0] and "warn" in rows[1]


def test_cells_show_lists_numbers_and_ids_readably():
    from werk24_frames.report import _cell

    assert _cell(np.array([1.0, 2.0, 3.5, 4.0]), "polygon") == ("(1, 2), (3.5, 4)", False)  # the points
    assert _cell(12345, "reference_id") == ("12345", True)
    assert _cell(12345, "n_features") == ("12,345", True)
    assert _cell(12345.678, "weight_kg") == ("12,345.7", True)
    assert _cell(0.0508, "tolerance_width_mm") == ("0.0508", True)
    assert _cell(0.25, "share_tight") == ("25%", True)
    assert _cell(pd.NA, "x") == ("", False)
    assert _cell("<b>", "label") == ("&lt;b&gt;", False)


# --------------------------------------------------------------------------------------
# The inspection section (issue 20)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inspected(sample):
    from inspection_plans import synthetic_measurements

    plan = wf.inspection_plan(sample)
    measured = synthetic_measurements(plan[plan["drawing_number"].isin(["WF-1015", "WF-1009"])], parts=30, seed=2)
    measured.loc[len(measured)] = ["WF-1015", 999, "SN001", 1.0]  # no such balloon: a problem row
    rep = wf.report(sample, max_thumbnails=2, n_tightest=2, plan=plan, measurements=measured)
    return plan, measured, rep


def test_the_inspection_section(inspected):
    plan, measured, rep = inspected
    assert rep.sections == (
        "Summary", "Tolerances", "Materials", "Audit", "Tightest features", "Inspection", "Drawings", "Problems",
    )  # fmt: skip
    cap = wf.inspection.capability(plan, measured, warn=False)
    measured_cap = cap[cap["n"] > 0]
    html = section_html(rep.html, "inspection")
    text = Page(rep.html).section("inspection")
    verdicts = measured_cap["verdict"].value_counts()
    assert f"{verdicts['not capable']} not capable" in text
    assert f"{verdicts['capable']} capable (Cpk ≥ 1.33)" in text
    assert f"{len(measured_cap)} characteristics measured" in text
    assert f"{len(measured) - 1:,} values measured" in text
    # verdict colours: one coloured cell per measured characteristic, worst first
    classes = re.findall(r'<td class="v-([a-z-]+)">', html)
    assert len(classes) == len(measured_cap)
    ranks = [
        {"not-capable": 0, "undetermined": 1, "too-few-values": 2, "capable": 3, "no-limits": 4}[c] for c in classes
    ]
    assert ranks == sorted(ranks)
    # the worst characteristic comes first, with the lowest Cpk
    worst = measured_cap.sort_values("cpk").iloc[0]
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", html.split("Capability (")[1], re.S).group(1)
    assert f"<td>{worst['drawing_number']}</td>" in first_row
    # capability plots of the four worst, named in their alt text
    alts = [a["alt"] for a in Page(html).find("img")]
    assert len(alts) == 4 and all(a.startswith("capability of balloon") for a in alts)
    assert alts[0].startswith(f"capability of balloon {worst['characteristic']} of {worst['drawing_number']}")
    # the value without a characteristic is a problem row, named with its place
    assert "the plan has no characteristic 999" in text
    # the plan per drawing comes last
    assert "Inspection plan (1,204 characteristics on 44 drawings)" in text


def test_the_inspection_section_with_a_plan_only(sample):
    plan = wf.inspection_plan(sample.select(["WF-1015", "WF-1009"]))
    rep = wf.report(sample, max_thumbnails=1, n_tightest=1, plan=plan)
    text = Page(rep.html).section("inspection")
    assert f"Inspection plan ({len(plan):,} characteristics on 2 drawings)" in text
    assert "Capability" not in text


def test_inspection_text_from_drawings_is_escaped(tmp_path):
    corpus = pc.build(tmp_path)
    plan = wf.inspection_plan(corpus)
    hostile = plan[plan["label"].astype("string").str.contains("onerror", na=False)]
    assert len(hostile)  # the hostile dimension label made it into the plan
    row = hostile.iloc[0]
    rng = np.random.default_rng(0)
    base = row["nominal"] if pd.notna(row["nominal"]) else 1.0
    measured = pd.DataFrame(
        {
            "drawing": row["drawing_id"],
            "characteristic": int(row["characteristic"]),
            "part": [f"<b>P{i}</b>" for i in range(10)],
            "value": list(base + rng.normal(0, 0.5, 10)),
        },
        dtype=object,
    )
    measured.loc[len(measured)] = [pc.HOSTILE, 1, pc.HOSTILE, "<script>"]  # hostile cells become problem rows
    html = wf.report(corpus, plan=plan, measurements=measured).html
    page = Page(html)
    assert pc.HOSTILE not in html
    assert "<script>" not in html
    assert not [a for a in page.find("img") if a.get("onerror")]
    assert pc.HOSTILE in page.section("inspection")
