"""PromotionService: add, edit and end promotions (validated; each change in the audit trail), list
them, hand the till the rules running at a moment, and preview what a cart would get."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Promotion
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import promotion_rules as rules
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.price_levels import MEMBER, LevelRule, level_price
from jxc_desktop.domain.promotions import PromotionResult, apply_promotions
from jxc_desktop.services.catalog.api import get_product
from jxc_desktop.services.members import api as members
from jxc_desktop.services.promotions import records, till_rules
from jxc_desktop.services.promotions.dto import CartItem, PreviewLine, PromotionDTO, PromotionInput, now_local
from jxc_desktop.services.promotions.promotion_import import read_promotions
from jxc_desktop.services.promotions.promotion_list import list_promotions
from jxc_desktop.services.promotions.validation import validate_promotion
from jxc_desktop.services.safety.api import record

PROMOTION_ADD, PROMOTION_EDIT, PROMOTION_END = "promotion_add", "promotion_edit", "promotion_end"


def _audit_value(data: PromotionInput | PromotionDTO) -> dict[str, Any]:
    value = asdict(data.as_input() if isinstance(data, PromotionDTO) else data)
    value["kind"] = str(value["kind"])
    for money in ("threshold", "reduction"):  # *_fen: the audit viewer shows them in yuan
        value[f"{money}_fen"] = value.pop(money)
    return value


def rules_in(session: Session, moment: datetime) -> list[rules.Promotion]:
    """The rules of every promotion running at ``moment`` (local), in the caller's transaction."""
    return [records.to_rule(p) for p in records.load(session, records.running_at(moment))]


def price_cart_in(session: Session, items: Sequence[CartItem], moment: datetime,
                  member: bool, *, kept_for: Database | None = None) -> PromotionResult:
    """What the till's cart gets at ``moment`` (local, naive), in the caller's transaction: the
    running promotions applied by domain/promotions.apply_promotions; ``applied`` are the lines
    to show, ``line_discounts`` what each input line gets off (same order as ``items``).
    ``kept_for``: the screen's call — the rules kept between scans for that database
    (till_rules.TillRules); posting leaves it out and reads them afresh."""
    categories = till_rules.categories_of(session, (i.product_id for i in items))
    lines = [rules.PromoLine(i.product_id, categories[i.product_id], i.qty, i.unit_price, i.manual, i.amount)
             for i in items]
    running = till_rules.till_rules_of(kept_for).at(session, moment) if kept_for is not None \
        else till_rules.running_rules(session, moment)
    return apply_promotions(lines, moment, member, running)


def _one(session: Session, promotion_id: int) -> PromotionDTO:
    found = records.load(session, [Promotion.id == promotion_id])
    if not found:
        raise NotFoundError("Promotion {id} does not exist", id=promotion_id)
    return found[0]


@dataclass(frozen=True)
class PromotionService:
    db: Database

    def list(self) -> list[PromotionDTO]:
        with self.db.read() as uow:
            return list_promotions(SessionRows(uow.session))

    def get(self, promotion_id: int) -> PromotionDTO:
        with self.db.read() as uow:
            return _one(uow.session, promotion_id)

    def add(self, data: PromotionInput, *, at: datetime | None = None) -> PromotionDTO:
        """``at``: when the audit trail says it was added (the demo dates its history; default now)."""
        with self.db.write() as uow:
            s = uow.session
            clean = validate_promotion(s, data)
            row = Promotion()
            if at is not None:  # the demo's promotion was made then, not when the demo runs
                row.created_at = at
            records.write(s, row, clean)
            record(s, PROMOTION_ADD, document=f"promotion {row.id}", after=_audit_value(clean), at=at)
            dto = _one(s, row.id)
            uow.commit()
        return dto

    def edit(self, promotion_id: int, data: PromotionInput) -> PromotionDTO:
        with self.db.write() as uow:
            s = uow.session
            before = _one(s, promotion_id)
            clean = validate_promotion(s, data)
            row = s.get(Promotion, promotion_id)
            assert row is not None
            records.write(s, row, clean)
            record(s, PROMOTION_EDIT, document=f"promotion {row.id}", before=_audit_value(before),
                   after=_audit_value(clean))
            dto = _one(s, row.id)
            uow.commit()
        return dto

    def end(self, promotion_id: int, at: datetime | None = None) -> PromotionDTO:
        """End now (or at ``at``): the promotion stays in the list, ended. Ending one that has not
        started yet ends it at its start (it never runs)."""
        at = at or now_local().replace(second=0)  # to the minute, as the list shows it
        with self.db.write() as uow:
            s = uow.session
            row = s.get(Promotion, promotion_id)
            if row is None:
                raise NotFoundError("Promotion {id} does not exist", id=promotion_id)
            if row.ends is not None and row.ends <= at:
                raise ValidationError("Promotion {name} has already ended", name=row.name)
            before = row.ends
            row.ends = max(at, row.starts)
            record(s, PROMOTION_END, document=f"promotion {row.id}", before={"ends": before},
                   after={"ends": row.ends})
            dto = _one(s, row.id)
            uow.commit()
        return dto

    def rules_at(self, moment: datetime) -> list[rules.Promotion]:
        """The rules of the promotions running at ``moment`` (local, naive) — for the till."""
        with self.db.read() as uow:
            return rules_in(uow.session, moment)

    def price_cart(self, items: Sequence[CartItem], *, member: bool = False,
                   at: datetime | None = None) -> PromotionResult:
        """The till's call (see ``price_cart_in``); ``at`` defaults to now."""
        with self.db.read() as uow:
            return price_cart_in(uow.session, items, at or now_local(), member)

    def preview(self, lines: Sequence[PreviewLine], *, member: bool = False, at: datetime | None = None,
                extra: Sequence[rules.Promotion] = (), member_pct: int | None = None) -> PromotionResult:
        """What a cart of catalogue products would get at ``at`` (default now) from the running
        promotions plus ``extra`` (a promotion being edited, not saved yet). At retail prices; with
        ``member_pct`` (a member level's price %) a member's cart, at member prices as the till
        would put it (the product's member price, else the level discount) — ``member`` then too."""
        at = at or now_local()
        with self.db.read() as uow:
            s = uow.session
            products = [get_product(s, line.product_id) for line in lines]
            levels = members.product_prices_in(s, {p.id for p in products}) if member_pct is not None else {}
            rule = LevelRule(MEMBER, member_pct) if member_pct is not None else LevelRule()
            cart = [rules.PromoLine(p.id, p.category_id, line.qty,
                                    level_price(rule, levels[p.id])[1] if p.id in levels else p.sale_price)
                    for p, line in zip(products, lines, strict=True)]
            running = rules_in(s, at)
        member = member or member_pct is not None
        if extra:
            replaced = {p.id for p in extra if p.id}
            running = [p for p in running if p.id not in replaced] + list(extra)
        return apply_promotions(cart, at, member, running)

    def import_file(self, path: Path | str) -> list[PromotionDTO]:
        """Add every promotion of a csv/xlsx file, or none: PromotionImportRejected lists the bad rows."""
        with self.db.write() as uow:
            s = uow.session
            entries = read_promotions(s, path)
            added = []
            for data in entries:
                row = Promotion()
                records.write(s, row, data)
                added.append(row.id)
                record(s, PROMOTION_ADD, document=f"promotion {row.id}", after=_audit_value(data),
                       detail=f"import {Path(path).name}")
            dtos = [_one(s, pid) for pid in added]
            uow.commit()
        return dtos
