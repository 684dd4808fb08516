"""Issue 13 item 7 at the command line: pin set prints a recovery code, pin reset takes it; the old
--i-am-the-owner still works but leaves a notice; pin set/clear without --pin-file use no try."""

from __future__ import annotations

from pathlib import Path

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.uow import Database
from jxc_desktop.services.safety.pin import MAX_TRIES, PinService


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = jxc(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _pins(path: Path) -> PinService:
    return PinService(Database.for_file(path))


def test_recovery_code_from_pin_set_resets_the_pin(capsys, db_path: Path, tmp_path: Path) -> None:
    db = str(db_path)
    new = tmp_path / "new.txt"
    new.write_text("4321\n")
    code, out, _ = run(capsys, "--db", db, "pin", "set", "--new-pin-file", str(new))
    assert code == 0 and out.splitlines()[0] == "PIN set"
    recovery = out.splitlines()[1].rsplit(" ", 1)[1]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("ABCD-EFGH-JKMN-PQRS-TUVW\n")
    code, _, err = run(capsys, "--db", db, "pin", "reset", "--recovery-code-file", str(wrong))
    assert code == 2 and "recovery code" in err
    right = tmp_path / "code.txt"
    right.write_text(recovery + "\n")
    assert run(capsys, "--db", db, "pin", "reset", "--recovery-code-file", str(right))[0] == 0
    assert "no PIN" in run(capsys, "--db", db, "pin", "status")[1]
    assert _pins(db_path).reset_notice() is None


def test_reset_without_code_is_noticed_and_set_clear_without_pin_use_no_try(capsys, db_path: Path,
                                                                             tmp_path: Path) -> None:
    db = str(db_path)
    new = tmp_path / "new.txt"
    new.write_text("4321\n")
    assert run(capsys, "--db", db, "pin", "set", "--new-pin-file", str(new))[0] == 0
    for argv in (("pin", "clear"), ("pin", "set", "--new-pin-file", str(new))):
        code, _, err = run(capsys, "--db", db, *argv)
        assert code == 2 and "--pin-file" in err
    assert _pins(db_path).status().tries_left == MAX_TRIES
    code, _, err = run(capsys, "--db", db, "pin", "reset")
    assert code == 2 and "--i-am-the-owner" in err and "--recovery-code-file" in err
    code, out, _ = run(capsys, "--db", db, "pin", "reset", "--i-am-the-owner", "--reason", "forgot")
    assert code == 0 and "acknowledges" in out
    notice = _pins(db_path).reset_notice()
    assert notice is not None and notice.reason == "forgot"


def test_audit_keeps_its_columns_and_can_add_a_readable_one(capsys, db_path: Path, services,
                                                            make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.product_rules import ProductInput

    p = make_product("矿泉水", 250, 120, 5)
    services.catalog.update_product(p.id, ProductInput(name=p.name, code=p.code, unit=p.unit, sale_price=10,
                                                       ref_cost=120))
    code, out, _ = run(capsys, "--db", str(db_path), "audit", "--action", "price_change")
    fields = out.splitlines()[0].split("\t")
    assert code == 0 and len(fields) == 6 and fields[3] == '{"ref_cost":120,"sale_price":250}'
    code, out, _ = run(capsys, "--db", str(db_path), "audit", "--action", "price_change", "--readable")
    fields = out.splitlines()[0].split("\t")
    assert len(fields) == 7 and fields[6] == "ref_cost ¥1.20, sale_price ¥2.50 -> ref_cost ¥1.20, sale_price ¥0.10"
