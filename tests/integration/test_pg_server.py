"""The test PostgreSQL server (tests/pg_server.py) and a Database opened on a server URL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from jxc_desktop.db.migrate import head_revision
from jxc_desktop.db.server import driver_url, is_server_url, migrate_server, shown_url
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError


def test_server_urls_are_told_from_paths() -> None:
    assert is_server_url("postgresql://jxc@db.local/shop")
    assert is_server_url("postgres://jxc@db.local/shop")
    assert is_server_url("postgresql+psycopg://jxc@db.local/shop")
    assert not is_server_url("shop.sqlite3")
    assert not is_server_url("/data/postgresql/shop.sqlite3")
    assert driver_url("postgres://a@h/s") == "postgresql+psycopg://a@h/s"
    assert "secret" not in shown_url("postgresql://jxc:secret@db.local/shop")


def test_empty_database_is_migrated_to_head(pg_url: str) -> None:
    result = migrate_server(pg_url)
    assert result.created and result.revision == head_revision()
    again = migrate_server(pg_url)
    assert not again.created and again.upgraded_from is None
    db = Database.open(pg_url)
    try:
        assert db.on_server and db.path is None
        with db.read() as uow:
            assert uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        db.dispose()


def test_empty_database_is_refused_without_create(pg_url: str) -> None:
    with pytest.raises(DatabaseError, match="empty"):
        migrate_server(pg_url, create=False)


def test_foreign_tables_are_refused_and_left_alone(pg_url: str) -> None:
    db = Database.open(pg_url)
    try:
        with db.write() as uow:
            uow.session.execute(text("CREATE TABLE invoices (id int)"))
            uow.commit()
    finally:
        db.dispose()
    with pytest.raises(DatabaseError, match="another program"):
        migrate_server(pg_url)


def test_head_database_fixture_writes_and_reads(pg_db_url: str) -> None:
    db = Database.open(pg_db_url)
    try:
        with db.write() as uow:
            uow.session.execute(text("INSERT INTO setting (key, value) VALUES ('till', '一号')"))
            uow.commit()
        with db.read() as uow:
            assert uow.session.execute(text("SELECT value FROM setting WHERE key = 'till'")).scalar() == "一号"
    finally:
        db.dispose()


def _jxc(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from jxc_desktop.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_makes_a_demo_shop_on_the_server_and_checks_it(pg_url: str, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, out, err = _jxc(capsys, "--db", pg_url, "stock")
    assert code == 2 and "empty" in err  # no shop made by accident
    code, out, err = _jxc(capsys, "--db", pg_url, "init")
    assert code == 0, err
    assert "postgresql://" in out and "created" in out
    monkeypatch.setenv("JXC_DB", pg_url)  # the environment names the server too
    code, out, err = _jxc(capsys, "demo", "--products", "30", "--days", "5", "--today", "2026-11-25")
    assert code == 0, err
    code, out, err = _jxc(capsys, "check", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"], report["problems"]
    assert report["products"] == 30 and report["moves"] > 30 and report["file_check"] == ""
    assert set(report) == {"ok", "products", "moves", "problems", "notes", "file_check", "months"}
    code, out, err = _jxc(capsys, "check", "--full")
    assert code == 0 and "OK" in out, err


def test_check_finds_a_broken_ledger_on_the_server(pg_url: str, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert _jxc(capsys, "--db", pg_url, "demo", "--products", "20", "--days", "3", "--today", "2026-11-25")[0] == 0
    db = Database.open(pg_url)
    try:
        with db.write() as uow:
            uow.session.execute(text("UPDATE product SET stock_qty = stock_qty + 1000 WHERE id = "
                                     "(SELECT min(product_id) FROM stock_move)"))
            uow.commit()
    finally:
        db.dispose()
    code, out, _err = _jxc(capsys, "--db", pg_url, "check", "--json")
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert any(p["kind"] == "ledger" and "stock_qty" in p["detail"] for p in report["problems"])


def test_a_server_context_has_no_data_file() -> None:
    from jxc_desktop.cli.context import CliContext

    ctx = CliContext("postgresql://jxc:secret@db.local/shop")
    assert ctx.server == "postgresql://jxc:secret@db.local/shop"
    assert "secret" not in ctx.shown and "db.local/shop" in ctx.shown
    ctx.check_path()  # no file name to judge
    with pytest.raises(DatabaseError, match="on a server"):
        _ = ctx.path
