"""The main shopper journey in a real browser: Playwright driving Debian's chromium.

Home, search (with suggestions as you type), a product with variants, choosing a
size and colour, adding to the basket (the mini-basket updates without a reload),
the basket page, a guest checkout paid with the demo gateway's test card, then
the guest's order page through the signed link in the confirmation email, and
cancelling the order there.
"""

import io
import re
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from catalogue.models import Product
from order.models import Order

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API keeps an event loop on this thread; the test's own
    # database calls are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def _a_parent_with_an_in_stock_variant() -> tuple[Product, Product]:
    for parent in Product.objects.filter(structure="parent").order_by("pk"):
        for child in parent.children.order_by("pk"):
            record = child.stockrecords.first()
            if record and record.num_in_stock and record.num_in_stock > 2:
                return parent, child
    raise AssertionError("the demo shop has no variant in stock")


@pytest.mark.django_db(transaction=True)
def test_shopper_finds_chooses_a_variant_and_adds_it_to_the_basket(
    shop_url, browser_page, settings, mailoutbox
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", products=24, stdout=io.StringIO())
    parent, child = _a_parent_with_an_in_stock_variant()
    choice = {
        value.attribute.code: str(value.value_as_text)
        for value in child.attribute_values.select_related("attribute", "value_option")
    }
    page = browser_page

    # Home
    page.goto(f"{shop_url}/")
    expect(page.get_by_role("heading", name="New in")).to_be_visible()

    # Search, with suggestions while typing
    word = parent.title.split()[-1]
    page.locator("#site-search-q").fill(word[:4])
    expect(page.locator("#search-suggestions")).to_contain_text(parent.title[:10])
    page.locator("#site-search-q").fill(word)
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(f"{shop_url}/search/?q={word}")
    card = page.locator(".card-product__title", has_text=parent.title).first
    expect(card).to_be_visible()

    # The product page, choosing the variant
    card.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(parent.title)
    for code, value in choice.items():
        # A shopper clicks the value's label (the radio itself is hidden).
        page.locator(f'input[name="{code}"][value="{value}"] + label').click()
        expect(page).to_have_url(re.compile(rf"[?&]{code}="))
    expect(page.locator("#product-purchase")).to_contain_text("£")

    # Add to basket: the feedback and the mini-basket update in place
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator("#basket-feedback")).to_contain_text(parent.title[:10])
    expect(page.locator("#mini-basket")).to_contain_text("1 item")

    # The basket page lists the chosen variant
    page.goto(f"{shop_url}/basket/")
    expect(page.locator("main")).to_contain_text(parent.title)
    for value in choice.values():
        expect(page.locator("main")).to_contain_text(value)

    # Guest checkout with the demo card
    page.get_by_role("link", name="Proceed to checkout").click()
    page.locator("#id_username").fill("ada@example.com")
    page.locator('input[name="options"][value="anonymous"]').check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#id_first_name").fill("Ada")
    page.locator("#id_last_name").fill("Lovelace")
    page.locator("#id_line1").fill("1 Harbour Street")
    page.locator("#id_line4").fill("Whitby")
    page.locator("#id_postcode").fill("YO21 3PU")
    page.locator("#id_country").select_option("GB")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(f"{shop_url}/checkout/thank-you/")
    order = Order.objects.get(guest_email="ada@example.com")  # beside the demo's
    expect(page.locator("main")).to_contain_text(order.number)
    assert order.guest_email == "ada@example.com"

    # The guest follows the signed link in the confirmation email, as sent
    [confirmation] = [mail for mail in mailoutbox if mail.to == ["ada@example.com"]]
    [told] = [mail for mail in mailoutbox if mail.to == ["staff@example.com"]]
    assert told.subject.startswith(f"New order {order.number}")  # the merchant
    [link] = re.findall(r"https?://\S+/accounts/order-status/\S+/", confirmation.body)
    page.goto(link)
    expect(page).to_have_url(re.compile(rf"^{re.escape(shop_url)}/accounts/"))
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".order-status")).to_have_text("Paid")
    expect(page.locator(".order-timeline")).to_contain_text("Order placed")

    # and cancels it before it is processed: the money goes back
    page.get_by_role("button", name="Cancel order").click()
    expect(page.locator(".order-status")).to_have_text("Cancelled")
    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("Cancelled", "refunded")
    assert order.number in mailoutbox[-1].subject
