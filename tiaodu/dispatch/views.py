"""Pages of dispatch meetings: list, schedule, one meeting (proposed agenda, decisions, tasks on the spot,
last meeting's tasks), minutes as .docx."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from tiaodu.core.dates import local_today
from tiaodu.core.forms import apply_validation_error
from tiaodu.core.scoping import CHANGE, user_can
from tiaodu.core.views import ScopedListView, ScopedObjectMixin

from . import selectors, services
from .filtersets import MeetingFilterSet
from .forms import AgendaAddForm, DecisionsForm, MeetingForm, TaskForm
from .minutes import minutes_docx
from .models import Meeting
from .tables import MeetingTable

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
