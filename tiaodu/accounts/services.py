"""Writes to users and grants. Only superusers (and the demo loader) manage accounts for now."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tiaodu.core.services import save_attributed

from .models import Grant, User


def _require_superuser(actor) -> None:
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied


@transaction.atomic
def user_create(
    *, actor, username: str, password: str | None, display_name: str = "", email: str = "", phone: str = ""
) -> User:
    """Create a login. ``password=None`` leaves it unusable until a password is set."""
    _require_superuser(actor)
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    return save_attributed(user, actor=actor, validate=False)


@transaction.atomic
def grant_add(*, actor, user: User, role: str, region=None, organisation=None) -> Grant:
    _require_superuser(actor)
    grant = Grant(
        user=user,
        role=role,
        region=region if region is not None else getattr(organisation, "region", None),
        organisation=organisation,
    )
    save_attributed(grant, actor=actor)
    user.__dict__.pop("_tiaodu_grants", None)
    return grant
