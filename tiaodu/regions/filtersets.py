import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.filtersets import ScopedFilterSet

from .choices import RegionLevel
from .models import Region


class RegionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("级别"))
    parent = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY]).order_by("path"),
        label=_("上级区划"),
    )

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset
