"""jxc members topup / adjust / ledger: yuan in, fen in JSON, the CZ number, bad input exit 2 with
nothing written, adjust behind the owner PIN."""

from __future__ import annotations

import json

import pytest

from jxc_desktop.cli import main


def jxc_in(capsys, monkeypatch, db_path, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code = main(["--db", str(db_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_topup_adjust_ledger(db_path, services, capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_path, *a)  # noqa: E731
    assert run("members", "add", "13800001234", "--card", "A8")[0] == 0
    code, out, _ = run("members", "topup", "13800001234", "100", "--bonus", "10",
                       "--method", "wechat", "--json")
    assert code == 0
    top = json.loads(out)
    assert top["number"].startswith("CZ") and (top["amount"], top["bonus"], top["stored_value"]) == (10000, 1000, 11000)
    code, out, _ = run("members", "topup", "A8", "20.5")
    assert code == 0 and out.split("\t")[2:] == ["20.50", "0.00", "cash", "130.50\n"]
    for bad in (("members", "topup", "A8", "0"), ("members", "topup", "A8", "-5"), ("members", "topup", "A8", "1.234"),
                ("members", "topup", "nobody", "10")):
        code, out, _err = run(*bad)
        assert code == 2 and out == "", bad
    with pytest.raises(SystemExit) as exit_:  # argparse refuses a method the choices lack
        run("members", "topup", "A8", "10", "--method", "credit")
    assert exit_.value.code == 2
    code, out, _ = run("members", "show", "A8", "--json")
    assert json.loads(out)["stored_value"] == 13050

    assert run("members", "adjust", "A8", "--points", "50", "--reason", "开卡礼")[:2] == (0, "points\t50\n")
    code, out, _ = run("members", "adjust", "A8", "--value", "-0.5", "--reason", "错充")
    assert (code, out) == (0, "stored value\t130.00\n")
    code, _out, err = run("members", "adjust", "A8", "--points", "-500", "--reason", "x")
    assert code == 2 and "holds 50 points" in err

    code, out, _ = run("members", "ledger", "A8", "--json")
    led = json.loads(out)
    assert [(m["kind"], m["amount"], m["balance"]) for m in led["stored_value"]] == [
        ("topup", 10000, 10000), ("bonus", 1000, 11000), ("topup", 2050, 13050), ("adjust", -50, 13000)]
    assert [(m["kind"], m["points"]) for m in led["points"]] == [("adjust", 50)]

    # with an owner PIN, adjust needs it
    services.pin.set_pin("2468")
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("2468")
    code, _out, err = run("members", "adjust", "A8", "--points", "5", "--reason", "补")
    assert code == 2 and "owner PIN" in err
    assert run("--pin-file", str(pin_file), "members", "adjust", "A8", "--points", "5", "--reason", "补")[:2] == (
        0, "points\t55\n")


def test_jxc_check_reports_a_tampered_members_ledger(db_path, services, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    run = lambda *a: jxc_in(capsys, monkeypatch, db_path, *a)  # noqa: E731
    assert run("members", "add", "13800001234")[0] == 0
    assert run("members", "topup", "13800001234", "100", "--bonus", "10")[0] == 0
    code, out, _ = run("check", "--json")
    assert code == 0 and not [p for p in json.loads(out)["problems"] if p["kind"] == "members"]
    with services.db.write() as uow:  # the cached balance no longer the sum of the moves
        uow.session.execute(text("UPDATE customer SET stored_value = stored_value + 500, points = 3"))
        uow.commit()
    code, out, _ = run("check", "--json")
    found = [p for p in json.loads(out)["problems"] if p["kind"] == "members"]
    assert code == 1 and len(found) == 2
    assert any("stored value 11500 != sum of stored-value moves 11000" in p["detail"] for p in found)
