"""jxc customers, jxc accounts payable|receivable, jxc pay, jxc collect, jxc statement: money owed
(往来) from the command line. Amounts are typed in yuan and written in fen in JSON."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.i18n import _
from jxc_desktop.services.accounts.dto import CUSTOMER, METHODS, SUPPLIER, CustomerInput, PrepaymentQuestion

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.accounts.dto import StatementDTO
    from jxc_desktop.services.hub import Services


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cus = sub.add_parser("customers", help="customers (客户): list, add")
    csub = cus.add_subparsers(dest="customers_command", metavar="ACTION")
    csub.required = True
    p = csub.add_parser("list", help="name, phone, price level and balance of every customer")
    p.add_argument("--json", action="store_true", help="a JSON list instead of tab-separated text")
    p.set_defaults(func=cmd_customers_list)
    p = csub.add_parser("add", help="add a customer")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--phone", default="")
    p.add_argument("--address", default="")
    p.add_argument("--level", choices=("retail", "wholesale"), default="retail")
    p.add_argument("--credit-limit", dest="credit_limit", metavar="YUAN", help="no limit when left out")
    p.add_argument("--terms", type=int, default=0, metavar="DAYS",
                   help="payment terms: a sale on account falls due DAYS after the sale (default 0: that day)")
    p.set_defaults(func=cmd_customers_add)

    acc = sub.add_parser("accounts", help="balances owed (往来): payable to suppliers, receivable from customers")
    asub = acc.add_subparsers(dest="accounts_command", metavar="SIDE")
    asub.required = True
    for side, help_text in (("payable", "what the shop owes each supplier (应付)"),
                            ("receivable", "what each customer owes the shop (应收)")):
        p = asub.add_parser(side, help=help_text)
        p.add_argument("--at", metavar="YYYY-MM-DD", help="the day (default: today)")
        p.add_argument("--json", action="store_true")
        p.add_argument("--aging", action="store_true", help="aging buckets (账龄) instead of balances")
        p.set_defaults(func=cmd_accounts, party=SUPPLIER if side == "payable" else CUSTOMER)
    p = asub.add_parser("cashbook", help="money in and out per method: till sales and refunds, collections, "
                                         "supplier payments (资金流水)")
    p.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (default: today)")
    p.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cash_book)

    for name, party, help_text in (("pay", SUPPLIER, "a payment to a supplier (付款单), allocated oldest first"),
                                   ("collect", CUSTOMER, "a collection from a customer (收款单), allocated oldest first")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("party", metavar="SUPPLIER" if party == SUPPLIER else "CUSTOMER")
        p.add_argument("amount", metavar="AMOUNT", help="yuan, e.g. 1234.56")
        p.add_argument("--method", choices=METHODS, default="cash")
        p.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
        p.add_argument("--note", default="")
        p.add_argument("--yes", action="store_true", help="keep what is more than owed as a prepayment")
        p.set_defaults(func=cmd_money, party_kind=party)

    p = sub.add_parser("statement", help="a supplier's or customer's statement (对账单) for a period")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--supplier", metavar="NAME")
    who.add_argument("--customer", metavar="NAME")
    p.add_argument("--from", dest="first", metavar="YYYY-MM-DD", required=True)
    p.add_argument("--to", dest="last", metavar="YYYY-MM-DD", required=True)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--pdf", metavar="FILE")
    out.add_argument("--xlsx", metavar="FILE")
    p.set_defaults(func=cmd_statement)


def _day(text: str | None) -> date:
    return parse_day(text) if text else local_today()


def party_id(ctx: CliContext, party: str, name: str) -> int:
    if party == SUPPLIER:
        sup = ctx.services.suppliers.find_by_name(name)
        if sup is None:
            raise NotFoundError("Unknown supplier {name}: add it first (jxc suppliers add)", name=name[:100])
        return sup.id
    cus = ctx.services.customers.find_by_name(name)
    if cus is None:
        raise NotFoundError("Unknown customer {name}: add it first (jxc customers add)", name=name[:100])
    return cus.id


def cmd_customers_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.accounts.customer_list import list_customers

    rows = ctx.read(list_customers, lambda services: services.customers.list())
    if args.json:
        json_text.write([{"name": c.name, "phone": c.phone, "level": c.level, "credit_limit": c.credit_limit,
                          "balance": c.balance, "active": c.active} for c in rows], sys.stdout)
        return 0
    for c in rows:
        print(f"{c.name}\t{c.phone or '-'}\t{c.level}\t{format_fen(c.balance, symbol=False)}"
              + ("" if c.active else "\tinactive"))
    return 0


def cmd_customers_add(args: argparse.Namespace, ctx: CliContext) -> int:
    limit = parse_yuan(args.credit_limit, field="credit limit") if args.credit_limit is not None else None
    ctx.services.customers.add(CustomerInput(args.name, phone=args.phone, address=args.address, level=args.level,
                                             credit_limit=limit, terms_days=args.terms))
    print(args.name.strip())
    return 0


def cmd_accounts(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.accounts import balances

    at = _day(args.at)
    if args.aging:
        ag = ctx.read(lambda rows: balances.aging(rows, args.party, at),
                      lambda services: services.accounts.aging(args.party, at))
        payload: dict[str, Any] = {"at": at, "rows": [
            {"name": r.name, "not_due": r.buckets[0], "1-30": r.buckets[1], "31-60": r.buckets[2],
             "61-90": r.buckets[3], ">90": r.buckets[4], "unapplied": r.unapplied, "balance": r.balance}
            for r in ag.rows], "total": ag.total}
        if args.json:
            json_text.write(payload, sys.stdout)
            return 0
        print("name\tnot due\t1-30\t31-60\t61-90\t>90\tunapplied\tbalance")
        for r in ag.rows:
            print("\t".join([r.name, *(format_fen(v, symbol=False) for v in (*r.buckets, r.unapplied, r.balance))]))
        print(f"total\t{format_fen(ag.total, symbol=False)}")
        return 0
    bal = ctx.read(lambda rows: balances.balances(rows, args.party, at),
                   lambda services: services.accounts.balances(args.party, at))
    if args.json:
        json_text.write({"at": at, "rows": [{"name": r.name, "balance": r.balance, "overdue": r.overdue,
                                             "oldest_due": r.oldest_due} for r in bal.rows],
                         "total": bal.total}, sys.stdout)
        return 0
    print("name\tbalance\toverdue\toldest due")
    for r in bal.rows:
        print(f"{r.name}\t{format_fen(r.balance, symbol=False)}\t{format_fen(r.overdue, symbol=False)}\t"
              f"{r.oldest_due.isoformat() if r.oldest_due else '-'}")
    print(f"total\t{format_fen(bal.total, symbol=False)}")
    return 0


def cmd_cash_book(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.accounts.cash_book import cash_book

    first, last = _day(args.first), _day(args.last)
    book = ctx.read(lambda rows: cash_book(rows, first, last),
                    lambda services: services.accounts.cash_book(first, last))
    rows = [{"method": r.method, "sales": r.sales, "refunds": r.refunds, "collections": r.collections,
             "payments": r.payments, "net": r.net, "topups": r.topups} for r in book.rows]
    if args.json:
        json_text.write({"from": book.start, "to": book.end, "rows": rows, "net": book.net,
                         "stored_value": book.stored_value}, sys.stdout)
        return 0
    print("method\tsales\trefunds\tcollections\tpayments\tnet\ttopups")
    for r in book.rows:
        print("\t".join([r.method, *(format_fen(v, symbol=False)
                                     for v in (r.sales, r.refunds, r.collections, r.payments, r.net, r.topups))]))
    print(f"total\t\t\t\t\t{format_fen(book.net, symbol=False)}")
    # members' stored value: money taken for goods not yet sold, owed to the members (issue 17)
    print(f"stored value owed\t\t\t\t\t{format_fen(book.stored_value, symbol=False)}")
    return 0


def cmd_money(args: argparse.Namespace, ctx: CliContext) -> int:
    party = args.party_kind
    pid = party_id(ctx, party, args.party)
    amount = parse_yuan(args.amount, field="amount")
    if amount <= 0:
        raise ValidationError("The amount must be more than zero")
    day = _day(args.date)
    svc = ctx.services.accounts
    post = svc.pay if party == SUPPLIER else svc.collect
    try:
        result = post(pid, amount, method=args.method, day=day, note=args.note, prepay_ok=args.yes)
    except PrepaymentQuestion as exc:
        if not sys.stdin.isatty():
            print(f"jxc: {exc.message}", file=sys.stderr)
            print(_("Nothing was written. Add --yes to keep it as a prepayment."), file=sys.stderr)
            return 2
        answer = input(exc.message + " [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print(_("Nothing was written."), file=sys.stderr)
            return 1
        result = post(pid, amount, method=args.method, day=day, note=args.note, prepay_ok=True)
    print(result.number)
    if result.prepayment:
        print(_("allocated {allocated}, kept as prepayment {prepayment}").format(
            allocated=format_fen(result.allocated), prepayment=format_fen(result.prepayment)), file=sys.stderr)
    return 0


def _named(rows: Rows, party: str, name: str) -> int:
    """``party_id`` on sqlite3 alone: the same lookups and refusals as the services'."""
    from jxc_desktop.services.accounts.customer_list import customer_named
    from jxc_desktop.services.purchasing.supplier_list import suppliers_named

    if party == SUPPLIER:
        ids = suppliers_named(rows, name)
        if not ids:
            raise NotFoundError("Unknown supplier {name}: add it first (jxc suppliers add)", name=name[:100])
        return ids[0]
    cid = customer_named(rows, name)
    if cid is None:
        raise NotFoundError("Unknown customer {name}: add it first (jxc customers add)", name=name[:100])
    return cid


def cmd_statement(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.accounts.statement import statement
    from jxc_desktop.services.shop.stored_settings import stored_setting

    party = SUPPLIER if args.supplier else CUSTOMER
    name = args.supplier or args.customer

    def plain(rows: Rows) -> StatementDTO:
        pid = _named(rows, party, name)
        shop = stored_setting(rows, "shop_name") or ""  # (the setting's default: "")
        return statement(rows, party, pid, parse_day(args.first), parse_day(args.last), shop)

    def full(services: Services) -> StatementDTO:
        pid = party_id(ctx, party, name)
        return services.accounts.statement(party, pid, parse_day(args.first), parse_day(args.last))

    st = ctx.read(plain, full)
    if args.pdf:
        # Imported here: only this output loads ReportLab.
        from jxc_desktop.reports.statement import statement_pdf

        with open(args.pdf, "wb") as fh:
            fh.write(statement_pdf(st))
        print(args.pdf)
        return 0
    if args.xlsx:
        from jxc_desktop.services.accounts.statement_file import write_statement

        write_statement(st, args.xlsx)
        print(args.xlsx)
        return 0
    if args.json:
        json_text.write({"party": party, "name": st.name, "from": st.start, "to": st.end, "opening": st.opening,
                         "rows": [{"date": r.date, "number": r.number, "kind": r.kind, "debit": r.debit,
                                   "credit": r.credit, "balance": r.balance} for r in st.rows],
                         "closing": st.closing}, sys.stdout)
        return 0
    print(f"{st.name}\t{st.start.isoformat()}..{st.end.isoformat()}")
    print(f"opening\t{format_fen(st.opening, symbol=False)}")
    print("date\tnumber\tkind\tdebit\tcredit\tbalance")
    for r in st.rows:
        print(f"{r.date.isoformat()}\t{r.number}\t{r.kind}\t{format_fen(r.debit, symbol=False)}\t"
              f"{format_fen(r.credit, symbol=False)}\t{format_fen(r.balance, symbol=False)}")
    print(f"closing\t{format_fen(st.closing, symbol=False)}")
    return 0
