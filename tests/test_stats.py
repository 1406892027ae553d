"""Statistics across drawings, checked on a small hand-built corpus.

Every expected number is worked out here by hand, in comments, from the drawing as built and
from the published tables (ISO 286-1 Table 1 for IT values, ISO 2768-1 Table 1 for general
tolerances, ISO 261 for coarse pitches); none is computed by calling werk24_frames.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from small_corpus import _meta, small_corpus

import werk24_frames as wf
from werk24_frames import stats
from werk24_frames._materials import lookup, table


@pytest.fixture(scope="module")
def corpus() -> wf.Corpus:
    return small_corpus()


# -- tolerance statistics -------------------------------------------------------------


def test_tolerance_stats_per_drawing(corpus):
    t = corpus.stats.tolerance_stats()
    assert list(t.index) == ["A", "B", "C", "D"]  # D has no features and still has its row
    a = t.loc["A"]
    # A: dimensions 10±, 50±, Ø20 h6, 30, [40] + bores Ø8 H7, Ø5.5 = 7 rows
    assert a["n_features"] == 7
    assert (a["n_explicit"], a["n_fit"], a["n_general"], a["n_reference"], a["n_none"]) == (2, 2, 2, 1, 0)
    # Ø5.5 under ISO 2768 m (3-6: ±0.1) → width 0.2; at 5.5 (3-6): IT13 180 ≤ 200 < IT14 300 → IT13.
    assert a["n_toleranced"] == 6
    assert a["n_with_grade"] == 6
    assert a["n_tight"] == 3  # IT7 (10±0.01), IT6 (Ø20 h6), IT7 (Ø8 H7)
    assert a["share_tight"] == pytest.approx(3 / 6)
    assert a["finest_it_grade"] == 6
    assert a["tightest_width_mm"] == pytest.approx(0.013)
    assert (a["tightest_label"], a["tightest_table"], a["tightest_reference_id"]) == ("Ø20 h6", "dimensions", 3)
    b = t.loc["B"]
    assert (b["n_features"], b["n_explicit"], b["n_none"], b["finest_it_grade"]) == (2, 1, 1, 10)
    assert b["share_toleranced"] == pytest.approx(0.5)
    assert t.loc["C", "finest_it_grade"] == 10
    d = t.loc["D"]
    assert d["n_features"] == 0 and pd.isna(d["finest_it_grade"]) and pd.isna(d["share_tight"])


def test_tolerance_stats_whole_corpus_and_threshold(corpus):
    t = stats.tolerance_stats(corpus, by=None, tight=10)
    assert list(t.index) == ["all"]
    # grades: A 7, 11, 6, 13, 7, 13; B 10; C 10 → IT10 or finer: 7, 6, 7, 10, 10 = 5 of 8
    assert t.loc["all", "n_with_grade"] == 8
    assert t.loc["all", "n_tight"] == 5
    assert t.loc["all", "tightest_drawing_id"] == "A"


def test_tolerance_stats_by_material_family_joins_metadata(corpus):
    t = corpus.stats.tolerance_stats(by="material_family")
    assert t.loc["steel", "n_features"] == 7
    assert t.loc["aluminium", "n_features"] == 2
    assert t.loc["stainless steel", "n_features"] == 1  # D has no features
    assert t.loc["stainless steel", "tightest_label"] == "12 ±0.05"


def test_tolerance_stats_on_a_slice_through_the_accessor(corpus):
    dims = corpus.dimensions
    sl = dims[dims["nominal_mm"] >= 20]  # 50±, Ø20 h6, 30, [40], 20 +0.1/0
    t = sl.w24.tolerance_stats(by=None)
    assert t.loc["all", "n_features"] == 5
    assert t.loc["all", "finest_it_grade"] == 6
    with pytest.raises(KeyError, match="pass the corpus"):
        sl.w24.tolerance_stats(by="material_family")


def test_it_grade_counts(corpus):
    counts = stats.it_grade_counts(corpus)
    # 6: Ø20 h6; 7: 10±0.01, Ø8 H7; 10: 20 +0.1/0, 12 ±0.05; 11: 50 ±0.1; 13: 30, Ø5.5
    assert counts.loc["all"].to_dict() == {6: 1, 7: 2, 10: 2, 11: 1, 13: 2}
    by = stats.it_grade_counts(corpus, by="drawing_id")
    assert by.loc["B"].to_dict() == {6: 0, 7: 0, 10: 1, 11: 0, 13: 0}


def test_fits_and_general_tolerances_in_use(corpus):
    fits = corpus.stats.fits_in_use()
    assert set(zip(fits["fit"], fits["table"], fits["n_features"], strict=True)) == {
        ("h6", "dimensions", 1),
        ("H7", "bores", 1),
    }
    g = corpus.stats.general_tolerances_in_use().set_index("general_tolerance_class", drop=False)
    assert g.loc["m", "n_drawings"] == 1 and g.loc["f", "n_drawings"] == 1
    assert g["general_tolerance_class"].isna().sum() == 1  # B and D name none: one row of NAs
    assert g.loc[g["general_tolerance_class"].isna(), "n_drawings"].item() == 2
    assert g["share"].sum() == pytest.approx(1.0)


def test_tightest_lists_narrowest_first(corpus):
    top = corpus.stats.tightest(3)
    assert list(top["label"]) == ["Ø20 h6", "Ø8 H7", "10 ±0.01"]  # 0.013, 0.015, 0.020 mm
    assert list(top["drawing_number"]) == ["A-1", "A-1", "A-1"]


# -- materials ------------------------------------------------------------------------


def test_equivalent_designations_are_one_grade(corpus):
    m = corpus.metadata.set_index("drawing_id")
    assert m.loc["A", "material_grade"] == "C45" and m.loc["A", "material_number"] == "1.0503"
    assert m.loc["B", "material_grade"] == "EN AW-6061" and m.loc["B", "material_family"] == "aluminium"
    assert m.loc["C", "material_grade"] == m.loc["D", "material_grade"] == "X5CrNi18-10"
    assert m.loc["C", "density_g_cm3"] == 7.9
    counts = corpus.stats.material_counts()
    assert counts.loc["X5CrNi18-10", "n_drawings"] == 2
    assert counts.loc["X5CrNi18-10", "n_drawings_any_option"] == 2
    # 1.4404 is only ever the second option (on C)
    assert counts.loc["X2CrNiMo17-12-2", ["n_drawings", "n_drawings_any_option"]].tolist() == [0, 1]
    assert counts.loc["X2CrNiMo17-12-2", "material_family"] == "stainless steel"
    fam = corpus.stats.material_counts(by="material_family")
    assert fam["n_drawings"].to_dict() == {"stainless steel": 2, "aluminium": 1, "steel": 1}


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("1.4301", "X5CrNi18-10"),
        ("AISI 304", "X5CrNi18-10"),
        ("W.-Nr. 1.4301", "X5CrNi18-10"),
        ("X5CrNi18-10", "X5CrNi18-10"),
        ("x5crni 18 10", "X5CrNi18-10"),
        ("316L", "X2CrNiMo17-12-2"),
        ("C45+N", "C45"),
        ("42CrMo4+QT", "42CrMo4"),
        ("EN AW-6082 T6", "EN AW-6082"),
        ("AlMgSi1", "EN AW-6082"),
        ("EN AW-7075 T651", "EN AW-7075"),
        ("CW614N", "CuZn39Pb3"),
        ("POM-C natural", "POM-C"),
        ("PA 6", "PA6"),
    ],
)
def test_lookup_recognises_usual_spellings(text, grade):
    m = lookup(text)
    assert m is not None and m.grade == grade


def test_lookup_leaves_unknown_names_alone():
    assert lookup("Unobtainium 9") is None
    assert lookup("") is None


def test_material_table_is_consistent():
    rows = table()
    assert len(rows) >= 40
    seen: dict[str, str] = {}
    for m in rows:
        assert m.family in {"steel", "stainless steel", "cast iron", "aluminium", "copper alloy", "titanium", "plastic"}
        assert 0.8 < m.density_g_cm3 < 9.5, m.grade
        assert m.source, f"{m.grade} has no source"
        for name in (m.grade, m.number, *m.aliases):
            if not name:
                continue
            k = "".join(ch for ch in name.upper() if ch.isalnum())
            assert seen.setdefault(k, m.grade) == m.grade, f"{name!r} names both {seen[k]} and {m.grade}"


def test_unknown_grades_group_by_spelling():
    c = wf.from_responses(
        {
            "x": [_meta("X", [("Unobtainium  9", ["POLYMER", None, None])], None, None)],
            "y": [_meta("Y", [("UNOBTAINIUM 9", ["POLYMER", None, None])], None, None)],
        }
    )
    m = c.metadata
    assert list(m["material_grade"]) == ["Unobtainium 9", "Unobtainium 9"]  # first spelling, spaces tidied
    assert list(m["material_family"]) == ["plastic", "plastic"]  # from Werk24's category
    assert m["density_g_cm3"].isna().all()


def test_weight_by_material_and_multi_options(corpus):
    w = corpus.stats.weight_by_material()
    # A 0.5 kg steel; B 2.2 lb = 0.99790 kg aluminium; C 1 kg and D none: stainless
    assert w.loc["stainless steel", "n_drawings"] == 2 and w.loc["stainless steel", "n_weighed"] == 1
    assert w.loc["aluminium", "total_kg"] == pytest.approx(2.2 * 0.45359237)
    multi = corpus.stats.multi_option_drawings()
    assert list(multi.index) == ["C"]
    assert multi.loc["C", "options"] == "X5CrNi18-10 | X2CrNiMo17-12-2"
    assert multi.loc["C", "families"] == "stainless steel"


def test_weight_check_and_the_audit(corpus):
    w = corpus.stats.weight_check()
    assert w.loc["A", "expected_kg"] == pytest.approx(63.7 * 7.85 / 1000)
    assert bool(w.loc["A", "plausible"])
    assert w.loc["B", "ratio"] == pytest.approx(2.2 * 0.45359237 / (100 * 2.70 / 1000))
    assert not bool(w.loc["B", "plausible"])
    assert pd.isna(w.loc["C", "plausible"])  # no volume
    found = wf.audit(corpus)
    weights = found[found["check"] == "weight_implausible"]
    assert list(weights["drawing_id"]) == ["B"]
    assert "3.7×" in weights["message"].item() and weights["table"].item() == "metadata"
    with pytest.raises(ValueError, match="above 1"):
        stats.weight_check(corpus, factor=1)


# -- GD&T, threads, roughness ---------------------------------------------------------


def test_gdnt_stats_and_datums(corpus):
    g = corpus.stats.gdnt_stats().set_index("characteristic_name")
    assert g.loc["flatness", "n_frames"] == 2 and g.loc["flatness", "n_drawings"] == 2
    assert g.loc["flatness", "zone_min_mm"] == 0.02 and g.loc["flatness", "zone_max_mm"] == 0.05
    assert g.loc["position", "n_material_condition"] == 1 and g.loc["position", "n_with_datums"] == 1
    d = corpus.stats.datums_used()
    # A is primary in A's position frame and B's perpendicularity frame; B secondary, C tertiary
    assert d.loc["A"].to_dict() == {"n_frames": 2, "n_drawings": 2, "n_primary": 2, "n_secondary": 0, "n_tertiary": 0}
    assert d.loc["C", "n_tertiary"] == 1


def test_thread_families(corpus):
    t = corpus.stats.thread_stats()
    fam = {(f, s): n for f, s, n in zip(t["family"], t["size"], t["n_threads"], strict=True)}
    assert fam == {("metric coarse", "M8"): 1, ("metric fine", "M8"): 1, ("unified", "1/4"): 1}


@pytest.mark.parametrize(
    ("label", "nominal", "pitch", "family"),
    [
        ("M24x3", 24, 3.0, "metric coarse"),  # ISO 261: M24 coarse pitch 3
        ("M24x2", 24, 2.0, "metric fine"),
        ("M64", 64, 6.0, "metric coarse"),
        ("M1.6", 1.6, 0.35, "metric coarse"),
        ("M7x0.75", 7, 0.75, "metric fine"),  # size not in the table: the written pitch decides
        ("M7", 7, None, "metric coarse"),
    ],
)
def test_thread_family_uses_iso_261(label, nominal, pitch, family):
    t = pd.DataFrame({"thread_type": ["ISO_METRIC"], "nominal_mm": [nominal], "pitch_mm": [pitch], "label": [label]})
    assert stats.thread_family(t).item() == family


def test_roughness_finest_ra_in_um(corpus):
    r = corpus.stats.roughness_stats()
    assert r.loc["A", "finest_um"] == 0.8 and r.loc["A", "coarsest_um"] == 1.6
    assert r.loc["B", "finest_um"] == pytest.approx(32 * 0.0254)
    assert r.loc["D", "n_symbols"] == 0 and math.isnan(r.loc["D", "finest_um"])


# -- the cost-driver matrix -----------------------------------------------------------


def test_cost_drivers(corpus):
    m = wf.cost_drivers(corpus)
    spec = wf.schema.describe("cost_drivers")
    assert list(m.columns) == list(spec["column"])[1:] and m.index.name == "drawing_id"
    for col, dtype in zip(spec["column"][1:], spec["dtype"][1:], strict=True):
        assert str(m[col].dtype) == {"string": "string", "float": "float64", "Int64": "Int64"}[dtype], col
    a = m.loc["A"]
    assert (a["n_dimensions"], a["n_toleranced"], a["n_tight"], a["finest_it_grade"]) == (5, 6, 3, 6)
    assert a["tightest_width_mm"] == pytest.approx(0.013)
    assert (a["n_fits"], a["n_gdnts"], a["n_datums"], a["finest_gdnt_zone_mm"]) == (2, 2, 3, 0.05)
    assert (a["n_threads"], a["n_threads_metric_coarse"], a["n_threads_metric_fine"], a["n_threads_unified"]) == (
        3,
        1,
        1,
        1,
    )
    assert (a["n_bores"], a["n_bores_with_fit"], a["finest_ra_um"]) == (2, 1, 0.8)
    assert (a["material_grade"], a["material_family"], a["weight_kg"], a["volume_cm3"]) == ("C45", "steel", 0.5, 63.7)
    # the raw stock: a cylinder Ø40 × 100 → π/4 × 40² × 100 mm³ = 125.66 cm³
    assert a["envelope_shape"] == "CYLINDER"
    assert a["envelope_volume_cm3"] == pytest.approx(math.pi / 4 * 40**2 * 100 / 1000)
    assert m.loc["B", "envelope_volume_cm3"] == pytest.approx(100 * 50 * 20 / 1000)
    assert m.loc["B", "primary_process"] == "MILLING"
    # C has FEATURES but no threads: 0; D has no FEATURES at all: unknown, not 0
    assert m.loc["C", "n_threads"] == 0
    assert pd.isna(m.loc["D", "n_threads"]) and pd.isna(m.loc["D", "n_dimensions"])
    assert pd.isna(m.loc["C", "volume_cm3"])


def test_cost_drivers_on_the_sample_corpus_is_complete():
    sample = wf.sample_corpus()
    m = sample.stats.cost_drivers()
    assert len(m) == len(sample) == 44
    assert m["n_dimensions"].notna().all() and (m["n_dimensions"] > 0).all()
    assert m["material_grade"].notna().all() and m["volume_cm3"].notna().all()


def test_bad_arguments_say_what_is_wrong(corpus):
    with pytest.raises(TypeError, match="Corpus or a DataFrame"):
        stats.tolerance_stats([1, 2])
    with pytest.raises(KeyError, match="no_such_column"):
        corpus.stats.tolerance_stats(by="no_such_column")
    with pytest.raises(AttributeError, match="drawing_id"):
        _ = pd.DataFrame({"x": [1]}).w24
    with pytest.raises(AttributeError, match="has no 'nonsense'"):
        _ = corpus.stats.nonsense


def test_volume_in_other_units_and_an_unknown_one():
    c = wf.from_responses(
        {
            "inch": [{"ask_type": "INSIGHTS", "volume_estimate": {"value": "2", "unit": "in³"}}],
            "mm": [{"ask_type": "INSIGHTS", "volume_estimate": {"value": "1500", "unit": "mm3"}}],
            "odd": [{"ask_type": "INSIGHTS", "volume_estimate": {"value": "3", "unit": "gallons"}}],
        }
    )
    v = c.insights.set_index("drawing_id")["volume_cm3"]
    assert v["inch"] == pytest.approx(2 * 2.54**3)  # 1 in = 2.54 cm exactly
    assert v["mm"] == pytest.approx(1.5)
    assert math.isnan(v["odd"])
    p = c.table("problems")
    row = p[p["drawing_id"] == "odd"]
    assert row["location"].item() == "INSIGHTS.volume_estimate.unit"
    assert "unknown volume unit 'gallons'" in row["message"].item()


# -- regressions found in review -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["AISI 1050", "1050 steel", "PC+ABS", "PP + EPDM", "430 F", "316 Ti", "PA6 GF30", "PEEK GF30", "Stahl", "see BOM"],
)
def test_lookup_does_not_guess(text):
    # 1050 steel is not EN AW-1050A; blends, free-cutting 430F, 1.4571 and filled plastics are other grades
    assert lookup(text) is None


def test_a_match_of_another_kind_than_werk24_says_is_not_used():
    c = wf.from_responses({"x": [_meta("X", [("6061", ["FERROUS_ALLOY", "STEEL", None])], None, None)]})
    m = c.metadata.iloc[0]
    assert (m["material_grade"], m["material_family"]) == ("6061", "steel")
    assert pd.isna(m["density_g_cm3"])


def _pages(*metas: dict) -> wf.Corpus:
    msgs = []
    for page, meta in enumerate(metas):
        msgs.append(
            {"request_id": "r", "message_type": "ASK", "message_subtype": "META_DATA", "page_number": page}
            | {"exceptions": [], "payload_dict": meta}
        )
    return wf.from_messages(msgs, drawing_id="two-pages")


def test_metadata_and_options_come_from_one_meta_data_answer():
    c = _pages(
        _meta("P", [("S355J2", ["FERROUS_ALLOY", "STEEL", None])], None, None),
        _meta("P", [("AISI 304", None), ("C45", None)], None, None),
    )
    m = c.metadata.iloc[0]
    assert (m["page"], m["material"], m["material_grade"]) == (0, "S355J2", "S355J2")
    assert c.stats.multi_option_drawings().empty  # page 0 allows one material; page 1 is not mixed in
    c2 = _pages(_meta("P", [], None, None), _meta("P", [("AISI 304", None), ("C45", None)], None, None))
    m2 = c2.metadata.iloc[0]
    assert pd.isna(m2["material"]) and pd.isna(m2["material_grade"])  # consistent with `material`


def test_two_group_keys_with_na_keep_the_tightest_location(corpus):
    t = corpus.stats.tolerance_stats(by=["material_family", "general_tolerance_class"])
    # B: aluminium without general tolerance (NA key): 20 +0.1/0 is its tightest
    assert t.index.tolist()[0][0] == "aluminium" and pd.isna(t.index.tolist()[0][1])
    row = t.iloc[0]
    assert row["tightest_label"] == "20 +0.1/0" and row["tightest_drawing_id"] == "B"
    counts = corpus.stats.it_grade_counts(by=["material_family", "drawing_id"])
    assert len(counts) == 3  # only the pairs that occur: (steel, A), (aluminium, B), (stainless, C)


def test_datums_with_repeated_index_labels(corpus):
    g = pd.concat([corpus.gdnts, corpus.gdnts.assign(drawing_id="Z")])  # index labels repeat
    d = stats.datums_used(g)
    assert d.loc["A"].to_dict() == {"n_frames": 4, "n_drawings": 3, "n_primary": 4, "n_secondary": 0, "n_tertiary": 0}


def test_grouping_by_a_column_the_result_has_anyway(corpus):
    fits = corpus.stats.fits_in_use(by="table")
    assert list(fits.columns) == ["fit", "table", "n_features", "n_drawings"]
    assert len(corpus.stats.gdnt_stats(by="characteristic")) == 3


def test_a_table_without_the_needed_columns_is_named(corpus):
    with pytest.raises(KeyError, match=r"gdnt_stats\(\) needs the columns of the gdnts table.*corpus.gdnts"):
        corpus.features.w24.gdnt_stats()
