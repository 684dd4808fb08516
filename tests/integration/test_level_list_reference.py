"""The member levels, written as SQL text in session 17, give exactly what the SQLAlchemy read they
replaced gave (level_list_reference.py), on SQLite and PostgreSQL: the defaults and levels added
later, two at the same place in the order (by id then), one switched off, members counted at
their level (a customer who is no member counted at none), all or only the active ones.
``jxc members levels`` shows on sqlite3 alone what the full path shows; in a shop with no levels
yet the full path writes the defaults (a write: never on sqlite3 alone) and shows them as before,
after which the command reads plain."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import LevelInput, MemberInput
from jxc_desktop.services.members.level_list import levels_in
from tests.integration import level_list_reference as ref
from tests.integration.test_cli_plain_reads import (
    filled_file,
    full_path_output,
    jxc_process,
    same_as_full_path,
)
from tests.integration.test_plain_reads_reference import read_in_other_zone

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COMMANDS = [["members", "levels"], ["members", "levels", "--json"]]


def fill(services: Services) -> None:
    ms = services.members
    assert ms.seed_levels()
    ms.add_level(LevelInput("钻石卡", price_pct=85, points_pct=200, sort=1))  # beside 银卡's place: after it by id
    silver = next(lv for lv in ms.levels() if lv.name == "银卡")  # changed after: PostgreSQL stores it last
    ms.update_level(silver.id, LevelInput("银卡", price_pct=95, points_pct=110, sort=1))
    old = ms.add_level(LevelInput("旧卡", price_pct=98, points_pct=100, sort=-5))
    ms.update_level(old.id, LevelInput("旧卡", price_pct=98, points_pct=100, sort=-5, active=False))
    for i, level in enumerate(("金卡", "金卡", "旧卡", "钻石卡", "")):
        ms.add(MemberInput(phone=f"1380000000{i}", name=f"会员{i}", level=level), at=AT)
    services.customers.add(CustomerInput("饭店", phone="13700000003"))  # a customer, no member


def test_the_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    with read_in_other_zone(services) as (s, rows):
        every, active = levels_in(rows), levels_in(rows, active_only=True)
        assert every == ref.list_levels(s)
        assert active == ref.list_levels(s, active_only=True)
    # what the comparison covered: an inactive level first by its order, a tie, the counts
    assert [(lv.name, lv.members) for lv in every] == [("旧卡", 1), ("普通", 1), ("银卡", 0), ("钻石卡", 1), ("金卡", 2)]
    assert [lv.name for lv in active] == ["普通", "银卡", "钻石卡", "金卡"] and not every[0].active
    assert services.members.levels() == every and services.members.levels(active_only=True) == active


def test_none_yet(services: Services) -> None:
    with read_in_other_zone(services) as (s, rows):
        assert levels_in(rows) == ref.list_levels(s) == []


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_jxc_members_levels_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, args, capsys)
    assert full[0] == 0 and "钻石卡" in full[1] and "旧卡" in full[1], full


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_jxc_members_levels_in_a_shop_without_levels_seeds_them_as_before(
        db_path: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM member_level")
    con.commit()
    con.close()
    twin = tmp_path / "twin.sqlite3"
    twin.write_bytes(db_path.read_bytes())
    first = jxc_process("--db", str(db_path), *args)
    assert first["sqlalchemy"] is True, first  # the defaults written on the full path
    full = full_path_output(twin, args, capsys)
    assert (first["rc"], first["out"], first["err"]) == full and "金卡" in full[1], full
    then = same_as_full_path(db_path, args, capsys)  # now the shop has its levels: read plain
    assert then == full
