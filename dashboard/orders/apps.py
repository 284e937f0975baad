import oscar.apps.dashboard.orders.apps as apps
from django.urls import path

#: Reading orders (the list, an order's page, packing slips, the CSV).
ORDER_VIEW = ["is_staff", "order.view_order"]
#: Acting on them (every POST that changes an order, its shipments or returns).
ORDER_CHANGE = ["is_staff", "order.view_order", "order.change_order"]

READ_VIEWS = (
    "order-list",
    "order-stats",
    "order-detail",
    "order-line-detail",
    "order-packing-slips",
    "order-export",
    "order-return-list",
)
ACTION_VIEWS = (
    "order-shipping-address",
    "order-bulk-processing",
    "order-processing",
    "order-cancel",
    "order-note",
    "order-refund",
    "order-shipment-create",
    "order-shipment-delivered",
    "order-return-approve",
    "order-return-reject",
    "order-return-receive",
    "order-return-refund",
)


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's orders dashboard, with our order's lifecycle: the list filtered by
    the order's status, payment and fulfilment, bulk actions, packing slips, a
    CSV, and an order page whose actions call the order services.

    Staff need order.view_order to read and order.change_order as well to act
    (superusers have both). Oscar's access for partner users is left out: every
    page is for the shop's own staff."""

    name = "dashboard.orders"

    def configure_permissions(self):
        self.permissions_map = {
            **dict.fromkeys(READ_VIEWS, ORDER_VIEW),
            **dict.fromkeys(ACTION_VIEWS, ORDER_CHANGE),
        }

    def ready(self):
        super().ready()
        # Imported here: the views load models, not ready when apps load.
        from dashboard.orders import actions, returns, shipments, views

        self.views, self.actions, self.returns = views, actions, returns
        self.shipments = shipments

    def get_urls(self):
        v, a, r, s = self.views, self.actions, self.returns, self.shipments
        order = "<str:number>/"
        urls = [
            path("", v.order_list_view, name="order-list"),
            path("statistics/", self.order_stats_view.as_view(), name="order-stats"),
            path("packing-slips/", v.packing_slips_view, name="order-packing-slips"),
            path("export.csv", v.orders_export_view, name="order-export"),
            path("returns/", r.return_list_view, name="order-return-list"),
            path(
                "bulk/processing/",
                a.orders_bulk_processing_view,
                name="order-bulk-processing",
            ),
            path(order, v.order_detail_view, name="order-detail"),
            path(
                order + "lines/<int:line_id>/",
                self.line_detail_view.as_view(),
                name="order-line-detail",
            ),
            path(
                order + "shipping-address/",
                self.shipping_address_view.as_view(),
                name="order-shipping-address",
            ),
            path(order + "processing/", a.processing_view, name="order-processing"),
            path(order + "cancel/", a.cancel_view, name="order-cancel"),
            path(order + "note/", a.note_view, name="order-note"),
            path(order + "refund/", a.refund_view, name="order-refund"),
            path(order + "ship/", s.shipment_create_view, name="order-shipment-create"),
            path(
                order + "shipments/<int:shipment_id>/delivered/",
                s.shipment_delivered_view,
                name="order-shipment-delivered",
            ),
            path(
                order + "returns/<int:return_id>/approve/",
                r.return_approve_view,
                name="order-return-approve",
            ),
            path(
                order + "returns/<int:return_id>/reject/",
                r.return_reject_view,
                name="order-return-reject",
            ),
            path(
                order + "returns/<int:return_id>/receive/",
                r.return_receive_view,
                name="order-return-receive",
            ),
            path(
                order + "returns/<int:return_id>/refund/",
                r.return_refund_view,
                name="order-return-refund",
            ),
        ]
        return self.post_process_urls(urls)
