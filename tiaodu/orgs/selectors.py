from django.db.models import Count, Q

from tiaodu.core.scoping import VIEW
from tiaodu.projects.models import Project

from .models import Official, Organisation


def organisation_list(user):
    """Organisations in scope, each with the number of its projects that the user may see."""
    visible_projects = Project.objects.restrict(user, VIEW).values("pk")
    return (
        Organisation.objects.restrict(user, VIEW)
        .select_related("region")
        .annotate(project_count=Count("projects", filter=Q(projects__pk__in=visible_projects)))
    )


def official_list(user):
    return Official.objects.restrict(user, VIEW).select_related("organisation", "region")
