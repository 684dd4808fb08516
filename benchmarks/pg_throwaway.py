"""A throwaway local PostgreSQL cluster for the benchmarks: initdb into a temporary folder, the
server on a unix socket there (no TCP port), stopped and removed on exit.

initdb and postgres refuse to run as root: as root they run as the ``postgres`` OS user (Debian's
package creates it) with the folder handed to that user. ``synchronous_commit`` and ``fsync`` stay
on (the defaults): every commit is durable, as in a shop.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


def bin_dir() -> Path:
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (no initdb): apt-get install postgresql")
    return Path(found[-1]).parent


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def cluster(*, max_connections: int = 50) -> Iterator[str]:
    """Start a cluster; yields the URL prefix ``postgresql+psycopg://postgres@/`` + db + host query."""
    bindir = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="jxc-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        os.chmod(root, 0o755)
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                        "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        opts = f"-c listen_addresses='' -c unix_socket_directories={sock} -c max_connections={max_connections}"
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w",
                                        "-o", opts, "start"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@/{{db}}?host={sock}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           capture_output=True)
            time.sleep(0.2)
        shutil.rmtree(root, ignore_errors=True)


def create_database(url_template: str, name: str) -> str:
    """CREATE DATABASE ``name`` on the cluster; returns its URL."""
    admin = sa.create_engine(url_template.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url_template.format(db=name)
