"""The offers benchmark's data, made inside our shop (Django set up): a shopper's
basket of distinct products from every department, site offers of every kind a
merchant makes, and voucher sets of single-use codes.

Offers are made as the dashboard makes them: a Range, a Condition and a Benefit
joined by a ConditionalOffer, ranges shared between offers as merchants reuse
them. The first `few` offers are a small shop's, aimed at what the basket holds
(a category discount, 3 for £X, a multibuy, spend more save more, free
delivery), each using one of the rules that cost a query (once per customer,
an audience, days and hours, named combinations). The others are spread over
the catalogue as a large shop's would be: mostly deals on lists of products
and on categories, some on brands, departments and product classes, a few on
everything; with random priorities and exclusivity, some rules of each kind,
and a fixed seed. Voucher sets are written in bulk, with the names and code
format Oscar's dashboard gives them one voucher at a time.
"""

import random
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from basket.models import Basket
from bench.harness.offers_vouchers import voucher_sets_make
from catalogue.models import Category, Product, ProductAttributeValue, ProductClass
from offer.models import (
    BRAND_ATTRIBUTE,
    Benefit,
    Condition,
    ConditionalOffer,
    CustomerGroup,
    Range,
    RangeProduct,
)
from partner.strategy import Selector

PREFIX = "Bench"
SHOPPER = "offers-bench"
FEW_KINDS = ("category", "three_for", "multibuy", "tiered", "shipping")
FEW_RULES = ("once_per_customer", "first_order", "groups", "schedule", "combined")
# The large shop's other offers are drawn by these weights.
KIND_WEIGHTS = {
    "products": 85,
    "category": 30,
    "three_for": 20,
    "multibuy": 15,
    "brand": 14,
    "tiered": 8,
    "shipping": 8,
    "everything": 7,
    "product_class": 6,
    "gift": 2,
}
LISTS_HOLDING_BASKET_ITEMS = 0.1  # share of product lists holding a basket item
PRODUCTS_PER_LIST = 40


@dataclass(frozen=True)
class Seeded:
    user_id: int
    basket_id: int
    site_offer_ids: list[int]  # the first `few` are the small shop's
    few: int
    vouchers: int
    voucher_id: int | None  # a code of the first set, for the basket
    lines: int


def offers_seed(*, many: int, few: int, vouchers: int, lines: int, seed: int) -> Seeded:
    """Make the shopper, their basket of `lines` products, `many` site offers
    and `vouchers` single-use codes; every other site offer is suspended."""
    rng = random.Random(seed)
    now = timezone.now()
    products = basket_products(lines=lines, rng=rng)
    user, groups = _shopper()
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product in products:
        basket.add_product(product, rng.randint(1, 3))
    ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE).update(
        status=ConditionalOffer.SUSPENDED
    )
    maker = _OfferMaker(rng=rng, basket=products, groups=groups, now=now)
    few = min(few, many, len(FEW_KINDS))
    pool = [kind for kind, weight in KIND_WEIGHTS.items() for _ in range(weight)]
    rng.shuffle(pool)
    offers = [
        maker.offer(index, kind, aimed=True)
        for index, kind in enumerate(FEW_KINDS[:few])
    ]
    offers += [
        maker.offer(index, pool[index % len(pool)], aimed=False)
        for index in range(few, many)
    ]
    voucher = voucher_sets_make(total=vouchers, rng=rng, now=now, prefix=PREFIX)
    return Seeded(
        user_id=user.pk,
        basket_id=basket.pk,
        site_offer_ids=[offer.pk for offer in offers],
        few=few,
        vouchers=vouchers,
        voucher_id=voucher.pk if voucher else None,
        lines=len(products),
    )


def basket_products(*, lines: int, rng: random.Random) -> list:
    """Distinct products a shopper can buy (standalone or a variant, in stock,
    without options), taken in turn from each department."""
    candidates = list(
        Product.objects.exclude(structure=Product.PARENT)
        .filter(stockrecords__num_in_stock__gte=3, stockrecords__price__isnull=False)
        .filter(Q(is_public=True), Q(parent__isnull=True) | Q(parent__is_public=True))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    rng.shuffle(candidates)
    strategy = Selector().strategy()
    by_department: dict[str, list] = {}
    chosen_from = Product.objects.filter(pk__in=candidates[: lines * 10])
    for product in chosen_from.order_by("pk"):
        categories = list(product.get_categories().all())
        if not categories or product.has_options:
            continue
        info = strategy.fetch_for_product(product)
        if info.availability.is_available_to_buy and info.price.exists:
            by_department.setdefault(categories[0].path[:4], []).append(product)
    chosen = []
    queues = [by_department[key] for key in sorted(by_department)]
    while len(chosen) < lines and any(queues):
        for queue in queues:
            if queue and len(chosen) < lines:
                chosen.append(queue.pop(rng.randrange(len(queue))))
    return chosen


def _shopper():
    """A signed-in customer without orders, in the first of two customer
    groups."""
    user, _ = get_user_model().objects.get_or_create(
        username=SHOPPER, defaults={"email": f"{SHOPPER}@example.com"}
    )
    groups = [
        CustomerGroup.objects.get_or_create(name=f"{PREFIX} {name}")[0]
        for name in ("regulars", "trade")
    ]
    groups[0].members.add(user)
    return user, groups


class _OfferMaker:
    """One offer of each kind asked for, on ranges shared like a merchant's.
    While `aimed`, ranges are picked from what the basket holds."""

    def __init__(self, *, rng: random.Random, basket: list, groups: list, now):
        self.rng, self.basket, self.groups, self.now = rng, basket, groups, now
        self.aimed = False
        self.ranges: dict[tuple, Range] = {}
        self.categories = dict(Category.objects.values_list("pk", "path"))
        self.brands = sorted(
            set(
                ProductAttributeValue.objects.filter(
                    attribute__code=BRAND_ATTRIBUTE
                ).values_list("value_text", flat=True)[:2000]
            )
            - {None, ""}
        )
        self.classes = list(ProductClass.objects.values_list("pk", flat=True))
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True)[:20000])
        self.pool = rng.sample(ids, min(len(ids), 2000))
        self.combinable: list[int] = []  # offers that are not exclusive
        self.numbers = count(1)

    def offer(self, index: int, kind: str, *, aimed: bool) -> ConditionalOffer:
        self.aimed = aimed
        name, condition, benefit = getattr(self, f"_{kind}")()
        rule = FEW_RULES[index] if self.aimed else _rule(index)
        exclusive = index % 2 == 0 if self.aimed else self.rng.random() < 0.5
        fields = {
            "priority": self.rng.choice((0, 0, 0, 0, 1, 5, 10)),
            "exclusive": exclusive and rule != "combined",
            **self._rule_fields(rule),
        }
        if benefit["type"] in (Benefit.FIXED, Benefit.TIERED, Benefit.FREE_GIFT):
            fields["max_basket_applications"] = 1
        offer = ConditionalOffer.objects.create(
            name=f"{PREFIX} {next(self.numbers)}: {name}",
            offer_type=ConditionalOffer.SITE,
            condition=Condition.objects.create(**condition),
            benefit=Benefit.objects.create(**benefit),
            **fields,
        )
        if rule in ("groups", "other_groups"):
            offer.customer_groups.add(self.groups[rule == "other_groups"])
        if rule == "combined" and self.combinable:
            offer.combinations.add(self.rng.choice(self.combinable))
        if not offer.exclusive:
            self.combinable.append(offer.pk)
        return offer

    def _rule_fields(self, rule: str | None) -> dict:
        today = timezone.localtime(self.now).isoweekday()
        if rule == "once_per_customer":
            return {"max_user_applications": 1}
        if rule in ("signed_in", "first_order"):
            return {"audience": rule}
        if rule in ("groups", "other_groups"):  # the shopper is in the first
            return {"audience": ConditionalOffer.GROUPS}
        if rule == "schedule":  # today and two more days, all day
            return {
                "valid_weekdays": sorted({today, today % 7 + 1, (today + 1) % 7 + 1}),
                "valid_from_time": time(0, 0),
                "valid_until_time": time(23, 59, 59, 999999),
            }
        if rule == "schedule_closed":  # tomorrow's happy hour
            return {
                "valid_weekdays": [today % 7 + 1],
                "valid_from_time": time(17, 0),
                "valid_until_time": time(19, 0),
            }
        return {}

    # --- The kinds: (name, condition fields, benefit fields) ---------------

    def _category(self):
        found = self._category_range()
        percent = self.rng.choice((5, 10, 15, 20, 25))
        return self._deal(f"{percent}% off", found, (Condition.COUNT, 1), percent)

    def _products(self):
        found = self._range(("products", next(self.numbers)))
        chosen = set(self.rng.sample(self.pool, min(len(self.pool), PRODUCTS_PER_LIST)))
        if self.aimed or self.rng.random() < LISTS_HOLDING_BASKET_ITEMS:
            chosen.add(self.rng.choice(self.basket).pk)
        RangeProduct.objects.bulk_create(
            RangeProduct(range=found, product_id=pk, display_order=order)
            for order, pk in enumerate(sorted(chosen))
        )
        percent = self.rng.choice((10, 20, 30))
        return self._deal(f"{percent}% off", found, (Condition.COUNT, 1), percent)

    def _everything(self):
        found = self._range(("everything", next(self.numbers)))
        found.includes_all_products = True
        found.save()
        found.excluded_products.add(*self.rng.sample(self.pool, 3))
        found.excluded_categories.add(self._category_id(top=True))
        spend = self.rng.choice((60, 100, 150))
        return self._deal(
            f"Over £{spend}, 10% off", found, (Condition.VALUE, spend), 10
        )

    def _product_class(self):
        product_class = self.rng.choice(self.classes)
        found = self._range(("class", product_class))
        if not found.classes.exists():
            found.classes.add(product_class)
        return self._deal("Two or more, 10% off", found, (Condition.COUNT, 2), 10)

    def _deal(self, name: str, found: Range, condition: tuple, percent) -> tuple:
        """`percent` off the range's items when `condition` (type, value) is met."""
        return (
            f"{name} {found.name}",
            _condition(found, *condition),
            _benefit(found, Benefit.PERCENTAGE, percent),
        )

    def _brand(self):
        brand = self._brand_pick()
        found = self._range(("brand", brand), brand=brand)
        spend, off = self.rng.choice(((30, 5), (50, 10), (80, 15)))
        return (
            f"£{off} off £{spend} of {brand}",
            _condition(found, Condition.VALUE, spend),
            _benefit(found, Benefit.FIXED, off),
        )

    def _three_for(self):
        found = self._category_range()
        price = self.rng.choice((20, 30, 50, 75))
        return (
            f"3 for £{price} on {found.name}",
            _condition(found, Condition.COUNT, 3),
            _benefit(None, Benefit.FIXED_PRICE, price),
        )

    def _multibuy(self):
        brand = self._brand_pick()
        found = self._range(("brand", brand), brand=brand)
        items = self.rng.choice((2, 3))
        return (
            f"Buy {items} {brand}, the cheapest free",
            _condition(found, Condition.COUNT, items),
            _benefit(found, Benefit.MULTIBUY, None),
        )

    def _tiered(self):
        found = self._category_range(top=True)
        tiers = [
            {"threshold": "50.00", "discount": "5.00"},
            {"threshold": "100.00", "discount": "15.00"},
            {"threshold": "200.00", "discount": "40.00"},
        ]
        return (
            f"Spend more, save more on {found.name}",
            _condition(found, Condition.VALUE, 50),
            {**_benefit(found, Benefit.TIERED, None), "tiers": tiers},
        )

    def _shipping(self):
        found = self._range(("all",), includes_all_products=True)
        spend = self.rng.choice((40, 75, 100))
        benefit, value, name = self.rng.choice(
            (
                (Benefit.SHIPPING_FIXED_PRICE, 0, "Free delivery"),
                (Benefit.SHIPPING_PERCENTAGE, 50, "Half-price delivery"),
                (Benefit.SHIPPING_ABSOLUTE, 3, "£3 off delivery"),
            )
        )
        return (
            f"{name} over £{spend}",
            _condition(found, Condition.VALUE, spend),
            _benefit(None, benefit, value),
        )

    def _gift(self):
        gift = self._gift_product()
        if gift is None:
            return self._category()
        found = self._range(("all",), includes_all_products=True)
        return (
            f"A free {gift.get_title()} over £50",
            _condition(found, Condition.VALUE, 50),
            {**_benefit(None, Benefit.FREE_GIFT, None), "gift_product": gift},
        )

    # --- Ranges ----------------------------------------------------------------

    def _range(self, key: tuple, **fields) -> Range:
        if key not in self.ranges:
            self.ranges[key] = Range.objects.create(
                name=f"{PREFIX} range {len(self.ranges) + 1} ({key[0]})", **fields
            )
        return self.ranges[key]

    def _category_range(self, *, top: bool = False) -> Range:
        category = self._category_id(top=top)
        found = self._range(("category", category))
        if not found.included_categories.exists():
            found.included_categories.add(category)
        return found

    def _category_id(self, *, top: bool = False) -> int:
        """A category (a department when `top`): while aimed, one holding a
        basket product."""
        if self.aimed:
            product = self.rng.choice(self.basket)
            path = self.rng.choice(list(product.get_categories().all())).path
            wanted = path[:4] if top else path
            return next(pk for pk, found in self.categories.items() if found == wanted)
        return self.rng.choice(
            [pk for pk, path in self.categories.items() if len(path) == 4 or not top]
        )

    def _brand_pick(self) -> str:
        """A brand: while aimed, a basket product's (or its parent's)."""
        if self.aimed:
            for product in self.rng.sample(self.basket, len(self.basket)):
                brand = (
                    ProductAttributeValue.objects.filter(
                        product_id__in=[product.pk, product.parent_id],
                        attribute__code=BRAND_ATTRIBUTE,
                    )
                    .values_list("value_text", flat=True)
                    .first()
                )
                if brand:
                    return brand
        return self.rng.choice(self.brands) if self.brands else "No brand"

    def _gift_product(self):
        """A product in stock that is not in the basket, if there is one."""
        return (
            Product.objects.filter(
                pk__in=self.pool,
                structure=Product.STANDALONE,
                stockrecords__num_in_stock__gte=5,
            )
            .exclude(pk__in=[product.pk for product in self.basket])
            .order_by("pk")
            .first()
        )


def _rule(index: int) -> str | None:
    """The rule a large shop's offer follows, if any: about a third have one."""
    if index % 9 == 0:
        return "once_per_customer"
    if index % 7 == 1:
        return ("signed_in", "first_order", "groups", "other_groups")[(index // 7) % 4]
    if index % 8 == 2:
        return "schedule" if (index // 8) % 2 else "schedule_closed"
    if index % 10 == 3:
        return "combined"
    return None


def _condition(found: Range, kind: str, value) -> dict:
    return {"range": found, "type": kind, "value": Decimal(value)}


def _benefit(found: Range | None, kind: str, value) -> dict:
    return {
        "range": found,
        "type": kind,
        "value": Decimal(value) if value is not None else None,
    }
