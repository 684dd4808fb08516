"""Every setting the program knows, with its default: the one list the settings service
(settings.py) and the plain reader of a stored setting (stored_settings.py, for a command that reads
the file with sqlite3 alone: issue 15) both take them from. Standard library only."""

from __future__ import annotations

# Every setting the program knows, with its default (as stored text).
DEFAULTS: dict[str, str] = {
    "shop_name": "",
    "shop_address": "",
    "shop_phone": "",
    "receipt_header": "",
    "receipt_footer": "谢谢惠顾，欢迎再次光临！",
    "receipt_width_mm": "80",
    "negative_stock": "warn",  # block | warn | allow
    "expiry_warning_days": "90",
    "block_expired_sale": "1",
    "language": "",  # "" = follow the system, zh_CN, en
    "auto_print_receipt": "0",
    "printer_name": "",
    "max_line_discount_pct": "50",
    "max_sale_discount_pct": "30",
    "reorder_cover_days": "7",
    "reorder_lead_days": "3",  # lead time of a supplier without its own (seasonal reorder rule)
    "reorder_service_level": "95",  # percent of order cycles without a stock-out: safety stock z
    "abc_a_pct": "80",  # ABC classes: A = the first 80 % of the whole
    "abc_b_pct": "15",  # B = the next 15 %; C = the rest
    "welcome_done": "0",
    "backup_dir": "",  # "" = a "backups" folder beside the data file (services/safety/backup.py)
    "scale_barcode_rules": "21IIIIIWWWWWC;22IIIIIPPPPPC",  # domain/scale_barcode.py
    # the receipt printer (services/shop/printer_setup.py): through the system (Qt) or ESC/POS direct
    "printer_kind": "system",  # system | usb | serial | network | none
    "escpos_usb": "",  # vendor:product in hex, e.g. 0416:5011
    "escpos_serial": "",  # a port: /dev/ttyUSB0, COM3
    "escpos_baud": "9600",
    "escpos_network": "",  # host:port, e.g. 192.168.1.50:9100
    "drawer_on_cash": "0",  # kick the cash drawer after a cash sale or refund
    # staff and shifts (services/staff)
    "till_id": "1",  # this program's till: one open shift per till
    "use_shifts": "0",  # a sale needs an open shift (交班)
    "cashier_no_pin": "0",  # cashiers sign in by picking their name
    "idle_sign_out_min": "0",  # sign the cashier out after this many idle minutes; 0 = never
    # members' money (services/members/money_rules.py): points earned per yuan paid, points that pay
    # one yuan, points on promoted lines (0 = none), stored value paid above this many yuan needs the
    # owner PIN (0 = never)
    "member_points_per_yuan": "1",
    "member_points_redeem_rate": "100",
    "member_points_on_promoted": "0",
    "member_sv_pin_limit": "500",
}
