"""Why a voucher code does not apply, in words a shopper can act on.

Oscar answers most refusals with "not active" or "Your basket does not qualify";
these say which of the reasons it is: the code is unknown, not started, expired,
used up, or the basket is below the minimum or holds nothing it covers.
"""

import re
import unicodedata
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

VOUCHER_CODE = re.compile(r"^[A-Z0-9_-]+$")


def voucher_code_normalise(raw: str) -> str:
    """The code as vouchers are stored: compatibility characters folded (a
    full-width "Ｓ" is an "S"), spaces anywhere dropped, upper case."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(folded.split()).upper()


def voucher_code_is_well_formed(code: str) -> bool:
    """Letters A to Z, digits, dashes and underscores: anything else (a Cyrillic
    look-alike, punctuation) can't be one of our codes."""
    return bool(VOUCHER_CODE.match(code))


def voucher_refusal(*, voucher, user, now: datetime | None = None) -> str | None:
    """Why `voucher` can't be used now by `user`, or None when it can."""
    now = now or timezone.now()
    names = {"code": voucher.code}
    if now < voucher.start_datetime:
        return _("The voucher %(code)s can be used from %(start)s.") % {
            **names,
            "start": _when(voucher.start_datetime),
        }
    if voucher.end_datetime < now:
        return _("The voucher %(code)s expired on %(end)s.") % {
            **names,
            "end": _when(voucher.end_datetime),
        }
    available, message = voucher.is_available_to_user(user=user)
    if not available:
        return _("The voucher %(code)s can't be used: %(reason)s.") % {
            **names,
            "reason": str(message).rstrip(".").lower()
            if message
            else _("its limit is reached"),
        }
    return None


def voucher_unmet_reason(*, voucher, basket) -> str:
    """Why a voucher that may be used gives this basket nothing: none of its
    items are covered, or what is missing (e.g. spend 12.50 more)."""
    names = {"code": voucher.code}
    lines = basket.all_lines()
    covered = False
    for offer in voucher.offers.all():
        condition = offer.condition.proxy()
        if not any(condition.can_apply_condition(line) for line in lines):
            continue
        covered = True
        upsell = offer.get_upsell_message(basket)
        if upsell:
            return _("To use the voucher %(code)s: %(upsell)s.") % {
                **names,
                "upsell": str(upsell).rstrip("."),
            }
    if covered:
        return _(
            "Your basket does not meet the conditions of the voucher %(code)s."
        ) % (names)
    return _(
        "None of the items in your basket are covered by the voucher %(code)s."
    ) % (names)


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")
