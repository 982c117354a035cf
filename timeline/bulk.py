"""Bulk writes in one statement each, for the ingest path's batches and merges.

Django's bulk_update writes a CASE WHEN per row and field (building those expressions
was a fifth of a worker's CPU), and simple_history's bulk_history_create builds a model
instance per historical row; here Postgres gets the rows as arrays or VALUES, or copies
them from the live table itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _type(field) -> str:
    """The column's type for a cast, without a varchar's length: an explicit cast to
    varchar(n) cuts longer text silently, where storing it raises an error."""
    return re.sub(r"^varchar\(\d+\)", "varchar", field.cast_db_type(connection))


def insert_new(model, objs: list, key: Sequence[str], batch_size: int = 5000) -> list:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the objects really inserted, pks set.

    `key` names the attributes (attnames) of a unique constraint: rows already there are
    skipped and their objects left without a pk. The rows go as one array per column
    (unnest), so the statement is the same whatever their number: psycopg parses a
    statement of a placeholder per value anew each time, a tenth of a worker's CPU.
    """
    if not objs:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    arrays = [f.name for f in fields if f.get_internal_type() == "ArrayField"]
    if arrays:
        raise ValueError(f"insert_new: unnest would flatten the array columns {arrays}")
    columns = ", ".join(quote(f.column) for f in fields)
    key_columns = [quote(meta.get_field(k).column) for k in key]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest("
        + ", ".join(JSON_ARRAY if _is_json(f) else f"%s::{_type(f)}[]" for f in fields)
        + f") ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}, "
        + ", ".join(key_columns)
    )
    by_key = {tuple(getattr(o, k) for k in key): o for o in objs}
    inserted = []
    for offset in range(0, len(objs), batch_size):
        batch = objs[offset : offset + batch_size]
        params = [_column(f, batch) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        for pk, *values in returned:
            obj = by_key[tuple(values)]
            obj.pk = pk
            obj._state.adding = False
            inserted.append(obj)
    return inserted


# A JSON column's values as one JSON array (None: SQL NULL, as a save writes it), in order.
# As an array of jsonb, psycopg escaped every value's quotes one by one: 35 ms for 500
# pieces of evidence, against 2 ms for one document.
JSON_ARRAY = (
    "ARRAY(SELECT nullif(a.value, 'null') FROM jsonb_array_elements(%s::jsonb)"
    " WITH ORDINALITY AS a(value, n) ORDER BY a.n)"
)


def _is_json(field) -> bool:
    return field.get_internal_type() == "JSONField"


def _column(field, objs: Sequence[Model]):
    """The parameter of one column of insert_new's rows."""
    if _is_json(field):
        values = [field.get_prep_value(field.pre_save(o, True)) for o in objs]
        return connection.ops.adapt_json_value(values, field.encoder)
    return [field.get_db_prep_save(field.pre_save(o, True), connection) for o in objs]


def update_rows(model, objs: Sequence[Model], fields: Sequence[str], batch_size: int = 500) -> int:
    """What `model.objects.bulk_update(objs, fields)` does (each object's own values of
    `fields`, no signals, no auto_now), as UPDATE ... FROM (VALUES ...): rows updated."""
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    sets = ", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(columns) if i)
    # Every value cast to its column's type: VALUES alone would guess text, or fail on NULL.
    one_row = "(" + ", ".join(f"%s::{_type(f)}" for f in columns) + ")"
    updated = 0
    for offset in range(0, len(objs), batch_size):
        batch = objs[offset : offset + batch_size]
        params = [
            f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in batch for f in columns
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {sets} FROM (VALUES "
                + ", ".join([one_row] * len(batch))
                + f") AS v({names}) WHERE t.{quote(meta.pk.column)} = v.c0",
                params,
            )
            updated += cursor.rowcount
    return updated


def history_of_rows(
    model, ids: Iterable[int], history_type: str, *, when: datetime | None = None
) -> list[tuple[int, int]]:
    """simple_history's rows for the stored rows `ids` as they are now, copied by Postgres:
    what a save of each writes (its user: the request's, as simple_history's middleware
    keeps it; no change reason). Returns (history_id, id) pairs; nothing when history is
    switched off."""
    ids = sorted(set(ids))
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    history = model.history.model
    user_id = getattr(history.get_default_history_user(model()), "pk", None)
    tracked = ", ".join(quote(f.column) for f in history.tracked_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, %s, '', %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s) ORDER BY {quote(model._meta.pk.column)} "
            f"RETURNING {quote(history._meta.pk.column)}, {quote(model._meta.pk.column)}",
            [when or timezone.now(), history_type, user_id, ids],
        )
        return cursor.fetchall()


def history_of_links(snapshot, through, own: str, other: str, history_rows) -> None:
    """simple_history's m2m `snapshot` rows under each historical row (history_id, id) of
    the model: the links of `through` that the object has now (its `own` column equal to
    the id; `other`, the linked object's), copied by Postgres."""
    if not history_rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(snapshot._meta.db_table)} (id, {quote(own)}, {quote(other)}, "
            f"history_id) SELECT l.id, l.{quote(own)}, l.{quote(other)}, h.history_id "
            "FROM unnest(%s::int8[], %s::int8[]) AS h(history_id, object_id) "
            f"JOIN {quote(through._meta.db_table)} l ON l.{quote(own)} = h.object_id",
            [[h for h, _ in history_rows], [pk for _, pk in history_rows]],
        )
