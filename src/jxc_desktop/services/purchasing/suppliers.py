"""Suppliers (供应商): list, add, edit, deactivate; their purchases in a period and the last
purchase date. Suppliers are never deleted (their notes point at them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Purchase, Supplier
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.purchasing import supplier_list
from jxc_desktop.services.purchasing.dto import SupplierDTO, SupplierInput, SupplierPeriod
from jxc_desktop.services.purchasing.note_detail import supplier_by_id
from jxc_desktop.services.purchasing.supplier_list import list_suppliers


def validate_supplier(data: SupplierInput) -> SupplierInput:
    name = clean_text(data.name, "Supplier name", 100, required=True)
    phone = clean_text(data.phone, "Phone", 40)
    if phone and not all(c in "0123456789+-() " for c in phone):  # ASCII only: not "٣" or "²"
        raise ValidationError("Phone '{phone}' may hold only digits, spaces and + - ( )", phone=phone[:40])
    terms = data.terms_days
    if terms is not None and (not isinstance(terms, int) or isinstance(terms, bool) or not 0 <= terms <= 3650):
        raise ValidationError("Payment terms must be 0 to 3650 days")
    return SupplierInput(
        name=name, contact=clean_text(data.contact, "Contact", 60), phone=phone,
        address=clean_text(data.address, "Address", 200), note=clean_text(data.note, "Note", 500),
        lead_time_days=valid_lead_time(data.lead_time_days),
        terms_days=terms,
    )


MAX_LEAD_DAYS = 180


def valid_lead_time(days: object) -> int:
    """0..180 whole days (0: not known)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_LEAD_DAYS:
        raise ValidationError("Lead time must be a whole number of days from 0 to {limit}", limit=MAX_LEAD_DAYS)
    return days


def _to_dto(s: Supplier, last: date | None = None) -> SupplierDTO:
    return SupplierDTO(s.id, s.name, s.contact, s.phone, s.address, s.note, s.active, last,
                       lead_time_days=s.lead_time_days or 0, terms_days=int(s.terms_days or 0))


def last_purchase_dates(session: Session) -> dict[int, date]:
    return supplier_list.last_purchase_dates(SessionRows(session))


def _name_taken(session: Session, name: str, other_than: int | None) -> bool:
    return any(sid != other_than for sid in supplier_list.suppliers_named(SessionRows(session), name))


@dataclass(frozen=True)
class SupplierService:
    db: Database

    def list(self, *, active_only: bool = False, text: str = "") -> list[SupplierDTO]:
        """Suppliers, active first, in pinyin order; ``text`` filters on name, its pinyin initials,
        contact or phone (the SQL text of supplier_list.py, also run by ``jxc`` on sqlite3 alone)."""
        with self.db.read() as uow:
            return list_suppliers(SessionRows(uow.session), active_only=active_only, text=text)

    def get(self, supplier_id: int) -> SupplierDTO:
        """One supplier (``jxc purchase pdf`` on sqlite3 alone runs the same SQL text)."""
        with self.db.read() as uow:
            return supplier_by_id(SessionRows(uow.session), supplier_id)

    def find_by_name(self, name: str) -> SupplierDTO | None:
        """Exact name, case-insensitive (the CLI and imports name suppliers)."""
        with self.db.read() as uow:
            ids = supplier_list.suppliers_named(SessionRows(uow.session), name)
            sup = uow.session.get(Supplier, ids[0]) if ids else None
            return _to_dto(sup, last_purchase_dates(uow.session).get(sup.id)) if sup else None

    def add(self, data: SupplierInput) -> SupplierDTO:
        data = validate_supplier(data)
        with self.db.write() as uow:
            s = uow.session
            if _name_taken(s, data.name, None):
                raise ValidationError("Supplier {name} already exists", name=data.name)
            sup = Supplier(name=data.name, contact=data.contact, phone=data.phone, address=data.address,
                           note=data.note, active=True, lead_time_days=data.lead_time_days,
                           terms_days=data.terms_days or 0, pinyin=pinyin_initials(data.name))
            s.add(sup)
            s.flush()
            dto = _to_dto(sup)
            uow.commit()
        return dto

    def edit(self, supplier_id: int, data: SupplierInput) -> SupplierDTO:
        data = validate_supplier(data)
        with self.db.write() as uow:
            s = uow.session
            sup = s.get(Supplier, supplier_id)
            if sup is None:
                raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
            if _name_taken(s, data.name, supplier_id):
                raise ValidationError("Supplier {name} already exists", name=data.name)
            sup.name, sup.contact, sup.phone = data.name, data.contact, data.phone
            sup.pinyin = pinyin_initials(data.name)
            sup.address, sup.note, sup.lead_time_days = data.address, data.note, data.lead_time_days
            if data.terms_days is not None:
                sup.terms_days = data.terms_days
            dto = _to_dto(sup, last_purchase_dates(s).get(sup.id))
            uow.commit()
        return dto

    def set_active(self, supplier_id: int, active: bool) -> SupplierDTO:
        """Deactivate (hidden when choosing a supplier for a new note) or bring back."""
        with self.db.write() as uow:
            sup = uow.session.get(Supplier, supplier_id)
            if sup is None:
                raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
            sup.active = active
            dto = _to_dto(sup, last_purchase_dates(uow.session).get(sup.id))
            uow.commit()
        return dto

    def purchases_in_period(self, first: date, last: date) -> list[SupplierPeriod]:
        """Every supplier (with or without activity) and its posted notes dated first..last."""
        if last < first:
            raise ValidationError("The period ends before it starts")
        is_buy = Purchase.kind == "purchase"
        with self.db.read() as uow:
            s = uow.session
            agg = {
                sid: (int(pc or 0), int(pt or 0), int(rc or 0), int(rt or 0))
                for sid, pc, pt, rc, rt in s.execute(
                    select(Purchase.supplier_id,
                           func.sum(case((is_buy, 1), else_=0)),
                           func.sum(case((is_buy, Purchase.total), else_=0)),
                           func.sum(case((is_buy, 0), else_=1)),
                           func.sum(case((is_buy, 0), else_=Purchase.total)))
                    .where(Purchase.status == "posted", Purchase.doc_date >= first, Purchase.doc_date <= last)
                    .group_by(Purchase.supplier_id))
            }
            lasts = last_purchase_dates(s)
            out = []
            for sup in s.scalars(select(Supplier).order_by(Supplier.name)):
                pc, pt, rc, rt = agg.get(sup.id, (0, 0, 0, 0))
                out.append(SupplierPeriod(sup.id, sup.name, pc, pt, rc, rt, lasts.get(sup.id)))
            return out
