"""``wf.load(..., download_images=True)``: images behind ``payload_url`` fetched with httpx from
the emulator's HTTPS payload endpoint (a real TLS server on 127.0.0.1 with a test CA)."""

from __future__ import annotations

import uuid

import orjson
import pytest

import werk24_frames as wf
from werk24_frames._download import DownloadLimits, download_images
from werk24_frames._sources import drawings_from_paths
from werk24_frames.testing import Werk24Emulator, make_png

RID = str(uuid.UUID(int=7, version=4))


def cli_output(path, urls: dict[tuple[str, int], str]):
    """A JSON Lines file as ``werk24 techread`` prints it: images only as links."""
    lines = [
        {
            "exceptions": [],
            "request_id": RID,
            "message_type": "ASK",
            "message_subtype": "META_DATA",
            "page_number": 0,
            "payload_dict": {"ask_version": "v2", "ask_type": "META_DATA", "designation": [{"value": "ADAPTER"}]},
            "payload_url": None,
        }
    ]
    for (ask, page), url in urls.items():
        lines.append(
            {
                "exceptions": [],
                "request_id": RID,
                "message_type": "ASK",
                "message_subtype": ask,
                "page_number": page,
                "payload_dict": None,
                "payload_url": url,
            }
        )
    path.write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    return path


def test_linked_images_are_downloaded_into_the_store_and_reused(tmp_path):
    sheet, view = make_png(80, 60, shade=10), make_png(40, 30, shade=200)
    store = tmp_path / "store"
    with Werk24Emulator() as emu:
        out = cli_output(
            tmp_path / "out.jsonl",
            {("SHEET_IMAGES", 0): emu.host_payload(sheet), ("VIEW_IMAGES", 0): emu.host_payload(view)},
        )
        linked = wf.load(out)
        assert not linked.images["available"].any()
        with pytest.raises(LookupError, match="only linked"):
            linked.image("out", "sheet")
        corpus = wf.load(out, download_images=True, store=store, verify=emu.ca_file)
    assert corpus.image("out", "sheet") == sheet
    assert corpus.image("out", "view") == view
    imgs = corpus.images.set_index("kind")
    assert imgs["available"].all()
    assert (imgs.loc["sheet", "width"], imgs.loc["sheet", "height"]) == (80, 60)
    stored = sorted((store / ".downloads").iterdir())
    assert len(stored) == 2 and all(p.suffix == ".png" for p in stored)
    assert "out" not in {p.name for p in stored}  # names are hashes, not names from responses
    # The server is gone and the links dead: the next load finds the stored files.
    again = wf.load(out, download_images=True, store=store)
    assert again.image("out", "sheet") == sheet
    assert again.table("problems").query("severity != 'info'").empty
    # The store's downloads are not mistaken for a drawing when the store is loaded.
    assert sorted(p.name for p in store.iterdir()) == [".downloads"]


def _load(out, store, problems, **limits):
    drawings = list(drawings_from_paths(out, problems))
    ca = limits.pop("verify")
    download_images(drawings, store, problems, verify=ca, limits=DownloadLimits(retry_base_delay=0.01, **limits))
    return drawings


def _messages(problems):
    return [p[4] for p in problems]


def test_links_that_cannot_be_fetched_are_problem_rows(tmp_path):
    ok = make_png(8, 8)
    with Werk24Emulator() as emu:
        urls = {
            ("SHEET_IMAGES", 0): emu.host_payload(ok),
            ("SHEET_IMAGES", 1): emu.host_payload(ok, status=403),
            ("SHEET_IMAGES", 2): emu.host_payload(ok, status=503),
            ("SHEET_IMAGES", 3): emu.host_payload(bytes(5000)),
            ("SHEET_IMAGES", 4): emu.host_payload(ok, delay=3.0),
            ("VIEW_IMAGES", 0): emu.host_payload(ok).replace("https://", "http://"),
        }
        out = cli_output(tmp_path / "out.jsonl", urls)
        problems: list = []
        drawings = _load(out, tmp_path / "store", problems, verify=emu.ca_file, max_bytes=2000, total_timeout=1.0)
    by_page = {(e.ask_type, e.page): e for e in drawings[0].entries if e.payload_url}
    assert by_page[("SHEET_IMAGES", 0)].payload_path is not None
    assert all(e.payload_path is None for k, e in by_page.items() if k != ("SHEET_IMAGES", 0))
    msgs = {p[2]: p[4] for p in problems if "only https" not in p[4]}
    assert sorted(msgs) == [1, 2, 3, 4]
    assert "HTTP 403" in msgs[1] and "expired" in msgs[1]
    assert "HTTP 503" in msgs[2]
    assert "larger than the limit of 2,000 bytes" in msgs[3]
    assert "no answer in time" in msgs[4]
    assert any("only https" in m for m in _messages(problems))
    assert all(p[1] == str(out) for p in problems)


def test_untrusted_certificates_are_refused(tmp_path):
    with Werk24Emulator() as emu:
        out = cli_output(tmp_path / "out.jsonl", {("SHEET_IMAGES", 0): emu.host_payload(make_png())})
        corpus = wf.load(out, download_images=True, store=tmp_path / "store")  # certifi only
    (msg,) = corpus.table("problems").query("severity == 'warning'")["message"]
    assert "image not downloaded" in msg and "CERTIFICATE_VERIFY_FAILED" in msg
    assert not corpus.images["available"].any()


def test_a_json_answer_sent_as_a_link_is_downloaded_and_read(tmp_path):
    features = {
        "ask_version": "v2",
        "ask_type": "FEATURES",
        "dimensions": [{"reference_id": 1, "label": "12", "quantity": 1, "size": {"value": "12", "unit": "mm"}}],
    }
    store = tmp_path / "store"
    with Werk24Emulator() as emu:
        out = cli_output(tmp_path / "out.jsonl", {("FEATURES", 0): emu.host_payload(orjson.dumps(features))})
        linked = wf.load(out)
        assert linked.dimensions.empty and linked.images.empty
        assert "not downloaded" in " ".join(linked.problems["message"])
        corpus = wf.load(out, download_images=True, store=store, verify=emu.ca_file)
        ca = emu.ca_file
    assert corpus.dimensions["label"].tolist() == ["12"] and corpus.images.empty
    assert corpus.table("problems").empty, corpus.table("problems").to_string()
    # Kept in the store: a second load reads it without the (expired) link.
    again = wf.load(out, download_images=True, store=store, verify=ca)
    assert again.dimensions["nominal"].tolist() == [12.0]
