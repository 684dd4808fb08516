"""What needs the owner when a PIN is set: the action names the window, ``jxc`` and the PIN
service share (services/safety/pin.py re-exports them). Plain names without the PIN service, so
``jxc`` can tell which commands need the owner before it loads the database layer (issue 15)."""

from __future__ import annotations

REFUND = "refund"  # customer returns / refunds
PRICE_CHANGE = "price_change"  # a price change or a discount above the limit at the till
REVERSAL = "reversal"  # 红冲 of a posted document
POST_COUNT = "post_count"
STOCK_ADJUST = "stock_adjust"
DELETE_HELD = "delete_held_sale"
SETTINGS = "settings"
BACKUP = "backup"
RESTORE = "restore"
VIEW_PROFIT = "view_profit"  # costs, profit and reports
EDIT_DATA = "edit_data"  # other data-changing commands (jxc)
STAFF = "staff"  # the staff list: adding people, resetting a cashier's PIN
PROTECTED_ACTIONS = (REFUND, PRICE_CHANGE, REVERSAL, POST_COUNT, STOCK_ADJUST, DELETE_HELD, SETTINGS, BACKUP,
                     RESTORE, VIEW_PROFIT, EDIT_DATA, STAFF)
# Where the PIN's hash is kept (a ``setting`` row): whether a PIN is set at all is read by ``jxc``
# with sqlite3 alone before a protected command that only reads (cli/owner.py, issue 15).
HASH_KEY = "sys.pin_hash"
