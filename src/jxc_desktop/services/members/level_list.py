"""The member levels with how many members each has, as SQL text either driver runs
(db/text_reads.py): the members service lists them on its sessions (``SessionRows``: the members
window, the till), ``jxc members levels`` on sqlite3 alone when the shop has its levels (issue 15:
no SQLAlchemy for a read). A shop without any gets its defaults from the service's first listing
(levels.seed_levels), a write: that stays on the full path.
"""

from __future__ import annotations

from jxc_desktop.db.dialect_text import SQLITE
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.services.members.dto import MemberLevelDTO

_MEMBERS = ("SELECT member_level_id, count(id) FROM customer WHERE member_level_id IS NOT NULL "
            "GROUP BY member_level_id")
_LEVELS = "SELECT id, name, price_pct, points_pct, sort, active FROM member_level{where} ORDER BY sort, id"
# what SQLAlchemy writes for ``active.is_(True)`` on each backend
_ACTIVE = {SQLITE: " WHERE active IS 1"}
_ACTIVE_ELSEWHERE = " WHERE active IS true"


def levels_in(rows: Rows, *, active_only: bool = False) -> list[MemberLevelDTO]:
    """The levels (by their order, then id), each with its number of members; none: an empty list."""
    members = {int(level): int(n) for level, n in rows.all(_MEMBERS)}
    where = _ACTIVE.get(rows.dialect, _ACTIVE_ELSEWHERE) if active_only else ""
    return [MemberLevelDTO(lid, name, price_pct, points_pct, sort, bool(active), members.get(int(lid), 0))
            for lid, name, price_pct, points_pct, sort, active in rows.all(_LEVELS.format(where=where))]
