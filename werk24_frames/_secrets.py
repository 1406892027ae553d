"""Keep the API token out of log lines.

The SDK's libraries log what they send at DEBUG level; websockets, for one, logs every
handshake header, ``Authorization: Token ...`` included. While a live read runs, a filter on
their loggers blanks the token (and any ``Authorization`` header value) in each record.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

__all__ = ["SDK_LOGGERS", "RedactFilter", "redacted_logs"]

#: Loggers the SDK and its libraries write to while they talk to Werk24.
SDK_LOGGERS = ("werk24", "werk24.techread", "websockets", "websockets.client", "aiohttp", "aiohttp.client")
_AUTH_HEADER = re.compile(r"(authorization\s*[:=]\s*)\S.*", re.IGNORECASE)


class RedactFilter(logging.Filter):
    """Blanks ``secrets`` and ``Authorization`` header values in the records of a logger."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        clean = _AUTH_HEADER.sub(r"\1***", text)
        for secret in self._secrets:
            clean = clean.replace(secret, "***")
        if clean != text:
            record.msg, record.args = clean, None
        return True


@contextlib.contextmanager
def redacted_logs(secret: str | None, loggers: tuple[str, ...] = SDK_LOGGERS) -> Iterator[None]:
    """Within the block, records of ``loggers`` never show ``secret``."""
    redact = RedactFilter(*([secret] if secret else []))
    targets = [logging.getLogger(name) for name in loggers]
    for lg in targets:
        lg.addFilter(redact)
    try:
        yield
    finally:
        for lg in targets:
            lg.removeFilter(redact)
