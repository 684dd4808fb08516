"""Write conflicts and document numbers, on a real SQLite file: a server's serialization failure or
deadlock (SQLSTATE 40001/40P01) becomes WriteConflictError, ``retrying`` runs the whole business
function again (nothing of a failed try stays), and numbers are gap-free when a document rolls back.
The same code under real concurrency on PostgreSQL: tests/integration/test_pg_races.py."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from jxc_desktop import i18n
from jxc_desktop.db import uow as uow_mod
from jxc_desktop.db.models import Sequence, Supplier
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain.errors import WriteConflictError
from jxc_desktop.services.shop import api as shop

DAY = date(2026, 11, 25)


class _ServerError(Exception):
    """What psycopg raises: the SQLSTATE on ``.sqlstate``."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"server said {sqlstate}")
        self.sqlstate = sqlstate


def _conflict(state: str = "40P01") -> OperationalError:
    return OperationalError("UPDATE product …", None, _ServerError(state))


def _suppliers(db: Database) -> list[str]:
    with db.read() as uow:
        return list(uow.session.scalars(select(Supplier.name).order_by(Supplier.id)))


def test_conflict_inside_a_unit_of_work_is_a_write_conflict_and_rolls_back(db: Database) -> None:
    for state in ("40001", "40P01"):
        with pytest.raises(WriteConflictError), db.write() as uow:
            uow.session.add(Supplier(name=f"half {state}"))
            uow.session.flush()
            raise _conflict(state)
    with pytest.raises(OperationalError), db.write():  # any other server error keeps its meaning
        raise _conflict("42P01")
    assert _suppliers(db) == []


def test_retrying_runs_the_whole_function_again_then_succeeds(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(uow_mod.time, "sleep", lambda _s: None)
    tries: list[str] = []

    @retrying
    def post(name: str) -> str:
        with db.write() as uow:
            number = shop.next_number(uow.session, shop.PAYMENT, DAY)
            uow.session.add(Supplier(name=f"{name} {number}"))
            uow.session.flush()
            tries.append(number)
            if len(tries) < 3:
                raise _conflict("40001" if len(tries) == 1 else "40P01")
            uow.commit()
        return number

    assert post("供应商") == "FK20261125-0001"  # the failed tries' numbers rolled back: no gap
    assert tries == ["FK20261125-0001"] * 3
    assert _suppliers(db) == ["供应商 FK20261125-0001"]


def test_retrying_gives_up_with_a_translated_message(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(uow_mod.time, "sleep", lambda _s: None)
    calls = []

    @retrying
    def always() -> None:
        calls.append(1)
        with db.write() as uow:
            uow.session.add(Supplier(name="never"))
            uow.session.flush()
            raise _conflict()

    with pytest.raises(WriteConflictError) as info:
        always()
    assert len(calls) == uow_mod.ATTEMPTS
    assert "another till" in str(info.value).lower()
    i18n.set_language("zh_CN")
    assert "另一台收银机" in str(info.value)
    assert _suppliers(db) == []


def test_nested_retrying_repeats_the_outer_whole_and_never_a_committed_half(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(uow_mod.time, "sleep", lambda _s: None)
    inner_calls, outer_calls = [], []

    @retrying
    def inner() -> None:
        inner_calls.append(1)
        if len(inner_calls) == 1:
            raise WriteConflictError()

    @retrying
    def outer() -> None:
        outer_calls.append(1)
        inner()

    outer()
    assert (len(outer_calls), len(inner_calls)) == (2, 2)  # the outer ran again, the inner did not loop alone

    halves = []

    @retrying
    def two_transactions() -> None:
        with db.write() as uow:
            uow.session.add(Supplier(name=f"first half {len(halves)}"))
            uow.commit()
        halves.append(1)
        raise WriteConflictError()  # the second transaction conflicted

    with pytest.raises(WriteConflictError):
        two_transactions()
    assert len(halves) == 1 and _suppliers(db) == ["first half 0"]  # not written twice


def test_numbers_gap_free_after_rollback_and_unique_across_threads(db: Database) -> None:
    with db.write() as uow:  # a document that is not saved takes no number for good
        assert shop.next_number(uow.session, shop.SALE, DAY) == "XS20261125-0001"
    with db.write() as uow:
        assert shop.next_number(uow.session, shop.SALE, DAY) == "XS20261125-0001"
        assert shop.next_number(uow.session, shop.SALE, DAY) == "XS20261125-0002"
        assert shop.next_number(uow.session, shop.PURCHASE, DAY) == "CG20261125-0001"
        uow.commit()
    taken: list[str] = []
    lock = threading.Lock()

    def till() -> None:
        for _ in range(20):
            with db.write() as uow:
                number = shop.next_number(uow.session, shop.SALE, DAY)
                uow.commit()
            with lock:
                taken.append(number)

    threads = [threading.Thread(target=till) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == [f"XS20261125-{n:04d}" for n in range(3, 83)]
    with db.read() as uow:
        assert uow.session.scalar(select(func.max(Sequence.last)).where(Sequence.kind == shop.SALE)) == 82


def test_day_first_number_when_another_till_inserted_the_row(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The insert of the day's counter row fails (another till made it first): the savepoint rolls
    back only that insert, and the number counts on from the other till's."""
    with db.write() as uow:
        uow.session.add(Sequence(kind=shop.COUNT, day="20261125", last=7))
        uow.commit()
    calls = []
    real_execute = uow_mod.Session.execute

    def execute(self, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        text = str(statement)
        if text.startswith("UPDATE sequence") and not calls:
            calls.append(1)
            return real_execute(self, select(Sequence.last).where(Sequence.kind == "none"))  # "no row yet"
        if text.startswith("INSERT INTO sequence"):
            calls.append(2)
        return real_execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(uow_mod.Session, "execute", execute)
    with db.write() as uow:
        assert shop.next_number(uow.session, shop.COUNT, DAY) == "PD20261125-0008"
        uow.commit()
    assert calls == [1, 2]  # the insert was tried, failed on the key, and the update ran again
