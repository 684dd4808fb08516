"""Opening a file already at head needs no alembic import (cold start); the revision ids read
from the migration files must agree with alembic's own reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from jxc_desktop.db import migrate as m


def test_revision_graph_matches_alembic() -> None:
    script = ScriptDirectory.from_config(m.alembic_config("sqlite://"))
    assert m.head_revision() == script.get_current_head()
    assert m.known_revisions() == {r.revision for r in script.walk_revisions()}
    for rev in script.walk_revisions():
        downs = rev.down_revision
        expected = tuple(downs) if isinstance(downs, tuple | list) else ((downs,) if downs else ())
        assert m.revision_graph()[rev.revision] == expected


def test_opening_a_current_file_does_not_import_alembic(db_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from jxc_desktop.db.migrate import migrate; "
            "r = migrate(Path(sys.argv[1])); assert not r.created and r.upgraded_from is None; "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
