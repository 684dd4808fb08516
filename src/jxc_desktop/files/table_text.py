"""Which encoding a csv file's bytes are in: UTF-8 or GB18030 (GBK), or a refusal — never a guess
that stores garbled names.

1. A UTF-8 byte-order mark: the file must be UTF-8 (strictly).
2. Without one, strict UTF-8 is taken — unless the text has no character a UTF-8 Chinese file
   has (nothing at or above U+0800) but has ones from U+0100–U+07FF (Hebrew, combining marks…):
   that is what GBK bytes look like when they happen to be valid UTF-8 (状态 -> "״̬"); such a file
   is read as GB18030 if that reading is plausible (below).
3. Otherwise strict GB18030 (a superset of GBK and GB2312, which Chinese Excel/WPS write). The
   reading must be plausible Chinese, else the file is refused:
   - no private-use characters (Big5 or damaged bytes read as GB18030 produce them: 可口可樂 in
     Big5 reads as "贾 330睝ど" with three of them);
   - at least half of its Chinese characters among the 3 755 common ones (GB2312 level 1);
   - if the bytes are valid Big5 (cp950) as well, the GB18030 reading must be the more plausible
     one: a header cell that is a column name the import knows, or a larger share of common
     characters than the Big5 reading has of Big5's common ones (Big5 level 1). When the two
     cannot be told apart — a few characters, all common in both — the file is refused.
   A refusal asks for the file saved as UTF-8, which is always read right.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Collection

from jxc_desktop.domain.errors import ValidationError

MIN_COMMON_SHARE = 0.5


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _is_hanzi(o: int) -> bool:
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def _hanzi_counts(text: str) -> Counter[str]:
    counts = Counter(text)
    return Counter({ch: n for ch, n in counts.items() if _is_hanzi(ord(ch))})


def _common_share(hanzi: Counter[str], encoding: str, lo: int, hi: int) -> float:
    """Share of the characters whose two-byte code in ``encoding`` lies in [lo, hi] (its common set)."""
    total = sum(hanzi.values())
    if not total:
        return 1.0
    common = 0
    for ch, n in hanzi.items():
        try:
            code = ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(code) == 2 and lo <= (code[0] << 8 | code[1]) <= hi:
            common += n
    return common / total


def _gb_common(text: str) -> float:
    return _common_share(_hanzi_counts(text), "gb2312", 0xB0A1, 0xD7F9)


def _big5_common(text: str) -> float:
    return _common_share(_hanzi_counts(text), "cp950", 0xA440, 0xC67E)


def _has_private_use(text: str) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in set(text))


def _header_cells(text: str) -> set[str]:
    start = 0
    while start < len(text) and text[start] in "\r\n":
        start += 1
    end = text.find("\n", start)
    first = text[start:end if end >= 0 else len(text)]
    cells: set[str] = set()
    for sep in (",", "\t", ";"):
        cells |= {c.strip().strip('"').strip() for c in first.split(sep)}
    return cells


def _gb_verdict(data: bytes, text: str, vocabulary: Collection[str]) -> ValidationError | None:
    """None if ``text`` (``data`` read as GB18030) is plausible, else the reason to refuse."""
    try:
        big5: str | None = data.decode("cp950")
    except UnicodeDecodeError:
        big5 = None
    big5_share = _big5_common(big5) if big5 is not None else 0.0
    gb_share = _gb_common(text)
    if _has_private_use(text) or gb_share < MIN_COMMON_SHARE:
        looks_big5 = big5 is not None and not _has_private_use(big5) and big5_share >= 0.8
        if looks_big5:
            return ValidationError("The file looks like Big5 (Traditional Chinese) text, which is not read here; "
                                   "save it as UTF-8 (in Excel: CSV UTF-8) and import it again")
        return ValidationError("Read as GBK the file gives garbled text, so it is in another encoding; "
                               "save it as UTF-8 (in Excel: CSV UTF-8) and import it again")
    if big5 is None or big5 == text:
        return None
    if vocabulary and _header_cells(text) & set(vocabulary):
        return None
    if gb_share > big5_share:
        return None
    return ValidationError("The file may be GBK or Big5 text and the two cannot be told apart; "
                           "save it as UTF-8 (in Excel: CSV UTF-8) and import it again")


def decode_table_text(data: bytes, vocabulary: Collection[str] = ()) -> str:
    """The text of a csv file's bytes (see the module doc); ``vocabulary``: column names the
    caller knows, which settle a GBK-or-Big5 doubt when the header row holds one."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError("The file starts with a UTF-8 mark but line {line} is not UTF-8 text",
                                  line=_line_of(data, exc.start + 3)) from exc
    utf8_error: UnicodeDecodeError | None = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if text.isascii() or max(map(ord, set(text))) >= 0x800 or all(ord(c) < 0x100 for c in set(text)):
            return text
        # Only two-byte UTF-8 sequences beyond Latin-1: GBK bytes that happen to be valid UTF-8?
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            return text
        return text if _gb_verdict(data, gb, vocabulary) else gb
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = _line_of(data, max(exc.start, utf8_error.start))  # the reading that got further
        raise ValidationError("The file is neither UTF-8 nor GBK text (line {line} cannot be read as either)",
                              line=line) from exc
    problem = _gb_verdict(data, gb, vocabulary)
    if problem is not None:
        raise problem
    return gb
