"""Dispatch meetings: schedule, proposed agenda, decisions, tasks on the spot (ledger problems), minutes,
the last meeting's tasks; scope."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.dispatch import selectors, services
from tiaodu.dispatch.choices import AgendaReason, MeetingKind
from tiaodu.dispatch.models import AgendaItem, Meeting, MeetingTask
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemSource, ProblemStatus
from tiaodu.problems.testing import category
from tiaodu.testing import OfficialFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _meeting(w, actor=None, region=None, date=None, **kwargs):
    return services.meeting_schedule(
        actor=actor or w.city_admin,
        region=region or w.city,
        title=kwargs.pop("title", "全市重点项目周调度会"),
        date=date or TODAY,
        kind=MeetingKind.WEEKLY,
        level="city",
        attendees=[w.department_org],
        **kwargs,
    )


def test_schedule_is_scoped(problem_world):
    w = problem_world
    meeting = _meeting(w, chair=OfficialFactory(name="主持人", region=w.city))
    assert list(meeting.attendees.all()) == [w.department_org]
    with pytest.raises(ValidationError) as error:
        _meeting(w, actor=w.admin_a)  # a county cannot convene the city's meeting
    assert "无权" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        _meeting(w, actor=w.admin_a, region=w.county_a, chair=w.official_b)
    assert Meeting.objects.count() == 1


def test_proposed_agenda_lists_overdue_escalated_and_late_reporters(problem_world):
    w = problem_world
    escalated = problem_services.problem_escalate(actor=w.admin_a, problem=w.problem_a, reason="跨县协调")
    meeting = _meeting(w)
    proposals = {p.project.pk: p.reasons for p in selectors.propose_agenda(meeting, w.city_admin, TODAY)}
    assert AgendaReason.OVERDUE in proposals[w.project_b.pk]  # B's problem was due 2025-07-01
    assert AgendaReason.ESCALATED in proposals[escalated.project_id]
    services.agenda_add(actor=w.city_admin, meeting=meeting, project=w.project_b, reason=AgendaReason.OVERDUE)
    proposals = {p.project.pk for p in selectors.propose_agenda(meeting, w.city_admin, TODAY)}
    assert w.project_b.pk not in proposals  # already on the agenda
    county = _meeting(w, actor=w.admin_a, region=w.county_a, title="壶关县周调度会")
    assert w.project_b.pk not in {p.project.pk for p in selectors.propose_agenda(county, w.admin_a, TODAY)}


def test_decisions_and_tasks_on_the_spot_become_assigned_problems(problem_world):
    w = problem_world
    meeting = _meeting(w)
    item = services.agenda_add(actor=w.city_admin, meeting=meeting, project=w.project_a)
    with pytest.raises(ValidationError):
        services.agenda_add(actor=w.city_admin, meeting=meeting, project=w.project_a)
    with pytest.raises(ValidationError) as error:
        services.agenda_record_decisions(actor=w.city_admin, item=item, decisions=" ")
    assert "请填写议定事项" in " ".join(error.value.messages)
    item = services.agenda_record_decisions(actor=w.city_admin, item=item, decisions="由市自然资源局牵头解决用地指标")
    task = services.meeting_assign_task(
        actor=w.city_admin,
        meeting=meeting,
        item=item,
        project=None,
        category=category("用地"),
        description="10日内完成用地预审",
        department=w.department_org,
        deadline=TODAY + datetime.timedelta(days=10),
    )
    problem = task.problem
    assert problem.project == w.project_a and problem.source == ProblemSource.MEETING
    assert problem.status == ProblemStatus.ASSIGNED and problem.level == "city" and problem.found_on == meeting.date
    assert problem.department == w.department_org
    with pytest.raises(ValidationError) as error:
        services.meeting_assign_task(
            actor=w.city_admin,
            meeting=meeting,
            item=item,
            project=None,
            category=category("用地"),
            description="时限早于会议",
            department=w.department_org,
            deadline=meeting.date - datetime.timedelta(days=1),
        )
    assert "办理时限不能早于发现日期" in " ".join(error.value.messages)
    assert MeetingTask.objects.count() == 1


def test_next_meeting_shows_last_meetings_tasks_and_minutes_docx(problem_world):
    w = problem_world
    first = _meeting(w, date=TODAY - datetime.timedelta(days=7), title="第一次周调度会")
    item = services.agenda_add(actor=w.city_admin, meeting=first, project=w.project_b, reason=AgendaReason.OVERDUE)
    services.agenda_record_decisions(actor=w.city_admin, item=item, decisions="限期落实配套资金")
    task = services.meeting_assign_task(
        actor=w.city_admin,
        meeting=first,
        item=item,
        project=None,
        category=category("资金"),
        description="落实配套资金",
        department=w.department_org,
        deadline=TODAY + datetime.timedelta(days=3),
    )
    second = _meeting(w, title="第二次周调度会")
    assert services.previous_meeting(second, w.city_admin) == first
    client = client_for(w.city_admin)
    page = client.get(reverse("dispatch:meeting_detail", args=[second.pk]))
    assert page.status_code == 200
    assert task.problem.number in page.content.decode() and "上次会议交办事项办理情况" in page.content.decode()
    response = client.get(reverse("dispatch:minutes", args=[first.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第一次周调度会会议纪要" in text and "限期落实配套资金" in text and w.department_org.name in text
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][1:4] == [task.problem.number, w.project_b.name, "落实配套资金"]


def test_meeting_pages_chain(problem_world):
    w = problem_world
    client = client_for(w.city_admin)
    response = client.post(
        reverse("dispatch:meeting_add"),
        {"region": w.city.pk, "title": "周调度会", "kind": "weekly", "level": "city", "date": TODAY.isoformat()},
    )
    meeting = Meeting.objects.get(title="周调度会")
    assert response.status_code == 302
    detail = reverse("dispatch:meeting_detail", args=[meeting.pk])
    assert 'data-testid="proposals"' in client.get(detail).content.decode()
    client.post(reverse("dispatch:agenda_proposed", args=[meeting.pk]), {"project": [w.project_b.pk]})
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.project == w.project_b and item.reason == AgendaReason.OVERDUE
    client.post(reverse("dispatch:decisions", args=[meeting.pk, item.pk]), {"decisions": "市财政局限期拨付"})
    response = client.post(
        reverse("dispatch:task_add", args=[meeting.pk]),
        {
            "item": item.pk,
            "category": category("资金").pk,
            "description": "拨付配套资金",
            "department": w.department_org.pk,
            "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("dispatch:task_add", args=[meeting.pk]),
        {"category": category("资金").pk, "description": "x", "department": w.department_org.pk, "deadline": "nope"},
    )
    assert bad.status_code == 400
    assert client.post(reverse("dispatch:meeting_held", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.tasks.count() == 1
    body = client.get(detail).content.decode()
    assert "拨付配套资金" in body and "市财政局限期拨付" in body


def test_another_county_cannot_see_or_change_the_citys_meeting(problem_world):
    w = problem_world
    meeting = _meeting(w)
    item = services.agenda_add(actor=w.city_admin, meeting=meeting, project=w.project_b)
    client = client_for(w.admin_a)
    for name, args in [
        ("dispatch:meeting_detail", [meeting.pk]),
        ("dispatch:minutes", [meeting.pk]),
        ("dispatch:agenda_add", [meeting.pk]),
        ("dispatch:agenda_proposed", [meeting.pk]),
        ("dispatch:decisions", [meeting.pk, item.pk]),
        ("dispatch:task_add", [meeting.pk]),
        ("dispatch:meeting_held", [meeting.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code in (404, 405)
        response = client.post(reverse(name, args=args), {"decisions": "x", "project": w.project_a.pk})
        assert response.status_code in (404, 405)
    assert meeting.title not in client.get(reverse("dispatch:meeting_list")).content.decode()
    assert client.get(reverse("dispatch:meeting_add")).status_code == 200  # A may convene its own county's
    item.refresh_from_db()
    assert item.decisions == ""
