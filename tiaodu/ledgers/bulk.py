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

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from inspect import getattr_static
from itertools import chain
from operator import attrgetter, itemgetter

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
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
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    seen: dict = {}
    if kind == "DecimalField":
        # A finite Decimal is what every backend takes (``adapt_decimalfield_value`` returns it).
        def decimal(value):
            if type(value) is Decimal and value.is_finite():
                return value
            return field.get_db_prep_save(value, connection)

        return decimal

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


def _insert(model: type[Model], fields: list, rows: list[list], *, returning: bool, converted: bool = False) -> list:
    """INSERT rows of raw values for ``fields`` (or of database values, ``converted``); the new keys."""
    connection = connections[router.db_for_write(model)]
    converters = [] if converted else [_converter(f, connection) for f in fields]
    if any(converters):
        rows = [
            [value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)]
            for row in rows
        ]
    if connection.vendor == "postgresql":
        return _copy(connection, model, fields, rows, returning=returning)
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
            params = list(chain.from_iterable(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}"
            if returning:
                cursor.execute(f"{sql} RETURNING {quote(model._meta.pk.column)}", params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids


def _copy(connection, model: type[Model], fields: list, rows: list[list], *, returning: bool) -> list:
    """PostgreSQL: the rows through ``COPY … FROM STDIN``, their keys drawn from the table's sequence first.

    A multi-row INSERT of 50,000 rows costs PostgreSQL's parser and psycopg's placeholder parsing
    (both per statement of thousands of parameters) several times what COPY does.
    """
    quote = connection.ops.quote_name
    names = [f.column for f in fields]
    ids: list = []
    with connection.cursor() as cursor:
        if returning:
            pk = model._meta.pk.column
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            names = [pk, *names]
            rows = [[pk_value, *row] for pk_value, row in zip(ids, rows, strict=True)]
        columns = ", ".join(quote(name) for name in names)
        with cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return ids


def _sync_relations(obj: Model, fields: list) -> None:
    """A foreign key set as an object saved after the assignment: copy its primary key to the column.

    Only a column still empty can be behind its object (setting the column itself drops the object).
    """
    cache = obj._state.fields_cache
    if not cache:
        return
    values = obj.__dict__
    for field in fields:
        if values.get(field.attname) is None:
            cached = cache.get(field.cache_name)
            if cached is not None and cached.pk is not None:
                setattr(obj, field.attname, cached.pk)


def _stamped(fields: list) -> list:
    """The timestamp columns a bulk write sets to its own moment: ``auto_now(_add)``, ``default=timezone.now``."""
    return [
        f
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or f.default is timezone.now
    ]


def insert_rows(model: type[Model], objs: list[Model], *, history: dict | None = None) -> None:
    """INSERT ``objs`` (unsaved, auto primary key) and set their primary keys; timestamps filled.

    ``history`` (``history_type``, ``user``, ``reason``) also writes their django-simple-history
    records, from the same values (converted once for both tables).
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = _columns(model)
    now = timezone.now()
    stamped = _stamped(fields)
    relations = [f for f in fields if f.is_relation]
    converting = [(i, convert) for i, f in enumerate(fields) if (convert := _converter(f, connection))]
    values_of = _getter(fields)
    rows = []
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
        _sync_relations(obj, relations)
        row = values_of(obj)
        for index, convert in converting:
            row[index] = convert(row[index])
        rows.append(row)
    ids = _insert(model, fields, rows, returning=True, converted=True)
    alias = router.db_for_write(model)
    pk = model._meta.pk.attname
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk, pk_value)
        obj._state.adding = False
        obj._state.db = alias
    if history is not None:
        position = {f.attname: i for i, f in enumerate(fields)}
        for row, pk_value in zip(rows, ids, strict=True):
            row.append(pk_value)  # after the model's columns: where the history rows take the key from
        position[pk] = len(fields)
        _history_insert(model, position, rows, **history)


def _getter(fields: list) -> Callable[[Model], list]:
    """The values of ``fields`` of an instance, as a list (read in one C call)."""
    get = attrgetter(*[f.attname for f in fields])
    if len(fields) == 1:
        return lambda obj: [get(obj)]
    return lambda obj: list(get(obj))


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


def _history_insert(model, position: dict, rows: list, *, history_type: str, user, reason: str = ""):
    """History records from rows already converted for ``model``'s table (``position``: attname → index)."""
    historical = model.history.model
    fields = _columns(historical)
    connection = connections[router.db_for_write(historical)]
    extra = {
        "history_date": _converter(historical._meta.get_field("history_date"), connection)(timezone.now()),
        "history_type": history_type,
        "history_change_reason": reason or None,
        "history_user_id": getattr(user, "pk", None),
    }
    # The constants go after the row's own values; each history column then picks its place.
    width = max(position.values()) + 1
    constants = list(extra.values())
    constant_at = {name: width + i for i, name in enumerate(extra)}
    picks = []
    for field in fields:
        if field.attname in constant_at:
            picks.append(constant_at[field.attname])
        elif field.attname in position:
            picks.append(position[field.attname])
        else:  # pragma: no cover - a history field this helper does not know
            raise NotImplementedError(f"history field {field.attname}")
    pick = itemgetter(*picks)
    history = [list(pick(row + constants)) for row in rows]
    _insert(historical, fields, history, returning=False, converted=True)


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


class FieldCheck:
    """``full_clean`` on some fields of many instances, each distinct value cleaned once.

    The same checks as ``Model.full_clean(exclude=…, validate_unique=False,
    validate_constraints=False)`` — each field's ``clean`` (conversion, choices, validators; a blank
    value skipped where the field allows it), the cleaned value set back, then the model's
    ``clean()`` — but a value already found valid for a field is not cleaned again: a ledger repeats
    the same amounts, dates and texts on thousands of rows.
    """

    def __init__(self, model: type[Model], names: Iterable[str]):
        self.fields = [model._meta.get_field(name) for name in names]
        self.specs = [(f, f.attname, f.blank, f.empty_values) for f in self.fields]
        self.valid: dict = {}

    def __call__(self, obj: Model) -> None:
        errors: dict = {}
        valid = self.valid
        for field, attname, blank, empty_values in self.specs:
            raw = getattr(obj, attname)
            if blank and raw in empty_values:
                continue
            # Equal decimals may differ in places (1.0 and 1.000), which the validators see.
            key = (attname, type(raw), str(raw) if type(raw) is Decimal else raw)
            try:
                setattr(obj, attname, valid[key])
                continue
            except KeyError:
                pass
            except TypeError:  # unhashable: cleaned every time
                key = None
            try:
                cleaned = field.clean(raw, obj)
            except ValidationError as error:
                errors[field.name] = error.error_list
                continue
            if key is not None:
                valid[key] = cleaned
            setattr(obj, attname, cleaned)
        if errors:
            raise ValidationError(errors)
        obj.clean()


def attach(objs: Iterable[Model], name: str, queryset: QuerySet, known: dict | None = None) -> None:
    """Set the ``name`` relation of each object, one instance per related row, shared by all the objects.

    What ``select_related`` does, without building a related instance per row: 50,000 projects in
    twelve counties share twelve region instances. The related instances are those of ``known`` (by
    primary key, e.g. the units an import has already read) and the others, read by one ``in_bulk``
    of ``queryset``.
    """
    objs = list(objs)
    if not objs:
        return
    field = objs[0]._meta.get_field(name)
    related = dict(known or {})
    related.update(queryset.in_bulk({getattr(obj, field.attname) for obj in objs} - related.keys() - {None}))
    for obj in objs:
        value = getattr(obj, field.attname)
        field.set_cached_value(obj, related.get(value) if value is not None else None)


def instance_maker(model: type[Model], attnames: list[str], *, db: str | None = None) -> Callable[[Iterable], Model]:
    """A function making an instance of ``model`` from the values of ``attnames``, as Django makes it.

    ``attnames`` are some of the model's concrete fields, in their order; the others are deferred,
    as ``only()`` leaves them. Without ``db`` the instance is new (``Model(*values)``); with it, it
    was read from that database (``Model.from_db``).

    ``Model.__init__`` sets each field through ``setattr`` and sends ``pre_init`` and ``post_init``
    (about 3 µs an instance of a 20-field model, 6 µs as ``from_db``). Where nothing can tell the
    difference — the model keeps Django's ``__init__``, no receiver listens to those signals, and
    every field's attribute is Django's plain descriptor, which stores the value in the instance's
    ``__dict__`` — the instance is made as unpickling makes it (``__new__``, a fresh ``ModelState``,
    the values in ``__dict__``), in a tenth of that. Otherwise, and whenever such a receiver is
    connected later, through ``from_db``.
    """
    fields = model._meta.concrete_fields
    order = {f.attname: i for i, f in enumerate(fields)}
    if [order[name] for name in attnames] != sorted(order[name] for name in attnames):
        raise ValueError(f"{model.__name__}: fields out of their order: {attnames}")
    plain = model.__init__ is Model.__init__ and all(
        type(getattr_static(model, f.attname)) in (DeferredAttribute, ForeignKeyDeferredAttribute) for f in fields
    )
    new = model.__new__

    def listened(signal) -> bool:  # no receiver at all (the usual case) is the quick answer
        return bool(signal.receivers) and signal.has_listeners(model)

    def make(values: Iterable) -> Model:
        if plain and not listened(pre_init) and not listened(post_init):
            obj = new(model)
            state = obj._state = ModelState()
            if db is not None:
                state.adding, state.db = False, db
            obj.__dict__.update(zip(attnames, values, strict=True))
            return obj
        obj = model.from_db(db, attnames, list(values))
        if db is None:
            obj._state.adding, obj._state.db = True, None
        return obj

    return make


class Builder:
    """New instances of a model, as ``Model(**values)`` makes them, in a sixth of the time.

    ``Model.__init__`` with keyword arguments looks every field up among them and raises and
    catches a ``KeyError`` for each one left out (about 25 µs an instance of a 30-field model);
    the values given in order are only stored (``instance_maker``). The values left out get their
    defaults as Django gives them (a callable default is called for each instance), and a relation
    given as an object is set through the field as the keyword form sets it (cached on the instance,
    an unsaved object included, whose key ``insert_rows`` copies once it is saved).
    """

    def __init__(self, model: type[Model]):
        self.model = model
        fields = model._meta.concrete_fields
        self.position = {}
        for index, field in enumerate(fields):
            self.position[field.attname] = (index, None)
            if field.is_relation:
                self.position[field.name] = (index, field)
        # Constant defaults once; a callable one (timezone.now, dict …) called for each instance.
        self.template = [
            None if field.has_default() and callable(field.default) else field.get_default() for field in fields
        ]
        self.made = [(i, f.get_default) for i, f in enumerate(fields) if f.has_default() and callable(f.default)]
        self.make = instance_maker(model, [f.attname for f in fields])

    def __call__(self, **values) -> Model:
        args = self.template.copy()
        for index, make in self.made:
            args[index] = make()
        related = []
        for name, value in values.items():
            index, relation = self.position[name]
            if relation is not None:
                args[index] = None if value is None else value.pk
                related.append((relation, value))
            else:
                args[index] = value
        obj = self.make(args)
        for relation, value in related:
            relation.set_cached_value(obj, value)
        return obj


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk job (reference counting still frees everything else).

    A job that holds many objects until it ends (an import's rows, instances and history records)
    makes each full collection walk all of them, again and again, to free almost nothing. The
    collector is switched back on afterwards (if it was on: a job inside another leaves it to that).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
