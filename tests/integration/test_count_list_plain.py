"""``jxc count list`` on a file at head reads it with sqlite3 alone (issue 15): the same output as
the full path, and a count's totals — lines, counted, 盘盈 and 盘亏 as posted or at today's average
cost for an open count — and its scope's names from the SQL text equal what the SQLAlchemy queries
it replaced gave (count_variance_reference.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import StockCount
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.count_variance import count_summary, line_totals, newest_counts, scope_names
from tests.integration import count_variance_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, same_as_full_path

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fill(services: Services) -> None:
    """A posted count of the whole shop with gains and losses, an open count of two categories
    (a gain, a loss, one counted as booked, some not counted, a batch), a cancelled one and an
    open one of a category with no products."""
    cat = services.catalog
    drinks, snacks, empty = (cat.create_category(n).id for n in ("饮料", "Snacks", "空类"))
    made = [cat.create_product(ProductInput(name=f"商品{i}", sale_price=500 + i, category=name),
                               opening_qty=10_000 + 1000 * i, opening_cost=137 + 11 * i, at=AT)
            for i, name in enumerate(("饮料", "饮料", "Snacks", "Snacks", ""))]
    batched = cat.create_product(ProductInput(name="牛奶", sale_price=800, category="饮料", tracks_batches=True))
    sc = services.stock_count
    first = sc.open(at=AT + timedelta(hours=1))
    lines = {line.product_id: line.id for line in sc.lines(first.id)}
    sc.set_counted(first.id, lines[made[0].id], 12_345, at=AT + timedelta(hours=2))  # gain
    sc.set_counted(first.id, lines[made[2].id], 9_001, at=AT + timedelta(hours=2))  # loss
    sc.set_counted(first.id, lines[made[4].id], 14_000, at=AT + timedelta(hours=2))  # as booked
    sc.post(first.id, at=AT + timedelta(hours=3))
    gone = sc.open([snacks], at=AT + timedelta(hours=4))
    sc.cancel(gone.id)
    second = sc.open([snacks, drinks], at=AT + timedelta(hours=5))
    lines = {line.product_id: line.id for line in sc.lines(second.id)}
    sc.set_counted(second.id, lines[made[1].id], 7_777, at=AT + timedelta(hours=6))  # loss, value at average
    sc.set_counted(second.id, lines[made[3].id], 13_333, at=AT + timedelta(hours=6))  # gain
    sc.set_counted(second.id, lines[made[0].id], 12_345, at=AT + timedelta(hours=6))  # as booked after the post
    sc.add_batch(second.id, batched.id, "B-1")
    sc.open([empty], at=AT + timedelta(hours=7))


def test_the_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    with services.db.read() as uow:
        s = uow.session
        rows = SessionRows(s)
        counts = list(s.scalars(select(StockCount).order_by(StockCount.id.desc())))
        for c in counts:
            assert count_summary(rows, c.id, c.number, c.status) == ref.count_summary(s, c), c.number
            assert scope_names(rows, c.scope) == ref.scope_names(s, c.scope), c.number
            assert line_totals(rows, c.id) == ref.line_totals(s, c), c.number
        listed = newest_counts(rows, 1000)
        assert [c.summary.number for c in listed] == [c.number for c in counts]
    assert services.stock_count.newest(1000) == listed  # the service runs the same text
    # what the comparison covered
    by_status = {c.summary.status: c for c in listed}
    posted, open_ = by_status["posted"].summary, listed[1].summary
    assert posted.gain_lines == posted.loss_lines == 1 and posted.gain_value > 0 and posted.loss_value > 0
    assert open_.gain_lines == open_.loss_lines == 1 and open_.uncounted == 3 and open_.lines == 6
    # by name as the database orders it: SQLite's binary order puts Latin first; PostgreSQL's collation decides there
    assert listed[1].scope_names in ("Snacks、饮料", "饮料、Snacks") and by_status["posted"].scope_names == ""
    if not services.db.on_server:
        assert listed[1].scope_names == "Snacks、饮料"
    assert listed[0].scope_names == "空类" and listed[0].summary.lines == 0
    assert by_status["cancelled"].scope_names == "Snacks"


def test_the_newest_first_and_no_more_than_asked(services: Services) -> None:
    fill(services)
    with services.db.read() as uow:
        rows = SessionRows(uow.session)
        every = newest_counts(rows, 1000)
        assert newest_counts(rows, 2) == every[:2]
    assert [c.summary.status for c in every] == ["open", "open", "cancelled", "posted"]


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize("args", [["count", "list"], ["count", "list", "--json"]], ids=" ".join)
def test_jxc_count_list_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, args, capsys)
    assert full[0] == 0 and full[1].count("PD2026") == 4, full  # every count shown, not two empties compared
