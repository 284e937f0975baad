from oscar.apps.basket import middleware

from basket.services import (
    OFFERS_CHECK_COOKIE,
    basket_offer_ids_applied_before,
    basket_offers_apply,
    basket_offers_check_due,
)
from basket.utils import BasketMessageGenerator


class BasketMiddleware(middleware.BasketMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if basket_offers_check_due(request):
            # Price the basket before the view renders anything, so the
            # messages about its offers appear on this page.
            request.basket.id  # noqa: B018 - loads it

    def apply_offers_to_basket(self, request, basket):
        if _is_basket_addition(request):
            return  # the addition applies them once, after the product is added
        if _is_checkout(request):
            # What the checkout shows is what it charges: read from the database.
            basket.lines_read_fresh()
        offers_before = basket_offer_ids_applied_before(request=request)
        basket_offers_apply(basket=basket, request=request)
        if basket_offers_check_due(request):
            request.cookies_to_delete.append(OFFERS_CHECK_COOKIE)
            BasketMessageGenerator().messages_add(request, basket, offers_before)


def _is_basket_addition(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "POST"
        and match is not None
        and match.view_name == "basket:add"
    )


def _is_checkout(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "checkout" in match.namespaces
