"""What posting one sale writes (checkout.post_sale_in): plain products' moves go through
ledger.write_many, batch-tracked ones through FEFO. Either way every line has its move(s), each
line's cost is its moves' value, the product rows hold the new caches and the sale's moment, and
the lines carry their product's category from the start."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from jxc_desktop.db.models import Product, Sale, SaleLine, StockMove
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock import ledger


def test_mixed_sale_rows_moves_and_caches(services, make_product) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"negative_stock": "allow"})
    noodles = make_product("方便面", 450, 287, 10, category="食品")
    water = make_product("矿泉水", 200, 93, 3, category="饮料")
    milk = make_product("纯牛奶", 500, 300, 4, tracks_batches=True, shelf_life_days=30, category="乳品")
    # the same product on two lines (as two scale labels make them): two lines, two moves
    cart = Cart(lines=tuple(services.checkout.line_for_product(pid, qty) for pid, qty in (
        (noodles.id, 2000), (milk.id, 3000), (water.id, 5000), (noodles.id, 1000), (milk.id, 2000))))
    c.price(cart)  # a cart the till could post
    sale = services.checkout.post_sale(cart, [Tender("cash", 100000)], confirmed=True)

    with services.db.read() as uow:
        s = uow.session
        row = s.get(Sale, sale.id)
        lines = list(s.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.line_no)))
        moves = list(s.scalars(select(StockMove).where(StockMove.doc_type == "sale", StockMove.doc_id == sale.id)))
        by_line: dict[int, list[StockMove]] = defaultdict(list)
        for m in moves:
            by_line[m.doc_line_id].append(m)
        assert [ln.product_id for ln in lines] == [noodles.id, milk.id, water.id, noodles.id, milk.id]
        for ln in lines:
            assert by_line[ln.id], ln.line_no
            assert sum(m.qty for m in by_line[ln.id]) == -ln.qty
            assert ln.cost == -sum(m.value for m in by_line[ln.id]) > 0
            assert all(m.kind == str(MoveKind.SALE) and m.doc_number == sale.number for m in by_line[ln.id])
            product = s.get(Product, ln.product_id)
            assert ln.category_id == product.category_id is not None
        assert row.cost == sum(ln.cost for ln in lines) == sale.cost
        # water goes below zero (3 on hand, 5 sold): the moving average's rule, as issuing one by one
        assert [m.balance_qty for m in sorted(moves, key=lambda m: m.id) if m.product_id == water.id] == [-2000]
        # each product's moves in the order of its lines, its cache = the sum of its moves
        for pid in (noodles.id, water.id, milk.id):
            own = sorted((m for m in moves if m.product_id == pid), key=lambda m: m.id)
            assert [m.doc_line_id for m in own] == sorted(m.doc_line_id for m in own)
            product = s.get(Product, pid)
            total_qty, total_value = s.execute(select(func.sum(StockMove.qty), func.sum(StockMove.value))
                                               .where(StockMove.product_id == pid)).one()
            assert (product.stock_qty, product.stock_value) == (total_qty, total_value)
            assert product.last_sale_at == row.created_at == product.last_move_at
            assert own[-1].balance_qty == product.stock_qty
        assert ledger.reconcile(s) == []
        assert [ln.cost for ln in sale.lines] == [ln.cost for ln in lines]  # the receipt's DTO: the same rows
