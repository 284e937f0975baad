"""What the New promotion page's tests share: posting its form, counting what
was saved, and pricing a basket with the offers it made."""

from decimal import Decimal

from django.urls import reverse
from oscar.apps.shipping.methods import FixedPrice

from basket.models import Basket
from offer.models import Benefit, Condition, ConditionalOffer, Range
from shipping.repository import Repository
from tests.offer.offers import basket_of
from tests.offer.offers import priced as offers_priced
from voucher.models import Voucher

CREATE_URL = reverse("dashboard:promotion-create")
PREVIEW_URL = reverse("dashboard:promotion-preview")
MODELS = (Range, Condition, Benefit, ConditionalOffer, Voucher)


def promotion_post(client, kind: str, url: str = CREATE_URL, headers=None, **fields):
    """Post the page's form for a `kind` of promotion; the common fields hold
    the page's own defaults unless given."""
    data = {
        "kind": kind,
        "name": "Winter deal",
        "target": "all",
        "offer_type": ConditionalOffer.SITE,
        "audience": ConditionalOffer.EVERYONE,
        "exclusive": "exclusive",
        "priority": "0",
        **fields,
    }
    return client.post(url, data, headers=headers or {})


def tiers(*rows: tuple[str, str]) -> dict[str, str]:
    return {
        f"tiers_{index * 2 + column}": amount
        for index, row in enumerate(rows)
        for column, amount in enumerate(row)
    }


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def nothing_saved() -> bool:
    return not any(counts().values())


def priced(*items, voucher=None) -> Basket:
    """A basket of (product, quantity) pairs (and the voucher), priced with the
    open offers as a guest."""
    basket = basket_of(*items)
    if voucher is not None:
        basket.vouchers.add(voucher)
    return offers_priced(basket)


def shipping_charge(basket: Basket) -> Decimal:
    """What a £4.95 delivery costs this basket after its shipping offers."""
    method = FixedPrice(Decimal("4.95"), Decimal("4.95"))
    if basket.shipping_discounts:
        offer = basket.shipping_discounts[0]["offer"]
        method = Repository().apply_shipping_offer(basket, method, offer)
    return method.calculate(basket).incl_tax
