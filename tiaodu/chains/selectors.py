"""Reads of the chain pages: the chains in scope with their counts, the chain map, the chain figures.

Everything starts from ``Model.objects.restrict(user, VIEW)``. The map and the figures read a chain's
segments, members and projects in a few grouped queries, however many enterprises the chain holds.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW
from tiaodu.figures.models import FigureRow

from .choices import MemberRole
from .models import Chain, ChainProject, Member, Output, Segment

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _member_count(condition: Q):
    counted = (
        Member.objects.filter(condition, chain=OuterRef("pk"))
        .order_by()
        .values("chain")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def chain_list(user):
    """The chains in scope, each with its counts by role, its number of segments and its latest output."""
    latest = Output.objects.filter(chain=OuterRef("pk")).exclude(actual__isnull=True).order_by("-year")
    return (
        Chain.objects.restrict(user, VIEW)
        .select_related("region", "leader", "department")
        .annotate(
            masters=_member_count(Q(role=MemberRole.MASTER)),
            cores=_member_count(Q(role=MemberRole.CORE)),
            member_count=_member_count(Q()),
            latest_year=Subquery(latest.values("year")[:1]),
            latest_actual=Subquery(latest.values("actual")[:1]),
        )
    )


def attach_gaps(chains) -> list:
    """Give each chain ``gap_count`` (segments with fewer than its threshold of enterprises) and the
    target of its latest output year, in two grouped queries."""
    chains = list(chains)
    ids = [c.pk for c in chains]
    per_segment = defaultdict(list)
    for row in Segment.objects.filter(chain_id__in=ids).annotate(n=Count("members")).values("chain_id", "n"):
        per_segment[row["chain_id"]].append(row["n"])
    targets = {
        (o["chain_id"], o["year"]): o["target"]
        for o in Output.objects.filter(chain_id__in=ids).values("chain_id", "year", "target")
    }
    for chain in chains:
        chain.gap_count = sum(1 for n in per_segment[chain.pk] if n < chain.gap_threshold)
        chain.segment_count = len(per_segment[chain.pk])
        chain.latest_target = targets.get((chain.pk, chain.latest_year))
    return chains


@dataclass
class SegmentView:
    segment: Segment
    members: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    is_gap: bool = False

    @property
    def counts(self) -> dict:
        counts = {role: 0 for role in MemberRole.values}
        for member in self.members:
            counts[member.role] += 1
        return counts


def chain_segments(chain: Chain, user) -> list[SegmentView]:
    """The chain's segments in order, each with its enterprises (masters, cores, then members) and projects."""
    views = {s.pk: SegmentView(s) for s in Segment.objects.filter(chain=chain).order_by("position")}
    order = {MemberRole.MASTER: 0, MemberRole.CORE: 1, MemberRole.MEMBER: 2}
    members = (
        Member.objects.restrict(user, VIEW)
        .filter(chain=chain)
        .select_related("organisation")
        .only("pk", "segment_id", "role", "joined_on", "note", "organisation__id", "organisation__name")
    )
    org_url = _url_maker("orgs:organisation_detail")
    edit_url = _url_maker("chains:member_edit")
    remove_url = _url_maker("chains:member_remove")
    for member in sorted(members, key=lambda m: (order.get(m.role, 9), m.organisation.name)):
        if member.segment_id in views:
            member.org_url = org_url(member.organisation_id)
            member.edit_url = edit_url(member.pk)
            member.remove_url = remove_url(member.pk)
            views[member.segment_id].members.append(member)
    for link in chain_projects(chain, user):
        if link.segment_id in views:
            views[link.segment_id].projects.append(link)
    result = list(views.values())
    for view in result:
        view.is_gap = len(view.members) < chain.gap_threshold
    return result


def chain_projects(chain: Chain, user, year: int | None = None):
    """The chain's projects, each with its total investment and this year's completed investment to date
    (``ytd``: from the figure base — the project's primary key-list entry in the latest month of the year;
    ``None`` when the project is on no published list this year)."""
    year = year or local_today().year
    ytd = (
        FigureRow.objects.filter(project=OuterRef("project"), period__year=year, is_primary=True)
        .order_by("-period")
        .values("ytd")[:1]
    )
    return (
        ChainProject.objects.restrict(user, VIEW)
        .filter(chain=chain)
        .select_related("project", "project__region", "project__owner", "segment")
        .annotate(ytd=Subquery(ytd, output_field=MONEY))
        .order_by("segment__position", "project__name")
    )


def project_totals(links) -> dict:
    links = list(links)
    return {
        "count": len(links),
        "total_investment": sum((link.project.total_investment for link in links), Decimal(0)),
        "ytd": sum((link.ytd for link in links if link.ytd is not None), Decimal(0)),
    }


def outputs(chain: Chain):
    return Output.objects.filter(chain=chain).order_by("year")


def role_counts(segments: list[SegmentView]) -> dict:
    totals = {role: 0 for role in MemberRole.values}
    for view in segments:
        for role, n in view.counts.items():
            totals[role] += n
    return totals


def member_rows(user, chain: Chain, *, role: str = "", segment: str = ""):
    """The enterprises behind a figure (a role, a segment, or all)."""
    rows = (
        Member.objects.restrict(user, VIEW)
        .filter(chain=chain)
        .select_related("organisation", "organisation__region", "segment")
        .order_by("segment__position", "role", "organisation__name")
    )
    if role in MemberRole.values:
        rows = rows.filter(role=role)
    if segment:
        try:
            rows = rows.filter(segment_id=int(segment))
        except ValueError:
            rows = rows.none()
    return rows


def _url_maker(name: str):
    marker = 987654321
    pattern = reverse(name, args=[marker])
    return lambda pk: pattern.replace(str(marker), str(pk))


def map_data(chain: Chain, user) -> dict:
    """The chain map as JSON: segments left to right, their enterprises and projects, gaps marked."""
    segments = chain_segments(chain, user)
    org_url = _url_maker("orgs:organisation_detail")
    project_url = _url_maker("projects:project_detail")
    return {
        "chain": {"id": chain.pk, "name": chain.name, "gap_threshold": chain.gap_threshold},
        "roles": {value: str(label) for value, label in MemberRole.choices},
        "segments": [
            {
                "id": view.segment.pk,
                "name": view.segment.name,
                "position": view.segment.position,
                "is_gap": view.is_gap,
                "member_count": len(view.members),
                "enterprises": [
                    {
                        "id": m.organisation_id,
                        "member": m.pk,
                        "name": m.organisation.name,
                        "role": m.role,
                        "url": org_url(m.organisation_id),
                    }
                    for m in view.members
                ],
                "projects": [
                    {
                        "id": link.project_id,
                        "name": link.project.name,
                        "total_investment": str(link.project.total_investment),
                        "url": project_url(link.project_id),
                    }
                    for link in view.projects
                ],
            }
            for view in segments
        ],
    }


def totals_by_chain(chain_ids) -> dict:
    rows = (
        ChainProject.objects.filter(chain_id__in=chain_ids)
        .values("chain_id")
        .annotate(total=Coalesce(Sum("project__total_investment"), Decimal(0), output_field=MONEY), n=Count("pk"))
    )
    return {row["chain_id"]: row for row in rows}
