import pytest
from oscar.apps.analytics.models import ProductRecord, UserProductView, UserRecord

from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_a_product_view_is_counted_after_the_response(
    client, django_user_model, django_capture_on_commit_callbacks
):
    teapot = product_in_stock(title="Stoneware Teapot")
    shopper = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="x"
    )
    client.force_login(shopper)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(teapot.get_absolute_url())
    assert not ProductRecord.objects.filter(product=teapot).exists()

    for callback in callbacks:
        callback()
    assert ProductRecord.objects.get(product=teapot).num_views == 1
    assert UserRecord.objects.get(user=shopper).num_product_views == 1
    assert UserProductView.objects.filter(user=shopper, product=teapot).count() == 1


def test_without_a_buffer_an_anonymous_addition_is_counted_after_the_response(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_ANALYTICS_BUFFER = False
    teapot = product_in_stock(title="Stoneware Teapot")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})

    assert ProductRecord.objects.get(product=teapot).num_basket_additions == 1
