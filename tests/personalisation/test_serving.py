"""'Bought together' on the product page: what shoppers can buy, best first."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalogue.cache import catalogue_version_bump
from checkout.services import order_placed_email_send
from partner.models import StockRecord
from personalisation.events import event_record, events_flush
from personalisation.models import Event
from personalisation.training import bought_together_train
from tests.factories import product_in_stock
from tests.order.orders import customer, order_paid

pytestmark = pytest.mark.django_db


def _bought(*baskets) -> None:
    for number, basket in enumerate(baskets, start=1):
        for product in basket:
            event_record(
                kind=Event.Kind.PURCHASE, product_id=product.pk, order_id=number
            )
    events_flush()
    bought_together_train()


def _section(html: str) -> str:
    start = html.find('id="bought-together"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_the_page_shows_what_is_bought_with_it_but_not_what_is_sold_out(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_ANALYTICS_BUFFER = False
    pasta, sauce, cheese, candle = (
        product_in_stock(title=title, price="4.00")
        for title in ("Pasta", "Tomato sauce", "Parmesan", "Candle")
    )
    page = pasta.get_absolute_url()
    before = client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _bought(*[[pasta, sauce, cheese]] * 3, *[[candle]] * 4)
    shown = _section(client.get(page).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        record = StockRecord.objects.get(product=cheese)
        record.num_in_stock = 0
        record.save()
    after_cheese_sold_out = _section(client.get(page).content.decode())

    assert _section(before) == ""
    assert "Tomato sauce" in shown and "Parmesan" in shown
    assert "Candle" not in shown
    assert "Tomato sauce" in after_cheese_sold_out
    assert "Parmesan" not in after_cheese_sold_out


def test_the_api_product_has_the_same_list(client, settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    pasta, sauce = product_in_stock(title="Pasta"), product_in_stock(title="Sauce")
    _bought([pasta, sauce], [pasta, sauce])

    body = client.get(reverse("api:product-detail", args=[pasta.pk])).json()

    assert [card["title"] for card in body["bought_together"]] == ["Sauce"]


def test_the_basket_suggests_what_completes_it_and_not_what_it_holds(client, settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    pasta, sauce, cheese, tea = (
        product_in_stock(title=title, price="4.00")
        for title in ("Pasta", "Tomato sauce", "Parmesan", "Green tea")
    )
    _bought(*[[pasta, sauce, cheese]] * 3, *[[tea]] * 4)
    client.post(f"/basket/add/{pasta.pk}/", {"quantity": 1})
    client.post(f"/basket/add/{sauce.pk}/", {"quantity": 1})

    html = client.get("/basket/").content.decode()
    start = html.find('id="complements-heading"')
    section = html[start : html.find("</section>", start)]

    assert start >= 0 and "Parmesan" in section
    assert "Tomato sauce" not in section and "Pasta" not in section
    assert "Green tea" not in section


def test_a_customer_is_not_offered_what_they_bought_already(client, settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    pasta, sauce, cheese = (
        product_in_stock(title=title, price="4.00")
        for title in ("Pasta", "Tomato sauce", "Parmesan")
    )
    _bought(*[[pasta, sauce, cheese]] * 3)
    ada = customer()
    order_paid((sauce, 1), user=ada)
    client.force_login(ada)

    shown = _section(client.get(pasta.get_absolute_url()).content.decode())

    assert "Parmesan" in shown and "Tomato sauce" not in shown


def test_the_home_page_trends_what_was_wanted_this_week(client, settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    jam, soap, old_hat = (
        product_in_stock(title=title, price="3.00")
        for title in ("Damson jam", "Oat soap", "Old hat")
    )
    empty = client.get("/").content.decode()
    last_month = timezone.now() - timedelta(days=30)
    for _ in range(3):
        event_record(kind=Event.Kind.PRODUCT_VIEW, product_id=soap.pk)
    event_record(kind=Event.Kind.PURCHASE, product_id=jam.pk, order_id=1)
    for _ in range(9):
        event_record(kind=Event.Kind.PURCHASE, product_id=old_hat.pk, at=last_month)
    events_flush()
    catalogue_version_bump()  # the cached home page is made again

    html = client.get("/").content.decode()
    start = html.find('id="trending"')
    section = html[start : html.find("</section>", start)]

    assert 'id="trending"' not in empty
    assert section.find("Damson jam") < section.find("Oat soap")  # 5 beats 3
    assert "Damson jam" in section and "Old hat" not in section


def test_the_order_confirmation_suggests_what_goes_with_the_order(settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    pasta, sauce, cheese = (
        product_in_stock(title=title, price="4.00")
        for title in ("Pasta", "Tomato sauce", "Parmesan")
    )
    _bought(*[[pasta, sauce, cheese]] * 3)
    order = order_paid((pasta, 1), (sauce, 1), user=customer())
    mail.outbox.clear()

    order_placed_email_send(order_id=order.pk)

    [email] = mail.outbox
    html = email.alternatives[0][0] if email.alternatives else ""
    assert "You might also like" in email.body and "Parmesan" in email.body
    assert "Parmesan" in html and cheese.get_absolute_url() in html
    assert "Tomato sauce:" not in email.body  # ordered already
