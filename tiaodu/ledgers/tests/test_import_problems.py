"""Importing a problem ledger (问题台账): through problem_record, every error at once, re-import changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiaodu.ledgers.importers import import_problems
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.problems.choices import ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem, ProblemEvent
from tiaodu.testing import OrganisationFactory

from . import builders

HEADER = ["序号", "项目代码", "项目名称", "存在问题", "问题类别", "牵头单位", "完成时限"]


def ledger(*rows):
    return builders.xlsx([["壶关县重点项目问题台账"], HEADER, *rows])


@pytest.fixture
def department(world):
    return OrganisationFactory(name="壶关县自然资源局", region=world.county_a, kind=OrganisationKind.DEPARTMENT)


@pytest.mark.django_db
def test_preview_import_and_reimport(world, department):
    rows = [
        [1, world.project_a2.code, None, "用地指标尚未落实", "用地", "壶关县自然资源局", "2027年3月31日"],
        [2, None, world.project_a.name, "施工许可证未办理；配套资金未到位", "手续审批", None, None],
    ]
    content = ledger(*rows)
    preview = import_problems(actor=world.admin_a, content=content, filename="p.xlsx", dry_run=True)
    assert preview.ok, preview.problems.lines()
    assert preview.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert not Problem.objects.filter(description="用地指标尚未落实").exists()

    result = import_problems(actor=world.admin_a, content=content, filename="p.xlsx")
    assert result.written
    problem = Problem.objects.get(project=world.project_a2, description="用地指标尚未落实")
    assert problem.category.name == "用地" and problem.proposed_department == department
    assert problem.proposed_deadline == datetime.date(2027, 3, 31)
    assert problem.source == ProblemSource.MEETING and problem.status == ProblemStatus.OPEN
    assert problem.history.first().history_user == world.admin_a  # through problem_record
    assert ProblemEvent.objects.filter(problem=problem).exists()
    assert Problem.objects.get(project=world.project_a).proposed_department is None

    again = import_problems(actor=world.admin_a, content=content, filename="p.xlsx")
    assert again.ok and again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert Problem.objects.filter(project__in=[world.project_a, world.project_a2]).count() == 2


@pytest.mark.django_db
def test_every_error_and_nothing_written(world, department):
    rows = [
        [1, world.project_a2.code, None, "用地指标尚未落实", "用地", None, None],
        [2, None, "不存在的项目", "资金未到位", "资金", None, None],
        [3, world.project_b.code, None, "长子县的问题", "资金", None, None],
        [4, world.project_a2.code, None, "另一问题", "天气", None, None],
        [5, world.project_a2.code, None, "再一问题", "用地", "不存在的局", None],
        [6, world.project_a2.code, None, "用地指标尚未落实", "用地", None, None],
    ]
    result = import_problems(actor=world.admin_a, content=ledger(*rows), filename="p.xlsx")
    lines = result.problems.lines()
    assert not result.written
    assert any(line.startswith('第4行「项目名称」"不存在的项目"：找不到该项目') for line in lines), lines
    assert any(line.startswith(f'第5行「项目代码」"{world.project_b.code}"：找不到') for line in lines), lines
    assert any(line.startswith('第6行「问题类别」"天气"：问题类别应为以下之一：') for line in lines), lines
    assert any(line.startswith('第7行「牵头单位」"不存在的局"：找不到该责任单位') for line in lines), lines
    assert any(line.startswith("第8行") and "文件中重复" in line for line in lines), lines
    assert not Problem.objects.filter(description__in=["用地指标尚未落实", "再一问题"]).exists()


@pytest.mark.django_db
def test_the_command(world, department, tmp_path):
    path = tmp_path / "问题台账.xlsx"
    path.write_bytes(ledger([1, world.project_a2.code, None, "用地指标尚未落实", "用地", None, None]))
    out = io.StringIO()
    call_command("import", "problems", str(path), "--user", "admin_a", "--dry-run", stdout=out)
    assert "新增：1" in out.getvalue() and not Problem.objects.filter(description="用地指标尚未落实").exists()
    call_command("import", "problems", str(path), "--user", "admin_a", stdout=out)
    assert Problem.objects.filter(description="用地指标尚未落实").count() == 1
    path.write_bytes(ledger([1, world.project_a2.code, None, "", "用地", None, None]))
    with pytest.raises(CommandError) as failed:
        call_command("import", "problems", str(path), "--user", "admin_a", stdout=io.StringIO())
    assert failed.value.returncode == 1


@pytest.mark.django_db
def test_the_template_imports_back_empty(world, tmp_path):
    """The problems template: its headers are recognised and its example row is skipped."""
    from tiaodu.ledgers.exports import template_xlsx

    content = template_xlsx("problems", region=world.county_a, year=2025, period=datetime.date(2025, 7, 1))
    result = import_problems(actor=world.admin_a, content=content, filename="t.xlsx", dry_run=True)
    assert [str(line) for line in result.problems.lines()] == ["表头下面没有数据行。"]
    assert {"description", "category", "department", "deadline"} <= set(result.ledger.columns)


@pytest.mark.django_db
def test_upload_preview_confirm_on_the_page(world, department, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tiaodu.conftest import client_for
    from tiaodu.ledgers.models import LedgerUpload

    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.admin_a)
    page = client.get(reverse("ledgers:index")).content.decode()
    assert 'data-testid="import-problems"' in page
    template = client.get(reverse("ledgers:template") + "?kind=problems")
    assert template.status_code == 200
    content = ledger([1, world.project_a2.code, None, "网页导入的问题", "资金", "壶关县自然资源局", None])
    response = client.post(reverse("ledgers:import_problems"), {"file": SimpleUploadedFile("问题.xlsx", content)})
    assert response.status_code == 302
    upload = LedgerUpload.objects.get(user=world.admin_a, kind="problems")
    preview = client.get(response["Location"]).content.decode()
    assert "网页导入的问题" not in {p.description for p in Problem.objects.all()}
    assert 'data-testid="confirm"' in preview
    client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    problem = Problem.objects.get(description="网页导入的问题")
    assert problem.project == world.project_a2 and problem.category.name == "资金"
    bad = ledger([1, world.project_b.code, None, "别县的问题", "资金", None, None])
    response = client.post(reverse("ledgers:import_problems"), {"file": SimpleUploadedFile("b.xlsx", bad)})
    upload = LedgerUpload.objects.filter(user=world.admin_a, kind="problems").latest("pk")
    assert client.post(reverse("ledgers:upload_confirm", args=[upload.pk])).status_code == 400
    assert not Problem.objects.filter(description="别县的问题").exists()


@pytest.mark.django_db
def test_the_ledger_export_imports_back_unchanged(world, department, client):
    """问题清单台账 exported from the ledger page is a problem ledger the import reads: every row unchanged."""
    content = ledger(
        [1, world.project_a2.code, None, "用地指标尚未落实", "用地", "壶关县自然资源局", "2027年3月31日"],
        [2, None, world.project_a.name, "配套资金未到位", "资金", None, None],
    )
    assert import_problems(actor=world.admin_a, content=content, filename="p.xlsx").written
    client.force_login(world.admin_a)
    response = client.get("/problems/?export=xlsx")
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content

    again = import_problems(actor=world.admin_a, content=exported, filename="问题清单台账.xlsx", dry_run=True)
    assert again.ok, again.problems.lines()
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert "问题描述" in again.ledger.columns["description"].header
