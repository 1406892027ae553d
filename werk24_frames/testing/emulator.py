"""A loopback emulator of the Werk24 v2 reading protocol, for tests and benchmarks.

The official ``werk24`` SDK talks to two servers: a WebSocket server (``wss://…/v2``) that takes
the INITIALIZE and READ commands and streams the answers back, and HTTPS storage that takes the
drawing upload (a presigned POST) and serves binary results (``payload_url``). ``Werk24Emulator``
plays both on ``localhost`` so that code built on the real SDK can be exercised end to end, with
no network, no token and no cost: a read from the emulator goes through exactly the same client
code (handshake, upload, encryption, download, message validation, error mapping) as a read from
Werk24.

What it does
------------
* A WSS server at ``wss://localhost:PORT/v2`` and an HTTPS server at ``https://localhost:PORT2``,
  both on ``127.0.0.1`` with ports chosen by the OS, and a throwaway CA plus a certificate for
  ``localhost`` and ``127.0.0.1`` generated at start-up (valid for one day).
* INITIALIZE → ``PROGRESS/INITIALIZATION_SUCCESS`` with a presigned POST to the HTTPS server and,
  with ``encrypt=True``, a per-request public key (X25519, or RSA for a client that does not
  offer X25519); the upload is decrypted and recorded.
* READ → ``PROGRESS/STARTED``, the ASK messages, ``PROGRESS/COMPLETED``; the connection stays
  open for the next request, as with the real API.
* The answers come from a callable (``answers=``), from a folder in the store layout
  (``store=``), or from small built-in answers that are valid against the SDK's response models.
* Faults on demand (:class:`Behaviour`): latency, several pages, ERROR-level exceptions, abrupt
  connection loss (with retries that succeed), stalls, refused tokens and a spent quota.
* Counters for assertions: reads, started reads, uploads and the peak number of concurrent reads.

The SDK trusts only the certifi bundle and offers no setting to choose a CA, so a client has to
be told to trust the emulator's CA at run time: use :func:`trust_emulator`.

Limits
------
* It emulates the protocol, not the reader: the answers do not depend on what the drawing shows.
* ``read_drawing_with_callback`` (``/techread/read-with-callback``) and ``get_system_status`` are
  not emulated, nor are priorities, client-side result encryption (``encryption_keys``) or
  ``model_presigned_post``.
* Thumbnails and sheet images are served as PNG whatever ``file_format`` the ask names.
* Payload URLs name ``localhost``, because the SDK refuses to download from an IP literal on the
  loopback. If an HTTP(S) proxy is configured in the environment, add ``localhost`` to
  ``NO_PROXY``: websockets honours proxy variables by default.
* Everything is kept in memory; it is meant for thousands of reads, not millions.

Examples
--------
>>> from werk24_frames.testing import Behaviour, Werk24Emulator
>>> with Werk24Emulator(behaviour=Behaviour(pages=2)) as emu:
...     emu.wss_url.startswith("wss://localhost:") and emu.https_url.startswith("https://localhost:")
True
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime
import hashlib
import importlib
import ipaddress
import json
import logging
import secrets
import ssl
import struct
import tempfile
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import certifi
from aiohttp import BodyPartReader, web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

__all__ = [
    "AnswerFunction",
    "Behaviour",
    "Werk24Emulator",
    "content_id",
    "make_png",
    "trust_emulator",
]

from .._secrets import RedactFilter

logger = logging.getLogger("werk24_frames.testing")
#: The WebSocket server's logger; it logs handshake headers at DEBUG, so tokens are blanked.
_WS_LOGGER = logging.getLogger("werk24_frames.testing.websockets")
_WS_LOGGER.addFilter(RedactFilter())

#: Signature of ``answers=``: drawing bytes and the asked ask types → messages per ask type.
AnswerFunction = Callable[[bytes, list[str]], Mapping[str, Sequence[Mapping[str, Any]]]]

#: The HKDF ``info`` of the SDK's X25519 drawing encryption (``werk24/utils/crypt.py``).
_X25519_KDF_INFO = b"werk24-drawing-encryption-v1"
_X25519_KEY_BYTES = 32
_GCM_IV_BYTES = 12
_GCM_TAG_BYTES = 16

#: v1 thumbnail asks and the ids their (SDK-less, invented) payload dicts carry.
_V1_THUMBNAIL_IDS: dict[str, tuple[str, ...]] = {
    "PAGE_THUMBNAIL": ("page_id",),
    "SHEET_THUMBNAIL": ("page_id", "sheet_id"),
    "SHEET_ANONYMIZATION": ("page_id", "sheet_id"),
    "CANVAS_THUMBNAIL": ("page_id", "sheet_id", "canvas_id"),
    "SECTIONAL_THUMBNAIL": ("page_id", "sheet_id", "canvas_id", "sectional_id"),
}

#: v2 asks whose result is a file behind ``payload_url``.
_IMAGE_ASKS = frozenset({"SHEET_IMAGES", "VIEW_IMAGES"})


def content_id(data: bytes) -> str:
    """The content id of a drawing: the first 16 hex digits of the SHA-256 of its bytes.

    Parameters
    ----------
    data
        The (plain, decrypted) drawing bytes.

    Returns
    -------
    str
        16 lower-case hex digits, the same id ``werk24_frames`` uses for store folders.

    Examples
    --------
    >>> content_id(b"")
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()[:16]


def make_png(width: int = 64, height: int = 48, *, shade: int = 0) -> bytes:
    """A small grayscale PNG (a framed sheet with a diagonal), made with the standard library.

    Parameters
    ----------
    width, height
        Size in pixels (at least 4 each).
    shade
        Gray level (0-255) of the lines; the background is white.

    Returns
    -------
    bytes
        A complete PNG file.

    Examples
    --------
    >>> make_png()[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    if width < 4 or height < 4:
        raise ValueError("a PNG needs at least 4x4 pixels here")
    line = max(0, min(255, shade))
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            on_frame = x in (1, width - 2) or y in (1, height - 2)
            on_diagonal = abs(x * (height - 1) - y * (width - 1)) < width
            rows.append(line if on_frame or on_diagonal else 255)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _deterministic_uuid(*parts: object) -> str:
    """A version-4-shaped UUID derived from ``parts`` (stable across runs)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


@dataclasses.dataclass(frozen=True)
class Behaviour:
    """How the emulator answers a read: timing, pages and faults.

    Parameters
    ----------
    latency
        Seconds between READ and the first ASK message (an ``asyncio.sleep``; the emulator keeps
        serving other connections meanwhile).
    pages
        Every built-in answer is sent once per page, with ``page_number`` 0 … ``pages - 1``
        (capped at the request's ``max_pages``). Answers from ``store=`` or ``answers=`` carry
        their own page numbers and are sent as they are.
    error_asks
        Ask types answered with an ERROR-level ``DRAWING_CONTENT_NOT_UNDERSTOOD`` exception and no
        payload (one such message per message the ask would otherwise get).
    close_after
        Abort the connection abruptly (TCP close without a WebSocket or TLS close handshake) after
        this many ASK messages of a read; ``0`` aborts right after ``PROGRESS/STARTED``. ``None``
        never aborts.
    close_attempts
        ``close_after`` applies only to the first ``close_attempts`` reads of the same drawing
        (counted by content id), so that a retry can succeed.
    stall
        After ``PROGRESS/STARTED``, send nothing for this many seconds (to trigger client
        timeouts). The stall ends early when the client closes the connection.

    Examples
    --------
    >>> Behaviour(error_asks={"FEATURES"}).error_asks
    frozenset({'FEATURES'})
    """

    latency: float = 0.0
    pages: int = 1
    error_asks: frozenset[str] = frozenset()
    close_after: int | None = None
    close_attempts: int = 1_000_000
    stall: float = 0.0

    def __post_init__(self) -> None:
        raw: Any = self.error_asks
        asks = frozenset({raw}) if isinstance(raw, str) else frozenset(str(a) for a in raw)
        object.__setattr__(self, "error_asks", asks)
        if self.latency < 0 or self.stall < 0:
            raise ValueError("latency and stall must not be negative")
        if self.pages < 1:
            raise ValueError("pages must be at least 1")
        if self.close_after is not None and self.close_after < 0:
            raise ValueError("close_after must be None or at least 0")
        if self.close_attempts < 0:
            raise ValueError("close_attempts must not be negative")


BehaviourSpec = Behaviour | Callable[[str], Behaviour]


@dataclasses.dataclass
class _Hosted:
    """Bytes served at one payload URL."""

    data: bytes
    delay: float = 0.0
    status: int = 200


@dataclasses.dataclass
class _Request:
    """One INITIALIZEd request, from INITIALIZE to the end of its READ."""

    request_id: str
    asks: list[dict[str, Any]]
    max_pages: int
    private_key: x25519.X25519PrivateKey | rsa.RSAPrivateKey | None = None
    drawing: bytes | None = None


@dataclasses.dataclass
class _Tls:
    """The throwaway PKI: file paths and the server context."""

    ca_file: str
    cert_file: str
    key_file: str


def _write_tls(folder: Path) -> _Tls:
    """Generate a CA and a ``localhost``/``127.0.0.1`` server certificate into ``folder``."""
    now = datetime.datetime.now(datetime.UTC)
    not_before = now - datetime.timedelta(minutes=5)
    not_after = now + datetime.timedelta(days=1)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "werk24_frames emulator test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    tls = _Tls(
        ca_file=str(folder / "ca.pem"),
        cert_file=str(folder / "server.pem"),
        key_file=str(folder / "server.key"),
    )
    Path(tls.ca_file).write_bytes(ca_cert.public_bytes(pem))
    Path(tls.cert_file).write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    Path(tls.key_file).write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tls


def _public_pem(private_key: x25519.X25519PrivateKey | rsa.RSAPrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _decrypt(private_key: x25519.X25519PrivateKey | rsa.RSAPrivateKey, package: bytes) -> bytes:
    """Undo the SDK's ``encrypt_with_public_key``: key block ‖ IV ‖ GCM tag ‖ ciphertext."""
    if isinstance(private_key, x25519.X25519PrivateKey):
        block = _X25519_KEY_BYTES
        peer = x25519.X25519PublicKey.from_public_bytes(package[:block])
        secret = private_key.exchange(peer)
        aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_X25519_KDF_INFO).derive(secret)
    else:
        block = private_key.key_size // 8
        aes_key = private_key.decrypt(
            package[:block],
            padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
    iv = package[block : block + _GCM_IV_BYTES]
    tag = package[block + _GCM_IV_BYTES : block + _GCM_IV_BYTES + _GCM_TAG_BYTES]
    ciphertext = package[block + _GCM_IV_BYTES + _GCM_TAG_BYTES :]
    return AESGCM(aes_key).decrypt(iv, ciphertext + tag, None)


def _size(value: str, size_type: str = "LINEAR", tolerance: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"value": value, "unit": "mm", "size_type": size_type, "tolerance": tolerance}


def _default_payload(ask: Mapping[str, Any], cid: str, page: int, pages: int) -> dict[str, Any] | None:
    """A small v2 answer for ``ask`` that validates against the SDK's response models."""
    ask_type = str(ask.get("ask_type"))
    head: dict[str, Any] = {"ask_version": "v2", "ask_type": ask_type}
    component = {**head, "page_type": "COMPONENT_DRAWING"}
    if ask_type == "META_DATA":
        return {
            **component,
            "bill_of_material": None,
            "certifications": [],
            "designation": [{"reference_id": 1, "language": "ENG", "value": "EMULATED PART"}],
            "identifiers": [
                {
                    "reference_id": 2,
                    "language": None,
                    "value": f"EMU-{cid[:8].upper()}",
                    "identifier_type": "DRAWING_NUMBER",
                    "stakeholder": "OWNER",
                    "period": "CURRENT",
                }
            ],
            "general_roughness": None,
            "general_tolerances": {
                "reference_id": 3,
                "tolerance_standard": "ISO 2768",
                "tolerance_class": "m",
                "principle": "INDEPENDENCE",
            },
            "languages": ["ENG"],
            "material_options": [],
            "notes": [],
            "projection_method": None,
            "unit_systems": [{"reference_id": 4, "unit_system_type": "METRIC"}],
            "weight": None,
        }
    if ask_type == "FEATURES":
        tolerance = {
            "tolerance_grade": None,
            "deviation_lower": "-0.1",
            "deviation_upper": "0.1",
            "fit": None,
            "is_theoretically_exact": False,
            "is_reference": False,
            "is_general_tolerance": False,
            "is_approximation": False,
        }
        dimension = {
            "reference_id": 10,
            "label": "50 ±0.1",
            "confidence": {"score": "0.9"},
            "quantity": 1,
            "size": _size("50", tolerance=tolerance),
        }
        lists = ("bores", "chamfers", "gdnts", "radii", "roughnesses", "threads")
        more = ("undercuts", "key_slots", "center_holes", "fasteners")
        return {**component, "dimensions": [dimension], **{name: [] for name in lists + more}}
    if ask_type == "INSIGHTS":
        return {
            **component,
            "dimensions_before_processing": None,
            "dimensions_after_processing": None,
            "primary_process_options": [{"primary_process": "MILLING", "axis_count": 3}],
            "secondary_processes": [],
            "volume_estimate": None,
        }
    if ask_type == "REFERENCE_POSITIONS":
        box = [[10, 10], [40, 10], [40, 20], [10, 20]]
        return {
            **head,
            "reference_positions": [
                {"reference_id": ref, "polygon": {"coordinate_space": "PIXEL_SPACE", "coordinates": box}}
                for ref in (1, 2, 10)
            ],
        }
    if ask_type == "BALLOONS":
        return {**head, "balloons": []}
    if ask_type == "REDACTION":
        return {**head, "redaction_zones": []}
    if ask_type == "DOCUMENT_PROFILE":
        return {**head, "page_count": pages, "paper_size": "A4", "processing_time": None}
    if ask_type == "PAGE_ASSESSMENT":
        assessment = {"page_type": "COMPONENT_DRAWING", "has_welding_symbols": False, "description": ""}
        return {**head, "pages": [assessment] * pages}
    if ask_type == "CUSTOM":
        return {**head, "custom_id": str(ask.get("custom_id", "")), "output": {}}
    if ask_type in _V1_THUMBNAIL_IDS:
        return {name: _deterministic_uuid(cid, page, name) for name in _V1_THUMBNAIL_IDS[ask_type]}
    return None


def _error_exception(ask_type: str) -> dict[str, Any]:
    return {
        "exception_level": "ERROR",
        "exception_type": "DRAWING_CONTENT_NOT_UNDERSTOOD",
        "ask_type": ask_type,
    }


class Werk24Emulator:
    """A local stand-in for the Werk24 API that the real ``werk24`` SDK can talk to.

    Use it as a context manager: entering starts a thread with its own event loop, the WSS and
    HTTPS servers and a throwaway CA; leaving stops them and removes the temporary files. Point a
    client at ``wss_url``/``https_url`` inside :func:`trust_emulator`.

    Parameters
    ----------
    store
        A folder in the ``werk24_frames`` store layout (``<root>/<content_id>/<ASK>.json``, image
        files named by ``payload_file``). A drawing is answered from the folder named by its
        content id, or from the folder whose ``sheet_0.png`` has the same bytes. Asks without a
        stored file get the built-in answer.
    answers
        ``answers(drawing_bytes, ask_types) -> {ask_type: [message dict, …]}``, called on the
        emulator's event loop for every read (so it must be quick). Its messages override the
        store and the built-in answers for the ask types it names (``[]`` sends nothing for that
        ask). Missing keys of a message are filled in (``message_type="ASK"``, the ask type as
        subtype, page 0, no payload, no exceptions); ``request_id`` is always replaced by the
        current request's. A ``payload_bytes`` value (bytes) is served at a fresh payload URL.
    behaviour
        A :class:`Behaviour`, or a callable that returns one for a content id. It is the
        public attribute ``behaviour`` and may be replaced between reads.
    tokens
        Accepted API tokens. ``None`` accepts any non-empty token; any other token is refused
        with HTTP 403 at the WebSocket handshake (``ApiTokenRejectedException`` in the SDK).
    quota
        How many requests are granted in total. A unit is taken when INITIALIZE is answered with
        an init response, so in the usual INITIALIZE → upload → READ flow it is the number of
        READs. Further INITIALIZEs get the API's quota refusal (``InsufficientCreditsException``).
    encrypt
        Send a fresh public key in every init response (X25519 when the client offers it in
        ``supported_key_exchanges``, RSA-OAEP otherwise) and decrypt the uploads with the
        matching private key; ``uploads`` holds the plain bytes.

    Attributes
    ----------
    wss_url : str
        ``wss://localhost:PORT/v2``.
    https_url : str
        ``https://localhost:PORT`` (uploads and payloads).
    ca_file : str
        Path of the PEM file of the throwaway CA.

    Examples
    --------
    >>> with Werk24Emulator(tokens={"t0k3n"}) as emu:
    ...     emu.reads["0123456789abcdef"], emu.max_in_flight
    (0, 0)
    """

    def __init__(
        self,
        *,
        store: str | Path | None = None,
        answers: AnswerFunction | None = None,
        behaviour: BehaviourSpec = Behaviour(),  # frozen, so a safe default
        tokens: Iterable[str] | None = None,
        quota: int | None = None,
        encrypt: bool = False,
    ) -> None:
        if quota is not None and quota < 0:
            raise ValueError("quota must be None or at least 0")
        self._answers = answers
        self.behaviour = behaviour
        self._tokens = None if tokens is None else frozenset(tokens)
        self._quota = quota
        self._encrypt = encrypt
        self._store_root = None if store is None else Path(store)
        self._store_folders: dict[str, Path] = {}
        self._sheet_index: dict[str, Path] = {}
        if self._store_root is not None:
            self._index_store(self._store_root)
        self._stored: dict[tuple[Path, str], list[dict[str, Any]] | None] = {}
        self._file_urls: dict[Path, str] = {}

        self._lock = threading.Lock()
        self._reads: collections.Counter[str] = collections.Counter()
        self._started: collections.Counter[str] = collections.Counter()
        self._uploads: list[bytes] = []
        self._requested: list[tuple[str, ...]] = []
        self._in_flight = 0
        self._max_in_flight = 0
        self._granted = 0
        self._payloads: dict[str, _Hosted] = {}
        self._requests: dict[str, _Request] = {}

        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._tls: _Tls | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._handlers: set[asyncio.Task[Any]] = set()
        self._default_png_url = ""
        self.wss_url = ""
        self.https_url = ""

    # ------------------------------------------------------------------ public API

    @property
    def ca_file(self) -> str:
        """Path of the PEM file of the emulator's throwaway CA (only while running)."""
        if self._tls is None:
            raise RuntimeError("the emulator is not running; use it in a with block")
        return self._tls.ca_file

    @property
    def reads(self) -> collections.Counter[str]:
        """Completed reads (``PROGRESS/COMPLETED`` sent) per content id; a snapshot copy."""
        with self._lock:
            return collections.Counter(self._reads)

    @property
    def started(self) -> collections.Counter[str]:
        """READs begun per content id, aborted ones included; a snapshot copy."""
        with self._lock:
            return collections.Counter(self._started)

    @property
    def uploads(self) -> list[bytes]:
        """The uploaded drawings, decrypted, in the order they arrived; a snapshot copy."""
        with self._lock:
            return list(self._uploads)

    @property
    def requested_asks(self) -> list[tuple[str, ...]]:
        """The ask types of every INITIALIZE, in order (refused ones included); a snapshot copy."""
        with self._lock:
            return list(self._requested)

    @property
    def max_in_flight(self) -> int:
        """The highest number of READs that were being answered at the same time."""
        with self._lock:
            return self._max_in_flight

    @property
    def in_flight(self) -> int:
        """The number of READs being answered right now."""
        with self._lock:
            return self._in_flight

    def client_ssl_context(self, *, certifi_too: bool = True) -> ssl.SSLContext:
        """An SSL context for clients that trusts the emulator's CA.

        Parameters
        ----------
        certifi_too
            Also trust the certifi bundle (what the SDK trusts), so that the same context still
            works for real servers.

        Returns
        -------
        ssl.SSLContext
            A fresh client context with hostname checking on.
        """
        context = ssl.create_default_context(cafile=certifi.where() if certifi_too else None)
        context.load_verify_locations(cafile=self.ca_file)
        return context

    def host_payload(self, data: bytes, *, delay: float = 0.0, status: int = 200) -> str:
        """Serve ``data`` at a fresh ``https://localhost:PORT/payload/<random>`` URL.

        Parameters
        ----------
        data
            The response body (for a non-2xx ``status`` a short text is sent instead).
        delay
            Seconds to wait before answering (for slow-server tests).
        status
            The HTTP status to answer with (for error tests).

        Returns
        -------
        str
            The URL; it stays valid while the emulator runs.
        """
        if not self.https_url:
            raise RuntimeError("the emulator is not running; use it in a with block")
        if delay < 0:
            raise ValueError("delay must not be negative")
        name = secrets.token_urlsafe(12) + (".png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "")
        with self._lock:
            self._payloads[name] = _Hosted(bytes(data), delay, status)
        return f"{self.https_url}/payload/{name}"

    def __enter__(self) -> Werk24Emulator:
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        with self._lock:  # URLs of an earlier run name its (closed) port
            self._payloads.clear()
            self._file_urls.clear()
        self._tmp = tempfile.TemporaryDirectory(prefix="werk24-emulator-")
        try:
            self._tls = _write_tls(Path(self._tmp.name))
            self._ready.clear()
            self._startup_error = None
            self._thread = threading.Thread(target=self._run, name="werk24-emulator", daemon=True)
            self._thread.start()
            if not self._ready.wait(timeout=30):
                raise RuntimeError("the emulator did not start within 30 s")
            if self._startup_error is not None:
                raise RuntimeError("the emulator failed to start") from self._startup_error
        except BaseException:
            self._shutdown()
            raise
        logger.debug("emulator running: %s and %s", self.wss_url, self.https_url)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._shutdown()

    # ------------------------------------------------------------------ lifecycle

    def _shutdown(self) -> None:
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop finished on its own
                loop.call_soon_threadsafe(stop.set)
        if thread is not None:
            thread.join(timeout=30)
            if thread.is_alive():  # pragma: no cover - only when a handler refuses to stop
                logger.warning("the emulator thread did not stop within 30 s")
        self._thread = self._loop = self._stop = None
        self._tls = None
        self.wss_url = self.https_url = ""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to __enter__ or logged
            if not self._ready.is_set():
                self._startup_error = exc
                self._ready.set()
            else:  # pragma: no cover - defensive
                logger.exception("the emulator's event loop failed")

    async def _main(self) -> None:
        assert self._tls is not None
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_exception)
        self._loop = loop
        self._stop = asyncio.Event()

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._tls.cert_file, self._tls.key_file)

        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/upload", self._upload)
        app.router.add_get("/payload/{name}", self._payload)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
        server: Server | None = None
        try:
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
            await site.start()
            https_port = int(runner.addresses[0][1])
            server = await serve(
                self._connection,
                "127.0.0.1",
                0,
                ssl=context,
                process_request=self._process_request,
                logger=_WS_LOGGER,
                max_size=16 * 1024 * 1024,
                close_timeout=1.0,
            )
            wss_port = int(next(iter(server.sockets)).getsockname()[1])
            self.https_url = f"https://localhost:{https_port}"
            self.wss_url = f"wss://localhost:{wss_port}/v2"
            self._default_png_url = self.host_payload(make_png())
            self._ready.set()
            await self._stop.wait()
        finally:
            # Closing a TLS transport waits for the peer's close_notify, and a client that keeps
            # its connection open (say, an unread HTTPError) never sends it, so the socket would
            # outlive this loop. Remember the sockets' own transports now (the TLS transport
            # forgets its socket's when closed twice, as aiohttp's cleanup does), close
            # everything gracefully, then abort what is still open.
            raw: list[asyncio.BaseTransport] = []
            tls_transports: list[asyncio.BaseTransport | None] = []
            if runner.server is not None:
                tls_transports += [h.transport for h in runner.server.connections]
            for task in list(self._handlers):
                task.cancel()
            if server is not None:
                tls_transports += [c.transport for c in server.connections]
            for transport in tls_transports:
                inner = getattr(getattr(transport, "_ssl_protocol", None), "_transport", None)
                if isinstance(inner, asyncio.BaseTransport):
                    raw.append(inner)
            if server is not None:
                server.close()
                await server.wait_closed()
            await runner.cleanup()
            for transport in raw:
                if isinstance(transport, asyncio.WriteTransport):
                    transport.abort()  # a no-op for a socket that is already closed
            await asyncio.sleep(0)  # let the aborted transports close their sockets

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Keep clients that vanish mid-TLS from printing tracebacks; log everything else."""
        exc = context.get("exception")
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            logger.debug("connection error: %s (%s)", context.get("message"), exc)
        else:
            logger.warning("emulator event loop: %s", context.get("message"), exc_info=exc)

    # ------------------------------------------------------------------ store

    def _index_store(self, root: Path) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"store folder not found: {root}")
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            self._store_folders[folder.name] = folder
            sheet = folder / "sheet_0.png"
            if sheet.is_file():
                self._sheet_index.setdefault(content_id(sheet.read_bytes()), folder)

    def _store_folder(self, cid: str) -> Path | None:
        return self._store_folders.get(cid) or self._sheet_index.get(cid)

    def _stored_messages(self, folder: Path, ask_type: str) -> list[dict[str, Any]] | None:
        key = (folder, ask_type)
        if key not in self._stored:
            path = folder / f"{ask_type}.json"
            loaded: list[dict[str, Any]] | None = None
            if path.is_file():
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, list):
                    loaded = [m for m in data if isinstance(m, dict)]
                else:
                    logger.warning("%s is not a list of messages; ignored", path)
            self._stored[key] = loaded
        stored = self._stored[key]
        return None if stored is None else [dict(m) for m in stored]

    def _file_url(self, path: Path) -> str | None:
        if path not in self._file_urls:
            if not path.is_file():
                logger.warning("payload_file %s not found; sent without a payload_url", path)
                return None
            self._file_urls[path] = self.host_payload(path.read_bytes())
        return self._file_urls[path]

    # ------------------------------------------------------------------ answers

    def _behaviour_for(self, cid: str) -> Behaviour:
        spec = self.behaviour
        return spec if isinstance(spec, Behaviour) else spec(cid)

    def _messages(self, request: _Request, drawing: bytes, cid: str, behaviour: Behaviour) -> list[dict[str, Any]]:
        """Every ASK message of a read, in sending order (by page, then by ask)."""
        ask_types = [str(a.get("ask_type")) for a in request.asks]
        explicit = dict(self._answers(drawing, list(ask_types))) if self._answers is not None else {}
        folder = self._store_folder(cid) if self._store_root is not None else None
        pages = max(1, min(behaviour.pages, request.max_pages))

        ordered: list[tuple[int, int, int, dict[str, Any]]] = []
        done: set[str] = set()  # ask types answered from answers= or the store (once each)
        for index, ask in enumerate(request.asks):
            ask_type = ask_types[index]
            source: Path | None = None
            messages: list[dict[str, Any]] | None = None
            if ask_type in done:
                continue
            if ask_type in explicit:
                messages = [dict(m) for m in explicit[ask_type]]
            elif folder is not None:
                messages = self._stored_messages(folder, ask_type)
                source = folder
            if messages is None:
                messages = [self._default_message(ask, cid, page, pages) for page in range(pages)]
            else:
                done.add(ask_type)
            for seq, message in enumerate(messages):
                final = self._finish(message, request.request_id, ask_type, source)
                if ask_type in behaviour.error_asks:
                    final.update(payload_dict=None, payload_url=None, exceptions=[_error_exception(ask_type)])
                ordered.append((int(final["page_number"]), index, seq, final))
        ordered.sort(key=lambda item: item[:3])
        return [item[3] for item in ordered]

    def _default_message(self, ask: Mapping[str, Any], cid: str, page: int, pages: int) -> dict[str, Any]:
        ask_type = str(ask.get("ask_type"))
        image = ask_type in _IMAGE_ASKS or ask_type in _V1_THUMBNAIL_IDS or ask_type == "REDACTION"
        return {
            "message_type": "ASK",
            "message_subtype": ask_type,
            "page_number": page,
            "payload_dict": _default_payload(ask, cid, page, pages),
            "payload_url": self._default_png_url if image else None,
            "exceptions": [],
        }

    def _finish(self, message: dict[str, Any], request_id: str, ask_type: str, folder: Path | None) -> dict[str, Any]:
        """Fill in a message's defaults and turn file references into payload URLs."""
        payload_file = message.pop("payload_file", None)
        payload_bytes = message.pop("payload_bytes", None)
        out: dict[str, Any] = {
            "request_id": request_id,
            "message_type": message.get("message_type", "ASK"),
            "message_subtype": message.get("message_subtype", ask_type),
            "page_number": int(message.get("page_number") or 0),
            "payload_dict": message.get("payload_dict"),
            "payload_url": message.get("payload_url"),
            "exceptions": list(message.get("exceptions") or []),
        }
        if isinstance(payload_bytes, (bytes, bytearray)):
            out["payload_url"] = self.host_payload(bytes(payload_bytes))
        elif payload_file:
            if folder is None:
                logger.warning("payload_file %r outside a store folder; ignored", payload_file)
            else:
                out["payload_url"] = self._file_url(folder / str(payload_file))
        return out

    # ------------------------------------------------------------------ WebSocket

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?", 1)[0] != "/v2":
            return connection.respond(404, "Not Found\n")
        auth = request.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        accepted = scheme == "Token" and bool(token) and (self._tokens is None or token in self._tokens)
        if not accepted:
            logger.debug("token refused at the handshake")
            return connection.respond(403, "Forbidden\n")
        return None

    async def _connection(self, ws: ServerConnection) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        mine: list[str] = []
        current: _Request | None = None
        try:
            async for raw in ws:
                try:
                    frame = json.loads(raw)
                    action = frame["action"]
                    message = frame.get("message") or {}
                    if isinstance(message, str):  # tolerate a JSON string instead of an object
                        message = json.loads(message)
                    if not isinstance(message, dict):
                        raise TypeError("message is not an object")
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    logger.warning("malformed frame (%s); closing the connection", exc)
                    await ws.close(1008, "malformed frame")
                    return
                if action == "INITIALIZE":
                    current = await self._initialize(ws, message)
                    if current is not None:
                        mine.append(current.request_id)
                elif action == "READ":
                    if current is None or current.drawing is None:
                        logger.warning("READ without an initialized request and an uploaded drawing")
                        await ws.close(1008, "READ without an uploaded drawing")
                        return
                    request, current = current, None
                    if not await self._read(ws, request):
                        return  # aborted or gone
                else:
                    logger.warning("unknown action %r; closing the connection", action)
                    await ws.close(1008, "unknown action")
                    return
        except ConnectionClosed:
            logger.debug("client went away")
        finally:
            with self._lock:
                for request_id in mine:
                    self._requests.pop(request_id, None)
            if task is not None:
                self._handlers.discard(task)

    async def _initialize(self, ws: ServerConnection, message: dict[str, Any]) -> _Request | None:
        asks = [a for a in message.get("asks") or [] if isinstance(a, dict)]
        request_id = str(uuid.uuid4())
        with self._lock:
            self._requested.append(tuple(str(a.get("ask_type")) for a in asks))
            refused = self._quota is not None and self._granted >= self._quota
            if not refused:
                self._granted += 1
        if refused:
            logger.debug("quota used up; refusing request %s", request_id)
            await self._send(
                ws,
                request_id,
                "PROGRESS",
                "COMPLETED",
                payload_dict={"message": "Limit Exceeded"},
            )
            return None

        try:
            max_pages = max(1, int(message.get("max_pages") or 1))
        except (TypeError, ValueError):
            max_pages = 1
        request = _Request(request_id=request_id, asks=asks, max_pages=max_pages)
        public_key: str | None = None
        if self._encrypt:
            offered = message.get("supported_key_exchanges") or ["rsa-oaep"]
            if "x25519" in offered:
                request.private_key = x25519.X25519PrivateKey.generate()
            else:
                request.private_key = await asyncio.to_thread(rsa.generate_private_key, 65537, 2048)
            public_key = _public_pem(request.private_key)
        with self._lock:
            self._requests[request_id] = request
        presigned = {
            "url": f"{self.https_url}/upload",
            "fields": {"key": f"drawings/{request_id}/drawing", "x-emulator-request-id": request_id},
        }
        await self._send(
            ws,
            request_id,
            "PROGRESS",
            "INITIALIZATION_SUCCESS",
            payload_dict={"drawing_presigned_post": presigned, "public_key": public_key, "exceptions": []},
        )
        return request

    async def _read(self, ws: ServerConnection, request: _Request) -> bool:
        """Answer one READ. Returns False when the connection was aborted or is gone."""
        drawing = request.drawing or b""
        cid = content_id(drawing)
        with self._lock:
            self._requests.pop(request.request_id, None)
            self._started[cid] += 1
            attempt = self._started[cid]
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        try:
            try:
                behaviour = self._behaviour_for(cid)
            except Exception:
                logger.exception("the behaviour callable failed for %s; closing the connection", cid)
                await ws.close(1011, "emulator behaviour failed")
                return False
            await self._send(ws, request.request_id, "PROGRESS", "STARTED")
            if not await self._pause(ws, behaviour.stall + behaviour.latency):
                return False
            try:
                messages = self._messages(request, drawing, cid, behaviour)
            except Exception:
                logger.exception("building the answers for %s failed; closing the connection", cid)
                await ws.close(1011, "emulator answers failed")
                return False
            close_after = behaviour.close_after if attempt <= behaviour.close_attempts else None
            sent = 0
            for message in messages if close_after != 0 else []:
                await ws.send(json.dumps(message))
                if message["message_type"] == "ASK":
                    sent += 1
                if close_after is not None and sent >= close_after:
                    break
            if close_after is not None and sent >= close_after:
                await self._abort(ws)
                logger.debug("aborted the read of %s after %d ASK messages", cid, sent)
                return False
            await self._send(ws, request.request_id, "PROGRESS", "COMPLETED")
            with self._lock:
                self._reads[cid] += 1
            return True
        finally:
            with self._lock:
                self._in_flight -= 1

    @staticmethod
    async def _pause(ws: ServerConnection, seconds: float) -> bool:
        """Sleep ``seconds``; return False early if the connection closes meanwhile."""
        if seconds <= 0:
            return True
        try:
            await asyncio.wait_for(ws.wait_closed(), timeout=seconds)
        except TimeoutError:
            return True
        return False

    @staticmethod
    async def _abort(ws: ServerConnection) -> None:
        """Drop the TCP connection without a close handshake, after flushing what was sent."""
        transport = ws.transport
        for _ in range(200):  # at most about a second
            if transport.is_closing() or transport.get_write_buffer_size() == 0:
                break
            await asyncio.sleep(0.005)
        transport.abort()

    @staticmethod
    async def _send(
        ws: ServerConnection,
        request_id: str,
        message_type: str,
        subtype: str,
        *,
        payload_dict: Any = None,
    ) -> None:
        await ws.send(
            json.dumps(
                {
                    "request_id": request_id,
                    "message_type": message_type,
                    "message_subtype": subtype,
                    "page_number": 0,
                    "payload_dict": payload_dict,
                    "payload_url": None,
                    "exceptions": [],
                }
            )
        )

    # ------------------------------------------------------------------ HTTPS

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        fields: dict[str, bytes] = {}
        try:
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if isinstance(part, BodyPartReader) and part.name:
                    fields[part.name] = bytes(await part.read())
        except (ValueError, AssertionError) as exc:
            return web.Response(status=400, text=f"malformed multipart body: {exc}\n")
        request_id = fields.get("x-emulator-request-id", b"").decode("ascii", "replace")
        with self._lock:
            pending = self._requests.get(request_id)
        if pending is None:
            return web.Response(status=403, text="unknown or expired upload\n")
        if "file" not in fields:
            return web.Response(status=400, text="no file field\n")
        data = fields["file"]
        if pending.private_key is not None:
            try:
                data = _decrypt(pending.private_key, data)
            except Exception as exc:
                logger.warning("could not decrypt the upload of %s: %s", request_id, exc)
                return web.Response(status=400, text="could not decrypt the upload\n")
        pending.drawing = data
        with self._lock:
            self._uploads.append(data)
        return web.Response(status=204)

    async def _payload(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            hosted = self._payloads.get(request.match_info["name"])
        if hosted is None:
            return web.Response(status=404, text="no such payload\n")
        if hosted.delay:
            await asyncio.sleep(hosted.delay)
        if not 200 <= hosted.status < 300:
            return web.Response(status=hosted.status, text=f"emulated status {hosted.status}\n")
        kind = "image/png" if hosted.data[:8] == b"\x89PNG\r\n\x1a\n" else "application/octet-stream"
        return web.Response(status=hosted.status, body=hosted.data, content_type=kind)


# ---------------------------------------------------------------------- trust

_trust_lock = threading.Lock()
_trusted: list[str] = []
_trust_original: Any = None
_trust_contexts: dict[tuple[str, ...], ssl.SSLContext] = {}


def _patched_default_ssl_context() -> ssl.SSLContext:
    with _trust_lock:
        key = tuple(_trusted)
        if key not in _trust_contexts:
            context = ssl.create_default_context(cafile=certifi.where())
            for ca_file in key:
                context.load_verify_locations(cafile=ca_file)
            _trust_contexts[key] = context
        return _trust_contexts[key]


@contextlib.contextmanager
def trust_emulator(emulator: Werk24Emulator) -> Iterator[Werk24Emulator]:
    """Make SDK clients created inside the block trust the emulator's CA (and certifi).

    Why this is needed: ``werk24.Werk24Client`` verifies TLS against the certifi bundle only
    (``werk24.techread._default_ssl_context()`` returns
    ``ssl.create_default_context(cafile=certifi.where())``), and uses that one context for the
    WebSocket, the upload and the payload downloads. No argument, setting or environment
    variable selects another CA or turns verification off (``SSL_CERT_FILE`` has no effect,
    because ``cafile=`` replaces the default trust store), and plain ``ws://`` is refused. So a
    local server can only be trusted by injecting its CA at run time. This replaces
    ``werk24.techread._default_ssl_context`` with a function whose context trusts certifi plus
    every emulator currently inside a ``trust_emulator`` block, and puts the original back on
    exit. Nothing on disk is changed.

    A client takes its context when it is constructed, so create the ``Werk24Client`` inside
    the block. The patch is process-wide while the block runs.

    Parameters
    ----------
    emulator
        A running :class:`Werk24Emulator`.

    Yields
    ------
    Werk24Emulator
        The same emulator.
    """
    global _trust_original
    techread: Any = importlib.import_module("werk24.techread")  # untyped SDK
    ca_file = emulator.ca_file
    with _trust_lock:
        if not _trusted:
            _trust_original = techread._default_ssl_context
            techread._default_ssl_context = _patched_default_ssl_context
        _trusted.append(ca_file)
    try:
        yield emulator
    finally:
        with _trust_lock:
            _trusted.remove(ca_file)
            for key in [k for k in _trust_contexts if ca_file in k]:
                del _trust_contexts[key]
            if not _trusted:
                techread._default_ssl_context = _trust_original
                _trust_original = None
