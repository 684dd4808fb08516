"""Receipt lines (reports/receipt_lines.py) as an ESC/POS byte stream for a 58/80 mm thermal printer.

Nothing here touches a device: the commands are collected by python-escpos's ``Dummy`` printer and
returned as bytes, which the till sends in one write (ui/escpos_device.py).

Chinese text: python-escpos encodes text through single-byte code pages (its "magic encode"), which
have no Chinese. Chinese thermal printers take double-byte text once Chinese mode is on (FS &), in
GB18030 (GBK/GB2312 being its subsets), so each line is encoded here with Python's ``gb18030`` codec
and sent raw. Such a printer draws every multi-byte character at double width, so a line's width in
columns is the number of its characters that encode to one byte plus twice the others: 32 columns
on 58 mm paper, 48 on 80 mm (font A, 12 dots, 384/576 dots). The yen sign U+00A5 is not in GB2312
or GBK, so cheap printers print it as garbage: it is sent as the full-width ￥ (U+FFE5) they all have.

The receipt number is a hardware CODE128 barcode (GS k, function B), code set C for the digits so
XS20261204-0001 fits the 384 dots of a 58 mm roll at two dots a module.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence

from escpos.printer import Dummy

from jxc_desktop.reports.receipt_lines import BARCODE, GAP, PAIR, RULE, TEXT, Line

ENCODING = "gb18030"
FS = b"\x1c"
CHINESE_ON = FS + b"&"  # FS &: double-byte (Chinese) characters on
DOUBLE_HEIGHT_CJK = FS + b"!\x08"  # FS ! n: the Chinese font's size (ESC ! only sizes the ASCII font)
NORMAL_CJK = FS + b"!\x00"
DOTS = {58: 384, 80: 576}
BAR_MODULE_DOTS = 2


def columns_for(width_mm: int) -> int:
    return 32 if width_mm == 58 else 48


def printable(value: str) -> str:
    """The text as the printer gets it (see the module's note on ¥)."""
    return value.replace("\u00a5", "\uffe5")


def char_width(ch: str) -> int:
    return 1 if len(ch.encode(ENCODING)) == 1 else 2


def text_width(value: str) -> int:
    return sum(char_width(ch) for ch in value)


def wrap(value: str, cols: int) -> list[str]:
    """Break text into lines of at most ``cols`` columns; a Latin word stays whole when it can."""
    out: list[str] = []
    for para in value.split("\n"):
        cur, width = "", 0
        for ch in para:
            w = char_width(ch)
            if width + w <= cols:
                cur, width = cur + ch, width + w
                continue
            cut = cur.rfind(" ")
            tail = cur[cut + 1:]
            if ch != " " and cut > 0 and tail.isascii() and tail.isalnum():
                out.append(cur[:cut])
                cur = tail + ch
            else:
                out.append(cur.rstrip(" "))  # a space at the break is not printed
                cur = "" if ch == " " else ch
            width = text_width(cur)
        out.append(cur)
    return out


def _aligned(value: str, cols: int, align: str) -> str:
    room = cols - text_width(value)
    if align == "center":
        return " " * (room // 2) + value
    if align == "right":
        return " " * room + value
    return value


def text_rows(line: Line, cols: int) -> list[str]:
    """The printed rows of one TEXT, PAIR, RULE or GAP line (printable text, no trailing padding
    except what right-aligns an amount). A BARCODE has none: the printer draws it and its digits."""
    if line.kind == TEXT:
        return [_aligned(row, cols, line.align) for row in wrap(printable(line.text), cols)]
    if line.kind == PAIR:
        right = printable(line.right)
        parts = wrap(printable(line.text), max(1, cols - text_width(right) - 1))
        last = parts[-1]
        return parts[:-1] + [last + " " * (cols - text_width(last) - text_width(right)) + right]
    if line.kind == RULE:
        return ["-" * cols]
    if line.kind == GAP:
        return [""]
    return []


def plain_text(lines: Sequence[Line], width_mm: int) -> list[str]:
    """Every printed text row of the receipt, in order (what the tests decode the stream back to)."""
    cols = columns_for(width_mm)
    return [row for line in lines for row in text_rows(line, cols)]


def code128_data(value: str) -> str:
    """The CODE128 data for GS k (function B): code set B, switching to C ("{C") for runs of four or
    more digits, two to a symbol, and back to B ("{B") after."""
    out, i = "{B", 0
    in_c = False
    while i < len(value):
        run = 0
        while i + run < len(value) and value[i + run].isdigit():
            run += 1
        if run >= 4:
            run -= run % 2
            if not in_c:
                out += "{C"
                in_c = True
            out += value[i:i + run]
            i += run
            continue
        if in_c:
            out += "{B"
            in_c = False
        out += "{{" if value[i] == "{" else value[i]
        i += 1
    return out


def code128_modules(data: str) -> int:
    """Width in modules of a CODE128 symbol for ``code128_data`` output (start, symbols, check, stop)."""
    symbols, i = 0, 2  # the leading "{B" is the start symbol
    in_c = False
    while i < len(data):
        if data[i] == "{" and i + 1 < len(data):
            if data[i + 1] in "BC":
                in_c = data[i + 1] == "C"
            symbols += 1
            i += 2
        elif in_c:
            symbols += 1
            i += 2
        else:
            symbols += 1
            i += 1
    return 11 + 11 * symbols + 11 + 13


def barcode_fits(value: str, width_mm: int) -> bool:
    return code128_modules(code128_data(value)) * BAR_MODULE_DOTS <= DOTS.get(width_mm, DOTS[80])


class _Stream:
    def __init__(self) -> None:
        self.p = Dummy()

    def raw(self, data: bytes) -> None:
        self.p._raw(data)  # python-escpos's own way to send what it has no command for

    def row(self, value: str) -> None:
        self.raw(value.encode(ENCODING) + b"\n")


def escpos_bytes(lines: Sequence[Line], width_mm: int, *, cut: bool = True, drawer: bool = False) -> bytes:
    """The whole job: initialise, Chinese mode, the drawer pulse first when asked (the drawer opens
    while the receipt prints), the lines, the barcode, feed and cut."""
    s = _Stream()
    cols = columns_for(width_mm)
    s.p.hw("INIT")
    s.raw(CHINESE_ON)
    if drawer:
        s.p.cashdraw(2)
    for line in lines:
        if line.kind == BARCODE:
            if barcode_fits(line.text, width_mm):
                with contextlib.redirect_stdout(io.StringIO()):  # the library prints which renderer it took
                    s.p.barcode(code128_data(line.text), "CODE128", height=60, width=BAR_MODULE_DOTS, pos="BELOW",
                                font="B", align_ct=True, function_type="B")
                s.p.set(align="left")
            continue
        big = line.size >= 2
        if line.size:
            s.p.set(bold=True, double_height=big, normal_textsize=not big)
            if big:
                s.raw(DOUBLE_HEIGHT_CJK)
        for row in text_rows(line, cols):
            s.row(row)
        if line.size:
            s.p.set(bold=False, normal_textsize=True)
            if big:
                s.raw(NORMAL_CJK)
    if cut:
        s.p.cut()
    return s.p.output


def drawer_bytes() -> bytes:
    """Only the drawer pulse (ESC p, pin 2), for "open drawer" and a cash sale not printed."""
    s = _Stream()
    s.p.cashdraw(2)
    return s.p.output
