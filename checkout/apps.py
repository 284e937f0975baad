import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout steps; payment and order placement go through our services
    (checkout.views), with one more step for a payment the shopper must confirm
    and the addresses Stripe and PayPal send the shopper back to."""

    name = "checkout"

    def ready(self):
        super().ready()
        from checkout.views import (
            PaymentConfirmView,
            PayPalCancelView,
            PayPalReturnView,
            StripeReturnView,
        )

        self.payment_confirm_view = PaymentConfirmView
        self.stripe_return_view = StripeReturnView
        self.paypal_return_view = PayPalReturnView
        self.paypal_cancel_view = PayPalCancelView

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path(
                "payment-confirm/<int:pk>/",
                self.payment_confirm_view.as_view(),
                name="payment-confirm",
            ),
            path(
                "stripe-return/",
                self.stripe_return_view.as_view(),
                name="stripe-return",
            ),
            path(
                "paypal-return/",
                self.paypal_return_view.as_view(),
                name="paypal-return",
            ),
            path(
                "paypal-cancel/",
                self.paypal_cancel_view.as_view(),
                name="paypal-cancel",
            ),
        ]
        return urls
