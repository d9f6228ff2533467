"""Pages for organisations (单位) and officials (领导)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from tiaodu.core.history import history_items
from tiaodu.core.scoping import CHANGE
from tiaodu.core.views import ScopedListView, ScopedObjectMixin, ServiceFormView, can_change
from tiaodu.projects.selectors import project_list
from tiaodu.regions.selectors import region_choices

from . import selectors, services
from .filtersets import OfficialFilterSet, OrganisationFilterSet
from .forms import OfficialForm, OrganisationForm
from .models import Official, Organisation
from .tables import OfficialTable, OrganisationTable


class OrganisationListView(ScopedListView):
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    add_url_name = "orgs:organisation_add"
    template_name = "orgs/organisation_list.html"

    def get_queryset(self):
        return selectors.organisation_list(self.request.user)

    def get_export_title(self) -> str:
        return pgettext_lazy("plural", "单位")

    def can_add(self) -> bool:
        return region_choices(self.request.user).exists()


class OrganisationDetailView(ScopedObjectMixin, TemplateView):
    model = Organisation
    template_name = "orgs/organisation_detail.html"

    def get_context_data(self, **kwargs):
        organisation = self.get_object()
        user = self.request.user
        return super().get_context_data(
            object=organisation,
            can_change=can_change(user, organisation),
            projects=project_list(user).filter(owner=organisation)[:100],
            officials=selectors.official_list(user).filter(organisation=organisation),
            history=list(reversed(history_items(organisation.history.select_related("history_user"), Organisation))),
            **kwargs,
        )


class OrganisationCreateView(ServiceFormView):
    title = _("登记单位")

    def build_form(self, data=None):
        if not region_choices(self.request.user).exists():
            raise Http404
        return OrganisationForm(data, user=self.request.user)

    def save(self, form):
        return services.organisation_create(actor=self.request.user, **form.cleaned_data)


class OrganisationEditView(ScopedObjectMixin, ServiceFormView):
    model = Organisation
    action = CHANGE
    title = _("编辑单位")

    def build_form(self, data=None):
        return OrganisationForm(data, instance=self.get_object(), user=self.request.user)

    def save(self, form):
        return services.organisation_update(
            organisation=self.get_object(), actor=self.request.user, **form.cleaned_data
        )


class OfficialListView(ScopedListView):
    table_class = OfficialTable
    filterset_class = OfficialFilterSet
    add_url_name = "orgs:official_add"
    template_name = "orgs/official_list.html"

    def get_queryset(self):
        return selectors.official_list(self.request.user)

    def get_export_title(self) -> str:
        return pgettext_lazy("plural", "领导")

    def can_add(self) -> bool:
        return region_choices(self.request.user).exists()


class OfficialDetailView(ScopedObjectMixin, TemplateView):
    model = Official
    template_name = "orgs/official_detail.html"

    def get_context_data(self, **kwargs):
        official = self.get_object()
        user = self.request.user
        return super().get_context_data(
            object=official,
            can_change=can_change(user, official),
            projects=project_list(user).filter(leader=official),
            history=list(reversed(history_items(official.history.select_related("history_user"), Official))),
            **kwargs,
        )


class OfficialCreateView(ServiceFormView):
    title = _("登记领导")

    def build_form(self, data=None):
        if not region_choices(self.request.user).exists():
            raise Http404
        return OfficialForm(data, user=self.request.user)

    def save(self, form):
        return services.official_create(actor=self.request.user, **form.cleaned_data)


class OfficialEditView(ScopedObjectMixin, ServiceFormView):
    model = Official
    action = CHANGE
    title = _("编辑领导")

    def build_form(self, data=None):
        return OfficialForm(data, instance=self.get_object(), user=self.request.user)

    def save(self, form):
        return services.official_update(official=self.get_object(), actor=self.request.user, **form.cleaned_data)
