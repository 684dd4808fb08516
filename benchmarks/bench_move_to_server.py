"""Time ``jxc move-to-server`` on a 365-day demo shop (issue 21: "moves a 365-day demo shop and both
checks agree to the fen").

    .venv/bin/python benchmarks/bench_move_to_server.py --url postgresql://jxc@host/empty_db
                                                        [--src /work/bench/demo365.sqlite3]

The shop file is made first when missing (``jxc demo --days 365 --today 2026-11-30``: a few minutes),
then moved into the EMPTY server database ``--url``: prints the rows, the time of the copy and of the
whole move (both books checks and the figures), and the figures of both sides. Exit 1 when they do
not agree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.safety.move_to_server import move_to_server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="an empty PostgreSQL database")
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
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "copy" and done == total and not copy_done:
            copy_done.append(time.perf_counter() - started)

    try:
        result = move_to_server(db, args.url, progress=progress)
    finally:
        db.dispose()
    print(f"rows {result.rows}: schema + copy {copy_done[0] if copy_done else 0:.1f} s, "
          f"whole move with both checks {result.seconds:.1f} s")
    for key, ours in result.source.as_dict().items():
        print(f"{key}\t{ours}\t{result.target.as_dict()[key]}")
    print(f"check file ok={result.source_check.ok} server ok={result.target_check.ok}; all agree: {result.ok}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
