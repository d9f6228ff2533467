"""Filters of the indicator catalogue and the actuals, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tiaodu.core.filtersets import ScopedFilterSet

from .choices import ActualStatus, IndicatorKind
from .models import Actual, Indicator


class IndicatorFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices, label=_("指标来源"))

    class Meta:
        model = Indicator
        fields = ["kind"]


class ActualFilterSet(ScopedFilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all(), label=_("考核指标"))
    year = django_filters.NumberFilter(label=_("年度"))
    month = django_filters.NumberFilter(label=_("月份"))
    status = django_filters.ChoiceFilter(choices=ActualStatus.choices, label=_("状态"))

    class Meta:
        model = Actual
        fields = ["indicator", "year", "month", "status"]
