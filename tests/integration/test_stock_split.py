"""``jxc stock`` on a big file writes the second half of its list in a forked helper process
(cli/stock_split.py, issue 15). The helper only goes faster: the bytes, the exit status and the
messages are one process's, whatever happens to the helper, and it never outlives the command.

Every run here is a real ``jxc`` process (pytest's own process may run threads and would not fork),
started through a wrapper that notes the helpers started, whether each sent its half, and whether
any child process was left when ``main`` returned — written to a file, so stdout stays the list."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jxc_desktop.cli import PIPE_CLOSED, main
from jxc_desktop.cli.stock_split import CHUNK, SPLIT_FROM
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.stock_lines import SPLIT

SRC = Path(__file__).resolve().parents[2] / "src"
LISTS = [["stock"], ["stock", "--json"], ["stock", "--low"], ["stock", "--low", "--json"]]
SEEDS = 50
COPIES = 899  # 50 × 900 = 45 000 products, 1 in 13 inactive: ~41 500 listed, three chunks
NOT_UTF8 = "CAST(X'E4B8ADFF41' AS TEXT)"
# Names no form lets in (another tool, an old import), spread over the list by the copies.
NAMES = ['quote " back \\ slash', "tab\tnew\nline", "\x00nul\x1f\x7f\x85", "\u2028\u2029 sep 😀 𠀀", "末尾\\", ""]

RUN = """
import json, os, sys
import jxc_desktop.cli.stock_split as split
from jxc_desktop.db import filelock
report = {"helpers": [], "halves": [], "left": None}
start, result = split._Helper.start.__func__, split._Helper.result
def counted(cls, work):
    helper = start(cls, work)
    report["helpers"].append(None if helper is None else helper.pid)
    return helper
def noted(self):
    rest = result(self)
    report["halves"].append(rest is not None)
    return rest
split._Helper.start, split._Helper.result = classmethod(counted), noted
PATCH = sys.argv[2]
if PATCH == "one process":  # the list as before the helper: main's code path
    split.can_fork = lambda: False
elif PATCH == "no process":  # the system refuses the fork (EAGAIN: too many processes)
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")
    os.fork = refused
elif PATCH == "a thread":
    import threading
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
elif PATCH == "helper killed":  # stopped in its first step, and killed there by this process
    never = os.pipe()
    filelock.in_forked_child = lambda: os.read(never[0], 1)
    def killed(self):
        os.kill(self.pid, 9)
        return noted(self)
    split._Helper.result = killed
elif PATCH == "helper fails":
    def fails():
        raise RuntimeError("the helper's first step")
    filelock.in_forked_child = fails
elif PATCH == "interrupted":
    chunks = split.text_chunks
    def then_interrupted(*args, **kwargs):
        for i, chunk in enumerate(chunks(*args, **kwargs)):
            if i:
                raise KeyboardInterrupt
            yield chunk
    split.text_chunks = then_interrupted
elif PATCH.startswith("chunk "):
    split.CHUNK = int(PATCH.split()[1])
from jxc_desktop.cli import main
rc = main(sys.argv[3:])
try:
    os.waitpid(-1, os.WNOHANG)
    report["left"] = True
except ChildProcessError:
    report["left"] = False
with open(sys.argv[1], "w") as f:
    json.dump(report, f)
sys.exit(rc)
"""


def jxc(tmp_path: Path, db: Path, *args: str, patch: str = "", head: int | None = None) -> tuple[int, bytes, str, dict]:
    """``jxc --db DB ARGS`` in a new process (``patch``: see RUN); ``head``: read that many bytes of
    its output and leave, as ``jxc stock | head -c`` does. (status, stdout, stderr, report)."""
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    child = subprocess.Popen([sys.executable, "-c", RUN, str(report), patch, "--db", str(db), *args],
                             env=dict(os.environ, PYTHONPATH=str(SRC)), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    if head is None:
        out, err = child.communicate(timeout=300)
    else:
        assert child.stdout is not None and child.stderr is not None
        out = child.stdout.read(head)
        child.stdout.close()
        err = child.stderr.read()
    status = child.wait(timeout=300)
    return status, out, err.decode(), json.loads(report.read_text())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """45 000 products (more than SPLIT_FROM): 50 written through the bulk path, copied in SQL with
    codes that interleave them (so the list's order is not the ids'); odd names, barcodes (a case
    barcode beside the single one), quantities, inactive ones and one in five below its minimum."""
    path = tmp_path_factory.mktemp("split") / "big.sqlite3"
    migrate(path)
    services = Services(Database.for_file(path))
    with services.db.write() as uow:
        insert_products(uow.session, [(ProductInput(name=f"农夫山泉天然水{i}", sale_price=200, ref_cost=100),
                                       Opening(1000 * i + 250, 100)) for i in range(SEEDS)])
        uow.commit()
    services.db.dispose()
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(product)") if r[1] != "id"]
    picked = {"code": "p.code || printf('-%04d', s.n)", "name": "p.name || s.n"}
    con.execute(f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {COPIES}) "
                f"INSERT INTO product ({', '.join(cols)}) SELECT {', '.join(picked.get(c, 'p.' + c) for c in cols)} "
                "FROM product p, s")
    con.execute("UPDATE product SET stock_qty = (id * 7919) % 20011 - 5000, avg_cost = id % 997, "
                "stock_value = ((id * 7919) % 20011 - 5000) * (id % 997) / 1000, "
                "min_stock = CASE WHEN id % 5 = 0 THEN 1 << 40 ELSE 0 END, active = id % 13 != 0")
    for i, name in enumerate(NAMES):
        con.execute("UPDATE product SET name = ? || id WHERE id % 97 = ?", (name, i))
    con.execute("INSERT INTO barcode (code, product_id, multiplier) SELECT 'C' || id, id, 12 FROM product WHERE id % 6 = 0")
    con.execute("INSERT INTO barcode (code, product_id, multiplier) SELECT 'B' || id, id, 1 FROM product WHERE id % 3 = 0")
    con.commit()
    assert con.execute("SELECT count(*) FROM product").fetchone()[0] == SEEDS * (COPIES + 1) >= SPLIT_FROM
    con.close()
    return path


@pytest.fixture
def big(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "big.sqlite3"
    shutil.copyfile(template, path)
    return path


def listed_code(db: Path, position: int) -> str:
    """The code of the listed (active) product at ``position`` (0-based) in code order."""
    con = sqlite3.connect(db)
    try:
        return str(con.execute("SELECT code FROM product WHERE active ORDER BY code LIMIT 1 OFFSET ?",
                               (position,)).fetchone()[0])
    finally:
        con.close()


def full_path_bytes(db: Path, args: list[str], capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> tuple[int, bytes, str]:
    """The same command on the full path (SQLAlchemy, Python's formatting), in this process."""
    from jxc_desktop.cli.context import CliContext

    with monkeypatch.context() as m:
        m.setattr(CliContext, "plain_reads", lambda self: None)
        rc = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return rc, out.out.encode(), out.err


@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_the_list_in_two_processes_is_the_list(big: Path, tmp_path: Path, args: list[str],
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err, report = jxc(tmp_path, big, *args)
    low = "--low" in args  # a short list, read by one process (cli/stock_split.py)
    assert len(report["helpers"]) == (0 if low else 1) and report["left"] is False, report
    assert report["halves"] == ([] if low else [True]), report
    assert (status, out, err) == jxc(tmp_path, big, *args, patch="one process")[:3]
    assert (status, out, err) == full_path_bytes(big, args, capsys, monkeypatch)
    if args == ["stock", "--json"]:
        assert len(json.loads(out)) > 2 * CHUNK and status == 0 and err == ""


@pytest.mark.parametrize("chunk", [1000, 7001, 10000, 21000])
def test_wherever_the_cut_falls_in_a_chunk(big: Path, tmp_path: Path, chunk: int) -> None:
    """Chunk sizes that put the middle inside a chunk, on its end (10 000: the first half is whole
    chunks) or beyond the first chunk: the same bytes."""
    for args in (["stock", "--json"], ["stock"]):
        status, out, err, report = jxc(tmp_path, big, *args, patch=f"chunk {chunk}")
        assert report["halves"] == [True] and report["left"] is False, report
        assert (status, out, err) == jxc(tmp_path, big, *args, patch="one process")[:3]


def cut(db: Path) -> tuple[int, int]:
    """(listed products the cut leaves to the first half, listed products): where stock_lines.SPLIT cuts."""
    con = sqlite3.connect(db)
    try:
        ((_, middle),) = con.execute(SPLIT).fetchall()
        return (con.execute("SELECT count(*) FROM product WHERE active AND code <= ?", (middle,)).fetchone()[0],
                con.execute("SELECT count(*) FROM product WHERE active").fetchone()[0])
    finally:
        con.close()


# Listed positions of a name that is not UTF-8: in the first half's shortened chunk, in the
# helper's first part of that same chunk, in the helper's second chunk.
@pytest.mark.parametrize("position", [CHUNK + 500, 21500, 2 * CHUNK + 1000],
                         ids=["first half", "cut chunk", "helper's second chunk"])
def test_a_name_that_is_not_utf8_is_refused_as_by_one_process(big: Path, tmp_path: Path, position: int) -> None:
    """The text written before the error, the message and the status are one process's: the
    chunks before the bad one, then "Could not decode to UTF-8 column 'name'…", exit 2."""
    first, listed = cut(big)
    assert CHUNK + 500 < first < 21500 and first + CHUNK < 2 * CHUNK + 1000 < listed  # where the positions lie
    con = sqlite3.connect(big)
    con.execute(f"UPDATE product SET name = {NOT_UTF8} WHERE code = ?", (listed_code(big, position),))
    con.commit()
    con.close()
    for args in (["stock", "--json"], ["stock"]):
        status, out, err, report = jxc(tmp_path, big, *args)
        assert len(report["helpers"]) == 1 and report["left"] is False, report
        assert status == 2 and "Could not decode to UTF-8 column 'name'" in err, err
        assert (status, out, err) == jxc(tmp_path, big, *args, patch="one process")[:3]
        assert report["halves"] == ([] if position < first else [False])  # failed before asking / helper failed
        if "--json" in args:  # whole chunks only
            assert out.count(b'\n {\n  "code": ') == position // CHUNK * CHUNK


@pytest.mark.parametrize("patch", ["helper killed", "helper fails"])
def test_a_helper_that_fails_changes_nothing(big: Path, tmp_path: Path, patch: str) -> None:
    """Killed, or an exception in it: this process writes the second half itself."""
    for args in (["stock", "--json"], ["stock"]):
        status, out, err, report = jxc(tmp_path, big, *args, patch=patch)
        assert len(report["helpers"]) == 1 and report["halves"] == [False] and report["left"] is False, report
        assert (status, out, err) == jxc(tmp_path, big, *args, patch="one process")[:3]
        assert status == 0 and err == ""


def test_a_reader_that_stops_early_ends_the_helper(big: Path, tmp_path: Path) -> None:
    """``jxc stock --json | head -c 200``: exit 141, nothing on stderr, the helper killed and reaped."""
    status, head, err, report = jxc(tmp_path, big, "stock", "--json", head=200)
    assert (status, err) == (PIPE_CLOSED, "") and head.startswith(b"[\n {")
    assert len(report["helpers"]) == 1 and report["left"] is False, report
    assert not Path(f"/proc/{report['helpers'][0]}").exists()


def test_ctrl_c_ends_the_helper(big: Path, tmp_path: Path) -> None:
    """Interrupted while writing its half: "jxc: interrupted" (exit 2) as before, the helper reaped."""
    status, out, err, report = jxc(tmp_path, big, "stock", patch="interrupted")
    assert (status, err) == (2, "jxc: interrupted\n") and out.startswith(b"code\tbarcode")
    assert len(report["helpers"]) == 1 and report["halves"] == [] and report["left"] is False, report


def test_no_helper_beside_a_thread_or_for_a_small_list(big: Path, tmp_path: Path, db_path: Path) -> None:
    """A process with another thread never forks (the thread's locks would stay held in the
    child); a file under SPLIT_FROM products is listed by one process."""
    status, out, err, report = jxc(tmp_path, big, "stock", "--json", patch="a thread")
    assert report["helpers"] == [] and (status, err) == (0, "")
    assert (status, out, err) == jxc(tmp_path, big, "stock", "--json", patch="one process")[:3]
    status, out, err, report = jxc(tmp_path, db_path, "stock", "--json")
    assert report["helpers"] == [] and (status, out, err) == (0, b"[]\n", "")


def test_a_fork_refused_by_the_system_changes_nothing(big: Path, tmp_path: Path) -> None:
    status, out, err, report = jxc(tmp_path, big, "stock", "--json", patch="no process")
    assert report["helpers"] == [None] and report["left"] is False, report
    assert (status, out, err) == jxc(tmp_path, big, "stock", "--json", patch="one process")[:3]
    assert status == 0 and err == ""


LOCKS = """
import os, sys
from pathlib import Path
from jxc_desktop.db import filelock
from jxc_desktop.db.lock_bytes import PRIMITIVE, USE_BYTE
path, forget = Path(sys.argv[1]), sys.argv[2] == "forget"
with filelock.using(path):  # a first read: the process's descriptor stays open after it
    pass
held, go = os.pipe(), os.pipe()
pid = os.fork()
if pid == 0:
    if forget:
        filelock.in_forked_child()
    with filelock.using(path):  # the helper's read, held until told
        os.write(held[1], b"!")
        os.read(go[0], 1)
    os._exit(0)
os.read(held[0], 1)
with filelock.using(path):  # this process's next read, taken and dropped meanwhile
    pass
fd = os.open(path, os.O_RDWR)
print(PRIMITIVE.set(fd, USE_BYTE, "ex"))  # a restore: may it take the file from under the helper?
os.write(go[1], b"!")
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="open-file-description locks (Linux)")
def test_the_helpers_reads_hold_the_file_on_their_own(db_path: Path) -> None:
    """The helper shares the parent's lock descriptor: without filelock.in_forked_child its hold
    would be the parent's, dropped when the parent's next read ends — a restore could then swap
    the file under the helper's read. With it, the helper's hold is its own."""
    def restore_may_take(mode: str) -> str:
        done = subprocess.run([sys.executable, "-c", LOCKS, str(db_path), mode], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=str(SRC)), timeout=60, check=True)
        return done.stdout.strip()

    assert restore_may_take("forget") == "False"
    assert restore_may_take("share") == "True"  # what the helper would do without it
