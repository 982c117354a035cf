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
    """(table, index, unique, predicate, keys) of the plain B-tree indexes (no expressions)
    of these tables; each key column as "name operator-class option", in order."""
    cursor.execute(
        """
        SELECT t.relname, i.relname, x.indisunique, pg_get_expr(x.indpred, x.indrelid),
               (SELECT array_agg(concat_ws(' ', a.attname, k.class, k.option) ORDER BY k.n)
                  FROM unnest(x.indkey::int2[], x.indclass::oid[], x.indoption::int2[])
                       WITH ORDINALITY AS k(attnum, class, option, n)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                 WHERE k.n <= x.indnkeyatts)
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
    repeated = [
        f"{name} ({', '.join(k.split()[0] for k in keys)}) begins {other}"
        for table, name, unique, predicate, keys in indexes if not unique
        for o_table, other, _, o_predicate, o_keys in indexes
        if (o_table, o_predicate) == (table, predicate) and other != name
        and o_keys[: len(keys)] == keys
        and (len(o_keys) > len(keys) or name > other)  # of two alike, one is named
    ]
    assert repeated == []
