"""The PDF renderers (``reports/``) draw DTOs: importing any of them must not load SQLAlchemy or the
database layer (they may use only ``services.*.dto``, the domain, i18n and reportlab). Each module
is imported in a fresh interpreter, so what another test loaded cannot hide a heavy import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
REPORTS = SRC / "jxc_desktop" / "reports"
MODULES = sorted(f"jxc_desktop.reports.{p.stem}" for p in REPORTS.glob("*.py") if p.stem != "__init__")
HEAVY = ("sqlalchemy", "jxc_desktop.db")

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
heavy = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in sys.argv[2:]))
print("\\n".join(heavy))
"""


def test_every_report_module_is_listed() -> None:
    assert {"jxc_desktop.reports.receipt", "jxc_desktop.reports.purchase_note",
            "jxc_desktop.reports.count_sheets"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_report_module_loads_no_database_layer(module: str) -> None:
    # The child imports these sources (not another installed copy of the package).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", PROBE, module, *HEAVY], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    loaded = out.stdout.split()
    assert loaded == [], f"{module} loads {', '.join(loaded[:5])}"
