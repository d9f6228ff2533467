"""Importing a zone's attraction ledger (招商项目台账) through the shared import pipeline.

One row per lead: its own data (投资方, 行业类别, 产业链 and 环节, 意向投资额, 落地区划, 招商专班, 责任人 …)
and, optionally, how far it has come (阶段) with the date of each stage, the signing (类型, 金额) and
the landed company (名称, 统一社会信用代码). Every row goes through ``lead_create``/``lead_update``
and then ``lead_advance`` one dated stage at a time, so the file is validated exactly like the pages
(a 落地 without a company, a signing after the landing …) and every problem is reported as
``第N行「列名」"值"：原因``; nothing is written unless every row is good.

A lead is matched by its 编号 (ZS000123, as the lead list exports it), else by its name within its
region, so importing the same ledger again changes nothing and an updated one moves leads forward.
A stage behind the one Tiaodu already has is left alone: the workflow only moves forward.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW
from tiaodu.ledgers import values as v
from tiaodu.ledgers.columns import CHOICE_MAPS, CHOICE_OPTIONS, CREDIT_CODE, REGION, SECTOR, choice_map
from tiaodu.ledgers.importers import CREATE, UNCHANGED, UPDATE, Importer, ImportResult, RowOutcome, check_region
from tiaodu.ledgers.reading import ColumnSpec, LedgerRow
from tiaodu.regions.models import Region

from . import services
from .choices import PIPELINE, STAGE_DATE_FIELD, InvestorOrigin, LeadSource, LeadStage, SigningKind
from .models import AttractionTeam, Lead
from .selectors import people

LEADS = "leads"
REASON = _("台账导入")

LEAD_COLUMNS = [
    ColumnSpec("number", _("编号"), aliases=("项目编号", "线索编号", "招商项目编号")),
    ColumnSpec("name", _("项目名称"), aliases=("名称", "项目", "招商项目", "招商项目名称"), required=True),
    ColumnSpec(
        "investor",
        _("投资方"),
        aliases=("投资主体", "投资企业", "投资商", "客商", "投资方名称", "签约企业", "合作方"),
        required=True,
    ),
    ColumnSpec("investor_origin", _("投资方来源"), kind="choice", aliases=("投资方来源地", "客商来源", "来源地")),
    ColumnSpec("source", _("招商方式"), kind="choice", aliases=("招商渠道", "线索来源", "信息来源")),
    SECTOR,
    ColumnSpec("chain", _("产业链"), aliases=("所属产业链", "产业链名称", "链条")),
    ColumnSpec("segment", _("产业链环节"), aliases=("环节", "所属环节", "链条环节")),
    ColumnSpec(
        "intended_investment",
        _("意向投资额"),
        kind="money",
        aliases=("意向投资", "计划投资", "拟投资额", "投资额", "总投资", "计划总投资", "投资规模"),
        required=True,
    ),
    ColumnSpec("region", _("落地区划"), aliases=(*REGION.aliases, "所在县区", "落地县区", "落户地", "拟落地区域")),
    ColumnSpec("team", _("招商专班"), aliases=("专班", "责任专班", "招商专班名称")),
    ColumnSpec("responsible", _("责任人"), aliases=("项目责任人", "招商责任人", "包联责任人")),
    ColumnSpec("description", _("项目概况"), aliases=("项目简介", "建设内容", "主要建设内容", "建设内容及规模")),
    ColumnSpec("planned_production_date", _("计划投产日期"), kind="date", aliases=("计划投产时间", "预计投产时间")),
    ColumnSpec("registered_on", _("线索登记日期"), kind="date", aliases=("登记日期", "线索日期", "获取线索时间")),
    ColumnSpec("stage", _("阶段"), kind="choice", aliases=("项目阶段", "所处阶段", "推进阶段", "进展阶段")),
    ColumnSpec("negotiating_on", _("洽谈日期"), kind="date", aliases=("洽谈时间", "首次洽谈日期")),
    ColumnSpec("signed_on", _("签约日期"), kind="date", aliases=("首次签约日期", "签约时间")),
    ColumnSpec("signing_kind", _("签约类型"), kind="choice", aliases=("签约形式", "协议类型")),
    ColumnSpec("amount", _("签约金额"), kind="money", aliases=("签约额", "合同金额", "协议投资额", "签约投资额")),
    ColumnSpec("landed_on", _("落地日期"), kind="date", aliases=("落地时间",)),
    ColumnSpec("company", _("落地企业"), aliases=("注册企业", "落地企业名称", "项目公司")),
    ColumnSpec("credit_code", CREDIT_CODE.label, aliases=("信用代码", "落地企业统一社会信用代码")),
    ColumnSpec("started_on", _("开工日期"), kind="date", aliases=("开工时间", "实际开工日期")),
    ColumnSpec("producing_on", _("投产日期"), kind="date", aliases=("投产时间",)),
    ColumnSpec("capacity_on", _("达产日期"), kind="date", aliases=("达产时间",)),
]
# The lead's own data: what ``lead_create`` and ``lead_update`` take (the file's columns have their names).
OWN_FIELDS = services.LEAD_FIELDS
FIELD_COLUMNS = {
    **{name: name for name in OWN_FIELDS},
    "registered_on": "registered_on",
    "to_stage": "stage",
    "kind": "signing_kind",
    "amount": "amount",
    "company": "company",
    "signed_on": "signed_on",
}
# Words ledgers use for the stages, besides their labels.
STAGE_WORDS = {
    "储备": LeadStage.LEAD,
    "在谈": LeadStage.NEGOTIATING,
    "洽谈中": LeadStage.NEGOTIATING,
    "在洽谈": LeadStage.NEGOTIATING,
    "已签约": LeadStage.SIGNED,
    "已落地": LeadStage.LANDED,
    "已注册": LeadStage.LANDED,
    "已开工": LeadStage.STARTED,
    "在建": LeadStage.STARTED,
    "已投产": LeadStage.PRODUCING,
    "已达产": LeadStage.CAPACITY,
    "已终止": LeadStage.TERMINATED,
}
LEAD_CHOICE_MAPS = {
    **CHOICE_MAPS,
    "investor_origin": choice_map(InvestorOrigin, {"本省": InvestorOrigin.LOCAL, "国外": InvestorOrigin.ABROAD}),
    "source": choice_map(LeadSource),
    "stage": choice_map(LeadStage, STAGE_WORDS),
    "signing_kind": choice_map(SigningKind, {"框架": SigningKind.FRAMEWORK, "合同": SigningKind.CONTRACT}),
}
LEAD_CHOICE_OPTIONS = {
    **CHOICE_OPTIONS,
    "investor_origin": [label for _v, label in InvestorOrigin.choices],
    "source": [label for _v, label in LeadSource.choices],
    "stage": [label for _v, label in LeadStage.choices],
    "signing_kind": [label for _v, label in SigningKind.choices],
}
_NUMBER = re.compile(r"^ZS0*(\d{1,12})$", re.IGNORECASE)


class LeadImporter(Importer):
    kind = LEADS
    columns = LEAD_COLUMNS
    choice_maps = LEAD_CHOICE_MAPS
    choice_options = LEAD_CHOICE_OPTIONS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._names: dict[tuple, object] = {}

    # ---- names → objects, each looked up once per import

    def _named(self, kind: str, name: str, fetch: Callable[[], list]):
        key = (kind, name)
        if key not in self._names:
            self._names[key] = fetch()
        return self._names[key]

    def chain(self, row, name: str, region: Region):
        from tiaodu.chains.models import Chain

        chains = self._named(
            "chain",
            name,
            lambda: list(Chain.objects.restrict(self.actor, VIEW).filter(name=name).select_related("region")),
        )
        found = self.nearest(chains, region, lambda c: c.region.path)
        if found is None:
            self.cell_problem(row, "chain", _("{region}没有这条产业链，或不在您的查看范围内").format(region=region))
        return found

    def segment(self, row, name: str, chain):
        from tiaodu.chains.models import Segment

        found = self._named("segment", (chain.pk, name), lambda: Segment.objects.filter(chain=chain, name=name).first())
        if found is None:
            names = "、".join(chain.segments.values_list("name", flat=True)) or "—"
            self.cell_problem(
                row, "segment", _("产业链“{chain}”没有这个环节，应为以下之一：{names}").format(chain=chain, names=names)
            )
        return found

    def team(self, row, name: str, region: Region):
        teams = self._named(
            "team",
            name,
            lambda: list(
                AttractionTeam.objects.restrict(self.actor, VIEW)
                .filter(name=name, is_active=True)
                .select_related("region")
            ),
        )
        covering = [t for t in teams if region.path.startswith(t.region.path)]
        found = self.nearest(covering, region, lambda t: t.region.path)
        if found is None:
            self.cell_problem(row, "team", _("{region}没有这个招商专班，或不在您的查看范围内").format(region=region))
        return found

    def responsible(self, row, name: str):
        users = self._named(
            "user", name, lambda: list(people(self.actor).filter(Q(username=name) | Q(display_name=name))[:2])
        )
        if len(users) != 1:
            message = (
                _("找不到该用户（填写用户名或显示名称），或不在您的范围内")
                if not users
                else _("有多个同名用户，请填写用户名")
            )
            self.cell_problem(row, "responsible", message)
            return None
        return users[0]

    # ---- matching

    def match(self, row, data: dict, region: Region | None) -> tuple[bool, Lead | None]:
        """(ok, the lead the row updates, or ``None`` for a new one)."""
        number = (data.get("number") or "").strip()
        if number:
            found = _NUMBER.match(number)
            lead = (
                Lead.objects.restrict(self.actor, VIEW).select_related("region").filter(pk=int(found.group(1))).first()
                if found
                else None
            )
            if lead is None:
                self.cell_problem(row, "number", _("没有这个编号的招商项目，或不在您的查看范围内"))
                return False, None
            return True, lead
        if region is None:
            return False, None
        visible = Lead.objects.restrict(self.actor, VIEW).select_related("region")
        leads = list(visible.filter(region=region, name=data["name"])[:2])
        if len(leads) > 1:
            self.cell_problem(row, "name", _("{region}有多个同名的招商项目，请填写编号").format(region=region))
            return False, None
        return True, (leads[0] if leads else None)

    def check_file(self, prepared):
        seen: dict = {}
        kept = []
        for row, data in prepared:
            number = (data.get("number") or "").strip().upper()
            key = number or (v.normalise(data.get("region") or ""), (data.get("name") or "").strip())
            if key in seen:
                self.cell_problem(row, "name", _("与第{row}行是同一个招商项目，文件中重复").format(row=seen[key]))
                continue
            seen[key] = row.number
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        if data.get("name"):
            self.match(row, data, self.resolve_region(row, data.get("region")))

    # ---- one row

    def own_fields(self, row, data: dict, region: Region) -> dict | None:
        """The lead's own data the file gives (a blank cell leaves the registered value alone)."""
        fields, ok = {}, True
        for key in OWN_FIELDS:
            if key not in self.ledger.columns or key == "region":
                continue
            value = data.get(key)
            if value in (None, ""):
                continue
            if key == "chain":
                value = self.chain(row, value, region)
            elif key == "team":
                value = self.team(row, value, region)
            elif key == "responsible":
                value = self.responsible(row, value)
            elif key == "segment":
                chain = fields.get("chain")
                if chain is None:
                    if "chain" not in fields and not data.get("chain"):
                        self.cell_problem(row, "segment", _("填写环节时须同时填写产业链"))
                    ok = False
                    continue
                value = self.segment(row, value, chain)
            if value is None:
                ok = False
            fields[key] = value
        fields["region"] = region
        return fields if ok else None

    def target_stage(self, row, data: dict) -> str | None:
        """The stage the file says the lead has reached: its 阶段 column, else its latest dated stage."""
        stage = data.get("stage")
        if stage:
            return stage
        reached = None
        for candidate in PIPELINE[1:]:
            if data.get(STAGE_DATE_FIELD[candidate]):
                reached = candidate
        return reached

    def advance(self, row, data: dict, lead: Lead, target: str) -> list[str] | None:
        """Move ``lead`` forward to ``target`` one dated stage at a time; the stage labels it passed."""
        if target == LeadStage.TERMINATED:
            if lead.is_terminated:
                return []
            self.cell_problem(row, "stage", _("终止须在系统中办理并说明原因，不能通过导入终止"))
            return None
        if lead.is_terminated or PIPELINE.index(target) <= PIPELINE.index(lead.stage):
            return []
        steps = PIPELINE[PIPELINE.index(lead.stage) + 1 : PIPELINE.index(target) + 1]
        target_date = data.get(STAGE_DATE_FIELD[target])
        if target_date is None:
            key = STAGE_DATE_FIELD[target]
            label = LeadStage(target).label
            if key in self.ledger.columns:
                self.cell_problem(row, key, _("阶段为“{stage}”时须填写该日期").format(stage=label))
            else:
                self.cell_problem(row, "stage", _("阶段为“{stage}”时须填写{stage}日期").format(stage=label))
            return None
        extra = {"signing_kind": data.get("signing_kind"), "amount": data.get("amount")}
        if LeadStage.LANDED in steps:
            ok, company = self.enterprise(
                row, data, name_key="company", region=lead.region, note=_("第{row}行：将新登记落地企业“{name}”")
            )
            if not ok:
                return None
            extra["company"] = company
        passed = []
        for stage in steps:
            on = data.get(STAGE_DATE_FIELD[stage])
            if on is None and stage != target:
                continue  # passed over: it takes the date of the next dated stage
            try:
                services.lead_advance(actor=self.actor, lead=lead, to_stage=stage, on=on, comment=str(REASON), **extra)
            except ValidationError as error:
                self.validation_problems(row, error, {**FIELD_COLUMNS, "on": STAGE_DATE_FIELD[stage]})
                return None
            lead.refresh_from_db()
            passed.append(str(LeadStage(stage).label))
        return passed

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        region = self.resolve_region(row, data.get("region"))
        ok, lead = self.match(row, data, region)
        if not ok:
            return None
        if region is None:
            if lead is None:
                return None
            region = lead.region
        fields = self.own_fields(row, data, region)
        if fields is None:
            return None
        target = self.target_stage(row, data)
        try:
            if lead is None:
                registered = data.get("registered_on") or min(
                    [d for d in (data.get(STAGE_DATE_FIELD[s]) for s in PIPELINE[1:]) if d] or [local_today()]
                )
                lead = services.lead_create(actor=self.actor, registered_on=registered, **fields)
                action, changes = CREATE, []
            else:
                if not data.get("region"):
                    fields.pop("region")  # no county named: the lead stays where it is
                before = {key: getattr(lead, key) for key in fields}
                lead = services.lead_update(actor=self.actor, lead=lead, reason=str(REASON), **fields)
                changes = [
                    str(Lead._meta.get_field(key).verbose_name)
                    for key, old in before.items()
                    if getattr(lead, key) != old
                ]
                action = UPDATE if changes else UNCHANGED
            if target:
                passed = self.advance(row, data, lead, target)
                if passed is None:
                    return None
                if passed and action != CREATE:
                    action = UPDATE
                    changes.append(str(_("阶段：{stages}").format(stages="→".join(passed))))
        except ValidationError as error:
            self.validation_problems(row, error, FIELD_COLUMNS)
            return None
        return RowOutcome(number=row.number, action=action, name=lead.name, region=lead.region.name, changes=changes)


def import_leads(
    *,
    actor,
    content: bytes,
    filename: str,
    region: Region | None = None,
    dry_run: bool = False,
    progress: Callable | None = None,
) -> ImportResult:
    """Import (or, with ``dry_run``, preview) an attraction ledger: one lead a row."""
    region = check_region(actor, region)
    importer = LeadImporter(actor=actor, region=region, dry_run=dry_run, progress=progress)
    return importer.run(content, filename)


def lead_template(*, region: Region | None, today) -> tuple[list, str, dict, dict]:
    """The import template's columns, title, example row and drop-down lists."""
    from tiaodu.chains.models import Chain
    from tiaodu.ledgers.exports import Col, choice_regions
    from tiaodu.projects.choices import Sector

    labels = {c.key: c.label for c in LEAD_COLUMNS}
    widths = {"name": 30, "investor": 24, "description": 30, "company": 24, "credit_code": 22, "region": 12}
    kinds = {c.key: {"money": "money", "date": "date"}.get(c.kind, "text") for c in LEAD_COLUMNS}
    columns = [Col(key, labels[key], kinds[key], width=widths.get(key, 12)) for key in labels]
    chains = Chain.objects.none() if region is None else Chain.objects.filter(region__path__startswith=region.path)
    example = {
        "name": str(_("示例：年产500万片LED芯片项目")),
        "investor": str(_("某某光电科技集团有限公司")),
        "investor_origin": str(InvestorOrigin.OTHER_PROVINCE.label),
        "source": str(LeadSource.BY_BUSINESS.label),
        "sector": str(Sector.INDUSTRY.label),
        "intended_investment": 50000,
        "region": (choice_regions(region) or [""])[0],
        "registered_on": today.replace(day=1),
        "stage": str(LeadStage.SIGNED.label),
        "negotiating_on": today.replace(day=5),
        "signed_on": today.replace(day=20),
        "signing_kind": str(SigningKind.CONTRACT.label),
        "amount": 50000,
    }
    lists = {
        "region": choice_regions(region),
        "investor_origin": [str(label) for _v, label in InvestorOrigin.choices],
        "source": [str(label) for _v, label in LeadSource.choices],
        "sector": [str(label) for _v, label in Sector.choices],
        "chain": list(chains.order_by("name").values_list("name", flat=True).distinct()),
        "stage": [str(label) for value, label in LeadStage.choices if value != LeadStage.TERMINATED],
        "signing_kind": [str(label) for _v, label in SigningKind.choices if _v != SigningKind.INCREASE],
    }
    return columns, str(_("招商项目台账（导入模板）")), example, lists
