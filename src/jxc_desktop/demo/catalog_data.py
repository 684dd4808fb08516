"""Word lists and generators for a believable Chinese shop (jxc demo, benchmarks/make_db.py).

Pure data and a seeded random generator; nothing here touches the database.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from jxc_desktop.domain.barcode import gs1_check_digit, with_check_digit


@dataclass(frozen=True)
class Item:
    name: str
    unit: str
    specs: tuple[tuple[str, int], ...]  # (spec, typical sale price in fen)
    shelf_life_days: int | None = None
    batches: bool = False  # tracked by batch (dated food)
    case: int = 0  # units in a case with its own barcode (0: none)
    brands: tuple[str, ...] = ()  # who makes this item; empty: any brand of its kind
    flavours: tuple[str, ...] | None = None  # None: the kind's flavours


@dataclass(frozen=True)
class Kind:
    category: str
    brands: tuple[str, ...]
    flavours: tuple[str, ...]
    items: tuple[Item, ...]


KINDS: tuple[Kind, ...] = (
    Kind("饮料", ("农夫山泉", "康师傅", "统一", "娃哈哈"),
         ("", "柠檬味", "蜜桃味", "无糖", "青苹果味", "西柚味", "原味"),
         (Item("矿泉水", "瓶", (("550ml", 200), ("1.5L", 450), ("380ml", 150)), 365, case=24,
               brands=("农夫山泉", "怡宝", "娃哈哈", "康师傅"), flavours=("", "天然")),
          Item("冰红茶", "瓶", (("500ml", 350), ("1L", 550)), 270, case=15, brands=("康师傅", "统一"),
               flavours=("", "柠檬味", "蜜桃味")),
          Item("绿茶", "瓶", (("500ml", 350),), 270, case=15, brands=("康师傅", "统一", "农夫山泉"),
               flavours=("", "蜂蜜", "无糖")),
          Item("可乐", "罐", (("330ml", 300), ("500ml", 350)), 365, case=24, brands=("可口可乐", "百事"),
               flavours=("", "无糖", "零度")),
          Item("汽水", "罐", (("330ml", 300),), 365, case=24, brands=("雪碧", "美年达"),
               flavours=("", "柠檬味", "橙味", "青苹果味")),
          Item("苏打气泡水", "瓶", (("480ml", 550),), 270, case=15, brands=("元气森林",),
               flavours=("白桃味", "卡曼橘味", "青瓜味", "西柚味")),
          Item("维生素功能饮料", "罐", (("250ml", 600),), 540, case=24, brands=("红牛", "东鹏", "脉动"),
               flavours=("", "牛磺酸", "青柠味")),
          Item("凉茶", "罐", (("310ml", 400),), 540, case=24, brands=("王老吉", "加多宝"), flavours=("",)),
          Item("果汁饮料", "瓶", (("450ml", 450), ("1.25L", 900)), 270, case=12,
               brands=("统一", "康师傅", "娃哈哈", "农夫山泉"), flavours=("鲜橙", "蜜桃", "葡萄", "芒果")))),
    Kind("零食", ("乐事", "旺旺", "好丽友", "三只松鼠", "良品铺子", "卫龙", "达利园", "盼盼", "奥利奥", "徐福记",
                "洽洽", "百草味", "上好佳", "来伊份"),
         ("", "原味", "香辣味", "番茄味", "黄瓜味", "烧烤味", "五香"),
         (Item("薯片", "袋", (("70g", 750), ("135g", 1290)), 270, case=12),
          Item("雪饼", "袋", (("84g", 650), ("150g", 1090)), 300),
          Item("夹心饼干", "盒", (("97g", 590), ("388g", 1590)), 365, case=24),
          Item("瓜子", "袋", (("260g", 1190), ("108g", 590)), 180),
          Item("辣条", "袋", (("106g", 500), ("260g", 990)), 180),
          Item("坚果礼盒", "盒", (("750g", 8990),), 240),
          Item("蛋黄派", "盒", (("138g", 1190),), 180),
          Item("牛肉干", "袋", (("100g", 3290),), 270, batches=True))),
    Kind("日用品", ("清风", "心相印", "维达", "蓝月亮", "立白", "雕牌", "超能", "妙洁", "得力", "南孚"),
         ("", "无香", "薰衣草", "柠檬", "家庭装"),
         (Item("抽纸", "提", (("3层100抽×6包", 1990), ("3层130抽×3包", 1290)), None, case=8),
          Item("卷纸", "提", (("4层140g×10卷", 2590),), None),
          Item("洗衣液", "瓶", (("2kg", 3990), ("1kg", 2290)), None, case=6),
          Item("洗洁精", "瓶", (("1.1kg", 1290),), None, case=12),
          Item("垃圾袋", "卷", (("45×50cm 30只", 590),), None),
          Item("保鲜膜", "盒", (("30cm×20m", 990),), None),
          Item("碱性电池", "板", (("5号4粒", 1590), ("7号4粒", 1590)), None),
          Item("中性笔", "支", (("0.5mm黑色", 250),), None, case=12))),
    Kind("粮油", ("金龙鱼", "福临门", "鲁花", "五常", "中粮", "十月稻田", "香满园", "陈克明"),
         ("", "东北", "特级", "家庭装"),
         (Item("大米", "袋", (("5kg", 3990), ("10kg", 7490)), 365, batches=True),
          Item("花生油", "桶", (("5L", 12990), ("1.8L", 5490)), 540, batches=True),
          Item("调和油", "桶", (("5L", 6990),), 540, batches=True),
          Item("挂面", "包", (("1kg", 990), ("500g", 550)), 360, case=20),
          Item("面粉", "袋", (("5kg", 3290),), 365))),
    Kind("烟酒", ("青岛", "雪花", "燕京"),
         ("", "经典", "纯生", "清爽"),
         (Item("啤酒", "罐", (("500ml", 650), ("330ml", 450)), 360, case=24,
               brands=("青岛", "雪花", "燕京", "哈尔滨", "百威")),
          Item("二锅头", "瓶", (("500ml 56度", 1800), ("100ml", 600)), None, case=12, brands=("红星", "牛栏山"),
               flavours=("", "陈酿")),
          Item("白酒", "瓶", (("500ml 42度", 12800), ("480ml 52度", 25800)), None, case=6,
               brands=("洋河", "泸州老窖"), flavours=("", "特曲", "精品")),
          Item("干红葡萄酒", "瓶", (("750ml", 6800),), None, case=6, brands=("张裕",),
               flavours=("", "解百纳", "赤霞珠")))),
    Kind("乳品", ("伊利", "蒙牛", "光明", "君乐宝", "三元"),
         ("", "原味", "草莓味", "香蕉味", "低脂"),
         (Item("纯牛奶", "盒", (("250ml", 350),), 180, batches=True, case=12, flavours=("", "全脂", "低脂")),
          Item("纯牛奶整箱", "箱", (("250ml×12盒", 5990),), 180, batches=True, flavours=("",)),
          Item("酸奶", "杯", (("200g", 550), ("100g×8杯", 1990)), 21, batches=True),
          Item("常温酸奶", "瓶", (("205g", 650),), 150, batches=True, case=10, brands=("安慕希", "纯甄")),
          Item("鲜牛奶", "瓶", (("950ml", 1590),), 7, batches=True))),
    Kind("冷冻食品", ("三全", "思念", "湾仔码头", "安井", "海霸王", "正大"),
         ("", "猪肉白菜", "韭菜鸡蛋", "三鲜", "玉米"),
         (Item("水饺", "袋", (("1kg", 2590), ("500g", 1390)), 365, batches=True),
          Item("汤圆", "袋", (("500g", 1290),), 365, batches=True),
          Item("鱼丸", "袋", (("400g", 1590),), 365, batches=True),
          Item("速冻包子", "袋", (("640g", 1890),), 270, batches=True))),
    Kind("调味品", ("海天", "李锦记", "老干妈", "太太乐", "恒顺", "厨邦", "王守义", "千禾"),
         ("", "特级", "零添加", "金标"),
         (Item("生抽", "瓶", (("500ml", 990), ("1.9L", 2590)), 720, case=12),
          Item("老抽", "瓶", (("500ml", 1090),), 720, case=12),
          Item("陈醋", "瓶", (("500ml", 890),), 720),
          Item("鸡精", "袋", (("200g", 990),), 540),
          Item("辣椒酱", "瓶", (("280g", 1050),), 540, case=24),
          Item("食盐", "袋", (("400g", 300),), None),
          Item("十三香", "盒", (("45g", 450),), 720))),
    Kind("生鲜", ("本地", "山东", "新疆", "海南", "云南", "赣南"),
         ("", "精选", "有机"),
         (Item("苹果", "kg", (("散装", 1290),), 20),
          Item("香蕉", "kg", (("散装", 690),), 7),
          Item("西红柿", "kg", (("散装", 590),), 10),
          Item("土鸡蛋", "盒", (("30枚", 2990),), 30, batches=True),
          Item("橙子", "kg", (("散装", 990),), 20),
          Item("黄瓜", "kg", (("散装", 490),), 7))),
    Kind("个人护理", ("高露洁", "云南白药", "佳洁士", "海飞丝", "潘婷", "舒肤佳", "六神", "大宝"),
         ("", "清爽", "薄荷", "滋润"),
         (Item("牙膏", "支", (("120g", 1290), ("180g", 1990)), None, case=12),
          Item("洗发水", "瓶", (("400ml", 3990), ("750ml", 5990)), None),
          Item("沐浴露", "瓶", (("720ml", 3590),), None),
          Item("香皂", "块", (("115g", 450),), None, case=24),
          Item("牙刷", "支", (("软毛", 990),), None),
          Item("花露水", "瓶", (("195ml", 1390),), None))),
)

CATEGORIES: tuple[str, ...] = tuple(k.category for k in KINDS)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = ("建国", "小红", "志强", "丽华", "伟", "芳", "海涛", "秀英", "俊杰", "国庆", "春梅", "明")
_PLACES = ("广州", "东莞", "佛山", "杭州", "苏州", "成都", "长沙", "郑州", "武汉", "临沂")
_TRADES = ("食品批发部", "商贸有限公司", "副食品配送中心", "日化经营部", "粮油批发行", "酒水商行", "冷链食品有限公司",
           "生鲜配送站")
_STREETS = ("人民路", "解放路", "中山路", "建设路", "和平街", "批发市场")


@dataclass(frozen=True)
class DemoSupplier:
    name: str
    contact: str
    phone: str
    address: str


@dataclass(frozen=True)
class DemoProduct:
    name: str
    spec: str
    unit: str
    category: str
    sale_price: int
    cost: int
    barcode: str
    case_barcode: str  # "" when none
    case: int
    shelf_life_days: int | None
    batches: bool


def suppliers(rng: random.Random, n: int = 8) -> list[DemoSupplier]:
    out: dict[str, DemoSupplier] = {}
    while len(out) < n:
        place = rng.choice(_PLACES)
        name = f"{place}{rng.choice('鑫源恒达顺发福满隆兴金穗永辉')}{rng.choice('源达利丰祥隆')}{rng.choice(_TRADES)}"
        if name in out:
            continue
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        address = f"{place}市{rng.choice(_STREETS)}{rng.randint(1, 399)}号"
        out[name] = DemoSupplier(name, rng.choice(_SURNAMES) + rng.choice(_GIVEN), phone, address)
    return list(out.values())


def _ean13(rng: random.Random) -> str:
    # 690–695: GS1 China prefixes; company and item digits at random.
    return with_check_digit(f"69{rng.randint(0, 5)}{rng.randrange(10**9):09d}")


def _case_code(ean: str, indicator: int) -> str:
    """GTIN-14 of a case of ``ean`` (indicator digit, the item's 12 digits, a new check digit)."""
    body = f"{indicator}{ean[:12]}"
    return body + str(gs1_check_digit(body))


def _round_price(fen: int) -> int:
    """Shop prices end in 0 or 9 jiao-fen patterns: 3.50, 12.90, 59.90."""
    if fen < 1000:
        return max(50, fen // 10 * 10)
    return max(990, fen // 100 * 100 - 10) if fen >= 2000 else fen // 10 * 10


def products(rng: random.Random, n: int) -> Iterator[DemoProduct]:
    """``n`` products cycling through the categories, unique names (and barcodes) while the word
    lists last; beyond that a series number keeps them apart."""
    used_names: set[tuple[str, str]] = set()
    used_codes: set[str] = set()
    made = 0
    rounds = 0
    while made < n:
        for kind in KINDS:
            if made >= n:
                break
            item = rng.choice(kind.items)
            spec, base = rng.choice(item.specs)
            flavour = rng.choice(kind.flavours if item.flavours is None else item.flavours)
            name = f"{rng.choice(item.brands or kind.brands)}{flavour}{item.name}"
            if (name, spec) in used_names:
                rounds += 1
                if rounds < 50:
                    continue
                name = f"{name}{made // 1000 + 1}号"
                if (name, spec) in used_names:
                    name = f"{name}-{made}"
            rounds = 0
            used_names.add((name, spec))
            price = _round_price(base * rng.randint(85, 120) // 100)
            cost = price * rng.randint(62, 85) // 100
            code = _ean13(rng)
            while code in used_codes:
                code = _ean13(rng)
            used_codes.add(code)
            case_code = ""
            if item.case and rng.random() < 0.6:
                case_code = _case_code(code, 1)
            made += 1
            yield DemoProduct(name, spec, item.unit, kind.category, price, cost, code, case_code,
                              item.case if case_code else 0, item.shelf_life_days, item.batches)
