"""Issue 13 item 16: the scale-barcode rules as a form with a live example, in the till settings."""

from __future__ import annotations

import pytest

from jxc_desktop.domain import scale_barcode as sb
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog


def test_layout_round_trips_and_examples_decode() -> None:
    for pattern in ("21IIIIIWWWWWC", "22IIIIIPPPPPC", "2XIIIIIWWWWWC", "2IIIIIIPPPPXC", "2IIIIIWWWWWXX"):
        layout = sb.layout_of(pattern)
        assert layout is not None and layout.pattern() == pattern
        rule = sb.parse_rules(pattern)[0]
        decoded = sb.decode(sb.example_code(rule), [rule])
        assert decoded is not None and int(decoded.item) == sb.EXAMPLE_ITEM
    assert sb.layout_of("21IIIWIIWWWWC") is None  # not prefix/item/value: kept as typed
    with pytest.raises(ValidationError, match="needs 18 digits"):
        sb.RuleLayout("2123456", 5, "weight", 5).pattern()
    with pytest.raises(ValidationError, match="starts with 2"):
        sb.RuleLayout("3", 5, "price", 5).pattern()


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    yield
    install(qapp, "en")


def test_form_edits_rules_with_a_live_example(qtbot, chinese, services) -> None:  # type: ignore[no-untyped-def]
    dlg = TillSettingsDialog(services.settings)
    qtbot.addWidget(dlg)
    form = dlg.scale_rules
    assert [r.pattern() for r in form.rows] == ["21IIIIIWWWWWC", "22IIIIIPPPPPC"]
    first, second = form.rows
    assert first.prefix.text() == "21" and first.item.value() == 5 and first.kind.currentData() == "weight"
    assert "2100123012503" in first.result.text() and "重量 1.25 千克" in first.result.text()
    assert "¥18.80" in second.result.text()
    first.prefix.setText("2")  # one digit more for the item code
    first.item.setValue(6)
    assert first.pattern() == "2IIIIIIWWWWWC" and "000123" in first.result.text()
    form.try_edit.setText("2200123018809")
    assert "200123" in form.try_result.text() and "千克" in form.try_result.text()  # the first rule wins now
    first.prefix.setText("21")
    first.item.setValue(5)
    assert "¥18.80" in form.try_result.text()  # updated live as the rules change
    form.try_edit.setText("6901234567892")
    assert "6901234567892" in form.try_result.text() and "¥" not in form.try_result.text()
    second.value.setValue(9)  # 2 + 2 + 5 + 9 + 1 > 13: said at once, and saving refuses
    assert "13" in second.result.text()
    dlg.accept()
    assert dlg.error.text() and services.settings.get("scale_barcode_rules") == sb.DEFAULT_RULES
    second.value.setValue(5)
    form.rows[1].kind.setCurrentIndex(form.rows[1].kind.findData("weight"))
    form.add_row("")
    form.remove_row(form.rows[-1])
    form.try_edit.setText("2100123018809")
    dlg.resize(900, 560)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab().save("/tmp/pin-scale-rules.png")
    dlg.accept()
    assert services.settings.get("scale_barcode_rules") == "21IIIIIWWWWWC;22IIIIIWWWWWC"
