"""Reads of the registry, always through the user's scope."""

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tiaodu.core.history import HistoryItem, history_items
from tiaodu.core.scoping import VIEW

from .choices import Sector, Stage
from .models import KeyList, KeyListEntry, Project, ProjectQuerySet, StageTransition

ZERO = Value(0, output_field=DecimalField(max_digits=18, decimal_places=2))


def project_list(user) -> ProjectQuerySet:
    return Project.objects.restrict(user, VIEW).with_related()


def stage_counts(user) -> dict[str, int]:
    """Projects per stage in the user's scope, every stage present (zero when none)."""
    counts = dict(
        Project.objects.restrict(user, VIEW).values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def project_history(project: Project) -> list[HistoryItem]:
    """Everything that happened to a project, newest first: field edits, stage moves, list changes."""
    # The stage and its bookkeeping are told by the stage-move items; the field edit that came with a
    # move still shows the fact it recorded (e.g. the actual start date) and the move's reason.
    items = history_items(
        project.history.select_related("history_user"),
        Project,
        ignore=frozenset({"stage", "stage_since", "previous_stage"}),
    )
    for transition in project.transitions.select_related("actor").order_by("at", "pk"):
        title = f"{transition.from_label} → {transition.to_label}" if transition.from_state else transition.to_label
        items.append(
            HistoryItem(
                at=transition.at,
                actor=str(transition.actor) if transition.actor_id else "",
                kind="stage",
                title=title,
                reason=transition.comment,
                effective_date=transition.effective_date,
            )
        )
    entry_records = KeyListEntry.history.filter(project_id=project.pk).select_related("history_user")
    by_entry: dict[int, list] = {}
    for record in entry_records:
        by_entry.setdefault(record.id, []).append(record)
    lists = KeyList.objects.in_bulk({records[0].key_list_id for records in by_entry.values()})
    for records in by_entry.values():
        key_list = lists.get(records[0].key_list_id)
        name = str(key_list) if key_list else ""
        titles = {
            "+": _("列入名单「{name}」").format(name=name),
            "~": _("修改名单信息「{name}」").format(name=name),
            "-": _("移出名单「{name}」").format(name=name),
        }
        items.extend(history_items(records, KeyListEntry, titles=titles))
    items.sort(key=lambda item: item.at, reverse=True)
    return items


def project_transitions(user) -> "StageTransition.objects":
    return StageTransition.objects.restrict(user, VIEW).select_related("project", "actor")


def key_list_list(user):
    """Lists the user can see, each with the count and sums of the entries *in the user's scope*."""
    entries_in_scope = KeyListEntry.objects.restrict(user, VIEW).values("pk")
    in_scope = Q(entries__pk__in=entries_in_scope)
    return (
        KeyList.objects.restrict(user, VIEW)
        .select_related("region", "published_by")
        .annotate(
            project_count=Count("entries", filter=in_scope),
            total_investment=Coalesce(Sum("entries__project__total_investment", filter=in_scope), ZERO),
            annual_plan_total=Coalesce(Sum("entries__annual_plan", filter=in_scope), ZERO),
        )
    )


def key_list_entries(user, key_list: KeyList):
    return (
        KeyListEntry.objects.restrict(user, VIEW)
        .filter(key_list=key_list)
        .select_related("project", "project__region", "project__owner", "key_list")
    )


def key_list_totals(user, key_list: KeyList) -> dict:
    """A list's totals — count, total investment, annual plan — overall, by region and by sector.

    Computed in SQL over the entries the user may see, so a county sees its own part of a city list.
    """
    entries = KeyListEntry.objects.restrict(user, VIEW).filter(key_list=key_list)
    sums = {
        "count": Count("pk"),
        "total_investment": Coalesce(Sum("project__total_investment"), ZERO),
        "annual_plan": Coalesce(Sum("annual_plan"), ZERO),
    }
    overall = entries.aggregate(**sums)
    by_region = list(
        entries.values("project__region__code", "project__region__name")
        .annotate(**sums)
        .order_by("project__region__code")
    )
    sector_labels = dict(Sector.choices)
    by_sector = [
        {**row, "label": sector_labels.get(row["project__sector"], row["project__sector"])}
        for row in entries.values("project__sector").annotate(**sums).order_by("-total_investment")
    ]
    return {"overall": overall, "by_region": by_region, "by_sector": by_sector}


def project_memberships(user, project: Project):
    return (
        KeyListEntry.objects.restrict(user, VIEW)
        .filter(project=project)
        .select_related("key_list", "key_list__region")
        .order_by("-key_list__year", "key_list__level")
    )


def key_list_years(user) -> list[int]:
    return sorted(set(KeyList.objects.restrict(user, VIEW).values_list("year", flat=True)), reverse=True)
