"""Small query helpers shared by the bulk paths (imports, the figure rows)."""

from collections.abc import Iterable

from django.db.models.expressions import RawSQL


def id_list(ids: Iterable[int]) -> RawSQL:
    """Integer primary keys as the right side of ``field__in=``, written out once as literals.

    Given a Python list, the ORM prepares and binds the values one by one: for the 2,000–5,000 ids
    of a bulk statement that costs more than running the statement. ``int()`` keeps the text a
    list of numbers whatever is passed.
    """
    return RawSQL(",".join(map(str, map(int, ids))) or "NULL", ())


def hold_off_autovacuum() -> None:
    """PostgreSQL: keep autovacuum away from every Tiaodu table until the current transaction ends.

    For a long transaction that fills many tables (the demo city: minutes). Autovacuum's ANALYZE
    cannot see the rows of a transaction still running: if it runs meanwhile, it records the pages
    those rows fill and none of the rows (``reltuples`` 0 over 60 pages), and the planner takes the
    tables for empty for the rest of the load. A primary-key lookup then walks a whole table per row
    (``report_submit``'s ``SELECT … FOR UPDATE`` stalled the PostgreSQL tests for an hour). Autovacuum
    skips a table it cannot lock at once; holding SHARE UPDATE EXCLUSIVE, which ordinary reads and
    writes do not conflict with, makes it skip ours. Needs an atomic block; does nothing on SQLite.

    Statistics recorded the same way *before* the transaction began are not mended by this: the test
    cluster runs without autovacuum for that reason (``scripts/test.sh``).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    quoted = ", ".join(map(connection.ops.quote_name, tables))
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {quoted} IN SHARE UPDATE EXCLUSIVE MODE")
