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

    @property
    def num_lines(self):
        # Count the lines the page reads anyway instead of asking the database.
        return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403 - Oscar's remaining models
