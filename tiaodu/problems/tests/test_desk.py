"""The leader's desk: a 包联 leader's projects with progress and problem counts, within the user's scope."""

import pytest
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems import desk
from tiaodu.testing import OfficialFactory, region

pytestmark = pytest.mark.django_db


def test_desk_lists_the_officials_projects_with_problem_counts(problem_world):
    w = problem_world
    client = client_for(w.leader)
    response = client.get(reverse("problems:desk"), {"official": w.official_b.pk})
    assert response.status_code == 200
    projects = response.context["projects"]
    assert [p.name for p in projects] == [w.project_b.name]
    # B's problem was due on 2025-07-01 and is not closed: open and overdue.
    assert (projects[0].open_problems, projects[0].overdue_problems) == (1, 1)
    assert 'data-testid="overdue"' in response.content.decode()
    rows = list(desk.desk_projects(w.leader, w.official_b, local_today()))
    assert rows[0].annual_plan is None or rows[0].annual_plan >= 0


def test_desk_of_another_countys_official_is_404(problem_world):
    w = problem_world
    client = client_for(w.admin_a)
    assert client.get(reverse("problems:desk"), {"official": w.official_b.pk}).status_code == 404
    assert client.get(reverse("problems:desk"), {"official": "abc"}).status_code == 404
    body = client.get(reverse("problems:desk")).content.decode()
    assert w.official_b.name not in body and w.project_b.name not in body


def test_a_leader_linked_to_an_official_lands_on_their_own_desk(problem_world):
    w = problem_world
    own = OfficialFactory(name="甲副市长", region=region("140400"), user=w.leader)
    response = client_for(w.leader).get(reverse("problems:desk"))
    assert response.status_code == 200 and response.context["official"] == own
    assert response.context["projects"] == []


def test_completion_rounds_half_up():
    from decimal import Decimal

    assert desk.completion(Decimal("1038"), Decimal("1141")) == Decimal("91.0")
    assert desk.completion(Decimal("5"), None) is None


def test_desk_shows_the_next_meeting_with_the_leaders_project(problem_world):
    import datetime

    from tiaodu.dispatch import services as dispatch_services

    w = problem_world
    meeting = dispatch_services.meeting_schedule(
        actor=w.city_admin,
        region=w.city,
        title="下周调度会",
        date=local_today() + datetime.timedelta(days=7),
        kind="weekly",
        level="city",
    )
    dispatch_services.agenda_add(actor=w.city_admin, meeting=meeting, project=w.project_b)
    response = client_for(w.leader).get(reverse("problems:desk"), {"official": w.official_b.pk})
    assert response.context["next_meeting"] == meeting and "下周调度会" in response.content.decode()
