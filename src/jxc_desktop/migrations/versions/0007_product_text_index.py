"""product_text and product_pinyin_text: trigram indexes over the product name and its two pinyin,
so that search-as-you-type finds text inside them from an index instead of scanning 100 000 names

FTS5 tables with the trigram tokenizer over views of ``product`` (external content: they store only
the index, the text stays in ``product``), one row per product (rowid = product.id):
``product_text`` holds the name (letter case folded, as LIKE matches it), ``product_pinyin_text``
the 全拼 and the 助记码 (the two halves of ``product.pinyin_key``, case kept, as GLOB matches them). Each value is indexed with two U+001F
characters after it, so every character of it starts a trigram: text of one or two characters is
found as a prefix of the index's terms (the ``…_terms`` vocabularies), three or more by a phrase
query (services/catalog/text_index.py).

Triggers keep them in step with every insert, rename, pinyin change and delete of a product, whoever
writes (the forms, imports, the bulk writer, the command line); the products already in the file
are indexed here. (A later migration that rebuilds ``product`` in batch mode drops its triggers
with the old table: it must create these three again, and check the two views still read it.)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values as indexed, from a product row ``r`` (new or old, or the table itself): the name, the
# 全拼 (the key before its space) and the 助记码 (after it), each followed by the two-character pad.
_PAD = "char(31, 31)"


def _name(r: str) -> str:
    return f"{r}.name || {_PAD}"


def _full(r: str) -> str:
    key, space = f"{r}.pinyin_key", f"instr({r}.pinyin_key, ' ')"
    return f"(CASE WHEN {space} > 0 THEN substr({key}, 1, {space} - 1) ELSE {key} END) || {_PAD}"


def _initials(r: str) -> str:
    key, space = f"{r}.pinyin_key", f"instr({r}.pinyin_key, ' ')"
    return f"(CASE WHEN {space} > 0 THEN substr({key}, {space} + 1) ELSE '' END) || {_PAD}"


def _add(r: str) -> str:
    return (f"INSERT INTO product_text(rowid, name) VALUES ({r}.id, {_name(r)}); "
            f"INSERT INTO product_pinyin_text(rowid, full, initials) VALUES ({r}.id, {_full(r)}, {_initials(r)});")


def _drop(r: str) -> str:
    # An external-content index forgets a row when told the values it indexed.
    return (f"INSERT INTO product_text(product_text, rowid, name) VALUES ('delete', {r}.id, {_name(r)}); "
            f"INSERT INTO product_pinyin_text(product_pinyin_text, rowid, full, initials) "
            f"VALUES ('delete', {r}.id, {_full(r)}, {_initials(r)});")


def _upgrade_server() -> None:
    """PostgreSQL: no FTS5. Trigram GIN indexes (pg_trgm) serve search.py's ILIKE on the name and
    LIKE on the pinyin key, when the extension can be had; without it the search scans (correct,
    slower). Tried in a savepoint so a refused CREATE EXTENSION leaves the migration going."""
    conn = op.get_bind()
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - not installed, or this role may not create it
        return
    op.execute("CREATE INDEX ix_product_name_trgm ON product USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_product_pinyin_key_trgm ON product USING gin (pinyin_key gin_trgm_ops)")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        _upgrade_server()
        return
    # The indexes' content is a view of ``product``: nothing is stored twice, and reading the FTS
    # tables (a dump, `.recover`) reads the values as indexed.
    op.execute(f"CREATE VIEW product_text_source AS SELECT product.id AS id, {_name('product')} AS name FROM product")
    op.execute(f"CREATE VIEW product_pinyin_source AS SELECT product.id AS id, {_full('product')} AS full, "
               f"{_initials('product')} AS initials FROM product")
    op.execute("CREATE VIRTUAL TABLE product_text USING fts5(name, content='product_text_source', "
               "content_rowid='id', columnsize=0, tokenize='trigram')")
    op.execute("CREATE VIRTUAL TABLE product_pinyin_text USING fts5(full, initials, content='product_pinyin_source', "
               "content_rowid='id', columnsize=0, tokenize='trigram case_sensitive 1')")
    op.execute("CREATE VIRTUAL TABLE product_text_terms USING fts5vocab(product_text, instance)")
    op.execute("CREATE VIRTUAL TABLE product_pinyin_terms USING fts5vocab(product_pinyin_text, instance)")
    # The products already here (100 000 products: a few seconds).
    op.execute("INSERT INTO product_text(product_text) VALUES ('rebuild')")
    op.execute("INSERT INTO product_pinyin_text(product_pinyin_text) VALUES ('rebuild')")
    op.execute(f"CREATE TRIGGER product_text_insert AFTER INSERT ON product BEGIN {_add('new')} END")
    op.execute(f"CREATE TRIGGER product_text_delete AFTER DELETE ON product BEGIN {_drop('old')} END")
    op.execute(f"CREATE TRIGGER product_text_update AFTER UPDATE OF id, name, pinyin_key ON product BEGIN "
               f"{_drop('old')} {_add('new')} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_product_pinyin_key_trgm")
        op.execute("DROP INDEX IF EXISTS ix_product_name_trgm")
        return
    for trigger in ("product_text_update", "product_text_delete", "product_text_insert"):
        op.execute(f"DROP TRIGGER {trigger}")
    for table in ("product_pinyin_terms", "product_text_terms", "product_pinyin_text", "product_text"):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP VIEW product_pinyin_source")
    op.execute("DROP VIEW product_text_source")
