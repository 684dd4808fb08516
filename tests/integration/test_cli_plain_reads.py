"""``jxc init`` and ``jxc suppliers list`` on a file already at head read it with sqlite3 alone
(issue 15: a command's fixed cost under 0.3 s means never building SQLAlchemy): the same output as
the full path, the same refusals, a file marked damaged still listed, and every file that needs
more than reading (an interrupted write, a server) taken through the full path as before."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.db import damage_mark
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.text_reads import PlainReads
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.services.accounts.customer_list import list_customers
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.members.member_list import list_members
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.purchasing.supplier_list import list_suppliers
from tests.integration.hot_journal import cut_off_copy

SRC = Path(__file__).resolve().parents[2] / "src"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIGHT = [["suppliers", "list"], ["suppliers", "list", "--json"], ["init"], ["stock"], ["stock", "--json"],
         ["stock", "--low"], ["stock", "--low", "--json"], ["customers", "list"], ["customers", "list", "--json"],
         ["members", "list"], ["members", "list", "--json"]]
# What no plain read needs and each once cost every command milliseconds of imports (issue 15):
# resources found through importlib.resources, temporary names through secrets (hmac, hashlib),
# the lock's struct through ctypes, tempfile for a rare copy, the backup copies' module for the
# folder setting, the purchasing package's 15 dataclasses for the supplier list.
UNNEEDED = {"importlib.resources", "secrets", "hmac", "ctypes", "tempfile",
            "jxc_desktop.services.safety.backup_files", "jxc_desktop.services.purchasing.dto"}
CUSTOMERS = ["Acme 商行", "老街饭店", "张三", "王五_%"]


def fill(services: Services) -> None:
    """Suppliers whose pinyin order is not their stored order (长 reads chang in 长沙), one inactive,
    one with a posted purchase and one with a draft (which does not count as its last purchase)."""
    from jxc_desktop.domain.product_rules import ProductInput

    ids = {}
    for name, phone in (("武汉金源副食品", "027-1"), ("长沙金达冷链", ""), ("北京兴源粮油", "010-3"),
                        ("Acme 食品", "")):
        ids[name] = services.suppliers.add(SupplierInput(name, phone=phone, terms_days=30)).id
    services.suppliers.set_active(ids["北京兴源粮油"], False)
    product = services.catalog.create_product(ProductInput(name="可乐", sale_price=300, min_stock=5000,
                                                           barcodes=(("16901234567899", 12), ("6901234567892", 1))))
    services.catalog.create_product(ProductInput(name="矿泉水 \"冰\"", sale_price=200), opening_qty=1500,
                                    opening_cost=90)
    services.purchasing.post(NoteInput(ids["长沙金达冷链"], (LineInput(product.id, 2000, 180),)), at=AT)
    services.purchasing.save_draft(NoteInput(ids["Acme 食品"], (LineInput(product.id, 1000, 180),)))
    customers = [services.customers.add(CustomerInput(name, phone=f"1380000{i:04d}", credit_limit=50_000 if i else None))
                 for i, name in enumerate(CUSTOMERS)]
    services.accounts.collect(customers[1], 1234, prepay_ok=True, at=AT)  # a prepayment: a balance of -12.34
    services.customers.set_active(customers[2], False)
    services.members.add(MemberInput(phone="13903710102", card="vip-8", name="陈建国", birthday=date(1980, 2, 29)),
                         at=AT)
    services.members.add(MemberInput(card="C-1", name="李_四", joined_on=date(2026, 1, 5)), at=AT)


_FILLED: dict[object, bytes] = {}


def filled_once(db_path: Path, build: Callable[[Path], object], key: object = None) -> Path:
    """The migrated file at ``db_path`` as ``build(db_path)`` fills it — built once per worker for each
    ``key`` (default: ``build``), then its bytes copied: a fill takes 0.5–1.5 s, a copy a millisecond,
    and these fixtures serve over a hundred commands. Each test still gets a file of its own."""
    key = build if key is None else key
    made = _FILLED.get(key)
    if made is not None:
        db_path.write_bytes(made)
        return db_path
    build(db_path)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself, no -wal beside it
    con.close()
    _FILLED[key] = db_path.read_bytes()
    return db_path


def filled_file(db_path: Path, fill: Callable[[Services], object]) -> Path:
    """The file at ``db_path`` filled through the services, its engine disposed (a child reads it);
    filled once per worker (filled_once)."""
    def build(path: Path) -> None:
        services = Services(Database.for_file(path))
        fill(services)
        services.db.dispose()

    return filled_once(db_path, build, key=fill)


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


def jxc_process(*args: str) -> dict[str, object]:
    """``jxc ARGS`` in a new process: exit code, output and whether SQLAlchemy was loaded."""
    code = ("import contextlib, io, json, sys\n"
            "from jxc_desktop.cli import main\n"
            "out, err = io.StringIO(), io.StringIO()\n"
            "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
            f"    rc = main({list(args)!r})\n"
            "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'err': err.getvalue(),\n"
            "                  'sqlalchemy': 'sqlalchemy' in sys.modules,\n"
            "                  'pypinyin': 'pypinyin' in sys.modules,\n"
            "                  'plain': 'jxc_desktop.db.text_reads' in sys.modules,\n"
            f"                  'unneeded': sorted(set({sorted(UNNEEDED)!r}) & set(sys.modules))}}))")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def full_path_output(path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The same command forced onto the full path (SQLAlchemy, the services), in this process."""
    from jxc_desktop.cli.context import CliContext

    real = CliContext.plain_reads
    CliContext.plain_reads = lambda self: None  # type: ignore[method-assign]
    try:
        rc = main(["--db", str(path), *args])
    finally:
        CliContext.plain_reads = real  # type: ignore[method-assign]
    out = capsys.readouterr()
    return rc, out.out, out.err


def same_as_full_path(path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """A child ``jxc --db PATH ARGS`` loads no SQLAlchemy, reads on sqlite3 alone and gives what the
    full path gives (exit code, output, errors); returns the full path's."""
    plain = jxc_process("--db", str(path), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    full = full_path_output(path, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    return full


@pytest.mark.parametrize("args", LIGHT, ids=" ".join)
def test_a_file_at_head_is_read_without_sqlalchemy_and_shows_the_same(shop: Path, args: list[str],
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    # the lists sort and filter by the stored pinyin (supplier.pinyin: migration 0024)
    assert plain["pypinyin"] is False, plain
    assert plain["unneeded"] == [], plain
    assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(shop, args, capsys)
    assert not shop.with_name(shop.name + "-wal").exists()  # nothing left beside it, as the full path


def test_help_loads_no_database_module() -> None:
    """``jxc --help`` parses and prints only: no database modules (sqlite3, db/server.py and its
    dataclasses), none of the plain reads' unneeded modules."""
    code = ("import contextlib, io, json, sys\n"
            "from jxc_desktop.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
            "    main(['--help'])\n"
            f"print(json.dumps({{'out': out.getvalue(), 'loaded': sorted(set({sorted(UNNEEDED)!r} + "
            "['dataclasses', 'sqlite3', 'jxc_desktop.db.server']) & set(sys.modules))}))")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(SRC)),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert "usage: jxc" in shown["out"] and "suppliers" in shown["out"], shown
    assert shown["loaded"] == [], shown


def test_a_file_at_head_loads_no_translations_for_nothing(shop: Path) -> None:
    """On a Chinese system, opening a ready file words no refusal, so `jxc stock --json` (nothing
    in it is translated) does not read the language's catalog (~3 ms, issue 15)."""
    code = ("import contextlib, io, sys\n"
            "from jxc_desktop import i18n\n"
            "from jxc_desktop.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main(['--db', {str(shop)!r}, 'stock', '--json'])\n"
            "print(rc, i18n.language(), i18n.catalog.cache_info().currsize)")
    env = dict(os.environ, PYTHONPATH=str(SRC), LANG="zh_CN.UTF-8", LC_ALL="", LC_MESSAGES="", LANGUAGE="")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "zh_CN", "0"], done.stdout


def test_the_list_is_the_services_list(shop: Path) -> None:
    """One SQL text, two drivers: the same frozen dataclasses in the same order, filters too."""
    db = Database.for_file(shop)
    reads = PlainReads(shop)
    try:
        for kwargs in ({}, {"active_only": True}, {"text": "js"}, {"text": "027"}):
            with reads.read() as rows:
                plain = list_suppliers(rows, **kwargs)  # type: ignore[arg-type]
            assert plain == Services(db).suppliers.list(**kwargs), kwargs  # type: ignore[arg-type]
        names = [s.name for s in plain]
    finally:
        reads.close()
        db.dispose()
    full = Services(Database.for_file(shop))
    try:
        listed = full.suppliers.list()
    finally:
        full.db.dispose()
    assert [s.name for s in listed] == ["Acme 食品", "长沙金达冷链", "武汉金源副食品", "北京兴源粮油"]
    assert listed[1].last_purchase_date == AT.astimezone().date() and listed[0].last_purchase_date is None
    assert names == ["武汉金源副食品"]


def test_the_customer_list_is_the_services_list(shop: Path) -> None:
    """Filters as the window's search uses them (a LIKE wildcard typed is a plain character), the
    balance of every customer listed or of all of them past BALANCES_ALL_FROM."""
    from jxc_desktop.services.accounts import customer_list

    db = Database.for_file(shop)
    reads = PlainReads(shop)
    try:
        for kwargs in ({}, {"active_only": True}, {"text": "laojie"}, {"text": "_%"}, {"text": "1380000"},
                       {"limit": 2}):
            with reads.read() as rows:
                plain = list_customers(rows, **kwargs)  # type: ignore[arg-type]
            assert plain == Services(db).customers.list(**kwargs), kwargs  # type: ignore[arg-type]
            if "text" in kwargs and kwargs["text"] != "1380000":
                assert [c.name for c in plain] == ["老街饭店" if kwargs["text"] == "laojie" else "王五_%"]
        listed = Services(db).customers.list()
        with reads.read() as rows:
            assert customer_list.balances(rows) == customer_list.balances(rows, [c.id for c in listed])
            assert customer_list.balances(rows, []) == {}
    finally:
        reads.close()
        db.dispose()
    assert [c.name for c in listed] == ["Acme 商行", "陈建国", "老街饭店", "李_四", "王五_%", "张三"]  # members too
    assert [c.balance for c in listed] == [0, 0, -1234, 0, 0, 0] and listed[0].credit_limit is None
    assert [c.active for c in listed] == [True, True, True, True, True, False]


def test_the_member_list_is_the_services_list(shop: Path) -> None:
    db = Database.for_file(shop)
    reads = PlainReads(shop)
    try:
        for kwargs in ({}, {"active_only": True}, {"text": "VIP"}, {"text": "_"}, {"text": "0102"}):
            with reads.read() as rows:
                plain = list_members(rows, **kwargs)  # type: ignore[arg-type]
            assert plain == Services(db).members.list(**kwargs), kwargs  # type: ignore[arg-type]
            if kwargs.get("text") in ("VIP", "0102"):
                assert [m.card for m in plain] == ["VIP-8"], kwargs
            if kwargs.get("text") == "_":  # "_" is a character here, not any one
                assert [m.card for m in plain] == ["C-1"]
        listed = Services(db).members.list()
    finally:
        reads.close()
        db.dispose()
    assert [(m.name, m.birthday, m.joined_on) for m in listed] == [
        ("陈建国", date(1980, 2, 29), AT.astimezone().date()), ("李_四", None, date(2026, 1, 5))]


def test_the_stock_lines_are_the_windows_rows(shop: Path) -> None:
    """The SQL text of ``jxc stock`` gives what the stock view's ORM query gives the window: the
    same products, primary barcode (the single unit's, not the case's) and figures, page by page."""
    from jxc_desktop.services.stock.stock_lines import plain_lines
    from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery

    services = Services(Database.for_file(shop))
    reads = PlainReads(shop)
    try:
        for query, below in ((StockQuery(), False), (StockQuery(StockFilter.BELOW_MIN), True)):
            window = [(r.product_id, r.code, r.barcode, r.name, r.qty, r.avg_cost, r.value)
                      for r in services.stock_view.rows(query)]
            assert [r for page in plain_lines(reads.read, below_min=below, chunk=1) for r in page] == window
            assert [r for page in services.stock_view.iter_plain_lines(query, chunk=1) for r in page] == window
        assert [r[2] for r in window] == ["6901234567892"] and len({r[1] for r in window}) == 1
    finally:
        reads.close()
        services.db.dispose()


# Names, codes and barcodes no form lets in (an old import, another tool): every escape json knows,
# NUL, DEL, C1, U+2028, beyond the BMP; codes whose order is not the products' ids; odd quantities.
TRICKY = [("Z-9", "可口可乐 330ml", "6901234567892", 0, 0, 0), ("A\"1", 'quote " back \\ slash', "", -1, 7, -7),
          ("m\\2", "tab\tnew\nline\rcr\fff\bbs", "\x7f1", 1001, 1, 1), ("\u00e93", "\x00nul\x00\x1f\x7f\x85", "\u2028b", 999, 0, -1),
          ("b 4", "\u2028\u2029 sep 😀 𠀀", "𝟘𝟙", -2**63, -9, 2**63 - 1), ("5", "", "5", 2**63 - 1, 2**62, -2**62),
          ("Ωz", "名\\u0000", "x\"y", -1250, 12, -3), ("0", "末尾\\", "", 1000, 0, 0)]


def low_ones() -> list[tuple[str, str, str, int, int, int]]:
    return [t for i, t in enumerate(TRICKY) if i % 2 and t[3] < 2**62]


@pytest.fixture
def tricky(db_path: Path) -> Path:
    """TRICKY written into a shop's products; every other one below its minimum."""
    from jxc_desktop.domain.product_rules import ProductInput

    services = Services(Database.for_file(db_path))
    ids = [services.catalog.create_product(ProductInput(name=f"p{i}", sale_price=100)).id for i in range(len(TRICKY))]
    services.db.dispose()
    con = sqlite3.connect(db_path)
    for i, (pid, (code, name, barcode, qty, cost, value)) in enumerate(zip(reversed(ids), TRICKY, strict=True)):
        con.execute("UPDATE product SET code = ?, name = ?, stock_qty = ?, avg_cost = ?, stock_value = ?, "
                    "min_stock = ? WHERE id = ?", (code, name, qty, cost, value, 2**62 if i % 2 else 0, pid))
        if barcode:
            con.execute("INSERT INTO barcode (code, product_id, multiplier) VALUES (?, ?, 1)", (barcode, pid))
    con.commit()
    con.close()
    return db_path


@pytest.mark.parametrize("args", [["stock"], ["stock", "--json"], ["stock", "--low"], ["stock", "--low", "--json"]],
                         ids=" ".join)
def test_tricky_stock_is_written_by_sqlite_as_by_python(tricky: Path, args: list[str],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The text SQLite writes (sqlite3 alone) is byte for byte what the full path formats in Python."""
    plain = jxc_process("--db", str(tricky), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(tricky, args, capsys)
    if "--json" in args:
        listed = json.loads(str(plain["out"]))
        expected = sorted(low_ones() if "--low" in args else TRICKY, key=lambda t: t[0].encode())
        assert [(r["code"], r["name"], r["barcode"], r["qty"], r["avg_cost"], r["value"]) for r in listed] == expected


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 8, 20000])
def test_the_texts_of_sqlite_are_the_rows_formatted(tricky: Path, chunk: int) -> None:
    """plain_texts gives, chunk after chunk in code order, the UTF-8 of what cli/stock.py formats of
    plain_lines."""
    from jxc_desktop.cli.stock import _json_chunk, _QtyText, _text_chunk
    from jxc_desktop.services.stock.stock_lines import plain_lines, plain_texts

    reads = PlainReads(tricky)
    try:
        for below in (False, True):
            lines = [r for page in plain_lines(reads.read, below_min=below) for r in page]
            assert len(lines) == len(low_ones() if below else TRICKY) and len(low_ones()) == 3
            texts = list(plain_texts(reads.read, as_json=True, below_min=below, chunk=chunk))
            assert len(texts) == -(-len(lines) // chunk)
            assert b",\n".join(texts) == _json_chunk(lines, _QtyText()).encode()
            assert b"".join(plain_texts(reads.read, as_json=False, below_min=below, chunk=chunk)) == \
                _text_chunk(lines, _QtyText()).encode()
    finally:
        reads.close()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_the_bytes_on_a_real_stdout_are_the_full_paths(tricky: Path, encoding: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """On the process's own stdout SQLite's UTF-8 bytes go out as they are when the stream is UTF-8;
    on another encoding they are written as text: either way the bytes writing the text gives."""
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING=encoding)
    for args in (["stock"], ["stock", "--json"], ["stock", "--low", "--json"]):
        code = f"import sys; from jxc_desktop.cli import main; sys.exit(main({['--db', str(tricky), *args]!r}))"
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)
        rc, out, err = full_path_output(tricky, args, capsys)
        assert (done.returncode, done.stdout, done.stderr.decode(encoding)) == (rc, out.encode(encoding), err), args


def test_text_that_is_not_utf8_is_refused_as_before(tricky: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name another tool stored as bytes that are not UTF-8: sqlite3's own refusal, in the first
    chunk (the full path then words it, as before) and in a later one (plain_texts reads the chunk
    again as rows: the error plain_lines gives)."""
    from jxc_desktop.services.stock.stock_lines import plain_lines, plain_texts

    con = sqlite3.connect(tricky)
    con.execute("UPDATE product SET name = CAST(X'E4B8ADFF41' AS TEXT) WHERE code = 'm\\2'")
    con.commit()
    con.close()
    for args in (["stock"], ["stock", "--json"]):
        plain = jxc_process("--db", str(tricky), *args)
        assert plain["rc"] == 2 and "Could not decode to UTF-8 column 'name'" in str(plain["err"]), plain
        assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(tricky, args, capsys)
    reads = PlainReads(tricky)
    try:
        with pytest.raises(sqlite3.OperationalError) as as_rows:
            list(plain_lines(reads.read, chunk=2))
        for as_json in (False, True):
            texts = plain_texts(reads.read, as_json=as_json, chunk=2)
            assert next(texts)  # "0", "5": the bad name is in the third chunk
            next(texts)
            with pytest.raises(sqlite3.OperationalError) as as_text:
                next(texts)
            assert str(as_text.value) == str(as_rows.value) and "column 'name'" in str(as_text.value)
    finally:
        reads.close()


def test_a_shop_with_an_owner_pin_asks_for_it_on_sqlite3_alone(shop: Path, tmp_path: Path) -> None:
    """jxc stock shows costs: with a PIN set it is checked (and audited) first — on sqlite3 alone too
    (test_cli_plain_pin_check.py: the same as the PIN service's check)."""
    services = Services(Database.for_file(shop))
    services.pin.set_pin("4321")
    services.db.dispose()
    refused = jxc_process("--db", str(shop), "stock")
    assert refused["rc"] == 2 and "PIN" in str(refused["err"]), refused
    pin = tmp_path / "pin.txt"
    pin.write_text("4321\n", encoding="utf-8")
    done = jxc_process("--db", str(shop), "--pin-file", str(pin), "stock")
    assert done["rc"] == 0 and done["sqlalchemy"] is False and "可乐" in str(done["out"]), done
    assert jxc_process("--db", str(shop), "suppliers", "list")["sqlalchemy"] is False  # not protected


def test_the_plain_reads_never_write(shop: Path) -> None:
    reads = PlainReads(shop)
    try:
        with reads.read() as rows, pytest.raises(sqlite3.OperationalError, match="readonly|query_only"):
            rows.all("UPDATE supplier SET phone = :p", p="1")
    finally:
        reads.close()


def test_a_file_marked_damaged_is_still_listed(shop: Path) -> None:
    damage_mark.record(shop, "a check found it damaged")
    plain = jxc_process("--db", str(shop), "suppliers", "list")
    assert plain["rc"] == 0 and plain["sqlalchemy"] is False, plain
    assert "长沙金达冷链" in str(plain["out"])
    written = jxc_process("--db", str(shop), "suppliers", "add", "新供应商")  # a write: refused as before
    assert written["rc"] == 2 and "damaged" in str(written["err"]), written


def foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.commit()
    con.close()


def newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()


def no_revision(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()


REFUSED = [(foreign, ["suppliers", "list"]), (newer, ["suppliers", "list"]), (None, ["suppliers", "list"]),
           (no_revision, ["stock"]), (foreign, ["init"]), (newer, ["init"])]  # init makes a missing file


@pytest.mark.parametrize(("spoil", "args"), REFUSED, ids=["foreign list", "newer list", "missing list",
                                                          "damaged stock", "foreign init", "newer init"])
def test_the_refusals_are_the_same_and_build_nothing(tmp_path: Path, shop: Path, spoil, args: list[str],  # type: ignore[no-untyped-def]
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.sqlite3"
    if spoil is not None:
        shutil.copyfile(shop, path)
        spoil(path)
    plain = jxc_process("--db", str(path), *args)
    assert plain["rc"] == 2 and plain["sqlalchemy"] is False, plain
    with pytest.raises(DatabaseError) as refused:
        migrate(path, create=args == ["init"])
    assert plain["err"] == f"jxc: {refused.value.message}\n"
    assert full_path_output(path, args, capsys)[2] == plain["err"]


def test_a_bad_name_is_refused_before_anything_opens(tmp_path: Path) -> None:
    plain = jxc_process("--db", str(tmp_path / ("店" * 90 + ".sqlite3")), "suppliers", "list")
    assert plain["rc"] == 2 and "name" in str(plain["err"]) and plain["sqlalchemy"] is False, plain


def test_an_interrupted_write_takes_the_full_path(tmp_path: Path, shop: Path) -> None:
    """A hot journal: SQLite must roll it back (a write), which the full path does as before."""
    path = cut_off_copy(shop, tmp_path / "cut.sqlite3", "UPDATE supplier SET phone = 'half written'",
                        "CREATE TABLE half_done (x)")
    done = jxc_process("--db", str(path), "suppliers", "list")
    assert done["rc"] == 0 and done["sqlalchemy"] is True and "half written" not in str(done["out"]), done
    assert "长沙金达冷链" in str(done["out"])
    assert not path.with_name(path.name + "-journal").exists() or path.with_name(
        path.name + "-journal").read_bytes()[:8] != bytes.fromhex("d9d505f920a163d7")  # rolled back


def test_a_failed_plain_read_is_told_by_the_full_path(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """sqlite3 refusing the plain read (here: the supplier table gone) is not worded by the plain
    path: the command runs again on the full path, which says what it always said."""
    con = sqlite3.connect(shop)
    con.execute("ALTER TABLE supplier RENAME TO supplier_gone")
    con.commit()
    con.close()
    plain = jxc_process("--db", str(shop), "suppliers", "list")
    assert plain["rc"] == 2 and plain["sqlalchemy"] is True, plain
    assert (plain["rc"], plain["out"], plain["err"]) == full_path_output(shop, ["suppliers", "list"], capsys)


def test_the_same_list_on_a_server(db_target, services: Services, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL (``--backend=postgres``) the command takes the full path: the same SQL text
    through sqlalchemy.text(), the same rows."""
    fill(services)
    assert main(["--db", str(db_target), "suppliers", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == ["Acme 食品", "长沙金达冷链", "武汉金源副食品", "北京兴源粮油"]
    assert listed[1]["last_purchase_date"] == AT.astimezone().date().isoformat()
    assert [s["active"] for s in listed] == [True, True, True, False]
    assert main(["--db", str(db_target), "customers", "list", "--json"]) == 0
    customers = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["balance"], c["active"]) for c in customers] == [
        ("Acme 商行", 0, True), ("陈建国", 0, True), ("老街饭店", -1234, True), ("李_四", 0, True), ("王五_%", 0, True),
        ("张三", 0, False)]
    assert main(["--db", str(db_target), "members", "list", "--json"]) == 0
    members = json.loads(capsys.readouterr().out)
    assert [(m["card"], m["birthday"]) for m in members] == [("VIP-8", "1980-02-29"), ("C-1", None)]
    assert main(["--db", str(db_target), "init"]) == 0
    assert "up to date" in capsys.readouterr().out
