from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service, require_valid
from tiaodu.core.api.viewsets import ScopedReadOnlyViewSet
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, get_scoped_or_404
from tiaodu.problems.api.serializers import ProblemSerializer

from .. import selectors, services
from ..filtersets import MeetingFilterSet, SiteVisitFilterSet, TourFilterSet
from ..forms import VisitQueryForm
from ..models import InspectionTour, Meeting, SiteVisit
from .serializers import (
    AgendaAddSerializer,
    AgendaItemSerializer,
    DecisionsSerializer,
    InspectionTourSerializer,
    MeetingSerializer,
    MeetingTaskSerializer,
    ProposalSerializer,
    SiteVisitSerializer,
    TourResultsSerializer,
    TourScoreSerializer,
    VisitFiguresSerializer,
    VisitProblemSerializer,
)


class _Scoped(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Reads through the view scope; writes through the services, which say why a step is refused (400)."""

    filter_backends = [DjangoFilterBackend, OrderingFilter]

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, VIEW)

    def _object(self, pk):
        return get_scoped_or_404(self.queryset.model.objects.all(), self.request.user, VIEW, pk=pk)

    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = serializer.save()
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def _answer(self, obj):
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)


class MeetingViewSet(_Scoped):
    """Dispatch meetings (调度会) in scope. Verbs: ``agenda`` (put a project on it), ``decisions`` (议定事项),
    ``tasks`` (现场交办: a ledger problem assigned at the meeting's level), ``held``; ``proposals`` lists the
    agenda the system proposes (overdue/escalated problems, lagging investment, late reports)."""

    queryset = Meeting.objects.select_related("region", "chair").prefetch_related(
        "attendees", "items__tasks", "items__project"
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering = ["-date", "-id"]

    @extend_schema(
        request=AgendaAddSerializer, responses={200: MeetingSerializer}, summary="Put a project on the agenda"
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        meeting = self._object(pk)
        data = self._payload(AgendaAddSerializer)
        call_service(lambda: services.agenda_add(actor=request.user, meeting=meeting, **data))
        return self._answer(meeting)

    @extend_schema(
        request=DecisionsSerializer, responses={200: AgendaItemSerializer}, summary="Record decisions (议定事项)"
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self._object(pk)
        data = self._payload(DecisionsSerializer)
        item = meeting.items.filter(pk=data["item"]).first()
        if item is None:
            raise serializers.ValidationError({"item": [_("议题不属于本次会议。")]})
        item = call_service(
            lambda: services.agenda_record_decisions(actor=request.user, item=item, decisions=data["decisions"])
        )
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(
        request=MeetingTaskSerializer,
        responses={201: ProblemSerializer},
        summary="Assign a task on the spot (现场交办)",
    )
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        meeting = self._object(pk)
        data = dict(self._payload(MeetingTaskSerializer))
        item_id = data.pop("item", None)
        item = meeting.items.filter(pk=item_id).first() if item_id else None
        if item_id and item is None:
            raise serializers.ValidationError({"item": [_("议题不属于本次会议。")]})
        data.setdefault("project", None)
        task = call_service(
            lambda: services.meeting_assign_task(actor=request.user, meeting=meeting, item=item, **data)
        )
        return Response(
            ProblemSerializer(task.problem, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: MeetingSerializer}, summary="Mark the meeting held")
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        meeting = self._object(pk)
        return self._answer(call_service(lambda: services.meeting_mark_held(actor=request.user, meeting=meeting)))

    @extend_schema(responses={200: ProposalSerializer(many=True)}, summary="The proposed agenda")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def proposals(self, request, pk=None):
        meeting = self._object(pk)
        proposals = selectors.propose_agenda(meeting, request.user, local_today())
        return Response(
            [{"project": p.project.pk, "project_name": p.project.name, "reasons": p.reasons} for p in proposals]
        )


class SiteVisitViewSet(_Scoped):
    """Site visits (现场调研) in scope; ``problems`` records a problem found; ``figures`` counts 人次 and problems."""

    queryset = SiteVisit.objects.select_related("region").prefetch_related("leaders", "projects", "findings")
    serializer_class = SiteVisitSerializer
    filterset_class = SiteVisitFilterSet
    ordering = ["-date", "-id"]

    @extend_schema(request=VisitProblemSerializer, responses={201: ProblemSerializer}, summary="Record a problem found")
    @action(detail=True, methods=["post"])
    def problems(self, request, pk=None):
        visit = self._object(pk)
        data = self._payload(VisitProblemSerializer)
        finding = call_service(lambda: services.visit_add_problem(actor=request.user, visit=visit, **data))
        return Response(
            ProblemSerializer(finding.problem, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="From; default 1 January"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Until; default today"),
            OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 code"),
        ],
        responses={200: VisitFiguresSerializer},
        summary="Visits, person-visits, project sites, problems found and solved",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        form = require_valid(VisitQueryForm(request.query_params, user=request.user))
        data = form.cleaned_data
        query = selectors.VisitQuery(start=data["start"], end=data["end"], region=data.get("region"))
        return Response(selectors.visit_figures(request.user, query))


class InspectionTourViewSet(_Scoped):
    """Quarterly inspection tours (季度拉练观摩) in scope; ``scores`` records the user's scores; ``results`` ranks."""

    queryset = InspectionTour.objects.select_related("region").prefetch_related("projects", "criteria")
    serializer_class = InspectionTourSerializer
    filterset_class = TourFilterSet
    ordering = ["-date", "-id"]

    @extend_schema(request=TourScoreSerializer(many=True), responses={200: TourResultsSerializer}, summary="Score")
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        tour = self._object(pk)
        payload = TourScoreSerializer(data=request.data, many=True)
        payload.is_valid(raise_exception=True)
        criteria = {c.pk: c for c in tour.criteria.all()}
        projects = {p.pk: p for p in tour.projects.restrict(request.user, VIEW)}
        with transaction.atomic():
            for row in payload.validated_data:
                if row["criterion"] not in criteria or row["project"] not in projects:
                    raise serializers.ValidationError({"non_field_errors": [_("评分项或项目不属于本次观摩。")]})
                call_service(
                    lambda row=row: services.tour_score(
                        actor=request.user,
                        tour=tour,
                        project=projects[row["project"]],
                        criterion=criteria[row["criterion"]],
                        score=row["score"],
                    )
                )
        return self.results(request, pk)

    @extend_schema(responses={200: TourResultsSerializer}, summary="Projects and counties ranked by weighted score")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def results(self, request, pk=None):
        tour = self._object(pk)
        projects, counties = selectors.tour_results(tour, request.user)
        return Response(TourResultsSerializer({"projects": projects, "counties": counties}).data)
