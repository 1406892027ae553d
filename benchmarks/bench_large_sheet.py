"""Peak memory and time of ``wf.report`` over the sample corpus with one sheet of 169 Mpx.

One drawing of the sample corpus gets a 13,000 x 13,000 RGBA PNG as its sheet (just under
Pillow's own hard limit of 179 Mpx, and above ours of 140 Mpx). Each case runs in a fresh
process, which loads the corpus, builds the report and saves it, and reports its time and its
peak resident memory (``VmHWM`` of ``/proc/self/status``, Linux: unlike ``ru_maxrss`` it is not
inherited from the parent across fork and exec):

- ``default``: the sheet is refused from its header (a placeholder and a problem row);
- ``raised``: ``wf.views.MAX_IMAGE_PIXELS = 170_000_000`` admits it: decoded once, reduced,
  shared by the report's crops and thumbnails.

    python benchmarks/bench_large_sheet.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import sys, time
import werk24_frames as wf
wf.views.MAX_IMAGE_PIXELS = int(sys.argv[2])
start = time.perf_counter()
corpus = wf.load(sys.argv[1])
wf.report(corpus).save(sys.argv[1] + "/../report.html")
seconds = time.perf_counter() - start
with open("/proc/self/status") as fh:
    peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
refused = int(corpus.problems["message"].str.contains("more than the limit").sum())
print(f"{seconds:.1f} s, peak RSS {peak:.0f} MB, {refused} sheet refused")
"""


def main() -> None:
    import werk24_frames as wf

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(Path(wf.__file__).parent / "samples" / "data", corpus)
        first = sorted(p for p in corpus.iterdir() if p.is_dir())[0]
        side = 13_000
        make = (
            "from PIL import Image, ImageDraw; import sys; side = int(sys.argv[2]); "
            "img = Image.new('RGBA', (side, side), (255, 255, 255, 0)); "
            "ImageDraw.Draw(img).line((0, 0, side, side), fill=(0, 0, 0, 255), width=5); img.save(sys.argv[1])"
        )
        subprocess.run([sys.executable, "-c", make, str(first / "sheet_0.png"), str(side)], check=True)
        size = (first / "sheet_0.png").stat().st_size
        print(f"one sheet of {side} x {side} RGBA ({side * side / 1e6:.0f} Mpx, {size / 1e3:.0f} kB PNG)")
        for name, limit in (("default", 140_000_000), ("raised", 170_000_000)):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(corpus), str(limit)], capture_output=True, text=True, check=True
            )
            print(f"{name:8} limit {limit / 1e6:.0f} Mpx: {out.stdout.strip()}")


if __name__ == "__main__":
    main()
