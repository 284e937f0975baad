"""Which offers a basket is priced with: Oscar's Applicator, fed from the cache
and kept to the offers open to this shopper now.

Oscar reads every open site offer from the database for every basket, then
lets the ranges ask about each line. Here the site offers come from the cache
(`offer.site_offers.site_offers_open`, with their conditions, benefits and ranges
loaded), an offer outside its days and hours or its audience is left out, and
`offer.services.basket_offers_price` narrows them further to the offers whose
range holds something in the basket.

Applying them is Oscar's loop with what it asks of each offer worked out once
per pricing instead of on every pass (`basket_offers_price` applies each offer
on its own to rank offers of one priority, then all of them, so a basket with
200 offers made hundreds of passes):

- the condition's and benefit's proxies (Oscar builds both afresh for every
  check, looking up each proxy class by name, which costs imports), kept
  with the cached offers;
- how many times the offer may apply, with the shopper's uses of every
  once-per-customer offer read in one query (Oscar asks once per offer and
  pass);
- which offers each offer may share a line with, for offers restricted to
  named combinations, from what is prefetched with the offers (Oscar asks
  once per offer).

And each offer is shown only the lines it reads (those its ranges hold), so
a pass checks a few lines instead of all; what an offer gives on its own, which
ranks offers of one priority, is remembered for as long as the cached offers
last and the lines it reads stay the same (`discount_alone_known`).
"""

import copy
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone
from oscar.apps.offer import applicator
from oscar.apps.offer.results import ZERO_DISCOUNT, OfferApplications
from oscar.core.loading import get_model

from offer.audiences import ShopperFacts, offer_admits
from offer.membership import NOTHING, LinesKnown, lines_in_reach
from offer.models import is_gift_line, range_membership
from offer.site_offers import offers_by_id, site_offers_open
from voucher.models import Voucher

ALONE_KEPT = 500  # baskets' discounts kept for each offer (see `_alone_kept`)


class Applicator(applicator.Applicator):
    def __init__(self, *, fresh: bool = False):
        self.fresh = fresh  # site offers read from the database, not the cache
        self._user_uses = {}  # offer pk -> the basket owner's uses so far
        # The lines as loaded, and for them: each offer's reach, views of them,
        # and what its discount on its own depends on.
        self._lines_of, self._reaches, self._views = None, {}, {}
        self._lines_known = None
        self._alone_keys, self._line_keys = {}, {}

    def get_offers(self, basket, user=None, request=None):
        facts = ShopperFacts(user)
        offers = [
            offer
            for offer in super().get_offers(basket, user, request)
            if offer_admits(offer=offer, facts=facts)
        ]
        self._user_uses_read(basket.owner_id, offers)
        _combinations_read(offers)
        return offers

    def apply_offers(self, basket, offers):
        """Oscar's `apply_offers` and `ConditionalOffer.apply_benefit`: each
        offer applied as often as it may and its benefit allows, seeing only
        the lines it reads (`lines_seen`)."""
        applications = OfferApplications()
        owner = basket.owner_id
        self._user_uses_read(owner, offers)
        lines = basket.all_lines() if basket.id else None
        for offer in offers:
            condition, benefit = self._proxied(offer)
            if lines is not None:
                basket._lines = self._lines_seen(lines, offer)
            try:
                for _ in range(self._max_applications(offer, owner)):
                    if condition.is_satisfied(offer, basket):
                        result = benefit.apply(basket, condition, offer)
                    else:
                        result = ZERO_DISCOUNT
                    if not result.is_successful:
                        break
                    applications.add(offer, result)
                    if result.is_final:
                        break
            finally:
                if lines is not None:
                    basket._lines = lines
        basket.offer_applications = applications

    def lines_seen(self, basket, offer) -> list:
        """The basket's lines `offer` reads and discounts: those its condition's
        or benefit's range holds, and the free gifts' (`offer.membership.
        lines_in_reach`); all of them when that is not known. The offer
        gives what it would give seeing every line, and checks a few lines
        instead of all of them on each pass."""
        reach = self._reach(basket.all_lines(), offer)
        return list(basket.all_lines()) if reach is None else reach

    def discount_alone_known(self, basket, offer):
        """What `offer` gave this basket on its own when last worked out for
        the same offer, shopper's uses and lines it reads, or None: the basket
        page prices the same basket on every request, and a change to the
        basket leaves what offers not reading the changed lines give."""
        key = self._alone_key(basket, offer)
        return None if key is None else _alone_kept(offer).get(key)

    def discount_alone_keep(self, basket, offer, discount) -> None:
        key = self._alone_key(basket, offer)
        if key is not None:
            kept = _alone_kept(offer)
            if len(kept) >= ALONE_KEPT:
                kept.clear()
            kept[key] = discount

    def _alone_key(self, basket, offer) -> tuple | None:
        """What an offer gives on its own depends on, besides the offer (see
        `_alone_kept`): how often it may apply, and of each line it reads the
        product, quantity, stock record, price, whether it is a gift and
        which of the offer's ranges hold it. Another offer's free gift is
        left out: it counts towards no condition and takes no other discount
        (`offer.models`), so adding one leaves what the others give alone."""
        reach = self._reach(basket.all_lines(), offer)
        if reach is None:
            return None
        if offer.pk not in self._alone_keys:
            reach = [
                line
                for line in reach
                if not is_gift_line(line) or is_gift_line(line, offer=offer)
            ]
            held = range_membership.get().held
            in_condition = held.get(offer.condition.range_id, NOTHING)
            in_benefit = held.get(offer.benefit.range_id, NOTHING)
            self._alone_keys[offer.pk] = (
                offer.pk,
                self._max_applications(offer, basket.owner_id),
                tuple(
                    (
                        self._line_key(line),
                        line.product_id in in_condition,
                        line.product_id in in_benefit,
                    )
                    for line in reach
                ),
            )
        return self._alone_keys[offer.pk]

    def _line_key(self, line) -> tuple:
        if line.pk not in self._line_keys:
            self._line_keys[line.pk] = (
                line.pk,
                line.product_id,
                line.quantity,
                line.stockrecord_id,
                line.line_reference,
                line.unit_effective_price,
                line.is_tax_known,
                line.product.is_discountable,
            )
        return self._line_keys[line.pk]

    def _reach(self, lines, offer) -> list | None:
        """`lines_in_reach`, once per offer for the lines as loaded."""
        if lines is not self._lines_of:
            self._lines_of, self._reaches, self._views = lines, {}, {}
            self._alone_keys, self._line_keys = {}, {}
            self._lines_known = LinesKnown(lines, range_membership.get())
        if offer.pk not in self._reaches:
            self._reaches[offer.pk] = lines_in_reach(
                offer=offer, lines=self._lines_known
            )
        return self._reaches[offer.pk]

    def _lines_seen(self, lines, offer):
        """The loaded lines (a queryset) as `offer` is shown them while it is
        applied: a copy holding only the lines it reads, or all of them."""
        reach = self._reach(lines, offer)
        if reach is None or len(reach) == len(lines):
            return lines
        key = tuple(line.pk for line in reach)
        view = self._views.get(key)
        if view is None:
            # A shallow copy sharing the query (it never runs: the results
            # are set); `_chain` would clone the query, a cost per view.
            view = self._views[key] = copy.copy(lines)
            view._result_cache, view._prefetch_done = reach, True
        return view

    @staticmethod
    def _proxied(offer):
        return _proxy_of(offer.condition), _proxy_of(offer.benefit)

    def _max_applications(self, offer, owner: int | None) -> int:
        """Oscar's `get_max_applications(basket.owner)`, with the owner's uses
        read beforehand."""
        limit = offer.get_max_applications(None)
        if offer.max_user_applications and owner:
            used = self._user_uses.get(offer.pk, 0)
            limit = min(limit, max(0, offer.max_user_applications - used))
        return limit

    def _user_uses_read(self, owner: int | None, offers) -> None:
        """The owner's uses of each once-per-customer offer not yet known:
        Oscar's `get_num_user_applications`, for all of them in one query."""
        if not owner:
            return
        wanted = {
            offer.pk
            for offer in offers
            if offer.max_user_applications and offer.pk not in self._user_uses
        }
        if not wanted:
            return
        OrderDiscount = get_model("order", "OrderDiscount")  # noqa: N806 - order imports offer
        self._user_uses.update(dict.fromkeys(wanted, 0))
        self._user_uses.update(
            OrderDiscount.objects.filter(offer_id__in=wanted, order__user_id=owner)
            .values("offer_id")
            .annotate(total=Sum("frequency"))
            .values_list("offer_id", "total")
        )

    def get_site_offers(self):
        return site_offers_open(fresh=self.fresh)

    def get_basket_offers(self, basket, user):
        """The offers of the basket's vouchers, kept like the site offers
        (`offer.site_offers.offers_by_id`; Oscar reads each voucher's offers,
        one query per voucher and relation). The vouchers and the ids of
        their offers are read together, newest voucher first (Oscar's order).
        Vouchers that can't be used any more (expired, used up) give nothing
        and are noted in `basket.vouchers_unusable` for the basket page to
        take off."""
        if not basket.id or not user or basket.vouchers_known_none():
            return []
        basket.__dict__["vouchers_unusable"] = unusable = []
        vouchers, links = {}, defaultdict(list)
        for link in (
            Voucher.offers.through.objects.filter(voucher__basket=basket)
            .select_related("voucher")
            .order_by("-voucher__date_created", "voucher_id", "pk")
        ):
            vouchers.setdefault(link.voucher_id, link.voucher)
            links[link.voucher_id].append(link.conditionaloffer_id)
        if not vouchers:
            return []
        found = offers_by_id(
            ids={pk for ids in links.values() for pk in ids}, fresh=self.fresh
        )
        offers, used, now = [], set(), timezone.now()
        for voucher in vouchers.values():
            available_to_user, __ = voucher.is_available_to_user(user=user)
            if not (voucher.is_active() and available_to_user):
                unusable.append(voucher)
                continue
            for offer_id in links[voucher.pk]:
                if offer_id not in found:
                    continue
                offer = found[offer_id]
                # The voucher's dates stand for the offer's (Oscar's rule);
                # its days and hours and a suspension are the offer's own.
                if offer.is_suspended or not offer.runs_at(now):
                    continue
                if offer_id in used:  # another voucher's too: a copy of its own
                    offer = copy.copy(offer)
                used.add(offer_id)
                offer.set_voucher(voucher)
                offers.append(offer)
        return offers


def _alone_kept(offer) -> dict:
    """What the offer gave baskets on its own, kept with its condition: the
    cached site offers (and a fresh read's copies of them) share their
    conditions, and a change to an offer, condition, benefit or range gives
    new ones (`site_offers_open`), so what is kept goes with them."""
    return offer.condition.__dict__.setdefault("_alone_discounts", {})


def _proxy_of(part):
    """A condition's or benefit's proxy, kept on it: the cached site offers,
    and the copies a fresh read makes of them, share their conditions and
    benefits across a process's requests (`site_offers_open`), and a proxy
    holds nothing of one basket."""
    proxy = part.__dict__.get("_pricing_proxy")
    if proxy is None:
        proxy = part.__dict__["_pricing_proxy"] = part.proxy()
    return proxy


def _combinations_read(offers) -> None:
    """Oscar's `ConditionalOffer.combined_offers` (the offer, those it names
    and those naming it), from what was prefetched with the offers: Oscar
    reads it whenever two offers meet on a line, one query per offer. Kept on
    the offer, as Oscar keeps it (a cached property)."""
    for offer in offers:
        if "combined_offers" not in offer.__dict__:
            offer.__dict__["combined_offers"] = [
                offer,
                *offer.combinations.all(),
                *offer.in_combination.all(),
            ]
