"""Price tags and barcode labels as PDF (reports/labels.py): every format and kind is rendered, turned
into a 300 dpi PNG with pdftoppm and read back with a barcode reader (zxing-cpp); the text with
pdftotext, the embedded CJK font with pdffonts, the page size from pdfinfo."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from jxc_desktop import i18n
from jxc_desktop.cli import main as jxc
from jxc_desktop.reports.labels import FORMATS, labels_pdf
from jxc_desktop.services.catalog.dto import LabelItem
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput

ITEMS = (
    LabelItem(1, "000001", "康师傅红烧牛肉面（桶装）", "110g", "桶", 450, "2000000000015"),
    LabelItem(2, "000002", "农夫山泉天然水", "550ml", "瓶", 200, "6901234567892", member_price=180, origin="浙江杭州"),
    LabelItem(3, "P000123", "纯棉T恤 圆领短袖", "", "件", 12900, "", colour="藏青", size="XL"),
    LabelItem(4, "000004", "进口橄榄油", "1L", "瓶", 8800, "ABC-123"),
)
CODES = ["2000000000015", "6901234567892", "P000123", "ABC-123"]


def _run(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def decode_pages(pdf: Path, out: Path, fmt: str = "40x30") -> list[list[tuple[str, str]]]:
    """Every page of ``pdf`` at 300 dpi, read by zxing-cpp: per page, (text, format) in label order
    (row by row: the row is found from the barcode's centre and the sheet's geometry)."""
    out.mkdir(exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(out / "page")], check=True)
    form = FORMATS[fmt]
    px = 300 / 72  # pixels per point

    def order(r: zxingcpp.Barcode) -> tuple[int, int]:
        p = r.position
        y = (p.top_left.y + p.bottom_left.y) / 2 / px
        return int((y - form.top) // (form.label_h + form.gap_y)), p.top_left.x

    pages = []
    for png in sorted(out.glob("page-*.png"), key=lambda f: int(f.stem.split("-")[1])):
        found = sorted(zxingcpp.read_barcodes(Image.open(png)), key=order)
        pages.append([(r.text, r.format.name) for r in found])
    return pages


@pytest.fixture(autouse=True)
def _chinese() -> None:
    i18n.set_language("zh_CN")


@pytest.mark.parametrize("kind", ["price", "barcode"])
@pytest.mark.parametrize("fmt", ["40x30", "50x30", "60x40"])
def test_thermal_labels_decode(tmp_path: Path, fmt: str, kind: str) -> None:
    pdf = tmp_path / "labels.pdf"
    labels_pdf(ITEMS, fmt, kind, pdf)
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+4$", info, re.M)
    w, h = (int(n) for n in fmt.split("x"))
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    pts = [float(x) for x in size.split(":")[1].split("pts")[0].split("x")]
    assert pts == pytest.approx([w * 72 / 25.4, h * 72 / 25.4], abs=0.1)
    pages = decode_pages(pdf, tmp_path)
    assert pages == [[("2000000000015", "EAN13")], [("6901234567892", "EAN13")], [("P000123", "Code128")],
                     [("ABC-123", "Code128")]]


@pytest.mark.parametrize("kind", ["price", "barcode"])
@pytest.mark.parametrize("fmt", ["a4-3x8", "a4-4x10"])
def test_sheet_labels_decode(tmp_path: Path, fmt: str, kind: str) -> None:
    per_page = FORMATS[fmt].per_page
    items = [*ITEMS[:3], LabelItem(9, "000009", "洗洁精", "", "瓶", 990, "6901234567892", copies=per_page)]
    pdf = tmp_path / "sheet.pdf"
    labels_pdf(items, fmt, kind, pdf)
    pages = decode_pages(pdf, tmp_path, fmt)
    assert len(pages) == 2
    first = [text for text, _ in pages[0]]
    assert len(first) == per_page
    assert first[:3] == ["2000000000015", "6901234567892", "P000123"]
    assert set(first[3:]) == {"6901234567892"}
    assert len(pages[1]) == 3  # the copies that did not fit


def test_text_and_embedded_font(tmp_path: Path) -> None:
    price = tmp_path / "price.pdf"
    labels_pdf(ITEMS, "60x40", "price", price)
    text = _run("pdftotext", str(price), "-")
    for part in ("康师傅红烧牛肉面（桶装）", "规格：110g", "单位：桶", "¥4.50", "¥2.00", "会员价 ¥1.80",
                 "产地：浙江杭州", "¥129.00"):
        assert part in text, part
    assert text.count("会员价") == 1 and text.count("产地") == 1  # slots left out where there is no value
    fonts = _run("pdffonts", str(price))
    cjk = [line for line in fonts.splitlines()[2:] if "TrueType" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # emb column
    barcode = tmp_path / "barcode.pdf"
    labels_pdf(ITEMS, "a4-4x10", "barcode", barcode)
    text = _run("pdftotext", str(barcode), "-")
    for part in ("P000123", "藏青 XL", "¥129.00", "纯棉T恤 圆领短袖", "000001"):
        assert part in text, part


def test_long_names_are_cut_to_the_label(tmp_path: Path) -> None:
    long = LabelItem(1, "000001", "特别长的商品名称" * 6, "规格也很长" * 4, "盒", 123456, "2000000000015")
    pdf = tmp_path / "long.pdf"
    labels_pdf([long], "40x30", "price", pdf)
    text = _run("pdftotext", str(pdf), "-")
    assert "…" in text and "¥1,234.56" in text
    assert decode_pages(pdf, tmp_path) == [[("2000000000015", "EAN13")]]


def test_cli_labels_for_a_purchase(services: Services, make_product, db_path: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   capsys: pytest.CaptureFixture[str]) -> None:
    tee = make_product("纯棉T恤", 12900, barcode="")
    cup = make_product("保温杯", 5900)
    sup = services.suppliers.add(SupplierInput(name="服装批发"))
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(tee.id, 3000, 5000), LineInput(cup.id, 2000, 3000))))
    made = services.labels.generate_store_barcodes([tee.id, cup.id])
    assert [m.product_id for m in made] == [tee.id]
    services.db.dispose()
    pdf = tmp_path / "note.pdf"
    assert jxc(["--db", str(db_path), "labels", "--purchase", note.number, "--format", "40x30",
                "--kind", "barcode", "--pdf", str(pdf)]) == 0
    assert "5" in capsys.readouterr().out
    pages = decode_pages(pdf, tmp_path)
    assert [p[0][0] for p in pages] == [made[0].barcode] * 3 + [cup.barcodes[0][0]] * 2
    tags = tmp_path / "tags.pdf"
    assert jxc(["--db", str(db_path), "labels", "--products", f"{tee.code},{cup.code}", "--format", "a4-3x8",
                "--pdf", str(tags)]) == 0
    assert [t for t, _ in decode_pages(tags, tmp_path / "tags", "a4-3x8")[0]] == [made[0].barcode,
                                                                                    cup.barcodes[0][0]]
    assert jxc(["--db", str(db_path), "labels", "--changed-since", "2026-01-01", "--format", "a4-3x8",
                "--pdf", str(tags)]) == 2  # no price changed
    assert jxc(["--db", str(db_path), "labels", "--products", "NOPE", "--format", "40x30", "--pdf", str(tags)]) == 2


def test_cli_generate_barcodes(services: Services, make_product, db_path: Path,  # type: ignore[no-untyped-def]
                               capsys: pytest.CaptureFixture[str]) -> None:
    bare = make_product("散装花生", 1290, barcode="")
    has = make_product("可乐", 300)
    services.db.dispose()
    assert jxc(["--db", str(db_path), "products", "barcode", "--generate", f"{bare.code},{has.code}"]) == 0
    out = capsys.readouterr()
    assert out.out == f"{bare.code}\t2000000000015\n"
    assert jxc(["--db", str(db_path), "products", "barcode", "--generate", "NOPE"]) == 2
