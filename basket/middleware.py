from oscar.apps.basket import middleware

from basket.services import basket_offers_apply


class BasketMiddleware(middleware.BasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if _is_basket_addition(request):
            return  # the addition applies them once, after the product is added
        basket_offers_apply(basket=basket, request=request)


def _is_basket_addition(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "POST"
        and match is not None
        and match.view_name == "basket:add"
    )
