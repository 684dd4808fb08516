"""Which promotions a cart gets, and what each takes off which line, to the fen (pure).

``apply_promotions(lines, moment, member, promotions)`` → :class:`PromotionResult`. The rule:

1. **Active.** A promotion counts when ``moment`` is inside its dates, weekdays and daily hours
   and, if member-only, the customer is a member. Lines marked ``manual`` (already at a manual
   price or discount) take no promotion and count towards no threshold; they stay in the total.
2. **Line level, exclusive.** Each line takes at most ONE non-stackable line-level promotion
   (special price, buy N pay M, the N-th at X %). The choice is the one that gives the whole cart
   the largest line-level discount — an exact search: a line with a single candidate takes it
   (adding a unit to a quantity deal never lowers its discount, see promotion_rules), lines with
   several are enumerated together with the other lines their quantity deals link them to. Ties
   go to the choice with the lowest promotion ids, lines in their canonical order. Only the best
   special price of a line is a candidate (they do not interact). A linked group of more than
   ``SEARCH_LIMIT`` combinations (e.g. ten lines of one category under three category deals and
   a special price each) is settled by improving one line at a time until nothing improves —
   the only place the search is not exhaustive, so that the till never waits.
3. **Line level, stackable.** Every stackable line-level promotion then applies to all its lines
   on their catalogue prices, in id order; a line never gets more off than its value (the later
   promotion's share is cut).
4. **Order level (满减).** A threshold's base is the value left, after steps 2–3, of the lines in
   its scope (the whole order when it names no product or category); a NON-stackable threshold
   leaves out lines that got a line-level promotion (特价商品不参与满减). Of the non-stackable
   thresholds the single largest reduction applies (ties: lowest id); every stackable one
   reached applies too, each on its own base. A reduction is spread over its base lines in
   proportion to what is left of them (largest remainder; ties to the line first in canonical
   order), never taking a line below zero.
5. **A threshold instead of line deals (the best for the customer).** A line's small special
   price can keep it out of a 满减 that would give more: when giving up the non-stackable
   line-level promotions of some lines inside a non-stackable threshold's scope (the least fen
   off first) is estimated to give more, the cart is priced again with those lines taking no
   non-stackable line-level promotion, and the customer gets whichever of the two pricings takes
   more off (a tie keeps the line promotions). :func:`_release` says which lines; the estimate
   only chooses what to try, both pricings are exact.

Lines are handled in a canonical order (product, category, quantity, price, …) so the result
does not depend on the order of the cart; results are reported per input line.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jxc_desktop.domain.pricing import allocate
from jxc_desktop.domain.promotion_rules import (
    Kind,
    PromoLine,
    Promotion,
    quantity_discounts,
    special_price_discount,
    threshold_reduction,
)
from jxc_desktop.domain.quantity import MILLI

SEARCH_LIMIT = 1024  # combinations tried exhaustively in one linked group (a few ms at worst)


@dataclass(frozen=True)
class AppliedPromotion:
    """One visible line on screen and receipt: the promotion and what it took off which line."""

    promotion_id: int
    name: str
    kind: Kind
    amount: int  # fen off in all
    lines: tuple[tuple[int, int], ...]  # (input line index, fen off), by index


@dataclass(frozen=True)
class PromotionResult:
    applied: tuple[AppliedPromotion, ...]
    line_discounts: tuple[int, ...]  # fen off per input line
    subtotal: int
    discount: int
    total: int


class _Index:
    """The active promotions of one cart, indexed by product and category once."""

    def __init__(self, promotions: Sequence[Promotion], moment: datetime, member: bool) -> None:
        self.by_product: dict[int, list[Promotion]] = defaultdict(list)
        self.by_category: dict[int, list[Promotion]] = defaultdict(list)
        self.thresholds: list[Promotion] = []
        for p in sorted((p for p in promotions if p.active_at(moment, member)), key=lambda p: p.sort_key):
            if p.kind is Kind.THRESHOLD:
                self.thresholds.append(p)
                continue
            for pid in p.scope_products():
                self.by_product[pid].append(p)
            for cid in p.category_ids if p.kind is not Kind.SPECIAL_PRICE else ():
                self.by_category[cid].append(p)

    def line_promotions(self, line: PromoLine) -> list[Promotion]:
        found = {p.sort_key: p for p in self.by_product.get(line.product_id, ())}
        if line.category_id is not None:
            found.update((p.sort_key, p) for p in self.by_category.get(line.category_id, ()))
        return [found[k] for k in sorted(found)]


def _canonical(lines: Sequence[PromoLine]) -> list[int]:
    return sorted(range(len(lines)), key=lambda i: (
        lines[i].product_id, lines[i].category_id if lines[i].category_id is not None else -1,
        lines[i].qty, lines[i].unit_price, lines[i].manual, lines[i].gross, i))


def _deal_discounts(promo: Promotion, keys: list[int], lines: Sequence[PromoLine]) -> dict[int, int]:
    if promo.kind is Kind.SPECIAL_PRICE:
        return {k: d for k in keys if (d := special_price_discount(promo, lines[k])) > 0}
    return quantity_discounts(promo, [(k, lines[k]) for k in keys])


def _useful(promos: list[Promotion], line: PromoLine) -> list[Promotion]:
    """The candidates worth trying on a line: special prices are independent per line, so only the
    best one (lowest id on a tie) can win; a quantity deal needs a whole unit."""
    best: tuple[int, Promotion] | None = None
    deals = []
    for p in promos:
        if p.kind is Kind.SPECIAL_PRICE:
            off = special_price_discount(p, line)
            if off > 0 and (best is None or off > best[0]):
                best = (off, p)
        elif line.qty >= MILLI:
            deals.append(p)
    return sorted(deals + ([best[1]] if best else []), key=lambda p: p.sort_key)


def _choose_exclusive(order: list[int], lines: Sequence[PromoLine],
                      cands: dict[int, list[Promotion]]) -> dict[int, Promotion]:
    """Step 2: the best assignment line → one non-stackable line-level promotion."""
    choice: dict[int, Promotion] = {k: c[0] for k, c in cands.items() if len(c) == 1}
    open_lines = [k for k in order if len(cands.get(k, ())) > 1]
    # Lines that share a quantity deal are decided together; special prices link nothing.
    parent = {k: k for k in open_lines}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first_by_deal: dict[tuple[int, str], int] = {}
    for k in open_lines:
        for p in cands[k]:
            if p.kind is not Kind.SPECIAL_PRICE:
                other = first_by_deal.setdefault(p.sort_key, k)
                parent[root(k)] = root(other)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in open_lines:
        groups[root(k)].append(k)
    for group in groups.values():
        _decide_group(group, order, lines, cands, choice)
    return choice


def _group_value(group: list[int], order: list[int], lines: Sequence[PromoLine],
                 cands: dict[int, list[Promotion]], choice: dict[int, Promotion],
                 memo: dict[tuple[tuple[int, str], tuple[int, ...]], int]) -> int:
    # Every deal a group line could take counts, so that the part from fixed lines is always in.
    # A deal's value depends only on its lines: combinations share it through ``memo``.
    touched = {p.sort_key: p for k in group for p in cands[k]}
    value = 0
    for key, promo in touched.items():
        keys = tuple(k for k in order if k in choice and choice[k].sort_key == key)
        found = memo.get((key, keys))
        if found is None:
            found = memo[(key, keys)] = sum(_deal_discounts(promo, list(keys), lines).values())
        value += found
    return value


def _decide_group(group: list[int], order: list[int], lines: Sequence[PromoLine],
                  cands: dict[int, list[Promotion]], choice: dict[int, Promotion]) -> None:
    options = [cands[k] for k in group]
    memo: dict[tuple[tuple[int, str], tuple[int, ...]], int] = {}
    combos = 1
    for o in options:
        combos *= len(o)
    if combos <= SEARCH_LIMIT:
        best: tuple[int, ...] | None = None
        best_value = -1
        for pick in itertools.product(*(range(len(o)) for o in options)):
            for k, i, o in zip(group, pick, options, strict=True):
                choice[k] = o[i]
            value = _group_value(group, order, lines, cands, choice, memo)
            if value > best_value:
                best_value, best = value, pick
        assert best is not None
        for k, i, o in zip(group, best, options, strict=True):
            choice[k] = o[i]
        return
    for k, o in zip(group, options, strict=True):
        choice[k] = o[0]
    improved = True
    current = _group_value(group, order, lines, cands, choice, memo)
    while improved:
        improved = False
        for k, o in zip(group, options, strict=True):
            keep = choice[k]
            for p in o:
                choice[k] = p
                value = _group_value(group, order, lines, cands, choice, memo)
                if value > current:
                    current, keep, improved = value, p, True
            choice[k] = keep


@dataclass
class _Priced:
    """One pricing of the cart: what each line got, from which promotion."""

    off: list[int]
    given: dict[tuple[int, str], tuple[Promotion, dict[int, int]]]
    exclusive: dict[int, int]  # fen off per line from its non-stackable line-level promotion (step 2)
    stacked: set[int]  # lines a stackable line-level promotion touched (step 3)
    single: int  # what the non-stackable threshold chosen in step 4 took (0: none)


def _price(index: _Index, lines: Sequence[PromoLine], order: list[int], eligible: list[int],
           by_line: dict[int, list[Promotion]], barred: frozenset[int] = frozenset()) -> _Priced:
    """Steps 1–4 of the module doc; ``barred`` lines take no non-stackable line-level promotion
    (step 5 tries them under a threshold instead)."""
    off = [0] * len(lines)
    given: dict[tuple[int, str], tuple[Promotion, dict[int, int]]] = {}

    def give(promo: Promotion, shares: dict[int, int]) -> None:
        shares = {k: v for k, v in shares.items() if v > 0}
        if not shares:
            return
        entry = given.setdefault(promo.sort_key, (promo, {}))
        for k, v in shares.items():
            off[k] += v
            entry[1][k] = entry[1].get(k, 0) + v

    exclusive = {k: [p for p in ps if not p.stackable] for k, ps in by_line.items() if k not in barred}
    cands = {k: ps for k, ps in ((k, _useful(ps, lines[k])) for k, ps in exclusive.items()) if ps}
    choice = _choose_exclusive(order, lines, cands)
    for key in sorted({p.sort_key for p in choice.values()}):
        keys = [k for k in order if k in choice and choice[k].sort_key == key]
        give(choice[keys[0]], _deal_discounts(choice[keys[0]], keys, lines))
    step2 = {k: off[k] for k in eligible if off[k] > 0}

    stackable = sorted({p.sort_key: p for ps in by_line.values() for p in ps if p.stackable}.values(),
                       key=lambda p: p.sort_key)
    for promo in stackable:
        keys = [k for k in eligible if promo in by_line[k]]
        shares = _deal_discounts(promo, keys, lines)
        give(promo, {k: min(v, lines[k].gross - off[k]) for k, v in shares.items()})
    stacked = {k for k in eligible if off[k] > step2.get(k, 0)}
    promoted = set(step2) | stacked

    def base_lines(promo: Promotion) -> list[int]:
        return [k for k in eligible if promo.covers(lines[k].product_id, lines[k].category_id)
                and (promo.stackable or k not in promoted) and lines[k].gross - off[k] > 0]

    def reduce(promo: Promotion) -> tuple[int, list[int]]:
        keys = base_lines(promo)
        return threshold_reduction(promo, sum(lines[k].gross - off[k] for k in keys)), keys

    plans = [(promo, *reduce(promo)) for promo in index.thresholds]
    single = [p for p in plans if not p[0].stackable and p[1] > 0]
    chosen = [max(single, key=lambda p: (p[1], -p[0].id))] if single else []
    for promo, amount, keys in chosen + [p for p in plans if p[0].stackable and p[1] > 0]:
        keys = [k for k in keys if lines[k].gross - off[k] > 0]
        amount = min(amount, sum(lines[k].gross - off[k] for k in keys))
        give(promo, dict(zip(keys, allocate(amount, [lines[k].gross - off[k] for k in keys]), strict=True)))
    return _Priced(off, given, step2, stacked, chosen[0][1] if chosen else 0)


def _release(index: _Index, lines: Sequence[PromoLine], order: list[int], eligible: list[int],
             first: _Priced) -> frozenset[int]:
    """Step 5's lines: for each non-stackable threshold, the lines of its scope that took a
    non-stackable line-level promotion (and no stackable one) are released one by one, the least
    fen off first (ties: canonical order), estimating ``the threshold's reduction on the larger
    base − the non-stackable threshold step 4 gave − the line discounts given up``; the largest
    estimate above zero over all thresholds and steps (ties: the first found — lowest id, fewest
    lines) names the lines. Empty: nothing worth trying."""
    rank = {k: i for i, k in enumerate(order)}
    best: tuple[int, frozenset[int]] = (0, frozenset())
    steps: dict[tuple[frozenset[int], frozenset[int]], tuple[list[int], list[tuple[int, int]]]] = {}
    for promo in index.thresholds:
        if promo.stackable:
            continue
        scope_key = (promo.product_ids, promo.category_ids)  # thresholds of one scope share the walk
        found = steps.get(scope_key)
        if found is None:
            scope = [k for k in eligible if promo.covers(lines[k].product_id, lines[k].category_id)]
            base = sum(lines[k].gross - first.off[k] for k in scope if k not in first.exclusive
                       and k not in first.stacked and lines[k].gross - first.off[k] > 0)
            free = sorted((k for k in scope if k in first.exclusive and k not in first.stacked),
                          key=lambda k: (first.exclusive[k], rank[k]))
            walk, lost = [], 0
            for k in free:  # (base, line discounts given up) after releasing each line in turn
                base += lines[k].gross
                lost += first.exclusive[k]
                walk.append((base, lost))
            found = steps[scope_key] = (free, walk)
        free, walk = found
        for n, (base, lost) in enumerate(walk, 1):
            gain = threshold_reduction(promo, base) - first.single - lost
            if gain > best[0]:
                best = (gain, frozenset(free[:n]))
    return best[1]


def apply_promotions(lines: Sequence[PromoLine], moment: datetime, member: bool,
                     promotions: Sequence[Promotion]) -> PromotionResult:
    """The promotions ``lines`` get at ``moment`` (see the module doc for the rule)."""
    index = _Index(promotions, moment, member)
    order = _canonical(lines)
    eligible = [k for k in order if not lines[k].manual and lines[k].gross > 0]
    by_line = {k: index.line_promotions(lines[k]) for k in eligible}
    priced = _price(index, lines, order, eligible, by_line)
    released = _release(index, lines, order, eligible, priced)
    if released:
        other = _price(index, lines, order, eligible, by_line, released)
        if sum(other.off) > sum(priced.off):  # a tie keeps the line promotions
            priced = other
    applied = tuple(AppliedPromotion(p.id, p.name, p.kind, sum(s.values()), tuple(sorted(s.items())))
                    for p, s in priced.given.values())
    subtotal = sum(line.gross for line in lines)
    discount = sum(priced.off)
    return PromotionResult(applied, tuple(priced.off), subtotal, discount, subtotal - discount)
