"""In-store EAN-13 codes (店内码): the rules (domain/store_barcode.py) and their allocation
(services/catalog/labels.py LabelService.generate_store_barcodes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jxc_desktop.domain.barcode import gs1_check_digit, is_valid_gs1, with_check_digit
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.scale_barcode import DEFAULT_RULES, parse_rules
from jxc_desktop.domain.store_barcode import (
    free_prefixes,
    is_store_code,
    next_codes,
    prefix_taken,
    reads_as_scale,
    serial_of,
    store_code,
)
from jxc_desktop.services.catalog.dto import ScanKind
from jxc_desktop.services.hub import Services

# ------------------------------------------------------------------ check digits


@pytest.mark.parametrize("code", ["6901234567892", "4006381333931", "2000000000015", "9780306406157"])
def test_known_check_digits(code: str) -> None:
    assert gs1_check_digit(code[:12]) == int(code[-1])
    assert is_valid_gs1(code)
    assert not is_valid_gs1(code[:12] + str((int(code[-1]) + 1) % 10))


@given(st.integers(min_value=1, max_value=10 ** 10 - 1), st.sampled_from([f"2{d}" for d in range(10)]))
def test_store_code_shape(serial: int, prefix: str) -> None:
    code = store_code(prefix, serial)
    assert len(code) == 13 and code.startswith(prefix) and code.isdigit()
    assert is_valid_gs1(code) and is_store_code(code)
    assert serial_of(code, prefix) == serial


def test_store_code_limits() -> None:
    with pytest.raises(ValidationError):
        store_code("19", 1)
    with pytest.raises(ValidationError):
        store_code("20", 0)
    with pytest.raises(ValidationError):
        store_code("20", 10 ** 10)
    assert not is_store_code("6901234567892")
    assert serial_of("2000000000016", "20") is None  # wrong check digit


# ------------------------------------------------------------------ scale rules


def test_default_scale_rules_keep_21_and_22() -> None:
    rules = parse_rules(DEFAULT_RULES)
    assert free_prefixes(rules) == ["20", "23", "24", "25", "26", "27", "28", "29"]
    assert prefix_taken("21", rules[0]) and not prefix_taken("20", rules[0])


def test_a_rule_with_an_open_second_digit_takes_every_prefix() -> None:
    assert free_prefixes(parse_rules("2XIIIIIWWWWWC")) == []
    assert free_prefixes(parse_rules("2IIIIIIWWWWWC")) == []
    with pytest.raises(ValidationError, match="scale label rules use every in-store prefix"):
        next_codes([], {}, 1, parse_rules("2XIIIIIWWWWWC"))


def test_codes_never_read_as_scale_labels() -> None:
    rules = parse_rules("20IIIIIWWWWWC;27IIIIIPPPPPC;23XIIIIPPPPPC")
    free = free_prefixes(rules)
    assert "20" not in free and "27" not in free and "23" not in free
    codes = next_codes(free, {}, 50, rules)
    assert len(set(codes)) == 50
    assert all(not reads_as_scale(c, rules) for c in codes)
    assert all(is_valid_gs1(c) for c in codes)


def test_next_codes_go_on_after_the_highest_and_skip_taken() -> None:
    rules = parse_rules(DEFAULT_RULES)
    taken = {store_code("20", 6)}
    codes = next_codes(["20", "23"], {"20": 4}, 3, rules, taken)
    assert codes == [store_code("20", 5), store_code("20", 7), store_code("20", 8)]
    # A full prefix hands over to the next one.
    full = next_codes(["20", "23"], {"20": 10 ** 10 - 2}, 3, rules)
    assert full == [store_code("20", 10 ** 10 - 1), store_code("23", 1), store_code("23", 2)]


# ------------------------------------------------------------------ the allocation


def _barcodes(db_path: Path) -> list[tuple[str, int]]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT code, product_id FROM barcode ORDER BY id").fetchall()
    finally:
        con.close()


def test_generate_for_products_without_a_barcode(services: Services, make_product, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with_code = make_product("可口可乐 330ml")
    bare = [make_product(f"散装花生 {n}", barcode="") for n in range(3)]
    made = services.labels.generate_store_barcodes([with_code.id] + [p.id for p in bare])
    assert [m.product_id for m in made] == [p.id for p in bare]  # the one with a barcode keeps it
    assert [m.barcode for m in made] == [store_code("20", n) for n in (1, 2, 3)]
    assert services.catalog.get(with_code.id).barcodes == with_code.barcodes
    for m in made:
        assert services.catalog.get(m.product_id).barcodes == ((m.barcode, 1),)
        scan = services.catalog.resolve_scan(m.barcode)  # the till finds it as a barcode, not a scale label
        assert scan.kind == ScanKind.BARCODE and scan.product is not None and scan.product.id == m.product_id
    # Again: nothing to do; a new product goes on after the highest code.
    assert services.labels.generate_store_barcodes([p.id for p in bare]) == []
    later = make_product("散装瓜子", barcode="")
    assert services.labels.generate_store_barcodes([later.id])[0].barcode == store_code("20", 4)
    codes = [c for c, _ in _barcodes(db_path)]
    assert len(codes) == len(set(codes))


def test_the_product_dialog_proposal(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.product_rules import ProductInput

    code = services.labels.propose_store_barcode()
    assert code == store_code("20", 1)
    assert services.labels.propose_store_barcode() == code  # nothing reserved
    p = services.catalog.create_product(ProductInput(name="散装糖果", sale_price=990, barcodes=((code, 1),)))
    assert services.labels.propose_store_barcode() == store_code("20", 2)
    with pytest.raises(ValidationError, match="already belongs"):  # the save refuses a code taken meanwhile
        services.catalog.create_product(ProductInput(name="另一个", sale_price=100, barcodes=((code, 1),)))
    assert services.catalog.get(p.id).barcodes == ((code, 1),)


def test_generation_skips_codes_typed_by_hand(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("手工条码", barcode=store_code("20", 1))
    make_product("手工条码二", barcode=store_code("20", 9))
    bare = make_product("无码商品", barcode="")
    assert services.labels.generate_store_barcodes([bare.id])[0].barcode == store_code("20", 10)


def test_generation_follows_the_till_settings(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"scale_barcode_rules": "20IIIIIWWWWWC;23IIIIIPPPPPC"})
    bare = make_product("称重外的商品", barcode="")
    code = services.labels.generate_store_barcodes([bare.id])[0].barcode
    assert code == store_code("21", 1)
    assert not reads_as_scale(code, parse_rules("20IIIIIWWWWWC;23IIIIIPPPPPC"))


def test_every_prefix_taken_writes_nothing(services: Services, make_product, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"scale_barcode_rules": "2XIIIIIWWWWWC"})
    bare = make_product("无码商品", barcode="")
    before = _barcodes(db_path)
    with pytest.raises(ValidationError, match="every in-store prefix"):
        services.labels.generate_store_barcodes([bare.id])
    assert _barcodes(db_path) == before


def test_unknown_product_and_empty_choice(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.labels.generate_store_barcodes([999])
    with pytest.raises(ValidationError):
        services.labels.generate_store_barcodes([])


def test_check_digit_helper_matches_domain() -> None:
    assert with_check_digit("200000000001") == "2000000000015"
