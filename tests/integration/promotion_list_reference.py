"""The SQLAlchemy read of the promotions list before session 17 made it SQL text
(promotions/promotion_list.py): records.load with no filter, as PromotionService.list called it.
The till still reads its running rules through records.load, so the reference is that very function
(test_promotion_list_reference.py), not a copy of it."""

from __future__ import annotations

from jxc_desktop.services.promotions.records import load

__all__ = ["load"]
