"""Importing the enterprises of a chain (链上企业名单) through the shared import pipeline.

One row per enterprise: its name and unified social credit code, its county, the chain (a column,
or one chain chosen for the whole file, as a chain page exports it), the segment, its role (链主企业,
链核企业, 链上企业), the date it joined and a note. The enterprise is found by its credit code, else by
name among the enterprises the user sees, else registered; it is then placed through ``member_add``
or moved through ``member_update``, so the file is checked exactly like the chain page (an enterprise
twice in one chain, a segment of another chain …), and nothing is written unless every row is good.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import VIEW, user_can
from tiaodu.ledgers import values as v
from tiaodu.ledgers.columns import CHOICE_MAPS, CHOICE_OPTIONS, CREDIT_CODE, REGION, choice_map
from tiaodu.ledgers.importers import CREATE, UNCHANGED, UPDATE, Importer, ImportResult, RowOutcome, check_region
from tiaodu.ledgers.reading import ColumnSpec, LedgerRow
from tiaodu.regions.models import Region

from . import services
from .choices import MemberRole
from .models import Chain, Member, Segment

ENTERPRISES = "enterprises"
REASON = _("台账导入")

ENTERPRISE_COLUMNS = [
    ColumnSpec("name", _("企业名称"), aliases=("企业", "企业名", "单位名称", "链上企业", "企业全称"), required=True),
    ColumnSpec("credit_code", CREDIT_CODE.label, aliases=("信用代码", "企业统一社会信用代码")),
    ColumnSpec("region", _("所在县区"), aliases=(*REGION.aliases, "所属区划", "企业所在地")),
    ColumnSpec("chain", _("产业链"), aliases=("所属产业链", "产业链名称", "链条")),
    ColumnSpec("segment", _("环节"), aliases=("产业链环节", "所属环节", "链条环节"), required=True),
    ColumnSpec("role", _("角色"), kind="choice", aliases=("企业类型", "企业角色", "链上地位", "类别")),
    ColumnSpec("joined_on", _("入链日期"), kind="date", aliases=("入链时间", "纳入日期")),
    ColumnSpec("note", _("备注"), aliases=("说明",)),
]
FIELD_COLUMNS = {"organisation": "name", "segment": "segment", "role": "role", "joined_on": "joined_on", "note": "note"}
ROLE_WORDS = {
    "链主": MemberRole.MASTER,
    "龙头企业": MemberRole.MASTER,
    "链核": MemberRole.CORE,
    "核心企业": MemberRole.CORE,
    "链上": MemberRole.MEMBER,
    "配套企业": MemberRole.MEMBER,
    "一般企业": MemberRole.MEMBER,
}
MEMBER_CHOICE_MAPS = {**CHOICE_MAPS, "role": choice_map(MemberRole, ROLE_WORDS)}
MEMBER_CHOICE_OPTIONS = {**CHOICE_OPTIONS, "role": [label for _v, label in MemberRole.choices]}


class EnterpriseImporter(Importer):
    kind = ENTERPRISES
    columns = ENTERPRISE_COLUMNS
    choice_maps = MEMBER_CHOICE_MAPS
    choice_options = MEMBER_CHOICE_OPTIONS

    def __init__(self, *, chain: Chain | None = None, **kwargs):
        super().__init__(**kwargs)
        self.fixed_chain = chain
        self._chains: dict[str, Chain | None] = {}
        self._segments: dict[tuple, Segment | None] = {}

    def chain(self, row, data: dict) -> Chain | None:
        name = (data.get("chain") or "").strip()
        if self.fixed_chain is not None:
            if name and name != self.fixed_chain.name:
                message = _("本文件导入“{chain}”，该行是另一条产业链").format(chain=self.fixed_chain)
                self.cell_problem(row, "chain", message)
                return None
            return self.fixed_chain
        if not name:
            self.cell_problem(row, "chain", _("请填写产业链，或在上传时选择产业链"))
            return None
        if name not in self._chains:
            chains = list(Chain.objects.restrict(self.actor, VIEW).filter(name=name).select_related("region"))
            self._chains[name] = self.nearest(chains, self.region, lambda c: c.region.path)
        found = self._chains[name]
        if found is None:
            message = _("{region}没有这条产业链，或不在您的查看范围内").format(region=self.region)
            self.cell_problem(row, "chain", message)
        return found

    def segment(self, row, chain: Chain, name: str) -> Segment | None:
        key = (chain.pk, name)
        if key not in self._segments:
            self._segments[key] = Segment.objects.filter(chain=chain, name=name).first()
        found = self._segments[key]
        if found is None:
            names = "、".join(chain.segments.values_list("name", flat=True)) or "—"
            self.cell_problem(
                row, "segment", _("产业链“{chain}”没有这个环节，应为以下之一：{names}").format(chain=chain, names=names)
            )
        return found

    def region_of(self, row, data: dict) -> Region | None:
        if not data.get("region"):
            return self.region
        return self.resolve_region(row, data.get("region"))

    def check_file(self, prepared):
        seen: dict = {}
        kept = []
        for row, data in prepared:
            chain = (data.get("chain") or "").strip() or (self.fixed_chain.name if self.fixed_chain else "")
            code = (data.get("credit_code") or "").strip().upper()
            key = (chain, code or v.normalise(data.get("name") or "").strip())
            if key in seen:
                self.cell_problem(
                    row, "name", _("与第{row}行是同一家企业，一家企业在一条链上只能出现一次").format(row=seen[key])
                )
                continue
            seen[key] = row.number
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        chain = self.chain(row, data)
        if chain is not None and data.get("segment"):
            self.segment(row, chain, data["segment"])

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        chain = self.chain(row, data)
        region = self.region_of(row, data)
        segment = self.segment(row, chain, data["segment"]) if chain is not None and data.get("segment") else None
        if chain is not None and not data.get("segment"):
            self.cell_problem(row, "segment", _("请填写环节"))
        if chain is None or segment is None or region is None:
            return None
        ok, organisation = self.enterprise(
            row, data, name_key="name", region=region, note=_("第{row}行：将新登记企业“{name}”")
        )
        if not ok:
            return None
        member = Member.objects.filter(chain=chain, organisation=organisation).select_related("segment").first()
        try:
            if member is None:
                services.member_add(
                    actor=self.actor,
                    chain=chain,
                    segment=segment,
                    organisation=organisation,
                    role=data.get("role") or MemberRole.MEMBER,
                    joined_on=data.get("joined_on"),
                    note=data.get("note") or "",
                )
                action, changes = CREATE, []
            else:
                fields = {"segment": segment}
                for key in ("role", "joined_on", "note"):
                    if data.get(key) not in (None, ""):
                        fields[key] = data[key]
                changes = [
                    str(Member._meta.get_field(key).verbose_name)
                    for key, value in fields.items()
                    if getattr(member, key) != value
                ]
                services.member_update(actor=self.actor, member=member, reason=str(REASON), **fields)
                action = UPDATE if changes else UNCHANGED
        except ValidationError as error:
            self.validation_problems(row, error, FIELD_COLUMNS)
            return None
        name = f"{organisation.name}（{chain.name}·{segment.name}）"
        return RowOutcome(number=row.number, action=action, name=name, region=region.name, changes=changes)


def import_enterprises(
    *,
    actor,
    content: bytes,
    filename: str,
    region: Region | None = None,
    chain: Chain | None = None,
    dry_run: bool = False,
    progress: Callable | None = None,
) -> ImportResult:
    """Import (or preview) a list of chain enterprises; ``chain`` when the file is one chain's."""
    region = check_region(actor, region)
    if chain is not None and not user_can(actor, VIEW, chain):
        raise ValidationError({"chain": _("所选产业链不在您的查看范围内。")}, code="out_of_scope")
    importer = EnterpriseImporter(actor=actor, region=region, chain=chain, dry_run=dry_run, progress=progress)
    return importer.run(content, filename)


def enterprise_template(*, region: Region | None) -> tuple[list, str, dict, dict]:
    """The import template's columns, title, example row and drop-down lists."""
    from tiaodu.ledgers.exports import Col, choice_regions

    labels = {c.key: c.label for c in ENTERPRISE_COLUMNS}
    widths = {"name": 30, "credit_code": 22, "chain": 14, "segment": 12, "role": 12, "note": 24}
    columns = [
        Col(key, labels[key], "date" if key == "joined_on" else "text", width=widths.get(key, 12)) for key in labels
    ]
    chains = Chain.objects.none() if region is None else Chain.objects.filter(region__path__startswith=region.path)
    first = chains.order_by("region__code", "name").first()
    segment = first.segments.order_by("position").first() if first else None
    example = {
        "name": str(_("示例：某某光电科技有限公司")),
        "credit_code": "91140400MA0XXXXX0X",
        "region": (choice_regions(region) or [""])[0],
        "chain": first.name if first else "",
        "segment": segment.name if segment else "",
        "role": str(MemberRole.MEMBER.label),
    }
    lists = {
        "region": choice_regions(region),
        "chain": list(chains.order_by("name").values_list("name", flat=True).distinct()),
        "segment": list(
            Segment.objects.filter(chain__in=chains).order_by("name").values_list("name", flat=True).distinct()
        ),
        "role": [str(label) for _v, label in MemberRole.choices],
    }
    return columns, str(_("链上企业名单（导入模板）")), example, lists
