"""Forms of the attraction pages; every rule lives in the services, which these forms call."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tiaodu.chains.models import Chain, Segment
from tiaodu.core.dates import local_today
from tiaodu.core.forms import TiaoduForm
from tiaodu.core.scoping import VIEW
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Official, Organisation
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.forms import departments
from tiaodu.problems.models import ProblemCategory
from tiaodu.projects.choices import Sector
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import PIPELINE, AlarmKind, InvestorOrigin, LeadSource, LeadStage, SigningKind
from .models import AttractionTeam
from .selectors import covered_regions, people

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class LeadForm(TiaoduForm):
    name = forms.CharField(max_length=200, label=_("项目名称"))
    investor = forms.CharField(max_length=128, label=_("投资方"))
    investor_origin = forms.ChoiceField(choices=InvestorOrigin.choices, label=_("投资方来源"))
    source = forms.ChoiceField(choices=LeadSource.choices, label=_("招商方式"))
    sector = forms.ChoiceField(choices=Sector.choices, label=_("行业类别"))
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("落地区划"))
    chain = forms.ModelChoiceField(queryset=Chain.objects.none(), required=False, label=_("产业链"))
    segment = forms.ModelChoiceField(queryset=Segment.objects.none(), required=False, label=_("产业链环节"))
    intended_investment = forms.DecimalField(**MONEY, label=_("意向投资额（万元）"))
    team = forms.ModelChoiceField(queryset=AttractionTeam.objects.none(), required=False, label=_("招商专班"))
    responsible = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, label=_("责任人"))
    planned_production_date = forms.DateField(required=False, label=_("计划投产日期"), widget=forms.DateInput)
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("项目概况"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = covered_regions(user)
        self.fields["chain"].queryset = Chain.objects.restrict(user, VIEW).select_related("region")
        self.fields["segment"].queryset = Segment.objects.restrict(user, VIEW).select_related("chain")
        self.fields["team"].queryset = AttractionTeam.objects.restrict(user, VIEW).filter(is_active=True)
        self.fields["responsible"].queryset = people(user)


class CreateLeadForm(LeadForm):
    registered_on = forms.DateField(label=_("线索登记日期"), initial=local_today, widget=forms.DateInput)


class AdvanceForm(TiaoduForm):
    """推进阶段 with the data of every stage it reaches."""

    to_stage = forms.ChoiceField(choices=[(s.value, s.label) for s in PIPELINE[1:]], label=_("推进到"))
    on = forms.DateField(label=_("发生日期"), initial=local_today, widget=forms.DateInput)
    signing_kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in SigningKind if k != SigningKind.INCREASE],
        required=False,
        label=_("签约类型"),
        help_text=_("推进到签约时填写。"),
    )
    amount = forms.DecimalField(**MONEY, required=False, label=_("签约金额（万元）"))
    company = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("落地企业"),
        help_text=_("落地时必填：已注册、有统一社会信用代码的企业（先在“单位”中登记）。"),
    )
    standard_land = forms.BooleanField(required=False, label=_("标准地出让"))
    land_area = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, label=_("用地面积（亩）")
    )
    commitment_system = forms.BooleanField(required=False, label=_("承诺制"))
    agent = forms.CharField(max_length=64, required=False, label=_("领办代办员"))
    comment = forms.CharField(widget=forms.Textarea, required=False, label=_("说明"))

    def __init__(self, *args, user=None, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = (
            Organisation.objects.restrict(user, VIEW)
            .filter(kind=OrganisationKind.ENTERPRISE, credit_code__isnull=False)
            .order_by("name")
        )
        if lead is not None and lead.stage in PIPELINE:
            later = PIPELINE[PIPELINE.index(lead.stage) + 1 :]
            self.fields["to_stage"].choices = [(s.value, LeadStage(s).label) for s in later]


class SignForm(TiaoduForm):
    signed_on = forms.DateField(label=_("签约日期"), initial=local_today, widget=forms.DateInput)
    kind = forms.ChoiceField(choices=SigningKind.choices, label=_("签约类型"))
    amount = forms.DecimalField(**MONEY, label=_("签约金额（万元）"), help_text=_("增资只填增加的金额。"))
    note = forms.CharField(max_length=200, required=False, label=_("备注"))


class FundsForm(TiaoduForm):
    on = forms.DateField(label=_("到位日期"), initial=local_today, widget=forms.DateInput)
    amount = forms.DecimalField(**MONEY, label=_("到位资金（万元）"))
    note = forms.CharField(max_length=200, required=False, label=_("备注"))


class ProjectLinkForm(TiaoduForm):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        label=_("关联已有库内项目"),
        help_text=_("不选则按招商项目信息新建库内项目。"),
    )
    code = forms.CharField(max_length=24, required=False, label=_("项目代码"))

    def __init__(self, *args, user=None, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.restrict(user, VIEW).filter(lead__isnull=True).order_by("name")
        if lead is not None:
            projects = projects.filter(region=lead.region_id)
        self.fields["project"].queryset = projects


class TerminateForm(TiaoduForm):
    reason = forms.CharField(widget=forms.Textarea, label=_("终止原因"))
    on = forms.DateField(label=_("终止日期"), initial=local_today, widget=forms.DateInput)


class TeamForm(TiaoduForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    name = forms.CharField(max_length=64, label=_("专班名称"))
    leader = forms.ModelChoiceField(queryset=Official.objects.none(), required=False, label=_("专班负责人"))
    contact_person = forms.CharField(max_length=32, required=False, label=_("联系人"))
    phone = forms.CharField(max_length=32, required=False, label=_("联系电话"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("在用"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = covered_regions(user)
        self.fields["leader"].queryset = Official.objects.restrict(user, VIEW).filter(is_active=True)


class AlarmRuleForm(TiaoduForm):
    city = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("所属城市"))
    name = forms.CharField(max_length=32, label=_("预警名称"))
    kind = forms.ChoiceField(choices=AlarmKind.choices, label=_("预警方式"))
    from_stage = forms.ChoiceField(choices=[(s.value, s.label) for s in PIPELINE[:-1]], label=_("已到达阶段"))
    to_stage = forms.ChoiceField(choices=[(s.value, s.label) for s in PIPELINE[1:]], label=_("未到达阶段"))
    months = forms.IntegerField(min_value=1, max_value=120, required=False, label=_("允许月数"))
    sort_order = forms.IntegerField(min_value=0, max_value=32767, initial=100, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities if cities is not None else Region.objects.none()


class AlarmProblemForm(TiaoduForm):
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(is_active=True), label=_("问题类别"))
    source = forms.ChoiceField(
        choices=ProblemSource.choices, initial=ProblemSource.ATTRACTION_ALARM, label=_("问题来源")
    )
    department = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("责任单位"))
    deadline = forms.DateField(label=_("办理时限"), widget=forms.DateInput)
    description = forms.CharField(
        widget=forms.Textarea, required=False, label=_("问题描述"), help_text=_("不填则按预警自动生成。")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments(user)
        self.fields["deadline"].initial = local_today() + datetime.timedelta(days=30)


class AlarmFilterForm(TiaoduForm):
    rule = forms.ModelChoiceField(queryset=None, required=False, label=_("预警类型"))
    region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False, label=_("县区/功能区"))
    team = forms.ModelChoiceField(queryset=AttractionTeam.objects.none(), required=False, label=_("招商专班"))

    def __init__(self, *args, user=None, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules
        self.fields["region"].queryset = covered_regions(user, levels=(RegionLevel.COUNTY, RegionLevel.ZONE))
        self.fields["team"].queryset = AttractionTeam.objects.restrict(user, VIEW)


class FigureQueryForm(TiaoduForm):
    """The period and, optionally, the region of the attraction figures."""

    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), required=False, label=_("区划"), to_field_name="code"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = covered_regions(user)

    @staticmethod
    def defaults() -> tuple[datetime.date, datetime.date]:
        today = local_today()
        return today.replace(month=1, day=1), today

    def clean(self):
        data = super().clean()
        start, end = self.defaults()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        elif (data["end"] - data["start"]).days > 3660:
            self.add_error("start", _("统计期间不能超过十年。"))
        return data
