"""The product page."""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView


class ProductDetailView(OscarProductDetailView):
    pass
