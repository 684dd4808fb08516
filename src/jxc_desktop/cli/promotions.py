"""jxc promotions list|import: promotions (促销) from the command line (yuan on input, fen in JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from jxc_desktop.cli.context import CliContext
from jxc_desktop.i18n import _
from jxc_desktop.services.promotions.describe import summary, when
from jxc_desktop.services.promotions.dto import PromotionDTO, PromotionImportRejected, now_local


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pro = sub.add_parser("promotions", help="promotions (促销): list, import")
    psub = pro.add_subparsers(dest="promotions_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("list", help="every promotion with its dates and status, newest start first")
    p.add_argument("--json", action="store_true", help="a JSON list (money in fen) instead of tab-separated text")
    p.set_defaults(func=cmd_list)
    p = psub.add_parser("import", help="promotions from csv/xlsx, all or nothing (one bad row: nothing written)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_import)


def _when(moment: Any) -> str | None:
    return moment.isoformat(sep=" ", timespec="minutes") if moment is not None else None


def as_json(p: PromotionDTO, status: str) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "kind": p.kind.value, "status": status, "starts": _when(p.starts),
            "ends": _when(p.ends), "products": [{"product": i.label, "price_fen": i.price} for i in p.products],
            "categories": [c.label for c in p.categories], "n": p.n, "m": p.m, "pay_pct": p.pay_pct,
            "threshold_fen": p.threshold, "reduction_fen": p.reduction, "repeat": p.repeat,
            "member_only": p.member_only, "stackable": p.stackable, "weekdays": p.weekdays,
            "daily_from": p.daily_from, "daily_to": p.daily_to}


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.promotions.promotion_list import list_promotions  # SQL text: sqlite3 alone

    now = now_local()
    rows = ctx.read(list_promotions, lambda services: services.promotions.list())
    if args.json:
        print(json.dumps([as_json(p, p.status(now)) for p in rows], ensure_ascii=False, indent=1))
        return 0
    for p in rows:
        flags = [f for f, on in (("member", p.member_only), ("stackable", p.stackable)) if on]
        deal = " · ".join(part for part in (summary(p), when(p)) if part)
        print("\t".join([str(p.id), p.name, p.kind.value, p.status(now), _when(p.starts) or "",
                         _when(p.ends) or "-", deal, ",".join(flags) or "-"]))
    return 0


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        added = ctx.services.promotions.import_file(args.file)
    except PromotionImportRejected as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        for err in exc.errors:
            print(_("Row {row}: {reason}").format(row=err.row, reason=err.reason), file=sys.stderr)
        return 2
    print(_("Imported {count} promotions").format(count=len(added)))
    return 0
