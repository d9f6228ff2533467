"""Filters shared by the report pages and the API (django-filter), with choices limited to the user's scope."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from tiaodu.core.filtersets import CHECKBOXES, YES_NO_ANY, ScopedFilterSet
from tiaodu.core.scoping import VIEW
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .choices import ReportStatus
from .forms import PeriodField
from .models import MonthLock, MonthlyReport


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-07"})
class PeriodFilter(django_filters.Filter):
    """``?period=2025-07``; a malformed month (``2025-13``) is a form error, not a server error."""

    field_class = PeriodField


def _in_region(lookup: str):
    def method(self, queryset, name, region):
        return queryset.filter(**{f"{lookup}__path__startswith": region.path})

    return method


class MonthlyReportFilterSet(ScopedFilterSet):
    """Reports by month, project, status and region (a county, zone or city, by its six-digit code)."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))
    period = PeriodFilter(label=_("月份"), help_text="YYYY-MM")
    region = django_filters.ModelChoiceFilter(
        field_name="project__region",
        queryset=Region.objects.order_by("path"),
        to_field_name="code",
        method="in_region",
        label=_("区划"),
        help_text="GB/T 2260 code, e.g. 140427; the region and everything under it",
    )
    project = django_filters.NumberFilter(field_name="project", label=_("项目"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("状态"), widget=CHECKBOXES)
    is_correction = django_filters.BooleanFilter(label=_("更正"), widget=YES_NO_ANY)

    in_region = _in_region("project__region")

    class Meta:
        model = MonthlyReport
        fields = ["q", "period", "region", "status", "is_correction", "project"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", Project.objects.restrict(user, VIEW).values("region_id"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))


class ReportPageFilterSet(MonthlyReportFilterSet):
    """The page's filters: the project is found by searching its name or code, not by its id."""

    class Meta(MonthlyReportFilterSet.Meta):
        fields = ["period", "q", "region", "status", "is_correction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["project"]


class PeriodPageFilterSet(ScopedFilterSet):
    """Filters of a page about one month (review, missing reports): the view reads the month itself."""

    period = PeriodFilter(method="month_of_page", label=_("月份"))
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"), to_field_name="code", method="in_region", label=_("区划")
    )
    project_lookup = "project__"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", Project.objects.restrict(user, VIEW).values("region_id"))

    def month_of_page(self, queryset, name, value):
        return queryset  # the view has already applied the month (its default is last month)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        prefix = self.project_lookup
        return queryset.filter(Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}code__icontains": value}))

    def in_region(self, queryset, name, region):
        return queryset.filter(**{f"{self.project_lookup}region__path__startswith": region.path})


class ReviewFilterSet(PeriodPageFilterSet):
    class Meta:
        model = MonthlyReport
        fields = ["period", "q", "region"]


class MissingReportFilterSet(PeriodPageFilterSet):
    project_lookup = ""

    class Meta:
        model = Project
        fields = ["period", "q", "region"]


class MonthLockFilterSet(ScopedFilterSet):
    period = PeriodFilter(label=_("月份"), help_text="YYYY-MM")
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"), to_field_name="code", label=_("区划"), help_text="GB/T 2260 code"
    )

    class Meta:
        model = MonthLock
        fields = ["period", "region"]
