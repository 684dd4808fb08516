"""Compile src/jxc_desktop/resources/i18n/zh_CN/*.tsv into jxc_zh_CN.ts and .qm in the folder above
them (pyside6-lrelease).

Run after adding UI strings:  .venv/bin/python tools/build_i18n.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jxc_desktop.i18n import catalog  # noqa: E402
from jxc_desktop.paths import resources_dir  # noqa: E402


def main() -> int:
    catalog.cache_clear()
    pairs = catalog("zh_CN")
    out = resources_dir() / "i18n" / "jxc_zh_CN.ts"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="zh_CN">', "<context>", "    <name>jxc</name>"]
    for source in sorted(pairs):
        lines += ["    <message>", f"        <source>{escape(source)}</source>",
                  f"        <translation>{escape(pairs[source])}</translation>", "    </message>"]
    lines += ["</context>", "</TS>", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    exe = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([exe, "-silent", str(out), "-qm", str(out.with_suffix(".qm"))], check=True)
    print(f"{len(pairs)} strings -> {out.with_suffix('.qm').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
