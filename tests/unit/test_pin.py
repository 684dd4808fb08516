"""Owner PIN: salted scrypt hash, five tries then a one-minute lock that survives a restart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import PermissionDeniedError, ValidationError
from jxc_desktop.services.safety import pin as pin_mod
from jxc_desktop.services.safety.pin import PinService


class FakeClock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


def test_hash_is_salted_scrypt_and_checks() -> None:
    a, b = pin_mod.hash_pin("1234"), pin_mod.hash_pin("1234")
    assert a != b and a.startswith("scrypt$") and "1234" not in a
    assert pin_mod.check_hash("1234", a) and pin_mod.check_hash("1234", b)
    assert not pin_mod.check_hash("1235", a)
    assert not pin_mod.check_hash("1234", "garbage") and not pin_mod.check_hash("1234", "scrypt$x$y$z$00$00")


@pytest.mark.parametrize("bad", ["", "123", "12a4", "1234567890123", "１２３４", " 1234\n", "-1234"])
def test_pin_format(db, bad: str) -> None:
    with pytest.raises(ValidationError):
        PinService(db).set_pin(bad)


def test_no_pin_means_everything_allowed(db) -> None:
    svc = PinService(db)
    assert not svc.is_set()
    assert svc.authorize(pin_mod.REFUND, None)


def test_set_authorize_change_clear(services, db) -> None:
    svc = PinService(db)
    svc.set_pin("2468")
    assert svc.is_set()
    with pytest.raises(PermissionDeniedError, match="needs the owner PIN"):
        svc.authorize(pin_mod.REFUND, None)
    assert svc.authorize(pin_mod.REFUND, "2468")
    with pytest.raises(PermissionDeniedError):
        svc.set_pin("1111", current_pin="0000")
    svc.set_pin("1111", current_pin="2468")
    assert svc.authorize(pin_mod.SETTINGS, "1111")
    svc.clear_pin("1111")
    assert not svc.is_set()
    actions = [e.action for e in services.audit.query()]
    assert actions.count("owner_authorized") == 2 and "pin_cleared" in actions and "pin_wrong" in actions
    # the settings dialog's path cannot write the PIN's internal keys
    with pytest.raises(ValidationError):
        services.settings.update({"sys.pin_hash": ""})


def test_five_wrong_tries_lock_for_a_minute_even_after_restart(db_path) -> None:
    clock = FakeClock()
    db = Database.for_file(db_path)
    svc = PinService(db, clock)
    svc.set_pin("8642")
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDeniedError, match=f"{left} tries left"):
            svc.verify("0000")
    with pytest.raises(PermissionDeniedError, match="locked for 60"):
        svc.verify("0000")
    db.dispose()
    # "Restart": a new handle on the same file; even the right PIN is refused while locked.
    db2 = Database.for_file(db_path)
    svc2 = PinService(db2, clock)
    clock.now += timedelta(seconds=30)
    with pytest.raises(PermissionDeniedError, match="locked for 30"):
        svc2.verify("8642")
    assert svc2.status().locked_until is not None
    clock.now += timedelta(seconds=31)
    svc2.verify("8642")  # unlocked, and the count starts again
    assert svc2.status().tries_left == pin_mod.MAX_TRIES
    db2.dispose()


def test_lock_survives_clock_turned_back_only_for_one_period(db) -> None:
    clock = FakeClock()
    svc = PinService(db, clock)
    svc.set_pin("8642")
    for _ in range(pin_mod.MAX_TRIES):
        with pytest.raises(PermissionDeniedError):
            svc.verify("1")
    clock.now -= timedelta(days=1)  # the PC clock moved back: the lock is still at most one minute
    with pytest.raises(PermissionDeniedError, match="locked for 60"):
        svc.verify("8642")
    clock.now += timedelta(seconds=61)
    svc.verify("8642")


def test_reset_without_the_pin_is_audited(services, db) -> None:
    svc = PinService(db)
    svc.set_pin("97531")
    svc.reset(reason="owner forgot it")
    assert not svc.is_set()
    entry = services.audit.query(action="pin_reset")[0]
    assert entry.before == "set" and entry.detail == "owner forgot it"


def test_pin_state_is_not_in_the_settings_the_window_reads(services) -> None:
    services.pin.set_pin("4455")
    assert not [k for k in services.settings.all() if k.startswith("sys.")]
