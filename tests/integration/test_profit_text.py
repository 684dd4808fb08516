"""The profit summary as SQL text (services/reporting/profit.py, issue 15) against the Core queries
it replaced (profit_core_reference.py): the same report — every row, every figure, the total — for
every grouping, on SQLite and PostgreSQL; on a file at head ``jxc report profit`` reads it with
sqlite3 alone (no SQLAlchemy loaded) and prints the same bytes as the full path, text and JSON.

The shop, in Europe/Berlin so the period holds an offset change (CEST → CET on 2026-10-25, 03:00):
the scripted week of reports_scenario (sales with a whole-sale discount, a customer return, a
reversed purchase, a count loss, a return to a supplier), then
  Oct  7  a product of no category sold twice and returned once; a sale voided (status reversed)
  Oct 24  a product sold below zero (negative stock allowed)
  Oct 25  23:30 CET a count: one product found over, one short; 23:40 the refill of the product
          sold below zero (its cost_fix correction); 23:50 a return to a supplier credited at the
          price paid (a price difference) and reversed at 23:55 — each on Oct 25 only in CET
  Oct 26  00:30 CET a sale (Oct 25 23:30 UTC: counted on the local day, not the UTC one)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from jxc_desktop.cli import main
from jxc_desktop.db.dialect import dialect_of
from jxc_desktop.db.models import StockMove
from jxc_desktop.db.text_reads import PlainReads, SessionRows
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.reporting import profit
from jxc_desktop.services.reporting.plain_reads import PlainReports
from jxc_desktop.services.reporting.profit import profit_report
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from tests.integration.profit_core_reference import core_profit_report
from tests.unit import reports_scenario

SRC = Path(__file__).resolve().parents[2] / "src"
GROUPINGS = [str(g) for g in Grouping]
PERIODS = [Period(date(2026, 10, 1), date(2026, 10, 31)), Period(date(2026, 10, 25), date(2026, 10, 25)),
           Period(date(2026, 10, 3), date(2026, 10, 7)), Period(date(2026, 11, 1), date(2026, 11, 30))]




def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute).astimezone()


def fill(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    services.settings.update({"negative_stock": "allow"})
    co = services.checkout
    loose = make_product("散装糖", 300, 100, 20)  # no category
    cup = make_product("杯子", 5000, 1000, 0, category="杂货")
    jar = make_product("罐子", 900, 400, 10, category="杂货")

    def sell(pid: int, units: int, price: int, when: datetime):  # type: ignore[no-untyped-def]
        return co.post_sale(Cart((co.line_for_product(pid, units * 1000),)), [Tender("cash", units * price)],
                            confirmed=True, at=when)

    first = sell(loose.id, 3, 300, local(10, 7, 9))
    sell(loose.id, 2, 300, local(10, 7, 10))
    co.post_return(first.number, [ReturnItem(first.lines[0].id, 1000)], method="cash", at=local(10, 7, 11))
    voided = sell(jar.id, 1, 900, local(10, 7, 12))
    with services.db.write() as uow:  # a voided sale counts in no period
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": voided.id})
        uow.session.execute(text("UPDATE sale_line SET status = 'reversed' WHERE sale_id = :id"), {"id": voided.id})
        uow.commit()
    sup = services.suppliers.add(SupplierInput(name="杂货批发")).id
    bowl = make_product("碗", 600, 200, 0, category="杂货")
    lid = make_product("盖子", 400, 150, 0, category="杂货")
    services.purchasing.post(NoteInput(sup, (LineInput(bowl.id, 3000, 200),)), at=local(10, 19, 8), confirmed=True)
    scan = services.stock_count.open(at=local(10, 20, 9))
    services.stock_count.add(scan.id, bowl.id, 1000, at=local(10, 20, 9, 1))  # 3 on the books: 2 short
    sell(bowl.id, 3, 600, local(10, 20, 9, 30))  # all sold before the count is posted:
    services.stock_count.post(scan.id, at=local(10, 20, 10))  # its loss takes the bowl below zero
    # the bowl's refill: its correction (cost_fix) is linked to the count line — a count loss
    services.purchasing.post(NoteInput(sup, (LineInput(bowl.id, 5000, 350),)), at=local(10, 21, 8), confirmed=True)
    with services.db.write() as uow:  # a file from before cost_fix: a refill's unattributed re-base
        uow.session.add(StockMove(product_id=lid.id, kind="revaluation", qty=0, value=-230, doc_type="purchase",
                                  doc_number="CG-OLD", created_at=local(10, 22, 8), balance_qty=0, balance_value=0,
                                  note=LEGACY_REBASE_NOTE))
        uow.commit()
    sell(cup.id, 10, 5000, local(10, 24, 10))  # below zero: corrected by the refill
    count = services.stock_count.open(at=local(10, 25, 23, 0))
    services.stock_count.add(count.id, jar.id, 12000, at=local(10, 25, 23, 10))  # book 9: a gain
    services.stock_count.add(count.id, loose.id, 10000, at=local(10, 25, 23, 10))  # book 16: a loss
    services.stock_count.post(count.id, at=local(10, 25, 23, 30))
    services.purchasing.post(NoteInput(sup, (LineInput(cup.id, 20000, 3000),)), at=local(10, 25, 23, 40),
                             confirmed=True)
    note = services.purchasing.post(NoteInput(sup, (LineInput(jar.id, 10000, 700),)), at=local(10, 25, 23, 45),
                                    confirmed=True)
    for minute, units in ((50, 2000), (52, 1000)):
        back = services.purchasing.post_return(
            ReturnInput(sup, (ReturnLineInput(jar.id, units, note.lines[0].id),), origin_id=note.id),
            at=local(10, 25, 23, minute), confirmed=True)
    services.purchasing.reverse(back.id, at=local(10, 25, 23, 55), confirmed=True)
    sell(jar.id, 2, 900, local(10, 26, 0, 30))


@pytest.fixture
def shop(berlin: None, services: Services, make_product) -> Services:  # type: ignore[no-untyped-def]
    fill(services, make_product)
    return services


def test_the_text_is_the_core_report(shop: Services) -> None:
    """Every grouping of every period: the same report from the SQL text as from the Core queries."""
    seen = set()
    with shop.db.read() as uow:
        rows, dialect = SessionRows(uow.session), dialect_of(uow.session)
        for period in PERIODS:
            for by in GROUPINGS:
                got = profit_report(rows, dialect, period, by)
                assert got == core_profit_report(uow.session, period, by), (period, by)
                seen |= {f for f in ("count_gain", "count_loss", "corrections", "price_difference", "returns")
                         if getattr(got.total, f)}
        whole = profit_report(rows, dialect, PERIODS[0], "category")
        # both kinds of correction outside a sale line: one linked to a count line, one legacy re-base
        fixes = uow.session.execute(text(
            "SELECT kind, doc_type, note FROM stock_move WHERE kind IN ('cost_fix', 'revaluation')")).all()
    assert {(k, d) for k, d, _ in fixes} >= {("cost_fix", "count"), ("cost_fix", "sale")}
    assert ("revaluation", LEGACY_REBASE_NOTE) in {(k, n) for k, _, n in fixes}
    # the shop holds every kind of figure, the product of no category, and the offset change matters
    assert seen == {"count_gain", "count_loss", "corrections", "price_difference", "returns"}
    assert "" in {r.key for r in whole.rows}
    day = {r.key: r for r in shop.reports.profit(PERIODS[0], "day").rows}
    assert (day["2026-10-25"].count_gain, day["2026-10-25"].corrections) != (0, 0)
    assert day["2026-10-25"].price_difference != 0 and day["2026-10-26"].sales == 1800


def test_sqlite3_alone_reads_the_same_report(shop: Services, db_target: Path | str) -> None:
    if not isinstance(db_target, Path):
        pytest.skip("sqlite3 alone reads a SQLite file")
    reads = PlainReads(db_target)
    try:
        with reads.read() as rows:
            plain = {(p, by): PlainReports(rows).profit(p, by) for p in PERIODS for by in GROUPINGS}
    finally:
        reads.close()
    assert plain == {(p, by): shop.reports.profit(p, by) for p in PERIODS for by in GROUPINGS}


class _Recorded(SessionRows):
    """SessionRows that keep every SQL text they ran (which read a report took)."""

    def __init__(self, session) -> None:  # type: ignore[no-untyped-def]
        super().__init__(session)
        self.texts: list[str] = []

    def all(self, sql: str, **params: object) -> list[tuple[object, ...]]:
        self.texts.append(sql)
        return super().all(sql, **params)

    def each(self, sql: str, **params: object) -> Iterable[tuple[object, ...]]:
        self.texts.append(sql)
        return super().each(sql, **params)


def test_profit_by_product_reads_the_product_ordered_index_for_most_of_the_history(
        shop: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shop's sales span Oct 1 – 26: October reads ix_sale_line_sold_product (migration 0025,
    SQLite), a day or a week reads its days of ix_sale_line_report; either way every row is the
    same as the other way gives it and as the Core reference's."""
    with shop.db.read() as uow:
        dialect = dialect_of(uow.session)
        taken = {}
        for period in PERIODS:
            rows = _Recorded(uow.session)
            got = profit_report(rows, dialect, period, "product")
            taken[period] = sum("INDEXED BY ix_sale_line_sold_product" in t for t in rows.texts)
            assert got == core_profit_report(uow.session, period, "product"), period
            for forced in (True, False):  # the other way gives the same report (SQLite: both ways run)
                monkeypatch.setattr(profit, "_most_of_history", lambda q, forced=forced: forced)
                assert profit_report(SessionRows(uow.session), dialect, period, "product") == got, (period, forced)
            monkeypatch.undo()
    if dialect == "sqlite":
        assert taken == {PERIODS[0]: 1, PERIODS[1]: 0, PERIODS[2]: 0, PERIODS[3]: 0}
    else:  # the index exists on the server too, its planner chooses
        assert set(taken.values()) == {0}


def jxc_child(args: list[str]) -> dict[str, object]:
    """``jxc ARGS`` in a new process of this tree (and this TZ): exit code, output, modules loaded."""
    code = ("import contextlib, io, json, sys\n"
            "from jxc_desktop.cli import main\n"
            "out, err = io.StringIO(), io.StringIO()\n"
            "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
            f"    rc = main({args!r})\n"
            "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'err': err.getvalue(),\n"
            "                  'heavy': sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'\n"
            "                                  or m in ('jxc_desktop.db.models', 'jxc_desktop.services.hub'))}))")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


OPTIONS = [[], ["--json"], ["--top", "2", "--sort", "gross_profit"], ["--bottom", "3", "--json"], ["--compare"],
           ["--compare", "--json"]]


@pytest.mark.parametrize("by", GROUPINGS)
def test_jxc_report_profit_on_sqlite3_alone_prints_the_same_bytes(shop: Services, db_target: Path | str, by: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    if not isinstance(db_target, Path):
        pytest.skip("sqlite3 alone reads a SQLite file")
    from jxc_desktop.cli.context import CliContext

    shop.db.dispose()
    ranked = by in ("product", "category")
    for options in OPTIONS:
        if options[:1] in (["--top"], ["--bottom"]) and not ranked:
            continue
        args = ["--db", str(db_target), "report", "profit", "--from", "2026-10-01", "--to", "2026-10-31", "--by", by,
                *options]
        plain = jxc_child(args)
        assert plain["heavy"] == [], (options, plain["heavy"])
        real = CliContext.plain_reads
        CliContext.plain_reads = lambda self: None  # type: ignore[method-assign]
        try:
            rc = main(args)
        finally:
            CliContext.plain_reads = real  # type: ignore[method-assign]
        full = capsys.readouterr()
        assert (plain["rc"], plain["out"], plain["err"]) == (rc, full.out, full.err), options
        assert rc == 0 and "2026-10-25" in full.out if by == "day" else rc == 0


def test_the_best_sellers_and_the_files_on_sqlite3_alone(shop: Services, db_target: Path | str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``jxc report best`` (the same query) and a report written to xlsx name the shop as before."""
    if not isinstance(db_target, Path):
        pytest.skip("sqlite3 alone reads a SQLite file")
    from openpyxl import load_workbook

    shop.settings.update({"shop_name": "街角小店"})
    shop.db.dispose()
    period = ["--from", "2026-10-01", "--to", "2026-10-31"]
    best = jxc_child(["--db", str(db_target), "report", "best", *period, "--json"])
    assert best["heavy"] == [] and best["rc"] == 0
    assert main(["--db", str(db_target), "report", "best", *period, "--json"]) == 0
    assert best["out"] == capsys.readouterr().out
    out = tmp_path / "profit.xlsx"
    made = jxc_child(["--db", str(db_target), "report", "profit", *period, "--by", "category", "--xlsx", str(out)])
    assert made["rc"] == 0 and f"-> {out}" in str(made["out"])
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert any("街角小店" in str(c) for c in cells)
