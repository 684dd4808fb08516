"""Whether the owner PIN is set, how many tries are left and until when entry is locked, worked
out from the stored settings alone: the PIN service (pin.py) reads them on its session, ``jxc pin
status`` with sqlite3 alone (issue 15: the command never builds SQLAlchemy). No hashing here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from jxc_desktop.services.safety.owner_actions import HASH_KEY

FAILS_KEY = "sys.pin_failures"
LOCKED_KEY = "sys.pin_locked_until"
MAX_TRIES = 5
LOCK_SECONDS = 60


@dataclass(frozen=True)
class PinStatus:
    is_set: bool
    locked_until: datetime | None  # aware, when entry is locked now
    tries_left: int


def failures(stored: str | None) -> int:
    """The wrong tries counted so far; a value nobody could have written counts as none."""
    try:
        return max(0, min(MAX_TRIES, int(stored or 0)))
    except ValueError:
        return 0


def locked_until(stored: str | None, now: datetime) -> datetime | None:
    """When entry unlocks, if it is locked at ``now``."""
    if not stored:
        return None
    try:
        until = datetime.fromisoformat(stored)
    except ValueError:
        return None
    if until.tzinfo is None:  # not written by us; an aware lock is the only kind compared
        return None
    # A lock far in the future means the clock was turned back: cap it at one lock period.
    until = min(until, now + timedelta(seconds=LOCK_SECONDS))
    return until if until > now else None


def pin_status(stored: Callable[[str], str | None], now: datetime) -> PinStatus:
    """The status from ``stored(key)``: a setting's stored value, or None/"" when there is none."""
    return PinStatus(bool(stored(HASH_KEY)), locked_until(stored(LOCKED_KEY), now),
                     MAX_TRIES - failures(stored(FAILS_KEY)))
