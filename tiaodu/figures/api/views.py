"""Figures over the API, scoped by the request's user; questions checked by the same form as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.core.api.serializers import require_valid
from tiaodu.core.periods import format_period
from tiaodu.projects.choices import KeyLevel, Sector
from tiaodu.projects.models import KeyListEntry

from .. import series
from ..forms import FigureQueryForm
from ..selectors import RATES, figures, ranking
from .serializers import DrilldownRowSerializer, FiguresSerializer, RankingSerializer

QUERY_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, description="Month, YYYY-MM; default: the last finished month"),
    OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 code; default: the user's top region"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=KeyLevel.values, description="List level; default: all"),
    OpenApiParameter("sector", OpenApiTypes.STR, enum=Sector.values, description="Sector; default: all"),
    OpenApiParameter(
        "own",
        OpenApiTypes.BOOL,
        description="Only the projects filed under the region itself (a city's 市本级), not those of its counties",
    ),
    OpenApiParameter(
        "as_of", OpenApiTypes.STR, enum=["current", "lock"], description="Current figures, or as the month was locked"
    ),
]


def read_query(request) -> FigureQueryForm:
    """The checked question, or the API's 400 with a message per parameter."""
    return require_valid(FigureQueryForm(request.query_params, user=request.user))


class FiguresAPIView(APIView):
    """调度指标: the four rates (numerator, denominator, rate), projects per stage, 同比 — as the CLI prints."""

    @extend_schema(parameters=QUERY_PARAMETERS, responses=FiguresSerializer, summary="The figures of a month")
    def get(self, request):
        form = read_query(request)
        return Response(figures(request.user, form.query).as_json())


class FigureRankingAPIView(APIView):
    """排名: counties and zones on one rate; ties share a rank."""

    @extend_schema(
        parameters=[
            OpenApiParameter("rate", OpenApiTypes.STR, enum=list(RATES), required=True, description="Which rate"),
            *QUERY_PARAMETERS,
        ],
        responses=RankingSerializer,
        summary="Counties and zones ranked on one rate",
    )
    def get(self, request):
        form = read_query(request)
        key = request.query_params.get("rate", "")
        if key not in RATES:
            message = _("“{value}”不是指标：应为 {rates}。").format(value=key[:40], rates="、".join(RATES))
            raise serializers.ValidationError({"rate": [message]})
        rows = ranking(request.user, form.query, key)
        body = {
            "rate": key,
            "label": str(RATES[key].label),
            "period": format_period(form.query.period),
            "results": rows,
        }
        return Response(RankingSerializer(body).data)


class FigureDrilldownAPIView(generics.ListAPIView):
    """指标明细: the rows behind a number (``rate`` and ``part`` as on the drill-down page), paged."""

    serializer_class = DrilldownRowSerializer
    queryset = KeyListEntry.objects.none()  # the rows come from the figure base; this names the model
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "rate",
                OpenApiTypes.STR,
                description="A rate key, stage:<stage>, pool:<pool>, all, reported or lagging; default all",
            ),
            OpenApiParameter(
                "part", OpenApiTypes.STR, enum=["numerator", "denominator"], description="Default numerator"
            ),
            *QUERY_PARAMETERS,
        ],
        summary="The rows behind a figure",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        form = read_query(self.request)
        # A bad key raises Django's ValidationError, which the API's error handler turns into its 400.
        params = self.request.query_params
        key, part = series.parse_drilldown_key(params.get("rate", ""), params.get("part", ""))
        return series.drilldown_rows(self.request.user, form.query, key, part)
