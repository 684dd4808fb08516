"""JSON text of the ``--json`` outputs, byte for byte what ``json.dumps(obj, ensure_ascii=False,
indent=1)`` gives, at the speed of the C encoder.

With ``indent`` set the standard library falls back to its pure-Python encoder, and ``json.dump``
writes every token separately: 100 000 report rows cost ~20 s of a 26 s command. Lists of rows are
flat (scalars only), so each one is encoded in ONE C call whose item separator already is the
indentation of a row's fields (",\n" and the spaces of that level). The encoder escapes a newline
inside a string, so a raw newline comes only from that separator, and "}" separator "{" only where
one row ends and the next begins: one replace there puts in the lines between two rows. Anything
else (the few keys of a payload, nested lists) is walked here, which is cheap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from typing import Any, TextIO

_FLAT = frozenset({str, int, float, bool, type(None), date, datetime})  # exact types: checked at C speed


def _default(obj: Any) -> Any:
    if isinstance(obj, date):  # (datetime too) as the commands always wrote them
        return obj.isoformat()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


@lru_cache(maxsize=8)
def _flat_encoder(level: int) -> Callable[[Any], str]:
    """The C encoder of a list of flat dicts at nesting ``level``: fields one to a line."""
    return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + " " * (level + 2), ": "),
                            default=_default).encode


_scalar: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, default=_default).encode


def _flat_dicts_only(items: list[Any]) -> bool:
    """Whether every item is a non-empty dict of scalars (types checked at C speed over all the
    values at once). Other types (subclasses included) take the walk below, right for any of them."""
    if set(map(type, items)) != {dict} or not all(items):
        return False
    return set(map(type, chain.from_iterable(map(dict.values, items)))) <= _FLAT


def _flat_dicts(items: list[Any], level: int, out: list[str]) -> None:
    """A non-empty list of non-empty flat dicts at nesting ``level`` (0 = top)."""
    outer, inner, field = "\n" + " " * level, "\n" + " " * (level + 1), "\n" + " " * (level + 2)
    text = _flat_encoder(level)(items).replace("}," + field + "{", inner + "}," + inner + "{" + field)
    out += ("[" + inner + "{" + field, text[2:-2], inner + "}" + outer + "]")  # the rows' text copied once


def _encode(obj: Any, level: int, out: list[str]) -> None:
    """``obj``'s text at nesting ``level``, in pieces appended to ``out`` (a year's rows are tens of
    megabytes: never concatenated)."""
    if isinstance(obj, tuple):
        obj = list(obj)
    if isinstance(obj, dict):
        if not obj:
            out.append("{}")
        elif not all(isinstance(k, str) for k in obj):  # json's own key rules, indented to this level
            out.append(json.dumps(obj, ensure_ascii=False, indent=1, default=_default).replace("\n", "\n" + " " * level))
        else:
            pad = "\n" + " " * (level + 1)
            sep = "{" + pad
            for k, v in obj.items():
                out.append(sep + _scalar(k) + ": ")
                _encode(v, level + 1, out)
                sep = "," + pad
            out.append("\n" + " " * level + "}")
    elif isinstance(obj, list):
        if not obj:
            out.append("[]")
        elif _flat_dicts_only(obj):
            _flat_dicts(obj, level, out)
        else:
            pad = "\n" + " " * (level + 1)
            sep = "[" + pad
            for v in obj:
                out.append(sep)
                _encode(v, level + 1, out)
                sep = "," + pad
            out.append("\n" + " " * level + "]")
    else:
        out.append(_scalar(obj))


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1)``, dates as ISO text."""
    out: list[str] = []
    _encode(obj, 0, out)
    return "".join(out)


def write(obj: Any, out: TextIO) -> None:
    """The JSON text and a newline."""
    pieces: list[str] = []
    _encode(obj, 0, pieces)
    pieces.append("\n")
    out.writelines(pieces)
