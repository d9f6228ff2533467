from rest_framework.permissions import BasePermission


class ScopedPermission(BasePermission):
    """Requires a logged-in, active user; *what* they may touch is decided by the scoped queryset.

    Scoped viewsets fetch objects from ``Model.objects.restrict(user, action)``, so an object
    outside the user's scope is simply not found (404), the same as a missing one.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
