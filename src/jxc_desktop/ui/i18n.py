"""Qt side of translation: ``tr()`` for UI strings and loading the compiled zh_CN ``.qm``.

All UI strings share the context ``jxc``; their Chinese lives in the package's
resources/i18n/zh_CN/*.tsv and is compiled to resources/i18n/jxc_zh_CN.qm by tools/build_i18n.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QStandardPaths, QTranslator

from jxc_desktop import i18n
from jxc_desktop.paths import resources_dir

CONTEXT = "jxc"
_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """Translate an English UI string (a literal, so the completeness test can find it)."""
    return QCoreApplication.translate(CONTEXT, text)


class _MnemonicFallback(QTranslator):
    """Qt 6 gave some of its own labels a mnemonic ("&Look in:", "Files of &type:") that qtbase_zh_CN
    still translates only without the "&": look those up without it and add the key the Chinese way,
    "查找范围(&L)：". Installed first, so Qt asks it only when every other translator had nothing."""

    def __init__(self, base: QTranslator, parent: QCoreApplication) -> None:
        super().__init__(parent)
        self._base = base

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        match = re.search(r"&(\w)", source or "")
        if context == CONTEXT or match is None:
            return ""
        plain = self._base.translate(context, source.replace("&", "", 1), disambiguation, n)
        if not plain:
            return ""
        key = f"(&{match.group(1).upper()})"
        return plain[:-1] + key + plain[-1] if plain[-1] in "：:" else plain + key

    def isEmpty(self) -> bool:
        return False


def documents_dir(name: str = "") -> str:
    """Where file dialogs start: the user's documents folder (the working directory of a program
    started from a shortcut means nothing to a shop owner), with ``name`` as the suggested file."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not folder or not Path(folder).is_dir():
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
    return str(Path(folder) / name) if name else folder


def qm_path() -> str:
    return str(resources_dir() / "i18n" / "jxc_zh_CN.qm")


def install(app: QCoreApplication, language: str) -> str:
    """Install the translators for ``language`` ("" = the system's); returns the one chosen."""
    lang = language or i18n.system_language()
    i18n.set_language(lang)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang.startswith("zh"):
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        ours = QTranslator(app)
        qt = QTranslator(app)
        has_qt = qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        chain: list[QTranslator] = [_MnemonicFallback(qt, app)] if has_qt else []
        if ours.load(qm_path()):
            chain.append(ours)
        if has_qt:
            chain.append(qt)  # the last installed is asked first
        for translator in chain:
            app.installTranslator(translator)
            _installed.append(translator)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return i18n.language()
