"""Cursor pagination for the API's listings: a cursor names the last item a client
has (its values of the sort's fields), so the next page starts right after it,
and items added or removed meanwhile neither repeat nor vanish from a scroll.

Only `next` is given: the mobile heads scroll forward; a client starts again
from the first page to go back. A cursor is opaque to clients (base64 of JSON);
one that doesn't decode, or was made for another sort, is refused.
"""

import base64
import binascii
import json
from datetime import datetime
from decimal import Decimal

from django.db.models import F, Model, Q, QuerySet

NULLABLE = {"price"}


class CursorInvalid(ValueError):
    pass


def cursor_page(
    queryset: QuerySet, *, ordering: tuple[str, ...], cursor: str, size: int
) -> tuple[list[Model], str]:
    """One page of `queryset` in `ordering` (field names, "-" for descending,
    ending with a unique field) after `cursor`, and the cursor of the page after
    it ("" at the end). Nullable fields sort their empty values last."""
    fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    if cursor:
        queryset = queryset.filter(_after(fields, _decoded(cursor, len(fields))))
    order = [
        getattr(F(name), "desc" if descending else "asc")(
            nulls_last=True if name in NULLABLE else None
        )
        for name, descending in fields
    ]
    rows = list(queryset.order_by(*order)[: size + 1])
    if len(rows) <= size:
        return rows, ""
    last = rows[size - 1]
    return rows[:size], _encoded([getattr(last, name) for name, _ in fields])


def _after(fields: list[tuple[str, bool]], values: list) -> Q:
    """Rows past `values` in the order: ahead on the first field, or equal on it
    and ahead on the next, and so on."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(fields, values, strict=True):
        condition |= equal & _ahead(name, descending, value)
        equal &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition


def _ahead(name: str, descending: bool, value) -> Q:
    if value is None:  # empty values come last: nothing is past them
        return Q(pk__in=[])
    ahead = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    if name in NULLABLE:
        ahead |= Q(**{f"{name}__isnull": True})
    return ahead


def _encoded(values: list) -> str:
    plain = [
        str(value) if isinstance(value, Decimal | datetime) else value
        for value in values
    ]
    data = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _decoded(cursor: str, length: int) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise CursorInvalid("That cursor isn't one this API gave out.") from exc
    if not isinstance(values, list) or len(values) != length:
        raise CursorInvalid("That cursor belongs to another sort order.")
    if not all(isinstance(v, str | int | float) or v is None for v in values):
        raise CursorInvalid("That cursor isn't one this API gave out.")
    return values
