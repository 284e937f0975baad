"""Offers and vouchers as shoppers meet them.

- Why a voucher code does not apply, in words a shopper can act on. Oscar
  answers most refusals with "not active" or "Your basket does not qualify";
  these say which of the reasons it is: the code is unknown, not started,
  expired, used up, or the basket is below the minimum or holds nothing it
  covers.
- Which site offers a product page and a listing's cards name, and a
  fingerprint of them that cached listings are keyed by.
"""

import hashlib
import re
import unicodedata
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.templatetags.currency_filters import currency

from catalogue.models import Product
from offer.audiences import ShopperFacts, offer_audience_refusal
from offer.describe import offer_days_and_hours
from offer.models import Benefit, ConditionalOffer, brand_rule
from offer.site_offers import site_offers_open

VOUCHER_CODE = re.compile(r"^[A-Z0-9_-]+$")


def voucher_code_normalise(raw: str) -> str:
    """The code as vouchers are stored: compatibility characters folded (a
    full-width "Ｓ" is an "S"), spaces anywhere dropped, upper case."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(folded.split()).upper()


def voucher_code_is_well_formed(code: str) -> bool:
    """Letters A to Z, digits, dashes and underscores: anything else (a Cyrillic
    look-alike, punctuation) can't be one of our codes."""
    return bool(VOUCHER_CODE.match(code))


def voucher_refusal(*, voucher, user, now: datetime | None = None) -> str | None:
    """Why `voucher` can't be used now by `user`, or None when it can."""
    now = now or timezone.now()
    names = {"code": voucher.code}
    if now < voucher.start_datetime:
        return _("The voucher %(code)s can be used from %(start)s.") % {
            **names,
            "start": _when(voucher.start_datetime),
        }
    if voucher.end_datetime < now:
        return _("The voucher %(code)s expired on %(end)s.") % {
            **names,
            "end": _when(voucher.end_datetime),
        }
    available, message = voucher.is_available_to_user(user=user)
    if not available:
        return _("The voucher %(code)s can't be used: %(reason)s.") % {
            **names,
            "reason": str(message).rstrip(".").lower()
            if message
            else _("its limit is reached"),
        }
    offers = list(voucher.offers.prefetch_related("customer_groups"))
    if offers and not any(offer.runs_at(now) for offer in offers):
        return _("The voucher %(code)s can be used %(when)s.") % {
            **names,
            "when": offer_days_and_hours(offers[0]),
        }
    facts = ShopperFacts(user)
    refusals = [offer_audience_refusal(offer=offer, facts=facts) for offer in offers]
    if refusals and all(refusals):
        return _("The voucher %(code)s can't be used: %(reason)s.") % {
            **names,
            "reason": refusals[0],
        }
    return None


def voucher_unmet_reason(*, voucher, basket) -> str:
    """Why a voucher that may be used gives this basket nothing: none of its
    items are covered, or what is missing (e.g. spend 12.50 more)."""
    names = {"code": voucher.code}
    lines = basket.all_lines()
    covered = False
    for offer in voucher.offers.all():
        condition = offer.condition.proxy()
        if not any(condition.can_apply_condition(line) for line in lines):
            continue
        covered = True
        kept_off = _kept_off_by(
            voucher=voucher, offer=offer, basket=basket, lines=lines
        )
        if kept_off:
            return kept_off
        upsell = offer.get_upsell_message(basket)
        if upsell:
            return _("To use the voucher %(code)s: %(upsell)s.") % {
                **names,
                "upsell": str(upsell).rstrip("."),
            }
    if covered:
        return _(
            "Your basket does not meet the conditions of the voucher %(code)s."
        ) % (names)
    return _(
        "None of the items in your basket are covered by the voucher %(code)s."
    ) % (names)


def _kept_off_by(*, voucher, offer, basket, lines) -> str | None:
    """Why a voucher's `offer` gives nothing when its condition is met but the
    items it covers are taken by offers it may not share them with (one of
    them exclusive, or restricted to named combinations): it names them and
    what they already give, instead of the upsell Oscar's condition gives for
    items it does not count. None when the items are not what keeps it off.
    Offers of one priority are applied bigger discount first
    (`offer.services`), so those named give at least as much or come first by
    the merchant's priority."""
    condition = offer.condition.proxy()
    covered = [line for line in lines if condition.can_apply_condition(line)]
    taking = {}
    for line in covered:
        if line.discounts.available(offer) < line.quantity:
            for other in line.discounts.consumers:
                if other.pk != offer.pk:
                    taking[other.pk] = other
    if not taking or not _met_without_discounts(offer, basket, lines):
        return None
    applied = [
        application
        for application in basket.offer_applications
        if application["offer"].pk in taking
    ]
    names = [_offer_named(application) for application in applied]
    discount = sum((application["discount"] for application in applied), Decimal(0))
    return ngettext(
        "The voucher %(code)s can't be combined with %(offers)s, which already "
        "takes %(discount)s off the same items.",
        "The voucher %(code)s can't be combined with %(offers)s, which already "
        "take %(discount)s off the same items.",
        len(names),
    ) % {
        "code": voucher.code,
        "offers": _(" and ").join(names),
        "discount": currency(discount, basket.currency),
    }


def _met_without_discounts(offer, basket, lines) -> bool:
    """Whether the offer's condition is met by the basket with no discount on
    any line (what the other offers took put back for the check)."""
    registries = [(line, line.discounts) for line in lines]
    try:
        for line in lines:
            line.clear_discount()
        return bool(offer.condition.proxy().is_satisfied(offer, basket))
    finally:
        for line, registry in registries:
            line.discounts = registry


def _offer_named(application) -> str:
    if application.get("voucher"):
        return _("the voucher %(code)s") % {"code": application["voucher"].code}
    return f"“{application['offer'].name}”"


def basket_next_tiers(*, basket) -> list[dict]:
    """For each tiered offer the priced `basket` has, what would unlock its
    next tier: {"offer", "more" (to spend on its range), "discount" (the
    tier's), "range"}."""
    hints = []
    for application in basket.offer_applications:
        offer = application["offer"]
        benefit = offer.benefit.proxy()
        if offer.benefit.type != Benefit.TIERED:
            continue
        next_tier = benefit.next_tier(offer, basket)
        if next_tier is not None:
            more, discount = next_tier
            hints.append(
                {
                    "offer": offer,
                    "more": more,
                    "discount": discount,
                    "range": benefit.range,
                }
            )
    return hints


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# --- Offers a product page shows -----------------------------------------------


def offers_for_product(*, product) -> list:
    """The open site offers whose condition covers this product (for a parent,
    any of its variants): what its page names ("3 for £20", "10% off
    everything")."""
    return offers_for_products(product_ids=[product.pk]).get(product.pk, [])


def offers_for_products(
    *, product_ids: list[int], now: datetime | None = None
) -> dict[int, list]:
    """The open site offers covering each of these products (for a parent, any
    of its variants), highest priority first: what a product page or a listing's
    cards name. Products no offer covers are left out. One query whatever the
    number of offers or products: each range's rule (Oscar's
    `Range.all_products`, without its probing queries) becomes one EXISTS of a
    single SELECT over the products."""
    offers = _offers_named(now=now)
    ranges = {offer.condition.range_id: offer.condition.range for offer in offers}
    if not ranges or not product_ids:
        return {}
    itself_or_variant = Q(pk=OuterRef("pk")) | Q(parent_id=OuterRef("pk"))
    flags = {
        f"in_{pk}": Exists(
            Product.objects.filter(itself_or_variant)
            .filter(_range_rule(found))
            .values("pk")
        )
        for pk, found in ranges.items()
    }
    covered = {
        row["pk"]: row
        for row in Product.objects.filter(pk__in=product_ids)
        .annotate(**flags)
        .values("pk", *flags)
    }
    named = {}
    for pk, row in covered.items():
        found = [offer for offer in offers if row[f"in_{offer.condition.range_id}"]]
        if found:
            named[pk] = found
    return named


def offer_badges_digest(*, now: datetime | None = None) -> str:
    """A short fingerprint of what the site offers open now make shared pages
    show: for each offer that may be named, in priority order, its id and name
    and its condition range's rule (its id, "all products", brand, classes and
    categories, as prefetched). A cached listing keyed by it is rendered again
    exactly when a badge could come or go or change its words.

    Why a digest and not a version bumped on every change: an offer's row is
    saved on every order that uses it (Oscar's usage counters), which forgets
    the cached site offers; a digest of what shoppers see stays the same
    through such saves, so listings stay cached. Dates and status are not in it
    because the list is already the offers open at `now`: an offer created,
    suspended, used up or ended drops in or out of it. It is worked out from
    the cached site offers on each call, against the clock, so an offer that
    opens or closes by its dates or its days and hours changes it from that
    moment on, without waiting for any cache to expire. A range's explicit
    product lists are not in it (they are not loaded with the offers):
    `offer.apps` renews the catalogue version when they change."""
    shown = [
        (
            offer.pk,
            offer.name,
            offer.condition.range_id,
            offer.condition.range.includes_all_products,
            offer.condition.range.brand,
            sorted(kind.pk for kind in offer.condition.range.classes.all()),
            sorted(c.pk for c in offer.condition.range.included_categories.all()),
            sorted(c.pk for c in offer.condition.range.excluded_categories.all()),
        )
        for offer in _offers_named(now=now)
    ]
    return hashlib.sha1(repr(shown).encode()).hexdigest()[:12]


def _offers_named(*, now: datetime | None = None) -> list:
    """The open site offers a shared page may name: for everyone (the page is
    the same for every shopper), with a condition on a range of our own rules
    (a custom condition or range can't be put as a query)."""
    return [
        offer
        for offer in site_offers_open(now=now)
        if offer.condition.range_id
        and not offer.condition.range.proxy_class
        and offer.audience == ConditionalOffer.EVERYONE
    ]


def _range_rule(product_range) -> Q:
    """Which products `product_range` holds, as a filter (its categories and
    classes come prefetched with the site offers)."""
    if product_range.includes_all_products:
        rule = Q(pk__isnull=False)
    else:
        rule = Q(includes=product_range) | Q(parent__includes=product_range)
        if product_range.classes.all():
            rule |= Q(product_class__classes=product_range)
            rule |= Q(parent__product_class__classes=product_range)
        for category in product_range.included_categories.all():
            rule |= Q(categories__path__startswith=category.path)
            rule |= Q(parent__categories__path__startswith=category.path)
        if product_range.brand:
            rule |= brand_rule(product_range.brand)
    rule &= ~Q(excludes=product_range)
    for category in product_range.excluded_categories.all():
        rule &= ~Q(categories__path__startswith=category.path)
    return rule
