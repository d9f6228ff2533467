"""The problem pages: ledger, inbox, detail with its workflow buttons, forms, export, report conversion, figures."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.testing import PNG, category
from tiaodu.reports import services as report_services
from tiaodu.testing import system_user

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _problem(w, **kwargs):
    values = {
        "actor": w.admin_a,
        "source": ProblemSource.SITE_VISIT,
        "category": category("用地"),
        "description": "施工便道未打通",
        "project": w.project_a,
        "found_on": TODAY - datetime.timedelta(days=20),
    }
    values.update(kwargs)
    return services.problem_record(**values)


def test_ledger_lists_counts_and_marks_overdue_in_red(problem_world):
    w = problem_world
    problem = _problem(w)
    services.problem_assign(
        actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY - datetime.timedelta(days=4)
    )
    client = client_for(w.admin_a)
    response = client.get(reverse("problems:ledger"))
    body = response.content.decode()
    assert response.status_code == 200
    assert problem.number in body and 'data-overdue="4"' in body and "text-danger" in body
    assert w.problem_b.description not in body
    overdue = client.get(reverse("problems:ledger"), {"overdue": "true"}).content.decode()
    assert problem.number in overdue and w.problem_a.number not in overdue
    not_overdue = client.get(reverse("problems:ledger"), {"overdue": "false"}).content.decode()
    assert problem.number not in not_overdue and w.problem_a.number in not_overdue


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"region": "abc"},
        {"category": "x"},
        {"found_after": "2025-13-45"},
        {"overdue": "maybe"},
        {"page": "abc"},
        {"sort": "nonexistent"},
        {"department": "1; drop"},
        {"export": "pdf"},
    ],
)
def test_ledger_bad_filters_never_500(problem_world, query):
    client = client_for(problem_world.admin_a)
    for name in ("problems:ledger", "problems:inbox", "problems:figures", "problems:drilldown"):
        assert client.get(reverse(name), query).status_code < 500, (name, query)


def test_ledger_export_is_the_ledger_layout(problem_world):
    w = problem_world
    client = client_for(w.admin_a)
    response = client.get(reverse("problems:ledger"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "问题清单台账"
    header = rows[1]
    assert header[:4] == ("序号", "问题编号", "所在区划", "项目名称")
    assert "办理情况" in header and "销号日期" in header and "超期天数" in header
    assert [row[1] for row in rows[2:]] == [w.problem_a.number]


def test_record_a_problem_through_the_form_with_a_photo(problem_world):
    w = problem_world
    client = client_for(w.admin_a)
    assert client.get(reverse("problems:problem_add")).status_code == 200
    response = client.post(
        reverse("problems:problem_add"),
        {
            "project": w.project_a.pk,
            "source": ProblemSource.SITE_VISIT,
            "category": category("资金").pk,
            "description": "资金拨付滞后",
            "found_on": TODAY.isoformat(),
            "attachments": [SimpleUploadedFile("现场.png", PNG)],
        },
    )
    problem = Problem.objects.get(description="资金拨付滞后")
    assert response.status_code == 302 and response["Location"] == problem.get_absolute_url()
    assert problem.attachments.count() == 1
    assert client.get(reverse("problems:attachment", args=[problem.attachments.get().pk])).status_code == 200


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"proposed_deadline": "2000-01-01"}, "建议办理时限不能早于发现日期"),
        ({"attachments": [SimpleUploadedFile("a.exe", b"MZ....")]}, "不支持的附件类型"),
        ({"project": "", "region": ""}, "请选择项目"),
        ({"found_on": "not a date"}, "日期"),
    ],
)
def test_record_form_refuses_bad_input_and_writes_nothing(problem_world, values, message):
    w = problem_world
    before = Problem.objects.count()
    data = {
        "project": w.project_a.pk,
        "source": ProblemSource.SITE_VISIT,
        "category": category("资金").pk,
        "description": "x",
        "found_on": TODAY.isoformat(),
        **values,
    }
    response = client_for(w.admin_a).post(reverse("problems:problem_add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Problem.objects.count() == before


def test_the_chain_in_pages_assign_start_answer_send_back_answer_close(problem_world):
    w = problem_world
    problem = _problem(w)
    admin, dept = client_for(w.admin_a), client_for(w.dept_a)
    detail = reverse("problems:problem_detail", args=[problem.pk])
    assert 'data-testid="assign"' in admin.get(detail).content.decode()
    assert 'data-testid="assign"' not in dept.get(detail).content.decode()
    response = admin.post(
        reverse("problems:problem_assign", args=[problem.pk]),
        {
            "department": w.dept_a_org.pk,
            "deadline": (TODAY + datetime.timedelta(days=9)).isoformat(),
            "level": "county",
        },
    )
    assert response.status_code == 302
    assert dept.get(reverse("problems:inbox")).content.decode().count(problem.number) == 1
    assert dept.post(reverse("problems:problem_start", args=[problem.pk])).status_code == 302
    response = dept.post(
        reverse("problems:problem_answer", args=[problem.pk]),
        {
            "answer": "已协调打通便道",
            "answered_on": TODAY.isoformat(),
            "attachments": [SimpleUploadedFile("佐证.png", PNG)],
        },
    )
    assert response.status_code == 302
    admin.post(reverse("problems:problem_send_back", args=[problem.pk]), {"reason": "缺少照片说明"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS
    assert "缺少照片说明" in dept.get(detail).content.decode()
    dept.post(reverse("problems:problem_answer", args=[problem.pk]), {"answer": "补充照片", "answered_on": TODAY})
    admin.post(reverse("problems:problem_close", args=[problem.pk]), {"comment": "同意销号"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    body = admin.get(detail).content.decode()
    for step in ("登记", "交办", "签收办理", "办结", "退回重办", "销号"):
        assert step in body


def test_refused_steps_show_a_message_and_change_nothing(problem_world):
    w = problem_world
    problem = _problem(w)
    admin = client_for(w.admin_a)
    response = admin.post(reverse("problems:problem_close", args=[problem.pk]), {}, follow=True)
    assert "问题尚未办结，不能销号" in response.content.decode()
    response = admin.post(
        reverse("problems:problem_assign", args=[problem.pk]),
        {"department": w.dept_a_org.pk, "deadline": "2000-01-01", "level": "county"},
    )
    assert response.status_code == 400 and "办理时限不能早于发现日期" in response.content.decode()
    response = admin.post(reverse("problems:problem_escalate", args=[problem.pk]), {"reason": ""}, follow=True)
    assert response.status_code == 200
    # A department user who is not responsible cannot answer, even by posting directly.
    response = client_for(w.department).post(
        reverse("problems:problem_answer", args=[problem.pk]), {"answer": "x", "answered_on": TODAY}
    )
    assert response.status_code == 400
    assert client_for(w.department).get(reverse("problems:problem_answer", args=[problem.pk])).status_code == 404
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN and problem.level == "county"
    assert admin.get(reverse("problems:problem_close", args=[problem.pk])).status_code == 405


def test_report_to_problems_button_and_page(problem_world):
    w = problem_world
    report = report_services.report_save(
        actor=system_user(), project=w.project_a2, period="2025-07", problems_text="1. 电力增容未批复\n2. 林地手续未办"
    )
    client = client_for(w.admin_a)
    assert reverse("problems:from_report", args=[report.pk]) in client.get(report.get_absolute_url()).content.decode()
    page = client.get(reverse("problems:from_report", args=[report.pk]))
    assert "电力增容未批复" in page.content.decode()
    response = client.post(reverse("problems:from_report", args=[report.pk]), {"category": category("手续审批").pk})
    assert response.status_code == 302
    assert Problem.objects.filter(report=report).count() == 2
    again = client.post(reverse("problems:from_report", args=[report.pk]), {"category": category("其他").pk})
    assert again.status_code == 400 and Problem.objects.filter(report=report).count() == 2
    assert client_for(w.admin_b).get(reverse("problems:from_report", args=[report.pk])).status_code == 404


def test_figures_page_numbers_link_to_exactly_their_rows(problem_world):
    w = problem_world
    solved = services.problem_assign(
        actor=w.admin_a, problem=_problem(w), department=w.dept_a_org, deadline=TODAY - datetime.timedelta(days=1)
    )
    solved = services.problem_answer(actor=w.dept_a, problem=solved, answer="ok", answered_on=TODAY)
    services.problem_close(actor=w.admin_a, problem=solved)
    late = services.problem_assign(
        actor=w.admin_a, problem=_problem(w), department=w.dept_a_org, deadline=TODAY - datetime.timedelta(days=2)
    )
    client = client_for(w.admin_a)
    start = "2025-01-01"
    response = client.get(reverse("problems:figures"), {"start": start, "end": TODAY.isoformat()})
    assert response.status_code == 200
    tables = {t["group"]: t["rows"] for t in response.context["tables"]}
    county = next(r for r in tables["region"] if r["label"] == w.county_a.name)
    assert (county["found"], county["solved"], county["overdue"]) == (3, 1, 1)
    assert str(county["rate"]) == "33.3"
    assert all(r["label"] != w.county_b.name for r in tables["region"])
    drill = client.get(county["links"]["overdue"])
    assert drill.status_code == 200
    assert late.number in drill.content.decode() and solved.number not in drill.content.decode()
    department = next(r for r in tables["department"] if r["key"] == str(w.dept_a_org.pk))
    assert department["found"] == 2 and department["rank"] == 1
    none = next(r for r in tables["department"] if r["key"] == "none")
    assert none["rate"] is not None and none["found"] == 1


def test_figure_drilldown_refuses_bad_keys(problem_world):
    client = client_for(problem_world.admin_a)
    for query in ({"measure": "nope"}, {"measure": "found", "group": "region", "key": "abc"}, {"start": "x"}):
        response = client.get(reverse("problems:drilldown"), query)
        assert response.status_code == 400, query


def test_attachment_of_another_county_is_404(problem_world):
    w = problem_world
    assert client_for(w.admin_a).get(reverse("problems:attachment", args=[w.attachment_b.pk])).status_code == 404
    assert client_for(w.admin_b).get(reverse("problems:attachment", args=[w.attachment_b.pk])).status_code == 200


def test_ledger_and_inbox_queries_do_not_grow_with_rows(problem_world, django_assert_max_num_queries):
    w = problem_world
    client = client_for(w.dept_a)
    for _ in range(12):
        problem = _problem(w)
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY)
    for url in (reverse("problems:ledger"), reverse("problems:inbox"), "/api/problems/"):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
