"""The plots, checked through their artists (bars, labels, scales, bands), not their pixels."""

from __future__ import annotations

import io
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.collections import PathCollection, PolyCollection
from small_corpus import small_corpus

import werk24_frames as wf
from werk24_frames import plots


@pytest.fixture(scope="module")
def corpus() -> wf.Corpus:
    return small_corpus()


@pytest.fixture(autouse=True)
def _no_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a plot called plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]


def test_it_grades_one_bar_per_grade(corpus):
    ax = plots.it_grades(corpus)
    bars = _bars(ax)
    # grades 6 … 13 with counts 6:1, 7:2, 10:2, 11:1, 13:2 (see test_stats), zero bars between
    assert [round(b.get_x() + b.get_width() / 2) for b in bars] == list(range(6, 14))
    assert [b.get_height() for b in bars] == [1, 2, 0, 0, 2, 1, 0, 2]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"IT{g}" for g in range(6, 14)]
    assert ax.get_xlabel() == "IT grade (ISO 286)" and ax.get_ylabel() == "features" and ax.get_title()
    dark = {round(b.get_x() + b.get_width() / 2) for b in bars if b.get_facecolor() == bars[0].get_facecolor()}
    assert dark == {6, 7}  # IT7 or finer drawn darker


def test_it_grades_stacked_by_group(corpus):
    ax = plots.it_grades(corpus, by="material_family", tight=6)
    groups = ["aluminium", "stainless steel", "steel"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == groups
    assert len(_bars(ax)) == len(groups) * 8
    # the top of each stack is the total count per grade
    tops = {}
    for b in _bars(ax):
        g = round(b.get_x() + b.get_width() / 2)
        tops[g] = max(tops.get(g, 0), b.get_y() + b.get_height())
    assert tops == {6: 1, 7: 2, 8: 0, 9: 0, 10: 2, 11: 1, 12: 0, 13: 2}


def test_tolerance_vs_size_draws_iso_286_bands(corpus):
    ax = plots.tolerance_vs_size(corpus, grades=range(6, 12))
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 6
    assert [t.get_text().strip() for t in ax.texts] == [f"IT{g}" for g in range(6, 12)]
    # The IT7 band at 8 mm (6-10) runs from IT7 = 15 µm to IT8 = 22 µm (ISO 286-1 Table 1).
    it7 = bands[1].get_paths()[0].vertices
    ys = {round(y, 4) for x, y in it7 if 6.5 < x < 9.5}
    assert ys == {0.015, 0.022}
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    by_label = {t.get_text(): c for t, c in zip(ax.get_legend().get_texts(), points, strict=True)}
    assert set(by_label) == {"explicit (4)", "fit (2)", "general (2)"}
    fits = sorted(map(tuple, np.round(by_label["fit (2)"].get_offsets(), 4)))
    assert fits == [(8.0, 0.015), (20.0, 0.013)]  # Ø8 H7 and Ø20 h6
    assert ax.get_xlabel() == "nominal size (mm)" and ax.get_ylabel() == "tolerance zone width (mm)"


def test_tolerance_sources_one_stacked_bar_per_drawing(corpus):
    ax = plots.tolerance_sources(corpus)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["D-4", "C-3", "B-2", "A-1"]  # most features on top
    widths: dict[float, float] = {}
    for b in _bars(ax):
        widths[b.get_y()] = widths.get(b.get_y(), 0) + b.get_width()
    assert sorted(widths.values()) == [0, 1, 2, 7]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "exact",
        "reference",
        "explicit",
        "fit",
        "general",
        "none",
    ]


def test_materials_bar_chart(corpus):
    ax = plots.materials(corpus)
    names = [t.get_text() for t in ax.get_yticklabels()]
    widths = [b.get_width() for b in _bars(ax)]
    assert dict(zip(names, widths, strict=True)) == {
        "X5CrNi18-10": 2,
        "C45": 1,
        "EN AW-6061": 1,
        "X2CrNiMo17-12-2": 0,
    }
    assert names[-1] == "X5CrNi18-10"  # the most used on top
    assert ax.get_xlabel() == "drawings"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"steel", "stainless steel", "aluminium"}


def test_weight_by_family_boxes(corpus):
    ax = plots.weight_by_family(corpus)
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "weight (kg)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["aluminium", "stainless steel", "steel"]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    ys = sorted(round(float(y), 5) for c in points for _, y in c.get_offsets())
    assert ys == [0.5, round(2.2 * 0.45359237, 5), 1.0]


def test_gdnt_characteristics_bars(corpus):
    ax = plots.gdnt_characteristics(corpus)
    names = [t.get_text() for t in ax.get_xticklabels()]
    heights = [b.get_height() for b in _bars(ax)]
    assert dict(zip(names, heights, strict=True)) == {"flatness": 2, "perpendicularity": 1, "position": 1}
    assert names[0] == "flatness"


def test_fingerprint_compares_a_drawing_with_the_corpus(corpus):
    ax = plots.fingerprint(corpus, "A")
    bars = _bars(ax)
    # A's grades: 6, 7, 7, 11, 13, 13 (6 features); the corpus adds 10, 10 (8 in all)
    assert [round(b.get_height(), 4) for b in bars] == [round(x / 6, 4) for x in (1, 2, 0, 0, 0, 1, 0, 2)]
    step = ax.lines[0].get_ydata()
    assert [round(y, 4) for y in step] == [round(x / 8, 4) for x in (1, 2, 0, 0, 2, 1, 0, 2)]
    assert "A-1" in ax.get_title() and "Ø20 h6" in ax.get_title()
    with pytest.raises(KeyError, match="no drawing"):
        plots.fingerprint(corpus, "nope")


def test_plots_draw_into_the_axes_given_and_through_the_namespaces(corpus):
    fig, axes = plt.subplots(1, 2)
    assert corpus.plot.it_grades(ax=axes[0]) is axes[0]
    assert corpus.dimensions.w24.plot.tolerance_vs_size(ax=axes[1]) is axes[1]
    assert len(fig.axes) == 2


@pytest.mark.parametrize("name", plots.__all__)
def test_every_plot_renders_on_the_sample_without_warnings(name):
    sample = wf.sample_corpus()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a glyph the font lacks
        plot = getattr(plots, name)
        if name == "capability":
            plan = wf.inspection_plan(sample.select("WF-1015"))
            values = np.random.default_rng(0).normal(28.03, 0.002, 30)
            measured = pd.DataFrame({"characteristic": 17, "value": values})
            ax = plot(wf.inspection.capability(plan, measured), 17, measured)
        elif name in ("fingerprint", "drawing"):
            ax = plot(sample, sample.drawing_ids[0])
        else:
            ax = plot(sample)
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_on_an_empty_selection_do_not_fail(corpus):
    empty = corpus.dimensions.iloc[:0]
    ax = empty.w24.plot.it_grades()
    assert ax.texts[0].get_text() == "no IT grades"
    ax = empty.w24.plot.tolerance_vs_size()
    assert ax.get_xscale() == "log"


def test_legend_names_non_text_groups_and_stays_small():
    sample = wf.sample_corpus()
    ax = plots.it_grades(sample, by="n_material_options")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1", "2"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.it_grades(sample, by="drawing_id")  # 44 groups: no legend to crowd the figure
        ax.figure.savefig(io.BytesIO(), format="png")
    assert ax.get_legend() is None


def test_drawing_boxes_every_located_feature_of_the_page():
    sample = wf.sample_corpus()
    d = sample.metadata.set_index("drawing_number").loc["WF-1015", "drawing_id"]
    ax = plots.drawing(sample, d, labels=True)
    feats = sample.features[sample.features["drawing_id"] == d]
    pos = sample.positions[sample.positions["drawing_id"] == d]
    located = feats[feats["reference_id"].isin(pos["reference_id"])]
    boxes = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(boxes) == len(located) > 20
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted(located["reference_id"].astype(int))
    img = sample.images[(sample.images["drawing_id"] == d) & (sample.images["kind"] == "sheet")].iloc[0]
    assert ax.get_xlim() == (0, img["width"]) and ax.get_ylim() == (img["height"], 0)  # y down, as in pixels
    gd = pos[pos["reference_id"].isin(feats.loc[feats["table"] == "gdnts", "reference_id"])].iloc[0]
    box = next(b for b in boxes if b.get_x() == gd["x_min"] - 2 and b.get_y() == gd["y_min"] - 2)
    assert matplotlib.colors.to_hex(box.get_edgecolor()) == plots.TABLE_COLORS["gdnts"]
    by_source = plots.drawing(sample, d, color_by="tolerance_source")
    assert by_source.get_legend().get_title().get_text() == "tolerance_source"


def test_drawing_without_an_image_or_with_a_bad_choice(corpus):
    with pytest.raises(LookupError, match="no sheet image"):
        plots.drawing(corpus, "A")
    sample = wf.sample_corpus()
    with pytest.raises(ValueError, match="color_by"):
        plots.drawing(sample, sample.drawing_ids[0], color_by="material")


def test_drawing_with_a_corrupt_image_names_the_drawing(tmp_path):
    import picture_corpus

    corpus = picture_corpus.build(tmp_path)
    with pytest.raises(ValueError, match=r"the sheet image of drawing 'D-broken', page 0, cannot be decoded \(OSError"):
        plots.drawing(corpus, "D-broken")
