"""Settings of THIS PC (the till): its name and its receipt printer, kept in a small local file
(``till.json`` in the user's config folder, paths.config_dir; ``JXC_CONFIG_DIR`` moves it).

With the shop on a server every till opens the same database, so a setting stored there would be
the same at every till: the printer of the till at the door would print at the back office. These
keys are therefore read from and written to the local file; every other setting stays in the
database, shared. A key the local file does not hold yet is read from the database as before, so a
shop that moved from its file keeps its printer and till name on the PC that had them until the
settings are next saved there. The file as read is till_file.py's (standard library only: a
command that reads with sqlite3 alone reads it too).

Each document records the till it was made at (``till`` on sale, purchase, stock_count, money_doc:
migration 0019): :func:`record_till_on_documents` fills it as a document is first written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from jxc_desktop.db.models import MoneyDoc, Purchase, Sale, Setting, StockCount
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.services.shop.till_file import LOCAL_KEYS, TILL_KEY, config_file, read_local

DEFAULT_TILL = "1"
_DOCUMENTS = (Sale, Purchase, StockCount, MoneyDoc)


def write_local(values: Mapping[str, str]) -> None:
    """Merge ``values`` (local keys only) into the file, replaced whole (a temporary file renamed
    over it) so a crash leaves the old or the new file, never half of one."""
    unknown = set(values) - LOCAL_KEYS
    if unknown:
        raise ValueError(f"not local settings: {sorted(unknown)}")
    merged = {**read_local(), **values}
    path = config_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".till-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(merged, fh, ensure_ascii=False, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise DatabaseError("Could not save this till's settings in {path}: {reason}", path=str(path),
                            reason=exc.strerror or str(exc)) from exc


def overlay(shared: Mapping[str, str]) -> dict[str, str]:
    """The settings as this PC sees them: the database's, with this PC's own values over them."""
    return {**shared, **read_local()}


def till_name(session: Session) -> str:
    """This PC's till: the local file's, else the one the shop file had (before issue 21), else "1"."""
    local = read_local().get(TILL_KEY, "")
    if local:
        return local
    row = session.get(Setting, TILL_KEY)
    return (row.value if row is not None else "") or DEFAULT_TILL


def _fill_till(session: Session, _context: Any, _instances: Any) -> None:
    documents = [obj for obj in session.new if isinstance(obj, _DOCUMENTS) and not getattr(obj, "till", "")]
    if documents:
        with session.no_autoflush:
            till = till_name(session)
        for obj in documents:
            obj.till = till


def document_till(session: Session) -> str:
    """The till a new document gets: this PC's where documents record it (the ORM's flush does, see
    :func:`record_till_on_documents`); "" where they do not. For writers that insert documents
    without the ORM (sales/bulk_post.py)."""
    return till_name(session) if event.contains(Session, "before_flush", _fill_till) else ""


def record_till_on_documents() -> None:
    """Every new sale, purchase note, stock count and money document gets this PC's till (once per
    process: the listener is on the Session class, so every database of the process has it)."""
    if not event.contains(Session, "before_flush", _fill_till):
        event.listen(Session, "before_flush", _fill_till)
