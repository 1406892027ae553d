"""How fast ``wf.load`` builds the feature tables, against ``pandas.json_normalize`` and the parse floor.

Run: ``python benchmarks/bench_load.py`` (default N = 2,000 and 20,000 drawings), or
``python benchmarks/bench_load.py 500`` for a quick look.

For N synthetic drawings (one JSON file each, holding META_DATA, FEATURES and INSIGHTS answers
in the SDK's schema, decimals as strings) it times, in the same process, on the same files:

- **parse floor**: reading and parsing every file with orjson, nothing else;
- **json_normalize, used well**: the same parse, then every item of each feature list gathered
  across all drawings (tagged with its drawing id) and one ``pandas.json_normalize`` call per
  list. Its columns stay untyped (object, strings): less work than ours;
- **werk24_frames**: ``wf.load(folder, cache=False)``, a cold load (which flattens every answer, also META_DATA and
  INSIGHTS) plus every feature table as a typed DataFrame.

Each is run ``--repeat`` times (default 3) and the best time is kept. It prints rows per
second and the two ratios the project targets: at least 3x faster than json_normalize, and
within 3x of the parse floor.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pandas as pd

import werk24_frames as wf
from werk24_frames.schema import FEATURE_TABLES


def _size(rng: random.Random, nominal: float, size_type: str = "LINEAR", tol: bool = True) -> dict:
    tolerance = None
    if tol:
        kind = rng.random()
        lower = upper = fit = None
        if kind < 0.35:
            upper = f"{rng.choice([0.05, 0.1, 0.2]):g}"
            lower = f"-{upper}"
        elif kind < 0.5:
            fit = rng.choice(["H7", "h6", "g6", "k6", "H8"])
        tolerance = {
            "tolerance_grade": None,
            "deviation_lower": lower,
            "deviation_upper": upper,
            "fit": fit,
            "is_theoretically_exact": False,
            "is_reference": rng.random() < 0.05,
            "is_general_tolerance": kind >= 0.5,
            "is_approximation": False,
        }
    return {"value": f"{nominal:g}", "unit": "mm", "size_type": size_type, "tolerance": tolerance}


def _feature(rng: random.Random, rid: int, label: str) -> dict:
    return {"reference_id": rid, "label": label, "confidence": {"score": f"{rng.uniform(0.6, 1):.2f}"}}


def make_drawing(rng: random.Random) -> list[dict]:
    rid = iter(range(10_000))
    dims = []
    for _ in range(rng.randint(10, 30)):
        n = round(rng.uniform(2, 400), 1)
        dims.append({**_feature(rng, next(rid), f"{n:g}"), "quantity": 1, "size": _size(rng, n)})
    threads = [
        {
            **_feature(rng, next(rid), "M8x1.25"),
            "quantity": "2",
            "diameter": _size(rng, 8, "DIAMETER", tol=False),
            "spacing": {"pitch_in_mm": "1.25", "threads_per_inch": "20.32"},
            "handedness": "RIGHT",
            "depth": {"depth_type": "SIZE", "size": _size(rng, 16, tol=False)},
            "thread_type": "ISO_METRIC",
        }
        for _ in range(rng.randint(0, 3))
    ]
    bores = [
        {
            **_feature(rng, next(rid), "Ø10 H7"),
            "quantity": rng.randint(1, 4),
            "counterbore": None,
            "countersink": None,
            "counterdrill": None,
            "diameter": _size(rng, 10, "DIAMETER"),
            "depth": {"depth_type": "SIZE", "size": _size(rng, 20, tol=False)},
            "thread": None,
        }
        for _ in range(rng.randint(0, 3))
    ]
    chamfers = [
        {
            **_feature(rng, next(rid), "0.5x45°"),
            "quantity": 2,
            "size": _size(rng, 0.5),
            "angle": {"value": "45", "unit": "degree", "size_type": "ANGULAR", "tolerance": None},
        }
        for _ in range(rng.randint(0, 2))
    ]
    radii = [
        {**_feature(rng, next(rid), "R2"), "quantity": 1, "curvature_type": None, "size": _size(rng, 2)}
        for _ in range(rng.randint(0, 3))
    ]
    gdnts = [
        {
            **_feature(rng, next(rid), "[⌖|Ø0.1|A|B]"),
            "characteristic": rng.choice(["⌖", "⏥", "⟂", "↗"]),
            "zone": {"value": _size(rng, 0.1, "DIAMETER", tol=False), "extend": None},
            "feature": None,
            "reference": None,
            "material_condition": None,
            "state": None,
            "datums": [{"label": "A"}, {"label": "B"}],
        }
        for _ in range(rng.randint(0, 3))
    ]
    roughnesses = [
        {
            **_feature(rng, next(rid), "Ra 1.6"),
            "standard": "ISO 1302:2002",
            "machining_allowance": None,
            "material_removal_type": "REQUIRED",
            "applies_all_around": False,
            "direction_of_lay": None,
            "manufacturing_process": None,
            "conditions": [
                {
                    "condition_type": None,
                    "filter_type": None,
                    "parameter": "Ra",
                    "acceptance_criterion": None,
                    "value": {"value": "1.6", "unit": "µm", "size_type": "LINEAR", "tolerance": None},
                }
            ],
            "waviness": None,
        }
        for _ in range(rng.randint(0, 2))
    ]
    features = {
        "ask_version": "v2",
        "ask_type": "FEATURES",
        "page_type": "COMPONENT_DRAWING",
        "dimensions": dims,
        "threads": threads,
        "bores": bores,
        "chamfers": chamfers,
        "radii": radii,
        "gdnts": gdnts,
        "roughnesses": roughnesses,
        "undercuts": [],
        "key_slots": [],
        "center_holes": [],
        "fasteners": [],
    }
    meta = {
        "ask_version": "v2",
        "ask_type": "META_DATA",
        "page_type": "COMPONENT_DRAWING",
        "identifiers": [
            {"reference_id": 900, "value": f"D-{rng.randint(0, 10**6)}", "identifier_type": "DRAWING_NUMBER"}
        ],
        "designation": [{"reference_id": 901, "value": "SHAFT"}],
        "material_options": [
            {
                "reference_id": 902,
                "material_combination": [
                    {
                        "raw_ocr": "C45",
                        "designation": "C45",
                        "standard": "EN 10083-2",
                        "material_category": ["FERROUS_ALLOY", "STEEL", None],
                    }
                ],
            }
        ],
        "general_tolerances": {
            "reference_id": 903,
            "tolerance_standard": "ISO 2768",
            "tolerance_class": "m",
            "principle": None,
        },
        "weight": {"reference_id": 904, "value": f"{rng.uniform(0.1, 5):.3f}", "unit": "kg"},
        "languages": ["ENG"],
        "unit_systems": [{"reference_id": 905, "unit_system_type": "METRIC"}],
    }
    insights = {
        "ask_version": "v2",
        "ask_type": "INSIGHTS",
        "page_type": "COMPONENT_DRAWING",
        "primary_process_options": [{"primary_process": "TURNING", "requires_secondary_milling": False}],
        "secondary_processes": [],
        "volume_estimate": {"value": "12.5", "unit": "cm³", "volume_estimate_type": "UPPER_BOUND_IGNORING_CAVITIES"},
    }
    return [meta, features, insights]


def write_corpus(folder: Path, n: int, seed: int = 24) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"D{i:06d}.json").write_text(json.dumps(make_drawing(rng), ensure_ascii=False), encoding="utf-8")


def parse_floor(folder: Path) -> int:
    n = 0
    for path in sorted(folder.iterdir()):
        orjson.loads(path.read_bytes())
        n += 1
    return n


def json_normalize_baseline(folder: Path) -> int:
    gathered: dict[str, list[dict]] = {name: [] for name in FEATURE_TABLES}
    for path in sorted(folder.iterdir()):
        drawing_id = path.stem
        for response in orjson.loads(path.read_bytes()):
            if response.get("ask_type") != "FEATURES":
                continue
            for name in FEATURE_TABLES:
                for item in response.get(name) or ():
                    item["drawing_id"] = drawing_id
                    gathered[name].append(item)
    rows = 0
    for items in gathered.values():
        if items:
            rows += len(pd.json_normalize(items))
    return rows


def werk24_frames_load(folder: Path) -> int:
    corpus = wf.load(folder, cache=False)  # cold every time: the warm re-open is bench_scale's
    return sum(len(corpus.table(name)) for name in FEATURE_TABLES)


def best_of(fn: Callable[[Path], int], folder: Path, repeat: int) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn(folder)
        best = min(best, time.perf_counter() - t0)
    return best, result


def run(n: int, repeat: int, workdir: Path) -> dict[str, float]:
    folder = workdir / f"n{n}"
    if not folder.exists() or len(list(folder.iterdir())) != n:
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n)
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    t_parse, _ = best_of(parse_floor, folder, repeat)
    t_norm, rows_norm = best_of(json_normalize_baseline, folder, repeat)
    t_ours, rows_ours = best_of(werk24_frames_load, folder, repeat)
    assert rows_ours == rows_norm, (rows_ours, rows_norm)
    print(f"\nN = {n:,} drawings, {rows_ours:,} feature rows, {size_mb:.1f} MB of JSON (best of {repeat})")
    print(f"  {'parse floor (orjson)':<34}{t_parse:8.3f} s")
    print(f"  {'pandas.json_normalize, used well':<34}{t_norm:8.3f} s  {rows_norm / t_norm:12,.0f} rows/s")
    print(f"  {'werk24_frames (typed tables)':<34}{t_ours:8.3f} s  {rows_ours / t_ours:12,.0f} rows/s")
    speedup = t_norm / t_ours
    floor = t_ours / t_parse
    print(f"  speed-up over json_normalize: {speedup:5.2f}x   (target >= 3x)  {'OK' if speedup >= 3 else 'MISSED'}")
    print(f"  time / parse floor:           {floor:5.2f}x   (target <= 3x)  {'OK' if floor <= 3 else 'MISSED'}")
    return {"n": n, "parse": t_parse, "normalize": t_norm, "ours": t_ours, "speedup": speedup, "floor": floor}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2_000, 20_000], help="numbers of drawings")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None, help="where to write the synthetic JSON")
    args = parser.parse_args(argv)
    print(
        f"python {sys.version.split()[0]}, pandas {pd.__version__}, orjson {orjson.__version__}, werk24_frames {wf.__version__}"
    )
    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="w24bench-")
        workdir = Path(tmp.name)
    try:
        for n in args.sizes:
            run(n, args.repeat, workdir)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
