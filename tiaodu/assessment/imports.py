"""Importing actuals (考核实绩) from a department's Excel sheet, through the shared import pipeline.

One row per county/zone and indicator for one period: ``考核指标 | 所在县区 | 实绩值 | 备注``. Every row
goes through ``actual_save`` (and ``actual_submit``), so the file is validated exactly like the form;
every problem is reported as ``第N行「列名」"值"：原因`` and nothing is written unless all rows are good.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import VIEW
from tiaodu.ledgers import values as v
from tiaodu.ledgers.columns import REGION
from tiaodu.ledgers.importers import CREATE, UNCHANGED, UPDATE, Importer, ImportResult, RowOutcome, check_region
from tiaodu.ledgers.reading import ColumnSpec

from . import services
from .models import Actual, Indicator

ACTUALS = "assessment_actuals"
ACTUAL_COLUMNS = [
    ColumnSpec("indicator", _("考核指标"), aliases=("指标", "指标名称", "考核指标名称"), required=True),
    REGION,
    ColumnSpec("value", _("实绩值"), aliases=("实绩", "完成值", "完成情况", "数值", "实际完成"), required=True),
    ColumnSpec("note", _("备注"), aliases=("说明",)),
]
FIELD_COLUMNS = {"indicator": "indicator", "region": "region", "value": "value", "note": "note", "month": "indicator"}


class ActualImporter(Importer):
    kind = ACTUALS
    columns = ACTUAL_COLUMNS

    def __init__(self, *, year: int, month: int, submit: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.year, self.month, self.submit = year, month, submit
        self._indicators: dict[str, list[Indicator]] | None = None

    def indicator(self, row, name: str | None) -> Indicator | None:
        if self._indicators is None:
            self._indicators = {}
            for indicator in Indicator.objects.restrict(self.actor, VIEW).select_related("region", "department"):
                self._indicators.setdefault(indicator.name, []).append(indicator)
        found = self._indicators.get((name or "").strip(), [])
        if len(found) != 1:
            message = _("没有这个考核指标，或不在您的查看范围内") if not found else _("有多个同名的考核指标")
            self.cell_problem(row, "indicator", message)
            return None
        return found[0]

    def check_file(self, prepared):
        seen, kept = {}, []
        for row, data in prepared:
            key = ((data.get("indicator") or "").strip(), v.normalise(data.get("region") or ""))
            if key in seen:
                self.cell_problem(
                    row, "indicator", _("与第{row}行是同一单位的同一指标，文件中重复").format(row=seen[key])
                )
                continue
            seen[key] = row.number
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        self.indicator(row, data.get("indicator"))

    def apply_row(self, row, data) -> RowOutcome | None:
        indicator = self.indicator(row, data.get("indicator"))
        region = self.resolve_region(row, data.get("region"))
        try:
            value = Decimal(str(data.get("value")).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            self.cell_problem(row, "value", _("不是有效的数字"))
            return None
        if indicator is None or region is None:
            return None
        existing = Actual.objects.filter(
            indicator=indicator, region=region, department=None, year=self.year, month=self.month
        ).first()
        action = CREATE if existing is None else (UNCHANGED if existing.value == value else UPDATE)
        try:
            actual = services.actual_save(
                actor=self.actor,
                indicator=indicator,
                region=region,
                year=self.year,
                month=self.month,
                value=value,
                note=data.get("note") or "",
            )
            if self.submit:
                services.actual_submit(actor=self.actor, actual=actual)
        except ValidationError as error:
            self.validation_problems(row, error, FIELD_COLUMNS)
            return None
        changes = [] if action != UPDATE else [f"{existing.value.normalize():f} → {value.normalize():f}"]
        return RowOutcome(number=row.number, action=action, name=indicator.name, region=region.name, changes=changes)


def import_actuals(
    *,
    actor,
    content: bytes,
    filename: str,
    year: int,
    month: int,
    region=None,
    dry_run: bool = False,
    submit=True,
    progress=None,
) -> ImportResult:
    """Import (or, with ``dry_run``, check) a sheet of actuals for ``year`` through ``month`` (0 = whole year)."""
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年份“{year}”不合理。").format(year=year)}, code="year")
    if not 0 <= int(month) <= 12:
        raise ValidationError({"month": _("月份应在0到12之间（0为全年）。")}, code="month")
    region = check_region(actor, region)
    importer = ActualImporter(
        actor=actor, region=region, year=int(year), month=int(month), submit=submit, dry_run=dry_run, progress=progress
    )
    result = importer.run(content, filename)
    if int(month):
        period = _("{year}年1–{month}月").format(year=year, month=month)
    else:
        period = _("{year}年全年").format(year=year)
    result.notes.insert(0, str(_("考核期间：{period}").format(period=period)))
    return result


def actual_template(*, region, year: int, month: int) -> tuple[list, str, dict, dict]:
    """The import template's columns, title, example row and drop-down lists: the entered indicators."""
    from django.db.models import Q

    from tiaodu.ledgers.exports import Col, choice_regions

    from .choices import IndicatorKind

    labels = {c.key: c.label for c in ACTUAL_COLUMNS}
    columns = [
        Col("indicator", labels["indicator"], width=24),
        Col("region", labels["region"], width=14),
        Col("value", labels["value"], width=12),
        Col("note", labels["note"], width=30),
    ]
    indicators = Indicator.objects.filter(kind=IndicatorKind.ENTERED)
    if region is not None:
        codes = [*region.ancestor_codes(), region.code]
        indicators = indicators.filter(Q(region__code__in=codes) | Q(region__path__startswith=region.path))
    names = list(indicators.order_by("name").values_list("name", flat=True).distinct())
    example = {
        "indicator": names[0] if names else "",
        "region": (choice_regions(region) or [""])[0],
        "value": "12.5",
        "note": "",
    }
    lists = {"indicator": names, "region": choice_regions(region)}
    title = _("{year}年1–{month}月考核实绩（导入模板）").format(year=year, month=month)
    return columns, str(title), example, lists
