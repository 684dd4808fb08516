"""The 往来 tab: everything about money owed in one place, as the shop owner thinks of it (and as
管家婆 and 智慧记 group it) — who owes what (balances), the wholesale note (销售单) that creates a
customer's debt, taking money in and paying out with its allocation (收款/付款), the statement to
hand over (对账单), and the customers themselves. The purchase tab stays about goods coming in;
a customers tab of its own would split one conversation ("what does the restaurant owe, let me
take their payment and print their statement") over two tabs.

Pages refresh on the changes that touch them (sales, purchases, accounts, customers, suppliers)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from jxc_desktop.services.accounts.dto import CUSTOMER
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.accounts_balances import BalancesPage
from jxc_desktop.ui.accounts_money import MoneyPage
from jxc_desktop.ui.accounts_statement import StatementPage
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.customers_page import CustomersPage
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.wholesale_editor import WholesaleEditor

MONEY_CHANGES = Change.ACCOUNTS | Change.SALES | Change.PURCHASES | Change.CUSTOMERS | Change.SUPPLIERS


class AccountsTab(QWidget):
    refreshes_itself = True

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QTabWidget()
        self.balances = BalancesPage(services)
        self.wholesale = WholesaleEditor(services)
        self.money = MoneyPage(services)
        self.statement = StatementPage(services)
        self.customers = CustomersPage(services)
        for page, title in ((self.balances, tr("Balances")), (self.wholesale, tr("Wholesale note (销售单)")),
                            (self.money, tr("Collect / pay")), (self.statement, tr("Statement (对账单)")),
                            (self.customers, tr("Customers"))):
            self.pages.addTab(page, title)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)
        self.balances.pay_requested.connect(self.open_money)
        self.balances.statement_requested.connect(self.open_statement)
        # each page waits until it shows (lazy): one refresh however many writes
        subscribe(self.balances, services, MONEY_CHANGES, self.balances.refresh, lazy=True)
        subscribe(self.money, services, MONEY_CHANGES, self.money.refresh, lazy=True)
        subscribe(self.statement, services, Change.CUSTOMERS | Change.SUPPLIERS, self.statement.refresh, lazy=True)
        subscribe(self.customers, services, Change.CUSTOMERS | Change.ACCOUNTS | Change.SALES,
                  self.customers.refresh, lazy=True)
        subscribe(self.wholesale, services, Change.CUSTOMERS | Change.ACCOUNTS, self.wholesale.picker.search_now,
                  lazy=True)

    def can_close(self) -> bool:
        """Asked by the main window before quitting: a wholesale note being typed is not a document
        yet (it has no drafts), so losing it is asked first (default: no)."""
        if not self.wholesale.model.note.lines:
            return True
        self.pages.setCurrentWidget(self.wholesale)
        return confirm(self, tr("The sales note being entered is not posted. Quit anyway and lose it?"))

    def open_money(self, party: str, party_id: int) -> None:
        self.pages.setCurrentWidget(self.money)
        if party_id:
            self.money.choose(party, party_id)

    def open_statement(self, party: str = CUSTOMER, party_id: int = 0) -> None:
        self.pages.setCurrentWidget(self.statement)
        if party_id:
            self.statement.choose(party, party_id)


def make_accounts_tab(services: Services, parent: QWidget) -> QWidget:
    return AccountsTab(services, parent)
