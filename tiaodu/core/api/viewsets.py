"""The base of every API viewset: reads and writes go through the user's scope and the services."""

from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS

from tiaodu.core.scoping import CHANGE, VIEW


class ScopedViewSet(viewsets.GenericViewSet):
    """Objects come from ``Model.objects.restrict(user, action)``: ``view`` for reads, ``change`` for writes.

    An object outside the user's scope is not found (404), exactly like a missing one. Subclasses
    implement ``perform_create``/``perform_update`` by calling a service with ``actor=request.user``.
    """

    queryset = None

    def get_queryset(self):
        action = VIEW if self.request.method in SAFE_METHODS else CHANGE
        return self.queryset.all().restrict(self.request.user, action)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class ScopedModelViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """List, retrieve, create and update. No DELETE: records are withdrawn or dissolved, never erased."""
