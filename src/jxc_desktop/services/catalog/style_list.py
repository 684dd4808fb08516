"""The styles list (款号: code, name, season, how many colours, sizes and variants, their stock) as
SQL text either driver runs (db/text_reads.py): the style service runs it on its sessions
(``SessionRows``: the styles window), ``jxc styles list`` on sqlite3 alone (issue 15: no SQLAlchemy
for a read).
"""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows, like_pattern
from jxc_desktop.services.catalog.dto import StyleRow

# Per style: its variants, their stock, the distinct colours and sizes among them.
_COUNTS = ("SELECT style_id, count(id), coalesce(sum(stock_qty), 0), count(DISTINCT colour_code), "
           "count(DISTINCT size) FROM product WHERE style_id IS NOT NULL GROUP BY style_id")
_STYLES = ("SELECT s.id, s.code, s.name, c.name, s.season, s.year, s.brand, s.sale_price, s.active "
           "FROM style s LEFT OUTER JOIN category c ON c.id = s.category_id{where} ORDER BY s.code")
# The text as typed, inside code or name: its own %, _ and \ escaped (like_pattern), else "_" would
# list every style (and "\" none on PostgreSQL, whose LIKE escapes with it); the backend's own case
# rule, as SQLAlchemy's ``contains`` had it.
_HOLDS = " WHERE s.code LIKE :pat ESCAPE '\\' OR s.name LIKE :pat ESCAPE '\\'"


def list_styles(rows: Rows, text: str = "") -> list[StyleRow]:
    """Every style (code order), or those whose code or name holds ``text`` (already cleaned)."""
    counts = {int(sid): rest for sid, *rest in rows.all(_COUNTS)}
    if text:
        found = rows.all(_STYLES.format(where=_HOLDS), pat=like_pattern(text))
    else:
        found = rows.all(_STYLES.format(where=""))
    out = []
    for sid, code, name, category, season, year, brand, price, active in found:
        n, stock, colours, sizes = counts.get(int(sid), (0, 0, 0, 0))
        out.append(StyleRow(sid, code, name, category or "", season, year, brand, price, colours, sizes, n,
                            int(stock), bool(active)))
    return out
