"""Quarterly inspection tours: weighted criteria, scores within range, project and county rankings, export."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.dispatch import selectors, services
from tiaodu.dispatch.models import InspectionTour, TourScore

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _tour(w, actor=None):
    return services.tour_create(
        actor=actor or w.city_admin,
        region=w.city,
        title="第三季度拉练观摩",
        year=TODAY.year,
        quarter=3,
        date=TODAY,
        projects=[w.project_a, w.project_a2, w.project_b],
        criteria=[("形象进度", Decimal(60), Decimal(100)), ("要素保障", Decimal(40), Decimal(50))],
    )


def _score(w, tour, actor, project, name, value):
    return services.tour_score(
        actor=actor, tour=tour, project=project, criterion=tour.criteria.get(name=name), score=value
    )


def test_create_refuses_bad_input(problem_world):
    w = problem_world
    with pytest.raises(ValidationError) as error:
        services.tour_create(
            actor=w.city_admin, region=w.city, title="x", year=2025, quarter=3, date=TODAY, projects=[], criteria=[]
        )
    assert "请选择观摩项目" in str(error.value) and "请至少设置一个评分项" in str(error.value)
    with pytest.raises(ValidationError):
        services.tour_create(
            actor=w.admin_a,
            region=w.county_a,
            title="x",
            year=2025,
            quarter=3,
            date=TODAY,
            projects=[w.project_b],
            criteria=[("a", Decimal(1), Decimal(10))],
        )
    assert InspectionTour.objects.count() == 0


def test_weighted_scores_rank_projects_and_counties(problem_world):
    w = problem_world
    tour = _tour(w)
    # Two scorers: the averages count; 要素保障 is out of 50.
    _score(w, tour, w.city_admin, w.project_a, "形象进度", "90")
    _score(w, tour, w.leader, w.project_a, "形象进度", "80")
    _score(w, tour, w.city_admin, w.project_a, "要素保障", "40")
    _score(w, tour, w.city_admin, w.project_b, "形象进度", "95")
    _score(w, tour, w.city_admin, w.project_b, "要素保障", "50")
    _score(w, tour, w.city_admin, w.project_a2, "形象进度", "60")
    _score(w, tour, w.city_admin, w.project_a2, "要素保障", "20")
    _score(w, tour, w.city_admin, w.project_a, "形象进度", "90")  # scoring again replaces, not adds
    results, counties = selectors.tour_results(tour, w.city_admin)
    by_name = {r.project.name: r for r in results}
    # A: 60×85/100 + 40×40/50 = 51 + 32 = 83; B: 57 + 40 = 97; A2: 36 + 16 = 52
    assert by_name[w.project_a.name].total == Decimal("83.00")
    assert by_name[w.project_b.name].total == Decimal("97.00")
    assert by_name[w.project_a2.name].total == Decimal("52.00")
    assert [r.rank for r in results] == [1, 2, 3] and results[0].project == w.project_b
    assert [(row["region"], row["average"], row["rank"]) for row in counties] == [
        (w.county_b, Decimal("97.00"), 1),
        (w.county_a, Decimal("67.50"), 2),
    ]
    assert TourScore.objects.filter(scorer=w.city_admin, project=w.project_a).count() == 2


def test_a_score_outside_the_range_is_refused(problem_world):
    w = problem_world
    tour = _tour(w)
    for value, message in (
        ("51", "得分应在 0 到 50 之间"),
        ("-1", "得分应在 0 到 50 之间"),
        ("abc", "得分应为数字"),
        ("NaN", "得分应为数字"),
    ):
        with pytest.raises(ValidationError) as error:
            _score(w, tour, w.city_admin, w.project_a, "要素保障", value)
        assert message in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        _score(w, tour, w.admin_a, w.project_a, "要素保障", "10")  # the city's tour is not A's
    assert not TourScore.objects.exists()


def test_tour_pages_score_sheet_results_and_export(problem_world):
    w = problem_world
    client = client_for(w.city_admin)
    response = client.post(
        reverse("dispatch:tour_add"),
        {
            "region": w.city.pk,
            "title": "第四季度拉练观摩",
            "year": TODAY.year,
            "quarter": 4,
            "date": TODAY.isoformat(),
            "projects": [w.project_a.pk, w.project_b.pk],
            "criteria": "形象进度,70,100\n要素保障,30",
        },
    )
    tour = InspectionTour.objects.get()
    assert response.status_code == 302
    bad = client.post(reverse("dispatch:tour_add"), {"region": w.city.pk, "criteria": "形象进度,abc"})
    assert bad.status_code == 400 and "应为“名称,权重,满分”" in bad.content.decode()
    criteria = {c.name: c for c in tour.criteria.all()}
    sheet = {
        f"score-{w.project_a.pk}-{criteria['形象进度'].pk}": "80",
        f"score-{w.project_a.pk}-{criteria['要素保障'].pk}": "90",
        f"score-{w.project_b.pk}-{criteria['形象进度'].pk}": "200",  # out of range: nothing of the sheet is saved
    }
    response = client.post(reverse("dispatch:tour_score", args=[tour.pk]), sheet)
    assert response.status_code == 400 and "得分应在 0 到 100 之间" in response.content.decode()
    assert not TourScore.objects.exists()
    sheet[f"score-{w.project_b.pk}-{criteria['形象进度'].pk}"] = "70"
    assert client.post(reverse("dispatch:tour_score", args=[tour.pk]), sheet).status_code == 302
    assert TourScore.objects.count() == 3
    page = client.get(tour.get_absolute_url())
    assert "83.00" in page.content.decode()  # A: 70×0.8 + 30×0.9 = 83
    export = client.get(tour.get_absolute_url(), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "排名", "项目", "所在区划") and rows[2][2] == w.project_a.name
    other = client_for(w.admin_a)
    assert other.get(tour.get_absolute_url()).status_code == 404
    assert other.post(reverse("dispatch:tour_score", args=[tour.pk]), sheet).status_code == 404
