"""Backups of a server database with PostgreSQL's own tools: ``pg_dump -Fc`` (one compressed archive
file) and ``pg_restore``, and a scratch database to check a copy in.

The client programs must not be older than the server (pg_dump refuses a newer server), so they are
looked for in the folder of the server's major version first (Debian keeps each version in
``/usr/lib/postgresql/<major>/bin``), then ``JXC_PG_BINDIR``, then ``pg_config --bindir``, then
the PATH (Debian's wrapper there picks a version by itself). The URL is handed to them as a libpq
connection string (libpq reads ``postgresql://user:pw@host/db?host=/socket&port=5432`` itself); no
password is put on a command line (libpq takes it from ``PGPASSWORD``), and none is ever printed.

Storage only: when to copy, where, what to keep is services/safety/server_backup.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from jxc_desktop.db.server import driver_url, shown_url
from jxc_desktop.domain.errors import DatabaseError

DEBIAN_BINDIRS = Path("/usr/lib/postgresql")
TIMEOUT_S = 6 * 3600  # a dump or restore of a big shop takes minutes; never hang for ever


def libpq_url(url: str) -> str:
    """The URL as libpq (pg_dump, pg_restore, psql) reads it: no SQLAlchemy driver name and no
    password (that goes in ``PGPASSWORD``, :func:`_env`, so no process list ever shows it)."""
    u = make_url(driver_url(url))
    return URL.create("postgresql", u.username, None, u.host, u.port, u.database, u.query).render_as_string()


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    password = make_url(driver_url(url)).password
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def server_major(url: str) -> int:
    engine = create_engine(driver_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()


def find_tool(name: str, major: int | None = None) -> Path:
    """``pg_dump`` or ``pg_restore`` able to talk to a server of version ``major``."""
    folders: list[Path] = []
    if major is not None:
        folders.append(DEBIAN_BINDIRS / str(major) / "bin")
    if os.environ.get("JXC_PG_BINDIR"):
        folders.append(Path(os.environ["JXC_PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30)
            folders.append(Path(out.stdout.strip()))
    if major is not None:  # a newer client reads an older server's databases too
        folders += sorted((p / "bin" for p in DEBIAN_BINDIRS.glob("*") if p.name.isdigit() and int(p.name) > major),
                          reverse=True)
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    found = shutil.which(name)
    if found:
        return Path(found)
    raise DatabaseError("{tool} was not found: install the PostgreSQL client programs (Debian: apt install "
                        "postgresql-client) or set JXC_PG_BINDIR to their folder.", tool=name)


def _run(cmd: list[str], url: str, what: str) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=_env(url))
    except (OSError, subprocess.SubprocessError) as exc:
        raise DatabaseError("{what} of {url} failed: {reason}", what=what, url=shown_url(url), reason=str(exc)) from exc
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        reason = (lines[-1] if lines else f"exit {done.returncode}").replace(libpq_url(url), shown_url(url))
        raise DatabaseError("{what} of {url} failed: {reason}", what=what, url=shown_url(url), reason=reason)


def dump(url: str, dest: Path, *, major: int | None = None) -> None:
    """``pg_dump -Fc`` of the database ``url`` into the new file ``dest`` (one consistent snapshot)."""
    tool = find_tool("pg_dump", major if major is not None else server_major(url))
    _run([str(tool), "--format=custom", "--no-owner", "--no-privileges", "--file", str(dest),
          "--dbname", libpq_url(url)], url, "pg_dump")
    with dest.open("rb") as fh:
        os.fsync(fh.fileno())


def restore(url: str, archive: Path, *, clean: bool = False, major: int | None = None) -> None:
    """``pg_restore`` of ``archive`` into ``url`` in ONE transaction (all or nothing); ``clean`` drops
    what the archive holds first (a restore over the shop's own database)."""
    tool = find_tool("pg_restore", major if major is not None else server_major(url))
    cmd = [str(tool), "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    if clean:
        cmd += ["--clean", "--if-exists"]
    _run([*cmd, "--dbname", libpq_url(url), str(archive)], url, "pg_restore")


def archive_ok(archive: Path, *, major: int | None = None) -> bool:
    """Whether ``archive`` is a readable pg_dump archive (its table of contents lists)."""
    tool = find_tool("pg_restore", major)
    try:
        done = subprocess.run([str(tool), "--list", str(archive)], capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new, empty database beside ``url``'s on the same server (its role needs CREATEDB), dropped
    on the way out whatever happened; yields its URL."""
    name = f"jxc_check_{secrets.token_hex(6)}"
    admin = create_engine(driver_url(url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        except Exception as exc:  # noqa: BLE001 - the server's reason is what the owner needs to see
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise DatabaseError("No scratch database could be made on the server to check the copy in ({reason}); "
                                "the program's database role needs CREATEDB (README: A second till).",
                                reason=reason) from exc
        try:
            yield make_url(driver_url(url)).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
