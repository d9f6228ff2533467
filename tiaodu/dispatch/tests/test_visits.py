"""Site visits: recording, problems found, the "人次" figures and their drill-downs; scope."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.dispatch import selectors, services
from tiaodu.dispatch.models import SiteVisit
from tiaodu.problems import services as problem_services
from tiaodu.problems.testing import PNG, category
from tiaodu.testing import OfficialFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


@pytest.fixture
def leaders(problem_world):
    w = problem_world
    return OfficialFactory(name="甲市长", region=w.city), OfficialFactory(name="乙副市长", region=w.city)


def _visit(w, leaders, projects, day=None, actor=None, region=None):
    return services.visit_record(
        actor=actor or w.city_admin,
        region=region or w.city,
        date=day or TODAY - datetime.timedelta(days=3),
        leaders=leaders,
        projects=projects,
        notes="现场查看施工进度",
    )


def test_record_refuses_bad_input_and_writes_nothing(problem_world, leaders):
    w = problem_world
    cases = [
        ({"leaders": []}, "请选择调研领导"),
        ({"projects": []}, "请选择调研项目"),
        ({"day": TODAY + datetime.timedelta(days=1)}, "调研日期不能晚于今天"),
        ({"actor": w.admin_a, "region": w.county_a, "projects": [w.project_b]}, "不在本次调研的区划内"),
    ]
    for change, message in cases:
        values = {"leaders": list(leaders), "projects": [w.project_a], **change}
        with pytest.raises(ValidationError) as error:
            _visit(w, **values)
        assert message in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            actor=w.city_admin,
            region=w.city,
            date=TODAY,
            leaders=leaders,
            projects=[w.project_a],
            photos=[SimpleUploadedFile("x.exe", b"MZ")],
        )
    assert "不支持的附件类型" in " ".join(error.value.messages)
    assert SiteVisit.objects.count() == 0


def test_figures_count_person_visits_sites_and_problems_each_equal_to_its_drilldown(problem_world, leaders):
    w = problem_world
    first = _visit(w, leaders, [w.project_a, w.project_b])  # 2 leaders × 1 visit, 2 sites
    _visit(w, leaders[:1], [w.project_a], day=TODAY - datetime.timedelta(days=1))  # 1 person-visit, 1 site
    finding = services.visit_add_problem(
        actor=w.city_admin, visit=first, project=w.project_b, category=category("资金"), description="资金缺口"
    )
    solved = services.visit_add_problem(
        actor=w.city_admin, visit=first, project=w.project_a, category=category("用地"), description="用地未报批"
    ).problem
    solved = problem_services.problem_assign(
        actor=w.city_admin, problem=solved, department=w.department_org, deadline=TODAY
    )
    solved = problem_services.problem_answer(actor=w.department, problem=solved, answer="已报批")
    problem_services.problem_close(actor=w.city_admin, problem=solved)
    with pytest.raises(ValidationError):
        services.visit_add_problem(
            actor=w.city_admin, visit=first, project=w.project_a2, category=category("其他"), description="未调研的项目"
        )
    query = selectors.VisitQuery(start=TODAY - datetime.timedelta(days=30), end=TODAY)
    figures = selectors.visit_figures(w.city_admin, query)
    assert (figures["visits"], figures["person_visits"], figures["project_visits"], figures["projects"]) == (2, 3, 3, 2)
    assert (figures["problems_found"], figures["problems_solved"], str(figures["rate"])) == (2, 1, "50.0")
    for measure in selectors.VISIT_MEASURES:
        assert selectors.visit_rows(w.city_admin, query, measure).count() == figures[measure]
    assert finding.problem.source == "site_visit" and finding.problem.found_on == first.date
    # County A's administrator does not see the city's visits.
    assert selectors.visit_figures(w.admin_a, query)["visits"] == 0
    client = client_for(w.city_admin)
    page = client.get(reverse("dispatch:visit_figures"), {"start": query.start.isoformat()})
    assert "3 人次" in page.content.decode() and page.status_code == 200
    drill = client.get(
        reverse("dispatch:visit_drilldown"), {"start": query.start.isoformat(), "measure": "person_visits"}
    )
    assert drill.status_code == 200 and drill.content.decode().count("甲市长") >= 2
    export = client.get(
        reverse("dispatch:visit_drilldown"),
        {"start": query.start.isoformat(), "measure": "problems_found", "export": "xlsx"},
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 2
    for bad in ({"measure": "x"}, {"start": "2025-02-30", "measure": "visits"}):
        assert client.get(reverse("dispatch:visit_drilldown"), bad).status_code == 400


def test_visit_pages(problem_world, leaders):
    w = problem_world
    client = client_for(w.city_admin)
    assert client.get(reverse("dispatch:visit_add")).status_code == 200
    response = client.post(
        reverse("dispatch:visit_add"),
        {
            "region": w.city.pk,
            "date": TODAY.isoformat(),
            "leaders": [leaders[0].pk],
            "projects": [w.project_a.pk],
            "notes": "调研",
            "photos": [SimpleUploadedFile("现场.png", PNG)],
        },
    )
    visit = SiteVisit.objects.get()
    assert response.status_code == 302
    assert client.get(reverse("dispatch:visit_photo", args=[visit.photos.get().pk])).status_code == 200
    response = client.post(
        reverse("dispatch:visit_problem", args=[visit.pk]),
        {"project": w.project_a.pk, "category": category("施工").pk, "description": "施工便道不通"},
    )
    assert response.status_code == 302
    assert "施工便道不通" in client.get(visit.get_absolute_url()).content.decode()
    assert "施工便道不通" not in client.get(reverse("dispatch:visit_list")).content.decode()
    assert w.project_a.name in client.get(reverse("dispatch:visit_list")).content.decode()
    bad = client.post(reverse("dispatch:visit_add"), {"region": w.city.pk, "date": "x"})
    assert bad.status_code == 400
    other = client_for(w.admin_a)
    for name in ("dispatch:visit_detail", "dispatch:visit_problem"):
        assert other.get(reverse(name, args=[visit.pk])).status_code in (404, 405)
        assert other.post(reverse(name, args=[visit.pk]), {"project": w.project_a.pk}).status_code in (404, 405)
    assert other.get(reverse("dispatch:visit_photo", args=[visit.photos.get().pk])).status_code == 404
