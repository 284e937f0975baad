"""The header's mini-basket: the basket's item count and total on every page.

The numbers come from Oscar's basket, priced by its Strategy with the offers
applied (`request.basket`). Loading and pricing a basket costs several queries
per page, so the result is remembered in the session and shown from there until
the basket changes (any save or delete of the basket, its lines or its vouchers
bumps the basket's version, see basket.receivers), the checkout's destination
changes (its tax), or it is a few minutes old (prices and offers the merchant
changed meanwhile).
"""

import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.signing import Signer
from django.http import HttpRequest
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

SESSION_KEY = "mini_basket"
MAX_AGE_SECONDS = 300
VERSION_KEY = "basket:{basket_id}:version"


@dataclass(frozen=True)
class MiniBasket:
    num_items: int
    total: Decimal | None
    currency: str


def mini_basket(*, request: HttpRequest) -> MiniBasket:
    owner = _owner(request)
    if owner is None:  # an anonymous shopper who has not added anything yet
        return MiniBasket(num_items=0, total=None, currency=_currency())
    stored = request.session.get(SESSION_KEY)
    if (
        stored
        and stored["owner"] == owner
        and stored["version"] == basket_version(basket_id=stored["basket_id"])
        and stored.get("country") == request.strategy.country
        and time.time() - stored["at"] < MAX_AGE_SECONDS
    ):
        return MiniBasket(
            num_items=stored["num_items"],
            total=Decimal(stored["total"]) if stored["total"] is not None else None,
            currency=stored["currency"],
        )
    return _mini_basket_from_basket(request=request, owner=owner)


def basket_version(*, basket_id: int | None) -> str | None:
    return cache.get(VERSION_KEY.format(basket_id=basket_id)) if basket_id else None


def basket_version_bump(*, basket_id: int | None) -> None:
    if basket_id:
        cache.set(VERSION_KEY.format(basket_id=basket_id), uuid.uuid4().hex, None)


def _mini_basket_from_basket(*, request: HttpRequest, owner: str) -> MiniBasket:
    basket = request.basket
    # Read the version before the basket: a change made meanwhile then shows as
    # a newer version next time rather than being hidden behind this one.
    version = basket_version(basket_id=basket.id)
    num_items = basket.num_items
    total = None
    if num_items:
        total = basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax
    summary = MiniBasket(
        num_items=num_items, total=total, currency=basket.currency or _currency()
    )
    if basket.id:
        request.session[SESSION_KEY] = {
            "owner": owner,
            "basket_id": basket.id,
            "version": version,
            "country": request.strategy.country,  # taxed for (partner.tax)
            "at": time.time(),
            "num_items": summary.num_items,
            "total": str(total) if total is not None else None,
            "currency": summary.currency,
        }
    return summary


def _owner(request: HttpRequest) -> str | None:
    """Whose basket this request shows: the signed-in user's, or the anonymous
    one named by the basket cookie (None when there is none yet)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    # A basket this request has just created has no cookie yet; the middleware
    # keeps it here and names it in the cookie by the same signed id.
    loaded = getattr(request, "_basket_cache", None)
    if loaded is not None and loaded.id:
        return Signer().sign(loaded.id)
    return request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)


def _currency() -> str:
    return settings.OSCAR_DEFAULT_CURRENCY


def basket_warnings(*, basket) -> list[str]:
    """What changed for the shopper since each line was added: a product no
    longer available, or a price that went up or down. Prices are compared
    without tax, so a checkout's destination (its tax) is not taken for a
    change of price."""
    warnings = []
    for line in basket.all_lines():
        info = line.purchase_info
        if not info.availability.is_available_to_buy:
            warnings.append(
                _("'%(product)s' is no longer available")
                % {"product": line.product.get_title()}
            )
            continue
        was, now = line.price_excl_tax, info.price.excl_tax
        if was is None or not info.price.exists or was == now:
            continue
        context = {
            "product": line.product.get_title(),
            "old_price": currency(_taxed_like(line, was), line.price_currency),
            "new_price": currency(_taxed_like(line, now), line.price_currency),
        }
        if now > was:
            message = _(
                "The price of '%(product)s' has gone up from %(old_price)s to "
                "%(new_price)s since you added it to your basket."
            )
        else:
            message = _(
                "The price of '%(product)s' has come down from %(old_price)s to "
                "%(new_price)s since you added it to your basket."
            )
        warnings.append(message % context)
    return warnings


def _taxed_like(line, excl_tax: Decimal) -> Decimal:
    """A net price shown as the line's current price shows: with its tax."""
    price = line.purchase_info.price
    if not price.is_tax_known or not price.excl_tax:
        return excl_tax
    return (excl_tax * price.incl_tax / price.excl_tax).quantize(Decimal("0.01"))
