"""`jxc report purchases` after a reversal (红冲) the shelf could not bear (issue 14, finding 3): the
note, its reversal and the correction are listed, and net purchases equal the ledger's purchase flow
to the fen — in JSON, the text table, the PDF and the xlsx."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jxc_desktop.cli import main
from jxc_desktop.db.models import StockMove
from jxc_desktop.domain.clock import local_day
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from tests.unit.purchase_fixtures import record_sale

AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
def reversed_shop(db_target: Path | str, services: Services, make_product) -> Path:  # type: ignore[no-untyped-def]
    sup = services.suppliers.add(SupplierInput("甲供应商"))
    p = make_product("保温杯", 3000, 1000)
    first = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 2_000, 10_000),)), at=AT)
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 100),)), at=AT + timedelta(minutes=5))
    record_sale(services.db, p.id, 9_000, local_day(AT))
    services.purchasing.reverse(first.id, at=AT + timedelta(hours=8), confirmed=True)
    services.db.dispose()
    return db_target


def ledger_purchase_flow(services: Services) -> int:
    with services.db.read() as uow:
        return int(uow.session.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
            StockMove.doc_type == "purchase", StockMove.note != "re-based after negative stock")) or 0)


def test_report_lists_note_reversal_and_correction(reversed_shop: Path, services: Services, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    span = ("--from", "2026-11-01", "--to", "2026-11-30")
    flow = ledger_purchase_flow(services)
    assert flow == 15_850
    for by in ("supplier", "product"):
        assert main(["--db", str(reversed_shop), "report", "purchases", *span, "--by", by, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        t = out["total"]
        assert (t["purchases"], t["reversals"], t["corrections"], t["net"]) == (21_000, 20_000, 14_850, flow)
        assert (t["notes"], t["return_notes"], t["reversed_notes"]) == (2, 0, 1)
        assert sum(r["net"] for r in out["rows"]) == flow
    pdf, xlsx = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    assert main(["--db", str(reversed_shop), "report", "purchases", *span, "--pdf", str(pdf),
                 "--xlsx", str(xlsx)]) == 0
    text = capsys.readouterr().out
    assert "Reversals" in text or "红冲" in text
    assert "158.50" in text and "148.50" in text and "200.00" in text
    cells = [c for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row if c is not None]
    assert 158.5 in cells and 148.5 in cells
    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "158.50" in shown and "148.50" in shown
