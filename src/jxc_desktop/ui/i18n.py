"""Qt side of translation: ``tr()`` for UI strings and loading the compiled zh_CN ``.qm``.

All UI strings share the context ``jxc``; their Chinese lives in the package's
resources/i18n/zh_CN/*.tsv and is compiled to resources/i18n/jxc_zh_CN.qm by tools/build_i18n.py.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from jxc_desktop import i18n
from jxc_desktop.paths import resources_dir

CONTEXT = "jxc"
_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """Translate an English UI string (a literal, so the completeness test can find it)."""
    return QCoreApplication.translate(CONTEXT, text)


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
        if ours.load(qm_path()):
            app.installTranslator(ours)
            _installed.append(ours)
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return i18n.language()
