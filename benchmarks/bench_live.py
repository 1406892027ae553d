"""How close live reading comes to the ideal, against the loopback Werk24 emulator.

Run: ``python benchmarks/bench_live.py`` (200 drawings, 0.25 s per read, concurrency 1, 4 and
16), or ``python benchmarks/bench_live.py --drawings 50 --latency 0.1`` for a quick look.

The emulator runs in a **separate process** (so its work does not compete with the client for
the GIL) and answers every read after a fixed latency, with the stored answers of the sample
drawing it was sent (13-26 dimensions each) and its sheet as the image. For each concurrency ``c`` it times
``wf.read_drawings`` of N distinct drawings (sample sheets, ~30-80 kB each, made distinct by a
trailing comment) with the five default asks, the sheet image downloaded and everything
written to a fresh store, and compares the wall time with the ideal ``latency x N / c``:

- **ratio to ideal** = wall / ideal (the target at c = 16: at most 1.15). N / c reads per
  client is not a whole number for N = 200, c = 16, so no run can reach that ideal; the
  **floor** ``ceil(N / c) x latency`` is what a perfect client reaches, and its ratio is shown
  too;
- **client overhead per read** = (wall - ideal) x c / N: what one read costs beyond waiting
  for the server (connection, upload, download, hashing, store writes, building the corpus);
- **the bare SDK**, as the baseline in the same process: the same reads with ``c``
  ``Werk24Client``s and nothing else (no store, no tables), and werk24_frames' time over it.

Then it re-runs the last read on the filled store (nothing sent) and reports the cached
re-run time (the target: under 2 s for 200 drawings).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_SERVER = """
import hashlib, sys
import orjson
from werk24_frames.samples import sample_path
from werk24_frames.testing import Behaviour, Werk24Emulator

folders = {p.name: p for p in sample_path().iterdir() if p.is_dir()}

def answers(drawing, asks):  # the sample drawing's stored answers, its sheet as the image
    sheet = drawing[: drawing.rindex(b"<!-- bench")]
    folder = folders[hashlib.sha256(sheet).hexdigest()[:16]]
    out = {}
    for ask in asks:
        messages = orjson.loads((folder / f"{ask}.json").read_bytes())
        for m in messages:
            if m.pop("payload_file", None):
                m["payload_bytes"] = sheet
        out[ask] = messages
    return out

with Werk24Emulator(answers=answers, behaviour=Behaviour(latency=float(sys.argv[1]))) as emu:
    print(emu.wss_url, emu.https_url, emu.ca_file, flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
"""


def drawings(n: int) -> list[bytes]:
    from werk24_frames.samples import sample_path

    sheets = sorted(p.read_bytes() for p in sample_path().glob("*/sheet_0.png"))
    # Bytes after IEND are ignored by PNG readers; they make each drawing a distinct content.
    return [sheets[i % len(sheets)] + f"<!-- bench {i} -->".encode() for i in range(n)]


async def bare_sdk(data: list[bytes], concurrency: int, wss: str, https: str) -> None:
    """The baseline: ``concurrency`` SDK clients reading all drawings, keeping nothing."""
    from werk24 import Werk24Client

    from werk24_frames.live import DEFAULT_ASKS, _asks

    asks = [obj for _, obj in _asks(DEFAULT_ASKS)]
    queue = list(reversed(data))

    async def worker() -> None:
        async with Werk24Client(wss_server=wss, https_server=https, token="bench-token") as client:
            while queue:
                drawing = queue.pop()
                messages = [m async for m in client.read_drawing(drawing, asks)]
                assert any(m.payload_bytes for m in messages)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drawings", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.25, help="seconds the emulator takes per read")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = ap.parse_args()

    import werk24.techread

    import werk24_frames as wf

    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(args.latency)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        wss, https, ca = server.stdout.readline().split()
        context = ssl.create_default_context(cafile=ca)
        werk24.techread._default_ssl_context = lambda: context  # trust the emulator's test CA
        data = {f"drawing_{i:04d}.png": d for i, d in enumerate(drawings(args.drawings))}
        mb = sum(map(len, data.values())) / 1e6
        print(f"{args.drawings} drawings ({mb:.1f} MB), {args.latency} s per read, emulator in its own process")
        print(
            f"{'concurrency':>11} {'wall s':>8} {'ideal s':>8} {'ratio':>6} {'floor s':>8} {'ratio':>6}"
            f" {'overhead/read ms':>17}"
            f" {'bare SDK s':>11} {'SDK ratio':>9} {'ours/SDK':>8}"
        )
        tmp = Path(tempfile.mkdtemp(prefix="bench_live_"))
        store = tmp
        try:
            kw = {"token": "bench-token", "wss_server": wss, "https_server": https, "progress": False}
            for c in args.concurrency:
                store = tmp / f"c{c}"
                t0 = time.perf_counter()
                corpus = wf.read_drawings(data, store=store, concurrency=c, **kw)
                wall = time.perf_counter() - t0
                errors = corpus.problems.query("severity == 'error'")
                assert len(corpus) == args.drawings and errors.empty, errors
                ideal = args.latency * args.drawings / c
                overhead = (wall - ideal) * c / args.drawings
                t0 = time.perf_counter()
                asyncio.run(bare_sdk(list(data.values()), c, wss, https))
                sdk = time.perf_counter() - t0
                floor = math.ceil(args.drawings / c) * args.latency
                print(
                    f"{c:>11} {wall:>8.2f} {ideal:>8.2f} {wall / ideal:>6.2f} {floor:>8.2f} {wall / floor:>6.2f}"
                    f" {overhead * 1000:>17.1f}"
                    f" {sdk:>11.2f} {sdk / ideal:>9.2f} {wall / sdk:>8.2f}"
                )
            t0 = time.perf_counter()
            cached = wf.read_drawings(data, store=store, concurrency=args.concurrency[-1], **kw)
            rerun = time.perf_counter() - t0
            assert len(cached) == args.drawings
            print(f"cached re-run of {args.drawings} drawings: {rerun:.2f} s (nothing sent)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
