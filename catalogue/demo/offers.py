"""The demo's site-wide offer and welcome voucher.

Built as the offer dashboard builds them: a Range, a Condition and a Benefit of
Oscar's built-in types (their proxies do the maths), joined by a ConditionalOffer.
Offers are found by name and the voucher by code, so running again adds nothing.
Both offers are non-exclusive: Oscar lets two exclusive offers share no basket
line, so WELCOME5 would silently do nothing on any basket the site offer covers.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")

RANGE_NAME = "All products"
SITE_OFFER_NAME = "10% off orders over £60"
VOUCHER_CODE = "WELCOME5"
VOUCHER_NAME = "Welcome: £5 off orders over £30"
VOUCHER_OFFER_NAME = "WELCOME5: £5 off orders over £30"


def demo_offers_ensure() -> list[str]:
    """Create the site offer and the voucher if missing; describe what was made."""
    everything, _ = Range.objects.get_or_create(
        name=RANGE_NAME, defaults={"includes_all_products": True}
    )
    _, site_offer_created = _offer_get_or_create(
        name=SITE_OFFER_NAME,
        description="Spend £60 or more and we take 10% off your order.",
        offer_type=ConditionalOffer.SITE,
        product_range=everything,
        spend=Decimal("60.00"),
        benefit_type=Benefit.PERCENTAGE,
        benefit_value=Decimal("10.00"),
    )
    voucher_offer, _ = _offer_get_or_create(
        name=VOUCHER_OFFER_NAME,
        description=f"£5 off an order of £30 or more with the code {VOUCHER_CODE}.",
        offer_type=ConditionalOffer.VOUCHER,
        product_range=everything,
        spend=Decimal("30.00"),
        benefit_type=Benefit.FIXED,
        benefit_value=Decimal("5.00"),
    )
    now = timezone.now()
    voucher, voucher_created = Voucher.objects.get_or_create(
        code=VOUCHER_CODE,
        defaults={
            "name": VOUCHER_NAME,
            "usage": Voucher.MULTI_USE,
            "start_datetime": now - timedelta(days=365),
            "end_datetime": now + timedelta(days=5 * 365),
        },
    )
    voucher.offers.add(voucher_offer)
    created = [f"site offer “{SITE_OFFER_NAME}”"] if site_offer_created else []
    return created + ([f"voucher {VOUCHER_CODE}"] if voucher_created else [])


def _offer_get_or_create(
    *,
    name: str,
    description: str,
    offer_type: str,
    product_range: Range,
    spend: Decimal,
    benefit_type: str,
    benefit_value: Decimal,
) -> tuple[ConditionalOffer, bool]:
    """The offer "`benefit` when the basket holds `spend` from `product_range`"."""
    offer = ConditionalOffer.objects.filter(name=name).first()
    if offer is not None:
        return offer, False
    offer = ConditionalOffer.objects.create(
        name=name,
        description=description,
        offer_type=offer_type,
        condition=Condition.objects.create(
            range=product_range, type=Condition.VALUE, value=spend
        ),
        benefit=Benefit.objects.create(
            range=product_range, type=benefit_type, value=benefit_value
        ),
        max_basket_applications=1,
        exclusive=False,
    )
    return offer, True
