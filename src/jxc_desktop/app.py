"""Composition root of the window program (``jxc-desktop``, ``python -m jxc_desktop``).

Start-up order: arguments -> QApplication -> one-instance lock on the database file -> migrate
(backup first; damaged/foreign/newer files refused with a message) -> services -> language ->
main window -> first-run welcome. Heavy modules are imported only when needed so the window is
ready for a scan quickly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from jxc_desktop.db.filelock import WindowLock
    from jxc_desktop.services.hub import Services
    from jxc_desktop.ui.main_window import MainWindow


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="jxc-desktop", description="JXC Desktop: 进销存 for a small shop")
    parser.add_argument("--db", type=Path, default=None,
                        help="database file (default: $JXC_DB, else the user data folder)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None,
                        help="language for this run (default: the language setting, else the system's)")
    parser.add_argument("--selftest", action="store_true",
                        help="open a temporary database offscreen, check the window works, exit 0/1")
    return parser.parse_args(argv)


def db_path_from(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db).expanduser().resolve()
    from jxc_desktop.paths import default_db_path

    return default_db_path().resolve()


def make_app(argv: list[str]) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from jxc_desktop.ui.qt_compat import protect_bools

    protect_bools()
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("JXC Desktop")
    app.setOrganizationName("jxc-desktop")
    from jxc_desktop import __version__
    from jxc_desktop.ui.icons import app_icon

    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def lock_path(db_path: Path) -> Path:
    """The file the window's lock is on: the data file itself (its real identity, so a symbolic or
    hard link to it is the same file)."""
    return db_path


def acquire_lock(db_path: Path) -> WindowLock | None:
    """Hold the data file while the window is open; None when another window (this process or
    another, by any path to the same file) has it. Restores are refused meanwhile.

    An operating-system lock (db/filelock.py): it dies with its process, so a killed window leaves
    nothing stale behind, and it never goes stale by age (the shop keeps the program open all day).
    A missing file is created empty to hold the lock on.
    """
    from jxc_desktop.db.filelock import lock_window

    return lock_window(db_path)


def release_lock(lock: WindowLock) -> None:
    """Let go of the file; an empty file made only to hold the lock (the start stopped before a shop
    was created in it) is removed again."""
    lock.unlock()
    if lock.created:
        import contextlib

        with contextlib.suppress(OSError):
            if lock.path.stat().st_size == 0:
                lock.path.unlink()


def open_database(db_path: Path) -> Services:
    """Migrate (raises DatabaseError with a clear reason) and build the services."""
    from jxc_desktop.db.migrate import migrate
    from jxc_desktop.db.uow import Database
    from jxc_desktop.domain.errors import JxcError
    from jxc_desktop.services.hub import Services

    migrate(db_path)
    db = Database.for_file(db_path)
    try:
        # A table or index missing is damage: refused here, so the start-up dialog offers the
        # restore. The full integrity check runs in the background once the window is up.
        db.check_before_use(writing=True)
    except JxcError:
        db.dispose()
        raise
    return Services(db)


def install_language(app: Any, services: Services | None, forced: str | None) -> str:
    from jxc_desktop.ui.i18n import install

    lang = forced if forced is not None else (services.settings.get("language") if services else "")
    return install(app, lang or "")


def build_window(services: Services, db_path: Path) -> MainWindow:
    from jxc_desktop.ui.main_window import MainWindow

    return MainWindow(services, db_path)


WARM_UP_DELAY_MS = 1000  # after the window is ready: the first paint and first tab never wait for it
READY_FILE_ENV = "JXC_READY_FILE"


def warm_up() -> threading.Thread:
    """Off the GUI thread, once the window is up: draw a throwaway receipt (the CJK font, its glyph
    tables, ReportLab's caches: the first real receipt then takes what later ones take). pypinyin's
    dictionaries (~55 MB) are warmed by the product form when it opens, not here."""

    def work() -> None:
        # Imported here, in the warm-up thread, for start-up speed: not needed to show the window.
        from jxc_desktop.reports import receipt

        try:
            receipt.warm_up()
        except Exception:  # a missing font etc.: the real receipt reports it; warming is only a head start
            logging.getLogger(__name__).exception("receipt warm-up failed")
        from jxc_desktop.ui.freed_memory import give_back

        give_back()  # the start-up's leftovers: the source lines PySide6 read (~30 MB), free pages

    thread = threading.Thread(target=work, name="warm-up", daemon=True)
    thread.start()
    return thread


def report_ready() -> None:
    """With ``JXC_READY_FILE`` set (benchmarks/owner_feel.py), write this process's
    ``time.monotonic()`` into that file the moment the window is ready for a scan: shown, the first
    tab loaded, the event loop free. The parent compares it with its own monotonic clock when it
    spawned the process (the same clock on Linux). Written whole (a rename), never half."""
    target = os.environ.get(READY_FILE_ENV)
    if not target:
        return
    moment = time.monotonic()
    tmp = Path(target).with_name(Path(target).name + ".tmp")
    try:
        tmp.write_text(f"{moment:.6f}\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        logging.getLogger(__name__).warning("could not write %s", target)


def after_show(window: MainWindow) -> None:
    """What runs once ``window.show()`` was called: queued behind the window's own first-tab load
    (MainWindow queues it at once), so both come after the first paint."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window.maybe_welcome)
    QTimer.singleShot(0, report_ready)
    QTimer.singleShot(WARM_UP_DELAY_MS, warm_up)


def run(args: argparse.Namespace, argv: list[str]) -> int:
    from PySide6.QtWidgets import QMessageBox

    from jxc_desktop.domain.errors import JxcError

    app = make_app(argv)
    install_language(app, None, args.lang)  # messages before the database is open
    db_path = db_path_from(args)
    from jxc_desktop.ui.i18n import tr

    def refuse_second_copy(path: Path) -> int:
        QMessageBox.warning(None, tr("JXC Desktop is already open"),
                            tr("JXC Desktop is already open on {path}.\n\nSwitch to that window (see the "
                               "task bar) instead of opening a second copy.").format(path=str(path)))
        return 1

    def offer_start_file() -> int | None:
        """The safety dialog (restore a backup or pick another file); the lock moves to the file
        chosen. Returns the exit code when the start stops here."""
        nonlocal lock, db_path
        from jxc_desktop.ui.dialogs.damaged_file_dialog import resolve_start_file

        chosen = resolve_start_file(db_path)
        if chosen is None:
            return 2
        if chosen.resolve() != db_path:
            other = acquire_lock(chosen.resolve())
            if other is None:
                return refuse_second_copy(chosen)
            release_lock(lock)
            lock, db_path = other, chosen.resolve()
        return None

    from jxc_desktop.db.uri import check_name
    from jxc_desktop.domain.errors import DatabaseError

    try:
        check_name(db_path)
    except DatabaseError as exc:
        QMessageBox.critical(None, tr("Cannot open the database"), exc.message)
        return 2
    lock = acquire_lock(db_path)
    if lock is None:
        return refuse_second_copy(db_path)
    if lock.created:
        # Made empty only to hold the lock on: the start-up check must still see a missing file (a
        # lost shop with backups is offered the restore). The new file is locked once it exists.
        lock.path.unlink(missing_ok=True)
    try:
        from jxc_desktop.services.safety.backup_place import clean_stray_files

        clean_stray_files(db_path)  # what killed restores and backups left behind (we hold the file now)
        if not db_path.exists() or db_path.stat().st_size == 0:
            # A lost data file with backups beside it is not a new shop: offer the restore first (G).
            # Costs one stat on a healthy start; with no backups it returns at once, no dialog.
            stop = offer_start_file()
            if stop is not None:
                return stop
        try:
            services = open_database(db_path)  # refuses damaged/foreign/newer files before writing
        except JxcError:
            # Offer to restore the newest good backup or to pick another file (the safety dialog,
            # services/safety/startup_check.py); checked only on failure so a healthy start reads the file once.
            stop = offer_start_file()
            if stop is not None:
                return stop
            try:
                services = open_database(db_path)
            except JxcError as exc:
                QMessageBox.critical(None, tr("Cannot open the database"),
                                     tr("{reason}\n\nNothing was changed in the file.").format(reason=exc.message))
                return 2
        if not lock.follow():  # creating the shop replaced the file: hold the new one
            services.db.dispose()
            return refuse_second_copy(db_path)
        if args.lang is None:
            install_language(app, services, None)
        window = build_window(services, db_path)
        window.show()
        after_show(window)  # the readiness mark, then fonts, receipt templates and pinyin warmed
        code = app.exec()
        services.db.dispose()
        return int(code)
    finally:
        release_lock(lock)


# ---------------------------------------------------------------------- self-test


def selftest(args: argparse.Namespace, argv: list[str]) -> int:
    """Offscreen: temp database, migrations, main window, a product created and found through the tab."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[tuple[bool, str]] = []

    def check(ok: bool, what: str) -> bool:
        results.append((ok, what))
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
        return ok

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jxc-selftest-") as tmp:
        db_path = Path(tmp) / "selftest.sqlite3"
        try:
            app = make_app(argv)
            lang = install_language(app, None, args.lang or "zh_CN")
            _selftest_package_files(app, lang, check)
            lock = acquire_lock(db_path)
            check(lock is not None, "single-instance lock taken")
            check(acquire_lock(db_path) is None, "a second copy on the same file is refused")
            services = open_database(db_path)
            from jxc_desktop.db.migrate import current_revision, head_revision

            check(current_revision(services.db.url) == head_revision(), "migrations ran to head")
            window = build_window(services, db_path)
            window.show()
            app.processEvents()
            check(window.isVisible() and window.tabs.count() >= 1, "main window shown")
            from jxc_desktop.ui.main_window import TAB_FACTORIES

            window.build_all_tabs()  # every tab module imports and builds (catches bundle gaps)
            titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
            check(len(titles) == len(TAB_FACTORIES), f"all {len(TAB_FACTORIES)} tabs built: {' '.join(titles)}")
            tab = window.show_tab("products")
            check(tab is not None, "products tab present")
            app.processEvents()
            _selftest_products(app, tab, services, check)
            window.close()
            services.db.dispose()
            if lock is not None:
                release_lock(lock)
        except Exception as exc:  # report, never hang the bundle check
            check(False, f"unexpected error: {exc!r}")
    ok = all(r[0] for r in results)
    print(f"selftest {'passed' if ok else 'FAILED'}: {sum(r[0] for r in results)}/{len(results)} checks "
          f"in {time.perf_counter() - started:.2f}s", flush=True)
    return 0 if ok else 1


def _selftest_package_files(app: Any, lang: str, check: Any) -> None:
    """The files shipped inside the package were found: a missing .qm, .tsv or icon fails silently
    otherwise (the window just comes up in English, without its icon)."""
    from jxc_desktop import i18n
    from jxc_desktop.ui.i18n import tr
    from jxc_desktop.ui.icons import SIZES

    if lang == "zh_CN":
        check(tr("Products") != "Products" and bool(i18n.catalog(lang)),
              "Chinese translations loaded (window and messages)")
    sizes = len(app.windowIcon().availableSizes())
    check(sizes == len(SIZES), f"application icon loaded ({sizes} of {len(SIZES)} sizes)")


def _selftest_products(app: Any, tab: Any, services: Services, check: Any) -> None:
    dlg = tab.open_editor(None)
    dlg.name.setText("自检矿泉水")
    dlg.sale_price.setText("2.50")
    dlg.ref_cost.setText("1.20")
    dlg.add_barcode_row("6901234567892", 1)
    dlg.opening_qty.setText("24")
    dlg.accept()
    app.processEvents()
    created = dlg.result_product
    check(created is not None and not dlg.isVisible(), "product created through the dialog")
    if created is None:
        print("     reason:", dlg.error_label.text())
        return
    stored = services.catalog.get(created.id)
    check(stored.name == "自检矿泉水" and stored.sale_price == 250 and stored.stock_qty == 24_000,
          "product stored with price ¥2.50 and opening stock 24")
    for text in ("zjkqs", "矿泉", "6901234567892"):
        tab.search.setText(text)
        tab.apply_filter()
        ok = tab.model.rowCount() == 1 and tab.model.product_at(0).id == created.id
        check(ok, f"search '{text}' finds it in the table")
    tab.search.setText("nothing-matches-this")
    tab.apply_filter()
    check(tab.model.rowCount() == 0, "a search without matches shows an empty table")


def main(argv: list[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(raw)
    qt_argv = [sys.argv[0]]
    if args.selftest:
        return selftest(args, qt_argv)
    return run(args, qt_argv)


if __name__ == "__main__":
    raise SystemExit(main())
