"""Pages of the registry: the portfolio, a project, registering and editing, stage moves, the yearly lists."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from tiaodu.core.exports import table_to_xlsx, xlsx_response
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, LEADER, user_grants
from tiaodu.core.views import ScopedListView, ScopedObjectMixin, ServiceFormView, can_change
from tiaodu.regions.selectors import project_region_choices, region_choices

from . import selectors, services
from .choices import STAGE_POOL, Pool, Stage
from .filtersets import KeyListFilterSet, ProjectFilterSet
from .forms import KeyListEntryEditForm, KeyListEntryForm, KeyListForm, ProjectCreateForm, ProjectForm, StageChangeForm
from .models import KeyList, KeyListEntry, Project
from .tables import KeyListEntryTable, KeyListTable, ProjectTable


class HomeView(LoginRequiredMixin, TemplateView):
    """The portfolio at a glance: the four pools and the side states, in the user's scope."""

    template_name = "projects/home.html"

    def get(self, request, *args, **kwargs):
        # Leaders land on the dashboard; everyone who works the registry lands here.
        roles = {grant.role for grant in user_grants(request.user)}
        if roles == {LEADER} and not request.user.is_superuser:
            return redirect("figures:dashboard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        counts = selectors.stage_counts(user)
        pools = []
        for pool in Pool:
            stages = [s for s, p in STAGE_POOL.items() if p == pool]
            pools.append(
                {
                    "pool": pool,
                    "stages": [(Stage(s), counts[s]) for s in stages],
                    "total": sum(counts[s] for s in stages),
                }
            )
        projects = selectors.project_list(user)
        totals = projects.active().aggregate(n=Count("pk"), investment=Sum("total_investment"))
        by_region = (
            projects.active()
            .values("region_id", "region__code", "region__name")
            .annotate(n=Count("pk"), investment=Sum("total_investment"))
            .order_by("region__code")
        )
        return super().get_context_data(
            pools=pools,
            counts=counts,
            totals=totals,
            by_region=by_region,
            suspended=counts[Stage.SUSPENDED],
            withdrawn=counts[Stage.WITHDRAWN],
            key_lists=selectors.key_list_list(user).order_by("-year", "level")[:6],
            **kwargs,
        )


class ProjectListView(ScopedListView):
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    money_columns = {"total_investment"}
    add_url_name = "projects:project_add"
    template_name = "projects/project_list.html"

    def get_queryset(self):
        return selectors.project_list(self.request.user)

    def get_export_title(self) -> str:
        return _("重点项目库")

    def can_add(self) -> bool:
        return project_region_choices(self.request.user).exists()


class ProjectDetailView(ScopedObjectMixin, TemplateView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_base_queryset(self):
        return Project.objects.with_related().select_related("service_agent", "created_by")

    def get_context_data(self, **kwargs):
        project = self.get_object()
        user = self.request.user
        editable = can_change(user, project)
        targets = services.allowed_targets(project) if editable else []
        return super().get_context_data(
            project=project,
            can_change=editable,
            targets=[(Stage(t), t == project.previous_stage) for t in targets],
            memberships=selectors.project_memberships(user, project),
            history=selectors.project_history(project),
            main_line=[
                Stage(s)
                for s in (Stage.PLANNING, Stage.PRELIMINARY, Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY)
            ],
            **kwargs,
        )


class ProjectCreateView(ServiceFormView):
    template_name = "projects/project_form.html"
    title = _("登记项目")

    def build_form(self, data=None):
        if not project_region_choices(self.request.user).exists():
            raise Http404
        return ProjectCreateForm(data, user=self.request.user)

    def save(self, form):
        data = dict(form.cleaned_data)
        stage = data.pop("stage")
        start = data.pop("actual_start_date")
        if stage == Stage.CONSTRUCTION:
            data["actual_start_date"] = start
        return services.project_create(actor=self.request.user, stage=stage, **data)


class ProjectEditView(ScopedObjectMixin, ServiceFormView):
    model = Project
    action = CHANGE
    template_name = "projects/project_form.html"
    title = _("编辑项目")

    def build_form(self, data=None):
        return ProjectForm(data, instance=self.get_object(), user=self.request.user)

    def save(self, form):
        return services.project_update(
            project=self.get_object(),
            actor=self.request.user,
            reason=self.request.POST.get("change_reason", ""),
            **form.cleaned_data,
        )

    def get_extra_context(self) -> dict:
        project = Project.objects.get(pk=self.get_object().pk)  # as saved, not as edited on the failed form
        return {"project": project}


class ProjectStageView(ScopedObjectMixin, View):
    """转入某阶段: the form asks for the fact that justifies the move."""

    model = Project
    action = CHANGE
    template_name = "projects/stage_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.to_stage = kwargs["stage"]
        if self.to_stage not in Stage.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, stage):
        project = self.get_object()
        return self.render(StageChangeForm(project=project, to_stage=stage), project)

    def post(self, request, pk, stage):
        project = self.get_object()
        form = StageChangeForm(request.POST, project=project, to_stage=stage)
        if form.is_valid():
            try:
                services.project_change_stage(
                    project=project,
                    actor=request.user,
                    to_stage=stage,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    code=form.cleaned_data.get("code") or None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("项目已转入“{stage}”。").format(stage=Stage(stage).label))
                return redirect(project.get_absolute_url())
        return self.render(form, project, status=400)

    def render(self, form, project, status=200):
        allowed = self.to_stage in services.allowed_targets(project)
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "project": project,
                "to_stage": Stage(self.to_stage),
                "allowed": allowed,
                "resuming": allowed and self.to_stage == project.previous_stage,
            },
            status=status,
        )


# ---- key-project lists -------------------------------------------------------------------------


class KeyListListView(ScopedListView):
    table_class = KeyListTable
    filterset_class = KeyListFilterSet
    money_columns = {"total_investment", "annual_plan_total"}
    add_url_name = "projects:keylist_add"

    def get_queryset(self):
        return selectors.key_list_list(self.request.user)

    def get_export_title(self) -> str:
        return _("重点项目名单")

    def can_add(self) -> bool:
        return region_choices(self.request.user).exists()


class KeyListDetailView(ScopedObjectMixin, TemplateView):
    model = KeyList
    template_name = "projects/keylist_detail.html"

    def get_base_queryset(self):
        return KeyList.objects.select_related("region", "published_by")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            key_list = self.get_object()
            table = self.entries_table(key_list, paginate=False)
            title = str(key_list)
            return xlsx_response(
                table_to_xlsx(table, title=title, money_columns={"project__total_investment", "annual_plan"}),
                f"{title}.xlsx",
            )
        return super().get(request, *args, **kwargs)

    def entries_table(self, key_list, *, paginate=True):
        editable = can_change(self.request.user, key_list)
        table = KeyListEntryTable(
            selectors.key_list_entries(self.request.user, key_list), exclude=() if editable else ("actions",)
        )
        RequestConfig(self.request, paginate={"per_page": 50} if paginate else False).configure(table)
        return table

    def get_context_data(self, **kwargs):
        key_list = self.get_object()
        user = self.request.user
        editable = can_change(user, key_list)
        return super().get_context_data(
            key_list=key_list,
            table=self.entries_table(key_list),
            totals=selectors.key_list_totals(user, key_list),
            can_change=editable,
            entry_form=KeyListEntryForm(user=user, key_list=key_list) if editable else None,
            **kwargs,
        )


class KeyListCreateView(ServiceFormView):
    title = _("新建重点项目名单")

    def build_form(self, data=None):
        if not region_choices(self.request.user).exists():
            raise Http404
        return KeyListForm(data, user=self.request.user)

    def save(self, form):
        return services.key_list_create(actor=self.request.user, **form.cleaned_data)


class KeyListEntryAddView(ScopedObjectMixin, View):
    model = KeyList
    action = CHANGE
    template_name = "core/form_page.html"

    def post(self, request, pk):
        key_list = self.get_object()
        form = KeyListEntryForm(request.POST, user=request.user, key_list=key_list)
        if form.is_valid():
            try:
                services.key_list_add_project(
                    key_list=key_list,
                    actor=request.user,
                    project=form.cleaned_data["project"],
                    annual_plan=form.cleaned_data["annual_plan"],
                    nature=form.cleaned_data["nature"] or None,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已列入名单。"))
                return redirect(key_list.get_absolute_url())
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "title": _("列入名单：{title}").format(title=key_list),
                "cancel_url": key_list.get_absolute_url(),
            },
            status=400,
        )


class KeyListEntryEditView(ScopedObjectMixin, View):
    model = KeyListEntry
    action = CHANGE
    template_name = "core/form_page.html"

    def get_base_queryset(self):
        return KeyListEntry.objects.select_related("key_list", "key_list__region", "project")

    def get(self, request, pk):
        entry = self.get_object()
        return self.render(KeyListEntryEditForm(instance=entry), entry)

    def post(self, request, pk):
        entry = self.get_object()
        form = KeyListEntryEditForm(request.POST, instance=entry)
        if form.is_valid():
            try:
                services.key_list_update_entry(entry=entry, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect(entry.key_list.get_absolute_url())
        return self.render(form, entry, status=400)

    def render(self, form, entry, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": _("{project} · 年度计划").format(project=entry.project),
                "cancel_url": entry.key_list.get_absolute_url(),
            },
            status=status,
        )


class KeyListEntryRemoveView(ScopedObjectMixin, View):
    model = KeyListEntry
    action = CHANGE

    def post(self, request, pk):
        entry = self.get_object()
        key_list = entry.key_list
        try:
            services.key_list_remove_entry(entry=entry, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已将“{project}”移出名单。").format(project=entry.project))
        return redirect(key_list.get_absolute_url())


class KeyListPublishView(ScopedObjectMixin, View):
    model = KeyList
    action = CHANGE

    def post(self, request, pk):
        key_list = self.get_object()
        try:
            services.key_list_publish(key_list=key_list, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("名单已发布。"))
        return redirect(key_list.get_absolute_url())
