"""Tokens: random secrets handed out in join links; only their digests are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from edlib.privacy import PUBLIC_OBSERVER, ROOM_DISPLAY

PUBLIC = PUBLIC_OBSERVER.id  # the participant id of the shared observer link of a public meeting
DISPLAY = ROOM_DISPLAY.id  # the participant id of the room display (projector) link


def new_token() -> str:
    return secrets.token_urlsafe(24)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def bearer(header: str | None) -> str | None:
    if header and header.startswith("Bearer "):
        return header[7:].strip() or None
    return None
