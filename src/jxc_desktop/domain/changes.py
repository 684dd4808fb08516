"""The kinds of data a write can change, as the windows think of them (what a view shows).

The database names them after each commit (db/changes.py); the window's change bus tells the views
that show them (ui/changes.py). Pure Python: every layer may use it.
"""

from __future__ import annotations

import enum


class Change(enum.Flag):
    NONE = 0
    PRODUCTS = enum.auto()  # products, barcodes, categories
    STOCK = enum.auto()  # ledger moves, batches
    SALES = enum.auto()  # sales and returns, their lines and payments
    HELD = enum.auto()  # held carts
    PURCHASES = enum.auto()  # purchase notes and their lines
    SUPPLIERS = enum.auto()
    COUNTS = enum.auto()  # stock counts and their lines
    SETTINGS = enum.auto()  # shop settings, PIN
    AUDIT = enum.auto()
    BACKUPS = enum.auto()  # a copy was made (files, not tables: the runner says so)
    CUSTOMERS = enum.auto()
    ACCOUNTS = enum.auto()  # money owed: account entries, payments and collections, allocations
    PROMOTIONS = enum.auto()  # promotions and their products and categories
    DOCUMENTS = SALES | PURCHASES | COUNTS
    ALL = PRODUCTS | STOCK | SALES | HELD | PURCHASES | SUPPLIERS | COUNTS | SETTINGS | AUDIT | BACKUPS | CUSTOMERS | ACCOUNTS | PROMOTIONS
