"""`jxc` builds only the parser of the command it runs (issue 15: `jxc --help` < 0.2 s).

The list of commands in cli/commands.py must say what the modules register (names, order, help),
`jxc --help` prints exactly what the full parser prints, and neither `--help` nor the parsing
imports SQLAlchemy, the services, ReportLab, openpyxl or pypinyin.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jxc_desktop.cli import build_parser
from jxc_desktop.cli.commands import COMMANDS, command_in, module_of, only_values_before
from jxc_desktop.domain.errors import JxcError

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "pypinyin", "PySide6", "jxc_desktop.services",
         "jxc_desktop.db.models", "jxc_desktop.db.uow", "jxc_desktop.reports")


def test_command_list_says_what_the_modules_register() -> None:
    for module, commands in COMMANDS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"jxc_desktop.cli.{module}").register(sub)
        assert [(a.dest, a.help) for a in sub._choices_actions] == list(commands), module
        assert list(sub._name_parser_map) == [name for name, _ in commands], module  # no aliases


def test_help_text_is_the_full_parsers(capsys) -> None:  # type: ignore[no-untyped-def]
    full = build_parser().format_help()
    with pytest.raises(SystemExit) as exit_:
        build_parser(["--help"]).parse_args(["--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == full
    # a command's own help is its real parser's
    for words in (["report", "profit", "--help"], ["--db", "x.sqlite3", "suppliers", "add", "--help"]):
        assert build_parser(words)._subparsers is not None
        with pytest.raises(SystemExit):
            build_parser(words).parse_args(words)
        lazy = capsys.readouterr().out
        with pytest.raises(SystemExit):
            build_parser().parse_args(words)
        assert lazy == capsys.readouterr().out and "usage: jxc" in lazy


@pytest.mark.parametrize(("words", "command"), [
    ([], None), (["--help"], None), (["stock"], "stock"), (["--db", "stock", "report", "profit"], "report"),
    (["--db=x", "pin", "set"], "pin"), (["--pin", "f.txt", "suppliers", "list"], "suppliers"),
    (["--d", "x", "-h"], None), (["--version"], None), (["nosuch"], "nosuch"),
])
def test_command_word(words: list[str], command: str | None) -> None:
    assert command_in(words) == command


@pytest.mark.parametrize(("words", "alone"), [
    (["stock"], True), (["--db", "x", "stock", "--json"], True), (["--db=x", "--pin", "f", "pin", "set"], True),
    (["--d", "-", "report", "profit"], True), (["-h", "stock"], False), (["--db", "x", "--he", "stock"], False),
    (["--version", "stock"], False), (["--", "stock"], False), (["--db"], False), ([], False),
])
def test_only_values_before_the_command(words: list[str], alone: bool) -> None:
    assert only_values_before(words) is alone


def test_a_command_alone_builds_no_other_group(capsys) -> None:  # type: ignore[no-untyped-def]
    """Only --db/--pin-file before the command: the other groups' commands are not even listed;
    anything else before it (a help, the version) gets every group, so jxc's own help is whole."""
    chosen = build_parser(["--db", "x.sqlite3", "suppliers", "list"])._subparsers._group_actions[0]  # type: ignore[union-attr]
    assert list(chosen.choices) == [name for name, _ in COMMANDS["purchase"]]  # type: ignore[arg-type]
    full = build_parser().format_help()
    for words in (["-h", "stock"], ["--db", "x.sqlite3", "--help", "suppliers", "list"]):
        with pytest.raises(SystemExit):
            build_parser(words).parse_args(words)
        assert capsys.readouterr().out == full, words


def test_every_command_has_a_module() -> None:
    for module, commands in COMMANDS.items():
        for name, _ in commands:
            assert module_of(name) == module


def _modules_after(code: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    probe = (f"import sys, json\n{code}\n"
             "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_nothing_heavy() -> None:
    loaded = _modules_after("from jxc_desktop.cli import main\n"
                            "import contextlib, io\n"
                            "with contextlib.redirect_stdout(io.StringIO()):\n"
                            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass")
    heavy = [m for m in loaded if m.startswith(HEAVY)]
    assert heavy == []


def test_a_command_imports_only_its_group() -> None:
    """Parsing `jxc suppliers list` builds the purchase group only: no report, stock or sales module,
    no ReportLab or openpyxl (the database modules load when the command opens the file)."""
    loaded = _modules_after("from jxc_desktop.cli import build_parser\n"
                            "build_parser(['suppliers', 'list']).parse_args(['suppliers', 'list'])")
    assert "jxc_desktop.cli.purchase" in loaded
    assert not [m for m in loaded if m in ("jxc_desktop.cli.report", "jxc_desktop.cli.stock",
                                           "jxc_desktop.cli.sales", "jxc_desktop.cli.safety")]
    assert not [m for m in loaded if m.startswith(("reportlab", "openpyxl", "pypinyin", "PySide6"))]


# What a whole command must not load (issue 15: a command's fixed cost): other groups' service
# packages, the file readers, PDF/xlsx writers, Qt, alembic for a file already at head, and — for
# a report — the other reports' query modules.
# A file already at head is read with sqlite3 alone (cli/context.py ``read``): no SQLAlchemy at all.
NOT_FOR_SUPPLIERS = ("alembic", "sqlalchemy", "jxc_desktop.db.uow", "jxc_desktop.db.models",
                     "jxc_desktop.services.hub", "reportlab", "openpyxl", "pypinyin", "PySide6", "jxc_desktop.reports",
                     "jxc_desktop.files", "jxc_desktop.demo", "jxc_desktop.services.reporting",
                     "jxc_desktop.services.sales", "jxc_desktop.services.stock", "jxc_desktop.services.members",
                     "jxc_desktop.services.accounts", "jxc_desktop.services.promotions",
                     "jxc_desktop.services.catalog.product_files", "jxc_desktop.services.purchasing.delivery_import",
                     "jxc_desktop.services.purchasing.notes", "jxc_desktop.cli.safety", "jxc_desktop.cli.report",
                     # the catalogue's api gives the pinyin without its dataclasses, scan and search
                     "jxc_desktop.services.catalog.dto", "jxc_desktop.services.catalog.scan",
                     "jxc_desktop.services.catalog.search", "jxc_desktop.services.catalog.product_input",
                     "jxc_desktop.services.catalog.styles", "jxc_desktop.services.catalog.style_grid")
NOT_FOR_PROFIT = ("alembic", "sqlalchemy.dialects.postgresql", "reportlab", "openpyxl", "pypinyin", "PySide6", "jxc_desktop.reports",
                  "jxc_desktop.files", "jxc_desktop.demo", "jxc_desktop.services.members",
                  "jxc_desktop.services.purchasing", "jxc_desktop.services.sales", "jxc_desktop.services.catalog",
                  "jxc_desktop.services.reporting.abc", "jxc_desktop.services.reporting.member_sales",
                  "jxc_desktop.services.reporting.season", "jxc_desktop.services.reporting.cover",
                  "jxc_desktop.services.reporting.stock_value", "jxc_desktop.services.reporting.style_sales",
                  "jxc_desktop.services.reporting.xlsx_export", "jxc_desktop.cli.safety")


@pytest.mark.parametrize(("words", "not_wanted"), [
    (["suppliers", "list"], NOT_FOR_SUPPLIERS),
    (["suppliers", "list", "--json"], NOT_FOR_SUPPLIERS),
    (["init"], NOT_FOR_SUPPLIERS),
    (["report", "profit", "--by", "day"], NOT_FOR_PROFIT),
    (["report", "profit", "--by", "product", "--json"], NOT_FOR_PROFIT),
])
def test_a_whole_command_loads_only_what_it_uses(db_path: Path, words: list[str],
                                                 not_wanted: tuple[str, ...]) -> None:
    """The command run to its end on a real shop file (the open, the PIN guard, the query, the
    output): a guard against an import that drags a heavy module back in, not a timing test."""
    loaded = _modules_after("from jxc_desktop.cli import main\n"
                            "import contextlib, io\n"
                            "with contextlib.redirect_stdout(io.StringIO()):\n"
                            f"    assert main({['--db', str(db_path), *words]!r}) == 0")
    assert "jxc_desktop.db.uow" in loaded or "jxc_desktop.db.text_reads" in loaded  # it did open the file
    assert [m for m in loaded if any(m == x or m.startswith(x + ".") for x in not_wanted)] == []


def test_the_open_pauses_the_collector_and_close_gives_it_back(db_path: Path) -> None:
    """The open runs with the cyclic collector paused and freezes what it made; the command's own work
    runs with it on, and close() thaws the frozen objects (a test process calls main many times)."""
    import gc

    from jxc_desktop.cli.context import CliContext

    assert gc.isenabled()
    ctx = CliContext(str(db_path))
    try:
        ctx.open()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        ctx.close()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    missing = CliContext(str(db_path.parent / "missing.sqlite3"))  # a failed open: main closes it too
    with pytest.raises(JxcError):
        missing.open()
    assert gc.isenabled()
    missing.close()
    assert gc.get_freeze_count() == 0
