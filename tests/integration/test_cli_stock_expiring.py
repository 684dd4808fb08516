"""``jxc stock --expiring DAYS [--low] [--json]`` on a file at head reads it with sqlite3 alone (issue
15): a child ``jxc`` loads no SQLAlchemy and prints byte for byte what the full path prints — on a
stream and on its own stdout, where SQLite's UTF-8 goes out as it is — on the shop of
test_stock_expiring_reference.py (which proves the SQL text equal to the read it replaced). And
what it prints is what the full path printed on the old read (stock_list_reference.py). The day
is the shop's local today: the clock stands at 00:30 in Shanghai, while the UTC day is still the
day before, so a window counted from the UTC day would leave out the batch on its last day."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from jxc_desktop.domain.clock import ANCHOR_ENV, NOW_ENV
from jxc_desktop.services.stock.stock_lines import PlainLine
from jxc_desktop.services.stock.stock_view import StockQuery, StockViewService
from tests.integration import stock_list_reference as ref
from tests.integration.test_cli_plain_reads import (
    SRC,
    filled_file,
    full_path_output,
    jxc_process,
    same_as_full_path,
)
from tests.integration.test_stock_expiring_reference import DAYS, TODAY, fill

NOW = TODAY.isoformat() + "T00:30:00+08:00"  # 2026-03-28 00:30 in Shanghai, 2026-03-27 16:30 UTC
LISTS = [[*days, *low, *as_json] for days in (["--expiring", "0"], ["--expiring", str(DAYS)], ["--expiring", "36500"])
         for low in ([], ["--low"]) for as_json in ([], ["--json"])]
# the products each list shows (test_stock_expiring_reference.py: the same for the read itself)
SHOWN = {("0", False): ["多批", "今天", "过期"], (str(DAYS), False): ["多批", "末日", "今天", "过期"],
         ("36500", False): ["多批", "空批", "次日", "末日", "今天", "过期"], ("0", True): ["多批", "过期"],
         (str(DAYS), True): ["多批", "过期"], ("36500", True): ["多批", "次日", "过期"]}


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.fixture
def shanghai_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The program's clock (and every jxc started) at NOW, the local zone Shanghai."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.setenv(NOW_ENV, NOW)
    monkeypatch.setenv(ANCHOR_ENV, repr(time.time()))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _old_iter_plain_lines(self: StockViewService, query: StockQuery, *, today: date | None = None,
                          chunk: int = 20000) -> Iterator[list[PlainLine]]:
    """The pages cmd_stock wrote before session 18: the ORM read, --low by the list below the minimum."""
    assert today is not None and query.days is not None
    with self.db.read() as uow:
        yield from ref.expiring_pages(uow.session, query.days, today, low=query.below_min, chunk=chunk)


def real_stdout(path: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """``jxc`` writing to its own stdout (a pipe): the bytes as a reader gets them."""
    code = f"import sys; from jxc_desktop.cli import main; sys.exit(main({['--db', str(path), *args]!r}))"
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)


@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_jxc_stock_expiring_without_sqlalchemy_prints_what_the_full_path_prints(
        shop: Path, shanghai_now: None, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = same_as_full_path(shop, ["stock", *args], capsys)
    assert rc == 0 and err == ""
    done = real_stdout(shop, ["stock", *args])
    assert (done.returncode, done.stdout, done.stderr) == (0, out.encode(), b"")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StockViewService, "iter_plain_lines", _old_iter_plain_lines)
        assert full_path_output(shop, ["stock", *args], capsys) == (rc, out, err)
    # every product the list should show, not two empty lists compared
    if "--json" in args:
        shown = [r["name"] for r in json.loads(out)]
    else:
        shown = [line.split("\t")[2] for line in out.splitlines()[1:]]
    assert shown == SHOWN[args[1], "--low" in args], out


@pytest.mark.parametrize("days", ["-1", "36501"])
def test_a_window_out_of_range_is_refused_as_before(shop: Path, shanghai_now: None, days: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    plain = jxc_process("--db", str(shop), "stock", "--expiring", days)
    assert plain["rc"] == 2 and plain["sqlalchemy"] is False, plain
    assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(shop, ["stock", "--expiring", days], capsys)


def test_text_that_is_not_utf8_is_refused_as_before(shop: Path, shanghai_now: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A listed name another tool stored as bytes that are not UTF-8: sqlite3's refusal sends the
    command to the full path, which words it as before."""
    con = sqlite3.connect(shop)
    con.execute("UPDATE product SET name = CAST(X'E4B8ADFF41' AS TEXT) WHERE code = 'X03'")
    con.commit()
    con.close()
    for args in (["stock", "--expiring", str(DAYS)], ["stock", "--expiring", str(DAYS), "--json"]):
        plain = jxc_process("--db", str(shop), *args)
        assert plain["rc"] == 2 and "Could not decode to UTF-8 column 'name'" in str(plain["err"]), plain
        assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(shop, args, capsys)
