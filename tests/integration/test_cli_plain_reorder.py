"""``jxc reorder`` (both rules) and ``jxc report forecast CODE`` on a file at head read it with
sqlite3 alone (issue 15): a child process loads no SQLAlchemy (nor pypinyin: the groups are ordered
by the stored pinyin) and prints byte for byte what the full path prints — text and JSON, a stored
cover-days setting and the defaults of the others, and the refusals (an unknown code, weeks or
cover days out of range) alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from tests.integration.test_cli_plain_reads import full_path_output, jxc_process
from tests.integration.test_reorder_reference import TODAY, fill

DAY = TODAY.isoformat()
COMMANDS = [["reorder"], ["reorder", "--json"], ["reorder", "--cover", "30"], ["reorder", "--cover", "400"],
            ["reorder", "--rule", "season"], ["reorder", "--rule", "season", "--json", "--cover", "20"],
            ["report", "forecast", "{drink}"], ["report", "forecast", "{drink}", "--json", "--weeks", "26"],
            ["report", "forecast", "{tea}", "--weeks", "3"], ["report", "forecast", "NOPE"],
            ["report", "forecast", "{drink}", "--weeks", "27"]]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jxc_desktop.db.migrate import migrate

    path = tmp_path_factory.mktemp("reorder") / "jxc.sqlite3"
    migrate(path)
    services = Services(Database.for_file(path))
    fill(services)
    services.settings.update({"reorder_cover_days": "10"})  # stored; the lead days and service level not
    services.db.dispose()
    return path


def _codes(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return {"drink": con.execute("SELECT code FROM product WHERE name = '冰红茶'").fetchone()[0],
                "tea": con.execute("SELECT code FROM product WHERE name = '绿茶'").fetchone()[0]}
    finally:
        con.close()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_read_without_sqlalchemy_as_the_full_path(shop: Path, args: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.format(**_codes(shop)) for a in args] + ["--today", DAY]
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    assert plain["pypinyin"] is False, plain
    full = full_path_output(shop, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    if args[-3] in ("NOPE", "27", "400"):
        assert full[0] != 0 and full[1] == "" and full[2], full  # refused, and alike
    else:
        assert full[0] == 0 and full[1].strip(), full
