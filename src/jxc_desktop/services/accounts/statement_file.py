"""A statement as an .xlsx (or .csv) sheet: opening row, one row per entry, closing row; amounts
in yuan with two decimals, the balance running."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jxc_desktop.files.tabular import write_table
from jxc_desktop.i18n import _
from jxc_desktop.services.accounts.dto import StatementDTO, kind_label


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def statement_rows(st: StatementDTO) -> list[list[Any]]:
    rows: list[list[Any]] = [[st.start, "", _("Opening balance"), None, None, _yuan(st.opening)]]
    rows += [[r.date, r.number, kind_label(r.kind),
              _yuan(r.debit) if r.debit else None, _yuan(r.credit) if r.credit else None, _yuan(r.balance)]
             for r in st.rows]
    rows.append([st.end, "", _("Closing balance"), _yuan(sum(r.debit for r in st.rows)),
                 _yuan(sum(r.credit for r in st.rows)), _yuan(st.closing)])
    return rows


def write_statement(st: StatementDTO, path: Path | str) -> int:
    headers = [_("Date"), _("Number"), _("Kind"), _("Debit"), _("Credit"), _("Balance")]
    return write_table(path, headers, statement_rows(st), number_formats={0: "yyyy-mm-dd", 3: "0.00", 4: "0.00", 5: "0.00"},
                       widths=(12, 20, 14, 12, 12, 14))
