"""System checks for a deploy (`manage.py check --deploy`): what would let a
shop go live unable to take money, or taking the demo's test card for real."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def payments_check(app_configs, **kwargs) -> list[Warning]:
    cards = bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)
    paypal = bool(settings.PAYPAL_CLIENT_ID and settings.PAYPAL_CLIENT_SECRET)
    if settings.SHOP_DEMO_PAYMENTS and not cards:
        return [
            Warning(
                "SHOP_DEMO_PAYMENTS is on: anyone paying with the test card "
                "4242 4242 4242 4242 gets their order without paying.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY, and unset "
                "SHOP_DEMO_PAYMENTS.",
                id="shop.W001",
            )
        ]
    if not (cards or paypal):
        return [
            Warning(
                "No payment method is set up: the checkout can't take any order.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY, or "
                "PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET.",
                id="shop.W002",
            )
        ]
    return []
