"""Issue 13 item 7: the recovery code, the audited reset without it, and no try used by an empty PIN."""

from __future__ import annotations

import re

import pytest

from jxc_desktop.domain.errors import PermissionDeniedError
from jxc_desktop.services.safety import pin as pin_mod
from jxc_desktop.services.safety.audit import AuditService
from jxc_desktop.services.safety.pin import PinService


def _lock(svc: PinService) -> None:
    for _ in range(pin_mod.MAX_TRIES):
        with pytest.raises(PermissionDeniedError):
            svc.verify("0000")
    assert svc.status().locked_until is not None


def test_set_pin_gives_a_recovery_code_that_resets_even_during_a_lock(db) -> None:
    svc = PinService(db)
    code = svc.set_pin("2468")
    assert re.fullmatch(r"([A-HJKMNP-Z2-9]{4}-){4}[A-HJKMNP-Z2-9]{4}", code)
    assert svc.has_recovery_code() and code.replace("-", "") not in repr(db.url)
    _lock(svc)
    with pytest.raises(PermissionDeniedError, match="recovery code"):
        svc.reset_with_code("AAAA-AAAA-AAAA-AAAA-AAAA")
    assert svc.is_set()
    svc.reset_with_code(code.lower().replace("-", " "))  # typed by hand: case and separators do not matter
    assert not svc.is_set() and not svc.has_recovery_code() and svc.reset_notice() is None
    actions = [e.action for e in AuditService(db).query()]
    assert actions[:2] == ["pin_reset_recovery", "pin_recovery_wrong"]


def test_a_new_pin_replaces_the_recovery_code(db) -> None:
    svc = PinService(db)
    first = svc.set_pin("2468")
    second = svc.set_pin("1357", current_pin="2468")
    assert first != second
    with pytest.raises(PermissionDeniedError):
        svc.reset_with_code(first)
    svc.reset_with_code(second)
    assert not svc.is_set()


def test_reset_without_the_code_leaves_a_notice_until_acknowledged(db) -> None:
    svc = PinService(db)
    svc.set_pin("2468")
    svc.reset(reason="forgot")
    notice = svc.reset_notice()
    assert notice is not None and notice.reason == "forgot" and notice.at is not None
    with pytest.raises(PermissionDeniedError, match="new owner PIN"):
        svc.acknowledge_reset()  # whoever reset it cannot hide the notice without setting a PIN
    svc.set_pin("1111")
    assert svc.reset_notice() is not None
    svc.acknowledge_reset()
    assert svc.reset_notice() is None
    assert AuditService(db).query()[0].action == "pin_reset_acknowledged"


def test_an_empty_pin_uses_no_try(db) -> None:
    svc = PinService(db)
    svc.set_pin("2468")
    for call in (lambda: svc.clear_pin(""), lambda: svc.set_pin("1357", current_pin=None),
                 lambda: svc.verify("")):
        with pytest.raises(PermissionDeniedError, match="needs the owner PIN"):
            call()
    assert svc.status().tries_left == pin_mod.MAX_TRIES
    assert not AuditService(db).query(action="pin_wrong")
