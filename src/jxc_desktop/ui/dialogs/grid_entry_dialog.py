"""Quantities of a style typed by colour × size (ui/widgets/size_grid.py) for a purchase note, a
count or a return to a supplier. The caller turns ``entries()`` into its own lines."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.variants import Colour, Grid
from jxc_desktop.services.catalog.dto import StyleDTO, VariantDTO
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.size_grid import Cell, SizeGrid


class GridEntryDialog(QDialog):
    """``entries()`` after accept: (variant, qty) per cell typed; with ``keep_zero`` False (a note)
    only the non-zero ones, with True (a count) a typed 0 too."""

    def __init__(self, style: StyleDTO, title: str, *, initial: dict[Cell, int] | None = None,
                 keep_zero: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.style_dto = style
        self.keep_zero = keep_zero
        active = {(v.colour_code, v.size) for v in style.variants if v.active}
        inactive = frozenset((c, s) for c, _n in style.colours for s in style.sizes) - active
        grid = Grid(tuple(Colour(c, n) for c, n in style.colours), style.sizes, dict(initial or {}), inactive)
        self.grid = SizeGrid(grid, parent=self)
        head = QLabel(tr("{code} {name}  Retail {price}  (type a quantity in each cell; Tab moves on)").format(
            code=style.code, name=style.name, price=format_fen(style.sale_price)))
        head.setWordWrap(True)
        self.total_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.grid)
        layout.addWidget(self.total_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.grid.changed.connect(self._show_total)
        self._show_total()
        self.resize(140 + 70 * (len(style.sizes) + 1), 150 + 30 * len(style.colours))

    def _show_total(self) -> None:
        self.total_label.setText(tr("Total {qty} {unit}").format(qty=format_qty(self.grid.total()),
                                                                unit=self.style_dto.unit))

    def entries(self) -> list[tuple[VariantDTO, int]]:
        """The typed cells as (variant, qty thousandths), row by row; ValidationError on a bad cell."""
        typed = self.grid.quantities()
        out = []
        for v in self.style_dto.variants:
            qty = typed.get((v.colour_code, v.size))
            if qty is not None and (qty or self.keep_zero):
                out.append((v, qty))
        return out

    def accept(self) -> None:
        try:
            self.entries()
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            return
        super().accept()
