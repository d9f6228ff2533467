"""Pages of the monthly loop: fill (本月填报), review (审核), missing reports, report detail, locks, reminders."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from tiaodu.core.dates import local_today
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.periods import format_period, previous_period
from tiaodu.core.scoping import CHANGE, user_can
from tiaodu.core.views import ScopedListView, ScopedObjectMixin, ServiceFormView
from tiaodu.projects.models import Project

from . import selectors, services
from .choices import ReportStatus
from .filtersets import MissingReportFilterSet, ReportPageFilterSet, ReviewFilterSet
from .forms import CorrectForm, FillForm, LockForm, PeriodForm, ReportingRuleForm, ReturnForm
from .models import COUNTED_STATUSES, MonthLock, MonthlyReport
from .tables import MissingReportTable, MonthlyReportTable

FILL_PAGE_SIZE = 30


def default_period() -> datetime.date:
    """The month a page is about when none is asked for: last month, the one being reported now."""
    return previous_period(local_today().replace(day=1))


def period_from(data) -> tuple[datetime.date | None, PeriodForm]:
    """The ``period`` of a query string or form; ``None`` (with the form's error) when it is malformed."""
    form = PeriodForm(data if data.get("period") else None, initial={"period": default_period()})
    if not form.is_bound:
        return default_period(), form
    if form.is_valid():
        return form.cleaned_data["period"] or default_period(), form
    return None, form


class ReportIndexView(LoginRequiredMixin, View):
    """月度调度: reviewers land on the review page, owners on their month's form."""

    def get(self, request):
        return redirect("reports:review" if selectors.may_review(request.user) else "reports:fill")


# ---- 本月填报 -------------------------------------------------------------------------------------


@dataclass
class FillRow:
    """One project on the fill page: its month's report (if any), the form, and what the user may do."""

    project: Project
    report: MonthlyReport | None
    form: FillForm
    locked: bool
    can_change: bool
    saved: str = ""

    @property
    def editable(self) -> bool:
        status = self.project.report_status
        return (
            self.can_change
            and not self.locked
            and status in (selectors.NOT_SUBMITTED, ReportStatus.DRAFT, ReportStatus.RETURNED)
        )

    @property
    def dom_id(self) -> str:
        return f"fill-{self.project.pk}"


def _locked_paths(period: datetime.date) -> list[str]:
    return list(MonthLock.objects.filter(period=period).values_list("region__path", flat=True))


def _fill_row(user, project, period, *, reports=None, locked_paths=None, form=None, saved="") -> FillRow:
    if reports is None:
        reports = MonthlyReport.objects.in_bulk([project.report_id] if project.report_id else [])
    if locked_paths is None:
        locked_paths = _locked_paths(period)
    report = reports.get(project.report_id)
    if form is None:
        form = FillForm(prefix=f"p{project.pk}", initial=FillForm.initial_from(report))
    return FillRow(
        project=project,
        report=report,
        form=form,
        locked=any(project.region.path.startswith(path) for path in locked_paths),
        can_change=user_can(user, CHANGE, MonthlyReport(project=project, period=period)),
        saved=saved,
    )


def fill_counts(user, period) -> dict:
    """应报 and 本月尚未提交, for the page's heading (one aggregate query)."""
    return selectors.projects_due(user, period).aggregate(
        due=Count("pk"), open=Count("pk", filter=Q(not_submitted=True))
    )


class FillView(LoginRequiredMixin, View):
    """本月填报: every project the user must report for the month, each with its own form."""

    template_name = "reports/fill.html"

    def get(self, request):
        period, period_form = period_from(request.GET)
        return self.render(period, period_form, status=200 if period else 400)

    def render(self, period, period_form, *, bound_row: FillRow | None = None, status=200):
        user = self.request.user
        context = {"period_form": period_form, "period": period, "rows": [], "page": None}
        if period is not None:
            projects = selectors.projects_due(user, period)
            if self.request.GET.get("todo"):
                projects = projects.filter(not_submitted=True)
            page = Paginator(projects, FILL_PAGE_SIZE).get_page(self.request.GET.get("page"))
            projects = list(page.object_list)
            reports = MonthlyReport.objects.in_bulk([p.report_id for p in projects if p.report_id])
            locked_paths = _locked_paths(period)
            rows = []
            for project in projects:
                if bound_row is not None and bound_row.project.pk == project.pk:
                    rows.append(bound_row)
                else:
                    rows.append(_fill_row(user, project, period, reports=reports, locked_paths=locked_paths))
            if bound_row is not None and not any(row is bound_row for row in rows):
                rows.insert(0, bound_row)  # the refused row comes first, wherever it was paged
            context.update(
                rows=rows,
                page=page,
                period_label=format_period(period),
                locked=bool(locked_paths) and all(row.locked for row in rows),
                counts=fill_counts(user, period),
                todo=bool(self.request.GET.get("todo")),
            )
        return render(self.request, self.template_name, context, status=status)


class FillRowView(LoginRequiredMixin, View):
    """One project's row: ``hx-post`` answers the updated row; a plain POST goes back to the page."""

    row_template = "reports/includes/fill_row_htmx.html"

    def get_project(self, period):
        project = selectors.projects_due(self.request.user, period).filter(pk=self.kwargs["pk"]).first()
        if project is None:
            raise Http404
        return project

    def get(self, request, pk):
        period, _form = period_from(request.GET)
        if period is None:
            return FillView.as_view()(request)
        project = self.get_project(period)
        if not request.htmx:
            return redirect(self.page_url(period, project))
        return self.render_row(_fill_row(request.user, project, period), period)

    def post(self, request, pk):
        period, period_form = period_from(request.POST)
        if period is None:
            view = FillView()
            view.setup(request)
            return view.render(None, period_form, status=400)
        project = self.get_project(period)
        form = FillForm(request.POST, prefix=f"p{project.pk}")
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.FILLED_FIELDS}
            submit = form.cleaned_data["action"] == FillForm.SUBMIT
            service = services.report_save_and_submit if submit else services.report_save
            try:
                service(actor=request.user, project=project, period=period, **values)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                saved = _("已提交。") if submit else _("已保存草稿。")
                if not request.htmx:
                    messages.success(request, _("{project}：{saved}").format(project=project.name, saved=saved))
                    return redirect(self.page_url(period, project))
                fresh = self.get_project(period)
                return self.render_row(_fill_row(request.user, fresh, period, saved=saved), period)
        row = _fill_row(request.user, project, period, form=form)
        if request.htmx:
            return self.render_row(row, period, status=400)
        view = FillView()
        view.setup(request)
        _unused, period_form = period_from({"period": format_period(period)})
        return view.render(period, period_form, bound_row=row, status=400)

    def render_row(self, row, period, status=200):
        # The heading's counts are swapped in too (out of band), so they follow the row.
        context = {"row": row, "period_label": format_period(period), "counts": fill_counts(self.request.user, period)}
        return render(self.request, self.row_template, context, status=status)

    def page_url(self, period, project) -> str:
        return "{}?{}#fill-{}".format(reverse("reports:fill"), urlencode({"period": format_period(period)}), project.pk)


# ---- review --------------------------------------------------------------------------------------


class PeriodListMixin:
    """A list about one month: ``?period=YYYY-MM`` (default last month); a malformed month lists nothing."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.period, self.period_form = period_from(request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["period_label"] = format_period(self.period) if self.period else ""
        return context


class ReviewView(PeriodListMixin, ScopedListView):
    """审核: counts per county/zone, and the submitted reports of the month waiting for the user's review."""

    table_class = MonthlyReportTable
    filterset_class = ReviewFilterSet
    template_name = "reports/review.html"
    money_columns = {"investment_month", "ytd", "since_start"}

    def get_queryset(self):
        if self.period is None:
            return MonthlyReport.objects.none()
        return selectors.reports_to_review(self.request.user, self.period)

    def get_export_title(self) -> str:
        if self.period is None:
            return str(_("待审核月报"))
        return _("{period}待审核月报").format(period=format_period(self.period))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.review_counts(self.request.user, self.period) if self.period else []
        context["may_review"] = selectors.may_review(self.request.user)
        return context


class MissingReportListView(PeriodListMixin, ScopedListView):
    """未填报: the due projects of the month with no submitted or accepted report, exportable to .xlsx."""

    table_class = MissingReportTable
    filterset_class = MissingReportFilterSet
    template_name = "reports/missing.html"

    def get_queryset(self):
        if self.period is None:
            return Project.objects.none()
        return selectors.missing_reports(self.request.user, self.period)

    def get_export_title(self) -> str:
        if self.period is None:
            return str(_("未填报项目"))
        return _("{period}未填报项目").format(period=format_period(self.period))


class ReportListView(ScopedListView):
    """全部月报: every report in scope, by month, status, region; exportable."""

    table_class = MonthlyReportTable
    filterset_class = ReportPageFilterSet
    template_name = "reports/report_list.html"
    money_columns = {"investment_month", "ytd", "since_start"}

    def get_queryset(self):
        return selectors.report_list(self.request.user)

    def get_export_title(self) -> str:
        return _("月报")


# ---- one report ----------------------------------------------------------------------------------


class ReportObjectMixin(ScopedObjectMixin):
    model = MonthlyReport

    def get_base_queryset(self):
        return MonthlyReport.objects.select_related(
            "project", "project__region", "project__owner", "submitted_by", "reviewed_by"
        )


class ReportDetailView(ReportObjectMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report = self.get_object()
        user = self.request.user
        locked = services.is_locked(report.project, report.period)
        reviewer = services.can_review(user, report)
        report.is_stale = selectors.is_stale(report)
        report.not_submitted = report.status not in COUNTED_STATUSES
        context = super().get_context_data(**kwargs)
        context.update(
            report=report,
            locked=locked,
            can_review=reviewer and report.status == ReportStatus.SUBMITTED and not locked,
            can_correct=reviewer and locked,
            can_fill=report.is_editable_by_owner and not locked and user_can(user, CHANGE, report),
            history=selectors.report_history(report),
        )
        context.setdefault("return_form", ReturnForm())
        return context


class ReportAcceptView(ReportObjectMixin, View):
    def post(self, request, pk):
        report = self.get_object()
        try:
            services.report_accept(report=report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已审核通过。"))
        return redirect(report.get_absolute_url())


class ReportReturnView(ReportObjectMixin, View):
    def post(self, request, pk):
        report = self.get_object()
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.report_return(report=report, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已退回。"))
                return redirect(report.get_absolute_url())
        view = ReportDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name, view.get_context_data(return_form=form), status=400)


class ReportCorrectView(ReportObjectMixin, ServiceFormView):
    """锁定后更正, by a reviewer, with a reason that stays visible with the report."""

    template_name = "reports/report_correct.html"

    def build_form(self, data=None):
        report = self.get_object()
        if not services.can_review(self.request.user, report):
            raise Http404
        return CorrectForm(data, initial=CorrectForm.initial_from(report))

    def save(self, form):
        values = {name: form.cleaned_data[name] for name in services.FILLED_FIELDS}
        return services.report_correct(
            report=self.get_object(), actor=self.request.user, reason=form.cleaned_data["reason"], **values
        )

    def get_extra_context(self) -> dict:
        report = MonthlyReport.objects.select_related("project").get(pk=self.get_object().pk)
        return {
            "report": report,
            "locked": services.is_locked(report.project, report.period),
            "title": _("更正月报：{report}").format(report=report),
            "cancel_url": report.get_absolute_url(),
        }


# ---- month locks ---------------------------------------------------------------------------------


class LockListView(LoginRequiredMixin, View):
    """锁定月份: each city's finished months with their lock state; the city administrator locks them."""

    template_name = "reports/locks.html"

    def get(self, request):
        return self.render(LockForm(cities=selectors.lock_cities(request.user)))

    def post(self, request):
        form = LockForm(request.POST, cities=selectors.lock_cities(request.user))
        if form.is_valid():
            try:
                lock = services.month_lock(
                    actor=request.user,
                    region=form.cleaned_data["region"],
                    period=form.cleaned_data["period"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("{region}{period}已锁定。").format(region=lock.region, period=format_period(lock.period))
                )
                return redirect("reports:locks")
        return self.render(form, status=400)

    def render(self, form, status=200):
        rows = selectors.month_locks(self.request.user, local_today())
        return render(
            self.request,
            self.template_name,
            {
                "rows": rows,
                "form": form,
                "can_lock": any(row.can_lock for row in rows),
                "rules": selectors.reporting_rules(self.request.user),
            },
            status=status,
        )


class ReportingRuleEditView(ServiceFormView):
    """填报规则: a city administrator sets the deadline and the review time of the city's monthly reports."""

    title = _("填报规则")

    def city(self):
        for row in selectors.reporting_rules(self.request.user):
            if row.region.code == self.kwargs["code"] and row.can_change:
                return row
        raise Http404

    def build_form(self, data=None):
        row = self.city()
        return ReportingRuleForm(data, initial={"deadline_day": row.deadline_day, "review_days": row.review_days})

    def save(self, form):
        services.reporting_rule_set(
            actor=self.request.user,
            region=self.city().region,
            deadline_day=form.cleaned_data["deadline_day"],
            review_days=form.cleaned_data["review_days"],
            reason=form.cleaned_data["reason"],
        )
        return self.city()

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("填报规则已保存。"))
                return redirect("reports:locks")
        return self.render(form, status=400)

    def get_extra_context(self) -> dict:
        row = self.city()
        return {
            "title": _("{region}填报规则").format(region=row.region.name),
            "cancel_url": reverse("reports:locks"),
        }


class BellView(LoginRequiredMixin, View):
    """The navbar bell with its count, loaded by htmx after the page (never slowing a page down)."""

    def get(self, request):
        count = selectors.reminder_count(request.user, local_today())
        return render(request, "reports/bell.html", {"count": count})


class RemindersView(LoginRequiredMixin, TemplateView):
    """提醒: the user's projects not reported by the deadline, and reports waiting too long for review."""

    template_name = "reports/reminders.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        return super().get_context_data(reminders=selectors.reminders(self.request.user, today), today=today, **kwargs)
