"""The one scan rule (services/catalog/scan.py) and the ranked search on a real SQLite file."""

from __future__ import annotations

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.dto import ScanKind
from jxc_desktop.services.catalog.pinyin import pinyin_full
from jxc_desktop.services.hub import Services

EAN = [with_check_digit(f"69012345670{i}") for i in range(10)]


def _add(services: Services, name: str, *, code: str = "", price: int = 500,
         barcodes: tuple[tuple[str, int], ...] = ()) -> int:
    return services.catalog.create_product(ProductInput(name=name, code=code, sale_price=price,
                                                        barcodes=barcodes)).id


def test_full_pinyin_follows_the_name() -> None:
    assert pinyin_full("娃哈哈") == "wahaha"
    assert pinyin_full("蒙牛纯牛奶 250ml") == "mengniuchunniunai250ml"
    assert pinyin_full("Coca-Cola 可乐") == "cocacolakele"


def test_full_pinyin_is_stored_on_save_and_rename(services: Services) -> None:
    p = services.catalog.create_product(ProductInput(name="娃哈哈"))
    assert p.pinyin_full == "wahaha" and p.pinyin == "whh"
    renamed = services.catalog.update_product(p.id, ProductInput(name="纯牛奶", code=p.code))
    assert renamed.pinyin_full == "chunniunai"


def test_barcode_pack_barcode_and_code(services: Services) -> None:
    pid = _add(services, "可口可乐", code="KK01", barcodes=((EAN[0], 1), (EAN[1], 24)))
    one = services.catalog.resolve_scan(EAN[0])
    assert (one.kind, one.product and one.product.id, one.qty, one.barcode) == (ScanKind.BARCODE, pid, 1000, EAN[0])
    case = services.catalog.resolve_scan(f" {EAN[1]} ")
    assert (case.kind, case.qty, case.single and case.single.id) == (ScanKind.BARCODE, 24_000, pid)
    code = services.catalog.resolve_scan("KK01")
    assert (code.kind, code.qty, code.barcode, code.single and code.single.id) == (ScanKind.CODE, 1000, "", pid)


def test_scale_labels_by_the_shop_rules(services: Services) -> None:
    pid = _add(services, "苹果", code="000123", price=1500)
    weight = services.catalog.resolve_scan(with_check_digit("210012301250"))
    assert (weight.kind, weight.product and weight.product.id, weight.qty, weight.amount) == (
        ScanKind.SCALE, pid, 1250, None)
    price = services.catalog.resolve_scan(with_check_digit("220012301880"))
    assert (price.qty, price.amount) == (1253, 1880)
    missing = services.catalog.resolve_scan(with_check_digit("210099901250"))
    assert missing.kind == ScanKind.NONE and missing.problem is not None and "item code" in missing.problem.english
    _add(services, "赠品", code="000124", price=0)
    free = services.catalog.resolve_scan(with_check_digit("220012401880"))
    assert free.product is None and free.problem is not None and "no sale price" in free.problem.english


def test_unknown_scanned_codes_are_not_searched(services: Services) -> None:
    _add(services, "测试 6901234")  # a name holding the digits must not be guessed from a scan
    unknown = services.catalog.resolve_scan(EAN[5])
    assert unknown.kind == ScanKind.NONE and not unknown.candidates and unknown.new_barcode
    assert unknown.problem is not None and unknown.problem.english == f"Unknown barcode {EAN[5]}"
    bad = EAN[5][:-1] + str((int(EAN[5][-1]) + 1) % 10)
    wrong = services.catalog.resolve_scan(bad)
    assert not wrong.new_barcode and wrong.problem is not None and "check digit" in wrong.problem.english
    nothing = services.catalog.resolve_scan("zzqx")
    assert nothing.kind == ScanKind.SEARCH and nothing.candidates == () and nothing.single is None
    assert nothing.problem is not None and nothing.problem.english == "Nothing found for zzqx"


def test_search_text_gives_ranked_candidates_and_a_single_one_is_taken(services: Services) -> None:
    qf = _add(services, "清风抽纸")
    _add(services, "可口可乐")
    one = services.catalog.resolve_scan("qf")
    assert one.kind == ScanKind.SEARCH and one.single is not None and one.single.id == qf
    _add(services, "青蜂蜜")
    two = services.catalog.resolve_scan("qf")
    assert len(two.candidates) == 2 and two.single is None


def test_pinyin_inside_and_full_pinyin(services: Services) -> None:
    milk = _add(services, "蒙牛纯牛奶")
    chips = _add(services, "乐事薯片")
    whh = _add(services, "娃哈哈")
    assert [p.id for p in services.catalog.search("cnn")] == [milk]
    assert [p.id for p in services.catalog.search("sp")] == [chips]
    assert [p.id for p in services.catalog.search("wahaha")] == [whh]
    assert [p.id for p in services.catalog.search("WaHaHa")] == [whh]
    assert [p.id for p in services.catalog.search("chunniunai")] == [milk]
    assert [p.id for p in services.catalog.search("niunai")] == [milk]


def test_ranking_barcode_code_pinyin_prefix_pinyin_inside(services: Services) -> None:
    inside = _add(services, "可口可乐")  # 助记码 kkkl: "kl" inside
    full = _add(services, "开朗牌")  # klp, kailangpai: an initials prefix
    prefix = _add(services, "可乐")  # kl: an initials prefix, shorter
    code_prefix = _add(services, "牙刷", code="kl2")
    code = _add(services, "毛巾", code="kl")  # exact code
    barcode = _add(services, "纸巾", barcodes=(("kl", 1),))  # an in-store barcode "kl"
    assert [p.id for p in services.catalog.search("kl")] == [barcode, code, code_prefix, prefix, full, inside]
    # Full pinyin: its prefix before text inside it.
    lang = _add(services, "狼牙")  # langya
    assert [p.id for p in services.catalog.search("lang")] == [lang, full]


def test_a_typed_pinyin_is_searched_and_cjk_text_in_the_name(services: Services) -> None:
    by_name = _add(services, "大白兔")
    typed = services.catalog.create_product(ProductInput(name="奶糖", pinyin="xbt")).id  # a typed 助记码
    assert [p.id for p in services.catalog.search("xbt")] == [typed]
    assert [p.id for p in services.catalog.search("naitang")] == [typed]  # 全拼 follows the name
    # CJK text is matched in the name, shortest names first.
    other = _add(services, "大白兔奶糖礼盒")
    assert [p.id for p in services.catalog.search("白兔")] == [by_name, other]


def test_deactivated_products_are_not_candidates(services: Services) -> None:
    pid = _add(services, "娃哈哈", barcodes=((EAN[2], 1),))
    services.catalog.set_active(pid, False)
    assert services.catalog.resolve_scan("wahaha").candidates == ()
    hit = services.catalog.resolve_scan(EAN[2])  # a barcode still names it: the caller decides
    assert hit.product is not None and not hit.product.active


def test_products_table_filter_matches_pinyin_inside_too(services: Services) -> None:
    milk = _add(services, "蒙牛纯牛奶")
    assert services.catalog.list_ids("cnn") == [milk]
    assert services.catalog.list_ids("wahaha") == []
    assert services.catalog.list_ids("chunniu") == [milk]


def test_two_letters_are_not_looked_for_across_full_pinyin_syllables(services: Services) -> None:
    flour = _add(services, "东北面粉")  # dbmf, dongbeimianfen: "nf" only straddles mia|nf|en
    assert services.catalog.search("nf") == []
    assert [p.id for p in services.catalog.search("fen")] == [flour]


def test_a_typed_pinyin_goes_into_the_search_key(services: Services) -> None:
    p = services.catalog.create_product(ProductInput(name="奶糖"))
    typed = services.catalog.update_product(p.id, ProductInput(name="奶糖", code=p.code, pinyin="dbt"))
    assert typed.pinyin == "dbt" and typed.pinyin_full == "naitang"
    assert [q.id for q in services.catalog.search("db")] == [p.id]  # the typed 助记码 is searched
    assert services.catalog.search("nt") == []  # the generated one is gone


def test_latin_letters_of_the_name_are_found_through_the_pinyin_key(services: Services) -> None:
    ad = _add(services, "娃哈哈AD钙奶")  # whhadgn, wahahaadgainai
    ml = _add(services, "可乐 500ml")
    assert [p.id for p in services.catalog.search("AD")] == [ad]
    assert [p.id for p in services.catalog.search("500ML")] == [ml]
    assert [p.id for p in services.catalog.search("gainai")] == [ad]
