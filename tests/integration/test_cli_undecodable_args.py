"""Bytes that are not UTF-8 on the command line (a file name pasted from an old GBK folder, a
mistyped terminal): Python hands them over as lone surrogates, which no database binding or file
format takes. `jxc` refuses them in one line naming the argument, exit 2, and writes nothing — on
the plain read path, the full path and a write — instead of printing a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc

SRC = Path(__file__).resolve().parents[2] / "src"
BAD = b"\xff\xfe\xb2\xe2"  # GBK's 测 after two bytes no encoding starts with


def run(db: Path, *args: bytes | str) -> subprocess.CompletedProcess[bytes]:
    """`jxc --db DB ARGS` as a shell runs it: arguments as raw bytes."""
    argv = [sys.executable, "-c", "import sys; from jxc_desktop.cli import main; sys.exit(main())",
            "--db", str(db), *args]
    env = dict(os.environ, PYTHONPATH=str(SRC), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return subprocess.run(argv, env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("undecodable") / "shop.sqlite3"
    assert jxc(["--db", str(path), "init"]) == 0
    assert jxc(["--db", str(path), "suppliers", "add", "老供应商"]) == 0
    return path


def _rows(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        return (con.execute("SELECT count(*) FROM supplier").fetchone()[0],
                con.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("args", [
    ("products", "search", BAD),  # the plain read path (sqlite3 alone)
    ("members", "show", BAD),
    ("styles", "grid", BAD),
    ("receipt", "--pdf", "r.pdf", BAD),
    ("suppliers", "add", b"\xe6\x96\xb0" + BAD),  # a write: the full path, rolled back
    ("customers", "add", BAD),
])
def test_an_argument_that_is_not_text_is_refused_in_one_line(shop: Path, args: tuple[bytes | str, ...],
                                                              tmp_path: Path) -> None:
    before = _rows(shop)
    args = tuple(str(tmp_path / a) if a == "r.pdf" else a for a in args)
    done = run(shop, *args)
    err = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("jxc: ")
    assert ("not valid text" in err or "不是有效的文字" in err) and "\\xff\\xfe" in err, err
    assert done.stdout == b""
    assert _rows(shop) == before  # nothing written, not even an audit entry
    assert not (tmp_path / "r.pdf").exists()


def test_a_file_name_that_is_not_utf8_still_works(shop: Path, tmp_path: Path) -> None:
    """Only text the data takes is refused: a PDF written under a name of such bytes is fine."""
    name = os.fsencode(tmp_path) + b"/" + BAD + b".pdf"
    done = run(shop, "report", "profit", "--period", "today", "--pdf", name)
    assert done.returncode == 0, done.stderr.decode("utf-8", "backslashreplace")
    assert os.path.exists(name)
