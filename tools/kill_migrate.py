"""The kill campaign for creating and upgrading a database, at the size you ask for (issue 11 §1).

    .venv/bin/python tools/kill_migrate.py [KILLS=400] [WORKDIR=/tmp/jxc-kill-migrate]

Prints the counts as JSON: kills tried, how many landed mid-migration (read from the marker the
child writes), files found as they were / complete / broken after a kill, and the normal starts
after each chain of kills. tests/integration/test_kill_migrate.py runs the same campaign, capped.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "integration")]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests" / "integration")])

import kill_migrate_campaign as campaign  # noqa: E402


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/jxc-kill-migrate")
    started = time.monotonic()
    counts = campaign.run(work, kills, seed=int(os.environ.get("SEED", "1")))
    print(json.dumps({**counts.as_dict(), "seconds": round(time.monotonic() - started, 1)}, indent=2,
                     ensure_ascii=False))
    return 0 if not counts.problems and counts.broken == 0 and counts.starts_ok == counts.starts else 1


if __name__ == "__main__":
    raise SystemExit(main())
