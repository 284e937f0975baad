"""How an offer's days, hours and audience read on the dashboard."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from offer.models import WEEKDAY_CHOICES

register = template.Library()

DAY_NAMES = dict(WEEKDAY_CHOICES)


@register.simple_tag
def offer_schedule(offer) -> str:
    """ "Monday, Friday; 09:00–17:00 (Europe/London)", or "Every day, all
    day": the hours are read in the shop's time zone, so it is named."""
    days = (
        ", ".join(str(DAY_NAMES[day]) for day in sorted(offer.valid_weekdays))
        if offer.valid_weekdays
        else _("Every day")
    )
    start, end = offer.valid_from_time, offer.valid_until_time
    if start and end:
        hours = _("%(start)s–%(end)s") % {"start": _hhmm(start), "end": _hhmm(end)}
    elif start:
        hours = _("from %(start)s") % {"start": _hhmm(start)}
    elif end:
        hours = _("until %(end)s") % {"end": _hhmm(end)}
    else:
        return _("%(days)s, all day") % {"days": days}
    return _("%(days)s; %(hours)s (%(zone)s)") % {
        "days": days,
        "hours": hours,
        "zone": settings.TIME_ZONE,
    }


@register.simple_tag
def offer_runs_now(offer) -> bool:
    """Whether now falls on the offer's days and hours (its dates aside)."""
    return offer.runs_at(timezone.now())


def _hhmm(moment) -> str:
    return moment.strftime("%H:%M")
