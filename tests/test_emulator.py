"""The loopback Werk24 emulator, driven by the real werk24 SDK (no network)."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

werk24 = pytest.importorskip("werk24")

from werk24 import (  # noqa: E402
    AskBalloons,
    AskCustom,
    AskDocumentProfile,
    AskFeatures,
    AskInsights,
    AskMetaData,
    AskPageAssessment,
    AskRedaction,
    AskReferencePositions,
    AskSheetImages,
    AskViewImages,
    Werk24Client,
)
from werk24.models.v1.ask import W24AskSectionalThumbnail  # noqa: E402
from werk24.models.v2.internal import TechreadMessage  # noqa: E402
from werk24.utils.exceptions import (  # noqa: E402
    ApiTokenRejectedException,
    InsufficientCreditsException,
    ReadTimeoutError,
    ServerException,
)

from werk24_frames.samples import sample_path  # noqa: E402
from werk24_frames.testing import Behaviour, Werk24Emulator, content_id, make_png, trust_emulator  # noqa: E402

# The SDK's own upload (aiohttp FormData with bytes) warns about aiohttp 4; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:In v4, passing bytes:DeprecationWarning")

TOKEN = "dummy-token-0001"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DRAWING = make_png(40, 30, shade=7)
SAMPLE_ID = "01c674c49562d9de"


def _client(emu: Werk24Emulator, token: str = TOKEN) -> Werk24Client:
    return Werk24Client(
        wss_server=emu.wss_url,
        https_server=emu.https_url,
        token=token,
        max_reconnect_attempts=1,
        reconnect_delay=0.05,
    )


async def _read_async(emu: Werk24Emulator, drawing: bytes, asks: list[Any], **kwargs: Any) -> list[TechreadMessage]:
    async with _client(emu) as client:
        return [m async for m in client.read_drawing(drawing, asks, **kwargs)]


def read(emu: Werk24Emulator, drawing: bytes, asks: list[Any], **kwargs: Any) -> list[TechreadMessage]:
    """One read through the real SDK, on a fresh client."""
    with trust_emulator(emu):
        return asyncio.run(_read_async(emu, drawing, asks, **kwargs))


def ask_messages(messages: list[TechreadMessage]) -> list[TechreadMessage]:
    return [m for m in messages if m.message_type.value == "ASK"]


def kinds(messages: list[TechreadMessage]) -> list[tuple[str, str, int]]:
    return [(m.message_type.value, m.message_subtype.value, m.page_number) for m in messages]


def test_a_read_with_meta_data_features_and_sheet_images():
    with Werk24Emulator() as emu:
        messages = read(emu, DRAWING, [AskMetaData(), AskFeatures(), AskSheetImages()])
        cid = content_id(DRAWING)
        assert kinds(messages) == [
            ("PROGRESS", "INITIALIZATION_SUCCESS", 0),
            ("PROGRESS", "STARTED", 0),
            ("ASK", "META_DATA", 0),
            ("ASK", "FEATURES", 0),
            ("ASK", "SHEET_IMAGES", 0),
            ("PROGRESS", "COMPLETED", 0),
        ]
        assert len({m.request_id for m in messages}) == 1
        assert messages[0].request_id.version == 4
        meta, features, sheet = ask_messages(messages)
        assert type(meta.payload_dict).__name__ == "ResponseMetaDataComponentDrawing"
        assert meta.payload_dict.identifiers[0].value == f"EMU-{cid[:8].upper()}"
        assert type(features.payload_dict).__name__ == "ResponseFeaturesComponentDrawing"
        assert [d.label for d in features.payload_dict.dimensions] == ["50 ±0.1"]
        assert sheet.payload_dict is None
        assert sheet.payload_url.host == "localhost"
        assert sheet.payload_bytes.startswith(PNG_MAGIC)
        assert all(m.is_successful for m in messages)
        assert emu.uploads == [DRAWING]
        assert emu.reads == {cid: 1}
        assert emu.started == {cid: 1}
        assert emu.max_in_flight == 1
        assert emu.in_flight == 0
        assert emu.requested_asks == [("META_DATA", "FEATURES", "SHEET_IMAGES")]


def test_every_v2_ask_gets_an_answer_the_sdk_validates():
    asks = [
        AskBalloons(),
        AskCustom(custom_id="c-42"),
        AskDocumentProfile(),
        AskFeatures(),
        AskInsights(),
        AskMetaData(),
        AskPageAssessment(),
        AskRedaction(),
        AskReferencePositions(),
        AskSheetImages(),
        AskViewImages(),
    ]
    with Werk24Emulator() as emu:
        answers = {m.message_subtype.value: m for m in ask_messages(read(emu, DRAWING, asks))}
    assert set(answers) == {a.ask_type.value for a in asks}
    for ask_type, message in answers.items():
        if ask_type in ("SHEET_IMAGES", "VIEW_IMAGES"):
            assert message.payload_dict is None and message.payload_bytes.startswith(PNG_MAGIC)
        else:  # validated into the SDK's response class, not left a raw dict
            assert not isinstance(message.payload_dict, dict), ask_type
            assert message.payload_dict.ask_type.value == ask_type
    assert answers["CUSTOM"].payload_dict.custom_id == "c-42"
    assert answers["REDACTION"].payload_bytes.startswith(PNG_MAGIC)


def test_several_pages_answer_every_ask_once_per_page():
    with Werk24Emulator(behaviour=Behaviour(pages=3)) as emu:
        messages = read(emu, DRAWING, [AskMetaData(), AskSheetImages()])
    assert [(k[1], k[2]) for k in kinds(ask_messages(messages))] == [
        ("META_DATA", 0),
        ("SHEET_IMAGES", 0),
        ("META_DATA", 1),
        ("SHEET_IMAGES", 1),
        ("META_DATA", 2),
        ("SHEET_IMAGES", 2),
    ]
    assert messages[-1].message_subtype.value == "COMPLETED"


def test_pages_are_capped_by_max_pages():
    with Werk24Emulator(behaviour=Behaviour(pages=4)) as emu:
        messages = read(emu, DRAWING, [AskMetaData()], max_pages=2)
    assert [m.page_number for m in ask_messages(messages)] == [0, 1]


def test_a_v1_sectional_thumbnail_ask():
    with Werk24Emulator() as emu:
        messages = read(emu, DRAWING, [W24AskSectionalThumbnail()])
        assert emu.requested_asks == [("SECTIONAL_THUMBNAIL",)]
    (thumbnail,) = ask_messages(messages)
    assert thumbnail.message_subtype.value == "SECTIONAL_THUMBNAIL"
    assert set(thumbnail.payload_dict) == {"page_id", "sheet_id", "canvas_id", "sectional_id"}
    assert uuid.UUID(thumbnail.payload_dict["sectional_id"]).version == 4
    assert thumbnail.payload_bytes.startswith(PNG_MAGIC)


def test_an_error_on_one_ask_leaves_the_others_standing():
    with Werk24Emulator(behaviour=Behaviour(error_asks=frozenset({"FEATURES"}))) as emu:
        messages = read(emu, DRAWING, [AskMetaData(), AskFeatures()])
        assert emu.reads == {content_id(DRAWING): 1}
    meta, features = ask_messages(messages)
    assert meta.is_successful and meta.payload_dict is not None
    assert not features.is_successful
    assert features.payload_dict is None and features.payload_url is None
    (exc,) = features.exceptions
    assert (exc.exception_level.value, exc.exception_type.value, exc.ask_type) == (
        "ERROR",
        "DRAWING_CONTENT_NOT_UNDERSTOOD",
        "FEATURES",
    )


@pytest.mark.parametrize("close_after", [0, 2])
def test_an_abrupt_close_fails_the_read_and_a_retry_succeeds(close_after):
    asks = [AskMetaData(), AskFeatures(), AskInsights()]
    cid = content_id(DRAWING)
    with Werk24Emulator(behaviour=Behaviour(close_after=close_after, close_attempts=1)) as emu:
        received: list[TechreadMessage] = []

        async def first() -> None:
            async with _client(emu) as client:
                async for message in client.read_drawing(DRAWING, asks):
                    received.append(message)

        with trust_emulator(emu), pytest.raises(ServerException, match="closed"):
            asyncio.run(first())
        assert len(ask_messages(received)) < len(asks)
        assert emu.started == {cid: 1}
        assert emu.reads == {}

        retry = read(emu, DRAWING, asks)
        assert len(ask_messages(retry)) == len(asks)
        assert emu.started == {cid: 2}
        assert emu.reads == {cid: 1}


def test_a_token_not_in_tokens_is_rejected_at_the_handshake():
    async def connect(emu: Werk24Emulator, token: str) -> None:
        async with _client(emu, token):
            pass

    with Werk24Emulator(tokens={"good-token-0001"}) as emu, trust_emulator(emu):
        with pytest.raises(ApiTokenRejectedException):
            asyncio.run(connect(emu, TOKEN))
        asyncio.run(connect(emu, "good-token-0001"))  # the listed token is accepted


def test_the_quota_refuses_further_requests():
    with Werk24Emulator(quota=1) as emu:
        assert ask_messages(read(emu, DRAWING, [AskMetaData()]))
        with pytest.raises(InsufficientCreditsException, match="Limit Exceeded"):
            read(emu, DRAWING, [AskMetaData()])
        assert emu.reads == {content_id(DRAWING): 1}
        assert len(emu.requested_asks) == 2


def test_an_encrypted_upload_is_decrypted():
    with Werk24Emulator(encrypt=True) as emu:
        messages = read(emu, DRAWING, [AskMetaData()])
        assert emu.uploads == [DRAWING]
    init = messages[0].payload_dict
    assert init.public_key.startswith("-----BEGIN PUBLIC KEY-----")
    assert ask_messages(messages)[0].is_successful


def test_store_mode_answers_a_sample_drawing_with_its_stored_messages():
    folder = sample_path() / SAMPLE_ID
    stored_meta = json.loads((folder / "META_DATA.json").read_text())[0]["payload_dict"]
    sheet = (folder / "sheet_0.png").read_bytes()
    with Werk24Emulator(store=sample_path()) as emu:
        messages = read(emu, sheet, [AskMetaData(), AskSheetImages()])
    meta, image = ask_messages(messages)
    assert meta.payload_dict.model_dump(mode="json")["identifiers"] == stored_meta["identifiers"]
    assert meta.payload_dict.designation[0].value == stored_meta["designation"][0]["value"]
    assert meta.request_id == messages[0].request_id  # the stored request id is replaced
    assert image.payload_bytes == sheet
    assert "payload_file" not in image.model_dump()


def test_store_folders_are_found_by_name_or_by_their_sheet(tmp_path):
    # A folder whose name is not its sheet's content id, found through the sheet index …
    renamed = tmp_path / "feedfacefeedface"
    shutil.copytree(sample_path() / SAMPLE_ID, renamed)
    sheet = (renamed / "sheet_0.png").read_bytes()
    # … and a folder named by the content id of other bytes, without a sheet.
    other = b"%PDF-1.4 not really a drawing"
    named = tmp_path / content_id(other)
    named.mkdir()
    meta = json.loads((renamed / "META_DATA.json").read_text())
    meta[0]["payload_dict"]["identifiers"][0]["value"] = "BY-NAME-1"
    (named / "META_DATA.json").write_text(json.dumps(meta))

    with Werk24Emulator(store=tmp_path) as emu:
        by_sheet = ask_messages(read(emu, sheet, [AskMetaData(), AskInsights()]))
        by_name = ask_messages(read(emu, other, [AskMetaData(), AskInsights()]))
    assert by_sheet[0].payload_dict.identifiers[0].value == "WF-1012"
    assert by_name[0].payload_dict.identifiers[0].value == "BY-NAME-1"
    # INSIGHTS is stored in the first folder only; the second falls back to the built-in answer.
    assert by_sheet[1].payload_dict.primary_process_options[0].primary_process.value == "MILLING"
    assert by_sheet[1].payload_dict.volume_estimate is not None
    assert by_name[1].payload_dict.volume_estimate is None


def test_an_answers_callable_overrides_and_can_serve_bytes():
    seen: list[tuple[bytes, list[str]]] = []

    def answers(drawing: bytes, asks: list[str]) -> dict[str, list[dict[str, Any]]]:
        seen.append((drawing, asks))
        return {
            "SHEET_IMAGES": [
                {"page_number": 0, "payload_bytes": b"sheet-0"},
                {"page_number": 1, "payload_bytes": b"p1"},
            ],
            "FEATURES": [],
        }

    with Werk24Emulator(answers=answers) as emu:
        messages = ask_messages(read(emu, DRAWING, [AskMetaData(), AskFeatures(), AskSheetImages()]))
    assert seen == [(DRAWING, ["META_DATA", "FEATURES", "SHEET_IMAGES"])]
    assert [(m.message_subtype.value, m.page_number, m.payload_bytes) for m in messages] == [
        ("META_DATA", 0, None),
        ("SHEET_IMAGES", 0, b"sheet-0"),
        ("SHEET_IMAGES", 1, b"p1"),
    ]


def _get(url: str, context: ssl.SSLContext) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context))
    with opener.open(url, timeout=5) as response:
        return response.read()


def test_host_payload_serves_bytes_delays_and_errors():
    with Werk24Emulator() as emu:
        context = emu.client_ssl_context(certifi_too=False)
        url = emu.host_payload(b"hello payload")
        assert urllib.parse.urlsplit(url).hostname == "localhost"
        assert _get(url, context) == b"hello payload"

        slow = emu.host_payload(b"slow", delay=0.2)
        start = time.perf_counter()
        assert _get(slow, emu.client_ssl_context()) == b"slow"
        assert time.perf_counter() - start >= 0.2

        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(emu.host_payload(b"x", status=403), context)
        assert refused.value.code == 403
        refused.value.close()

        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            _get(url, ssl.create_default_context(cafile=None, capath=None, cadata=None))


def test_a_stall_makes_the_client_time_out_without_holding_up_the_exit():
    start = time.perf_counter()
    with Werk24Emulator(behaviour=Behaviour(stall=10.0)) as emu:
        with pytest.raises(ReadTimeoutError):
            read(emu, DRAWING, [AskMetaData()], total_timeout=0.3)
        assert emu.started == {content_id(DRAWING): 1}
        assert emu.reads == {}
    assert time.perf_counter() - start < 5


def test_latency_does_not_block_concurrent_reads():
    drawings = [make_png(8 + i, 8) for i in range(6)]
    delays = {content_id(d): 0.1 * (i % 2) + 0.3 for i, d in enumerate(drawings)}

    async def many(emu: Werk24Emulator) -> list[list[TechreadMessage]]:
        return list(await asyncio.gather(*(_read_async(emu, d, [AskMetaData()]) for d in drawings)))

    with Werk24Emulator(behaviour=lambda cid: Behaviour(latency=delays[cid])) as emu, trust_emulator(emu):
        start = time.perf_counter()
        results = asyncio.run(many(emu))
        elapsed = time.perf_counter() - start
        assert emu.max_in_flight == len(drawings)
        assert sum(emu.reads.values()) == len(drawings)
        assert emu.in_flight == 0
    assert elapsed < sum(delays.values())  # the latencies overlapped (one after another: >= 2.1 s)
    assert all(len(ask_messages(r)) == 1 for r in results)


def test_trust_emulator_patches_only_inside_the_block():
    techread = __import__("werk24.techread", fromlist=["_default_ssl_context"])
    original = techread._default_ssl_context

    async def connect(emu: Werk24Emulator) -> None:
        async with _client(emu):
            pass

    with Werk24Emulator() as emu:
        with trust_emulator(emu):
            assert techread._default_ssl_context is not original
            asyncio.run(connect(emu))
        assert techread._default_ssl_context is original
        with pytest.raises(ServerException, match="CERTIFICATE_VERIFY_FAILED"):
            asyncio.run(connect(emu))


def test_the_emulator_stops_cleanly():
    with Werk24Emulator() as emu:
        ca_dir = Path(emu.ca_file).parent
        port = urllib.parse.urlsplit(emu.wss_url).port
        assert ca_dir.is_dir()
    assert not ca_dir.exists()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    with pytest.raises(RuntimeError, match="not running"):
        emu.host_payload(b"late")


def test_a_malformed_frame_closes_the_connection():
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosedError

    async def talk(emu: Werk24Emulator) -> tuple[dict[str, Any], int | None]:
        headers = {"Authorization": f"Token {TOKEN}"}
        async with connect(emu.wss_url, ssl=emu.client_ssl_context(), additional_headers=headers) as ws:
            await ws.send(json.dumps({"action": "INITIALIZE", "message": {"asks": [], "max_pages": 1}}))
            init = json.loads(await ws.recv())
            await ws.send("not json")
            with pytest.raises(ConnectionClosedError):
                await ws.recv()
            return init, ws.close_code

    with Werk24Emulator() as emu:
        init, code = asyncio.run(talk(emu))
    assert init["message_subtype"] == "INITIALIZATION_SUCCESS"
    assert init["payload_dict"]["drawing_presigned_post"]["url"].endswith("/upload")
    assert code == 1008


def test_behaviour_rejects_nonsense():
    with pytest.raises(ValueError, match="pages"):
        Behaviour(pages=0)
    with pytest.raises(ValueError, match="negative"):
        Behaviour(latency=-1)
    assert Behaviour(error_asks="FEATURES").error_asks == frozenset({"FEATURES"})  # type: ignore[arg-type]


def test_a_failing_answers_callable_fails_the_read_and_is_logged(caplog):
    def answers(drawing: bytes, asks: list[str]) -> dict[str, list[dict[str, Any]]]:
        raise KeyError("broken test double")

    with Werk24Emulator(answers=answers) as emu, pytest.raises(ServerException):
        read(emu, DRAWING, [AskMetaData()])
    assert "building the answers" in caplog.text
    assert "broken test double" in caplog.text


def test_the_package_does_not_import_the_emulator():
    code = "import sys, werk24_frames; print('werk24_frames.testing' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]


@pytest.mark.parametrize("kind", ["x25519", "rsa"])
def test_the_upload_decryption_undoes_the_sdk_encryption(kind):
    from cryptography.hazmat.primitives.asymmetric import rsa, x25519
    from werk24.utils.crypt import encrypt_with_public_key

    from werk24_frames.testing.emulator import _decrypt, _public_pem

    key = x25519.X25519PrivateKey.generate() if kind == "x25519" else rsa.generate_private_key(65537, 2048)
    package = encrypt_with_public_key(_public_pem(key).encode(), DRAWING)
    assert package != DRAWING
    assert _decrypt(key, package) == DRAWING
