"""Forms of the problem pages; every rule lives in the services, which these forms call."""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.forms import TiaoduForm
from tiaodu.core.scoping import VIEW, is_unrestricted, user_grants
from tiaodu.orgs.models import Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import CategoryGroup, CoordinationLevel, ProblemSource
from .models import MAX_ATTACHMENT_BYTES, ProblemCategory
from .services import DEPARTMENT_KINDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or documents at once; each is checked by the service (type, content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx,.pptx,.doc,.xls,.txt"}),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("照片或文档，每个不超过 {limit} MB。").format(limit=MAX_ATTACHMENT_BYTES // 1024 // 1024),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def departments(user):
    return (
        Organisation.objects.restrict(user, VIEW)
        .filter(kind__in=DEPARTMENT_KINDS, dissolved_on__isnull=True)
        .select_related("region")
        .order_by("region__code", "name")
    )


class ProblemForm(TiaoduForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, label=_("项目"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("所在区划"),
        help_text=_("无具体项目时（如督察交办件）选择区划。"),
    )
    source = forms.ChoiceField(choices=ProblemSource.choices, label=_("问题来源"))
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(is_active=True), label=_("问题类别"))
    description = forms.CharField(widget=forms.Textarea, label=_("问题描述"))
    found_on = forms.DateField(label=_("发现日期"), initial=local_today, widget=forms.DateInput)
    proposed_department = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("建议责任单位")
    )
    proposed_deadline = forms.DateField(required=False, label=_("建议办理时限"), widget=forms.DateInput)
    attachments = MultipleFileField(label=_("附件"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.restrict(user, VIEW).select_related("region").order_by("region__code", "name")
        )
        self.fields["region"].queryset = (
            Region.objects.restrict(user, VIEW)
            .filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])
            .filter(path__in=_paths_below_grants(user))
            .order_by("path")
        )
        self.fields["proposed_department"].queryset = departments(user)


def _paths_below_grants(user):
    """Regions the user's grants cover (not the ancestors that are visible only as reference data)."""
    regions = Region.objects.all()
    if is_unrestricted(user):
        return regions.values("path")
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        condition |= Q(path__startswith=grant.region.path)
    return regions.filter(condition).values("path")


class AssignForm(TiaoduForm):
    department = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("责任单位"))
    deadline = forms.DateField(label=_("办理时限"), widget=forms.DateInput)
    level = forms.ChoiceField(choices=CoordinationLevel.choices, label=_("协调层级"))
    comment = forms.CharField(widget=forms.Textarea, required=False, label=_("交办意见"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments(user)


class AnswerForm(TiaoduForm):
    answer = forms.CharField(widget=forms.Textarea, label=_("办理情况"))
    answered_on = forms.DateField(label=_("办结日期"), initial=local_today, widget=forms.DateInput)
    attachments = MultipleFileField(label=_("佐证材料"))


class CloseForm(TiaoduForm):
    comment = forms.CharField(widget=forms.Textarea, required=False, label=_("销号意见"))


class ReasonForm(TiaoduForm):
    reason = forms.CharField(widget=forms.Textarea, label=_("原因"))


class FromReportForm(TiaoduForm):
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(is_active=True), label=_("问题类别"))


class FigureQueryForm(TiaoduForm):
    """The period (by found date) and, optionally, the region of the problem figures."""

    start = forms.DateField(label=_("发现日期起"), required=False, widget=forms.DateInput)
    end = forms.DateField(label=_("发现日期止"), required=False, widget=forms.DateInput)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), required=False, label=_("区划"), to_field_name="code"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.filter(path__in=_paths_below_grants(user))
            .exclude(level=RegionLevel.PROVINCE)
            .order_by("path")
        )

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
        return data


class CategoryForm(TiaoduForm):
    name = forms.CharField(max_length=32, label=_("类别名称"))
    group = forms.ChoiceField(choices=CategoryGroup.choices, label=_("分组"))
    sort_order = forms.IntegerField(min_value=0, max_value=32767, initial=100, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))
