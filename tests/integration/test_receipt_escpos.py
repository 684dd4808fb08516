"""ESC/POS receipts: the byte stream for a Chinese receipt decodes (GB18030) back to the receipt's
lines, with the CODE128 barcode of its number, the cut and, when asked, the drawer pulse; the device
seam with python-escpos's File printer and a device that fails; the printer settings; the drawer's
audit row. No hardware: python-escpos's Dummy and File printers stand in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from escpos.printer import File
from sqlalchemy import select

from jxc_desktop import i18n
from jxc_desktop.db.models import AuditLog
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.reports import receipt_escpos as ep
from jxc_desktop.reports.receipt_lines import BARCODE, Line, receipt_lines
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.shop.printer_setup import printer_setup
from jxc_desktop.ui import escpos_device

ESC, GS, FS = 0x1B, 0x1D, 0x1C


@dataclass
class Cmd:
    name: str
    args: bytes = b""


def parse(stream: bytes) -> list[Cmd | str]:
    """Split an ESC/POS stream into the commands this program sends and its text rows (decoded)."""
    out: list[Cmd | str] = []
    i, text = 0, bytearray()
    fixed = {(ESC, ord("@")): 0, (FS, ord("&")): 0, (ESC, ord("p")): 3, (ESC, ord("!")): 1, (ESC, ord("E")): 1,
             (ESC, ord("a")): 1, (FS, ord("!")): 1, (GS, ord("h")): 1, (GS, ord("w")): 1, (GS, ord("f")): 1,
             (GS, ord("H")): 1, (ESC, ord("d")): 1, (GS, ord("!")): 1}
    while i < len(stream):
        b = stream[i]
        if b in (ESC, GS, FS) and not text:
            key = (b, stream[i + 1])
            name = {ESC: "ESC ", GS: "GS ", FS: "FS "}[b] + chr(stream[i + 1])
            if key == (GS, ord("k")):  # function B: m, n, n bytes of data
                n = stream[i + 3]
                out.append(Cmd(name, stream[i + 2:i + 4 + n]))
                i += 4 + n
            elif key == (GS, ord("V")):
                m = stream[i + 2]
                extra = 1 if m in (65, 66) else 0
                out.append(Cmd(name, stream[i + 2:i + 3 + extra]))
                i += 3 + extra
            else:
                assert key in fixed, f"unexpected command {name!r} at {i}"
                out.append(Cmd(name, stream[i + 2:i + 2 + fixed[key]]))
                i += 2 + fixed[key]
        elif b == 0x0A:
            out.append(text.decode("gb18030"))
            text = bytearray()
            i += 1
        else:
            text.append(b)
            i += 1
    assert not text, "text left without its line feed"
    return out


@pytest.fixture
def chinese_sale(services, make_product):  # type: ignore[no-untyped-def]
    i18n.set_language("zh_CN")
    services.settings.update({"shop_name": "幸福便利店", "shop_address": "建国路88号", "shop_phone": "010-8888",
                              "receipt_footer": "谢谢惠顾，欢迎再次光临！"})
    cart = Cart()
    for name, price in (("康师傅红烧牛肉面超值五连包特惠装（红烧味）", 1590), ("Coca-Cola 可口可乐 330ml", 350),
                        ("散装猪肉", 2400)):
        p = make_product(name, price, price // 2, 20)
        cart, _ = c.add(cart, services.checkout.line_for_product(p.id, 2000 if price != 2400 else 1250))
    cart = c.set_sale_discount(cart, 30)
    yield services.checkout.post_sale(cart, [Tender("cash", 10000)])
    i18n.set_language("en")


@pytest.mark.parametrize("width,cols", [(58, 32), (80, 48)])
def test_chinese_receipt_decodes_back_to_its_lines(services, chinese_sale, width, cols) -> None:  # type: ignore[no-untyped-def]
    lines = receipt_lines(chinese_sale, services.checkout.shop_info())
    stream = ep.escpos_bytes(lines, width)
    parsed = parse(stream)
    rows = [p for p in parsed if isinstance(p, str)]
    assert rows == ep.plain_text(lines, width)  # every text row, in order, decoded from GB18030
    assert all(ep.text_width(r) <= cols for r in rows)
    assert any(ep.text_width(r) == cols for r in rows)  # the rules and the amounts use the whole width
    joined = "".join(rows)  # a long name wraps: its halves are on two rows
    for want in ("幸福便利店", "建国路88号", chinese_sale.number, "红烧牛肉面", "找零", "谢谢惠顾", "可口可乐", "￥100.00"):
        assert want in joined, want
    # the same text as the PDF receipt's lines: each line's words, ¥ as the printer's full-width ￥
    for line in lines:
        if line.kind != BARCODE and line.text:
            assert ep.printable(line.text).replace(" ", "") in joined.replace(" ", ""), line.text
    cmds = [p for p in parsed if isinstance(p, Cmd)]
    assert cmds[0].name == "ESC @" and cmds[1].name == "FS &"  # initialise, Chinese (double-byte) mode
    barcode = next(cmd for cmd in cmds if cmd.name == "GS k")
    assert barcode.args[0] == 73 and barcode.args[2:].decode() == ep.code128_data(chinese_sale.number)  # CODE128
    assert [cmd.name for cmd in cmds[-2:]] == ["ESC d", "GS V"] and cmds[-1].args == b"\x00"  # feed, full cut
    assert not any(cmd.name == "ESC p" for cmd in cmds)  # no drawer unless asked
    assert stream.count(b"\x1b!\x10") >= 1 and b"\x1c!\x08" in stream  # the total in double height


def test_drawer_pulse_comes_first_and_alone(services, chinese_sale) -> None:  # type: ignore[no-untyped-def]
    lines = receipt_lines(chinese_sale, services.checkout.shop_info())
    cmds = [p for p in parse(ep.escpos_bytes(lines, 80, drawer=True)) if isinstance(p, Cmd)]
    assert cmds[2] == Cmd("ESC p", b"\x00\x32\x32")  # pin 2, 50 × 2 ms on and off
    assert ep.drawer_bytes() == b"\x1bp\x00\x32\x32"


def test_widths_and_barcode_data() -> None:
    assert ep.wrap("康" * 20, 32) == ["康" * 16, "康" * 4]  # a Chinese character is two columns
    assert ep.wrap("Coca Cola 330ml bottle", 10) == ["Coca Cola", "330ml", "bottle"]
    assert ep.text_width("￥12.00") == 7 and ep.text_width("×") == 2  # what encodes to two bytes is wide
    data = ep.code128_data("XS20261204-0001")
    assert data == "{BXS{C20261204{B-{C0001"
    assert ep.barcode_fits("XS20261204-0001", 58) and ep.code128_modules(data) * 2 <= 384
    assert not ep.barcode_fits("X" * 40, 58)  # too wide for the roll: the number stays in text only
    assert not any(isinstance(p, Cmd) and p.name == "GS k" for p in parse(ep.escpos_bytes([Line(BARCODE, "X" * 40)], 58)))


def test_file_printer_receives_the_job(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    setup = printer_setup({"printer_kind": "serial", "escpos_serial": "/dev/ttyUSB9"})
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    monkeypatch.setattr(escpos_device, "connect", lambda s: File(str(device)))
    escpos_device.send(setup, b"\x1b@hello\n")
    assert device.read_bytes() == b"\x1b@hello\n"


class Broken:
    """A printer that goes offline as the job is written."""

    def open(self) -> None:
        pass

    def _raw(self, data: bytes) -> None:
        raise OSError(32, "Broken pipe")

    def close(self) -> None:
        pass


def test_a_failing_device_is_one_clear_message(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    setup = printer_setup({"printer_kind": "network", "escpos_network": "192.0.2.7:9100"})
    monkeypatch.setattr(escpos_device, "connect", lambda s: Broken())
    with pytest.raises(escpos_device.PrinterOffline) as err:
        escpos_device.send(setup, b"x")
    assert "192.0.2.7:9100" in err.value.message and "Broken pipe" in err.value.message
    # a real connection to nothing (a closed local port) fails the same way, quickly
    monkeypatch.setattr(escpos_device, "connect", escpos_device.open_printer)
    closed = printer_setup({"printer_kind": "network", "escpos_network": "127.0.0.1:9"})
    with pytest.raises(escpos_device.PrinterOffline):
        escpos_device.send(closed, b"x")


def test_printer_settings_are_checked(services) -> None:  # type: ignore[no-untyped-def]
    before = services.settings.all()
    for bad in ({"printer_kind": "usb"}, {"printer_kind": "usb", "escpos_usb": "printer"},
                {"escpos_network": "shop printer"}, {"escpos_network": "10.0.0.9:99999"},
                {"printer_kind": "laser"}, {"escpos_baud": "1234"}):
        with pytest.raises(ValidationError):
            services.settings.update(bad)
    assert services.settings.all() == before  # nothing saved
    services.settings.update({"printer_kind": "usb", "escpos_usb": "0416:5011", "receipt_width_mm": "58",
                              "drawer_on_cash": "1", "escpos_network": "10.0.0.9"})
    setup = printer_setup(services.settings.all())
    assert (setup.kind, setup.usb, setup.width_mm, setup.columns, setup.drawer_on_cash) == (
        "usb", (0x0416, 0x5011), 58, 32, True)
    assert setup.network == ("10.0.0.9", 9100) and setup.describe() == "USB 0416:5011"


def test_drawer_opening_is_recorded_only_when_the_pulse_went(services, db) -> None:  # type: ignore[no-untyped-def]
    def offline() -> None:
        raise escpos_device.PrinterOffline("off")

    with pytest.raises(escpos_device.PrinterOffline):
        services.drawer.open("店主", offline)
    sent: list[bool] = []
    services.drawer.open("店主", lambda: sent.append(True))
    with db.read() as uow:
        rows = list(uow.session.scalars(select(AuditLog.detail).where(AuditLog.action == "drawer_opened")))
    assert sent == [True] and len(rows) == 1 and '"by":"店主"' in rows[0]
    with pytest.raises(ValidationError):
        services.drawer.open(" ", lambda: None)
