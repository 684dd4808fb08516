"""The report catalogue: one entry per report, its rules (top/bottom only by product or category,
days ranges), Chinese for every label, and a PDF writer that needs no database layer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jxc_desktop import i18n
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import ColKind, ReportKind, Span

ROOT = Path(__file__).resolve().parents[2]


def test_every_report_kind_is_in_the_catalogue_once() -> None:
    kinds = [r.kind for r in catalogue.REPORTS]
    assert sorted(kinds) == sorted(ReportKind) and len(set(kinds)) == len(kinds)
    commands = [r.command for r in catalogue.REPORTS]
    assert len(set(commands)) == len(commands)
    for spec in catalogue.REPORTS:
        assert catalogue.report(spec.kind) is spec and catalogue.by_command(spec.command) is spec


def test_top_and_bottom_only_by_product_or_category() -> None:
    profit = catalogue.report(ReportKind.PROFIT)
    assert [g.key for g in profit.groupings] == ["day", "week", "month", "product", "category"]
    assert [b for b in ("day", "week", "month", "product", "category") if profit.can_rank(b)] == ["product", "category"]
    assert not profit.can_rank("")  # the default grouping is by day
    best = catalogue.report(ReportKind.BEST)
    assert best.always_ranked and best.can_rank("") and best.can_rank("category")
    for kind in (ReportKind.PURCHASES, ReportKind.STOCK_VALUE, ReportKind.SLOW):
        assert not catalogue.report(kind).can_rank("product")


def test_columns_follow_the_grouping() -> None:
    by_day = catalogue.columns(ReportKind.PROFIT, "day")
    by_product = catalogue.columns(ReportKind.PROFIT, "product")
    assert [c.key for c in by_day][:2] == ["label", "sales"] and by_day[0].header == "Day"
    assert [c.key for c in by_product][:4] == ["key", "label", "category", "qty"]
    assert by_product[1].header == "Product"
    assert [c.key for c in catalogue.columns(ReportKind.STOCK_VALUE)] == ["label", "products", "value"]
    assert all((c.align == "left") == (c.kind is ColKind.TEXT) for c in by_product)


def test_spans_and_days() -> None:
    spans = {r.kind: r.span for r in catalogue.REPORTS}
    assert spans[ReportKind.STOCK_VALUE] is Span.END_OF_DAY
    assert {k for k, s in spans.items() if s is Span.TODAY} == {ReportKind.SLOW, ReportKind.EXPIRY, ReportKind.BROKEN_SIZES}
    assert {r.kind for r in catalogue.REPORTS if r.days is not None} == {ReportKind.SLOW, ReportKind.EXPIRY}
    slow, expiry = catalogue.report(ReportKind.SLOW).days, catalogue.report(ReportKind.EXPIRY).days
    assert slow is not None and (slow.lo, slow.hi, slow.default) == (1, 3650, 30)
    assert expiry is not None and (expiry.lo, expiry.default, expiry.setting) == (0, None, "expiry_warning_days")


def test_sorts_rank_by_profit_figures() -> None:
    figures = {c.key for c in catalogue.PROFIT_FIGURES}
    assert set(catalogue.SORT_KEYS) <= figures
    assert set(catalogue.BRIEF_SORTS) <= set(catalogue.SORT_KEYS)
    assert catalogue.sort_label("gross_profit") == "Gross profit"


def test_every_catalogue_label_has_chinese() -> None:
    zh = i18n.catalog("zh_CN")
    missing = sorted(label for label in catalogue.all_labels() if label not in zh)
    assert not missing, "add to resources/i18n/zh_CN/reports.tsv: " + ", ".join(missing)
    i18n.set_language("zh_CN")
    assert catalogue.columns(ReportKind.PROFIT, "week")[0].header == zh["Week of"]


def test_the_report_pdf_writer_loads_no_database_layer() -> None:
    code = ("import sys, jxc_desktop.reports.report_pdf\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6', 'alembic')\n"
            "             or m.startswith('jxc_desktop.db') or m.startswith('jxc_desktop.services.')\n"
            "             and m not in ('jxc_desktop.services.reporting', 'jxc_desktop.services.reporting.dto'))\n"
            "print(bad)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
