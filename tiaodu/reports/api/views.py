from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service
from tiaodu.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from tiaodu.core.scoping import VIEW, get_scoped_or_404

from .. import selectors, services
from ..filtersets import MonthLockFilterSet, MonthlyReportFilterSet
from ..models import MonthLock, MonthlyReport
from .serializers import CorrectionSerializer, MonthLockSerializer, MonthlyReportSerializer, ReasonSerializer


class MonthlyReportViewSet(ScopedModelViewSet):
    """Monthly dispatch reports (月度调度填报) in the user's scope.

    POST saves the month's report of a project as a draft (creating it, or refilling a draft or a
    returned report); PUT/PATCH refill it. Workflow steps are the explicit verbs ``submit`` (owner),
    ``accept`` and ``return`` (reviewer), ``correct`` (reviewer, locked months only). Money in 万元.
    """

    queryset = MonthlyReport.objects.select_related(
        "project", "project__region", "project__owner", "submitted_by", "reviewed_by"
    )
    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportFilterSet
    ordering_fields = ["period", "project__name", "project__region__code", "status", "submitted_at"]
    ordering = ["-period", "project__region__code", "project__name"]

    def get_queryset(self):
        return selectors.with_flags(super().get_queryset())

    def _report(self, pk) -> MonthlyReport:
        # Fetched for reading: what the user may then do with it is the service's decision (a 400 naming why).
        queryset = MonthlyReport.objects.select_related("project__region")
        return get_scoped_or_404(queryset, self.request.user, VIEW, pk=pk)

    def _answer(self, report) -> Response:
        fresh = selectors.report_list(self.request.user).get(pk=report.pk)
        return Response(MonthlyReportSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: MonthlyReportSerializer}, summary="Submit the report (提交)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self._report(pk)
        return self._answer(call_service(lambda: services.report_submit(report=report, actor=request.user)))

    @extend_schema(request=None, responses={200: MonthlyReportSerializer}, summary="Accept the report (审核通过)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self._report(pk)
        return self._answer(call_service(lambda: services.report_accept(report=report, actor=request.user)))

    @extend_schema(
        request=ReasonSerializer,
        responses={200: MonthlyReportSerializer},
        summary="Send the report back to the owner with a reason (退回)",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self._report(pk)
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data["reason"]
        return self._answer(
            call_service(lambda: services.report_return(report=report, actor=request.user, reason=reason))
        )

    @extend_schema(
        request=CorrectionSerializer,
        responses={200: MonthlyReportSerializer},
        summary="Correct a report of a locked month, with a reason (锁定后更正)",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        report = self._report(pk)
        payload = CorrectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        reason = values.pop("reason")
        return self._answer(
            call_service(lambda: services.report_correct(report=report, actor=request.user, reason=reason, **values))
        )


class MonthLockViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Month locks (月份锁定) of the cities in scope. POST locks a finished month of a city."""

    queryset = MonthLock.objects.select_related("region", "locked_by")
    serializer_class = MonthLockSerializer
    filterset_class = MonthLockFilterSet
    ordering = ["-period", "region__code"]
