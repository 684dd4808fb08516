"""A throwaway PostgreSQL server for the tests (pytest plugin, registered in tests/conftest.py).

The server starts on first use in a test session (each xdist worker starts its own): ``initdb``
into a fresh folder under the system temp dir, then ``pg_ctl start`` listening only on a unix
socket in that folder (no TCP port to collide with another run). initdb and postgres refuse to run
as root, and CI runs as root: then they run as the ``postgres`` OS user (``runuser``) and the
folder is handed to it. The cluster is built for speed (fsync off): it is thrown away at the end.

If the server cannot start, every test that asks for it FAILS with the reason — nothing is
skipped silently.

Fixtures:
- ``pg_server`` (session): the running :class:`PgServer` (``create_database``, ``drop_database``,
  ``url``, ``bindir`` for pg_dump/pg_restore, ``env`` for libpq tools).
- ``pg_url`` (function): the URL of a new EMPTY database, dropped after the test.
- ``pg_db_url`` (function): the URL of a new database already at the program's head revision
  (copied from a template migrated once per session), dropped after the test. The copy for the
  next test is made in the background while this one runs (a copy takes 0.05-0.2 s: the server
  checkpoints for each), so most tests find theirs ready.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

SUPERUSER = "postgres"
TEMPLATE_DB = "jxc_template_head"


def find_bindir() -> Path:
    """PostgreSQL's server programs: ``JXC_PG_BINDIR``, ``pg_config --bindir``, or Debian's folder."""
    override = os.environ.get("JXC_PG_BINDIR")
    if override:
        return Path(override)
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30)
            candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    # Debian: /usr/lib/postgresql/<major>/bin; newest first
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise RuntimeError("PostgreSQL server programs (initdb, pg_ctl) not found: install Debian's 'postgresql' "
                       "package (scripts/setup.sh does) or set JXC_PG_BINDIR")


class PgServer:
    """One cluster in a temp folder, reached through a unix socket in that folder."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="jxc-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root  # the socket file is <root>/.s.PGSQL.5432
        self.port = 5432
        self._as_user: list[str] = []
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self._template_ready = False
        self._copier: ThreadPoolExecutor | None = None  # makes the next head copy while a test runs
        self._spare: Future[tuple[str, str]] | None = None
        self.started = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam(SUPERUSER)
            except KeyError as exc:
                raise RuntimeError("running as root and there is no 'postgres' OS user to run the server as "
                                   "(install Debian's postgresql package)") from exc
            os.chown(self.root, user.pw_uid, user.pw_gid)
            os.chmod(self.root, 0o700)
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root and 'runuser' is missing: cannot start PostgreSQL as "
                                   "the postgres user")
            self._as_user = [runuser, "-u", SUPERUSER, "--"]
        self._run([str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' -p {self.port} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c shared_buffers=32MB")
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                   "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
        self.started = True

    def stop(self) -> None:
        if self._copier is not None:  # a copy or drop under way finishes before the server stops
            self._copier.shutdown(wait=True, cancel_futures=True)
            self._copier = None
        if self.started:
            with contextlib.suppress(RuntimeError):
                self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                          "pg_ctl stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, cmd: list[str], what: str) -> None:
        try:
            out = subprocess.run(self._as_user + cmd, capture_output=True, text=True, timeout=120,
                                 cwd=str(self.root) if self._as_user else None)
        except (OSError, subprocess.SubprocessError) as exc:
            raise RuntimeError(f"{what} failed: {exc}") from exc
        if out.returncode != 0:
            log = ""
            logfile = self.root / "server.log"
            if logfile.exists():
                log = logfile.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{what} failed (exit {out.returncode}): {out.stderr.strip()[-2000:]} {log}")

    # ------------------------------------------------------------------ databases
    @property
    def env(self) -> dict[str, str]:
        """libpq variables for pg_dump/pg_restore/psql run against this server."""
        return {"PGHOST": str(self.socket_dir), "PGPORT": str(self.port), "PGUSER": SUPERUSER}

    def url(self, dbname: str) -> str:
        """The URL a user gives ``--db`` for ``dbname`` (unix socket: ``host`` as a query option)."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as con:
            con.execute(sql)

    def create_database(self, *, template: str | None = None) -> tuple[str, str]:
        """A new database (empty, or a copy of ``template``): ``(name, url)``."""
        name = f"jxc_t{os.getpid()}_{next(self._names)}"
        # FILE_COPY: a small template is copied faster than WAL-logged block by block (PostgreSQL 15's default)
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}" STRATEGY = FILE_COPY' if template else ""))
        return name, self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_soon(self, name: str) -> None:
        """Drop a head copy on the copier's thread, between the copies it makes, so the next test
        need not wait for it (WITH (FORCE) ends what the test left connected; the cluster itself is
        thrown away at the end, so a copy left behind harms nothing); at once if there is no copier."""
        if self._copier is None:
            self.drop_database(name)
        else:
            self._copier.submit(self.drop_database, name)

    def head_database(self) -> tuple[str, str]:
        """A new database at head: copied from a template migrated once. The copy made ahead for
        this call is taken (waited for if still under way) and the next one started."""
        with self._lock:
            if not self._template_ready:
                from jxc_desktop.db.server import migrate_server

                self._admin(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)')
                self._admin(f'CREATE DATABASE "{TEMPLATE_DB}"')
                migrate_server(self.url(TEMPLATE_DB))
                self._template_ready = True
                self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copy")
            assert self._copier is not None
            ready = self._spare or self._copier.submit(self.create_database, template=TEMPLATE_DB)
            self._spare = self._copier.submit(self.create_database, template=TEMPLATE_DB)
        return ready.result()  # a failed copy raises here, in the test that wanted it


_SERVER: dict[str, PgServer | BaseException] = {}


def _server() -> PgServer:
    found = _SERVER.get("server")
    if found is None:
        try:
            server = PgServer()
            server.start()
            found = server
        except BaseException as exc:  # kept: every later test fails with the same reason, fast
            found = exc
        _SERVER["server"] = found
    if isinstance(found, BaseException):
        pytest.fail(f"the test PostgreSQL server could not start: {found}", pytrace=False)
    return found


def pytest_unconfigure(config: pytest.Config) -> None:
    found = _SERVER.pop("server", None)
    if isinstance(found, PgServer):
        found.stop()


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    return _server()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    name, url = pg_server.create_database()
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def pg_db_url(pg_server: PgServer) -> Iterator[str]:
    name, url = pg_server.head_database()
    yield url
    pg_server.drop_soon(name)
