"""The demo's dashboard login.

An existing account is left exactly as it is unless a password is given: the
demo must never reset a password someone chose. The username is the email
address, which is what `changepassword` takes and what Oscar's EmailBackend
matches on.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q


@dataclass(frozen=True)
class StaffAccount:
    email: str
    username: str
    created: bool
    password: str | None  # set by this call; None when the account was left alone


def staff_account_ensure(*, email: str, password: str | None = None) -> StaffAccount:
    """Create a superuser for `email`, or (with `password`) reset its password."""
    user_model = get_user_model()
    username_field = user_model.USERNAME_FIELD
    user = (
        user_model.objects.filter(Q(email__iexact=email) | Q(**{username_field: email}))
        .order_by("pk")
        .first()
    )
    created = user is None
    if not created and password is None:
        return StaffAccount(
            email=user.email,
            username=user.get_username(),
            created=False,
            password=None,
        )
    if created:
        user = user_model(**{username_field: email, "email": email})
    password = password or secrets.token_urlsafe(12)
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return StaffAccount(
        email=user.email,
        username=user.get_username(),
        created=created,
        password=password,
    )
