"""A small catalogue for the offers benchmark's tests: departments of two
categories each, every category holding a product of each of three brands."""

from tests.factories import category_create, product_in_stock

BRANDS = ("Hedgerow", "Tidewater", "Carrick")


def catalogue_small(*, departments: tuple[str, ...]) -> None:
    for department in departments:
        root = category_create(name=department)
        for leaf in ("Everyday", "Special"):
            category = category_create(name=f"{department} {leaf}", parent=root)
            for number, brand in enumerate(BRANDS):
                product_in_stock(
                    title=f"{department} {leaf} {number}",
                    price=f"{9 + number * 6}.95",
                    category=category,
                    attributes={"brand": brand},
                )
