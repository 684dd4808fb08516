"""What a new, empty shop can start from: the demo shop's categories (饮料, 零食, 日用品…), offered on
the welcome screen, so the first product form has categories to choose from."""

from __future__ import annotations

from jxc_desktop.services.catalog.products import CatalogService

# The same ten the demo shop uses (tests/unit/test_layering keeps them in step); written out here
# because a service may not depend on the demo, which sits above the services.
STARTER_CATEGORIES: tuple[str, ...] = ("饮料", "零食", "日用品", "粮油", "烟酒", "乳品", "冷冻食品", "调味品", "生鲜",
                                       "个人护理")


def add_starter_categories(catalog: CatalogService) -> list[str]:
    """Create the starter categories the shop does not have yet; returns those added."""
    have = {c.name for c in catalog.categories()}
    added = [name for name in STARTER_CATEGORIES if name not in have]
    for name in added:
        catalog.create_category(name)
    return added
