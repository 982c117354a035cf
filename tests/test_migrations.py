"""The migrations describe the models as they are: nothing is left for makemigrations."""
import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exc:
        pytest.fail(f"models and migrations differ:\n{capsys.readouterr().out}\n{exc}")


def _btree_indexes(cursor, tables: list[str]) -> list[tuple]:
    """(table, index, unique, key columns, operator classes, options, predicate) of the
    plain B-tree indexes (no expressions) of these tables."""
    cursor.execute(
        """
        SELECT t.relname, i.relname, x.indisunique,
               (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(x.indkey::int2[])
                  WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                 WHERE k.n <= x.indnkeyatts),
               (x.indclass::oid[])[0:x.indnkeyatts - 1]::text,
               (x.indoption::int2[])[0:x.indnkeyatts - 1]::text,
               pg_get_expr(x.indpred, x.indrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_am am ON am.oid = i.relam
        WHERE t.relname = ANY(%s) AND am.amname = 'btree' AND x.indexprs IS NULL
        """,
        [tables],
    )
    return cursor.fetchall()


@pytest.mark.django_db
def test_no_index_repeats_the_start_of_another():
    """Every index is written again for each new row version: an index whose columns begin
    another index of the same table (same order, operator classes and predicate) only
    costs, since the longer one serves the same lookups. Unique indexes are constraints."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table
        for model in apps.get_models()  # without the tables Django makes for many-to-many
        if model._meta.app_label in ("timeline", "ingest")
    ]
    with connection.cursor() as cursor:
        indexes = _btree_indexes(cursor, tables)
    assert {"timeline_event", "timeline_evidence"} <= {index[0] for index in indexes}
    repeated = []
    for table, name, unique, columns, classes, options, predicate in indexes:
        for other in indexes:
            o_table, o_name, _, o_columns, o_classes, o_options, o_predicate = other
            if unique or o_table != table or o_name == name or o_predicate != predicate:
                continue
            width = len(columns)
            if (
                len(o_columns) >= width and o_columns[:width] == columns
                and _first(o_classes, width) == _first(classes, width)
                and _first(o_options, width) == _first(options, width)
                and (len(o_columns) > width or name > o_name)  # of two alike, one is named
            ):
                repeated.append(f"{name} ({', '.join(columns)}) begins {o_name}")
    assert repeated == []


def _first(vector: str, count: int) -> list[str]:
    """The first `count` values of an int2vector or oidvector's text ("{1,2}")."""
    return vector.strip("{}").split(",")[:count]
