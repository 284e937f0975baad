"""What the promotion form offers to choose from."""

from django.db.models import Q, QuerySet

from catalogue.models import Product


def gift_products_buyable(*, term: str = "") -> QuerySet:
    """Products a shopper can buy, so can be given: stand-alone products and
    variants with a stock record, not parents (Oscar's product lookup offers
    parents and leaves variants out). `term` narrows them by title (a
    variant's or its parent's) or UPC."""
    products = (
        Product.objects.exclude(structure=Product.PARENT)
        .filter(stockrecords__isnull=False)
        .select_related("parent")
        .distinct()
        .order_by("title", "pk")
    )
    if term:
        products = products.filter(
            Q(title__icontains=term)
            | Q(parent__title__icontains=term)
            | Q(upc__iexact=term)
        )
    return products
