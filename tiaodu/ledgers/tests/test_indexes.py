"""The tables an import writes by the 50,000 rows carry no index another one already covers.

An index on a column that leads another index (or a constraint's) answers no query the other
cannot, and costs every row written: a ledger import writes each of these tables in bulk.
"""

import pytest
from django.db import connection

from tiaodu.projects.models import KeyListEntry, Project
from tiaodu.reports.models import MonthlyReport, OpeningBalance

pytestmark = pytest.mark.django_db

WRITTEN_IN_BULK = [Project, KeyListEntry, MonthlyReport, OpeningBalance]


def _covered(table: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name: (tuple(c["columns"]), c["unique"])
        for name, c in constraints.items()
        if (c["index"] or c["unique"]) and not c["primary_key"] and c["columns"]
    }
    # A partial index holds only its rows: it covers nothing, and nothing covers it.
    partial = {index.name for model in WRITTEN_IN_BULK for index in model._meta.indexes if index.condition}
    found = []
    for name, (columns, unique) in indexes.items():
        # PostgreSQL's "_like" index of a text column (varchar_pattern_ops) serves LIKE 'prefix%'.
        if unique or name in partial or name.endswith("_like"):
            continue
        for other, (other_columns, other_unique) in indexes.items():
            if other == name or other in partial:
                continue
            longer = len(other_columns) > len(columns) or other_unique or other < name
            if other_columns[: len(columns)] == columns and longer:
                found.append(f"{name} {columns} ← {other} {other_columns}")
                break
    return found


@pytest.mark.parametrize("model", WRITTEN_IN_BULK, ids=lambda m: m.__name__)
def test_no_index_is_covered_by_another(model):
    assert _covered(model._meta.db_table) == []


def test_the_check_finds_a_covered_index():
    """The check itself: a single-column index under a two-column one is found."""
    table = connection.ops.quote_name(MonthlyReport._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX tiaodu_test_covered ON {table} (project_id)")
    assert any(line.startswith("tiaodu_test_covered") for line in _covered(MonthlyReport._meta.db_table))
