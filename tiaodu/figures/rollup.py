"""Keeping ``FigureRow`` (the current figure base) equal to ``selectors.live_base``.

The figures read ``FigureRow``: one row per entry of a published list and month of its year. Its
values are exactly those of ``live_base`` (the definition, computed from reports, opening
balances, stage transitions, projects and lists) and depend on nothing but that data — not on
today's date — so a row changes only when the data behind it does.

Every service that writes such data calls ``rollup_refresh`` for the projects and years it touched,
inside its own transaction: the rows of those projects and years are recomputed from ``live_base``
(a statement per month: on PostgreSQL an ``UPDATE`` of the rows in place, elsewhere an
``INSERT … SELECT`` in place of the old rows); after the last month a project's data changes, its
row is copied on to the later months by one ``UPDATE`` in place. ``rollup_rebuild`` recomputes
everything (after a bulk load that bypassed the services, such as the benchmark's);
``rollup_differences`` compares the table with the definition (tests, ``tiaodu figures --check-rollup``).
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import BooleanField, DateField, Max, OuterRef, QuerySet, Subquery, Value

from tiaodu.core.periods import period_end
from tiaodu.core.queries import id_list
from tiaodu.projects.choices import KeyListStatus
from tiaodu.projects.models import KeyListEntry, Project, StageTransition
from tiaodu.reports.models import MonthlyReport, OpeningBalance

from .models import VALUE_COLUMNS, FigureRow, FigureTotal
from .selectors import live_base, row_aggregates

# FigureRow's columns, and the same values as live_base selects them (in the same order).
ROW_FIELDS = ("entry", "period", "project", "region", "key_list", *VALUE_COLUMNS)
LIVE_VALUES = ("pk", "row_period", "project_id", "region", "key_list_id", *VALUE_COLUMNS)
CHUNK = 25_000  # projects a statement: from some thousands PostgreSQL joins rather than probe an index a row
ANALYZE_FROM = 10_000  # rows to update from which a refresh checks PostgreSQL's statistics (``_known_rows``)


def _months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def live_rows(period: datetime.date) -> QuerySet:
    """``live_base`` of a month as tuples in the order of ``ROW_FIELDS``."""
    return (
        live_base(period)
        .annotate(row_period=Value(period, output_field=DateField()))
        .order_by()
        .values_list(*LIVE_VALUES)
    )


def _quoted_row_columns() -> tuple[str, list[str], str, str]:
    """FigureRow's table, value columns, and entry and period columns, quoted for the UPDATEs written out here."""
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in FigureRow._meta.concrete_fields}
    return quote(FigureRow._meta.db_table), [column[name] for name in VALUE_COLUMNS], column["entry"], column["period"]


def _recompute(period: datetime.date, entries: list[int]) -> None:
    """PostgreSQL: UPDATE the rows of ``entries`` in ``period`` (which exist) to their ``live_rows``, in place.

    Only value columns are set (a project that moved has had its region set already): no index entry
    is written, and the new version of a row goes into its own page (a HOT update), where deleting the
    rows and inserting them again would write every index of the table.
    """
    sql, params = live_rows(period).filter(pk__in=id_list(entries)).query.sql_with_params()
    table, columns, entry, month = _quoted_row_columns()
    names = [f"c{i}" for i in range(len(LIVE_VALUES))]
    values = [f"l.{names[LIVE_VALUES.index(name)]}" for name in VALUE_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET ({', '.join(columns)}) = ({', '.join(values)}) "
            f"FROM ({sql}) AS l ({', '.join(names)}) "
            f"WHERE {table}.{entry} = l.{names[0]} AND {table}.{month} = %s",
            [*params, period],
        )


def _insert(rows: QuerySet) -> None:
    """INSERT … SELECT the rows of a ``live_rows`` queryset into FigureRow."""
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(FigureRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(FigureRow._meta.get_field(f).column) for f in ROW_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


GROUP = ("period", "region", "level", "sector", "is_primary")


def _retotal(rows: QuerySet, totals: QuerySet) -> None:
    """Replace the sums ``totals`` by those of ``rows`` (the same months and regions), one INSERT … SELECT."""
    totals.delete()
    aggregates = row_aggregates()
    grouped = rows.order_by().values(*GROUP).annotate(**aggregates).values_list(*GROUP, *aggregates)
    sql, params = grouped.query.sql_with_params()
    table = connection.ops.quote_name(FigureTotal._meta.db_table)
    names = [*GROUP, *(key.replace("__", "_") for key in aggregates)]
    columns = ", ".join(connection.ops.quote_name(FigureTotal._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _last_moves(ids: list[int], first: datetime.date) -> dict[int, int]:
    """For those of ``ids`` whose data changes after ``first`` in its year: the last month it does.

    A row of ``live_base`` reads, besides what is the same all year (the list entry, the project's
    region and sector, its planned commissioning year): the latest counted report and opening
    balance up to the month, whether one shows a resumption, whether the month is reported, the
    stage at the month's end, and whether the start and commissioning dates are past it. After the
    last month with a report, an opening balance, a stage move, a start or a commissioning date,
    none of these moves: every later row is that month's, not reported.
    """
    end, year_end = period_end(first), datetime.date(first.year, 12, 31)
    last: dict[int, int] = {}

    def note(pairs) -> None:
        for pk, day in pairs:
            if day is not None and day.month > last.get(pk, 0):
                last[pk] = day.month

    after = {"project__in": id_list(ids), "period__gt": first, "period__year": first.year}
    for model in (MonthlyReport, OpeningBalance):
        latest = model.objects.filter(**after).values("project").annotate(last=Max("period"))
        note(latest.values_list("project", "last"))
    transitions = StageTransition.objects.filter(
        project__in=id_list(ids), effective_date__gt=end, effective_date__lte=year_end
    )
    note(transitions.values("project").annotate(last=Max("effective_date")).values_list("project", "last"))
    for field in ("actual_start_date", "actual_commissioning_date"):
        dated = Project.objects.filter(pk__in=id_list(ids), **{f"{field}__gt": end, f"{field}__lte": year_end})
        note(dated.values_list("pk", field))
    return last


def _carried(first: datetime.date, period: datetime.date, entries: list[int]) -> QuerySet:
    """The rows of ``entries`` in ``first`` as rows of ``period`` (not reported), in the order of ``ROW_FIELDS``."""
    values = [{"period": "row_period", "reported": "not_reported"}.get(name, name) for name in ROW_FIELDS]
    return (
        FigureRow.objects.filter(period=first, entry__in=id_list(entries))
        .annotate(
            row_period=Value(period, output_field=DateField()),
            not_reported=Value(False, output_field=BooleanField()),
        )
        .order_by()
        .values_list(*values)
    )


def _carry(source: datetime.date, through: datetime.date, entries: list[int]) -> None:
    """UPDATE the rows of ``entries`` after ``source`` up to ``through`` to their values in ``source``, not reported.

    One statement for all those months. On PostgreSQL a join (``UPDATE … FROM``: the planner matches the
    source rows to the later ones as it sees fit); elsewhere each row looks its source up through the
    unique (entry, period) index. See ``_known_rows`` for the statistics the plan needs. Only value
    columns are set, so no index changes; on PostgreSQL the new version of a row goes into its own page
    (a HOT update: the table keeps room for it, see the model).
    """
    table, columns, entry, month = _quoted_row_columns()
    values = ", ".join(
        "%s" if name == "reported" else f"s.{column}" for name, column in zip(VALUE_COLUMNS, columns, strict=True)
    )
    targets = (
        f"{table}.{month} > %s AND {table}.{month} <= %s "
        f"AND {table}.{entry} IN ({', '.join(str(int(pk)) for pk in entries)})"
    )
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET ({', '.join(columns)}) = ({values}) FROM {table} s "
            f"WHERE s.{entry} = {table}.{entry} AND s.{month} = %s AND {targets}"
        )
    else:
        sql = (
            f"UPDATE {table} SET ({', '.join(columns)}) = (SELECT {values} FROM {table} s "
            f"WHERE s.{entry} = {table}.{entry} AND s.{month} = %s) WHERE {targets}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, source, source, through])


def _known_rows(count: int) -> None:
    """PostgreSQL: ANALYZE FigureRow when its statistics know of fewer than ``count`` rows (those about to be
    updated, which it holds at least).

    Statistics taken before a list was published (or inside the transaction that publishes it and then
    imports, as the demo does) describe a table of a few rows; the planner then looks each row of
    ``_carry`` up through the (period, region) index, reading a whole month per row (11 s for 5,000
    rows instead of 25 ms). ANALYZE samples a fixed number of rows (about 0.2 s) and sees the rows of
    the transaction it runs in. Autovacuum keeps the statistics current otherwise; a small refresh
    (a report saved) does not pay for the check, whatever the plan costs it.
    """
    if connection.vendor != "postgresql" or count < ANALYZE_FROM:
        return
    table = FigureRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (known,) = cursor.fetchone()
        if known < count:  # -1: never analysed
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _refresh_chunk(chunk: list[int], year: int, months: list[datetime.date]) -> set[int]:
    """Recompute the rows of the projects ``chunk`` for ``months`` (the rest of ``year``); the regions touched.

    An entry of a published list has a row for every month of its year, or none yet (a list just
    published, an entry just added: those are inserted). So its row of the first month tells which
    entries have rows and which region they are in: the rows of entries no longer counted (none is,
    today: entries are deleted with their rows, lists not unpublished) are deleted, those of a project
    that moved get its new region. Then each month: the rows computed from ``live_base`` (the first
    month, and later ones where a project's data still moves) replace the old ones; the rows after a
    project's last such month are copied from it, updated in place (``_carry``, one statement for all
    those months), or inserted for entries new to the table.
    """
    span = {"period__gte": months[0], "period__lte": months[-1]}
    region_now = dict(Project.objects.filter(pk__in=id_list(chunk)).values_list("pk", "region"))
    touched = set(region_now.values())
    kept: set[int] = set()
    gone, moved = [], set()
    live = dict(
        KeyListEntry.objects.filter(
            project__in=id_list(chunk), key_list__year=year, key_list__status=KeyListStatus.PUBLISHED
        ).values_list("pk", "project")
    )
    first_rows = FigureRow.objects.filter(project__in=id_list(chunk), period=months[0])
    for entry, project, region in first_rows.values_list("entry", "project", "region"):
        touched.add(region)
        if entry not in live:
            gone.append(entry)
            continue
        kept.add(entry)
        if region != region_now[project]:
            moved.add(project)
    if gone:
        FigureRow.objects.filter(entry__in=id_list(gone), **span).delete()
    if moved:
        region = Project.objects.filter(pk=OuterRef("project")).values("region")[:1]
        FigureRow.objects.filter(project__in=id_list(moved), **span).update(region=Subquery(region))
    entries = sorted(live)
    if len(months) > 1:
        _known_rows(len(kept) * len(months))

    def compute(period: datetime.date, pks: list[int]) -> None:
        if not pks:
            return
        mine = [pk for pk in pks if pk in kept]
        if mine and connection.vendor == "postgresql":
            _recompute(period, mine)
            pks = [pk for pk in pks if pk not in kept]
        elif mine:
            FigureRow.objects.filter(period=period, entry__in=id_list(mine)).delete()
        if pks:
            _insert(live_rows(period).filter(pk__in=id_list(pks)))

    compute(months[0], entries)
    last = _last_moves(chunk, months[0]) if len(months) > 1 else {}
    for period in months[1:]:
        compute(period, [pk for pk in entries if last.get(live[pk], 0) >= period.month])
    # After the last month a project's data changes (or the first month recomputed), its row is the
    # same every month but for ``reported``: copied on from that month rather than computed again.
    sources: dict[int, list[int]] = {}
    for pk in entries:
        source = max(last.get(live[pk], 0), months[0].month)
        if source < months[-1].month:
            sources.setdefault(source, []).append(pk)
    for source_month, pks in sorted(sources.items()):
        source = datetime.date(year, source_month, 1)
        if fresh := [pk for pk in pks if pk not in kept]:
            for period in months[source_month - months[0].month + 1 :]:
                _insert(_carried(source, period, fresh))
        if old := [pk for pk in pks if pk in kept]:
            _carry(source, months[-1], old)
    return touched


def _ids(projects) -> list[int]:
    return sorted({getattr(p, "pk", p) for p in projects})


# Inside ``rollup_deferred()``: the refreshes asked for, by year (None: every year of the project), with
# the first month to recompute.
_pending: ContextVar[dict | None] = ContextVar("rollup_pending", default=None)


@contextmanager
def rollup_deferred() -> Iterator[None]:
    """Collect the refreshes the services ask for and carry them out once, at the end (bulk loads, imports).

    Use inside a transaction around many service calls; the rows are right when the block ends
    without an exception (on an exception the transaction is rolled back anyway).
    """
    if _pending.get() is not None:  # already deferring: the outer block refreshes
        yield
        return
    token = _pending.set({})
    try:
        yield
        rollup_flush()
    finally:
        _pending.reset(token)


def rollup_cancel() -> None:
    """Forget the refreshes collected so far: the block's writes are being rolled back (a preview)."""
    pending = _pending.get()
    if pending:
        pending.clear()


def rollup_flush() -> None:
    """Carry out the refreshes collected so far by ``rollup_deferred`` (before reading the rows, e.g. a lock)."""
    pending = _pending.get()
    if not pending:
        return
    work = sorted(pending.items(), key=lambda item: (item[0][0] or 0, item[0][1]))
    pending.clear()
    token = _pending.set(None)
    try:
        for (year, first_month), (ids, regions) in work:
            years = None if year is None else [year]
            rollup_refresh(projects=ids, years=years, first_month=first_month, regions=regions)
    finally:
        _pending.reset(token)


@transaction.atomic
def rollup_refresh(
    *, projects: Iterable, years: Iterable[int] | None = None, first_month: int = 1, regions: Iterable[int] = ()
) -> None:
    """Recompute the figure rows of ``projects`` (objects or ids) for ``years`` (default: every year they have).

    Called by the services that change what the figures count, after their own writes. A report
    changes nothing before its own month: ``first_month`` limits the months recomputed. The sums of
    the regions the rows were and are in are redone too, and those of ``regions`` (the regions of
    rows already gone, deleted with their list entry).
    """
    ids = _ids(projects)
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        for year in [None] if years is None else years:
            ids_so_far, regions_so_far = pending.setdefault((year, first_month), (set(), set()))
            ids_so_far.update(ids)
            regions_so_far.update(regions)
        return
    chunks_by_year: dict[int, list[list[int]]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if years is None:
            listed = KeyListEntry.objects.filter(project__in=chunk, key_list__status=KeyListStatus.PUBLISHED)
            chunk_years = set(listed.values_list("key_list__year", flat=True).distinct())
            chunk_years |= {d.year for d in FigureRow.objects.filter(project__in=chunk).dates("period", "year")}
        else:
            chunk_years = set(years)
        for year in chunk_years:
            chunks_by_year.setdefault(year, []).append(chunk)
    for year, chunks in sorted(chunks_by_year.items()):
        months = _months(year)[first_month - 1 :]
        span = {"period__gte": months[0], "period__lte": months[-1]}
        # The sums to redo: the regions the rows were in and are in now, and those of rows already
        # gone with a removed list entry — once for the year, after every chunk's rows.
        touched = set(regions)
        for chunk in chunks:
            touched |= _refresh_chunk(chunk, year, months)
        _retotal(
            FigureRow.objects.filter(region__in=touched, **span),
            FigureTotal.objects.filter(region__in=touched, **span),
        )


@transaction.atomic
def rollup_refresh_list(*, key_list) -> None:
    """Recompute the rows of every project on ``key_list`` for its year (a list published, say)."""
    projects = list(key_list.entries.values_list("project_id", flat=True))
    rollup_refresh(projects=projects, years=[key_list.year])


@transaction.atomic
def rollup_rebuild(years: Iterable[int] | None = None) -> int:
    """Recompute the whole table (or the given years) from the definition; returns the number of rows."""
    if years is None:
        listed = KeyListEntry.objects.filter(key_list__status=KeyListStatus.PUBLISHED)
        years = set(listed.values_list("key_list__year", flat=True).distinct())
        FigureRow.objects.all().delete()
        FigureTotal.objects.all().delete()
    else:
        years = set(years)
        FigureRow.objects.filter(period__year__in=years).delete()
    for year in sorted(years):
        for period in _months(year):
            _insert(live_rows(period))
        span = {"period__year": year}
        _retotal(FigureRow.objects.filter(**span), FigureTotal.objects.filter(**span))
    return FigureRow.objects.count()


@transaction.atomic
def totals_rebuild() -> int:
    """Recompute every sum from the stored rows (a database whose rows predate the sums)."""
    _retotal(FigureRow.objects.all(), FigureTotal.objects.all())
    return FigureTotal.objects.count()


def rollup_differences(period: datetime.date, *, limit: int = 20) -> list[str]:
    """Where FigureRow differs from the definition for ``period`` (empty when they agree)."""
    stored = {row[0]: row for row in FigureRow.objects.filter(period=period).values_list(*ROW_FIELDS)}
    live = {row[0]: row for row in live_rows(period)}
    problems = []
    for entry in sorted(stored.keys() | live.keys()):
        if stored.get(entry) != live.get(entry):
            problems.append(f"entry {entry} {period:%Y-%m}: stored {stored.get(entry)} != live {live.get(entry)}")
            if len(problems) >= limit:
                return problems
    # The sums: as kept, and as the stored rows add up.
    aggregates = row_aggregates()
    names = [key.replace("__", "_") for key in aggregates]
    kept = {row[:4]: row[4:] for row in FigureTotal.objects.filter(period=period).values_list(*GROUP[1:], *names)}
    grouped = FigureRow.objects.filter(period=period).order_by().values(*GROUP[1:]).annotate(**aggregates)
    summed = {row[:4]: row[4:] for row in grouped.values_list(*GROUP[1:], *aggregates)}
    for group in sorted(kept.keys() | summed.keys(), key=str):
        if kept.get(group) != summed.get(group):
            problems.append(f"sums {period:%Y-%m} {group}: kept {kept.get(group)} != rows {summed.get(group)}")
            if len(problems) >= limit:
                break
    return problems
