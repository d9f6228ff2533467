import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiaodu.core.filtersets import ScopedFilterSet
from tiaodu.core.scoping import VIEW
from tiaodu.regions.models import Region

from .choices import OrganisationKind
from .models import Official, Organisation


class OrganisationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("单位类型"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.order_by("path"), label=_("所属区划"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", Organisation.objects.restrict(user, VIEW).values("region_id"))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value)) if value else queryset


class OfficialFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("姓名"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.order_by("path"), label=_("所属区划"))

    class Meta:
        model = Official
        fields = ["q", "region", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.limit_region_choices("region", Official.objects.restrict(user, VIEW).values("region_id"))
