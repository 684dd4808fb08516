"""Import the lines of a supplier's delivery note (送货单) from xlsx/csv: all or nothing.

Columns (English or Chinese headers, any order): barcode, qty, unit cost; optional batch,
expiry date, production date. The quantity counts what the barcode stands for (a case barcode of
12: qty 2 = 24 units) and the unit cost is per that barcode's pack, so the line amount is exactly
qty × cost as on the supplier's paper. Every bad row is listed (``ImportRejected``); nothing is
written unless every row is good. The file is read by ``tabular.read_table`` (the bounds, encodings
and cell problems every import shares); numbers with a comma follow ``tabular.NumberColumn``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from jxc_desktop.db.models import Barcode, Product
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import costing
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.quantity import parse_qty
from jxc_desktop.files.tabular import NumberColumn, find_columns, read_table
from jxc_desktop.i18n import _
from jxc_desktop.services.catalog.api import ImportRejected, RowError
from jxc_desktop.services.purchasing import notes
from jxc_desktop.services.purchasing.checks import parse_date
from jxc_desktop.services.purchasing.dto import MAX_LINES, DeliveryLine, LineInput, Note, NoteInput

HEADERS: dict[str, tuple[str, ...]] = {
    "barcode": ("barcode", "条码", "条形码", "商品条码"),
    "qty": ("qty", "quantity", "数量", "到货数量", "送货数量"),
    "cost": ("unit cost", "unit_cost", "cost", "单价", "进价", "进货价", "采购价"),
    "batch": ("batch", "batch_no", "批号", "批次"),
    "expiry": ("expiry", "expiry_date", "有效期", "有效期至", "到期日", "失效日期"),
    "production": ("production", "production_date", "生产日期"),
}
REQUIRED = ("barcode", "qty", "cost")


def _columns(headers: list[str]) -> dict[str, str]:
    cols = find_columns(headers, HEADERS)
    missing = [HEADERS[f][0] for f in REQUIRED if f not in cols]
    if missing:
        raise ValidationError("The file lacks the column(s): {names}", names=", ".join(missing))
    return cols


def read_delivery(db: Database, path: Path | str) -> list[DeliveryLine]:
    """Check every row of the file; raise ImportRejected listing all bad rows, else the lines."""
    headers, rows = read_table(path, vocabulary={name for names in HEADERS.values() for name in names})
    cols = _columns(headers)
    if not rows:
        raise ValidationError("The file has no lines")
    if len(rows) > MAX_LINES:
        raise ValidationError("A note holds at most {n} lines", n=MAX_LINES)
    codes = {r.get(cols["barcode"], "").strip() for r in rows}
    with db.read() as uow:
        found = {code: (mult, prod) for code, mult, prod in uow.session.execute(
            select(Barcode.code, Barcode.multiplier, Product).join(Product, Product.id == Barcode.product_id)
            .where(Barcode.code.in_(codes)))}
        for _mult, prod in found.values():
            uow.session.expunge(prod)
    errors: list[RowError] = []
    out: list[DeliveryLine] = []
    qty_numbers = NumberColumn(r.get(cols["qty"], "") for r in rows)
    cost_numbers = NumberColumn(r.get(cols["cost"], "") for r in rows)
    for r in rows:
        try:
            code = r.cell(cols["barcode"]).strip()
            if not code:
                raise ValidationError("The barcode is empty")
            if code not in found:
                raise ValidationError("Unknown barcode {code}", code=code[:40])
            mult, prod = found[code]
            if not prod.active:
                raise ValidationError("{name} is deactivated; bring it back before buying it", name=prod.name)
            packs = parse_qty(qty_numbers.text(r.cell(cols["qty"]), "Quantity"), field="Quantity")
            pack_cost = parse_yuan(cost_numbers.text(r.cell(cols["cost"]), "Unit cost"), field="Unit cost")
            batch = r.cell(cols.get("batch")).strip()
            expiry = parse_date(r.cell(cols["expiry"]), "Expiry date") if "expiry" in cols else None
            production = parse_date(r.cell(cols["production"]), "Production date") if "production" in cols else None
            if prod.tracks_batches and not batch:
                raise ValidationError("{name} tracks batches: enter the batch number", name=prod.name)
            if len(batch) > 40:
                raise ValidationError("{field} is longer than {limit} characters", field="Batch number", limit=40)
            qty = packs * mult
            line = LineInput(prod.id, qty, costing.div_round(pack_cost, mult), costing.value_of(packs, pack_cost),
                             batch, production, expiry)
            out.append(DeliveryLine(r.row, code, line))
        except JxcError as exc:
            errors.append(RowError(r.row, exc.message))
    if errors:
        raise ImportRejected(errors)
    return out


def import_delivery(db: Database, path: Path | str, supplier_id: int, *, post: bool = False,
                    at: datetime | None = None, confirmed: bool = False, paid_now: bool | None = None) -> Note:
    """The file as a draft note of ``supplier_id`` (or posted at once with ``post``; ``paid_now``
    None = as the supplier's terms say)."""
    lines = tuple(d.line for d in read_delivery(db, path))
    data = NoteInput(supplier_id, lines, note=_("Imported from {file}").format(file=Path(path).name),
                     paid_now=paid_now)
    if post:
        return notes.post(db, data, at=at, confirmed=confirmed)
    return notes.save_draft(db, data, at=at)
