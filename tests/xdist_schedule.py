"""How the README's test command (``pytest -n 2``) hands tests to its workers (pytest plugin,
registered in tests/conftest.py).

xdist's default ``load`` sends single tests wherever a worker is free, so the tests of a module that
builds a shop once for the module (a module-scoped fixture: a year's demo, a 2 000-product demo,
property templates) ran on both workers and each worker built that shop. ``--dist loadgroup`` would
keep marked tests together, but with pytest 9 it no longer does (xdist writes the group into
``item._nodeid``, which pytest 9 no longer reads). So this scheduler, used in place of ``load``:

- a module whose source defines a module-scoped fixture is one unit of work, run on one worker, so
  the fixture is built once per run;
- every other test is a unit of its own, as with ``load``;
- the modules' units go first (xdist queues units by their number of tests, most first): they are
  the long ones, and a long unit started last would leave the other worker idle at the end.

Any other ``--dist`` given on the command line is left to xdist.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

MODULE_FIXTURE = re.compile(r"""@pytest\.fixture\([^)]*scope\s*=\s*["']module["']""")


@cache
def builds_once_per_module(module: Path) -> bool:
    """Whether the test module's source defines a module-scoped fixture."""
    try:
        return MODULE_FIXTURE.search(module.read_text(encoding="utf-8")) is not None
    except OSError:
        return False


def unit_of(nodeid: str, root: Path) -> str:
    """The unit of work a test belongs to: its module, or the test alone (node ids are relative
    to the rootdir)."""
    module = nodeid.split("::", 1)[0]
    return module if builds_once_per_module(root / module) else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # type: ignore[no-untyped-def]
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    root = config.rootpath

    class ModuleFixtureScheduling(LoadScopeScheduling):
        # LoadScopeScheduling queues the units by their number of tests, most first (xdist's
        # --loadscope-reorder, on by default), the collection order kept among equals: the
        # modules' units go ahead of the single tests.
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid, root)

    return ModuleFixtureScheduling(config, log)
