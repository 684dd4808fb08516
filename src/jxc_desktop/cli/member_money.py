"""jxc members topup|adjust|ledger: members' stored value (储值) and points (积分) from the command
line, beside ``jxc members add|list|show`` (cli/members.py calls :func:`register` from its
``extend``). Money is typed in yuan and written in fen in JSON; a member is named by phone or card.
``adjust`` is the owner's (cli/owner.PROTECTED_COMMANDS)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.members.money_dto import TOPUP_METHODS

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.hub import Services
    from jxc_desktop.services.members.money_dto import PointsMoveDTO, ValueMoveDTO


def register(msub: Any) -> None:
    p = msub.add_parser("topup", help="top up a member's stored value (储值充值), with an optional bonus (充100送10)")
    p.add_argument("key", metavar="PHONE_OR_CARD")
    p.add_argument("amount", metavar="AMOUNT", help="yuan received")
    p.add_argument("--bonus", default="0", metavar="YUAN", help="yuan given on top (not money received)")
    p.add_argument("--method", default="cash", choices=TOPUP_METHODS, metavar="M",
                   help="how the money came in: " + ", ".join(TOPUP_METHODS))
    p.add_argument("--json", action="store_true", help="JSON (money in fen)")
    p.set_defaults(func=cmd_topup)
    p = msub.add_parser("adjust", help="the owner corrects a member's points or stored value (owner PIN)")
    p.add_argument("key", metavar="PHONE_OR_CARD")
    p.add_argument("--points", type=int, default=0, metavar="N", help="points to add (negative: take)")
    p.add_argument("--value", default="", metavar="YUAN", help="stored value to add (negative: take)")
    p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    p.set_defaults(func=cmd_adjust)
    p = msub.add_parser("ledger", help="a member's points and stored-value moves, oldest first")
    p.add_argument("key", metavar="PHONE_OR_CARD")
    p.add_argument("--json", action="store_true", help="JSON (money in fen)")
    p.set_defaults(func=cmd_ledger)


def cmd_topup(args: argparse.Namespace, ctx: CliContext) -> int:
    member = ctx.services.members.by_key(args.key)
    amount = parse_yuan(args.amount, field="Top-up")
    bonus = parse_yuan(args.bonus, field="Bonus")
    shift_id = ctx.services.shifts.current_id() if ctx.services.shifts.in_use() else None
    r = ctx.services.member_money.topup(member.id, amount, bonus=bonus, method=args.method, shift_id=shift_id)
    if args.json:
        json_text.write({"number": r.number, "name": r.name, "amount": r.amount, "bonus": r.bonus,
                         "method": r.method, "stored_value": r.stored_value}, sys.stdout)
        return 0
    print("\t".join([r.number, r.name, format_fen(r.amount, symbol=False), format_fen(r.bonus, symbol=False),
                     r.method, format_fen(r.stored_value, symbol=False)]))
    return 0


def cmd_adjust(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.points and not args.value:
        raise ValidationError("Give --points or --value")
    member = ctx.services.members.by_key(args.key)
    owner = ctx.services.staff.owner_name()
    if args.points:
        print(f"points\t{ctx.services.member_money.adjust_points(member.id, args.points, args.reason, actor=owner)}")
    if args.value:
        value = parse_yuan(args.value, field="Stored value", allow_negative=True)
        after = ctx.services.member_money.adjust_stored_value(member.id, value, args.reason, actor=owner)
        print(f"stored value\t{format_fen(after, symbol=False)}")
    return 0


def cmd_ledger(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.members import ledger_lists
    from jxc_desktop.services.members.member_list import member_by_key

    def plain(rows: Rows) -> tuple[list[PointsMoveDTO], list[ValueMoveDTO]]:
        member = member_by_key(rows, args.key)
        return ledger_lists.points_ledger(rows, member.id), ledger_lists.value_ledger(rows, member.id)

    def full(services: Services) -> tuple[list[PointsMoveDTO], list[ValueMoveDTO]]:
        member = services.members.by_key(args.key)
        return services.member_money.points_ledger(member.id), services.member_money.value_ledger(member.id)

    points, value = ctx.read(plain, full)
    if args.json:
        json_text.write({"points": [{"at": m.at, "kind": m.kind, "points": m.points, "sale": m.sale, "note": m.note,
                                     "balance": m.balance} for m in points],
                         "stored_value": [{"at": m.at, "day": m.day, "kind": m.kind, "amount": m.amount,
                                           "number": m.number, "method": m.method, "note": m.note,
                                           "balance": m.balance} for m in value]}, sys.stdout)
        return 0
    for m in points:
        print("\t".join(["points", m.at.isoformat(timespec="seconds"), m.kind, str(m.points), m.sale or "-",
                         str(m.balance), m.note]))
    for v in value:
        print("\t".join(["stored_value", v.at.isoformat(timespec="seconds"), v.kind,
                         format_fen(v.amount, symbol=False), v.number or "-", v.method or "-",
                         format_fen(v.balance, symbol=False), v.note]))
    return 0
