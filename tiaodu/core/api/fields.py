from rest_framework import serializers

from tiaodu.core.scoping import VIEW


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that accepts only objects the requesting user may act on (``view`` by default).

    An id outside the user's scope is answered exactly like an id that does not exist.
    """

    def __init__(self, *, action: str = VIEW, **kwargs):
        self.scope_action = action
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        return queryset.restrict(user, self.scope_action)


class ScopedRegionField(ScopedPrimaryKeyRelatedField):
    """A region given by its six-digit code (``140427``) rather than an internal id."""

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        try:
            return queryset.get(code=str(data))
        except (queryset.model.DoesNotExist, TypeError, ValueError):
            self.fail("does_not_exist", pk_value=data)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return value.code
