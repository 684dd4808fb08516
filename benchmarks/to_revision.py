"""Copy a benchmark file and take the copy down (or up) to a schema revision, so an older tree reads
the same data as the current one (issue 15: before and after measured on the same file).

    PYTHONPATH=src python benchmarks/to_revision.py SRC.sqlite3 OUT.sqlite3 --revision 0006

Runs this tree's alembic migrations (their ``downgrade()`` steps) on the copy through
``jxc_desktop.db.migrate.alembic_config``, as tests/integration/alembic_steps.py does, then
``VACUUM`` so the copy's pages are laid out as a fresh file's (a downgrade that rebuilds a table leaves
free pages behind) and ``PRAGMA quick_check``. The copy is made with SQLite's backup API; the source is
only read. Prints the revision reached, the time taken and the copy's size.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from alembic import command  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from jxc_desktop.db.migrate import alembic_config  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--revision", required=True, help="the alembic revision the copy is moved to, e.g. 0006")
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists: not overwritten", file=sys.stderr)
        return 2
    started = time.monotonic()
    with sqlite3.connect(f"file:{args.src}?mode=ro", uri=True) as source, sqlite3.connect(args.out) as target:
        source.backup(target)
    engine = create_engine(f"sqlite:///{args.out}", poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(f"sqlite:///{args.out}")
        cfg.attributes["connection"] = conn
        current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        (command.downgrade if args.revision < str(current) else command.upgrade)(cfg, args.revision)
        conn.commit()
        reached = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    con = sqlite3.connect(args.out)
    try:
        con.execute("VACUUM")
        check = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    print(f"{args.out}: revision {current} -> {reached} in {time.monotonic() - started:.1f} s, "
          f"{args.out.stat().st_size / 1e6:.0f} MB, quick_check {check}")
    return 0 if reached == args.revision and check == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
