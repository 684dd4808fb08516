"""The members' money settings inside the till settings: points earned per yuan paid, points that
pay one yuan, points on promoted lines, and the stored value above which the owner approves."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QSpinBox, QWidget

from jxc_desktop.ui.i18n import tr


def _spin(lo: int, hi: int, value: str, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setSuffix(suffix)
    spin.setValue(int(value) if value.isascii() and value.isdigit() else lo)
    return spin


class MemberMoneyForm(QGroupBox):
    def __init__(self, values: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(tr("Members: points and stored value"), parent)
        self.per_yuan = _spin(0, 100, values["member_points_per_yuan"], tr(" points per yuan paid"))
        self.rate = _spin(1, 100_000, values["member_points_redeem_rate"], tr(" points pay 1 yuan"))
        self.promoted = QCheckBox(tr("Lines at a special price or in a quantity deal earn points too"))
        self.promoted.setChecked(values["member_points_on_promoted"] == "1")
        self.limit = _spin(0, 1_000_000, values["member_sv_pin_limit"], tr(" yuan (0: never)"))
        form = QFormLayout(self)
        form.addRow(tr("Earning points"), self.per_yuan)
        form.addRow(tr("Paying with points"), self.rate)
        form.addRow("", self.promoted)
        form.addRow(tr("Owner PIN for stored value above"), self.limit)

    def values(self) -> dict[str, str]:
        return {"member_points_per_yuan": str(self.per_yuan.value()),
                "member_points_redeem_rate": str(self.rate.value()),
                "member_points_on_promoted": "1" if self.promoted.isChecked() else "0",
                "member_sv_pin_limit": str(self.limit.value())}
