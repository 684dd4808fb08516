"""Print what `jxc` says on a fixed demo shop, as one JSON object (command line -> exit code, stdout).

Used by tests/integration/test_cli_unchanged.py to prove a refactor changed no CLI output: the
snapshot in tests/data/cli_snapshot.json was taken before "one house" moved the services.
Run: ``python tools/cli_snapshot.py [OUT.json]``. The clock and zone are fixed here, so the output is
the same on any date and hour.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

DEMO_TODAY = "2026-11-25"
NOW = "2026-11-25T16:30:00+08:00"

# Each entry is the argv after `jxc --db FILE`; {sale}, {purchase}, {count} are replaced by numbers
# read from the shop's own lists, so no number is written down here.
COMMANDS: list[list[str]] = [
    ["check", "--json"],
    ["stock", "--json"],
    ["stock", "--low", "--json"],
    ["stock", "--expiring", "30", "--json"],
    ["stock"],
    ["suppliers", "list"],
    ["purchase", "list", "--json"],
    ["purchase", "list"],
    ["count", "list"],
    ["sales", "list", "--date", "2026-11-24", "--json"],
    ["sales", "list", "--date", "2026-11-24"],
    ["sales", "summary", "--date", "2026-11-24", "--json"],
    ["sales", "summary", "--date", "2026-11-24"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24"],
    ["report", "profit", "--period", "last_month", "--by", "week", "--json"],
    ["report", "profit", "--from", "2026-10-01", "--to", "2026-11-24", "--by", "month", "--json"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24", "--by", "product", "--top", "5",
     "--sort", "gross_profit", "--json"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24", "--by", "category", "--bottom", "3",
     "--json"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24", "--by", "category"],
    ["report", "best", "--from", "2026-11-01", "--to", "2026-11-24", "--top", "7", "--json"],
    ["report", "best", "--from", "2026-11-01", "--to", "2026-11-24", "--sort", "qty"],
    ["report", "payments", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
    ["report", "hours", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
    ["report", "hours", "--from", "2026-11-01", "--to", "2026-11-24"],
    ["report", "purchases", "--from", "2026-10-01", "--to", "2026-11-24", "--json"],
    ["report", "purchases", "--from", "2026-10-01", "--to", "2026-11-24", "--by", "product", "--json"],
    ["report", "purchases", "--from", "2026-10-01", "--to", "2026-11-24"],
    ["report", "stock-value", "--at", "2026-11-10", "--json"],
    ["report", "stock-value", "--at", "2026-11-24", "--by", "product", "--json"],
    ["report", "stock-value", "--at", "2026-11-24"],
    ["report", "turnover", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
    ["report", "turnover", "--from", "2026-11-01", "--to", "2026-11-24"],
    ["report", "slow", "--days", "7", "--json"],
    ["report", "slow", "--days", "7"],
    ["report", "expiry", "--days", "60", "--json"],
    ["report", "expiry", "--days", "60"],
    ["report", "profit", "--from", "2026-11-24", "--to", "2026-11-01", "--json"],
    ["report", "profit", "--period", "today", "--from", "2026-11-01", "--json"],
    ["customers", "list", "--json"],
    ["accounts", "payable", "--at", "2026-11-24", "--json"],
    ["accounts", "receivable", "--at", "2026-11-24", "--aging"],
    ["statement", "--customer", "老街饭店", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
    ["products", "export", "{tmp}/products.csv"],
    ["reorder"],
    ["reorder", "--rule", "season", "--json"],
    ["report", "forecast", "000011", "--json"],
    ["report", "forecast", "000011", "--weeks", "3"],
    # season and trend (issue 20)
    ["report", "season", "--from", "2026-10-01", "--to", "2026-11-24", "--json"],
    ["report", "season", "--from", "2026-10-01", "--to", "2026-11-24", "--by", "product"],
    ["report", "abc", "--from", "2026-10-01", "--to", "2026-11-24", "--json"],
    ["report", "abc", "--from", "2026-10-01", "--to", "2026-11-24", "--by", "profit"],
    ["report", "cover", "--from", "2026-11-01", "--to", "2026-11-24", "--by", "category", "--json"],
    ["report", "turnover", "--from", "2026-10-11", "--to", "2026-11-24", "--by", "month", "--json"],
    ["report", "profit", "--from", "2026-11-01", "--to", "2026-11-24", "--by", "category", "--compare", "--json"],
    # promotions at the till (issue 17)
    ["promotions", "list", "--json"],
    ["report", "promotions", "--from", "2026-11-01", "--to", "2026-11-24", "--json"],
]


def _run(argv: list[str]) -> dict[str, object]:
    from jxc_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return {"exit": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def snapshot() -> dict[str, dict[str, object]]:
    os.environ["TZ"] = "Asia/Shanghai"
    os.environ["JXC_NOW"] = NOW
    os.environ["JXC_NOW_ANCHOR"] = repr(__import__("time").time())  # every command starts from NOW
    os.environ["LANGUAGE"] = os.environ["LC_ALL"] = "C.UTF-8"
    if hasattr(__import__("time"), "tzset"):
        __import__("time").tzset()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "shop.db")
        made = _run(["--db", db, "demo", "--products", "100", "--days", "45", "--today", DEMO_TODAY])
        if made["exit"] != 0:
            raise SystemExit(f"demo failed: {made}")
        for argv in COMMANDS:
            full = [a.replace("{tmp}", tmp) for a in argv]
            result = _run(["--db", db, *full])
            result["stdout"] = str(result["stdout"]).replace(tmp, "{tmp}")
            result["stderr"] = str(result["stderr"]).replace(tmp, "{tmp}")
            if argv[:2] == ["products", "export"]:
                result["file"] = (Path(tmp) / "products.csv").read_text(encoding="utf-8-sig")
            results[" ".join(argv)] = result
        for kind, listing in (("sale", ["sales", "list", "--date", "2026-11-24", "--json"]),
                              ("purchase", ["purchase", "list", "--json"])):
            rows = json.loads(str(results[" ".join(listing)]["stdout"]))
            number = rows[0]["number"]
            argv = (["receipt", number, "--pdf", f"{tmp}/r.pdf"] if kind == "sale"
                    else ["purchase", "pdf", number, "--pdf", f"{tmp}/p.pdf"])
            result = _run(["--db", db, *argv])
            result["stdout"] = str(result["stdout"]).replace(tmp, "{tmp}")
            results[f"{kind} pdf"] = result
    return results


if __name__ == "__main__":
    data = json.dumps(snapshot(), ensure_ascii=False, indent=1, sort_keys=True)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(data + "\n", encoding="utf-8")
    else:
        print(data)
