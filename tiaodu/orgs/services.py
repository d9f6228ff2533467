"""Writes to organisations and officials."""

from django.db import transaction

from tiaodu.core.services import changed_fields, require_scope, save_attributed

from .models import Official, Organisation

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "credit_code",
    "region",
    "address",
    "contact_person",
    "phone",
    "established_on",
    "dissolved_on",
    "successor",
)
OFFICIAL_FIELDS = ("name", "title", "organisation", "region", "user", "is_active")


@transaction.atomic
def organisation_create(*, actor, **fields) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_create got unexpected fields: {sorted(unknown)}")
    organisation = Organisation(**fields)
    if organisation.credit_code == "":
        organisation.credit_code = None
    require_scope(actor, organisation, field="region")
    return save_attributed(organisation, actor=actor)


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, reason: str = "", **fields) -> Organisation:
    """Edit a unit. A rename keeps the old name in history; a merge sets ``dissolved_on`` and ``successor``."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update got unexpected fields: {sorted(unknown)}")
    require_scope(actor, organisation)
    if fields.get("credit_code") == "":
        fields["credit_code"] = None
    if changed_fields(organisation, fields):
        require_scope(actor, organisation, field="region")
        save_attributed(organisation, actor=actor, reason=reason)
    return organisation


@transaction.atomic
def official_create(*, actor, **fields) -> Official:
    unknown = set(fields) - set(OFFICIAL_FIELDS)
    if unknown:
        raise TypeError(f"official_create got unexpected fields: {sorted(unknown)}")
    official = Official(**fields)
    require_scope(actor, official, field="region")
    return save_attributed(official, actor=actor)


@transaction.atomic
def official_update(*, official: Official, actor, **fields) -> Official:
    unknown = set(fields) - set(OFFICIAL_FIELDS)
    if unknown:
        raise TypeError(f"official_update got unexpected fields: {sorted(unknown)}")
    require_scope(actor, official)
    if changed_fields(official, fields):
        require_scope(actor, official, field="region")
        save_attributed(official, actor=actor)
    return official
