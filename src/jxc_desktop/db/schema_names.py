"""The names of the tables and indexes the models declare (db/models.py), written out.

The schema check before a file's first write (db/health.py) compares ``sqlite_master`` with these
names; written out here, it needs neither SQLAlchemy nor the models, so ``jxc`` can check a file
before writing into it with sqlite3 alone (issue 15). tests/unit/test_schema_names.py fails, printing
the lists to paste here, when a model or an index is added, renamed or dropped.
"""

from __future__ import annotations

TABLES = frozenset({
    "account_entry", "allocation", "audit_log", "barcode", "batch", "cash_move", "category", "customer",
    "held_sale", "member_level", "money_doc", "payment", "person", "points_move", "product", "promotion",
    "promotion_category", "promotion_product", "purchase", "purchase_line", "sale", "sale_line", "sale_promotion",
    "sequence", "setting", "shift", "stock_count", "stock_count_line", "stock_move", "stored_value_move", "style",
    "style_colour", "style_size", "supplier"
})

INDEXES = frozenset({
    "ix_account_entry_customer", "ix_account_entry_doc", "ix_account_entry_supplier", "ix_allocation_credit_id",
    "ix_allocation_debit_id", "ix_audit_log_action", "ix_audit_log_at", "ix_barcode_primary",
    "ix_barcode_product_id", "ix_batch_expiry_date", "ix_batch_product_id", "ix_cash_move_at",
    "ix_cash_move_shift_id", "ix_category_parent_id", "ix_customer_card_no", "ix_customer_member_level_id",
    "ix_customer_phone", "ix_money_doc_customer_id", "ix_money_doc_doc_date", "ix_money_doc_supplier_id",
    "ix_payment_sale_id", "ix_points_move_at", "ix_points_move_customer", "ix_points_move_sale_id",
    "ix_product_active", "ix_product_category_id", "ix_product_last_supplier_id", "ix_product_name",
    "ix_product_pinyin", "ix_product_pinyin_key", "ix_product_style_id", "ix_promotion_category_category_id",
    "ix_promotion_ends", "ix_promotion_product_product_id", "ix_purchase_doc_date", "ix_purchase_line_product_id",
    "ix_purchase_line_purchase_id", "ix_purchase_status", "ix_purchase_supplier_id", "ix_sale_created_at",
    "ix_sale_customer_id", "ix_sale_day_kind_status", "ix_sale_line_category", "ix_sale_line_origin_line_id",
    "ix_sale_line_product_day", "ix_sale_line_product_id", "ix_sale_line_report", "ix_sale_line_sale_id",
    "ix_sale_line_sold_product", "ix_sale_member_id", "ix_sale_origin_id", "ix_sale_promotion_promotion_id",
    "ix_sale_promotion_sale_id", "ix_sale_promotion_sale_line_id", "ix_sale_shift_id", "ix_shift_opened_at",
    "ix_shift_person_id", "ix_stock_count_line_count_product", "ix_stock_count_line_product_id",
    "ix_stock_count_status", "ix_stock_move_batch_id", "ix_stock_move_doc", "ix_stock_move_doc_line_id",
    "ix_stock_move_fixes", "ix_stock_move_product_created", "ix_stock_move_product_id_id", "ix_stock_move_time",
    "ix_stored_value_move_at", "ix_stored_value_move_customer", "ix_stored_value_move_number",
    "ix_stored_value_move_sale_id", "ix_style_category_id", "ix_style_colour_style_id", "ix_style_size_style_id",
    "uq_shift_open_till"
})
