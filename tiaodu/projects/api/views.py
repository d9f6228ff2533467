from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service
from tiaodu.core.api.viewsets import ScopedModelViewSet
from tiaodu.core.scoping import CHANGE, get_scoped_or_404

from .. import selectors, services
from ..filtersets import KeyListEntryFilterSet, KeyListFilterSet, ProjectFilterSet
from ..models import KeyList, KeyListEntry, Project
from .serializers import (
    HistoryItemSerializer,
    KeyListEntrySerializer,
    KeyListSerializer,
    KeyListTotalsSerializer,
    ProjectSerializer,
    StageChangeSerializer,
    StageTransitionSerializer,
)


class ProjectViewSet(ScopedModelViewSet):
    """Key projects (重点项目) in the user's scope. Money in 万元 as decimal strings; regions by GB/T 2260 code."""

    queryset = Project.objects.select_related("region", "owner", "leader", "responsible_department")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["name", "code", "total_investment", "actual_start_date", "region__code", "stage"]
    ordering = ["region__code", "name"]

    @extend_schema(
        request=StageChangeSerializer,
        responses={201: StageTransitionSerializer},
        summary="Move the project to another stage, with the dated fact that justifies it",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = get_scoped_or_404(Project, request.user, CHANGE, pk=pk)
        payload = StageChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        move = call_service(
            lambda: services.project_change_stage(
                project=project,
                actor=request.user,
                to_stage=data["to_stage"],
                date=data["date"],
                reason=data.get("reason", ""),
                code=data.get("code") or None,
            )
        )
        return Response(StageTransitionSerializer(move).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: StageTransitionSerializer(many=True)}, summary="The project's stage moves")
    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        project = self.get_object()
        return Response(StageTransitionSerializer(project.transitions.select_related("actor"), many=True).data)

    @extend_schema(
        responses={200: HistoryItemSerializer(many=True)},
        summary="Everything that happened to the project: field edits, stage moves, list changes",
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        project = self.get_object()
        return Response(HistoryItemSerializer(selectors.project_history(project), many=True).data)


class KeyListViewSet(ScopedModelViewSet):
    """Yearly key-project lists (重点项目名单) per region and level."""

    queryset = KeyList.objects.select_related("region", "published_by")
    serializer_class = KeyListSerializer
    filterset_class = KeyListFilterSet
    ordering = ["-year", "level"]

    @extend_schema(request=None, responses={200: KeyListSerializer}, summary="Publish the list (发布名单)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        key_list = get_scoped_or_404(KeyList, request.user, CHANGE, pk=pk)
        call_service(lambda: services.key_list_publish(key_list=key_list, actor=request.user))
        key_list.refresh_from_db()
        return Response(KeyListSerializer(key_list, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={200: KeyListTotalsSerializer},
        summary="Count, total investment and annual plan, overall, by region and by sector",
    )
    @action(detail=True, methods=["get"])
    def totals(self, request, pk=None):
        key_list = self.get_object()
        totals = selectors.key_list_totals(request.user, key_list)
        body = {
            **totals["overall"],
            "by_region": [
                {"key": r["project__region__code"], "label": r["project__region__name"], **_sums(r)}
                for r in totals["by_region"]
            ],
            "by_sector": [{"key": r["project__sector"], "label": r["label"], **_sums(r)} for r in totals["by_sector"]],
        }
        return Response(KeyListTotalsSerializer(body).data)


def _sums(row: dict) -> dict:
    return {"count": row["count"], "total_investment": row["total_investment"], "annual_plan": row["annual_plan"]}


class KeyListEntryViewSet(mixins.DestroyModelMixin, ScopedModelViewSet):
    """Projects on a list with their annual planned investment. DELETE removes a project from the list."""

    queryset = KeyListEntry.objects.select_related("key_list", "project")
    serializer_class = KeyListEntrySerializer
    filterset_class = KeyListEntryFilterSet
    ordering = ["key_list", "project__name"]

    def perform_destroy(self, instance):
        call_service(lambda: services.key_list_remove_entry(entry=instance, actor=self.request.user))
