"""The member list and one member (by id, card or phone) as SQL text, run by either driver
(db/text_reads.py): by the member directory on its unit of work (SQLite or PostgreSQL, the window's
search) and by ``jxc members list|show`` on sqlite3 alone, which then never builds SQLAlchemy
(issue 15). A member is a customer with a level."""

from __future__ import annotations

from jxc_desktop.db.text_reads import Row, Rows, as_date, filter_binds, filtered_variants
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.members.dto import MemberDTO

_COLUMNS = ("SELECT c.id, c.name, c.phone, c.card_no, l.id, l.name, l.price_pct, l.points_pct, c.birthday, "
            "c.joined_on, c.points, c.stored_value, c.active, c.level, c.note "
            "FROM customer c JOIN member_level l ON l.id = c.member_level_id")
_MEMBERS = _COLUMNS + "{where} ORDER BY c.active DESC, c.pinyin_key, c.id LIMIT :limit"
BY_ID = _COLUMNS + " WHERE c.id = :key"
BY_CARD = _COLUMNS + " WHERE c.card_no = :key"
BY_PHONE = _COLUMNS + " WHERE c.phone = :key"
_ACTIVE = "c.active = :active"
# Name or card (any case), phone or pinyin holding the text; LIKE's wildcards in the text are escaped.
_TEXT = ("(lower(c.name) LIKE :pat ESCAPE '\\' OR c.phone LIKE :pat ESCAPE '\\' "
         "OR lower(c.card_no) LIKE :pat ESCAPE '\\' OR c.pinyin_key LIKE :pat ESCAPE '\\')")
MEMBERS = filtered_variants(_MEMBERS, _ACTIVE, _TEXT)


def to_dto(row: Row) -> MemberDTO:
    (cid, name, phone, card, level_id, level, price_pct, points_pct, birthday, joined_on, points, stored_value,
     active, price_level, note) = row
    return MemberDTO(int(cid), name, phone, card or "", int(level_id), level, int(price_pct), int(points_pct),
                     as_date(birthday), as_date(joined_on), int(points or 0), int(stored_value or 0), bool(active),
                     price_level == "wholesale", note)


def list_members(rows: Rows, *, text: str = "", active_only: bool = False, limit: int = 100_000) -> list[MemberDTO]:
    """Members in name order, active first (a filter by name, pinyin, phone or card)."""
    variant, binds = filter_binds(text, active_only, limit)
    return [to_dto(r) for r in rows.all(MEMBERS[variant], **binds)]


def member_by_id(rows: Rows, member_id: int) -> MemberDTO:
    found = rows.all(BY_ID, key=member_id)
    if not found:
        raise NotFoundError("Member {id} does not exist", id=member_id)
    return to_dto(found[0])


def member_by_key(rows: Rows, key: str) -> MemberDTO:
    """The one member of a card number or phone (``jxc members show PHONE_OR_CARD``)."""
    text = key.strip().replace(" ", "")
    for sql, value in ((BY_CARD, text.upper()), (BY_PHONE, text)):
        found = rows.all(sql, key=value)
        if found:
            return to_dto(found[0])
    raise NotFoundError("No member with phone or card {key}", key=text[:40] or "-")
