"""The ``jxc`` command: the same services as the window, no Qt.

Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage (one-line reason on stderr) — also
for a database error no service turned into a message: its first line, never a traceback.
Each command group lives in its own module with ``register(subparsers)``; handlers take
``(args, ctx)`` and return the exit code. Only the module of the command being run is imported
(cli/commands.py lists the others' commands for ``jxc --help``), and nothing here imports the
services or SQLAlchemy, so the fixed cost of a command does not include what it does not use.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from jxc_desktop import __version__, i18n
from jxc_desktop.cli.commands import COMMANDS, command_in, module_of, only_values_before
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import JxcError

# Command groups, in the order `jxc --help` lists them.
PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a program whose reader went away
COMMAND_MODULES = [f"jxc_desktop.cli.{name}" for name in COMMANDS]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"jxc: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(argv: Sequence[str] | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The ``jxc`` parser: the real sub-parsers of the command group ``argv`` runs, the others'
    commands as their help line only (cli/commands.py) — or not at all when only ``--db`` or
    ``--pin-file`` precede the command (:func:`only_values_before`); every group's without
    ``argv`` or with ``every``."""
    every = every or argv is None
    wanted = module_of(command_in(list(argv)) or "") if argv is not None else None
    alone = wanted is not None and argv is not None and only_values_before(list(argv))
    parser = _Parser(prog="jxc", description="JXC Desktop command line (进销存)")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $JXC_DB or the user data folder)")
    parser.add_argument("--pin-file", metavar="FILE", dest="pin_file",
                        help="owner PIN for protected commands, first line of FILE ('-' = stdin)")
    parser.add_argument("--version", action="version", version=f"jxc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module, commands in COMMANDS.items():
        if every or module == wanted:
            importlib.import_module(f"jxc_desktop.cli.{module}").register(sub)
        elif not alone:
            for name, help_text in commands:  # listed, not built: `jxc NAME` builds its group's parser
                sub.add_parser(name, help=help_text)
    return parser


def _database_error(exc: BaseException) -> bool:
    """sqlite3's or SQLAlchemy's error (each looked up only if the command loaded it: `jxc --help`
    loads neither)."""
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        return True
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError)


def _undecodable(words: Sequence[str]) -> str | None:
    """The first argument holding bytes that were not UTF-8 (as Python's surrogate escapes), shown
    with those bytes as \\x escapes; None when every argument is text."""
    for word in words:
        if any("\udc80" <= ch <= "\udcff" for ch in word):
            raw = word.encode("utf-8", "surrogateescape")
            return raw.decode("utf-8", "backslashreplace")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(i18n.system_language())
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    ctx = CliContext(args.db)
    ctx.pin_file = args.pin_file
    ctx.may_create = bool(getattr(args, "creates_shop", False))
    try:
        from jxc_desktop.cli.owner import guard_command

        ctx.check_path()
        guard_command(args, ctx)  # the owner PIN, for commands that change data or show profit
        return int(args.func(args, ctx) or 0)
    except BrokenPipeError:
        # The reader went away (`jxc stock | head`): nothing more to say and no traceback; stdout
        # points at the null device so the interpreter's last flush has nowhere to fail.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # stdout is not a file (a caller's replacement)
            pass
        return PIPE_CLOSED
    except JxcError as exc:
        print("jxc: " + " ".join(exc.message.splitlines()), file=sys.stderr)  # one line (SQLite's may hold several)
        return 2
    except UnicodeEncodeError as exc:
        # Bytes that are not UTF-8 on the command line reach Python as lone surrogates, which no
        # database or file format takes: a one-line refusal (nothing was written: the write, if
        # any, rolled back with the error), not a traceback.
        bad = _undecodable(words)
        if bad is None or "surrogate" not in str(exc):
            raise
        print("jxc: " + i18n._("An argument is not valid text (bytes that are not UTF-8): {arg}").format(arg=bad),
              file=sys.stderr)
        return 2
    except Exception as exc:
        if not _database_error(exc):
            raise
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
