"""帮助 → 快速入门 / 快捷键: the shop day in 8 steps and the keys of each tab, built into the program
(no internet at the till). Every line goes through tr(), so it reads in Chinese or English with the
rest of the window; the key lists follow the shortcuts the tabs really install.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from jxc_desktop.ui.i18n import tr

QUICK_START, SHORTCUTS = 0, 1


def quick_start_steps() -> list[tuple[str, str]]:
    """(title, what to do) for each step of a shop day."""
    return [
        (tr("Set up the shop"),
         tr("Settings → Shop settings: the shop name for the receipts. Settings → Owner PIN keeps costs, "
            "profit and refunds for the owner. Settings → Backup folder: a USB stick is safest.")),
        (tr("Enter the products"),
         tr("Products tab: Ctrl+N for a new product (name, price, barcode, category), or File → Import "
            "products… from an Excel or CSV list.")),
        (tr("Receive the goods"),
         tr("Purchasing tab: choose the supplier, scan each item, check quantity and cost, F9 posts the "
            "note (入库). An unknown barcode offers to create the product on the spot.")),
        (tr("Sell at the till"),
         tr("Checkout tab: scan, or type pinyin initials and Enter. F2 changes the quantity, F6 deletes a "
            "line, F12 pays: type the cash received and the change shows.")),
        (tr("Hold a sale, take returns"),
         tr("F8 holds the cart with a note while the customer fetches something; F9 brings it back. "
            "F10 takes a return by the number on the receipt.")),
        (tr("Watch the stock"),
         tr("Stock tab: what is low, what expires soon. Purchasing → Reorder suggestions fills a purchase "
            "note from what sells.")),
        (tr("Count the shelves"),
         tr("Stock count tab: start a count, scan each item (+1 per scan) or type the quantity; selling "
            "may go on. Post the count to correct the stock.")),
        (tr("Close the day"),
         tr("Reports tab: today's sales and profit. At the till, F11 then F5 prints the end-of-day summary. "
            "File → Back up now, then Ctrl+Q: a cart still open is held and a purchase note is kept "
            "as a draft.")),
    ]


def shortcut_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(tab, [(keys, what they do)]) as installed by the window and its tabs."""
    return [
        (tr("Everywhere"), [
            ("Ctrl+1 … Ctrl+7", tr("Switch to the tabs, from left to right")),
            ("Ctrl+L", tr("Lock: the owner PIN is needed again")),
            ("Ctrl+Q", tr("Quit (the cart is held, a purchase note kept as a draft)")),
            ("F1", tr("This quick start")),
        ]),
        (tr("Checkout"), [
            ("Enter", tr("Add the scanned or chosen product")),
            ("F2", tr("Quantity")), ("F3", tr("Price")), ("F4", tr("Line discount")),
            ("F5", tr("Sale discount")), ("F6", tr("Delete line")), ("F7", tr("Clear")),
            ("F8", tr("Hold")), ("F9", tr("Resume")), ("F10", tr("Return")), ("F11", tr("Reprint")),
            ("F12", tr("Pay")), ("Shift+F12", tr("On account (挂账): a chosen customer's account")),
            (tr("In the pay window"), tr("Enter: pay    F2/F3/F4: all by WeChat/Alipay/card    Esc: back to the cart")),
        ]),
        (tr("Products"), [
            ("Ctrl+N", tr("New product")), ("Ctrl+F", tr("Search")), ("Enter", tr("Edit the chosen product")),
        ]),
        (tr("Purchasing"), [
            ("Enter", tr("Add the scanned or chosen product")), ("Delete", tr("Remove line")),
            ("Ctrl+S", tr("Save draft")), ("F9", tr("Post the purchase note (入库)")),
        ]),
        (tr("Stock count"), [
            ("Enter", tr("Scan: +1 for the item; a product chosen from the list opens its Counted cell")),
        ]),
    ]


def quick_start_html() -> str:
    items = "".join(f"<li><b>{escape(title)}</b><br>{escape(text)}</li>" for title, text in quick_start_steps())
    return (f"<h3>{escape(tr('A shop day in 8 steps'))}</h3>"
            f"<ol style='line-height: 140%'>{items}</ol>")


def shortcuts_html() -> str:
    parts = []
    for section, keys in shortcut_sections():
        rows = "".join(f"<tr><td style='padding-right: 16px'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>"
                       for k, v in keys)
        parts.append(f"<h4>{escape(section)}</h4><table cellspacing='2'>{rows}</table>")
    return "".join(parts)


class HelpDialog(QDialog):
    """Modeless, so the owner can follow the steps in the window behind it."""

    def __init__(self, parent: QWidget | None = None, page: int = QUICK_START) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Help"))
        self.resize(640, 560)
        self.pages = QTabWidget()
        self.quick_start = QTextBrowser()
        self.quick_start.setHtml(quick_start_html())
        self.shortcuts = QTextBrowser()
        self.shortcuts.setHtml(shortcuts_html())
        self.pages.addTab(self.quick_start, tr("Quick start"))
        self.pages.addTab(self.shortcuts, tr("Keyboard shortcuts"))
        self.pages.setCurrentIndex(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)
