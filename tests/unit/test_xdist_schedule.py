"""The README's test command keeps a module that builds a shop once for its tests on one worker
(tests/xdist_schedule.py): every test module with a module-scoped fixture is one unit of work, every
other test a unit of its own."""

from __future__ import annotations

from pathlib import Path

from tests.xdist_schedule import unit_of

ROOT = Path(__file__).resolve().parents[2]


def test_a_module_with_a_module_fixture_is_one_unit() -> None:
    for module in ("tests/integration/test_books_check.py", "tests/integration/test_cli_catalog.py",
                   "tests/unit/test_reports_reconcile.py"):  # the last: scope="module" with params
        assert unit_of(f"{module}::test_x[1]", ROOT) == module
    single = "tests/unit/test_reorder_season.py::test_unknown_rule_is_refused"
    assert unit_of(single, ROOT) == single


def test_every_module_that_names_a_module_scope_is_grouped() -> None:
    modules = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")]
    scoped = [m for m in modules if 'scope="module"' in (ROOT / m).read_text(encoding="utf-8")
              and m != "tests/unit/test_xdist_schedule.py"]
    assert len(scoped) >= 10
    assert [m for m in scoped if unit_of(f"{m}::t", ROOT) != m] == []
