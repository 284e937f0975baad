from django.urls import path

from api.accounts import me_views, order_views, views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.SignInView.as_view(), name="token"),
    path("auth/refresh/", views.RefreshView.as_view(), name="token-refresh"),
    path("auth/sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("me/", views.ProfileView.as_view(), name="me"),
    path("me/addresses/", me_views.AddressListView.as_view(), name="my-addresses"),
    path(
        "me/addresses/<int:pk>/",
        me_views.AddressDetailView.as_view(),
        name="my-address",
    ),
    path("me/wishlist/", me_views.WishlistView.as_view(), name="my-wishlist"),
    path(
        "me/wishlist/<int:product_id>/",
        me_views.WishDetailView.as_view(),
        name="my-wish",
    ),
    path("me/orders/", order_views.OrderListView.as_view(), name="my-orders"),
    path(
        "me/orders/<str:number>/",
        order_views.OrderDetailView.as_view(),
        name="my-order",
    ),
    path(
        "me/orders/<str:number>/returns/",
        order_views.OrderReturnView.as_view(),
        name="my-order-returns",
    ),
]
