"""wf.inspection_plan: rows, limits, numbering, rules, and the same numbers on every load path."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import builders
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import werk24_frames as wf
from werk24_frames import schema
from werk24_frames.inspection import _plan
from werk24_frames.io import _plan as io_plan
from werk24_frames.samples import sample_path

KEY = ["drawing_id", "table", "reference_id", "role"]


@pytest.fixture(scope="module")
def sample() -> wf.Corpus:
    return wf.sample_corpus()


@pytest.fixture(scope="module")
def plan(sample: wf.Corpus) -> pd.DataFrame:
    return wf.inspection_plan(sample)


def _numbers_ok(plan: pd.DataFrame) -> None:
    """1..n per drawing, no gaps or repeats, the key unique, located before unlocated."""
    for did, rows in plan.groupby("drawing_id", sort=False):
        chars = rows["characteristic"].tolist()
        assert sorted(chars) == list(range(1, len(rows) + 1)), did
        loc = rows.sort_values("characteristic")["located"].tolist()
        assert loc == sorted(loc, reverse=True), did  # True before False
    assert not plan.duplicated(KEY).any()


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def test_plan_is_a_schema_table(plan: pd.DataFrame) -> None:
    described = wf.schema.describe("inspection_plan")
    assert list(plan.columns) == described["column"].tolist()
    assert (plan.dtypes == wf.schema.empty_frame("inspection_plan").dtypes).all()
    contract = [
        *("drawing_id", "drawing_number", "page", "characteristic", "table", "reference_id", "item_index"),
        *("role", "zone", "located", "balloon_x", "balloon_y", "label", "requirement", "kind"),
        *("characteristic_type", "nominal", "lower_limit", "upper_limit", "unit", "nominal_mm"),
        *("lower_limit_mm", "upper_limit_mm", "tolerance_source", "it_grade", "quantity", "classification"),
        *("method", "note"),
    ]
    assert list(plan.columns)[: len(contract)] == contract
    _numbers_ok(plan)
    assert set(plan["classification"]) <= {"critical", "major", "minor"}
    assert plan["method"].notna().all() and plan["requirement"].notna().all()


def test_every_feature_of_every_table_has_a_row(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    have = set(zip(plan["drawing_id"], plan["table"], plan["reference_id"], strict=True))
    for name in schema.FEATURE_TABLES:
        df = sample.table(name)
        if name == "roughnesses":
            df = df[~df["is_general"].fillna(False)]
        if schema.TABLES[name].has_size:
            df = df[~df["tolerance_source"].isin(["reference", "exact"])]
        missing = [k for k in zip(df["drawing_id"], [name] * len(df), df["reference_id"], strict=True) if k not in have]
        assert not missing, (name, missing[:3])
    assert len(plan[plan.table == "notes"]) == len(sample.notes)


def test_wf_1015_rows(sample: wf.Corpus) -> None:
    p = wf.inspection_plan(sample.select("WF-1015")).set_index(["table", "role"], drop=False)
    assert (p["drawing_number"] == "WF-1015").all()
    # M24-6g: ISO 965-2 limits (pitch 21.803–22.003, major 23.577–23.952), no minor-diameter row
    thread = p[p.table == "threads"].set_index("role")
    assert set(thread.index) == {"pitch_diameter", "major_diameter"}
    assert (thread.loc["pitch_diameter", "lower_limit_mm"], thread.loc["pitch_diameter", "upper_limit_mm"]) == (
        21.803,
        22.003,
    )
    assert (thread.loc["major_diameter", "lower_limit"], thread.loc["major_diameter", "upper_limit"]) == (
        23.577,
        23.952,
    )
    assert (thread["tolerance_source"] == "iso965").all() and (thread["kind"] == "thread").all()
    assert abs(thread.loc["pitch_diameter", "characteristic"] - thread.loc["major_diameter", "characteristic"]) == 1
    # GD&T: an upper limit only; Ra: an upper limit only
    gdt = p[p.table == "gdnts"].iloc[0]
    assert gdt["upper_limit"] == 0.02 and pd.isna(gdt["lower_limit"]) and gdt["kind"] == "gdt"
    assert gdt["characteristic_type"] == "CIRCULAR_RUNOUT"
    ra = p[p.table == "roughnesses"].iloc[0]
    assert ra["characteristic_type"] == "Ra" and ra["upper_limit"] == 0.8 and pd.isna(ra["lower_limit"])
    assert ra["upper_limit_mm"] == pytest.approx(0.0008)
    # a fit and an explicit tolerance, as an inspector reads them
    dims = p[p.table == "dimensions"].set_index("label")
    assert dims.loc["Ø26 h7", "requirement"] == "Ø26 h7 (25.979–26.000)"
    assert dims.loc["30 ±0.1", "requirement"] == "30 ±0.1 (29.900–30.100)"
    assert dims.loc["Ø28 p6", "classification"] == "critical"
    # a chamfer 2x: one row each for size and angle, quantity 2, numbered consecutively
    ch = p[p.table == "chamfers"].sort_values("characteristic")
    assert ch["role"].tolist() == ["size", "angle"] and (ch["quantity"] == 2).all()
    assert np.diff(ch["characteristic"].to_numpy()).tolist() == [1]
    # the note without a position comes last, and says why
    last = p.sort_values("characteristic").iloc[-1]
    assert last["table"] == "notes" and not last["located"] and "numbered after" in last["note"]
    located_notes = p.loc[p.located, "note"].dropna()  # only the neutral method's: Ø22 0/-0.02
    assert located_notes.str.startswith("bore or shaft not known").all()
    assert (p.loc[p.located & p["note"].notna(), "method"] == "micrometer or bore gauge").all()
    # A3 sheet: zones of 8 columns by 6 rows
    assert p.loc[p.located, "zone"].str.fullmatch(r"[A-F][1-8]").all()


def test_builder_drawing_rows() -> None:
    feats = builders.features()
    feats["dimensions"][0]["quantity"] = 4  # 4X 12 ±0.1
    corpus = wf.from_responses([builders.meta_data(), feats, builders.reference_positions()], drawing_id="b")
    p = wf.inspection_plan(corpus)
    _numbers_ok(p)
    dims = p[p.table == "dimensions"]
    # a reference dimension [40] and a theoretically exact |25| are not characteristics
    assert 102 not in set(dims.reference_id) and 103 not in set(dims.reference_id)
    four = dims[dims.reference_id == 100]
    assert len(four) == 1 and four.iloc[0]["quantity"] == 4
    # the M8x1-6g thread: threadlib / ISO 965-2 pitch 7.212–7.324
    t = p[(p.table == "threads") & (p.reference_id == 200)].set_index("role")
    assert (t.loc["pitch_diameter", "lower_limit"], t.loc["pitch_diameter", "upper_limit"]) == (7.212, 7.324)
    assert "depth" in t.index  # its depth (a secondary size) is a row too
    # a UTS thread: one row with the callout, a thread gauge
    uts = p[(p.table == "threads") & (p.reference_id == 201)]
    assert uts["role"].tolist() == ["size"] and uts.iloc[0]["requirement"] == "1/4-20 UNC-2B"
    assert uts.iloc[0]["method"] == "thread gauge (go/no-go)"
    # secondary sizes with the sizes table's role names
    assert {"radius", "depth"} <= set(p.loc[p.table == "undercuts", "role"])
    assert {"key_width", "key_height", "key_length"} <= set(p.loc[p.table == "key_slots", "role"])
    # the roughness symbol with Ra and Rz: a row per parameter, the second named after it
    rough = p[p.table == "roughnesses"].sort_values("characteristic")
    assert rough["characteristic_type"].tolist()[:2] == ["Ra", "Rz"] and rough["role"].tolist()[:2] == ["size", "rz"]


def test_roughness_lower_value_gives_a_lower_limit() -> None:
    feats = builders.features()
    symbol = copy.deepcopy(feats["roughnesses"][0])
    symbol["reference_id"] = 777
    lower = copy.deepcopy(symbol["conditions"][0])
    symbol["conditions"] = [
        dict(lower, condition_type="UPPER", parameter="Ra", value=builders.size("1.6", unit="µm")),
        dict(lower, condition_type="LOWER", parameter="Ra", value=builders.size("0.4", unit="µm")),
    ]
    feats["roughnesses"] = [symbol]
    p = wf.inspection_plan(wf.from_responses([feats], drawing_id="r"))
    row = p[p.table == "roughnesses"].iloc[0]
    assert (row["lower_limit"], row["upper_limit"]) == (0.4, 1.6)
    assert row["requirement"] == "Ra 0.4–1.6 µm"


# ---------------------------------------------------------------------------------------------
# Numbering: stable on every path, and under any row order
# ---------------------------------------------------------------------------------------------


def test_same_plan_cold_warm_and_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io_plan, "CHUNK_UNITS", 4)  # several chunks: tables concatenated
    cold = wf.inspection_plan(wf.load(sample_path(), cache=False))
    first = wf.inspection_plan(wf.load(sample_path(), cache=tmp_path / "cache"))
    warm = wf.inspection_plan(wf.load(sample_path(), cache=tmp_path / "cache"))
    out = wf.to_dataset(sample_path(), tmp_path / "ds", chunk_size=7, progress=False)
    dataset = wf.inspection_plan(wf.open_dataset(out))
    _numbers_ok(cold)
    for other in (first, warm, dataset):
        a = cold.sort_values(["drawing_id", "characteristic"]).reset_index(drop=True)
        b = other.sort_values(["drawing_id", "characteristic"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def _shuffled(corpus: wf.Corpus, seed: int) -> wf.Corpus:
    """The same corpus with the rows of every table in another order."""
    sub = corpus.select(corpus.drawing_ids[::-1])
    rng = np.random.default_rng(seed)
    for name in schema.TABLES:
        df = sub._frame(name)
        sub._frames[name] = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    return sub


def _by_key(plan: pd.DataFrame) -> dict[tuple[object, ...], int]:
    return {
        k: int(c)
        for k, c in zip(map(tuple, plan[KEY].astype(object).to_numpy().tolist()), plan["characteristic"], strict=True)
    }


def test_numbers_do_not_depend_on_row_order(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    for seed in (1, 2):
        assert _by_key(wf.inspection_plan(_shuffled(sample, seed))) == _by_key(plan)


def _feature(table: str, rid: int, rng: random.Random) -> dict[str, object]:
    value = f"{rng.randint(1, 200)}"
    base: dict[str, object] = {"reference_id": rid, "label": f"{table} {rid}", "quantity": rng.choice([1, 2, 4])}
    if table == "dimensions":
        tol = rng.choice([{}, {"lower": "-0.1", "upper": "0.1"}, {"fit": "h7"}, {"reference": True}])
        base["size"] = builders.size(value, size_type=rng.choice(["LINEAR", "DIAMETER"]), **tol)
    elif table == "bores":
        base["diameter"] = builders.size(value, size_type="DIAMETER", fit="H7")
        base["depth"] = rng.choice([None, {"depth_type": "SIZE", "size": builders.size("5")}])
    elif table == "radii":
        base["size"] = builders.size(value)
    elif table == "gdnts":
        base.update(
            characteristic=rng.choice(["⌖", "⏥", "↗"]),
            zone={"value": builders.size("0.05"), "combination": None, "offset": None, "constraint": None},
            datums=[{"label": "A"}],
        )
    return base


@st.composite
def drawings(draw: st.DrawFn) -> tuple[list[dict[str, object]], int]:
    seed = draw(st.integers(0, 10_000))
    rng = random.Random(seed)
    n = draw(st.integers(0, 14))
    tables = ["dimensions", "bores", "radii", "gdnts"]
    feats: dict[str, list[dict[str, object]]] = {t: [] for t in tables}
    rids = rng.sample(range(1, 500), n)
    for rid in rids:
        t = rng.choice(tables)
        feats[t].append(_feature(t, rid, rng))
    positions = []
    balloons = []
    for rid in rids:
        if rng.random() < 0.7:  # some features have no position
            x, y = rng.uniform(0, 1200), rng.uniform(0, 850)
            if rng.random() < 0.3:  # and some share a place exactly
                x, y = 100.0, 100.0
            positions.append(
                {
                    "reference_id": rid,
                    "polygon": {
                        "coordinate_space": "PIXEL_SPACE",
                        "coordinates": [[x, y], [x + 40, y], [x + 40, y + 12], [x, y + 12]],
                    },
                }
            )
            if rng.random() < 0.5:
                balloons.append({"reference_id": rid, "center": [x - 20, y - 20]})
    answers = [
        {"ask_version": "v2", "ask_type": "FEATURES", "page_type": "COMPONENT_DRAWING", **feats},
        {"ask_version": "v2", "ask_type": "REFERENCE_POSITIONS", "reference_positions": positions},
        {"ask_version": "v2", "ask_type": "BALLOONS", "balloons": balloons},
    ]
    return answers, seed


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings(), drawings())
def test_property_numbering(one: tuple[list[dict[str, object]], int], two: tuple[list[dict[str, object]], int]) -> None:
    corpora = [wf.from_responses(answers, drawing_id=f"d{k}") for k, (answers, _) in enumerate((one, two))]
    for corpus, (_, seed) in zip(corpora, (one, two), strict=True):
        plan = wf.inspection_plan(corpus)
        _numbers_ok(plan)
        n_located = int(plan["located"].sum())
        assert plan.sort_values("characteristic")["located"].tolist() == [True] * n_located + [False] * (
            len(plan) - n_located
        )
        # the same numbers whatever the order of the rows of every table
        assert _by_key(wf.inspection_plan(_shuffled(corpus, seed))) == _by_key(plan)
        # and whatever the order of the items in the answers
        answers = [dict(a) for a in (one, two)[corpora.index(corpus)][0]]
        rng = random.Random(seed)
        for a in answers:
            for k, v in list(a.items()):
                if isinstance(v, list):
                    a[k] = rng.sample(v, len(v))
        again = wf.inspection_plan(wf.from_responses(answers, drawing_id=corpus.drawing_ids[0]))
        assert _by_key(again) == _by_key(plan)


# ---------------------------------------------------------------------------------------------
# Rules, options and inputs
# ---------------------------------------------------------------------------------------------


def test_rules_are_public_data_and_replaceable(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    assert wf.inspection.CLASSIFICATION_RULES[-1] == {"classification": "minor"}
    assert any(r.get("kind") == "roughness" for r in wf.inspection.METHOD_RULES)
    one = sample.select("WF-1015")
    by_kind = wf.inspection_plan(one, classify={"thread": "critical"})
    assert (by_kind.loc[by_kind.kind == "thread", "classification"] == "critical").all()
    base = wf.inspection_plan(one)
    other = by_kind.kind != "thread"
    assert by_kind.loc[other, "classification"].tolist() == base.loc[other, "classification"].tolist()
    by_function = wf.inspection_plan(one, classify=lambda p: np.where(p["kind"] == "gdt", "critical", "minor"))
    assert set(by_function.loc[by_function.kind == "gdt", "classification"]) == {"critical"}
    rules = [{"method": "CMM", "tolerance_mm_at_most": 0.05}, {"method": "calliper"}]
    by_rules = wf.inspection_plan(one, methods=rules)
    width = _plan.tolerance_mm(by_rules)
    assert (by_rules.loc[width <= 0.05, "method"] == "CMM").all()
    assert set(by_rules["method"]) == {"CMM", "calliper"}
    with pytest.raises(ValueError, match=r"unknown keys.*'colour'"):
        wf.inspection_plan(one, methods=[{"method": "CMM", "colour": "red"}])
    with pytest.raises(ValueError, match="returned 1 values"):
        wf.inspection_plan(one, classify=lambda p: ["minor"])
    assert len(wf.inspection_plan(one, notes=False)) == len(base) - int((base.kind == "note").sum())


def test_feature_slices_keep_their_drawing_numbers(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    dims = sample.dimensions
    tight = dims[dims.it_grade <= 7]
    part = wf.inspection_plan(tight)
    assert len(part) == len(tight)
    assert set(part["table"]) == {"dimensions"}
    full = _by_key(plan)
    assert all(full[k] == v for k, v in _by_key(part).items())
    feats = sample.features
    some = feats[feats.table.isin(["threads", "gdnts"])]
    part = wf.inspection_plan(some)
    assert set(part["table"]) == {"threads", "gdnts"}
    assert all(full[k] == v for k, v in _by_key(part).items())
    with pytest.raises(ValueError, match="does not come from a corpus"):
        wf.inspection_plan(pd.DataFrame({"drawing_id": ["x"]}))
    with pytest.raises(TypeError, match="Corpus"):
        wf.inspection_plan("WF-1015")


def test_empty_corpus_gives_an_empty_schema_table() -> None:
    meta = {"ask_type": "META_DATA", "identifiers": [{"identifier_type": "DRAWING_NUMBER", "value": "X1"}]}
    empty = wf.inspection_plan(wf.from_responses([meta], drawing_id="m"))
    assert len(empty) == 0
    pd.testing.assert_frame_equal(empty, wf.schema.empty_frame("inspection_plan"))


@pytest.mark.parametrize(
    ("paper", "w", "h", "x", "y", "zone"),
    [
        ("A3", 1286, 909, 0, 0, "A1"),
        ("A3", 1286, 909, 1285, 908, "F8"),
        ("A3", 1286, 909, 700, 500, "D5"),
        ("A4", 909, 1286, 908, 1285, "F4"),
        ("A0", 2400, 1700, 2399, 1699, "R24"),  # 16 rows: letters I and O are not used
        ("Letter", 1100, 850, 1, 1, None),
    ],
)
def test_sheet_zones(paper: str, w: int, h: int, x: float, y: float, zone: str | None) -> None:
    assert _plan.sheet_zone(x, y, paper, w, h) == zone


# ---------------------------------------------------------------------------------------------
# The ballooned sheet
# ---------------------------------------------------------------------------------------------


def _svg_numbers(data: bytes) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(data)
    return ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_balloon_sheet_files(sample: wf.Corpus, plan: pd.DataFrame, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from PIL import Image

    sheet = wf.inspection.balloon_sheet(sample, "WF-1015", plan=plan)
    mine = plan[plan.drawing_number == "WF-1015"]
    located = sorted(mine.loc[mine.located, "characteristic"].astype(int))
    assert sorted(sheet.balloons["characteristic"]) == located
    assert sheet.not_drawn == sorted(mine.loc[~mine.located, "characteristic"].astype(int))
    png = sheet.save(tmp_path / "s.png")
    with Image.open(png) as im:
        im.verify()
    with Image.open(png) as im:
        # A3 landscape (420 mm) at 200 dpi: 3307 pixels wide, readable in print
        assert im.format == "PNG" and abs(im.width - 420 / 25.4 * 200) <= 2
    pdf = sheet.save(tmp_path / "s.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    svg = sheet.save(tmp_path / "s.svg").read_bytes()
    numbers = _svg_numbers(svg)
    assert sorted(numbers, key=int) == [str(c) for c in located]  # every located number drawn, once
    assert sheet.to_bytes("png") == sheet.to_bytes("png")  # no date in the file: same plan, same bytes
    html = sheet._repr_html_()
    assert html.startswith("<div") and "data:image/png;base64," in html and "WF-1015" in html
    with pytest.raises(ValueError, match=r"\.png, \.pdf or \.svg"):
        sheet.save(tmp_path / "s.gif")


def test_balloons_do_not_overlap_on_the_sample_sheets(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    drawn = 0
    for did in sample.drawing_ids:
        try:
            sheet = wf.inspection.balloon_sheet(sample, did, plan=plan)
        except LookupError:
            continue
        b = sheet.balloons
        drawn += len(b)
        xy = b[["x", "y"]].to_numpy()
        r = float(b["r"].iloc[0]) if len(b) else 0.0
        assert r > 0 or not len(b)
        # inside the sheet
        assert ((xy >= r) & (xy <= [sheet.width - r, sheet.height - r])).all(), did
        # no two balloons overlap
        d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) + np.eye(len(xy)) * 1e9
        assert (d >= 2 * r).all(), did
        # and none covers a feature's box (the sample sheets have room for all)
        assert sheet.crowded == [], did
        boxes = sheet.boxes
        for x, y in xy:
            cx = np.clip(x, boxes[:, 0], boxes[:, 2])
            cy = np.clip(y, boxes[:, 1], boxes[:, 3])
            assert (((cx - x) ** 2 + (cy - y) ** 2) >= r * r).all(), did
    assert drawn > 1000


def test_balloon_sheet_errors(sample: wf.Corpus, plan: pd.DataFrame) -> None:
    no_image = wf.from_responses(builders.all_responses(), drawing_id="b")
    with pytest.raises(LookupError, match=r"'b' \(b\) has no sheet image on page 0 to balloon: no sheet image"):
        wf.inspection.balloon_sheet(no_image, "b")
    other = plan[plan.drawing_number == "WF-1012"]
    with pytest.raises(ValueError, match="no rows of drawing 'WF-1015'"):
        wf.inspection.balloon_sheet(sample, "WF-1015", plan=other)
    with pytest.raises(ValueError, match="lacks"):
        wf.inspection.balloon_sheet(sample, "WF-1015", plan=sample.dimensions)


def test_place_balloons_finds_room_or_says_so() -> None:
    from werk24_frames.inspection import _sheet

    rows = pd.DataFrame(
        {
            "characteristic": [1, 2, 3],
            "balloon_x": [50.0, 50.0, 50.0],  # all three want the same place
            "balloon_y": [50.0, 50.0, 50.0],
            "x_min": [60.0, 60.0, 60.0],
            "y_min": [60.0, 60.0, 60.0],
            "x_max": [80.0, 80.0, 80.0],
            "y_max": [70.0, 70.0, 70.0],
            "classification": ["minor"] * 3,
        }
    )
    boxes = rows[["x_min", "y_min", "x_max", "y_max"]].to_numpy()[:1]
    placed, crowded = _sheet.place_balloons(rows, boxes, 400, 300, 8)
    xy = placed[["x", "y"]].to_numpy()
    assert crowded == [] and tuple(xy[0]) == (50.0, 50.0)  # the first keeps its preferred place
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2)) + np.eye(3) * 1e9
    assert (d >= 16).all()
    # a sheet too small for three balloons: they are placed anyway and reported
    _, crowded = _sheet.place_balloons(rows, boxes, 40, 40, 8)
    assert crowded


# ---------------------------------------------------------------------------------------------
# docs/inspection.md stays true
# ---------------------------------------------------------------------------------------------

DOC = Path(__file__).parent.parent / "docs" / "inspection.md"


def test_docs_print_the_rules_as_they_are_and_their_images_exist() -> None:
    """(docs/inspection.md's code is run by tests/test_inspection_docs.py.)"""
    import re

    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    printed = [ln[2:] for ln in blocks[2].splitlines() if ln.startswith("# {")]
    assert printed == [repr(r) for r in wf.inspection.CLASSIFICATION_RULES]
    images = re.findall(r"\]\((images/[^)]+)\)", text)
    assert images
    for image in images:
        assert (DOC.parent / image).is_file(), image


# ---------------------------------------------------------------------------------------------
# Bore or shaft: the side of a diameter, and its method
# ---------------------------------------------------------------------------------------------

# ISO 286-1's fundamental deviation letters: capitals for holes, small letters for shafts.
ISO286_LETTERS = (
    *("A", "B", "C", "CD", "D", "E", "EF", "F", "FG", "G", "H", "J", "JS", "K", "M", "N", "P", "R"),
    *("S", "T", "U", "V", "X", "Y", "Z", "ZA", "ZB", "ZC"),
)
NOT_LETTERS = ("I", "L", "O", "Q", "W", "AB", "HH", "Cd", "zA")  # no ISO 286 letter in any case
GRADES = ("01", *(str(g) for g in range(0, 19)))


def _expected_side(fit: str | None, table: str) -> str | None:
    if table == "bores":
        return "internal"
    if fit is None or "/" in fit:  # explicit deviations only, or a pair naming both
        return None
    letter = fit.rstrip("0123456789")
    grade = fit[len(letter) :]
    if grade not in GRADES:
        return None
    if letter in ISO286_LETTERS:
        return "internal"
    if letter in {x.lower() for x in ISO286_LETTERS}:
        return "external"
    if letter.lower() == "js":  # JS written in mixed case: its first letter's case
        return "internal" if letter[0].isupper() else "external"
    return None


def _case(letter: str, how: str) -> str:
    return {"upper": letter.upper(), "lower": letter.lower(), "first": letter[0].upper() + letter[1:].lower()}[how]


FITS = st.one_of(
    st.none(),
    st.builds(
        lambda letter, how, grade: _case(letter, how) + grade,
        st.sampled_from(ISO286_LETTERS),
        st.sampled_from(["upper", "lower", "first"]),
        st.sampled_from([*GRADES, "19", "25"]),
    ),
    st.builds(lambda letter, grade: letter + grade, st.sampled_from(NOT_LETTERS), st.sampled_from(GRADES)),
    st.builds(lambda g1, g2: f"H{g1}/g{g2}", st.sampled_from(GRADES[5:12]), st.sampled_from(GRADES[5:12])),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    FITS,
    st.sampled_from(["dimensions", "bores"]),
    st.sampled_from([3, 6, 10, 18, 25, 40, 63, 100, 250]),
    st.sampled_from([None, 0.004, 0.02, 0.05, 0.2]),
)
def test_a_diameters_side_and_method_over_every_fit_letter_and_case(fit, table, nominal, width) -> None:
    """Capitals are holes, small letters shafts (ISO 286-1); a bore is internal; a pair or plain
    deviations tell nothing, and then the method names both tools and the note says why."""
    tol = {"fit": fit} if fit is not None else {}
    if width is not None:
        tol.update(lower=f"{-width:g}", upper="0")
    diameter = builders.size(f"{nominal}", size_type="DIAMETER", **tol)
    item = {
        "reference_id": 1,
        "label": f"Ø{nominal} {fit or ''}".strip(),
        "quantity": 1,
        "confidence": {"score": "0.9"},
    }
    item.update({"size": diameter} if table == "dimensions" else {"diameter": diameter})
    corpus = wf.from_responses([{"ask_version": "v2", "ask_type": "FEATURES", table: [item]}], drawing_id="d")
    p = wf.inspection_plan(corpus)
    row = p[(p.table == table) & (p.role == "size")].iloc[0]
    side = _expected_side(fit, table)
    assert (None if pd.isna(row["side"]) else row["side"]) == side
    zone = row["upper_limit_mm"] - row["lower_limit_mm"]
    if not zone <= 0.05 + 1e-12:  # wide or unknown: a calliper, whichever side
        assert row["method"] == "calliper"
    elif zone <= 0.01 + 1e-12:
        assert row["method"] == "CMM"
    else:
        expected = {"internal": "bore gauge", "external": "micrometer", None: "micrometer or bore gauge"}[side]
        assert row["method"] == expected
    neutral = row["method"] == "micrometer or bore gauge"
    assert neutral == (not pd.isna(row["note"]) and "bore or shaft not known" in row["note"])


def test_the_sample_holes_and_shafts(plan: pd.DataFrame) -> None:
    dims = plan[(plan.table == "dimensions") & (plan.kind == "diameter")].set_index("requirement")
    hole = dims.loc[["Ø5 H8 (5.000–5.018)"], ["side", "method"]].drop_duplicates()
    assert hole.values.tolist() == [["internal", "bore gauge"]]  # a micrometer before: no bore or shaft told
    shaft = dims.loc[["Ø26 h7 (25.979–26.000)"], ["side", "method"]].drop_duplicates()
    assert shaft.values.tolist() == [["external", "micrometer"]]
    # plain deviations on a diameter: which it is, the drawing's picture knows, the tables do not
    plain = dims.loc[["Ø22 0/-0.02 (21.980–22.000)"]]
    assert plain["side"].isna().all() and (plain["method"] == "micrometer or bore gauge").all()
    threads = plan[plan.kind == "thread"]
    crest = {"minor_diameter": "internal", "major_diameter": "external"}
    for role, side in crest.items():
        assert (threads.loc[threads.role == role, "side"] == side).all()
    # a rule may choose by side
    rules = [{"method": "air gauge", "side": "internal"}, {"method": "calliper"}]
    one = wf.inspection_plan(wf.sample_corpus().select("WF-1015"), methods=rules)
    assert (one.loc[one.side == "internal", "method"] == "air gauge").all()
    assert (one.loc[one.side != "internal", "method"].fillna("calliper") == "calliper").all()
    assert one["note"].fillna("").str.contains("bore or shaft").sum() == 0  # own rules: no note of ours
