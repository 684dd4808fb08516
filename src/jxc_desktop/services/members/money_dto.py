"""What the members' money (points and stored value) hands to the front ends: top-up results,
ledger rows, the till's balances and the owner question. Pure Python; re-exported by dto.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jxc_desktop.domain.errors import ValidationError

TOPUP_METHODS = ("cash", "wechat", "alipay", "card")  # how a top-up's money comes in


class StoredValueNeedsOwner(ValidationError):
    """Stored value paid above the shop's limit: the owner may approve it (owner PIN), then the
    caller posts again with the override."""

    needs_owner = True

    def __init__(self, amount: str, limit: str) -> None:
        super().__init__("Paying {amount} from stored value is above the limit {limit}: the owner must approve",
                         amount=amount, limit=limit)


@dataclass(frozen=True)
class TopUpResult:
    number: str  # CZ…, the top-up's document
    member_id: int
    name: str
    amount: int  # money received, fen
    bonus: int  # 充100送10: the 10, fen
    method: str
    stored_value: int  # the balance after, fen
    at: datetime


@dataclass(frozen=True)
class PointsMoveDTO:
    id: int
    at: datetime
    kind: str  # earn | redeem | return | reverse | adjust
    points: int  # signed
    sale: str  # the sale or return's number, or ""
    note: str
    actor: str
    balance: int  # the balance after this move


@dataclass(frozen=True)
class ValueMoveDTO:
    id: int
    at: datetime
    day: date
    kind: str  # topup | bonus | pay | refund | reverse | adjust
    amount: int  # fen, signed
    number: str  # the top-up's number, or the sale/return's
    method: str
    note: str
    actor: str
    balance: int  # fen, after this move


@dataclass(frozen=True)
class MoneyRulesDTO:
    points_per_yuan: int
    redeem_rate: int  # points per yuan
    points_on_promoted: bool
    sv_pin_limit: int  # fen; 0 = never


@dataclass(frozen=True)
class MoneyFigures:
    """What the shop owes its members at a moment: stored value outstanding (fen) and the points
    held (with their worth at the current redemption rate)."""

    stored_value: int
    points: int
    points_value: int  # fen
    members_with_value: int
    topups: int  # in the period asked: money received by top-ups, fen
    bonus: int  # in the period: bonus given, fen
    spent: int  # in the period: stored value paid at the till less refunds to it, fen
