"""The lazy products table model: Qt model contract, paging, filter, sort, display formats."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from jxc_desktop.services.catalog.products import ProductRow
from jxc_desktop.ui.models import product_table
from jxc_desktop.ui.models.product_table import COL, IdRole, ProductTableModel


def _fill(make_product, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        make_product(f"商品{i:03d}", price=100 + i, cost=50, qty=i % 3)


def test_model_contract(qtmodeltester, services, make_product) -> None:  # type: ignore[no-untyped-def]
    _fill(make_product, 12)
    make_product("康师傅红烧牛肉面", 450, 300, 0)
    model = ProductTableModel(services.catalog)
    model.reload()
    qtmodeltester.check(model)
    model.set_filter("ksf")
    qtmodeltester.check(model)
    assert model.rowCount() == 1


def test_display_formats(qapp, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("农夫山泉矿泉水", 1234, 567, 0, min_stock=5000)
    rice = services.catalog.create_product(_input("散装大米", 300), opening_qty=1250, opening_cost=200)
    model = ProductTableModel(services.catalog)
    model.reload()
    r0 = model.row_of(p.id)
    assert model.data(model.index(r0, COL["sale_price"])) == "¥12.34"
    assert model.data(model.index(r0, COL["stock_qty"])) == "0"
    assert model.data(model.index(r0, COL["stock_qty"]), Qt.ItemDataRole.ForegroundRole) is not None  # below min
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(model.index(r0, COL["sale_price"]), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(r0, COL["name"]), IdRole) == p.id
    r1 = model.row_of(rice.id)
    assert model.data(model.index(r1, COL["stock_qty"])) == "1.25"  # no trailing zeros
    assert model.data(model.index(r1, COL["stock_value"])) == "¥2.50"


def _input(name: str, price: int):  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.product_rules import ProductInput

    return ProductInput(name=name, unit="千克", sale_price=price, ref_cost=200)


def test_rows_are_fetched_in_pages_and_bounded(qapp, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(product_table, "PAGE", 5)
    monkeypatch.setattr(product_table, "MAX_PAGES", 3)
    _fill(make_product, 40)
    calls: list[int] = []
    original = services.catalog.rows

    class Spy:
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(services.catalog, name)

        def rows(self, ids):  # type: ignore[no-untyped-def]
            calls.append(len(ids))
            return original(ids)

    model = ProductTableModel(Spy())  # type: ignore[arg-type]
    model.reload()
    assert model.rowCount() == 40
    assert model.data(model.index(0, COL["name"])) == "商品000"  # the first page came with the ids
    assert model.data(model.index(4, COL["name"])) == "商品004"
    assert calls == []  # (CatalogService.first_screen: one visit to the file)
    assert model.data(model.index(5, COL["name"])) == "商品005"
    assert model.data(model.index(9, COL["name"])) == "商品009"
    assert calls == [5]  # one page served both rows
    for row in range(0, 40, 5):
        model.data(model.index(row, COL["name"]))
    assert model.cached_pages() == 3
    assert isinstance(model.product_at(39), ProductRow)


def test_rows_are_formatted_when_shown(qapp, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A key reads a page of rows with its ids; only the rows painted (or asked for) are formatted."""
    _fill(make_product, 12)
    formatted: list[int] = []
    real = ProductTableModel._make_entry

    def spy(p):  # type: ignore[no-untyped-def]
        formatted.append(p.id)
        return real(p)

    monkeypatch.setattr(ProductTableModel, "_make_entry", staticmethod(spy))
    model = ProductTableModel(services.catalog)
    model.reload()
    assert model.rowCount() == 12 and formatted == []
    assert model.data(model.index(3, COL["sale_price"])) == "¥1.03"
    assert model.data(model.index(3, COL["name"])) == "商品003" and model.product_at(3).name == "商品003"
    assert formatted == [model.id_at(3)]  # once, for the row shown


def test_sort_and_filter(qapp, services, make_product) -> None:  # type: ignore[no-untyped-def]
    cheap = make_product("便宜货", 100, 50, 0)
    dear = make_product("贵重货", 9900, 50, 0)
    mid = make_product("中等货", 500, 50, 0)
    model = ProductTableModel(services.catalog)
    model.reload()
    model.sort(COL["sale_price"], Qt.SortOrder.DescendingOrder)
    assert [model.id_at(i) for i in range(3)] == [dear.id, mid.id, cheap.id]
    model.sort(COL["sale_price"], Qt.SortOrder.AscendingOrder)
    assert [model.id_at(i) for i in range(3)] == [cheap.id, mid.id, dear.id]
    model.set_filter("贵重")
    assert model.rowCount() == 1 and model.id_at(0) == dear.id
    services.catalog.set_active(dear.id, False)
    model.reload()
    assert model.rowCount() == 0
    model.set_filter("贵重", include_inactive=True)
    assert model.rowCount() == 1
    assert "贵重货" in model.data(model.index(0, COL["name"])) and model.data(
        model.index(0, COL["name"]), Qt.ItemDataRole.ForegroundRole) is not None


def test_filter_by_barcode_code_and_pinyin(qapp, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("统一绿茶", 300, 200, 0, barcode="6901234567892")
    make_product("统一冰红茶", 300, 200, 0)
    model = ProductTableModel(services.catalog)
    for text, expected in (("6901234567892", 1), ("tylc", 1), ("TY", 2), ("绿茶", 1), (p.code, 1), ("%", 0)):
        model.set_filter(text)
        assert model.rowCount() == expected, text


def test_cells_paint_as_from_data(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    """The painting delegate draws what Qt's own delegate draws from data(): text, right alignment,
    the grey of an inactive product and the red of stock below its minimum, selection included."""
    from jxc_desktop.ui.models.product_table import ProductCellDelegate
    from jxc_desktop.ui.widgets.tables import row_table

    _fill(make_product, 8)
    make_product("农夫山泉矿泉水550ml", 200, 120, 1, min_stock=5000)  # below its minimum: red stock
    gone = make_product("停售的商品名字很长很长很长很长很长很长", 990, 500, 3)
    services.catalog.set_active(gone.id, False)  # grey, "(inactive)"
    model = ProductTableModel(services.catalog)
    model.set_filter("", include_inactive=True)
    view = row_table(model)
    view.setAlternatingRowColors(True)
    view.resize(1100, 420)
    qtbot.addWidget(view)
    view.show()
    view.selectRow(2)
    ours = ProductCellDelegate(model, view)

    def image(delegate: QStyledItemDelegate):  # type: ignore[no-untyped-def]
        view.setItemDelegate(delegate)
        return view.viewport().grab().toImage()

    plain = image(QStyledItemDelegate(view))
    fast = image(ours)
    assert model.entry_at(model.row_of(gone.id)) is not None  # painted from the page, not data()
    assert fast == plain
    assert fast != image(_Blank(view))  # (the comparison sees the cells' contents)
    # A size hint is Qt's own, from data().
    index = model.index(model.row_of(gone.id), COL["name"])
    option = QStyleOptionViewItem()
    option.initFrom(view)
    assert ours.sizeHint(option, index) == QStyledItemDelegate().sizeHint(option, index)


class _Blank(QStyledItemDelegate):
    def initStyleOption(self, option, index) -> None:  # type: ignore[no-untyped-def]
        super().initStyleOption(option, index)
        option.text = ""
