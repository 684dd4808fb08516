"""`jxc stock | head`: the reader stops after a few lines. jxc stops quietly — no Python traceback
on the terminal — with the status a shell gives a program a broken pipe ended (141)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jxc_desktop.cli import PIPE_CLOSED
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.hub import Services

SRC = Path(__file__).resolve().parents[2] / "src"


def read_a_little(db: Path, *args: str) -> tuple[int, bytes, str]:
    """Run ``jxc --db DB ARGS``, read its first 200 bytes as ``head -c 200`` does, then leave."""
    code = "import sys; from jxc_desktop.cli import main; sys.exit(main())"
    child = subprocess.Popen([sys.executable, "-c", code, "--db", str(db), *args],
                             env=dict(os.environ, PYTHONPATH=str(SRC)), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    head = child.stdout.read(200)
    child.stdout.close()
    err = child.stderr.read().decode()
    return child.wait(timeout=120), head, err


def test_a_reader_that_stops_early_gets_no_traceback(services: Services, db_path: Path) -> None:
    # 4 000 products: their list (250 KB of text) is far more than a pipe holds (64 KiB), so jxc
    # is still writing when the reader goes away
    with services.db.write() as uow:
        insert_products(uow.session, [(ProductInput(name=f"农夫山泉天然矿泉水550毫升装{i:05d}", sale_price=200,
                                                    ref_cost=100, category="饮料", unit="瓶"), Opening(1000, 100))
                                      for i in range(4000)])
        uow.commit()
    services.db.dispose()
    status, head, err = read_a_little(db_path, "stock", "--json")
    assert head.startswith(b"[\n {") and err == ""  # no traceback
    assert status == PIPE_CLOSED  # the closing bracket's write met the broken pipe
    status, head, err = read_a_little(db_path, "stock")
    # the list's text goes out in one write, which the closed pipe ends part-way without an error
    assert head.startswith(b"code\t") and err == "" and status in (0, PIPE_CLOSED)
