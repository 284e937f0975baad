from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, with the units reserved for shoppers who are paying
    counted out of what is available to sell."""

    num_reserved = models.PositiveIntegerField(
        _("Number reserved"),
        default=0,
        help_text=_("Units held for shoppers who are paying; set by the shop."),
    )

    @property
    def net_stock_level(self):
        """Available to sell: on hand - allocated - reserved."""
        return super().net_stock_level - self.num_reserved


class StockReservation(models.Model):
    """Units of a stock record held for one basket while its shopper pays.

    A reservation counts against what other shoppers can buy until it expires
    (`expires_at`) or the order is placed, when it turns into an allocation. Expired
    ones are deleted by a beat task; until then they are simply not counted.
    """

    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        on_delete=models.CASCADE,
        related_name="reservations",
    )
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.CASCADE, related_name="stock_reservations"
    )
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["basket", "stockrecord"], name="stock_reservation_once"
            )
        ]
        verbose_name = _("Stock reservation")

    def __str__(self):
        return f"{self.quantity} of {self.stockrecord_id} until {self.expires_at}"


class TaxRate(models.Model):
    """The tax a destination country pays on the net price (partner.tax): set
    by the merchant in the dashboard; a country without a row pays none. While
    there are no rows at all, SHOP_TAX_RATES' rates apply."""

    country = models.CharField(
        max_length=2, unique=True, help_text=_("ISO 3166-1 code, e.g. GB")
    )
    rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text=_("A fraction of the net price: 0.20 for 20%"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1), name="tax_rate_0_to_1"
            )
        ]

    def __str__(self):
        return f"{self.country}: {self.rate:%}"


from oscar.apps.partner.models import *  # noqa: E402, F403 - Oscar's remaining models
