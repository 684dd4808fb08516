"""How long the data-file checks take on a big shop (issue 11 §4): when can each one run?

    .venv/bin/python benchmarks/bench_file_checks.py [--db /work/bench/sales1m.sqlite3] [--runs 3]

Read-only, on the file as it is (opened with ``mode=ro``). Prints the median and worst of
``--runs`` runs of:
- the schema check (every table, index and trigger present; db/health.py) — runs at every open;
- ``PRAGMA quick_check`` — the start-up inspection and migrate run it;
- ``PRAGMA integrity_check`` — the window runs it in the background after start, every backup
  runs it on its copy, ``jxc`` before its first write, ``jxc check`` on demand;
- a unit of work's use lock (db/filelock.py), per transaction, for comparison with the budgets.
The first run of each also pays for reading the file from disk (and the schema check's first run
for reading the migration files once per process); the medians are warm.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db import filelock, health  # noqa: E402
from jxc_desktop.db import models as _models  # noqa: E402, F401  (loaded in the program anyway)
from jxc_desktop.db.uri import sqlite_uri  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


def pragma(path: Path, name: str) -> list[str]:
    con = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        return [str(r[0]) for r in con.execute(f"PRAGMA {name}")]
    finally:
        con.close()


def use_lock(path: Path, n: int = 1000) -> float:
    started = time.perf_counter()
    for _ in range(n):
        with filelock.using(path):
            pass
    return (time.perf_counter() - started) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/work/bench/sales1m.sqlite3"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path: Path = args.db
    if not path.is_file():
        print(f"no such file: {path} (build it with benchmarks/make_db.py and add_sales.py)", file=sys.stderr)
        return 2
    con = sqlite3.connect(sqlite_uri(path), uri=True)
    products = con.execute("SELECT count(*) FROM product").fetchone()[0]
    lines = con.execute("SELECT count(*) FROM sale_line").fetchone()[0]
    con.close()
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB, {products} products, {lines} sale lines, {args.runs} runs")
    for label, fn in (("schema check", lambda: health.file_schema_problems(path)),
                      ("quick_check", lambda: pragma(path, "quick_check")),
                      ("integrity_check", lambda: pragma(path, "integrity_check"))):
        median, worst, result = timed(fn, args.runs)
        ok = result in ([], ["ok"])
        print(f"  {label:<16} median {median * 1000:9.1f} ms   worst {worst * 1000:9.1f} ms   {'ok' if ok else result}")
    per = use_lock(path)
    print(f"  {'use lock':<16} {per * 1e6:9.1f} µs per transaction")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
