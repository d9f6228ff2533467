"""The bulk path's helpers do what Django does, only faster: built instances and field checks."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init
from django.utils import timezone

from tiaodu.ledgers.bulk import Builder, FieldCheck, attach, insert_rows, instance_maker
from tiaodu.orgs.models import Organisation
from tiaodu.projects.models import KeyListEntry, Project, StageTransition
from tiaodu.regions.models import Region
from tiaodu.reports.models import MonthlyReport, OpeningBalance
from tiaodu.testing import ProjectFactory

pytestmark = pytest.mark.django_db


def _fields(obj):
    """The field values of an instance; a timestamp default (created_at, at) only as its type."""
    return {
        f.attname: type(value) if f.default is timezone.now else value
        for f in obj._meta.concrete_fields
        for value in [getattr(obj, f.attname)]
    }


@pytest.mark.parametrize(
    "model, values",
    [
        (Project, {"name": "新建项目", "total_investment": Decimal("12.50"), "sector": "industry", "nature": "new"}),
        (KeyListEntry, {"annual_plan": Decimal("3"), "note": "备注"}),
        (StageTransition, {"from_state": "", "to_state": "planning", "comment": "台账导入"}),
        (OpeningBalance, {"ytd": Decimal("1.5"), "since_start": Decimal("9")}),
        (MonthlyReport, {"investment_month": Decimal("0.25"), "progress_text": "主体施工"}),
        (Organisation, {"name": "某某有限公司", "kind": "enterprise", "credit_code": None}),
    ],
)
def test_builder_makes_what_the_keyword_form_makes(model, values):
    built, plain = Builder(model)(**values), model(**values)
    assert _fields(built) == _fields(plain)
    assert built._state.adding and built.pk is None


def test_builder_sets_relations_saved_or_not():
    region = Region.objects.filter(level="county").first()
    owner = Organisation(name="未保存单位", kind="enterprise", region=region)
    project = Builder(Project)(name="关系", region=region, owner=owner, sector="industry", nature="new")
    assert project.region is region and project.region_id == region.pk
    assert project.owner is owner and project.owner_id is None  # insert_rows copies the key once saved


def test_builder_calls_callable_defaults_per_instance():
    make = Builder(MonthlyReport)
    made_at = timezone.now()
    time.sleep(0.01)
    report = make()
    assert report.created_at > made_at  # timezone.now called for the instance, not once for the builder
    assert report.investment_month == Decimal("0") and report.status == "draft" and report.milestones == ""


def _state(obj):
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}, obj._state.adding, obj._state.db


def test_instance_maker_makes_what_django_makes():
    names = [f.attname for f in MonthlyReport._meta.concrete_fields]
    values = [f.get_default() for f in MonthlyReport._meta.concrete_fields]
    made = instance_maker(MonthlyReport, names)(values)
    assert type(made) is MonthlyReport and _state(made) == _state(MonthlyReport(*values))
    assert made._state.adding and made._state.db is None


def test_instance_maker_reads_rows_as_from_db_with_the_other_fields_deferred():
    project = ProjectFactory(address="某路1号")
    names = ["id", "name", "region_id", "total_investment"]
    values = Project.objects.filter(pk=project.pk).values_list(*names).get()
    made = instance_maker(Project, names, db="default")(values)
    read = Project.from_db("default", names, values)
    assert _state(made) == _state(read)
    assert made.get_deferred_fields() == read.get_deferred_fields() and "address" in made.get_deferred_fields()
    assert not made._state.adding and made._state.db == "default"
    assert made.address == "某路1号" and made.region == project.region  # a deferred field and a relation load on use


def test_instance_maker_goes_through_django_when_a_receiver_listens():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    make = instance_maker(OpeningBalance, ["id", "ytd"], db="default")
    post_init.connect(receiver, sender=OpeningBalance)
    try:
        made = make([7, Decimal("2")])
    finally:
        post_init.disconnect(receiver, sender=OpeningBalance)
    assert seen == [made] and made.pk == 7 and made.ytd == Decimal("2") and not made._state.adding
    assert make([8, Decimal("3")]) not in seen and len(seen) == 1


def test_instance_maker_wants_the_fields_in_their_order():
    with pytest.raises(ValueError, match="out of their order"):
        instance_maker(Project, ["name", "id"])


def test_field_check_cleans_like_full_clean_and_remembers_valid_values():
    check = FieldCheck(MonthlyReport, ["investment_month", "progress_text"])
    report = MonthlyReport(investment_month="12.5", progress_text="施工")
    check(report)
    assert report.investment_month == Decimal("12.5")
    again = MonthlyReport(investment_month="12.5", progress_text="施工")
    check(again)
    assert again.investment_month == Decimal("12.5")


def test_field_check_tells_decimals_apart_by_their_places():
    """1.5 and 1.500 are equal, but only the first fits two decimal places: both are checked."""
    check = FieldCheck(OpeningBalance, ["ytd"])
    check(OpeningBalance(ytd=Decimal("1.5"), since_start=Decimal("2")))
    with pytest.raises(ValidationError) as error:
        check(OpeningBalance(ytd=Decimal("1.500"), since_start=Decimal("2")))
    assert "ytd" in error.value.message_dict


def test_field_check_runs_the_model_clean():
    check = FieldCheck(MonthlyReport, ["investment_month"])
    with pytest.raises(ValidationError) as error:
        check(MonthlyReport(investment_month=Decimal("-1")))
    assert "investment_month" in error.value.message_dict


def test_insert_rows_writes_dates_and_moments_exactly():
    """Moments to the microsecond and in their zone, dates, and the history rows' own, as read back."""
    project = ProjectFactory()
    user = project.created_by
    moment = timezone.localtime(timezone.now()).replace(microsecond=123456)  # +08:00, as a form gives it
    reports = [
        MonthlyReport(project=project, period=date(2025, month, 1), submitted_at=moment, status="submitted")
        for month in (6, 7)
    ]
    insert_rows(MonthlyReport, reports, history={"history_type": "+", "user": user})
    for report in reports:
        read = MonthlyReport.objects.get(pk=report.pk)
        assert (read.period, read.submitted_at, read.created_at) == (report.period, moment, report.created_at)
        assert read.created_at.microsecond == report.created_at.microsecond
        record = report.history.get()
        assert (record.period, record.submitted_at, record.history_type) == (report.period, moment, "+")
        assert record.history_date >= report.created_at and record.history_user == user


def test_attach_shares_one_instance_per_row_and_reads_only_the_unknown(django_assert_num_queries):
    first, second, third = ProjectFactory(), ProjectFactory(), ProjectFactory()
    projects = [Project.objects.only("id", "owner_id", "region_id").get(pk=p.pk) for p in (first, second, third, first)]
    known = {first.owner_id: first.owner}
    with django_assert_num_queries(1):  # the regions: one in_bulk
        attach(projects, "region", Region.objects)
    with django_assert_num_queries(1):  # the owners not known
        attach(projects, "owner", Organisation.objects, known=known)
    with django_assert_num_queries(0):
        assert projects[0].region is projects[3].region and projects[0].region == first.region
        assert projects[0].owner is first.owner and projects[3].owner is first.owner
        assert projects[1].owner == second.owner and projects[2].owner == third.owner
