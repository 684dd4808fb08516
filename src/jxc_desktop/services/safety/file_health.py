"""Is the open data file whole, and what can still be read from it when it is not.

:func:`full_check` is the full ``integrity_check`` (plus the schema) for the window's background
check (ui/health_check.py); a failure is reported with :func:`mark_damaged`, after which the
Database refuses every write — in this process and, through the verdict kept beside the file
(db/damage_mark.py), in every later one; :func:`mark_whole` when it passes.

:func:`export_products`: the damaged file is opened read-only (nothing is written, not even its journal mode) and the product
list is exported with the ordinary product export (.xlsx or .csv), so prices, barcodes and stock
entered after the newest backup can be typed or imported again. When even that cannot be read,
the error says so; the raw file is kept anyway by the restore (``…-damaged-….sqlite3``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from jxc_desktop.db import health
from jxc_desktop.db.uow import Database
from jxc_desktop.db.uri import sqlite_uri
from jxc_desktop.domain.errors import DatabaseError, JxcError
from jxc_desktop.services.catalog.api import ProductIOService


def full_check(db: Database, on_connect: Callable[[sqlite3.Connection], None] | None = None) -> list[str]:
    """The problems ``PRAGMA integrity_check`` and the schema check find in ``db``'s file (read-only;
    seconds on a big file); an empty list when it is whole. ``on_connect`` receives the connection
    (to ``interrupt()`` it). Raises DatabaseError when it could not look (busy, interrupted)."""
    if db.path is None:
        return []
    return health.integrity_problems(db.path, on_connect=on_connect)


def mark_damaged(db: Database, problems: list[str]) -> str:
    """Stop every write to ``db`` (its file failed a check); returns the one-line reason."""
    reason = health.summary(problems)
    db.mark_damaged(reason)
    return reason


def mark_whole(db: Database) -> None:
    """A full check of ``db``'s very file passed: writes are allowed again and a verdict of damage
    kept beside it (db/damage_mark.py) is removed."""
    db.mark_checked()


@dataclass(frozen=True)
class RescueResult:
    path: Path
    products: int


def default_name(data_path: Path) -> str:
    return f"{Path(data_path).stem}-products-rescued.xlsx"


def export_products(data_path: Path | str, dest: Path | str) -> RescueResult:
    """Export every product still readable from ``data_path`` to ``dest`` (.xlsx or .csv)."""
    data_path, dest = Path(data_path), Path(dest)
    db = Database.read_only(sqlite_uri(Path(data_path), mode="ro"), Path(data_path))
    try:
        count = ProductIOService(db).export_products(dest)
    except JxcError as exc:
        raise DatabaseError("The products could not be read from the damaged file: {reason}",
                            reason=exc.message) from exc
    except SQLAlchemyError as exc:
        raise DatabaseError("The products could not be read from the damaged file: {reason}",
                            reason=str(getattr(exc, "orig", exc))) from exc
    finally:
        db.dispose()
    return RescueResult(dest, count)
