"""Every UI string and every error template has its zh_CN translation.

UI strings are checked against the compiled .qm through a real QTranslator (so a .qm older than its
TSV files fails); service error templates against jxc_desktop.i18n.catalog, which str(exc) uses.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from jxc_desktop import i18n
from jxc_desktop.domain import errors as domain_errors
from jxc_desktop.ui.i18n import CONTEXT, qm_path

SRC = Path(__file__).resolve().parents[2] / "src" / "jxc_desktop"
ERROR_CLASSES = {name for name, obj in vars(domain_errors).items()
                 if isinstance(obj, type) and issubclass(obj, domain_errors.JxcError)}


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _walk(folder: Path):  # type: ignore[no-untyped-def]
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                yield path, node


def ui_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for path, node in _walk(SRC / "ui"):
        if _callee(node) == "tr":
            text = _literal(node.args[0])
            if text is not None:
                found.setdefault(text, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def error_templates() -> dict[str, str]:
    """Literal first arguments of ``SomeJxcError(...)`` anywhere in the program, in every layer."""
    found: dict[str, str] = {}
    local_errors = set(ERROR_CLASSES)
    for path in sorted(SRC.rglob("*.py")):  # subclasses defined elsewhere (ImportRejected...) count too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    (b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")) in ERROR_CLASSES
                    for b in node.bases):
                local_errors.add(node.name)
    for path, node in _walk(SRC):
        if _callee(node) in local_errors:
            text = _literal(node.args[0])
            if text is not None:
                found.setdefault(text, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_the_walk_finds_strings() -> None:
    assert "Products" in ui_strings()
    assert "{field} is required" in error_templates()


def test_every_ui_string_is_in_the_compiled_qm(qapp) -> None:  # type: ignore[no-untyped-def]
    translator = QTranslator()
    assert translator.load(qm_path()), "resources/i18n/jxc_zh_CN.qm is missing: run tools/build_i18n.py"
    missing = [f"{where}: {text!r}" for text, where in sorted(ui_strings().items(), key=lambda kv: kv[1])
               if not translator.translate(CONTEXT, text)]
    assert not missing, ("UI strings without zh_CN in the .qm (add them to resources/i18n/zh_CN/<area>.tsv "
                         "and run tools/build_i18n.py):\n" + "\n".join(missing))


def test_every_error_template_has_chinese() -> None:
    i18n.catalog.cache_clear()
    pairs = i18n.catalog("zh_CN")
    missing = [f"{where}: {text!r}" for text, where in sorted(error_templates().items(), key=lambda kv: kv[1])
               if text not in pairs]
    assert not missing, "error templates without zh_CN in resources/i18n/zh_CN/*.tsv:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", ["zh_CN"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    import string

    def names(text: str) -> set[str]:
        try:
            return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}
        except ValueError:
            return {"<unbalanced braces>"}

    bad = [f"{src!r} -> {dst!r}" for src, dst in i18n.catalog(lang).items() if names(src) != names(dst)]
    assert not bad, "translations whose {placeholders} differ from the English:\n" + "\n".join(bad)


def test_tr_is_never_given_a_built_string() -> None:
    """``tr(f"...")`` or ``tr("a" + b)`` can never match the catalogue: format after tr() instead."""
    bad = [f"{path.relative_to(SRC)}:{node.lineno}" for path, node in _walk(SRC / "ui")
           if _callee(node) == "tr" and isinstance(node.args[0], ast.JoinedStr | ast.BinOp)]
    assert not bad, "tr() given an f-string or concatenation (use tr('... {x}').format(x=...)):\n" + "\n".join(bad)
