"""Receipt line breaking (reports/receipt.py ``_Layout.wrap``) measures a few prefixes of a line
instead of every one: it must break exactly where measuring character by character breaks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from jxc_desktop.reports.receipt import _Layout


def one_by_one(text: str, font: str, size: float, width: float) -> list[str]:
    """The rule measured one character at a time: a character goes on the line while the line with
    it fits; at the first that does not, a latin word in progress moves whole to the next line."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            if stringWidth(cur + ch, font, size) <= width:
                cur += ch
                continue
            cut = cur.rfind(" ")
            if ch != " " and cut > 0 and cur[cut + 1:].isascii() and cur[cut + 1:].isalnum():
                lines.append(cur[:cut])
                cur = cur[cut + 1:] + ch
            else:
                lines.append(cur)
                cur = ch.lstrip()
        lines.append(cur)
    return lines


ALPHABET = st.sampled_from(list("康师傅红烧牛肉面超值五连包¥，。（）ABCxyz019 .-/\n") + ["W", "i", "  "])


@settings(max_examples=300, deadline=None)
@given(text=st.lists(ALPHABET, max_size=80).map("".join), width_mm=st.sampled_from([58, 80]),
       size=st.sampled_from([7.0, 8.0, 9.0, 11.0]), share=st.sampled_from([0.05, 0.3, 0.6, 1.0]))
def test_wrap_breaks_where_one_by_one_does(text: str, width_mm: int, size: float, share: float) -> None:
    lay = _Layout(width_mm)
    width = lay.inner * share
    assert lay.wrap(text, size, width) == one_by_one(text, lay.font, size, width)


def test_wrap_examples() -> None:
    lay = _Layout(58)
    long_name = "康师傅红烧牛肉面超值五连包特惠装第十二款 Master Kong Braised Beef Noodles Family Pack"
    lines = lay.wrap(long_name, lay.size)
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == long_name.replace(" ", "")
    assert all(stringWidth(line, lay.font, lay.size) <= lay.inner for line in lines)
    assert lines == one_by_one(long_name, lay.font, lay.size, lay.inner)
    assert lay.wrap("", lay.size) == [""] and lay.wrap("a\nb", lay.size) == ["a", "b"]
