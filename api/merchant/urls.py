"""The merchant endpoints under /api/v1/merchant/: for integrations with a
merchant token, or staff with their permissions."""

from django.urls import path

from api.merchant import order_views, product_views

urlpatterns = [
    path(
        "products/",
        product_views.ProductListView.as_view(),
        name="merchant-products",
    ),
    path("stock/", product_views.StockView.as_view(), name="merchant-stock"),
    path("prices/", product_views.PriceView.as_view(), name="merchant-prices"),
    path("orders/", order_views.OrderListView.as_view(), name="merchant-orders"),
    path(
        "orders/<str:number>/",
        order_views.OrderDetailView.as_view(),
        name="merchant-order",
    ),
    path(
        "orders/<str:number>/shipments/",
        order_views.ShipmentCreateView.as_view(),
        name="merchant-order-shipments",
    ),
    path(
        "orders/<str:number>/status/",
        order_views.OrderStatusView.as_view(),
        name="merchant-order-status",
    ),
]
