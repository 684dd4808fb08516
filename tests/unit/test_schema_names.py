"""db/schema_names.py must name exactly the tables and indexes of db/models.py: the schema check
before a write (db/health.py) reads the names from there, without the models."""

from __future__ import annotations

import textwrap

from jxc_desktop.db import schema_names
from jxc_desktop.db.health import INDEX_TABLES, expected_schema
from jxc_desktop.db.models import Base


def _model_names() -> tuple[set[str], set[str]]:
    tables = set(Base.metadata.tables)
    indexes = {ix.name for table in Base.metadata.tables.values() for ix in table.indexes if ix.name}
    return tables, indexes


def _as_source(name: str, items: set[str]) -> str:
    body = ", ".join(f'"{x}"' for x in sorted(items))
    return f"{name} = frozenset({{\n" + "\n".join("    " + line for line in textwrap.wrap(body, 110)) + "\n})"


def test_schema_names_are_the_models_names() -> None:
    tables, indexes = _model_names()
    assert (tables, indexes) == (schema_names.TABLES, schema_names.INDEXES), (
        "db/schema_names.py is out of date; paste:\n\n" + _as_source("TABLES", tables) + "\n\n"
        + _as_source("INDEXES", indexes))


def test_the_check_expects_every_model_table_and_index() -> None:
    tables, indexes = _model_names()
    expected = expected_schema()
    assert expected["table"] == tables | {"alembic_version"} | INDEX_TABLES
    assert expected["index"] == indexes
