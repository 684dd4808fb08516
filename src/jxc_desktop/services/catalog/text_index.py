"""Which products hold a piece of text, read from migration 0007's trigram indexes (SQLite):
``product_text`` (the names, letter case folded) and ``product_pinyin_text`` (the 全拼 and the 助记码
of each product, case kept).

Text of three characters or more is a phrase query, which finds exactly the values holding it; one
or two characters are a range of the index's terms (every character starts a term: the values
are indexed with two pad characters after them). So for the pinyin the index answers search.py's
GLOB rule exactly (the text is ASCII letters and digits, the key is indexed as stored). For a name
it answers instr's exact rule when the text has no letter with a case; otherwise (LIKE, or text
with cased letters) it names a superset that search.py checks with its own rule.

The queries are SQL text (standard library only): search_text.py's steps hold them as they are,
search.py's queries of the products table as ``text()``.
"""

from __future__ import annotations

PHRASE_MIN = 3  # the trigram tokenizer makes no term of shorter text


def usable(text_: str) -> bool:
    """Whether the index can name every product holding ``text_``. Not for text that case
    folding could change other than ASCII's (the vocabulary is searched with Python's lower(),
    the index was folded by SQLite's), nor for the pad or a character past the last one."""
    if not text_ or "\x1f" in text_ or ord(text_[-1]) >= 0xD7FF:
        return False
    return all(c.isascii() or c.lower() == c for c in text_)


def exact_for_name(text_: str) -> bool:
    """The name index gives instr's exact answer: no character of the text has a letter case."""
    return all(c.lower() == c.upper() for c in text_)


def index_params(text_: str) -> dict[str, str]:
    """Bound parameters of the queries below: the phrases (quoted for FTS5) and the term ranges
    (the name index holds folded terms, the pinyin index the text as typed: lower case)."""
    low = text_.lower()
    phrase = '"' + low.replace('"', '""') + '"'
    return {"fts_name": phrase, "fts_key": phrase,
            "term_lo": low, "term_hi": low[:-1] + chr(ord(low[-1]) + 1)}


def _phrase(table: str, param: str, columns: str = "") -> str:
    match = f"'{columns} : ' || :{param}" if columns else f":{param}"  # a column filter, then the phrase
    return f"SELECT rowid FROM {table} WHERE {table} MATCH {match}"


def _terms(vocab: str, col: str) -> str:
    # The vocabulary's instances of every term starting with the text, in one column.
    return f"SELECT doc FROM {vocab} WHERE col = '{col}' AND term >= :term_lo AND term < :term_hi"


def name_candidates(phrase: bool) -> str:
    """Ids of products whose name may hold the text (SQL text for ``IN``); ``phrase`` for text of
    PHRASE_MIN characters or more."""
    return _phrase("product_text", "fts_name") if phrase else _terms("product_text_terms", "name")


def key_holders(full: bool) -> str:
    """Ids of products whose pinyin holds the (lower-case letters and digits) text: in either
    pinyin (``full``, three letters or more) or in the 助记码 only (search.py's rule for shorter
    text) — exactly search.py's GLOB on the key."""
    return (_phrase("product_pinyin_text", "fts_key", "{full initials}") if full
            else _terms("product_pinyin_terms", "initials"))
