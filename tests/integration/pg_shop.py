"""A shop database on the test server: the schema made on the empty database ``pg_url`` gives."""

from __future__ import annotations

from jxc_desktop.db.models import Base
from jxc_desktop.db.uow import Database


def open_shop(url: str) -> Database:
    db = Database(url)
    Base.metadata.create_all(db.engine)
    return db
