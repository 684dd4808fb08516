"""The dependency direction of DESIGN.md §1 holds: import-linter's contracts (pyproject.toml) and
an AST walk proving the domain uses the standard library only."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "jxc_desktop"
# The domain may use itself and the translation lookup (stdlib-only, checked below too).
DOMAIN_MAY_USE = ("jxc_desktop.domain", "jxc_desktop.i18n", "jxc_desktop.paths")


def imported_modules(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports stay inside the package
                found.add("jxc_desktop.domain")
            elif node.module:
                found.add(node.module)
    return found


def is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is not installed (pip install -e .[test])"
    out = subprocess.run([exe], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 3 kept, 0 broken" in out.stdout or "0 broken" in out.stdout, out.stdout


def test_domain_imports_only_the_standard_library() -> None:
    files = sorted((SRC / "domain").glob("*.py"))
    assert len(files) >= 8
    offenders = []
    for path in files:
        for module in imported_modules(path):
            if not (is_stdlib(module) or module.startswith(DOMAIN_MAY_USE)):
                offenders.append(f"{path.name}: {module}")
    # The two helpers the domain reaches use only the stdlib at import time.
    for helper in ("i18n.py", "paths.py"):
        for module in imported_modules(SRC / helper, top_level_only=True):
            if not (is_stdlib(module) or module.startswith(DOMAIN_MAY_USE)):
                offenders.append(f"{helper}: {module}")
    assert offenders == []


def test_the_ast_check_would_catch_a_third_party_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom sqlalchemy import select\ndef f():\n    import PySide6\n", encoding="utf-8")
    found = {m for m in imported_modules(bad) if not is_stdlib(m)}
    assert found == {"sqlalchemy", "PySide6"}
