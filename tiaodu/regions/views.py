"""Pages for the region tree: browse regions in scope, add functional zones under a city."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from tiaodu.core.history import history_items
from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.core.views import ScopedListView, ScopedObjectMixin, ServiceFormView, can_change
from tiaodu.projects.models import Project

from . import services
from .choices import RegionLevel
from .filtersets import RegionFilterSet
from .forms import RegionEditForm, ZoneForm
from .models import Region
from .selectors import region_choices, region_list
from .tables import RegionTable


def _with_project_counts(queryset, user):
    visible = Project.objects.restrict(user, VIEW).values("pk")
    return queryset.annotate(project_count=Count("projects", filter=Q(projects__pk__in=visible)))


class RegionListView(ScopedListView):
    table_class = RegionTable
    filterset_class = RegionFilterSet
    add_url_name = "regions:zone_add"

    def get_queryset(self):
        return _with_project_counts(region_list(self.request.user), self.request.user)

    def get_export_title(self) -> str:
        return _("行政区划")

    def can_add(self) -> bool:
        return region_choices(self.request.user, levels=[RegionLevel.CITY]).exists()


class RegionDetailView(ScopedObjectMixin, TemplateView):
    model = Region
    template_name = "regions/region_detail.html"

    def get_context_data(self, **kwargs):
        region = self.get_object()
        user = self.request.user
        children = _with_project_counts(region_list(user).filter(parent=region), user)
        return super().get_context_data(
            object=region,
            can_change=can_change(user, region),
            children=children,
            history=list(reversed(history_items(region.history.select_related("history_user"), Region))),
            **kwargs,
        )


class ZoneCreateView(ServiceFormView):
    title = _("设立功能区")

    def build_form(self, data=None):
        form = ZoneForm(data, user=self.request.user)
        if not form.fields["city"].queryset.exists():
            raise Http404
        return form

    def save(self, form):
        return services.region_create_zone(actor=self.request.user, **form.cleaned_data)


class RegionEditView(ScopedObjectMixin, ServiceFormView):
    model = Region
    action = CHANGE
    title = _("编辑区划")

    def build_form(self, data=None):
        region = self.get_object()
        return RegionEditForm(data, initial={"name": region.name, "short_name": region.short_name})

    def save(self, form):
        return services.region_update(region=self.get_object(), actor=self.request.user, **form.cleaned_data)
