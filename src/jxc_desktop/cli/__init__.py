"""The ``jxc`` command: the same services as the window, no Qt.

Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage (one-line reason on stderr) — also
for a database error no service turned into a message: its first line, never a traceback.
Each command group lives in its own module with ``register(subparsers)``; handlers take
``(args, ctx)`` and return the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from jxc_desktop import __version__, i18n
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import JxcError

# Command groups, in the order `jxc --help` lists them.
COMMAND_MODULES = [
    "jxc_desktop.cli.core",
    "jxc_desktop.cli.purchase",
    "jxc_desktop.cli.catalog",
    "jxc_desktop.cli.sales",
    "jxc_desktop.cli.safety",
    "jxc_desktop.cli.stock",
    "jxc_desktop.cli.report",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"jxc: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jxc", description="JXC Desktop command line (进销存)")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $JXC_DB or the user data folder)")
    parser.add_argument("--pin-file", metavar="FILE", dest="pin_file",
                        help="owner PIN for protected commands, first line of FILE ('-' = stdin)")
    parser.add_argument("--version", action="version", version=f"jxc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(i18n.system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = CliContext(args.db)
    ctx.pin_file = args.pin_file
    ctx.may_create = bool(getattr(args, "creates_shop", False))
    try:
        from jxc_desktop.cli.safety import guard_command

        ctx.check_path()
        guard_command(args, ctx)  # the owner PIN, for commands that change data or show profit
        return int(args.func(args, ctx) or 0)
    except JxcError as exc:
        print("jxc: " + " ".join(exc.message.splitlines()), file=sys.stderr)  # one line (SQLite's may hold several)
        return 2
    except (sqlite3.Error, SQLAlchemyError) as exc:
        from jxc_desktop.db.migrate import short_reason

        print(f"jxc: {i18n._('The database could not be used: {reason}').format(reason=short_reason(exc))}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jxc: interrupted", file=sys.stderr)
        return 2
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
