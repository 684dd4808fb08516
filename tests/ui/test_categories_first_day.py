"""Categories on the first day: Enter in the category manager adds once (no "category is required"
after it), the product form adds a category on the spot, the welcome offers the starter set."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from jxc_desktop.services.catalog.starter import STARTER_CATEGORIES
from jxc_desktop.ui.dialogs.category_dialog import CategoryDialog
from jxc_desktop.ui.dialogs.product_dialog import ProductDialog
from jxc_desktop.ui.dialogs.welcome_dialog import WelcomeDialog
from tests.ui.cjk import type_cjk


def test_enter_adds_the_category_once_without_an_error(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = CategoryDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.name.setFocus()
    type_cjk(dlg.name, "饮料")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    assert [c.name for c in services.catalog.categories()] == ["饮料"]
    assert dlg.error_label.text() == "" and dlg.isVisible()
    assert dlg.name.text() == ""  # ready for the next one


def test_product_form_adds_a_category(qtbot, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("日用品", True)))
    dlg = ProductDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.category.count() == 1  # only "(none)" in an empty shop
    qtbot.mouseClick(dlg.new_category_button, Qt.MouseButton.LeftButton)
    assert dlg.category.currentData() == "日用品" and dlg.isVisible()
    type_cjk(dlg.name, "洗衣粉")
    dlg.accept()
    assert dlg.result_product is not None and services.catalog.get(dlg.result_product.id).category == "日用品"
    qtbot.mouseClick(dlg.new_category_button, Qt.MouseButton.LeftButton)  # the same name again
    assert "already exists" in dlg.error_label.text()


def test_welcome_offers_the_starter_categories(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = WelcomeDialog(services)
    qtbot.addWidget(dlg)
    assert dlg.starter_categories.isChecked()
    type_cjk(dlg.shop_name, "小林杂货铺")
    dlg.accept()
    assert [c.name for c in services.catalog.categories()] == sorted(STARTER_CATEGORIES)
    again = WelcomeDialog(services)  # offered twice: nothing doubled
    qtbot.addWidget(again)
    again.accept()
    assert len(services.catalog.categories()) == len(STARTER_CATEGORIES)


def test_welcome_without_starter_categories(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = WelcomeDialog(services)
    qtbot.addWidget(dlg)
    dlg.starter_categories.setChecked(False)
    dlg.accept()
    assert services.catalog.categories() == []
