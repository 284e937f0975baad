"""Counting what shoppers do, with Oscar's analytics records."""

from oscar.apps.analytics.models import ProductRecord, UserProductView, UserRecord
from oscar.apps.analytics.receivers import _update_counter


def product_view_record(*, product_id: int, user_id: int | None) -> None:
    _update_counter(ProductRecord, "num_views", {"product_id": product_id})
    if user_id is not None:
        _update_counter(UserRecord, "num_product_views", {"user_id": user_id})
        UserProductView.objects.create(product_id=product_id, user_id=user_id)


def basket_addition_record(*, product_id: int, user_id: int | None) -> None:
    _update_counter(ProductRecord, "num_basket_additions", {"product_id": product_id})
    if user_id is not None:
        _update_counter(UserRecord, "num_basket_additions", {"user_id": user_id})
