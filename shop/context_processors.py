from functools import partial

from basket.selectors import mini_basket
from shop.selectors import category_menu


def storefront(request):
    """What the storefront frame shows on every page.

    Both are passed as callables: templates call them only when they render the
    header, so pages without it (the dashboard, most htmx fragments) pay nothing.
    """
    return {
        "category_menu": category_menu,
        "mini_basket": partial(mini_basket, request=request),
    }
