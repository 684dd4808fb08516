"""Data files whose path holds ``# ? % & = + ;``, spaces, Chinese or a quote work end to end (init,
demo, backup, restore, check, upgrade, the window's start), touch no other file, and a name too long
for SQLite gets one clear line and exit 2 (issue 11 §2)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.filecheck import FileState, check_file
from jxc_desktop.db.migrate import alembic_config, migrate
from jxc_desktop.db.uri import MAX_NAME_BYTES, sqlite_uri, sqlite_url

ODD_NAMES = [
    "notes#1.db",
    "shop?x=1.sqlite3",
    "shop%41.sqlite3",
    "shop 100%.sqlite3",
    "a&b=c+d;e.sqlite3",
    "店 铺 数据.sqlite3",
    "it's mine.sqlite3",
    "%23 #?%&=+; 中文 '.sqlite3",
]


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _products(path: Path) -> int:
    con = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM product").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("name", ["/tmp/a#b?c%41 d&e=f+g;h 中文 '.db", "relative ?#%.sqlite3", "C:/x?y.db"])
def test_uri_and_url_round_trip(name: str) -> None:
    path = Path(os.path.abspath(name))
    url = make_url(sqlite_url(name))
    assert url.database == str(path) and not url.query
    uri = sqlite_uri(name, mode="ro", immutable=True)
    assert uri.endswith("?mode=ro&immutable=1") and uri.count("?") == 1 and "#" not in uri
    assert Path(uri.partition("?")[0]).name  # the path part holds no "?", "#" or bare "%"
    assert "%25" in sqlite_uri("/tmp/100%.db") and "%3F" in sqlite_uri("/tmp/a?.db")


@pytest.mark.parametrize("name", ODD_NAMES)
def test_every_command_works_on_an_odd_path(tmp_path: Path, capsys, name: str) -> None:
    shop = tmp_path / "shop dir #1"
    shop.mkdir()
    path = shop / name
    db = ["--db", str(path)]
    assert jxc([*db, "init"]) == 0
    assert jxc([*db, "demo", "--products", "12", "--days", "2"]) == 0
    assert _products(path) == 12
    assert jxc([*db, "backup"]) == 0
    out = capsys.readouterr().out
    assert "\tok\t" in out and "BAD" not in out
    backups = sorted((shop / "backups").glob("*.sqlite3"))
    assert len(backups) == 1 and backups[0].name.startswith(path.stem)
    assert jxc([*db, "restore", str(backups[0]), "--yes"]) == 0
    assert jxc([*db, "check"]) == 0
    assert "OK" in capsys.readouterr().out
    assert check_file(path).state == FileState.OK
    # the window's start: open (migrate) and build the services
    from jxc_desktop.app import open_database

    services = open_database(path)
    assert services.catalog.count() == 12
    services.db.dispose()
    # nothing else was created beside it: no "notes", "shop", "shopA.sqlite3"...
    allowed = {path.name, path.name + "-wal", path.name + "-shm", "backups"}
    assert _names(shop) - allowed == set(), _names(shop)
    assert _names(tmp_path) == {shop.name}


def test_another_programs_file_with_a_hash_is_not_taken(tmp_path: Path) -> None:
    """Reading ``notes#1.db`` as ``file:notes`` once made an empty ``notes`` and then wrote the JXC
    schema into the other program's ``notes#1.db``."""
    path = tmp_path / "notes#1.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO note (body) VALUES ('hello')")
    con.commit()
    con.close()
    before = path.read_bytes()
    assert jxc(["--db", str(path), "init"]) == 2
    assert path.read_bytes() == before
    assert _names(tmp_path) == {"notes#1.db"}


@pytest.mark.parametrize("name", ["shop 100%.sqlite3", "shop%41?#.sqlite3"])
def test_an_older_file_at_a_percent_path_is_upgraded(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    migrate(path)
    url = sqlite_url(path)
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        conn.commit()
    engine.dispose()
    assert check_file(path).state == FileState.OLDER
    result = migrate(path)
    assert result.upgraded_from == "0003" and check_file(path).state == FileState.OK
    assert not (tmp_path / "shopA.sqlite3").exists()


def test_longest_name_works_and_a_longer_one_is_one_clear_line(tmp_path: Path, capsys) -> None:
    suffix = ".sqlite3"
    longest = tmp_path / ("长" * ((MAX_NAME_BYTES - len(suffix)) // 3) + "a" * ((MAX_NAME_BYTES - len(suffix)) % 3)
                          + suffix)
    assert len(os.fsencode(longest.name)) == MAX_NAME_BYTES
    db = ["--db", str(longest)]
    assert jxc([*db, "init"]) == 0
    assert jxc([*db, "demo", "--products", "5", "--days", "1"]) == 0
    assert jxc([*db, "backup"]) == 0  # the copy's name is shortened to fit
    copies = list((tmp_path / "backups").glob("*.sqlite3"))
    assert len(copies) == 1 and len(os.fsencode(copies[0].name)) <= MAX_NAME_BYTES
    assert jxc([*db, "restore", str(copies[0]), "--yes"]) == 0
    assert jxc([*db, "check"]) == 0
    capsys.readouterr()
    for size in (MAX_NAME_BYTES + 1, 255, 256, 300):
        path = tmp_path / ("b" * (size - len(suffix)) + suffix)
        for args in (["init"], ["check"], ["backup"], ["demo", "--products", "3"], ["stock"]):
            assert jxc(["--db", str(path), *args]) == 2, (size, args)
            err = capsys.readouterr().err.strip()
            assert err.startswith("jxc: ") and "\n" not in err and "name" in err and "Traceback" not in err
    assert _names(tmp_path) <= {longest.name, longest.name + "-wal", longest.name + "-shm", "backups"}
