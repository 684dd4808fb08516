"""What the owner feels, measured through the user's path (issue 15), on one file, for one source tree.

    python benchmarks/owner_feel.py --db FILE [--src DIR] [--runs 5] [--json OUT] [--only a,b,c,d,e]

  a / cold     cold start of the window, from THIS process's monotonic clock: spawn
               ``python -m jxc_desktop --db FILE`` (offscreen) and stop when the window is ready for a
               scan — shown, first tab loaded, event loop idle. With ``JXC_READY_FILE`` in the tree's
               app.py the app writes that moment itself; a tree without it is started through
               owner_feel_window.py (wraps ``app.build_window``, marks the same moment). Medians.
  b / cli      whole ``jxc`` processes beside the bare ``sqlite3`` shell: profit by day and by product
               over 12 months, ``stock --json`` (budget ≤ 1.5×), and ``jxc --help``.
  c / filter   the products-tab filter as typed: the tree's benchmarks/bench_products_tab.py --json when
               it has that flag, else keys typed into the real tab here (owner_feel_window.py);
               ``--filter-method typed`` always types here, to measure two trees the same way.
  d / receipt  the first receipt PDF of a process vs later ones (budget 30 ms): in a bare process and in
               the window after it has been up for a few seconds.
  e / memory   peak RSS of the window through every report × grouping of the reports tab, 12 months
               (budget 300 MB), and each report's time in the tab (profit by day/product: budget 1 s).

``--src`` sets PYTHONPATH for every child, so the same runner measures the old tree and the new one.
The children run from bytecode compiled once into a folder outside the tree (PYTHONPYCACHEPREFIX), as
an installed program does; before session 6 they compiled every module of the tree at each start.
The window writes settings into the file: give it a copy. Prints a table; ``--json`` writes all figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WINDOW = HERE / "owner_feel_window.py"
PREFIX = "OWNER_FEEL_JSON "
STEPS = {"a": "cold", "b": "cli", "c": "filter", "d": "receipt", "e": "memory"}
ENTRY = "import sys; from jxc_desktop.cli import main; sys.exit(main())"  # what the `jxc` script runs
LABELS = {"profit_by_day": "jxc report profit --by day, 12 months",
          "profit_by_product": "jxc report profit --by product, 12 months", "stock_json": "jxc stock --json"}
BUDGET = {"cold_s": 2.0, "cli_ratio": 1.5, "help_s": 0.2, "filter_p95_ms": 30.0, "receipt_ms": 30.0,
          "peak_rss_mb": 300.0, "profit_tab_s": 1.0}


_COMPILED: dict[Path, str] = {}


def bytecode_for(src: Path) -> str:
    """A folder of the tree's compiled modules outside the tree (PYTHONPYCACHEPREFIX), made once:
    an installed program runs from bytecode (pip and the bundle compile it), so the children
    should not compile the sources on every start — nor write into the tree measured. The prefix
    holds the bytecode of EVERY module imported (the standard library's and site-packages' too), so
    the children may write into it: with writing off they compiled those again at each start
    (``jxc --help`` 0.5 s instead of 0.08 s). The first child of a kind is an untimed warm-up."""
    if src not in _COMPILED:
        prefix = Path(tempfile.gettempdir()) / f"owner-feel-pyc-{hashlib.sha1(str(src).encode()).hexdigest()[:12]}"
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False, capture_output=True,
                       env={**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)})
        _COMPILED[src] = str(prefix)
    return _COMPILED[src]


def child_env(src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JXC_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(PYTHONPATH=str(src), QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=bytecode_for(src))
    return env


def from_child(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(PREFIX):
            return dict(json.loads(line[len(PREFIX):]))
    raise RuntimeError(f"child failed (exit {proc.returncode}): {proc.stderr[-2000:]}")


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------------- (a) cold start


def has_marker(src: Path) -> bool:
    app = src / "jxc_desktop" / "app.py"
    return app.is_file() and "JXC_READY_FILE" in app.read_text(encoding="utf-8")


def one_cold_start(db: Path, src: Path, marker_in_app: bool, timeout: float = 180.0) -> float:
    with tempfile.TemporaryDirectory(prefix="jxc-ready-") as tmp:
        ready = Path(tmp) / "ready"
        env = child_env(src) | {"JXC_READY_FILE": str(ready)}
        cmd = ([sys.executable, "-m", "jxc_desktop", "--db", str(db)] if marker_in_app
               else [sys.executable, str(WINDOW), "ready", "--db", str(db)])
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            while not (ready.exists() and ready.read_text().strip()):
                if proc.poll() is not None:
                    raise RuntimeError(f"the window exited {proc.returncode} before it was ready: "
                                       f"{(proc.stderr.read() if proc.stderr else '')[-2000:]}")
                if time.monotonic() - t0 > timeout:
                    raise RuntimeError(f"the window was not ready within {timeout:.0f} s")
                time.sleep(0.005)
            return float(ready.read_text()) - t0  # the child's monotonic moment: same clock on Linux
        finally:
            proc.kill()  # nothing to save; the OS lock on the file dies with the process
            proc.wait()


def cold_start(db: Path, src: Path, runs: int) -> dict[str, Any]:
    marker = has_marker(src)
    one_cold_start(db, src, marker)  # untimed: the window's modules' bytecode written, the page cache warm
    times = [one_cold_start(db, src, marker) for _ in range(runs)]
    method = ("JXC_READY_FILE written by the app (app.py) after show + first tab + idle" if marker else
              "no marker in this tree: owner_feel_window.py ready (wraps app.build_window, same moment)")
    return {"median_s": round(median(times), 3), "runs_s": [round(t, 3) for t in times], "method": method,
            "budget_s": BUDGET["cold_s"]}


# ---------------------------------------------------------------------- (b) whole commands


def twelve_months() -> tuple[str, str]:
    today = date.today()
    return (today - timedelta(days=364)).isoformat(), today.isoformat()


def bare_sql(first: str, last: str) -> dict[str, str]:
    """The same aggregates the reports read (as benchmarks/bench_reports.py), for the sqlite3 shell."""
    lines = ("SELECT {sel}, kind, SUM(qty), SUM(amount), SUM(discount), SUM(cost), COUNT(*) FROM sale_line "
             f"WHERE kind IN ('sale','return') AND status='posted' AND business_day BETWEEN '{first}' AND '{last}' "
             "GROUP BY kind, {sel}")
    docs = ("SELECT business_day, SUM(kind='sale'), SUM(kind='return') FROM sale WHERE status='posted' "
            f"AND business_day BETWEEN '{first}' AND '{last}' GROUP BY business_day;")
    counts = ("SELECT {sel}, SUM(CASE WHEN kind='count_gain' THEN value ELSE 0 END), "
              "SUM(CASE WHEN kind='count_loss' THEN -value ELSE 0 END) FROM stock_move WHERE doc_type='count' "
              f"AND kind IN ('count_gain','count_loss') AND created_at >= '{first}' AND created_at < "
              f"date('{last}', '+2 days') GROUP BY {{sel}};")
    by_product = ("SELECT p.code, p.name, c.name, agg.* FROM (" + lines.format(sel="product_id") + ") agg "
                  "JOIN product p ON p.id = agg.product_id LEFT JOIN category c ON c.id = p.category_id;")
    stock = ("SELECT p.code, (SELECT b.code FROM barcode b WHERE b.product_id = p.id AND b.multiplier = 1 "
             "ORDER BY b.id LIMIT 1) AS barcode, p.name, p.stock_qty AS qty, p.avg_cost, p.stock_value AS value "
             "FROM product p WHERE p.active ORDER BY p.code;")
    return {"profit_by_day": lines.format(sel="business_day") + ";" + docs
            + counts.format(sel="date(created_at, 'localtime')"),
            "profit_by_product": by_product + counts.format(sel="product_id"),
            "stock_json": stock}


def timed(cmd: list[str], env: dict[str, str] | None, runs: int) -> tuple[list[float], int]:
    times: list[float] = []
    code = 0
    for _ in range(runs):
        t0 = time.monotonic()
        proc = subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.monotonic() - t0)
        code = code or proc.returncode
        if proc.returncode:
            print(f"  ! {' '.join(cmd[-6:])}: exit {proc.returncode}: {proc.stderr.decode()[-300:]}",
                  file=sys.stderr)
    return times, code


def cli(db: Path, src: Path, runs: int) -> dict[str, Any]:
    env = child_env(src)
    jxc = [sys.executable, "-c", ENTRY]
    first, last = twelve_months()
    sql = bare_sql(first, last)
    shell = shutil.which("sqlite3")
    out: dict[str, Any] = {"period": [first, last], "sqlite3": shell or "missing"}
    timed(jxc + ["--help"], env, 1)  # untimed warm-up (bytecode of the modules --help imports)
    help_t, code = timed(jxc + ["--help"], env, runs)
    out["help"] = {"median_s": round(median(help_t), 3), "runs_s": [round(t, 3) for t in help_t],
                   "exit": code, "budget_s": BUDGET["help_s"]}
    cases = {"profit_by_day": ["report", "profit", "--from", first, "--to", last, "--by", "day"],
             "profit_by_product": ["report", "profit", "--from", first, "--to", last, "--by", "product"],
             "stock_json": ["stock", "--json"]}
    for name, args in cases.items():
        jt, jcode = timed(jxc + ["--db", str(db)] + args, env, runs)
        row: dict[str, Any] = {"jxc": "jxc " + " ".join(args), "label": LABELS[name], "jxc_median_s": round(median(jt), 3),
                               "jxc_runs_s": [round(t, 3) for t in jt], "jxc_exit": jcode}
        if shell:
            st, scode = timed([shell, "-readonly", "-json" if name == "stock_json" else "-list", str(db),
                               sql[name]], None, runs)
            row.update(sqlite3_median_s=round(median(st), 3), sqlite3_runs_s=[round(t, 3) for t in st],
                       sqlite3_exit=scode, ratio=round(median(jt) / median(st), 2), budget_ratio=BUDGET["cli_ratio"],
                       sql=sql[name])
        out[name] = row
    return out


# ---------------------------------------------------------------------- (c) (d) (e) in the window


def tab_bench_script(src: Path) -> Path | None:
    """The products-tab benchmark that can answer in JSON: the measured tree's, else this one's."""
    for candidate in (src.parent / "benchmarks" / "bench_products_tab.py", HERE / "bench_products_tab.py"):
        if candidate.is_file() and '"--json"' in candidate.read_text(encoding="utf-8"):
            return candidate
    return None


def filter_from_script(script: Path, db: Path, src: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(script), "--db", str(db), "--json"], env=child_env(src),
                          capture_output=True, text=True, check=False, timeout=3600)
    text = proc.stdout.strip()
    start = text.find("{")
    if proc.returncode or start < 0:
        raise RuntimeError(f"{script} failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return {"method": f"{script} --json", "result": json.loads(text[start:text.rfind('}') + 1])}


def window_steps(db: Path, src: Path, steps: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(WINDOW), "tour", "--db", str(db), "--steps", ",".join(steps)],
                          env=child_env(src), capture_output=True, text=True, check=False, timeout=3600)
    return from_child(proc)


def receipt_bare(db: Path, src: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(WINDOW), "receipt-bare", "--db", str(db)], env=child_env(src),
                          capture_output=True, text=True, check=False, timeout=600)
    return from_child(proc)


# ---------------------------------------------------------------------- report


def verdict(value: float | None, budget: float) -> str:
    if value is None or value != value:
        return "?"
    return "ok" if value <= budget else "OVER"


def table(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if "cold" in res:
        c = res["cold"]
        rows.append(("cold start to window ready", f"{c['median_s']:.2f} s", "2 s", verdict(c["median_s"], 2.0)))
    if "cli" in res:
        c = res["cli"]
        rows.append(("jxc --help", f"{c['help']['median_s']:.2f} s", "0.2 s", verdict(c["help"]["median_s"], 0.2)))
        for name in ("profit_by_day", "profit_by_product", "stock_json"):
            r = c[name]
            bare = f" vs sqlite3 {r['sqlite3_median_s']:.2f} s = {r['ratio']:.2f}x" if "ratio" in r else ""
            rows.append((r["label"], f"{r['jxc_median_s']:.2f} s{bare}", "1.5x", verdict(r.get("ratio"), 1.5)))
    if "filter" in res:
        f = res["filter"]
        for label in ("pinyin", "name", "code"):
            if isinstance(f.get(label), dict) and "p95_ms" in f[label]:
                p95 = f[label]["p95_ms"]
                cpu = f" (cpu p95 {f[label]['cpu_p95_ms']:.1f} ms)" if "cpu_p95_ms" in f[label] else ""
                rows.append((f"products filter typed, {label} p95", f"{p95:.1f} ms{cpu}", "30 ms", verdict(p95, 30)))
        if "result" in f:
            rows.append(("products filter typed", "see JSON (bench_products_tab.py)", "30 ms", ""))
    if "receipt" in res:
        r = res["receipt"]
        for key, label in (("bare", "bare process"), ("in_window", "in the window")):
            x = r.get(key) or {}
            if "first_ms" in x:
                cpu = f" (cpu {x['first_cpu_ms']:.0f} ms)" if "first_cpu_ms" in x else ""
                rows.append((f"receipt PDF, first of a process ({label})", f"{x['first_ms']:.0f} ms{cpu}", "30 ms",
                             verdict(x["first_ms"], 30)))
                cpu = f" (cpu {x['later_cpu_median_ms']:.0f} ms)" if x.get("later_cpu_median_ms") is not None else ""
                rows.append((f"receipt PDF, later ({label}) median", f"{x['later_median_ms']:.0f} ms{cpu}", "30 ms",
                             verdict(x["later_median_ms"], 30)))
    if "memory" in res and "peak_rss_mb" in res["memory"]:
        m = res["memory"]
        rows.append((f"window peak RSS, {len(m['runs'])} reports toured", f"{m['peak_rss_mb']:.0f} MB", "300 MB",
                     verdict(m["peak_rss_mb"], 300)))
        # DESIGN §9: the profit summary over 12 months by day and by product in under a second — in
        # the tab: from Refresh to the table shown (sized, chart drawn), not the service call alone
        for r in m["runs"]:
            if r["report"] == "profit" and r["by"] in ("day", "product"):
                rows.append((f"profit by {r['by']} in the reports tab, 12 months", f"{r['seconds']:.2f} s",
                             f"{BUDGET['profit_tab_s']:.0f} s", verdict(r["seconds"], BUDGET["profit_tab_s"])))
        slow = max(m["runs"], key=lambda r: r["seconds"])
        rows.append(("slowest report in the tab", f"{slow['report']} {slow['by']} {slow['seconds']:.2f} s", "", ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--src", type=Path, default=HERE.parent / "src", help="source tree measured (PYTHONPATH)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None, dest="json_out")
    ap.add_argument("--only", default="a,b,c,d,e", help="steps: a..e or cold,cli,filter,receipt,memory")
    ap.add_argument("--filter-method", choices=("auto", "typed"), default="auto",
                    help="auto: bench_products_tab.py --json when there is one, else typed here; typed: always "
                         "typed here (the same method for an old and a new tree)")
    args = ap.parse_args(argv)
    db, src = args.db.resolve(), args.src.resolve()
    if not db.is_file() or not (src / "jxc_desktop").is_dir():
        print(f"need an existing --db file and a --src tree holding jxc_desktop/ ({db}, {src})", file=sys.stderr)
        return 2
    wanted = {STEPS.get(s.strip(), s.strip()) for s in args.only.split(",") if s.strip()}
    unknown = wanted - set(STEPS.values())
    if unknown:
        print(f"unknown step(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    res: dict[str, Any] = {"meta": {
        "db": str(db), "db_mb": round(db.stat().st_size / 1e6), "src": str(src), "runs": args.runs,
        "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "python": platform.python_version(),
        "cpus": os.cpu_count(), "load_average_start": os.getloadavg()[0], "filter_method": args.filter_method}}
    t_all = time.monotonic()
    # Open the file once through `jxc` first: a tree newer than the file upgrades it here, not inside
    # the first timed start.
    prep = subprocess.run([sys.executable, "-c", ENTRY, "--db", str(db), "report", "profit", "--period", "today"],
                          env=child_env(src), capture_output=True, text=True, check=False, timeout=3600)
    res["meta"]["prepared"] = f"jxc report profit --period today: exit {prep.returncode}"
    if "cold" in wanted:
        res["cold"] = cold_start(db, src, args.runs)
    if "cli" in wanted:
        res["cli"] = cli(db, src, args.runs)
    window: list[str] = []
    if "filter" in wanted:
        script = tab_bench_script(src) if args.filter_method != "typed" else None
        try:
            if args.filter_method == "typed":
                raise LookupError("--filter-method typed")
            if script is None:
                raise LookupError("no bench_products_tab.py with --json")
            res["filter"] = filter_from_script(script, db, src)
        except (LookupError, RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
            res["filter_script"] = repr(exc)  # measured here instead, keys typed into the tab
            window.append("c")
    if "receipt" in wanted:
        receipt_bare(db, src)  # untimed warm-up: the PDF modules' bytecode written as an install has it
        res["receipt"] = {"bare": receipt_bare(db, src), "budget_ms": BUDGET["receipt_ms"]}
        window.append("d")
    if "memory" in wanted:
        window.append("e")
    # Memory in a window of its own (nothing else opened before the tour); receipts and the typed
    # filter (when measured here) share another.
    for group in ([s for s in window if s != "e"], ["e"] if "e" in window else []):
        if not group:
            continue
        got = window_steps(db, src, group)
        errors = {k: v["error"] for k, v in got.items() if isinstance(v, dict) and "error" in v}
        if errors:
            res.setdefault("window_error", {}).update(errors)
        if "c" in group:
            res["filter"] = got.get("filter", {})
        if "d" in group:
            res["receipt"]["in_window"] = dict(got.get("receipt_in_window", {}),
                                               after_idle_s=got.get("idle_after_ready_s"))
        if "e" in group:
            res["memory"] = dict(got.get("tour", {}), ready_rss_mb=got.get("ready_rss_mb"),
                                 budget_mb=BUDGET["peak_rss_mb"])
    res["meta"].update(load_average_end=os.getloadavg()[0], seconds=round(time.monotonic() - t_all, 1))
    print(f"owner_feel: {src} on {db.name} ({res['meta']['db_mb']} MB), runs {args.runs}, load "
          f"{res['meta']['load_average_start']:.1f}→{res['meta']['load_average_end']:.1f} on {os.cpu_count()} CPUs")
    if "cold" in res:
        print(f"cold start method: {res['cold']['method']}")
    if "filter" in res:
        print(f"filter method: {res['filter'].get('method', '?')}")
    rows = table(res)
    width = max((len(r[0]) for r in rows), default=10)
    for name, value, budget, ok in rows:
        print(f"  {name:<{width}}  {value:<42} {budget:>7}  {ok}")
    if "window_error" in res:
        print(f"  window harness error: {res['window_error']}")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
