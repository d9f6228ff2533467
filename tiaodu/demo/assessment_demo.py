"""The demo city's assessment (考核): a year's scheme for its counties and zones.

Computed indicators (开工率, 投资完成率, 问题办结率) read the figures the demo already has; entered ones
(工业投资增速 %, 税收收入 万元, 规上工业企业数 个) get actuals from their departments in every workflow
state (accepted, submitted, returned, draft); some bonus and deduction items; the result through
the last finished month is published. Called after ``dispatch_demo``, through the services,
deterministic (``random.Random(ASSESSMENT_SEED)``).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import catalog as C

ASSESSMENT_SEED = 20251125


def load_assessment(plan, loader, say) -> None:
    from tiaodu.assessment import services
    from tiaodu.assessment.choices import AdjustmentKind, Direction, IndicatorKind, ScoringRule
    from tiaodu.core.dates import local_today

    rng = random.Random(ASSESSMENT_SEED)
    today = local_today()
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last finished month
    year, month = last.year, last.month
    city, actor = loader.regions[C.CITY_CODE], loader.actor
    orgs = loader.orgs
    say(f"考核（assessment）：{year}年度考核方案、实绩与发布结果……")

    def indicator(name, unit, kind, **extra):
        return services.indicator_save(actor=actor, region=city, name=name, unit=unit, kind=kind, **extra)

    hundred = {"min_value": Decimal(0), "max_value": Decimal(100)}
    start = indicator("开工率", "%", IndicatorKind.COMPUTED, source="start_rate", **hundred)
    completion = indicator("投资完成率", "%", IndicatorKind.COMPUTED, source="investment_completion_rate", **hundred)
    resolution = indicator("问题办结率", "%", IndicatorKind.COMPUTED, source="problem_resolution_rate", **hundred)
    indicator("固定资产投资完成额", "万元", IndicatorKind.COMPUTED, source="investment_completed", min_value=Decimal(0))
    signed = indicator("签约金额", "万元", IndicatorKind.COMPUTED, source="signed_amount", min_value=Decimal(0))
    funds = indicator("到位资金", "万元", IndicatorKind.COMPUTED, source="funds_in_place", min_value=Decimal(0))
    growth = indicator(
        "工业投资增速",
        "%",
        IndicatorKind.ENTERED,
        department=orgs["长治市统计局"],
        min_value=Decimal(-100),
        max_value=Decimal(300),
        description="1–N月累计，同比增长。",
    )
    tax = indicator("税收收入", "万元", IndicatorKind.ENTERED, department=orgs["长治市财政局"], min_value=Decimal(0))
    firms = indicator(
        "规上工业企业数",
        "个",
        IndicatorKind.ENTERED,
        department=orgs["长治市工业和信息化局"],
        min_value=Decimal(0),
        direction=Direction.HIGHER,
    )
    units = [loader.regions[code] for code, *_rest in C.COUNTIES + C.ZONES]
    scheme = services.scheme_save(
        actor=actor,
        region=city,
        year=year,
        name=f"长治市{year}年度重点项目建设考核",
        note="按《重点项目建设考核办法》：完成率计分封顶120%，规上工业企业数按名次计分。",
        units=units,
        items=[
            {"indicator": start, "weight": "25", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": completion, "weight": "25", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": resolution, "weight": "15", "rule": ScoringRule.RATIO, "cap": "1.1"},
            {"indicator": growth, "weight": "15", "rule": ScoringRule.RATIO, "cap": "1.5"},
            {"indicator": tax, "weight": "10", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": firms, "weight": "10", "rule": ScoringRule.RANK, "rank_step": "0.5"},
        ],
    )
    scheme_units = {u.region_id: u for u in scheme.units.all()}
    items = {i.indicator_id: i for i in scheme.items.all()}
    targets, actual_plan = {}, []
    for region in units:
        unit = scheme_units[region.pk]
        targets[(items[start.pk], unit)] = rng.choice(["80", "85", "90"])
        targets[(items[completion.pk], unit)] = rng.choice(["75", "80", "85"])
        targets[(items[resolution.pk], unit)] = "90"
        growth_target = rng.choice([8, 10, 12])
        tax_target = rng.randrange(40_000, 260_000, 1000)
        targets[(items[growth.pk], unit)] = str(growth_target)
        targets[(items[tax.pk], unit)] = str(tax_target)
        share = Decimal(month) / 12
        actual_plan += [
            (growth, region, Decimal(rng.randint(-30, 200)) / 10),
            (tax, region, (Decimal(tax_target) * share * Decimal(rng.randint(80, 120)) / 100).quantize(Decimal("1"))),
            (firms, region, Decimal(rng.randint(12, 160))),
        ]
    services.targets_set(actor=actor, scheme=scheme, values=targets)
    # Most actuals accepted; a few waiting for review, returned or still drafts.
    states = {}
    for number, (ind, region, value) in enumerate(actual_plan):
        actual = services.actual_save(actor=actor, indicator=ind, region=region, year=year, month=month, value=value)
        fate = "accepted" if number % 11 else rng.choice(["submitted", "returned", "draft"])
        if fate != "draft":
            actual = services.actual_submit(actor=actor, actual=actual)
        if fate == "accepted":
            services.actual_accept(actor=actor, actual=actual)
        elif fate == "returned":
            services.actual_return(actor=actor, actual=actual, reason="数据口径与统计年鉴不一致，请核实后重新提交。")
        states[fate] = states.get(fate, 0) + 1
    reasons = [
        (AdjustmentKind.BONUS, "3", "项目获评省级重点工程观摩“优秀”"),
        (AdjustmentKind.BONUS, "2", "引进世界500强企业投资项目"),
        (AdjustmentKind.DEDUCTION, "2", "重点项目发生安全生产事故被通报"),
        (AdjustmentKind.DEDUCTION, "1", "月报连续两个月逾期报送"),
    ]
    for kind, points, reason in reasons:
        region = rng.choice(units)
        on = dt.date(year, rng.randint(1, month), rng.randint(1, 28))
        services.adjustment_add(
            actor=actor, scheme=scheme, unit=scheme_units[region.pk], kind=kind, points=points, reason=reason, on=on
        )
    services.result_publish(actor=actor, scheme=scheme, month=month, note="经市考核办审定")
    # The zones' attraction scheme: computed from the leads the attraction demo adds (read when shown).
    zones = [loader.regions[code] for code, *_rest in C.ZONES]
    attraction = services.scheme_save(
        actor=actor,
        region=city,
        year=year,
        name=f"长治市{year}年度开发区招商引资考核",
        note="签约金额按完成率计分（封顶120%），到位资金按名次计分。",
        units=zones,
        items=[
            {"indicator": signed, "weight": "60", "rule": ScoringRule.RATIO, "cap": "1.2"},
            {"indicator": funds, "weight": "40", "rule": ScoringRule.RANK, "rank_step": "5"},
        ],
    )
    zone_units = {u.region_id: u for u in attraction.units.all()}
    signed_item = attraction.items.get(indicator=signed)
    services.targets_set(
        actor=actor,
        scheme=attraction,
        values={(signed_item, zone_units[z.pk]): str(rng.randrange(200_000, 600_000, 10_000)) for z in zones},
    )
    say(f"  考核方案 1 个，{len(units)} 个县区/功能区，实绩 {len(actual_plan)} 条 {states}，已发布 1–{month} 月结果。")
