"""Importing a list of chain enterprises (链上企业名单): placed or moved through the member services,
every problem by row and column, all rows or none, on the web, the CLI and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tiaodu.chains.choices import MemberRole
from tiaodu.chains.imports import import_enterprises
from tiaodu.chains.models import Member
from tiaodu.conftest import client_for
from tiaodu.ledgers.tests import builders
from tiaodu.orgs.models import Organisation
from tiaodu.testing import make_uscc

HEADER = ["序号", "企业名称", "统一社会信用代码", "所在县区", "产业链", "环节", "角色", "备注"]
NEW_CODE = make_uscc("140427", 9201)


def sheet(rows, header=HEADER):
    body = [[n, *row] for n, row in enumerate(rows, start=1)]
    return builders.xlsx([["壶关县新材料产业链链上企业名单"], header, *body])


@pytest.mark.django_db
def test_a_list_places_new_enterprises_and_moves_known_ones(chain_world):
    w = chain_world
    rows = [
        ["壶关县碳纤维材料有限公司", NEW_CODE, "壶关县", "壶关新材料产业链", "加工", "链核", ""],
        [w.owner_org_a.name, None, "壶关县", "壶关新材料产业链", "应用", "链主企业", "龙头"],
    ]
    preview = import_enterprises(actor=w.admin_a, content=sheet(rows), filename="名单.xlsx", dry_run=True)
    assert preview.ok, preview.problems.lines()
    assert preview.counts == {"create": 1, "update": 1, "unchanged": 0}
    assert "将新登记企业“壶关县碳纤维材料有限公司”" in " ".join(preview.notes)
    assert not Organisation.objects.filter(credit_code=NEW_CODE).exists()

    result = import_enterprises(actor=w.admin_a, content=sheet(rows), filename="名单.xlsx")
    assert result.written
    new = Member.objects.get(chain=w.chain_a, organisation__credit_code=NEW_CODE)
    assert new.segment.name == "加工" and new.role == MemberRole.CORE
    w.member_a.refresh_from_db()
    assert w.member_a.segment.name == "应用" and w.member_a.note == "龙头"
    assert w.member_a.history.first().history_change_reason == "台账导入"

    again = import_enterprises(actor=w.admin_a, content=sheet(rows), filename="名单.xlsx")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}


@pytest.mark.django_db
def test_every_problem_is_reported_and_nothing_written(chain_world):
    w = chain_world
    rows = [
        ["甲企业有限公司", None, "壶关县", "壶关新材料产业链", "原料", "链上企业", ""],
        ["甲企业有限公司", None, "壶关县", "壶关新材料产业链", "加工", "链上企业", ""],  # twice in one chain
        ["乙企业有限公司", None, "壶关县", "壶关新材料产业链", "芯片", "链上企业", ""],  # no such segment
        ["丙企业有限公司", None, "壶关县", "长子光伏秘密产业链", "硅料", "链上企业", ""],  # another county's
        ["丁企业有限公司", "91140427ABC", "壶关县", "壶关新材料产业链", "原料", "链上企业", ""],  # bad code
        ["戊企业有限公司", None, "壶关县", None, "原料", "链上企业", ""],  # no chain
        ["己企业有限公司", None, "壶关县", "壶关新材料产业链", "原料", "老大", ""],  # unknown role
    ]
    members = Member.objects.count()
    result = import_enterprises(actor=w.admin_a, content=sheet(rows), filename="名单.xlsx")
    text = "\n".join(result.problems.lines())
    assert not result.written and Member.objects.count() == members
    assert '第4行「企业名称」"甲企业有限公司"：与第3行是同一家企业，一家企业在一条链上只能出现一次' in text
    assert '第5行「环节」"芯片"：产业链“壶关新材料产业链”没有这个环节' in text
    assert '第6行「产业链」"长子光伏秘密产业链"' in text and "不在您的查看范围内" in text
    assert '第7行「统一社会信用代码」"91140427ABC"' in text
    assert "第8行" in text and "请填写产业链" in text
    assert '第9行「角色」"老大"：应为以下之一：链主企业、链核企业、链上企业' in text
    assert not Organisation.objects.filter(name="甲企业有限公司").exists()


@pytest.mark.django_db
def test_a_chain_page_export_imports_back_unchanged(chain_world):
    w = chain_world
    admin = client_for(w.admin_a)
    response = admin.get(reverse("chains:member_rows", args=[w.chain_a.pk]) + "?export=xlsx")
    assert response.status_code == 200
    result = import_enterprises(
        actor=w.admin_a, content=response.content, filename="export.xlsx", chain=w.chain_a, dry_run=True
    )
    assert result.ok, result.problems.lines()
    assert result.counts == {"create": 0, "update": 0, "unchanged": w.chain_a.members.count()}
    # Without the chain chosen, the file (which has no 产业链 column) says what is missing.
    bare = import_enterprises(actor=w.admin_a, content=response.content, filename="export.xlsx", dry_run=True)
    assert "请填写产业链，或在上传时选择产业链" in "\n".join(bare.problems.lines())


@pytest.mark.django_db
def test_web_cli_and_api(chain_world, tmp_path):
    w = chain_world
    admin = client_for(w.admin_a)
    page = admin.get(reverse("ledgers:index") + f"?chain={w.chain_a.pk}").content.decode()
    assert f'<option value="{w.chain_a.pk}" selected>' in page and "长子光伏秘密产业链" not in page
    assert admin.get(reverse("ledgers:template") + "?kind=enterprises").status_code == 200
    header = [h for h in HEADER if h != "产业链"]
    content = sheet([["网页企业有限公司", None, "壶关县", "加工", "链上企业", ""]], header)
    upload = SimpleUploadedFile("名单.xlsx", content)
    response = admin.post(reverse("ledgers:import_enterprises"), {"file": upload, "chain": w.chain_a.pk})
    assert response.status_code == 302
    admin.post(response["Location"] + "confirm/")
    assert Member.objects.filter(chain=w.chain_a, organisation__name="网页企业有限公司").exists()
    # Another county's chain cannot be chosen.
    upload = SimpleUploadedFile("名单.xlsx", content)
    response = admin.post(reverse("ledgers:import_enterprises"), {"file": upload, "chain": w.chain_b.pk})
    assert response.status_code == 400

    path = tmp_path / "名单.xlsx"
    path.write_bytes(sheet([["命令行企业有限公司", None, "壶关县", "原料", "链上企业", ""]], header))
    out = io.StringIO()
    call_command("import", "enterprises", str(path), "--chain", "壶关新材料产业链", "--user", "admin_a", stdout=out)
    assert Member.objects.filter(organisation__name="命令行企业有限公司").exists()
    with pytest.raises(CommandError) as error:
        call_command("import", "enterprises", str(path), "--chain", "长子光伏秘密产业链", "--user", "admin_a")
    assert error.value.returncode == 2

    upload = SimpleUploadedFile("名单.xlsx", sheet([["接口企业有限公司", None, "壶关县", "应用", "链核", ""]], header))
    response = admin.post("/api/chain-members/import/", {"file": upload, "chain": w.chain_a.pk, "dry_run": True})
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["create"] == 1 and not Member.objects.filter(organisation__name="接口企业有限公司")
    upload = SimpleUploadedFile("名单.xlsx", content)
    response = admin.post("/api/chain-members/import/", {"file": upload, "chain": w.chain_b.pk})
    assert response.status_code == 404
