"""Start-up figures of issue 15, from the PARENT's monotonic clock, medians of N runs.

    python benchmarks/bench_startup.py --src DIR --db BIG.sqlite3 [--small SMALL.sqlite3] [--runs 5]

* ``help``   ``jxc --help`` as a whole process (``python -c 'from jxc_desktop.cli import main'``, what
             the ``jxc`` script runs).
* ``cli``    ``jxc suppliers list`` and ``jxc init`` (opens the file, checks it, prints the revision:
             the fixed cost of a command) on the small file and the big one.
* ``reads``  the read commands that run on sqlite3 alone on a file at head (cli/context.py
             ``CliContext.read``: no SQLAlchemy), each a whole process on the big file, and one that
             still builds it (``count list``) for comparison — a command's fixed cost.
* ``docs``   the PDF of one document (``receipt``, ``shift slip``, ``purchase pdf``, ``count pdf``:
             the newest of each in the file), a whole process on the big file.
* ``pin``    with an owner PIN set on the --db copy (cleared after): protected commands with
             ``--pin-file``, the PIN checked and the approval written before each.
* ``cold``   the window, spawned offscreen, until it is ready for a scan: the tree's own
             ``JXC_READY_FILE`` marker (app.py writes ``time.monotonic()`` when shown, first tab
             loaded, event loop free); a tree without it is started through a wrapper that marks the
             same moment (a zero timer queued behind the window's first-tab load).

``--src`` is the source tree measured (PYTHONPATH), so the same script measures before and after.
The window writes settings into the file: give it a copy of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRAPPER = """
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from jxc_desktop import app
real = app.build_window
def build(services, path):
    window = real(services, path)
    def mark():
        Path(os.environ["JXC_READY_FILE"]).write_text(f"{time.monotonic():.6f}")
    QTimer.singleShot(0, mark)  # fires after show() and the first tab's load
    return window
app.build_window = build
sys.exit(app.main(sys.argv[1:]))
"""


def env_for(src: Path) -> dict[str, str]:
    """The tree's sources, offscreen, and compiled modules cached as an installed program has them
    (outside the tree: ``PYTHONPYCACHEPREFIX``), so no run pays for compiling sources."""
    env = dict(os.environ, PYTHONPATH=str(src), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "jxc-bench-pycache" / src.as_posix().strip("/"))
    return env


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far: on a busy machine the
    wall time grows with the load, the CPU a start needs much less."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


CPU: list[float] = []  # the CPU seconds of each measured child, beside its wall time


def timed(cmd: list[str], env: dict[str, str]) -> float:
    cpu0 = children_cpu()
    t0 = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.monotonic() - t0
    CPU.append(children_cpu() - cpu0)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd}: exit {proc.returncode}: {proc.stderr[-500:]}")
    return took


def jxc(src: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from jxc_desktop.cli import main; sys.exit(main())", *args]


def cold_start(src: Path, db: Path, timeout: float = 300.0) -> float:
    marker = "JXC_READY_FILE" in (src / "jxc_desktop" / "app.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="jxc-ready-") as tmp:
        ready = Path(tmp) / "ready"
        env = env_for(src) | {"JXC_READY_FILE": str(ready)}
        cmd = ([sys.executable, "-m", "jxc_desktop", "--db", str(db)] if marker
               else [sys.executable, "-c", WRAPPER, "--db", str(db)])
        cpu0 = children_cpu()
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            while not (ready.exists() and ready.read_text().strip()):
                if proc.poll() is not None:
                    raise RuntimeError(f"window exited {proc.returncode}: {proc.stderr.read()[-1000:]}")
                if time.monotonic() - t0 > timeout:
                    raise RuntimeError("window not ready in time")
                time.sleep(0.002)
            return float(ready.read_text()) - t0
        finally:
            proc.kill()  # at once: its CPU until then is (about) what the start took
            proc.wait()
            CPU.append(children_cpu() - cpu0)


# Reads a shop runs every day, each with little to read on the day itself (``today``): what remains
# is the command's fixed cost. (``members levels``, the comparison with SQLAlchemy until session 16,
# reads on sqlite3 alone too once the shop has its levels.)
READS = (["pin", "status"], ["staff", "list"], ["audit"], ["sales", "list"], ["purchase", "list"],
         ["report", "payments", "--period", "today"], ["report", "hours", "--period", "today"],
         ["report", "cashiers", "--period", "today"], ["report", "purchases", "--period", "today"],
         ["sales", "summary"], ["shifts", "list"], ["count", "list"], ["backup", "--list"],
         ["accounts", "payable"], ["accounts", "receivable", "--aging"], ["members", "levels"],
         ["report", "shifts", "--period", "today"], ["report", "members", "--period", "today"],
         ["report", "sell-through", "--period", "today"], ["report", "broken-sizes"],
         ["report", "season", "--period", "today"], ["report", "abc", "--period", "today"],
         ["report", "promotions", "--period", "today"],
         # the stock reports: these read every product's position (today's: the cached one) whatever the day
         ["report", "stock-value"], ["report", "turnover", "--period", "today"], ["report", "slow"],
         ["report", "expiry"], ["report", "cover", "--period", "today"],
         ["reorder"], ["reorder", "--rule", "season"], ["styles", "list"], ["promotions", "list"],
         ["products", "search", "kl"],  # the scan line's ranked search
         ["stock", "--expiring", "30"])  # the products with a batch expiring within 30 days or expired
# ``report forecast CODE`` of the file's best-selling product (its code looked up once)
TOP_SELLER = ("SELECT product.code FROM sale_line JOIN product ON product.id = sale_line.product_id"
              " GROUP BY sale_line.product_id ORDER BY count(*) DESC LIMIT 1")
# Commands that need the owner PIN once one is set (``pin``: set on the --db copy for the runs,
# taken off after): the PIN is checked, and the approval written, before each.
PIN_READS = (["report", "profit", "--period", "today"], ["report", "purchases", "--period", "today"],
             ["purchase", "list"], ["stock", "--low"])
PIN = "2468"
# The PDF of one document (the newest of its kind in the file, looked up once): ``--only docs``.
DOCUMENTS = ((["receipt"], "SELECT number FROM sale ORDER BY id DESC LIMIT 1"),
             (["shift", "slip"], "SELECT id FROM shift ORDER BY id DESC LIMIT 1"),
             (["purchase", "pdf"], "SELECT number FROM purchase ORDER BY id DESC LIMIT 1"),
             (["count", "pdf"], "SELECT number FROM stock_count ORDER BY id DESC LIMIT 1"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, required=True, help="the source tree measured (its src/ folder)")
    ap.add_argument("--db", type=Path, required=True, help="the big file (a copy: the window writes settings)")
    ap.add_argument("--small", type=Path, help="a small shop file (made with jxc demo if missing)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="help,cli,cold")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    src = args.src.resolve()
    env = env_for(src)
    only = set(args.only.split(","))
    out: dict[str, object] = {"src": str(src), "db": str(args.db), "runs": args.runs}

    def median(fn) -> dict[str, object]:  # type: ignore[no-untyped-def]
        CPU.clear()
        xs = [fn() for _ in range(args.runs)]
        return {"median_s": round(statistics.median(xs), 3), "all_s": [round(x, 3) for x in xs],
                "cpu_median_s": round(statistics.median(CPU), 3)}

    timed(jxc(src, "--help"), env)  # once: fills the compiled-module cache
    if "help" in only:
        out["jxc --help"] = median(lambda: timed(jxc(src, "--help"), env))
    if "cli" in only:
        files = [("big", args.db)]
        if args.small:
            if not args.small.exists():
                subprocess.run(jxc(src, "--db", str(args.small), "demo"), env=env, check=True,
                               capture_output=True)
            files.insert(0, ("small", args.small))
        for label, path in files:
            timed(jxc(src, "--db", str(path), "init"), env)  # once: any upgrade or recovery is not a start
            for words in (["suppliers", "list"], ["init"]):
                out[f"jxc {' '.join(words)} ({label})"] = median(
                    lambda w=words, p=path: timed(jxc(src, "--db", str(p), *w), env))
    if "reads" in only:
        con = sqlite3.connect(args.db)
        top = con.execute(TOP_SELLER).fetchone()
        con.close()
        for words in (*READS, *([["report", "forecast", top[0]]] if top else [])):
            out[f"jxc {' '.join(words)} (big)"] = median(
                lambda w=words: timed(jxc(src, "--db", str(args.db), *w), env))
    if "docs" in only:
        con = sqlite3.connect(args.db)
        newest = [(words, con.execute(sql).fetchone()) for words, sql in DOCUMENTS]
        con.close()
        with tempfile.TemporaryDirectory() as tmp:
            for words, found in newest:
                if found is not None:
                    w = [*words, str(found[0]), "--pdf", str(Path(tmp) / "doc.pdf")]
                    out[f"jxc {' '.join(words)} (big)"] = median(
                        lambda w=w: timed(jxc(src, "--db", str(args.db), *w), env))
    if "pin" in only:
        with tempfile.TemporaryDirectory() as tmp:
            pin_file = Path(tmp) / "pin.txt"
            pin_file.write_text(PIN + "\n", encoding="utf-8")
            subprocess.run(jxc(src, "--db", str(args.db), "pin", "set", "--new-pin-file", str(pin_file)), env=env,
                           check=True, capture_output=True)
            try:
                for words in PIN_READS:
                    out[f"jxc --pin-file F {' '.join(words)} (big, PIN set)"] = median(
                        lambda w=words: timed(jxc(src, "--db", str(args.db), "--pin-file", str(pin_file), *w), env))
            finally:
                subprocess.run(jxc(src, "--db", str(args.db), "--pin-file", str(pin_file), "pin", "clear"), env=env,
                               check=True, capture_output=True)
    if "cold" in only:
        cold_start(src, args.db)  # once: a first open may upgrade the file; the page cache is warm after
        out["cold start to ready (window)"] = median(lambda: cold_start(src, args.db))
    for key, value in out.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
