"""Django's admin shows orders, stock, payments and baskets but changes none of
them: those move only through the shop's services (the order state machine,
stock reservations), which the admin would go around."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from order import states
from order.models import Order
from tests.order.orders import order_paid, products

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_an_order_s_status_can_t_be_changed_in_the_admin(superuser_client):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))
    url = reverse("admin:order_order_change", args=[order.pk])

    page = superuser_client.get(url)
    posted = superuser_client.post(url, {"status": states.CANCELLED})

    assert page.status_code == 200 and order.number in page.content.decode()
    assert 'name="status"' not in page.content.decode()
    assert posted.status_code == 403
    order.refresh_from_db()
    assert order.status != states.CANCELLED
    delete = reverse("admin:order_order_delete", args=[order.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


def test_stock_can_t_be_changed_in_the_admin(superuser_client):
    [teapot] = products("20.00")
    record = teapot.stockrecords.get()
    url = reverse("admin:partner_stockrecord_change", args=[record.pk])

    page = superuser_client.get(url)
    posted = superuser_client.post(
        url,
        {
            "product": teapot.pk,
            "partner": record.partner_id,
            "partner_sku": record.partner_sku,
            "num_in_stock": 999,
            "num_allocated": 0,
        },
    )

    assert (
        page.status_code == 200 and 'name="num_in_stock"' not in page.content.decode()
    )
    assert posted.status_code == 403
    record.refresh_from_db()
    assert record.num_in_stock != 999
    add = superuser_client.get(reverse("admin:partner_stockrecord_add"))
    assert add.status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "order_order",
        "order_line",
        "order_orderstatuschange",
        "partner_stockrecord",
        "payment_source",
        "payment_transaction",
        "basket_basket",
        "voucher_voucherapplication",
    ],
)
def test_the_service_owned_records_are_listed_but_can_t_be_added(
    superuser_client, name
):
    assert superuser_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"admin:{name}_add")).status_code == 403
