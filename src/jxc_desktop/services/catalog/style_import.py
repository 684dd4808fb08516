"""The product file's optional style columns (款号, 颜色, 色号, 尺码, and 款名): rows that share a
style become the colour × size variants of that style, the style created with its colours and
sizes when the shop does not have it yet, or given the new ones when it does.

Two steps inside the import's transaction (product_files.py): ``prepare`` before the rows are
matched (each colour gets its code — the style's own for a colour it knows, the file's 色号, else
the next free two digits —, and a row without 货号 gets the variant's code, so importing the same
file again updates the same products); ``attach`` after the products are written (the style,
its colours and sizes, and each product's style columns). A bad row is reported like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Style, StyleColour, StyleSize
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.variants import check_colour, check_size, check_style_code, size_rank, variant_code
from jxc_desktop.services.catalog.product_file_format import STYLE_KEYS, Plan

Bad = Callable[[int, str], None]


@dataclass
class _FileStyle:
    code: str
    colours: dict[str, str] = field(default_factory=dict)  # colour name -> code, in order met
    sizes: list[str] = field(default_factory=list)
    rows: list[Plan] = field(default_factory=list)


def _styled(plans: list[Plan]) -> list[Plan]:
    return [p for p in plans if STYLE_KEYS & set(p.fields)]


def prepare(session: Session, plans: list[Plan], bad: Bad) -> dict[str, _FileStyle]:
    """Check the style cells, give colours their codes and code-less rows their variant codes."""
    styles: dict[str, _FileStyle] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for plan in _styled(plans):
        f = plan.fields
        try:
            if not (f.get("style") and f.get("colour") and f.get("size")):
                raise ValidationError("A row with a style needs its 款号, 颜色 and 尺码")
            code = check_style_code(f["style"])
            size = check_size(f["size"])
            st = styles.get(code)
            if st is None:
                st = styles[code] = _FileStyle(code, _known_colours(session, code))
            name = " ".join(f["colour"].split())
            given = f.get("colour_code", "").strip()
            colour_code = st.colours.get(name) or given or _next_code(st.colours.values())
            if given and given != colour_code:
                raise ValidationError("Colour {colour} of style {code} has the code {known}, not {given}",
                                      colour=name, code=code, known=colour_code, given=given)
            if colour_code in st.colours.values() and st.colours.get(name) != colour_code:
                raise ValidationError("Colour code {code} is given twice", code=colour_code)
            colour = check_colour(colour_code, name)
        except JxcError as exc:
            bad(plan.row, exc.message)
            continue
        st.colours.setdefault(colour.name, colour.code)
        if size not in st.sizes:
            st.sizes.append(size)
        key = (code, colour.code, size)
        if key in seen:
            bad(plan.row, ValidationError("{colour}/{size} of style {code} repeats row {other}", colour=colour.name,
                                          size=size, code=code, other=seen[key]).message)
            continue
        seen[key] = plan.row
        f.update(style=code, colour=colour.name, colour_code=colour.code, size=size)
        f.setdefault("code", variant_code(code, colour.code, size))
        st.rows.append(plan)
    return styles


def _known_colours(session: Session, style_code: str) -> dict[str, str]:
    return {name: code for name, code in session.execute(
        select(StyleColour.name, StyleColour.code).join(Style, Style.id == StyleColour.style_id)
        .where(Style.code == style_code).order_by(StyleColour.sort, StyleColour.id))}


def _next_code(taken: object) -> str:
    used = set(taken)  # type: ignore[call-overload]
    n = 1
    while f"{n:02d}" in used:
        n += 1
    return f"{n:02d}"


def _style_name(plan: Plan) -> str:
    """The 款名 cell, else the row's name without the colour and size written at its end."""
    f = plan.fields
    if f.get("style_name"):
        return str(f["style_name"])
    words = str(f.get("name", "")).split()
    while len(words) > 1 and words[-1] in (f["colour"], f["size"]):
        words.pop()
    return " ".join(words) or f["style"]


def attach(session: Session, styles: dict[str, _FileStyle], bad: Bad) -> int:
    """After the rows are written: the styles, their new colours and sizes, and each product's
    style columns. Returns how many styles were created."""
    created = 0
    for st in styles.values():
        if not st.rows:
            continue
        products = {p.code: p for p in session.scalars(
            select(Product).where(Product.code.in_([r.fields["code"] for r in st.rows])))}
        style = session.scalar(select(Style).where(Style.code == st.code))
        if style is None:
            first = products.get(st.rows[0].fields["code"])
            if first is None:
                continue  # its row was bad: reported already
            style = Style(code=st.code, name=_style_name(st.rows[0])[:100], category_id=first.category_id,
                          unit=first.unit, sale_price=first.sale_price, ref_cost=first.ref_cost, season="",
                          brand="", size_group="", active=True)
            session.add(style)
            session.flush()
            created += 1
            st.sizes.sort(key=size_rank)
        colours = {c.code for c in session.scalars(select(StyleColour).where(StyleColour.style_id == style.id))}
        sizes = set(session.scalars(select(StyleSize.size).where(StyleSize.style_id == style.id)))
        for name, code in st.colours.items():
            if code not in colours:
                session.add(StyleColour(style_id=style.id, code=code, name=name, sort=len(colours)))
                colours.add(code)
        for size in st.sizes:
            if size not in sizes:
                session.add(StyleSize(style_id=style.id, size=size, sort=len(sizes)))
                sizes.add(size)
        taken = {(c, s): pid for pid, c, s in session.execute(
            select(Product.id, Product.colour_code, Product.size).where(Product.style_id == style.id))}
        for plan in st.rows:
            f = plan.fields
            product = products.get(f["code"])
            if product is None:
                continue
            if product.style_id not in (None, style.id):
                bad(plan.row, ValidationError("Product {code} is already a variant of another style",
                                              code=product.code).message)
                continue
            other = taken.get((f["colour_code"], f["size"]))
            if other is not None and other != product.id:
                bad(plan.row, ValidationError("{colour}/{size} of style {code} is another product already",
                                              colour=f["colour"], size=f["size"], code=st.code).message)
                continue
            product.style_id, product.colour_code = style.id, f["colour_code"]
            product.colour, product.size = f["colour"], f["size"]
            taken[(f["colour_code"], f["size"])] = product.id
    session.flush()
    return created
