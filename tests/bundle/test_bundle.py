"""The PyInstaller bundle (dist/jxc/) works on its own: the window's self-test offscreen, the
command line end to end, the CJK font and migrations inside, unused Qt modules left out."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

DIST = Path(os.environ.get("JXC_DIST", Path(__file__).resolve().parents[2] / "dist" / "jxc"))


def run(*args: str, timeout: int = 180, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    full_env.update({"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}, **env)
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, env=full_env)


def internal() -> Path:
    inside = DIST / "_internal"
    return inside if inside.is_dir() else DIST


def test_both_executables_are_there() -> None:
    assert (DIST / "jxc-desktop").is_file() and os.access(DIST / "jxc-desktop", os.X_OK)
    assert (DIST / "jxc").is_file() and os.access(DIST / "jxc", os.X_OK)


def test_window_selftest_passes_offscreen(tmp_path: Path) -> None:
    out = run(str(DIST / "jxc-desktop"), "--selftest", HOME=str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "selftest passed" in out.stdout
    assert "FAIL" not in out.stdout


def test_command_line_demo_check_and_export(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    out = run(str(DIST / "jxc"), "--db", str(db), "demo", "--products", "60", "--days", "3")
    assert out.returncode == 0, out.stderr
    out = run(str(DIST / "jxc"), "--db", str(db), "check", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["ok"] is True
    xlsx = tmp_path / "products.xlsx"
    out = run(str(DIST / "jxc"), "--db", str(db), "products", "export", str(xlsx))
    assert out.returncode == 0 and xlsx.stat().st_size > 1000, out.stderr
    out = run(str(DIST / "jxc"), "--db", str(db), "products", "import", str(tmp_path / "no.csv"))
    assert out.returncode == 2 and "no.csv" in out.stderr
    # Only init and demo make a shop: another command on a missing file says so and creates nothing.
    missing = tmp_path / "x.sqlite3"
    out = run(str(DIST / "jxc"), "--db", str(missing), "stock")
    assert out.returncode == 2 and "jxc init" in out.stderr and not missing.exists()


def test_font_migrations_and_translations_are_inside() -> None:
    root = internal() / "jxc_desktop"  # where paths.package_dir() looks when frozen
    fonts = list((root / "resources" / "fonts").glob("*.tt[fc]"))
    assert fonts, "the TrueType CJK font is not bundled"
    assert (root / "migrations" / "env.py").is_file()
    assert list((root / "migrations" / "versions").glob("0001_*.py"))
    assert (root / "resources" / "i18n" / "jxc_zh_CN.qm").is_file()
    assert list((root / "resources" / "i18n" / "zh_CN").glob("*.tsv"))
    assert (root / "resources" / "icons" / "jxc-256.png").is_file()


def test_unused_qt_modules_are_left_out() -> None:
    names = {p.name for p in internal().rglob("*") if p.is_file()}
    for unwanted in ("WebEngine", "Qt63D", "Qt6Quick", "Qt6Qml", "Qt6Multimedia", "Qt6Designer", "Qt6Location",
                     "virtualkeyboard"):
        assert not [n for n in names if unwanted in n], unwanted
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    print(f"bundle size: {size / 1e6:.0f} MB")
    assert size < 600e6
