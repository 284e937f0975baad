"""Seeding the demo shop: the one operation `seed_demo` runs.

Every row has a deterministic key (UPC `DEMO-000001`, a variant `DEMO-000001-3`,
category slugs, the partner code, offer names, the voucher code), and only what is
missing is created, so running again adds nothing and a larger `products` adds
exactly the difference. A browsable product is written whole, with its variants,
attribute values, category, stock and image, inside one transaction.
"""

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from oscar.checks import use_productcategory_materialised_view

from catalogue.demo.countries import demo_countries_ensure
from catalogue.demo.data import STAFF_EMAIL, UPC_PREFIX
from catalogue.demo.generate import product_spec, product_upc
from catalogue.demo.images import demo_images_ensure
from catalogue.demo.offers import demo_offers_ensure
from catalogue.demo.orders import demo_orders_ensure
from catalogue.demo.products import Written, products_write
from catalogue.demo.staff import StaffAccount, staff_account_ensure
from catalogue.demo.structure import structure_ensure
from catalogue.models import Product
from catalogue.services import listing_refresh, listing_statistics_update
from personalisation.events import events_flush
from personalisation.training import bought_together_train

DEFAULT_SEED = 1858
# Browsable products generated and written per round: bounds memory at 100,000.
CHUNK = 2000


@dataclass(frozen=True)
class DemoSeedResult:
    products: int  # browsable demo products asked for
    existing: int  # of those, how many were already there
    written: Written
    categories_created: int
    image_files_written: int
    offers_created: list[str]
    staff: StaffAccount
    seconds: float
    orders_placed: int = 0

    @property
    def nothing_added(self) -> bool:
        return not (
            self.written.browsable
            or self.categories_created
            or self.image_files_written
            or self.offers_created
            or self.staff.created
            or self.orders_placed
        )


def demo_seed(
    *,
    products: int,
    seed: int = DEFAULT_SEED,
    staff_password: str | None = None,
    if_empty: bool = False,
    orders: int = 0,
) -> DemoSeedResult | None:
    """Make sure the first `products` demo products and the demo's fixtures exist.

    With `if_empty`, a shop that has any product at all is left alone (None is
    returned): `make run` seeds a fresh shop but never adds to a merchant's own.
    A shop without orders gets `orders` demo orders (`demo_orders_ensure`).
    """
    if if_empty and Product.objects.exists():
        return None
    started = time.monotonic()
    image_files = demo_images_ensure()
    with transaction.atomic():
        structure = structure_ensure()
        existing = set(
            Product.objects.filter(
                parent__isnull=True, upc__startswith=UPC_PREFIX
            ).values_list("upc", flat=True)
        )
        missing = [
            index
            for index in range(1, products + 1)
            if product_upc(index) not in existing
        ]
        written = Written()
        for indexes in _chunks(missing, CHUNK):
            specs = [product_spec(index=index, seed=seed) for index in indexes]
            written += products_write(specs=specs, structure=structure)
            _listing_refresh(indexes)
        if written.browsable:
            listing_statistics_update()
        if written.browsable and use_productcategory_materialised_view():
            _product_category_view_refresh()
        offers_created = demo_offers_ensure()
        demo_countries_ensure()
    staff = staff_account_ensure(email=STAFF_EMAIL, password=staff_password)
    orders_placed = demo_orders_ensure(count=orders, seed=seed)
    if orders_placed:
        # The demo's purchases written and learnt from at once, so its product
        # pages show what is bought together before the nightly training.
        events_flush()
        bought_together_train()
    return DemoSeedResult(
        products=products,
        existing=products - len(missing),
        written=written,
        categories_created=structure.categories_created,
        image_files_written=image_files,
        offers_created=offers_created,
        staff=staff,
        seconds=time.monotonic() - started,
        orders_placed=orders_placed,
    )


def _listing_refresh(indexes: Sequence[int]) -> None:
    """The storefront reads the denormalised listing; bulk inserts send no signals."""
    upcs = [product_upc(index) for index in indexes]
    listing_refresh(
        product_ids=Product.objects.filter(upc__in=upcs).values_list("pk", flat=True)
    )


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _product_category_view_refresh() -> None:
    """Oscar refreshes this view from a ProductCategory post_save signal, which
    bulk_create does not send."""
    with connection.cursor() as cursor:
        cursor.execute(
            "REFRESH MATERIALIZED VIEW CONCURRENTLY "
            "catalogue_product_category_hierarchy"
        )
