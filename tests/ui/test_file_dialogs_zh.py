"""File dialogs in the Chinese window: Qt's own labels in Chinese (qtbase_zh_CN plus the labels Qt 6
gave a mnemonic), and every open/save dialog starting in the user's documents folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel

from jxc_desktop.ui import i18n as ui_i18n
from jxc_desktop.ui.main_window import MainWindow


def test_qt_file_dialog_labels_are_chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert ui_i18n.install(qapp, "zh_CN") == "zh_CN"
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels, labels
        assert not [text for text in labels if "Look in" in text or "type" in text], labels
        assert ui_i18n.tr("Products") == "商品"  # ours still win for our own strings
        dialog.deleteLater()
    finally:
        ui_i18n.install(qapp, "en")
    assert ui_i18n.tr("Products") == "Products"


def test_file_dialogs_start_in_the_documents_folder(qtbot, services, db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    starts: list[str] = []

    def ask(parent, title, start="", *a, **k):  # type: ignore[no-untyped-def]
        starts.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(ask))
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.export_action.trigger()
    window.import_action.trigger()
    docs = Path(ui_i18n.documents_dir())
    assert docs.is_absolute() and docs.is_dir()
    assert [Path(s) for s in starts] == [docs / "products.xlsx", docs]
