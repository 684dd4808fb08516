"""A 1 000-label PDF (issue 19: < 3 s): price tags and barcode labels of 1 000 different products
(no two alike, so nothing is drawn once and reused), in a thermal format and on A4 sheets.

    .venv/bin/python benchmarks/bench_labels.py [--labels 1000] [--runs 5]

Prints, per format and kind, the median time of the runs (worst in brackets) and the file size. The
first run also registers the CJK font (it is reported apart: a program pays it once).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.domain.store_barcode import store_code  # noqa: E402
from jxc_desktop.reports.fonts import cjk_font  # noqa: E402
from jxc_desktop.reports.labels import labels_pdf  # noqa: E402
from jxc_desktop.services.catalog.dto import LabelItem  # noqa: E402

NAMES = ("康师傅红烧牛肉面", "农夫山泉天然水", "纯棉T恤 圆领短袖", "雕牌洗洁精家庭装", "福临门五常大米")


def items(n: int) -> list[LabelItem]:
    out = []
    for i in range(n):
        barcode = store_code("20", i + 1) if i % 4 else ""  # every fourth as CODE128 of its code
        out.append(LabelItem(i + 1, f"{i + 1:06d}", f"{NAMES[i % len(NAMES)]} {i}", "500g", "件",
                             100 + i * 37, barcode, member_price=(90 + i * 33) if i % 3 == 0 else None,
                             colour="藏青" if i % 2 else None, size="XL" if i % 2 else None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--labels", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cjk_font()
    print(f"font registration: {time.perf_counter() - t0:.2f} s")
    data = items(args.labels)
    worst_median = 0.0
    for fmt in ("40x30", "a4-4x10"):
        for kind in ("price", "barcode"):
            times = []
            size = 0
            for _ in range(args.runs):
                t = time.perf_counter()
                size = len(labels_pdf(data, fmt, kind))
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            worst_median = max(worst_median, med)
            print(f"{args.labels} labels {fmt:8} {kind:8}: median {med:.2f} s (worst {max(times):.2f} s), "
                  f"{size / 1024:.0f} KB")
    print(f"slowest median: {worst_median:.2f} s (target < 3 s)")
    return 0 if worst_median < 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
