"""Which module holds each ``jxc`` command, and the one-line help ``jxc --help`` lists for it.

``jxc`` builds the real parser of the one command group it runs and only these lines for the
others, so ``jxc --help`` and every command start without importing the services, SQLAlchemy,
ReportLab or openpyxl (issue 15: ``jxc --help`` < 0.2 s). The lines are the commands' own help
texts: tests/unit/test_cli_lazy.py fails when a module's ``register()`` says otherwise.
"""

from __future__ import annotations

# Module (under jxc_desktop.cli) -> its top-level commands with their help, in `jxc --help` order.
COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "core": (
        ("init", "create or upgrade the database and print its path and schema revision"),
    ),
    "purchase": (
        ("suppliers", "suppliers (供应商): list, add"),
        ("purchase", "purchase notes (进货): import a delivery note, print, list"),
    ),
    "catalog": (
        ("demo", "fill an empty database with a demo shop (products, stock, history)"),
        ("check", "check the file (SQLite integrity) and the stock ledger; exit 1 on problems"),
        ("products", "export, import or search the product list"),
    ),
    "styles": (
        ("styles", "styles (款号) by colour × size: list, grid, sell-through, broken sizes"),
    ),
    "sales": (
        ("sales", "sales and customer returns (收银)"),
        ("receipt", "write the receipt of a sale or return as PDF"),
    ),
    "safety": (
        ("backup", "make a checked backup copy (default: the backup folder) or list copies"),
        ("restore", "replace the data file by a backup (the current file is kept first)"),
        ("pin", "the owner PIN (老板密码): set, clear, status, or reset when forgotten"),
        ("audit", "the audit trail, newest first (tab-separated)"),
    ),
    "stock": (
        ("count", "stock counts (盘点): import a collector file, post, print"),
        ("stock", "current stock: code, barcode, name, qty, average cost and value (fen)"),
    ),
    "report": (
        ("report", "reports: profit, purchases, stock value, turnover, slow movers, expiry"),
    ),
    "labels": (
        ("labels", "price tags and barcode labels (价签、条码标签) as PDF"),
    ),
    "forecast": (
        ("reorder", "reorder suggestions (补货建议) by the flat 28-day rule or the seasonal forecast"),
    ),
    "accounts": (
        ("customers", "customers (客户): list, add"),
        ("accounts", "balances owed (往来): payable to suppliers, receivable from customers"),
        ("pay", "a payment to a supplier (付款单), allocated oldest first"),
        ("collect", "a collection from a customer (收款单), allocated oldest first"),
        ("statement", "a supplier's or customer's statement (对账单) for a period"),
    ),
    "staff": (
        ("staff", "the owner and the cashiers: list, add, reset a PIN (owner PIN required)"),
        ("shifts", "shifts (交班): cashier, opened, closed, cash expected, counted, over/short"),
        ("shift", "one shift: write its slip (交班单) as PDF"),
    ),
    "promotions": (
        ("promotions", "promotions (促销): list, import"),
    ),
    "server": (
        ("move-to-server", "copy this shop file into an empty PostgreSQL database and compare"),
    ),
    "members": (
        ("members", "members (会员): add, list, show, levels"),
    ),
}

# Options of `jxc` itself that take a value (argparse also accepts a unique prefix: --d, --pin).
VALUE_OPTIONS = ("--db", "--pin-file")


def module_of(command: str) -> str | None:
    for module, commands in COMMANDS.items():
        if any(name == command for name, _ in commands):
            return module
    return None


def command_in(argv: list[str]) -> str | None:
    """The command word of a ``jxc`` command line (what argparse will take as COMMAND), or None."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        if word.startswith("-") and word != "-":
            if "=" not in word and len(word) > 2 and any(opt.startswith(word) for opt in VALUE_OPTIONS):
                i += 1  # its value follows
            i += 1
            continue
        return word
    return None


def only_values_before(argv: list[str]) -> bool:
    """Whether nothing but ``--db``/``--pin-file`` and their values comes before the command word:
    then argparse can show neither ``jxc --help`` nor an error listing the commands, and the other
    groups' commands need not be built at all (33 sub-parsers: ~12 ms of every command)."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if not word.startswith("-") or word == "-":
            return True
        name = word.split("=", 1)[0]
        if len(name) <= 2 or not any(opt.startswith(name) for opt in VALUE_OPTIONS):
            return False  # -h, --help, --version, --: jxc itself answers
        i += 1 if "=" in word else 2
    return False
