"""The reports tab's choosers and the ``jxc report`` sub-commands are both built from the one report
catalogue: every entry appears in both, with the same groupings, sorts and options — and an entry
taken out of the catalogue leaves both."""

from __future__ import annotations

import argparse

import pytest

from jxc_desktop import i18n
from jxc_desktop.cli import build_parser
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import ReportKind, Span
from jxc_desktop.ui.reports_tab import ReportsTab


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def report_commands() -> dict[str, argparse.ArgumentParser]:
    return _subparsers(_subparsers(build_parser())["report"])


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


def _items(box) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(box.itemText(i), box.itemData(i)) for i in range(box.count())]


NOT_CATALOGUE = {"forecast"}


def test_every_catalogue_report_is_a_command_with_the_catalogue_choices() -> None:
    commands = report_commands()
    # `jxc report forecast CODE` is one product's forecast (issue 20), not a table of the catalogue
    assert [c for c in commands if c not in NOT_CATALOGUE] == [r.command for r in catalogue.REPORTS]
    for spec in catalogue.REPORTS:
        q = commands[spec.command]
        by, sort = _option(q, "--by"), _option(q, "--sort")
        if spec.groupings and spec.cli_by:
            assert by is not None and list(by.choices) == [g.key for g in spec.groupings]  # type: ignore[arg-type]
            assert by.default == spec.default_by
        else:
            assert by is None
        if spec.ranked:
            assert sort is not None and list(sort.choices) == list(catalogue.SORT_KEYS)  # type: ignore[arg-type]
            assert _option(q, "--top") is not None
            assert (_option(q, "--bottom") is None) == spec.always_ranked
        else:
            assert sort is None and _option(q, "--top") is None
        period = _option(q, "--period")
        assert (period is not None) == (spec.span is Span.PERIOD)
        if period is not None:
            assert list(period.choices) == list(catalogue.NAMED_PERIODS)  # type: ignore[arg-type]
        assert (_option(q, "--at") is not None) == (spec.span is Span.END_OF_DAY)
        assert (_option(q, "--today") is not None) == (spec.span is Span.TODAY)
        assert (_option(q, "--days") is not None) == (spec.days is not None)


def test_every_catalogue_report_is_in_the_tab_with_its_groupings(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("zh_CN")  # labels through i18n: the chooser speaks Chinese
    tab = ReportsTab(services)
    qtbot.addWidget(tab)
    assert _items(tab.report_box) == [(i18n._(r.label), str(r.kind)) for r in catalogue.REPORTS]
    assert tab.report_box.itemText(0) == "利润汇总"
    assert [d for _t, d in _items(tab.period_box)] == [p.key for p in catalogue.PERIODS]
    assert [d for _t, d in _items(tab.sort_box)] == [s.key for s in catalogue.sort_choices(brief=True)]
    assert [d for _t, d in _items(tab.rank_box)] == [r.key for r in catalogue.RANKS]
    for spec in catalogue.REPORTS:
        tab.report_box.setCurrentIndex(tab.report_box.findData(str(spec.kind)))
        assert _items(tab.group_box) == [(i18n._(g.label), g.key) for g in spec.groupings]
        for g in spec.groupings:
            tab.group_box.setCurrentIndex(tab.group_box.findData(g.key))
            assert tab.rank_box.isEnabled() == spec.can_rank(g.key)
        if spec.days is not None:
            assert (tab.days_spin.minimum(), tab.days_spin.maximum()) == (spec.days.lo, spec.days.hi)
            assert tab.days_label.text() == i18n._(spec.days.label)
        assert tab.period_box.isEnabled() == (spec.span is not Span.TODAY)


def test_a_report_left_out_of_the_catalogue_leaves_both(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tuple(r for r in catalogue.REPORTS if r.kind is not ReportKind.HOURS)
    monkeypatch.setattr(catalogue, "REPORTS", kept)
    assert "hours" not in report_commands() and "payments" in report_commands()
    tab = ReportsTab(services)
    qtbot.addWidget(tab)
    assert tab.report_box.findData(str(ReportKind.HOURS)) == -1
    assert tab.report_box.count() == len(kept)
