"""jxc members add|list|show|levels: members (会员) from the command line. Money is typed in yuan and
written in fen in JSON; a member is named by phone or card number."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jxc_desktop.cli import json_text, member_money
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import parse_day
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.members.dto import MemberDTO, MemberInput, MemberSummary


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mem = sub.add_parser("members", help="members (会员): add, list, show, levels")
    msub = mem.add_subparsers(dest="members_command", metavar="ACTION")
    msub.required = True
    p = msub.add_parser("add", help="add a member by phone (a name is made up when none is given)")
    p.add_argument("phone", metavar="PHONE")
    p.add_argument("--name", default="")
    p.add_argument("--card", default="", metavar="C", help="the member card's number")
    p.add_argument("--level", default="", metavar="L", help="a level's name (default: the first, 普通)")
    p.add_argument("--birthday", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_add)
    p = msub.add_parser("list", help="phone, card, name, level, points and stored value of every member")
    p.add_argument("--json", action="store_true", help="a JSON list (money in fen) instead of tab-separated text")
    p.set_defaults(func=cmd_list)
    p = msub.add_parser("show", help="one member by phone or card: balances, visits and what they spent")
    p.add_argument("key", metavar="PHONE_OR_CARD")
    p.add_argument("--json", action="store_true", help="JSON (money in fen)")
    p.set_defaults(func=cmd_show)
    p = msub.add_parser("levels", help="the member levels: level price %% and points %%")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_levels)
    extend(msub)


def extend(msub: Any) -> None:
    """More member commands (points and stored value) register here, beside these."""
    member_money.register(msub)  # topup, adjust, ledger (cli/member_money.py)


def _row(m: MemberDTO) -> dict[str, Any]:
    return {"phone": m.phone, "card": m.card, "name": m.name, "level": m.level, "points": m.points,
            "stored_value": m.stored_value, "birthday": m.birthday, "joined_on": m.joined_on, "active": m.active}


def show_json(s: MemberSummary) -> dict[str, Any]:
    m = s.member
    return {"phone": m.phone, "card": m.card, "name": m.name, "level": m.level, "points": m.points,
            "stored_value": m.stored_value, "visits": s.visits, "spent": s.spent}


def cmd_add(args: argparse.Namespace, ctx: CliContext) -> int:
    birthday = parse_day(args.birthday) if args.birthday else None
    m = ctx.services.members.add(MemberInput(phone=args.phone, card=args.card, name=args.name, level=args.level,
                                             birthday=birthday))
    print(f"{m.name}\t{m.phone or '-'}\t{m.card or '-'}\t{m.level}")
    return 0


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.members.member_list import list_members

    rows = ctx.read(list_members, lambda services: services.members.list())
    if args.json:
        json_text.write([_row(m) for m in rows], sys.stdout)
        return 0
    for m in rows:
        print("\t".join([m.phone or "-", m.card or "-", m.name, m.level, str(m.points),
                         format_fen(m.stored_value, symbol=False)]) + ("" if m.active else "\tinactive"))
    return 0


def cmd_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.members.member_list import member_by_key
    from jxc_desktop.services.members.member_reports import member_summary

    s = ctx.read(lambda rows: member_summary(rows, member_by_key(rows, args.key).id),
                 lambda services: services.members.summary(services.members.by_key(args.key).id))
    if args.json:
        json_text.write(show_json(s), sys.stdout)
        return 0
    m = s.member
    for label, value in (("name", m.name), ("phone", m.phone or "-"), ("card", m.card or "-"), ("level", m.level),
                         ("points", str(m.points)), ("stored value", format_fen(m.stored_value, symbol=False)),
                         ("visits", str(s.visits)), ("spent", format_fen(s.spent, symbol=False)),
                         ("last visit", s.last_visit.isoformat() if s.last_visit else "-")):
        print(f"{label}\t{value}")
    return 0


def cmd_levels(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.members.level_list import levels_in

    # A shop without levels gets its defaults from the first listing (a write): the full path.
    found = ctx.read(lambda rows: levels_in(rows) or None, lambda services: services.members.levels())
    rows = found if found is not None else ctx.services.members.levels()
    if args.json:
        json_text.write([{"name": lv.name, "price_pct": lv.price_pct, "points_pct": lv.points_pct,
                          "active": lv.active, "members": lv.members} for lv in rows], sys.stdout)
        return 0
    for lv in rows:
        print(f"{lv.name}\t{lv.price_pct}%\t{lv.points_pct}%\t{lv.members}" + ("" if lv.active else "\tinactive"))
    return 0
