"""设置 → 迁移到服务器…: the shop file copied into an empty PostgreSQL database (issue 21), the same
use case as ``jxc move-to-server`` (services/safety/move_to_server.py).

The copy runs off the GUI thread with a progress dialog (ui/tasks.py); Cancel stops it between two
batches and the server transaction is rolled back, so the server database stays empty. When it is
done the dialog shows the figures of both sides and the two books checks; the shop file is not
changed either way (the tills are pointed at the server by hand: README, "A second till").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.move_to_server import POINT_FIGURES, MoveResult, move_to_server
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.tasks import Task, run_task

_FIGURES = (
    ("stock_value", "Stock value"),
    ("net_sales_12m", "Net sales, last 12 months"),
    ("gross_profit_12m", "Gross profit, last 12 months"),
    ("payable", "Owed to suppliers"),
    ("receivable", "Owed by customers"),
    ("member_stored_value", "Members' stored value"),
    ("member_points", "Members' points"),
)


class MoveDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.result_: MoveResult | None = None
        self.task: Task | None = None
        self.setWindowTitle(tr("Move to a server"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Copies this shop file into an EMPTY PostgreSQL database, then checks both and compares "
                          "their figures. The shop file is not changed. Afterwards start each till with the "
                          "server's address (--db or JXC_DB)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://jxc:密码@192.168.1.10/shop")
        form.addRow(tr("Server database"), self.url)
        layout.addLayout(form)
        self.table = QTableWidget(len(_FIGURES), 3)
        self.table.setHorizontalHeaderLabels([tr("Figure"), tr("File"), tr("Server")])
        self.table.verticalHeader().setVisible(False)
        self.table.setVisible(False)
        layout.addWidget(self.table)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.move_button = self.buttons.addButton(tr("Move"), QDialogButtonBox.ButtonRole.ActionRole)
        self.move_button.clicked.connect(lambda: self.start())
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if services.db.on_server:
            self.move_button.setEnabled(False)
            self.verdict.setText(tr("This shop is already on a server."))

    def start(self) -> Task | None:
        url = self.url.text().strip()
        if not url.lower().startswith(("postgresql://", "postgres://")):
            self.verdict.setText(tr("Give the server database as postgresql://user:password@host/database"))
            return None
        self.move_button.setEnabled(False)
        self.verdict.setText(tr("Moving…"))
        db = self.services.db

        def work(progress: Any) -> MoveResult:
            def step(stage: str, done: int, total: int) -> None:
                if stage == "copy":
                    progress(done, total)  # raises Cancelled after Cancel: the copy is rolled back
            return move_to_server(db, url, progress=step)

        def failed(_exc: BaseException) -> bool:
            self.move_button.setEnabled(True)
            self.verdict.setText(tr("Nothing was moved."))
            return False  # the standard error message is shown (a cancel shows none)

        self.task = run_task(self, tr("Moving the shop to the server…"), work, self.show_result, failed)
        return self.task

    def show_result(self, result: MoveResult) -> None:
        self.result_ = result
        theirs = result.target.as_dict()
        for row, (key, label) in enumerate(_FIGURES):
            ours = result.source.as_dict()[key]
            self.table.setItem(row, 0, QTableWidgetItem(tr(label)))
            fmt = str if key in POINT_FIGURES else format_fen  # points are a count, not fen
            self.table.setItem(row, 1, QTableWidgetItem(fmt(ours)))
            item = QTableWidgetItem(fmt(theirs[key]) + ("" if ours == theirs[key] else "  ≠"))
            self.table.setItem(row, 2, item)
        self.table.resizeColumnsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setMinimumHeight(rows_height + self.table.horizontalHeader().height() + 4)
        self.table.setVisible(True)
        self.adjustSize()
        if result.ok:
            text = tr("Moved {rows} rows in {seconds:.0f} s; both checks are clean and every figure agrees. Start "
                      "each till with this server database.").format(rows=result.rows, seconds=result.seconds)
        else:
            problems = [p.detail for p in (*result.source_check.problems, *result.target_check.problems)][:3]
            text = tr("The two sides do not agree: keep using the shop file. {details}").format(
                details="; ".join(problems))
        self.verdict.setText(text)
