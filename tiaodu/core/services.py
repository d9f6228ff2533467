"""Helpers every service uses: scope checks and saving with an attributed history record."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import CHANGE, user_can


def require_scope(actor, obj: models.Model, *, action: str = CHANGE, field: str | None = None) -> None:
    """Refuse a write the actor's grants do not cover, naming the field that put it out of scope."""
    if user_can(actor, action, obj):
        return
    message = _("您无权在该范围内进行此操作。")
    raise ValidationError({field: message} if field else message, code="out_of_scope")


def save_attributed(
    obj: models.Model, *, actor, reason: str = "", validate: bool = True, validate_constraints: bool = True
) -> models.Model:
    """Validate and save ``obj``, with its history record naming ``actor`` and ``reason``.

    Works the same inside a web request, an API call, a command or a background task: the history
    user comes from the service's ``actor``, not from whichever request happens to be current.
    ``validate_constraints=False`` skips re-checking database constraints (a query each) for a step
    that changes no constrained value, such as a workflow status; the database still enforces them.
    """
    if validate:
        obj.full_clean(validate_constraints=validate_constraints)
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def changed_fields(obj: models.Model, data: dict) -> dict:
    """Apply ``data`` to ``obj`` and return ``{field: (old, new)}`` for the values that changed."""
    changes = {}
    for name, value in data.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, name, value)
    return changes
