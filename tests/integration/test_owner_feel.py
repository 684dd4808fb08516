"""benchmarks/owner_feel.py keeps running: its whole-command part (``--only cli``), once, on a tiny
demo shop, answers with a table and a JSON file whose commands all succeeded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = "import sys; from jxc_desktop.cli import main; sys.exit(main())"


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 shell beside jxc")
def test_owner_feel_cli_part_runs_on_a_demo_shop(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    shop = tmp_path / "demo.sqlite3"
    made = subprocess.run([sys.executable, "-c", ENTRY, "--db", str(shop), "demo", "--products", "20", "--days", "3"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    out = tmp_path / "owner_feel.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "owner_feel.py"), "--db", str(shop),
                          "--src", str(ROOT / "src"), "--runs", "1", "--only", "cli", "--json", str(out)],
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "jxc stock --json" in run.stdout and "jxc --help" in run.stdout
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["meta"]["runs"] == 1 and got["meta"]["src"] == str(ROOT / "src")
    cli = got["cli"]
    assert cli["help"]["exit"] == 0 and cli["help"]["median_s"] > 0
    for name in ("profit_by_day", "profit_by_product", "stock_json"):
        row = cli[name]
        assert row["jxc_exit"] == 0 and row["sqlite3_exit"] == 0, row
        assert row["ratio"] > 0 and row["budget_ratio"] == 1.5
    assert "cold" not in got and "memory" not in got  # --only kept to what was asked
