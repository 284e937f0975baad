"""Ask one shop for the addresses of the chosen products, category and searches.

Run inside that shop's Django (`python shop_urls.py PROJECT_ROOT`, with its
settings in the environment), so each shop answers with its own URL scheme. Reads
a JSON request on stdin and writes the paths as JSON on stdout.
"""

import json
import sys
from urllib.parse import urlencode


def paths_for(request: dict) -> dict:
    from django.urls import reverse
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")

    products = Product.objects.in_bulk(
        request["products"] + request["basket"] + [request["race_product"]]
    )
    race = products[request["race_product"]]
    category = Category.objects.get(pk=request["category"])
    return {
        "api_routed": routed_paths(request["api_check"]),
        "home": reverse(request["home_url_name"]),
        "listing": category.get_absolute_url(),
        "product": [products[pk].get_absolute_url() for pk in request["products"]],
        "search": [
            f"{reverse('search:search')}?{urlencode({'q': word})}"
            for word in request["words"]
        ],
        "basket_add": [
            [products[pk].get_absolute_url(), reverse("basket:add", args=[pk])]
            for pk in request["basket"]
        ],
        "checkout_race": {
            "product": race.get_absolute_url(),
            "basket_add": reverse("basket:add", args=[race.pk]),
            "basket": reverse("basket:summary"),
            **{
                step: reverse(f"checkout:{step}")
                for step in (
                    "index",
                    "shipping-address",
                    "shipping-method",
                    "payment-details",
                    "preview",
                    "thank-you",
                )
            },
        },
    }


def routed_paths(paths: list[str]) -> list[str]:
    """The API paths (api_bench.py) this shop routes: an endpoint not built yet
    is left out of the load rather than answering 404s."""
    from django.urls import Resolver404, resolve

    routed = []
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            continue
        routed.append(path)
    return routed


def main() -> None:
    sys.path[0] = sys.argv[1]  # the shop's project, in place of this folder
    import django

    django.setup()
    json.dump(paths_for(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
