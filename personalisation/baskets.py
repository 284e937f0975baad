"""Baskets read from a file: one basket a line, its items comma-separated (the
format of the arules `Groceries` data and of an order export)."""

from pathlib import Path


def baskets_read(*, path: Path | str) -> list[list[str]]:
    """Each line's items, in order, once each; blank fields and the spaces
    around an item are ignored, and so are lines with no item."""
    baskets = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            items = [item.strip() for item in line.split(",")]
            basket = list(dict.fromkeys(item for item in items if item))
            if basket:
                baskets.append(basket)
    return baskets
