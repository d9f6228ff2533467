"""Pages of dispatch meetings: list, schedule, one meeting (proposed agenda, decisions, tasks on the spot,
last meeting's tasks), minutes as .docx."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from tiaodu.core.dates import local_today
from tiaodu.core.exports import table_to_xlsx, xlsx_response
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404, user_can
from tiaodu.core.views import ScopedListView, ScopedObjectMixin
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import with_overdue
from tiaodu.problems.tables import ProblemTable
from tiaodu.regions.models import Region

from . import selectors, services
from .filtersets import MeetingFilterSet, SiteVisitFilterSet, TourFilterSet
from .forms import (
    AgendaAddForm,
    DecisionsForm,
    MeetingForm,
    TaskForm,
    TourForm,
    VisitForm,
    VisitProblemForm,
    VisitQueryForm,
)
from .minutes import minutes_docx
from .models import InspectionTour, Meeting, SiteVisit, TourScore, VisitPhoto
from .tables import (
    MeetingTable,
    PersonVisitTable,
    ProjectVisitTable,
    SiteVisitTable,
    TourTable,
    tour_result_table,
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class MeetingListView(ScopedListView):
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    export_title = _("调度会议")
    add_url_name = "dispatch:meeting_add"

    def get_queryset(self):
        return selectors.meeting_list(self.request.user)

    def can_add(self) -> bool:
        return MeetingForm(user=self.request.user).fields["region"].queryset.exists()


class MeetingAddView(LoginRequiredMixin, View):
    template_name = "core/form_page.html"

    def get(self, request):
        form = MeetingForm(user=request.user, initial={"date": local_today()})
        if not form.fields["region"].queryset.exists():
            raise Http404
        return self.render(form)

    def post(self, request):
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("会议已安排。"))
                return redirect(meeting.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": _("安排调度会"), "cancel_url": "/meetings/"}
        return render(self.request, self.template_name, context, status=status)


class MeetingObjectMixin(ScopedObjectMixin):
    model = Meeting

    def get_base_queryset(self):
        return Meeting.objects.select_related("region", "chair")


class MeetingDetailView(MeetingObjectMixin, TemplateView):
    template_name = "dispatch/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        user = self.request.user
        can_change = user_can(user, CHANGE, meeting)
        previous = services.previous_meeting(meeting, user)
        context = super().get_context_data(**kwargs)
        context.update(
            meeting=meeting,
            today=local_today(),
            can_change=can_change,
            items=meeting.items.select_related("project", "project__region").prefetch_related("tasks__problem"),
            tasks=services.task_problems(meeting, user),
            previous=previous,
            previous_tasks=services.task_problems(previous, user) if previous else [],
            proposals=selectors.propose_agenda(meeting, user, local_today()) if can_change else [],
        )
        context.setdefault("agenda_form", AgendaAddForm(user=user, meeting=meeting))
        context.setdefault("task_form", TaskForm(user=user, meeting=meeting, initial={"deadline": meeting.date}))
        return context


class MeetingStepView(MeetingObjectMixin, View):
    http_method_names = ["post"]

    def invalid(self, request, pk, **forms):
        view = MeetingDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name, view.get_context_data(**forms), status=400)


class AgendaAddView(MeetingStepView):
    def post(self, request, pk):
        meeting = self.get_object()
        form = AgendaAddForm(request.POST, user=request.user, meeting=meeting)
        if form.is_valid():
            try:
                services.agenda_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect(meeting.get_absolute_url() + "#agenda")
        return self.invalid(request, pk, agenda_form=form)


class AgendaProposalAddView(MeetingStepView):
    """Put every proposed project (or the ones ticked) on the agenda, each with its first reason."""

    def post(self, request, pk):
        meeting = self.get_object()
        chosen = set(request.POST.getlist("project"))
        added = 0
        for proposal in selectors.propose_agenda(meeting, request.user, local_today()):
            if chosen and str(proposal.project.pk) not in chosen:
                continue
            try:
                services.agenda_add(
                    actor=request.user, meeting=meeting, project=proposal.project, reason=proposal.reason
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                break
            added += 1
        if added:
            messages.success(request, _("已将 {count} 个项目列入议程。").format(count=added))
        return redirect(meeting.get_absolute_url() + "#agenda")


class DecisionsView(MeetingStepView):
    def post(self, request, pk, item_pk):
        meeting = self.get_object()
        item = meeting.items.filter(pk=item_pk).first()
        if item is None:
            raise Http404
        form = DecisionsForm(request.POST)
        if form.is_valid():
            try:
                services.agenda_record_decisions(
                    actor=request.user, item=item, decisions=form.cleaned_data["decisions"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("议定事项已保存。"))
        else:
            messages.error(request, _("请填写议定事项。"))
        return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")


class TaskAddView(MeetingStepView):
    def post(self, request, pk):
        meeting = self.get_object()
        form = TaskForm(request.POST, user=request.user, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_assign_task(
                    actor=request.user,
                    meeting=meeting,
                    item=data["item"],
                    project=data["item"].project if data["item"] else None,
                    category=data["category"],
                    description=data["description"],
                    department=data["department"],
                    deadline=data["deadline"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已现场交办。"))
                return redirect(meeting.get_absolute_url() + "#tasks")
        return self.invalid(request, pk, task_form=form)


class MeetingHeldView(MeetingStepView):
    def post(self, request, pk):
        meeting = self.get_object()
        try:
            services.meeting_mark_held(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(meeting.get_absolute_url())


class MinutesView(MeetingObjectMixin, View):
    def get(self, request, pk):
        meeting = self.get_object()
        items = list(meeting.items.select_related("project"))
        content = minutes_docx(meeting, items, list(services.task_problems(meeting, request.user)))
        response = HttpResponse(content, content_type=DOCX_MIME)
        filename = "{}-{}.docx".format(meeting.date.isoformat(), _("会议纪要"))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
        return response


# ---- site visits -----------------------------------------------------------------------------------


class VisitListView(ScopedListView):
    export_title = _("现场调研")
    add_url_name = "dispatch:visit_add"

    table_class = SiteVisitTable
    filterset_class = SiteVisitFilterSet

    def get_queryset(self):
        return (
            SiteVisit.objects.restrict(self.request.user, VIEW)
            .select_related("region")
            .prefetch_related("leaders", "projects")
        )

    def can_add(self) -> bool:
        return Region.objects.restrict(self.request.user, CHANGE).exists()


class VisitAddView(LoginRequiredMixin, View):
    template_name = "dispatch/visit_form.html"

    def get(self, request):
        form = VisitForm(user=request.user, initial={"date": local_today()})
        if not form.fields["region"].queryset.exists():
            raise Http404
        return self.render(form)

    def post(self, request):
        form = VisitForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                visit = services.visit_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已登记现场调研。"))
                return redirect(visit.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": _("登记现场调研")}, status=status)


class VisitObjectMixin(ScopedObjectMixin):
    def get_base_queryset(self):
        return SiteVisit.objects.select_related("region")


class VisitDetailView(VisitObjectMixin, TemplateView):
    template_name = "dispatch/visit_detail.html"

    def get_context_data(self, **kwargs):
        visit = self.get_object()
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            visit=visit,
            leaders=visit.leaders.all(),
            projects=visit.projects.restrict(user, VIEW).select_related("region"),
            photos=visit.photos.all(),
            problems=Problem.objects.restrict(user, VIEW)
            .filter(visit_finding__visit=visit)
            .select_related("project", "department", "category", "region"),
            can_change=user_can(user, CHANGE, visit),
        )
        context.setdefault("problem_form", VisitProblemForm(user=user, visit=visit))
        return context


class VisitProblemView(VisitObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        visit = self.get_object()
        form = VisitProblemForm(request.POST, user=request.user, visit=visit)
        if form.is_valid():
            try:
                services.visit_add_problem(actor=request.user, visit=visit, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("问题已登记。"))
                return redirect(visit.get_absolute_url())
        view = VisitDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name, view.get_context_data(problem_form=form), status=400)


class VisitPhotoView(LoginRequiredMixin, View):
    def get(self, request, pk):
        photo = get_scoped_or_404(VisitPhoto.objects.all(), request.user, VIEW, pk=pk)
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, filename=photo.name)


def _visit_query(request):
    form = VisitQueryForm(request.GET or None, user=request.user)
    if not request.GET:
        form = VisitQueryForm({}, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.VisitQuery(start=data["start"], end=data["end"], region=data.get("region"))


class VisitFiguresView(LoginRequiredMixin, View):
    """调研成效: visits, person-visits (人次), project sites, problems found and solved, each a drill-down."""

    def get(self, request):
        form, query = _visit_query(request)
        context = {"form": form, "query": query}
        if query is None:
            return render(request, "dispatch/visit_figures.html", context, status=400)
        params = {"start": query.start.isoformat(), "end": query.end.isoformat()}
        if query.region is not None:
            params["region"] = query.region.code
        figures = selectors.visit_figures(request.user, query)
        links = {
            measure: "{}?{}".format(reverse("dispatch:visit_drilldown"), urlencode({**params, "measure": measure}))
            for measure in selectors.VISIT_MEASURES
        }
        context.update(figures=figures, links=links)
        return render(request, "dispatch/visit_figures.html", context)


class VisitDrilldownView(LoginRequiredMixin, View):
    """The rows behind one visit figure, as a table (and ``?export=xlsx``)."""

    def get(self, request):
        form, query = _visit_query(request)
        measure = request.GET.get("measure") or "visits"
        if query is None or measure not in selectors.VISIT_MEASURES:
            return render(request, "dispatch/visit_drilldown.html", {"form": form, "invalid": True}, status=400)
        rows = selectors.visit_rows(request.user, query, measure)
        table_class = {
            "visits": SiteVisitTable,
            "person_visits": PersonVisitTable,
            "project_visits": ProjectVisitTable,
        }.get(measure, ProblemTable)
        if table_class is ProblemTable:
            rows = with_overdue(rows.select_related("project", "region", "category", "department"), local_today())
        elif table_class is SiteVisitTable:
            rows = rows.prefetch_related("leaders", "projects")
        labels = dict(VISIT_LABELS)
        title = str(labels[measure])
        if request.GET.get("export") == "xlsx":
            table = table_class(rows)
            RequestConfig(request, paginate=False).configure(table)
            return xlsx_response(table_to_xlsx(table, title=title), f"{title}.xlsx")
        table = table_class(rows)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        query_string = request.GET.copy()
        query_string.pop("page", None)
        query_string["export"] = "xlsx"
        return render(
            request,
            "dispatch/visit_drilldown.html",
            {"form": form, "table": table, "title": title, "export_query": query_string.urlencode()},
        )


VISIT_LABELS = (
    ("visits", _("调研次数")),
    ("person_visits", _("领导调研人次")),
    ("project_visits", _("调研项目（个次）")),
    ("problems_found", _("发现问题")),
    ("problems_solved", _("解决问题")),
)


# ---- inspection tours ------------------------------------------------------------------------------


class TourListView(ScopedListView):
    table_class = TourTable
    filterset_class = TourFilterSet
    export_title = _("拉练观摩")
    add_url_name = "dispatch:tour_add"

    def get_queryset(self):
        return InspectionTour.objects.restrict(self.request.user, VIEW).select_related("region")

    def can_add(self) -> bool:
        return Region.objects.restrict(self.request.user, CHANGE).exists()


class TourAddView(LoginRequiredMixin, View):
    template_name = "core/form_page.html"

    def get(self, request):
        today = local_today()
        form = TourForm(
            user=request.user, initial={"date": today, "year": today.year, "quarter": (today.month - 1) // 3 + 1}
        )
        if not form.fields["region"].queryset.exists():
            raise Http404
        return self.render(form)

    def post(self, request):
        form = TourForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                tour = services.tour_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已安排拉练观摩。"))
                return redirect(tour.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": _("安排拉练观摩"), "cancel_url": reverse("dispatch:tour_list")}
        return render(self.request, self.template_name, context, status=status)


class TourObjectMixin(ScopedObjectMixin):
    model = InspectionTour

    def get_base_queryset(self):
        return InspectionTour.objects.select_related("region")


def _result_rows(results):
    rows = []
    for result in results:
        row = {"rank": result.rank, "project": result.project, "total": result.total, "scorers": result.scorers}
        for criterion_id, value in result.scores.items():
            row[f"score_{criterion_id}"] = (
                Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if value is not None else None
            )
        rows.append(row)
    return rows


class TourDetailView(TourObjectMixin, TemplateView):
    """One tour: the scoring sheet of the current user, and the results ranking projects and counties."""

    template_name = "dispatch/tour_detail.html"

    def get(self, request, *args, **kwargs):
        tour = self.get_object()
        criteria = list(tour.criteria.all())
        results, counties = selectors.tour_results(tour, request.user)
        table = tour_result_table(criteria)(_result_rows(results))
        if request.GET.get("export") == "xlsx":
            RequestConfig(request, paginate=False).configure(table)
            title = _("{title}评分结果").format(title=tour.title)
            return xlsx_response(table_to_xlsx(table, title=title), f"{title}.xlsx")
        mine = {
            (s.project_id, s.criterion_id): s.score
            for s in TourScore.objects.filter(criterion__tour=tour, scorer=request.user)
        }
        sheet = [
            {
                "project": r.project,
                "cells": [{"criterion": c, "value": mine.get((r.project.pk, c.pk))} for c in criteria],
            }
            for r in sorted(results, key=lambda r: (r.project.region.code, r.project.name))
        ]
        context = self.get_context_data(
            tour=tour,
            criteria=criteria,
            table=table,
            counties=counties,
            sheet=sheet,
            can_score=services.can_score(request.user, tour),
            errors=kwargs.get("errors", []),
        )
        return self.render_to_response(context, status=kwargs.get("status", 200))


class TourScoreView(TourObjectMixin, View):
    """Save the user's scoring sheet: every filled cell through ``tour_score``; a bad cell saves nothing."""

    http_method_names = ["post"]

    def post(self, request, pk):
        tour = self.get_object()
        criteria = {str(c.pk): c for c in tour.criteria.all()}
        projects = {str(p.pk): p for p in tour.projects.restrict(request.user, VIEW)}
        errors = []
        try:
            with transaction.atomic():
                for key, value in request.POST.items():
                    if not key.startswith("score-") or not value.strip():
                        continue
                    _prefix, project_id, criterion_id = [*key.split("-"), "", ""][:3]
                    if project_id not in projects or criterion_id not in criteria:
                        errors.append(_("评分项或项目不属于本次观摩。"))
                        continue
                    try:
                        services.tour_score(
                            actor=request.user,
                            tour=tour,
                            project=projects[project_id],
                            criterion=criteria[criterion_id],
                            score=value.strip(),
                        )
                    except ValidationError as error:
                        errors.append("{}：{}".format(projects[project_id].name, "；".join(error.messages)))
                if errors:
                    raise ValidationError(errors)
        except ValidationError:
            view = TourDetailView()
            view.setup(request, pk=pk)
            return view.get(request, pk=pk, errors=errors, status=400)
        messages.success(request, _("评分已保存。"))
        return redirect(tour.get_absolute_url())
