"""The dependency direction of docs/architecture.md holds: import-linter's contracts (pyproject.toml),
counted by name; the two contract types of tools/import_contracts.py on a toy project; and an AST
walk proving the domain uses the standard library only."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
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


# Every contract of pyproject.toml by name (docs/architecture.md explains them). Taking one out,
# renaming it or adding one without listing it here fails test_the_contracts_are_all_there.
CONTRACTS = (
    "domain is pure",
    "no Qt below the ui",
    "ui goes through services",
    "reports render DTOs without the database",
    "reports reach services only through their dto",
    "db is storage only",
    "services know no front end",
    "process packages meet only through api and dto",
    "files read tables and nothing else",
    "no import cycle between modules",
)


def lint_imports(cwd: Path, *args: str, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the sources under ``pythonpath`` (never whichever jxc_desktop happens to be
    installed), from ``cwd`` (where it reads the configuration and finds tools/)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is not installed (pip install -e .[test])"
    # COLUMNS: rich would wrap the report at 80 and split the module names the tests look for.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(pythonpath), str(ROOT)]), "COLUMNS": "200"}
    return subprocess.run([exe, "--no-cache", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)


def contract_results(stdout: str) -> dict[str, str]:
    """{contract name: "KEPT" | "BROKEN"} from lint-imports' summary lines."""
    found = re.findall(r"^(.+?) (KEPT|BROKEN)$", stdout, flags=re.MULTILINE)
    return {name: result for name, result in found}


def test_import_linter_contracts_hold() -> None:
    out = lint_imports(ROOT, pythonpath=ROOT / "src")
    results = contract_results(out.stdout)
    broken = sorted(name for name, result in results.items() if result == "BROKEN")
    assert out.returncode == 0 and not broken, out.stdout + out.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in out.stdout, out.stdout


def test_the_contracts_are_all_there() -> None:
    """Counted by name, from the configuration itself, so deleting a contract (or a typo in its
    name) fails here even while the others pass."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    assert names == list(CONTRACTS)
    out = lint_imports(ROOT, pythonpath=ROOT / "src")
    assert sorted(contract_results(out.stdout)) == sorted(CONTRACTS), out.stdout + out.stderr


def test_reports_load_no_database_code_at_run_time() -> None:
    """What the contracts say statically, checked in a fresh interpreter: rendering a receipt or a
    report imports neither SQLAlchemy nor db nor Qt (a dynamic import would slip past grimp)."""
    modules = sorted(f"jxc_desktop.reports.{p.stem}" for p in (SRC / "reports").glob("*.py") if p.stem != "__init__")
    assert "jxc_desktop.reports.receipt" in modules
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}:\n    importlib.import_module(name)\n"
             "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic',\n"
             "              'PySide6')} | {m for m in sys.modules if m.startswith(('jxc_desktop.db', 'jxc_desktop.ui'))}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ------------------------------------------------ the two contract types of tools/import_contracts.py
TOY_CONFIG = """
[tool.importlinter]
root_package = "toy"
contract_types = [
    "public_face: tools.import_contracts.PublicFaceContract",
    "acyclic_modules: tools.import_contracts.AcyclicModulesContract",
]

[[tool.importlinter.contracts]]
name = "process packages meet through api and dto"
type = "public_face"
packages = ["toy.svc.a", "toy.svc.b"]
faces = ["api", "dto"]

[[tool.importlinter.contracts]]
name = "pdf reaches services through dto"
type = "public_face"
importers = ["toy.pdf"]
packages = ["toy.svc.*"]
faces = ["dto"]

[[tool.importlinter.contracts]]
name = "no cycles"
type = "acyclic_modules"
containers = ["toy"]
"""


def make_toy(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package ``toy`` with two process packages a and b, a composition root and a pdf module;
    ``files`` adds or replaces modules (path relative to toy/ -> source)."""
    base = {
        "__init__.py": "",
        "svc/__init__.py": "",
        "svc/root.py": "from toy.svc.a import inner as a_inner\nfrom toy.svc.b import inner as b_inner\n",
        "svc/a/__init__.py": '"""a"""\n',
        "svc/a/api.py": "from toy.svc.a.inner import run\n",
        "svc/a/dto.py": "X = 1\n",
        "svc/a/inner.py": "from toy.svc.a.dto import X\nfrom toy.svc.b.api import go\n\ndef run():\n    return go(X)\n",
        "svc/b/__init__.py": '"""b"""\n',
        "svc/b/api.py": "from toy.svc.b.inner import go\n",
        "svc/b/dto.py": "Y = 2\n",
        "svc/b/dto_more/__init__.py": "",
        "svc/b/inner.py": "from toy.svc.a.dto import X\n\ndef go(x):\n    return x + X\n",
        "pdf.py": "from toy.svc.a.dto import X\nfrom toy.svc.b.dto import Y\n",
    }
    for rel, text in {**base, **files}.items():
        path = tmp_path / "src" / "toy" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(TOY_CONFIG, encoding="utf-8")
    return tmp_path


def toy_results(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, str], str]:
    project = make_toy(tmp_path, files)
    out = lint_imports(project, pythonpath=project / "src")
    results = contract_results(out.stdout)
    assert len(results) == 3, out.stdout + out.stderr
    return results, out.stdout


def test_toy_project_keeps_every_contract(tmp_path: Path) -> None:
    results, out = toy_results(tmp_path, {})
    assert set(results.values()) == {"KEPT"}, out


def test_public_face_refuses_an_internal_module_of_another_package(tmp_path: Path) -> None:
    results, out = toy_results(tmp_path, {"svc/b/inner.py": "from toy.svc.a.inner import run\n"})
    assert results["process packages meet through api and dto"] == "BROKEN"
    assert "toy.svc.b.inner -> toy.svc.a.inner (l.1)" in out
    assert results["pdf reaches services through dto"] == "KEPT"


def test_public_face_sees_imports_inside_functions(tmp_path: Path) -> None:
    hidden = "def later():\n    from toy.svc.a import inner\n    return inner\n"
    results, out = toy_results(tmp_path, {"svc/b/inner.py": hidden})
    assert results["process packages meet through api and dto"] == "BROKEN"
    assert "toy.svc.b.inner -> toy.svc.a.inner (l.2)" in out


def test_public_face_allows_below_a_face_and_restricts_other_importers_to_theirs(tmp_path: Path) -> None:
    # dto may grow into a package; the pdf may not use an api, and not the composition root either.
    results, out = toy_results(tmp_path, {
        "svc/a/inner.py": "from toy.svc.b.dto_more import __name__ as n\nfrom toy.svc.b.dto import Y\n",
        "pdf.py": "from toy.svc.a.api import run\nfrom toy.svc import root\n",
    })
    assert results["process packages meet through api and dto"] == "BROKEN"
    assert "toy.svc.a.inner -> toy.svc.b.dto_more" in out  # dto_more is not dto
    assert results["pdf reaches services through dto"] == "BROKEN"
    assert "toy.pdf -> toy.svc.a.api" in out
    assert "toy.pdf -> toy.svc.root" in out


def test_acyclic_modules_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    results, out = toy_results(tmp_path, {
        "svc/a/dto.py": "X = 1\n\ndef back():\n    from toy.svc.a import inner\n    return inner\n",
    })
    assert results["no cycles"] == "BROKEN"
    assert results["process packages meet through api and dto"] == "KEPT"
    assert "toy.svc.a.dto (l.4) ->" in out and "toy.svc.a.inner (l.1) ->" in out


def test_acyclic_modules_does_not_count_packages_that_use_each_other(tmp_path: Path) -> None:
    # a.inner -> b.api -> b.inner -> a.dto: packages a and b use each other, modules form no cycle.
    results, out = toy_results(tmp_path, {})
    assert results["no cycles"] == "KEPT", out


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


def test_starter_categories_are_the_demo_shops() -> None:
    from jxc_desktop.demo.catalog_data import CATEGORIES
    from jxc_desktop.services.catalog.starter import STARTER_CATEGORIES

    assert STARTER_CATEGORIES == CATEGORIES
