"""An offer in plain words: "Any 3 from Kitchen for £20.00. Every Saturday,
09:00–12:00, from 1 December 2026 to 24 December 2026. Signed-in customers
only. 100 uses in all, once per customer."

Oscar names a condition and a benefit each on its own ("Basket includes 3
item(s) from kitchen", "Fixed price for the products of kitchen"), and says
nothing of when an offer runs or who may use it. Merchants check an offer
against these words before saving it (the dashboard's preview describes the
unsaved offer with the same function), and shoppers may be shown them.

Only the offer's own fields and its condition, benefit, range and gift are
read, so an unsaved offer can be described; what it holds through many-to-many
relations (customer groups, voucher codes) is passed in for an unsaved offer.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.templatetags.currency_filters import currency

from offer.models import WEEKDAY_CHOICES, Benefit, Condition, ConditionalOffer

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
WEEKDAY_NAMES = dict(WEEKDAY_CHOICES)


def offer_describe(
    *,
    offer: ConditionalOffer,
    customer_groups: Iterable | None = None,
    voucher_codes: Iterable[str] | None = None,
) -> str:
    """What `offer` gives, when, to whom and how often, in sentences.
    `customer_groups` and `voucher_codes` default to the saved offer's."""
    sentences = [
        _deal(offer),
        _code(offer, voucher_codes),
        _schedule(offer),
        _audience(offer, customer_groups),
        _limits(offer),
        _("Combines with other offers.") if not offer.exclusive else "",
    ]
    return " ".join(sentence for sentence in sentences if sentence)


# --- What the shopper gets ------------------------------------------------------


def _deal(offer: ConditionalOffer) -> str:
    condition, benefit = offer.condition, offer.benefit
    if condition.proxy_class or benefit.proxy_class:
        return _sentence(f"{condition.proxy().name}: {benefit.proxy().name}")
    scope = _scope(condition.range)
    count = int(condition.value or 0)
    if condition.type == Condition.COUNT and benefit.type == Benefit.FIXED_PRICE:
        return _sentence(_set_price(scope, count, benefit.value))
    if condition.type == Condition.COUNT and benefit.type == Benefit.MULTIBUY:
        return _sentence(_multibuy(scope, count))
    if benefit.type == Benefit.TIERED:
        words = _tiers(benefit, _scope(benefit.range))
        thresholds = [threshold for threshold, _discount in benefit.tier_list()]
        if condition.type == Condition.VALUE and thresholds[:1] == [condition.value]:
            return _sentence(words)  # the lowest tier is the condition
        return _sentence(words + _condition(condition, scope, benefit))
    return _sentence(_benefit(benefit) + _condition(condition, scope, benefit))


def _scope(product_range) -> str | None:
    """The range's name, or None for the whole shop."""
    if product_range is None or product_range.includes_all_products:
        return None
    return product_range.name


def _benefit(benefit) -> str:
    scope = _scope(benefit.range)
    value = benefit.value or Decimal("0")
    amount = {"amount": currency(value), "percent": _percent(value)}
    if benefit.type == Benefit.PERCENTAGE:
        if scope is None:
            return _("%(percent)s off everything") % amount
        return _("%(percent)s off anything from %(range)s") % {**amount, "range": scope}
    if benefit.type == Benefit.FIXED:
        if scope is None:
            return _("%(amount)s off your order") % amount
        return _("%(amount)s off items from %(range)s") % {**amount, "range": scope}
    if benefit.type == Benefit.FIXED_UNIT:
        if scope is None:
            return _("%(amount)s off each item") % amount
        return _("%(amount)s off each item from %(range)s") % {
            **amount,
            "range": scope,
        }
    if benefit.type == Benefit.SHIPPING_FIXED_PRICE:
        if not value:
            return _("Free shipping")
        return _("Shipping for %(amount)s") % amount
    if benefit.type == Benefit.SHIPPING_ABSOLUTE:
        return _("%(amount)s off shipping") % amount
    if benefit.type == Benefit.SHIPPING_PERCENTAGE:
        return _("%(percent)s off shipping") % amount
    if benefit.type == Benefit.FREE_GIFT:
        if benefit.gift_product is None:
            return _("A free gift")
        return _("A free %(gift)s") % {"gift": benefit.gift_product.get_title()}
    return str(benefit.proxy().name)


def _condition(condition, scope: str | None, benefit) -> str:
    """What the basket must hold, as the end of the benefit's sentence."""
    value = condition.value or Decimal("0")
    count = int(value)
    if condition.type == Condition.VALUE:
        if scope is None:
            return _(" when you spend %(spend)s or more") % {"spend": currency(value)}
        return _(" when you spend %(spend)s or more on %(range)s") % {
            "spend": currency(value),
            "range": scope,
        }
    if condition.type == Condition.COVERAGE:
        if scope is None:
            return ngettext(
                " when you buy %(count)d different item",
                " when you buy %(count)d different items",
                count,
            ) % {"count": count}
        return ngettext(
            " when you buy %(count)d different item from %(range)s",
            " when you buy %(count)d different items from %(range)s",
            count,
        ) % {"count": count, "range": scope}
    if count > 1:
        if scope is None:
            return _(" when you buy %(count)d or more items") % {"count": count}
        return _(" when you buy %(count)d or more from %(range)s") % {
            "count": count,
            "range": scope,
        }
    # Any one item will do: the benefit's own words say on what, unless it
    # applies to something else (shipping, a gift).
    if benefit.range is not None and _scope(benefit.range) == scope:
        return ""
    if scope is None:
        return _(" on every order")
    return _(" when you buy anything from %(range)s") % {"range": scope}


def _set_price(scope: str | None, count: int, price) -> str:
    names = {"count": count, "price": currency(price or 0), "range": scope}
    if scope is None:
        return (
            ngettext(
                "Any %(count)d item for %(price)s",
                "Any %(count)d items for %(price)s",
                count,
            )
            % names
        )
    return _("Any %(count)d from %(range)s for %(price)s") % names


def _multibuy(scope: str | None, count: int) -> str:
    names = {"count": count, "range": scope}
    if scope is None:
        return _("Buy any %(count)d items and get the cheapest one free") % names
    return _("Buy any %(count)d from %(range)s and get the cheapest one free") % names


def _tiers(benefit, scope: str | None) -> str:
    tiers = ", ".join(
        _("spend %(spend)s and get %(discount)s off")
        % {"spend": currency(spend), "discount": currency(discount)}
        for spend, discount in benefit.tier_list()
    )
    if scope is None:
        return tiers
    return _("%(tiers)s on anything from %(range)s") % {"tiers": tiers, "range": scope}


def _code(offer: ConditionalOffer, voucher_codes: Iterable[str] | None) -> str:
    if offer.offer_type != ConditionalOffer.VOUCHER:
        return ""
    if voucher_codes is None:
        voucher_codes = (
            [voucher.code for voucher in offer.vouchers.all()] if offer.pk else []
        )
    codes = sorted(voucher_codes)
    if not codes:
        return _("With a voucher code.")
    return ngettext(
        "With the voucher code %(codes)s.",
        "With one of the voucher codes %(codes)s.",
        len(codes),
    ) % {"codes": get_text_list(codes, _("or"))}


# --- When, who and how often ----------------------------------------------------


def offer_days_and_hours(offer: ConditionalOffer) -> str:
    """ "every Saturday, 09:00–12:00" (shop time); "" when the offer runs
    every day, all day."""
    parts = []
    weekdays = sorted(set(offer.valid_weekdays or []))
    if weekdays and len(weekdays) < len(WEEKDAY_NAMES):
        names = [str(WEEKDAY_NAMES[day]) for day in weekdays]
        parts.append(_("every %(days)s") % {"days": get_text_list(names, _("and"))})
    hours = _hours(offer.valid_from_time, offer.valid_until_time)
    if hours:
        parts.append(hours if parts else _("every day, %(hours)s") % {"hours": hours})
    return ", ".join(parts)


def _schedule(offer: ConditionalOffer) -> str:
    days_and_hours = offer_days_and_hours(offer)
    parts = [days_and_hours] if days_and_hours else []
    start, end = offer.start_datetime, offer.end_datetime
    if start and end:
        parts.append(
            _("from %(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}
        )
    elif start:
        parts.append(_("from %(start)s") % {"start": _date(start)})
    elif end:
        parts.append(_("until %(end)s") % {"end": _date(end)})
    return _sentence(", ".join(parts)) if parts else ""


def _hours(start, end) -> str:
    if start and end:
        return f"{time_format(start, TIME_FORMAT)}–{time_format(end, TIME_FORMAT)}"
    if start:
        return _("from %(time)s until midnight") % {
            "time": time_format(start, TIME_FORMAT)
        }
    if end:
        return _("until %(time)s") % {"time": time_format(end, TIME_FORMAT)}
    return ""


def _date(moment) -> str:
    """The day in the shop's time zone, with the time when it is not midnight."""
    local = timezone.localtime(moment)
    if local.hour or local.minute:
        return f"{date_format(local, DATE_FORMAT)}, {time_format(local, TIME_FORMAT)}"
    return date_format(local, DATE_FORMAT)


def _audience(offer: ConditionalOffer, customer_groups: Iterable | None) -> str:
    if offer.audience == ConditionalOffer.EVERYONE:
        return ""
    if offer.audience == ConditionalOffer.SIGNED_IN:
        return _("Signed-in customers only.")
    if offer.audience == ConditionalOffer.FIRST_ORDER:
        return _("Only on a signed-in customer's first order.")
    if offer.audience == ConditionalOffer.GROUPS:
        if customer_groups is None:
            customer_groups = offer.customer_groups.all() if offer.pk else []
        names = sorted(group.name for group in customer_groups)
        if not names:
            return _("Only for customers in the chosen groups.")
        return _("Only for customers in %(groups)s.") % {
            "groups": get_text_list(names, _("or"))
        }
    return _sentence(
        _("%(audience)s only") % {"audience": offer.get_audience_display()}
    )


def _limits(offer: ConditionalOffer) -> str:
    parts = []
    if offer.max_global_applications:
        parts.append(
            ngettext(
                "%(count)d use in all",
                "%(count)d uses in all",
                offer.max_global_applications,
            )
            % {"count": offer.max_global_applications}
        )
    if offer.max_discount:
        parts.append(
            _("up to %(amount)s off in all") % {"amount": currency(offer.max_discount)}
        )
    per_customer = offer.max_user_applications
    if per_customer == 1:
        parts.append(_("once per customer"))
    elif per_customer == 2:  # "twice" is a word of its own
        parts.append(_("twice per customer"))
    elif per_customer:
        parts.append(_("%(count)d times per customer") % {"count": per_customer})
    return _sentence(", ".join(parts)) if parts else ""


# --- Words --------------------------------------------------------------------------


def _percent(value: Decimal) -> str:
    """10.00 → "10%", 12.50 → "12.5%"."""
    return f"{Decimal(value).normalize():f}%"


def _sentence(words: str) -> str:
    words = str(words).strip()
    return f"{words[:1].upper()}{words[1:]}."
