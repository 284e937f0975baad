import oscar.apps.dashboard.apps as apps
from django.urls import path

PROMOTION_VIEWS = ("promotion-create", "promotion-preview", "promotion-gift-lookup")
TAX_VIEWS = ("tax-rate-list", "tax-rate-update", "tax-rate-delete")
TAX_PERMISSIONS = ["is_staff", "partner.change_taxrate"]


class DashboardConfig(apps.DashboardConfig):
    name = "dashboard"

    def get_urls(self):
        # Imported here: the views load models, not ready when apps load.
        from dashboard.promotions.views import (
            GiftLookupView,
            promotion_create_view,
            promotion_preview_view,
        )

        promotions = [
            path("promotions/new/", promotion_create_view, name="promotion-create"),
            path(
                "promotions/new/preview/",
                promotion_preview_view,
                name="promotion-preview",
            ),
            path(
                "promotions/gift-products/",
                GiftLookupView.as_view(),
                name="promotion-gift-lookup",
            ),
        ]
        from dashboard import taxes

        taxes_urls = [
            path("tax-rates/", taxes.tax_rate_list_view, name="tax-rate-list"),
            path(
                "tax-rates/<int:pk>/",
                taxes.tax_rate_update_view,
                name="tax-rate-update",
            ),
            path(
                "tax-rates/<int:pk>/delete/",
                taxes.tax_rate_delete_view,
                name="tax-rate-delete",
            ),
        ]
        return super().get_urls() + self.post_process_urls(promotions + taxes_urls)

    def get_permissions(self, url):
        """The promotion pages ask what Oscar's offer wizard asks of its first
        step (creating an offer), so the same staff may use either."""
        view_name = url.split(":")[-1] if url else url
        if view_name in PROMOTION_VIEWS:
            return self.offers_app.get_permissions("offer-metadata")
        if view_name in TAX_VIEWS:
            return TAX_PERMISSIONS
        return super().get_permissions(url)
