import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout steps; payment and order placement go through our services
    (checkout.views), with one more step for a payment the shopper must confirm."""

    name = "checkout"

    def ready(self):
        super().ready()
        from checkout.views import PaymentConfirmView, StripeReturnView

        self.payment_confirm_view = PaymentConfirmView
        self.stripe_return_view = StripeReturnView

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
        ]
        return urls
