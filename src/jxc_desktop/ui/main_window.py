"""The main window: one tab per area, menus 文件 / 设置 / 帮助, a status bar.

Each area adds its tab with one line in ``TAB_FACTORIES`` (a factory ``(services, parent) -> QWidget``
that imports its module lazily, so start-up stays fast). Tabs are ordered by ``order``; Ctrl+1..Ctrl+9
switch to them. A tab that has a ``refresh()`` method gets it called whenever it becomes current, and
when a write changed what it shows (``TAB_CHANGES``; at once when on screen, else when it shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

from jxc_desktop import __version__
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.changes import Change, bus_for, publish, subscribe
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.icons import app_icon
from jxc_desktop.ui.widgets.elided import ElidedLabel

PREFERRED_SIZE = QSize(1200, 760)
MIN_SIZE = QSize(900, 560)
TITLE_BAR = 32  # the frame the window manager adds above the client area (not known before showing)


def fit_window_size(available: QRect) -> QSize:
    """The window's client size inside the screen's free area (taskbar already excluded): 1200×760
    where it fits, else all of the free area (a 1366×768 till needs every pixel for its columns)."""
    room = QSize(available.width(), available.height() - TITLE_BAR)
    if room.width() >= PREFERRED_SIZE.width() and room.height() >= PREFERRED_SIZE.height():
        return QSize(PREFERRED_SIZE)
    return room


@dataclass(frozen=True)
class TabSpec:
    key: str  # stable name, e.g. "products"; MainWindow.tab("products") finds the widget
    title: Callable[[], str]  # called after the translator is installed: lambda: tr("Products")
    factory: Callable[[Services, QWidget], QWidget]
    order: int = 50  # checkout first (10), then products (20), purchase, stock, count, reports


def _checkout_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.checkout_tab import CheckoutTab

    return CheckoutTab(services, parent)


def _products_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.products_tab import ProductsTab

    return ProductsTab(services, parent)


def _purchase_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.purchase_tab import make_purchase_tab

    return make_purchase_tab(services, parent)


def _stock_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.stock_tab import make_stock_tab

    return make_stock_tab(services, parent)


def _count_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.count_tab import make_count_tab

    return make_count_tab(services, parent)


def _accounts_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.accounts_tab import make_accounts_tab

    return make_accounts_tab(services, parent)


def _members_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.members_tab import MembersTab

    return MembersTab(services, parent)


def _reports_tab(services: Services, parent: QWidget) -> QWidget:
    from jxc_desktop.ui.reports_tab import make_reports_tab

    return make_reports_tab(services, parent)


# What each tab shows, so a write refreshes it (ui/changes.py); a tab not listed refreshes on any
# change. Tabs with ``refreshes_itself`` subscribe their parts themselves.
TAB_CHANGES: dict[str, Change] = {
    "checkout": Change.SALES | Change.HELD | Change.SETTINGS,
    "products": Change.PRODUCTS | Change.STOCK,
    "purchase": Change.PURCHASES | Change.SUPPLIERS | Change.PRODUCTS | Change.STOCK,
    "stock": Change.PRODUCTS | Change.STOCK | Change.DOCUMENTS | Change.SETTINGS,
    "count": Change.PRODUCTS | Change.COUNTS,
    "reports": Change.DOCUMENTS | Change.PRODUCTS | Change.STOCK | Change.SUPPLIERS | Change.SETTINGS,
}

TAB_FACTORIES: list[TabSpec] = [
    TabSpec("checkout", lambda: tr("Checkout"), _checkout_tab, order=10),
    TabSpec("products", lambda: tr("Products"), _products_tab, order=20),
    TabSpec("purchase", lambda: tr("Purchasing"), _purchase_tab, order=30),
    TabSpec("stock", lambda: tr("Stock"), _stock_tab, order=40),
    TabSpec("count", lambda: tr("Stock count"), _count_tab, order=45),
    TabSpec("accounts", lambda: tr("Accounts (往来)"), _accounts_tab, order=50),
    TabSpec("members", lambda: tr("Members (会员)"), _members_tab, order=55),
    TabSpec("reports", lambda: tr("Reports"), _reports_tab, order=60),
]


class MainWindow(QMainWindow):
    def __init__(self, services: Services, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.db_path = Path(db_path)
        self.setWindowIcon(app_icon())
        self.fit_to_screen()

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._tabs: dict[str, QWidget] = {}
        # Only the first tab is built before the window shows; the others follow one per event-loop
        # turn right after, so the till is ready for a scan quickly (cold start budget 2 s).
        self._pending: list[TabSpec] = sorted(TAB_FACTORIES, key=lambda s: s.order)
        if self._pending:
            self._add_tab(self._pending.pop(0))
        for n in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # not behind an open dialog
            shortcut.activated.connect(lambda i=n - 1: self.switch_to(i))
        self.tabs.currentChanged.connect(self._tab_changed)

        self._build_menus()
        self.db_label = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)  # a long path: its folder elided first
        self.count_label = QLabel()
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.refresh_title()
        self.refresh_status()
        # What a write changed refreshes what shows it (ui/changes.py): here the title, the product
        # count, and after a document the first-documents backup (safety.work_done).
        subscribe(self, services, Change.SETTINGS, self.refresh_title)
        subscribe(self, services, Change.PRODUCTS, self.refresh_status)
        subscribe(self, services, Change.DOCUMENTS, self._work_done)
        from jxc_desktop.ui.safety_actions import install as install_safety

        install_safety(self)  # 文件 → 备份/恢复/审计日志, 设置 → 老板密码, "last backup" in the status bar
        from jxc_desktop.ui.health_check import install as install_health

        install_health(self)  # the full integrity check, in the background after start
        from jxc_desktop.ui.staff_status import install_staff_status

        install_staff_status(self, services)  # who is signed in, the shift, "unlocked for 1:45" (issue 18)
        # The first tab loads its data once the window is on screen, not before.
        QTimer.singleShot(0, lambda: self._tab_changed(self.tabs.currentIndex()))
        QTimer.singleShot(0, self, self._build_next_tab)  # dropped with the window

    def fit_to_screen(self) -> None:
        """Fit the screen's free area (the title bar included), so the bottom of the window is never
        under the taskbar of a 1366×768 screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1200, 800)
        size = fit_window_size(available)
        self.setMinimumSize(min(MIN_SIZE.width(), size.width()), min(MIN_SIZE.height(), size.height()))
        self.resize(size)
        self.move(available.x() + (available.width() - size.width()) // 2,
                  available.y() + max(0, (available.height() - size.height() - TITLE_BAR) // 2))

    # ------------------------------------------------------------------ tabs
    def _add_tab(self, spec: TabSpec) -> None:
        widget = spec.factory(self.services, self)
        self._tabs[spec.key] = widget
        self.tabs.addTab(widget, spec.title())
        refresh = getattr(widget, "refresh", None)
        if callable(refresh) and not getattr(widget, "refreshes_itself", False):  # a write that changed what the tab shows re-reads it (once, when it shows)
            subscribe(widget, self.services, TAB_CHANGES.get(spec.key, Change.ALL), refresh, lazy=True)

    def _build_next_tab(self) -> None:
        if self._pending:
            self._add_tab(self._pending.pop(0))
            QTimer.singleShot(0, self, self._build_next_tab)

    def build_all_tabs(self) -> None:
        """Build the tabs still waiting (a shortcut or a test may want one before its turn)."""
        while self._pending:
            self._add_tab(self._pending.pop(0))

    def tab(self, key: str) -> QWidget | None:
        if key not in self._tabs:
            self.build_all_tabs()
        return self._tabs.get(key)

    def show_tab(self, key: str) -> QWidget | None:
        widget = self.tab(key)
        if widget is not None:
            self.tabs.setCurrentWidget(widget)
        return widget

    def switch_to(self, index: int) -> None:
        self.build_all_tabs()
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if not self._owner_may_see(index, widget):
            return
        self._shown_index = index
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            bus_for(self.services).settled(widget)  # refreshed right here, not twice
            refresh()
        self.refresh_status()  # the command line may have changed the file meanwhile

    def _work_done(self, *_args: object) -> None:
        safety = getattr(self, "safety", None)
        if safety is not None:
            safety.work_done()

    def _owner_may_see(self, index: int, widget: QWidget) -> bool:
        """Tabs with costs or profit (ui.guard.OWNER_TABS) ask the owner PIN, when one is set. The
        previous tab stays on screen while asking, so nothing shows behind the PIN dialog."""
        from jxc_desktop.ui.guard import OWNER_TABS, ensure_owner, owner_present

        key = next((k for k, w in self._tabs.items() if w is widget), "")
        action = OWNER_TABS.get(key)
        if action is None or owner_present(self.services) or not self.services.pin.is_set():
            return True
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(getattr(self, "_shown_index", 0))
        self.tabs.blockSignals(False)
        if ensure_owner(self, self.services, action):
            self.tabs.setCurrentIndex(index)  # shown now, through this same method
        return False

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu: QMenu = bar.addMenu(tr("&File"))
        self.import_action = QAction(tr("Import products…"), self)
        self.export_action = QAction(tr("Export products…"), self)
        self.import_action.triggered.connect(lambda: self._import_products())
        self.export_action.triggered.connect(lambda: self._export_products())
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self._quit_separator = self.file_menu.addSeparator()
        self.quit_action = QAction(tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(lambda: self.close())
        self.file_menu.addAction(self.quit_action)

        self.settings_menu: QMenu = bar.addMenu(tr("&Settings"))
        self.settings_action = QAction(tr("Shop settings…"), self)
        self.settings_action.triggered.connect(lambda: self.open_settings())
        self.settings_menu.addAction(self.settings_action)

        self.help_menu: QMenu = bar.addMenu(tr("&Help"))
        self.quick_start_action = QAction(tr("Quick start"), self)
        self.quick_start_action.setShortcut(QKeySequence("F1"))
        self.quick_start_action.triggered.connect(lambda: self.show_help(0))
        self.shortcuts_action = QAction(tr("Keyboard shortcuts"), self)
        self.shortcuts_action.triggered.connect(lambda: self.show_help(1))
        self.help_menu.addAction(self.quick_start_action)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addSeparator()
        self.about_action = QAction(tr("About JXC Desktop"), self)
        self.about_action.triggered.connect(lambda: self.show_about())
        self.help_menu.addAction(self.about_action)

    def add_file_action(self, action: QAction) -> None:
        """Other areas (backup, restore) put their File-menu entries above Quit."""
        self.file_menu.insertAction(self._quit_separator, action)

    def _import_products(self) -> None:
        tab = self.show_tab("products")
        if tab is not None:
            tab.import_dialog()  # type: ignore[attr-defined]

    def _export_products(self) -> None:
        tab = self.show_tab("products")
        if tab is not None:
            tab.export_dialog()  # type: ignore[attr-defined]

    def open_settings(self) -> QWidget | None:
        from jxc_desktop.ui.dialogs.settings_dialog import SettingsDialog
        from jxc_desktop.ui.guard import ensure_owner

        if not ensure_owner(self, self.services, "settings"):
            return None

        self.settings_dialog = SettingsDialog(self.services, self)
        self.settings_dialog.open()
        return self.settings_dialog

    def show_help(self, page: int) -> QWidget:
        from jxc_desktop.ui.dialogs.help_dialog import HelpDialog

        self.help_dialog = HelpDialog(self, page)
        self.help_dialog.show()
        return self.help_dialog

    def about_text(self) -> str:
        return tr("<h3>JXC Desktop {version}</h3><p>Purchase, stock and sales for a small shop.</p>"
                  "<p>Data file: {path}</p><p>Licence: MIT</p>").format(
            version=__version__, path=str(self.db_path))

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, tr("About JXC Desktop"), self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        self.about_box = box
        box.open()

    # ------------------------------------------------------------------ title and status bar
    def refresh_title(self) -> None:
        shop = self.services.settings.get("shop_name").strip()
        app = tr("JXC Desktop")
        self.setWindowTitle(f"{shop} - {app}" if shop else app)

    def refresh_status(self) -> None:
        """Re-read the product count (call after anything that adds or (de)activates products)."""
        self.db_label.setText(tr("Data file: {path}").format(path=str(self.db_path)))
        count = self.services.catalog.count(active_only=True)
        self.count_label.setText(tr("{count} products").format(count=count))

    def add_status_widget(self, widget: QWidget, *, permanent: bool = True) -> None:
        """Other tabs show a status (held sales, last backup...) on the right of the status bar."""
        if permanent:
            self.statusBar().addPermanentWidget(widget)
        else:
            self.statusBar().addWidget(widget)

    # ------------------------------------------------------------------ first run
    def maybe_welcome(self) -> QWidget | None:
        """On a fresh database, ask the shop name and how to begin (empty / import / demo data)."""
        if self.services.settings.get("welcome_done") == "1":
            return None
        if self.services.catalog.count() > 0:  # filled by `jxc` already: nothing to welcome
            self.services.settings.update({"welcome_done": "1"})
            return None
        from jxc_desktop.ui.dialogs.welcome_dialog import WelcomeDialog

        dlg = WelcomeDialog(self.services, self)
        dlg.accepted.connect(lambda: self._welcome_chosen(dlg))
        self.welcome_dialog = dlg
        dlg.open()
        return dlg

    def _welcome_chosen(self, dlg: QWidget) -> None:
        from jxc_desktop.ui.dialogs.welcome_dialog import DEMO, IMPORT

        self.refresh_title()
        choice = getattr(dlg, "choice", "")
        if choice == IMPORT:
            self._import_products()
        elif choice == DEMO:
            self.load_demo(dlg.demo_products.value(), dlg.demo_days.value())  # type: ignore[attr-defined]

    def load_demo(self, products: int, days: int) -> QWidget:
        from jxc_desktop.demo.shop import fill_demo
        from jxc_desktop.ui.tasks import run_task

        services = self.services
        self.demo_task = run_task(
            self, tr("Loading demo data…"),
            lambda progress: fill_demo(services, products=products, days=days, seed=1, progress=progress),
            lambda _result: self.data_changed())
        return self.demo_task  # type: ignore[return-value]

    def data_changed(self) -> None:
        """Everything changed at once (demo data, a restore put another file in place): every view
        refreshes (those on other tabs when they show), and the file's health line."""
        health = getattr(self, "health", None)
        if health is not None:
            health.refresh_status()  # a restore put a checked file in place
        publish(self.services, Change.ALL)

    def closeEvent(self, event: QCloseEvent) -> None:
        from jxc_desktop.ui.tasks import running_tasks

        if running_tasks():  # an import or backup half-way: quitting now would kill its thread
            self.statusBar().showMessage(tr("Wait until the running task finishes, or cancel it first."), 8000)
            event.ignore()
            return
        for widget in self._tabs.values():
            can_close = getattr(widget, "can_close", None)
            if callable(can_close) and not can_close():
                event.ignore()
                return
        from jxc_desktop.ui.tasks import stop_background_tasks

        stop_background_tasks()  # the background integrity check: interrupted, not waited for
        safety = getattr(self, "safety", None)
        if safety is not None:
            safety.backup_on_exit()  # today's work goes into a copy, not only the start-up one
        event.accept()
