"""Live reading with the real werk24 SDK against the loopback Werk24 emulator.

Every test starts its own emulator (WSS + HTTPS on 127.0.0.1 with a throwaway CA). The SDK only
trusts the certifi bundle, so ``trust_emulator`` injects the test CA for the duration of a test
(see ``werk24_frames.testing``). Nothing here touches the internet.
"""

from __future__ import annotations

import _thread
import asyncio
import copy
import logging
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import orjson
import pandas as pd
import pytest
from test_views import Tags

import werk24_frames as wf
from werk24_frames import live
from werk24_frames._store import content_id
from werk24_frames.samples import sample_path
from werk24_frames.testing import Behaviour, Werk24Emulator, trust_emulator

TOKEN = "w24-test-token-5f1c9a7e3b"
SAMPLES = sorted(p for p in sample_path().iterdir() if (p / "sheet_0.png").is_file())


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    monkeypatch.setattr(live, "RETRY_BASE_DELAY", 0.05)


def sheets(n: int, tmp_path: Path) -> list[Path]:
    """``n`` sample drawings as the PNG files a user would read."""
    out = []
    for folder in SAMPLES[:n]:
        target = tmp_path / "in" / f"{folder.name}.png"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes((folder / "sheet_0.png").read_bytes())
        out.append(target)
    return out


def read(emu: Werk24Emulator, drawings, store: Path, **kw):
    kw.setdefault("progress", False)
    kw.setdefault("token", TOKEN)
    with trust_emulator(emu):
        return wf.read_drawings(drawings, store=store, wss_server=emu.wss_url, https_server=emu.https_url, **kw)


def files_in(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------
# Success
# --------------------------------------------------------------------------------------


def test_a_read_gives_the_same_tables_as_the_stored_answers(tmp_path):
    paths = sheets(3, tmp_path)
    asks = (*live.DEFAULT_ASKS, "BALLOONS", "PAGE_ASSESSMENT", "DOCUMENT_PROFILE")  # all the sample holds
    with Werk24Emulator(store=sample_path()) as emu:
        corpus = read(emu, paths, tmp_path / "store", asks=asks)
    ids = [content_id(p.read_bytes()) for p in paths]
    assert corpus.drawing_ids == ids
    assert corpus.table("problems").query("severity == 'error'").empty, corpus.table("problems")
    # The sample corpus holds the same answers: the tables must agree (bar the file names).
    sample = wf.sample_corpus()
    for table in (
        "metadata",
        "dimensions",
        "threads",
        "bores",
        "gdnts",
        "materials",
        "insights",
        "positions",
        "sizes",
        "balloons",
        "page_assessments",
        "document_profiles",
    ):
        got = corpus.table(table).drop(columns=["source", "request_id"], errors="ignore").reset_index(drop=True)
        want = sample.table(table)
        want = want[want["drawing_id"].isin(ids)].drop(columns=["source", "request_id"], errors="ignore")
        want = want.iloc[want["drawing_id"].map(ids.index).argsort(kind="stable")].reset_index(drop=True)
        assert len(got) > 0
        pd.testing.assert_frame_equal(got, want, check_dtype=True)
    assert list(corpus.metadata["source"]) == [str(p) for p in paths]
    # The sheet image came through the SDK's download and is the drawing itself.
    assert corpus.image(ids[0], "sheet") == paths[0].read_bytes()
    assert set(corpus.images["format"]) == {"png"}


def test_the_store_holds_messages_images_and_a_manifest_without_secrets(tmp_path):
    (path,) = sheets(1, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path()) as emu:
        read(emu, [path], store)
    did = content_id(path.read_bytes())
    folder = store / did
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "FEATURES.json",
        "INSIGHTS.json",
        "META_DATA.json",
        "REFERENCE_POSITIONS.json",
        "SHEET_IMAGES.json",
        "manifest.json",
        "sheet_images_0.png",
    ]
    manifest = orjson.loads((folder / "manifest.json").read_bytes())
    from importlib.metadata import version

    assert manifest["drawing_id"] == did
    assert manifest["source"] == str(path)
    assert manifest["asks"] == sorted(live.DEFAULT_ASKS)
    assert manifest["sdk_version"] == version("werk24")
    assert manifest["exceptions"] == []
    assert len(manifest["reads"]) == 1
    (msg,) = orjson.loads((folder / "SHEET_IMAGES.json").read_bytes())
    assert msg["payload_file"] == "sheet_images_0.png"
    assert "payload_bytes" not in msg
    for f in files_in(store):
        assert TOKEN.encode() not in f.read_bytes(), f
    assert not [p for p in files_in(store) if p.name.endswith(".tmp")]
    # ``wf.load`` reads the store like any saved answers.
    again = wf.load(store)
    assert again.drawing_ids == [did]
    assert again.metadata.loc[0, "source"] == str(path)


def test_view_images_and_legacy_thumbnails_on_several_pages(tmp_path):
    drawing = b"%PDF-1.4 not a sample drawing"
    from werk24.models.v1.ask import W24AskSectionalThumbnail

    asks = ["META_DATA", "VIEW_IMAGES", "PAGE_THUMBNAIL", "CANVAS_THUMBNAIL", W24AskSectionalThumbnail()]
    with Werk24Emulator(behaviour=Behaviour(pages=2)) as emu:
        corpus = read(emu, {"part.pdf": drawing}, tmp_path / "store", asks=asks)
    imgs = corpus.images
    did = content_id(drawing)
    assert corpus.drawing_ids == [did]
    assert imgs["source"].unique().tolist() == ["part.pdf"]
    counts = imgs.groupby(["kind", "page"]).size()
    for kind in ("view", "page", "canvas", "sectional"):
        assert counts[(kind, 0)] >= 1 and counts[(kind, 1)] >= 1, counts
    assert imgs["available"].all()
    assert imgs.loc[imgs["kind"] == "canvas", "canvas_id"].notna().all()
    assert imgs.loc[imgs["kind"] == "sectional", "sectional_id"].notna().all()
    one = imgs[(imgs["kind"] == "sectional") & (imgs["page"] == 1)].iloc[0]
    data = corpus.image(did, "sectional", page=1, index=int(one["image_index"]))
    assert data.startswith(b"\x89PNG") and (int(one["width"]), int(one["height"])) > (0, 0)
    assert sorted(imgs["page"].unique()) == [0, 1]


def test_reads_run_concurrently_with_one_client_each(tmp_path):
    paths = sheets(8, tmp_path)
    with Werk24Emulator(store=sample_path(), behaviour=Behaviour(latency=0.4)) as emu:
        t0 = time.perf_counter()
        corpus = read(emu, paths, tmp_path / "store", concurrency=4)
        took = time.perf_counter() - t0
        assert emu.max_in_flight == 4
    assert len(corpus) == 8
    assert took < 8 * 0.4  # a serial run cannot be this fast


def test_the_async_api_and_the_sync_api_inside_a_running_loop(tmp_path):
    paths = sheets(2, tmp_path)
    with Werk24Emulator(store=sample_path()) as emu, trust_emulator(emu):
        kw = {"store": tmp_path / "store", "token": TOKEN, "wss_server": emu.wss_url, "progress": False}
        got = asyncio.run(wf.aread_drawings(paths, **kw))

        async def notebook_cell():  # Jupyter: a loop is running while the cell calls the sync API
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            task = asyncio.create_task(ticker())
            corpus = await asyncio.to_thread(wf.read_drawings, paths, force=True, **kw)
            task.cancel()
            return corpus, ticks

        again, ticks = asyncio.run(notebook_cell())
        sync_in_loop = asyncio.run(_call_sync_in_loop(paths, kw))
    assert got.drawing_ids == again.drawing_ids == sync_in_loop.drawing_ids
    assert ticks > 0  # the caller's loop kept running during the read
    assert emu.started[got.drawing_ids[0]] == 2


async def _call_sync_in_loop(paths, kw):
    return wf.read_drawings(paths, **kw)  # blocks this loop; the reads run on the background one


# --------------------------------------------------------------------------------------
# The store: cached, incremental, forced, resumed, shared
# --------------------------------------------------------------------------------------


def test_a_finished_drawing_is_never_sent_again(tmp_path):
    paths = sheets(3, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path()) as emu:
        first = read(emu, paths, store, asks=["META_DATA"])
        again = read(emu, paths, store, asks=["META_DATA"])
        assert sum(emu.started.values()) == 3
        pd.testing.assert_frame_equal(first.metadata, again.metadata)
        # A new ask is read on its own and added beside the stored ones.
        more = read(emu, paths, store, asks=["META_DATA", "FEATURES"])
        assert sum(emu.started.values()) == 6
        assert emu.requested_asks[-3:] == [("FEATURES",)] * 3
        assert len(more.dimensions) > 0
        manifest = orjson.loads((store / first.drawing_ids[0] / "manifest.json").read_bytes())
        assert manifest["asks"] == ["FEATURES", "META_DATA"]
        assert [r["asks"] for r in manifest["reads"]] == [["META_DATA"], ["FEATURES"]]
        # force=True pays again, on purpose.
        read(emu, paths[:1], store, asks=["META_DATA"], force=True)
        assert sum(emu.started.values()) == 7


def test_the_same_drawing_twice_in_one_batch_is_read_once(tmp_path):
    (path,) = sheets(1, tmp_path)
    copy = tmp_path / "copy.png"
    copy.write_bytes(path.read_bytes())
    with Werk24Emulator(store=sample_path()) as emu:
        corpus = read(emu, [path, copy], tmp_path / "store")
        assert sum(emu.started.values()) == 1
    assert len(corpus) == 1
    info = corpus.table("problems").query("severity == 'info'")
    assert info["source"].tolist() == [str(copy)]


_CHILD = textwrap.dedent(
    """
    import ssl, sys, werk24.techread as t
    ca, store, wss, *paths = sys.argv[1:]
    ctx = ssl.create_default_context(cafile=ca)
    t._default_ssl_context = lambda: ctx
    import werk24_frames as wf
    c = wf.read_drawings(paths, asks=["META_DATA"], store=store, wss_server=wss, token="{token}",
                         concurrency=int("{concurrency}"), progress=False)
    print(len(c), flush=True)
    """
)


def _child(emu, store, paths, concurrency=1):
    code = _CHILD.format(token=TOKEN, concurrency=concurrency)
    args = [sys.executable, "-c", code, emu.ca_file, str(store), emu.wss_url, *map(str, paths)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_a_crash_between_two_drawings_resumes_with_the_unfinished_one(tmp_path):
    first, second = sheets(2, tmp_path)
    a, b = content_id(first.read_bytes()), content_id(second.read_bytes())
    store = tmp_path / "store"

    def slow_second(cid):
        return Behaviour(latency=30.0 if cid == b else 0.0)

    with Werk24Emulator(store=sample_path(), behaviour=slow_second) as emu:
        proc = _child(emu, store, [first, second])
        deadline = time.monotonic() + 60
        while not (store / a / "manifest.json").exists() or emu.started[b] == 0:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no cleanup, like a crashed kernel
        proc.wait()
        assert not (store / b / "manifest.json").exists()
        emu.behaviour = Behaviour()
        corpus = read(emu, [first, second], store, asks=["META_DATA"])
        assert emu.started[a] == 1  # finished before the crash: not sent again
        assert emu.started[b] == 2  # unfinished: sent again
    assert corpus.drawing_ids == [a, b]
    assert corpus.table("problems").query("severity == 'error'").empty


@pytest.mark.slow
def test_two_runs_sharing_a_store_read_each_drawing_once(tmp_path):
    paths = sheets(6, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path(), behaviour=Behaviour(latency=0.3)) as emu:
        procs = [_child(emu, store, paths, concurrency=2) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert [o.strip() for o, _ in outs] == ["6", "6"]
        assert sorted(emu.started.values()) == [1] * 6
    corpus = wf.load(store)
    assert len(corpus) == 6
    assert corpus.table("problems").query("severity != 'info'").empty, corpus.table("problems")


def test_interrupting_cancels_cleanly_and_keeps_what_finished(tmp_path):
    paths = sheets(6, tmp_path)
    store = tmp_path / "store"

    def later_ones_slow(cid):
        return Behaviour(latency=0.0 if cid == content_id(paths[0].read_bytes()) else 20.0)

    with Werk24Emulator(store=sample_path(), behaviour=later_ones_slow) as emu:

        def interrupt_when_one_is_stored():
            deadline = time.monotonic() + 30
            while not list(store.glob("*/manifest.json")) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.2)
            _thread.interrupt_main()

        threading.Thread(target=interrupt_when_one_is_stored, daemon=True).start()
        t0 = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            read(emu, paths, store, asks=["META_DATA"], concurrency=3)
        assert time.perf_counter() - t0 < 15  # did not wait for the slow reads
        stored = [p.parent.name for p in store.glob("*/manifest.json")]
        assert stored == [content_id(paths[0].read_bytes())]
        assert not [p for p in files_in(store) if p.name.endswith(".tmp")]
        emu.behaviour = Behaviour()
        corpus = read(emu, paths, store, asks=["META_DATA"])
        assert emu.started[stored[0]] == 1
    assert len(corpus) == 6


# --------------------------------------------------------------------------------------
# Failures: per drawing, or the whole batch
# --------------------------------------------------------------------------------------


def test_an_error_on_one_ask_is_a_problem_row_and_the_rest_is_read(tmp_path):
    paths = sheets(2, tmp_path)
    bad = content_id(paths[1].read_bytes())

    def insights_fail_on_the_second(cid):
        return Behaviour(error_asks=frozenset({"INSIGHTS"}) if cid == bad else frozenset())

    with Werk24Emulator(store=sample_path(), behaviour=insights_fail_on_the_second) as emu:
        corpus = read(emu, paths, tmp_path / "store")
        again = read(emu, paths, tmp_path / "store")  # an answer, even an error, is not paid twice
        assert sum(emu.started.values()) == 2
    errors = corpus.table("problems").query("severity == 'error'")
    assert errors["drawing_id"].tolist() == [bad]
    assert "DRAWING_CONTENT_NOT_UNDERSTOOD" in errors["message"].iloc[0]
    assert "INSIGHTS" in errors["location"].iloc[0] + errors["message"].iloc[0]
    assert set(corpus.dimensions["drawing_id"]) == {content_id(p.read_bytes()) for p in paths}
    assert bad not in set(corpus.insights["drawing_id"])
    pd.testing.assert_frame_equal(corpus.table("problems"), again.table("problems"))


def test_an_abrupt_close_is_retried(tmp_path):
    paths = sheets(2, tmp_path)
    with Werk24Emulator(store=sample_path(), behaviour=Behaviour(close_after=1, close_attempts=1)) as emu:
        corpus = read(emu, paths, tmp_path / "store", concurrency=1)
        assert sorted(emu.started.values()) == [2, 2]
        assert sorted(emu.reads.values()) == [1, 1]
    assert corpus.table("problems").query("severity != 'info'").empty, corpus.table("problems")
    assert len(corpus.dimensions) > 0


def test_a_connection_that_keeps_failing_fails_that_drawing_only(tmp_path):
    paths = sheets(3, tmp_path)
    bad = content_id(paths[1].read_bytes())

    def second_always_closes(cid):
        return Behaviour(close_after=0) if cid == bad else Behaviour()

    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path(), behaviour=second_always_closes) as emu:
        corpus = read(emu, paths, store, retries=2)
        assert emu.started[bad] == 3
    errors = corpus.table("problems").query("severity == 'error'")
    assert errors["drawing_id"].tolist() == [bad]
    assert errors["source"].tolist() == [str(paths[1])]
    assert errors["message"].iloc[0].startswith("ServerException")
    assert "after 3 attempts" in errors["message"].iloc[0]
    assert len(corpus) == 2 and bad not in corpus.drawing_ids
    assert not (store / bad / "manifest.json").exists()  # not finished: read again next time


def test_a_slow_server_times_out_that_drawing_only(tmp_path):
    paths = sheets(2, tmp_path)
    slow = content_id(paths[0].read_bytes())
    with Werk24Emulator(
        store=sample_path(), behaviour=lambda cid: Behaviour(stall=10.0 if cid == slow else 0.0)
    ) as emu:
        t0 = time.perf_counter()
        corpus = read(emu, paths, tmp_path / "store", timeout=1.0, concurrency=2)
        assert time.perf_counter() - t0 < 8
    errors = corpus.table("problems").query("severity == 'error'")
    assert errors["drawing_id"].tolist() == [slow]
    assert errors["message"].iloc[0].startswith(("TimeoutError", "ReadTimeoutError"))
    assert corpus.drawing_ids == [content_id(paths[1].read_bytes())]


def test_a_drawing_too_large_is_a_problem_row(tmp_path):
    big = b"%PDF-1.4\n" + bytes(11 * 1024 * 1024)
    (small,) = sheets(1, tmp_path)
    with Werk24Emulator(store=sample_path()) as emu:
        corpus = read(emu, {"huge.pdf": big, "small.png": small.read_bytes()}, tmp_path / "store")
        assert content_id(big) not in emu.started  # the SDK refuses it before uploading
    errors = corpus.table("problems").query("severity == 'error'")
    assert set(errors["source"]) == {"huge.pdf"}
    assert errors["message"].str.contains("DRAWING_FILE_SIZE_TOO_LARGE").all()
    assert content_id(small.read_bytes()) in corpus.drawing_ids


def test_a_rejected_token_stops_the_batch_at_once(tmp_path):
    paths = sheets(3, tmp_path)
    with Werk24Emulator(store=sample_path(), tokens={"the-right-token"}) as emu:
        t0 = time.perf_counter()
        with pytest.raises(live.TokenError, match="rejected the API token") as err:
            read(emu, paths, tmp_path / "store")
        assert time.perf_counter() - t0 < 10
        assert sum(emu.started.values()) == 0
    assert TOKEN not in str(err.value) and TOKEN not in repr(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert str(err.value) == f"{err.value.reason} {live._TOKEN_HELP}"
    for copied in (pickle.loads(pickle.dumps(err.value)), copy.copy(err.value)):  # e.g. from a worker process
        assert type(copied) is live.TokenError and str(copied) == str(err.value)


def test_a_spent_quota_stops_the_batch_and_keeps_what_finished(tmp_path):
    paths = sheets(4, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path(), quota=2) as emu:
        with pytest.raises(live.CreditsExhaustedError, match=r"quota is used up\. 2 drawing\(s\) finished"):
            read(emu, paths, store, concurrency=1)
        assert sum(emu.reads.values()) == 2
    assert len(list(store.glob("*/manifest.json"))) == 2


def test_a_missing_token_fails_before_anything_is_sent(tmp_path, monkeypatch, no_token_files):
    monkeypatch.delenv("W24TECHREAD_AUTH_TOKEN", raising=False)
    paths = sheets(1, tmp_path)
    with Werk24Emulator(store=sample_path()) as emu:
        with pytest.raises(live.TokenError, match="W24TECHREAD_AUTH_TOKEN") as err:
            read(emu, paths, tmp_path / "store", token=None)
        assert sum(emu.started.values()) == 0
    assert "werk24 init" in str(err.value)


def test_the_token_is_found_where_the_sdk_looks_for_it(tmp_path, monkeypatch, no_token_files):
    monkeypatch.setenv("W24TECHREAD_AUTH_TOKEN", TOKEN)
    paths = sheets(1, tmp_path)
    with Werk24Emulator(store=sample_path(), tokens={TOKEN}) as emu:
        corpus = read(emu, paths, tmp_path / "store", token=None, asks=["META_DATA"])
        assert sum(emu.reads.values()) == 1
    assert len(corpus) == 1


def test_an_unsupported_file_is_a_problem_row_and_the_rest_is_read(tmp_path):
    (good,) = sheets(1, tmp_path)
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 a word document")

    def answers(drawing, asks):  # what Werk24 says about a file it cannot read
        if drawing.startswith(b"\x89PNG"):
            return {}
        error = {"exception_level": "ERROR", "exception_type": "DRAWING_FILE_FORMAT_UNSUPPORTED"}
        return {a: [{"payload_dict": None, "exceptions": [{**error, "ask_type": a}]}] for a in asks}

    with Werk24Emulator(store=sample_path(), answers=answers) as emu:
        corpus = read(emu, [notes, good], tmp_path / "store", asks=["META_DATA", "FEATURES"])
    errors = corpus.table("problems").query("severity == 'error'")
    assert set(errors["source"]) == {str(notes)}
    assert errors["message"].str.contains("DRAWING_FILE_FORMAT_UNSUPPORTED").all()
    assert len(errors) == 2  # one per ask
    assert len(corpus.dimensions[corpus.dimensions["drawing_id"] == content_id(good.read_bytes())]) > 0


def test_an_ask_without_an_answer_is_not_stored_and_is_read_again(tmp_path):
    import io

    from tqdm import tqdm

    (path,) = sheets(1, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path(), answers=lambda drawing, asks: {"META_DATA": []}) as emu:
        with tqdm(file=io.StringIO()) as bar:
            corpus = read(emu, [path], store, asks=["META_DATA"], progress=bar)
            assert bar.postfix.replace(" ", "") == "cached=0,failed=1,read=0"
        warnings = corpus.table("problems").query("location == 'read'")
        assert warnings["message"].tolist() == ["no answer to META_DATA; it is read again next time"]
        assert len(corpus) == 0 and not (store / content_id(path.read_bytes())).exists()
        read(emu, [path], store, asks=["META_DATA"])
        assert sum(emu.started.values()) == 2


def test_a_fully_cached_run_needs_no_token_and_no_server(tmp_path, monkeypatch, no_token_files):
    paths = sheets(2, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path()) as emu:
        first = read(emu, paths, store, asks=["META_DATA"])
    monkeypatch.delenv("W24TECHREAD_AUTH_TOKEN", raising=False)
    again = wf.read_drawings(paths, asks=["META_DATA"], store=store, progress=False, wss_server="wss://localhost:9/v2")
    pd.testing.assert_frame_equal(first.metadata, again.metadata)


def test_an_encrypted_upload(tmp_path):
    paths = sheets(2, tmp_path)
    with Werk24Emulator(store=sample_path(), encrypt=True) as emu:
        corpus = read(emu, paths, tmp_path / "store", concurrency=1)
        assert sorted(emu.uploads) == sorted(p.read_bytes() for p in paths)
    assert len(corpus) == 2 and corpus.table("problems").query("severity == 'error'").empty


# --------------------------------------------------------------------------------------
# Inputs, progress and secrets
# --------------------------------------------------------------------------------------


def test_inputs_folders_globs_bytes_and_file_objects(tmp_path):
    paths = sheets(3, tmp_path)
    (tmp_path / "in" / "notes.txt").write_text("not a drawing")
    with Werk24Emulator(store=sample_path()) as emu:
        by_folder = read(emu, tmp_path / "in", tmp_path / "store", asks=["META_DATA"])
        by_glob = read(emu, str(tmp_path / "in" / "*.png"), tmp_path / "store", asks=["META_DATA"])
        with paths[0].open("rb") as fh:
            mixed = read(emu, [fh, paths[1].read_bytes()], tmp_path / "store", asks=["META_DATA"])
    assert by_folder.drawing_ids == by_glob.drawing_ids == [content_id(p.read_bytes()) for p in sorted(paths)]
    assert by_folder.table("problems").query("severity == 'info'")["source"].str.endswith("notes.txt").any()
    assert mixed.drawing_ids == [content_id(p.read_bytes()) for p in paths[:2]]
    with pytest.raises(wf.SourceError, match="no files match"):
        wf.read_drawings(str(tmp_path / "nothing" / "*.pdf"), store=tmp_path / "store", progress=False)
    with pytest.raises(ValueError, match="unknown ask 'SHEETS'"):
        wf.read_drawings(paths, asks=["SHEETS"], store=tmp_path / "store", progress=False)


def test_progress_logs_reprs_and_errors_never_show_the_token(tmp_path, caplog, capsys):
    paths = sheets(2, tmp_path)
    bad = content_id(paths[1].read_bytes())
    caplog.set_level(logging.DEBUG)
    with Werk24Emulator(
        store=sample_path(), behaviour=lambda cid: Behaviour(close_after=0) if cid == bad else Behaviour()
    ) as emu:
        corpus = read(emu, paths, tmp_path / "store", progress=True, retries=1)
    out, err = capsys.readouterr()
    assert "drawing" in err  # the text progress bar
    assert "failed=1" in err and "read=1" in err
    seen = [out, err, caplog.text, repr(corpus), corpus.table("problems").to_string()]
    seen += [f.read_bytes().decode("latin-1") for f in files_in(tmp_path / "store")]
    for text in seen:
        assert TOKEN not in text


def test_a_progress_bar_of_ones_own_is_updated(tmp_path):
    import io

    from tqdm import tqdm

    paths = sheets(3, tmp_path)
    out = io.StringIO()
    with Werk24Emulator(store=sample_path()) as emu, tqdm(file=out) as bar:
        read(emu, paths[:1], tmp_path / "store", asks=["META_DATA"])
        read(emu, paths, tmp_path / "store", asks=["META_DATA"], progress=bar)
        assert (bar.total, bar.n) == (3, 3)
        assert bar.postfix.replace(" ", "") == "cached=1,failed=0,read=2"
    assert "3/3" in out.getvalue()


def test_show_fills_a_gallery_as_reads_finish(tmp_path, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    paths = sheets(3, tmp_path)
    with Werk24Emulator(store=sample_path()) as emu:
        corpus = read(emu, paths[:2], tmp_path / "store", show=True)
        (gallery,) = shown
        assert sorted(gallery.matches) == sorted(corpus.drawing_ids)
        assert len(Tags(gallery.grid.value).all("img")) == 2  # the sheets came through the SDK
        # A second run: one drawing from the store, one read now; both shown in the gallery given.
        again = read(emu, paths[1:], tmp_path / "store", show=gallery)
    assert len(shown) == 1
    assert sorted(gallery.matches) == sorted({*corpus.drawing_ids, *again.drawing_ids})
    assert len(gallery) == 3


def test_a_failed_read_of_a_stored_drawing_still_shows_it(tmp_path):
    """The corpus keeps the answers an earlier run stored; the gallery shows the same drawings."""
    from werk24_frames.widgets import Gallery

    (path,) = sheets(1, tmp_path)
    store = tmp_path / "store"
    with Werk24Emulator(store=sample_path()) as emu:
        read(emu, [path], store, asks=["META_DATA", "SHEET_IMAGES"])
    with Werk24Emulator(store=sample_path(), behaviour=Behaviour(close_after=0)) as emu:
        gallery = Gallery()
        corpus = read(emu, [path], store, retries=0, show=gallery)  # FEATURES... fail this time
    assert corpus.table("problems").query("severity == 'error'")["drawing_id"].tolist() == corpus.drawing_ids
    assert gallery.matches == corpus.drawing_ids == [content_id(path.read_bytes())]


def test_a_gallery_that_fails_does_not_stop_the_reads(tmp_path, caplog):
    class Broken:
        def add(self, corpus):
            raise RuntimeError("no display")

    paths = sheets(2, tmp_path)
    with Werk24Emulator(store=sample_path()) as emu, caplog.at_level(logging.WARNING, "werk24_frames"):
        corpus = read(emu, paths, tmp_path / "store", show=Broken())
    assert len(corpus) == 2
    assert caplog.text.count("could not show drawing") == 2


def test_werk24_frames_does_not_import_the_sdk():
    code = "import sys, werk24_frames as wf; wf.sample_corpus(); print('werk24' in sys.modules, 'httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_default_store_is_a_per_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if sys.platform.startswith("linux"):
        assert live.default_store() == tmp_path / "cache" / "werk24_frames"
    assert os.fspath(live.default_store()).endswith("werk24_frames")
