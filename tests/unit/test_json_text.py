"""cli/json_text.py writes exactly what json.dumps(indent=1, ensure_ascii=False) writes."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, date, datetime

from jxc_desktop.cli import json_text

NASTY = ["", "a", "货号", '"},\x00{"', "},", "\n\t\\", "\x00\x01", "{", "}", ", ", "\u2028", "🍎", "]", "[",
         "},\n   {", "},\n    {\n", "}\n,{"]  # the row separator of any level, with raw newlines


def _ref(obj: object) -> str:
    def default(o: object) -> object:
        if isinstance(o, date):
            return o.isoformat()
        raise TypeError

    return json.dumps(obj, ensure_ascii=False, indent=1, default=default)


def _value(rng: random.Random) -> object:
    pick = rng.randrange(7)
    if pick == 0:
        return rng.choice(NASTY) + rng.choice(NASTY)
    if pick == 1:
        return rng.randrange(-10**12, 10**12)
    if pick == 2:
        return rng.randrange(-100000, 100000) / 100
    if pick == 3:
        return None
    if pick == 4:
        return rng.random() < 0.5
    if pick == 5:
        return date(2026, 1, 1 + rng.randrange(28))
    return datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_flat_rows_and_payloads_match_the_standard_encoder() -> None:
    rng = random.Random(15)
    for _ in range(200):
        keys = [rng.choice(NASTY) + str(i) for i in range(rng.randrange(1, 8))]
        rows = [{k: _value(rng) for k in keys} for _ in range(rng.randrange(0, 6))]
        assert json_text.dumps(rows) == _ref(rows)
        payload = {"from": date(2026, 1, 1), "by": "day", "rows": rows, "total": rows[0] if rows else {},
                   "nested": [[1, 2], [], {}, [{"a": 1}], (3, "x")], "n": None}
        assert json_text.dumps(payload) == _ref(payload)


def test_odd_shapes() -> None:
    for obj in ([], {}, [{}], [{}, {"a": 1}], {1: "int key", "b": [None]}, "x", 3, [[{"a": [1]}]],
                {"rows": [{"a": 1}], "x": {"y": {"z": []}}}):
        assert json_text.dumps(obj) == _ref(obj)


def test_subclasses_take_the_walk_and_match() -> None:
    from enum import StrEnum

    class By(StrEnum):
        DAY = "day"

    class Row(dict):  # type: ignore[type-arg]
        pass

    for obj in ([{"by": By.DAY, "n": 1}], [Row(a=1), {"b": True}], {"rows": [{"x": By.DAY}]}):
        assert json_text.dumps(obj) == _ref(obj)


def test_write_adds_the_newline_print_added() -> None:
    out = io.StringIO()
    json_text.write([{"code": "A1", "qty": 1000}], out)
    assert out.getvalue() == _ref([{"code": "A1", "qty": 1000}]) + "\n"
