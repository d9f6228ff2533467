"""Filters of the problem ledger, shared by the pages and the API, with choices limited to the user's scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.filtersets import CHECKBOXES, YES_NO_ANY, ScopedFilterSet
from tiaodu.core.scoping import VIEW
from tiaodu.orgs.models import Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .choices import CoordinationLevel, ProblemSource, ProblemStatus
from .models import Problem, ProblemCategory, overdue_q


def cap_ids(data, names):
    """Ids too large for the database (SQLite raises on them) become "0": an invalid choice, said so on the form."""
    if not hasattr(data, "getlist") or not any(
        len(value) > 18 and value.isdigit() for name in names for value in data.getlist(name) if value
    ):
        return data
    data = data.copy()
    for name in names:
        data.setlist(name, ["0" if len(v) > 18 and v.isdigit() else v for v in data.getlist(name)])
    return data


class ProblemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"), method="in_region", label=_("区划")
    )
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.order_by("name"), label=_("项目"))
    category = django_filters.ModelMultipleChoiceFilter(
        queryset=ProblemCategory.objects.all(), label=_("问题类别"), widget=CHECKBOXES
    )
    department = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label=_("责任单位"))
    level = django_filters.MultipleChoiceFilter(
        choices=CoordinationLevel.choices, label=_("协调层级"), widget=CHECKBOXES
    )
    status = django_filters.MultipleChoiceFilter(choices=ProblemStatus.choices, label=_("状态"), widget=CHECKBOXES)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("超期"), widget=YES_NO_ANY)
    source = django_filters.MultipleChoiceFilter(choices=ProblemSource.choices, label=_("问题来源"), widget=CHECKBOXES)
    found_after = django_filters.DateFilter(
        field_name="found_on", lookup_expr="gte", label=_("发现日期起"), widget=forms.DateInput
    )
    found_before = django_filters.DateFilter(
        field_name="found_on", lookup_expr="lte", label=_("发现日期止"), widget=forms.DateInput
    )

    class Meta:
        model = Problem
        fields = [
            "q",
            "region",
            "project",
            "category",
            "department",
            "level",
            "status",
            "overdue",
            "source",
            "found_after",
            "found_before",
        ]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = cap_ids(data, ("region", "project", "category", "department"))
        super().__init__(data, *args, request=request, **kwargs)
        user = getattr(request, "user", None)
        in_scope = Problem.objects.restrict(user, VIEW)
        self.limit_region_choices("region", in_scope.values("region_id"))
        self.filters["project"].queryset = (
            Project.objects.restrict(user, VIEW).filter(pk__in=in_scope.values("project_id")).order_by("name")
        )
        self.filters["department"].queryset = (
            Organisation.objects.restrict(user, VIEW).filter(pk__in=in_scope.values("department_id")).order_by("name")
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value) | Q(project__name__icontains=value) | Q(answer__icontains=value)
        )

    def in_region(self, queryset, name, region):
        return queryset.filter(region__path__startswith=region.path)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(local_today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DrilldownFilterSet(ScopedFilterSet):
    """No filters of its own: a figure's drill-down is defined by the figure's query, not by a filter form."""

    class Meta:
        model = Problem
        fields: list[str] = []
