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
    """Everything ReportLab's parse leaves on a face, in the form ReportLab reads it."""
    face.glyphToChar  # noqa: B018 - a cached face builds it on first use
    state = {k: v for k, v in vars(face).items() if k not in ("_glyph_columns", "_pdfScale")}
    state["hmetrics"] = [tuple(m) for m in face.hmetrics]
    state["scaled"] = face._pdfScale(1234)
    return state


def _typed(value: object) -> object:
    """Values with their types, so that 1000 and 1000.0 differ (ReportLab writes what it holds)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _pdf(font: TTFont) -> bytes:
    pdfmetrics.registerFont(font)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(226, 400), invariant=1, pageCompression=1)
    c.setFont(font.fontName, 9)
    c.drawString(10, 300, TEXT)
    c.drawRightString(200, 280, f"{pdfmetrics.stringWidth(TEXT, font.fontName, 9):.4f}")
    c.showPage()
    c.save()
    return buf.getvalue()


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
    try:
        assert _pdf(cached) == _pdf(parsed)  # same widths, subset, embedded glyphs
    finally:
        pdfmetrics._fonts.pop("JxcCacheTest", None)


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
    assert font_cache._read(where, key, font_path) is not None
    # other bytes under the same size and time: the first 64 KiB tell them apart
    stat = font_path.stat()
    data = bytearray(font_path.read_bytes())
    data[40000] ^= 0xFF
    font_path.write_bytes(bytes(data))
    os.utime(font_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert font_cache.cache_file(font_path) == (where, key)
    assert font_cache._read(where, key, font_path) is None
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
