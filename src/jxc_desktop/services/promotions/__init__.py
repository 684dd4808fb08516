"""Promotions (特价, 买N付M, 第N件X%, 满减): stored, validated, listed, imported and previewed; the rules
that price a cart are the pure domain/promotions.py."""
