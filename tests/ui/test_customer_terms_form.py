"""The customer form's payment terms: typed in the dialog, stored, shown in the customers list, and
the next sale on account falls due after them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from jxc_desktop.services.accounts.dto import CUSTOMER
from jxc_desktop.ui.customers_page import CustomersPage
from tests.ui.cjk import type_cjk
from tests.unit.accounts_fixtures import sell


def test_terms_in_the_customer_form(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 200, qty=50)
    page = CustomersPage(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    type_cjk(dialog.name, "月结饭店")
    assert dialog.terms.value() == 0  # a new customer: due on the day
    dialog.terms.selectAll()
    qtbot.keyClicks(dialog.terms, "45")
    dialog.accept()
    c = services.customers.find_by_name("月结饭店")
    assert c is not None and c.terms_days == 45
    col = page.model.columnCount() - 1
    assert page.model.headerData(col, Qt.Orientation.Horizontal) == "Payment terms"
    assert page.model.index(0, col).data() == "45 days"

    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert page.dialog.terms.value() == 45  # the form shows what is stored
    page.dialog.reject()

    sell(services, cola, 1, date(2026, 3, 1), customer_id=c.id)
    assert [d.due_date for d in services.accounts.open_documents(CUSTOMER, c.id)] == [date(2026, 4, 15)]
