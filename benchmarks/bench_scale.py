"""Every figure of issue 19 from one run: cold load, warm re-open, datasets and cost per row.

Run: ``python benchmarks/bench_scale.py`` (N = 2,000, 20,000 and 100,000 drawings; about
15 minutes on 2 cores, most of it writing the 100,000 files once), or
``python benchmarks/bench_scale.py --sizes 500 2000 --big 5000`` for a quick look.
``--workdir DIR`` keeps the generated files between runs.

The drawings are a realistic mix (see :func:`make_mixed_drawing`), not only the load
benchmark's own: metric and inch drawings, ISO 2768 and DIN 7168 general tolerances, a tenth
of them in the looser shape of the API documentation's examples (a thread diameter as a bare
string, a flat bore depth, a chamfer without confidence), REFERENCE_POSITIONS with polygons
for a third, and one broken file in 500.

For N = 2,000 and 20,000, in this process, on the same files (best of ``--repeat``; wall
time, CPU time beside it):

- **parse floor**: reading and parsing every file with orjson, nothing else;
- **json_normalize, used well**: the same parse, then for every list we make a table of
  (every FEATURES list, the META_DATA lists, the bill of material's rows, the INSIGHTS
  processes, the reference positions) all items gathered across drawings, tagged with their
  drawing, and one ``pandas.json_normalize`` call per list, plus one for the META_DATA and
  INSIGHTS answers themselves. Its columns stay untyped, and no limits are computed;
- **cold**: ``wf.load(folder, cache=False)`` and every table (``corpus.tables()``: typed, with
  limits, materials and problems);
- **cold, filling the cache**: the same into an empty cache folder;
- **warm**: ``wf.load(folder)`` again from that cache, and every table;
- **warm open**: ``wf.load(folder)`` alone (tables are converted when first used).

For N = 20,000 and ``--big`` (100,000), each in a fresh process: ``wf.to_dataset`` (time and
peak RSS), ``wf.to_dataset(workers=2)`` at ``--big`` (time, CPU of both processes, and the peak
RSS of this process plus that of each child, summed), and the cold load with all tables (time
per row, peak RSS). The cost per row is compared between fresh processes at the smallest size
(best of ``--repeat``) and at ``--big``; the in-process figure is printed beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import gc
import glob
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import bench_load  # noqa: E402

import werk24_frames as wf  # noqa: E402
from werk24_frames import schema  # noqa: E402

EXAMPLES = HERE.parent / "tests" / "data" / "examples"

# The lists ``wf.load`` makes tables of, per ask; the baseline normalises the same ones.
LISTS = {
    "FEATURES": list(schema.FEATURE_TABLES),
    "META_DATA": ["identifiers", "designation", "material_options", "notes", "certifications"],
    "INSIGHTS": ["secondary_processes", "primary_process_options"],
    "REFERENCE_POSITIONS": ["reference_positions"],
}

_INCH = 25.4


def _docs() -> list[dict[str, Any]]:
    return [orjson.loads((EXAMPLES / f"docs_{a}.json").read_bytes()) for a in ("meta_data", "features", "insights")]


def _to_inch(size: Any) -> None:
    if isinstance(size, dict) and size.get("unit") == "mm":
        size["unit"] = "inch"
        size["value"] = f"{float(size['value']) / _INCH:.4f}"
        tol = size.get("tolerance")
        if isinstance(tol, dict):
            for k in ("deviation_lower", "deviation_upper"):
                if tol.get(k) is not None:
                    tol[k] = f"{float(tol[k]) / _INCH:.5f}"


def _positions(rng: random.Random, features: dict[str, Any]) -> dict[str, Any]:
    items = []
    for name in schema.FEATURE_TABLES:
        for it in features.get(name) or ():
            x, y = rng.uniform(0, 4000), rng.uniform(0, 2800)
            w, h = rng.uniform(20, 200), rng.uniform(10, 60)
            items.append(
                {
                    "reference_id": it.get("reference_id"),
                    "page_number": 0,
                    "polygon": {
                        "coordinate_space": "PIXEL_SPACE",
                        "coordinates": [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
                    },
                }
            )
    return {"ask_version": "v2", "ask_type": "REFERENCE_POSITIONS", "reference_positions": items}


def make_mixed_drawing(rng: random.Random, docs: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """One drawing's answers; None for a broken file."""
    if rng.random() < 0.002:
        return None
    if rng.random() < 0.1:  # the documentation's shape, values varied
        meta, features, insights = copy.deepcopy(docs)
        if isinstance(meta.get("weight"), dict):
            meta["weight"]["value"] = f"{rng.uniform(0.1, 5):.3f}"
        for d in features.get("dimensions") or ():
            d["size"]["value"] = f"{rng.uniform(2, 400):.1f}"
        return [meta, features, insights]
    meta, features, insights = bench_load.make_drawing(rng)
    gt = rng.random()
    if gt < 0.6:
        meta["general_tolerances"]["tolerance_standard"] = "ISO 2768"
        meta["general_tolerances"]["tolerance_class"] = rng.choice(["m", "f", "c", "mK", "fH"])
    elif gt < 0.85:
        meta["general_tolerances"]["tolerance_standard"] = "DIN 7168"
        meta["general_tolerances"]["tolerance_class"] = rng.choice(["m", "f", "g"])
    else:
        meta["general_tolerances"] = None
    if rng.random() < 0.25:  # an inch drawing
        meta["unit_systems"] = [{"reference_id": 905, "unit_system_type": "IMPERIAL"}]
        for name in ("dimensions", "radii", "chamfers"):
            for it in features[name]:
                _to_inch(it["size"])
        for b in features["bores"]:
            _to_inch(b["diameter"])
    if rng.random() < 0.2:  # threads as the docs write them: the diameter a bare string
        for t in features["threads"]:
            t["diameter"] = "8"
    out = [meta, features, insights]
    if rng.random() < 0.33:
        out.append(_positions(rng, features))
    return out


def write_mixed(folder: Path, n: int, seed: int = 19) -> None:
    rng = random.Random(seed)
    docs = _docs()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        answers = make_mixed_drawing(rng, docs)
        path = folder / f"D{i:06d}.json"
        if answers is None:
            path.write_text('[{"ask_type": "FEATURES", "dimensions": [{"label": ', encoding="utf-8")
        else:
            path.write_bytes(orjson.dumps(answers))


def corpus_folder(workdir: Path, n: int) -> Path:
    folder = workdir / f"mixed{n}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_mixed(folder, n)
        marker.write_text("ok")
    return folder


# --------------------------------------------------------------------------------------
# What is timed
# --------------------------------------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".json")


def parse_floor(folder: Path) -> int:
    n = 0
    for path in _files(folder):
        with contextlib.suppress(orjson.JSONDecodeError):
            orjson.loads(path.read_bytes())
        n += 1
    return n


def json_normalize_baseline(folder: Path) -> int:
    gathered: dict[str, list[dict[str, Any]]] = {f"{a}.{k}": [] for a, ks in LISTS.items() for k in ks}
    gathered["bill_of_material.rows"] = []
    answers: dict[str, list[dict[str, Any]]] = {"META_DATA": [], "INSIGHTS": []}
    for path in _files(folder):
        drawing_id = path.stem
        try:
            responses = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            continue
        for response in responses:
            ask = response.get("ask_type")
            for key in LISTS.get(ask, ()):
                for item in response.get(key) or ():
                    if isinstance(item, dict):
                        item["drawing_id"] = drawing_id
                        gathered[f"{ask}.{key}"].append(item)
            if ask == "META_DATA":
                bom = response.get("bill_of_material") or {}
                for row in bom.get("rows") or ():
                    row["drawing_id"] = drawing_id
                    gathered["bill_of_material.rows"].append(row)
            if ask in answers:
                flat = {k: v for k, v in response.items() if not isinstance(v, list)}
                flat["drawing_id"] = drawing_id
                answers[ask].append(flat)
    rows = 0
    for items in [*gathered.values(), *answers.values()]:
        if items:
            rows += len(pd.json_normalize(items))
    return rows


def _n_rows(corpus: wf.Corpus) -> int:
    return sum(len(corpus.table(t)) for t in schema.TABLES if t != "features")


def cold(folder: Path) -> int:
    return _n_rows(wf.load(folder, cache=False))


def timed(fn: Callable[[], int], repeat: int, before: Callable[[], None] | None = None) -> tuple[float, float, int]:
    """Best wall time, the CPU time of that run, and the result."""
    best = (float("inf"), 0.0, 0)
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        w, c = time.perf_counter() - w, time.process_time() - c
        if w < best[0]:
            best = (w, c, result)
    return best


def in_process(n: int, repeat: int, workdir: Path) -> dict[str, Any]:
    folder = corpus_folder(workdir, n)
    store = workdir / f"cache{n}"

    def empty_cache() -> None:
        shutil.rmtree(store, ignore_errors=True)

    out: dict[str, Any] = {"n": n}
    out["parse"] = timed(lambda: parse_floor(folder), repeat)
    out["normalize"] = timed(lambda: json_normalize_baseline(folder), repeat)
    out["cold"] = timed(lambda: cold(folder), repeat)
    out["cold_cache"] = timed(lambda: _n_rows(wf.load(folder, cache=store)), repeat, before=empty_cache)
    out["warm"] = timed(lambda: _n_rows(wf.load(folder, cache=store)), repeat)
    out["warm_open"] = timed(lambda: len(wf.load(folder, cache=store)), repeat)
    out["cache_mb"] = wf.cache_info(store)["bytes"] / 1e6
    out["rows"] = out["cold"][2]
    return out


# --------------------------------------------------------------------------------------
# Fresh processes: to_dataset and the cold load's memory
# --------------------------------------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory. ``VmHWM``, not ``ru_maxrss``: on Linux a child keeps
    the ``ru_maxrss`` of the parent it was forked from, across ``exec``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peaks(peaks: dict[str, float], stop: threading.Event) -> None:
    """The peak resident memory of every child process (the workers of ``to_dataset(workers=2)``
    and multiprocessing's resource tracker), read from their ``VmHWM`` every 0.1 s until
    ``stop``; ``VmHWM`` only grows, so the last reading before a child ends is its peak."""
    while not stop.is_set():
        for listing in glob.glob("/proc/self/task/*/children"):
            for pid in Path(listing).read_text().split():
                with contextlib.suppress(OSError, ValueError):
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            peaks[pid] = max(peaks.get(pid, 0.0), int(line.split()[1]) / 1024)
        stop.wait(0.1)


def child(kind: str, folder: Path, target: Path) -> None:
    base = _peak_mb()
    peaks: dict[str, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_children_peaks, args=(peaks, stop), daemon=True)
    watcher.start()
    w, c = time.perf_counter(), time.process_time()
    rows = 0
    if kind.startswith("dataset"):
        shutil.rmtree(target, ignore_errors=True)
        wf.to_dataset(folder, target, progress=False, workers=2 if kind == "dataset2" else 1)
    else:
        rows = _n_rows(wf.load(folder, cache=False))
    w, c = time.perf_counter() - w, time.process_time() - c
    stop.set()
    watcher.join()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, ended and waited for
    result = {
        "wall": w,
        "cpu": c,
        "children_cpu": kids.ru_utime + kids.ru_stime,
        "peak_mb": _peak_mb(),
        "children_peak_mb": sorted(peaks.values(), reverse=True),
        "base_mb": base,
        "rows": rows,
    }
    print(json.dumps(result))


def fresh(kind: str, n: int, workdir: Path) -> dict[str, Any]:
    folder = corpus_folder(workdir, n)
    target = workdir / f"dataset{n}"
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    if kind.startswith("dataset"):
        shutil.rmtree(target, ignore_errors=True)
    return result


# --------------------------------------------------------------------------------------


def _fmt(t: tuple[float, float, int]) -> str:
    return f"{t[0]:8.3f} s wall {t[1]:8.3f} s CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[2_000, 20_000])
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=3, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, werk24_frames {wf.__version__}, "
        f"{os.cpu_count()} CPUs (shared with other work: wall times vary)"
    )
    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="w24scale-")
        workdir = Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        for n in args.sizes:
            r = in_process(n, args.repeat if n <= 2_000 else max(1, args.repeat - 1), workdir)
            results[n] = r
            print(
                f"\nN = {n:,} drawings, {r['rows']:,} table rows (best of {args.repeat if n <= 2_000 else max(1, args.repeat - 1)})"
            )
            for key, label in [
                ("parse", "parse floor (orjson)"),
                ("normalize", "json_normalize, used well"),
                ("cold", "cold: load + every table"),
                ("cold_cache", "cold, filling the cache"),
                ("warm", "warm: load + every table"),
                ("warm_open", "warm open (tables lazy)"),
            ]:
                print(f"  {label:<30}{_fmt(r[key])}")
            norm, parse = r["normalize"][0], r["parse"][0]
            print(f"  cache on disk: {r['cache_mb']:.1f} MB")
            print(
                f"  cold vs json_normalize: {norm / r['cold'][0]:.2f}x wall, "
                f"{r['normalize'][1] / r['cold'][1]:.2f}x CPU   (target >= 3x)"
            )
            print(f"  warm vs json_normalize: {norm / r['warm'][0]:.1f}x   (target >= 30x)")
            print(f"  warm / parse floor:     {r['warm'][0] / parse:.2f}x   (target <= 0.5x)")
            print(f"  warm open / parse floor: {r['warm_open'][0] / parse:.2f}x")
            print(f"  cold cost per row: {r['cold'][0] / r['rows'] * 1e6:.2f} us")
        mid = 20_000 if 20_000 in args.sizes else args.sizes[-1]
        ds = {n: fresh("dataset", n, workdir) for n in (mid, args.big)}
        ds2 = fresh("dataset2", args.big, workdir)
        big_cold = fresh("cold", args.big, workdir)
        small = min(args.sizes)
        small_cold = min((fresh("cold", small, workdir) for _ in range(args.repeat)), key=lambda r: r["cpu"])
        print()
        for n, d in ds.items():
            print(
                f"to_dataset N = {n:,}: {d['wall']:.1f} s wall, {d['cpu']:.1f} s CPU, peak RSS {d['peak_mb']:.0f} MB "
                f"(the interpreter with pandas and werk24_frames: {d['base_mb']:.0f} MB)"
            )
        growth = ds[args.big]["peak_mb"] / ds[mid]["peak_mb"] - 1
        print(f"  peak RSS growth {mid:,} -> {args.big:,}: {growth * 100:+.0f} %   (target < 20 %, <= 500 MB)")
        kids = ds2["children_peak_mb"]
        print(
            f"to_dataset N = {args.big:,}, workers=2: {ds2['wall']:.1f} s wall (target < 300 s), CPU {ds2['cpu']:.1f} s "
            f"here + {ds2['children_cpu']:.1f} s in the worker; peak RSS {ds2['peak_mb']:.0f} MB here + "
            f"{' + '.join(f'{k:.0f}' for k in kids)} MB in child processes = {ds2['peak_mb'] + sum(kids):.0f} MB"
        )
        print(
            f"cold load N = {args.big:,} (fresh process): {big_cold['wall']:.1f} s wall, {big_cold['cpu']:.1f} s CPU, "
            f"{big_cold['rows']:,} rows, peak RSS {big_cold['peak_mb']:.0f} MB"
        )
        print(
            f"cold load N = {small:,} (fresh process, best of {args.repeat}): {small_cold['wall']:.2f} s wall, "
            f"{small_cold['cpu']:.2f} s CPU, {small_cold['rows']:,} rows"
        )
        for label, key in (("wall", "wall"), ("CPU", "cpu")):
            per_small = small_cold[key] / small_cold["rows"]
            per_big = big_cold[key] / big_cold["rows"]
            print(
                f"  cost per row ({label}, fresh processes): {per_small * 1e6:.2f} us at {small:,}, {per_big * 1e6:.2f} us at "
                f"{args.big:,} ({(per_big / per_small - 1) * 100:+.0f} %; target within 15 %)"
            )
        per_in = results[small]["cold"][1] / results[small]["rows"]
        print(f"  (in this process, after the other runs: {per_in * 1e6:.2f} us CPU per row at {small:,})")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
