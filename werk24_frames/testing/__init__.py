"""Test helpers for code built on the werk24 SDK: a loopback emulator of the Werk24 API.

Import it explicitly (``from werk24_frames.testing import Werk24Emulator``); ``import
werk24_frames`` does not load it. It needs the ``live`` extra (the werk24 SDK and what it pulls
in: websockets, aiohttp, cryptography, certifi).

See :mod:`werk24_frames.testing.emulator` for what is emulated and what is not.
"""

from __future__ import annotations

from .emulator import AnswerFunction, Behaviour, Werk24Emulator, content_id, make_png, trust_emulator

__all__ = ["AnswerFunction", "Behaviour", "Werk24Emulator", "content_id", "make_png", "trust_emulator"]
