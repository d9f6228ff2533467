"""Test helpers: an assessment of 长治市's counties A and B added to the shared ``world``, through the services."""

import datetime
from decimal import Decimal

from tiaodu.accounts.choices import Role
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.testing import OrganisationFactory, UserFactory

from . import services
from .choices import AdjustmentKind, Direction, IndicatorKind, ScoringRule


def add_assessment(w):
    """Give ``w`` indicators of the city, a 2025 scheme of counties A and B, targets, accepted actuals
    (entered by the city's 统计局), a bonus of A and a deduction of B. Idempotent."""
    if getattr(w, "scheme", None) is not None:
        return w
    admin = w.city_admin
    w.stats_org = OrganisationFactory(name="长治市统计局", region=w.city, kind=OrganisationKind.DEPARTMENT)
    w.stats = UserFactory(username="stats", grants=[(Role.DEPARTMENT, w.stats_org)])
    w.start_rate = services.indicator_save(
        actor=admin,
        region=w.city,
        name="开工率",
        unit="%",
        kind=IndicatorKind.COMPUTED,
        source="start_rate",
        direction=Direction.HIGHER,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    w.completion = services.indicator_save(
        actor=admin,
        region=w.city,
        name="投资完成率",
        unit="%",
        kind=IndicatorKind.COMPUTED,
        source="investment_completion_rate",
    )
    w.growth = services.indicator_save(
        actor=admin,
        region=w.city,
        name="工业投资增速",
        unit="%",
        kind=IndicatorKind.ENTERED,
        department=w.stats_org,
        min_value=Decimal(-100),
        max_value=Decimal(500),
    )
    w.firms = services.indicator_save(
        actor=admin,
        region=w.city,
        name="规上工业企业数",
        unit="个",
        kind=IndicatorKind.ENTERED,
        department=w.stats_org,
        min_value=Decimal(0),
    )
    w.scheme = services.scheme_save(
        actor=admin,
        region=w.city,
        year=2025,
        name="长治市2025年度重点项目建设考核",
        units=[w.county_a, w.county_b],
        items=[
            {"indicator": w.start_rate, "weight": "30", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": w.completion, "weight": "30", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": w.growth, "weight": "25", "rule": ScoringRule.RATIO, "cap": "1.5"},
            {"indicator": w.firms, "weight": "15", "rule": ScoringRule.RANK, "rank_step": "5"},
        ],
    )
    w.unit_a, w.unit_b = list(w.scheme.units.order_by("order"))
    w.items = {i.indicator.name: i for i in w.scheme.items.select_related("indicator")}
    services.targets_set(
        actor=admin,
        scheme=w.scheme,
        values={
            (w.items[name], unit): value
            for name, values in {
                "开工率": ("80", "90"),
                "投资完成率": ("50", "60"),
                "工业投资增速": ("10", "8"),
            }.items()
            for unit, value in zip((w.unit_a, w.unit_b), values, strict=True)
        },
    )
    w.actuals = {}
    for indicator, region, value in [
        (w.growth, w.county_a, "12"),
        (w.growth, w.county_b, "4"),
        (w.firms, w.county_a, "40"),
        (w.firms, w.county_b, "55"),
    ]:
        actual = services.actual_save(
            actor=w.stats, indicator=indicator, region=region, year=2025, month=6, value=value
        )
        services.actual_submit(actor=w.stats, actual=actual)
        w.actuals[(indicator.name, region.code)] = services.actual_accept(actor=admin, actual=actual)
    services.adjustment_add(
        actor=admin,
        scheme=w.scheme,
        unit=w.unit_a,
        kind=AdjustmentKind.BONUS,
        points="2",
        reason="获省级表彰",
        on=datetime.date(2025, 3, 1),
    )
    services.adjustment_add(
        actor=admin,
        scheme=w.scheme,
        unit=w.unit_b,
        kind=AdjustmentKind.DEDUCTION,
        points="1.5",
        reason="长子县考核扣分事项",
        on=datetime.date(2025, 4, 1),
    )
    return w
