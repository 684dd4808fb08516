"""The ranked search written as SQL text in session 17 (services/catalog/search_text.py) finds exactly
the products, in exactly the order, that the SQLAlchemy queries it replaced found
(search_reference.py), on SQLite (with and without the trigram index: PostgreSQL has none, see
index_use) and PostgreSQL: barcodes, codes exact and as prefixes, 助记码 and 全拼 as prefixes and
inside, one to three Chinese characters, letters with digits and with Chinese, the characters LIKE,
GLOB and FTS5 read specially (``% _ * [ ' "``), an inactive product, a product with two barcodes (a
case barcode added first), a typed 助记码, names of every length for the shortest-first order, and
limits that cut a step short, between steps and past every match. On SQLite the text is run on a
bare sqlite3 connection too, as `jxc products search` runs it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.db.text_reads import SessionRows, SqliteRows
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog import search_text
from jxc_desktop.services.hub import Services
from tests.integration import search_reference as ref

NAMES = ["可乐", "可口可乐", "百事可乐无糖", "可口可乐零度可乐 500ml", "AD钙奶", "ad钙奶 大瓶", "康师傅红烧牛肉面",
         "康师傅 Ad 绿茶", "纯牛奶", "牛奶", "牛奶糖", "奶茶", "100% 纯果汁", "橙汁_大", "星*星糖", "[特价] 方便面",
         "它's 薯片", '"好" 饼干', "可比克薯片", "kele 可乐型饮料", "A4 纸", "a4纸 500张", "黄瓜", "乐事薯片", "可",
         "\u212aa测试 (a Kelvin sign: the index folds it to k, LIKE does not)", "ÄD钙 Ka",
         "AB_C 特价", "ABXC", "a%b 饮料"]


def fill(services: Services) -> list[int]:
    """The shop: 25 named products, codes 000001…, a few with codes, barcodes and pinyin typed."""
    cat = services.catalog
    ids = []
    for i, name in enumerate(NAMES):
        code = {0: "KL01", 1: "KL012", 2: "A001", 3: "A0011", 4: "690"}.get(i, "")
        barcodes: tuple[tuple[str, int], ...] = ()
        if i == 1:  # a case barcode first, the unit's second: two barcodes, loaded in order
            barcodes = (("16901234567896", 12), ("6901234567892", 1))
        elif i == 5:
            barcodes = (("6901234567908", 1),)
        elif i == 6:
            barcodes = (("KL01X", 1),)  # a barcode that is another product's code prefix
        pinyin = {7: "ksfad", 10: "nn1", 19: "kele"}.get(i)
        ids.append(cat.create_product(ProductInput(name=name, code=code, barcodes=barcodes, pinyin=pinyin,
                                                   sale_price=100 + i, category="饮料" if i % 3 else ""),
                                   create_category=True).id)
    cat.set_active(ids[2], False)  # 百事可乐无糖: inactive
    cat.set_active(ids[9], False)  # 牛奶
    return ids


TEXTS = [
    "6901234567892", "16901234567896", "6901234567908", "690", "69", "6", "KL01X",  # barcodes, code vs barcode
    "KL01", "KL0", "kl", "KL", "k", "K", "A001", "A00", "a0", "A0011", "000003", "00001", "0000", "0", "1",  # codes
    "kl", "kkl", "kkkl", "kkklldkl", "kekou", "kekoukele", "kouke", "ele", "le", "e", "ksf", "ksfad", "sfa",
    "fad", "nn1", "n1", "niunai", "nai", "kele", "kel",  # 助记码 / 全拼, prefix and inside
    "可", "乐", "可乐", "口可", "可口可", "可口可乐零", "牛奶", "奶", "薯片", "面",  # Chinese
    "AD", "ad", "Ad", "AD钙", "ad钙奶", "a4", "A4", "A4 纸", "500", "500ml", "4纸",  # letters, digits, mixed
    "%", "100%", "_", "汁_", "*", "星*", "[", "[特价]", "'", "它's", '"', '"好"', "\\", "ｋｌ", "缺货",  # special
    "ka测", "Ka测", "ka", "a测", "äd", "ÄD", "d钙",  # letters with a case outside ASCII
    "b_c", "B_", "a%b", "a%", "%b",  # letters with LIKE's own characters
]
LIMITS = (1, 2, 3, 5, 20, 500)


def _sqlite_file(services: Services) -> Path | None:
    url = services.db.engine.url
    return Path(str(url.database)) if url.get_backend_name() == "sqlite" else None


def test_the_text_finds_what_the_queries_found(services: Services) -> None:
    fill(services)
    file = _sqlite_file(services)
    plain = sqlite3.connect(file) if file is not None else None
    compared = 0
    try:
        with services.db.read() as uow:
            rows = SessionRows(uow.session)
            for text in TEXTS:
                for limit in LIMITS:
                    for active_only in (True, False):
                        old = ref.search_products(uow.session, text, limit=limit, active_only=active_only)
                        new = search_text.search_products(rows, text, limit=limit, active_only=active_only)
                        assert new == old, (text, limit, active_only)
                        if plain is not None:  # jxc products search: sqlite3 alone
                            assert search_text.search_products(SqliteRows(plain), text, limit=limit,
                                                               active_only=active_only) == old, (text, limit)
                        compared += bool(old)
    finally:
        if plain is not None:
            plain.close()
    assert compared > len(TEXTS)  # most texts find something


def test_the_steps_without_the_text_index_as_postgresql_runs_them(services: Services) -> None:
    """On SQLite the steps PostgreSQL runs (no text index: the rules as scans) find the same."""
    fill(services)
    with services.db.read() as uow:
        if uow.session.get_bind().dialect.name != "sqlite":
            pytest.skip("the server has no text index")
        rows = SessionRows(uow.session)
        for text in TEXTS:
            pinyin, latin = ref.search_kind(text)
            params = {**ref.list_params(text), "lim": 500}
            new_params = {**search_text.list_params(text), "lim": 500}
            for active_only in (True, False):
                old = ref.search_steps(active_only, pinyin, latin, ref.full_inside(text), ref.NO_INDEX)
                new = search_text.search_steps("sqlite", active_only, pinyin, latin, ref.full_inside(text),
                                               search_text.NO_INDEX)
                assert len(new) == len(old)
                for o, n in zip(old, new, strict=True):
                    assert [i for (i,) in rows.all(n, **new_params)] == ref.ids_of(uow.session, o, params), (text, n)


def test_the_service_and_the_scan_line_search_as_before(services: Services) -> None:
    """CatalogService.search (the text trimmed and checked) and the scan line's candidates."""
    ids = fill(services)
    with services.db.read() as uow:
        for text in ("  可乐 ", "kl", "KL01", "6901234567892", "ad钙"):
            old = ref.search_products(uow.session, text.strip(), limit=50)
            assert services.catalog.search(text) == old
        every = [p.id for p in search_text.search_products(SessionRows(uow.session), "可乐", limit=50,
                                                            active_only=False)]
    assert ids[2] in every and ids[2] not in [p.id for p in services.catalog.search("可乐")]  # the inactive one
    assert services.catalog.search("   ") == []
    assert [p.id for p in services.catalog.resolve_scan("kkl").candidates] == [ids[1], ids[3]]
    with pytest.raises(ValidationError):
        services.catalog.search("可\x07乐")
