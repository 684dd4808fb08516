"""The SQLAlchemy reads of a receipt (a sale or return by its number), a shift, the receipt's shop
lines, a purchase note by its number and a supplier that session 17 replaced by SQL text
(sales/sale_receipt.py, staff/shift_figures.py shift_by_id, shop/stored_settings.settings_seen,
purchasing/note_detail.py), and a count by its number and its printed lines (stock/count_sheet.py;
the blank sheet's streamed lines since session 18), kept word for word as the reference the text is compared with
(test_document_pdfs_plain.py). What they called and session 17 left as it was (sales'
records.sale_dto and its receipt fields and purchasing's records.to_note, used by the writes;
shift_figures.summary; read_all; the suppliers' _to_dto; the count window's line_query, filter_lines,
line_order and count_dto) is called from where it lives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Purchase, Sale, SaleLine, Shift, StockCount, Supplier
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.purchasing.dto import Note, SupplierDTO
from jxc_desktop.services.purchasing.records import to_note
from jxc_desktop.services.purchasing.suppliers import _to_dto, last_purchase_dates
from jxc_desktop.services.sales.dto import SaleDTO, ShopInfo
from jxc_desktop.services.sales.records import sale_dto
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.staff.dto import ShiftSummary
from jxc_desktop.services.staff.shift_figures import summary
from jxc_desktop.services.stock.count_docs import get_count
from jxc_desktop.services.stock.count_queries import count_dto, filter_lines, line_dto, line_order, line_query
from jxc_desktop.services.stock.dto import POSTED, CountDTO, LineFilter, SheetLine


def returned_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    """Qty already returned (posted returns) per sale line."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(SaleLine.origin_line_id, func.sum(SaleLine.qty)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.origin_line_id.in_(ids), Sale.status == "posted").group_by(SaleLine.origin_line_id))
    return {int(k): int(v) for k, v in rows}


def get_sale(session: Session, number: str) -> SaleDTO:
    """A sale or return by its number (for sales it carries what came back per line)."""
    key = number.strip().upper()
    sale = session.scalar(select(Sale).where(Sale.number == key))
    if sale is None:
        raise NotFoundError("No sale with receipt number {number}", number=key[:30])
    returned = returned_by_line(session, [ln.id for ln in sale.lines]) if sale.kind == "sale" else {}
    return sale_dto(session, sale, returned=returned)


def get_shift(session: Session, shift_id: int) -> ShiftSummary:
    """ShiftService.get's read."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFoundError("Shift {id} does not exist", id=shift_id)
    return summary(session, shift)


def shop_info(session: Session) -> ShopInfo:
    values = shop.read_all(session)
    return ShopInfo(values["shop_name"], values["shop_address"], values["shop_phone"],
                    values["receipt_header"], values["receipt_footer"],
                    int(values["receipt_width_mm"]) if values["receipt_width_mm"] in ("58", "80") else 80)


def get_by_number(session: Session, number: str) -> Note:
    """PurchasingService.get_by_number's read."""
    number = str(number).strip().upper()
    p = session.scalar(select(Purchase).where(Purchase.number == number))
    if p is None:
        raise NotFoundError("No purchase note numbered {number}", number=number[:30])
    return to_note(session, p)


def get_supplier(session: Session, supplier_id: int) -> SupplierDTO:
    """SupplierService.get's read."""
    sup = session.get(Supplier, supplier_id)
    if sup is None:
        raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
    return _to_dto(sup, last_purchase_dates(session).get(sup.id))


def count_by_number(session: Session, number: str) -> StockCount:
    key = number.strip().upper()[:24]  # typed on the command line as pd20261125-0001 too
    count = session.scalar(select(StockCount).where(StockCount.number == key))
    if count is None:
        raise NotFoundError("Stock count {number} does not exist", number=key)
    return count


def count_of_number(session: Session, number: str) -> CountDTO:
    """StockCountService.by_number's read."""
    return count_dto(session, count_by_number(session, number))


def sheet_lines(session: Session, count_id: int, *, differences_only: bool = False) -> list[SheetLine]:
    """StockCountService.sheet_lines's read."""
    posted = get_count(session, count_id).status == POSTED
    q = line_query(count_id)
    if differences_only:
        q = filter_lines(q, LineFilter.DIFFERENCES, None, posted)
    rows = session.execute(q.order_by(*line_order()))
    return [SheetLine.of(line_dto(r, posted)) for r in rows]


def iter_sheet_lines(session: Session, count_id: int) -> Iterator[SheetLine]:
    """StockCountService.iter_sheet_lines's read (in the caller's session)."""
    posted = get_count(session, count_id).status == POSTED
    q = line_query(count_id).order_by(*line_order()).execution_options(yield_per=2000)
    for r in session.connection().execute(q):  # plain rows: no ORM loading per line
        yield SheetLine.of(line_dto(r, posted))
