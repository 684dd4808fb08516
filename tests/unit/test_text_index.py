"""The trigram text index (migration 0007) changes how fast the products filter and the ranked
search find text, never what they find or in what order: every query here is answered twice,
through the index and by the scans the rules were written for, on products made, renamed,
re-keyed and imported through every write path."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog import search, search_text, table_walk
from jxc_desktop.services.catalog.bulk_insert import insert_products
from jxc_desktop.services.hub import Services

CHARS = "牛奶纯康师傅娃哈哈号面茶AaDdKk0123"


def _scan_ids(services: Services, text: str, *, include_inactive: bool = False, sort: str = "code") -> list[int]:
    """table_ids() without the index: the rules as scans."""
    pinyin, latin = search.search_kind(text)
    q = search.list_query(True, pinyin, latin, include_inactive, sort, False, search.full_inside(text),
                          search.pinyin_inside(text), search.NO_INDEX)
    with services.db.read() as uow:
        return search.ids_of(uow.session, q, search.list_params(text))


def _scan_search(services: Services, text: str) -> list[int]:
    """search_ids() without the index."""
    pinyin, latin = search.search_kind(text)
    params: dict[str, object] = {**search.list_params(text), "lim": 50}
    ids: list[int] = []
    with services.db.read() as uow:
        rows = SessionRows(uow.session)
        for step in search_text.search_steps(rows.dialect, True, pinyin, latin, search.full_inside(text),
                                             search.NO_INDEX):
            ids += [i for (i,) in rows.all(step, **params) if i not in ids]
    return ids[:50]


def _bulk(services: Services, inputs: list[ProductInput]) -> list[int]:
    """Products for a test about reading: made in one write by the import's writer (both writers
    keep the index: the first test checks that), not one commit each. Their ids, in order."""
    with services.db.write() as uow:
        ids = [p.id for p in insert_products(uow.session, [(data, None) for data in inputs])]
        uow.commit()
    return ids


def _queries(services: Services, rng: random.Random) -> list[str]:
    rows = services.catalog.rows(services.catalog.list_ids(include_inactive=True))
    out = {"牛", "牛奶", "纯牛", "号", "a", "A", "ad", "AD", "Dk", "wh", "whh", "wahaha", "hah", "0", "01", "012",
           "k", "kk", "ksf", "kangshi", "\"", "%", "奶\"", "x"}
    for r in rng.sample(rows, min(25, len(rows))):
        for source in (r.name, r.pinyin, r.code):
            i = rng.randrange(max(1, len(source)))
            out |= {source[i:i + n] for n in (1, 2, 3, 4)}
    return sorted(t for t in out if t.strip())


def test_index_finds_what_the_scans_find_through_every_write(services: Services) -> None:
    rng = random.Random(15)
    cat = services.catalog
    made = []
    for i in range(60):  # one at a time, as the product form saves
        name = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 7)))
        typed = "".join(rng.choice("abcd0") for _ in range(3)) if i % 7 == 0 else None
        made.append(cat.create_product(ProductInput(name=name, pinyin=typed)))
    with services.db.write() as uow:  # the bulk writer of imports and `jxc demo`
        insert_products(uow.session, [(ProductInput(name="".join(rng.choice(CHARS) for _ in range(5))), None)
                                      for _ in range(40)])
        uow.commit()
    for p in made[:15]:  # renames, a typed 助记码, deactivation
        cat.update_product(p.id, ProductInput(name=p.name[::-1] + "纯牛奶", pinyin="cnn1" if p.id % 2 else None))
    for p in made[15:20]:
        cat.set_active(p.id, False)
    cat.delete_unused(made[20].id)

    checked = 0
    walks = not services.db.on_server  # a server lists every match at once (table_walk.first_table_ids)
    for text in _queries(services, rng):
        assert cat.list_ids(text) == _scan_ids(services, text), text
        assert cat.list_ids(text, include_inactive=True, sort="name") == \
            _scan_ids(services, text, include_inactive=True, sort="name"), text
        assert [p.id for p in cat.search(text)] == _scan_search(services, text), text
        whole = cat.list_ids(text)
        screen = cat.first_screen(text, first=5, steps=None, rows=3)  # a walk without limit: the first screen
        assert (screen.ids, screen.complete) == ((whole[:5], len(whole) < 5) if walks else (whole, True)), text
        assert screen.rows == cat.rows(whole[:3]), text
        screen = cat.first_screen(text, first=5, steps=0)  # no walk: the whole list from the index
        assert (screen.ids, screen.complete, screen.rows) == (whole, True, []), text
        got = cat.first_screen(text, first=5)  # a short walk, then the index: either answer
        assert got.ids == (whole if got.complete else whole[:5]), text
        for shorter in {text[:-1], text[:1]} - {text, ""}:  # a list shown before, this text narrowing it
            got = cat.first_screen(text, first=5, before=(shorter, len(cat.list_ids(shorter))))
            assert got.ids == (whole if got.complete else whole[:5]), (shorter, text)
        for inactive, descending in ((False, False), (True, True)):  # the rest, read as a reader thread does
            if checked % 6:
                break  # (a sample of the texts: each read is a visit to the file)
            whole = cat.list_ids(text, include_inactive=inactive, descending=descending)
            got = cat.first_screen(text, include_inactive=inactive, descending=descending, first=3, steps=None)
            assert got.ids == (whole[:3] if walks else whole), text
            assert cat.list_ids_unless(lambda: False, text, include_inactive=inactive,
                                       descending=descending) == whole, text
        checked += 1
    assert checked > 60


def test_a_stale_read_stops(services: Services) -> None:
    cat = services.catalog
    _bulk(services, [ProductInput(name=f"纯牛奶{i}号") for i in range(150)])
    asked: list[int] = []

    def stop() -> bool:  # asked every thousand SQLite steps; true: the owner has typed on
        asked.append(1)
        return True

    if services.db.on_server:  # a server statement cannot be stopped part-way: it runs to its end
        assert cat.list_ids_unless(stop, "奶") == cat.list_ids("奶")
    else:
        assert cat.list_ids_unless(stop, "奶") is None and asked
    assert cat.list_ids_unless(lambda: False, "奶") == cat.list_ids("奶") != []


@pytest.mark.sqlite_only  # the walk bounded by SQLite steps; a server lists every match at once
def test_many_matches_past_a_short_walk(services: Services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The matches start further on in code order than the first screen's walk goes: the index
    lists them when they are few enough, else the walk goes on to its first screen."""
    cat = services.catalog
    _bulk(services, [ProductInput(name=f"康师傅{i}号") for i in range(100)]
          + [ProductInput(name=f"纯牛奶{i}号") for i in range(100)])
    whole = cat.list_ids("奶")
    assert len(whole) == 100
    got = cat.first_screen("奶", first=5, steps=1000, rows=2)  # a walk of 40 products: none of them
    assert (got.ids, got.complete) == (whole, True) and got.rows == cat.rows(whole[:2])
    monkeypatch.setattr(table_walk, "INDEX_STEPS", 1000)  # and the index's 100 matches are "many"
    monkeypatch.setattr(table_walk, "PROBE_STEPS", 1000)
    got = cat.first_screen("奶", first=5, steps=1000, rows=2)
    assert (got.ids, got.complete) == (whole[:5], False) and got.rows == cat.rows(whole[:2])


@pytest.mark.sqlite_only  # the walk bounded by SQLite steps; a server lists every match at once
def test_few_matches_are_listed_whole_before_any_walk(services: Services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A text the index lists within PROBE_STEPS comes whole at once, even where a walk would have
    found a first screen; more matches than that: the walk's first screen, as before."""
    cat = services.catalog
    for i in range(30):
        cat.create_product(ProductInput(name=f"纯牛奶{i}号" if i % 3 else f"矿泉水{i}号"))
    milk = cat.list_ids("牛奶")
    assert len(milk) == 20
    got = cat.first_screen("牛奶", first=5, rows=2)  # the default walk would find 5 in the first 8 products
    assert (got.ids, got.complete, got.rows) == (milk, True, cat.rows(milk[:2]))
    monkeypatch.setattr(table_walk, "PROBE_STEPS", 0)  # no probe: the walk finds its first screen
    got = cat.first_screen("牛奶", first=5, rows=2)
    assert (got.ids, got.complete, got.rows) == (milk[:5], False, cat.rows(milk[:2]))
    assert cat.first_screen("牛奶", first=5, steps=None).ids == milk[:5]  # a walk without limit: no probe


def test_narrowing_texts_keep_the_rules() -> None:
    assert search.narrows("kan", "kang") and search.narrows("牛", "牛奶") and search.narrows("012", "0123")
    # One letter looks at pinyin prefixes, two inside the 助记码, three inside the full pinyin too.
    assert not search.narrows("k", "ka") and not search.narrows("ni", "niu")
    assert not search.narrows("0", "0a")  # a letter: the name is matched without case
    assert not search.narrows("", "a") and not search.narrows("kang", "kan") and not search.narrows("ab", "ba")


def test_the_index_is_whole_after_writes(db_path: Path, services: Services) -> None:
    cat = services.catalog
    a = cat.create_product(ProductInput(name="蒙牛纯牛奶"))
    cat.update_product(a.id, ProductInput(name="伊利纯牛奶", pinyin="ylcnn"))
    b = cat.create_product(ProductInput(name="娃哈哈AD钙奶"))
    cat.delete_unused(b.id)
    con = sqlite3.connect(db_path)
    try:
        for table in ("product_text", "product_pinyin_text"):  # FTS5's own check against the content
            con.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        docs = {r[0] for r in con.execute("SELECT doc FROM product_pinyin_terms")}
        assert docs == {a.id}
    finally:
        con.close()
    assert cat.list_ids("yl") == [a.id] and cat.list_ids("mn") == [] and cat.list_ids("钙奶") == []



@pytest.mark.sqlite_only  # the walk bounded by SQLite steps; a server lists every match at once
def test_the_prefix_of_a_long_run_of_codes(services: Services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Many codes start with the text, far on in code order, and a few products before and after
    them match by name: the first screen is the run's head and those few, as the whole list has it,
    whether the other rules' matches are few (the index lists them) or many (the walk goes on)."""
    cat = services.catalog
    # before the run, further than the walk goes: two of them hold "09" in their names
    _bulk(services, [ProductInput(name=f"康师傅{i}号" if i not in (7, 130) else f"乐事{i}09号", code=f"0{i:03d}")
                     for i in range(150)])
    run = _bulk(services, [ProductInput(name=f"面{i}号", code=f"09{i:02d}") for i in range(30)])  # 0900-0929
    _bulk(services, [ProductInput(name=f"饼干{i}09号", code=f"50{i:02d}") for i in range(10)])  # after it
    for pid in run[1:6]:  # the run's head skips inactive products (unless shown)
        cat.set_active(pid, False)
    monkeypatch.setattr(table_walk, "LONG_RUN", 20)
    monkeypatch.setattr(table_walk, "PROBE_STEPS", 0)  # (else the index lists these few whole at once)
    calls: list[int] = []
    real = table_walk.range_head_query

    def spy(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(table_walk, "range_head_query", spy)
    for inactive, descending in ((False, False), (True, False), (False, True), (True, True)):
        whole = cat.list_ids("09", include_inactive=inactive, descending=descending)
        assert set(run[6:]) < set(whole) and len(whole) == 38 + 5 * inactive
        for first in (1, 2, 3, 5, 40, 60):
            got = cat.first_screen("09", include_inactive=inactive, descending=descending, first=first, steps=1000,
                                   rows=2)
            assert (got.ids, got.complete) == (whole[:first], len(whole) < first), (inactive, descending, first)
            assert got.rows == cat.rows(whole[:min(2, first)])
    assert calls
    monkeypatch.setattr(table_walk, "INDEX_STEPS", 0)  # the other rules' matches are "many": the walk
    got = cat.first_screen("09", first=5, steps=1000)
    assert (got.ids, got.complete) == (cat.list_ids("09")[:5], False)


def test_prepared_filter_queries_are_every_query_a_key_runs(services: Services) -> None:
    """After the products table's idle preparation (warm_table_queries), no text of any kind
    builds or compiles a query of its own: the first key typed costs what the next one does."""
    cat = services.catalog
    for i in range(40):
        cat.create_product(ProductInput(name=f"{'康师傅牛奶' if i % 3 else 'AD钙奶'}{i}号"))
    for cached in (search._sqlite_sql, search.list_query, table_walk.head_query, table_walk.range_head_query):  # noqa: SLF001
        cached.cache_clear()
    steps = list(cat.warm_table_queries())
    if services.db.on_server:  # nothing to prepare: SQLAlchemy keeps its own compiled statements
        assert steps == []
        return
    assert len(steps) == len(table_walk.SHAPES)
    compiled = search._sqlite_sql.cache_info().misses  # noqa: SLF001
    assert compiled >= 3 * len(table_walk.SHAPES)
    for text in ("k", "K", "ks", "ksf", "kangshi", "0", "09", "099", "0998", "牛", "牛奶", "康师傅", "a牛", "AD钙奶",
                 "1号", "号"):
        for steps_ in (None, 0, 1000):
            cat.first_screen(text, first=5, rows=3, steps=steps_)
        cat.list_ids(text)
        cat.list_ids_unless(lambda: False, text)
        assert search._sqlite_sql.cache_info().misses == compiled, text  # noqa: SLF001
