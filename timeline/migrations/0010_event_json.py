"""Each event's actors and evidence as the API writes them, kept up to date by triggers.

A page of the API's list is 50 events with ~100 actors and ~150 pieces of evidence, each
with its article and outlet; building that JSON was most of the list's SQL (on the bench's
1M events: 10-13 ms of 13 per page, against 3.5 ms reading it from this table).

`timeline_event_json_rebuild(ids)` writes the rows of these events afresh. Statement
triggers call it for the events whose evidence or actors a statement changed (evidence and
event_actors, through their transition tables), and row triggers for the events citing an
article or outlet, or naming an actor, whose shown columns changed. It first locks the
events (FOR NO KEY UPDATE, in id order), so two transactions changing one event's
relations take turns: the second rebuilds after the first commits, from a snapshot that
sees it (read committed), and no rebuild from an older snapshot can be written last.
"""
from django.db import migrations, models

import timeline.models

RELATION_TABLES = ("timeline_evidence", "timeline_event_actors")

# The JSON of timeline.api.reading's rows: actors by name, evidence by article then place.
EVENT_JSON_OF = """
CREATE FUNCTION timeline_event_json_of(ids bigint[])
RETURNS TABLE (event_id bigint, actors json, evidence json) LANGUAGE sql STABLE AS $$
    SELECT e.id,
        coalesce((
            SELECT json_agg(a ORDER BY a.name, a.id) FROM (
                SELECT a.id, a.name, a.kind, a.country, a.aliases
                FROM timeline_event_actors ea JOIN timeline_actor a ON a.id = ea.actor_id
                WHERE ea.event_id = e.id) a
        ), '[]'::json),
        coalesce((
            SELECT json_agg(x ORDER BY x.article, x.char_start, x.id) FROM (
                SELECT v.id, v.event_id AS event, v.article_id AS article,
                       r.title AS article_title, r.url AS article_url, o.name AS outlet,
                       r.published_on, v.quote, v.char_start, v.char_end, v.date_text,
                       v.date_rule, v.anchor_date, v.speaker, v.origin
                FROM timeline_evidence v JOIN timeline_article r ON r.id = v.article_id
                LEFT JOIN timeline_outlet o ON o.id = r.outlet_id
                WHERE v.event_id = e.id) x
        ), '[]'::json)
    FROM timeline_event e
    WHERE e.id = ANY(ids)
$$;
"""

FORWARD = EVENT_JSON_OF + """
ALTER TABLE timeline_eventjson ADD CONSTRAINT timeline_eventjson_event
    FOREIGN KEY (event_id) REFERENCES timeline_event (id) ON DELETE CASCADE;

CREATE FUNCTION timeline_event_json_rebuild(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM 1 FROM timeline_event WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO timeline_eventjson (event_id, actors, evidence)
        SELECT * FROM timeline_event_json_of(ids)
        ON CONFLICT (event_id) DO UPDATE
            SET actors = EXCLUDED.actors, evidence = EXCLUDED.evidence;
    END IF;
END $$;

-- evidence and event_actors: the events of the rows before and after the statement (one
-- trigger per operation: Postgres gives transition tables only to single-event triggers).
CREATE FUNCTION timeline_event_json_relations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM timeline_event_json_rebuild(ARRAY(SELECT DISTINCT event_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM timeline_event_json_rebuild(ARRAY(SELECT DISTINCT event_id FROM old_rows));
    ELSE
        PERFORM timeline_event_json_rebuild(ARRAY(
            SELECT event_id FROM old_rows UNION SELECT event_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;

""" + "".join(
    f"""
CREATE TRIGGER timeline_event_json_{operation.lower()} AFTER {operation} ON {table}
    REFERENCING {transition_tables}
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_json_relations();"""
    for table in RELATION_TABLES
    for operation, transition_tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    )
) + """

-- An actor, article or outlet whose shown columns changed: the events that show it.
CREATE FUNCTION timeline_event_json_shown() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'timeline_actor' THEN
        PERFORM timeline_event_json_rebuild(ARRAY(
            SELECT event_id FROM timeline_event_actors WHERE actor_id = NEW.id));
    ELSIF TG_TABLE_NAME = 'timeline_article' THEN
        PERFORM timeline_event_json_rebuild(ARRAY(
            SELECT DISTINCT event_id FROM timeline_evidence WHERE article_id = NEW.id));
    ELSE
        PERFORM timeline_event_json_rebuild(ARRAY(
            SELECT DISTINCT v.event_id FROM timeline_evidence v
            JOIN timeline_article r ON r.id = v.article_id WHERE r.outlet_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER timeline_event_json AFTER UPDATE ON timeline_actor FOR EACH ROW
    WHEN ((OLD.name, OLD.kind, OLD.country, OLD.aliases)
          IS DISTINCT FROM (NEW.name, NEW.kind, NEW.country, NEW.aliases))
    EXECUTE FUNCTION timeline_event_json_shown();
CREATE TRIGGER timeline_event_json AFTER UPDATE ON timeline_article FOR EACH ROW
    WHEN ((OLD.title, OLD.url, OLD.outlet_id, OLD.published_on)
          IS DISTINCT FROM (NEW.title, NEW.url, NEW.outlet_id, NEW.published_on))
    EXECUTE FUNCTION timeline_event_json_shown();
CREATE TRIGGER timeline_event_json AFTER UPDATE ON timeline_outlet FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION timeline_event_json_shown();

-- The events stored so far (nothing else writes while the migration holds its locks).
INSERT INTO timeline_eventjson (event_id, actors, evidence)
SELECT * FROM timeline_event_json_of(ARRAY(SELECT id FROM timeline_event)) j
WHERE j.actors::text <> '[]' OR j.evidence::text <> '[]';
"""

BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS timeline_event_json_{operation} ON {table};"
    for table in RELATION_TABLES for operation in ("insert", "update", "delete")
) + """
DROP TRIGGER IF EXISTS timeline_event_json ON timeline_actor;
DROP TRIGGER IF EXISTS timeline_event_json ON timeline_article;
DROP TRIGGER IF EXISTS timeline_event_json ON timeline_outlet;
DROP FUNCTION IF EXISTS timeline_event_json_shown();
DROP FUNCTION IF EXISTS timeline_event_json_relations();
DROP FUNCTION IF EXISTS timeline_event_json_rebuild(bigint[]);
DROP FUNCTION IF EXISTS timeline_event_json_of(bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0009_event_indexes_with_place"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventJSON",
            fields=[
                ("event", models.OneToOneField(
                    db_constraint=False, on_delete=models.deletion.DO_NOTHING,
                    primary_key=True, related_name="+", serialize=False, to="timeline.event",
                )),
                ("actors", timeline.models.JSONText()),
                ("evidence", timeline.models.JSONText()),
            ],
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
