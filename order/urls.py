"""The shopper's order actions, and the guest's order pages.

Included by shop/urls.py before Oscar's URLs: the two guest patterns take the
paths of Oscar's customer:anon-order and customer:anon-order-form (so the links
Oscar and order.selectors build keep working) with views that answer 404 to a
link that is not an order's signed link.
"""

from django.contrib.auth.decorators import login_required
from django.urls import path, re_path

from order import views

app_name = "order"

# Oscar's own pattern for the signature (customer.apps), matched the same way.
SIGNED = r"(?P<order_number>[\w-]*)/(?P<hash>[A-z0-9-_=:]+)"

urlpatterns = [
    re_path(
        rf"^accounts/order-status-form/{SIGNED}/$",
        views.GuestOrderFormView.as_view(),
        name="guest-form",
    ),
    re_path(
        rf"^accounts/order-status/{SIGNED}/$",
        views.GuestOrderDetailView.as_view(),
        name="guest",
    ),
    re_path(
        rf"^accounts/order-status/{SIGNED}/cancel/$",
        views.GuestOrderCancelView.as_view(),
        name="guest-cancel",
    ),
    re_path(
        rf"^accounts/order-status/{SIGNED}/return/$",
        views.GuestReturnRequestView.as_view(),
        name="guest-return",
    ),
    path(
        "accounts/orders/<str:order_number>/cancel/",
        login_required(views.AccountOrderCancelView.as_view()),
        name="cancel",
    ),
    path(
        "accounts/orders/<str:order_number>/return/",
        login_required(views.AccountReturnRequestView.as_view()),
        name="return",
    ),
]
