"""The chains API: chains, segments, enterprises, output and projects in the user's scope, plus the map."""

from django.db.models import Count
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service
from tiaodu.core.api.viewsets import ScopedModelViewSet
from tiaodu.core.scoping import CHANGE, VIEW, get_scoped_or_404
from tiaodu.ledgers.api import ImportFileSerializer, import_response
from tiaodu.ledgers.choices import ImportKind

from .. import selectors, services
from ..models import Chain, ChainProject, Member, Output, Segment
from .serializers import (
    ChainMapSerializer,
    ChainProjectSerializer,
    ChainSerializer,
    MemberSerializer,
    OutputSerializer,
    ReorderSerializer,
    SegmentSerializer,
)


class ChainViewSet(ScopedModelViewSet):
    """产业链 in the user's scope. ``map`` gives the chain map (segments, enterprises, projects, gaps);
    ``reorder`` sets the order of all its segments."""

    queryset = Chain.objects.select_related("region").prefetch_related("segments")
    serializer_class = ChainSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["region", "name"]

    @extend_schema(responses=ChainMapSerializer)
    @action(detail=True, methods=["get"])
    def map(self, request, pk=None):
        chain = get_scoped_or_404(Chain, request.user, VIEW, pk=pk)
        return Response(selectors.map_data(chain, request.user))

    @extend_schema(request=ReorderSerializer, responses=SegmentSerializer(many=True))
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        chain = get_scoped_or_404(Chain, request.user, CHANGE, pk=pk)
        payload = ReorderSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        segments = call_service(
            lambda: services.segments_reorder(actor=request.user, chain=chain, order=payload.validated_data["order"])
        )
        return Response(SegmentSerializer(segments, many=True, context=self.get_serializer_context()).data)


class DestroyViaService(mixins.DestroyModelMixin):
    remove = None

    def perform_destroy(self, instance):
        call_service(lambda: type(self).remove(actor=self.request.user, obj=instance))


class SegmentViewSet(DestroyViaService, ScopedModelViewSet):
    """环节 of the chains in scope. DELETE refuses a segment that still holds enterprises or projects."""

    # A grouped query drops Meta.ordering: ordered again, for stable pages.
    queryset = (
        Segment.objects.select_related("chain").annotate(member_count=Count("members")).order_by("chain", "position")
    )
    serializer_class = SegmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["chain"]

    @staticmethod
    def remove(*, actor, obj):
        services.segment_remove(actor=actor, segment=obj)


class MemberImportSerializer(ImportFileSerializer):
    chain = serializers.IntegerField(
        required=False, allow_null=True, help_text="The chain of a one-chain list; else the file has a 产业链 column"
    )


class MemberViewSet(DestroyViaService, ScopedModelViewSet):
    """链上企业. PATCH ``segment`` moves the enterprise within its chain; DELETE takes it out of the chain."""

    queryset = Member.objects.select_related("organisation", "segment", "chain")
    serializer_class = MemberSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["chain", "segment", "role", "organisation"]

    @staticmethod
    def remove(*, actor, obj):
        services.member_remove(actor=actor, member=obj)

    @extend_schema(
        request={"multipart/form-data": MemberImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        summary="Import a list of chain enterprises (链上企业名单 导入), all rows or none",
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request):
        payload = MemberImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        chain = payload.validated_data.get("chain")
        if chain is not None:
            get_scoped_or_404(Chain, request.user, VIEW, pk=chain)
        options = {"chain": chain} if chain is not None else {}
        return import_response(request, ImportKind.ENTERPRISES, payload.validated_data, options=options)


class OutputViewSet(DestroyViaService, ScopedModelViewSet):
    """产值 per chain and year (万元)."""

    queryset = Output.objects.select_related("chain")
    serializer_class = OutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["chain", "year"]

    @staticmethod
    def remove(*, actor, obj):
        services.output_remove(actor=actor, output=obj)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        output = serializer.save()
        return Response(self.get_serializer(output).data, status=status.HTTP_201_CREATED)


class ChainProjectViewSet(DestroyViaService, ScopedModelViewSet):
    """Projects linked to chains. DELETE unlinks (the project itself stays in the registry)."""

    queryset = ChainProject.objects.select_related("project", "segment", "chain")
    serializer_class = ChainProjectSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["chain", "segment", "project"]

    @staticmethod
    def remove(*, actor, obj):
        services.project_unlink(actor=actor, link=obj)
