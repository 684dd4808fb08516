"""The statement as an A4 PDF (text checked with pdftotext, in Chinese) and as xlsx (read back)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from jxc_desktop import i18n
from jxc_desktop.reports.statement import statement_pdf
from jxc_desktop.services.accounts.dto import SUPPLIER
from jxc_desktop.services.accounts.statement_file import write_statement
from tests.unit.accounts_fixtures import deliver, noon, send_back, supplier


def _statement(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200)
    sid = supplier(services, "好又多批发", 30)
    a = deliver(services, sid, date(2026, 2, 20), [(p.id, 10, 1000)])
    b = deliver(services, sid, date(2026, 3, 3), [(p.id, 5, 1234)])
    send_back(services, b, date(2026, 3, 4), 2)
    services.accounts.pay(sid, 5000, method="bank", day=date(2026, 3, 10), at=noon(date(2026, 3, 10)))
    return a, b, services.accounts.statement(SUPPLIER, sid, date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_statement_pdf_in_chinese(services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _a, b, st = _statement(services, make_product)
    assert (st.opening, st.closing) == (10000, 10000 + 6170 - 2468 - 5000)
    i18n.set_language("zh_CN")
    try:
        pdf = statement_pdf(st)
    finally:
        i18n.set_language("en")
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf)
    txt = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("对账单", "供应商：好又多批发", "期间：2026-03-01 至 2026-03-31", "期初余额", "期末余额",
                 b.number, "进货单", "采购退货", "付款", "¥100.00", "¥61.70", "¥24.68", "¥50.00", "¥87.02"):
        assert word in txt, word
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info  # A4


def test_statement_xlsx(services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _a, b, st = _statement(services, make_product)
    path = tmp_path / "statement.xlsx"
    write_statement(st, path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("Date", "Number", "Kind", "Debit", "Credit", "Balance")
    assert rows[1][2:] == ("Opening balance", None, None, 100)
    assert rows[2][1:] == (b.number, "Purchase note", 61.7, None, 161.7)
    assert rows[-1][2:] == ("Closing balance", 61.7, 74.68, 87.02)
