"""wf.plots.capability: the histogram's limits and fitted normal, the I-MR chart's limits computed
independently here, hostile text, and the edge cases (no value, one value, constant values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from inspection_plans import make_plan, two_drawing_plan

import werk24_frames as wf

pytest.importorskip("matplotlib")


@pytest.fixture
def figure():
    from matplotlib.figure import Figure

    return Figure(figsize=(10, 5), layout="constrained")


def _setup(values, **row):
    spec = {"nominal": 10.0, "lower_limit": 9.9, "upper_limit": 10.1, **row}
    plan = make_plan([spec])
    m = pd.DataFrame({"characteristic": 1, "part": [f"P{i}" for i in range(len(values))], "value": values})
    return plan, m, wf.inspection.capability(plan, m, warn=False)


def test_histogram_limits_and_normal_curve(figure):
    values = np.random.default_rng(4).normal(10.02, 0.03, size=60)
    _, m, cap = _setup(values)
    fig = wf.plots.capability(cap, 1, m, fig=figure)
    hist = fig.axes[0]
    assert [a.get_title(loc="left") for a in fig.axes] == [
        "Distribution",
        "Individuals (I chart)",
        "Moving range (MR chart)",
    ]
    lines = {line.get_label(): line for line in hist.get_lines()}
    assert lines["LSL 9.9"].get_xdata()[0] == pytest.approx(9.9)
    assert lines["USL 10.1"].get_xdata()[0] == pytest.approx(10.1)
    # the fitted normal (within sigma) is scaled to counts: its area is n times the bin width
    curve = lines["normal, σ within"]
    x, y = np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())
    bars = [p for p in hist.patches if p.get_height() > 0]
    width = bars[0].get_width()
    assert np.trapezoid(y, x) == pytest.approx(60 * width, rel=0.02)
    assert x[np.argmax(y)] == pytest.approx(values.mean(), abs=(x[1] - x[0]))
    assert sum(p.get_height() for p in hist.patches) == 60


def test_imr_limits(figure):
    values = np.random.default_rng(5).normal(10.0, 0.02, size=30)
    values[12] = 10.2  # a special cause
    _, m, cap = _setup(values)
    fig = wf.plots.capability(cap, 1, m, fig=figure)
    _, ind, mr = fig.axes
    moving = np.abs(np.diff(values))
    mr_bar = moving.mean()
    levels = sorted(line.get_ydata()[0] for line in ind.get_lines()[1:] if len(set(line.get_ydata())) == 1)
    for expected in (values.mean() - 2.66 * mr_bar, values.mean(), values.mean() + 2.66 * mr_bar):
        assert min(abs(level - expected) for level in levels) < 1e-12
    mr_levels = [line.get_ydata()[0] for line in mr.get_lines()[1:]]
    assert mr_levels == pytest.approx([mr_bar, 3.267 * mr_bar])
    # points beyond a control or specification limit are red
    colors = ind.collections[0].get_facecolors()
    red = np.all(np.isclose(colors[:, :3], (0xC6 / 255, 0x28 / 255, 0x28 / 255), atol=0.01), axis=1)
    ucl, lcl = values.mean() + 2.66 * mr_bar, values.mean() - 2.66 * mr_bar
    expected_red = (values > ucl) | (values < lcl) | (values > 10.1) | (values < 9.9)
    assert red.tolist() == expected_red.tolist()
    assert red[12]


def test_raw_measurements_are_converted_and_drawings_chosen(figure):
    plan = two_drawing_plan()
    m = wf.inspection.read_measurements(
        pd.DataFrame(
            {
                "drawing": ["WF-2"] * 3 + ["WF-1"],
                "characteristic": 1,
                "value": [50.8, 50.85, 50.75, 10.01],
                "unit": ["mm"] * 3 + [None],
            }
        )
    )
    cap = wf.inspection.capability(plan, m)
    with pytest.raises(ValueError, match="pass drawing"):
        wf.plots.capability(cap, 1, m)
    fig = wf.plots.capability(cap, 1, m, drawing="WF-2", fig=figure)
    ind = fig.axes[1]
    points = ind.collections[0].get_offsets()[:, 1]
    assert points.tolist() == pytest.approx([2.0, 50.85 / 25.4, 50.75 / 25.4])
    with pytest.raises(KeyError, match="no characteristic 7"):
        wf.plots.capability(cap, 7, m)


@pytest.mark.parametrize("values", [[], [10.0], [10.05] * 6])
def test_edge_cases_draw(values, figure):
    plan = make_plan(
        [
            {"nominal": 10.0, "lower_limit": 9.9, "upper_limit": 10.1, "requirement": "$\\frac{a}{$ <b>"},
            {"nominal": 1.0, "lower_limit": 0.9, "upper_limit": 1.1},
        ]
    )
    m = pd.DataFrame({"characteristic": [1] * len(values), "value": values}, dtype=object)
    if not values:
        m = pd.DataFrame({"characteristic": [2], "value": [1.0]})
    cap = wf.inspection.capability(plan, m, warn=False)
    fig = wf.plots.capability(cap, 1, m, fig=figure)
    fig.canvas.draw()  # hostile mathtext in the title must not break drawing
    assert fig.get_suptitle().endswith("$\\frac{a}{$ <b>")
