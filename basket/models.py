from django.db import IntegrityError, connection, transaction
from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    def all_lines(self):
        """The basket's lines with everything a page or an offer reads from them.

        Oscar's own loads each line's parent product, product class and parent's
        images one query at a time; this reads them with the lines, so a basket
        costs the same number of queries with one line or fifty.
        """
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(
                    "product__product_class",
                    "product__parent__product_class",
                    "stockrecord__partner",
                )
                .prefetch_related(
                    "attributes__option",
                    "product__images",
                    "product__stockrecords",
                    "product__parent__images",
                )
                .order_by(self._meta.pk.name)
            )
        return self._lines

    # --- Questions an addition asks before the lines are loaded ------------
    # Adding to the basket checks the number of items, the currency and the
    # quantity of the product already there; from one light query, instead of
    # loading every line with its product, images and stock.

    _line_summary = None

    @property
    def _lines(self):
        return self.__dict__.get("_loaded_lines")

    @_lines.setter
    def _lines(self, lines):
        # Oscar sets `_lines = None` wherever the lines change; the summary
        # goes with them.
        self.__dict__["_loaded_lines"] = lines
        self._line_summary = None

    def _lines_loaded(self) -> bool:
        return self._lines is not None and self._lines._result_cache is not None

    def _summary(self) -> list[tuple[int, str, int]]:
        """(product id, currency, quantity) of each line, in line order."""
        if self._line_summary is None:
            self._line_summary = (
                list(
                    self.lines.order_by(self._meta.pk.name).values_list(
                        "product_id", "price_currency", "quantity"
                    )
                )
                if self.id
                else []
            )
        return self._line_summary

    @property
    def num_lines(self):
        if self._lines_loaded() or self.id is None:
            return len(self.all_lines())
        return len(self._summary())

    @property
    def num_items(self):
        if self._lines_loaded():
            return super().num_items
        return sum(quantity for _, _, quantity in self._summary())

    @property
    def currency(self):
        if self._lines_loaded():
            return super().currency
        return next((currency for _, currency, _ in self._summary()), None)

    def product_quantity(self, product):
        if self._lines_loaded():
            return sum(
                line.quantity
                for line in self.all_lines()
                if line.product_id == product.pk
            )
        return sum(
            quantity
            for product_id, _, quantity in self._summary()
            if product_id == product.pk
        )

    # --- Adding ---------------------------------------------------------------

    def add_product(self, product, quantity=1, options=None):
        """Oscar's addition, except that a product the basket does not hold
        yet (the line summary says so) gets its line from one INSERT, where
        Oscar looks the line up first and then creates it. Anything unusual
        (options, no price or stock record, another currency, the same product
        added at the same moment) goes Oscar's way, with Oscar's errors."""
        if options or self.id is None or self.product_quantity(product):
            return super().add_product(product, quantity, options)
        info = self.get_stock_info(product, options)
        price = info.price
        if (
            not price.exists
            or info.stockrecord is None
            or (self.currency and price.currency != self.currency)
        ):
            return super().add_product(product, quantity, options)
        line = self.lines.model(
            basket=self,
            line_reference=self._create_line_reference(product, info.stockrecord, []),
            product=product,
            stockrecord=info.stockrecord,
            quantity=max(0, quantity),
            price_currency=price.currency,
            price_excl_tax=price.excl_tax,
            price_incl_tax=price.incl_tax if price.is_tax_known else None,
            tax_code=price.tax_code,
        )
        try:
            _inserted(line)
        except IntegrityError:
            return super().add_product(product, quantity, options)
        self.reset_offer_applications()
        return line, True

    add_product.alters_data = True
    add = add_product


def _inserted(line) -> None:
    """Save a new line. Outside a transaction the INSERT is its own (one round
    trip); inside one, a savepoint keeps a refused INSERT (the same line added
    at the same moment) from spoiling the transaction around it."""
    if not connection.in_atomic_block:
        line.save(force_insert=True)
        return
    with transaction.atomic():
        line.save(force_insert=True)


from oscar.apps.basket.models import *  # noqa: E402, F403 - Oscar's remaining models
