"""jxc staff list|add|reset-pin (the owner PIN asked like every protected command), jxc shifts list
and jxc shift slip, through the real entry point on a real file."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.tender import Tender
from tests.integration.test_cli_sales import jxc_in


def test_staff_commands_need_the_owner_pin(db_target, services, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pin, owner = tmp_path / "pin.txt", tmp_path / "owner.txt"
    pin.write_text("1234\n")
    owner.write_text("8888\n")
    out = jxc_in(capsys, monkeypatch, db_target, "staff", "add", "王芳", "--number", "1", "--new-pin-file", str(pin))
    assert out.returncode == 0 and out.stdout.strip() == "1\t王芳\tcashier"  # no owner PIN set yet
    assert jxc_in(capsys, monkeypatch, db_target, "staff", "add", "张老板", "--number", "9", "--owner").returncode == 0
    services.pin.set_pin("8888")
    monkeypatch.delenv("JXC_PIN_FILE", raising=False)
    out = jxc_in(capsys, monkeypatch, db_target, "staff", "list")
    assert out.returncode == 2 and "owner PIN" in out.stderr
    out = jxc_in(capsys, monkeypatch, db_target, "--pin-file", str(owner), "staff", "list", "--json")
    assert out.returncode == 0
    assert [(p["name"], p["role"], p["has_pin"]) for p in json.loads(out.stdout)] == [
        ("张老板", "owner", False), ("王芳", "cashier", True)]
    out = jxc_in(capsys, monkeypatch, db_target, "--pin-file", str(owner), "staff", "reset-pin", "谁",
                 "--new-pin-file", str(pin))
    assert out.returncode == 2 and "No one called 谁" in out.stderr
    pin.write_text("4321\n")
    out = jxc_in(capsys, monkeypatch, db_target, "--pin-file", str(owner), "staff", "reset-pin", "王芳",
                 "--new-pin-file", str(pin))
    assert out.returncode == 0 and services.staff.sign_in("1", "4321").name == "王芳"
    approvals = services.audit.query(action="owner_authorized")
    assert approvals and all(e.actor == "张老板" for e in approvals)
    out = jxc_in(capsys, monkeypatch, db_target, "--pin-file", str(owner), "audit", "--who", "--limit", "3")
    assert out.returncode == 0 and out.stdout.splitlines()[0].split("\t")[-1] == "张老板"


def test_shifts_list_and_slip(db_target, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 20)
    wang = services.staff.add("王芳", "1", "1234")
    old_at = utcnow() - timedelta(days=40)
    old = services.shifts.open(wang.id, 10000, at=old_at)
    services.shifts.close(old.id, counted=10000, at=old_at + timedelta(hours=1))
    shift = services.shifts.open(wang.id, 20000)
    line = services.checkout.line_for_product(cola.id)
    services.checkout.post_sale(Cart((line,)), [Tender("cash", 1000)], cashier_id=wang.id, shift_id=shift.id)
    services.shifts.cash_move(shift.id, -500, "付送货费", person_id=wang.id)
    services.shifts.close(shift.id, counted=20000 + 350 - 500 - 100)

    out = jxc_in(capsys, monkeypatch, db_target, "shifts", "list", "--json")
    rows = json.loads(out.stdout)
    assert out.returncode == 0 and [r["id"] for r in rows] == [shift.id]  # the last 30 days
    r = rows[0]
    assert (r["cashier"], r["expected"], r["counted"], r["over_short"], r["cash_out"]) == ("王芳", 19850, 19750,
                                                                                           -100, 500)
    out = jxc_in(capsys, monkeypatch, db_target, "shifts", "list", "--date", local_day(old_at).isoformat())
    assert out.stdout.split("\t")[:2] == [str(old.id), "王芳"]

    target = tmp_path / "slip.pdf"
    out = jxc_in(capsys, monkeypatch, db_target, "shift", "slip", str(shift.id), "--pdf", str(target), "--width", "58")
    assert out.returncode == 0
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    for want in ("王芳", "¥198.50", "¥197.50", "-¥1.00", "付送货费"):
        assert want in text, want
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    assert " yes " in fonts  # the CJK font is embedded
    out = jxc_in(capsys, monkeypatch, db_target, "shift", "slip", "999", "--pdf", str(target))
    assert out.returncode == 2 and "Shift 999 does not exist" in out.stderr


def test_a_protected_command_names_the_owner_in_its_audit_rows(db_target, services, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services.staff.add("张老板", "9", role="owner")
    services.pin.set_pin("8888")
    owner = tmp_path / "owner.txt"
    owner.write_text("8888\n")
    monkeypatch.delenv("JXC_PIN_FILE", raising=False)
    out = jxc_in(capsys, monkeypatch, db_target, "--pin-file", str(owner), "backup", "--to", str(tmp_path / "copies"))
    assert out.returncode == 0, out.stderr
    backups = services.audit.query(action="backup")
    assert [e.actor for e in backups] == ["张老板"]  # the backup's own row, not only the approval
