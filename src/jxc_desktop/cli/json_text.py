"""JSON text of the ``--json`` outputs, byte for byte what ``json.dumps(obj, ensure_ascii=False,
indent=1)`` gives, at the speed of the C encoder.

With ``indent`` set the standard library falls back to its pure-Python encoder, and ``json.dump``
writes every token separately: 100 000 report rows cost ~20 s of a 26 s command. Lists of rows are
flat (scalars only), so each one is encoded in ONE C call with a marker as item separator — the
marker holds a NUL, which the encoder always escapes inside strings, so it appears nowhere else —
and the marker is then replaced by the indentation of its level. Anything else (the few keys of a
payload, nested lists) is walked here, which is cheap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TextIO

_MARK = ",\x00"
_FLAT = frozenset({str, int, float, bool, type(None), date, datetime})  # exact types: checked at C speed


def _default(obj: Any) -> Any:
    if isinstance(obj, date):  # (datetime too) as the commands always wrote them
        return obj.isoformat()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


_flat_encoder = json.JSONEncoder(ensure_ascii=False, separators=(_MARK, ": "), default=_default)
_scalar: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, default=_default).encode


def _is_flat_dict(obj: Any) -> bool:
    # Other types (subclasses included) take the walk below, which is right for any of them.
    return type(obj) is dict and all(map(_FLAT.__contains__, map(type, obj.values())))


def _flat_dicts(items: list[Any], level: int) -> str:
    """A non-empty list of non-empty flat dicts at nesting ``level`` (0 = top)."""
    outer, inner, field = "\n" + " " * level, "\n" + " " * (level + 1), "\n" + " " * (level + 2)
    text = _flat_encoder.encode(items)
    # Between two dicts the marker sits between '}' and '{'; inside a dict it precedes a key.
    text = text.replace("}" + _MARK + "{", inner + "}," + inner + "{" + field).replace(_MARK, "," + field)
    return "[" + inner + "{" + field + text[2:-2] + inner + "}" + outer + "]"


def _encode(obj: Any, level: int) -> str:
    if isinstance(obj, tuple):
        obj = list(obj)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if not all(isinstance(k, str) for k in obj):  # json's own key rules, indented to this level
            return json.dumps(obj, ensure_ascii=False, indent=1, default=_default).replace("\n", "\n" + " " * level)
        pad = "\n" + " " * (level + 1)
        parts = [_scalar(k) + ": " + _encode(v, level + 1) for k, v in obj.items()]
        return "{" + pad + ("," + pad).join(parts) + "\n" + " " * level + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(_is_flat_dict(x) and x for x in obj):
            return _flat_dicts(obj, level)
        pad = "\n" + " " * (level + 1)
        return "[" + pad + ("," + pad).join(_encode(v, level + 1) for v in obj) + "\n" + " " * level + "]"
    return _scalar(obj)


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1)``, dates as ISO text."""
    return _encode(obj, 0)


def write(obj: Any, out: TextIO) -> None:
    """The JSON text and a newline, written at once."""
    out.write(dumps(obj) + "\n")
