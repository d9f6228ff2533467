"""Turn django-simple-history records into readable change lists (who, when, why, old → new)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

IGNORED_FIELDS = {"updated_at", "created_at", "id"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryItem:
    """One line of an object's history: a field edit, a creation, a deletion or a workflow step."""

    at: datetime
    actor: str
    kind: str  # "created", "changed", "deleted", "stage"
    title: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    effective_date: date | None = None


def _display(model: type[models.Model], name: str, value, related: dict) -> str:
    if value in (None, ""):
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        obj = related.get((model_field.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(model_field, models.BooleanField):
        return str(_("是")) if value else str(_("否"))
    return str(value)


DEFAULT_TITLES = {"+": _("创建"), "~": _("修改"), "-": _("删除")}


def history_items(
    records, model: type[models.Model], *, titles: dict | None = None, ignore: frozenset[str] = frozenset()
) -> list[HistoryItem]:
    """Readable items for a sequence of historical records of one object, oldest first in, newest first out.

    Foreign keys are resolved to names in one query per related model, not one per change.
    ``titles`` maps a record type (``+`` created, ``~`` changed, ``-`` deleted) to the item's title,
    translated when rendered; ``ignore`` names bookkeeping fields whose changes another item already
    tells (e.g. the stage).
    """
    skipped = IGNORED_FIELDS | ignore
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    diffs = []
    previous = None
    for record in records:
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            diffs.append((record, [c for c in delta.changes if c.field not in skipped]))
        else:
            diffs.append((record, []))
        previous = record

    wanted: dict[type[models.Model], set] = {}
    for _record, changes in diffs:
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                for value in (change.old, change.new):
                    if value is not None:
                        wanted.setdefault(model_field.related_model, set()).add(value)
    related = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._base_manager.in_bulk(list(ids)).items():
            related[(related_model, pk)] = obj

    items = []
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    titles = {**DEFAULT_TITLES, **(titles or {})}
    for record, changes in diffs:
        kind = kinds[record.history_type]
        if kind == "changed" and not changes:
            continue
        items.append(
            HistoryItem(
                at=record.history_date,
                actor=str(record.history_user) if record.history_user_id else str(_("系统")),
                kind=kind,
                title=str(titles[record.history_type]),
                reason=record.history_change_reason or "",
                changes=[
                    FieldChange(
                        label=str(model._meta.get_field(c.field).verbose_name),
                        old=_display(model, c.field, c.old, related),
                        new=_display(model, c.field, c.new, related),
                    )
                    for c in changes
                ],
            )
        )
    return items
