"""jxc promotions import / list: the file added whole or not at all, the list as text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jxc_desktop.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")
GOOD = ("名称,类型,开始,结束,商品,特价,分类,买,付,满,减,每满\n"
        "可乐特价,特价,2026-12-01,2026-12-31,KL01=2.5,,,,,,,\n"
        "饮料买2付1,买N付M,2026-12-01 08:00,,,,饮料,2,1,,,\n"
        "满100减10,满减,2026-12-01,2099-12-31,,,,,,100,10,是\n")
BAD = ("名称,类型,开始,结束,商品,特价,满,减\n"
       "好的,特价,2026-12-01,,KL01,2,,\n"
       "倒着,特价,2026-12-31,2026-12-01,KL01,2,,\n"
       "减太多,满减,2026-12-01,,,,100,100\n")


def jxc_in(capsys, monkeypatch, db_target, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code = main(["--db", str(db_target), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_then_list(db_target, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 300, category="饮料", code="KL01")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = jxc_in(capsys, monkeypatch, db_target, "promotions", "import", str(bad))
    assert code == 2 and out == ""
    assert "2 rows of the file are wrong; nothing was imported" in err
    assert "Row 3: The promotion ends before it starts" in err and "Row 4:" in err
    assert jxc_in(capsys, monkeypatch, db_target, "promotions", "list", "--json")[1].strip() == "[]"

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    code, out, _err = jxc_in(capsys, monkeypatch, db_target, "promotions", "import", str(good))
    assert (code, out.strip()) == (0, "Imported 3 promotions")
    code, out, _err = jxc_in(capsys, monkeypatch, db_target, "promotions", "list", "--json")
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["饮料买2付1", "满100减10", "可乐特价"]
    sp = rows[2]
    assert sp["products"][0]["price_fen"] == 250 and sp["ends"] == "2027-01-01 00:00" and sp["kind"] == "special_price"
    assert rows[1]["threshold_fen"] == 10000 and rows[1]["reduction_fen"] == 1000 and rows[1]["repeat"] is True
    assert rows[1]["status"] in {"active", "scheduled"}  # the child's real clock: long after 2026-12-01
    code, out, _err = jxc_in(capsys, monkeypatch, db_target, "promotions", "list")
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].split("\t")[1:3] == ["饮料买2付1", "buy_n_pay_m"]
    assert "buy 2 pay 1: 饮料" in lines[0]


def test_the_real_command_lists(db_target, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The command in a child process (PYTHONPATH passed so that it runs this tree's sources)."""
    run = subprocess.run([sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
                          "--db", str(db_target), "promotions", "list", "--json"], capture_output=True, text=True,
                         timeout=60, env={"LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONPATH": SRC})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []
