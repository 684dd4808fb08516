"""Restores and backups killed (SIGKILL) at random points (issue 11 §5).

The points are chosen by markers, not by timing: the child counts the lines it executes in the
backup, restore, lock and database modules (``sys.settrace``) and kills itself at the N-th, N drawn
at random between 1 and the number a complete run executes (measured first). Afterwards the shop
file opens, passes ``integrity_check`` and is either the old file or the restored one (with its
audit row), never anything else; every backup in the folder is complete; and the next start
(``clean_stray_files``) leaves no ``.restoring`` / ``.partial`` file behind.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from jxc_desktop.db import health
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk

SRC = Path(__file__).resolve().parents[2] / "src"
# Runs go on until each kind has its kills (and a restore both outcomes), never for a fixed time: how
# many runs fit in a time depends on the machine's load, not on the program. The kill points come
# from a seeded generator, so the outcomes are the same on any machine; the wall-clock cap only
# stops a pathologically slow machine (then the test warns with its tally and still checks it all).
NEEDED_KILLS = 10
NEEDED_EACH_OUTCOME = 3  # a restore killed before its swap (old file) and after it (new file)
MAX_RUNS = 120  # per kind
WALL_CAP_S = 240.0  # per kind

# Imports everything once, then forks one worker per request (a kill costs a fork, not a start-up).
# Request: "<kind> <kill at line N, 0 = never>"; answer: "killed" / "done <lines>" / "error <text>".
ZYGOTE = r"""
import os, signal, sys
from pathlib import Path
from jxc_desktop.db.uow import Database
from jxc_desktop.services.safety import backup as bk

shop, source, folder = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
WATCHED = ("services/safety/backup.py", "services/safety/backup_files.py", "services/safety/restore.py",
           "db/backup_copy.py", "db/tempfiles.py", "db/filelock.py", "db/uow.py", "db/migrate.py",
           "db/upgrade_copy.py", "db/lock_bytes.py", "db/health.py", "db/engine.py")

def run(kind, kill_at):
    count = 0
    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return local
    def trace(frame, event, arg):
        return local if frame.f_code.co_filename.replace(os.sep, "/").endswith(WATCHED) else None
    sys.settrace(trace)
    try:
        if kind == "restore":
            bk.restore_file(source, shop, folder)
        else:
            bk.BackupService(Database.for_file(shop)).backup(folder)
    finally:
        sys.settrace(None)
    return count

for line in sys.stdin:
    kind, kill_at = line.split()
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(r)
        try:
            msg = f"done {run(kind, int(kill_at))}"
        except BaseException as exc:
            msg = "error " + repr(exc).replace(chr(10), " ")
        os.write(w, msg.encode() + b"\n")
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as fh:
        msg = fh.read().strip()
    _pid, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        msg = "killed"
    print(msg or "error nothing", flush=True)
"""


def _shop(path: Path, name: str, products: int) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    for i in range(products):
        services.catalog.create_product(ProductInput(name=f"{name}{i:03d}" + "字" * 40, sale_price=300),
                                        opening_qty=1000)
    services.db.dispose()
    return path


def _ro(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _temps(*folders: Path) -> list[str]:
    return sorted(p.name for f in folders if f.is_dir() for p in f.iterdir()
                  if p.name.startswith(".jxc-") or p.name.endswith((".partial", ".restoring")))


@pytest.mark.slow
def test_kill_backup_and_restore_at_random_points(tmp_path: Path) -> None:
    work = tmp_path / "shop dir"
    work.mkdir()
    shop = work / "shop.sqlite3"
    folder = work / "backups"
    template = _shop(tmp_path / "old.sqlite3", "旧", 150)
    source_db = _shop(tmp_path / "new.sqlite3", "新", 120)
    source = Services(Database.for_file(source_db)).backup.backup(tmp_path / "usb").path

    def reset() -> None:
        for p in list(work.iterdir()):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        con = sqlite3.connect(template)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copyfile(template, shop)

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(shop), str(source), str(folder)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert zygote.stdin is not None and zygote.stdout is not None

    def ask(kind: str, kill_at: int) -> str:
        zygote.stdin.write(f"{kind} {kill_at}\n")  # type: ignore[union-attr]
        zygote.stdin.flush()  # type: ignore[union-attr]
        return zygote.stdout.readline().strip()  # type: ignore[union-attr]

    rng = random.Random(20261125)
    counts: dict[str, dict[str, int]] = {}
    try:
        for kind in ("restore", "backup"):
            reset()
            answer = ask(kind, 0)
            assert answer.startswith("done "), answer
            total = int(answer.split()[1])
            tally = counts.setdefault(kind, {"runs": 0, "killed": 0, "old": 0, "new": 0, "cleaned": 0})
            started = time.monotonic()

            def enough(t: dict[str, int] = tally, k: str = kind) -> bool:
                return t["killed"] >= NEEDED_KILLS and (
                    k != "restore" or min(t["new"], t["old"]) >= NEEDED_EACH_OUTCOME)

            while not enough() and tally["runs"] < MAX_RUNS:
                if time.monotonic() - started > WALL_CAP_S:
                    warnings.warn(f"kill campaign stopped by the wall-clock cap: {kind} {tally}", stacklevel=1)
                    break
                reset()
                # anywhere; every other run in the last tenth (the lock, the swap, the clean-up)
                low = 1 if tally["runs"] % 2 else max(1, total * 9 // 10)
                answer = ask(kind, rng.randint(low, total))
                assert answer in ("killed",) or answer.startswith("done"), answer
                tally["runs"] += 1
                tally["killed"] += answer == "killed"
                # the shop file: whole, opens, the old one or the restored one
                assert not health.integrity_problems(shop), answer
                names = {r[0][:1] for r in _ro(shop, "SELECT name FROM product")}
                assert names in ({"旧"}, {"新"}), names
                if names == {"新"}:
                    assert kind == "restore"
                    assert _ro(shop, "SELECT count(*) FROM audit_log WHERE action = 'restore'")[0][0] == 1
                    tally["new"] += 1
                else:
                    assert len(_ro(shop, "SELECT id FROM product")) == 150
                    tally["old"] += 1
                # every copy with a final name is complete
                for copy in folder.glob("*.sqlite3") if folder.is_dir() else []:
                    assert bk.describe(copy).ok, copy
                # the next start removes what the killed run left behind
                tally["cleaned"] += len(bk.clean_stray_files(shop))
                assert _temps(work, folder) == [], _temps(work, folder)
                # and the shop still works
                db = Database.for_file(shop)
                try:
                    with db.read() as uow:
                        assert uow.session.connection().exec_driver_sql("SELECT count(*) FROM product").scalar()
                finally:
                    db.dispose()
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    print("kill campaign:", counts)
    for kind, tally in counts.items():  # reached within MAX_RUNS unless the wall cap warned above
        if tally["runs"] >= MAX_RUNS:
            assert tally["killed"] >= NEEDED_KILLS, (kind, tally)
            if kind == "restore":
                assert min(tally["new"], tally["old"]) >= NEEDED_EACH_OUTCOME, tally
