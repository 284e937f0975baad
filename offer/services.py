"""Pricing a basket with the offers: the one way offers are applied, for the
basket page, the mini-basket, the checkout and the order.

`basket_offers_price` takes the offers open to the shopper now
(`offer.applicator`), keeps those whose range holds something in the basket
(worked out for all ranges at once, `offer.membership`), applies them in a
fixed order and puts in or takes out the free gifts the offers give.

The order: the merchant's priority first; among offers of the same priority,
the one giving the bigger discount on its own goes first, then the older
offer. Oscar takes same-priority offers in the order it happened to load them,
so of two exclusive offers on the same items the shopper could get the smaller
discount; here they get the bigger one, and the same basket is always priced
the same way. Only offers that can keep each other off a shared line are
applied on their own to be ordered (`_competing`); it is the biggest single
discount first, not a search of every combination.
"""

import copy
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from oscar.apps.offer.results import OfferApplications

from offer.applicator import Applicator
from offer.membership import range_holds_any, range_membership_batch
from offer.models import (
    Benefit,
    Range,
    gift_line_reference,
    is_gift_line,
    range_membership,
)


def basket_offers_price(
    *, basket, user=None, request=None, fresh: bool = False
) -> list:
    """Apply the offers open to `user` to `basket` (its `strategy` set),
    adding or removing the gifts they give; returns the offers considered
    (those that could apply to the basket's products), in the order applied.
    `fresh` reads the site offers from the database instead of the cache, as
    the checkout does (their limits as they are this moment), and the lines'
    products and prices too."""
    if fresh:
        basket.lines_read_fresh()
    lines = list(basket.all_lines())
    if not lines:
        _discounts_clear(basket, lines)
        return []
    applicator = Applicator(fresh=fresh)
    offers = applicator.get_offers(basket, user, request)
    # The gifts the offers may put in the basket are asked about with its
    # products, so pricing again with a gift added needs no more of it.
    products = [line.product for line in lines] + [
        offer.benefit.gift_product
        for offer in offers
        if offer.benefit.type == Benefit.FREE_GIFT and offer.benefit.gift_product_id
    ]
    with range_membership_known(offers=offers, products=products):
        offers = _priced(applicator, basket, offers)
        if basket_gifts_sync(basket=basket):
            offers = _priced(applicator, basket, offers)
    return offers


def _priced(applicator, basket, offers) -> list:
    lines = list(basket.all_lines())
    products = [line.product for line in lines]
    product_ids = frozenset(product.pk for product in products)
    offers = [offer for offer in offers if _may_apply(offer, products, product_ids)]
    offers, alone = _ranked(applicator, basket, offers)
    _discounts_clear(basket, lines)
    applicator.apply_offers(
        basket, [offer for offer in offers if not _gives_nothing(offer, alone)]
    )
    return offers


def _may_apply(offer, products, product_ids: frozenset[int]) -> bool:
    """Whether the offer's condition could be met by these products: a range
    holding none of them can't (a custom condition or range may)."""
    condition = offer.condition
    if condition.proxy_class or condition.range_id is None:
        return True
    holds = range_holds_any(range_id=condition.range_id, product_ids=product_ids)
    if holds is not None:
        return holds
    if condition.range.proxy_class:
        return True
    return any(condition.range.contains_product(product) for product in products)


# Benefits that give an offer no more beside other offers than on its own
# (others only take items away from it): one that gave nothing alone is not
# tried again. A fixed price for a set may (with its cheapest items taken by
# another offer, the set it is left costs more), as may a shipping discount or
# a gift (not basket discounts) or a custom benefit.
NOTHING_MORE_IN_COMPANY = {
    Benefit.PERCENTAGE,
    Benefit.FIXED,
    Benefit.FIXED_UNIT,
    Benefit.MULTIBUY,
    Benefit.TIERED,
}


def _gives_nothing(offer, alone: dict) -> bool:
    benefit = offer.benefit
    return (
        alone.get(offer.pk) == 0
        and not benefit.proxy_class
        and benefit.type in NOTHING_MORE_IN_COMPANY
    )


def _ranked(applicator, basket, offers) -> tuple[list, dict]:
    """The offers in the order they are applied, and what each gave on its
    own where that was needed to order them (see the module's docstring)."""
    alone = {}
    for offer in _competing(applicator, basket, offers):
        known = applicator.discount_alone_known(basket, offer)
        if known is not None:
            alone[offer.pk] = known
            continue
        # Only the lines it reads: the others can't change what it gives.
        _discounts_clear(basket, applicator.lines_seen(basket, offer))
        applicator.apply_offers(basket, [offer])
        alone[offer.pk] = sum(
            (found["discount"] for found in basket.offer_applications),
            Decimal("0.00"),
        )
        applicator.discount_alone_keep(basket, offer, alone[offer.pk])
    ranked = sorted(
        offers,
        key=lambda offer: (-offer.priority, -alone.get(offer.pk, 0), offer.pk),
    )
    return ranked, alone


def _competing(applicator, basket, offers) -> list:
    """The offers whose order changes what the basket gets: those sharing a
    priority and a basket line with another that may keep them off it (one of
    the two exclusive, or restricted to named combinations). Offers on lines
    of their own, or combinable with each other, give the same in any order.

    Worked out line by line rather than pair by pair: on a line that two or
    more offers of a priority read, one of them keeping others off, each of
    them competes (with that one)."""
    by_priority = defaultdict(list)
    for offer in offers:
        by_priority[offer.priority].append(offer)
    competing = set()
    for group in by_priority.values():
        keeping_off = {offer.pk for offer in group if _keeps_others_off(offer)}
        if len(group) < 2 or not keeping_off:
            continue
        on_line = defaultdict(list)  # line id -> the group's offers reading it
        for offer in group:
            for line in applicator.lines_seen(basket, offer):
                on_line[line.id].append(offer.pk)
        for readers in on_line.values():
            if len(readers) > 1 and not keeping_off.isdisjoint(readers):
                competing.update(readers)
    return list({offer.pk: offer for offer in offers if offer.pk in competing}.values())


def _keeps_others_off(offer) -> bool:
    return bool(offer.exclusive or offer.combinations.all())


def _discounts_clear(basket, lines) -> None:
    """Forget what was applied, without reading the lines again (Oscar's
    `reset_offer_applications` drops them)."""
    basket.offer_applications = OfferApplications()
    basket.__dict__["gifts_wanted"] = {}
    for line in lines:
        line.clear_discount()


def basket_gifts_sync(*, basket) -> bool:
    """Put in the basket the gift of each offer that gives one, and take out
    gifts whose offer no longer applies; returns whether the lines changed.
    A gift out of stock is not added, and one that sold out since is taken
    out (a free gift never stops an order). A basket being paid for is left
    as it is: its stock is reserved."""
    if not basket.id or not basket.can_be_edited:
        return False
    wanted = basket.__dict__.get("gifts_wanted", {})
    wanted_refs = {
        gift_line_reference(offer_id=offer_id, product_id=product.pk): product
        for offer_id, product in wanted.items()
    }
    loaded = basket.all_lines()
    present, removed = set(), []
    for line in list(loaded):
        if not is_gift_line(line):
            continue
        if line.line_reference in wanted_refs and _can_buy(line):
            present.add(line.line_reference)
            continue
        line.delete()
        removed.append(line)
    added = []
    for reference, product in wanted_refs.items():
        if reference not in present:
            gift = _gift_add(basket, reference, product)
            if gift is not None:
                added.append(gift.pk)
    if added or removed:
        basket._lines = _lines_changed(loaded, removed=removed, added=added)
    return bool(added or removed)


def _lines_changed(lines, *, removed: list, added: list[int]):
    """The loaded lines (a queryset) less those taken out (deleted, so told
    apart by identity: they have no id any more) and with those added, read
    as the basket reads its lines: the others are not read again (reading
    every line with all a page shows of it costs more than pricing it)."""
    gone = {id(line) for line in removed}
    kept = [line for line in lines if id(line) not in gone]
    if added:
        kept = sorted([*kept, *lines.filter(pk__in=added)], key=lambda line: line.pk)
    changed = copy.copy(lines)
    changed._result_cache = kept
    return changed


def _can_buy(line) -> bool:
    availability = line.purchase_info.availability
    return (
        availability.is_available_to_buy
        and availability.is_purchase_permitted(line.quantity)[0]
    )


def _gift_add(basket, reference: str, product):
    """The gift's line, put in the basket; None when it can't be."""
    info = basket.strategy.fetch_for_product(product)
    if not info.availability.is_available_to_buy or info.stockrecord is None:
        return None
    price = info.price
    line = basket.lines.model(
        basket=basket,
        line_reference=reference,
        product=product,
        stockrecord=info.stockrecord,
        quantity=1,
        price_currency=price.currency,
        price_excl_tax=price.excl_tax,
        price_incl_tax=price.incl_tax if price.is_tax_known else None,
        tax_code=price.tax_code,
    )
    # Inside the caller's transaction a clash must not spoil it (a savepoint);
    # outside one, a failed INSERT leaves nothing behind.
    guard = transaction.atomic if connection.in_atomic_block else nullcontext
    try:
        with guard():
            line.save(force_insert=True)
    except IntegrityError:
        return None  # added by a request pricing the same basket meanwhile
    return line


def _ranges_of(offers) -> dict[int, Range]:
    ranges = {}
    for offer in offers:
        for part in (offer.condition, offer.benefit):
            if part is not None and part.range_id is not None:
                ranges.setdefault(part.range_id, part.range)
    return ranges


@contextmanager
def range_membership_known(*, offers: Iterable, products: Iterable) -> Iterator[None]:
    """While inside, each offer's ranges know which of `products` they contain,
    from a few queries for all the ranges together (`offer.membership`)
    instead of one per range, product and check."""
    known = range_membership_batch(
        ranges=_ranges_of(offers).values(), products=products
    )
    token = range_membership.set(known)
    try:
        yield
    finally:
        range_membership.reset(token)
