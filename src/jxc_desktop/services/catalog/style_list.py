"""The styles list (款号: code, name, season, how many colours, sizes and variants, their stock) as
SQL text either driver runs (db/text_reads.py): the style service runs it on its sessions
(``SessionRows``: the styles window), ``jxc styles list`` on sqlite3 alone (issue 15: no SQLAlchemy
for a read).
"""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.services.catalog.dto import StyleRow

# Per style: its variants, their stock, the distinct colours and sizes among them.
_COUNTS = ("SELECT style_id, count(id), coalesce(sum(stock_qty), 0), count(DISTINCT colour_code), "
           "count(DISTINCT size) FROM product WHERE style_id IS NOT NULL GROUP BY style_id")
_STYLES = ("SELECT s.id, s.code, s.name, c.name, s.season, s.year, s.brand, s.sale_price, s.active "
           "FROM style s LEFT OUTER JOIN category c ON c.id = s.category_id{where} ORDER BY s.code")
# What SQLAlchemy's ``contains`` wrote: the text as typed in LIKE (its % and _ match anything, as
# they always did in the window's search box), the backend's own case rule.
_HOLDS = " WHERE s.code LIKE '%' || :text || '%' OR s.name LIKE '%' || :text || '%'"


def list_styles(rows: Rows, text: str = "") -> list[StyleRow]:
    """Every style (code order), or those whose code or name holds ``text`` (already cleaned)."""
    counts = {int(sid): rest for sid, *rest in rows.all(_COUNTS)}
    found = rows.all(_STYLES.format(where=_HOLDS), text=text) if text else rows.all(_STYLES.format(where=""))
    out = []
    for sid, code, name, category, season, year, brand, price, active in found:
        n, stock, colours, sizes = counts.get(int(sid), (0, 0, 0, 0))
        out.append(StyleRow(sid, code, name, category or "", season, year, brand, price, colours, sizes, n,
                            int(stock), bool(active)))
    return out
