"""Kill campaign for creating and upgrading a database (issue 11 §1), used by
tests/integration/test_kill_migrate.py (capped at about a minute) and tools/kill_migrate.py (as
many kills as you ask for).

A zygote process imports everything once and forks one child per trial, so a trial costs a fork,
not a Python start. The child runs a real job: ``jxc init`` on a new file, the start of the
program (``migrate``, what app.py and every ``jxc`` command do first) on a file at an older
revision, or ``jxc demo`` on a new file — with an SQLAlchemy hook (on the Engine class: nothing in
the program) that logs every statement to a marker file. In a *pause* trial the hook stops the
child at the k-th statement of the migration transaction (of the whole job for ``demo``) and says
so in the marker; the parent waits for that line and SIGKILLs, so the kill lands mid-migration
however loaded the machine is. In a *random* trial the parent sleeps a random part of the job's
measured time and kills; where it landed is read from the marker afterwards, never from timing.

After each kill the file is judged on a copy opened normally (so SQLite's own recovery runs on the
copy, as at a real start): as it was (same logical content, revision and application id as before
the job), complete (the same as an uninterrupted run) or broken. A chain of 1–4 kills on one file
ends with a normal start (the same job, no hook), which must finish it: the file complete and
passing integrity_check, at most one before-upgrade copy and no ``.partial`` in ``backups/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
HERE = Path(__file__).resolve().parent
DEMO_ARGS = ["--products", "12", "--days", "1", "--seed", "5"]
UPGRADES = ("0001", "0002", "0003")


# ---------------------------------------------------------------------------------- the zygote


def zygote() -> None:
    """Read one JSON job per line on stdin; fork a child per job and print its pid; on "reap"
    wait for it and print ``reaped``."""
    import alembic.command  # noqa: F401
    from sqlalchemy import Engine, event

    from jxc_desktop.cli import main as jxc
    from jxc_desktop.db import migrate as _m  # noqa: F401  (warm imports: alembic, models, services)
    from jxc_desktop.demo import shop as _demo  # noqa: F401

    child = 0
    for line in sys.stdin:
        job = json.loads(line)
        if job.get("op") == "reap":
            _pid, status = os.waitpid(child, 0)
            print(f"reaped {status}", flush=True)
            continue
        child = os.fork()
        if child == 0:
            try:
                _run_child(job, jxc, Engine, event)
            finally:
                os._exit(3)
        print(child, flush=True)


def _run_child(job: dict, jxc, engine_class, event) -> None:  # type: ignore[no-untyped-def]
    out = os.open(os.devnull, os.O_WRONLY)
    err = os.open(job["marker"] + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    marker = open(job["marker"], "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives until the kill
    state = {"n": 0, "in_migration": False}
    pause_at, scope = int(job.get("pause_at") or 0), job.get("scope", "migration")

    def before(conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        migration_engine = conn.engine.url.database in (None, "")  # db/migrate.py's engine: "sqlite://"
        if migration_engine and statement.startswith("BEGIN"):
            state["in_migration"] = True
            marker.write("begin\n")
            return
        counted = scope == "job" or state["in_migration"]
        if counted:
            state["n"] += 1
        marker.write(f"stmt {state['n']} {'mig' if state['in_migration'] else 'job'}\n")
        if counted and pause_at and state["n"] == pause_at:
            marker.write(f"paused {'mig' if state['in_migration'] else 'job'}\n")
            time.sleep(600)

    def commit(conn):  # type: ignore[no-untyped-def]
        if state["in_migration"] and conn.engine.url.database in (None, ""):
            state["in_migration"] = False
            marker.write("commit\n")

    if job.get("hook", True):
        event.listen(engine_class, "before_cursor_execute", before)
        event.listen(engine_class, "commit", commit)
    marker.write("start\n")
    codes = [_command(jxc, job["path"], args) for args in job["commands"]]
    marker.write(f"exit {' '.join(map(str, codes))}\n")
    marker.close()
    os._exit(0)


def _command(jxc, path: str, args: list[str]) -> int:  # type: ignore[no-untyped-def]
    """``["start"]``: what every start of the program does first (app.py, every ``jxc`` command):
    ``migrate(path)``. Anything else: a ``jxc`` command line."""
    if args == ["start"]:
        from jxc_desktop.db.migrate import migrate
        from jxc_desktop.domain.errors import JxcError

        try:
            migrate(Path(path))
        except JxcError as exc:
            print(exc.english, file=sys.stderr)
            return 2
        return 0
    return int(jxc(["--db", path, *args]))


# ---------------------------------------------------------------------------------- judging files


def _dump_digest(con: sqlite3.Connection) -> str:
    """The content, blind to the order of a table's constraints and of the schema's entries (alembic's
    batch mode rebuilds a table with its constraints in set order)."""
    statements = sorted("\n".join(sorted(ln.strip().rstrip(",").rstrip() for ln in stmt.split("\n")))
                        for stmt in con.iterdump())
    return hashlib.sha256("\n".join(statements).encode()).hexdigest()


def _demo_counts(con: sqlite3.Connection) -> str:
    """A demo's result has time stamps of the run: judge it by what it holds."""
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
              for t in ("product", "supplier", "category", "sale", "stock_move", "purchase", "setting")]
    return f"{con.execute('SELECT version_num FROM alembic_version').fetchone()[0]}:{counts}"


def fingerprint(path: Path, *, demo: bool = False) -> str:
    """Logical content + application id of ``path`` as the next start will see it: read on a copy
    (with its -wal / -journal, not its -shm) opened normally, so SQLite's recovery runs there.
    "missing" / "empty" for no file / a file with no tables; "broken: ..." otherwise."""
    if not path.exists():
        return "missing"
    if path.stat().st_size == 0:
        return "empty"
    scratch = path.with_name(path.name + ".judge")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        copy = scratch / "f.sqlite3"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-journal"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.copyfile(side, scratch / f"f.sqlite3{suffix}")
        con = sqlite3.connect(copy)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "broken: integrity_check"
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            if not [t for t in tables if t != "sqlite_sequence"] and app_id == 0:
                return "empty"
            return f"{app_id:#x}:{_demo_counts(con) if demo else _dump_digest(con)}"
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"broken: {exc}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------------------------- the campaign


@dataclass
class Scenario:
    name: str
    args: list[str]
    template: Path | None  # None: the job starts from no file
    scope: str  # what pause_at counts: "migration" statements or every statement of the "job"
    as_was: str = ""
    complete: str = ""
    statements: int = 0
    seconds: float = 0.0

    def judge(self, path: Path) -> str:
        return fingerprint(path, demo=self.name == "demo")


@dataclass
class Counts:
    tried: int = 0
    kills: int = 0  # the child was still running when killed
    mid_migration: int = 0  # ... inside the migration transaction (from the marker)
    mid_job: int = 0  # ... anywhere after the job's first statement and before its end
    paused: int = 0  # kills at a pause point (the rest: random delays)
    as_was: int = 0
    complete: int = 0
    broken: int = 0
    starts: int = 0  # normal starts after a chain of kills
    starts_ok: int = 0
    backups_max: int = 0  # the most before-upgrade copies seen in one backups/ folder
    partials_left: int = 0
    by_scenario: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d = {k: v for k, v in self.__dict__.items() if k not in ("by_scenario", "problems")}
        return {**d, "by_scenario": dict(self.by_scenario), "problems": self.problems[:20]}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]), "JXC_NO_BACKUP_ON_EXIT": "1",
            "LANG": "en_US.UTF-8", "LC_ALL": "", "LANGUAGE": ""}


def build_templates(work: Path) -> dict[str, Path]:
    """A small demo shop at head, and copies of it taken back to each older revision and made to
    look like files from before the application id (id 0), in WAL mode like real ones; one 0003
    copy in rollback-journal mode too (a kill there leaves a hot journal)."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from jxc_desktop.cli import main as jxc
    from jxc_desktop.db.migrate import alembic_config

    work.mkdir(parents=True, exist_ok=True)
    head = work / "head.sqlite3"
    with contextlib.redirect_stdout(io.StringIO()):  # the counts are the only output
        assert jxc(["--db", str(head), "demo", "--products", "15", "--days", "1", "--seed", "9"]) == 0
    con = sqlite3.connect(head)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    names: dict[str, Path] = {}
    for rev in UPGRADES:
        path = names.setdefault(f"upgrade {rev}", work / f"legacy-{rev}.sqlite3")
        shutil.copyfile(head, path)
        url = f"sqlite:///{path}"
        engine = create_engine(url, poolclass=NullPool)
        with engine.connect() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, rev)
            conn.commit()
        engine.dispose()
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA application_id = 0")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    journal = names["upgrade 0003 (journal)"] = work / "legacy-0003-journal.sqlite3"
    shutil.copyfile(names["upgrade 0003"], journal)
    con = sqlite3.connect(journal, isolation_level=None)
    assert con.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    con.close()
    return names


def _copy_template(template: Path, dest: Path) -> None:
    shutil.copyfile(template, dest)


class Campaign:
    def __init__(self, work: Path, seed: int = 1) -> None:
        self.work = work
        self.rng = random.Random(seed)
        self.counts = Counts()
        self.zygote = subprocess.Popen([sys.executable, "-c", "import kill_migrate_campaign as k; k.zygote()"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env())
        self.trial = 0

    def close(self) -> None:
        if self.zygote.stdin:
            self.zygote.stdin.close()
        self.zygote.wait(timeout=30)

    # -- one child
    def _spawn(self, path: Path, scenario: Scenario, pause_at: int) -> tuple[int, Path]:
        self.trial += 1
        marker = self.work / f"marker-{self.trial}.txt"
        job = {"path": str(path), "commands": [scenario.args], "marker": str(marker), "pause_at": pause_at,
               "scope": scenario.scope, "hook": True}
        assert self.zygote.stdin and self.zygote.stdout
        self.zygote.stdin.write(json.dumps(job) + "\n")
        self.zygote.stdin.flush()
        return int(self.zygote.stdout.readline()), marker

    def _reap(self) -> None:
        assert self.zygote.stdin and self.zygote.stdout
        self.zygote.stdin.write(json.dumps({"op": "reap"}) + "\n")
        self.zygote.stdin.flush()
        self.zygote.stdout.readline()

    @staticmethod
    def _lines(marker: Path) -> list[str]:
        try:
            return marker.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def calibrate(self, scenario: Scenario) -> None:
        """One uninterrupted run: the reference result, its statement count and duration."""
        path = self.work / f"calibrate-{scenario.name.replace(' ', '_').replace('(', '').replace(')', '')}.sqlite3"
        if scenario.template is not None:
            _copy_template(scenario.template, path)
            scenario.as_was = scenario.judge(path)
        else:
            scenario.as_was = "missing"
        started = time.monotonic()
        _pid, marker = self._spawn(path, scenario, 0)
        self._reap()
        scenario.seconds = time.monotonic() - started
        lines = self._lines(marker)
        assert lines and lines[-1] == "exit 0", (scenario.name, lines[-5:])
        marker.unlink()
        Path(str(marker) + ".err").unlink()
        counted = [ln for ln in lines if ln.startswith("stmt ") and (scenario.scope == "job" or ln.endswith(" mig"))]
        scenario.statements = int(counted[-1].split()[1]) if counted else 0
        scenario.complete = scenario.judge(path)
        assert scenario.complete not in (scenario.as_was, "missing", "empty"), scenario.name

    # -- a trial: one kill
    def kill_once(self, path: Path, scenario: Scenario, *, pause: bool | None = None) -> str:
        if pause is None:
            pause = self.rng.random() < 0.6
        pause = pause and scenario.statements > 0
        pause_at = self.rng.randint(1, scenario.statements) if pause else 0
        pid, marker = self._spawn(path, scenario, pause_at)
        self.counts.tried += 1
        if pause:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                lines = self._lines(marker)
                if lines and (lines[-1].startswith("paused") or lines[-1].startswith("exit")):
                    break
                time.sleep(0.002)
        else:
            time.sleep(self.rng.uniform(0, scenario.seconds * 1.2))
        os.kill(pid, signal.SIGKILL)
        self._reap()
        lines = self._lines(marker)
        if lines and lines[-1].startswith("exit"):
            outcome = "finished"
        else:
            self.counts.kills += 1
            self.counts.by_scenario[scenario.name] += 1
            if lines and lines[-1].startswith("paused"):
                self.counts.paused += 1
            opened = [i for i, ln in enumerate(lines) if ln == "begin"]
            if opened and "commit" not in lines[opened[-1]:] and any(
                    ln.startswith("stmt") for ln in lines[opened[-1]:]):
                self.counts.mid_migration += 1
            if any(ln.startswith("stmt") for ln in lines):
                self.counts.mid_job += 1
            outcome = "killed"
        marker.unlink(missing_ok=True)
        Path(str(marker) + ".err").unlink(missing_ok=True)
        seen = scenario.judge(path)
        if outcome == "killed":
            if seen == scenario.as_was or (scenario.template is None and seen in ("missing", "empty")):
                self.counts.as_was += 1
            elif seen == scenario.complete:
                self.counts.complete += 1
            else:
                self.counts.broken += 1
                self.counts.problems.append(f"{scenario.name}: after a kill: {seen[:120]}")
        return outcome

    # -- a chain of kills on one file, then a normal start
    def chain(self, scenario: Scenario, kills: int, *, pause: bool | None = None) -> None:
        self.trial += 1
        folder = self.work / f"chain-{self.trial}"
        folder.mkdir()
        path = folder / "shop.sqlite3"
        if scenario.template is not None:
            _copy_template(scenario.template, path)
        for _ in range(kills):
            if self.kill_once(path, scenario, pause=pause) == "finished":
                break
        self.counts.starts += 1
        if self._start_normally(path, scenario):
            self.counts.starts_ok += 1
        backups = folder / "backups"
        copies = list(backups.glob("*-before-upgrade-*.sqlite3")) if backups.is_dir() else []
        partials = list(backups.glob("*.partial")) if backups.is_dir() else []
        self.counts.backups_max = max(self.counts.backups_max, len(copies))
        self.counts.partials_left += len(partials)
        if len(copies) > 1 or partials:
            self.counts.problems.append(f"{scenario.name}: backups/ holds {sorted(p.name for p in copies + partials)}")
        shutil.rmtree(folder, ignore_errors=True)

    def _start_normally(self, path: Path, scenario: Scenario) -> bool:
        """What the next start does: the same job again (a demo that finished: a plain start), in a
        forked child without the hook; the file must then be complete (judged with integrity_check)."""
        done = scenario.name == "demo" and scenario.judge(path) == scenario.complete
        job = {"path": str(path), "commands": [["start"] if done else scenario.args],
               "marker": str(self.work / f"start-{self.trial}.txt"), "hook": False}
        assert self.zygote.stdin and self.zygote.stdout
        self.zygote.stdin.write(json.dumps(job) + "\n")
        self.zygote.stdin.flush()
        self.zygote.stdout.readline()
        self._reap()
        marker = Path(job["marker"])
        lines = self._lines(marker)
        errors = Path(job["marker"] + ".err").read_text(encoding="utf-8", errors="replace").strip()
        seen = scenario.judge(path)
        ok = bool(lines) and lines[-1] == "exit 0" and seen == scenario.complete
        if not ok:
            self.counts.problems.append(f"{scenario.name}: start after kills: {lines[-1:]} {errors[-300:]} / "
                                        f"{seen[:60]}")
        marker.unlink(missing_ok=True)
        Path(job["marker"] + ".err").unlink(missing_ok=True)
        return ok


def run(work: Path, kills: int, *, seed: int = 1, deadline_s: float | None = None,
        demo_share: float = 0.1) -> Counts:
    """``kills`` kills spread over the scenarios — or fewer, stopping after ``deadline_s`` seconds.
    Each scenario first gets one chain with a kill at a pause point (so every job is killed
    mid-way at least once, however slow the machine); then chains are drawn at random."""
    started = time.monotonic()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    templates = build_templates(work / "templates")
    scenarios = [Scenario("init", ["init"], None, "migration")]
    scenarios += [Scenario(name, ["start"], path, "migration") for name, path in templates.items()]
    demo = Scenario("demo", ["demo", *DEMO_ARGS], None, "job")
    campaign = Campaign(work, seed)
    try:
        for s in [*scenarios, demo]:
            campaign.calibrate(s)
        for s in [*scenarios, demo]:
            campaign.chain(s, 1, pause=True)
        while campaign.counts.kills < kills:
            if deadline_s is not None and time.monotonic() - started > deadline_s:
                break
            scenario = demo if campaign.rng.random() < demo_share else campaign.rng.choice(scenarios)
            campaign.chain(scenario, campaign.rng.randint(1, 4))
    finally:
        campaign.close()
    return campaign.counts
