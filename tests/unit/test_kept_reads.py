"""The products table's kept connection (services/catalog/kept_reads.py): while the table keeps
reading, its reads share one read-only connection; a restore meanwhile is read at once, and
letting go leaves the file as a unit of work leaves it (the log folded in, nothing beside it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services


def _connects(services: Services) -> list[int]:
    opened: list[int] = []
    event.listen(services.db.engine, "connect", lambda *_a: opened.append(1))
    return opened


@pytest.mark.sqlite_only
def test_reads_share_one_connection_while_kept(services: Services, db_path: Path) -> None:
    cat = services.catalog
    made = [cat.create_product(ProductInput(name=f"纯牛奶{i}号")) for i in range(5)]
    opened = _connects(services)
    cat.keep_reading(True)
    kept = cat._kept  # noqa: SLF001 - the connection itself is what this test is about
    screens = [cat.first_screen(text, rows=3) for text in ("n", "nn", "牛奶", "纯牛奶1")]
    conn = kept._conn  # noqa: SLF001
    assert conn is not None and not conn.closed
    assert [p.name for p in cat.rows([made[4].id, made[0].id])] == ["纯牛奶4号", "纯牛奶0号"]
    assert kept._conn is conn and opened == []  # noqa: SLF001 - no unit of work opened the file
    assert [s.ids for s in screens] == [cat.list_ids(t) for t in ("n", "nn", "牛奶", "纯牛奶1")]
    assert screens[2].rows[0].name == "纯牛奶0号"
    cat.create_product(ProductInput(name="纯牛奶新号"))  # written elsewhere meanwhile: read at once
    assert len(cat.first_screen("牛奶").ids) == 6
    cat.keep_reading(False)
    assert conn.closed and kept._conn is None  # noqa: SLF001
    assert not Path(f"{db_path}-wal").exists()  # folded into the file, as after any unit of work
    assert [p.name for p in cat.rows([made[1].id])] == ["纯牛奶1号"]  # the usual way again


@pytest.mark.sqlite_only
def test_a_restore_while_kept_is_read_from_the_restored_file(services: Services) -> None:
    cat = services.catalog
    cat.create_product(ProductInput(name="矿泉水"))
    copy = services.backup.backup()
    cat.create_product(ProductInput(name="矿泉水大瓶"))
    cat.keep_reading(True)
    assert len(cat.first_screen("矿泉水").ids) == 2
    services.backup.restore(copy.path)  # disposes the engine first: the kept connection goes with it
    assert len(cat.first_screen("矿泉水").ids) == 1
    kept = cat._kept  # noqa: SLF001
    with kept.read():  # the file replaced under an open kept connection: reopened on the one there now
        pass
    kept._file = (-1, -1)  # noqa: SLF001 - as if it had been opened on the file a restore replaced
    assert [r.name for r in cat.rows(cat.first_screen("矿泉水").ids)] == ["矿泉水"]
    assert kept._file != (-1, -1)  # noqa: SLF001
    cat.keep_reading(False)


def test_kept_reads_read_as_units_of_work_do(services: Services) -> None:
    """On a server the pool keeps connections already: keeping changes nothing, as on a file."""
    cat = services.catalog
    made = cat.create_product(ProductInput(name="康师傅红烧牛肉面"))
    cat.keep_reading(True)
    cat.keep_reading(True)  # two holders
    assert cat.first_screen("ksf", rows=1).rows[0].id == made.id
    cat.keep_reading(False)
    assert [p.id for p in cat.rows([made.id])] == [made.id]
    cat.keep_reading(False)
    assert not cat._kept.holding()  # noqa: SLF001
