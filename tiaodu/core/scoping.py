"""Who may see and change what: the one place where a user's grants become a query filter.

A user holds grants (``accounts.Grant``): a role at a region (administrator, leader, department)
or at an organisation (project owner). Every scoped model declares, with a ``ScopeSpec`` named
``scope``, the single lookup path by which it reaches its region (and, where owners may see it, its
owner organisation). ``Model.objects.restrict(user, action)`` turns the user's grants into one
filter; lists, detail pages, form choices, API endpoints, exports and figures all go through it.

Actions:
- ``view``: read the object;
- ``change``: create, edit, move through the workflow, delete;
- ``review``: accept or return what someone else submitted (monthly reports), where a model grants it.

A region grant covers the region and everything below it (a city administrator covers its counties
and zones). Reference data (regions and organisations) is also visible along the chain of ancestors
of the user's region, so a county sees the city's departments, but never a sibling county's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from tiaodu.accounts.models import Grant

VIEW = "view"
CHANGE = "change"
REVIEW = "review"
ACTIONS = (VIEW, CHANGE, REVIEW)

ADMIN = "admin"
LEADER = "leader"
DEPARTMENT = "department"
OWNER = "owner"

DEFAULT_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset({VIEW, CHANGE}),
    LEADER: frozenset({VIEW}),
    DEPARTMENT: frozenset({VIEW}),
    OWNER: frozenset({VIEW}),
}


@dataclass(frozen=True)
class ScopeSpec:
    """How a model reaches the things grants are given on.

    ``region``: lookup path to a ``regions.Region`` (``""`` when the model *is* a region).
    ``owner``: lookup path to the owner ``orgs.Organisation``, or ``None`` if owners never see it.
    ``with_ancestors``: reference data, also visible when attached to an ancestor of the user's region.
    ``role_actions``: which actions each role has on this model.
    """

    region: str
    owner: str | None = None
    with_ancestors: bool = False
    role_actions: dict[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_ROLE_ACTIONS))

    def _lookup(self, path: str, suffix: str) -> str:
        return f"{path}__{suffix}" if path else suffix


def user_grants(user) -> list[Grant]:
    """The user's grants, loaded once per user object (that is, once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_tiaodu_grants", None)
    if cached is None:
        cached = list(user.grants.select_related("region", "organisation"))
        user._tiaodu_grants = cached
    return cached


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def scope_filter(model: type[models.Model], user, action: str) -> Q | None:
    """The filter that limits ``model`` to what ``user`` may do ``action`` on; ``None`` means all."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if is_unrestricted(user):
        return None
    spec: ScopeSpec = model.scope
    nothing = Q(pk__in=[])
    if not getattr(user, "is_active", False):
        return nothing
    condition = nothing
    for grant in user_grants(user):
        if action not in spec.role_actions.get(grant.role, frozenset()):
            continue
        if grant.role == OWNER:
            if spec.owner is not None and grant.organisation_id:
                condition |= Q(**{spec._lookup(spec.owner, "pk"): grant.organisation_id})
            continue
        region = grant.region
        condition |= Q(**{spec._lookup(spec.region, "path__startswith"): region.path})
        if spec.with_ancestors and action == VIEW:
            condition |= Q(**{spec._lookup(spec.region, "code__in"): region.ancestor_codes()})
    return condition


def user_can(user, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``, which need not be saved yet.

    Evaluated in Python on the object's own region and owner, with the same rules as
    ``scope_filter``; used by services to refuse a write into a region outside the user's scope.
    """
    if is_unrestricted(user):
        return True
    if not getattr(user, "is_active", False):
        return False
    spec: ScopeSpec = type(obj).scope
    region = _follow(obj, spec.region)
    owner = _follow(obj, spec.owner) if spec.owner is not None else None
    for grant in user_grants(user):
        if action not in spec.role_actions.get(grant.role, frozenset()):
            continue
        if grant.role == OWNER:
            if owner is not None and owner.pk == grant.organisation_id:
                return True
            continue
        if region is None:
            continue
        if region.path.startswith(grant.region.path):
            return True
        if spec.with_ancestors and action == VIEW and region.code in grant.region.ancestor_codes():
            return True
    return False


def _follow(obj: Any, path: str | None) -> Any:
    if not path:
        return obj
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to one user's grants."""

    def restrict(self, user, action: str = VIEW) -> RestrictedQuerySet:
        condition = scope_filter(self.model, user, action)
        return self if condition is None else self.filter(condition)


def get_scoped_or_404(queryset: models.QuerySet | type[models.Model], user, action: str = VIEW, **lookup):
    """Fetch one object the user may act on; "missing" and "not yours" are the same 404."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
