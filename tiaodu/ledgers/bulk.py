"""Set-based writes for the imports: many rows per statement, their history rows with them.

Django's ``bulk_create``/``bulk_update`` (and django-simple-history's ``bulk_create_with_history``)
spend most of their time compiling each value through the ORM: ~1 ms a row for a model of 35
fields, too slow for a 50,000-row ledger. These helpers prepare each column's values once per
field kind and send plain multi-row ``INSERT … RETURNING`` / ``executemany`` ``UPDATE``
statements. The history rows are the ones django-simple-history writes (same table, same columns:
the tracked values, ``history_type`` ``+``/``~``, date, user and change reason), so the history
of an imported row is as complete as that of a row saved through a service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

# Field kinds whose Python value is what the database adapter takes as it is.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _converter(field, connection) -> Callable | None:
    """How a column's Python values become the adapter's; ``None`` when they go as they are.

    Conversions are remembered per value: an import writes the same timestamp, date or amount on
    thousands of rows, and converting each again is most of the cost of a plain INSERT.
    """
    if field.get_internal_type() in _PLAIN:
        return None
    seen: dict = {}

    def convert(value):
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            converted = seen[key] = field.get_db_prep_save(value, connection)
            return converted
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)

    return convert


def _columns(model: type[Model], names: Iterable[str] | None = None) -> list:
    if names is None:
        return [f for f in model._meta.concrete_fields if not f.primary_key]
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


def _insert(model: type[Model], fields: list, rows: list[list], *, returning: bool) -> list:
    """INSERT rows of raw values for ``fields``; the new primary keys when ``returning``."""
    connection = connections[router.db_for_write(model)]
    converters = [_converter(f, connection) for f in fields]
    if any(converters):
        rows = [
            [value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)]
            for row in rows
        ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
    ids: list = []
    if returning and not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        raise NotImplementedError("bulk insert needs INSERT … RETURNING")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params = [value for row in batch for value in row]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}"
            if returning:
                cursor.execute(f"{sql} RETURNING {quote(model._meta.pk.column)}", params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids


def _sync_relations(obj: Model, fields: list) -> None:
    """A foreign key set as an object saved after the assignment: copy its primary key to the column."""
    for field in fields:
        if field.is_relation and field.is_cached(obj):
            cached = field.get_cached_value(obj, None)
            if cached is not None and cached.pk != getattr(obj, field.attname):
                setattr(obj, field.attname, cached.pk)


def insert_rows(model: type[Model], objs: list[Model]) -> None:
    """INSERT ``objs`` (unsaved, auto primary key) and set their primary keys; ``auto_now`` fields filled."""
    if not objs:
        return
    fields = _columns(model)
    now = timezone.now()
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    relations = [f for f in fields if f.is_relation]
    rows = []
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
        _sync_relations(obj, relations)
        rows.append([getattr(obj, f.attname) for f in fields])
    ids = _insert(model, fields, rows, returning=True)
    alias = router.db_for_write(model)
    pk = model._meta.pk.attname
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk, pk_value)
        obj._state.adding = False
        obj._state.db = alias


def insert_values(model: type[Model], names: list[str], rows: Iterable) -> None:
    """INSERT plain rows of values for the fields ``names`` (no instances: workflow events by the 100,000)."""
    fields = [model._meta.get_field(name) for name in names]
    rows = [list(row) for row in rows]
    if rows:
        _insert(model, fields, rows, returning=False)


def update_rows(model: type[Model], objs: list[Model], fields: Iterable[str]) -> None:
    """UPDATE ``fields`` of saved ``objs`` (one statement run for every row); ``auto_now`` fields refreshed."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    columns = [f for f in _columns(model, fields) if not f.primary_key]
    now = timezone.now()
    stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    for field in stamped:
        if field not in columns:
            columns.append(field)
    relations = [f for f in columns if f.is_relation]
    converters = [_converter(f, connection) for f in columns]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    rows = []
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
        _sync_relations(obj, relations)
        values = []
        for field, convert in zip(columns, converters, strict=True):
            value = getattr(obj, field.attname)
            values.append(value if convert is None else convert(value))
        values.append(obj.pk)
        rows.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def history_rows(model: type[Model], objs: list[Model], *, history_type: str, user, reason: str = "") -> None:
    """The django-simple-history records of ``objs`` as they are now (``+`` created, ``~`` changed)."""
    if not objs:
        return
    historical = model.history.model
    fields = _columns(historical)
    tracked = {f.attname for f in model._meta.concrete_fields}
    date = timezone.now()
    extra = {
        "history_date": date,
        "history_type": history_type,
        "history_change_reason": reason or None,
        "history_user_id": getattr(user, "pk", None),
    }
    getters = []
    for field in fields:
        if field.attname in extra:
            getters.append((False, extra[field.attname]))
        elif field.attname in tracked:
            getters.append((True, field.attname))
        else:  # pragma: no cover - a history field this helper does not know
            raise NotImplementedError(f"history field {field.attname}")
    rows = [[getattr(obj, key) if live else key for live, key in getters] for obj in objs]
    _insert(historical, fields, rows, returning=False)
