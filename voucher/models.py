"""Oscar's vouchers, with a limit on how many orders may use a code.

Oscar's usage modes are once overall, once per customer, or without limit;
merchants also run codes good for the first N orders ("the first 100 to use
SPRING10"). `max_uses` caps a multi-use code; the checkout checks it with the
voucher's row locked (`checkout.services.basket_vouchers_lock`), so N concurrent
orders can't become N + 1.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.voucher.abstract_models import AbstractVoucher


class Voucher(AbstractVoucher):
    max_uses = models.PositiveIntegerField(
        _("Maximum number of uses"),
        null=True,
        blank=True,
        help_text=_(
            "How many orders in all may use this code. Leave empty for no limit."
        ),
    )

    def is_available_to_user(self, user=None):
        available, message = super().is_available_to_user(user=user)
        if available and self.max_uses is not None:
            if self.applications.count() >= self.max_uses:
                return False, _("This voucher has been used the most times allowed")
        return available, message


from oscar.apps.voucher.models import *  # noqa: E402, F403 - Oscar's remaining models
