"""Parse untrusted wire payloads into frozen, typed records.

Types are read from the dataclass annotations; bounds come from `Annotated`
metadata (`Text`, `Range`, `Size`). Every refusal names the field, so that a
client always learns which part of its payload was wrong.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

from .errors import Invalid, TooLarge

MAX_TEXT = 2000  # characters in an argument, a rationale, a statement
MAX_LABEL = 120  # characters in a concept label, a name, a title line
MAX_ID = 64
MAX_ITEMS = 200  # elements in any list or mapping of a command


@dataclass(frozen=True)
class Text:
    """A string bound: stripped, then min..max characters."""

    max: int = MAX_TEXT
    min: int = 1


@dataclass(frozen=True)
class Range:
    lo: float
    hi: float


@dataclass(frozen=True)
class Size:
    max: int = MAX_ITEMS
    min: int = 0


Label = Annotated[str, Text(MAX_LABEL)]
Ident = Annotated[str, Text(MAX_ID)]
LongText = Annotated[str, Text(MAX_TEXT)]


def _name(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def parse(cls: type[Any], payload: Any, path: str = "") -> Any:
    """Build a `cls` dataclass from a JSON-like mapping, or raise Invalid / TooLarge."""
    if not isinstance(payload, Mapping):
        raise Invalid(f"{path or 'payload'} must be an object", field=path or None)
    hints = _hints(cast(Any, cls))
    known = {f.name.rstrip("_") for f in dataclasses.fields(cls) if f.init}
    for key in payload:
        if key not in known and key != "type":
            raise Invalid(f"unknown field '{_name(path, str(key))}'", field=_name(path, str(key)))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        key = f.name.rstrip("_")  # `from_` on the wire is `from`
        where = _name(path, key)
        if key in payload:
            values[f.name] = _coerce(hints[f.name], payload[key], where)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise Invalid(f"missing field '{where}'", field=where)
    return cls(**values)


def _coerce(tp: Any, value: Any, where: str) -> Any:
    meta: tuple[Any, ...] = ()
    if get_origin(tp) is Annotated:
        tp, *rest = get_args(tp)
        meta = tuple(rest)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if value is None:
            if type(None) in options:
                return None
            raise Invalid(f"'{where}' must not be null", field=where)
        inner = [o for o in options if o is not type(None)]
        errors: list[Invalid] = []
        for option in inner:
            try:
                return _coerce(Annotated[option, *meta] if meta else option, value, where)
            except Invalid as exc:
                errors.append(exc)
        raise errors[0]
    if origin is Literal:
        if value not in get_args(tp) or isinstance(value, bool) != any(isinstance(a, bool) for a in get_args(tp)):
            allowed = ", ".join(repr(a) for a in get_args(tp))
            raise Invalid(f"'{where}' must be one of {allowed}", field=where)
        return value
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except (ValueError, TypeError):
            allowed = ", ".join(str(m.value) for m in tp)
            raise Invalid(f"'{where}' must be one of {allowed}", field=where) from None
    if tp is str:
        if not isinstance(value, str):
            raise Invalid(f"'{where}' must be a string", field=where)
        bound = next((m for m in meta if isinstance(m, Text)), Text())
        text = value.strip()
        if len(text) > bound.max:
            raise TooLarge(f"'{where}' is longer than {bound.max} characters", field=where)
        if len(text) < bound.min:
            raise Invalid(f"'{where}' must not be empty", field=where)
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            raise Invalid(f"'{where}' contains control characters", field=where)
        return text
    if tp is bool:
        if not isinstance(value, bool):
            raise Invalid(f"'{where}' must be true or false", field=where)
        return value
    if tp is int or tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(f"'{where}' must be a number", field=where)
        if tp is int:
            if isinstance(value, float) and not value.is_integer():
                raise Invalid(f"'{where}' must be a whole number", field=where)
            value = int(value)
        elif value != value or value in (float("inf"), float("-inf")):
            raise Invalid(f"'{where}' must be a finite number", field=where)
        bound_r = next((m for m in meta if isinstance(m, Range)), None)
        if bound_r is not None and not (bound_r.lo <= value <= bound_r.hi):
            raise Invalid(f"'{where}' must be between {bound_r.lo:g} and {bound_r.hi:g}", field=where)
        return value
    size = next((m for m in meta if isinstance(m, Size)), Size())
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise Invalid(f"'{where}' must be a list", field=where)
        _check_size(len(value), size, where)
        (elem, _ellipsis) = get_args(tp)
        return tuple(_coerce(elem, v, _name(where, i)) for i, v in enumerate(value))
    if origin in (dict, Mapping, typing.Mapping):
        if not isinstance(value, Mapping):
            raise Invalid(f"'{where}' must be an object", field=where)
        _check_size(len(value), size, where)
        key_tp, val_tp = get_args(tp)
        out = {}
        for k, v in value.items():
            out[_coerce(Annotated[key_tp, Text(MAX_ID)], k, where)] = _coerce(val_tp, v, _name(where, str(k)))
        return out
    if dataclasses.is_dataclass(tp):
        return parse(tp, value, where)  # type: ignore[arg-type]
    raise TypeError(f"schema cannot parse {tp!r}")  # a programming error, not a client one


def _check_size(n: int, size: Size, where: str) -> None:
    if n > size.max:
        raise TooLarge(f"'{where}' has more than {size.max} entries", field=where)
    if n < size.min:
        raise Invalid(f"'{where}' needs at least {size.min} entries", field=where)


def describe(tp: Any) -> str:
    """A short human description of a field type, for the generated protocol doc."""
    meta: tuple[Any, ...] = ()
    if get_origin(tp) is Annotated:
        tp, *extra = get_args(tp)
        meta = tuple(extra)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [describe(o) for o in get_args(tp) if o is not type(None)]
        return " | ".join(inner) + (" (optional)" if type(None) in get_args(tp) else "")
    if origin is Literal:
        return " \\| ".join(f"`{a!r}`" if not isinstance(a, str) else f"`{a}`" for a in get_args(tp))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return " \\| ".join(f"`{m.value}`" for m in tp)
    if tp is str:
        bound = next((m for m in meta if isinstance(m, Text)), Text())
        return f"string (≤ {bound.max})"
    if tp in (int, float):
        r = next((m for m in meta if isinstance(m, Range)), None)
        base = "integer" if tp is int else "number"
        return f"{base} {r.lo:g}–{r.hi:g}" if r else base
    if tp is bool:
        return "boolean"
    if origin is tuple:
        return f"list of {describe(get_args(tp)[0])}"
    if origin in (dict, Mapping, typing.Mapping):
        return f"object of {describe(get_args(tp)[1])}"
    if dataclasses.is_dataclass(tp):
        hints = _hints(cast(Any, tp))
        fields = ", ".join(f"{f.name.rstrip('_')}: {describe(hints[f.name])}" for f in dataclasses.fields(tp))
        return "{" + fields + "}"
    return getattr(tp, "__name__", str(tp))
