"""The one exception root of the core. Each error carries a stable wire code."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"


class DomainError(Exception):
    """A command was refused; nothing was recorded. `code` is stable, `message` is for people."""

    code: Code = Code.INVALID

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str]:
        out = {"code": str(self.code), "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out


class Invalid(DomainError):
    code = Code.INVALID


class Forbidden(DomainError):
    code = Code.FORBIDDEN


class NotFound(DomainError):
    code = Code.NOT_FOUND


class Conflict(DomainError):
    code = Code.CONFLICT


class TooLarge(DomainError):
    code = Code.TOO_LARGE


class RateLimited(DomainError):
    """Raised by the server's edge (the core has no notion of rate)."""

    code = Code.RATE_LIMITED


class Unavailable(DomainError):
    """Raised by the server when the store cannot be reached: nothing was recorded."""

    code = Code.UNAVAILABLE
