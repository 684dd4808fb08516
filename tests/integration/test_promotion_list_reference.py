"""The promotions list, written as SQL text in session 17, gives exactly what the SQLAlchemy read it
replaced gave (promotion_list_reference.py), on SQLite and PostgreSQL: each kind, special prices,
products and categories in the order they were given, an open end, days of the week and hours,
the flags, promotions starting at the same minute (the newer first), a start with seconds, one
ended early, one scheduled; then more promotions than one chunk of ids. ``jxc promotions list``
shows on sqlite3 alone what the full path shows."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jxc_desktop.db.models import Promotion, PromotionProduct
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.promotions.promotion_list import list_promotions
from tests.integration import promotion_list_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, same_as_full_path
from tests.integration.test_plain_reads_reference import read_in_other_zone

START = datetime(2026, 3, 2, 9, 0)  # local, naive, as the form gives it
END = datetime(2026, 3, 9, 22, 0)


def fill(services: Services) -> None:
    cat = services.catalog
    cola = cat.create_product(ProductInput(name="可乐", sale_price=300, category="饮料"), create_category=True)
    tea = cat.create_product(ProductInput(name="绿茶", sale_price=400, category="饮料"))
    apple = cat.create_product(ProductInput(name="苹果", sale_price=1000, category="水果"), create_category=True)
    drinks, fruit = cola.category_id, apple.category_id
    assert drinks is not None and fruit is not None
    add = services.promotions.add
    add(PromotionInput("特价三样", Kind.SPECIAL_PRICE, START, END,
                       products=((tea.id, 350), (cola.id, 250), (apple.id, 900)), note="门口海报"))
    add(PromotionInput("饮料买2付1", Kind.BUY_N_PAY_M, START, END, category_ids=(fruit, drinks), n=2, m=1,
                       member_only=True))  # the same start: the newer first
    add(PromotionInput("苹果第二件半价", Kind.NTH_AT_PERCENT, START - timedelta(days=3), None,
                       products=((apple.id, None),), n=2, pay_pct=50, weekdays="65", daily_from="9:00",
                       daily_to="21:00"))
    add(PromotionInput("满100减10", Kind.THRESHOLD, START + timedelta(seconds=10), END, threshold=10000, reduction=1000,
                       repeat=True, stackable=True))
    later = add(PromotionInput("满50减5", Kind.THRESHOLD, datetime(2099, 1, 1), None, threshold=5000, reduction=500))
    early = add(PromotionInput("提前结束", Kind.BUY_N_PAY_M, datetime(2020, 1, 1, 8), datetime(2020, 2, 1),
                               products=((cola.id, None), (tea.id, None)), n=3, m=2))
    services.promotions.end(early.id, at=datetime(2020, 1, 15, 12, 30))
    assert later.status(START) == "scheduled"


def test_the_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    with read_in_other_zone(services) as (s, rows):
        found = list_promotions(rows)
        assert found == ref.load(s)
    # what the comparison covered: every kind, scopes in their order, an open end, seconds, flags
    assert [p.name for p in found] == ["满50减5", "满100减10", "饮料买2付1", "特价三样", "苹果第二件半价", "提前结束"]
    assert [i.price for i in found[3].products] == [350, 250, 900] and len(found[2].categories) == 2
    assert found[1].starts.second == 10 and found[4].ends is None and found[4].weekdays == "56"
    assert found[5].ends == datetime(2020, 1, 15, 12, 30) and found[2].member_only and found[1].repeat
    assert services.promotions.list() == found  # the service runs the same text


def test_more_promotions_than_a_chunk(services: Services) -> None:
    """520 promotions over two chunks of ids, each its product: every scope read, the order kept."""
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300))
    with services.db.write() as uow:
        s = uow.session
        made = [Promotion(name=f"特价{i}", kind="special_price", starts=START + timedelta(minutes=i % 7), ends=None)
                for i in range(520)]
        s.add_all(made)
        s.flush()
        s.add_all(PromotionProduct(promotion_id=p.id, product_id=cola.id, price=100 + i) for i, p in enumerate(made))
        uow.commit()
    with read_in_other_zone(services) as (s, rows):
        found = list_promotions(rows)
        assert found == ref.load(s)
    assert len(found) == 520 and all(len(p.products) == 1 for p in found)


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize("args", [["promotions", "list"], ["promotions", "list", "--json"]], ids=" ".join)
def test_jxc_promotions_list_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, args, capsys)
    assert full[0] == 0 and full[1].count("特价三样") == 1 and full[1].count("提前结束") == 1, full
