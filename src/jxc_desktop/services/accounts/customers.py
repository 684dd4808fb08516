"""Customers (客户): add, edit, deactivate, delete (only without documents), search by name, phone
or pinyin, and the list with each one's balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AccountEntry, Customer, Sale
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.types import utcnow
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.accounts import customer_list
from jxc_desktop.services.accounts.customer_list import list_customers
from jxc_desktop.services.accounts.dto import LEVELS, CustomerDTO, CustomerInput
from jxc_desktop.services.catalog.api import pinyin_full, pinyin_initials


def validate_customer(data: CustomerInput) -> CustomerInput:
    name = clean_text(data.name, "Customer name", 100, required=True)
    phone = clean_text(data.phone, "Phone", 40)
    if phone and not all(c in "0123456789+-() " for c in phone):
        raise ValidationError("Phone '{phone}' may hold only digits, spaces and + - ( )", phone=phone[:40])
    if data.level not in LEVELS:
        raise ValidationError("Price level must be retail or wholesale, not {level}", level=str(data.level)[:20])
    limit = data.credit_limit
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0 or limit > MAX_FEN):
        raise ValidationError("The credit limit must be zero or more")
    terms = data.terms_days
    if not isinstance(terms, int) or isinstance(terms, bool) or not 0 <= terms <= 3650:
        raise ValidationError("Payment terms must be 0 to 3650 days")
    return CustomerInput(name, phone, clean_text(data.address, "Address", 200), data.level, limit,
                         clean_text(data.note, "Note", 500), terms)


def customer_on_receipt(s: Session, customer_id: int, at: datetime) -> tuple[str, int]:
    """A receipt's customer line: the name, and the balance as it stood when the sale was posted
    at ``at`` (entries written up to then) — a reprint says what the first print said."""
    name = s.scalar(select(Customer.name).where(Customer.id == customer_id)) or ""
    owed = s.scalar(select(func.coalesce(func.sum(AccountEntry.amount), 0)).where(
        AccountEntry.customer_id == customer_id, AccountEntry.created_at <= at))
    return name, int(owed or 0)


def _pinyin_key(name: str) -> str:
    return f"{pinyin_full(name)} {pinyin_initials(name)}".lower()[:530]


def _balances(s: Session, ids: list[int] | None = None) -> dict[int, int]:
    return customer_list.balances(SessionRows(s), ids)


def customer_by_name(s: Session, name: str) -> tuple[int, bool] | None:
    """(id, active) of the customer of that name (any case), inside the caller's session."""
    row = s.execute(select(Customer.id, Customer.active).where(func.lower(Customer.name) == name.strip().lower())).first()
    return (int(row[0]), bool(row[1])) if row else None


def to_dto(c: Customer, balance: int = 0) -> CustomerDTO:
    return CustomerDTO(c.id, c.name, c.phone, c.address, c.level, c.credit_limit, c.note, c.active, balance,
                       int(c.terms_days or 0))


def _name_taken(s: Session, name: str, other_than: int | None) -> bool:
    cid = s.scalar(select(Customer.id).where(func.lower(Customer.name) == name.lower()))
    return cid is not None and cid != other_than


@dataclass(frozen=True)
class CustomersService:
    db: Database

    def add(self, data: CustomerInput, *, at: datetime | None = None) -> int:
        """A new customer; ``at``: when (the demo's history; else now)."""
        data = validate_customer(data)
        with self.db.write() as uow:
            s = uow.session
            if _name_taken(s, data.name, None):
                raise ValidationError("A customer named {name} already exists", name=data.name)
            c = Customer(name=data.name, phone=data.phone, address=data.address, level=data.level,
                         credit_limit=data.credit_limit, note=data.note, pinyin_key=_pinyin_key(data.name),
                         terms_days=data.terms_days, created_at=at or utcnow())
            s.add(c)
            s.flush()
            cid = c.id
            uow.commit()
        return cid

    def update(self, customer_id: int, data: CustomerInput) -> CustomerDTO:
        data = validate_customer(data)
        with self.db.write() as uow:
            s = uow.session
            c = self._get(s, customer_id)
            if _name_taken(s, data.name, customer_id):
                raise ValidationError("A customer named {name} already exists", name=data.name)
            c.name, c.phone, c.address, c.level = data.name, data.phone, data.address, data.level
            c.credit_limit, c.note, c.pinyin_key = data.credit_limit, data.note, _pinyin_key(data.name)
            c.terms_days = data.terms_days
            s.flush()
            out = to_dto(c, _balances(s, [c.id]).get(c.id, 0))
            uow.commit()
        return out

    def set_active(self, customer_id: int, active: bool) -> CustomerDTO:
        with self.db.write() as uow:
            c = self._get(uow.session, customer_id)
            c.active = bool(active)
            out = to_dto(c, _balances(uow.session, [c.id]).get(c.id, 0))
            uow.commit()
        return out

    def deactivate(self, customer_id: int) -> CustomerDTO:
        return self.set_active(customer_id, False)

    def delete(self, customer_id: int) -> None:
        """Only a customer with no documents at all; one with documents is deactivated instead."""
        with self.db.write() as uow:
            s = uow.session
            c = self._get(s, customer_id)
            used = s.scalar(select(AccountEntry.id).where(AccountEntry.customer_id == customer_id).limit(1)) or \
                s.scalar(select(Sale.id).where(or_(Sale.customer_id == customer_id,
                                                   Sale.member_id == customer_id)).limit(1))  # a member's sales too
            if used:
                raise StateError("{name} has documents and cannot be deleted; deactivate the customer instead",
                                 name=c.name)
            s.delete(c)
            uow.commit()

    def get(self, customer_id: int) -> CustomerDTO:
        with self.db.read() as uow:
            c = self._get(uow.session, customer_id)
            return to_dto(c, _balances(uow.session, [c.id]).get(c.id, 0))

    def find_by_name(self, name: str) -> CustomerDTO | None:
        with self.db.read() as uow:
            cid = customer_list.customer_named(SessionRows(uow.session), name)
            c = uow.session.get(Customer, cid) if cid is not None else None
            return to_dto(c, _balances(uow.session, [c.id]).get(c.id, 0)) if c else None

    def search(self, text: str, *, active_only: bool = True, limit: int = 50) -> list[CustomerDTO]:
        """By name, phone, full pinyin or initials (``zs`` finds 张三)."""
        text = clean_text(text, "Search", 60).lower()
        return self.list(text=text, active_only=active_only, limit=limit)

    def list(self, *, text: str = "", active_only: bool = False, limit: int = 100_000) -> list[CustomerDTO]:
        """Customers in name order, each with its balance (the SQL text of customer_list.py, also
        run by ``jxc customers list`` on sqlite3 alone)."""
        with self.db.read() as uow:
            return list_customers(SessionRows(uow.session), text=text, active_only=active_only, limit=limit)

    @staticmethod
    def _get(s: Session, customer_id: int) -> Customer:
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFoundError("Customer {id} does not exist", id=customer_id)
        return c
