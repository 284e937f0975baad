"""The API under /api/v1/, one module of routes per area."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # the catalogue: categories, products, search
    path("", include("api.catalogue.urls")),
    # customers: registration, tokens, profile, addresses, orders, returns, wishlist
    path("", include("api.accounts.urls")),
    # the basket, checkout and payment
    path("", include("api.shopping.urls")),
    # staff and integrations: stock, prices, orders
    path("merchant/", include("api.merchant.urls")),
]
