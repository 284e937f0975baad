import oscar.apps.dashboard.offers.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class OffersDashboardConfig(apps.OffersDashboardConfig):
    """Oscar's offers dashboard, with the customer groups offers may be kept to.
    The groups' pages ask for the same permissions as the offers' own."""

    name = "dashboard.offers"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class(  # noqa: N806 - a class
            "dashboard.permissions", "DashboardPermission"
        )
        view = DashboardPermission.get("offer", "view_conditionaloffer")
        change = DashboardPermission.get(
            "offer",
            "view_conditionaloffer",
            "add_conditionaloffer",
            "change_conditionaloffer",
        )
        self.permissions_map.update(
            {
                "customer-group-list": view,
                "customer-group-create": change,
                "customer-group-update": change,
                "customer-group-delete": change,
            }
        )

    def ready(self):
        super().ready()
        from dashboard.offers import views

        self.customer_group_list_view = views.CustomerGroupListView
        self.customer_group_form_view = views.CustomerGroupFormView
        self.customer_group_delete_view = views.CustomerGroupDeleteView

    def get_urls(self):
        groups = [
            path(
                "customer-groups/",
                self.customer_group_list_view.as_view(),
                name="customer-group-list",
            ),
            path(
                "customer-groups/new/",
                self.customer_group_form_view.as_view(),
                name="customer-group-create",
            ),
            path(
                "customer-groups/<int:pk>/",
                self.customer_group_form_view.as_view(),
                name="customer-group-update",
            ),
            path(
                "customer-groups/<int:pk>/delete/",
                self.customer_group_delete_view.as_view(),
                name="customer-group-delete",
            ),
        ]
        return super().get_urls() + self.post_process_urls(groups)
