"""Test helpers: a chain in each county of the shared ``world``, through the services."""

from decimal import Decimal

from tiaodu.orgs.choices import OrganisationKind
from tiaodu.testing import OrganisationFactory

from . import services
from .choices import MemberRole


def add_chains(w):
    """Give ``w`` a chain in county A (新材料, with an enterprise, output and project) and one in county B
    (光伏, likewise). Idempotent."""
    if getattr(w, "chain_b", None) is not None:
        return w
    w.chain_dept_a = OrganisationFactory(name="壶关县工信局", region=w.county_a, kind=OrganisationKind.DEPARTMENT)
    w.chain_a = services.chain_create(
        actor=w.admin_a,
        region=w.county_a,
        name="壶关新材料产业链",
        department=w.chain_dept_a,
        segments=["原料", "加工", "应用"],
    )
    w.segments_a = list(w.chain_a.segments.order_by("position"))
    w.member_a = services.member_add(
        actor=w.admin_a, chain=w.chain_a, segment=w.segments_a[0], organisation=w.owner_org_a, role=MemberRole.MASTER
    )
    w.output_a = services.output_set(
        actor=w.admin_a, chain=w.chain_a, year=2025, actual=Decimal("1200.50"), target=Decimal("2000")
    )
    w.link_a = services.project_link(actor=w.admin_a, chain=w.chain_a, project=w.project_a, segment=w.segments_a[0])

    w.chain_b = services.chain_create(
        actor=w.admin_b, region=w.county_b, name="长子光伏秘密产业链", segments=["硅料", "组件"]
    )
    w.segments_b = list(w.chain_b.segments.order_by("position"))
    w.segment_b = w.segments_b[0]
    w.member_b = services.member_add(
        actor=w.admin_b, chain=w.chain_b, segment=w.segment_b, organisation=w.org_b, role=MemberRole.CORE
    )
    w.output_b = services.output_set(actor=w.admin_b, chain=w.chain_b, year=2025, actual=Decimal("777"))
    w.link_b = services.project_link(actor=w.admin_b, chain=w.chain_b, project=w.project_b, segment=w.segment_b)
    return w
