"""Forms of the monthly loop. They collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.forms import TiaoduForm
from tiaodu.core.periods import format_period, parse_period
from tiaodu.regions.models import Region

from .choices import Milestone
from .models import MonthlyReport


class PeriodField(forms.CharField):
    """A month written ``YYYY-MM`` (the browser's month picker), cleaned to the first day of the month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-07"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return parse_period(value)

    def prepare_value(self, value):
        return format_period(value) if hasattr(value, "year") else value


def _field(name: str):
    return MonthlyReport._meta.get_field(name)


class ReportValuesForm(TiaoduForm):
    """The figures an owner reports for a month (本月完成投资, 形象进度, 节点, 存在问题).

    自年初累计 and 开工以来累计 are not here: the services compute them.
    """

    investment_month = forms.DecimalField(
        label=_field("investment_month").verbose_name, max_digits=16, decimal_places=2, initial=0
    )
    progress_text = forms.CharField(
        label=_field("progress_text").verbose_name, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    progress_pct = forms.DecimalField(
        label=_field("progress_pct").verbose_name, required=False, max_digits=5, decimal_places=1
    )
    milestones = forms.MultipleChoiceField(
        label=_field("milestones").verbose_name,
        required=False,
        choices=Milestone.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    problems_text = forms.CharField(
        label=_field("problems_text").verbose_name, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_from(cls, report: MonthlyReport | None) -> dict:
        if report is None:
            return {}
        return {
            "investment_month": report.investment_month,
            "progress_text": report.progress_text,
            "progress_pct": report.progress_pct,
            "milestones": report.milestone_list,
            "problems_text": report.problems_text,
        }


class FillForm(ReportValuesForm):
    """One project's row on 本月填报: the values, and which button was pressed."""

    SAVE, SUBMIT = "save", "submit"
    # The pressed button: 提交 submits, anything else (保存草稿, Enter in a field) saves a draft.
    action = forms.CharField(required=False)

    def clean_action(self):
        return self.SUBMIT if self.cleaned_data.get("action") == self.SUBMIT else self.SAVE


class ReasonForm(TiaoduForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(ReasonForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(ReportValuesForm):
    """锁定后更正: the corrected values and the reason, which stays visible with the report."""

    investment_month = forms.DecimalField(
        label=_field("investment_month").verbose_name,
        max_digits=16,
        decimal_places=2,
        help_text=_("冲减时可填负数。"),
    )
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason"]


class LockForm(TiaoduForm):
    """锁定月份: a city and a finished month."""

    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none(), to_field_name="code")
    period = PeriodField(label=_("月份"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = cities


class PeriodForm(TiaoduForm):
    """The month a page is about (``?period=YYYY-MM``)."""

    period = PeriodField(label=_("月份"), required=False)


class ReportingRuleForm(TiaoduForm):
    """填报规则: the deadline day of the following month and the review time."""

    deadline_day = forms.IntegerField(
        label=_("填报截止日"),
        min_value=1,
        max_value=28,
        help_text=_("次月的第几天截止填报（1–28），常见为5日。"),
    )
    review_days = forms.IntegerField(
        label=_("审核时限（天）"), min_value=1, max_value=30, help_text=_("提交后多少天内应完成审核（1–30）。")
    )
    reason = forms.CharField(label=_("调整原因"), required=False, max_length=200)
