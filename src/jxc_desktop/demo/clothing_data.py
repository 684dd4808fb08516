"""Word lists for the clothing demo shop (``jxc demo --kind clothing``): garments by category with
their size group, season and price range, colours with codes, brands and suppliers.

Pure data and a seeded generator; nothing here touches the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from jxc_desktop.domain.variants import SIZE_GROUPS


@dataclass(frozen=True)
class Garment:
    category: str
    name: str
    size_group: str
    seasons: tuple[str, ...]
    price: tuple[int, int]  # retail range, yuan


GARMENTS: tuple[Garment, ...] = (
    Garment("上衣", "圆领T恤", "S-XXL", ("夏",), (59, 129)),
    Garment("上衣", "POLO衫", "S-XXL", ("夏",), (99, 199)),
    Garment("上衣", "衬衫", "S-XXL", ("春", "秋"), (129, 259)),
    Garment("上衣", "卫衣", "S-XXL", ("春", "秋"), (149, 269)),
    Garment("上衣", "针织开衫", "S-XXL", ("春", "秋"), (159, 299)),
    Garment("上衣", "毛衣", "S-XXL", ("冬",), (199, 399)),
    Garment("外套", "牛仔外套", "S-XXL", ("春", "秋"), (199, 359)),
    Garment("外套", "风衣", "S-XXL", ("秋",), (299, 599)),
    Garment("外套", "羽绒服", "S-XXL", ("冬",), (399, 899)),
    Garment("外套", "棉服", "S-XXL", ("冬",), (259, 499)),
    Garment("裤装", "牛仔裤", "26-34", ("四季",), (129, 269)),
    Garment("裤装", "休闲裤", "26-34", ("春", "秋"), (119, 229)),
    Garment("裤装", "短裤", "26-34", ("夏",), (69, 139)),
    Garment("裤装", "运动裤", "S-XXL", ("四季",), (99, 189)),
    Garment("裙装", "连衣裙", "S-XXL", ("夏", "春"), (159, 359)),
    Garment("裙装", "半身裙", "S-XXL", ("夏", "秋"), (99, 229)),
    Garment("鞋", "帆布鞋", "35-40", ("四季",), (99, 199)),
    Garment("鞋", "运动鞋", "36-44", ("四季",), (199, 459)),
    Garment("鞋", "靴子", "35-40", ("冬",), (299, 599)),
    Garment("配饰", "围巾", "均码", ("冬",), (49, 129)),
    Garment("配饰", "棒球帽", "均码", ("四季",), (39, 89)),
)
CATEGORIES = ("上衣", "外套", "裤装", "裙装", "鞋", "配饰")
FABRICS = ("纯棉", "亚麻", "莫代尔", "针织", "加绒", "宽松", "修身", "复古", "简约", "休闲", "百搭", "基础款")
COLOURS: tuple[tuple[str, str], ...] = (
    ("01", "黑色"), ("02", "白色"), ("03", "灰色"), ("04", "藏青"), ("05", "卡其"), ("06", "米白"),
    ("07", "酒红"), ("08", "军绿"), ("09", "雾霾蓝"), ("10", "浅粉"), ("11", "燕麦色"), ("12", "焦糖色"),
)
BRANDS = ("简素", "城南故事", "木棉道", "UR风尚", "步履", "北极星")
SUPPLIERS = (("广州十三行服饰批发", "陈小姐", "020-8333 6021"), ("杭州四季青服装", "王先生", "0571-8602 1188"),
             ("晋江鞋业", "林经理", "0595-8567 2200"), ("虎门服装城", "李姐", "0769-8551 7345"))
# How many of each size a delivery takes per colour, middle sizes most (index into the size list).
CURVES: dict[str, tuple[int, ...]] = {
    "S-XXL": (2, 4, 4, 3, 1),
    "26-34": (1, 2, 3, 3, 3, 2, 2, 1, 1),
    "35-40": (1, 2, 3, 3, 2, 1),
    "36-44": (1, 1, 2, 2, 3, 3, 2, 1, 1),
    "均码": (6,),
}
SEASON_START: dict[str, tuple[int, int]] = {"春": (2, 20), "夏": (4, 25), "秋": (8, 20), "冬": (10, 25),
                                            "四季": (1, 1)}
SEASON_LENGTH = {"春": 100, "夏": 120, "秋": 100, "冬": 130, "四季": 366}


@dataclass(frozen=True)
class DemoStyle:
    code: str
    name: str
    category: str
    season: str
    brand: str
    size_group: str
    sizes: tuple[str, ...]
    colours: tuple[tuple[str, str], ...]
    sale_price: int  # fen
    cost: int  # fen


def styles(rng: random.Random, n: int, year: int) -> list[DemoStyle]:
    """``n`` styles spread over the garments, two to four colours each, codes like 26S013."""
    out = []
    for i in range(n):
        g = GARMENTS[i % len(GARMENTS)] if i < len(GARMENTS) else rng.choice(GARMENTS)
        season = rng.choice(g.seasons)
        price = rng.randrange(g.price[0], g.price[1] + 1) // 10 * 10 + 9
        colours = tuple(sorted(rng.sample(COLOURS, rng.choice((2, 3, 3, 4)))))
        season_letter = {"春": "C", "夏": "X", "秋": "Q", "冬": "D", "四季": "N"}[season]
        out.append(DemoStyle(
            code=f"{year % 100:02d}{season_letter}{i + 1:03d}", name=f"{rng.choice(FABRICS)}{g.name}",
            category=g.category, season=season, brand=rng.choice(BRANDS), size_group=g.size_group,
            sizes=SIZE_GROUPS[g.size_group], colours=colours, sale_price=price * 100,
            cost=price * 100 * rng.choice((38, 40, 42, 45)) // 100))
    return out
