"""The staff list as SQL text, run by either driver (db/text_reads.py): by the staff service on
its unit of work and by ``jxc staff list`` on sqlite3 alone (issue 15: a command's fixed cost); and
one person's name (a receipt's cashier, through the face)."""

from __future__ import annotations

from datetime import datetime

from jxc_desktop.db.text_reads import Row, Rows, as_utc
from jxc_desktop.services.staff.dto import OWNER, PersonDTO

PEOPLE = "SELECT id, name, number, role, active, pin_hash, locked_until FROM person"
ACTIVE_PEOPLE = PEOPLE + " WHERE active = :active"


def person_dto(row: Row, now: datetime | None) -> PersonDTO:
    """A person as the list shows them; the lock only while it holds at ``now``."""
    pid, name, number, role, active, pin_hash, locked = row
    until = as_utc(locked)
    if until is not None and now is not None and until <= now:
        until = None
    return PersonDTO(int(pid), name, number, role, bool(active), bool(pin_hash), until)


def list_people(rows: Rows, now: datetime, *, include_inactive: bool = False) -> list[PersonDTO]:
    """Owner first, then cashiers by login number."""
    found = rows.all(PEOPLE) if include_inactive else rows.all(ACTIVE_PEOPLE, active=True)
    people = [person_dto(row, now) for row in found]
    people.sort(key=lambda p: (p.role != OWNER, p.number.zfill(8), p.id))
    return people


def owner_name(rows: Rows) -> str:
    """The active owner's name ("" when the shop has named nobody): who approves with the owner PIN."""
    found = rows.all("SELECT name FROM person WHERE role = :role AND active = :active LIMIT 1", role=OWNER,
                     active=True)
    return str(found[0][0] or "") if found else ""


def person_name(rows: Rows, person_id: int | None) -> str:
    """The name of a person ("" for none, or one that is gone)."""
    if person_id is None:
        return ""
    found = rows.all("SELECT name FROM person WHERE id = :person", person=person_id)
    return str(found[0][0] or "") if found else ""
