"""Pages of the problem ledger: the ledger, the department inbox, one problem with its workflow, the forms,
turning a monthly report's problems into ledger problems, and the figures with their drill-downs."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from tiaodu.core.dates import local_today
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404, user_can, user_grants
from tiaodu.core.views import ScopedListView, ScopedObjectMixin
from tiaodu.reports.models import MonthlyReport

from . import selectors, services
from .choices import ProblemStatus
from .filtersets import DrilldownFilterSet, ProblemFilterSet
from .forms import (
    AnswerForm,
    AssignForm,
    CategoryForm,
    CloseForm,
    FigureQueryForm,
    FromReportForm,
    ProblemForm,
    ReasonForm,
)
from .models import Problem, ProblemAttachment, ProblemCategory
from .tables import ProblemLedgerExportTable, ProblemTable


class LedgerExportMixin:
    """The .xlsx export is the 问题清单台账 layout: the page's columns plus 办理情况 and 销号日期."""

    def get_table_class(self):
        if self.request.GET.get("export") == "xlsx":
            return ProblemLedgerExportTable
        return ProblemTable


class ProblemLedgerView(LedgerExportMixin, ScopedListView):
    """问题清单台账: every problem in scope, filtered, with counts by status and category."""

    filterset_class = ProblemFilterSet
    template_name = "problems/ledger.html"
    add_url_name = "problems:problem_add"
    export_title = _("问题清单台账")

    def get_queryset(self):
        return selectors.problem_list(self.request.user, local_today())

    def can_add(self) -> bool:
        return bool(user_grants(self.request.user)) or self.request.user.is_superuser

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        problems = filterset.qs if filterset.is_valid() else Problem.objects.none()
        context["status_counts"] = selectors.status_counts(problems)
        context["category_counts"] = selectors.category_counts(problems)
        context["overdue_count"] = problems.filter(is_overdue=True).count() if filterset.is_valid() else 0
        query = self.request.GET.copy()
        for key in ("status", "category", "overdue", "page"):
            query.pop(key, None)
        context["base_query"] = query.urlencode()
        return context


class InboxView(LedgerExportMixin, ScopedListView):
    """部门待办: the problems assigned to the user's departments (unsolved first, by deadline)."""

    filterset_class = ProblemFilterSet
    template_name = "problems/inbox.html"
    export_title = _("部门待办问题")

    def get_queryset(self):
        return selectors.inbox(self.request.user, local_today()).order_by("status", "deadline")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        problems = selectors.inbox(self.request.user, local_today())
        context["status_counts"] = selectors.status_counts(problems)
        context["overdue_count"] = problems.filter(is_overdue=True).count()
        context["is_department"] = bool(selectors.department_ids(self.request.user))
        return context


# ---- one problem ---------------------------------------------------------------------------------


class ProblemObjectMixin(ScopedObjectMixin):
    model = Problem

    def get_base_queryset(self):
        return Problem.objects.select_related(*selectors.RELATED, "region", "assigned_by", "answered_by", "closed_by")


class ProblemDetailView(ProblemObjectMixin, TemplateView):
    template_name = "problems/problem_detail.html"

    def get_context_data(self, **kwargs):
        problem = self.get_object()
        user = self.request.user
        coordinator = user_can(user, CHANGE, problem) and services.can_coordinate(user, problem)
        status = problem.status
        context = super().get_context_data(**kwargs)
        context.update(
            problem=problem,
            today=local_today(),
            events=selectors.problem_events(problem),
            attachments=problem.attachments.all(),
            history=selectors.problem_history(problem),
            can_assign=coordinator
            and status in (ProblemStatus.OPEN, ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS),
            can_start=status == ProblemStatus.ASSIGNED and services.is_department_member(user, problem.department),
            can_answer=status in (ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS)
            and services.can_answer(user, problem),
            can_close=coordinator and status == ProblemStatus.ANSWERED,
            can_escalate=coordinator and status != ProblemStatus.CLOSED and problem.level != "province",
        )
        context.setdefault("reason_form", ReasonForm())
        context.setdefault("close_form", CloseForm())
        return context


class ProblemAddView(LoginRequiredMixin, View):
    """登记问题 (from a project's page ``?project=<id>``, or anywhere)."""

    template_name = "problems/problem_form.html"

    def get(self, request):
        initial = {}
        project = request.GET.get("project")
        if project and project.isdigit() and len(project) <= 18:
            initial["project"] = project
        return self.render(ProblemForm(initial=initial, user=request.user))

    def post(self, request):
        form = ProblemForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = services.problem_record(
                    actor=request.user,
                    source=data["source"],
                    category=data["category"],
                    description=data["description"],
                    project=data["project"],
                    region=data["region"] if not data["project"] else None,
                    found_on=data["found_on"],
                    proposed_department=data["proposed_department"],
                    proposed_deadline=data["proposed_deadline"],
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("问题已登记：{number}").format(number=problem.number))
                return redirect(problem.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": _("登记问题")}, status=status)


class ProblemStepView(ProblemObjectMixin, View):
    """A workflow step with a form (assign, answer) or a single button (start, close, send back, escalate).

    The problem is fetched for reading; whether the user may take the step is the service's answer,
    shown as a message (a step refused writes nothing).
    """

    form_class = None
    template_name = "problems/step_form.html"
    title = ""
    done = _("已保存。")

    def build_form(self, data=None, files=None):
        return self.form_class(data, files) if self.form_class else None

    def call(self, problem, form):
        raise NotImplementedError

    def get(self, request, pk):
        problem = self.get_object()
        if self.form_class is None or not self.allowed(problem):
            raise Http404
        return self.render(problem, self.build_form())

    def allowed(self, problem) -> bool:
        return True

    def post(self, request, pk):
        problem = self.get_object()
        form = self.build_form(request.POST, request.FILES)
        if form is None or form.is_valid():
            try:
                self.call(problem, form)
            except ValidationError as error:
                if form is None or self.template_name is None:
                    messages.error(request, " ".join(error.messages))
                    return redirect(problem.get_absolute_url())
                apply_validation_error(form, error)
            else:
                messages.success(request, self.done)
                return redirect(problem.get_absolute_url())
        if self.template_name is None:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect(problem.get_absolute_url())
        return self.render(problem, form, status=400)

    def render(self, problem, form, status=200):
        context = {"problem": problem, "form": form, "title": self.title, "cancel_url": problem.get_absolute_url()}
        return render(self.request, self.template_name, context, status=status)


class ProblemAssignView(ProblemStepView):
    form_class = AssignForm
    title = _("交办问题")
    done = _("已交办。")

    def allowed(self, problem):
        return user_can(self.request.user, CHANGE, problem)

    def build_form(self, data=None, files=None):
        problem = self.get_object()
        initial = {
            "department": problem.department_id or problem.proposed_department_id,
            "deadline": problem.deadline or problem.proposed_deadline,
            "level": problem.level,
        }
        return AssignForm(data, initial=initial, user=self.request.user)

    def call(self, problem, form):
        data = form.cleaned_data
        services.problem_assign(
            actor=self.request.user,
            problem=problem,
            department=data["department"],
            deadline=data["deadline"],
            level=data["level"],
            comment=data["comment"],
        )


class ProblemAnswerView(ProblemStepView):
    form_class = AnswerForm
    title = _("办结问题")
    done = _("已办结，待销号。")

    def allowed(self, problem):
        return services.can_answer(self.request.user, problem)

    def call(self, problem, form):
        data = form.cleaned_data
        services.problem_answer(
            actor=self.request.user,
            problem=problem,
            answer=data["answer"],
            answered_on=data["answered_on"],
            attachments=data["attachments"],
        )


class ProblemStartView(ProblemStepView):
    http_method_names = ["post"]
    template_name = None
    done = _("已签收。")

    def call(self, problem, form):
        services.problem_start(actor=self.request.user, problem=problem)


class ProblemCloseView(ProblemStepView):
    http_method_names = ["post"]
    form_class = CloseForm
    template_name = None
    done = _("已销号。")

    def call(self, problem, form):
        services.problem_close(actor=self.request.user, problem=problem, comment=form.cleaned_data["comment"])


class ProblemSendBackView(ProblemStepView):
    http_method_names = ["post"]
    form_class = ReasonForm
    template_name = None
    done = _("已退回重办。")

    def call(self, problem, form):
        services.problem_send_back(actor=self.request.user, problem=problem, reason=form.cleaned_data["reason"])


class ProblemEscalateView(ProblemStepView):
    http_method_names = ["post"]
    form_class = ReasonForm
    template_name = None
    done = _("已提级协调。")

    def call(self, problem, form):
        services.problem_escalate(actor=self.request.user, problem=problem, reason=form.cleaned_data["reason"])


class AttachmentView(LoginRequiredMixin, View):
    """A problem's photo or document, for whoever may see the problem (never a public URL)."""

    def get(self, request, pk):
        attachment = get_scoped_or_404(ProblemAttachment.objects.select_related("problem"), request.user, VIEW, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=not attachment.is_image, filename=attachment.name)


# ---- from a monthly report -----------------------------------------------------------------------


class FromReportView(LoginRequiredMixin, View):
    """转为问题: the report's "存在问题" as ledger problems, one per item, after a look at the items."""

    template_name = "problems/from_report.html"

    def get_report(self, pk):
        return get_scoped_or_404(
            MonthlyReport.objects.select_related("project", "project__region"), self.request.user, VIEW, pk=pk
        )

    def get(self, request, pk):
        return self.render(self.get_report(pk), FromReportForm())

    def post(self, request, pk):
        report = self.get_report(pk)
        form = FromReportForm(request.POST)
        if form.is_valid():
            try:
                problems = services.problems_from_report(
                    actor=request.user, report=report, category=form.cleaned_data["category"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已转为 {count} 个问题。").format(count=len(problems)))
                return redirect("{}?{}".format(reverse("problems:ledger"), urlencode({"project": report.project_id})))
        return self.render(report, form, status=400)

    def render(self, report, form, status=200):
        context = {
            "report": report,
            "form": form,
            "items": services.split_problem_text(report.problems_text),
            "converted": report.problems.restrict(self.request.user, VIEW),
        }
        return render(self.request, self.template_name, context, status=status)


# ---- figures -------------------------------------------------------------------------------------


def figure_query(request) -> tuple[FigureQueryForm, selectors.ProblemFigureQuery | None]:
    form = FigureQueryForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        start, end = FigureQueryForm.defaults()
        form = FigureQueryForm({"start": start, "end": end}, user=request.user)
        form.is_valid()
    data = form.cleaned_data
    return form, selectors.ProblemFigureQuery(
        start=data["start"], end=data["end"], today=local_today(), region=data.get("region")
    )


def _query_params(query: selectors.ProblemFigureQuery) -> dict:
    params = {"start": query.start.isoformat(), "end": query.end.isoformat()}
    if query.region is not None:
        params["region"] = query.region.code
    return params


class ProblemFiguresView(LoginRequiredMixin, View):
    """问题解决情况: found, solved, resolution rate, average days, overdue — per county and per department, ranked."""

    template_name = "problems/figures.html"

    def get(self, request):
        form, query = figure_query(request)
        if query is None:
            return render(request, self.template_name, {"form": form}, status=400)
        params = _query_params(query)

        def link(measure, group=None, key=None):
            extra = {"measure": measure}
            if group:
                extra.update(group=group, key=key)
            return "{}?{}".format(reverse("problems:drilldown"), urlencode({**params, **extra}))

        tables = []
        for group, title in (("region", _("分县区")), ("department", _("分责任单位"))):
            rows = selectors.figure_table(request.user, query, group)
            for row in rows:
                row["links"] = {m: link(m, group, row["key"]) for m in selectors.MEASURES}
            tables.append({"group": group, "title": title, "rows": rows})
        totals = selectors.figure_totals(request.user, query)
        totals["links"] = {m: link(m) for m in selectors.MEASURES}
        return render(
            request,
            self.template_name,
            {"form": form, "query": query, "totals": totals, "tables": tables, "measures": selectors.MEASURES},
        )


class ProblemDrilldownView(LedgerExportMixin, ScopedListView):
    """The rows behind one figure: same base, same measure, one county or department."""

    template_name = "problems/drilldown.html"
    filterset_class = DrilldownFilterSet

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form, self.query = figure_query(request)
        self.measure = request.GET.get("measure", "found")
        self.group = request.GET.get("group") or None
        self.key = request.GET.get("key") or None
        valid = self.measure in selectors.MEASURES and (self.group is None or self.group in selectors.GROUPS)
        if (
            self.group
            and not (self.key == selectors.NO_DEPARTMENT and self.group == "department")
            and not ((self.key or "").isdigit() and len(self.key) <= 18)
        ):
            valid = False
        self.valid = valid and self.query is not None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.valid and request.GET.get("export") != "xlsx":
            response.status_code = 400
        return response

    def get_queryset(self):
        if not self.valid:
            return Problem.objects.none()
        return selectors.drilldown(self.request.user, self.query, self.measure, self.group, self.key)

    def get_export_title(self) -> str:
        if not self.valid:
            return str(_("问题明细"))
        return _("{measure}明细").format(measure=selectors.MEASURES[self.measure].label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, valid=self.valid, query=self.query, filter=None)
        if self.valid:
            context["back_url"] = "{}?{}".format(reverse("problems:figures"), urlencode(_query_params(self.query)))
        return context


# ---- the leader's desk ---------------------------------------------------------------------------


class LeaderDeskView(LoginRequiredMixin, TemplateView):
    """领导工作台: the 包联 leader's projects (their own by default; ``?official=<id>`` any in scope)."""

    template_name = "problems/desk.html"

    def get(self, request, *args, **kwargs):
        from . import desk

        officials = desk.desk_officials(request.user)
        chosen = request.GET.get("official")
        if chosen:
            official = officials.filter(pk=chosen).first() if chosen.isdigit() and len(chosen) <= 18 else None
            if official is None:
                raise Http404
        else:
            official = desk.own_official(request.user)
            if official is not None and not officials.filter(pk=official.pk).exists():
                official = None
        context = {"officials": officials, "official": official, "projects": [], "today": local_today()}
        if official is not None:
            projects = list(desk.desk_projects(request.user, official, local_today()))
            for project in projects:
                project.completion = desk.completion(project.ytd, project.annual_plan)
            context.update(
                projects=projects,
                open_total=sum(p.open_problems for p in projects),
                overdue_total=sum(p.overdue_problems for p in projects),
                next_meeting=desk.next_meeting(request.user, official, [p.pk for p in projects], local_today()),
            )
        return self.render_to_response(context)


# ---- categories ------------------------------------------------------------------------------------


class CategoryListView(LoginRequiredMixin, View):
    """问题类别: the list every problem form offers; city administrators add, rename and deactivate."""

    template_name = "problems/categories.html"

    def get(self, request):
        return self.render(CategoryForm())

    def post(self, request):
        if not services.can_edit_categories(request.user):
            raise Http404
        chosen = request.POST.get("category")
        valid = bool(chosen) and chosen.isdigit() and len(chosen) <= 18
        category = ProblemCategory.objects.filter(pk=chosen).first() if valid else None
        if chosen and category is None:
            raise Http404
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                services.category_save(actor=request.user, category=category, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("problems:categories")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "form": form,
            "categories": ProblemCategory.objects.annotate(used=Count("problems")).order_by(
                "group", "sort_order", "name"
            ),
            "can_edit": services.can_edit_categories(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)
