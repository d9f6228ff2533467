"""The registry in the browser's terms: forms, filters, sorting, paging, exports, clear errors."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.projects.choices import Stage
from tiaodu.projects.models import Project
from tiaodu.testing import OfficialFactory, OrganisationFactory, ProjectFactory, admin_of, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return admin_of(region("140427"), username="hg")


@pytest.fixture
def client(admin):
    return client_for(admin)


def form_data(owner, **overrides):
    data = {
        "stage": "planning",
        "name": "壶关县智慧物流园项目",
        "owner": owner.pk,
        "region": region("140427").pk,
        "sector": "services",
        "nature": "new",
        "total_investment": "35000",
    }
    data.update(overrides)
    return data


def test_register_edit_and_move_a_project_through_the_pages(client, admin):
    owner = OrganisationFactory(actor=admin)
    leader = OfficialFactory(region=region("140427"), actor=admin)
    response = client.post(reverse("projects:project_add"), form_data(owner, leader=leader.pk))
    assert response.status_code == 302
    project = Project.objects.get(name="壶关县智慧物流园项目")
    assert project.created_by == admin and project.leader == leader
    response = client.post(
        reverse("projects:project_edit", args=[project.pk]),
        {**form_data(owner), "total_investment": "36000", "change_reason": "设计变更"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert str(project.total_investment) == "36000.00"
    page = client.get(reverse("projects:project_stage", args=[project.pk, "construction"]))
    assert "实际开工日期" in page.content.decode() and "项目代码" in page.content.decode()
    response = client.post(
        reverse("projects:project_stage", args=[project.pk, "construction"]),
        {"date": "2025-05-06", "code": "2025-140427-44-01-009988"},
    )
    assert response.status_code == 302
    body = client.get(project.get_absolute_url()).content.decode()
    assert "在建" in body and "谋划 → 在建" in body and "设计变更" in body and "2025-05-06" in body


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"code": "12345"}, "项目代码应为24位"),
        ({"total_investment": "-1"}, "大于或等于0"),
        ({"total_investment": "abc"}, "输入一个数字"),
        (
            {
                "stage": "construction",
                "code": "2025-140427-44-01-000001",
                "actual_start_date": (local_today() + datetime.timedelta(days=3)).isoformat(),
            },
            "不能晚于今天",
        ),
        ({"stage": "construction", "code": "2025-140427-44-01-000001"}, "实际开工日期"),
        ({"region": 999999}, "选择一个有效的选项"),
        (
            {"planned_start_date": "2026-05-01", "planned_completion_date": "2025-01-01"},
            "计划竣工日期不能早于计划开工日期",
        ),
    ],
)
def test_bad_input_in_the_form_gives_a_clear_message_and_writes_nothing(client, admin, overrides, words):
    owner = OrganisationFactory(actor=admin)
    before = Project.objects.count(), Project.history.count()
    response = client.post(reverse("projects:project_add"), form_data(owner, **overrides))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert (Project.objects.count(), Project.history.count()) == before


def test_duplicate_code_in_the_form(client, admin):
    ProjectFactory(actor=admin, code="2025-140427-44-01-000555")
    owner = OrganisationFactory(actor=admin)
    response = client.post(reverse("projects:project_add"), form_data(owner, code="2025-140427-44-01-000555"))
    assert response.status_code == 400 and "已存在" in response.content.decode()


def test_stage_form_refuses_a_move_without_its_fact(client, admin):
    project = ProjectFactory(actor=admin, stage=Stage.CONSTRUCTION)
    response = client.post(reverse("projects:project_stage", args=[project.pk, "operating"]), {})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    response = client.post(reverse("projects:project_stage", args=[project.pk, "suspended"]), {"date": "2025-01-01"})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    response = client.get(reverse("projects:project_stage", args=[project.pk, "planning"]))
    assert "不能转入" in response.content.decode()
    response = client.post(reverse("projects:project_stage", args=[project.pk, "planning"]), {"date": "2025-01-01"})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION
    assert client.get(reverse("projects:project_stage", args=[project.pk, "nonsense"])).status_code == 404


def test_filters_sorting_paging_and_export(client, admin):
    owner = OrganisationFactory(actor=admin, name="潞安测试集团")
    for n in range(60):
        ProjectFactory(
            actor=admin,
            name=f"批量项目{n:02d}",
            owner=owner,
            total_investment=1000 + n,
            stage=Stage.CONSTRUCTION if n % 2 else Stage.PLANNING,
        )
    url = reverse("projects:project_list")
    page = client.get(url, {"stage": "construction", "sort": "-total_investment"}).content.decode()
    assert "共 30 条" in page
    assert page.index("批量项目59") < page.index("批量项目57")
    page2 = client.get(url, {"page": 2}).content.decode()
    assert "共 60 条" in page2 and "批量项目" in page2
    assert "共 1 条" in client.get(url, {"q": "批量项目07"}).content.decode()
    assert "共 60 条" in client.get(url, {"owner": owner.pk}).content.decode()
    response = client.get(url, {"stage": "construction", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "重点项目库" and rows[1][0] == "序号"
    assert len(rows) == 2 + 30 + 1 and rows[-1][0] == "合计"
    money_col = rows[1].index("总投资（万元）")
    assert rows[-1][money_col] == sum(1000 + n for n in range(60) if n % 2)


def test_list_filters_by_year_and_level_on_the_same_list(client, admin, world):
    # project_a is on the 2025 city list only; project_b on the city and the county list.
    city_client = client_for(world.city_admin)
    url = reverse("projects:project_list")
    body = city_client.get(url, {"year": 2025, "level": "county"}).content.decode()
    assert world.project_b.name in body and world.project_a.name not in body
    body = city_client.get(url, {"year": 2025, "level": "city"}).content.decode()
    assert world.project_b.name in body and world.project_a.name in body
    assert "共 0 条" in city_client.get(url, {"year": 2024}).content.decode()


def test_project_list_query_count_does_not_grow_with_rows(client, admin, django_assert_max_num_queries):
    for _n in range(5):
        ProjectFactory(actor=admin, leader=OfficialFactory(region=region("140427"), actor=admin))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("projects:project_list"))
    for _n in range(40):
        ProjectFactory(actor=admin, leader=OfficialFactory(region=region("140427"), actor=admin))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("projects:project_list"))


def test_detail_page_query_count_is_bounded(client, admin, django_assert_max_num_queries):
    project = ProjectFactory(actor=admin, stage=Stage.OPERATING)
    with django_assert_max_num_queries(25):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_english_is_one_click_away(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    assert response.status_code == 302
    body = client.get("/projects/").content.decode()
    assert 'lang="en"' in body and "Projects" in body


def test_leaders_land_on_the_dashboard(world):
    response = client_for(world.leader).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("figures:dashboard")
    assert client_for(world.admin_a).get("/").status_code == 200
