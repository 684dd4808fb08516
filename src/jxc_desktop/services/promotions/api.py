"""Public face of the promotions package for the other process packages: the rules running at a
moment, in the caller's transaction (the till applies them with domain/promotions.apply_promotions)."""

from __future__ import annotations

from jxc_desktop.services.promotions.dto import PreviewLine, PromotionDTO, PromotionInput
from jxc_desktop.services.promotions.service import rules_in

__all__ = ["PreviewLine", "PromotionDTO", "PromotionInput", "rules_in"]
