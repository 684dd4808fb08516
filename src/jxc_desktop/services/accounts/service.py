"""The accounts service the UI and the CLI call (hub: ``services.accounts``): open documents,
payments and collections with allocation, allocating and un-allocating by hand, write-offs,
balances, aging, statements and the cash book. Each call is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from jxc_desktop.db.models import AccountEntry, Allocation
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.accounts import balances, cash_book, statement
from jxc_desktop.services.accounts.dto import (
    CUSTOMER,
    SUPPLIER,
    Aging,
    AllocationDTO,
    Balances,
    CashBook,
    MoneyDocResult,
    OpenDocument,
    StatementDTO,
)
from jxc_desktop.services.accounts.entries import allocate, open_entries, undo_allocations
from jxc_desktop.services.accounts.money import post_money, refund, write_off
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.shop import api as shop

AUDIT_UNALLOCATE = "unallocate"


def _open_doc(e: AccountEntry, left: int) -> OpenDocument:
    return OpenDocument(e.id, e.doc_number, e.kind, e.entry_date, e.due_date, e.amount, left)


@dataclass(frozen=True)
class AccountsService:
    db: Database

    # ------------------------------------------------------------ reading
    def open_documents(self, party: str, party_id: int, *, credits: bool = False) -> list[OpenDocument]:
        """What the party still owes document by document (``credits``: its unused payments and
        credits), oldest due first."""
        with self.db.read() as uow:
            return [_open_doc(e, left) for e, left in open_entries(uow.session, party, party_id, debits=not credits)]

    def allocations(self, entry_id: int) -> list[AllocationDTO]:
        """The live allocations of one entry (either side)."""
        with self.db.read() as uow:
            s = uow.session
            rows = list(s.scalars(select(Allocation).where(
                (Allocation.debit_id == entry_id) | (Allocation.credit_id == entry_id),
                Allocation.undone_at.is_(None)).order_by(Allocation.id)))
            out = []
            for a in rows:
                d, c = s.get(AccountEntry, a.debit_id), s.get(AccountEntry, a.credit_id)
                out.append(AllocationDTO(a.id, a.debit_id, d.doc_number if d else "", a.credit_id,
                                         c.doc_number if c else "", a.amount))
            return out

    def balances(self, party: str, at: date | None = None) -> Balances:
        with self.db.read() as uow:
            return balances.balances(SessionRows(uow.session), party, at or local_day())

    def aging(self, party: str, at: date | None = None) -> Aging:
        with self.db.read() as uow:
            return balances.aging(SessionRows(uow.session), party, at or local_day())

    def statement(self, party: str, party_id: int, start: date, end: date) -> StatementDTO:
        with self.db.read() as uow:
            return statement.statement(SessionRows(uow.session), party, party_id, start, end,
                                       shop.get_setting(uow.session, "shop_name") or "")

    def cash_book(self, start: date, end: date) -> CashBook:
        with self.db.read() as uow:
            return cash_book.cash_book(SessionRows(uow.session), start, end)

    # ------------------------------------------------------------ writing
    def pay(self, supplier_id: int, amount: int, *, method: str = "cash", day: date | None = None, note: str = "",
            allocations: Sequence[tuple[int, int]] | None = None, prepay_ok: bool = False,
            at: datetime | None = None) -> MoneyDocResult:
        """A payment to a supplier (付款单); ``allocations`` None = oldest first. More than is owed
        raises PrepaymentQuestion unless ``prepay_ok``. The UI asks the owner PIN first."""
        return self._money(SUPPLIER, supplier_id, amount, method, day, note, allocations, prepay_ok, at)

    def collect(self, customer_id: int, amount: int, *, method: str = "cash", day: date | None = None,
                note: str = "", allocations: Sequence[tuple[int, int]] | None = None, prepay_ok: bool = False,
                at: datetime | None = None) -> MoneyDocResult:
        """A collection from a customer (收款单), the same rules as :meth:`pay`."""
        return self._money(CUSTOMER, customer_id, amount, method, day, note, allocations, prepay_ok, at)

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def _money(self, party: str, party_id: int, amount: int, method: str, day: date | None, note: str,
               allocations: Sequence[tuple[int, int]] | None, prepay_ok: bool, at: datetime | None) -> MoneyDocResult:
        at = at or utcnow()
        with self.db.write() as uow:
            out = post_money(uow.session, party, party_id, amount, method=method, day=day or local_day(at),
                             note=note, allocations=allocations, prepay_ok=prepay_ok, at=at)
            uow.commit()
        return out

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def refund(self, party: str, party_id: int, amount: int, *, method: str = "cash", day: date | None = None,
               note: str = "", at: datetime | None = None) -> MoneyDocResult:
        """Money paid back against a credit on the account (退款单, TK…): a supplier refunding a
        return or prepayment, or the shop refunding a customer's prepayment."""
        at = at or utcnow()
        with self.db.write() as uow:
            out = refund(uow.session, party, party_id, amount, method=method, day=day or local_day(at), note=note, at=at)
            uow.commit()
        return out

    def allocate(self, debit_id: int, credit_id: int, amount: int, *, at: datetime | None = None) -> int:
        """Settle part of a document by a payment or credit of the same party (核销 by hand); an
        earlier credit (a prepayment) may settle a later document."""
        with self.db.write() as uow:
            s = uow.session
            debit, credit = s.get(AccountEntry, debit_id), s.get(AccountEntry, credit_id)
            if debit is None or credit is None:
                raise NotFoundError("Account entry {id} does not exist", id=debit_id if debit is None else credit_id)
            a = allocate(s, debit, credit, amount, at=at)
            aid = a.id
            uow.commit()
        return aid

    def unallocate(self, allocation_ids: Sequence[int], *, at: datetime | None = None) -> int:
        """Undo allocations (the rows stay, marked undone); owner PIN in the UI, in the audit trail."""
        at = at or utcnow()
        with self.db.write() as uow:
            s = uow.session
            rows = list(s.scalars(select(Allocation).where(Allocation.id.in_(list(allocation_ids)))))
            if len(rows) != len(set(allocation_ids)):
                raise NotFoundError("Allocation {id} does not exist", id=min(set(allocation_ids) - {a.id for a in rows}))
            n = undo_allocations(s, rows, at=at)
            safety.record(s, AUDIT_UNALLOCATE, at=at, detail={"allocations": sorted(a.id for a in rows)})
            uow.commit()
        return n

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def write_off(self, entry_id: int, amount: int, *, day: date | None = None, note: str = "",
                  at: datetime | None = None) -> int:
        """Write off part of an open document (owner PIN in the UI); in the audit trail."""
        at = at or utcnow()
        with self.db.write() as uow:
            out = write_off(uow.session, entry_id, amount, day=day or local_day(at), note=note, at=at)
            uow.commit()
        return out
