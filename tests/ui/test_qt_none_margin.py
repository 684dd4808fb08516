"""PySide6 drops a reference to None on each void model call (measured: beginResetModel,
endResetModel, changePersistentIndexList); the margin of ui/qt_compat.py keeps None alive, so a
session that reloads many reports does not abort at exit ("none_dealloc")."""

from __future__ import annotations

import sys

import pytest

from jxc_desktop.ui.models.report_table import ReportTableModel
from jxc_desktop.ui.qt_compat import protect_bools


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_none_has_the_margin_and_resets_keep_it(qapp) -> None:  # type: ignore[no-untyped-def]
    protect_bools()
    assert sys.getrefcount(None) > 1 << 29
    model = ReportTableModel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        model.set_table(None)  # beginResetModel + endResetModel
    assert sys.getrefcount(None) > before - 10_000  # a few references at most, never the margin
