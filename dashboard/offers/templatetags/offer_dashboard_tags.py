"""How an offer's days, hours and audience read on the dashboard."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from offer.describe import offer_days_and_hours

register = template.Library()


@register.simple_tag
def offer_schedule(offer) -> str:
    """ "Every Monday and Friday, 09:00–17:00 (Europe/London)", or "Every
    day, all day": the hours are read in the shop's time zone, so it is
    named."""
    days_and_hours = offer_days_and_hours(offer)
    if not days_and_hours:
        return _("Every day, all day")
    return _("%(schedule)s (%(zone)s)") % {
        "schedule": days_and_hours[:1].upper() + days_and_hours[1:],
        "zone": settings.TIME_ZONE,
    }


@register.simple_tag
def offer_runs_now(offer) -> bool:
    """Whether now falls on the offer's days and hours (its dates aside)."""
    return offer.runs_at(timezone.now())
