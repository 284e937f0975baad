"""Oscar's basket forms; the add-to-basket form skips the options query for the
products that have none (most), which Product.has_options already knows."""

from oscar.apps.basket.forms import *  # noqa: F403 - Oscar's remaining forms
from oscar.apps.basket.forms import AddToBasketForm as OscarAddToBasketForm


class AddToBasketForm(OscarAddToBasketForm):
    def cleaned_options(self):
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()


class SimpleAddToBasketForm(SimpleAddToBasketMixin, AddToBasketForm):  # noqa: F405
    pass
