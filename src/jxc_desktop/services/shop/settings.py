"""Shop settings: key/value rows with typed defaults. The till's own settings (its name, its
printer: till_config.LOCAL_KEYS) are kept in a local file of the PC instead (till_config.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Setting
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scale_barcode import validate_rules as validate_scale_rules
from jxc_desktop.services.safety.api import SETTINGS, record
from jxc_desktop.services.shop.printer_setup import (
    BAUD_RATES,
    PRINTER_KINDS,
    check_printer,
    validate_network,
    validate_usb,
)
from jxc_desktop.services.shop.setting_defaults import DEFAULTS
from jxc_desktop.services.shop.till_config import LOCAL_KEYS, overlay, read_local, write_local

CHOICES: dict[str, tuple[str, ...]] = {
    "receipt_width_mm": ("58", "80"),
    "negative_stock": ("block", "warn", "allow"),
    "language": ("", "zh_CN", "en"),
    "block_expired_sale": ("0", "1"),
    "auto_print_receipt": ("0", "1"),
    "welcome_done": ("0", "1"),
    "printer_kind": PRINTER_KINDS,
    "escpos_baud": BAUD_RATES,
    "drawer_on_cash": ("0", "1"),
    "use_shifts": ("0", "1"),
    "cashier_no_pin": ("0", "1"),
    "member_points_on_promoted": ("0", "1"),
}

INT_RANGES: dict[str, tuple[int, int]] = {
    "expiry_warning_days": (0, 3650),
    "max_line_discount_pct": (0, 100),
    "max_sale_discount_pct": (0, 100),
    "reorder_cover_days": (1, 365),
    "reorder_lead_days": (0, 180),
    "reorder_service_level": (50, 99),
    "abc_a_pct": (1, 99),
    "abc_b_pct": (0, 99),
    "idle_sign_out_min": (0, 600),
    "member_points_per_yuan": (0, 100),
    "member_points_redeem_rate": (1, 100_000),
    "member_sv_pin_limit": (0, 1_000_000),
}

# Keys whose text has its own grammar: a function that raises ValidationError when it is wrong.
def validate_folder(value: str) -> None:
    """A backup folder must be absolute: a relative one would land wherever the program started."""
    from pathlib import PurePosixPath, PureWindowsPath

    if value and not (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()
                      or value.startswith("~")):
        raise ValidationError("The backup folder must be a full path, such as /media/usb/jxc")


def validate_till(value: str) -> None:
    if not value or len(value) > 20:
        raise ValidationError("The till name must be 1 to 20 characters")


VALIDATORS: dict[str, Callable[[str], object]] = {
    "till_id": validate_till,
    "scale_barcode_rules": validate_scale_rules,
    "backup_dir": validate_folder,
    "escpos_usb": validate_usb,
    "escpos_network": validate_network,
}

MAX_TEXT = 200


def validate(key: str, value: str) -> str:
    if key not in DEFAULTS:
        raise ValidationError("Unknown setting {key}", key=key)
    value = str(value).strip()
    if key in CHOICES and value not in CHOICES[key]:
        raise ValidationError("{key}: '{value}' is not one of the allowed values", key=key, value=value[:40])
    if key in INT_RANGES:
        lo, hi = INT_RANGES[key]
        if not (value.isascii() and value.isdigit()) or not lo <= int(value) <= hi:
            raise ValidationError("{key} must be a whole number from {lo} to {hi}", key=key, lo=lo, hi=hi)
    if key in VALIDATORS:
        VALIDATORS[key](value)
    if len(value) > MAX_TEXT or any(ord(c) < 32 and c not in "\n" for c in value):
        raise ValidationError("{key} is too long or holds control characters", key=key)
    return value


def read_all(session: Session) -> dict[str, str]:
    """Every setting as this PC sees it: the shop's, with this till's own (till_config.py) over them."""
    values = dict(DEFAULTS)
    for row in session.scalars(select(Setting)):
        if not row.key.startswith("sys."):  # internal state (PIN hash, last backup) stays inside
            values[row.key] = row.value
    return overlay(values)


def get(session: Session, key: str) -> str:
    if key in LOCAL_KEYS:
        local = read_local().get(key)
        if local is not None:
            return local
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key, "")


def get_int(session: Session, key: str) -> int:
    try:
        return int(get(session, key))
    except ValueError:
        return int(DEFAULTS[key])


def put(session: Session, key: str, value: str) -> None:
    value = validate(key, value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


@dataclass(frozen=True)
class SettingsService:
    db: Database

    def all(self) -> dict[str, str]:
        with self.db.read() as uow:
            return read_all(uow.session)

    def get(self, key: str) -> str:
        with self.db.read() as uow:
            return get(uow.session, key)

    def update(self, values: Mapping[str, str]) -> dict[str, str]:
        """Validate every value first, then write them all in one transaction; returns the changes."""
        clean = {k: validate(k, v) for k, v in values.items()}
        with self.db.write() as uow:
            before = read_all(uow.session)
            check_printer({**before, **clean})  # a printer kind needs its address
            a, b = (int(clean.get(k, before.get(k) or DEFAULTS[k])) for k in ("abc_a_pct", "abc_b_pct"))
            if a + b > 100:  # the ABC classes: A and B together cannot pass the whole
                raise ValidationError("The ABC thresholds add up to more than 100% ({a}% + {b}%)", a=a, b=b)
            changed = {k: v for k, v in clean.items() if before.get(k) != v}
            for k, v in changed.items():
                if k not in LOCAL_KEYS:  # this till's own go to its local file, below
                    put(uow.session, k, v)
            if changed:
                record(uow.session, SETTINGS, before={k: before.get(k, "") for k in changed}, after=changed)
            local = {k: v for k, v in changed.items() if k in LOCAL_KEYS}
            if local:  # written before the commit: a file that cannot be written leaves nothing changed
                write_local(local)
            uow.commit()
        return changed
