"""The package installs whole: a wheel built from the sources, installed into a fresh virtual
environment that cannot see the source tree, creates, fills and checks a database (``jxc``) and
passes the window's self-test (``jxc-desktop --selftest``, offscreen).

The fresh environment gets the dependencies (PySide6, SQLAlchemy, ...) from this interpreter's
site-packages through a .pth file: a folder named there is added to sys.path, but .pth files inside
it are not processed, so an editable install of jxc_desktop in this environment stays invisible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "jxc_desktop"
BIN = "Scripts" if os.name == "nt" else "bin"


def dependency_dirs() -> list[str]:
    """This interpreter's site-packages folders, leaving out any folder that holds jxc_desktop."""
    return [p for p in sys.path
            if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()
            and not (Path(p) / "jxc_desktop").exists()]


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH (nor any PYTHON* setting) nor JXC_DB/JXC_DATA_DIR reaches the installed program."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JXC_DB", "JXC_DATA_DIR"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), LANG="C.UTF-8")
    return env


def run(args: list[str | Path], cwd: Path,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def package_files() -> set[str]:
    """Every file of the package folder, as the wheel names it (bytecode caches aside)."""
    return {f"jxc_desktop/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def build_wheel(tmp: Path) -> Path:
    """Build from a copy, so the build's leftovers (build/, *.egg-info) never touch the tree."""
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    out = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
               "--check-build-dependencies", "--disable-pip-version-check", "-w", tmp / "dist", source], cwd=tmp)
    assert out.returncode == 0, ("building the wheel failed (build tools missing? pip install -e .[test])\n"
                                 + out.stdout + out.stderr)
    wheels = list((tmp / "dist").glob("jxc_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    out = run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    assert out.returncode == 0, out.stderr
    python = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    out = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
               "--disable-pip-version-check", wheel], cwd=tmp)
    assert out.returncode == 0, out.stdout + out.stderr
    out = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp)
    site_packages = Path(out.stdout.strip())
    pth = site_packages / "jxc-test-dependencies.pth"
    pth.write_text("\n".join(dependency_dirs()) + "\n", encoding="utf-8")
    return venv


def test_the_wheel_carries_everything_the_program_reads(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(package_files() - names)
    assert not missing, f"files of src/jxc_desktop left out of the wheel: {missing}"
    versions = [n for n in names if n.startswith("jxc_desktop/migrations/versions/") and n.endswith(".py")]
    assert len(versions) >= 4 and "jxc_desktop/migrations/env.py" in names
    assert "jxc_desktop/migrations/script.py.mako" in names
    assert "jxc_desktop/resources/i18n/jxc_zh_CN.qm" in names
    assert [n for n in names if n.startswith("jxc_desktop/resources/i18n/zh_CN/") and n.endswith(".tsv")]
    assert {f"jxc_desktop/resources/icons/jxc-{size}.png" for size in (16, 32, 48, 64, 128, 256)} <= names

    venv = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"  # cwd without the sources: nothing found relative to it
    work.mkdir()
    env = clean_env(work)
    bin_dir = venv / BIN
    out = run([bin_dir / "python", "-c", "import jxc_desktop; print(jxc_desktop.__file__)"], cwd=work, env=env)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).is_relative_to(venv), f"jxc_desktop imported from {out.stdout.strip()}"

    db = work / "shop.sqlite3"
    for args in (["init"], ["demo", "--products", "50", "--days", "3"], ["check"]):
        out = run([bin_dir / "jxc", "--db", db, *args], cwd=work, env=env)
        assert out.returncode == 0, f"jxc {' '.join(args)}:\n{out.stdout}{out.stderr}"

    out = run([bin_dir / "jxc-desktop", "--selftest"], cwd=work, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "selftest passed" in out.stdout and "FAIL" not in out.stdout
    assert "Chinese translations loaded" in out.stdout and "application icon loaded" in out.stdout
