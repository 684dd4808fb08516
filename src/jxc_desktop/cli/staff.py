"""jxc staff list|add|reset-pin (the owner PIN is asked first: cli/owner.PROTECTED_COMMANDS),
jxc shifts list and jxc shift slip: the people at the till and their shifts (交班)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta
from pathlib import Path

from jxc_desktop.cli.context import CliContext
from jxc_desktop.cli.safety import _ask_new_pin
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.staff.dto import OWNER


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("staff", help="the owner and the cashiers: list, add, reset a PIN (owner PIN required)")
    ssub = p.add_subparsers(dest="staff_command", metavar="ACTION")
    ssub.required = True
    q = ssub.add_parser("list", help="name, login number, role, PIN set, locked")
    q.add_argument("--json", action="store_true")
    q.add_argument("--all", action="store_true", help="also people no longer active")
    q.set_defaults(func=cmd_staff_list)
    q = ssub.add_parser("add", help="add a cashier (or with --owner name the owner); asks the cashier's PIN")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--number", required=True, help="the short login number typed at the till (1 to 8 digits)")
    q.add_argument("--owner", action="store_true", help="the owner (signs in with the owner PIN)")
    q.add_argument("--new-pin-file", metavar="FILE", help="read the cashier's PIN from the first line of FILE")
    q.add_argument("--no-pin", action="store_true",
                   help="no PIN (only when the shop lets cashiers sign in by name)")
    q.set_defaults(func=cmd_staff_add)
    q = ssub.add_parser("reset-pin", help="give a cashier a new PIN (asks, or --new-pin-file); ends a lock")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--new-pin-file", metavar="FILE", help="read the new PIN from the first line of FILE")
    q.set_defaults(func=cmd_staff_reset_pin)

    p = sub.add_parser("shifts", help="shifts (交班): cashier, opened, closed, cash expected, counted, over/short")
    ssub = p.add_subparsers(dest="shifts_command", metavar="ACTION")
    ssub.required = True
    q = ssub.add_parser("list", help="the shifts of a day (default: the last 30 days), amounts in fen")
    q.add_argument("--date", metavar="YYYY-MM-DD", help="only shifts opened on this local day")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_shifts_list)

    p = sub.add_parser("shift", help="one shift: write its slip (交班单) as PDF")
    ssub = p.add_subparsers(dest="shift_command", metavar="ACTION")
    ssub.required = True
    q = ssub.add_parser("slip", help="write the shift slip of shift ID as PDF")
    q.add_argument("id", metavar="ID", type=int)
    q.add_argument("--pdf", metavar="FILE", required=True)
    q.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm (default: the till setting)")
    q.set_defaults(func=cmd_shift_slip)


def cmd_staff_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.domain.clock import utcnow
    from jxc_desktop.services.staff.staff_list import list_people

    people = ctx.read(lambda rows: list_people(rows, utcnow(), include_inactive=args.all),
                      lambda services: services.staff.list(include_inactive=args.all))
    if args.json:
        print(json.dumps([{"name": p.name, "number": p.number, "role": p.role, "active": p.active,
                           "has_pin": p.has_pin, "locked": p.locked_until is not None} for p in people],
                         ensure_ascii=False, indent=1))
        return 0
    for p in people:
        flags = [p.role, "pin" if p.has_pin or p.role == OWNER else "no pin"]
        if p.locked_until is not None:
            flags.append("locked")
        if not p.active:
            flags.append("inactive")
        print("\t".join([p.number, p.name, *flags]))
    return 0


def cmd_staff_add(args: argparse.Namespace, ctx: CliContext) -> int:
    pin = "" if args.owner or args.no_pin else _ask_new_pin(args)
    person = ctx.services.staff.add(args.name, args.number, pin, role=OWNER if args.owner else "cashier")
    print(f"{person.number}\t{person.name}\t{person.role}")
    return 0


def cmd_staff_reset_pin(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.services.staff.get(args.name)  # an unknown name is said before the PIN is asked
    ctx.services.staff.reset_pin(args.name, _ask_new_pin(args))
    print(f"new PIN set for {args.name}")
    return 0


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment is not None else None


def cmd_shifts_list(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.date:
        first = last = parse_day(args.date)
    else:
        last = local_today()
        first = last - timedelta(days=29)
    from jxc_desktop.services.staff.shift_figures import shifts_between

    rows = ctx.read(lambda found: shifts_between(found, first, last), lambda services: services.shifts.list(first, last))
    out = [{"id": s.id, "till": s.till, "cashier": s.cashier, "opened": _time(s.opened_at),
            "closed": _time(s.closed_at), "float": s.float_amount, "sales": s.sales_total,
            "returns": s.returns_total, "cash_in": s.cash_in, "cash_out": s.cash_out, "expected": s.expected,
            "counted": s.counted, "over_short": s.over_short, "float_left": s.float_left} for s in rows]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for r in out:
        print("\t".join("-" if r[k] is None else str(r[k]) for k in
                        ("id", "cashier", "opened", "closed", "expected", "counted", "over_short")))
    return 0


def cmd_shift_slip(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.shift_slip import shift_slip_pdf  # reportlab loads only for a PDF
    from jxc_desktop.services.sales.sale_receipt import SHOP_INFO_KEYS, shop_info_of
    from jxc_desktop.services.shop.stored_settings import settings_seen
    from jxc_desktop.services.staff.shift_figures import shift_by_id

    # The shift service's SQL text, on sqlite3 alone when the file allows (issue 15).
    shift, shop = ctx.read(lambda rows: (shift_by_id(rows, args.id), shop_info_of(settings_seen(rows, SHOP_INFO_KEYS))),
                           lambda services: (services.shifts.get(args.id), services.checkout.shop_info()))
    target = Path(args.pdf).expanduser()
    if target.is_dir():
        raise ValidationError("{path} is a folder; give a file name", path=str(target))
    data = shift_slip_pdf(shift, shop, args.width)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(target), reason=exc.strerror or str(exc)) from exc
    print(str(target))
    return 0
