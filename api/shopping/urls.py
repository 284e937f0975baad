from django.urls import path

from api.shopping import basket_views, checkout_views

urlpatterns = [
    path("basket/", basket_views.BasketView.as_view(), name="basket"),
    path("basket/lines/", basket_views.LineListView.as_view(), name="basket-lines"),
    path(
        "basket/lines/<int:line_id>/",
        basket_views.LineDetailView.as_view(),
        name="basket-line",
    ),
    path(
        "basket/vouchers/",
        basket_views.VoucherListView.as_view(),
        name="basket-vouchers",
    ),
    path(
        "basket/vouchers/<str:code>/",
        basket_views.VoucherDetailView.as_view(),
        name="basket-voucher",
    ),
    path(
        "checkout/shipping-methods/",
        checkout_views.ShippingMethodsView.as_view(),
        name="checkout-shipping-methods",
    ),
    path("checkout/quote/", checkout_views.QuoteView.as_view(), name="checkout-quote"),
    path(
        "checkout/payments/",
        checkout_views.PaymentListView.as_view(),
        name="checkout-payments",
    ),
    path(
        "checkout/payments/<int:payment_id>/",
        checkout_views.PaymentDetailView.as_view(),
        name="checkout-payment",
    ),
    path(
        "checkout/payments/<int:payment_id>/confirm/",
        checkout_views.PaymentConfirmView.as_view(),
        name="checkout-payment-confirm",
    ),
]
