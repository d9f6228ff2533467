"""Filters shared by the project pages and the API (django-filter), with choices limited to the user's scope."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.filtersets import CHECKBOXES, YES_NO_ANY, ScopedFilterSet
from tiaodu.core.scoping import VIEW
from tiaodu.orgs.models import Official, Organisation
from tiaodu.regions.models import Region

from .choices import KeyLevel, Nature, Sector, Stage
from .models import KeyList, KeyListEntry, Project


class ProjectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"),
        method="in_region",
        label=_("区划"),
    )
    year = django_filters.ChoiceFilter(method="on_list", label=_("名单年度"), choices=())
    level = django_filters.ChoiceFilter(choices=KeyLevel.choices, method="on_list", label=_("重点级别"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("阶段"), widget=CHECKBOXES)
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices, label=_("行业类别"), widget=CHECKBOXES)
    nature = django_filters.MultipleChoiceFilter(choices=Nature.choices, label=_("建设性质"), widget=CHECKBOXES)
    owner = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label=_("项目单位"))
    leader = django_filters.ModelChoiceFilter(
        queryset=Official.objects.order_by("region__code", "name"), label=_("包联领导")
    )
    in_statistics = django_filters.BooleanFilter(label=_("已入统"), widget=YES_NO_ANY)

    class Meta:
        model = Project
        fields = ["q", "region", "year", "level", "stage", "sector", "nature", "owner", "leader", "in_statistics"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", Project.objects.restrict(user, VIEW).values("region_id"))
        years = KeyList.objects.restrict(user, VIEW).values_list("year", flat=True).distinct().order_by("-year")
        # Set on the field too: a field built earlier from the class's filter (e.g. by the OpenAPI
        # generator) would otherwise keep its empty choices and reject every year.
        choices = [(year, str(year)) for year in years]
        self.filters["year"].extra["choices"] = choices
        self.filters["year"].field.choices = choices

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def in_region(self, queryset, name, region):
        return queryset.filter(region__path__startswith=region.path)

    def on_list(self, queryset, name, value: str):
        # Year and level must match the *same* list entry, so both are applied together, once.
        if getattr(self, "_list_filter_applied", False):
            return queryset
        self._list_filter_applied = True
        data = self.form.cleaned_data
        lookup = {}
        if data.get("year"):
            lookup["key_list__year"] = data["year"]
        if data.get("level"):
            lookup["key_list__level"] = data["level"]
        if not lookup:
            return queryset
        return queryset.filter(pk__in=KeyListEntry.objects.filter(**lookup).values("project_id"))


class KeyListFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    level = django_filters.ChoiceFilter(choices=KeyLevel.choices, label=_("重点级别"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.order_by("path"), label=_("编制区划"))

    class Meta:
        model = KeyList
        fields = ["year", "level", "region", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", KeyList.objects.restrict(user, VIEW).values("region_id"))


class KeyListEntryFilterSet(ScopedFilterSet):
    key_list = django_filters.ModelChoiceFilter(queryset=KeyList.objects.all(), label=_("名单"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all(), label=_("项目"))
    year = django_filters.NumberFilter(field_name="key_list__year", label=_("年度"))
    level = django_filters.ChoiceFilter(field_name="key_list__level", choices=KeyLevel.choices, label=_("重点级别"))

    class Meta:
        model = KeyListEntry
        fields = ["key_list", "project", "year", "level", "nature"]
