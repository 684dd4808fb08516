"""The count sheets render DTOs: importing them loads neither SQLAlchemy nor the database layer
(issue 12: reports import only services.*.dto, domain, i18n and reportlab)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_count_sheets_loads_no_database() -> None:
    code = ("import sys, jxc_desktop.reports.count_sheets\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')\n"
            "             or m.startswith(('jxc_desktop.db', 'jxc_desktop.ui')))\n"
            "services = sorted(m for m in sys.modules if m.startswith('jxc_desktop.services.')\n"
            "                  and not m.endswith('.dto') and m.count('.') > 2)\n"
            "print(bad + services)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
