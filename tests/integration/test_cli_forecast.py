"""jxc reorder [--rule flat|season] [--json], jxc report forecast CODE [--weeks N] [--json] and
jxc suppliers add --lead-time: the contracts, on a built two-year history of a summer drink."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jxc_desktop.cli import main
from tests.unit.test_reorder_season import _drink_with_history

TODAY = "2026-05-25"


def run(db_target, *args, capsys):  # type: ignore[no-untyped-def]
    code = main(["--db", str(db_target), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def drink(services, make_product, db):  # type: ignore[no-untyped-def]
    return _drink_with_history(services, make_product, db, date(2026, 5, 25))


def test_reorder_flat_and_season(db_target, drink, capsys) -> None:
    code, out, err = run(db_target, "reorder", "--today", TODAY, capsys=capsys)
    assert code == 0, err
    code_, name, supplier, qty, why = out.strip().split("\t")
    assert (code_, name, supplier) == (drink.code, "冰红茶", "-")
    assert "28" in why
    flat_qty = float(qty)
    code, out, err = run(db_target, "reorder", "--rule", "season", "--json", "--today", TODAY, capsys=capsys)
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["code"] == drink.code and row["product"] == "冰红茶" and row["rule"] == "season" and row["supplier"] == ""
    assert row["suggested_qty"] > flat_qty * 1000
    assert (row["lead_days"], row["cover_days"]) == (3, 7)
    assert row["reason"] and row["forecast_qty"] > 0
    with pytest.raises(SystemExit) as bad:
        run(db_target, "reorder", "--rule", "guess", capsys=capsys)
    assert bad.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_report_forecast(db_target, drink, capsys) -> None:
    code, out, err = run(db_target, "report", "forecast", drink.code, "--weeks", "4", "--json", "--today", TODAY,
                         capsys=capsys)
    assert code == 0, err
    f = json.loads(out)
    assert f["code"] == drink.code and len(f["weeks"]) == 4 and len(f["daily"]) == 28 and len(f["months"]) == 12
    assert f["weeks"][0]["start"] == TODAY
    assert [w["qty"] for w in f["weeks"]] == sorted(w["qty"] for w in f["weeks"])  # summer coming
    code, out, err = run(db_target, "report", "forecast", drink.code, "--today", TODAY, capsys=capsys)
    assert code == 0 and len(out.strip().splitlines()) == 2 + 8
    code, out, err = run(db_target, "report", "forecast", "NOPE", capsys=capsys)
    assert code != 0 and "NOPE" in err
    code, out, err = run(db_target, "report", "forecast", drink.code, "--weeks", "27", capsys=capsys)
    assert code != 0 and out == ""


def test_suppliers_add_lead_time(db_target, services, capsys) -> None:
    code, _out, err = run(db_target, "suppliers", "add", "慢商行", "--lead-time", "9", capsys=capsys)
    assert code == 0, err
    assert services.suppliers.find_by_name("慢商行").lead_time_days == 9
    code, _out, err = run(db_target, "suppliers", "add", "错商行", "--lead-time", "-1", capsys=capsys)
    assert code != 0 and services.suppliers.find_by_name("错商行") is None
