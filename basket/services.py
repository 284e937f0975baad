"""Writes on the basket that the middleware and the views share."""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from oscar.core.loading import get_model

from offer.services import basket_offers_price
from offer.site_offers import offers_by_id

# The ids of the offers last applied to this session's basket: what an addition
# compares with to say "your basket now qualifies for ...", without applying
# every offer a second time before the addition.
APPLIED_OFFERS_KEY = "basket_applied_offer_ids"
# Set by an addition that did not price the basket: the next page that prices
# it tells the shopper which offers the basket gained or lost.
OFFERS_CHECK_COOKIE = "basket_offers_check"


def basket_offers_apply(*, basket, request: HttpRequest) -> None:
    """Apply the offers open to this shopper to a freshly loaded `basket`, as
    Oscar's middleware does, keeping the offers considered on the basket
    (`basket.offers_considered`) so the basket page's upsell messages need not
    fetch them again."""
    basket.offers_considered = basket_offers_price(
        basket=basket, user=request.user, request=request
    )
    basket_offers_remember(request=request, basket=basket)


def basket_offers_remember(*, request: HttpRequest, basket) -> None:
    """Keep the ids of the offers now applied to the basket in the session, for
    the next addition to compare with."""
    _applied_offers_remember(request, sorted(basket.applied_offers()))


def basket_offer_ids_applied_before(*, request: HttpRequest) -> list[int]:
    """The ids of the offers applied to the basket when it was last priced."""
    return request.session.get(APPLIED_OFFERS_KEY) or []


def basket_offers_check_later(response: HttpResponse) -> None:
    """Have the next page that prices the basket say which offers it gained
    or lost since it was last priced (see `basket_offers_check_due`)."""
    response.set_cookie(
        OFFERS_CHECK_COOKIE,
        "1",
        max_age=3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def basket_offers_check_due(request: HttpRequest) -> bool:
    """Whether this request is a full page that should say which offers the
    basket gained or lost since its last pricing."""
    return (
        request.COOKIES.get(OFFERS_CHECK_COOKIE) == "1"  # not a deleted one
        and request.method == "GET"
        and not getattr(request, "htmx", False)
    )


def offers_applied_before(*, ids, known) -> dict:
    """The offers with these ids (those applied at the last pricing), taken
    from the `known` offers where they are there (those just considered for
    the basket) and from the kept offers for the rest."""
    ids = set(ids)
    offers = {offer.pk: offer for offer in known if offer.pk in ids}
    offers.update(offers_by_id(ids=ids.difference(offers)))
    return offers


def _applied_offers_remember(request: HttpRequest, ids: list[int]) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.get(APPLIED_OFFERS_KEY, []) != ids:
        session[APPLIED_OFFERS_KEY] = ids


def basket_give_back(*, request: HttpRequest, response: HttpResponse, basket_id: int):
    """Make a basket that was kept aside while a payment waited (and is open
    again) the shopper's basket once more. A signed-in shopper's is found by
    its owner; a guest's cookie is pointed back at it, with anything they put
    in a new basket meanwhile merged into it."""
    if request.user.is_authenticated:
        return
    Basket = get_model("basket", "Basket")  # noqa: N806 - basket.models imports us
    restored = Basket.objects.filter(pk=basket_id, owner=None, status=Basket.OPEN)
    restored = restored.first()
    if restored is None:
        return
    key = settings.OSCAR_BASKET_COOKIE_OPEN
    try:
        current_id = Signer().unsign(request.COOKIES.get(key, ""))
    except BadSignature:
        current_id = None
    interim = Basket.objects.filter(pk=current_id, owner=None, status=Basket.OPEN)
    interim = interim.exclude(pk=restored.pk).first() if current_id else None
    if interim is not None and not interim.is_empty:
        restored.merge(interim)
    response.set_cookie(
        key,
        Signer().sign(restored.pk),
        max_age=settings.OSCAR_BASKET_COOKIE_LIFETIME,
        secure=settings.OSCAR_BASKET_COOKIE_SECURE,
        httponly=True,
    )


def basket_voucher_remove(*, basket_id: int, code: str) -> bool:
    """Take the voucher `code` off the basket, unless the basket is being paid
    for (frozen or submitted: its total is fixed); returns whether it was."""
    Basket = get_model("basket", "Basket")  # noqa: N806 - basket.models imports us
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=basket_id)
        if not basket.can_be_edited:
            return False
        found = list(basket.vouchers.filter(code=code))
        basket.vouchers.remove(*found)
    return bool(found)


def basket_voucher_try(*, basket, voucher, user, request=None) -> str | None:
    """Add `voucher` (already found usable by `offer.selectors.voucher_refusal`)
    to the basket and price it with the offers open to `user`: it stays when it
    gives the basket something; otherwise it is taken off again and the reason
    returned (the basket below the minimum, nothing in it covered). The website
    and the API add vouchers through here."""
    basket.vouchers.add(voucher)
    basket.reset_offer_applications()
    basket.offers_considered = basket_offers_price(
        basket=basket, user=user, request=request
    )
    if any(
        application["voucher"] == voucher for application in basket.offer_applications
    ):
        return None
    from offer.selectors import voucher_unmet_reason  # offer imports basket

    reason = voucher_unmet_reason(voucher=voucher, basket=basket)
    basket.vouchers.remove(voucher)
    return reason
