from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service, require_valid
from tiaodu.core.api.viewsets import ScopedModelViewSet
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404
from tiaodu.ledgers.api import ImportFileSerializer, import_response
from tiaodu.ledgers.choices import ImportKind
from tiaodu.problems.models import ProblemCategory

from .. import selectors, services
from ..filtersets import LeadFilterSet
from ..forms import AlarmFilterForm, FigureQueryForm
from ..models import AlarmRule, AttractionTeam, Lead
from .serializers import (
    AdvanceSerializer,
    AlarmProblemSerializer,
    AlarmRuleSerializer,
    AlarmSerializer,
    AttractionFiguresSerializer,
    FundsInputSerializer,
    LeadEventSerializer,
    LeadSerializer,
    ProjectLinkSerializer,
    SignSerializer,
    TeamSerializer,
    TerminateSerializer,
)


class AttractionTeamViewSet(ScopedModelViewSet):
    """招商专班 in the user's scope."""

    queryset = AttractionTeam.objects.select_related("region")
    serializer_class = TeamSerializer
    filter_backends = [OrderingFilter]
    ordering = ["region__code", "name"]


class LeadViewSet(ScopedModelViewSet):
    """招商项目 (leads) in the user's scope.

    POST registers a lead (线索); PATCH edits its own data. The workflow verbs: ``advance`` (推进阶段,
    with the data each stage reached needs: the signing amount for 签约, the company for 落地),
    ``sign`` (签约 or 增资), ``funds`` (到位资金), ``project`` (create or link the registry project of a
    landed lead), ``sync`` (bring 开工/投产/达产 from the linked project), ``terminate`` (终止).
    """

    queryset = Lead.objects.select_related(*selectors.RELATED).prefetch_related("signings", "funds")
    serializer_class = LeadSerializer
    filterset_class = LeadFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["registered_on", "signed_on", "intended_investment", "id"]
    ordering = ["-registered_on", "-id"]

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        summary="Import an attraction ledger (招商项目台账 导入), all rows or none",
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request):
        payload = ImportFileSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return import_response(request, ImportKind.LEADS, payload.validated_data)

    def _lead(self, pk) -> Lead:
        return get_scoped_or_404(Lead.objects.select_related("region"), self.request.user, CHANGE, pk=pk)

    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return dict(payload.validated_data)

    def _answer(self, lead, code=status.HTTP_200_OK) -> Response:
        fresh = self.queryset.get(pk=lead.pk)
        return Response(LeadSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=AdvanceSerializer, responses={200: LeadSerializer}, summary="Move forward (推进阶段)")
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        lead = self._lead(pk)
        data = self._payload(AdvanceSerializer)
        to_stage, on, comment = data.pop("to_stage"), data.pop("on", None), data.pop("comment", "")
        call_service(
            lambda: services.lead_advance(
                actor=request.user, lead=lead, to_stage=to_stage, on=on, comment=comment, **data
            )
        )
        return self._answer(lead)

    @extend_schema(request=SignSerializer, responses={200: LeadSerializer}, summary="Record a signing or 增资 (签约)")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        lead = self._lead(pk)
        data = self._payload(SignSerializer)
        call_service(lambda: services.lead_sign(actor=request.user, lead=lead, **data))
        return self._answer(lead)

    @extend_schema(request=FundsInputSerializer, responses={200: LeadSerializer}, summary="Funds in place (到位资金)")
    @action(detail=True, methods=["post"])
    def funds(self, request, pk=None):
        lead = self._lead(pk)
        data = self._payload(FundsInputSerializer)
        call_service(lambda: services.lead_add_funds(actor=request.user, lead=lead, **data))
        return self._answer(lead)

    @extend_schema(
        request=ProjectLinkSerializer,
        responses={200: LeadSerializer},
        summary="Create (or link) the registry project of a landed lead (转入项目库)",
    )
    @action(detail=True, methods=["post"])
    def project(self, request, pk=None):
        lead = self._lead(pk)
        data = self._payload(ProjectLinkSerializer)
        if data.get("project") is not None:
            call_service(lambda: services.lead_link_project(actor=request.user, lead=lead, project=data["project"]))
        else:
            call_service(
                lambda: services.lead_create_project(actor=request.user, lead=lead, code=data.get("code") or None)
            )
        return self._answer(lead)

    @extend_schema(request=None, responses={200: LeadSerializer}, summary="Bring 开工/投产/达产 from the project")
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        lead = self._lead(pk)
        call_service(lambda: services.lead_sync_from_project(actor=request.user, lead=lead))
        return self._answer(lead)

    @extend_schema(request=TerminateSerializer, responses={200: LeadSerializer}, summary="Terminate (终止)")
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        lead = self._lead(pk)
        data = self._payload(TerminateSerializer)
        call_service(lambda: services.lead_terminate(actor=request.user, lead=lead, **data))
        return self._answer(lead)

    @extend_schema(responses={200: LeadEventSerializer(many=True)}, summary="The workflow steps, oldest first")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        lead = get_scoped_or_404(Lead, request.user, VIEW, pk=pk)
        return Response(LeadEventSerializer(selectors.lead_events(lead), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="Period start; default 1 January"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Period end; default today"),
            OpenApiParameter("region", OpenApiTypes.STR, description="GB/T 2260 code; default everything in scope"),
        ],
        responses={200: AttractionFiguresSerializer},
        summary="Leads, signed count and amount, landing and start rates, funds in place; per county, sector, "
        "chain and team, ranked",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        form = FigureQueryForm(request.query_params or None, user=request.user)
        if request.query_params:
            require_valid(form)
            data = form.cleaned_data
        else:
            start, end = FigureQueryForm.defaults()
            data = {"start": start, "end": end, "region": None}
        query = selectors.AttractionQuery(start=data["start"], end=data["end"], region=data.get("region"))
        return Response(
            {
                "start": query.start,
                "end": query.end,
                "totals": selectors.figure_totals(request.user, query),
                **{f"by_{g}": selectors.figure_table(request.user, query, g) for g in selectors.GROUPS},
                "landed_series": selectors.landed_series(request.user, query),
            }
        )


class AlarmRuleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """三未预警规则 of the cities of the user's leads (made with the three defaults on first use).

    Kept by city administrators: a write by anyone else is a 400 naming why.
    """

    serializer_class = AlarmRuleSerializer
    queryset = AlarmRule.objects.none()

    def get_queryset(self):
        return selectors.rules_for(self.request.user, active_only=False)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context


class AlarmViewSet(viewsets.GenericViewSet):
    """三未预警: every lead in alarm (computed, not stored), most days outstanding first; filter by
    ``rule``, ``region`` (id) or ``team``. POST ``to-problem`` turns one into an assigned ledger problem."""

    serializer_class = AlarmSerializer
    queryset = Lead.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("rule", OpenApiTypes.INT),
            OpenApiParameter("region", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
        ],
        responses={200: AlarmSerializer(many=True)},
    )
    def list(self, request):
        today = local_today()
        rules = selectors.rules_for(request.user)
        form = (
            require_valid(AlarmFilterForm(request.query_params or None, user=request.user, rules=rules))
            if (request.query_params.keys() - {"page", "page_size"})
            else None
        )
        data = form.cleaned_data if form is not None else {}
        alarm_filter = selectors.AlarmFilter(rule=data.get("rule"), region=data.get("region"), team=data.get("team"))
        rows = selectors.alarm_rows(request.user, today, alarm_filter)
        page = self.paginate_queryset(rows)
        alarms = selectors.hydrate_alarms(page, {r.pk: r for r in rules}, today)
        return self.get_paginated_response(AlarmSerializer(alarms, many=True).data)

    @extend_schema(request=AlarmProblemSerializer, responses={201: None}, summary="Turn an alarm into a problem")
    @action(detail=False, methods=["post"], url_path="to-problem", url_name="to-problem")
    def to_problem(self, request):
        payload = AlarmProblemSerializer(data=request.data, context={"user": request.user, "request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        lead = get_scoped_or_404(Lead, request.user, CHANGE, pk=data.pop("lead"))
        rule = selectors.rules_for(request.user).filter(pk=data.pop("rule")).first()
        category = ProblemCategory.objects.filter(pk=data.pop("category"), is_active=True).first()
        if rule is None or category is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"rule" if rule is None else "category": [_("不存在。")]})
        problem = call_service(
            lambda: services.alarm_to_problem(actor=request.user, lead=lead, rule=rule, category=category, **data)
        )
        return Response({"problem": problem.pk, "number": problem.number}, status=status.HTTP_201_CREATED)
