"""wf.similar against 100,000 drawings of history: building the vectors, and querying them.

Run: ``python benchmarks/bench_similar.py`` (history of 100,000 drawings, 1,000 queries, k = 5;
about a minute on 2 cores) or ``--history 20000 --queries 200`` for a quick look.

The history is synthetic, made from the cost-driver columns of the two bundled samples (57
drawings): each synthetic drawing is a sample drawing's vector with its counts and sizes
jittered (counts ±30 %, sizes and weight by a log-normal factor of σ 0.25), and its material
family and process kept. Measured in one process, best of ``--repeat``:

- **encode**: the history and the queries as scaled, weighted matrices (``_similar.encode``);
- **search**: the ``k`` nearest of each query, by
  - the **baseline**, the brute force a user would write in numpy: for each query, the distance
    to every history row (``np.linalg.norm(H - q, axis=1)``) and ``np.argsort``;
  - **numpy**, our fallback: the same exact search in chunks of queries with one matrix product
    per chunk and ``argpartition``;
  - **scikit-learn**, ``NearestNeighbors`` (fit included), when it is installed;
- **wf.similar end to end** (vectors given as frames; encode, search and the ``why`` texts).

The two searches must find the same neighbours as the baseline; the run stops if they do not.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import werk24_frames as wf
from werk24_frames.comparison import _similar
from werk24_frames.samples import sample_path


def synthetic_history(n: int, seed: int = 21) -> pd.DataFrame:
    """``n`` drawings' similarity vectors made from the samples' (see the module docstring)."""
    base = _similar.similarity_vectors(wf.load([sample_path(), sample_path("revisions")]))
    rng = np.random.default_rng(seed)
    rows = base.iloc[rng.integers(0, len(base), size=n)].reset_index(drop=True)
    out = rows.copy()
    counts = [c for c in out.columns if c.startswith("n_")]
    for c in counts:
        x = out[c].astype("float64").to_numpy(na_value=np.nan)
        out[c] = np.round(x * rng.uniform(0.7, 1.3, size=n))
    for c in ("tightest_width_mm", "envelope_max_mm", "envelope_volume_cm3", "volume_cm3", "weight_kg"):
        x = out[c].astype("float64").to_numpy(na_value=np.nan)
        out[c] = x * rng.lognormal(0, 0.25, size=n)
    grade = out["finest_it_grade"].astype("float64").to_numpy(na_value=np.nan)
    out["finest_it_grade"] = np.clip(grade + rng.integers(-1, 2, size=n), 4, 14)
    out.index = pd.Index([f"h{i:06d}" for i in range(n)], name="drawing_id")
    out["drawing_number"] = [f"H-{i}" for i in range(n)]
    return out


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def baseline(ref: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    out = np.empty((len(queries), k), dtype=np.int64)
    for i, q in enumerate(queries):
        d = np.linalg.norm(ref - q, axis=1)
        out[i] = np.argsort(d, kind="stable")[:k]
    return out


def same_neighbours(a: np.ndarray, b: np.ndarray, ref: np.ndarray, queries: np.ndarray) -> bool:
    """Equal, or equally near where distances tie at the k-th place."""
    if (a == b).all():
        return True
    da = np.sort(np.linalg.norm(ref[a] - queries[:, None, :], axis=2), axis=1)
    db = np.sort(np.linalg.norm(ref[b] - queries[:, None, :], axis=2), axis=1)
    return bool(np.allclose(da, db, rtol=0, atol=1e-9))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs; history {args.history:,}, queries {args.queries:,}, k = {args.k}"
    )
    t0 = time.perf_counter()
    history = synthetic_history(args.history)
    queries = synthetic_history(args.queries, seed=99)
    queries.index = pd.Index([f"q{i:06d}" for i in range(len(queries))], name="drawing_id")
    print(f"  synthetic vectors made in {time.perf_counter() - t0:.2f} s")

    t_enc, (ref, qm) = best(lambda: _similar.encode(history, queries), args.repeat)
    print(f"  encode (scale and weight)        {t_enc:8.3f} s   ({ref.shape[1]} columns)")

    t_base, idx_base = best(lambda: baseline(ref, qm, args.k), max(1, args.repeat - 2))
    print(f"  search, baseline (per query)     {t_base:8.3f} s")
    t_np, (_, idx_np) = best(lambda: _similar.nearest(ref, qm, args.k, backend="numpy"), args.repeat)
    print(f"  search, numpy chunks             {t_np:8.3f} s   {t_base / t_np:6.1f}x the baseline")
    if not same_neighbours(idx_np, idx_base, ref, qm):
        print("numpy search disagrees with the baseline", file=sys.stderr)
        return 1
    if _similar._have_sklearn():
        t_sk, (_, idx_sk) = best(lambda: _similar.nearest(ref, qm, args.k, backend="sklearn"), args.repeat)
        print(f"  search, scikit-learn (with fit)  {t_sk:8.3f} s   {t_base / t_sk:6.1f}x the baseline")
        if not same_neighbours(idx_sk, idx_base, ref, qm):
            print("scikit-learn search disagrees with the baseline", file=sys.stderr)
            return 1
    else:
        print("  search, scikit-learn: not installed")
    t_all, near = best(lambda: wf.similar(queries, history=history, k=args.k), max(1, args.repeat - 2))
    print(
        f"  wf.similar end to end            {t_all:8.3f} s   ({len(near):,} rows; "
        f"{t_all / args.queries * 1e3:.2f} ms a query)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
