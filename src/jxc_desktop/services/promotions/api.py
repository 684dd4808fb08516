"""Public face of the promotions package for the other process packages: the rules running at a
moment, and a till cart priced with them, in the caller's transaction."""

from __future__ import annotations

from jxc_desktop.services.promotions.dto import CartItem, PreviewLine, PromotionDTO, PromotionInput
from jxc_desktop.services.promotions.service import price_cart_in, rules_in

__all__ = ["CartItem", "PreviewLine", "PromotionDTO", "PromotionInput", "price_cart_in", "rules_in"]
