"""The web pages: upload → preview → confirm, the error file, templates and exports; never a 500."""

import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.ledgers.models import LedgerUpload
from tiaodu.projects.models import KeyListEntry, Project

from . import builders

HEADER = ["序号", "项目名称", "所在县区", "建设单位", "行业类别", "建设性质", "总投资（万元）", "年度计划投资"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, rows, name="台账.xlsx", content=None, **data):
    content = content if content is not None else builders.xlsx([["壶关县2025年县级重点项目"], HEADER, *rows])
    payload = {"year": 2025, "level": "county", **data, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("ledgers:import_projects"), payload)


@pytest.mark.django_db
def test_upload_preview_confirm(world):
    client = client_for(world.admin_a)
    assert client.get(reverse("ledgers:index")).status_code == 200
    rows = [[1, "网页导入项目", "壶关县", "网页导入有限公司", "能源", "新建", 800, 300]]
    response = _upload(client, rows)
    assert response.status_code == 302
    upload = LedgerUpload.objects.get(user=world.admin_a)
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200 and "网页导入项目" in body and 'data-testid="confirm"' in body
    assert not Project.objects.filter(name="网页导入项目").exists()
    confirmed = client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    assert confirmed.status_code == 302
    assert KeyListEntry.objects.filter(project__name="网页导入项目", key_list__year=2025).exists()
    page = client.get(confirmed["Location"]).content.decode()
    assert "导入完成：新增1行" in page and 'data-testid="imported"' in page
    # Confirming twice writes nothing more.
    client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    assert Project.objects.filter(name="网页导入项目").count() == 1


@pytest.mark.django_db
def test_errors_are_listed_and_downloadable(world):
    client = client_for(world.admin_a)
    rows = [[1, "错误项目", "火星县", "某公司", "能源", "新建", "很多", 300]]
    response = _upload(client, rows)
    upload = LedgerUpload.objects.get(user=world.admin_a)
    body = html.unescape(client.get(response["Location"]).content.decode())
    assert '第3行「所在县区」"火星县"' in body and 'data-testid="confirm"' not in body
    assert '第3行「总投资（万元）」"很多"：应为数字' in body
    assert client.post(reverse("ledgers:upload_confirm", args=[upload.pk])).status_code == 400
    assert not Project.objects.filter(name="错误项目").exists()
    download = client.get(reverse("ledgers:upload_errors", args=[upload.pk]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet["C3"].comment is not None and sheet["G3"].comment is not None


@pytest.mark.django_db
def test_english_messages(world):
    client = client_for(world.admin_a)
    client.cookies["django_language"] = "en"
    response = _upload(client, [[1, "错误项目", "壶关县", "某公司", "能源", "新建", "很多", 300]])
    body = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Row 3" in body and "应为数字" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("a.xlsx", b"not a spreadsheet", "不是有效的Excel"),
        ("a.csv", "无关内容\n".encode("gbk"), "找不到可识别的表头"),
    ],
)
def test_bad_files_get_a_message_not_a_500(world, name, content, words):
    client = client_for(world.admin_a)
    response = _upload(client, [], name=name, content=content)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and words in page.content.decode()


@pytest.mark.django_db
def test_bad_forms(world):
    client = client_for(world.admin_a)
    response = _upload(client, [], name="a.pdf", content=b"%PDF")
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    response = _upload(client, [], name="a.xlsx", content=b"")
    assert response.status_code == 400
    response = client.post(
        reverse("ledgers:import_reports"),
        {"period": "2025-13", "file": SimpleUploadedFile("a.xlsx", builders.xlsx([["项目名称"]]))},
    )
    assert response.status_code == 400 and "2025-13" in response.content.decode()
    assert not LedgerUpload.objects.exists()
    assert client.get(reverse("ledgers:export_reports"), {"period": "July"}).status_code == 400
    assert client.get(reverse("ledgers:export_projects"), {"year": "abc"}).status_code == 400
    assert client.get(reverse("ledgers:template"), {"kind": "nope"}).status_code == 404


@pytest.mark.django_db
def test_an_upload_is_its_uploaders_only(world):
    client_b = client_for(world.admin_b)
    _upload(client_b, [[1, "乙县导入项目", "长子县", "某公司", "能源", "新建", 1, 1]])
    upload = LedgerUpload.objects.get(user=world.admin_b)
    client_a = client_for(world.admin_a)
    for name in ("ledgers:upload_detail", "ledgers:upload_errors", "ledgers:upload_confirm"):
        assert client_a.get(reverse(name, args=[upload.pk])).status_code == 404
    assert client_a.post(reverse("ledgers:upload_confirm", args=[upload.pk])).status_code == 404
    assert "乙县导入项目" not in client_a.get(reverse("ledgers:index")).content.decode()
    assert not Project.objects.filter(name="乙县导入项目").exists()


@pytest.mark.django_db
def test_templates_and_exports_download(world):
    client = client_for(world.admin_a)
    for kind in ("projects", "reports"):
        response = client.get(reverse("ledgers:template"), {"kind": kind})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("ledgers:export_projects"), {"year": 2025, "level": "city"})
    text = " ".join(
        str(c.value) for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row
    )
    assert world.project_a.name in text and world.project_b.name not in text
    response = client.get(reverse("ledgers:export_reports"), {"period": "2025-05", "region": world.city.pk})
    text = " ".join(
        str(c.value) for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row
    )
    assert world.project_a2.name in text and world.project_b.name not in text


@pytest.fixture
def background(settings, monkeypatch):
    """Every upload counts as large; tasks run at once (django-tasks' immediate backend)."""
    from tiaodu.ledgers import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(services, "LARGE_FILE_BYTES", 10)


@pytest.mark.django_db
def test_a_large_file_is_checked_and_imported_in_the_background(world, background, django_capture_on_commit_callbacks):
    client = client_for(world.admin_a)
    rows = [[1, "后台导入项目", "壶关县", "后台有限公司", "能源", "新建", 800, 300]]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, rows)
    upload = LedgerUpload.objects.get(user=world.admin_a)
    assert upload.in_background and upload.status == "uploaded"
    assert upload.summary["counts"] == {"create": 1, "update": 0, "unchanged": 0}
    assert upload.progress() == (1, 1)
    body = client.get(response["Location"]).content.decode()
    assert "后台导入项目" in body and 'data-testid="confirm"' in body
    assert not Project.objects.filter(name="后台导入项目").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == "imported"
    assert Project.objects.filter(name="后台导入项目").count() == 1


@pytest.mark.django_db
def test_the_progress_page_polls_until_done(world, background):
    client = client_for(world.admin_a)
    _upload(client, [[1, "进度项目", "壶关县", "某公司", "能源", "新建", 1, 1]])  # the task is not run
    upload = LedgerUpload.objects.get(user=world.admin_a)
    assert upload.status == "checking"
    upload.set_progress(40, 160)
    page = client.get(reverse("ledgers:upload_detail", args=[upload.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40 / 160" in page
    fragment = client.get(
        reverse("ledgers:upload_detail", args=[upload.pk]), {"fragment": "progress"}, HTTP_HX_REQUEST="true"
    )
    assert "25%" in fragment.content.decode() and "HX-Refresh" not in fragment
    LedgerUpload.objects.filter(pk=upload.pk).update(status="uploaded", summary={"counts": {"create": 1}})
    fragment = client.get(
        reverse("ledgers:upload_detail", args=[upload.pk]), {"fragment": "progress"}, HTTP_HX_REQUEST="true"
    )
    assert fragment["HX-Refresh"] == "true"
    # While a file is being checked, confirming does nothing.
    LedgerUpload.objects.filter(pk=upload.pk).update(status="checking")
    client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    assert not Project.objects.filter(name="进度项目").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xls", "gbk.csv", "ods"])
def test_real_looking_ledgers_through_the_web(world, fmt):
    """An old-WPS .xls with a merged two-row header, a GBK CSV and an .ods import like an .xlsx."""
    rows = [
        ["壶关县2025年县级重点项目表"],
        ["单位：亿元"],
        ["序号", "项目名称", "属地", "业主单位", "类别", "性质", "投资情况", None],
        [None, None, None, None, None, None, "计划总投资", "2025年计划投资（万元）"],
        [1, f"{fmt}格式项目", "壶关", "格式测试有限公司", "文旅", "续建", 1.25, "2,500"],
        ["合计", None, None, None, None, None, 1.25, 2500],
        ["填表人：张三"],
    ]
    merges = [(0, 0, 0, 7), (2, 6, 2, 7), *((2, c, 3, c) for c in range(6))]
    if fmt == "xls":
        content, name = builders.xls(rows, merges), "台账.xls"
    elif fmt == "ods":
        content, name = builders.ods(rows), "台账.ods"
    else:
        content, name = builders.csv_bytes(rows, "gbk"), "台账.csv"
    client = client_for(world.admin_a)
    response = _upload(client, [], name=name, content=content)
    upload = LedgerUpload.objects.get(user=world.admin_a)
    body = html.unescape(client.get(response["Location"]).content.decode())
    assert f"{fmt}格式项目" in body and 'data-testid="confirm"' in body, body[body.find("alert") :][:500]
    client.post(reverse("ledgers:upload_confirm", args=[upload.pk]))
    project = Project.objects.get(name=f"{fmt}格式项目")
    assert project.total_investment == 12500 and project.region == world.county_a
    entry = KeyListEntry.objects.get(project=project)
    assert entry.annual_plan == 2500 and entry.nature == "continued"


@pytest.mark.django_db
def test_garbage_query_strings_and_posts(world):
    from tiaodu.core.tests.test_no_500 import GARBAGE

    client = client_for(world.admin_a)
    extra = [{"period": "2025-00"}, {"period": "２０２５-０７"}, {"kind": "../../etc"}, {"fragment": "progress"}]
    for query in [*GARBAGE, *extra]:
        for name in ("ledgers:index", "ledgers:template", "ledgers:export_projects", "ledgers:export_reports"):
            response = client.get(reverse(name), query)
            assert response.status_code < 500, (name, query)
    for name in ("ledgers:import_projects", "ledgers:import_reports"):
        for data in ({}, {"year": "x", "level": "y", "region": "z", "period": "q"}, {"file": "not a file"}):
            response = client.post(reverse(name), data)
            assert response.status_code == 400, (name, data)
    for url in ("/ledgers/uploads/0/", "/ledgers/uploads/abc/", "/ledgers/uploads/99999999999999999999/errors/"):
        assert client.get(url).status_code == 404, url
    assert not LedgerUpload.objects.exists()


@pytest.mark.django_db
def test_uploaded_files_are_deleted_after_import_and_after_the_keeping_time(
    world, tmp_path, django_capture_on_commit_callbacks
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client = client_for(world.admin_a)
    rows = [[1, "清理测试项目", "壶关县", "清理测试有限公司", "能源", "新建", 800, 300]]
    _upload(client, rows)
    imported = LedgerUpload.objects.get(user=world.admin_a)
    stored = tmp_path / imported.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledgers:upload_confirm", args=[imported.pk]))
    imported.refresh_from_db()
    assert not imported.file and not stored.exists()
    assert "清理测试项目" in client.get(imported.get_absolute_url()).content.decode()  # the outcome stays

    _upload(client, [[1, "未确认项目", "壶关县", "清理测试有限公司", "能源", "新建", 800, 300]], name="b.xlsx")
    waiting = LedgerUpload.objects.exclude(pk=imported.pk).get(user=world.admin_a)
    stored = tmp_path / waiting.file.name
    out = io.StringIO()
    call_command("ledgers_clean", stdout=out)
    assert stored.exists() and "0" in out.getvalue()  # still within its keeping time
    LedgerUpload.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("ledgers_clean", stdout=out)
    assert not stored.exists()
    waiting.refresh_from_db()
    assert not waiting.file
    # Its page and its confirmation now say to upload again, not a 500.
    for response in (
        client.get(waiting.get_absolute_url(), follow=True),
        client.post(reverse("ledgers:upload_confirm", args=[waiting.pk]), follow=True),
        client.get(reverse("ledgers:upload_errors", args=[waiting.pk]), follow=True),
    ):
        assert response.status_code == 200 and "请重新上传" in response.content.decode()
    assert not Project.objects.filter(name="未确认项目").exists()
