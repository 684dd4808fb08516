"""jxc backup / restore / pin / audit and --pin-file, run through the real command entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = jxc(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def shop(db_path: Path, make_product) -> Path:
    make_product("酱油 500ml", 990, 600, 12)
    return db_path


def test_backup_list_and_restore(capsys, shop: Path, tmp_path: Path, make_product) -> None:
    db = str(shop)
    code, out, _ = run(capsys, "--db", db, "backup")
    assert code == 0 and "\tok\tproducts 1\t" in out
    copy = Path(out.split("\t")[0])
    assert copy.parent == shop.parent / "backups" and copy.exists()
    code, out, _ = run(capsys, "--db", db, "backup", "--to", str(tmp_path / "usb"))
    assert code == 0 and str(tmp_path / "usb") in out
    code, out, _ = run(capsys, "--db", db, "backup", "--list")
    assert code == 0 and str(copy) in out and "last good backup: 20" in out
    make_product("醋", 500, 300, 3)
    code, _, err = run(capsys, "--db", db, "restore", str(copy))  # no tty, no --yes: refused
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "--db", db, "restore", str(copy), "--yes")
    assert code == 0 and "restored" in out and "kept as" in out
    s = Services(Database.for_file(shop))
    assert s.catalog.count() == 1 and s.audit.query(action="restore")
    s.db.dispose()


def test_restore_refuses_a_bad_copy(capsys, shop: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"MZ\x90\x00" * 500)
    before = shop.read_bytes()
    code, _, err = run(capsys, "--db", str(shop), "restore", str(bad), "--yes")
    assert code == 2 and "cannot be restored" in err
    assert shop.read_bytes() == before


def test_restore_over_a_damaged_data_file(capsys, shop: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(shop), "backup", "--to", str(tmp_path / "usb"))
    copy = out.split("\t")[0]
    for side in ("-wal", "-shm"):
        Path(str(shop) + side).unlink(missing_ok=True)
    shop.write_bytes(b"\x00" * 8192)
    assert run(capsys, "--db", str(shop), "init")[0] == 2
    code, out, _ = run(capsys, "--db", str(shop), "restore", copy, "--yes")
    assert code == 0 and "damaged" in out
    assert run(capsys, "--db", str(shop), "init")[0] == 0


def test_pin_set_status_protects_backup_and_reset_is_audited(capsys, shop: Path, tmp_path: Path) -> None:
    db = str(shop)
    new = tmp_path / "new.txt"
    new.write_text("4321\n")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("0000\n")
    right = tmp_path / "right.txt"
    right.write_text("4321\n")
    assert run(capsys, "--db", db, "pin", "set", "--new-pin-file", str(new))[0] == 0
    assert "tries left" in run(capsys, "--db", db, "pin", "status")[1]
    code, _, err = run(capsys, "--db", db, "backup")
    assert code == 2 and "--pin-file" in err
    code, _, err = run(capsys, "--db", db, "--pin-file", str(wrong), "backup")
    assert code == 2 and "Wrong PIN" in err
    assert run(capsys, "--db", db, "--pin-file", str(right), "backup")[0] == 0
    code, _, err = run(capsys, "--db", db, "pin", "reset")
    assert code == 2 and "--i-am-the-owner" in err
    assert run(capsys, "--db", db, "pin", "reset", "--i-am-the-owner", "--reason", "forgot")[0] == 0
    assert "no PIN" in run(capsys, "--db", db, "pin", "status")[1]
    code, out, _ = run(capsys, "--db", db, "audit", "--action", "pin_reset")
    assert code == 0 and "forgot" in out
    code, out, _ = run(capsys, "--db", db, "audit")
    assert "pin_wrong" in out and "owner_authorized" in out and "pin_set" in out


def test_pin_clear_needs_the_pin(capsys, shop: Path, tmp_path: Path) -> None:
    db = str(shop)
    f = tmp_path / "p.txt"
    f.write_text("13579")
    run(capsys, "--db", db, "pin", "set", "--new-pin-file", str(f))
    bad = tmp_path / "bad.txt"
    bad.write_text("97531")
    assert run(capsys, "--db", db, "--pin-file", str(bad), "pin", "clear")[0] == 2
    assert run(capsys, "--db", db, "--pin-file", str(f), "pin", "clear")[0] == 0


def test_pin_file_from_stdin_in_a_real_process(capsys, shop: Path, tmp_path: Path) -> None:
    f = tmp_path / "p.txt"
    f.write_text("2580")
    assert run(capsys, "--db", str(shop), "pin", "set", "--new-pin-file", str(f))[0] == 0
    exe = [str(Path(sys.executable).parent / "jxc"), "--db", str(shop)]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run([*exe, "--pin-file", "-", "backup"], input=b"2580\n", env=env, capture_output=True)
    assert done.returncode == 0, done.stderr


def test_protected_commands_of_other_groups_need_the_pin(capsys, shop: Path, tmp_path: Path) -> None:
    import importlib

    from jxc_desktop.cli.owner import PROTECTED_COMMANDS

    for name in PROTECTED_COMMANDS:  # the table names real handlers (a rename must update it)
        module, _, func = name.partition(".")
        mod = importlib.import_module(f"jxc_desktop.cli.{module}")
        assert func == "*" or callable(getattr(mod, func, None)), name
    db = str(shop)
    assert run(capsys, "--db", db, "stock")[0] == 0  # no PIN set: nothing asked
    pin = tmp_path / "pin.txt"
    pin.write_text("5678")
    run(capsys, "--db", db, "pin", "set", "--new-pin-file", str(pin))
    for argv in (["stock"], ["report", "profit"], ["products", "export", str(tmp_path / "p.csv")]):
        code, out, err = run(capsys, "--db", db, *argv)
        assert code == 2 and "--pin-file" in err and out == "", argv
        code, out, err = run(capsys, "--db", db, "--pin-file", str(pin), *argv)
        assert code == 0, (argv, err)
    assert not (tmp_path / "p.csv").exists() or (tmp_path / "p.csv").stat().st_size > 0
    assert run(capsys, "--db", db, "sales", "list")[0] == 0  # the cashier's own view needs no PIN


def test_backup_auto_once_a_day(capsys, shop: Path) -> None:
    code, out, _ = run(capsys, "--db", str(shop), "backup", "--auto")
    assert code == 0 and "-auto-" in out and "\tok\t" in out
    code, out, _ = run(capsys, "--db", str(shop), "backup", "--auto")
    assert code == 0 and "already backed up today" in out
    assert len(list((shop.parent / "backups").glob("jxc-auto-*.sqlite3"))) == 1
