"""How long ``jxc check`` takes on a big shop (issue 15: < 5 s at 1 M sale lines), as the owner runs
it and part by part:

    .venv/bin/python benchmarks/bench_check.py --db COPY_OF_sales1m.sqlite3 [--runs 3] [--full] [--src DIR]

Read-only (the check opens ``mode=ro``), but opening a file of an older schema elsewhere upgrades it:
run it on a copy. Prints, for ``--runs`` runs of the whole command ``jxc --db FILE check --json``
in a new process (``--full`` adds the flag): wall-clock and CPU seconds (user + system of the
child), median and worst; then one in-process run of each part of the check (wall and CPU), so a
figure measured on a loaded machine can be read by its CPU time. The parts run on sqlite3 alone, as
``jxc check`` does on a file at head (services/safety/books_check.py). ``--src`` measures the whole command
of another tree (its ``src`` folder, e.g. the code before issue 15); the parts, which import this
tree's modules, are then left out.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from jxc_desktop.db.text_reads import PlainReads  # noqa: E402
from jxc_desktop.db.uri import sqlite_uri  # noqa: E402
from jxc_desktop.services.reporting.plain_reads import PlainReports  # noqa: E402
from jxc_desktop.services.safety import books_check, books_flows, books_ledger, books_proof  # noqa: E402


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def whole_command(db: Path, runs: int, full: bool, src: Path = SRC) -> None:
    argv = [sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
            "--db", str(db), "check", "--json", *(["--full"] if full else [])]
    env = dict(os.environ, PYTHONPATH=str(src))
    walls, cpus = [], []
    for i in range(runs):
        cpu0, t0 = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - cpu0)
        report = json.loads(done.stdout)
        months = report.get("months")  # older trees print no month table
        print(f"  run {i + 1}: exit {done.returncode}, {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, "
              f"{len(report['problems'])} problems, {len(months) - 1 if months else 0} months, "
              f"load {os.getloadavg()[0]:.1f}")
    print(f"jxc check{' --full' if full else ''}: median {statistics.median(walls):.2f} s wall "
          f"(worst {max(walls):.2f}), {statistics.median(cpus):.2f} s CPU")


@contextmanager
def part(name: str) -> Iterator[None]:
    c, w = _self_cpu(), time.perf_counter()
    yield
    print(f"  {name:34s} {time.perf_counter() - w:6.2f} s wall {_self_cpu() - c:6.2f} s CPU")


def parts(db_path: Path, full: bool) -> None:
    print("parts, in process (sqlite3 alone):")
    reads = PlainReads(db_path, uri=sqlite_uri(db_path, mode="ro"))
    with reads.read() as s:
        s.all("PRAGMA temp_store=MEMORY")
        with part("integrity_check + foreign keys" if full else "quick_check"):
            books_check._integrity(s, full)
        with part("months spanned"):
            months = books_flows.months_of(s)
        assert months is not None, "an empty shop"
        with part("stock_move: flows by month + chain sums"):
            ledger = books_flows.ledger_flows(s, months)
        with part("last balances, caches, batches"):
            books_ledger.ledger_findings(s, ledger.sums, full=full)
        with part("stored types (other tables)"):
            books_check._non_integers(s, frozenset({"stock_move"}))
        with part("documents: flows by month"):
            docs = books_flows.document_flows(s, months)
        with part("compare, month table, sale headers"):
            books_proof.term_differences(months, ledger, docs)
            books_proof.sale_header_findings(s, docs)
    with part("profit report by month (plain reader)"):
        books_check._profit(books_check._PlainReads(reads, PlainReports), months, ledger)
    reads.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, type=Path, help="a COPY of the shop file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="time `jxc check --full`")
    ap.add_argument("--src", type=Path, default=SRC, help="the src folder of the tree measured (default: this one)")
    args = ap.parse_args()
    src = args.src.resolve()
    print(f"tree {src}, load {os.getloadavg()[0]:.1f}")
    whole_command(args.db, args.runs, args.full, src)
    if src == SRC.resolve():
        parts(args.db, args.full)


if __name__ == "__main__":
    main()
