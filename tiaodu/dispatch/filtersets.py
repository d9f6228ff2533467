import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.core.filtersets import CHECKBOXES, ScopedFilterSet

from .choices import MeetingKind, MeetingStatus
from .models import InspectionTour, Meeting, SiteVisit


class MeetingFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MeetingKind.choices, label=_("会议类型"), widget=CHECKBOXES)
    status = django_filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("状态"), widget=CHECKBOXES)
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("日期起"), widget=forms.DateInput
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("日期止"), widget=forms.DateInput
    )

    class Meta:
        model = Meeting
        fields = ["kind", "status", "date_after", "date_before"]


class SiteVisitFilterSet(ScopedFilterSet):
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("日期起"), widget=forms.DateInput
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("日期止"), widget=forms.DateInput
    )

    class Meta:
        model = SiteVisit
        fields = ["date_after", "date_before"]


class TourFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    quarter = django_filters.ChoiceFilter(choices=[(q, str(q)) for q in range(1, 5)], label=_("季度"))

    class Meta:
        model = InspectionTour
        fields = ["year", "quarter"]
