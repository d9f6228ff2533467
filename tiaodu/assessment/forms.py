"""Forms of the assessment pages; every choice is limited to the user's scope, every write goes to a service."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm, TiaoduModelForm
from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Organisation
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import AdjustmentKind, ScoringRule, UnitKind
from .models import Indicator, Scheme, Target
from .sources import source_choices


class IndicatorForm(TiaoduModelForm):
    source = forms.ChoiceField(label=_("计算口径"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "region",
            "name",
            "unit",
            "direction",
            "kind",
            "source",
            "department",
            "min_value",
            "max_value",
            "description",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *source_choices()]
        self.fields["region"].queryset = Region.objects.restrict(user, CHANGE).filter(
            level__in=[RegionLevel.CITY, RegionLevel.PROVINCE]
        )
        self.fields["department"].queryset = Organisation.objects.restrict(user, VIEW).filter(
            kind=OrganisationKind.DEPARTMENT
        )
        self.fields["unit"].required = False


class SchemeForm(TiaoduForm):
    """A scheme: its region, year, units and, per indicator of the catalogue, a weight and a rule.

    An indicator left without weight is not in the scheme.
    """

    region = forms.ModelChoiceField(label=_("考核区划"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("方案名称"), max_length=100)
    unit_kind = forms.ChoiceField(label=_("考核对象"), choices=UnitKind.choices)
    regions = forms.ModelMultipleChoiceField(
        label=_("被考核县区/功能区"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("被考核部门"), queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, scheme: Scheme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["region"].queryset = Region.objects.restrict(user, CHANGE).filter(
            level__in=[RegionLevel.CITY, RegionLevel.PROVINCE]
        )
        self.fields["regions"].queryset = (
            Region.objects.restrict(user, CHANGE)
            .filter(level__in=[RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )
        self.fields["departments"].queryset = Organisation.objects.restrict(user, CHANGE).filter(
            kind=OrganisationKind.DEPARTMENT
        )
        self.indicators = list(Indicator.objects.restrict(user, VIEW).select_related("region"))
        current = {i.indicator_id: i for i in scheme.items.all()} if scheme else {}
        for indicator in self.indicators:
            item = current.get(indicator.pk)
            self.fields[f"weight_{indicator.pk}"] = forms.DecimalField(
                label=indicator.name,
                required=False,
                min_value=Decimal("0.01"),
                max_digits=8,
                decimal_places=2,
                initial=item.weight if item else None,
            )
            self.fields[f"rule_{indicator.pk}"] = forms.ChoiceField(
                label=_("计分规则"), choices=ScoringRule.choices, initial=item.rule if item else ScoringRule.RATIO
            )
            self.fields[f"cap_{indicator.pk}"] = forms.DecimalField(
                label=_("完成率封顶"),
                required=False,
                min_value=Decimal("0.01"),
                max_digits=5,
                decimal_places=2,
                initial=item.cap if item else Decimal("1.2"),
            )
            self.fields[f"step_{indicator.pk}"] = forms.DecimalField(
                label=_("名次级差（分）"),
                required=False,
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=2,
                initial=item.rank_step if item else Decimal("1"),
            )
        if scheme is not None:
            for name in ("region", "year", "unit_kind"):
                self.fields[name].disabled = True
            self.initial.update(
                region=scheme.region_id,
                year=scheme.year,
                name=scheme.name,
                unit_kind=scheme.unit_kind,
                note=scheme.note,
                regions=[u.region_id for u in scheme.units.all() if u.region_id],
                departments=[u.department_id for u in scheme.units.all() if u.department_id],
            )

    def indicator_rows(self):
        return [
            {
                "indicator": i,
                "weight": self[f"weight_{i.pk}"],
                "rule": self[f"rule_{i.pk}"],
                "cap": self[f"cap_{i.pk}"],
                "step": self[f"step_{i.pk}"],
            }
            for i in self.indicators
        ]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "indicator": i,
                "weight": data[f"weight_{i.pk}"],
                "rule": data[f"rule_{i.pk}"],
                "cap": data.get(f"cap_{i.pk}") or Decimal("1.2"),
                "rank_step": data.get(f"step_{i.pk}") if data.get(f"step_{i.pk}") is not None else Decimal(1),
            }
            for i in self.indicators
            if data.get(f"weight_{i.pk}")
        ]

    def units(self) -> list:
        data = self.cleaned_data
        kind = self.scheme.unit_kind if self.scheme else data["unit_kind"]
        return list(data["regions"] if kind == UnitKind.REGION else data["departments"])


class TargetsForm(TiaoduForm):
    """目标值: one field per indicator and unit of the scheme."""

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.items_ = list(scheme.items.select_related("indicator"))
        self.units_ = list(scheme.units.select_related("region", "department"))
        current = {(t.item_id, t.unit_id): t.value for t in Target.objects.filter(item__scheme=scheme)}
        for item in self.items_:
            for unit in self.units_:
                self.fields[f"t_{item.pk}_{unit.pk}"] = forms.DecimalField(
                    label=f"{unit.label} {item.indicator.name}",
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                    initial=current.get((item.pk, unit.pk)),
                )

    def grid(self):
        return [
            {"unit": unit, "fields": [self[f"t_{item.pk}_{unit.pk}"] for item in self.items_]} for unit in self.units_
        ]

    def values(self) -> dict:
        return {
            (item, unit): self.cleaned_data.get(f"t_{item.pk}_{unit.pk}")
            for item in self.items_
            for unit in self.units_
        }


class AdjustmentForm(TiaoduForm):
    unit = forms.ModelChoiceField(label=_("被考核单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=AdjustmentKind.choices)
    points = forms.DecimalField(label=_("分值"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=200)
    on = forms.DateField(label=_("计分日期"), widget=forms.DateInput)

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scheme.units.select_related("region", "department")
        self.fields["unit"].label_from_instance = lambda unit: unit.label


class ActualForm(TiaoduForm):
    indicator = forms.ModelChoiceField(label=_("考核指标"), queryset=Indicator.objects.none())
    region = forms.ModelChoiceField(label=_("县区/功能区"), queryset=Region.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Organisation.objects.none(), required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("期间"),
        coerce=int,
        choices=[(0, _("全年"))] + [(m, _("1–{month}月").format(month=m)) for m in range(1, 13)],
    )
    value = forms.DecimalField(label=_("实绩值"), max_digits=18, decimal_places=4)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Every indicator in view is offered: choosing a computed one is answered with why it cannot be entered.
        self.fields["indicator"].queryset = Indicator.objects.restrict(user, VIEW)
        self.fields["region"].queryset = (
            Region.objects.restrict(user, VIEW)
            .filter(level__in=[RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )
        self.fields["department"].queryset = Organisation.objects.restrict(user, VIEW).filter(
            kind=OrganisationKind.DEPARTMENT
        )

    def clean(self):
        data = super().clean()
        if not data.get("region") and not data.get("department"):
            self.add_error("region", _("请选择被考核的县区或功能区，或部门。"))
        return data


class ReasonForm(TiaoduForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea)


class ResultQueryForm(TiaoduForm):
    month = forms.TypedChoiceField(
        label=_("截至月份"),
        coerce=int,
        required=False,
        choices=[(m, _("1–{month}月").format(month=m)) for m in range(1, 13)],
    )
    as_of = forms.ChoiceField(
        label=_("口径"), required=False, choices=[("current", _("当前数据")), ("published", _("发布时"))]
    )
