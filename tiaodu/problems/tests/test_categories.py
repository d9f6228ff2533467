"""Problem categories: kept by city administrators; a deactivated one is offered nowhere and refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.forms import ProblemForm
from tiaodu.problems.models import ProblemCategory
from tiaodu.problems.testing import category

pytestmark = pytest.mark.django_db


def test_city_admin_adds_and_deactivates(problem_world):
    w = problem_world
    client = client_for(w.city_admin)
    response = client.post(
        reverse("problems:categories"), {"name": "固废", "group": "environment", "sort_order": 70, "is_active": "on"}
    )
    assert response.status_code == 302
    added = ProblemCategory.objects.get(name="固废")
    assert added.is_active and added.history.first().history_user == w.city_admin
    duplicate = client.post(reverse("problems:categories"), {"name": "用地", "group": "project", "sort_order": 1})
    assert duplicate.status_code == 400
    land = category("用地")
    client.post(
        reverse("problems:categories"), {"category": land.pk, "name": "用地", "group": "project", "sort_order": 10}
    )
    land.refresh_from_db()
    assert not land.is_active
    assert land not in ProblemForm(user=w.admin_a).fields["category"].queryset
    with pytest.raises(ValidationError) as error:
        services.problem_record(
            actor=w.admin_a, source=ProblemSource.MEETING, category=land, description="x", project=w.project_a
        )
    assert "该问题类别已停用" in " ".join(error.value.messages)


def test_county_admins_and_departments_only_read(problem_world):
    w = problem_world
    for user in (w.admin_a, w.dept_a, w.leader):
        client = client_for(user)
        page = client.get(reverse("problems:categories"))
        assert page.status_code == 200 and 'data-testid="category-form"' not in page.content.decode()
        assert client.post(reverse("problems:categories"), {"name": "越权", "group": "project"}).status_code == 404
    assert not ProblemCategory.objects.filter(name="越权").exists()
    with pytest.raises(ValidationError):
        services.category_save(actor=w.admin_a, name="越权", group="project")
