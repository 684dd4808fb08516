"""Actions the purchase views share: ask-and-retry for doubtful input, print / save a note as PDF,
reverse a note. Each is a few lines around one service call through the runner (ui/actions.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QFileDialog, QWidget

from jxc_desktop.reports.purchase_note import Shop, render, render_bytes, title_of
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import Note
from jxc_desktop.services.safety import pin
from jxc_desktop.ui import actions
from jxc_desktop.ui.errors import confirm, show_error
from jxc_desktop.ui.guard import ensure_owner
from jxc_desktop.ui.i18n import documents_dir, tr

T = TypeVar("T")


def run_confirmed(parent: QWidget | None, call: Callable[[bool], T]) -> T | None:
    """``call(confirmed)`` through the runner (ui/actions.py): when the service asks for a
    confirmation (doubtful dates, stock going below zero under the warn policy) ask the user and
    call again. None when refused or failed."""
    return actions.run_confirmed(parent, call).value


def _shop_and_supplier(services: Services, note: Note):  # type: ignore[no-untyped-def]
    shop = Shop.from_settings(services.settings.all())
    supplier = services.suppliers.get(note.supplier_id) if note.supplier_id else None
    return shop, supplier


def note_pdf(services: Services, note: Note) -> bytes:
    shop, supplier = _shop_and_supplier(services, note)
    return render_bytes(note, shop=shop, supplier=supplier)


def save_note_pdf(parent: QWidget | None, services: Services, note: Note, path: str = "") -> Path | None:
    """Write the note's PDF; asks where unless ``path`` is given."""
    if not path:
        suggested = documents_dir(f"{note.number}.pdf")
        path, _filter = QFileDialog.getSaveFileName(parent, tr("Save PDF"), suggested, tr("PDF files (*.pdf)"))
        if not path:
            return None
    shop, supplier = _shop_and_supplier(services, note)
    try:
        return render(path, note, shop=shop, supplier=supplier)
    except OSError as exc:
        show_error(parent, exc)
        return None


def print_note(parent: QWidget | None, services: Services, note: Note) -> None:
    from jxc_desktop.ui.printing import print_pdf

    print_pdf(parent, note_pdf(services, note), printer_name=services.settings.get("printer_name"), preview=True,
              title=f"{title_of(note)} {note.number}")


def reverse_note(parent: QWidget | None, services: Services, note: Note, *, ask: bool = True) -> Note | None:
    """红冲 after a confirmation (and the owner's PIN when one is set)."""
    if ask and not confirm(parent, tr("Reverse note {number}? The opposite stock moves are written; the note "
                                      "stays on file marked as reversed.").format(number=note.number)):
        return None
    if not ensure_owner(parent, services, pin.REVERSAL):
        return None
    return run_confirmed(parent, lambda ok: services.purchasing.reverse(note.id, confirmed=ok))
