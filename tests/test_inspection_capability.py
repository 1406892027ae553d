"""Capability indices: the NIST worked example, published d2/c4 constants, an independent
reference implementation on random data, and the edge cases (one-sided, subgroups, sigma 0, n = 1)."""

from __future__ import annotations

import itertools
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection_plans import make_plan

import werk24_frames as wf
from werk24_frames.inspection._capability import _indices, c4, d2

# Published control-chart constants (ASTM STP 15D / Montgomery, Introduction to SQC, Appendix VI).
D2 = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970, 10: 3.078}
C4 = {2: 0.7979, 3: 0.8862, 4: 0.9213, 5: 0.9400, 6: 0.9515, 10: 0.9727}


def _cap(values, lower=8.0, upper=20.0, nominal=14.0, **kwargs):
    plan = make_plan([{"nominal": nominal, "lower_limit": lower, "upper_limit": upper}])
    m = pd.DataFrame(
        {"characteristic": [1] * len(values), "part": [f"S{i}" for i in range(len(values))], "value": values}
    )
    for k in ("subgroup",):
        if k in kwargs:
            m[k] = kwargs.pop(k)
    return wf.inspection.capability(plan, m, **kwargs).iloc[0]


def test_nist_worked_example():
    # NIST/SEMATECH e-Handbook 6.1.6: USL 20, LSL 8, mean 16, sigma 2.
    cp, cpk, cpu, cpl = _indices(16.0, 2.0, 8.0, 20.0)
    assert cp == pytest.approx(1.0)
    assert cpk == pytest.approx(0.6667, abs=1e-4)
    assert cpu == pytest.approx(0.6667, abs=1e-4)
    assert cpl == pytest.approx(1.3333, abs=1e-4)


def test_nist_example_end_to_end_overall():
    # Values standardised to mean 16 and s 2 exactly: Pp and Ppk are the example's Cp and Cpk.
    z = np.random.default_rng(1).normal(size=50)
    values = 16 + 2 * (z - z.mean()) / z.std(ddof=1)
    row = _cap(list(values))
    assert row["mean"] == pytest.approx(16.0)
    assert row["sigma_overall"] == pytest.approx(2.0)
    assert row["pp"] == pytest.approx(1.0)
    assert row["ppk"] == pytest.approx(2 / 3)
    # Expected PPM of the example with sigma 2: Phi(-4) + Phi(-2).
    nd = statistics.NormalDist()
    assert row["expected_ppm_overall"] == pytest.approx(1e6 * (nd.cdf(-4) + nd.cdf(-2)), rel=1e-9)


@pytest.mark.parametrize(("n", "value"), sorted(D2.items()))
def test_d2_matches_published_table(n, value):
    assert d2(n) == pytest.approx(value, abs=6e-4)


@pytest.mark.parametrize(("n", "value"), sorted(C4.items()))
def test_c4_matches_published_table(n, value):
    assert c4(n) == pytest.approx(value, abs=6e-5)


def test_d2_of_two_is_its_closed_form():
    assert d2(2) == pytest.approx(2 / math.sqrt(math.pi), rel=1e-7)


def _reference(values, lsl, usl):
    """Written independently: statistics module, the closed form d2(2) = 2/sqrt(pi)."""
    mean = statistics.fmean(values)
    s = statistics.stdev(values)
    mr = sum(abs(b - a) for a, b in itertools.pairwise(values)) / (len(values) - 1)
    sw = mr / (2 / math.sqrt(math.pi))
    nd = statistics.NormalDist()
    return {
        "mean": mean,
        "sigma_overall": s,
        "sigma_within": sw,
        "cp": (usl - lsl) / (6 * sw),
        "cpu": (usl - mean) / (3 * sw),
        "cpl": (mean - lsl) / (3 * sw),
        "cpk": min(usl - mean, mean - lsl) / (3 * sw),
        "pp": (usl - lsl) / (6 * s),
        "ppk": min(usl - mean, mean - lsl) / (3 * s),
        "expected_ppm": 1e6 * (nd.cdf((lsl - mean) / sw) + nd.cdf((mean - usl) / sw)),
        # Limits are compared with the documented relative slack of 1e-9.
        "observed_ppm": 1e6
        * sum(v < lsl - 1e-9 * max(1, abs(lsl)) or v > usl + 1e-9 * max(1, abs(usl)) for v in values)
        / len(values),
    }


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(min_value=-50, max_value=50, allow_nan=False), min_size=3, max_size=40).filter(
        lambda v: statistics.pstdev(v) > 1e-3 and any(abs(b - a) > 1e-3 for a, b in itertools.pairwise(v))
    ),
    lsl=st.floats(min_value=-60, max_value=0),
    width=st.floats(min_value=0.5, max_value=100),
)
def test_matches_an_independent_reference(values, lsl, width):
    usl = lsl + width
    row = _cap(values, lower=lsl, upper=usl, nominal=lsl + width / 2, warn=False)
    ref = _reference(values, lsl, usl)
    for key, expected in ref.items():
        assert row[key] == pytest.approx(expected, rel=1e-7, abs=1e-7), key
    assert row["n"] == len(values)
    assert row["sigma_method"] == "moving_range"


def test_moving_range_follows_file_order():
    # The same values in another order: same overall sigma, different within sigma.
    a = _cap([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    b = _cap([1.0, 6.0, 2.0, 5.0, 3.0, 4.0])
    assert a["sigma_overall"] == pytest.approx(b["sigma_overall"])
    assert a["sigma_within"] == pytest.approx(1.0 / (2 / math.sqrt(math.pi)))
    assert b["sigma_within"] == pytest.approx((5 + 4 + 3 + 2 + 1) / 5 / (2 / math.sqrt(math.pi)))


def test_subgroups_range_and_stddev():
    groups = [[10.0, 10.2, 10.1, 9.9], [10.3, 10.0, 10.1, 10.2], [9.8, 10.1, 10.0, 10.0]]
    values = [v for g in groups for v in g]
    sub = [f"g{i}" for i, g in enumerate(groups) for _ in g]
    r = _cap(values, subgroup=sub)
    assert r["sigma_method"] == "range"
    rbar = statistics.fmean(max(g) - min(g) for g in groups)
    assert r["sigma_within"] == pytest.approx(rbar / D2[4], rel=1e-3)
    s = _cap(values, subgroup=sub, sigma="stddev")
    sbar = statistics.fmean(statistics.stdev(g) for g in groups)
    assert s["sigma_method"] == "stddev"
    assert s["sigma_within"] == pytest.approx(sbar / C4[4], rel=1e-4)
    # Cp from the subgroup sigma.
    assert r["cp"] == pytest.approx(12 / (6 * rbar / D2[4]), rel=1e-3)


def test_subgroup_sigma_without_subgroups_is_undetermined():
    row = _cap([10.0, 11.0, 12.0, 11.0], sigma="range")
    assert pd.isna(row["sigma_within"]) and pd.isna(row["cpk"])
    assert row["verdict"] == "undetermined" and "no subgroups given" in row["note"]
    assert row["pp"] == pytest.approx(12 / (6 * statistics.stdev([10.0, 11.0, 12.0, 11.0])))
    singles = _cap([10.0, 11.0, 12.0], subgroup=["a", "b", "c"])
    assert singles["verdict"] == "undetermined" and "no subgroup has two values" in singles["note"]


def test_one_sided_limits():
    values = [0.01, 0.02, 0.015, 0.03, 0.012]
    up = _cap(values, lower=None, upper=0.05, nominal=None)
    assert pd.isna(up["cp"]) and pd.isna(up["pp"]) and pd.isna(up["cpl"])
    assert up["cpk"] == pytest.approx(up["cpu"])
    assert up["cpu"] == pytest.approx((0.05 - statistics.fmean(values)) / (3 * up["sigma_within"]))
    assert "one-sided" in up["note"]
    low = _cap(values, lower=0.0, upper=None, nominal=None)
    assert pd.isna(low["cp"]) and pd.isna(low["cpu"])
    assert low["cpk"] == pytest.approx(low["cpl"])
    nd = statistics.NormalDist()
    assert low["expected_ppm"] == pytest.approx(1e6 * nd.cdf(-3 * low["cpl"]), rel=1e-9)


def test_constant_data_inside_and_outside():
    inside = _cap([14.0] * 5)
    assert inside["sigma_within"] == 0 and inside["sigma_overall"] == 0
    assert math.isinf(inside["cp"]) and inside["cpk"] == math.inf
    assert inside["expected_ppm"] == 0
    assert inside["verdict"] == "capable"
    assert "sigma 0" in inside["note"]
    outside = _cap([25.0] * 5)
    assert outside["cpk"] == -math.inf
    assert outside["expected_ppm"] == pytest.approx(1e6)
    assert outside["observed_ppm"] == pytest.approx(1e6)
    assert outside["verdict"] == "not capable"
    on_limit = _cap([20.0] * 5)
    assert pd.isna(on_limit["cpk"]) and on_limit["verdict"] == "undetermined"


def test_one_value():
    row = _cap([15.0])
    assert row["n"] == 1 and row["mean"] == 15.0
    assert pd.isna(row["sigma_within"]) and pd.isna(row["sigma_overall"]) and pd.isna(row["cpk"])
    assert row["verdict"] == "too few values"
    assert bool(row["small_sample"])


def test_verdict_threshold_index_and_small_sample():
    values = list(np.random.default_rng(3).normal(14, 1.0, size=30))
    row = _cap(values)
    assert row["verdict"] == ("capable" if row["cpk"] >= 1.33 else "not capable")
    strict = _cap(values, threshold=row["cpk"] + 0.01)
    assert strict["verdict"] == "not capable" and strict["threshold"] == pytest.approx(row["cpk"] + 0.01)
    lenient = _cap(values, threshold=row["ppk"] - 0.01, index="ppk")
    assert lenient["verdict"] == "capable"
    assert not row["small_sample"]
    assert bool(_cap(values, min_n=125)["small_sample"])
    with pytest.raises(ValueError, match="index"):
        _cap(values, index="cp")


def test_no_limits_and_not_measured_rows():
    plan = make_plan(
        [
            {"nominal": 5.0, "lower_limit": 4.9, "upper_limit": 5.1},
            {"nominal": None, "lower_limit": None, "upper_limit": None},
            {"nominal": 3.0, "lower_limit": 2.9, "upper_limit": 3.1},
        ]
    )
    m = pd.DataFrame({"characteristic": [1, 1, 2, 2], "value": [5.0, 5.02, 1.0, 2.0]})
    cap = wf.inspection.capability(plan, m)
    assert list(cap["characteristic"]) == [1, 2, 3]
    # 5.0, 5.02: mean 5.01, sigma within 0.02 / 1.128, Cpk = 0.09 / (3 * 0.01773) = 1.69.
    assert list(cap["verdict"]) == ["capable", "no limits", "not measured"]
    assert cap.loc[0, "cpk"] == pytest.approx(0.09 / (3 * 0.02 / (2 / math.sqrt(math.pi))))
    assert cap["n"].tolist() == [2, 2, 0]
    assert pd.isna(cap.loc[1, "observed_ppm"]) and pd.isna(cap.loc[1, "cpk"])


def test_capability_frame_follows_schema():
    cap = wf.inspection.capability(
        make_plan([{"nominal": 1.0, "lower_limit": 0.9, "upper_limit": 1.1}]),
        pd.DataFrame({"characteristic": [1, 1, 1], "value": [1.0, 1.01, 0.98]}),
    )
    expected = wf.schema.empty_frame("capability")
    assert list(cap.columns) == list(expected.columns)
    assert cap.dtypes.to_dict() == expected.dtypes.to_dict()


def test_accepts_results_and_keeps_problems():
    plan = make_plan([{"nominal": 1.0, "lower_limit": 0.9, "upper_limit": 1.1}])
    m = wf.inspection.read_measurements(
        pd.DataFrame({"characteristic": [1, 1, 1, 7], "value": ["1.0", "x", "1.05", "1"]}), warn=False
    )
    res = wf.inspection.results(plan, m, warn=False)
    a = wf.inspection.capability(plan, res)
    b = wf.inspection.capability(plan, m, warn=False)
    pd.testing.assert_frame_equal(a, b)
    messages = wf.inspection.problems(b)["message"].tolist()
    assert any("'x' is not a number" in t for t in messages)
    assert any("no characteristic 7" in t for t in messages)
