"""jxc init (and the other foundation commands, added by the foundation work)."""

from __future__ import annotations

import argparse

from jxc_desktop.cli.context import CliContext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="create or upgrade the database and print its path and schema revision")
    p.set_defaults(func=cmd_init, creates_shop=True)


def cmd_init(args: argparse.Namespace, ctx: CliContext) -> int:
    if ctx.plain_reads() is None:  # a file already at head needs nothing built (issue 15)
        ctx.open()
    m = ctx.migration
    assert m is not None
    state = "created" if m.created else (f"upgraded from {m.upgraded_from}" if m.upgraded_from else "up to date")
    print(f"database: {ctx.shown}")
    print(f"schema revision: {m.revision} ({state})")
    return 0
