"""Yearly key-project lists: membership per year and level, annual plan, totals, publishing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.projects import selectors, services
from tiaodu.projects.choices import KeyLevel, KeyListStatus, Nature, Sector, Stage
from tiaodu.projects.models import KeyListEntry
from tiaodu.testing import ProjectFactory, admin_of, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_admin():
    return admin_of(region("140400"))


def test_a_project_on_the_provincial_and_the_city_list_in_one_year_and_another_list_next_year(city_admin):
    project = ProjectFactory(actor=city_admin, nature=Nature.NEW, stage=Stage.CONSTRUCTION)
    lists = {
        (year, level): services.key_list_create(actor=city_admin, region=region("140400"), year=year, level=level)
        for year in (2025, 2026)
        for level in (KeyLevel.PROVINCE, KeyLevel.CITY)
    }
    services.key_list_add_project(
        key_list=lists[2025, KeyLevel.PROVINCE], project=project, actor=city_admin, annual_plan=Decimal("8000")
    )
    services.key_list_add_project(
        key_list=lists[2025, KeyLevel.CITY], project=project, actor=city_admin, annual_plan=Decimal("8000")
    )
    entry = services.key_list_add_project(
        key_list=lists[2026, KeyLevel.CITY],
        project=project,
        actor=city_admin,
        annual_plan=Decimal("12000"),
        nature=Nature.CONTINUED,
    )
    assert entry.nature == Nature.CONTINUED
    assert str(lists[2025, KeyLevel.PROVINCE]) == "长治市2025年省级重点工程项目"
    memberships = [
        (e.key_list.year, e.key_list.level, e.annual_plan) for e in selectors.project_memberships(city_admin, project)
    ]
    assert sorted(memberships) == [
        (2025, "city", Decimal("8000.00")),
        (2025, "province", Decimal("8000.00")),
        (2026, "city", Decimal("12000.00")),
    ]
    with pytest.raises(ValidationError):
        services.key_list_add_project(
            key_list=lists[2025, KeyLevel.CITY], project=project, actor=city_admin, annual_plan=Decimal("1")
        )
    with pytest.raises(ValidationError):
        services.key_list_create(actor=city_admin, region=region("140400"), year=2025, level=KeyLevel.CITY)


def test_totals_by_region_and_sector(city_admin):
    key_list = services.key_list_create(actor=city_admin, region=region("140400"), year=2025, level=KeyLevel.CITY)
    specs = [
        ("140427", Sector.INDUSTRY, "10000", "3000"),
        ("140427", Sector.ENERGY, "20000.50", "5000.25"),
        ("140428", Sector.INDUSTRY, "7000", "1000"),
    ]
    for code, sector, total, plan in specs:
        project = ProjectFactory(actor=city_admin, region=region(code), sector=sector, total_investment=Decimal(total))
        services.key_list_add_project(key_list=key_list, project=project, actor=city_admin, annual_plan=Decimal(plan))
    totals = selectors.key_list_totals(city_admin, key_list)
    assert totals["overall"] == {"count": 3, "total_investment": Decimal("37000.50"), "annual_plan": Decimal("9000.25")}
    by_region = {
        r["project__region__code"]: (r["count"], r["total_investment"], r["annual_plan"]) for r in totals["by_region"]
    }
    assert by_region == {
        "140427": (2, Decimal("30000.50"), Decimal("8000.25")),
        "140428": (1, Decimal("7000.00"), Decimal("1000.00")),
    }
    by_sector = {r["project__sector"]: r["count"] for r in totals["by_sector"]}
    assert by_sector == {"industry": 2, "energy": 1}
    # A county administrator sees its own part of the city list only.
    county = selectors.key_list_totals(admin_of(region("140428")), key_list)
    assert county["overall"]["count"] == 1 and county["overall"]["annual_plan"] == Decimal("1000.00")


def test_list_region_bounds_withdrawn_projects_and_publishing(city_admin):
    county_list = services.key_list_create(actor=city_admin, region=region("140427"), year=2025, level=KeyLevel.COUNTY)
    elsewhere = ProjectFactory(actor=city_admin, region=region("140428"))
    with pytest.raises(ValidationError) as excinfo:
        services.key_list_add_project(
            key_list=county_list, project=elsewhere, actor=city_admin, annual_plan=Decimal("1")
        )
    assert "不在壶关县范围内" in str(excinfo.value)
    withdrawn = ProjectFactory(actor=city_admin, stage=Stage.CONSTRUCTION)
    services.project_change_stage(
        project=withdrawn, actor=city_admin, to_stage=Stage.WITHDRAWN, date=withdrawn.actual_start_date, reason="撤销"
    )
    withdrawn.refresh_from_db()
    with pytest.raises(ValidationError):
        services.key_list_add_project(
            key_list=county_list, project=withdrawn, actor=city_admin, annual_plan=Decimal("1")
        )
    with pytest.raises(ValidationError) as excinfo:
        services.key_list_publish(key_list=county_list, actor=city_admin)
    assert "还没有项目" in str(excinfo.value)
    services.key_list_add_project(
        key_list=county_list, project=ProjectFactory(actor=city_admin), actor=city_admin, annual_plan=Decimal("100")
    )
    services.key_list_publish(key_list=county_list, actor=city_admin)
    county_list.refresh_from_db()
    assert county_list.status == KeyListStatus.PUBLISHED and county_list.published_by == city_admin
    with pytest.raises(ValidationError):
        services.key_list_publish(key_list=county_list, actor=city_admin)


def test_key_list_pages(city_admin):
    client = client_for(city_admin)
    response = client.post(
        reverse("projects:keylist_add"), {"region": region("140400").pk, "year": 2026, "level": "province"}
    )
    assert response.status_code == 302
    detail = response["Location"]
    project = ProjectFactory(actor=city_admin, name="长治市抽水蓄能电站")
    response = client.post(detail + "entries/add/", {"project": project.pk, "annual_plan": "-3"})
    assert response.status_code == 400 and "大于或等于0" in response.content.decode()
    response = client.post(detail + "entries/add/", {"project": project.pk, "annual_plan": "45000"})
    assert response.status_code == 302
    body = client.get(detail).content.decode()
    assert "长治市抽水蓄能电站" in body and "45,000.00" in body and "4.50" in body  # 4.50 亿元
    entry = KeyListEntry.objects.get(project=project)
    client.post(
        reverse("projects:keylist_entry_edit", args=[entry.pk]), {"nature": "continued", "annual_plan": "50000"}
    )
    entry.refresh_from_db()
    assert entry.annual_plan == Decimal("50000.00")
    client.post(detail + "publish/")
    assert "已于" in client.get(detail).content.decode()
    client.post(reverse("projects:keylist_entry_remove", args=[entry.pk]))
    assert not KeyListEntry.objects.filter(pk=entry.pk).exists()
    assert KeyListEntry.history.filter(id=entry.pk, history_type="-").exists()
