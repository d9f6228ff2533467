"""Reads of investment attraction, always from ``Model.objects.restrict(user, action)``.

The 三未 alarms are computed, never stored: each active rule of a city is a filter over the city's
leads (a stage reached, the next not reached, past the months allowed or the planned production
date), and the alarm list is the SQL union of those filters, ordered by days outstanding.

The figures (leads, signed count and amount, landing rate, start rate, funds in place) are defined
once, in ``MEASURES``, as filters over leads, signings or funds in scope and period; the tables
aggregate those filters in SQL and each number's drill-down lists the rows of the same filter.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from tiaodu.core.history import history_items
from tiaodu.core.scoping import VIEW, is_unrestricted, user_grants
from tiaodu.projects.choices import Sector
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import PIPELINE, AlarmKind, LeadStage
from .models import AlarmProblem, AlarmRule, AttractionTeam, FundsEntry, Lead, LeadEvent, Signing


def covered_regions(user, levels=(RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE)):
    """Regions under the user's grants (not the ancestors visible only as reference data)."""
    regions = Region.objects.filter(level__in=levels).order_by("path")
    if is_unrestricted(user):
        return regions
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        if grant.region_id:
            condition |= Q(path__startswith=grant.region.path)
    return regions.filter(condition)


def people(user):
    """Users who can be a lead's responsible person: those with a grant in the user's regions."""
    regions = covered_regions(user, levels=list(RegionLevel.values))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(grants__region__in=regions) | Q(pk=getattr(user, "pk", None)))
        .distinct()
        .order_by("username")
    )


RELATED = ("region", "team", "chain", "segment", "responsible", "company", "project")


def lead_list(user, action: str = VIEW) -> QuerySet:
    return Lead.objects.restrict(user, action).select_related(*RELATED)


def leads_targeting(user, segments) -> dict[int, list[Lead]]:
    """招商图谱: the leads ``user`` may see aimed at each of ``segments`` (a chain's gaps), terminated
    ones left out, the furthest along first; ``{segment id: [lead, …]}``."""
    order = {stage: position for position, stage in enumerate(reversed(PIPELINE))}
    found: dict[int, list[Lead]] = {}
    rows = (
        Lead.objects.restrict(user, VIEW)
        .filter(segment__in=[s.pk for s in segments])
        .exclude(stage=LeadStage.TERMINATED)
        .select_related("region")
        .order_by("-registered_on", "pk")
    )
    for lead in rows:
        found.setdefault(lead.segment_id, []).append(lead)
    for leads in found.values():
        leads.sort(key=lambda lead: order.get(lead.stage, len(order)))
    return found


def team_list(user, action: str = VIEW) -> QuerySet:
    return (
        AttractionTeam.objects.restrict(user, action)
        .select_related("region", "leader")
        .annotate(lead_count=Count("leads"))
    )


def lead_events(lead: Lead) -> QuerySet:
    return LeadEvent.objects.filter(lead=lead).select_related("actor").order_by("at", "pk")


def lead_history(lead: Lead):
    return list(reversed(history_items(lead.history.select_related("history_user"), Lead)))


def project_progress(lead: Lead) -> dict | None:
    """What the registry says of a linked lead's project: stage, facts and the latest accepted report's investment."""
    if not lead.project_id:
        return None
    from tiaodu.reports.choices import ReportStatus
    from tiaodu.reports.models import MonthlyReport

    project = lead.project
    report = MonthlyReport.objects.filter(project=project, status=ReportStatus.ACCEPTED).order_by("-period").first()
    return {"project": project, "report": report}


# ---- alarms --------------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def alarm_threshold(rule: AlarmRule, today: datetime.date) -> datetime.date:
    """The date the rule's reference date must be before for a lead to be in alarm today."""
    if rule.kind == AlarmKind.MONTHS:
        return months_before(today, rule.months or 0)
    return today


def alarm_reference_field(rule: AlarmRule) -> str:
    return rule.from_field if rule.kind == AlarmKind.MONTHS else "planned_production_date"


def alarm_condition(rule: AlarmRule, today: datetime.date) -> Q:
    """Leads of the rule's city that reached ``from_stage``, not ``to_stage``, and are past their threshold."""
    condition = (
        Q(region__path__startswith=rule.city.path)
        & Q(**{f"{rule.from_field}__isnull": False, f"{rule.to_field}__isnull": True})
        & ~Q(stage=LeadStage.TERMINATED)
        & Q(**{f"{alarm_reference_field(rule)}__lt": alarm_threshold(rule, today)})
    )
    return condition


def alarm_days(lead: Lead, rule: AlarmRule, today: datetime.date) -> int:
    """Days outstanding (超期天数): days past the rule's threshold (months allowed, or the planned date)."""
    reference = getattr(lead, alarm_reference_field(rule))
    if reference is None:
        return 0
    return (alarm_threshold(rule, today) - reference).days


def is_in_alarm(lead: Lead, rule: AlarmRule, today: datetime.date) -> bool:
    return rule.is_active and Lead.objects.filter(pk=lead.pk).filter(alarm_condition(rule, today)).exists()


def alarm_cities(user) -> list[Region]:
    """The cities whose rules apply to the user's leads (each city's default rules made on first use).

    Read from the user's grants (the city above a county or zone grant, the cities of a province
    grant, the city of an owner's organisation); only an unrestricted user scans the leads.
    """
    from tiaodu.core.scoping import is_unrestricted, user_grants

    from .services import ensure_default_rules

    if is_unrestricted(user):
        paths = Lead.objects.order_by().values_list("region__path", flat=True).distinct()
        cities = Region.objects.filter(code__in={p.strip("/").split("/")[1] for p in paths if p.count("/") >= 2})
    else:
        codes, provinces = set(), []
        for grant in user_grants(user):
            region = grant.region if grant.region_id else getattr(grant.organisation, "region", None)
            if region is None:
                continue
            parts = region.path.strip("/").split("/")
            if len(parts) >= 2:
                codes.add(parts[1])
            else:
                provinces.append(region.path)
        condition = Q(code__in=codes)
        for path in provinces:
            condition |= Q(path__startswith=path)
        cities = Region.objects.filter(condition)
    cities = list(cities.filter(level="city"))
    with_rules = set(AlarmRule.objects.filter(city__in=cities).values_list("city_id", flat=True).distinct())
    for city in cities:
        if city.pk not in with_rules:
            ensure_default_rules(city)
    return cities


def rules_for(user, *, active_only: bool = True) -> QuerySet:
    cities = alarm_cities(user)
    rules = AlarmRule.objects.filter(city__in=cities).select_related("city")
    return rules.filter(is_active=True) if active_only else rules


@dataclass(frozen=True)
class AlarmFilter:
    rule: AlarmRule | None = None
    region: Region | None = None
    team: AttractionTeam | None = None


def _alarm_leads(user, alarm_filter: AlarmFilter) -> QuerySet:
    leads = Lead.objects.restrict(user, VIEW)
    if alarm_filter.region is not None:
        leads = leads.filter(region__path__startswith=alarm_filter.region.path)
    if alarm_filter.team is not None:
        leads = leads.filter(team=alarm_filter.team)
    return leads


def _rules(user, alarm_filter: AlarmFilter) -> list[AlarmRule]:
    rules = list(rules_for(user))
    if alarm_filter.rule is not None:
        rules = [r for r in rules if r.pk == alarm_filter.rule.pk]
    return rules


class AlarmRows:
    """The (lead, rule) pairs in alarm as ``(lead_id, rule_id, days)``, most days outstanding first, read lazily.

    Within a rule the days outstanding fall as the reference date rises, so each rule's rows come
    from the database already in order (an index on "next stage NULL, reference date" serves it) and
    a page is the merge of the first rows of each rule: page one reads 50 rows per rule, not all of them.
    """

    def __init__(self, parts: list, total: int):
        self.parts = parts  # (rule, threshold, reference field, queryset of the rule's alarms)
        self.total = total

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __iter__(self):
        return iter(self[0 : self.total])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop if index.stop is not None else self.total, self.total)
        if stop <= start:
            return []
        merged = []
        for rule, threshold, reference, rows in self.parts:
            for pk, day in rows.order_by(reference, "pk").values_list("pk", reference)[:stop]:
                merged.append(((day - threshold).days, pk, rule.pk))  # minus the days outstanding: sorts first
        merged.sort()
        return [(pk, rule_id, -negative) for negative, pk, rule_id in merged[start:stop]]


@dataclass
class AlarmSet:
    """The alarm rows (lazy) and the red counts per rule, county/zone and team."""

    rows: AlarmRows
    by_rule: list
    by_region: list
    by_team: list

    @property
    def total(self) -> int:
        return len(self.rows)

    def counts(self) -> dict:
        return {"by_rule": self.by_rule, "by_region": self.by_region, "by_team": self.by_team, "total": self.total}


def alarm_set(user, today: datetime.date, alarm_filter: AlarmFilter = AlarmFilter(), rules=None) -> AlarmSet:
    """Per rule, one grouped SQL count (by county and team) gives every red count; the rows are read per page."""
    rules = _rules(user, alarm_filter) if rules is None else rules
    leads = _alarm_leads(user, alarm_filter).order_by()
    parts, by_rule = [], []
    region_counts: dict = {}
    team_counts: dict = {}
    for rule in rules:
        rows = leads.filter(alarm_condition(rule, today))
        parts.append((rule, alarm_threshold(rule, today), alarm_reference_field(rule), rows))
        count = 0
        for region_id, team_id, n in rows.values_list("region_id", "team_id").annotate(n=Count("pk")).order_by():
            region_counts[region_id] = region_counts.get(region_id, 0) + n
            team_counts[team_id] = team_counts.get(team_id, 0) + n
            count += n
        by_rule.append({"rule": rule, "count": count})
    region_names = dict(Region.objects.filter(pk__in=list(region_counts)).values_list("pk", "name"))
    team_names = dict(AttractionTeam.objects.filter(pk__in=[k for k in team_counts if k]).values_list("pk", "name"))

    def ranked(counts, names, empty):
        rows = [{"key": k, "label": names.get(k, "") if k else str(empty), "count": n} for k, n in counts.items()]
        return sorted(rows, key=lambda r: (-r["count"], r["label"]))

    return AlarmSet(
        rows=AlarmRows(parts, sum(r["count"] for r in by_rule)),
        by_rule=by_rule,
        by_region=ranked(region_counts, region_names, ""),
        by_team=ranked(team_counts, team_names, _("（未指定专班）")),
    )


def alarm_rows(user, today: datetime.date, alarm_filter: AlarmFilter = AlarmFilter()) -> AlarmRows:
    """Every (lead, rule) in alarm as ``(lead_id, rule_id, days)`` rows, most days outstanding first."""
    return alarm_set(user, today, alarm_filter).rows


@dataclass
class Alarm:
    lead: Lead
    rule: AlarmRule
    days: int
    problem: object = None


def hydrate_alarms(rows, rules: dict[int, AlarmRule], today: datetime.date) -> list[Alarm]:
    """The page's ``(lead_id, rule_id, days)`` rows as ``Alarm`` objects, with their leads in one query."""
    rows = list(rows)
    leads = Lead.objects.select_related(*RELATED).in_bulk([r[0] for r in rows])
    problems = {
        (p.lead_id, p.rule_id): p.problem
        for p in AlarmProblem.objects.filter(lead_id__in=[r[0] for r in rows]).select_related("problem")
    }
    alarms = []
    for lead_id, rule_id, _days in rows:
        lead, rule = leads[lead_id], rules[rule_id]
        alarms.append(Alarm(lead, rule, alarm_days(lead, rule, today), problems.get((lead_id, rule_id))))
    return alarms


def alarm_counts(user, today: datetime.date, alarm_filter: AlarmFilter = AlarmFilter()) -> dict:
    """Red counts: per rule, and per county/zone and per team."""
    return alarm_set(user, today, alarm_filter).counts()


def alarms_all(today: datetime.date):
    """Every (lead, rule) in alarm across all cities, for the daily notification task (no user scope)."""
    for rule in AlarmRule.objects.filter(is_active=True).select_related("city"):
        leads = Lead.objects.filter(alarm_condition(rule, today)).select_related(
            "region", "team__leader__user", "responsible"
        )
        for lead in leads.iterator(chunk_size=500):
            yield lead, rule


# ---- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttractionQuery:
    start: datetime.date
    end: datetime.date
    region: Region | None = None


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    model: type  # Lead, Signing or FundsEntry
    condition: Callable[[AttractionQuery], Q]
    sum_field: str | None = None  # a money figure sums this; a count counts rows


def _period(field: str, query: AttractionQuery) -> Q:
    return Q(**{f"{field}__gte": query.start, f"{field}__lte": query.end})


MEASURES = {
    m.key: m
    for m in [
        Measure("leads", _("新增线索"), Lead, lambda q: _period("registered_on", q)),
        Measure("signed", _("签约项目"), Lead, lambda q: _period("signed_on", q)),
        Measure(
            "landed",
            _("签约已落地"),
            Lead,
            lambda q: _period("signed_on", q) & Q(landed_on__isnull=False, landed_on__lte=q.end),
        ),
        Measure(
            "started",
            _("签约已开工"),
            Lead,
            lambda q: _period("signed_on", q) & Q(started_on__isnull=False, started_on__lte=q.end),
        ),
        Measure(
            "amount",
            _("签约金额（万元）"),
            Signing,
            lambda q: _period("signed_on", q) & ~Q(counted_amount=0),
            "counted_amount",
        ),
        Measure("funds", _("到位资金（万元）"), FundsEntry, lambda q: _period("on", q), "amount"),
    ]
}
# 落地率 = landed ÷ signed; 开工率 = started ÷ signed (of the leads signed in the period).
RATES = {"landing_rate": ("landed", "signed"), "start_rate": ("started", "signed")}
GROUPS = {
    "region": ("region_id", _("分县区")),
    "sector": ("sector", _("分行业")),
    "chain": ("chain_id", _("分产业链")),
    "team": ("team_id", _("分招商专班")),
}
NONE_KEY = "none"


def rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _lead_path(model: type) -> str:
    return "" if model is Lead else "lead__"


def measure_base(user, query: AttractionQuery, measure: Measure) -> QuerySet:
    """The rows a measure counts or sums: in scope, under the chosen region, meeting its filter."""
    rows = measure.model.objects.restrict(user, VIEW)
    prefix = _lead_path(measure.model)
    if query.region is not None:
        rows = rows.filter(**{f"{prefix}region__path__startswith": query.region.path})
    return rows.filter(measure.condition(query))


def _batches(query: AttractionQuery):
    """The measures grouped by the rows they read: one SQL statement per model (counts as filtered COUNTs)."""
    batches: dict = {}
    for key, measure in MEASURES.items():
        batches.setdefault(measure.model, []).append((key, measure))
    for model, measures in batches.items():
        condition = Q(pk__in=[])
        aggregates = {}
        for key, measure in measures:
            when = measure.condition(query)
            condition |= when
            aggregates[key] = Sum(measure.sum_field, filter=when) if measure.sum_field else Count("pk", filter=when)
        if model is Lead:
            # Lead counts look at most of the leads in scope: one pass over them beats walking two date indexes.
            condition = Q()
        yield model, condition, aggregates


def _scoped(user, query: AttractionQuery, model, condition: Q) -> QuerySet:
    rows = model.objects.restrict(user, VIEW)
    if query.region is not None:
        rows = rows.filter(**{f"{_lead_path(model)}region__path__startswith": query.region.path})
    return rows.filter(condition)


def _zeroed(values: dict) -> dict:
    return {key: (values.get(key) or (Decimal("0") if m.sum_field else 0)) for key, m in MEASURES.items()}


def _with_rates(row: dict) -> dict:
    for key, (numerator, denominator) in RATES.items():
        row[key] = rate(row[numerator], row[denominator])
    return row


def figure_totals(user, query: AttractionQuery) -> dict:
    values = {}
    for model, condition, aggregates in _batches(query):
        values.update(_scoped(user, query, model, condition).aggregate(**aggregates))
    return _with_rates(_zeroed(values))


def _labels(group: str, keys) -> dict:
    from tiaodu.chains.models import Chain

    keys = [k for k in keys if k is not None]
    if group == "region":
        return {r.pk: r.name for r in Region.objects.filter(pk__in=keys)}
    if group == "chain":
        return {c.pk: c.name for c in Chain.objects.filter(pk__in=keys)}
    if group == "team":
        return {t.pk: t.name for t in AttractionTeam.objects.filter(pk__in=keys)}
    return dict(Sector.choices)


def figure_table(user, query: AttractionQuery, group: str) -> list[dict]:
    """One row per county/zone, sector, chain or team, ranked by signed amount (排名); three queries."""
    field = GROUPS[group][0]
    values: dict = {}
    for model, condition, aggregates in _batches(query):
        path = _lead_path(model) + field
        for row in _scoped(user, query, model, condition).order_by().values(path).annotate(**aggregates):
            values.setdefault(row[path], {}).update({k: row[k] for k in aggregates})
    values = {key: found for key, found in values.items() if any(found.values())}
    labels = _labels(group, values.keys())
    rows = []
    for group_key, found in values.items():
        row = _zeroed(found)
        row["key"] = str(group_key) if group_key not in (None, "") else NONE_KEY
        row["label"] = str(labels.get(group_key, "")) if group_key not in (None, "") else str(_("（未填）"))
        rows.append(_with_rates(row))
    rows.sort(key=lambda r: (-r["amount"], -r["signed"], -r["leads"], r["label"]))
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["amount"] != previous:
            rank, previous = position, row["amount"]
        row["rank"] = rank if row["amount"] else None
    return rows


def drilldown(user, query: AttractionQuery, measure_key: str, group: str | None = None, key: str | None = None):
    """The rows behind one number: the measure's filter, for one group when given."""
    measure = MEASURES[measure_key]
    rows = measure_base(user, query, measure)
    if group:
        path = _lead_path(measure.model) + GROUPS[group][0]
        if key == NONE_KEY:
            rows = rows.filter(
                Q(**{f"{path}__isnull": True}) | Q(**{path: ""})
                if group == "sector"
                else Q(**{f"{path}__isnull": True})
            )
        else:
            rows = rows.filter(**{path: key})
    if measure.model is Lead:
        return rows.select_related(*RELATED)
    return rows.select_related("lead", "lead__region", "lead__team")


def landed_series(user, query: AttractionQuery) -> list[dict]:
    """落地企业数 over time: at each month's end in the period, the enterprises landed so far (one query)."""
    months = []
    day = query.start.replace(day=1)
    while day <= query.end and len(months) < 120:
        last = datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        months.append(min(last, query.end))
        day = last + datetime.timedelta(days=1)
    leads = Lead.objects.restrict(user, VIEW).filter(landed_on__isnull=False, company__isnull=False)
    if query.region is not None:
        leads = leads.filter(region__path__startswith=query.region.path)
    counts = leads.aggregate(
        **{f"m{i}": Count("company", distinct=True, filter=Q(landed_on__lte=end)) for i, end in enumerate(months)}
    )
    return [{"month": end.strftime("%Y-%m"), "count": counts[f"m{i}"]} for i, end in enumerate(months)]


# ---- computed indicators (used by assessment) ----------------------------------------------------


def signed_amount(*, region: Region, start: datetime.date, end: datetime.date, user=None) -> Decimal:
    """签约金额（万元） of leads in ``region`` (and below), signed from ``start`` to ``end`` inclusive.

    Each lead counts once at its first signing; a 增资 counts only the increase. ``user``: limit to
    what that user may see (``None``: everything, for system computations).
    """
    rows = Signing.objects.restrict(user, VIEW) if user is not None else Signing.objects.all()
    rows = rows.filter(lead__region__path__startswith=region.path, signed_on__gte=start, signed_on__lte=end)
    return rows.aggregate(v=Sum("counted_amount"))["v"] or Decimal("0")


def funds_in_place(*, region: Region, start: datetime.date, end: datetime.date, user=None) -> Decimal:
    """到位资金（万元） of leads in ``region`` (and below), put in place from ``start`` to ``end`` inclusive."""
    rows = FundsEntry.objects.restrict(user, VIEW) if user is not None else FundsEntry.objects.all()
    rows = rows.filter(lead__region__path__startswith=region.path, on__gte=start, on__lte=end)
    return rows.aggregate(v=Sum("amount"))["v"] or Decimal("0")
