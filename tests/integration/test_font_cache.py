"""The parsed CJK font kept in the cache folder (reports/font_cache.py): a face read back is the face
ReportLab parses, its PDFs are the same bytes, and a damaged, stale or unwritable cache only costs the
parse it saves."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.reports import font_cache
from jxc_desktop.reports.fonts import candidate_files

TEXT = "幸福便利店 康师傅红烧牛肉面 ¥1,000.00 找零 No.S20261205-0001 (½) 〇"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("JXC_CACHE_DIR", str(where))
    return where


@pytest.fixture
def font_path(tmp_path: Path) -> Path:
    """A copy of the CJK font the program would use, so the tests may touch it."""
    files = candidate_files()
    assert files, "no TrueType CJK font: receipts could not embed Chinese either"
    path = tmp_path / f"cjk{files[0][0].suffix}"
    shutil.copyfile(files[0][0], path)
    return path


def _cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "fonts").glob("*.bin")) if (cache / "fonts").is_dir() else []


def _state(face: TTFontFace) -> dict[str, object]:
    """Everything ReportLab's parse leaves on a face, in the form ReportLab reads it (a cached face
    keeps the code tables and columns in arrays and reads the font file where asked)."""
    face.glyphToChar  # noqa: B018 - a cached face builds it on first use
    state = {k: v for k, v in vars(face).items() if k not in ("_glyph_columns", "_pdfScale")}
    state["hmetrics"] = [tuple(m) for m in face.hmetrics]
    state["glyphPos"] = list(face.glyphPos)
    state["charToGlyph"] = dict(face.charToGlyph.items())
    state["charWidths"] = dict(face.charWidths.items())
    state["_ttf_data"] = face._ttf_data[:]  # the whole file, as bytes
    state["scaled"] = face._pdfScale(1234)
    return state


def _read(font_path: Path) -> TTFontFace | None:
    """The face the cache gives for ``font_path`` now, or None if it would be parsed."""
    where, key = font_cache.cache_file(font_path)
    return font_cache._read(where, key, font_cache._FontBytes.open(font_path, 0))


def _typed(value: object) -> object:
    """Values with their types, so that 1000 and 1000.0 differ (ReportLab writes what it holds)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _pdf(font: TTFont, text: str = TEXT) -> bytes:
    """A page drawn with ``font`` itself. ReportLab's registerFont hands a new name the font first
    registered for the same face (another test's, or the program's JxcCJK), so that is set aside."""
    face_name = font.face.name
    earlier = pdfmetrics._dynFaceNames.pop(face_name, None)
    pdfmetrics.registerFont(font)
    try:
        assert pdfmetrics.getFont(font.fontName) is font
        buf = io.BytesIO()
        c = Canvas(buf, pagesize=(226, 400), invariant=1, pageCompression=1)
        c.setFont(font.fontName, 9)
        c.drawString(10, 300, text)
        c.drawRightString(200, 280, f"{pdfmetrics.stringWidth(text, font.fontName, 9):.4f}")
        c.showPage()
        c.save()
        return buf.getvalue()
    finally:
        pdfmetrics._fonts.pop(font.fontName, None)
        pdfmetrics._dynFaceNames.pop(face_name, None)
        if earlier is not None:
            pdfmetrics._dynFaceNames[face_name] = earlier


def test_face_from_cache_is_the_parsed_face(cache: Path, font_path: Path) -> None:
    parsed = TTFontFace(str(font_path))
    first = font_cache.load_face(font_path)  # parses and writes the cache
    assert len(_cache_files(cache)) == 1
    again = font_cache.load_face(font_path)
    assert type(again) is not TTFontFace  # read back, not parsed
    assert _typed(_state(again)) == _typed(_state(parsed)) == _typed(_state(first))


def test_font_from_cache_draws_the_same_pdf(cache: Path, font_path: Path) -> None:
    parsed = TTFont("JxcCacheTest", str(font_path))
    font_cache.load_face(font_path)
    cached = font_cache.ttfont("JxcCacheTest", font_path)
    assert type(cached.face) is not TTFontFace
    # what TTFont.__init__ sets besides the face (ttfont() sets them itself)
    plain = {k: v for k, v in vars(parsed).items() if k not in ("face", "state", "encoding")}
    assert plain == {k: v for k, v in vars(cached).items() if k not in ("face", "state", "encoding")}
    assert set(vars(parsed)) == set(vars(cached))
    assert type(cached.state) is type(parsed.state) and type(cached.encoding) is type(parsed.encoding)
    assert _pdf(cached) == _pdf(parsed)  # same widths, subset, embedded glyphs


def _cached_face(font_path: Path) -> TTFontFace:
    font_cache.load_face(font_path)  # parses and writes the cache
    face = font_cache.load_face(font_path)
    assert type(face) is not TTFontFace
    return face


def _astral_text(face: TTFontFace) -> str:
    """TEXT and, when the font has any, a character above U+FFFF (kept apart from the arrays)."""
    above = sorted(code for code in face.charToGlyph if code > 0xFFFF)
    return TEXT + "".join(chr(code) for code in above[:2])


def test_code_tables_answer_as_the_parsed_dicts(cache: Path, font_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_cache, "_PROMOTE_AFTER", 10**9)  # every answer from the arrays
    parsed = TTFontFace(str(font_path))
    face = _cached_face(font_path)
    for name in ("charToGlyph", "charWidths"):
        want, got = getattr(parsed, name), getattr(face, name)
        assert len(got) == len(want) and bool(got)
        probes = [*want, -1, 0xFFFF, 0x10000, 0x10FFFF, 0x110000, ord("a"), "a", None]
        for code in probes:
            assert (code in got) == (code in want)
            assert got.get(code, "none") == want.get(code, "none")
            assert type(got.get(code)) is type(want.get(code))
            if code in want:
                assert got[code] == want[code]
            else:
                with pytest.raises(KeyError):
                    got[code]
        assert getattr(face, name) is got  # still the arrays


def test_many_lookups_or_a_change_put_a_real_dict_on_the_face(cache: Path, font_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = TTFontFace(str(font_path))
    monkeypatch.setattr(font_cache, "_PROMOTE_AFTER", 100)
    face = _cached_face(font_path)
    widths = face.charWidths
    for code in list(parsed.charWidths)[:101]:
        assert widths.get(code) == parsed.charWidths[code]
    assert type(face.charWidths) is dict and face.charWidths == parsed.charWidths
    assert widths.get(0x4E00) == parsed.charWidths[0x4E00] and len(widths) == len(parsed.charWidths)
    glyphs = face.charToGlyph
    glyphs[0xE000] = 7  # what ReportLab's shaping does for a glyph with no character
    assert type(face.charToGlyph) is dict and face.charToGlyph[0xE000] == 7 and glyphs[0xE000] == 7
    assert {k: v for k, v in face.charToGlyph.items() if k != 0xE000} == parsed.charToGlyph


def test_settle_gives_a_cached_face_the_parsed_dicts(cache: Path, font_path: Path) -> None:
    parsed = TTFontFace(str(font_path))
    face = _cached_face(font_path)
    font_cache.settle(face)  # what the window's warm-up does
    for name in ("charToGlyph", "charWidths"):
        assert type(getattr(face, name)) is dict
        assert _typed(getattr(face, name)) == _typed(getattr(parsed, name))
    assert face._ttf_data == parsed._ttf_data  # the file's bytes, in memory
    before = dict(parsed.charWidths)
    font_cache.settle(parsed)  # a parsed face already has them
    assert parsed.charWidths == before


@pytest.mark.parametrize("promote_after", [50_000, 10])
def test_font_from_cache_draws_the_same_pdf_of_every_kind_of_character(
        cache: Path, font_path: Path, monkeypatch: pytest.MonkeyPatch, promote_after: int) -> None:
    monkeypatch.setattr(font_cache, "_PROMOTE_AFTER", promote_after)
    parsed = TTFont("JxcCacheTest", str(font_path))
    text = _astral_text(parsed.face)
    font_cache.load_face(font_path)
    cached = font_cache.ttfont("JxcCacheTest", font_path)
    want = _pdf(parsed, text)
    assert _pdf(cached, text) == want
    assert not isinstance(cached.face._ttf_data, bytes)  # the font file was not read whole
    assert (type(cached.face.charWidths) is dict) == (promote_after == 10)
    font_cache.settle(cached.face)
    assert _pdf(cached, text) == want


def test_font_rewritten_in_place_is_parsed_again_at_the_next_pdf(cache: Path, font_path: Path) -> None:
    parsed = TTFont("JxcCacheTest", str(font_path))
    font_cache.load_face(font_path)
    cached = font_cache.ttfont("JxcCacheTest", font_path)
    want = _pdf(parsed)
    with font_path.open("r+b") as f:  # the same bytes written over the file: another time
        data = f.read()
        f.seek(0)
        f.write(data)
    stat = font_path.stat()
    os.utime(font_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _pdf(cached) == want
    assert isinstance(cached.face._ttf_data, bytes)  # parsed from the file as it now is


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps an open file from being replaced")
def test_font_replaced_under_its_name_is_still_read_as_it_was(cache: Path, font_path: Path) -> None:
    parsed = TTFont("JxcCacheTest", str(font_path))
    want = _pdf(parsed)
    font_cache.load_face(font_path)
    cached = font_cache.ttfont("JxcCacheTest", font_path)
    other = font_path.with_name("other.ttc")
    other.write_bytes(b"\x00" * 1000)
    os.replace(other, font_path)  # how a package update puts in a new font
    assert _pdf(cached) == want  # the glyphs come from the file the tables were read from


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "foreign"])
def test_damaged_cache_is_parsed_again_and_rewritten(cache: Path, font_path: Path, damage: str) -> None:
    parsed = _typed(_state(TTFontFace(str(font_path))))
    font_cache.load_face(font_path)
    (where,) = _cache_files(cache)
    raw = where.read_bytes()
    where.write_bytes({"truncated": raw[: len(raw) // 2],
                       "flipped": raw[:5000] + bytes([raw[5000] ^ 0xFF]) + raw[5001:],
                       "empty": b"",
                       "foreign": b"\x00" * 16 + raw[16:]}[damage])
    face = font_cache.load_face(font_path)
    assert type(face) is TTFontFace  # parsed, since the cache could not be trusted
    assert _typed(_state(face)) == parsed
    assert where.read_bytes() == raw  # written again
    assert type(font_cache.load_face(font_path)) is not TTFontFace


def test_changed_font_file_is_not_read_from_the_cache(cache: Path, font_path: Path) -> None:
    font_cache.load_face(font_path)
    where, key = font_cache.cache_file(font_path)
    assert _read(font_path) is not None
    # other bytes under the same size and time: the first 64 KiB tell them apart
    stat = font_path.stat()
    data = bytearray(font_path.read_bytes())
    data[40000] ^= 0xFF
    font_path.write_bytes(bytes(data))
    os.utime(font_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert font_cache.cache_file(font_path) == (where, key)
    assert _read(font_path) is None
    # a newer file: another key, parsed and kept beside the old one
    data[40000] ^= 0xFF
    font_path.write_bytes(bytes(data))
    os.utime(font_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert type(font_cache.load_face(font_path)) is TTFontFace
    assert len(_cache_files(cache)) == 2 and font_cache.cache_file(font_path)[0] in _cache_files(cache)


def test_unwritable_cache_folder_still_gives_the_font(tmp_path: Path, font_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("JXC_CACHE_DIR", str(blocker))
    parsed = _typed(_state(TTFontFace(str(font_path))))
    for _ in range(2):  # parsed both times: nothing could be kept
        face = font_cache.load_face(font_path)
        assert type(face) is TTFontFace and _typed(_state(face)) == parsed
    assert blocker.read_text() == "a file where the cache folder would be"
