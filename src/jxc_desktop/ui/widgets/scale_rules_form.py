"""The scale-barcode rules as a form (收银设置 → 秤码规则): per rule its prefix, item digits, weight or
price digits and check digit, with the pattern and a sample label decoded live, and a box to try a
real label. The patterns, their checks and decoding are domain/scale_barcode.py's; this only edits."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain import scale_barcode as sb
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.ui.i18n import tr


def describe(code: sb.ScaleCode) -> str:
    if code.weight is not None:
        return tr("item {item}, weight {kg} kg").format(item=code.item, kg=format_qty(code.weight))
    return tr("item {item}, price {amount}").format(item=code.item, amount=format_fen(code.amount or 0))


class RuleRow:
    """One rule's widgets in the form's grid; a rule laid out another way is kept as typed."""

    def __init__(self, form: ScaleRulesForm, pattern: str) -> None:
        self.form = form
        layout = sb.layout_of(pattern) if pattern else sb.RuleLayout("2", 5, "weight", 5)
        self.custom = pattern if layout is None else ""
        layout = layout or sb.RuleLayout("2", 5, "weight", 5)
        self.prefix = QLineEdit(layout.prefix)
        self.prefix.setMaxLength(11)
        self.prefix.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9Xx]*")))
        self.prefix.setToolTip(tr("Starts with 2; X stands for any digit"))
        self.prefix.setMaximumWidth(70)
        self.item = QSpinBox()
        self.value = QSpinBox()
        for spin, n in ((self.item, layout.item_digits), (self.value, layout.value_digits)):
            spin.setRange(1, 11)
            spin.setValue(n)
        self.kind = QComboBox()
        self.kind.addItem(tr("weight (g)"), "weight")
        self.kind.addItem(tr("price (fen)"), "price")
        self.kind.setCurrentIndex(max(0, self.kind.findData(layout.kind)))
        self.check = QCheckBox(tr("check digit"))
        self.check.setChecked(layout.check_digit)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.remove = QPushButton(tr("Remove"))
        self.widgets: list[QWidget] = [self.prefix, self.item, self.kind, self.value, self.check, self.result,
                                       self.remove]
        for w in (self.prefix, self.item, self.kind, self.value, self.check):
            w.setEnabled(not self.custom)
        self.prefix.textChanged.connect(form.changed_rules)
        self.item.valueChanged.connect(form.changed_rules)
        self.value.valueChanged.connect(form.changed_rules)
        self.kind.currentIndexChanged.connect(form.changed_rules)
        self.check.toggled.connect(form.changed_rules)
        self.remove.clicked.connect(lambda: form.remove_row(self))

    def pattern(self) -> str:
        """The 13-character rule; raises the domain's ValidationError when the parts do not fit."""
        if self.custom:
            return self.custom
        return sb.RuleLayout(self.prefix.text(), self.item.value(), str(self.kind.currentData()),
                             self.value.value(), self.check.isChecked()).pattern()

    def refresh(self) -> None:
        try:
            pattern = self.pattern()
            rule = sb.parse_rules(pattern)[0]
        except JxcError as exc:
            self.result.setStyleSheet("color: #b00020")
            self.result.setText(exc.message)
            return
        example = sb.example_code(rule)
        decoded = sb.decode(example, [rule])
        kept = tr(" (laid out by hand: kept as typed)") if self.custom else ""
        self.result.setStyleSheet("")
        self.result.setText(tr("{pattern}{kept} · e.g. {example} → {meaning}").format(
            pattern=pattern, kept=kept, example=example, meaning=describe(decoded) if decoded else "?"))


class ScaleRulesForm(QWidget):
    """``text()`` is the setting's value (rules joined by ';'); ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, rules: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RuleRow] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        for col, title in enumerate((tr("Prefix"), tr("Item digits"), tr("Carries"), tr("Digits"), "",
                                     tr("Pattern and example"))):
            self.grid.addWidget(QLabel(title), 0, col)
        self.grid.setColumnStretch(5, 1)
        self.add_button = QPushButton(tr("Add rule"))
        self.add_button.clicked.connect(lambda: self.add_row(""))
        self.try_edit = QLineEdit()
        self.try_edit.setPlaceholderText(tr("Scan or type a scale label to try the rules"))
        self.try_edit.setMaxLength(32)
        self.try_result = QLabel()
        self.try_edit.textChanged.connect(self._try_label)
        hint = QLabel(tr("Labels printed by the scale start with 2; the first rule that fits a label wins."))
        hint.setWordWrap(True)
        trial = QHBoxLayout()
        trial.addWidget(self.try_edit, 1)
        trial.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(hint)
        lay.addLayout(self.grid)
        lay.addLayout(trial)
        lay.addWidget(self.try_result)
        self.setText(rules)

    def setText(self, rules: str) -> None:  # noqa: N802 - reads like the QLineEdit it replaced
        """Show the rules of a setting value (a pattern the form cannot split is kept as typed)."""
        for row in list(self.rows):
            self.remove_row(row)
        try:
            patterns = [r.pattern for r in sb.parse_rules(rules)]
        except JxcError:  # a bad stored value: kept as custom rows, saving says why
            patterns = [p.strip().upper() for p in rules.replace(",", ";").split(";") if p.strip()]
        for pattern in patterns:
            self.add_row(pattern)

    def add_row(self, pattern: str) -> RuleRow:
        row = RuleRow(self, pattern)
        self.rows.append(row)
        self._relayout()
        self.changed_rules()
        return row

    def remove_row(self, row: RuleRow) -> None:
        self.rows.remove(row)
        for w in row.widgets:
            self.grid.removeWidget(w)
            w.hide()  # until deleted it would still paint where it was
            w.deleteLater()
        self._relayout()
        self.changed_rules()

    def _relayout(self) -> None:
        for r, row in enumerate(self.rows, start=1):
            for c, w in enumerate(row.widgets):
                self.grid.addWidget(w, r, c)

    def text(self) -> str:
        """The rules for the setting; raises ValidationError for a rule whose parts do not fit."""
        return ";".join(row.pattern() for row in self.rows)

    def changed_rules(self) -> None:
        for row in self.rows:
            row.refresh()
        self._try_label(self.try_edit.text())
        self.changed.emit()

    def _try_label(self, text: str) -> None:
        code = text.strip()
        if not code:
            self.try_result.clear()
            return
        try:
            rules = sb.parse_rules(self.text())
        except JxcError as exc:
            self.try_result.setText(exc.message)
            return
        decoded = sb.decode(code, rules)
        self.try_result.setText(tr("{code} → {meaning}").format(code=code, meaning=describe(decoded)) if decoded
                                else tr("{code} is not a scale label under these rules").format(code=code))
