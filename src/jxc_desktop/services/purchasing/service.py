"""The purchasing service the UI and the CLI call: drafts and posting (notes.py), returns to the
supplier (returns.py), reversals (reversals.py), delivery-note files (delivery_import.py), and the
reads the purchase tab needs (history, default costs, batches, products)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jxc_desktop.db.models import Product, Purchase, PurchaseLine
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.services.catalog import api as catalog
from jxc_desktop.services.purchasing import delivery_import, notes, returns, reversals
from jxc_desktop.services.purchasing.dto import (
    KIND_PURCHASE,
    KIND_RETURN,
    DeliveryLine,
    Note,
    NoteInput,
    NoteSummary,
    ReturnInput,
)
from jxc_desktop.services.purchasing.note_detail import note_by_number
from jxc_desktop.services.purchasing.note_list import note_history
from jxc_desktop.services.purchasing.records import load, to_note
from jxc_desktop.services.stock import api as stock

_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class PurchasingService:
    db: Database

    # ------------------------------------------------------------ drafts and posting
    def save_draft(self, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None) -> Note:
        """Create or replace a draft (kept across restarts). Only basic checks: posting does the rest."""
        return notes.save_draft(self.db, data, draft_id=draft_id, at=at)

    def delete_draft(self, draft_id: int) -> None:
        notes.delete_draft(self.db, draft_id)

    def post(self, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None,
             confirmed: bool = False) -> Note:
        """Post a purchase (入库) in one transaction; ``draft_id`` posts (and replaces) that draft.
        Raises ConfirmationNeeded for doubtful dates unless ``confirmed``."""
        return notes.post(self.db, data, draft_id=draft_id, at=at, confirmed=confirmed)

    def post_draft(self, draft_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """Post a saved draft as it stands."""
        return notes.post_draft(self.db, draft_id, at=at, confirmed=confirmed)

    def post_return(self, data: ReturnInput, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """A return to the supplier (退货出库, CT…), from a posted purchase or free-standing; the value
        leaves at the current moving average."""
        return returns.post_return(self.db, data, at=at, confirmed=confirmed)

    def reverse(self, purchase_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """红冲: write the opposite of every move the note wrote and mark it reversed. Refused while a
        return against it stands, and when the stock cannot bear it under the negative-stock policy."""
        return reversals.reverse(self.db, purchase_id, at=at, confirmed=confirmed)

    def read_delivery(self, path: str | Path) -> list[DeliveryLine]:
        """The checked lines of a supplier's delivery-note file (delivery_import.py)."""
        return delivery_import.read_delivery(self.db, path)

    # ------------------------------------------------------------ reading
    def get(self, purchase_id: int) -> Note:
        with self.db.read() as uow:
            return to_note(uow.session, load(uow.session, purchase_id))

    def get_by_number(self, number: str) -> Note:
        """A note by its number (``jxc purchase pdf`` on sqlite3 alone runs the same SQL text)."""
        with self.db.read() as uow:
            return note_by_number(SessionRows(uow.session), number)

    def history(self, *, supplier_id: int | None = None, first: date | None = None, last: date | None = None,
                kinds: Sequence[str] = (KIND_PURCHASE, KIND_RETURN),
                statuses: Sequence[str] = ("posted", "reversed"), text: str = "",
                limit: int = 2000) -> list[NoteSummary]:
        """Notes newest first, filtered by supplier, dates (doc date), kind, status and number."""
        with self.db.read() as uow:
            return note_history(SessionRows(uow.session), supplier_id=supplier_id, first=first, last=last,
                                kinds=kinds, statuses=statuses, text=text, limit=limit)

    def drafts(self) -> list[NoteSummary]:
        return self.history(statuses=("draft",))

    def default_cost(self, product_id: int, supplier_id: int | None) -> int:
        """The unit cost to prefill: the last posted cost from this supplier, else the reference cost."""
        with self.db.read() as uow:
            s = uow.session
            if supplier_id is not None:
                cost = s.scalar(
                    select(PurchaseLine.unit_cost).join(Purchase, Purchase.id == PurchaseLine.purchase_id)
                    .where(PurchaseLine.product_id == product_id, Purchase.supplier_id == supplier_id,
                           Purchase.kind == KIND_PURCHASE, Purchase.status == "posted")
                    .order_by(Purchase.posted_at.desc(), PurchaseLine.id.desc()).limit(1))
                if cost is not None:
                    return int(cost)
            return catalog.get_product(s, product_id).ref_cost

    def default_costs(self, product_ids: Iterable[int], supplier_id: int | None) -> dict[int, int]:
        """``default_cost`` for many products in one read (the supplier of a long note changed)."""
        wanted = list(set(product_ids))
        out: dict[int, int] = {}
        with self.db.read() as uow:
            s = uow.session
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i:i + _CHUNK]
                if supplier_id is not None:
                    for pid, cost in s.execute(
                            select(PurchaseLine.product_id, PurchaseLine.unit_cost)
                            .join(Purchase, Purchase.id == PurchaseLine.purchase_id)
                            .where(PurchaseLine.product_id.in_(chunk), Purchase.supplier_id == supplier_id,
                                   Purchase.kind == KIND_PURCHASE, Purchase.status == "posted")
                            .order_by(Purchase.posted_at.desc(), PurchaseLine.id.desc())):
                        out.setdefault(pid, int(cost))
                rest = [pid for pid in chunk if pid not in out]
                if rest:
                    out.update({pid: int(c) for pid, c in s.execute(
                        select(Product.id, Product.ref_cost).where(Product.id.in_(rest)))})
        return out

    def batches(self, product_id: int) -> list[tuple[str, date | None, int]]:
        """A product's batches with stock: (batch no, expiry, qty), first to expire first."""
        with self.db.read() as uow:
            return [(b.batch_no, b.expiry_date, b.qty) for b in stock.fefo_batches(uow.session, product_id)]

    def products(self, ids: Iterable[int]) -> dict[int, catalog.ProductDTO]:
        """Products by id in one read (a draft or a delivery file of hundreds of lines)."""
        wanted = list(set(ids))
        out: dict[int, catalog.ProductDTO] = {}
        with self.db.read() as uow:
            for i in range(0, len(wanted), _CHUNK):
                q = (select(Product).where(Product.id.in_(wanted[i:i + _CHUNK]))
                     .options(selectinload(Product.barcodes), selectinload(Product.category)))
                out.update({p.id: catalog.to_dto(p) for p in uow.session.scalars(q)})
        return out

    def note_count(self) -> int:
        with self.db.read() as uow:
            return int(uow.session.scalar(select(func.count(Purchase.id))) or 0)
