"""Run inside a private mount namespace by test_faults.py: copy a shop file onto a small tmpfs,
write until the disk is full, then report (as JSON on stdout) the error and the file's health."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check


def main(folder: str, source: str) -> int:
    path = Path(folder) / "jxc.sqlite3"
    shutil.copyfile(source, path)
    services = Services(Database.for_file(path))
    result: dict[str, object] = {"kind": "", "english": "never full"}
    try:
        for i in range(100_000):
            services.catalog.create_product(ProductInput(name=f"很长的商品名称{i} " + "货" * 100, spec="规" * 50),
                                            opening_qty=1000, opening_cost=100)
    except JxcError as exc:
        result = {"kind": type(exc).__name__, "english": exc.english, "made": i}
    services.db.dispose()
    report = run_check(Database.for_file(path))
    result["check_ok"] = report.ok
    result["problems"] = [p.detail for p in report.problems[:5]]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
