"""services/audit_text: stored fen and thousandths read as yuan and units; plain text unchanged."""

from __future__ import annotations

from jxc_desktop.services.safety import audit_text


def test_money_and_quantities_become_yuan_and_units() -> None:
    assert audit_text.fields('{"sale_price":10,"ref_cost":450}') == [("sale_price", "¥0.10"), ("ref_cost", "¥4.50")]
    assert audit_text.fields('{"gain_qty":1500,"gain_value":123456,"lines":3}') == [
        ("gain_qty", "1.5"), ("gain_value", "¥1,234.56"), ("lines", "3")]
    assert audit_text.readable('{"discount":-250}') == "discount -¥2.50"
    assert audit_text.readable('{"shop_name":""}', str.upper) == "SHOP_NAME —"


def test_plain_text_and_bad_json_stay_as_stored() -> None:
    for text in ("", "set", "/backups/x.sqlite3", "{not json", "[1, 2]"):
        assert audit_text.fields(text) is None
        assert audit_text.readable(text) == text
