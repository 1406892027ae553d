"""How fast the gallery opens over many drawings, and how much memory it holds.

Run: ``python benchmarks/bench_gallery.py`` (default N = 1,000 drawings), or
``python benchmarks/bench_gallery.py 5000``.

N drawings are made by copying the sample drawings' folders (answers and sheet images) under
new names, so each is a separate drawing with its own thumbnail to make. After loading the
corpus and building the tables a gallery shows (metadata, features, images), it times, in the
same process:

- **baseline**: ``corpus.metadata.to_html()``, pandas rendering the drawings' metadata table,
  the plainest way to "show the corpus" in a notebook;
- **gallery open**: ``corpus.gallery()`` with an empty thumbnail cache: the filters, the
  drawing cards, and the first page's 12 thumbnails decoded, downscaled and encoded;
- **next page**: one click on "next" (12 more thumbnails, cold);
- **thumbnails**: ``corpus.thumbnails()`` (30 tiles, cold).

Each is run ``--repeat`` times (default 3), the best time kept, and shown as a ratio to the
baseline. Memory: the peak Python allocation (tracemalloc) while the gallery opens, the size
of one page's HTML, and the thumbnail cache after paging through every page.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import werk24_frames as wf
from werk24_frames import _images
from werk24_frames.samples import sample_path


def make_corpus(n: int, root: Path) -> wf.Corpus:
    samples = sorted(p for p in sample_path().iterdir() if p.is_dir())
    for i in range(n):
        shutil.copytree(samples[i % len(samples)], root / f"D{i:06d}")
    return wf.load(root)


def best(func: Callable[[], object], repeat: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        gc.collect()
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="drawings (default 1,000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        corpus = make_corpus(args.n, Path(tmp))
        for name in ("metadata", "features", "images", "positions"):
            corpus.table(name)
        print(f"{len(corpus):,} drawings loaded and tabulated in {time.perf_counter() - t0:.1f} s\n")

        def cold() -> None:
            _images._caches.pop(corpus, None)

        base = best(lambda: corpus.metadata.to_html(), args.repeat)
        opened = best(lambda: corpus.gallery(), args.repeat, cold)
        g = corpus.gallery()
        cold()
        turn = best(lambda: (g.next.click(), g.go(0)), args.repeat, cold) / 2
        grid = best(lambda: corpus.thumbnails(), args.repeat, cold)

        cold()
        tracemalloc.start()
        g = corpus.gallery()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        page_html = len(g.grid.value)
        for _ in range(g.n_pages):
            g.next.click()
        cache = _images._caches[corpus]
        cached = sum(len(p.png) for p in cache.items.values() if p is not None)

    print(f"{'':28}{'seconds':>10}{'x baseline':>12}")
    for label, t in (
        ("metadata.to_html (baseline)", base),
        ("gallery open", opened),
        ("next page", turn),
        ("thumbnails(), 30 tiles", grid),
    ):
        print(f"{label:28}{t:>10.3f}{t / base:>12.2f}")
    print(
        f"\npeak allocation while opening: {peak / 2**20:.1f} MiB; one page of HTML: {page_html / 1024:.0f} KiB;"
        f"\nthumbnail cache after all {g.n_pages} pages: {len(cache.items)} thumbnails, {cached / 2**20:.1f} MiB "
        f"(at most {_images.CACHE_SIZE} kept)"
    )
    target = "met" if opened < 1.0 else "NOT met"
    print(f"\ntarget (gallery over {args.n:,} drawings opens in under a second): {target}")


if __name__ == "__main__":
    sys.exit(main())
