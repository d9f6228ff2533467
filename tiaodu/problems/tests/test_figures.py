"""Figures of the problem ledger: every number equals the length of its drill-down (a property), and rankings."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaodu.core.dates import local_today
from tiaodu.problems import selectors, services
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.testing import category

pytestmark = pytest.mark.django_db
TODAY = local_today()
# What happens to each generated problem: (county A or B, how far it gets, deadline offset from today, days ago found).
STEPS = st.sampled_from(["open", "assigned", "answered", "closed"])
PROBLEM = st.tuples(
    st.booleans(), STEPS, st.integers(min_value=-10, max_value=10), st.integers(min_value=0, max_value=40)
)


def _make(w, in_a: bool, step: str, deadline_offset: int, days_ago: int):
    admin, project, dept_org, dept = (
        (w.admin_a, w.project_a, w.dept_a_org, w.dept_a) if in_a else (w.admin_b, w.project_b, w.dept_b_org, w.dept_b)
    )
    found = TODAY - datetime.timedelta(days=days_ago)
    problem = services.problem_record(
        actor=admin,
        source=ProblemSource.SITE_VISIT,
        category=category("其他"),
        description="生成的问题",
        project=project,
        found_on=found,
    )
    if step == "open":
        return problem
    deadline = max(found, TODAY + datetime.timedelta(days=deadline_offset))
    problem = services.problem_assign(actor=admin, problem=problem, department=dept_org, deadline=deadline)
    if step == "assigned":
        return problem
    problem = services.problem_answer(actor=dept, problem=problem, answer="已办", answered_on=found)
    if step == "answered":
        return problem
    return services.problem_close(actor=admin, problem=problem, closed_on=found)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problems=st.lists(PROBLEM, max_size=8))
def test_every_number_is_the_length_of_its_drilldown(problem_world, problems):
    w = problem_world
    with transaction.atomic():
        for spec in problems:
            _make(w, *spec)
        query = selectors.ProblemFigureQuery(start=TODAY - datetime.timedelta(days=60), end=TODAY, today=TODAY)
        for user in (w.city_admin, w.admin_a):
            totals = selectors.figure_totals(user, query)
            for measure in selectors.MEASURES:
                assert totals[measure] == selectors.drilldown(user, query, measure).count()
            assert totals["found"] == totals["solved"] + totals["unsolved"]
            for group in selectors.GROUPS:
                rows = selectors.figure_table(user, query, group)
                assert sum(row["found"] for row in rows) == totals["found"]
                for row in rows:
                    for measure in selectors.MEASURES:
                        assert row[measure] == selectors.drilldown(user, query, measure, group, row["key"]).count()
                    if row["found"]:
                        expected = (Decimal(row["solved"]) * 100 / row["found"]).quantize(Decimal("0.1"))
                        assert abs(row["rate"] - expected) <= Decimal("0.1")
        a_rows = selectors.figure_table(w.admin_a, query, "region")
        assert all(row["key"] == str(w.county_a.pk) for row in a_rows)
        transaction.set_rollback(True)


def test_rate_rounds_half_up_and_ties_share_a_rank():
    assert selectors.rate(1038, 1141) == Decimal("91.0")
    assert selectors.rate(1, 8) == Decimal("12.5")
    assert selectors.rate(0, 0) is None


def test_average_days_and_ranking(problem_world):
    w = problem_world
    _make(w, True, "closed", 0, 10)  # solved on the day found: 0 days
    closed_late = _make(w, True, "answered", 0, 6)
    services.problem_close(actor=w.admin_a, problem=closed_late, closed_on=TODAY)  # 6 days
    _make(w, False, "assigned", -1, 3)
    query = selectors.ProblemFigureQuery(start=TODAY - datetime.timedelta(days=30), end=TODAY, today=TODAY)
    rows = {row["label"]: row for row in selectors.figure_table(w.city_admin, query, "region")}
    a, b = rows[w.county_a.name], rows[w.county_b.name]
    assert (a["found"], a["solved"], a["rate"], a["avg_days"], a["rank"]) == (2, 2, Decimal("100.0"), Decimal("3.0"), 1)
    assert (b["found"], b["solved"], b["rate"], b["overdue"], b["rank"]) == (1, 0, Decimal("0.0"), 1, 2)
