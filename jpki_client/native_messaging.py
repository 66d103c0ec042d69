"""Chrome's native-messaging framing: each message is a 4-byte length in native byte order, then that many bytes of
UTF-8 JSON. Chrome refuses a message from the host larger than 1 MB (developer.chrome.com/docs/extensions/develop/
concepts/native-messaging, "Native messaging protocol", read 2026-11-27).

Why a module of its own: the host's main loop must survive every bad frame Chrome (or anything else on its stdin)
can send, and that is easiest to prove on the framing alone. Each bad frame raises ``FrameError`` with a code and a
message naming the problem; the stream stays in step after it, so the host answers and reads the next frame.
"""

from __future__ import annotations

import json
import struct
from typing import BinaryIO

HEADER = struct.Struct("=I")  # native byte order, as Chrome writes it
MAX_TO_BROWSER = 1024 * 1024  # Chrome's limit for a message from the host
MAX_FROM_BROWSER = 1024 * 1024  # ours: a JPKI request is a few hundred bytes
MIN_FRAME = 2  # "{}", the shortest JSON object


class FrameError(ValueError):
    """A frame that cannot be a request; ``code`` is what the error reply carries."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class EndOfStream(EOFError):
    """Chrome closed the host's stdin (the port was disconnected or the browser closed)."""


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _discard(stream: BinaryIO, size: int) -> int:
    """Skip ``size`` bytes without holding them; returns how many were there."""
    seen = 0
    while seen < size:
        chunk = stream.read(min(65536, size - seen))
        if not chunk:
            break
        seen += len(chunk)
    return seen


def read_message(stream: BinaryIO) -> dict:
    """The next request as a dict. Raises ``EndOfStream`` at a clean end, ``FrameError`` for a bad frame (after
    which the next call reads the next frame), and ``EndOfStream`` after reporting a frame cut short by the end."""
    header = _read_exactly(stream, HEADER.size)
    if not header:
        raise EndOfStream()
    if len(header) < HEADER.size:
        raise TruncatedFrame(f"the stream ended inside a length header ({len(header)} of 4 bytes)")
    (length,) = HEADER.unpack(header)
    if length > MAX_FROM_BROWSER:
        got = _discard(stream, length)
        if got < length:
            raise TruncatedFrame(f"frame of {length} bytes cut short at {got}")
        raise FrameError("JPKI_FRAME_TOO_LARGE", f"frame of {length} bytes is over the {MAX_FROM_BROWSER}-byte limit")
    body = _read_exactly(stream, length)
    if len(body) < length:
        raise TruncatedFrame(f"frame of {length} bytes cut short at {len(body)}")
    if length < MIN_FRAME:
        raise FrameError("JPKI_FRAME_TOO_SHORT", f"frame of {length} bytes cannot hold a JSON object")
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrameError("JPKI_FRAME_NOT_JSON", f"frame is not UTF-8 JSON: {exc}") from None
    if not isinstance(message, dict):
        raise FrameError("JPKI_FRAME_NOT_JSON", f"frame is JSON but not an object: {type(message).__name__}")
    return message


class TruncatedFrame(FrameError):
    """The stream ended in the middle of a frame: answer it, then stop (nothing more can come)."""

    def __init__(self, message: str):
        super().__init__("JPKI_FRAME_TRUNCATED", message)


def encode_message(message: dict) -> bytes:
    """One frame for Chrome. A message over Chrome's limit is replaced by an error naming its size, since Chrome
    would drop the connection on it."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_TO_BROWSER:
        body = json.dumps({"id": message.get("id"), "result": "E", "errorCode": "JPKI_RESPONSE_TOO_LARGE",
                           "errorMessage": f"response of {len(body)} bytes is over Chrome's {MAX_TO_BROWSER}-byte limit"},
                          ensure_ascii=False).encode("utf-8")
    return HEADER.pack(len(body)) + body


def write_message(stream: BinaryIO, message: dict) -> None:
    stream.write(encode_message(message))
    stream.flush()
