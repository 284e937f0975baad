from oscar.apps.basket import middleware

from basket.services import basket_offers_apply


class BasketMiddleware(middleware.BasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        basket_offers_apply(basket=basket, request=request)
