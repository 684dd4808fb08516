"""``jxc products search`` on a file at head reads it with sqlite3 alone (issue 15): a child `jxc`
loads no SQLAlchemy and prints byte for byte what the full path prints — the ranked search's SQL
text (search_text.py; test_search_reference.py proves it equal to the queries it replaced) on the
shop of test_search_reference.py: codes, barcodes (the unit's shown, not the case's), pinyin, names,
the characters LIKE and FTS5 read specially, a limit that cuts, and the errors. And what it prints
is what the full path printed with the old queries (search_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.catalog.products import CatalogService
from tests.integration import search_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, full_path_output, same_as_full_path
from tests.integration.test_search_reference import fill

CASES = [
    (["可乐"], 4), (["可乐", "--json"], 4), (["kl", "--limit", "3"], 3), (["kkl", "--json"], 2),
    (["6901234567892"], 1), (["16901234567896", "--json"], 1), (["KL01"], 2), (["ad钙"], 2),
    (["a%b", "--json"], 1), (["b_c"], 1), (['"好"'], 1), (["薯片", "--limit", "1"], 1), (["缺货"], 0),
]


def _old_search(self: CatalogService, text: str, *, limit: int = 50, active_only: bool = True) -> list[ProductDTO]:
    """CatalogService.search as it was before session 17, on the old queries."""
    text = clean_text(text, "Search", 120).strip()
    if not text:
        return []
    with self.db.read() as uow:
        return ref.search_products(uow.session, text, limit=limit, active_only=active_only)


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize(("args", "found"), CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_jxc_products_search_without_sqlalchemy_prints_what_the_full_path_prints(
        shop: Path, args: list[str], found: int, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _err = same_as_full_path(shop, ["products", "search", *args], capsys)
    assert rc == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CatalogService, "search", _old_search)
        assert full_path_output(shop, ["products", "search", *args], capsys) == (rc, out, _err)
    # every match shown, not two empty lists compared
    shown = out.count('"code"') if "--json" in args else len(out.splitlines()) - 1
    assert shown == found, out


@pytest.mark.parametrize("args", [["可\x07乐"], ["可乐", "--limit", "0"], ["  "]], ids=["control", "limit", "blank"])
def test_the_refusals_and_nothing_are_the_same(shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    same_as_full_path(shop, ["products", "search", *args], capsys)
