"""The scan grammar (domain/scan.py): what a typed or scanned text is, before any lookup."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scale_barcode import DEFAULT_RULES, parse_rules
from jxc_desktop.domain.scan import maybe_scale, qty_for_amount, read_scan, search_kind

RULES = parse_rules(DEFAULT_RULES)
EAN = with_check_digit("690123456789")


def test_a_good_ean_is_a_barcode_and_a_new_barcode_but_never_search_text() -> None:
    s = read_scan(f"  {EAN} ", RULES)
    assert s.text == EAN and s.barcode and not s.bad_check_digit and s.scale is None
    assert not s.searchable and s.new_barcode and s.usable


def test_a_wrong_check_digit_is_said_and_never_offered_as_a_new_barcode() -> None:
    bad = EAN[:-1] + str((int(EAN[-1]) + 1) % 10)
    s = read_scan(bad, RULES)
    assert s.bad_check_digit and not s.new_barcode and not s.searchable


def test_scale_labels_are_read_by_the_rules() -> None:
    weight = read_scan(with_check_digit("210012301250"), RULES)
    assert weight.scale is not None and (weight.scale.item, weight.scale.weight) == ("00123", 1250)
    price = read_scan(with_check_digit("220012301880"), RULES)
    assert price.scale is not None and price.scale.amount == 1880
    assert read_scan(with_check_digit("230012301250"), RULES).scale is None  # no rule for 23
    assert read_scan(with_check_digit("210012301250"), []).scale is None  # no rules at all
    assert maybe_scale(with_check_digit("210012301250")) and not maybe_scale(EAN) and not maybe_scale("2100")


@pytest.mark.parametrize("text, searchable", [
    ("qf", True), ("wahaha", True), ("KK01", True), ("000123", True), ("1234567", True),
    ("12345678", False), ("可乐", True), ("蒙牛 纯牛奶", True),
])
def test_long_digit_strings_are_scans_everything_else_may_be_search(text: str, searchable: bool) -> None:
    assert read_scan(text, RULES).searchable is searchable


def test_characters_a_scanner_never_sends_are_not_a_barcode() -> None:
    assert not read_scan("可乐", RULES).barcode
    assert read_scan("A-01_x.2", RULES).barcode


def test_empty_or_overlong_text_is_not_usable() -> None:
    assert not read_scan("   ", RULES).usable
    assert not read_scan("x" * 41, RULES).usable
    assert read_scan("x" * 40, RULES).usable


def test_price_label_quantity() -> None:
    assert qty_for_amount(1880, 1500, "苹果") == 1253  # 18.80 / 15.00 per kg = 1.253 kg
    assert qty_for_amount(1, 100_000, "x") == 1  # never zero
    with pytest.raises(ValidationError, match="no sale price"):
        qty_for_amount(1880, 0, "苹果")


def test_search_kind() -> None:
    assert search_kind("cnn") == (True, True)
    assert search_kind("550") == (True, False)
    assert search_kind("可乐") == (False, False)
    assert search_kind("Coca 可乐") == (False, True)
