"""Translations shared by every layer (stdlib only).

Source strings are English. Chinese lives in ``jxc_desktop/resources/i18n/zh_CN/*.tsv``
(``English<TAB>中文`` per line, ``\\n`` and ``\\t`` escaped); the Qt ``.qm`` file is compiled from the
same files, so the window and the services' error messages speak one language.
"""

from __future__ import annotations

import locale
import os
from functools import lru_cache
from pathlib import Path

from jxc_desktop.paths import resources_dir

_language = "zh_CN"


def tsv_dir(lang: str = "zh_CN") -> Path:
    return resources_dir() / "i18n" / lang


def _unescape(text: str) -> str:
    return text.replace("\\t", "\t").replace("\\n", "\n")


@lru_cache(maxsize=4)
def catalog(lang: str = "zh_CN") -> dict[str, str]:
    """All ``English -> translation`` pairs of a language, from every TSV file."""
    result: dict[str, str] = {}
    folder = tsv_dir(lang)
    if not folder.is_dir():
        return result
    for path in sorted(folder.glob("*.tsv")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            source, sep, target = raw.partition("\t")
            if sep and target:
                result[_unescape(source)] = _unescape(target)
    return result


def system_language() -> str:
    """zh_CN on a Chinese system, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh_CN" if code.lower().startswith("zh") else "en"


def set_language(lang: str) -> None:
    global _language
    _language = "zh_CN" if lang.startswith("zh") else "en"


def language() -> str:
    return _language


def _(text: str) -> str:
    """Translate an English source string into the current language."""
    if _language == "en":
        return text
    return catalog(_language).get(text, text)
