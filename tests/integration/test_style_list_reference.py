"""The styles list and a style's stock and sales grids, written as SQL text in session 17, give
exactly what the SQLAlchemy reads they replaced gave (style_list_reference.py), on SQLite and
PostgreSQL in four time zones: the sell-through reference's shop (sales on the local days' edges,
a return, a voided sale, a style switched off, a cell switched off, a colour and a size added
later, a variant whose colour is none of its style's) with barcodes on some cells (the lowest code
of a cell shown), a style with no variants, names holding LIKE's own characters and searches of
either case; then the clothing demo. ``jxc styles list|grid|sell-through|broken`` show on sqlite3
alone what the full path shows, an unknown style refused alike, and ``jxc styles pdf`` writes the
full path's PDF (its shop line by settings_seen, as the receipt's)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Style
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.demo.clothing import fill_clothing_demo
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.catalog.style_figures import sales_grid_in, stock_grid_in
from jxc_desktop.services.catalog.style_list import list_styles
from jxc_desktop.services.hub import Services
from jxc_desktop.services.shop.settings import get as get_setting
from jxc_desktop.services.shop.stored_settings import settings_seen
from tests.integration import style_list_reference as ref
from tests.integration import test_style_sales_reference as sales_shop
from tests.integration.test_cli_plain_owner_reads import DAY, clothing  # noqa: F401  (the fixture)
from tests.integration.test_cli_plain_reads import (
    filled_file,
    full_path_output,
    jxc_process,
    same_as_full_path,
)
from tests.integration.test_document_pdfs_plain import _pdf
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)

SEARCHES = ["", "26Q1", "卫衣", "q", "Q", "26q", "%", "_", "100%", "a_b", "a%b", "\\", "/", "zz", "空款"]


def fill(services: Services) -> None:
    sales_shop.fill(services)
    made = services.styles.create_style(StyleInput(
        code="26Q300", name="T恤 100%棉 a_b", colours=(("01", "黑色"), ("02", "白色")), sizes=("S", "M"),
        brand="Acme", barcodes=(("01", "S", "T26Q300BS"), ("02", "M", "T26Q300WM"))))
    with services.db.write() as uow:
        s = uow.session
        # a second barcode on one cell, lower than its first: the grid shows the lowest
        s.execute(text("INSERT INTO barcode (code, product_id, multiplier) VALUES ('0000000001', :p, 12)"),
                  {"p": made.variants[0].product_id})
        s.add(Style(code="26Z000", name="空款", season="", brand="", unit="件", sale_price=0, ref_cost=0,
                    size_group="", active=True))  # no colours, sizes nor variants
        uow.commit()


def _compare(services: Services, periods: list[tuple[date, date]]) -> dict[str, object]:
    got: dict[str, object] = {}
    with read_in_other_zone(services) as (s, rows):
        for search in SEARCHES:
            got[f"list {search}"] = found = list_styles(rows, search)
            assert found == ref.list_styles(s, search), search
        codes = [r.code for r in list_styles(rows)]
        for code in [*codes, "ZZZ", " 26Q101 ", ""]:
            _grids(s, rows, code, periods, got)
        # the styles PDF's shop line (jxc styles pdf), as the settings service reads it
        assert settings_seen(rows, ("shop_name",)) == {"shop_name": get_setting(s, "shop_name")}
    return got


def _grids(s: Session, rows: Rows, code: str, periods: list[tuple[date, date]], got: dict[str, object]) -> None:
    calls: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("stock", lambda: stock_grid_in(rows, code), lambda: ref.stock_grid(s, code))]
    for first, last in periods:
        calls.append((f"sold {first} {last}", partial(sales_grid_in, rows, code, first, last),
                      partial(ref.sales_grid, s, code, first, last)))
    for what, new, old in calls:
        try:
            expected = old()
        except NotFoundError as exc:
            with pytest.raises(NotFoundError) as new_exc:
                new()
            assert new_exc.value.message == exc.message, (code, what)
            got[f"{code} {what}"] = exc.message
            continue
        got[f"{code} {what}"] = found = new()
        assert found == expected, (code, what)


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    nxt = day + timedelta(days=1)
    periods = [(day - timedelta(days=2), day + timedelta(days=3)), (day, day), (nxt, nxt),
               (day - timedelta(days=2), day - timedelta(days=1)), (day + timedelta(days=4), day + timedelta(days=8))]
    got = _compare(services, periods)
    # what the comparison covered: searches that find some and not all, LIKE's characters, the
    # barcodes, a cell sold on a day's edge, a style of no variants, a refusal
    every = got["list "]
    assert len(every) == 5 and got["list 26Q1"] and got["list 26Q1"] != every  # type: ignore[arg-type]
    assert [r.code for r in got["list 100%"]] == ["26Q300"] and [r.code for r in got["list a_b"]] == ["26Q300"]  # type: ignore[attr-defined]
    assert [r.code for r in got["list _"]] == ["26Q300"] and got["list a%b"] == []  # literally, not wildcards
    assert [r.variants for r in every if r.code == "26Z000"] == [0]  # type: ignore[attr-defined]
    barcodes = {(v.colour_code, v.size): v.barcode for v in got["26Q300 stock"].style.variants}  # type: ignore[attr-defined]
    assert barcodes == {("01", "S"): "0000000001", ("01", "M"): "", ("02", "S"): "", ("02", "M"): "T26Q300WM"}
    on_day, next_day = got[f"26Q101 sold {day} {day}"].grid, got[f"26Q101 sold {nxt} {nxt}"].grid  # type: ignore[attr-defined]
    assert on_day.qty("01", "S") == 1000 and on_day.qty("07", "L") == 2000  # the day's first and last µs
    assert next_day.qty("07", "L") == 1000  # 2 sold, 1 returned
    assert got["ZZZ stock"] == "No style with code ZZZ" and got[" 26Q101  stock"] == got["26Q101 stock"]
    # the services run the same text
    assert services.styles.list_styles("q") == got["list q"]
    assert services.style_grids.stock_grid("26Q300") == got["26Q300 stock"]
    assert services.style_grids.sales_grid("26Q101", day, day) == got[f"26Q101 sold {day} {day}"]


def test_the_clothing_demo(services: Services, fill_as_demo, zone: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    today = BASE.astimezone().date()
    fill_as_demo(lambda shop: fill_clothing_demo(shop, styles=4, days=30, today=today))
    got = _compare(services, [(today - timedelta(days=29), today), (today - timedelta(days=6), today - timedelta(days=3))])
    sold = [v for k, v in got.items() if " sold " in k and not isinstance(v, str)]
    assert len(got["list "]) == 4 and any(g.grid.total for g in sold)  # type: ignore[arg-type,attr-defined]


STYLE_COMMANDS = [["styles", "list"], ["styles", "list", "--json"], ["styles", "broken"], ["styles", "broken", "--json"],
                  *(["styles", "sell-through", "--from", (DAY - timedelta(days=20)).isoformat(), "--to",
                     (DAY - timedelta(days=3)).isoformat(), "--by", by, *more]
                    for by in ("style", "cell") for more in ([], ["--json"])),
                  ["styles", "sell-through", "--from", DAY.isoformat(), "--to", DAY.isoformat(), "--style", "nope"],
                  ["styles", "grid", "nope"]]


@pytest.mark.parametrize("args", STYLE_COMMANDS, ids=" ".join)
def test_jxc_styles_without_sqlalchemy_shows_what_the_full_path_shows(
        clothing: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    full = same_as_full_path(clothing, args, capsys)
    assert len(full[1].splitlines()) > 3 or "nope" in full[2], full  # rows, not just a heading


@pytest.mark.parametrize("more", [[], ["--json"], ["--sold", "--from", (DAY - timedelta(days=20)).isoformat(), "--to",
                                                   DAY.isoformat()],
                                  ["--sold", "--from", (DAY - timedelta(days=20)).isoformat(), "--to", DAY.isoformat(),
                                   "--json"]], ids=" ".join)
def test_jxc_styles_grid_without_sqlalchemy_shows_what_the_full_path_shows(
        clothing: Path, more: list[str], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    con = sqlite3.connect(clothing)
    codes = [code for (code,) in con.execute("SELECT code FROM style ORDER BY code")]
    con.close()
    for code in codes:
        full = same_as_full_path(clothing, ["styles", "grid", code, *more], capsys)
        assert full[0] == 0 and code in full[1], full


@pytest.fixture
def style_shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


def _shown(pdf: Path) -> tuple[str, str]:
    """The PDF's text and pages, the minute it was printed left out (each run prints its own)."""
    shown, pages = _pdf(pdf)
    return re.sub(r"Printed \d{4}-\d\d-\d\d \d\d:\d\d", "Printed", shown), pages


@pytest.mark.parametrize("shop, more", [("clothing", []), ("clothing", ["--style", "{1}", "--style", "{0}"]),
                                        ("style_shop", []), ("style_shop", ["--style", "26Z000"]),
                                        ("style_shop", ["--style", "{0}", "--style", "nope"])], ids=str)
def test_jxc_styles_pdf_without_sqlalchemy_writes_what_the_full_path_writes(
        request: pytest.FixtureRequest, tmp_path: Path, shop: str, more: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Every active style's stock grid (a style switched off left out, one with no variants), or
    those named in the order named, an unknown one refused alike; the shop's name or none."""
    path = request.getfixturevalue(shop)
    con = sqlite3.connect(path)
    codes = [code for (code,) in con.execute("SELECT code FROM style WHERE active ORDER BY code")]
    con.close()
    target = tmp_path / "styles.pdf"
    args = ["styles", "pdf", str(target), *(a.format(*codes) for a in more)]
    plain = jxc_process("--db", str(path), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    written = _shown(target) if target.exists() else None
    target.unlink(missing_ok=True)
    full = full_path_output(path, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    assert written == (_shown(target) if target.exists() else None)
    if "nope" in more:
        assert full[0] != 0 and "nope" in full[2] and written is None
        return
    assert written is not None and full[0] == 0, full
    shown = written[0]
    named = [a.format(*codes) for a in more if a != "--style"] or codes
    assert [code for code in re.findall(r"^ *(\S+) ", shown, re.M) if code in codes or code == "26Z000"] == named
    assert ("衣尚服饰" in shown) == (shop == "clothing"), shown
