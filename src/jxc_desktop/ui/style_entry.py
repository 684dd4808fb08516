"""Typing a style's quantities by colour × size into the documents that take quantities: which style
is meant (a style code typed on the scan line, the style of the selected variant line, or one
picked from the list), and the grid dialog's cells turned into the purchase note's or the
wholesale note's lines.

Counts and returns to suppliers use ``style_named``/``pick_style`` and the same dialog
(ui/count_tab.py, ui/dialogs/purchase_dialogs.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QWidget

from jxc_desktop.domain.errors import JxcError, NotFoundError
from jxc_desktop.domain.wholesale_note import NoteLine, with_line
from jxc_desktop.services.catalog.dto import StyleDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.dto import CountLineDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.purchase_lines import EditLine, PurchaseLinesModel
from jxc_desktop.ui.models.wholesale_lines import WholesaleLinesModel


class NoteLines(Protocol):
    """What the grid needs of the purchase note editor (ui/purchase_editor.py)."""

    model: PurchaseLinesModel

    def supplier_id(self) -> int | None: ...

    def say(self, text: str, *, error: bool = False) -> None: ...


class WholesaleLines(Protocol):
    """What the grid needs of the wholesale note editor (ui/wholesale_editor.py)."""

    model: WholesaleLinesModel

    def say(self, text: str, *, error: bool = False) -> None: ...


def style_named(services: Services, text: str) -> StyleDTO | None:
    """The style whose code is ``text`` exactly, else None."""
    text = text.strip()
    if not text or len(text) > 24:
        return None
    try:
        return services.styles.by_code(text)
    except NotFoundError:
        return None


def pick_style(parent: QWidget, services: Services) -> StyleDTO | None:
    """Ask which style (a list of every active one, typed to search)."""
    rows = [r for r in services.styles.list_styles() if r.active]
    if not rows:
        return None
    labels = [f"{r.code}  {r.name}" for r in rows]
    label, ok = QInputDialog.getItem(parent, tr("Grid entry"), tr("Style"), labels, 0, True)
    if not ok or label not in labels:
        return None
    return services.styles.get(rows[labels.index(label)].id)


def purchase_grid(parent: QWidget, editor: NoteLines, services: Services, style: StyleDTO) -> GridEntryDialog:
    """The grid of ``style`` for the note: prefilled with the note's plain lines of its variants;
    OK replaces those lines by one line per non-zero cell (at the usual prefilled cost)."""
    ids = {v.product_id: (v.colour_code, v.size) for v in style.variants}
    lines = editor.model.lines()

    def plain(ln: EditLine) -> bool:
        return ln.product.id in ids and ln.pack == 1 and not ln.batch_no and ln.amount is None

    initial: dict[tuple[str, str], int] = defaultdict(int)
    for ln in lines:
        if plain(ln):
            initial[ids[ln.product.id]] += ln.qty
    dlg = GridEntryDialog(style, tr("Receive {code} by colour and size").format(code=style.code),
                          initial=dict(initial), parent=parent)

    def apply() -> None:
        entries = dlg.entries()
        wanted = [v.product_id for v, _q in entries]
        products = services.purchasing.products(wanted)
        costs = services.purchasing.default_costs(wanted, editor.supplier_id())
        kept = [ln for ln in editor.model.lines() if not plain(ln)]
        kept += [EditLine(products[v.product_id], qty, 1, costs.get(v.product_id, style.ref_cost))
                 for v, qty in entries]
        editor.model.set_lines(kept)
        editor.say(tr("{code}: {n} lines by colour and size").format(code=style.code, n=len(entries)))

    dlg.accepted.connect(apply)
    return dlg


def count_grid(parent: QWidget, services: Services, count_id: int, style: StyleDTO,
               done: Callable[[list[CountLineDTO]], None]) -> GridEntryDialog:
    """The grid of ``style`` for a count: prefilled with what is counted so far; OK records every
    cell typed (a typed 0 is counted as none on the shelf; an empty cell stays as it was)."""
    sc = services.stock_count
    initial = {}
    for v in style.variants:
        lines = sc.lines_of_product(count_id, v.product_id)
        if len(lines) == 1 and lines[0].counted_qty is not None:
            initial[(v.colour_code, v.size)] = lines[0].counted_qty
    dlg = GridEntryDialog(style, tr("Count {code} by colour and size").format(code=style.code), initial=initial,
                          keep_zero=True, parent=parent)

    def apply() -> None:
        entries = [(v.product_id, qty) for v, qty in dlg.entries()]
        got = run(parent, lambda: sc.set_counted_many(count_id, entries))
        if got and got.value is not None:
            done(got.value)

    dlg.accepted.connect(apply)
    return dlg


def wholesale_grid(parent: QWidget, editor: WholesaleLines, services: Services, style: StyleDTO) -> GridEntryDialog:
    """The grid of ``style`` for a wholesale note: prefilled with the note's lines of its variants
    at the list price and without a line discount; OK replaces those lines by one line per
    non-zero cell at the wholesale price (whole packs and loose units). Lines with a price or a
    discount typed by hand stay as they are."""
    ids = {v.product_id: (v.colour_code, v.size) for v in style.variants}

    def plain(ln: NoteLine) -> bool:
        return ln.product_id in ids and not ln.line_discount and ln.list_price in (-1, ln.price)

    initial: dict[tuple[str, str], int] = defaultdict(int)
    for ln in editor.model.note.lines:
        if plain(ln):
            initial[ids[ln.product_id]] += ln.qty
    dlg = GridEntryDialog(style, tr("Sell {code} by colour and size").format(code=style.code),
                          initial=dict(initial), parent=parent)

    def apply() -> None:
        entries = dlg.entries()
        got = run(parent, lambda: services.wholesale.lines_for((v.product_id, qty) for v, qty in entries),
                  inline=lambda e: editor.say(e.message, error=True))
        if not got or got.value is None:
            return
        old = editor.model.note
        note = replace(old, lines=())
        try:
            for ln in [*(ln for ln in old.lines if not plain(ln)), *got.value]:
                note = with_line(note, ln)
        except JxcError as exc:
            editor.say(exc.message, error=True)
            return
        editor.model.set_note(replace(note, discount=old.discount if note.lines else 0))
        editor.say(tr("{code}: {n} lines by colour and size").format(code=style.code, n=len(entries)))

    dlg.accepted.connect(apply)
    return dlg
