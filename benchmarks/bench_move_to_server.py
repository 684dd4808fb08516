"""Time ``jxc move-to-server`` on a 365-day demo shop (issue 21: "moves a 365-day demo shop and both
checks agree to the fen").

    PYTHONPATH=src:. .venv/bin/python benchmarks/bench_move_to_server.py [--url postgresql://jxc@host/empty_db]
                                                                      [--src /work/bench/demo365.sqlite3]

The shop file is made first when missing (``jxc demo --days 365 --today 2026-11-30``: a few minutes),
then moved into the EMPTY server database ``--url`` — without ``--url``, into a new database on a
throwaway local cluster (benchmarks/pg_throwaway.py: fsync on, as in a shop). Prints the rows, the
time of the copy and of the whole move (both books checks and the figures), the figures of both
sides and the row count of every table. Exit 1 when they do not agree.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pg_throwaway import cluster, create_database  # noqa: E402
from jxc_desktop.cli import main as jxc  # noqa: E402
from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.services.safety.move_to_server import POINT_FIGURES, move_to_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an empty PostgreSQL database (default: one on a throwaway local cluster)")
    parser.add_argument("--src", default="/work/bench/demo365.sqlite3", help="the shop file (made when missing)")
    args = parser.parse_args()
    src = Path(args.src)
    if not src.exists():
        src.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        if jxc(["--db", str(src), "demo", "--days", "365", "--today", "2026-11-30"]) != 0:
            return 1
        print(f"demo shop made in {time.perf_counter() - t:.1f} s")
    migrate(src)
    db = Database.for_file(src)
    copy_done: list[float] = []
    started = 0.0  # set once the server is up: the times are the move's own

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "copy" and done == total and not copy_done:
            copy_done.append(time.perf_counter() - started)

    try:
        with ExitStack() as stack:
            url = args.url or create_database(stack.enter_context(cluster()), "jxc_move")
            started = time.perf_counter()  # progress() reads it
            result = move_to_server(db, url, progress=progress)
    finally:
        db.dispose()
    print(f"rows {result.rows}: schema + copy {copy_done[0] if copy_done else 0:.1f} s, "
          f"whole move with both checks {result.seconds:.1f} s")
    print("figure\tfile\tserver\t(fen unless points)")
    for key, ours in result.source.as_dict().items():
        theirs = result.target.as_dict()[key]
        print(f"{key}\t{ours}\t{theirs}\t{'agrees' if ours == theirs else 'DIFFERS'}"
              f"{'  (points)' if key in POINT_FIGURES else ''}")
    print("table\tfile\tserver")
    for table, a, b in sorted(result.tables, key=lambda t: -t[1]):
        print(f"{table}\t{a}\t{b}{'' if a == b else '  DIFFERS'}")
    for side, report in (("file", result.source_check), ("server", result.target_check)):
        for p in report.problems:
            print(f"{side}: {p.kind} [{p.where}] {p.detail}")
    print(f"check file ok={result.source_check.ok} server ok={result.target_check.ok}; all agree: {result.ok}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
