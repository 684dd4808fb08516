"""jxc move-to-server: copy the shop file (``--db FILE``) into an empty PostgreSQL database, check both
and compare their figures to the fen (services/safety/move_to_server.py). Exit 0 only when both
books checks are clean and every figure and table count agrees; 1 when they do not; 2 when nothing
was moved (a server that cannot be reached, a database already holding a shop)."""

from __future__ import annotations

import argparse
import json
import sys

from jxc_desktop.cli.context import CliContext
from jxc_desktop.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("move-to-server", help="copy this shop file into an empty PostgreSQL database and compare")
    p.add_argument("url", metavar="URL", help="the empty server database, e.g. postgresql://jxc@server/shop")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=cmd_move_to_server)


_LABELS = {
    "stock_value": "stock value",
    "net_sales_12m": "net sales, last 12 months",
    "gross_profit_12m": "gross profit, last 12 months",
    "payable": "owed to suppliers",
    "receivable": "owed by customers",
    "member_stored_value": "members' stored value",
    "member_points": "members' points",
}


def cmd_move_to_server(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.domain.money import format_fen
    from jxc_desktop.services.safety.move_to_server import POINT_FIGURES, move_to_server

    shown = {"copy": -1}

    def progress(stage: str, done: int, total: int) -> None:
        if args.quiet:
            return
        if stage == "copy":
            tenth = done * 10 // total if total else 10
            if tenth != shown["copy"]:  # a line per tenth of the rows
                shown["copy"] = tenth
                print(_("copying: {done} of {total} rows").format(done=done, total=total), file=sys.stderr)
        elif done == 0:
            print(_("schema on the server") if stage == "schema" else _("checking both databases"), file=sys.stderr)

    result = move_to_server(ctx.services.db, args.url, progress=progress)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return 0 if result.ok else 1
    print(_("moved {rows} rows to {url} in {seconds:.1f} s").format(rows=result.rows, url=result.server,
                                                                     seconds=result.seconds))
    print("\t".join((_("figure"), _("file"), _("server"), "")))
    theirs = result.target.as_dict()
    for key, ours in result.source.as_dict().items():
        mark = _("agrees") if ours == theirs[key] else _("DIFFERS")
        fmt = str if key in POINT_FIGURES else format_fen  # points are a count, not fen
        print("\t".join((_(_LABELS[key]), fmt(ours), fmt(theirs[key]), mark)))
    for table, a, b in result.tables:
        if a != b:
            print(_("table {table}: {file} rows in the file, {server} on the server").format(
                table=table, file=a, server=b))
    for name, report in ((_("file"), result.source_check), (_("server"), result.target_check)):
        for p in report.problems:
            print(f"{name}: {p.kind} [{p.where}]: {p.detail}")
        print(_("check of the {side}: {verdict}").format(
            side=name, verdict=_("OK") if report.ok else _("{count} problems").format(count=len(report.problems))))
    if result.ok:
        print(_("The shop is on the server: point each till at it with --db or JXC_DB."))
    elif result.figures_agree and result.tables_agree:
        print(_("The figures agree but a check found problems: keep using the file until they are solved."))
    else:
        print(_("The figures do not agree: keep using the file and report the problem."))
    return 0 if result.ok else 1
