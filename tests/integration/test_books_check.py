"""``jxc check`` proves the books (issue 14): for the whole history and each local month, opening
value + receipts − supplier returns − cost of sales + customer returns ± counts ± corrections =
closing value, with every document term read from the documents and compared with their moves;
the profit report's months equal the ledger's sale flow. A file altered by hand fails (exit 1)
naming the product and the document — also where the balance chain and the product cache were
altered to match, which the ledger's own checks cannot see.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc

pytestmark = pytest.mark.clock  # the demo's history and the months depend on the date

DEMO_TODAY = "2026-11-20"
TERMS = ("opening_stock", "receipts", "supplier_returns", "cost_of_sales", "customer_returns", "counts",
         "corrections", "adjustments")


def demo(path: Path, days: int) -> Path:
    assert jxc(["--db", str(path), "demo", "--products", "12", "--days", str(days), "--seed", "3",
                "--today", DEMO_TODAY]) == 0
    return path


@pytest.fixture(scope="module")
def year_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of the demo shop: a few minutes of building under load, hence slow."""
    return demo(tmp_path_factory.mktemp("year") / "shop.sqlite3", 365)


@pytest.fixture(scope="module")
def season_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 days: three calendar months, with deliveries, sales, returns and the count."""
    return demo(tmp_path_factory.mktemp("season") / "shop.sqlite3", 60)


@pytest.fixture
def shop(season_shop: Path, tmp_path: Path) -> Path:
    """A copy of the demo shop to alter by hand."""
    path = tmp_path / "shop.sqlite3"
    shutil.copyfile(season_shop, path)
    return path


def check(capsys: pytest.CaptureFixture[str], path: Path, *more: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = jxc(["--db", str(path), "check", "--json", *more])
    return code, json.loads(capsys.readouterr().out)


def sql(path: Path, statement: str, *params: object) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(statement, params).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def alter_move(path: Path, move_id: int, delta: int) -> None:
    """Change one move's value by hand and carry it through the chain and the product's cache, so
    the ledger's own invariants still hold: only the move's document can tell."""
    (pid,), = sql(path, "SELECT product_id FROM stock_move WHERE id = ?", move_id)
    sql(path, "UPDATE stock_move SET value = value + ? WHERE id = ?", delta, move_id)
    sql(path, "UPDATE stock_move SET balance_value = balance_value + ? WHERE product_id = ? AND id >= ?",
        delta, pid, move_id)
    sql(path, "UPDATE product SET stock_value = stock_value + ? WHERE id = ?", delta, pid)


@pytest.mark.slow
def test_a_year_of_demo_shop_reconciles_month_by_month(capsys: pytest.CaptureFixture[str], year_shop: Path) -> None:
    code, report = check(capsys, year_shop)
    assert code == 0 and report["ok"] and report["problems"] == []
    assert report["file_check"] == "quick_check"
    months = report["months"]
    assert [m["month"] for m in months][-1] == "total" and len(months) >= 13  # 365 days span 13 months
    (cached,), = sql(year_shop, "SELECT sum(stock_value) FROM product")
    opening = 0
    for m in months[:-1]:
        assert m["opening"] == opening
        assert (m["opening"] + m["opening_stock"] + m["receipts"] - m["supplier_returns"] - m["cost_of_sales"]
                + m["customer_returns"] + m["counts"] + m["corrections"] + m["adjustments"]) == m["closing"]
        opening = m["closing"]
    assert opening == cached == months[-1]["closing"]
    assert sum(m["cost_of_sales"] for m in months[:-1]) == months[-1]["cost_of_sales"] > 0
    assert months[-1]["receipts"] > 0 and months[-1]["counts"] != 0
    # the months' sale flow is the sale lines' (the profit report's) cost of goods
    (cogs,), = sql(year_shop, "SELECT sum(CASE kind WHEN 'sale' THEN cost ELSE -cost END) FROM sale_line "
                              "WHERE status = 'posted'")
    assert months[-1]["cost_of_sales"] - months[-1]["customer_returns"] == cogs


def test_full_check_runs_integrity_check_and_the_chain_move_by_move(capsys: pytest.CaptureFixture[str],
                                                                     season_shop: Path) -> None:
    code, quick = check(capsys, season_shop)
    assert code == 0 and quick["file_check"] == "quick_check" and len(quick["months"]) == 4  # 3 months + total
    code, full = check(capsys, season_shop, "--full")
    assert code == 0 and full["file_check"] == "integrity_check"
    assert full["months"] == quick["months"]


@pytest.mark.parametrize("kinds", ["'purchase'", "'sale'", "'sale_return'", "'count_gain', 'count_loss'"])
def test_a_move_altered_with_its_chain_and_cache_is_named(capsys: pytest.CaptureFixture[str], shop: Path,
                                                          kinds: str) -> None:
    """The hand edit the ledger's own invariants cannot see: one move's value, every later balance of
    its product and the product's cached value, all changed alike. Its document still says otherwise."""
    (mid, code, number), = sql(shop, f"""SELECT m.id, p.code, m.doc_number FROM stock_move m JOIN product p
                                         ON p.id = m.product_id WHERE m.kind IN ({kinds}) AND m.value != 0
                                         ORDER BY m.id LIMIT 1""")
    alter_move(shop, mid, 1)
    exit_code, report = check(capsys, shop)
    assert exit_code == 1
    assert not [p for p in report["problems"]  # the chain and the caches agree
                if p["kind"] == "ledger" and ("balance" in p["detail"] or "Σ moves" in p["detail"])]
    named = [p for p in report["problems"] if p.get("product") == code and p.get("document") == number]
    assert named and (named[0]["where"] == code or f"({code})" in named[0]["detail"])  # shown as text too
    # the month does not add up, and neither does the whole history against the products' caches
    assert any(p.get("month") and "closing value" in p["detail"] for p in report["problems"])
    assert any("whole history" in p["detail"] for p in report["problems"])


def test_a_move_altered_without_its_cache_is_named_by_the_ledger(capsys: pytest.CaptureFixture[str],
                                                                  shop: Path) -> None:
    (mid, pid, code), = sql(shop, """SELECT m.id, p.id, p.code FROM stock_move m JOIN product p ON p.id = m.product_id
                                     WHERE m.kind = 'sale' ORDER BY m.id LIMIT 1 OFFSET 40""")
    sql(shop, "UPDATE stock_move SET value = value + 1 WHERE id = ?", mid)
    sql(shop, "UPDATE product SET stock_value = stock_value + 1 WHERE id = ?", pid)  # Σ moves = cache again
    exit_code, report = check(capsys, shop)
    assert exit_code == 1
    chain = [p for p in report["problems"] if p["kind"] == "ledger" and "previous balance" in p["detail"]]
    assert chain and chain[0]["where"] == code and f"move {mid}:" in chain[0]["detail"]
    assert any(p.get("product") == code and p.get("document") for p in report["problems"])  # and its sale


def test_a_sale_line_whose_cost_snapshot_differs_from_its_move_names_the_sale(
        capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    (lid, sale_id, number, code, day), = sql(shop, """
        SELECT l.id, s.id, s.number, p.code, l.business_day FROM sale_line l JOIN sale s ON s.id = l.sale_id
        JOIN product p ON p.id = l.product_id WHERE l.kind = 'sale' AND l.cost > 0 ORDER BY l.id LIMIT 1 OFFSET 300""")
    sql(shop, "UPDATE sale_line SET cost = cost + 7 WHERE id = ?", lid)
    sql(shop, "UPDATE sale SET cost = cost + 7 WHERE id = ?", sale_id)  # the sale's total agrees with its lines
    exit_code, report = check(capsys, shop)
    assert exit_code == 1
    lines = [p for p in report["problems"] if p.get("document") == number]
    assert lines and lines[0]["product"] == code and lines[0]["month"] == day[:7]
    assert lines[0]["where"] == number and "cost snapshot" in lines[0]["detail"]
    # the profit report (sale lines) no longer equals the ledger's sale flow for that month
    assert any(p["kind"] == "profit" and p.get("month") == day[:7] and "cogs" in p["detail"] for p in report["problems"])


def test_a_sale_cost_that_is_not_its_lines_is_named(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    (number,), = sql(shop, "SELECT number FROM sale WHERE kind = 'sale' ORDER BY id LIMIT 1 OFFSET 10")
    sql(shop, "UPDATE sale SET cost = cost + 1 WHERE number = ?", number)
    exit_code, report = check(capsys, shop)
    assert exit_code == 1
    assert [p["where"] for p in report["problems"]] == [number]
    assert "Σ line costs" in report["problems"][0]["detail"]


def test_a_cost_fix_move_is_a_correction(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    """The re-base correction of issue 14 (kind "cost_fix", linked to the sale line that went below
    zero) is a term of its own: books with one still reconcile, and it shows in its month."""
    _, before = check(capsys, shop)
    (lid, sale_id, number, pid, at, day), = sql(shop, """
        SELECT l.id, s.id, s.number, l.product_id, s.created_at, s.business_day FROM sale_line l JOIN sale s ON s.id = l.sale_id
        WHERE l.kind = 'sale' ORDER BY l.id DESC LIMIT 1""")
    (bq, bv), = sql(shop, "SELECT stock_qty, stock_value FROM product WHERE id = ?", pid)
    sql(shop, """INSERT INTO stock_move (product_id, kind, qty, value, doc_type, doc_id, doc_line_id, doc_number,
                 created_at, balance_qty, balance_value, note) VALUES (?, 'cost_fix', 0, -25, 'sale', ?, ?, ?, ?, ?, ?,
                 'PO test 补货更正')""", pid, sale_id, lid, number, at, bq, bv - 25)
    sql(shop, "UPDATE product SET stock_value = stock_value - 25 WHERE id = ?", pid)
    exit_code, after = check(capsys, shop)
    assert exit_code == 0, after["problems"]
    changed = {m["month"]: m["corrections"] - b["corrections"]
               for m, b in zip(after["months"], before["months"], strict=True) if m["corrections"] != b["corrections"]}
    assert changed == {day[:7]: -25, "total": -25}


def test_a_move_of_an_unknown_kind_is_a_problem(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    (mid,), = sql(shop, "SELECT id FROM stock_move WHERE kind = 'adjust' OR kind = 'count_gain' LIMIT 1")
    sql(shop, "UPDATE stock_move SET kind = 'mystery' WHERE id = ?", mid)
    exit_code, report = check(capsys, shop)
    assert exit_code == 1
    assert any("unknown kind 'mystery'" in p["detail"] for p in report["problems"])
