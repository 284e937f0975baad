"""Django's admin must not go around the shop's services: an order's status
moves only through its state machine (order.services), stock only through the
stock services (partner.services), payments and baskets only through the
checkout. Their admin pages stay, to look things up, but read only; merchants
change them in the dashboard."""

from django.contrib import admin


class ReadOnlyAdmin:
    """Put before a ModelAdmin: its pages show, and nothing can be added,
    changed or deleted (a POST is refused with 403)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def admin_read_only(*models) -> None:
    """Register each model's admin again, read only."""
    for model in models:
        base = admin.ModelAdmin
        if admin.site.is_registered(model):
            base = type(admin.site.get_model_admin(model))
            admin.site.unregister(model)
        read_only = type(f"ReadOnly{base.__name__}", (ReadOnlyAdmin, base), {})
        admin.site.register(model, read_only)
