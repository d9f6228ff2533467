from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service
from tiaodu.core.api.viewsets import ScopedReadOnlyViewSet
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import CHANGE, REVIEW, VIEW, get_scoped_or_404
from tiaodu.regions.models import Region

from .. import selectors, services
from ..filtersets import ActualFilterSet, IndicatorFilterSet
from ..imports import import_actuals
from ..models import Actual, Indicator, Scheme
from .serializers import (
    ActualImportSerializer,
    ActualReasonSerializer,
    ActualSerializer,
    IndicatorSerializer,
    PublishedResultSerializer,
    PublishSerializer,
    SchemeSerializer,
    import_answer,
)


class IndicatorViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """考核指标库: the indicators in scope. POST adds one (computed: ``source``; entered: ``department``)."""

    queryset = Indicator.objects.select_related("region", "department")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, VIEW)

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        indicator = call_service(lambda: services.indicator_save(actor=request.user, **payload.validated_data))
        return Response(IndicatorSerializer(indicator, context=self.get_serializer_context()).data, status=201)


class ActualViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """考核实绩: entered actuals in scope. POST saves a draft; ``submit``, ``accept``, ``return`` move it on.

    Only accepted actuals count in a result. An actual for a computed indicator, or outside the
    indicator's plausible range, is a 400 naming why.
    """

    queryset = Actual.objects.select_related("indicator", "region", "department")
    serializer_class = ActualSerializer
    filterset_class = ActualFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, VIEW)

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        actual = call_service(
            lambda: services.actual_save(
                actor=request.user,
                indicator=data["indicator"],
                region=data.get("region"),
                department=data.get("department"),
                year=data["year"],
                month=data.get("month", 0),
                value=data["value"],
                note=data.get("note", ""),
            )
        )
        return Response(ActualSerializer(actual, context=self.get_serializer_context()).data, status=201)

    def _step(self, pk, action_, call):
        actual = get_scoped_or_404(Actual, self.request.user, action_, pk=pk)
        done = call_service(lambda: call(actual))
        return Response(ActualSerializer(done, context=self.get_serializer_context()).data)

    @extend_schema(
        request={"multipart/form-data": ActualImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        summary="Import a sheet of actuals (导入), all rows or none",
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request):
        payload = ActualImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = call_service(
            lambda: import_actuals(
                actor=request.user,
                content=data["file"].read(),
                filename=data["file"].name,
                year=data["year"],
                month=data["month"],
                dry_run=data["dry_run"],
            )
        )
        return Response(import_answer(result), status=200 if result.ok else 400)

    @extend_schema(request=None, responses={200: ActualSerializer}, summary="Submit for review (提交)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(pk, CHANGE, lambda a: services.actual_submit(actor=request.user, actual=a))

    @extend_schema(request=None, responses={200: ActualSerializer}, summary="Accept (审核通过)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(pk, REVIEW, lambda a: services.actual_accept(actor=request.user, actual=a))

    @extend_schema(
        request=ActualReasonSerializer, responses={200: ActualSerializer}, summary="Return with a reason (退回)"
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        payload = ActualReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data["reason"]
        return self._step(pk, REVIEW, lambda a: services.actual_return(actor=request.user, actual=a, reason=reason))


MONTH = OpenApiParameter("month", OpenApiTypes.INT, description="Through month 1–12 (default: last finished month)")
AS_OF = OpenApiParameter("as_of", OpenApiTypes.STR, enum=["current", "published"], description="current or published")


class SchemeViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """考核方案 in scope; ``result`` computes the table (or reads the published one), ``publish`` locks it."""

    queryset = Scheme.objects.select_related("region").prefetch_related("items__indicator", "units__region")
    serializer_class = SchemeSerializer

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, VIEW)

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        codes = data.get("unit_regions") or []
        regions = {r.code: r for r in Region.objects.restrict(request.user, CHANGE).filter(code__in=codes)}
        missing = [code for code in codes if code not in regions]
        if missing:
            raise serializers.ValidationError(
                {"unit_regions": [_("区划代码“{code}”不存在或不在您的范围内。").format(code=missing[0])]}
            )
        units = (
            [regions[c] for c in codes]
            if data.get("unit_kind", "region") == "region"
            else data.get("unit_departments", [])
        )
        scheme = call_service(
            lambda: services.scheme_save(
                actor=request.user,
                region=data["region"],
                year=data["year"],
                name=data["name"],
                unit_kind=data.get("unit_kind", "region"),
                note=data.get("note", ""),
                units=units,
                items=[dict(item) for item in data["items"]],
            )
        )
        return Response(SchemeSerializer(scheme, context=self.get_serializer_context()).data, status=201)

    @extend_schema(parameters=[MONTH, AS_OF], responses={200: OpenApiTypes.OBJECT}, summary="The result table")
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        scheme = self.get_object()
        try:
            month = int(request.query_params.get("month") or selectors.default_month(scheme, local_today()))
        except ValueError:
            month = 0
        if not 1 <= month <= 12:
            raise serializers.ValidationError({"month": [_("月份应在1到12之间。")]})
        if request.query_params.get("as_of") == "published":
            published = selectors.published_result(scheme, month)
            if published is None:
                raise serializers.ValidationError({"as_of": [_("1–{month}月的考核结果尚未发布。").format(month=month)]})
            return Response({"as_of": "published", **published.data})
        return Response({"as_of": "current", **selectors.compute_result(scheme, month).as_json()})

    @extend_schema(request=PublishSerializer, responses={201: PublishedResultSerializer}, summary="Publish (lock)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        scheme = get_scoped_or_404(Scheme, request.user, CHANGE, pk=pk)
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = call_service(
            lambda: services.result_publish(actor=request.user, scheme=scheme, **payload.validated_data)
        )
        return Response(PublishedResultSerializer(result).data, status=status.HTTP_201_CREATED)
