"""Run ``jxc`` in a child process that lacks the permission to write read-only files and folders.

As an ordinary user ``chmod`` is enough; tests running as root (containers, CI) drop the child's
CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH/CAP_FOWNER from its capability bounding set before it starts
Python, so root's permission checks apply to it like anyone's. Where neither works the caller skips.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

import jxc_desktop

SRC = Path(jxc_desktop.__file__).resolve().parents[1]  # the code under test
_PR_CAPBSET_DROP = 24
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_CANNOT = 97


def _drop_privileges() -> None:
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(_CANNOT)


def run(code_args: list[str], *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "LANG": "en_US.UTF-8", "LC_ALL": "", "LANGUAGE": "",
           **(env or {})}
    result = subprocess.run([sys.executable, *code_args], preexec_fn=_drop_privileges,  # noqa: PLW1509
                            capture_output=True, text=True, env=env, timeout=120)
    if result.returncode == _CANNOT:
        pytest.skip("cannot drop root's permission to write read-only files here")
    return result


def jxc(*args: str) -> subprocess.CompletedProcess[str]:
    return run(["-c", "from jxc_desktop.cli import main; raise SystemExit(main())", *args])


def make_read_only(*paths: Path) -> None:
    """chmod the files 0444 and folders 0555, and make sure the child really cannot write them."""
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    probe = paths[0] if paths[0].is_file() else paths[0] / "probe-write"
    mode = "r+b" if probe.exists() else "wb"
    check = run(["-c", f"open({str(probe)!r}, {mode!r})"])
    if check.returncode == 0:
        pytest.skip("read-only files are writable for this user")


def restore_writable(*paths: Path) -> None:
    for p in paths:
        p.chmod(0o755 if p.is_dir() else 0o644)
