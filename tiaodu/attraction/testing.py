"""Test helpers: attraction teams and leads added to the shared ``world`` (two counties of 长治市), through services."""

import datetime
from decimal import Decimal

from tiaodu.core.dates import local_today
from tiaodu.projects.choices import Sector
from tiaodu.testing import OrganisationFactory

from . import services
from .choices import LeadSource, LeadStage
from .selectors import months_before


def lead(w, actor, *, region, name, registered_on=None, **fields):
    fields.setdefault("investor", "深圳测试投资集团")
    fields.setdefault("source", LeadSource.BY_BUSINESS)
    fields.setdefault("sector", Sector.INDUSTRY)
    fields.setdefault("intended_investment", Decimal("50000"))
    return services.lead_create(
        actor=actor, region=region, name=name, registered_on=registered_on or months_before(local_today(), 12), **fields
    )


def signed_lead(w, actor, *, region, name, signed_on, amount=Decimal("30000"), **fields):
    item = lead(w, actor, region=region, name=name, registered_on=signed_on - datetime.timedelta(days=30), **fields)
    services.lead_sign(actor=actor, lead=item, signed_on=signed_on, kind="contract", amount=amount)
    item.refresh_from_db()
    return item


def add_leads(w):
    """Give ``w`` a team and leads in both counties; B's lead signed eight months ago (签而未落). Idempotent."""
    if getattr(w, "lead_b", None) is not None:
        return w
    w.team_a = services.team_save(actor=w.admin_a, region=w.county_a, name="壶关县新材料招商专班")
    w.team_b = services.team_save(actor=w.admin_b, region=w.county_b, name="长子县装备制造招商专班")
    today = local_today()
    w.lead_a = signed_lead(
        w, w.admin_a, region=w.county_a, name="壶关县碳纤维招商项目", signed_on=months_before(today, 8), team=w.team_a
    )
    w.lead_b = signed_lead(
        w,
        w.admin_b,
        region=w.county_b,
        name="长子县齿轮箱招商项目",
        signed_on=months_before(today, 8),
        team=w.team_b,
        investor="长子县秘密投资方",
    )
    w.company_a = OrganisationFactory(name="壶关县碳纤维科技有限公司", region=w.county_a)
    w.lead_a_landed = signed_lead(
        w, w.admin_a, region=w.county_a, name="壶关县光伏组件招商项目", signed_on=months_before(today, 10)
    )
    services.lead_advance(
        actor=w.admin_a,
        lead=w.lead_a_landed,
        to_stage=LeadStage.LANDED,
        on=months_before(today, 9),
        company=w.company_a,
    )
    w.lead_a_landed.refresh_from_db()
    services.ensure_default_rules(w.city)
    from .models import AlarmRule

    w.rule_signed = AlarmRule.objects.get(city=w.city, name="签而未落")
    return w
