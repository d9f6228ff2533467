"""The problem workflow through its services: every transition, every refusal with its message, scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaodu.core.dates import local_today
from tiaodu.notices.models import Notice
from tiaodu.problems import services
from tiaodu.problems.choices import CoordinationLevel, ProblemEventKind, ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem, ProblemAttachment, ProblemEvent
from tiaodu.problems.testing import category, png
from tiaodu.reports import services as report_services
from tiaodu.testing import system_user

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _record(w, actor=None, **kwargs):
    values = {
        "actor": actor or w.admin_a,
        "source": ProblemSource.SITE_VISIT,
        "category": category("用地"),
        "description": "征地拆迁未完成，影响施工进场",
        "project": w.project_a,
        "found_on": TODAY - datetime.timedelta(days=10),
    }
    values.update(kwargs)
    return services.problem_record(**values)


def _assigned(w, **kwargs):
    problem = _record(w)
    return services.problem_assign(
        actor=w.admin_a,
        problem=problem,
        department=w.dept_a_org,
        deadline=kwargs.pop("deadline", TODAY + datetime.timedelta(days=20)),
        level=CoordinationLevel.COUNTY,
        **kwargs,
    )


def _kinds(problem):
    return list(ProblemEvent.objects.filter(problem=problem).order_by("at", "pk").values_list("kind", flat=True))


# ---- record --------------------------------------------------------------------------------------


def test_record_on_a_project_takes_its_region_and_records_an_event(problem_world):
    w = problem_world
    problem = _record(w, attachments=[png()])
    assert problem.region == w.county_a
    assert problem.status == ProblemStatus.OPEN and problem.level == CoordinationLevel.COUNTY
    assert problem.attachments.count() == 1
    assert _kinds(problem) == [ProblemEventKind.RECORDED]
    assert problem.history.count() == 1 and problem.history.first().history_user == w.admin_a


def test_record_on_a_region_alone_for_a_complaint(problem_world):
    w = problem_world
    problem = _record(
        w,
        project=None,
        region=w.county_a,
        source=ProblemSource.COMPLAINT,
        category=category("大气"),
        description="中央生态环境保护督察交办件：某洗煤厂扬尘",
    )
    assert problem.project is None and problem.region == w.county_a


def test_record_needs_a_project_or_a_region(problem_world):
    with pytest.raises(ValidationError) as error:
        _record(problem_world, project=None)
    assert "请选择项目" in _messages(error.value)


def test_record_refuses_a_project_of_another_county(problem_world):
    w = problem_world
    before = Problem.objects.count()
    with pytest.raises(ValidationError) as error:
        _record(w, project=w.project_b)
    assert "无权" in _messages(error.value)
    with pytest.raises(ValidationError):
        _record(w, project=None, region=w.county_b)
    assert Problem.objects.count() == before


def test_owner_records_on_its_own_project_only(problem_world):
    w = problem_world
    problem = _record(w, actor=w.owner_a, source=ProblemSource.OWNER_REPORT)
    assert problem.created_by == w.owner_a
    with pytest.raises(ValidationError):
        _record(w, actor=w.owner_a, project=w.project_a2)


def test_record_refuses_a_future_date_and_a_proposed_deadline_before_it(problem_world):
    w = problem_world
    with pytest.raises(ValidationError) as error:
        _record(w, found_on=TODAY + datetime.timedelta(days=1))
    assert "发现日期不能晚于今天" in _messages(error.value)
    with pytest.raises(ValidationError) as error:
        _record(w, proposed_deadline=TODAY - datetime.timedelta(days=30))
    assert "建议办理时限不能早于发现日期" in _messages(error.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ" + b"\x00" * 10, "不支持的附件类型"),
        ("照片.png", b"not a png at all", "内容与其文件类型不符"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_record_refuses_bad_attachments_and_writes_nothing(problem_world, name, content, message):
    w = problem_world
    before = (Problem.objects.count(), ProblemAttachment.objects.count())
    with pytest.raises(ValidationError) as error:
        _record(w, attachments=[SimpleUploadedFile(name, content)])
    assert message in _messages(error.value)
    assert (Problem.objects.count(), ProblemAttachment.objects.count()) == before


def test_record_refuses_a_too_large_attachment(problem_world, settings):
    from tiaodu.problems import models

    big = SimpleUploadedFile("大.pdf", b"%PDF" + b"0" * (models.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        _record(problem_world, attachments=[big])
    assert "超过 10 MB" in _messages(error.value)


# ---- the workflow --------------------------------------------------------------------------------


def test_full_chain_assign_start_answer_close(problem_world):
    w = problem_world
    problem = _assigned(w, comment="限期解决")
    assert problem.status == ProblemStatus.ASSIGNED and problem.department == w.dept_a_org
    assert Notice.objects.filter(recipient=w.dept_a, kind="problem_assigned").count() == 1
    problem = services.problem_start(actor=w.dept_a, problem=problem)
    assert problem.status == ProblemStatus.IN_PROGRESS
    problem = services.problem_answer(
        actor=w.dept_a, problem=problem, answer="已完成征地补偿，施工队进场", attachments=[png("佐证.png")]
    )
    assert problem.status == ProblemStatus.ANSWERED and problem.answered_by == w.dept_a
    assert problem.attachments.filter(stage="answer").count() == 1
    assert Notice.objects.filter(recipient=w.admin_a, kind="problem_answered").count() == 1
    problem = services.problem_close(actor=w.admin_a, problem=problem, comment="核实无误")
    assert problem.status == ProblemStatus.CLOSED and problem.closed_on == TODAY
    assert problem.resolution_days == 10
    assert _kinds(problem) == ["recorded", "assigned", "started", "answered", "closed"]
    assert problem.history.count() == 5  # created + one record per step


def test_send_back_then_answer_again(problem_world):
    w = problem_world
    problem = services.problem_answer(actor=w.dept_a, problem=_assigned(w), answer="已协调")
    with pytest.raises(ValidationError) as error:
        services.problem_send_back(actor=w.admin_a, problem=problem, reason="  ")
    assert "退回必须说明原因" in _messages(error.value)
    problem = services.problem_send_back(actor=w.admin_a, problem=problem, reason="未附补偿协议")
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.send_back_reason == "未附补偿协议"
    assert Notice.objects.filter(recipient=w.dept_a, kind="problem_sent_back").exists()
    problem = services.problem_answer(actor=w.dept_a, problem=problem, answer="补充了补偿协议")
    assert problem.status == ProblemStatus.ANSWERED


def test_closing_a_problem_never_answered_is_refused(problem_world):
    w = problem_world
    problem = _assigned(w)
    with pytest.raises(ValidationError) as error:
        services.problem_close(actor=w.admin_a, problem=problem)
    assert "问题尚未办结，不能销号" in _messages(error.value)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ASSIGNED


def test_a_department_cannot_answer_a_problem_not_assigned_to_it(problem_world):
    w = problem_world
    problem = _assigned(w)
    with pytest.raises(ValidationError) as error:
        services.problem_answer(actor=w.department, problem=problem, answer="不是我们的")
    assert "未交办给您的单位" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.problem_start(actor=w.department, problem=problem)
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.ASSIGNED


def test_answer_needs_text_and_an_assigned_problem(problem_world):
    w = problem_world
    with pytest.raises(ValidationError) as error:
        services.problem_answer(actor=w.dept_a, problem=_assigned(w), answer="")
    assert "请填写办理情况" in _messages(error.value)
    with pytest.raises(ValidationError) as error:
        services.problem_answer(actor=w.admin_a, problem=_record(w), answer="x")
    assert "只有已交办或办理中的问题可以办结" in _messages(error.value)


def test_assign_refuses_a_deadline_before_the_problem_was_found(problem_world):
    w = problem_world
    problem = _record(w)
    with pytest.raises(ValidationError) as error:
        services.problem_assign(
            actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=problem.found_on - datetime.timedelta(1)
        )
    assert "办理时限不能早于发现日期" in _messages(error.value)
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.OPEN


def test_assign_refuses_an_enterprise_or_another_countys_department(problem_world):
    w = problem_world
    problem = _record(w)
    with pytest.raises(ValidationError) as error:
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.owner_org_a, deadline=TODAY)
    assert "责任单位应为政府部门" in _messages(error.value)
    with pytest.raises(ValidationError) as error:
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.dept_b_org, deadline=TODAY)
    assert "无权" in _messages(error.value)


def test_only_administrators_in_scope_assign(problem_world):
    w = problem_world
    problem = _record(w)
    for actor in (w.admin_b, w.leader, w.dept_a, w.owner_a):
        with pytest.raises(ValidationError):
            services.problem_assign(actor=actor, problem=problem, department=w.dept_a_org, deadline=TODAY)
    assert not Notice.objects.filter(kind="problem_assigned", recipient=w.dept_a).exists()


def test_escalate_county_city_province_keeps_history(problem_world):
    w = problem_world
    problem = _assigned(w)
    with pytest.raises(ValidationError) as error:
        services.problem_escalate(actor=w.admin_a, problem=problem, reason="")
    assert "提级协调必须说明原因" in _messages(error.value)
    problem = services.problem_escalate(actor=w.admin_a, problem=problem, reason="涉及跨县用地指标调剂")
    assert problem.level == CoordinationLevel.CITY and problem.status == ProblemStatus.OPEN
    assert problem.department == w.dept_a_org  # kept
    assert Notice.objects.filter(recipient=w.city_admin, kind="problem_escalated").exists()
    # The county can no longer assign, close or escalate a city-level problem.
    with pytest.raises(ValidationError) as error:
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY)
    assert "市级协调的问题须由市级管理员交办" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.problem_escalate(actor=w.admin_a, problem=problem, reason="再提")
    problem = services.problem_assign(
        actor=w.city_admin, problem=problem, department=w.department_org, deadline=TODAY + datetime.timedelta(5)
    )
    assert problem.level == CoordinationLevel.CITY
    with pytest.raises(ValidationError) as error:
        services.problem_assign(
            actor=w.city_admin, problem=problem, department=w.department_org, deadline=TODAY, level="county"
        )
    assert "不能降级交办" in _messages(error.value)
    problem = services.problem_escalate(actor=system_user(), problem=problem, reason="需省级协调")
    assert problem.level == CoordinationLevel.PROVINCE
    with pytest.raises(ValidationError) as error:
        services.problem_escalate(actor=system_user(), problem=problem, reason="再提")
    assert "已在省级协调" in _messages(error.value)
    levels = list(
        ProblemEvent.objects.filter(problem=problem, kind="escalated")
        .order_by("pk")
        .values_list("from_level", "to_level")
    )
    assert levels == [("county", "city"), ("city", "province")]


def test_closed_problems_cannot_be_escalated_or_reassigned(problem_world):
    w = problem_world
    problem = services.problem_answer(actor=w.dept_a, problem=_assigned(w), answer="done")
    problem = services.problem_close(actor=w.admin_a, problem=problem)
    with pytest.raises(ValidationError) as error:
        services.problem_escalate(actor=w.admin_a, problem=problem, reason="x")
    assert "已销号" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY)
    with pytest.raises(ValidationError):
        services.problem_send_back(actor=w.admin_a, problem=problem, reason="x")


def test_other_county_admin_can_do_nothing_with_a_problem(problem_world):
    w = problem_world
    problem = services.problem_answer(actor=w.dept_a, problem=_assigned(w), answer="done")
    for call in (
        lambda: services.problem_close(actor=w.admin_b, problem=problem),
        lambda: services.problem_send_back(actor=w.admin_b, problem=problem, reason="x"),
        lambda: services.problem_escalate(actor=w.admin_b, problem=problem, reason="x"),
        lambda: services.problem_answer(actor=w.dept_b, problem=problem, answer="x"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.ANSWERED


def test_overdue_is_derived(problem_world):
    w = problem_world
    problem = _assigned(w, deadline=TODAY - datetime.timedelta(days=3))
    assert problem.days_overdue() == 3
    assert Problem.objects.overdue().filter(pk=problem.pk).exists()
    problem = services.problem_answer(actor=w.dept_a, problem=problem, answer="done")
    assert problem.days_overdue() == 3  # answered is not closed
    problem = services.problem_close(actor=w.admin_a, problem=problem)
    assert problem.days_overdue() == 0
    assert not Problem.objects.overdue().filter(pk=problem.pk).exists()


# ---- from a monthly report -----------------------------------------------------------------------


def test_split_problem_text():
    text = "1、用地指标未落实；2、配套电网未接入\n（3）资金缺口2000万元。\n无"
    assert services.split_problem_text(text) == ["用地指标未落实", "配套电网未接入", "资金缺口2000万元"]


def test_report_problems_become_ledger_problems_in_one_step(problem_world):
    w = problem_world
    report = report_services.report_save(
        actor=system_user(),
        project=w.project_a2,
        period="2025-07",
        investment_month=0,
        problems_text="1. 施工用电未接入\n2. 土方外运受限",
    )
    problems = services.problems_from_report(actor=w.admin_a, report=report, category=category("水电气暖"))
    assert [p.description for p in problems] == ["施工用电未接入", "土方外运受限"]
    assert all(p.report == report and p.source == ProblemSource.OWNER_REPORT for p in problems)
    with pytest.raises(ValidationError) as error:
        services.problems_from_report(actor=w.admin_a, report=report, category=category("其他"))
    assert "已转入问题清单" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.problems_from_report(actor=w.admin_b, report=report, category=category("其他"))


def test_a_report_without_problems_cannot_be_converted(problem_world):
    w = problem_world
    with pytest.raises(ValidationError) as error:
        services.problems_from_report(actor=w.admin_a, report=w.report_a, category=category("其他"))
    assert "没有填写存在的问题" in _messages(error.value)


def test_assignment_emails_the_department_after_commit_and_a_refused_step_emails_nobody(
    problem_world, django_capture_on_commit_callbacks
):
    from django.core import mail

    w = problem_world
    w.dept_a.email = "dept_a@example.cn"
    w.dept_a.save()
    problem = _record(w)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            services.problem_assign(
                actor=w.admin_a,
                problem=problem,
                department=w.dept_a_org,
                deadline=problem.found_on - datetime.timedelta(1),
            )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assign(actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY)
    assert [m.to for m in mail.outbox] == [["dept_a@example.cn"]]
    assert problem.number in mail.outbox[0].subject or problem.number in mail.outbox[0].body
