"""Importing a year's key-project list: create, update, unchanged; every error at once; nothing half-written."""

from decimal import Decimal

import pytest
from django.apps import apps

from tiaodu.ledgers.importers import import_projects
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.projects.models import KeyList, KeyListEntry, Project
from tiaodu.testing import make_project_code

from . import builders

HEADER = [
    "序号",
    "项目代码",
    "项目名称",
    "所在县区",
    "建设单位",
    "行业类别",
    "建设性质",
    "总投资（亿元）",
    "年度计划投资",
    "计划开工日期",
]


def ledger(*rows, title="壶关县2025年县级重点项目表"):
    return builders.xlsx([[title], ["单位：万元"], HEADER, *rows], merges=[(0, 0, 0, len(HEADER) - 1)])


def _counts():
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"projects", "orgs", "reports"}
    }


ROW1 = [1, None, "壶关县导入新材料项目", "壶关县", "壶关导入材料有限公司", "产业/工业", "新建", 1.2, 3000, "2025年4月"]
ROW2 = [2, None, "壶关县导入文旅项目", "壶关", "壶关导入文旅有限公司", "文旅", "续建", "0.5", "1,500", "2025.6"]


@pytest.mark.django_db
def test_preview_then_import_then_reimport(world):
    content = ledger(ROW1, ROW2, ["合计", None, None, None, None, None, None, 1.7, 4500, None])
    before = _counts()
    preview = import_projects(
        actor=world.admin_a, content=content, filename="a.xlsx", year=2025, level=KeyLevel.COUNTY, dry_run=True
    )
    assert preview.ok, preview.problems.lines()
    assert preview.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert not preview.written
    assert _counts() == before  # a preview writes nothing

    result = import_projects(actor=world.admin_a, content=content, filename="a.xlsx", year=2025, level=KeyLevel.COUNTY)
    assert result.ok and result.written
    project = Project.objects.get(name="壶关县导入新材料项目")
    assert project.region == world.county_a
    assert project.total_investment == Decimal("12000")  # 1.2 亿元
    assert project.planned_start_date.isoformat() == "2025-04-01"
    assert project.owner.name == "壶关导入材料有限公司"
    assert project.history.first().history_user == world.admin_a  # through the services, attributed
    county_list = KeyList.objects.get(region=world.county_a, year=2025, level=KeyLevel.COUNTY)
    entry = KeyListEntry.objects.get(key_list=county_list, project__name="壶关县导入文旅项目")
    assert entry.annual_plan == Decimal("1500") and entry.nature == "continued"

    again = import_projects(actor=world.admin_a, content=content, filename="a.xlsx", year=2025, level=KeyLevel.COUNTY)
    assert again.ok and again.counts == {"create": 0, "update": 0, "unchanged": 2}

    changed = list(ROW2)
    changed[8] = 1800
    updated = import_projects(
        actor=world.admin_a, content=ledger(ROW1, changed), filename="a.xlsx", year=2025, level=KeyLevel.COUNTY
    )
    assert updated.counts == {"create": 0, "update": 1, "unchanged": 1}
    entry.refresh_from_db()
    assert entry.annual_plan == Decimal("1800")
    assert Project.objects.filter(name="壶关县导入文旅项目").count() == 1  # updated, not duplicated


@pytest.mark.django_db
def test_every_error_at_once_and_nothing_written(world):
    rows = [
        [1, None, "好项目", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None],
        [2, None, "数字写成文字", "壶关县", "某公司", "产业/工业", "新建", "一个亿", 100, None],
        [3, None, "没有的县", "火星县", "某公司", "产业/工业", "新建", 1, 100, None],
        [4, None, "错类别", "壶关县", "某公司", "航天", "新建", 1, 100, None],
        [5, None, "好项目", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None],
        [6, None, "坏日期", "壶关县", "某公司", "产业/工业", "新建", 1, 100, "2025年13月"],
        [7, "2025-1404", "坏代码", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None],
        [8, None, "空字符\x00项目", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None],
    ]
    before = _counts()
    result = import_projects(
        actor=world.admin_a, content=ledger(*rows), filename="a.xlsx", year=2025, level=KeyLevel.COUNTY
    )
    assert not result.ok and not result.written
    lines = result.problems.lines()
    assert '第5行「总投资（亿元）」"一个亿"：应为数字' in lines
    assert any(line.startswith('第6行「所在县区」"火星县"') for line in lines)
    assert any(line.startswith('第7行「行业类别」"航天"：应为以下之一') for line in lines)
    assert any(line.startswith('第8行「项目名称」"好项目"：与第4行是同一个项目') for line in lines)
    assert any(line.startswith('第9行「计划开工日期」"2025年13月"') for line in lines)
    assert any(line.startswith('第10行「项目代码」"2025-1404"') for line in lines)
    assert '第11行「项目名称」"空字符项目"：含有不可见的空字符（NUL），请删除后重新导入' in lines
    assert len(lines) == 7
    assert _counts() == before  # the good row was not written either


@pytest.mark.django_db
def test_a_county_clerk_cannot_import_another_countys_rows(world):
    rows = [
        [1, None, "壶关县项目", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None],
        [2, None, "越界项目", "长子县", "某公司", "产业/工业", "新建", 1, 100, None],
    ]
    before = _counts()
    result = import_projects(
        actor=world.admin_a,
        content=ledger(*rows),
        filename="a.xlsx",
        year=2025,
        level=KeyLevel.COUNTY,
        region=world.city,  # the city's county names, so 长子县 resolves — and is refused
    )
    assert result.problems.lines() == ['第5行「所在县区」"长子县"：该县区不在您的权限范围内']
    assert _counts() == before
    # B's project, matched by its code, is not A's to change either.
    rows = [[1, world.project_b.code, "改个名", "壶关县", "某公司", "产业/工业", "新建", 1, 100, None]]
    result = import_projects(
        actor=world.admin_a, content=ledger(*rows), filename="a.xlsx", year=2025, level=KeyLevel.COUNTY
    )
    assert "不在您的权限范围内" in result.problems.lines()[0]
    assert world.project_b.name not in " ".join(result.problems.lines())
    assert _counts() == before


@pytest.mark.django_db
def test_existing_project_matched_by_code_and_the_city_list(world):
    """The city administrator re-imports the city list: A's project is matched by code and updated."""
    header = ["项目代码", "项目名称", "县区", "项目单位", "计划总投资", "2025年计划投资"]
    rows = [
        [world.project_a.code, "壶关县甲项目（更名）", "壶关县", world.owner_org_a.name, 12000, 3500],
        [world.project_b.code, world.project_b.name, "长子县", world.org_b.name, 10000, 5000],
    ]
    content = builders.xlsx([header, *rows])
    result = import_projects(actor=world.city_admin, content=content, filename="a.xlsx", year=2025, level=KeyLevel.CITY)
    assert result.ok, result.problems.lines()
    assert result.counts == {"create": 0, "update": 1, "unchanged": 1}
    world.project_a.refresh_from_db()
    assert world.project_a.name == "壶关县甲项目（更名）"
    assert world.project_a.total_investment == Decimal("12000")
    assert world.entry_a.__class__.objects.get(pk=world.entry_a.pk).annual_plan == Decimal("3500")


@pytest.mark.django_db
def test_a_started_project_enters_construction(world):
    header = ["项目名称", "建设单位", "行业类别", "建设性质", "项目代码", "总投资", "年度计划投资", "实际开工日期"]
    code = make_project_code("140427", 99999, 2025)
    content = builders.csv_bytes(
        [header, ["开工项目", "某公司", "能源", "新建", code, "500", "200", "2025/3/15"]], "gbk"
    )
    result = import_projects(actor=world.admin_a, content=content, filename="a.csv", year=2025, level=KeyLevel.COUNTY)
    assert result.ok, result.problems.lines()
    project = Project.objects.get(code=code)
    assert project.stage == Stage.CONSTRUCTION and project.actual_start_date.isoformat() == "2025-03-15"


@pytest.mark.django_db
def test_a_file_that_is_not_a_ledger(world):
    result = import_projects(
        actor=world.admin_a, content=b"\x00\x01garbage", filename="a.xlsx", year=2025, level=KeyLevel.COUNTY
    )
    assert not result.ok and "不是有效的Excel" in result.problems.lines()[0]
