"""The website's Django forms behind API endpoints: their errors answered as
the API's 400, field by field."""

from collections.abc import Callable

from django import forms
from rest_framework.exceptions import ValidationError


def form_refused(
    form: forms.Form, *, field: Callable[[str], str] = lambda name: name
) -> ValidationError:
    """The 400 to raise for an invalid `form`: each error under its field's
    name in the API (`field` maps a form's name to the API's)."""
    messages: dict[str, list[str]] = {}
    for name, found in form.errors.get_json_data().items():
        messages.setdefault(field(name), []).extend(e["message"] for e in found)
    return ValidationError(messages)
