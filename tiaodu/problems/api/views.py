from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service, require_valid
from tiaodu.core.api.viewsets import ScopedReadOnlyViewSet
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, get_scoped_or_404

from .. import selectors, services
from ..filtersets import ProblemFilterSet
from ..forms import FigureQueryForm
from ..models import Problem, ProblemCategory
from .serializers import (
    AnswerSerializer,
    AssignSerializer,
    CommentSerializer,
    ProblemCategorySerializer,
    ProblemEventSerializer,
    ProblemFiguresSerializer,
    ProblemReasonSerializer,
    ProblemSerializer,
)


class ProblemCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """问题类别: the administrator-kept list of categories (reference data, the same for everyone)."""

    queryset = ProblemCategory.objects.all()
    serializer_class = ProblemCategorySerializer
    filter_backends = [OrderingFilter]
    ordering = ["group", "sort_order", "name"]


class ProblemViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """The problem ledger (问题清单) in the user's scope.

    POST records a problem (登记). The workflow steps are explicit verbs: ``assign`` (交办, a
    coordinating administrator), ``start`` (签收) and ``answer`` (办结) by the responsible department,
    ``close`` (销号) or ``send-back`` (退回重办) by the coordinator, ``escalate`` (提级协调: county →
    city → province). A step the user may not take is a 400 naming why; a problem outside the
    user's scope is a 404. ``is_overdue`` and ``days_overdue`` are derived from the deadline.
    """

    queryset = Problem.objects.select_related(*selectors.RELATED)
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["found_on", "deadline", "status", "level", "id"]
    ordering = ["-found_on", "-id"]

    def get_queryset(self):
        # Reads and the create go through the user's view scope; what a user may then do is the service's answer.
        return Problem.objects.select_related(*selectors.RELATED).restrict(self.request.user, VIEW)

    def _problem(self, pk) -> Problem:
        return get_scoped_or_404(Problem.objects.select_related("region"), self.request.user, VIEW, pk=pk)

    def _answer(self, problem) -> Response:
        fresh = self.get_queryset().get(pk=problem.pk)
        return Response(ProblemSerializer(fresh, context=self.get_serializer_context()).data)

    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem = serializer.save()
        return Response(
            ProblemSerializer(problem, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=AssignSerializer, responses={200: ProblemSerializer}, summary="Assign to a department (交办)"
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        problem = self._problem(pk)
        data = self._payload(AssignSerializer)
        return self._answer(call_service(lambda: services.problem_assign(actor=request.user, problem=problem, **data)))

    @extend_schema(request=None, responses={200: ProblemSerializer}, summary="Acknowledge the assignment (签收)")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        problem = self._problem(pk)
        return self._answer(call_service(lambda: services.problem_start(actor=request.user, problem=problem)))

    @extend_schema(request=AnswerSerializer, responses={200: ProblemSerializer}, summary="Answer: what was done (办结)")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        problem = self._problem(pk)
        data = self._payload(AnswerSerializer)
        return self._answer(call_service(lambda: services.problem_answer(actor=request.user, problem=problem, **data)))

    @extend_schema(
        request=CommentSerializer, responses={200: ProblemSerializer}, summary="Close an answered problem (销号)"
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        problem = self._problem(pk)
        data = self._payload(CommentSerializer)
        return self._answer(
            call_service(lambda: services.problem_close(actor=request.user, problem=problem, comment=data["comment"]))
        )

    @extend_schema(
        request=ProblemReasonSerializer, responses={200: ProblemSerializer}, summary="Send the answer back (退回重办)"
    )
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request, pk=None):
        problem = self._problem(pk)
        reason = self._payload(ProblemReasonSerializer)["reason"]
        return self._answer(
            call_service(lambda: services.problem_send_back(actor=request.user, problem=problem, reason=reason))
        )

    @extend_schema(
        request=ProblemReasonSerializer, responses={200: ProblemSerializer}, summary="Escalate one level up (提级协调)"
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        problem = self._problem(pk)
        reason = self._payload(ProblemReasonSerializer)["reason"]
        return self._answer(
            call_service(lambda: services.problem_escalate(actor=request.user, problem=problem, reason=reason))
        )

    @extend_schema(responses={200: ProblemEventSerializer(many=True)}, summary="The workflow steps, oldest first")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        problem = self._problem(pk)
        return Response(ProblemEventSerializer(selectors.problem_events(problem), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="Found on or after; default 1 January"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Found on or before; default today"),
            OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 code; default everything in scope"),
        ],
        responses={200: ProblemFiguresSerializer},
        summary="Found, solved, resolution rate, average days, overdue — totals and ranked per county and department",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        form = FigureQueryForm(request.query_params or None, user=request.user)
        if request.query_params:
            require_valid(form)
        if not request.query_params:
            start, end = FigureQueryForm.defaults()
            data = {"start": start, "end": end, "region": None}
        else:
            data = form.cleaned_data
        query = selectors.ProblemFigureQuery(
            start=data["start"], end=data["end"], today=local_today(), region=data.get("region")
        )
        return Response(
            {
                "start": query.start,
                "end": query.end,
                "totals": selectors.figure_totals(request.user, query),
                "by_region": selectors.figure_table(request.user, query, "region"),
                "by_department": selectors.figure_table(request.user, query, "department"),
            }
        )
