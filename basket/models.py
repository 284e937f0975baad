from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from oscar.apps.basket.abstract_models import AbstractBasket

from catalogue.product_selectors import products_for_basket_lines
from offer.models import is_gift_line


class LinesWithProducts(QuerySet):
    """Basket lines whose products (with their stock records) come from the
    catalogue's cache when the lines are read, instead of joined and
    prefetched with them. Filtering, counting and the rest behave as on any
    queryset of lines."""

    fresh = False  # read the products from the database instead
    # Products read with the lines' own (`Basket.lines_read_with_product`).
    also_read: tuple[int, ...] = ()
    products_read: dict | None = None

    @classmethod
    def of(cls, lines: QuerySet, *, fresh: bool) -> "LinesWithProducts":
        """These lines (the basket's related manager's queryset, which knows
        each line's basket) read this way."""
        clone = lines._chain()
        clone.__class__ = FreshLinesWithProducts if fresh else cls
        return clone

    def _fetch_all(self):
        loading = self._result_cache is None
        super()._fetch_all()
        if loading and self._iterable_class is ModelIterable:
            self.products_read = _products_attach(
                self._result_cache, fresh=self.fresh, also=self.also_read
            )
            _options_attach(self._result_cache)


class FreshLinesWithProducts(LinesWithProducts):
    fresh = True


def _options_attach(lines) -> None:
    """Read the options of the lines that have some. A line added without
    options has the reference Oscar gives it, `<product id>_<stock record
    id>` (a gift's is its own, also without options), and is known to have
    none without asking."""
    plain = {f"{line.product_id}_{line.stockrecord_id}" for line in lines}
    with_options = [
        line
        for line in lines
        if line.line_reference not in plain and not is_gift_line(line)
    ]
    if with_options:
        prefetch_related_objects(with_options, "attributes__option")
    read = {id(line) for line in with_options}
    for line in lines:
        if id(line) not in read:
            # As Django's prefetching leaves a relation it found empty.
            none = line.attributes.none()
            none._result_cache, none._prefetch_done = [], True
            line._prefetched_objects_cache = {"attributes": none}


def _products_attach(lines, *, fresh: bool, also=()) -> dict:
    """Give the lines their products; the products read (with those `also`
    named) by id."""
    products = products_for_basket_lines(
        [*(line.product_id for line in lines if line.product_id), *also], fresh=fresh
    )
    for line in lines:
        product = products.get(line.product_id)
        if product is not None:
            _product_attach(line, product)
    return products


def _product_attach(line, product) -> None:
    line.product = product
    record = next(
        (
            record
            for record in product.stockrecords.all()
            if record.pk == line.stockrecord_id
        ),
        None,
    )
    if record is not None:
        line.stockrecord = record


class Basket(AbstractBasket):
    def all_lines(self):
        """The basket's lines with everything a page or an offer reads from them.

        Oscar's own loads each line's parent product, product class and parent's
        images one query at a time; this reads the lines (and the options of
        those that have some) and their products from the cache, or from the
        database at the checkout (`products_for_basket_lines`), so a basket
        costs the same with one line or fifty.
        """
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            lines = self.lines.order_by(self._meta.pk.name)
            self._lines = LinesWithProducts.of(lines, fresh=self.lines_fresh)
        return self._lines

    def lines_read_with_product(self, product_id: int):
        """Read the lines (as `all_lines`) and, with their products, the
        product an addition names, so both take the same two cache round trips
        (`products_for_basket_lines`). The product, or None when there is
        none with that id."""
        lines = self.all_lines()
        if isinstance(lines, LinesWithProducts) and lines._result_cache is None:
            lines.also_read = (product_id,)
            list(lines)
            return lines.products_read.get(product_id)
        list(lines)
        return products_for_basket_lines([product_id], fresh=self.lines_fresh).get(
            product_id
        )

    # The checkout reads the lines' products and prices from the database, not
    # the cache: what is charged is never a moment behind a price change.
    lines_fresh = False

    def lines_read_fresh(self) -> None:
        """From now on, read the lines' products from the database."""
        if not self.lines_fresh:
            self.lines_fresh = True
            self._lines = None

    @classmethod
    def with_voucher_flag(cls, baskets: QuerySet) -> QuerySet:
        """These baskets, each knowing whether it holds a voucher, so a basket
        without one is priced and shown without asking for them."""
        return baskets.annotate(
            has_vouchers=Exists(
                cls.vouchers.through.objects.filter(basket_id=OuterRef("pk"))
            )
        )

    def vouchers_known_none(self) -> bool:
        """Whether the basket was loaded knowing it holds no voucher
        (`with_voucher_flag`) and none was added since."""
        return self.__dict__.get("has_vouchers") is False

    def vouchers_forget(self) -> None:
        self.__dict__.pop("has_vouchers", None)

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
        Oscar looks the line up first and then creates it (and lines already
        read keep being used, with the new one). Anything unusual
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
        loaded = self._lines if self._lines_loaded() else None
        self.reset_offer_applications()
        if loaded is not None:
            # Lines read before the addition gain the new one, instead of all
            # being read again.
            if self.lines_fresh or not getattr(product, "read_for_basket_line", False):
                _products_attach([line], fresh=self.lines_fresh)
            else:
                _product_attach(line, product)  # as the lines read it already
            _options_attach([line])
            loaded._result_cache.append(line)
            self._lines = loaded
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
