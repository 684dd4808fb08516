"""The `jxc` outputs on a fixed demo shop are those recorded before the services were regrouped.

tests/data/cli_snapshot.json was written by tools/cli_snapshot.py on main before "one house"; a
change that alters any command's exit code, stdout or stderr (JSON fields, text tables, messages)
fails here, command by command. Re-record only for an intended change of output, and say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_outputs_match_the_recorded_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "now.json"
    subprocess.run([sys.executable, str(ROOT / "tools" / "cli_snapshot.py"), str(out)], check=True, timeout=600)
    recorded = json.loads((ROOT / "tests" / "data" / "cli_snapshot.json").read_text(encoding="utf-8"))
    now = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(now) == sorted(recorded)
    changed = [cmd for cmd in recorded if now[cmd] != recorded[cmd]]
    assert not changed, "outputs changed for: " + "; ".join(changed)
