from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm
from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.orgs.models import Official, Organisation
from tiaodu.problems.choices import CoordinationLevel
from tiaodu.problems.forms import departments
from tiaodu.problems.models import ProblemCategory
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import AgendaReason, MeetingKind


class MeetingForm(TiaoduForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("召开区划"))
    title = forms.CharField(max_length=120, label=_("会议名称"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("会议类型"))
    level = forms.ChoiceField(choices=CoordinationLevel.choices, initial=CoordinationLevel.CITY, label=_("调度层级"))
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput)
    place = forms.CharField(max_length=120, required=False, label=_("会议地点"))
    chair = forms.ModelChoiceField(queryset=Official.objects.none(), required=False, label=_("主持人"))
    attendees = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("参会单位"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.restrict(user, CHANGE)
            .filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )
        self.fields["chair"].queryset = (
            Official.objects.restrict(user, VIEW).filter(is_active=True).order_by("region__code", "name")
        )
        self.fields["attendees"].queryset = departments(user)


class AgendaAddForm(TiaoduForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("项目"))
    reason = forms.ChoiceField(choices=AgendaReason.choices, initial=AgendaReason.OTHER, label=_("上会原因"))

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.restrict(user, VIEW).order_by("region__code", "name")
        if meeting is not None:
            projects = projects.filter(region__path__startswith=meeting.region.path)
        self.fields["project"].queryset = projects


class DecisionsForm(TiaoduForm):
    decisions = forms.CharField(widget=forms.Textarea, label=_("议定事项"))


class TaskForm(TiaoduForm):
    item = forms.ModelChoiceField(queryset=None, required=False, label=_("议题（项目）"))
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(is_active=True), label=_("问题类别"))
    description = forms.CharField(widget=forms.Textarea, label=_("交办事项"))
    department = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("责任单位"))
    deadline = forms.DateField(label=_("办理时限"), widget=forms.DateInput)

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.select_related("project") if meeting else None
        self.fields["department"].queryset = departments(user)


class VisitForm(TiaoduForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("组织区划"))
    date = forms.DateField(label=_("调研日期"), widget=forms.DateInput)
    leaders = forms.ModelMultipleChoiceField(
        queryset=Official.objects.none(), label=_("调研领导"), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), label=_("调研项目"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, label=_("调研情况"))

    def __init__(self, *args, user=None, **kwargs):
        from tiaodu.problems.forms import MultipleFileField

        super().__init__(*args, **kwargs)
        self.fields["photos"] = MultipleFileField(label=_("照片"))
        self.fields["region"].queryset = (
            Region.objects.restrict(user, CHANGE)
            .filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )
        self.fields["leaders"].queryset = (
            Official.objects.restrict(user, VIEW).filter(is_active=True).order_by("region__code", "name")
        )
        self.fields["projects"].queryset = Project.objects.restrict(user, VIEW).order_by("region__code", "name")


class VisitProblemForm(TiaoduForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("项目"))
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(is_active=True), label=_("问题类别"))
    description = forms.CharField(widget=forms.Textarea, label=_("问题描述"))
    proposed_department = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("建议责任单位")
    )

    def __init__(self, *args, user=None, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = visit.projects.restrict(user, VIEW).order_by("name")
        self.fields["proposed_department"].queryset = departments(user)


class VisitQueryForm(TiaoduForm):
    start = forms.DateField(label=_("日期起"), required=False, widget=forms.DateInput)
    end = forms.DateField(label=_("日期止"), required=False, widget=forms.DateInput)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), required=False, label=_("区划"), to_field_name="code"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.restrict(user, VIEW)
            .filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )

    def clean(self):
        from tiaodu.core.dates import local_today

        data = super().clean()
        today = local_today()
        data["start"] = data.get("start") or today.replace(month=1, day=1)
        data["end"] = data.get("end") or today
        if data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class TourForm(TiaoduForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("组织区划"))
    title = forms.CharField(max_length=120, label=_("观摩名称"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    quarter = forms.IntegerField(min_value=1, max_value=4, label=_("季度"))
    date = forms.DateField(label=_("观摩日期"), widget=forms.DateInput)
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), label=_("观摩项目"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    criteria = forms.CharField(
        widget=forms.Textarea,
        label=_("评分项"),
        help_text=_("每行一项：名称,权重,满分，例如“形象进度,40,100”。"),
        initial="形象进度,40,100\n投资完成,30,100\n要素保障,20,100\n安全文明施工,10,100",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.restrict(user, CHANGE)
            .filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])
            .order_by("path")
        )
        self.fields["projects"].queryset = Project.objects.restrict(user, VIEW).order_by("region__code", "name")

    def clean_criteria(self):
        from decimal import Decimal, InvalidOperation

        rows, errors = [], []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                name, weight, max_score = (
                    parts[0],
                    Decimal(parts[1]),
                    Decimal(parts[2]) if len(parts) > 2 else Decimal(100),
                )
                if not name or len(parts) > 3:
                    raise ValueError
            except (IndexError, ValueError, InvalidOperation):
                errors.append(
                    _("第{number}行“{line}”：应为“名称,权重,满分”。").format(number=number, line=line.strip())
                )
                continue
            rows.append((name, weight, max_score))
        if errors:
            raise forms.ValidationError(errors)
        return rows
