"""Filters of the lead list, shared by the page and the API, with choices limited to the user's scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.chains.models import Chain
from tiaodu.core.filtersets import CHECKBOXES, ScopedFilterSet
from tiaodu.core.scoping import VIEW
from tiaodu.problems.filtersets import cap_ids
from tiaodu.projects.choices import Sector
from tiaodu.regions.models import Region

from .choices import LeadSource, LeadStage
from .models import AttractionTeam, Lead


class LeadFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"), method="in_region", label=_("区划")
    )
    stage = django_filters.MultipleChoiceFilter(choices=LeadStage.choices, label=_("阶段"), widget=CHECKBOXES)
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices, label=_("行业类别"), widget=CHECKBOXES)
    source = django_filters.MultipleChoiceFilter(choices=LeadSource.choices, label=_("招商方式"), widget=CHECKBOXES)
    team = django_filters.ModelChoiceFilter(queryset=AttractionTeam.objects.all(), label=_("招商专班"))
    chain = django_filters.ModelChoiceFilter(queryset=Chain.objects.all(), label=_("产业链"))
    signed_after = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="gte", label=_("签约日期起"), widget=forms.DateInput
    )
    signed_before = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="lte", label=_("签约日期止"), widget=forms.DateInput
    )

    class Meta:
        model = Lead
        fields = ["q", "region", "stage", "sector", "source", "team", "chain", "signed_after", "signed_before"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = cap_ids(data, ("region", "team", "chain"))
        super().__init__(data, *args, request=request, **kwargs)
        in_scope = Lead.objects.restrict(getattr(request, "user", None), VIEW)
        self.limit_region_choices("region", in_scope.values("region_id"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(investor__icontains=value) | Q(company__name__icontains=value)
        )

    def in_region(self, queryset, name, region):
        return queryset.filter(region__path__startswith=region.path)


class EmptyFilterSet(ScopedFilterSet):
    class Meta:
        model = Lead
        fields: list[str] = []
