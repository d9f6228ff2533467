"""Importing an attraction ledger (招商项目台账): leads created or updated and moved forward through the
workflow services, every problem by row and column, all rows or none, on the web, the CLI and the API."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tiaodu.attraction.choices import LeadStage
from tiaodu.attraction.imports import import_leads
from tiaodu.attraction.models import Lead, LeadEvent, Signing
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.ledgers.tests import builders
from tiaodu.orgs.models import Organisation
from tiaodu.testing import make_uscc

TODAY = local_today()


def signed_day() -> datetime.date:
    return TODAY - datetime.timedelta(days=200)


def landed_day() -> datetime.date:
    return TODAY - datetime.timedelta(days=120)


NEW_CODE = make_uscc("140427", 9101)


def ledger(rows):
    """A zone's ledger as kept in Excel: a title, a units line, a two-row header with a merged
    "签约情况" group, money in 亿元, and a 合计 row."""
    head1 = ["序号", "项目名称", "投资方", "行业类别", "所在县区", "意向投资额（亿元）", "阶段", "签约情况", None, None]
    head1 += ["落地日期", "落地企业", "统一社会信用代码"]
    head2 = [None] * 7 + ["签约日期", "签约类型", "签约金额"] + [None] * 3
    merges = [(2, 7, 2, 9)] + [(2, c, 3, c) for c in (0, 1, 2, 3, 4, 5, 6, 10, 11, 12)]
    body = [[n, *row] for n, row in enumerate(rows, start=1)]
    total = ["合计", None, None, None, None, sum(r[4] for r in rows if not isinstance(r[4], str))] + [None] * 7
    return builders.xlsx([["壶关县2025年招商引资项目台账"], ["单位：亿元"], head1, head2, *body, total], merges)


def ledger_rows() -> list[list]:
    return [
        ["碳化硅衬底项目", "深圳某半导体集团", "工业", "壶关县", 2.5, "线索", None, None, None, None, None, None],
        [
            "导热膜项目",
            "苏州某新材料公司",
            "工业",
            "壶关县",
            1.2,
            "签约",
            signed_day(),
            "正式合同",
            1.1,
            None,
            None,
            None,
        ],
        [
            "石墨烯散热项目",
            "无锡某科技集团",
            "工业",
            "壶关县",
            3,
            "落地",
            signed_day(),
            "框架协议",
            2.8,
            landed_day(),
            "壶关县石墨烯科技有限公司",
            NEW_CODE,
        ],
    ]


@pytest.mark.django_db
def test_a_ledger_creates_and_moves_leads_then_changes_nothing_the_second_time(lead_world):
    w = lead_world
    content = ledger(ledger_rows())
    preview = import_leads(actor=w.admin_a, content=content, filename="台账.xlsx", dry_run=True)
    assert preview.ok, preview.problems.lines()
    assert preview.counts == {"create": 3, "update": 0, "unchanged": 0} and not preview.written
    assert not Lead.objects.filter(name="导热膜项目").exists()

    result = import_leads(actor=w.admin_a, content=content, filename="台账.xlsx")
    assert result.written
    fresh = Lead.objects.get(name="碳化硅衬底项目")
    assert fresh.stage == LeadStage.LEAD and fresh.intended_investment == Decimal("25000.00")
    signed = Lead.objects.get(name="导热膜项目")
    assert signed.stage == LeadStage.SIGNED and signed.signed_on == signed_day()
    assert Signing.objects.get(lead=signed).amount == Decimal("11000.00")
    landed = Lead.objects.get(name="石墨烯散热项目")
    assert landed.stage == LeadStage.LANDED and landed.landed_on == landed_day() and landed.signed_on == signed_day()
    assert landed.company == Organisation.objects.get(credit_code=NEW_CODE)
    assert landed.registered_on == signed_day()  # no 登记日期 column: the earliest date the row gives
    assert list(LeadEvent.objects.filter(lead=landed).values_list("to_state", flat=True).order_by("pk")) == [
        "lead",
        "signed",
        "landed",
    ]
    assert landed.history.first().history_change_reason == "台账导入"

    again = import_leads(actor=w.admin_a, content=content, filename="台账.xlsx")
    assert again.written and again.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert Signing.objects.filter(lead__name="石墨烯散热项目").count() == 1


@pytest.mark.django_db
def test_an_updated_ledger_moves_an_existing_lead_forward(lead_world):
    w = lead_world
    company_code = make_uscc("140427", 9102)
    w.company_a.credit_code = company_code
    w.company_a.save()
    row = [w.lead_a.name, w.lead_a.investor, "工业", "壶关县", 5, "落地", w.lead_a.signed_on, None, None]
    row += [landed_day(), w.company_a.name, company_code]
    result = import_leads(actor=w.admin_a, content=ledger([row]), filename="台账.xlsx")
    assert result.written and result.counts["update"] == 1, result.problems.lines()
    assert any("阶段" in change for change in result.outcomes[0].changes)
    w.lead_a.refresh_from_db()
    assert w.lead_a.stage == LeadStage.LANDED and w.lead_a.company == w.company_a
    # A stage behind the one Tiaodu has is left alone: the workflow only moves forward.
    row[5] = "签约"
    later = import_leads(actor=w.admin_a, content=ledger([row]), filename="台账.xlsx")
    assert later.counts["unchanged"] == 1
    w.lead_a.refresh_from_db()
    assert w.lead_a.stage == LeadStage.LANDED


@pytest.mark.django_db
def test_every_problem_is_reported_and_nothing_written(lead_world):
    w = lead_world
    rows = [
        # 落地 without a company
        ["无企业项目", "某集团", "工业", "壶关县", 1, "落地", signed_day(), "正式合同", 1, landed_day(), None, None],
        # signed after it landed
        [
            "倒签项目",
            "某集团",
            "工业",
            "壶关县",
            1,
            "落地",
            landed_day(),
            "正式合同",
            1,
            signed_day(),
            "倒签科技公司",
            NEW_CODE,
        ],
        # another county, out of the clerk's scope
        ["越权项目", "某集团", "工业", "长子县", 1, "线索", None, None, None, None, None, None],
        # text in a money column, and a stage that does not exist
        ["坏数项目", "某集团", "工业", "壶关县", "很多", "意向", None, None, None, None, None, None],
        # 签约 without its date
        ["无日期项目", "某集团", "工业", "壶关县", 1, "签约", None, "正式合同", 1, None, None, None],
        # the same lead twice in one file
        ["碳化硅衬底项目", "某集团", "工业", "壶关县", 1, "线索", None, None, None, None, None, None],
        ["碳化硅衬底项目", "某集团", "工业", "壶关县", 1, "线索", None, None, None, None, None, None],
        # terminating through an import
        ["终止项目", "某集团", "工业", "壶关县", 1, "终止", None, None, None, None, None, None],
    ]
    before = Lead.objects.count()
    result = import_leads(actor=w.admin_a, content=ledger(rows), filename="台账.xlsx")
    text = "\n".join(result.problems.lines())
    assert not result.written and Lead.objects.count() == before
    assert "第5行" in text and "落地须填写已注册的落地企业" in text
    assert "第6行「落地日期」" in text and "不能早于" in text
    assert '第7行「所在县区」"长子县"' in text
    assert '第8行「意向投资额（亿元）」"很多"' in text and '第8行「阶段」"意向"' in text
    assert "第9行" in text and "须填写" in text
    assert "第11行" in text and "与第10行是同一个招商项目" in text
    assert "第12行" in text and "终止须在系统中办理" in text
    assert not Organisation.objects.filter(credit_code=NEW_CODE).exists()
    # Read against the city, 长子县 is a known county, but not one the 壶关县 clerk may write in.
    outside = import_leads(actor=w.admin_a, content=ledger(rows[2:3]), filename="台账.xlsx", region=w.city)
    assert '第5行「所在县区」"长子县"：您无权' in "\n".join(outside.problems.lines())
    assert not Lead.objects.filter(name="越权项目").exists()


@pytest.mark.django_db
def test_the_lead_list_export_imports_back_unchanged(lead_world):
    w = lead_world
    admin = client_for(w.admin_a)
    response = admin.get(reverse("attraction:lead_list") + "?export=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    result = import_leads(actor=w.admin_a, content=content, filename="export.xlsx", dry_run=True)
    assert result.ok, result.problems.lines()
    visible = Lead.objects.restrict(w.admin_a, "view").count()
    assert result.counts == {"create": 0, "update": 0, "unchanged": visible}


@pytest.mark.django_db
def test_web_upload_preview_confirm_and_template(lead_world):
    w = lead_world
    admin = client_for(w.admin_a)
    index = admin.get(reverse("ledgers:index")).content.decode()
    assert reverse("ledgers:import_leads") in index
    template = admin.get(reverse("ledgers:template") + "?kind=leads")
    assert template.status_code == 200
    # The template's example row is skipped: importing the empty template writes nothing and says why.
    empty = import_leads(actor=w.admin_a, content=template.content, filename="t.xlsx", dry_run=True)
    assert "表头下面没有数据行" in "\n".join(empty.problems.lines())
    upload = SimpleUploadedFile("台账.xlsx", ledger(ledger_rows()[:2]))
    response = admin.post(reverse("ledgers:import_leads"), {"file": upload, "region": w.county_a.pk})
    assert response.status_code == 302
    preview = admin.get(response["Location"]).content.decode()
    assert 'data-testid="confirm"' in preview and "导热膜项目" in preview
    assert not Lead.objects.filter(name="导热膜项目").exists()
    admin.post(response["Location"] + "confirm/")
    assert Lead.objects.get(name="导热膜项目").stage == LeadStage.SIGNED
    # Not a spreadsheet: a clear message, nothing kept.
    junk = SimpleUploadedFile("台账.pdf", b"%PDF-1.4")
    response = admin.post(reverse("ledgers:import_leads"), {"file": junk})
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()


@pytest.mark.django_db
def test_command_line_and_api(lead_world, tmp_path):
    w = lead_world
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger(ledger_rows()[:1]))
    out = io.StringIO()
    call_command("import", "leads", str(path), "--user", "admin_a", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "新增：1" in out.getvalue() and not Lead.objects.filter(name="碳化硅衬底项目").exists()
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(ledger([["越权项目", "某集团", "工业", "长子县", 1, "线索"] + [None] * 6]))
    with pytest.raises(CommandError) as error:
        call_command("import", "leads", str(bad), "--user", "admin_a", stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1
    api = client_for(w.admin_a)
    upload = SimpleUploadedFile("台账.xlsx", path.read_bytes())
    response = api.post("/api/leads/import/", {"file": upload})
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["create"] == 1 and Lead.objects.filter(name="碳化硅衬底项目").exists()
