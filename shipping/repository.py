"""The shipping methods a basket can use: those the merchant set up in the
dashboard (flat rates with an optional free-over threshold, weight bands),
limited to the destination's country where a method names countries; free
shipping while the merchant has set up none.

The merchant's methods change rarely and every basket page asks for them, so
they are kept in the cache and forgotten whenever one is saved or deleted
(`shipping.apps`)."""

from django.core.cache import cache
from oscar.apps.shipping import repository
from oscar.core.loading import get_model

OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")

CACHE_KEY = "shipping:methods"
CACHE_SECONDS = 600


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        configured = configured_methods()
        if not configured:
            return list(self.methods)
        return [method for method in configured if ships_to(method, shipping_addr)]


def configured_methods() -> list:
    methods = cache.get(CACHE_KEY)
    if methods is None:
        methods = [
            method
            for model in (OrderAndItemCharges, WeightBased)
            for method in model.objects.prefetch_related("countries").order_by("name")
        ]
        cache.set(CACHE_KEY, methods, CACHE_SECONDS)
    return methods


def configured_methods_forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def ships_to(method, address) -> bool:
    countries = {country.pk for country in method.countries.all()}
    return not countries or address is None or address.country_id in countries
