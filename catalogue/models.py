"""The catalogue: Oscar's models plus the denormalised listing the storefront reads.

Our models are declared before Oscar's are imported, as Oscar's forking rules ask.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ProductListing(models.Model):
    """One row per browsable product: everything a listing card, a facet count or a
    search needs, so a listing page costs a fixed number of queries.

    Rows are rebuilt from the product, its variants, stock and images by
    `catalogue.listing.listing_refresh`, with prices and availability taken from the
    partner Strategy; signals queue a refresh whenever any of those change.
    """

    class StockStatus(models.TextChoices):
        IN_STOCK = "in_stock", "In stock"
        LOW = "low", "Low stock"
        OUT = "out", "Out of stock"

    product = models.OneToOneField(
        "catalogue.Product",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="listing",
    )
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=255)
    product_type = models.CharField(max_length=128, blank=True)
    description = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    currency = models.CharField(max_length=12, blank=True)
    price_varies = models.BooleanField(default=False)
    stock_status = models.CharField(
        max_length=12, choices=StockStatus.choices, default=StockStatus.OUT
    )
    is_available = models.BooleanField(default=False)
    image_url = models.CharField(max_length=500, blank=True)
    popularity = models.IntegerField(default=0)
    date_created = models.DateTimeField()
    refreshed_at = models.DateTimeField(auto_now=True)
    # Weighted full-text document (title A, keywords B, description C); Postgres only,
    # filled by the refresh. Its GIN index is created by a Postgres-only migration.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        app_label = "catalogue"
        indexes = [
            models.Index(fields=["-popularity", "-date_created"]),
            models.Index(fields=["-date_created"]),
            models.Index(fields=["price"]),
            models.Index(fields=["title"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url


class ProductListingCategory(models.Model):
    """A listing's categories and all their ancestors, so a category page is one
    equality lookup however deep the tree."""

    listing = models.ForeignKey(
        ProductListing, on_delete=models.CASCADE, related_name="category_links"
    )
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        app_label = "catalogue"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "listing"], name="listing_category_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} in {self.category_id}"


class ProductListingFacet(models.Model):
    """A filterable value of a listing (`colour` = `Navy`), from the product's and
    its variants' attributes."""

    listing = models.ForeignKey(
        ProductListing, on_delete=models.CASCADE, related_name="facets"
    )
    key = models.CharField(max_length=64)
    value = models.CharField(max_length=128)

    class Meta:
        app_label = "catalogue"
        constraints = [
            models.UniqueConstraint(
                fields=["key", "value", "listing"], name="listing_facet_unique"
            )
        ]
        indexes = [models.Index(fields=["listing", "key"])]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class SearchWord(models.Model):
    """The catalogue's vocabulary, for correcting misspelt search words."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        app_label = "catalogue"

    def __str__(self) -> str:
        return self.word


from oscar.apps.catalogue.models import *  # noqa: E402, F403 - Oscar's remaining models
