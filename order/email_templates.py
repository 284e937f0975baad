"""Every email the shop sends has its template in the dashboard (Content >
Email templates) from the first migrate, not only once it has been sent: each
type is created with the text of its template file, so the merchant edits
what shoppers actually get, and a saved page never blanks an email."""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from oscar.core.loading import get_model

from order.emails import EMAIL_NAMES, MERCHANT_EMAIL_NAMES

CommunicationEventType = get_model("communication", "CommunicationEventType")

USER_EMAIL_NAMES = {
    "REGISTRATION": "Welcome (new account)",
    "PASSWORD_RESET": "Password reset",
    "PASSWORD_CHANGED": "Password changed",
    "EMAIL_CHANGED": "Email address changed",
    "PRODUCT_ALERT": "Back in stock",
    "PRODUCT_ALERT_CONFIRMATION": "Back-in-stock alert confirmation",
}
TEMPLATE_FIELDS = {
    "email_subject_template": "email_subject_template_file",
    "email_body_template": "email_body_template_file",
    "email_body_html_template": "email_body_html_template_file",
}


def email_templates_ensure(**kwargs) -> int:
    """Create the missing email types, and fill in the parts of existing ones
    still read from their files; returns how many types were created."""
    order_related = {"ORDER_PLACED": "Order placed", **EMAIL_NAMES}
    created = 0
    for names, category in (
        (order_related, CommunicationEventType.ORDER_RELATED),
        (MERCHANT_EMAIL_NAMES, CommunicationEventType.ORDER_RELATED),
        (USER_EMAIL_NAMES, CommunicationEventType.USER_RELATED),
    ):
        for code, name in names.items():
            event_type, was_created = CommunicationEventType.objects.get_or_create(
                code=code, defaults={"name": name, "category": category}
            )
            created += was_created
            _sources_fill(event_type)
    return created


def _sources_fill(event_type) -> None:
    changed = []
    for field, file_attribute in TEMPLATE_FIELDS.items():
        if getattr(event_type, field) is not None:
            continue  # the merchant's own, or filled before
        name = getattr(event_type, file_attribute) % event_type.code.lower()
        try:
            source = get_template(name).template.source
        except TemplateDoesNotExist:
            continue
        limit = event_type._meta.get_field(field).max_length
        if limit and len(source) > limit:
            continue  # too long to keep there: read from its file
        setattr(event_type, field, source)
        changed.append(field)
    if changed:
        event_type.save(update_fields=changed)
