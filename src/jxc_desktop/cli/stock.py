"""jxc count import|post|pdf and jxc stock: stock counts and the stock list from the command line."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, BinaryIO

from jxc_desktop.cli.context import CliContext
from jxc_desktop.cli.stock_split import SplitList
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.wall_time import parse_wall_time
from jxc_desktop.services.stock.stock_lines import PlainLine, plain_texts

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.hub import Services
    from jxc_desktop.services.stock.dto import CountDTO, CountSummary, SheetLine


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    count = sub.add_parser("count", help="stock counts (盘点): import a collector file, post, print")
    csub = count.add_subparsers(dest="count_command", metavar="ACTION")
    csub.required = True

    p = csub.add_parser("import", help="open a count and add the counted quantities of a csv/xlsx file "
                                       "(columns barcode, qty[, batch]); prints the count number")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--category", metavar="NAME", action="append",
                   help="count only this category (and its sub-categories); may be repeated")
    p.add_argument("--counted-at", metavar="'YYYY-MM-DD HH:MM'",
                   help="when the shelves were counted (local time), for rows without a scan time of their "
                        "own; default: the file's time line (# YYYY-MM-DD HH:MM), else now")
    p.set_defaults(func=cmd_count_import)

    p = csub.add_parser("post", help="post a count: write the differences to the stock ledger")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--uncounted", choices=("keep", "zero"), default="keep",
                   help="lines nobody counted: keep their stock (default) or count them as zero")
    p.set_defaults(func=cmd_count_post)

    p = csub.add_parser("pdf", help="write the variance report (or with --blank the blank count sheet) as PDF")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--pdf", metavar="FILE", required=True)
    p.add_argument("--blank", action="store_true", help="the blank count sheet instead of the variance report")
    p.set_defaults(func=cmd_count_pdf)

    p = csub.add_parser("list", help="the counts, newest first: number, status, scope, lines, counted, gain, loss")
    p.add_argument("--json", action="store_true", help="a JSON list (qty in thousandths, money in fen)")
    p.set_defaults(func=cmd_count_list)

    p = sub.add_parser("stock", help="current stock: code, barcode, name, qty, average cost and value (fen)")
    p.add_argument("--low", action="store_true", help="only products below their minimum stock")
    p.add_argument("--expiring", metavar="DAYS", type=int,
                   help="only products with a batch on hand expiring within DAYS days (or already expired)")
    p.add_argument("--json", action="store_true",
                   help="a JSON list instead of tab-separated text (qty in thousandths, money in fen)")
    p.set_defaults(func=cmd_stock)


def _category_ids(ctx: CliContext, names: list[str] | None) -> list[int]:
    if not names:
        return []
    cats = {c.name: c.id for c in ctx.services.catalog.categories()}
    missing = [n for n in names if n not in cats]
    if missing:
        raise ValidationError("Unknown category {name}", name=missing[0])
    return [cats[n] for n in names]


def cmd_count_import(args: argparse.Namespace, ctx: CliContext) -> int:
    counted_at = parse_wall_time(args.counted_at) if args.counted_at is not None else None
    count, summary = ctx.services.stock_count.open_and_import(args.file, _category_ids(ctx, args.category),
                                                              counted_at=counted_at)
    print(count.number)
    print(f"{summary.rows} rows, {summary.lines} lines counted, {format_qty(summary.qty)} units in all; "
          f"{count.lines} lines in the count", file=sys.stderr)
    return 0


def cmd_count_post(args: argparse.Namespace, ctx: CliContext) -> int:
    sc = ctx.services.stock_count
    count = sc.by_number(args.number)
    result = sc.post(count.id, uncounted=args.uncounted)
    print(f"{result.number} posted: {result.moves} differences; "
          f"gain {format_qty(result.gain_qty)} ({format_fen(result.gain_value)}), "
          f"loss {format_qty(result.loss_qty)} ({format_fen(result.loss_value)})"
          + (f"; {result.zeroed} uncounted lines set to zero" if result.zeroed else ""))
    return 0


def cmd_count_pdf(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.count_sheets import blank_sheet_pdf, variance_pdf
    from jxc_desktop.services.shop.stored_settings import settings_seen
    from jxc_desktop.services.stock.count_sheet import count_by_number

    if args.blank:  # every line of the count, streamed
        from jxc_desktop.services.stock.count_sheet import each_sheet_line

        def plain_head(rows: Rows) -> tuple[CountDTO, str]:
            return count_by_number(rows, args.number), settings_seen(rows, ("shop_name",))["shop_name"]

        def full_head(services: Services) -> tuple[CountDTO, str]:
            return services.stock_count.by_number(args.number), services.settings.get("shop_name")

        def plain_lines(read: Callable[[], AbstractContextManager[Rows]]) -> Iterator[SheetLine]:
            with read() as rows:  # one read while the sheet is written, as the service's
                yield from each_sheet_line(rows, count.id)

        # The count service's SQL text, on sqlite3 alone when the file allows (issue 15).
        count, shop = ctx.read(plain_head, full_head)
        lines = ctx.stream(plain_lines, lambda services: services.stock_count.iter_sheet_lines(count.id))
        path = blank_sheet_pdf(args.pdf, count, lines, shop=shop)
    else:
        from jxc_desktop.services.stock.count_sheet import sheet_lines
        from jxc_desktop.services.stock.count_variance import count_summary

        def plain(rows: Rows) -> tuple[CountDTO, CountSummary, list[SheetLine], str]:
            count = count_by_number(rows, args.number)
            return (count, count_summary(rows, count.id, count.number, count.status),
                    sheet_lines(rows, count.id, count.status, differences_only=True),
                    settings_seen(rows, ("shop_name",))["shop_name"])

        def full(services: Services) -> tuple[CountDTO, CountSummary, list[SheetLine], str]:
            sc = services.stock_count
            count = sc.by_number(args.number)
            return (count, sc.summary(count.id), sc.sheet_lines(count.id, differences_only=True),
                    services.settings.get("shop_name"))

        # The count service's SQL text, on sqlite3 alone when the file allows (issue 15).
        count, summary, lines, shop = ctx.read(plain, full)
        path = variance_pdf(args.pdf, count, summary, lines, shop=shop)
    print(path)
    return 0


COUNTS_LISTED = 1000  # the newest counts `jxc count list` shows


def cmd_count_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.stock.count_variance import newest_counts

    rows = []
    for c in ctx.read(lambda found: newest_counts(found, COUNTS_LISTED),
                      lambda services: services.stock_count.newest(COUNTS_LISTED)):
        t = c.summary
        rows.append({"number": t.number, "status": t.status, "scope": c.scope_names or "*", "lines": t.lines,
                     "counted": t.counted, "gain_qty": t.gain_qty, "gain_value": t.gain_value,
                     "loss_qty": t.loss_qty, "loss_value": t.loss_value})
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print("number\tstatus\tscope\tlines\tcounted\tgain_value_fen\tloss_value_fen")
    for r in rows:
        print(f"{r['number']}\t{r['status']}\t{r['scope']}\t{r['lines']}\t{r['counted']}\t{r['gain_value']}\t"
              f"{r['loss_value']}")
    return 0


# One product of ``jxc stock --json``, exactly as json.dumps(row, ensure_ascii=False, indent=1)
# indents it inside the list: written by a template (one C call per text field), not by the
# encoder's pure-Python indent path (issue 15: the command within 1.5× of the bare query).
# The rule of the output: on sqlite3 alone SQLite writes the same text (stock_lines.plain_texts).
_JSON_ROW = (' {\n  "code": %s,\n  "barcode": %s,\n  "name": %s,\n  "qty": %s,\n  "qty_units": "%s",\n'
             '  "avg_cost": %s,\n  "value": %s\n }')


class _QtyText(dict[int, str]):
    """format_qty by lookup: a shop's 100 000 products hold a few hundred distinct quantities."""

    def __missing__(self, qty: int) -> str:
        text = self[qty] = format_qty(qty)
        return text


def _json_chunk(lines: Sequence[PlainLine], units: _QtyText) -> str:
    enc = encode_basestring  # json's own string escaping (ensure_ascii=False)
    return ",\n".join([_JSON_ROW % (enc(code), enc(barcode), enc(name), qty, units[qty], avg_cost, value)
                        for _, code, barcode, name, qty, avg_cost, value in lines])


def _text_chunk(lines: Sequence[PlainLine], units: _QtyText) -> str:
    return "".join([f"{code}\t{barcode}\t{name}\t{units[qty]}\t{avg_cost}\t{value}\n"
                    for _, code, barcode, name, qty, avg_cost, value in lines])


def _full_lines(services: Services, low: bool, expiring: int | None = None,
                today: date | None = None) -> Iterable[list[PlainLine]]:
    from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery

    if expiring is None:
        return services.stock_view.iter_plain_lines(StockQuery(StockFilter.BELOW_MIN if low else StockFilter.ALL))
    return services.stock_view.iter_plain_lines(
        StockQuery(StockFilter.EXPIRING, days=expiring, include_expired=True, below_min=low), today=today)


def _utf8_bytes_out() -> BinaryIO | None:
    """The process's standard output as bytes when UTF-8 bytes written there are what writing the
    text would give: the interpreter's own stdout (not a caller's replacement), encoding UTF-8 and
    no newline translation (Python translates "\\n" on the standard streams only on Windows)."""
    out = sys.stdout
    if out is None or out is not sys.__stdout__ or os.linesep != "\n" or not hasattr(out, "buffer"):
        return None
    try:
        if codecs.lookup(out.encoding).name != "utf-8":
            return None
    except (LookupError, TypeError):
        return None
    out.flush()
    return out.buffer  # type: ignore[no-any-return]


def _write_all(texts: Iterable[str | bytes], as_json: bool) -> None:
    """The chunks of products (SQLite's UTF-8 bytes or the full path's str) with what goes around
    them: the header line, or the list's brackets and the ",\\n" between chunks."""
    binary = _utf8_bytes_out()
    if binary is not None:
        def put(text: str | bytes) -> None:
            binary.write(text.encode() if isinstance(text, str) else text)
    else:
        def put(text: str | bytes) -> None:
            sys.stdout.write(text.decode() if isinstance(text, bytes) else text)
    if not as_json:
        put("code\tbarcode\tname\tqty\tavg_cost_fen\tvalue_fen\n")
        for text in texts:
            put(text)
        return
    first = True  # streamed chunk by chunk: the same bytes as json_text.write(list of rows)
    for text in texts:
        if text:
            put("[\n" if first else ",\n")
            put(text)
            first = False
    put("[]\n" if first else "\n]\n")


def cmd_stock(args: argparse.Namespace, ctx: CliContext) -> int:
    """The stock list: every product, those below their minimum (``--low``), those with a batch on
    hand expiring within DAYS days or already expired (``--expiring``, with ``--low`` or not). On
    sqlite3 alone SQLite writes the text (stock_lines.plain_texts); the second half of every
    product of a big file in a forked helper process (cli/stock_split.py), same bytes. The full
    path (a server, a file that needs more than reading) formats the stock view's rows here, read
    by the same SQL text."""
    if args.expiring is not None and not 0 <= args.expiring <= 36500:
        raise ValidationError("--expiring must be from 0 to 36500 days")
    units = _QtyText()
    chunk = _json_chunk if args.json else _text_chunk
    if args.expiring is None:
        split = SplitList(as_json=args.json, below_min=args.low)
        try:
            _write_all(ctx.stream(split.texts,
                                  lambda services: (chunk(page, units) for page in _full_lines(services, args.low))),
                       args.json)
        finally:
            split.close()  # the helper stopped and reaped, whenever and however the list ends
        return 0
    today = local_today()  # the shop's day; the window ends DAYS days after it
    last_day = today + timedelta(days=args.expiring)

    def plain(read: Callable[[], AbstractContextManager[Rows]]) -> Iterator[bytes]:
        # one process: only products with a batch are listed, a fraction of a shop's (as --low)
        return plain_texts(read, as_json=args.json, below_min=args.low, expiring_by=last_day)

    _write_all(ctx.stream(plain, lambda services: (chunk(page, units) for page in
                                                   _full_lines(services, args.low, args.expiring, today))),
               args.json)
    return 0
