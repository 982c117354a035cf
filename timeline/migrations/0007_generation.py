"""A counter that moves when a transaction changes what the timeline shows.

Cached pages and API answers are stored under the counter's value (timeline.caching), so
one committed change makes all of them stale at once, whoever wrote it: the ORM, a bulk
insert, the admin or psql. The bump is a deferred constraint trigger: it runs once per
transaction, at commit, so writers hold the counter's row lock only while committing.
"""
from django.db import migrations

TABLES = [
    "timeline_event", "timeline_event_actors", "timeline_evidence", "timeline_claim",
    "timeline_tombstone", "timeline_article", "timeline_outlet", "timeline_actor",
    "timeline_place",
]

FORWARD = """
CREATE TABLE timeline_generation (
    id smallint PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO timeline_generation VALUES (1, 0);

CREATE FUNCTION timeline_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the flag is transaction-local.
    IF current_setting('timeline.generation_bumped', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('timeline.generation_bumped', 'on', true);
        UPDATE timeline_generation SET value = value + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE CONSTRAINT TRIGGER timeline_generation AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION timeline_bump_generation();
CREATE TRIGGER timeline_generation_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_bump_generation();
"""
    for table in TABLES
)

BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS timeline_generation ON {table};"
    f"DROP TRIGGER IF EXISTS timeline_generation_truncate ON {table};"
    for table in TABLES
) + "DROP FUNCTION IF EXISTS timeline_bump_generation(); DROP TABLE IF EXISTS timeline_generation;"


class Migration(migrations.Migration):
    dependencies = [("timeline", "0006_event_span")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
